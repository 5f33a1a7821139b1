/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: the device core
 *
 * Channel interrupts and their coalescing (INTRDELAY), the channel state
 * machine driven by CHANCMD,
 * DMACOUNT and CHAINADDR, device reset and migration.  The register decode
 * (ioat_dma_regs.c) calls in here for every register with a side effect;
 * the descriptor engine runs in ioat_dma_engine.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "ioat_dma_internal.h"
#include "trace.h"

static const char *const ioat_dma_state_names[] = {
    [IOAT_DMA_CHANSTS_ACTIVE] = "active",
    [IOAT_DMA_CHANSTS_DONE] = "done",
    [IOAT_DMA_CHANSTS_SUSPENDED] = "suspended",
    [IOAT_DMA_CHANSTS_HALTED] = "halted",
    [IOAT_DMA_CHANSTS_ARMED] = "armed",
};

void ioat_dma_chan_set_state(IoatDmaChannel *ch, uint8_t state)
{
    if (ch->state != state) {
        trace_ioat_dma_chan_state(ch->index, ioat_dma_state_names[ch->state],
                                  ioat_dma_state_names[state]);
        ch->state = state;
    }
}

/* Interrupts (ioat-dma.rst, "Interrupts") */

void ioat_dma_update_intx(IoatDmaState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    bool level = !msix_enabled(pdev) && !msi_enabled(pdev) &&
                 FIELD_EX8(s->intrctrl, INTRCTRL, MASTER_INT_EN) &&
                 s->attnstatus;

    pci_set_irq(pdev, level);
}

static void ioat_dma_chan_deliver(IoatDmaChannel *ch)
{
    IoatDmaState *s = ch->dev;
    PCIDevice *pdev = PCI_DEVICE(s);

    if (ioat_dma_gone(s)) {
        return;
    }
    timer_del(ch->coalesce_timer);
    ch->armed = false;
    ch->irq_pending = false;
    s->attnstatus |= BIT(ch->index);
    if (ioat_dma_fault_hits(&s->fault.interrupt_lost)) {
        trace_ioat_dma_fault_interrupt_lost(ch->index);
        return;
    }
    trace_ioat_dma_chan_irq(ch->index);
    if (msix_enabled(pdev)) {
        msix_notify(pdev, ch->index);
    } else if (msi_enabled(pdev)) {
        msi_notify(pdev, 0);
    } else {
        ioat_dma_update_intx(s);
    }
}

static bool ioat_dma_chan_may_interrupt(IoatDmaChannel *ch)
{
    return ch->armed && FIELD_EX8(ch->dev->intrctrl, INTRCTRL, MASTER_INT_EN);
}

static void ioat_dma_chan_hold(IoatDmaChannel *ch)
{
    ch->irq_pending = true;
    trace_ioat_dma_chan_irq_pending(ch->index);
}

/*
 * An interrupt while disarmed waits for the next CHANCTRL.INT_REARM.
 * With INTRDELAY's delay non-zero, the first one opens a window of that
 * many microseconds (virtual clock); those that come before it closes go
 * out with it as one message.
 */
void ioat_dma_chan_interrupt(IoatDmaChannel *ch)
{
    unsigned delay_us = FIELD_EX16(ch->dev->intrdelay, INTRDELAY, DELAY_US);

    if (!ioat_dma_chan_may_interrupt(ch)) {
        ioat_dma_chan_hold(ch);
    } else if (!delay_us) {
        ioat_dma_chan_deliver(ch);
    } else if (!timer_pending(ch->coalesce_timer)) {
        trace_ioat_dma_chan_irq_delayed(ch->index, delay_us);
        timer_mod(ch->coalesce_timer,
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  delay_us * SCALE_US);
    }
}

/* A halt interrupts at once, closing any INTRDELAY window early. */
void ioat_dma_chan_error_interrupt(IoatDmaChannel *ch)
{
    if (ioat_dma_chan_may_interrupt(ch)) {
        ioat_dma_chan_deliver(ch);
    } else {
        timer_del(ch->coalesce_timer);
        ioat_dma_chan_hold(ch);
    }
}

static void ioat_dma_chan_window_closed(void *opaque)
{
    IoatDmaChannel *ch = opaque;

    if (ioat_dma_chan_may_interrupt(ch)) {
        ioat_dma_chan_deliver(ch);
    } else {
        ioat_dma_chan_hold(ch);
    }
}

static void ioat_dma_chan_rearm(IoatDmaChannel *ch)
{
    ch->armed = true;
    if (ch->irq_pending) {
        ioat_dma_chan_interrupt(ch);
    }
}

/* Registers with side effects, called by the register decode */

/* INT_STATUS: a channel needs attention; INT: and the master enable is on. */
uint8_t ioat_dma_intrctrl(IoatDmaState *s)
{
    uint8_t v = s->intrctrl;

    v = FIELD_DP8(v, INTRCTRL, INT_STATUS, !!s->attnstatus);
    v = FIELD_DP8(v, INTRCTRL, INT, s->attnstatus &&
                  FIELD_EX8(v, INTRCTRL, MASTER_INT_EN));
    return v;
}

