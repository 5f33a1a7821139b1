/*
 * Intel 82599 (ioat-nic): VMDq pools and what they mean for traffic
 *
 * With PFVTCTL.VT_EN and a pool mode in MRQC.MRQE the 128 queues form
 * pools (7.10.2): 64 pools of 2 queues (MRQE 0x8, 0xB), 32 of 4 (0xA,
 * 0xD) or 16 of 8 (0xC); MTQC does the same for transmit.  A pool whose
 * number is below the VFs enabled in the SR-IOV capability belongs to
 * that VF: its queues' DMA and interrupts go through the VF's function,
 * and the VF's BAR0 reaches them (ioat_nic_vfregs.c).
 *
 * Receive (7.10.3.3, 7.10.3.4): pools are chosen by destination address
 * (RAR + MPSAR, broadcast and multicast per VMOLR) and then by VLAN
 * (VLVF/VLVFB, untagged per VMOLR.AUPE), unmatched unicast under
 * FCTRL.UPE goes to the default pool, PFVFRE gates, and each pool gets
 * its copy on the queue RSS picks inside it (PSRTYPE.RQPL low bits of
 * the RETA entry).
 *
 * Transmit (7.10.3.9 - 7.10.3.11): PFVFTE gates a pool's queues, PFVMVIR
 * inserts or forbids its VLAN, PFVFSPOOF checks the source address and
 * VLAN (drops counted in SSVPC for pools in VMECM), and with
 * PFDTXGSWC.LBEN a frame addressed to another pool is switched inside
 * the device instead of going to the wire.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie_sriov.h"
#include "ioat_nic_int.h"
#include "trace.h"

#define PSRTYPE_RQPL_SHIFT  29
#define PSRTYPE_RQPL_LEN    3

bool ioat_nic_vt_enabled(IoatNicCore *core)
{
    return ioat_nic_pool_qpp(core, false);     /* 0 without VT_CTL.VT_EN */
}

/* ioat_nic_pool_qpp() with VT_CTL.VT_EN set */
unsigned ioat_nic_pool_qpp_vt(IoatNicCore *core, bool tx)
{
    if (tx) {
        if (!FIELD_EX32(core->mac[R_MTQC], MTQC, VT_ENA)) {
            return 0;
        }
        /* 01b: 64 pools, 10b: 32 pools, 11b: 16 pools (8.2.3.9.15) */
        switch (FIELD_EX32(core->mac[R_MTQC], MTQC, NUM_TC_OR_Q)) {
        case 1:
            return 2;
        case 2:
            return 4;
        case 3:
            return 8;
        }
        return 0;
    }
    switch (FIELD_EX32(core->mac[R_MRQC], MRQC, MRQE)) {
    case IOAT_NIC_MRQE_VMDQ:
    case IOAT_NIC_MRQE_VMDQ_RSS64:
        return 2;
    case IOAT_NIC_MRQE_VMDQ_RSS32:
    case IOAT_NIC_MRQE_VMDQ_DCB4:
        return 4;
    case IOAT_NIC_MRQE_VMDQ_DCB8:
        return 8;
    }
    return 0;
}

unsigned ioat_nic_num_pools(IoatNicCore *core, bool tx)
{
    unsigned qpp = ioat_nic_pool_qpp(core, tx);

    return qpp ? IOAT_NIC_NUM_QUEUES / qpp : 0;
}

/* ioat_nic_queue_vf() with VT_CTL.VT_EN set */
int ioat_nic_pool_queue_vf(IoatNicCore *core, unsigned q, bool tx)
{
    unsigned qpp = ioat_nic_pool_qpp(core, tx);

    if (!qpp || q / qpp >= pcie_sriov_num_vfs(core->owner)) {
        return -1;
    }
    return q / qpp;
}

/* The function whose bus-master address space queue @q's DMA uses */
PCIDevice *ioat_nic_queue_dev(IoatNicCore *core, unsigned q, bool tx)
{
    int vf = ioat_nic_queue_vf(core, q, tx);
    PCIDevice *d = vf < 0 ? NULL : pcie_sriov_get_vf_at_index(core->owner, vf);

    return d ? d : core->owner;
}

