/*
 * Intel 82599 (ioat-nic): what a VF's BAR0 reaches in the PF's core
 *
 * VFCTRL (software reset), VFSTATUS and VFLINKS (the PF's), the VF's
 * interrupt registers (VTEICR, VTEICS, VTEIMS, VTEIMC, VTEIAC, VTEIAM,
 * VTIVAR, VTIVAR_MISC, VTEITR) and the mailbox (ioat_nic_mbx.c).  A VF's
 * causes go to its own MSI-X vectors (0-2), never to the PF's EICR, each
 * vector at most once per VTEITR interval.  A
 * function level reset of a VF is reported to the PF in VFLRE with
 * EICR.MAILBOX.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie_sriov.h"
#include "ioat_nic_int.h"
#include "trace.h"

/* VF BAR0 offsets */
#define VFCTRL              0x0000
#define VFCTRL_RST          BIT(26)
#define VFSTATUS            0x0008
#define VFLINKS             0x0010
#define VTEICR              0x0100
#define VTEICS              0x0104
#define VTEIMS              0x0108
#define VTEIMC              0x010c
#define VTEIAC              0x0110
#define VTEIAM              0x0114
#define VTIVAR(i)           (0x0120 + 4 * (i))
#define VTIVAR_MISC         0x0140
#define VTEITR(v)           (0x0820 + 4 * (v))
#define VFPSRTYPE           0x0300
/* The pool's queues k = 0..7, laid out as the PF's queue blocks */
#define VFRXQ(k)            (0x1000 + IOAT_NIC_QUEUE_STRIDE * (k))
#define VFTXQ(k)            (0x2000 + IOAT_NIC_QUEUE_STRIDE * (k))
#define VF_QUEUE_BLOCKS     8
/* The pool's counters, inside queue block 0 */
#define VFGPRC              0x101c
#define VFGORC_LSB          0x1020
#define VFGORC_MSB          0x1024
#define VFMPRC              0x1034
#define VFGPTC              0x201c
#define VFGOTC_LSB          0x2020
#define VFGOTC_MSB          0x2024

#define VF_CAUSES           MAKE_64BIT_MASK(0, IOAT_NIC_VF_MSIX_VECTORS)
#define VTIVAR_ENTRY_VALID  BIT(7)
#define VTIVAR_ENTRY_VECTOR 0x3
#define VTIVAR_MASK         0x83838383u

/* VTEITR's interval: bits 11:3 in 2 us units, as the PF's EITR */
static int64_t ioat_nic_vf_eitr_ns(IoatNicVfIntr *vi, unsigned v)
{
    return ((vi->eitr[v] & IOAT_NIC_EITR_ITR_MASK) >> 3) * 2000;
}

/*
 * VF @vf's unmasked causes go out as messages, each vector at most once
 * per VTEITR interval (7.3.2.1): a cause within the interval waits for
 * its end, when the VF's timer comes back.
 */
static void ioat_nic_vf_fire(IoatNicCore *core, unsigned vf)
{
    IoatNicVfIntr *vi = &core->vf_intr[vf];
    IoatNicVfEitr *ve = &core->vf_eitr[vf];
    PCIDevice *d = pcie_sriov_get_vf_at_index(core->owner, vf);
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), wake = INT64_MAX;

    if (!d || !msix_enabled(d) || ioat_nic_gone(core)) {
        return;
    }
    for (unsigned v = 0; v < IOAT_NIC_VF_MSIX_VECTORS; v++) {
        if (!(vi->eicr & vi->eims & BIT(v))) {
            continue;
        }
        if (now < ve->next_ns[v]) {
            trace_ioat_nic_vf_irq_throttled(vf, v);
            wake = MIN(wake, ve->next_ns[v]);
            continue;
        }
        trace_ioat_nic_vf_irq(vf, v, vi->eicr);
        msix_notify(d, v);
        if (ioat_nic_gone(core)) {
            return;     /* the message unplugged us */
        }
        ve->next_ns[v] = now + ioat_nic_vf_eitr_ns(vi, v);
        if (vi->eiac & BIT(v)) {
            vi->eicr &= ~BIT(v);
        }
        if (vi->eiam & BIT(v)) {
            vi->eims &= ~BIT(v);
        }
    }
    if (wake != INT64_MAX) {
        timer_mod(ve->timer, wake);
    }
}

