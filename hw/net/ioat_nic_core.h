/*
 * Intel 82599 10 GbE controller (ioat-nic): device core
 *
 * Everything the guest sees through BAR0 lives in the core files behind
 * this interface; ioat_nic.c is the PCI, QOM and net-client glue.
 *   ioat_nic_core.c   register file, reset, EEPROM, link, interrupts
 *   ioat_nic_rx.c     receive: filters, RSS, header split, write-back
 *   ioat_nic_tx.c     transmit: descriptors, offloads, loopback
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_CORE_H
#define HW_NET_IOAT_NIC_CORE_H

#include "net/net.h"
#include "net/eth.h"
#include "qemu/timer.h"
#include "ioat_nic_regs.h"

#define IOAT_NIC_MAC_WORDS      (IOAT_NIC_REG_SPACE / 4)

typedef struct IoatNicTxContext {
    uint32_t vlan_macip_lens;
    uint32_t seqnum_seed;
    uint32_t type_tucmd_mlhl;
    uint32_t mss_l4len_idx;
} IoatNicTxContext;

typedef struct IoatNicTxQueue {
    IoatNicTxContext ctx[2];
    uint32_t first_cmd_type_len;    /* of the packet being gathered */
    uint32_t first_olinfo_status;
    bool first;                     /* next data descriptor starts a packet */
    bool skip;                      /* drop the rest of a bad packet */
    uint8_t *data;                  /* the packet gathered so far */
    size_t len;
    size_t size;                    /* allocated bytes at data */
} IoatNicTxQueue;

typedef struct IoatNicCore {
    uint32_t mac[IOAT_NIC_MAC_WORDS];
    uint16_t eeprom[IOAT_NIC_EEPROM_WORDS];
    uint8_t permanent_mac[ETH_ALEN];

    /* Extended interrupt causes and mask of the 64 queue vectors (7.3.1) */
    uint64_t qcause;
    uint64_t qmask;
    QEMUTimer *eitr_timer[IOAT_NIC_MSIX_VECTORS];
    bool eitr_pending[IOAT_NIC_MSIX_VECTORS];
    bool intx_level;

    /* 36-bit counters behind their L/H register pairs */
    uint64_t gorc, gotc, tor;
    uint64_t qbrc[IOAT_NIC_NUM_STAT_QUEUES];
    uint64_t qbtc[IOAT_NIC_NUM_STAT_QUEUES];

    IoatNicTxQueue txq[IOAT_NIC_NUM_QUEUES];
    struct NetRxPkt *rx_pkt;

    PCIDevice *owner;
    NICState *nic;
} IoatNicCore;

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr);
void ioat_nic_core_unrealize(IoatNicCore *core);
void ioat_nic_core_reset(IoatNicCore *core);
uint64_t ioat_nic_core_read(IoatNicCore *core, hwaddr addr, unsigned size);
void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val,
                         unsigned size);
void ioat_nic_core_set_link_status(IoatNicCore *core);
bool ioat_nic_core_can_receive(IoatNicCore *core);
ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt);
int ioat_nic_core_post_load(IoatNicCore *core);

extern const VMStateDescription ioat_nic_core_vmstate;

/* Shared between the core files */

/*
 * Report a guest mistake both as a trace event and under -d guest_errors;
 * the log line starts with the trace event's name.
 */
#define IOAT_NIC_GUEST_ERR(trace, fmt, ...)                             \
    do {                                                                \
        (trace_##trace)(__VA_ARGS__);                                   \
        qemu_log_mask(LOG_GUEST_ERROR, #trace ": " fmt "\n",            \
                      ## __VA_ARGS__);                                  \
    } while (0)

static inline uint32_t ioat_nic_rxq_reg(IoatNicCore *core, unsigned q,
                                        unsigned off)
{
    return core->mac[(IOAT_NIC_RXQ_BASE(q) + off) >> 2];
}

static inline uint32_t *ioat_nic_txq_regp(IoatNicCore *core, unsigned q,
                                          unsigned off)
{
    return &core->mac[(IOAT_NIC_TXQ_BASE(q) + off) >> 2];
}

static inline uint32_t *ioat_nic_rxq_regp(IoatNicCore *core, unsigned q,
                                          unsigned off)
{
    return &core->mac[(IOAT_NIC_RXQ_BASE(q) + off) >> 2];
}

static inline uint32_t ioat_nic_reg(IoatNicCore *core, hwaddr addr)
{
    return core->mac[addr >> 2];
}

/* Saturating statistics counters */
static inline void ioat_nic_stat_inc(IoatNicCore *core, hwaddr addr)
{
    if (core->mac[addr >> 2] != UINT32_MAX) {
        core->mac[addr >> 2]++;
    }
}

/*
 * Packets counted by size, FCS included (8.2.3.23: PRC64..PRC1522 and
 * PTC64..PTC1522): 64, 65-127, 128-255, 256-511, 512-1023, 1024 and up.
 */
static inline void ioat_nic_stat_size(IoatNicCore *core, hwaddr bin64,
                                      size_t octets)
{
    static const size_t bin_max[] = { 64, 127, 255, 511, 1023 };
    unsigned bin = 0;

    while (bin < ARRAY_SIZE(bin_max) && octets > bin_max[bin]) {
        bin++;
    }
    ioat_nic_stat_inc(core, bin64 + 4 * bin);
}

static inline void ioat_nic_stat_add36(uint64_t *counter, uint64_t n)
{
    *counter = MIN(*counter + n, (1ULL << 36) - 1);
}

/* ioat_nic_core.c */
bool ioat_nic_link_up(IoatNicCore *core);
void ioat_nic_queue_event(IoatNicCore *core, unsigned queue, bool tx);

/* ioat_nic_rx.c */
void ioat_nic_rx_init(IoatNicCore *core);
void ioat_nic_rx_uninit(IoatNicCore *core);
bool ioat_nic_rx_enabled(IoatNicCore *core);
ssize_t ioat_nic_rx_frame(IoatNicCore *core, const struct iovec *iov,
                          int iovcnt, bool loopback);
void ioat_nic_rx_tail_written(IoatNicCore *core);

/* ioat_nic_tx.c */
void ioat_nic_tx_init(IoatNicCore *core);
void ioat_nic_tx_uninit(IoatNicCore *core);
void ioat_nic_tx_reset(IoatNicCore *core);
void ioat_nic_tx_tail_written(IoatNicCore *core, unsigned queue);

#endif