static uint64_t ioat_nic_pool_pair(IoatNicCore *core, hwaddr lo)
{
    return ioat_nic_reg(core, lo) | (uint64_t)ioat_nic_reg(core, lo + 4) << 32;
}

/* Pools whose VMOLR has all of @bits */
static uint64_t ioat_nic_vmolr_pools(IoatNicCore *core, uint32_t bits)
{
    uint64_t pools = 0;

    for (unsigned p = 0; p < IOAT_NIC_NUM_POOLS; p++) {
        if ((ioat_nic_reg(core, IOAT_NIC_VMOLR(p)) & bits) == bits) {
            pools |= BIT_ULL(p);
        }
    }
    return pools;
}

/* RAR @n holds address @addr and is valid (8.2.3.7.9, 8.2.3.7.10) */
bool ioat_nic_rar_match(IoatNicCore *core, unsigned n, const uint8_t *addr)
{
    uint32_t rah = ioat_nic_reg(core, IOAT_NIC_RAH(n));

    return (rah & R_RAH0_AV_MASK) &&
           ldl_le_p(addr) == ioat_nic_reg(core, IOAT_NIC_RAL(n)) &&
           lduw_le_p(addr + 4) == (rah & R_RAH0_ADDR_HI_MASK);
}

/* The 12 address bits MCSTCTRL.MO picks index MTA and UTA (8.2.3.7.7) */
bool ioat_nic_hash_hit(IoatNicCore *core, hwaddr table, const uint8_t *dst)
{
    static const unsigned shift[] = { 4, 3, 2, 0 };
    unsigned mo = FIELD_EX32(core->mac[R_MCSTCTRL], MCSTCTRL, MO);
    unsigned v = (lduw_le_p(dst + 4) >> shift[mo]) & 0xfff;

    return ioat_nic_reg(core, table + 4 * (v >> 5)) & BIT(v & 31);
}

/* MAC stage: pools by exact address (MPSAR), else by kind (VMOLR) */
static uint64_t ioat_nic_mac_pools(IoatNicCore *core, const uint8_t *dst,
                                   bool *exact)
{
    uint64_t pools = 0;

    *exact = false;
    if (is_broadcast_ether_addr(dst)) {
        return ioat_nic_vmolr_pools(core, R_VMOLR_BAM_MASK);
    }
    for (unsigned n = 0; n < IOAT_NIC_NUM_RAR; n++) {
        if (ioat_nic_rar_match(core, n, dst)) {
            *exact = true;
            pools |= ioat_nic_pool_pair(core, IOAT_NIC_MPSAR(2 * n));
        }
    }
    if (*exact) {
        return pools;
    }
    if (is_multicast_ether_addr(dst)) {
        pools = ioat_nic_vmolr_pools(core, R_VMOLR_MPE_MASK);
        if (ioat_nic_hash_hit(core, IOAT_NIC_MTA(0), dst)) {
            pools |= ioat_nic_vmolr_pools(core, R_VMOLR_ROMPE_MASK);
        }
        return pools;
    }
    if (ioat_nic_hash_hit(core, IOAT_NIC_UTA(0), dst)) {
        return ioat_nic_vmolr_pools(core, R_VMOLR_ROPE_MASK);
    }
    return 0;
}

/* The pools of the enabled VLVF entry for @vid; false: no such entry */
static bool ioat_nic_vlvf_pools(IoatNicCore *core, uint16_t vid,
                                uint64_t *pools)
{
    for (unsigned j = 0; j < IOAT_NIC_NUM_VLVF; j++) {
        uint32_t vlvf = ioat_nic_reg(core, IOAT_NIC_VLVF(j));

        if (FIELD_EX32(vlvf, VLVF, VIEN) &&
            FIELD_EX32(vlvf, VLVF, VID) == vid) {
            *pools = ioat_nic_pool_pair(core, IOAT_NIC_VLVFB(2 * j));
            return true;
        }
    }
    return false;
}

