/*
 * Intel 82599 10 GbE controller (ioat-nic): interrupts
 *
 * Extended interrupt causes and masks for the 64 MSI-X vectors, IVAR
 * mapping of queues to vectors, auto-clear and auto-mask, EITR
 * moderation, and the single-vector MSI and INTx modes (datasheet 7.3,
 * registers 8.2.3.5).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "ioat_nic_int.h"
#include "trace.h"

/* EICR bits 15:0 are the causes of vectors 0-15; the rest are "other". */
#define IOAT_NIC_EICR_OTHER     (~R_EICR_RTXQ_MASK)

static bool ioat_nic_msix_mode(IoatNicCore *core)
{
    return FIELD_EX32(core->mac[R_GPIE], GPIE, MSIX_MODE) &&
           msix_enabled(core->owner);
}

static uint32_t ioat_nic_eicr(IoatNicCore *core)
{
    return (core->mac[R_EICR] & IOAT_NIC_EICR_OTHER) |
           (core->qcause & R_EICR_RTXQ_MASK);
}

static uint32_t ioat_nic_eims(IoatNicCore *core)
{
    return (core->mac[R_EIMS] & IOAT_NIC_EICR_OTHER) |
           (core->qmask & R_EICR_RTXQ_MASK);
}

static unsigned ioat_nic_eitr_interval_ns(IoatNicCore *core, unsigned v)
{
    /* ITR interval in bits 11:3, in units of 2 us */
    return ((ioat_nic_reg(core, IOAT_NIC_EITR(v)) &
             IOAT_NIC_EITR_ITR_MASK) >> 3) * 2000;
}

/* Vector @v's message; an armed fault-msix-lost loses it on the way. */
static void ioat_nic_msix_send(IoatNicCore *core, unsigned v)
{
    if (ioat_nic_fault_hits(&core->fault.msix_lost)) {
        trace_ioat_nic_fault_msix_lost(v);
        return;
    }
    msix_notify(core->owner, v);
}

/*
 * Deliver vector @v now, or when its EITR interval ends; a low latency
 * interrupt (@now) does not wait for the interval (7.3.2.2).
 */
static void ioat_nic_msix_fire(IoatNicCore *core, unsigned v, bool now)
{
    uint64_t bit = 1ULL << v;
    unsigned interval;

    if (ioat_nic_gone(core)) {
        return;
    }
    if (timer_pending(core->eitr_timer[v]) && !now) {
        core->eitr_pending[v] = true;
        trace_ioat_nic_irq_throttled(v);
        return;
    }
    core->eitr_pending[v] = false;
    trace_ioat_nic_irq_msix(v, now);
    ioat_nic_msix_send(core, v);
    if (ioat_nic_gone(core)) {
        return;         /* the message unplugged us */
    }

    /* Auto-mask (GPIE.EIAME + EIAM) and auto-clear (EIAC; always >= 16). */
    if (FIELD_EX32(core->mac[R_GPIE], GPIE, EIAME) &&
        (deposit64(core->mac[R_EIAM_EX0], 32, 32, core->mac[R_EIAM_EX1]) &
         bit)) {
        core->qmask &= ~bit;
    }
    if (v >= 16 || (core->mac[R_EIAC] & bit)) {
        core->qcause &= ~bit;
    }

    interval = ioat_nic_eitr_interval_ns(core, v);
    if (interval) {
        timer_mod(core->eitr_timer[v],
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + interval);
    }
}

static unsigned ioat_nic_other_vector(IoatNicCore *core, bool *valid)
{
    uint32_t ivar = core->mac[R_IVAR_MISC] >> 8;

    *valid = ivar & IOAT_NIC_IVAR_VALID;
    return ivar & IOAT_NIC_IVAR_VECTOR_MASK;
}

