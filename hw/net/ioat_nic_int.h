/*
 * Intel 82599 10 GbE controller (ioat-nic): what the core files share
 *
 * Private to ioat_nic_core.c, ioat_nic_regs.c, ioat_nic_intr.c,
 * ioat_nic_rx.c and ioat_nic_tx.c; ioat_nic.c only sees ioat_nic_core.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_INT_H
#define HW_NET_IOAT_NIC_INT_H

#include "hw/pci/pci_device.h"
#include "ioat_nic_core.h"

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

/* A queue's DMA (ioat_nic_dma.c) */
void ioat_nic_dma_write_desc(IoatWindow *w, PCIDevice *dev, dma_addr_t addr,
                             uint64_t lo, uint64_t hi);
void ioat_nic_dma_forget_all(IoatNicCore *core);

/* Register storage */

/*
 * The device was unplugged under us: one of its own DMA writes or
 * messages hit the power control of the slot it sits in.  Nothing that
 * touches PCI (config space, MSI-X, DMA) may follow; the caller holds a
 * reference, so the state itself is still there.  A surprise removal
 * (fault-surprise-removal) looks the same from inside.
 */
static inline bool ioat_nic_gone(IoatNicCore *core)
{
    return !core->owner->qdev.realized || core->fault.removed;
}

/* An armed fault hits this event: one fewer left. */
static inline bool ioat_nic_fault_hits(uint32_t *count)
{
    if (!*count) {
        return false;
    }
    --*count;
    return true;
}

static inline uint32_t ioat_nic_reg(IoatNicCore *core, hwaddr addr)
{
    return core->mac[addr >> 2];
}