/* VLAN stage: a VLVF entry's pools, else the default pool */
static uint64_t ioat_nic_vlan_pools(IoatNicCore *core, bool tagged,
                                    uint16_t vid)
{
    uint64_t pools;

    if (!tagged) {
        return ioat_nic_vmolr_pools(core, R_VMOLR_AUPE_MASK);
    }
    if (ioat_nic_vlvf_pools(core, vid, &pools)) {
        return pools;
    }
    return BIT_ULL(FIELD_EX32(core->mac[R_VT_CTL], VT_CTL, DEF_PL));
}

/*
 * The pools a received frame goes to (7.10.3.3): @src_pool is the pool
 * that sent it when it is switched inside the device, or -1 from the
 * wire.  Only pools enabled in PFVFRE and existing in the mode.
 */
uint64_t ioat_nic_rx_pools(IoatNicCore *core, const uint8_t *frame,
                           bool tagged, int src_pool)
{
    uint32_t vt_ctl = core->mac[R_VT_CTL];
    unsigned npools = ioat_nic_num_pools(core, false);
    uint16_t vid = tagged ? lduw_be_p(frame + 14) & 0xfff : 0;
    bool exact, group = is_multicast_ether_addr(frame);
    uint64_t mac = ioat_nic_mac_pools(core, frame, &exact);
    uint64_t vlan = ioat_nic_vlan_pools(core, tagged, vid);
    uint64_t pools = mac & vlan;

    /* Unicast no pool claims: the default pool, if promiscuous. */
    if (src_pool < 0 && !group && !exact && !mac &&
        FIELD_EX32(core->mac[R_FCTRL], FCTRL, UPE) &&
        !FIELD_EX32(vt_ctl, VT_CTL, DIS_DEFPL)) {
        pools = BIT_ULL(FIELD_EX32(vt_ctl, VT_CTL, DEF_PL)) & vlan;
    }
    if (group && !FIELD_EX32(vt_ctl, VT_CTL, REPLEN) && pools) {
        pools &= -pools;                    /* no replication: one pool */
    }
    if (src_pool >= 0) {
        pools &= ~BIT_ULL(src_pool);        /* never back to the sender */
    }
    pools &= ioat_nic_pool_pair(core, IOAT_NIC_PFVFRE(0));
    if (npools < 64) {
        pools &= MAKE_64BIT_MASK(0, npools);
    }
    trace_ioat_nic_rx_pools(mac, vlan, pools);
    return pools;
}

/*
 * The queue of @pool for a frame with RSS hash @hash (0 when not hashed):
 * PSRTYPE.RQPL says how many low bits of the RETA entry count (7.10.3.5);
 * modes without RSS use the pool's first queue.
 */
unsigned ioat_nic_pool_queue(IoatNicCore *core, unsigned pool, uint32_t hash)
{
    unsigned qpp = ioat_nic_pool_qpp(core, false);
    unsigned mrqe = FIELD_EX32(core->mac[R_MRQC], MRQC, MRQE);
    unsigned rqpl, entry, idx = 0;

    if (mrqe == IOAT_NIC_MRQE_VMDQ_RSS32 || mrqe == IOAT_NIC_MRQE_VMDQ_RSS64) {
        rqpl = extract32(ioat_nic_reg(core, IOAT_NIC_PSRTYPE(pool)),
                         PSRTYPE_RQPL_SHIFT, PSRTYPE_RQPL_LEN);
        entry = hash & 0x7f;
        idx = extract32(ioat_nic_reg(core, IOAT_NIC_RETA(entry / 4)),
                        8 * (entry % 4), 4) & (MIN(BIT(rqpl), qpp) - 1);
    }
    return pool * qpp + idx;
}

/* PFQDE.ENABLE of queue @q, or SRRCTL.DROP_EN: drop when full (7.10.3.6) */
bool ioat_nic_queue_drops(IoatNicCore *core, unsigned q)
{
    return FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_SRRCTL(q)), SRRCTL,
                      DROP_EN) ||
           (core->qde[q / 64] & BIT_ULL(q % 64));
}

/* PFVFTE: a pool enabled again sends what its queues hold */
void ioat_nic_write_pfvfte(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    uint32_t old = ioat_nic_reg(core, addr);

    ioat_nic_reg_store(core, reg, addr, val);
    if (val & ~old && core->tx_bh) {
        ioat_nic_tx_resume(core);
    }
}