/* INTRCTRL was written: a held interrupt may now go out. */
void ioat_dma_intrctrl_written(IoatDmaState *s)
{
    if (FIELD_EX8(s->intrctrl, INTRCTRL, MASTER_INT_EN)) {
        for (unsigned i = 0; i < s->num_channels; i++) {
            if (s->chan[i].armed && s->chan[i].irq_pending) {
                ioat_dma_chan_deliver(&s->chan[i]);
                if (ioat_dma_gone(s)) {
                    return;
                }
            }
        }
    }
    ioat_dma_update_intx(s);
}

uint64_t ioat_dma_chan_status(IoatDmaChannel *ch)
{
    return (ch->last_done & IOAT_DMA_CHANSTS_ADDR_MASK) | ch->state;
}

/* CDAR: the descriptor being executed, else the last one completed. */
uint64_t ioat_dma_cdar(IoatDmaChannel *ch)
{
    return ch->cur_valid ? ch->cur_addr : ch->last_done;
}

/* CHANCTRL was written; its INT_REARM bit re-arms the interrupt latch. */
void ioat_dma_chanctrl_written(IoatDmaChannel *ch)
{
    if (FIELD_EX16(ch->chanctrl, CHANCTRL, INT_REARM)) {
        ioat_dma_chan_rearm(ch);
    }
}

/* Channel commands (CHANCMD, DMACOUNT, CHAINADDR) */

static void ioat_dma_chan_stop(IoatDmaChannel *ch)
{
    if (ch->bh) {
        qemu_bh_cancel(ch->bh);
    }
    ch->cur_valid = false;
    ch->suspend_req = false;
    ch->stalled = false;
}

/* CHANCMD.RESET: back to HALTED; CHANCTRL, the latch and CHANCMP stay. */
static void ioat_dma_chan_reset(IoatDmaChannel *ch)
{
    trace_ioat_dma_chan_reset(ch->index);
    ioat_dma_chan_stop(ch);
    timer_del(ch->coalesce_timer);
    ch->chanerr = 0;
    ch->dmacount = 0;
    ch->hw_count = 0;
    ch->last_done = 0;
    ch->irq_pending = false;
    ioat_window_forget(&ch->rd_win);
    ioat_window_forget(&ch->wr_win);
    ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
}

void ioat_dma_chan_command(IoatDmaChannel *ch, uint8_t cmd)
{
    trace_ioat_dma_chan_command(ch->index, cmd);
    if (FIELD_EX8(cmd, CHANCMD, RESET)) {
        ioat_dma_chan_reset(ch);
        return;
    }
    /* ABORT: stop at once, dropping the descriptor in flight. */
    if (FIELD_EX8(cmd, CHANCMD, ABORT)) {
        if (ch->state == IOAT_DMA_CHANSTS_ACTIVE ||
            ch->state == IOAT_DMA_CHANSTS_DONE ||
            ch->state == IOAT_DMA_CHANSTS_SUSPENDED) {
            ioat_dma_chan_stop(ch);
            ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
        }
        return;
    }
    /* SUSPEND takes effect once the descriptor in flight completes. */
    if (FIELD_EX8(cmd, CHANCMD, SUSPEND)) {
        if (ch->state == IOAT_DMA_CHANSTS_ACTIVE && ch->cur_valid) {
            ch->suspend_req = true;
        } else if (ch->state == IOAT_DMA_CHANSTS_ACTIVE ||
                   ch->state == IOAT_DMA_CHANSTS_DONE) {
            qemu_bh_cancel(ch->bh);
            ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_SUSPENDED);
        }
    }
    if (FIELD_EX8(cmd, CHANCMD, RESUME)) {
        ch->suspend_req = false;
        if (ch->state == IOAT_DMA_CHANSTS_SUSPENDED) {
            if (ch->cur_valid || ioat_dma_chan_avail(ch)) {
                ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_ACTIVE);
                ioat_dma_chan_kick(ch);
            } else {
                ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_DONE);
            }
        }
    }
    cmd &= ~(R_CHANCMD_SUSPEND_MASK | R_CHANCMD_RESUME_MASK);
    if (cmd) {
        IOAT_DMA_UNIMP(ioat_dma_unimp_chancmd,
                       "channel %u: CHANCMD 0x%02x not implemented",
                       ch->index, cmd);
    }
}

/*
 * A new chain: the ring counter and the CHANSTS address restart from 0.
 * A channel halted by an error stays halted until CHANERR is cleared.
 */
void ioat_dma_chan_set_chainaddr(IoatDmaChannel *ch, uint64_t addr)
{
    ch->chainaddr = addr;
    if (ch->state == IOAT_DMA_CHANSTS_ACTIVE) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_chan_busy,
                           "channel %u: CHAINADDR written while active",
                           ch->index);
        return;
    }
    if (ch->state == IOAT_DMA_CHANSTS_HALTED && ch->chanerr) {
        return;
    }
    ioat_dma_chan_stop(ch);
    ch->next = addr;
    ch->first = true;
    ch->last_done = 0;
    ch->dmacount = 0;
    ch->hw_count = 0;
    ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_ARMED);
}