static void ioat_nic_vf_eitr_expired(void *opaque)
{
    IoatNicVfEitr *ve = opaque;

    ioat_nic_vf_fire(ve->core, ve->vf);
}

void ioat_nic_vf_intr_realize(IoatNicCore *core)
{
    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        core->vf_eitr[vf].core = core;
        core->vf_eitr[vf].vf = vf;
        core->vf_eitr[vf].timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                               ioat_nic_vf_eitr_expired,
                                               &core->vf_eitr[vf]);
    }
}

void ioat_nic_vf_intr_unrealize(IoatNicCore *core)
{
    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        timer_del(core->vf_eitr[vf].timer);
    }
}

void ioat_nic_vf_intr_finalize(IoatNicCore *core)
{
    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        timer_free(core->vf_eitr[vf].timer);
        core->vf_eitr[vf].timer = NULL;
    }
}

/*
 * After a migration: causes that wait for an interval end get their timer
 * (any other unmasked cause went out on the source as it was raised).
 */
void ioat_nic_vf_intr_post_load(IoatNicCore *core)
{
    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        IoatNicVfIntr *vi = &core->vf_intr[vf];
        IoatNicVfEitr *ve = &core->vf_eitr[vf];
        int64_t wake = INT64_MAX;

        for (unsigned v = 0; v < IOAT_NIC_VF_MSIX_VECTORS; v++) {
            if (vi->eicr & vi->eims & BIT(v)) {
                wake = MIN(wake, ve->next_ns[v]);
            }
        }
        if (wake != INT64_MAX) {
            timer_mod(ve->timer, wake);
        }
    }
}

/* Machine or PF reset: no interval runs. */
void ioat_nic_vf_intr_reset(IoatNicCore *core)
{
    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        timer_del(core->vf_eitr[vf].timer);
        memset(core->vf_eitr[vf].next_ns, 0,
               sizeof(core->vf_eitr[vf].next_ns));
    }
}

/* A cause routed by a VTIVAR entry (bit 7 valid, bits 1:0 the vector). */
static void ioat_nic_vf_raise(IoatNicCore *core, unsigned vf, uint8_t entry)
{
    unsigned v = entry & VTIVAR_ENTRY_VECTOR;

    if (!(entry & VTIVAR_ENTRY_VALID)) {
        return;
    }
    if (v >= IOAT_NIC_VF_MSIX_VECTORS) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_vf_ivar_vector,
                           "VF %u: VTIVAR entry 0x%02x names vector %u of "
                           "the VF's %u", vf, entry, v,
                           IOAT_NIC_VF_MSIX_VECTORS);
        return;
    }
    core->vf_intr[vf].eicr |= BIT(v);
    ioat_nic_vf_fire(core, vf);
}

/* Queue @k of VF @vf: VTIVAR(k / 2), RX or TX entry of queue k % 2 */
void ioat_nic_vf_queue_event(IoatNicCore *core, unsigned vf, unsigned k,
                             bool tx)
{
    if (k >= 2 * ARRAY_SIZE(core->vf_intr[vf].ivar)) {
        return;
    }
    trace_ioat_nic_vf_queue_event(vf, k, tx);
    ioat_nic_vf_raise(core, vf,
                      core->vf_intr[vf].ivar[k / 2] >> ((k & 1) * 16 + tx * 8));
}

void ioat_nic_vf_mailbox_cause(IoatNicCore *core, unsigned vf)
{
    ioat_nic_vf_raise(core, vf, core->vf_intr[vf].ivar_misc);
}

