/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * Besides the qos node this provides what the register-level tests share:
 * descriptor rings, MSI-X waits, frames injected and captured through the
 * socket netdev "hs0", and frame builders and checksum verification that
 * do not rely on the device model.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_NIC_H
#define QOS_IOAT_NIC_H

#include "qgraph.h"
#include "pci.h"
#include "malloc.h"

#define IOAT_NIC_VENDOR_ID  0x8086
#define IOAT_NIC_DEVICE_ID  0x10f9

/* Receive buffers the ring helpers allocate: SRRCTL.BSIZEPKT = 2 KiB. */
#define QIOAT_NIC_RX_BUF_SIZE   2048
#define QIOAT_NIC_RX_HDR_SIZE   128     /* SRRCTL.BSIZEHDR = 2 */

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
bool ioat_nic_msix_pending(QIoatNic *d, unsigned vector);
void ioat_nic_msix_clear(QIoatNic *d, unsigned vector);
void ioat_nic_wait_msix(QIoatNic *d, unsigned vector);
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
void ioat_nic_tx_kick(QIoatNic *d, QIoatNicRing *r);
uint32_t ioat_nic_tx_status(QIoatNic *d, QIoatNicRing *r, unsigned idx);
unsigned ioat_nic_tx_frame(QIoatNic *d, QIoatNicRing *r, const void *frame,
                           size_t len, uint32_t cmd, uint32_t olinfo);
uint32_t ioat_nic_tx_wait(QIoatNic *d, QIoatNicRing *r, unsigned idx);

/* The other end of the socket netdev: 4-byte big-endian length framing */
void ioat_nic_inject(int sock, const void *frame, size_t len);
size_t ioat_nic_capture(int sock, void *buf, size_t size);
void ioat_nic_wait_consumed(QIoatNic *d, int sock);
bool ioat_nic_socket_idle(int sock);

/* Frames, built and checked independently of the model */
typedef struct QIoatNicFlow {
    bool ipv6;
    uint8_t proto;          /* IPPROTO_TCP or IPPROTO_UDP */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
} QIoatNicFlow;

#define QIOAT_NIC_ETH_HLEN      14
#define QIOAT_NIC_IP4_HLEN      20
#define QIOAT_NIC_IP6_HLEN      40
#define QIOAT_NIC_TCP_HLEN      20
#define QIOAT_NIC_UDP_HLEN      8

void ioat_nic_flow_parse(QIoatNicFlow *f, uint8_t proto, const char *src,
                         uint16_t sport, const char *dst, uint16_t dport);
size_t ioat_nic_build_eth(uint8_t *buf, const uint8_t *dst_mac,
                          uint16_t ethertype, size_t payload_len);
size_t ioat_nic_build_ip(uint8_t *buf, const uint8_t *dst_mac,
                         const QIoatNicFlow *f, size_t payload_len);
size_t ioat_nic_l4_offset(const uint8_t *frame);
uint8_t ioat_nic_l4_proto(const uint8_t *frame);
size_t ioat_nic_l4_hlen(const uint8_t *frame);
uint32_t ioat_nic_csum_add(uint32_t sum, const uint8_t *buf, size_t len);
uint16_t ioat_nic_csum_fold(uint32_t sum);
uint32_t ioat_nic_pseudo_sum(const uint8_t *frame, size_t l4_len);
bool ioat_nic_ip4_csum_ok(const uint8_t *frame);
bool ioat_nic_l4_csum_ok(const uint8_t *frame, size_t len);

#endif