/* MSI and INTx: one line, asserted while an unmasked cause is pending. */
static void ioat_nic_update_legacy_irq(IoatNicCore *core)
{
    bool level = ioat_nic_eicr(core) & ioat_nic_eims(core);

    if (ioat_nic_gone(core)) {
        return;
    }
    if (msi_enabled(core->owner)) {
        if (level && !core->intx_level) {
            trace_ioat_nic_irq_msi();
            msi_notify(core->owner, 0);
        }
    } else if (level != core->intx_level) {
        trace_ioat_nic_irq_intx(level);
        pci_set_irq(core->owner, level);
    }
    core->intx_level = level;
}

/* Fire every vector with a pending, unmasked cause among @vectors. */
static void ioat_nic_raise_queue_vectors(IoatNicCore *core, uint64_t vectors,
                                         bool now)
{
    uint64_t ready = core->qcause & core->qmask & vectors;

    while (ready) {
        unsigned v = ctz64(ready);

        ready &= ready - 1;
        ioat_nic_msix_fire(core, v, now);
    }
}

void ioat_nic_raise_other(IoatNicCore *core, uint32_t causes)
{
    bool valid;
    unsigned v;

    core->mac[R_EICR] |= causes & IOAT_NIC_EICR_OTHER;
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
        return;
    }
    if (!(core->mac[R_EICR] & core->mac[R_EIMS] & IOAT_NIC_EICR_OTHER)) {
        return;
    }
    v = ioat_nic_other_vector(core, &valid);
    if (valid && !ioat_nic_gone(core)) {
        trace_ioat_nic_irq_other(v, core->mac[R_EICR]);
        ioat_nic_msix_send(core, v);
        /* Without GPIE.OCD the other causes auto-clear per EIAC. */
        if (!FIELD_EX32(core->mac[R_GPIE], GPIE, OCD)) {
            core->mac[R_EICR] &= ~(core->mac[R_EIAC] & IOAT_NIC_EICR_OTHER);
        }
    }
}

/* Causes set through EICS or EICS_EX (datasheet 8.2.3.5.3). */
static void ioat_nic_set_causes(IoatNicCore *core, uint64_t queue_vectors,
                                uint32_t other, bool now)
{
    core->qcause |= queue_vectors;
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_raise_queue_vectors(core, queue_vectors, now);
    } else {
        ioat_nic_update_legacy_irq(core);
    }
    if (other & IOAT_NIC_EICR_OTHER) {
        ioat_nic_raise_other(core, other);
    }
}

/* Unmasking a vector with a pending cause fires it (8.2.3.5.4). */
static void ioat_nic_set_mask(IoatNicCore *core, uint64_t queue_vectors,
                              uint32_t other)
{
    core->qmask |= queue_vectors;
    core->mac[R_EIMS] |= other & IOAT_NIC_EICR_OTHER;
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_raise_queue_vectors(core, queue_vectors, false);
        if (core->mac[R_EICR] & other & IOAT_NIC_EICR_OTHER) {
            ioat_nic_raise_other(core, 0);
        }
    } else {
        ioat_nic_update_legacy_irq(core);
    }
}

static void ioat_nic_clear_mask(IoatNicCore *core, uint64_t queue_vectors,
                                uint32_t other)
{
    core->qmask &= ~queue_vectors;
    core->mac[R_EIMS] &= ~(other & IOAT_NIC_EICR_OTHER);
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
    }
}

static void ioat_nic_eitr_expired(void *opaque)
{
    IoatNicCore *core = opaque;

    /* Coalescing contexts close before their vector's interrupt (7.11.5) */
    ioat_nic_rsc_close_due(core);
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        if (core->eitr_pending[v] && !timer_pending(core->eitr_timer[v])) {
            core->eitr_pending[v] = false;
            ioat_nic_raise_queue_vectors(core, 1ULL << v, false);
        }
    }
}