static inline uint32_t *ioat_nic_regp(IoatNicCore *core, hwaddr addr)
{
    return &core->mac[addr >> 2];
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

/*
 * The register map (ioat_nic_regs.c): one entry per register or array of
 * registers.  Instance n of an entry sits at base + (n - first) * stride.
 */
typedef struct IoatNicReg IoatNicReg;

/* Whole-access hooks: @addr is the register's own (not an alias's) offset. */
typedef uint32_t (*IoatNicRegRead)(IoatNicCore *core, const IoatNicReg *reg,
                                   unsigned n, hwaddr addr);
typedef void (*IoatNicRegWrite)(IoatNicCore *core, const IoatNicReg *reg,
                                unsigned n, hwaddr addr, uint32_t val);

enum {
    IOAT_NIC_REG_RO         = 1 << 0,   /* writing it is a guest error */
    IOAT_NIC_REG_WO         = 1 << 1,   /* reads as 0 */
    IOAT_NIC_REG_RC         = 1 << 2,   /* a read clears it */
    IOAT_NIC_REG_STAT36_LO  = 1 << 3,   /* bits 31:0 of a 36-bit counter */
    IOAT_NIC_REG_STAT36_HI  = 1 << 4,   /* bits 35:32; a read clears it */
    IOAT_NIC_REG_W1C        = 1 << 5,   /* writing 1 clears a bit */
    IOAT_NIC_REG_ALIAS      = 1 << 6,   /* another window onto .alias */
    IOAT_NIC_REG_UNIMP      = 1 << 7,   /* stored, function not modelled */
    IOAT_NIC_REG_UNCOUNTED  = 1 << 8,   /* a statistic not kept: reads 0 */
};

struct IoatNicReg {
    const char *name;           /* the datasheet's name */
    hwaddr base;                /* offset of instance .first */
    uint16_t count;             /* instances */
    uint16_t stride;            /* bytes between instances */
    uint16_t first;             /* number of the first instance */
    uint16_t flags;
    uint32_t ro;                /* bits a write leaves alone */
    uint32_t sc;                /* bits that act when written, read 0 */
    uint32_t reset;             /* power-on and CTRL.RST value */
    hwaddr alias;               /* ALIAS: offset of the register's instance 0 */
    uint16_t alias_stride;
    size_t stat36;              /* STAT36_*: offsetof the uint64_t counter */
    const char *unimp;          /* UNIMP, UNCOUNTED: what is not modelled */
    IoatNicRegRead read;        /* instead of the stored value */
    IoatNicRegWrite write;      /* instead of ioat_nic_reg_store() */
};

void ioat_nic_regs_init(void);
const IoatNicReg *ioat_nic_reg_decode(hwaddr *addr, unsigned *n);
void ioat_nic_regs_reset(IoatNicCore *core);
uint32_t ioat_nic_reg_load(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr);
void ioat_nic_reg_store(IoatNicCore *core, const IoatNicReg *reg,
                        hwaddr addr, uint32_t val);
bool ioat_nic_report_unimp_once(IoatNicCore *core, hwaddr addr);

/* ioat_nic_core.c: register hooks */
uint32_t ioat_nic_read_status(IoatNicCore *core, const IoatNicReg *reg,
                              unsigned n, hwaddr addr);
uint32_t ioat_nic_read_links(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr);
void ioat_nic_write_ctrl(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eerd(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_unimp_setting(IoatNicCore *core, hwaddr key, const char *name,
                            unsigned n, hwaddr addr, uint32_t val,
                            const char *what);
void ioat_nic_write_eec(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_msca(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
bool ioat_nic_link_up(IoatNicCore *core);
void ioat_nic_link_check(IoatNicCore *core);

/* ioat_nic_intr.c */
void ioat_nic_intr_realize(IoatNicCore *core);
void ioat_nic_intr_unrealize(IoatNicCore *core);
void ioat_nic_intr_finalize(IoatNicCore *core);
void ioat_nic_intr_reset(IoatNicCore *core);
void ioat_nic_queue_event(IoatNicCore *core, unsigned queue, bool tx,
                          bool now);
void ioat_nic_raise_other(IoatNicCore *core, uint32_t causes);
bool ioat_nic_rx_itr_running(IoatNicCore *core, unsigned queue);
bool ioat_nic_rx_itr_start(IoatNicCore *core, unsigned queue);
uint32_t ioat_nic_read_eicr(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr);
void ioat_nic_write_eicr(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_eics(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr);
void ioat_nic_lli_moderation_unimp(IoatNicCore *core, const char *name,
                                   unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_gpie(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eitr(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eics(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eics_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_eims(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr);
void ioat_nic_write_eims(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_eims_ex(IoatNicCore *core, const IoatNicReg *reg,
                               unsigned n, hwaddr addr);
void ioat_nic_write_eims_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eimc(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_eimc_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val);

/* What the receive filters look at in one frame (7.1.2) */
typedef struct IoatNicRxTuple {
    const uint8_t *frame;       /* as received: before any VLAN strip */
    size_t len;
    bool tagged;
    uint16_t tci;               /* of the 802.1Q tag; 0 when untagged */
    uint16_t etype;             /* after the tag, if tagged */
    bool ip4, ip6, frag;
    EthL4HdrProto l4;           /* ETH_L4_HDR_PROTO_INVALID: none */
    const uint8_t *src, *dst;   /* the IP addresses, in the frame */
    uint16_t sport, dport;      /* TCP, UDP or SCTP, unfragmented; else 0 */
    uint8_t tcp_flags;          /* TCP only */
} IoatNicRxTuple;

/* What they decided */
typedef enum IoatNicFdirResult {
    IOAT_NIC_FDIR_NOT_LOOKED_UP,
    IOAT_NIC_FDIR_MATCH,
    IOAT_NIC_FDIR_MISS,
} IoatNicFdirResult;

typedef struct IoatNicRxSteer {
    bool steered;               /* queue was chosen by a filter, not RSS */
    unsigned queue;
    bool lli;                   /* interrupt at once (7.3.2.2) */
    IoatNicFdirResult fdir;     /* counted once the frame is not held */
    bool fdir_match;            /* report FLM, and fdir_id in DW1 */
    uint32_t fdir_id;           /* signature or index, bucket in 31:16 */
    uint32_t err;               /* descriptor error bits (FDIR drop, ...) */
} IoatNicRxSteer;

/* ioat_nic_filter.c */
void ioat_nic_write_five_tuple(IoatNicCore *core, const IoatNicReg *reg,
                               unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_filter_sync(IoatNicCore *core);
void ioat_nic_filter_steer(IoatNicCore *core, const IoatNicRxTuple *t,
                           IoatNicRxSteer *st);

/* ioat_nic_fdir.c */
extern const VMStateDescription ioat_nic_vmstate_fdir;
void ioat_nic_fdir_realize(IoatNicCore *core);
void ioat_nic_fdir_unrealize(IoatNicCore *core);
void ioat_nic_fdir_reset(IoatNicCore *core);
int ioat_nic_fdir_post_load(IoatNicCore *core);
bool ioat_nic_fdir_enabled(IoatNicCore *core);
void ioat_nic_fdir_lookup(IoatNicCore *core, const IoatNicRxTuple *t,
                          IoatNicRxSteer *st);
void ioat_nic_fdir_count_lookup(IoatNicCore *core, const IoatNicRxSteer *st);
void ioat_nic_write_fdirctrl(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_fdircmd(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_fdirfree(IoatNicCore *core, const IoatNicReg *reg,
                                unsigned n, hwaddr addr);

/* ioat_nic_rx.c */
void ioat_nic_rx_init(IoatNicCore *core);
void ioat_nic_rx_uninit(IoatNicCore *core);
void ioat_nic_rx_unrealize(IoatNicCore *core);
void ioat_nic_rx_reset(IoatNicCore *core);
void ioat_nic_rx_late_wb_start(IoatNicCore *core, unsigned queue, bool lli);
void ioat_nic_rx_vm_stopped(IoatNicCore *core);

/* ioat_nic_rsc.c */
void ioat_nic_rsc_init(IoatNicCore *core);
void ioat_nic_rsc_unrealize(IoatNicCore *core);
void ioat_nic_rsc_uninit(IoatNicCore *core);
void ioat_nic_rsc_reset(IoatNicCore *core);
void ioat_nic_rsc_vm_stopped(IoatNicCore *core);
void ioat_nic_rsc_close_due(IoatNicCore *core);
void ioat_nic_rsc_close_all(IoatNicCore *core, const char *why);
void ioat_nic_write_rscctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_rfctl(IoatNicCore *core, const IoatNicReg *reg,
                          unsigned n, hwaddr addr, uint32_t val);

/* ioat_nic_mbx.c */
uint32_t ioat_nic_read_pfmailbox(IoatNicCore *core, const IoatNicReg *reg,
                                 unsigned n, hwaddr addr);
void ioat_nic_write_pfmailbox(IoatNicCore *core, const IoatNicReg *reg,
                              unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_pfmbmem(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_ctrl_ext(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val);
bool ioat_nic_core_vf_is_mbx(hwaddr addr);
uint32_t ioat_nic_core_vf_mbx_read(IoatNicCore *core, unsigned vf,
                                   hwaddr addr);
void ioat_nic_core_vf_mbx_write(IoatNicCore *core, unsigned vf, hwaddr addr,
                                uint32_t val);

/* ioat_nic_vfregs.c */
void ioat_nic_vf_mailbox_cause(IoatNicCore *core, unsigned vf);
void ioat_nic_vf_intr_realize(IoatNicCore *core);
void ioat_nic_vf_intr_unrealize(IoatNicCore *core);
void ioat_nic_vf_intr_finalize(IoatNicCore *core);
void ioat_nic_vf_intr_post_load(IoatNicCore *core);
void ioat_nic_vf_intr_reset(IoatNicCore *core);
uint32_t ioat_nic_read_vflre(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr);
void ioat_nic_write_vflrec(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);
bool ioat_nic_rx_enabled(IoatNicCore *core);
ssize_t ioat_nic_rx_frame(IoatNicCore *core, const struct iovec *iov,
                          int iovcnt, bool loopback);
void ioat_nic_write_rxctrl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_rdt(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_rxdctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);

void ioat_nic_rx_frame_from_pool(IoatNicCore *core, const struct iovec *iov,
                                 int iovcnt, uint64_t pools);

/* ioat_nic_pool.c */
bool ioat_nic_rar_match(IoatNicCore *core, unsigned n, const uint8_t *addr);
bool ioat_nic_hash_hit(IoatNicCore *core, hwaddr table, const uint8_t *dst);
bool ioat_nic_vt_enabled(IoatNicCore *core);
unsigned ioat_nic_pool_qpp_vt(IoatNicCore *core, bool tx);
unsigned ioat_nic_num_pools(IoatNicCore *core, bool tx);
int ioat_nic_pool_queue_vf(IoatNicCore *core, unsigned q, bool tx);

/*
 * Queues per pool from MRQC.MRQE (receive) or MTQC (transmit); 0: none.
 * Without VT_CTL.VT_EN, the common case, answered here: every frame asks.
 */
static inline unsigned ioat_nic_pool_qpp(IoatNicCore *core, bool tx)
{
    if (!FIELD_EX32(core->mac[R_VT_CTL], VT_CTL, VT_EN)) {
        return 0;
    }
    return ioat_nic_pool_qpp_vt(core, tx);
}

/* The VF that owns queue @q, or -1: the PF's */
static inline int ioat_nic_queue_vf(IoatNicCore *core, unsigned q, bool tx)
{
    if (!FIELD_EX32(core->mac[R_VT_CTL], VT_CTL, VT_EN)) {
        return -1;
    }
    return ioat_nic_pool_queue_vf(core, q, tx);
}
PCIDevice *ioat_nic_queue_dev(IoatNicCore *core, unsigned q, bool tx);
uint64_t ioat_nic_rx_pools(IoatNicCore *core, const uint8_t *frame,
                           bool tagged, int src_pool);
unsigned ioat_nic_pool_queue(IoatNicCore *core, unsigned pool, uint32_t hash);
bool ioat_nic_queue_drops(IoatNicCore *core, unsigned q);
void ioat_nic_pool_count_rx(IoatNicCore *core, unsigned pool, size_t octets,
                            bool multicast);
void ioat_nic_pool_count_tx(IoatNicCore *core, unsigned pool, size_t octets);
bool ioat_nic_pool_tx_allowed(IoatNicCore *core, unsigned pool,
                              const uint8_t *frame, size_t len);
unsigned ioat_nic_pool_vlan_action(IoatNicCore *core, unsigned pool,
                                   uint16_t *tci);
bool ioat_nic_pool_switch(IoatNicCore *core, unsigned pool,
                          const uint8_t *frame, size_t len);
void ioat_nic_write_pfvfte(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_pfqde(IoatNicCore *core, const IoatNicReg *reg,
                          unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_pfqde(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr);
void ioat_nic_write_mrqc(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val);
uint32_t ioat_nic_read_pool_stat(IoatNicCore *core, const IoatNicReg *reg,
                                 unsigned n, hwaddr addr);
void ioat_nic_vf_queue_event(IoatNicCore *core, unsigned vf, unsigned k,
                             bool tx);

/* ioat_nic_tx.c */
void ioat_nic_tx_init(IoatNicCore *core);
void ioat_nic_tx_uninit(IoatNicCore *core);
void ioat_nic_tx_finalize(IoatNicCore *core);
void ioat_nic_tx_reset(IoatNicCore *core);
void ioat_nic_tx_resume(IoatNicCore *core);
void ioat_nic_write_tdt(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_txdctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val);
void ioat_nic_write_dmatxctl(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val);

#endif