/* PFQDE: a write with WRITE set stores ENABLE for queue IDX (8.2.3.8.14) */
void ioat_nic_write_pfqde(IoatNicCore *core, const IoatNicReg *reg,
                          unsigned n, hwaddr addr, uint32_t val)
{
    unsigned q = FIELD_EX32(val, PFQDE, IDX);

    ioat_nic_reg_store(core, reg, addr, val);
    if (!FIELD_EX32(val, PFQDE, WRITE)) {
        return;
    }
    if (FIELD_EX32(val, PFQDE, ENABLE)) {
        core->qde[q / 64] |= BIT_ULL(q % 64);
    } else {
        core->qde[q / 64] &= ~BIT_ULL(q % 64);
    }
    trace_ioat_nic_qde(q, FIELD_EX32(val, PFQDE, ENABLE));
}

/* PFQDE reads back the last queue's setting (IDX, ENABLE) */
uint32_t ioat_nic_read_pfqde(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr)
{
    uint32_t val = core->mac[addr >> 2] & ~R_PFQDE_WRITE_MASK;
    unsigned q = FIELD_EX32(val, PFQDE, IDX);

    return FIELD_DP32(val, PFQDE, ENABLE, !!(core->qde[q / 64] &
                                             BIT_ULL(q % 64)));
}

/* MRQC: the pool modes with traffic classes need DCB, not modelled */
void ioat_nic_write_mrqc(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    unsigned mrqe = FIELD_EX32(val, MRQC, MRQE);

    ioat_nic_reg_store(core, reg, addr, val);
    switch (mrqe) {
    case 0:
    case IOAT_NIC_MRQE_RSS:
    case IOAT_NIC_MRQE_VMDQ:
    case IOAT_NIC_MRQE_VMDQ_RSS32:
    case IOAT_NIC_MRQE_VMDQ_RSS64:
        return;
    case IOAT_NIC_MRQE_DCB8_RSS:
    case IOAT_NIC_MRQE_DCB4_RSS:
    case IOAT_NIC_MRQE_VMDQ_DCB8:
    case IOAT_NIC_MRQE_VMDQ_DCB4:
        if (ioat_nic_report_unimp_once(core, addr)) {
            qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: MRQC.MRQE 0x%x: "
                          "traffic classes (DCB) are not modelled; the "
                          "first queue of each pool or of the device "
                          "receives\n", mrqe);
        }
        return;
    }
    IOAT_NIC_GUEST_ERR(ioat_nic_err_mrqe, "MRQC.MRQE 0x%x is reserved; "
                       "frames go to queue 0", mrqe);
}

/* Per-pool statistics (8.2.3.23.59-65): they wrap and reads never clear */
void ioat_nic_pool_count_rx(IoatNicCore *core, unsigned pool, size_t octets,
                            bool multicast)
{
    IoatNicPoolStats *s = &core->pool_stats[pool];

    s->gprc++;
    s->gorc = (s->gorc + octets) & MAKE_64BIT_MASK(0, 36);
    if (multicast) {
        s->mprc++;
    }
}

void ioat_nic_pool_count_tx(IoatNicCore *core, unsigned pool, size_t octets)
{
    IoatNicPoolStats *s = &core->pool_stats[pool];

    s->gptc++;
    s->gotc = (s->gotc + octets) & MAKE_64BIT_MASK(0, 36);
}

uint32_t ioat_nic_read_pool_stat(IoatNicCore *core, const IoatNicReg *reg,
                                 unsigned n, hwaddr addr)
{
    IoatNicPoolStats *s = &core->pool_stats[n];

    if (addr == IOAT_NIC_PVFGPRC(n)) {
        return s->gprc;
    } else if (addr == IOAT_NIC_PVFMPRC(n)) {
        return s->mprc;
    } else if (addr == IOAT_NIC_PVFGPTC(n)) {
        return s->gptc;
    } else if (addr == IOAT_NIC_PVFGORC_LSB(n)) {
        return s->gorc;
    } else if (addr == IOAT_NIC_PVFGORC_MSB(n)) {
        return s->gorc >> 32;
    } else if (addr == IOAT_NIC_PVFGOTC_LSB(n)) {
        return s->gotc;
    }
    return s->gotc >> 32;
}

