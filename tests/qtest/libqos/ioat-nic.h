/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * Besides the qos node this provides what the register-level tests share:
 * descriptor rings, interrupt set-up, and frames injected and captured
 * through the socket netdev "hs0" (frames themselves: ioat-nic-frame.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_NIC_H
#define QOS_IOAT_NIC_H

#include "qgraph.h"
#include "pci.h"
#include "malloc.h"
#include "ioat-pci.h"

#define IOAT_NIC_VENDOR_ID  0x8086
#define IOAT_NIC_DEVICE_ID  0x10f9

/*
 * Where the qos graph puts the device: a fixed slot (as e1000e's node
 * does) spares every test a scan of the whole bus.
 */
#define IOAT_NIC_QOS_ADDR "04.0"
#define IOAT_NIC_QOS_DEVFN QPCI_DEVFN(4, 0)

/* Receive buffers the ring helpers allocate: SRRCTL.BSIZEPKT = 2 KiB. */
#define QIOAT_NIC_RX_BUF_SIZE   2048
#define QIOAT_NIC_RX_HDR_SIZE   128     /* SRRCTL.BSIZEHDR = 2 */

/*
 * The node produces one qos interface per area of tests, so that no node
 * has more tests than qos-test can walk (ioat-qos.h); get_driver() hands
 * the QIoatNic to each.
 */
typedef enum QIoatNicArea {
    QIOAT_NIC_REGISTERS,    /* PCI, reset values, EEPROM, link */
    QIOAT_NIC_RECEIVE,      /* rings, filters, header split, RSS */
    QIOAT_NIC_TRANSMIT,     /* rings, head write-back, loopback */
    QIOAT_NIC_INTERRUPTS,   /* IVAR, EITR, EIMS/EIAM/EIAC, MSI */
    QIOAT_NIC_STATISTICS,
    QIOAT_NIC_OFFLOADS,     /* checksums, VLAN, TSO */
    QIOAT_NIC_ROBUSTNESS,   /* malformed frames and rings */
    QIOAT_NIC_MIGRATION,
    QIOAT_NIC_FDIR,         /* Flow Director: perfect, signature, hash */
    QIOAT_NIC_FILTERS,      /* 5-tuple, SYN, precedence, low latency irq */
    QIOAT_NIC_DESCRIPTORS,  /* legacy descriptors, DW1 without PCSD */
    QIOAT_NIC_FAULTS,       /* run-time fault injection */
    QIOAT_NIC_RSC,          /* receive side coalescing */
    QIOAT_NIC_NUM_AREAS
} QIoatNicArea;

extern const char *const qioat_nic_areas[QIOAT_NIC_NUM_AREAS];

typedef struct QIoatNic {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
    QGuestAllocator *alloc;
} QIoatNic;

/* One RX or TX descriptor ring, as the test (the "driver") sees it. */
typedef struct QIoatNicRing {
    unsigned queue;
    unsigned size;          /* descriptors */
    unsigned tail;          /* next descriptor the test fills */
    uint64_t base;
    uint64_t pkt_buf[64];   /* RX: buffers posted per descriptor */
    uint64_t hdr_buf[64];
} QIoatNicRing;

/* Advanced RX write-back descriptor (datasheet 7.1.6.2), host order. */
typedef struct QIoatNicRxWb {
    uint32_t dw0;           /* RSS type, packet type, HDR_LEN, SPH */
    uint32_t rss_hash;      /* with RXCSUM.PCSD */
    uint32_t status;        /* status and errors */
    uint16_t length;        /* PKT_LEN */
    uint16_t vlan;
} QIoatNicRxWb;

static inline QTestState *ioat_nic_qts(QIoatNic *d)
{
    return d->pci_dev.bus->qts;
}

static inline uint32_t ioat_nic_readl(QIoatNic *d, uint32_t reg)
{
    return qpci_io_readl(&d->pci_dev, d->mmio, reg);
}

static inline void ioat_nic_writel(QIoatNic *d, uint32_t reg, uint32_t val)
{
    qpci_io_writel(&d->pci_dev, d->mmio, reg, val);
}

uint16_t ioat_nic_eeprom_read(QIoatNic *d, unsigned word);

/* Interrupts */
void ioat_nic_msix_enable(QIoatNic *d);

static inline bool ioat_nic_msix_pending(QIoatNic *d, unsigned vector)
{
    return qpci_msix_pending(&d->pci_dev, vector);
}

static inline void ioat_nic_msix_clear(QIoatNic *d, unsigned vector)
{
    ioat_pci_msix_clear(&d->pci_dev, vector);
}

static inline void ioat_nic_wait_msix(QIoatNic *d, unsigned vector)
{
    ioat_pci_msix_wait(&d->pci_dev, vector);
}

void ioat_nic_set_ivar(QIoatNic *d, unsigned queue, bool tx, unsigned vector);
void ioat_nic_set_eitr(QIoatNic *d, unsigned vector, uint32_t val);

/* Receive */
void ioat_nic_rx_enable(QIoatNic *d);
void ioat_nic_rx_ring_init(QIoatNic *d, QIoatNicRing *r, unsigned queue,
                           unsigned size, uint32_t srrctl);
void ioat_nic_rx_post_at(QIoatNic *d, QIoatNicRing *r, uint64_t pkt_addr,
                         uint64_t hdr_addr);
void ioat_nic_rx_post(QIoatNic *d, QIoatNicRing *r, unsigned n);
void ioat_nic_rx_wb(QIoatNic *d, QIoatNicRing *r, unsigned idx,
                    QIoatNicRxWb *wb);
void ioat_nic_rx_wait(QIoatNic *d, QIoatNicRing *r, unsigned idx,
                      QIoatNicRxWb *wb);
void ioat_nic_route_ethertype(QIoatNic *d, unsigned filter, uint16_t etype,
                              unsigned queue);

/* Transmit */
void ioat_nic_tx_ring_init(QIoatNic *d, QIoatNicRing *r, unsigned queue,
                           unsigned size);
void ioat_nic_tx_put_ctx(QIoatNic *d, QIoatNicRing *r, uint32_t vlan_macip_lens,
                         uint32_t type_tucmd, uint32_t mss_l4len_idx);
void ioat_nic_tx_put_data(QIoatNic *d, QIoatNicRing *r, uint64_t addr,
                          uint32_t cmd_type_len, uint32_t olinfo);
void ioat_nic_tx_put_legacy(QIoatNic *d, QIoatNicRing *r, uint64_t addr,
                            uint32_t lower, uint32_t upper);
void ioat_nic_tx_kick(QIoatNic *d, QIoatNicRing *r);
uint32_t ioat_nic_tx_status(QIoatNic *d, QIoatNicRing *r, unsigned idx);
unsigned ioat_nic_tx_frame(QIoatNic *d, QIoatNicRing *r, const void *frame,
                           size_t len, uint32_t cmd, uint32_t olinfo);
uint32_t ioat_nic_tx_wait(QIoatNic *d, QIoatNicRing *r, unsigned idx);

/*
 * The other end of the socket netdev: 4-byte big-endian length framing.
 * ioat_nic_inject() pads @frame to QIOAT_NIC_MIN_FRAME as a sending MAC
 * does; ioat_nic_inject_raw() sends it as it is (a runt if shorter).
 */
#define QIOAT_NIC_MIN_FRAME 60
void ioat_nic_inject(int sock, const void *frame, size_t len);
void ioat_nic_inject_raw(int sock, const void *frame, size_t len);
size_t ioat_nic_capture(int sock, void *buf, size_t size);
void ioat_nic_wait_consumed(QIoatNic *d, int sock);
bool ioat_nic_socket_idle(int sock);

#endif