/* VFCTRL.RST: the VF's interrupt registers; it lets go of the buffer. */
static void ioat_nic_vf_soft_reset(IoatNicCore *core, unsigned vf)
{
    trace_ioat_nic_vf_reset(vf, "VFCTRL.RST");
    memset(&core->vf_intr[vf], 0, sizeof(core->vf_intr[vf]));
    timer_del(core->vf_eitr[vf].timer);
    memset(core->vf_eitr[vf].next_ns, 0, sizeof(core->vf_eitr[vf].next_ns));
    *ioat_nic_regp(core, IOAT_NIC_PFMAILBOX(vf)) &= ~IOAT_NIC_PFMAILBOX_VFU;
    /* The pool's queues stop (7.10.2.8.1). */
    for (unsigned k = 0; k < ioat_nic_pool_qpp(core, false); k++) {
        unsigned q = vf * ioat_nic_pool_qpp(core, false) + k;

        *ioat_nic_regp(core, IOAT_NIC_RXDCTL(q)) &= ~R_RXDCTL_ENABLE_MASK;
    }
    for (unsigned k = 0; k < ioat_nic_pool_qpp(core, true); k++) {
        unsigned q = vf * ioat_nic_pool_qpp(core, true) + k;

        *ioat_nic_regp(core, IOAT_NIC_TXDCTL(q)) &= ~R_TXDCTL_ENABLE_MASK;
    }
}

/* Any reset of the VF function: VFE changes, FLR, machine reset. */
void ioat_nic_core_vf_reset(IoatNicCore *core, unsigned vf)
{
    assert(vf < IOAT_NIC_NUM_VFS);
    ioat_nic_vf_soft_reset(core, vf);
    core->vf_mbx[vf] &= IOAT_NIC_VFMAILBOX_RSTD;
}

/* A guest's FLR of VF @vf: the PF learns it from VFLRE and EICR.MAILBOX. */
void ioat_nic_core_vf_flr(IoatNicCore *core, unsigned vf)
{
    assert(vf < IOAT_NIC_NUM_VFS);
    trace_ioat_nic_vf_reset(vf, "FLR");
    core->vflre |= BIT_ULL(vf);
    ioat_nic_raise_other(core, R_EICR_MAILBOX_MASK);
}

/* VFLRE0/VFLREC0: VFs 0-31; VFLRE1/VFLREC1: VFs 32-63 */
static unsigned ioat_nic_vflre_shift(hwaddr addr)
{
    return addr == A_VFLRE1 || addr == A_VFLREC1 ? 32 : 0;
}

uint32_t ioat_nic_read_vflre(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr)
{
    return core->vflre >> ioat_nic_vflre_shift(addr);
}

void ioat_nic_write_vflrec(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    core->vflre &= ~((uint64_t)val << ioat_nic_vflre_shift(addr));
}

/* Registers of a queue block a VF reaches (offsets from the block) */
static bool ioat_nic_vf_queue_off(bool tx, hwaddr off)
{
    static const uint8_t rx_regs[] = {
        IOAT_NIC_RXQ_OFF_RDBAL, IOAT_NIC_RXQ_OFF_RDBAH, IOAT_NIC_RXQ_OFF_RDLEN,
        IOAT_NIC_RXQ_OFF_DCA_RXCTRL, IOAT_NIC_RXQ_OFF_RDH,
        IOAT_NIC_RXQ_OFF_SRRCTL, IOAT_NIC_RXQ_OFF_RDT,
        IOAT_NIC_RXQ_OFF_RXDCTL, IOAT_NIC_RXQ_OFF_RSCCTL,
    };
    static const uint8_t tx_regs[] = {
        IOAT_NIC_TXQ_OFF_TDBAL, IOAT_NIC_TXQ_OFF_TDBAH, IOAT_NIC_TXQ_OFF_TDLEN,
        IOAT_NIC_TXQ_OFF_DCA_TXCTRL, IOAT_NIC_TXQ_OFF_TDH,
        IOAT_NIC_TXQ_OFF_TDT, IOAT_NIC_TXQ_OFF_TXDCTL,
        IOAT_NIC_TXQ_OFF_TDWBAL, IOAT_NIC_TXQ_OFF_TDWBAH,
    };
    const uint8_t *regs = tx ? tx_regs : rx_regs;

    for (unsigned i = 0; i < ARRAY_SIZE(rx_regs); i++) {
        if (regs[i] == off) {
            return true;
        }
    }
    return false;
}