/* DMACOUNT only rings the doorbell; the bottom half does the work. */
void ioat_dma_dmacount_written(IoatDmaChannel *ch, uint16_t count)
{
    ch->dmacount = count;
    trace_ioat_dma_chan_doorbell(ch->index, count);
    switch (ch->state) {
    case IOAT_DMA_CHANSTS_ARMED:
    case IOAT_DMA_CHANSTS_DONE:
        if (!ioat_dma_chan_avail(ch)) {
            break;
        }
        /* CHANSTS reads ACTIVE at once; Linux polls it for ACTIVE/DONE. */
        ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_ACTIVE);
        /* fall through */
    case IOAT_DMA_CHANSTS_ACTIVE:
        ioat_dma_chan_kick(ch);
        break;
    default:
        /* HALTED or SUSPENDED: the count is latched. */
        break;
    }
}

/* Reset, realize and migration */

static void ioat_dma_chan_power_on(IoatDmaChannel *ch)
{
    ch->chanctrl = 0;
    ch->armed = false;
    ch->chainaddr = 0;
    ch->next = 0;
    ch->first = false;
    ch->chancmp = 0;
    ch->chanerr_mask = 0;
    ch->dcactrl = 0;
    ch->drsctl = 0;
    ch->ltr_swsel = 0;
    ch->ltr_active = 0;
    ch->ltr_idle = 0;
    memset(&ch->cur, 0, sizeof(ch->cur));
    memset(&ch->cur_ext, 0, sizeof(ch->cur_ext));
    memset(ch->cur_sed, 0, sizeof(ch->cur_sed));
    ch->cur_mismatch = 0;
    ch->cur_addr = 0;
    ch->cur_done = 0;
    ch->state = IOAT_DMA_CHANSTS_HALTED;
    ioat_dma_chan_reset(ch);
}

void ioat_dma_core_reset(IoatDmaState *s)
{
    trace_ioat_dma_reset(s->num_channels);
    s->genctrl = 0;
    s->intrctrl = 0;
    s->attnstatus = 0;
    s->intrdelay = 0;
    s->chwpreflmt = 0;
    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        ioat_dma_chan_power_on(&s->chan[i]);
    }
    pci_set_irq(PCI_DEVICE(s), 0);
}

static void ioat_dma_vm_state_change(void *opaque, bool running,
                                     RunState state)
{
    IoatDmaState *s = opaque;

    if (!running) {
        return;
    }
    for (unsigned i = 0; i < s->num_channels; i++) {
        if (s->chan[i].state == IOAT_DMA_CHANSTS_ACTIVE) {
            ioat_dma_chan_kick(&s->chan[i]);
        }
    }
}

void ioat_dma_core_realize(IoatDmaState *s)
{
    DeviceState *dev = DEVICE(s);

    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        IoatDmaChannel *ch = &s->chan[i];

        ch->dev = s;
        ch->index = i;
        ch->bh = qemu_bh_new_guarded(ioat_dma_chan_run, ch,
                                     &dev->mem_reentrancy_guard);
        ch->coalesce_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                          ioat_dma_chan_window_closed, ch);
    }
    s->vmstate_change = qemu_add_vm_change_state_handler(
        ioat_dma_vm_state_change, s);
    ioat_dma_core_reset(s);
}

/*
 * Unplugged: every channel stops, HALTED, even one whose bottom half is
 * on the stack (it sees the state and returns).  The timers stay
 * allocated until finalize, in case such a caller still looks at them.
 */
void ioat_dma_core_unrealize(IoatDmaState *s)
{
    qemu_del_vm_change_state_handler(s->vmstate_change);
    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        IoatDmaChannel *ch = &s->chan[i];

        qemu_bh_delete(ch->bh);
        ch->bh = NULL;
        timer_del(ch->coalesce_timer);
        ch->cur_valid = false;
        ch->suspend_req = false;
        ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
    }
}

void ioat_dma_core_finalize(IoatDmaState *s)
{
    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        timer_free(s->chan[i].coalesce_timer);
        s->chan[i].coalesce_timer = NULL;
        ioat_window_forget(&s->chan[i].rd_win);
        ioat_window_forget(&s->chan[i].wr_win);
    }
}

int ioat_dma_core_post_load(IoatDmaState *s)
{
    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        IoatDmaChannel *ch = &s->chan[i];

        if (ch->state >= ARRAY_SIZE(ioat_dma_state_names)) {
            return -EINVAL;
        }
        if (i >= s->num_channels && ch->state != IOAT_DMA_CHANSTS_HALTED) {
            return -EINVAL;
        }
        if (ch->cur_valid && !ioat_dma_desc_valid(s, &ch->cur, ch->cur_done)) {
            return -EINVAL;
        }
        if (ch->state == IOAT_DMA_CHANSTS_ACTIVE) {
            ioat_dma_chan_kick(ch);
        }
    }
    if (s->attnstatus & ~MAKE_64BIT_MASK(0, s->num_channels) ||
        s->intrdelay & ~R_INTRDELAY_DELAY_US_MASK) {
        return -EINVAL;
    }
    return 0;
}
