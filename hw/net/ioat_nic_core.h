/*
 * Intel 82599 10 GbE controller (ioat-nic): device core
 *
 * Everything the guest sees through BAR0 lives behind this interface;
 * ioat_nic.c is the PCI, QOM and net-client glue.
 *   ioat_nic_core.c   reset, EEPROM, link, BAR0 access, migration
 *   ioat_nic_regs.c   the register map: every register as data
 *   ioat_nic_intr.c   interrupt causes, masks, vectors and moderation
 *   ioat_nic_rx.c     receive: filters, queue selection, write-back
 *   ioat_nic_rsc.c    receive side coalescing of TCP segments
 *   ioat_nic_tx.c     transmit: descriptors, offloads, loopback
 * ioat_nic_int.h is what those files share among themselves.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_CORE_H
#define HW_NET_IOAT_NIC_CORE_H

#include "exec/hwaddr.h"
#include "hw/ioat/ioat_window.h"
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

/* One Flow Director filter (7.1.2.7) */
typedef struct IoatNicFdirFilter {
    uint32_t cmd;               /* the FDIRCMD that added it */
    uint16_t bucket;            /* FDIRHASH.HASH & the table's bucket mask */
    uint16_t id;                /* signature, or software index (perfect) */
    /* Perfect filters: the fields latched at ADD, as the registers hold them */
    uint32_t src_ip[4];         /* FDIRSIPv6(0..2), FDIRIPSA */
    uint32_t dst_ip;            /* FDIRIPDA */
    uint32_t port;              /* FDIRPORT */
    uint32_t vlan_flex;         /* FDIRVLAN */
} IoatNicFdirFilter;

typedef struct IoatNicFdir {
    IoatNicFdirFilter *filter;  /* nfilter in use, in no particular order */
    int32_t nfilter;
    int32_t alloc;              /* entries allocated at filter and next */
    int32_t *next;              /* per filter: the next in its bucket */
    int32_t *head;              /* per bucket: its first filter, or -1 */
} IoatNicFdir;

/*
 * Faults armed at run time through the device's fault-* properties
 * (docs/fault-injection.md): each count is the next N events it hits.
 */
typedef struct IoatNicFaults {
    uint32_t rx_crc;            /* received frames that fail the FCS check */
    uint32_t rx_length;         /* received frames with a length error */
    uint32_t rx_checksum;       /* received frames with a checksum error */
    uint32_t msix_lost;         /* MSI-X messages lost on the way */
    uint32_t tx_hang;           /* transmit stuck until this many resets */
    uint32_t link_flap;         /* link down-up cycles still to come */
    bool flap_down;             /* in the down half of one */
    bool removed;               /* surprise removal: gone from the bus */
    uint32_t rx_late_wb;        /* received frames written back late */
    uint32_t rx_late_wb_ms;     /* by this many milliseconds */
} IoatNicFaults;

#define IOAT_NIC_RX_LATE_WB_DEFAULT_MS  100
#define IOAT_NIC_RX_LATE_WB_MAX_MS      10000

/* A frame takes at most 16 KiB / 1 KiB buffers (SRRCTL.BSIZEPKT). */
#define IOAT_NIC_RX_MAX_FRAME_DESC  16

/* One receive descriptor's write-back, as it goes to memory */
typedef struct IoatNicRxWb {
    uint64_t addr;
    uint64_t lo;                /* advanced: DW0 and DW1 */
    uint64_t hi;                /* status, errors, length, VLAN tag */
    bool legacy;                /* only @hi, at addr + 8 (7.1.5) */
} IoatNicRxWb;

/* fault-rx-late-writeback: one frame's write-back on its way */
typedef struct IoatNicRxLateWb {
    QEMUTimer *timer;
    unsigned queue;
    bool lli;
    unsigned ndesc;             /* 0: none held */
    IoatNicRxWb desc[IOAT_NIC_RX_MAX_FRAME_DESC];
} IoatNicRxLateWb;

/* One VF's interrupt registers: bit v of each is the VF's vector v */
typedef struct IoatNicVfIntr {
    uint32_t eicr;
    uint32_t eims;
    uint32_t eiac;
    uint32_t eiam;
    uint32_t ivar[4];           /* RX/TX queues 2i, 2i+1 */
    uint32_t ivar_misc;         /* the mailbox cause */
    uint32_t eitr[IOAT_NIC_VF_MSIX_VECTORS];
} IoatNicVfIntr;

/* A pool's counters (PVFGPRC...), 36-bit octet counts */
typedef struct IoatNicPoolStats {
    uint32_t gprc;
    uint32_t mprc;
    uint32_t gptc;
    uint64_t gorc;
    uint64_t gotc;
} IoatNicPoolStats;

/*
 * One VF's interrupt moderation (VTEITR): when each vector may send again,
 * and the timer that comes back for causes waiting until then
 */
typedef struct IoatNicVfEitr {
    struct IoatNicCore *core;
    unsigned vf;
    QEMUTimer *timer;
    int64_t next_ns[IOAT_NIC_VF_MSIX_VECTORS];
} IoatNicVfEitr;