/* SSVPC counts spoofed frames of pools in VMECM; reading clears it */
static void ioat_nic_spoofed(IoatNicCore *core, unsigned pool,
                             const char *what)
{
    trace_ioat_nic_tx_spoofed(pool, what);
    if (ioat_nic_pool_pair(core, IOAT_NIC_VMECM(0)) & BIT_ULL(pool)) {
        ioat_nic_stat_inc(core, A_SSVPC);
    }
}

/* MAC anti-spoofing: the source is a RAR of the pool (7.10.3.9.2) */
static bool ioat_nic_src_owned(IoatNicCore *core, const uint8_t *src,
                               unsigned pool)
{
    for (unsigned n = 0; n < IOAT_NIC_NUM_RAR; n++) {
        if (ioat_nic_rar_match(core, n, src) &&
            (ioat_nic_pool_pair(core, IOAT_NIC_MPSAR(2 * n)) &
             BIT_ULL(pool))) {
            return true;
        }
    }
    return false;
}

/* VLAN anti-spoofing: a tag the pool is a member of; untagged passes */
static bool ioat_nic_vlan_owned(IoatNicCore *core, uint16_t vid,
                                unsigned pool)
{
    uint64_t pools;

    return ioat_nic_vlvf_pools(core, vid, &pools) && (pools & BIT_ULL(pool));
}

/*
 * Transmit checks of @pool's frame (after any tag insertion): false when
 * anti-spoofing drops it.
 */
bool ioat_nic_pool_tx_allowed(IoatNicCore *core, unsigned pool,
                              const uint8_t *frame, size_t len)
{
    uint32_t spoof = ioat_nic_reg(core, IOAT_NIC_PFVFSPOOF(pool / 8));
    uint16_t vet = FIELD_EX32(core->mac[R_DMATXCTL], DMATXCTL, VT);
    bool tagged = len >= ETH_HLEN + 4 && lduw_be_p(frame + 12) == vet;

    if ((spoof & BIT(pool % 8)) &&
        !ioat_nic_src_owned(core, frame + ETH_ALEN, pool)) {
        ioat_nic_spoofed(core, pool, "source address");
        return false;
    }
    if ((spoof & BIT(8 + pool % 8)) && tagged &&
        !ioat_nic_vlan_owned(core, lduw_be_p(frame + 14) & 0xfff, pool)) {
        ioat_nic_spoofed(core, pool, "VLAN");
        return false;
    }
    return true;
}

/* PFVMVIR.VLANA: 01b always the pool's tag, 10b never a tag (8.2.3.27.13) */
unsigned ioat_nic_pool_vlan_action(IoatNicCore *core, unsigned pool,
                                   uint16_t *tci)
{
    uint32_t vmvir = ioat_nic_reg(core, IOAT_NIC_PFVMVIR(pool));

    *tci = FIELD_EX32(vmvir, PFVMVIR, TAG);
    return FIELD_EX32(vmvir, PFVMVIR, VLANA);
}

/*
 * Internal switching (7.10.3.10): with PFDTXGSWC.LBEN a frame from @pool
 * is offered to the other pools; it goes to the wire too unless it is
 * unicast to an address that belongs to another pool.
 */
bool ioat_nic_pool_switch(IoatNicCore *core, unsigned pool,
                          const uint8_t *frame, size_t len)
{
    uint16_t vet = FIELD_EX32(core->mac[R_VLNCTRL], VLNCTRL, VET);
    bool tagged = len >= ETH_HLEN + 4 && lduw_be_p(frame + 12) == vet;
    struct iovec iov = { .iov_base = (void *)frame, .iov_len = len };
    bool exact;
    uint64_t owners, pools;

    if (!FIELD_EX32(core->mac[R_PFDTXGSWC], PFDTXGSWC, LBEN)) {
        return true;
    }
    pools = ioat_nic_rx_pools(core, frame, tagged, pool);
    if (pools) {
        ioat_nic_rx_frame_from_pool(core, &iov, 1, pools);
    }
    if (is_multicast_ether_addr(frame)) {
        return true;
    }
    owners = ioat_nic_mac_pools(core, frame, &exact);
    return !(exact && (owners & ~BIT_ULL(pool)));
}