/*
 * VF @vf's queue register at @addr is the PF's register of queue
 * vf * qpp + k (7.10.2.3); its PF offset, 0 where the VF has no queue k
 * (k >= queues per pool, or no pools): those read 0, writes are dropped.
 * False: @addr is not a queue register.
 */
static bool ioat_nic_vf_queue_reg(IoatNicCore *core, unsigned vf,
                                  hwaddr addr, hwaddr *pf_addr)
{
    bool tx = addr >= VFTXQ(0);
    hwaddr rel = addr - (tx ? VFTXQ(0) : VFRXQ(0));
    unsigned k = rel / IOAT_NIC_QUEUE_STRIDE, qpp, q;

    if (addr < VFRXQ(0) || addr >= VFTXQ(VF_QUEUE_BLOCKS) ||
        (!tx && addr >= VFRXQ(VF_QUEUE_BLOCKS)) ||
        !ioat_nic_vf_queue_off(tx, rel % IOAT_NIC_QUEUE_STRIDE)) {
        return false;
    }
    qpp = ioat_nic_pool_qpp(core, tx);
    if (k >= qpp) {
        /* No pools at all: VT_EN off, or no pool mode in MRQC/MTQC. */
        const char *rule = qpp ? (tx ? "MTQC" : "MRQC.MRQE")
                               : (tx ? "PFVTCTL.VT_EN, MTQC.VT_ENA"
                                     : "PFVTCTL.VT_EN, MRQC.MRQE");

        IOAT_NIC_GUEST_ERR(ioat_nic_err_vf_queue,
                           "VF %u: %s queue register 0x%04" PRIx64
                           " of queue %u, but the pool has %u queues "
                           "(%s); reads 0, writes ignored", vf,
                           tx ? "TX" : "RX", (uint64_t)addr, k, qpp, rule);
        *pf_addr = 0;
        return true;
    }
    q = vf * qpp + k;
    *pf_addr = (tx ? IOAT_NIC_TXQ_BASE(q) : IOAT_NIC_RXQ_BASE(q)) +
               rel % IOAT_NIC_QUEUE_STRIDE;
    return true;
}

/* The pool's own counters (7.10.3.12): they wrap and never clear */
static bool ioat_nic_vf_stat(IoatNicCore *core, unsigned vf, hwaddr addr,
                             uint32_t *val)
{
    IoatNicPoolStats *st = &core->pool_stats[vf];

    switch (addr) {
    case VFGPRC:
        *val = st->gprc;
        return true;
    case VFGORC_LSB:
        *val = st->gorc;
        return true;
    case VFGORC_MSB:
        *val = st->gorc >> 32;
        return true;
    case VFMPRC:
        *val = st->mprc;
        return true;
    case VFGPTC:
        *val = st->gptc;
        return true;
    case VFGOTC_LSB:
        *val = st->gotc;
        return true;
    case VFGOTC_MSB:
        *val = st->gotc >> 32;
        return true;
    }
    return false;
}