/*
 * LLI moderation (EITR.LLI_MOD, GPIE.LL_INTERVAL, 8.2.3.5) is not
 * modelled: a low-latency interrupt fires at once.  The first write that
 * asks for it, in any of the three registers, is reported.
 */
void ioat_nic_lli_moderation_unimp(IoatNicCore *core, const char *name,
                                   unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_unimp_setting(core, A_GPIE, name, n, addr, val,
                           "LLI moderation (low-latency interrupts fire at "
                           "once)");
}

void ioat_nic_write_gpie(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    if (FIELD_EX32(val, GPIE, LL_INTERVAL)) {
        ioat_nic_lli_moderation_unimp(core, reg->name, n, addr, val);
    }
}

/*
 * EITR (8.2.3.5.12): a write with CNT_WDIS clear also writes the ITR
 * counter, clearing it, so the running interval ends at once and a cause
 * it held goes out (ixgbe sets CNT_WDIS to avoid exactly that).  With
 * CNT_WDIS set only the interval changes, from the next interval on.
 */
void ioat_nic_write_eitr(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    if (val & IOAT_NIC_EITR_LLI_MOD) {
        ioat_nic_lli_moderation_unimp(core, reg->name, n, addr, val);
    }
    if ((val & IOAT_NIC_EITR_CNT_WDIS) || !timer_pending(core->eitr_timer[n])) {
        return;
    }
    trace_ioat_nic_eitr_counter_cleared(n, core->eitr_pending[n]);
    timer_del(core->eitr_timer[n]);
    ioat_nic_eitr_expired(core);
}

/* @queue's IVAR entry: its valid bit and vector (8.2.3.5.16) */
static uint8_t ioat_nic_ivar_entry(IoatNicCore *core, unsigned queue, bool tx)
{
    return ioat_nic_reg(core, IOAT_NIC_IVAR(queue / 2)) >>
           ((queue & 1) * 16 + tx * 8);
}

/*
 * The MSI-X vector @queue's receive cause goes to, if that vector has an
 * EITR interval; -1 otherwise.
 */
static int ioat_nic_rx_itr_vector(IoatNicCore *core, unsigned queue)
{
    uint8_t entry = ioat_nic_ivar_entry(core, queue, false);
    unsigned v = entry & IOAT_NIC_IVAR_VECTOR_MASK;

    if (!ioat_nic_msix_mode(core) || !(entry & IOAT_NIC_IVAR_VALID) ||
        ioat_nic_queue_vf(core, queue, false) >= 0 ||
        !ioat_nic_eitr_interval_ns(core, v)) {
        return -1;
    }
    return v;
}

/* The interval of @queue's vector is running. */
bool ioat_nic_rx_itr_running(IoatNicCore *core, unsigned queue)
{
    int v = ioat_nic_rx_itr_vector(core, queue);

    return v >= 0 && timer_pending(core->eitr_timer[v]);
}

/*
 * Make sure the interval of @queue's vector runs, as it does on the device
 * once an event is waiting; false if the vector has no interval.
 */
bool ioat_nic_rx_itr_start(IoatNicCore *core, unsigned queue)
{
    int v = ioat_nic_rx_itr_vector(core, queue);

    if (v < 0) {
        return false;
    }
    if (!timer_pending(core->eitr_timer[v])) {
        timer_mod(core->eitr_timer[v], qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  ioat_nic_eitr_interval_ns(core, v));
    }
    return true;
}

/*
 * An RX write-back or TX RS write-back on @queue: the cause goes to the
 * vector IVAR assigns to it (datasheet 7.3.4, IVAR 8.2.3.5.16); @now for
 * a low latency interrupt.
 */