typedef struct IoatNicCore {
    /* Register storage, indexed by BAR0 offset / 4 (ioat_nic_regs.c) */
    uint32_t mac[IOAT_NIC_MAC_WORDS];
    uint16_t eeprom[IOAT_NIC_EEPROM_WORDS];
    uint8_t permanent_mac[ETH_ALEN];

    /* Extended interrupt causes and mask of the 64 queue vectors (7.3.1) */
    uint64_t qcause;
    uint64_t qmask;
    QEMUTimer *eitr_timer[IOAT_NIC_MSIX_VECTORS];
    bool eitr_pending[IOAT_NIC_MSIX_VECTORS];
    bool intx_level;
    /* Looks for a lost backend peer's return (ioat_nic_link_check()) */
    QEMUTimer *link_timer;
    QEMUTimer *flap_timer;      /* fault-link-flap */

    /* 36-bit counters behind their L/H register pairs */
    uint64_t gorc, gotc, tor;
    uint64_t rxdgbc, txdgbc;    /* the DMA's byte counts */
    uint64_t qbrc[IOAT_NIC_NUM_STAT_QUEUES];
    uint64_t qbtc[IOAT_NIC_NUM_STAT_QUEUES];

    IoatNicTxQueue txq[IOAT_NIC_NUM_QUEUES];
    IoatWindow rx_dma[IOAT_NIC_NUM_QUEUES];
    IoatWindow tx_dma[IOAT_NIC_NUM_QUEUES];
    /* Queues with descriptors left after a bounded pass, and its BH */
    DECLARE_BITMAP(tx_pending, IOAT_NIC_NUM_QUEUES);
    QEMUBH *tx_bh;
    /*
     * The backend took no more frames: transmit waits until it drains and
     * calls tx_sent (the glue's callback; not migrated, see tx_resume).
     */
    bool tx_held;
    /*
     * Property pad-short-frames: frames under 60 bytes are padded as
     * QEMU's NICs do, instead of counted as runts and dropped.
     */
    bool pad_short_frames;
    /* Transmit waits for the link (ioat_nic_core_set_link_status()) */
    bool tx_link_wait;
    NetPacketSent *tx_sent;
    struct NetRxPkt *rx_pkt;
    /*
     * The frame being received, with room for its CRC; a receive nested in
     * one (a DMA write that hits this device) allocates its own
     */
    uint8_t *rx_scratch;
    bool rx_scratch_busy;
    /*
     * The backend was told no (can_receive, or a frame held for want of
     * descriptors) since the last flush: it may hold frames for us
     */
    bool rx_refused;
    IoatNicFdir fdir;
    /* 5-tuple filters in use (FTQF.QUEUE_EN or L34T_IMIR.LLI) */
    DECLARE_BITMAP(five_tuple_on, IOAT_NIC_NUM_FIVE_TUPLE);
    IoatNicFaults fault;        /* not migrated: the host's doing */
    IoatNicRxLateWb rx_late;    /* written back when the VM stops */
    struct IoatNicRsc *rsc;     /* coalescing contexts (ioat_nic_rsc.c) */

    /* VF n's VFMAILBOX bits PFSTS, PFACK, RSTD (ioat_nic_mbx.c) */
    uint8_t vf_mbx[IOAT_NIC_NUM_VFS];
    /* VF n's interrupt registers, VFs with an FLR (ioat_nic_vfregs.c) */
    IoatNicVfIntr vf_intr[IOAT_NIC_NUM_VFS];
    uint64_t vflre;
    IoatNicVfEitr vf_eitr[IOAT_NIC_NUM_VFS];
    /* Pools (ioat_nic_pool.c): counters, PFQDE's per-queue drop enables */
    IoatNicPoolStats pool_stats[IOAT_NIC_NUM_POOLS];
    uint64_t qde[IOAT_NIC_NUM_QUEUES / 64];
    VMChangeStateEntry *vmstate_change;

    /*
     * Unimplemented offsets, and the first instance of registers stored
     * but not modelled, already reported with LOG_UNIMP
     */
    unsigned long *unimp_reported;

    PCIDevice *owner;
    NICState *nic;
} IoatNicCore;

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr);
void ioat_nic_core_unrealize(IoatNicCore *core);
void ioat_nic_core_finalize(IoatNicCore *core);
void ioat_nic_core_reset(IoatNicCore *core);
uint64_t ioat_nic_core_read(IoatNicCore *core, hwaddr addr, unsigned size);
void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val,
                         unsigned size);
void ioat_nic_core_set_link_status(IoatNicCore *core);
bool ioat_nic_core_can_receive(IoatNicCore *core);
void ioat_nic_core_set_tx_hang(IoatNicCore *core, uint32_t resets);
void ioat_nic_core_set_link_flap(IoatNicCore *core, uint32_t flaps);
void ioat_nic_tx_drained(IoatNicCore *core);
ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt);
int ioat_nic_core_post_load(IoatNicCore *core);

extern const VMStateDescription ioat_nic_core_vmstate;

/*
 * VF @vf's BAR0 as far as it is modelled (ioat_nic_vfregs.c): false for
 * an offset that is not.  VF resets and a guest's FLR of the VF.
 */
bool ioat_nic_core_vf_read(IoatNicCore *core, unsigned vf, hwaddr addr,
                           uint32_t *val);
bool ioat_nic_core_vf_write(IoatNicCore *core, unsigned vf, hwaddr addr,
                            uint32_t val);
void ioat_nic_core_vf_reset(IoatNicCore *core, unsigned vf);
void ioat_nic_core_vf_flr(IoatNicCore *core, unsigned vf);

#endif