bool ioat_nic_core_vf_read(IoatNicCore *core, unsigned vf, hwaddr addr,
                           uint32_t *val)
{
    hwaddr pf_addr;

    IoatNicVfIntr *vi = &core->vf_intr[vf];

    assert(vf < IOAT_NIC_NUM_VFS);
    if (ioat_nic_core_vf_is_mbx(addr)) {
        *val = ioat_nic_core_vf_mbx_read(core, vf, addr);
        return true;
    }
    if (ioat_nic_vf_stat(core, vf, addr, val)) {
        return true;
    }
    if (ioat_nic_vf_queue_reg(core, vf, addr, &pf_addr)) {
        *val = pf_addr ? ioat_nic_core_read(core, pf_addr, 4) : 0;
        return true;
    }
    switch (addr) {
    case VFCTRL:
    case VTEIMC:
        *val = 0;
        return true;
    case VFSTATUS:
        *val = ioat_nic_read_status(core, NULL, 0, A_STATUS);
        return true;
    case VFLINKS:
        *val = core->mac[R_LINKS];
        return true;
    case VTEICR:                    /* a read clears the causes */
        *val = vi->eicr;
        vi->eicr = 0;
        return true;
    case VTEICS:
        *val = vi->eicr;
        return true;
    case VTEIMS:
        *val = vi->eims;
        return true;
    case VTEIAC:
        *val = vi->eiac;
        return true;
    case VTEIAM:
        *val = vi->eiam;
        return true;
    case VTIVAR(0) ... VTIVAR(3):
        *val = vi->ivar[(addr - VTIVAR(0)) / 4];
        return true;
    case VTIVAR_MISC:
        *val = vi->ivar_misc;
        return true;
    case VTEITR(0) ... VTEITR(IOAT_NIC_VF_MSIX_VECTORS - 1):
        *val = vi->eitr[(addr - VTEITR(0)) / 4];
        return true;
    case VFPSRTYPE:
        *val = ioat_nic_reg(core, IOAT_NIC_PSRTYPE(vf));
        return true;
    }
    return false;
}

bool ioat_nic_core_vf_write(IoatNicCore *core, unsigned vf, hwaddr addr,
                            uint32_t val)
{
    IoatNicVfIntr *vi = &core->vf_intr[vf];
    uint32_t dummy;
    hwaddr pf_addr;

    assert(vf < IOAT_NIC_NUM_VFS);
    if (ioat_nic_core_vf_is_mbx(addr)) {
        ioat_nic_core_vf_mbx_write(core, vf, addr, val);
        return true;
    }
    if (ioat_nic_vf_stat(core, vf, addr, &dummy)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_vf_ro_write,
                           "VF %u: counter 0x%04" HWADDR_PRIx " is "
                           "read-only; 0x%08" PRIx32 " ignored", vf, addr, val);
        return true;
    }
    if (ioat_nic_vf_queue_reg(core, vf, addr, &pf_addr)) {
        if (pf_addr) {
            ioat_nic_core_write(core, pf_addr, val, 4);
        }
        return true;
    }
    switch (addr) {
    case VFCTRL:
        if (val & VFCTRL_RST) {
            ioat_nic_vf_soft_reset(core, vf);
        }
        return true;
    case VTEICR:
        vi->eicr &= ~val;
        return true;
    case VTEICS:
        vi->eicr |= val & VF_CAUSES;
        ioat_nic_vf_fire(core, vf);
        return true;
    case VTEIMS:
        vi->eims |= val & VF_CAUSES;
        ioat_nic_vf_fire(core, vf);
        return true;
    case VTEIMC:
        vi->eims &= ~val;
        return true;
    case VTEIAC:
        vi->eiac = val & VF_CAUSES;
        return true;
    case VTEIAM:
        vi->eiam = val & VF_CAUSES;
        return true;
    case VTIVAR(0) ... VTIVAR(3):
        vi->ivar[(addr - VTIVAR(0)) / 4] = val & VTIVAR_MASK;
        return true;
    case VTIVAR_MISC:
        vi->ivar_misc = val & (VTIVAR_ENTRY_VALID | VTIVAR_ENTRY_VECTOR);
        return true;
    case VFPSRTYPE:
        ioat_nic_core_write(core, IOAT_NIC_PSRTYPE(vf), val, 4);
        return true;
    case VTEITR(0) ... VTEITR(IOAT_NIC_VF_MSIX_VECTORS - 1): {
        unsigned v = (addr - VTEITR(0)) / 4;

        vi->eitr[v] = val & IOAT_NIC_EITR_RW;
        if (val & IOAT_NIC_EITR_LLI_MOD) {
            ioat_nic_lli_moderation_unimp(core, "VTEITR", v, addr, val);
        }
        /* As the PF's EITR: CNT_WDIS clear ends the running interval. */
        if (!(val & IOAT_NIC_EITR_CNT_WDIS)) {
            core->vf_eitr[vf].next_ns[v] = 0;
            ioat_nic_vf_fire(core, vf);
        }
        return true;
    }
    }
    return false;
}