void ioat_nic_queue_event(IoatNicCore *core, unsigned queue, bool tx,
                          bool now)
{
    uint8_t entry = ioat_nic_ivar_entry(core, queue, tx);
    int vf = ioat_nic_queue_vf(core, queue, tx);
    unsigned v;

    /* A VF's queue: its own VTIVAR and vectors (7.10.2.9) */
    if (vf >= 0) {
        ioat_nic_vf_queue_event(core, vf,
                                queue - vf * ioat_nic_pool_qpp(core, tx), tx);
        return;
    }
    if (!(entry & IOAT_NIC_IVAR_VALID)) {
        return;
    }
    v = entry & IOAT_NIC_IVAR_VECTOR_MASK;
    trace_ioat_nic_queue_event(queue, tx, v);
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_set_causes(core, 1ULL << v, 0, now);
    } else {
        /* MSI/INTx: the vector number selects an EICR bit 0-15. */
        ioat_nic_set_causes(core, 1ULL << (v & 15), 0, now);
    }
}

/* The _EX registers: instance 0 holds vectors 0-31, instance 1 32-63. */
static uint64_t ioat_nic_ex_vectors(hwaddr addr, hwaddr ex0, uint32_t val)
{
    return (uint64_t)val << (addr == ex0 ? 0 : 32);
}

/* Reading EICR returns the causes and clears them (8.2.3.5.1). */
uint32_t ioat_nic_read_eicr(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr)
{
    uint32_t val = ioat_nic_eicr(core);

    core->mac[R_EICR] = 0;
    core->qcause &= ~(uint64_t)R_EICR_RTXQ_MASK;
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
    }
    return val;
}

/* Writing 1 clears a cause (8.2.3.5.1). */
void ioat_nic_write_eicr(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    core->mac[R_EICR] &= ~(val & IOAT_NIC_EICR_OTHER);
    core->qcause &= ~(uint64_t)(val & R_EICR_RTXQ_MASK);
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
    }
}

/* EICS reads as EICR without clearing it. */
uint32_t ioat_nic_read_eics(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr)
{
    return ioat_nic_eicr(core);
}

void ioat_nic_write_eics(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_set_causes(core, val & R_EICR_RTXQ_MASK, val, false);
}

void ioat_nic_write_eics_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_set_causes(core, ioat_nic_ex_vectors(addr, A_EICS_EX0, val), 0,
                        false);
}

uint32_t ioat_nic_read_eims(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr)
{
    return ioat_nic_eims(core);
}

void ioat_nic_write_eims(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_set_mask(core, val & R_EICR_RTXQ_MASK, val);
}

uint32_t ioat_nic_read_eims_ex(IoatNicCore *core, const IoatNicReg *reg,
                               unsigned n, hwaddr addr)
{
    return core->qmask >> (addr == A_EIMS_EX0 ? 0 : 32);
}

void ioat_nic_write_eims_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_set_mask(core, ioat_nic_ex_vectors(addr, A_EIMS_EX0, val), 0);
}

void ioat_nic_write_eimc(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_clear_mask(core, val & R_EICR_RTXQ_MASK, val);
}

void ioat_nic_write_eimc_ex(IoatNicCore *core, const IoatNicReg *reg,
                            unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_clear_mask(core, ioat_nic_ex_vectors(addr, A_EIMC_EX0, val), 0);
}

void ioat_nic_intr_realize(IoatNicCore *core)
{
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        core->eitr_timer[v] = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                           ioat_nic_eitr_expired, core);
    }
}

void ioat_nic_intr_unrealize(IoatNicCore *core)
{
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        timer_del(core->eitr_timer[v]);
    }
}

void ioat_nic_intr_finalize(IoatNicCore *core)
{
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        timer_free(core->eitr_timer[v]);
        core->eitr_timer[v] = NULL;
    }
}

/* No cause, mask or moderation survives a reset; INTx drops. */
void ioat_nic_intr_reset(IoatNicCore *core)
{
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        timer_del(core->eitr_timer[v]);
        core->eitr_pending[v] = false;
    }
    core->qcause = 0;
    core->qmask = 0;
    if (core->intx_level) {
        pci_set_irq(core->owner, 0);
        core->intx_level = false;
    }
}
