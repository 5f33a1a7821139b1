/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: registers, channels and the
 * descriptor engine (references are to the ioatdma contract's sections)
 *
 * Register semantics follow the CB3.x programming model as driven by
 * Linux's drivers/dma/ioat: CHANCMD at channel offset 0x04, a free-running
 * 16-bit DMACOUNT doorbell at 0x06 and a 64-bit CHANSTS at 0x08.
 *
 * The driver mixes 1-, 2-, 4- and 8-byte accesses on shared dwords
 * (INTRCTRL is a byte next to CHANCNT/XFERCAP; CHANCMD is a byte next to
 * the 16-bit DMACOUNT), so every access is decoded as a byte-enable mask on
 * its containing dword, and each register touched by the mask is updated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/units.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "system/dma.h"
#include "ioat_dma.h"
#include "trace.h"

/*
 * Report a guest mistake both as a trace event and under -d guest_errors;
 * the log line starts with the trace event's name.
 */
#define IOAT_DMA_GUEST_ERR(trace, fmt, ...)                             \
    do {                                                                \
        (trace_##trace)(__VA_ARGS__);                                   \
        qemu_log_mask(LOG_GUEST_ERROR, #trace ": " fmt "\n",            \
                      ## __VA_ARGS__);                                  \
    } while (0)

static const char *const ioat_dma_state_names[] = {
    [IOAT_DMA_CHANSTS_ACTIVE] = "active",
    [IOAT_DMA_CHANSTS_DONE] = "done",
    [IOAT_DMA_CHANSTS_SUSPENDED] = "suspended",
    [IOAT_DMA_CHANSTS_HALTED] = "halted",
    [IOAT_DMA_CHANSTS_ARMED] = "armed",
};

/*
 * Work one bottom-half run may do on a channel before it yields to the main
 * loop and reschedules itself.  A ring whose next pointers loop is bounded
 * by DMACOUNT; these bound the time spent per run.
 */
#define IOAT_DMA_RUN_DESCS          256
#define IOAT_DMA_RUN_BYTES          (4 * MiB)
#define IOAT_DMA_BOUNCE_SIZE        4096

QEMU_BUILD_BUG_ON(sizeof(IoatDmaDesc) != IOAT_DMA_DESC_SIZE);
QEMU_BUILD_BUG_ON(sizeof(IoatDmaDescExt) != IOAT_DMA_DESC_SIZE);

static PCIDevice *ioat_dma_pci(IoatDmaChannel *ch)
{
    return PCI_DEVICE(ch->dev);
}

static void ioat_dma_chan_set_state(IoatDmaChannel *ch, uint8_t state)
{
    if (ch->state != state) {
        trace_ioat_dma_chan_state(ch->index, ioat_dma_state_names[ch->state],
                                  ioat_dma_state_names[state]);
        ch->state = state;
    }
}

/* Ring slots made available by DMACOUNT and not yet consumed (§6.1). */
static uint16_t ioat_dma_chan_avail(IoatDmaChannel *ch)
{
    return ch->dmacount - ch->hw_count;
}

/* Interrupts (contract §8) */

static void ioat_dma_update_intx(IoatDmaState *s)
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

    ch->armed = false;
    ch->irq_pending = false;
    s->attnstatus |= BIT(ch->index);
    trace_ioat_dma_chan_irq(ch->index);
    if (msix_enabled(pdev)) {
        msix_notify(pdev, ch->index);
    } else if (msi_enabled(pdev)) {
        msi_notify(pdev, 0);
    } else {
        ioat_dma_update_intx(s);
    }
}

/* An interrupt while disarmed waits for the next CHANCTRL.INT_REARM. */
static void ioat_dma_chan_interrupt(IoatDmaChannel *ch)
{
    if (ch->armed && FIELD_EX8(ch->dev->intrctrl, INTRCTRL, MASTER_INT_EN)) {
        ioat_dma_chan_deliver(ch);
    } else {
        ch->irq_pending = true;
        trace_ioat_dma_chan_irq_pending(ch->index);
    }
}

static void ioat_dma_chan_rearm(IoatDmaChannel *ch)
{
    ch->armed = true;
    if (ch->irq_pending) {
        ioat_dma_chan_interrupt(ch);
    }
}

/* Engine (contract §6.8) */

static void ioat_dma_chan_halt(IoatDmaChannel *ch, uint32_t err);

/* Returns false if the record could not be written (the channel halted). */
static bool ioat_dma_chan_write_completion(IoatDmaChannel *ch, uint64_t val)
{
    MemTxResult res;

    if (!ch->chancmp) {
        return true;
    }
    if (ch->chancmp & (IOAT_DMA_CHANCMP_ALIGN - 1)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_chancmp_align,
                           "channel %u: CHANCMP 0x%" PRIx64 " is not %d-byte "
                           "aligned", ch->index, ch->chancmp,
                           IOAT_DMA_CHANCMP_ALIGN);
        ioat_dma_chan_halt(ch, R_CHANERR_COMPLETION_ADDR_MASK);
        return false;
    }
    /* Data before the record, one 8-byte store (§6.8 point 3). */
    smp_wmb();
    res = stq_le_pci_dma(ioat_dma_pci(ch), ch->chancmp, val,
                         MEMTXATTRS_UNSPECIFIED);
    if (res != MEMTX_OK) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_completion,
                           "channel %u: cannot write the completion record "
                           "at CHANCMP 0x%" PRIx64, ch->index, ch->chancmp);
        ioat_dma_chan_halt(ch, R_CHANERR_COMPLETION_ADDR_MASK);
        return false;
    }
    trace_ioat_dma_chan_completion(ch->index, ch->chancmp, val);
    return true;
}

/*
 * Stop on an error.  The record names the last descriptor that completed,
 * or 0 if none has since CHAINADDR (§6.8 point 2).
 */
static void ioat_dma_chan_halt(IoatDmaChannel *ch, uint32_t err)
{
    trace_ioat_dma_chan_halt(ch->index, err, ch->last_done);
    ch->chanerr |= err & ~ch->chanerr_mask;
    ch->cur_valid = false;
    ch->suspend_req = false;
    ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
    if (FIELD_EX16(ch->chanctrl, CHANCTRL, ERR_COMPLETION_EN) &&
        !(err & R_CHANERR_COMPLETION_ADDR_MASK) &&
        !ioat_dma_chan_write_completion(ch, ch->last_done |
                                        IOAT_DMA_CHANSTS_HALTED)) {
        return;
    }
    if (FIELD_EX16(ch->chanctrl, CHANCTRL, ERR_INT_EN)) {
        ioat_dma_chan_interrupt(ch);
    }
}

static bool ioat_dma_is_ram(AddressSpace *as, dma_addr_t addr, bool is_write)
{
    hwaddr xlat, len = 1;
    MemoryRegion *mr;

    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(as, addr, &xlat, &len, is_write,
                                 MEMTXATTRS_UNSPECIFIED);
    return memory_access_is_direct(mr, is_write, MEMTXATTRS_UNSPECIFIED);
}

/*
 * Copy @len bytes; RAM to RAM is mapped and copied directly, anything else
 * goes through a bounce buffer.  Returns 0 or the CHANERR bit of the failing
 * side; *@done counts the bytes copied either way.
 */
static uint32_t ioat_dma_copy(PCIDevice *pdev, dma_addr_t dst, dma_addr_t src,
                              dma_addr_t len, dma_addr_t *done)
{
    AddressSpace *as = pci_get_address_space(pdev);

    *done = 0;
    while (*done < len) {
        dma_addr_t s_addr = src + *done, d_addr = dst + *done;
        dma_addr_t n = len - *done, s_len = n, d_len = n;
        void *s_ptr = NULL, *d_ptr = NULL;

        if (ioat_dma_is_ram(as, s_addr, false) &&
            ioat_dma_is_ram(as, d_addr, true)) {
            s_ptr = pci_dma_map(pdev, s_addr, &s_len, DMA_DIRECTION_TO_DEVICE);
            d_ptr = pci_dma_map(pdev, d_addr, &d_len,
                                DMA_DIRECTION_FROM_DEVICE);
        }
        if (s_ptr && d_ptr) {
            n = MIN(s_len, d_len);
            memmove(d_ptr, s_ptr, n);
        }
        if (d_ptr) {
            pci_dma_unmap(pdev, d_ptr, d_len, DMA_DIRECTION_FROM_DEVICE,
                          s_ptr ? n : 0);
        }
        if (s_ptr) {
            pci_dma_unmap(pdev, s_ptr, s_len, DMA_DIRECTION_TO_DEVICE,
                          d_ptr ? n : 0);
        }
        if (!s_ptr || !d_ptr) {
            uint8_t buf[IOAT_DMA_BOUNCE_SIZE];

            n = MIN(n, sizeof(buf));
            if (pci_dma_read(pdev, s_addr, buf, n) != MEMTX_OK) {
                return R_CHANERR_READ_DATA_MASK;
            }
            if (pci_dma_write(pdev, d_addr, buf, n) != MEMTX_OK) {
                return R_CHANERR_WRITE_DATA_MASK;
            }
        }
        *done += n;
    }
    return 0;
}

static bool ioat_dma_desc_is_null(const IoatDmaDesc *d)
{
    return FIELD_EX32(d->ctl, DESC_CTL, OP) == IOAT_DMA_OP_COPY &&
           FIELD_EX32(d->ctl, DESC_CTL, NUL);
}

/* Ring slots the descriptor takes: XOR/PQ may have an extension. */
static unsigned ioat_dma_desc_slots(const IoatDmaDesc *d)
{
    if (FIELD_EX32(d->ctl, DESC_CTL, OP) == IOAT_DMA_OP_COPY) {
        return 1;
    }
    return ioat_dma_raid_has_ext(d) ? 2 : 1;
}

/* Read the 64-byte descriptor at @addr; @err is the CHANERR bit to use. */
static bool ioat_dma_chan_read_desc(IoatDmaChannel *ch, uint64_t addr,
                                    void *buf, uint32_t err)
{
    if (addr & (IOAT_DMA_DESC_ALIGN - 1)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_align,
                           "channel %u: descriptor address 0x%" PRIx64
                           " is not 64-byte aligned", ch->index, addr);
        ioat_dma_chan_halt(ch, R_CHANERR_NEXT_DESC_ALIGN_MASK);
        return false;
    }
    if (pci_dma_read(ioat_dma_pci(ch), addr, buf,
                     IOAT_DMA_DESC_SIZE) != MEMTX_OK) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_read,
                           "channel %u: cannot read the descriptor at 0x%"
                           PRIx64 " (%s)", ch->index, addr,
                           err == R_CHANERR_CHAIN_ADDR_VALUE_MASK
                           ? "CHAINADDR" : "next");
        ioat_dma_chan_halt(ch, err);
        return false;
    }
    return true;
}

static bool ioat_dma_chan_check_desc(IoatDmaChannel *ch, uint64_t addr)
{
    const IoatDmaDesc *d = &ch->cur;
    uint64_t max_size = 1ULL << ch->dev->xfercap_log2;
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (op != IOAT_DMA_OP_COPY &&
        !(ch->dev->raid && ioat_dma_raid_op_known(op))) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_op,
                           "channel %u: descriptor at 0x%" PRIx64
                           " has unknown op 0x%02x", ch->index, addr, op);
        ioat_dma_chan_halt(ch, R_CHANERR_CONTROL_MASK);
        return false;
    }
    if (op != IOAT_DMA_OP_COPY &&
        ioat_dma_raid_sources(d) > IOAT_DMA_RAID_MAX_SRCS) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_op,
                           "channel %u: descriptor at 0x%" PRIx64
                           " has too many sources for op 0x%02x", ch->index,
                           addr, op);
        ioat_dma_chan_halt(ch, R_CHANERR_CONTROL_MASK);
        return false;
    }
    if (!ioat_dma_desc_is_null(d) && (d->size == 0 || d->size > max_size)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_size,
                           "channel %u: descriptor at 0x%" PRIx64
                           " has size %u (1..%" PRIu64 ")", ch->index, addr,
                           d->size, max_size);
        ioat_dma_chan_halt(ch, R_CHANERR_LENGTH_MASK);
        return false;
    }
    return true;
}

/*
 * Load the descriptor at ch->next (and its extension) into ch->cur and
 * validate it.  Returns false if the channel halted, or if the extension
 * is not yet made available by DMACOUNT (the next doorbell retries).
 */
static bool ioat_dma_chan_fetch(IoatDmaChannel *ch)
{
    uint64_t addr = ch->next;
    IoatDmaDesc raw;
    IoatDmaDescExt ext;
    IoatDmaDesc *d = &ch->cur;

    if (!ioat_dma_chan_read_desc(ch, addr, &raw,
                                 ch->first ? R_CHANERR_CHAIN_ADDR_VALUE_MASK
                                           : R_CHANERR_NEXT_ADDR_MASK)) {
        return false;
    }
    d->size = le32_to_cpu(raw.size);
    d->ctl = le32_to_cpu(raw.ctl);
    d->src = le64_to_cpu(raw.src);
    d->dst = le64_to_cpu(raw.dst);
    d->next = le64_to_cpu(raw.next);
    for (unsigned i = 0; i < ARRAY_SIZE(d->opt); i++) {
        d->opt[i] = le64_to_cpu(raw.opt[i]);
    }
    trace_ioat_dma_desc(ch->index, addr, d->size, d->ctl, d->src, d->dst,
                        d->next);
    if (!ioat_dma_chan_check_desc(ch, addr)) {
        return false;
    }

    if (ioat_dma_desc_slots(d) > 1) {
        /* Linux publishes whole operations; wait if it did not (§6.1). */
        if (ioat_dma_chan_avail(ch) < 2) {
            return false;
        }
        if (!ioat_dma_chan_read_desc(ch, d->next, &ext,
                                     R_CHANERR_NEXT_ADDR_MASK)) {
            return false;
        }
        for (unsigned i = 0; i < ARRAY_SIZE(ext.q); i++) {
            ch->cur_ext.q[i] = le64_to_cpu(ext.q[i]);
        }
    }
    ch->first = false;
    ch->cur_addr = addr;
    ch->cur_done = 0;
    ch->cur_mismatch = 0;
    ch->cur_valid = true;
    return true;
}

/*
 * Run ch->cur for at most *@budget bytes.  Returns false if it is not
 * finished, either because the budget ran out or because the channel halted.
 */
static bool ioat_dma_chan_exec(IoatDmaChannel *ch, uint64_t *budget)
{
    IoatDmaDesc *d = &ch->cur;
    uint64_t n = MIN(d->size - ch->cur_done, *budget);
    dma_addr_t done = 0;
    uint32_t err;

    if (ioat_dma_desc_is_null(d)) {
        return true;
    }
    if (FIELD_EX32(d->ctl, DESC_CTL, OP) == IOAT_DMA_OP_COPY) {
        err = ioat_dma_copy(ioat_dma_pci(ch), d->dst + ch->cur_done,
                            d->src + ch->cur_done, n, &done);
    } else {
        err = ioat_dma_raid_run(ioat_dma_pci(ch), d, &ch->cur_ext,
                                ch->cur_done, n, &ch->cur_mismatch);
        done = err ? 0 : n;
    }
    ch->cur_done += done;
    *budget -= done;
    if (err) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_data,
                           "channel %u: descriptor at 0x%" PRIx64 ": %s "
                           "failed at byte %u", ch->index, ch->cur_addr,
                           err == R_CHANERR_READ_DATA_MASK ? "read" : "write",
                           ch->cur_done);
        ioat_dma_chan_halt(ch, err);
        return false;
    }
    return ch->cur_done == d->size;
}

/*
 * ch->cur is done: advance the ring, then completion record and interrupt.
 * A validate op that found a mismatch halts instead (contract §9.2).
 */
static bool ioat_dma_chan_retire(IoatDmaChannel *ch)
{
    uint32_t ctl = ch->cur.ctl;
    unsigned slots = ioat_dma_desc_slots(&ch->cur);
    uint8_t status;

    if (ch->cur_mismatch) {
        trace_ioat_dma_desc_mismatch(ch->index, ch->cur_addr,
                                     ch->cur_mismatch);
        ioat_dma_chan_halt(ch, ch->cur_mismatch);
        return false;
    }
    ch->cur_valid = false;
    ch->next = slots > 1 ? ch->cur_ext.q[IOAT_DMA_DESC_EXT_NEXT]
                         : ch->cur.next;
    ch->hw_count += slots;
    ch->last_done = ch->cur_addr;
    if (FIELD_EX32(ctl, DESC_CTL, COMPL_WRITE)) {
        status = ioat_dma_chan_avail(ch) ? IOAT_DMA_CHANSTS_ACTIVE
                                         : IOAT_DMA_CHANSTS_DONE;
        if (!ioat_dma_chan_write_completion(ch, ch->cur_addr | status)) {
            return false;
        }
    }
    if (FIELD_EX32(ctl, DESC_CTL, INT_EN)) {
        ioat_dma_chan_interrupt(ch);
    }
    return true;
}

static void ioat_dma_chan_run(void *opaque)
{
    IoatDmaChannel *ch = opaque;
    uint64_t bytes = IOAT_DMA_RUN_BYTES;
    unsigned descs = IOAT_DMA_RUN_DESCS;

    /* Nothing moves while the VM is stopped; resumed by the run state hook. */
    if (!runstate_is_running()) {
        return;
    }
    while (ch->state == IOAT_DMA_CHANSTS_ACTIVE) {
        if (!ch->cur_valid) {
            if (ch->suspend_req) {
                ch->suspend_req = false;
                ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_SUSPENDED);
                return;
            }
            if (!ioat_dma_chan_avail(ch)) {
                ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_DONE);
                return;
            }
            if (descs == 0) {
                break;
            }
            descs--;
            if (!ioat_dma_chan_fetch(ch)) {
                return;
            }
        }
        if (!ioat_dma_chan_exec(ch, &bytes)) {
            if (ch->state != IOAT_DMA_CHANSTS_ACTIVE) {
                return;
            }
            break;
        }
        if (!ioat_dma_chan_retire(ch)) {
            return;
        }
    }
    if (ch->state == IOAT_DMA_CHANSTS_ACTIVE) {
        qemu_bh_schedule(ch->bh);
    }
}

/* Channel commands and registers with side effects (contract §5) */

static void ioat_dma_chan_stop(IoatDmaChannel *ch)
{
    qemu_bh_cancel(ch->bh);
    ch->cur_valid = false;
    ch->suspend_req = false;
}

/* CHANCMD.RESET: back to HALTED; CHANCTRL, the latch and CHANCMP stay. */
static void ioat_dma_chan_reset(IoatDmaChannel *ch)
{
    trace_ioat_dma_chan_reset(ch->index);
    ioat_dma_chan_stop(ch);
    ch->chanerr = 0;
    ch->dmacount = 0;
    ch->hw_count = 0;
    ch->last_done = 0;
    ch->irq_pending = false;
    ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
}

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
    ch->cur_mismatch = 0;
    ch->cur_addr = 0;
    ch->cur_done = 0;
    ch->state = IOAT_DMA_CHANSTS_HALTED;
    ioat_dma_chan_reset(ch);
}

void ioat_dma_engine_reset(IoatDmaState *s)
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

/* The checks of ioat_dma_chan_check_desc(), for a migrated descriptor. */
static bool ioat_dma_desc_valid(IoatDmaState *s, const IoatDmaDesc *d,
                                uint32_t done)
{
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (op != IOAT_DMA_OP_COPY &&
        (!s->raid || !ioat_dma_raid_op_known(op) ||
         ioat_dma_raid_sources(d) > IOAT_DMA_RAID_MAX_SRCS)) {
        return false;
    }
    return done <= d->size && d->size <= (1ULL << s->xfercap_log2);
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
            qemu_bh_schedule(s->chan[i].bh);
        }
    }
}

void ioat_dma_engine_realize(IoatDmaState *s)
{
    DeviceState *dev = DEVICE(s);

    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        IoatDmaChannel *ch = &s->chan[i];

        ch->dev = s;
        ch->index = i;
        ch->bh = qemu_bh_new_guarded(ioat_dma_chan_run, ch,
                                     &dev->mem_reentrancy_guard);
    }
    s->vmstate_change = qemu_add_vm_change_state_handler(
        ioat_dma_vm_state_change, s);
    ioat_dma_engine_reset(s);
}

void ioat_dma_engine_unrealize(IoatDmaState *s)
{
    qemu_del_vm_change_state_handler(s->vmstate_change);
    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        qemu_bh_delete(s->chan[i].bh);
        s->chan[i].bh = NULL;
    }
}

int ioat_dma_engine_post_load(IoatDmaState *s)
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
            qemu_bh_schedule(ch->bh);
        }
    }
    if (s->attnstatus & ~MAKE_64BIT_MASK(0, s->num_channels)) {
        return -EINVAL;
    }
    return 0;
}

static void ioat_dma_chan_command(IoatDmaChannel *ch, uint8_t cmd)
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
    /* SUSPEND takes effect after the descriptor in flight (§5). */
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
                qemu_bh_schedule(ch->bh);
            } else {
                ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_DONE);
            }
        }
    }
    cmd &= ~(R_CHANCMD_SUSPEND_MASK | R_CHANCMD_RESUME_MASK);
    if (cmd) {
        qemu_log_mask(LOG_UNIMP, "%s: channel %u: CHANCMD 0x%02x not "
                      "implemented\n", TYPE_IOAT_DMA, ch->index, cmd);
    }
}

/*
 * A new chain: the ring counter and the CHANSTS address restart from 0.
 * A channel halted by an error stays halted until CHANERR is cleared.
 */
static void ioat_dma_chan_set_chainaddr(IoatDmaChannel *ch, uint64_t addr)
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
static void ioat_dma_chan_doorbell(IoatDmaChannel *ch, uint16_t count)
{
    ch->dmacount = count;
    trace_ioat_dma_chan_doorbell(ch->index, count);
    switch (ch->state) {
    case IOAT_DMA_CHANSTS_ARMED:
    case IOAT_DMA_CHANSTS_DONE:
        if (!ioat_dma_chan_avail(ch)) {
            break;
        }
        /* Linux polls CHANSTS for ACTIVE or DONE ~20 us later (§5). */
        ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_ACTIVE);
        /* fall through */
    case IOAT_DMA_CHANSTS_ACTIVE:
        qemu_bh_schedule(ch->bh);
        break;
    default:
        /* HALTED or SUSPENDED: the count is latched. */
        break;
    }
}

static uint64_t ioat_dma_chansts(IoatDmaChannel *ch)
{
    return (ch->last_done & IOAT_DMA_CHANSTS_ADDR_MASK) | ch->state;
}

/* Merge the bytes selected by @mask of @val into @old. */
static uint32_t merge32(uint32_t old, uint32_t val, uint32_t mask)
{
    return (old & ~mask) | (val & mask);
}

static uint64_t deposit_half(uint64_t old, int hi, uint32_t val, uint32_t mask)
{
    uint32_t half = hi ? old >> 32 : (uint32_t)old;

    return deposit64(old, hi ? 32 : 0, 32, merge32(half, val, mask));
}

/* INT_STATUS: a channel needs attention; INT: and the master enable is on. */
static uint8_t ioat_dma_intrctrl(IoatDmaState *s)
{
    uint8_t v = s->intrctrl;

    v = FIELD_DP8(v, INTRCTRL, INT_STATUS, !!s->attnstatus);
    v = FIELD_DP8(v, INTRCTRL, INT, s->attnstatus &&
                  FIELD_EX8(v, INTRCTRL, MASTER_INT_EN));
    return v;
}

static void ioat_dma_write_intrctrl(IoatDmaState *s, uint8_t v)
{
    /* INT_STATUS and INT are read-only. */
    s->intrctrl = v & (R_INTRCTRL_MASTER_INT_EN_MASK |
                       R_INTRCTRL_MSIX_VECTOR_CONTROL_MASK);
    if (FIELD_EX8(s->intrctrl, INTRCTRL, MASTER_INT_EN)) {
        for (unsigned i = 0; i < s->num_channels; i++) {
            if (s->chan[i].armed && s->chan[i].irq_pending) {
                ioat_dma_chan_deliver(&s->chan[i]);
            }
        }
    }
    ioat_dma_update_intx(s);
}

static bool ioat_dma_global_read(IoatDmaState *s, hwaddr dw, uint32_t *val)
{
    switch (dw) {
    case A_CHANCNT:
        *val = s->num_channels | (s->xfercap_log2 << 8) | (s->genctrl << 16) |
               (ioat_dma_intrctrl(s) << 24);
        return true;
    case A_ATTNSTATUS:
        /* Read to clear: Linux's INTx/MSI handler never writes it (§3). */
        *val = s->attnstatus;
        s->attnstatus = 0;
        ioat_dma_update_intx(s);
        return true;
    case A_CBVER:
        *val = IOAT_DMA_CBVER_3_4;
        return true;
    case A_INTRDELAY:
        *val = s->intrdelay;
        return true;
    case A_DMACAPABILITY:
        *val = 0;
        if (s->raid) {
            *val = FIELD_DP32(*val, DMACAPABILITY, XOR, 1);
            *val = FIELD_DP32(*val, DMACAPABILITY, PQ, 1);
        }
        return true;
    case A_DCAOFFSET:
        *val = 0;
        return true;
    case A_CHWPREFLMT:
        *val = s->chwpreflmt;
        return true;
    }
    return false;
}

static bool ioat_dma_global_write(IoatDmaState *s, hwaddr dw, uint32_t val,
                                  uint32_t mask)
{
    switch (dw) {
    case A_CHANCNT:
        /* CHANCNT and XFERCAP are read-only; GENCTRL and INTRCTRL are not. */
        if (mask & 0x0000ffff) {
            IOAT_DMA_GUEST_ERR(ioat_dma_err_ro_write,
                               "write to read-only CHANCNT/XFERCAP (offset 0x%"
                               HWADDR_PRIx ")", dw);
        }
        if (mask & 0x00ff0000) {
            s->genctrl = val >> 16;
        }
        if (mask & 0xff000000) {
            ioat_dma_write_intrctrl(s, val >> 24);
        }
        return true;
    case A_INTRDELAY:
        if (mask & 0xffff) {
            s->intrdelay = merge32(s->intrdelay, val, mask) &
                           R_INTRDELAY_DELAY_US_MASK;
        }
        if (mask & 0xffff0000) {
            IOAT_DMA_GUEST_ERR(ioat_dma_err_ro_write,
                               "write to read-only CS_STATUS (offset 0x%"
                               HWADDR_PRIx ")", dw);
        }
        return true;
    case A_ATTNSTATUS:
    case A_CBVER:
    case A_DMACAPABILITY:
    case A_DCAOFFSET:
        IOAT_DMA_GUEST_ERR(ioat_dma_err_ro_write,
                           "write to read-only register at offset 0x%"
                           HWADDR_PRIx, dw);
        return true;
    case A_CHWPREFLMT:
        s->chwpreflmt = merge32(s->chwpreflmt, val, mask);
        return true;
    }
    return false;
}

static bool ioat_dma_chan_read(IoatDmaChannel *ch, hwaddr rel, uint32_t *val)
{
    switch (rel) {
    case A_CHANCTRL:
        *val = ch->chanctrl | (0x0002 << 16);   /* DMA_COMP */
        return true;
    case A_CHANCMD:
        /* Commands complete inside the write, so CHANCMD reads back 0. */
        *val = (uint32_t)ch->dmacount << 16;
        return true;
    case A_CHANSTS_LO:
        *val = ioat_dma_chansts(ch);
        return true;
    case A_CHANSTS_HI:
        *val = ioat_dma_chansts(ch) >> 32;
        return true;
    case A_CHAINADDR_LO:
    case A_CHAINADDR_HI:
        *val = ch->chainaddr >> (rel == A_CHAINADDR_HI ? 32 : 0);
        return true;
    case A_CHANCMP_LO:
    case A_CHANCMP_HI:
        *val = ch->chancmp >> (rel == A_CHANCMP_HI ? 32 : 0);
        return true;
    case A_CDAR_LO:
    case A_CDAR_HI:
        *val = (ch->cur_valid ? ch->cur_addr : ch->last_done) >>
               (rel == A_CDAR_HI ? 32 : 0);
        return true;
    case A_CHANERR:
        *val = ch->chanerr;
        return true;
    case A_CHANERR_MASK:
        *val = ch->chanerr_mask;
        return true;
    case A_DCACTRL:
        *val = ch->dcactrl;
        return true;
    }
    return false;
}

static bool ioat_dma_chan_write(IoatDmaChannel *ch, hwaddr rel, uint32_t val,
                                uint32_t mask)
{
    switch (rel) {
    case A_CHANCTRL:
        if (mask & 0xffff) {
            ch->chanctrl = merge32(ch->chanctrl, val, mask);
            if (FIELD_EX16(ch->chanctrl, CHANCTRL, INT_REARM)) {
                ioat_dma_chan_rearm(ch);
            }
        }
        return true;
    case A_CHANCMD:
        if (mask & 0xff) {
            ioat_dma_chan_command(ch, val);
        }
        if (mask & 0xffff0000) {
            ioat_dma_chan_doorbell(ch, merge32(ch->dmacount << 16, val,
                                               mask) >> 16);
        }
        return true;
    case A_CHANSTS_LO:
    case A_CHANSTS_HI:
    case A_CDAR_LO:
    case A_CDAR_HI:
        IOAT_DMA_GUEST_ERR(ioat_dma_err_chan_ro_write,
                           "channel %u: write to read-only register at channel "
                           "offset 0x%" HWADDR_PRIx, ch->index, rel);
        return true;
    case A_CHAINADDR_LO:
    case A_CHAINADDR_HI:
        ioat_dma_chan_set_chainaddr(ch, deposit_half(ch->chainaddr,
                                                     rel == A_CHAINADDR_HI,
                                                     val, mask));
        return true;
    case A_CHANCMP_LO:
    case A_CHANCMP_HI:
        ch->chancmp = deposit_half(ch->chancmp, rel == A_CHANCMP_HI, val, mask);
        return true;
    case A_CHANERR:
        ch->chanerr &= ~(val & mask);           /* write 1 to clear */
        return true;
    case A_CHANERR_MASK:
        ch->chanerr_mask = merge32(ch->chanerr_mask, val, mask);
        return true;
    case A_DCACTRL:
        ch->dcactrl = merge32(ch->dcactrl, val, mask);
        return true;
    }
    return false;
}

/* CB3.4 LTR and DRSCTL registers, relative to the owning channel's base. */
static bool ioat_dma_chan_ltr_read(IoatDmaChannel *ch, hwaddr rel,
                                   uint32_t *val)
{
    switch (rel) {
    case A_DRSCTL & ~3:
        *val = (uint32_t)ch->drsctl << 16;
        return true;
    case A_LTR_SWSEL:
        *val = ch->ltr_swsel;
        return true;
    case A_LTR_ACTIVE:
        *val = ch->ltr_active;
        return true;
    case A_LTR_IDLE:
        *val = ch->ltr_idle;
        return true;
    }
    return false;
}

static bool ioat_dma_chan_ltr_write(IoatDmaChannel *ch, hwaddr rel,
                                    uint32_t val, uint32_t mask)
{
    switch (rel) {
    case A_DRSCTL & ~3:
        ch->drsctl = merge32(ch->drsctl << 16, val, mask) >> 16;
        return true;
    case A_LTR_SWSEL:
        ch->ltr_swsel = merge32(ch->ltr_swsel, val, mask);
        return true;
    case A_LTR_ACTIVE:
        ch->ltr_active = merge32(ch->ltr_active, val, mask);
        return true;
    case A_LTR_IDLE:
        ch->ltr_idle = merge32(ch->ltr_idle, val, mask);
        return true;
    }
    return false;
}

/*
 * Find the channel whose main window (offsets 0x00-0x3f) or LTR block
 * (offsets 0xb4-0xc7, inside the next window) holds @addr.
 */
static IoatDmaChannel *ioat_dma_decode_chan(IoatDmaState *s, hwaddr addr,
                                            hwaddr *rel, bool *ltr)
{
    hwaddr window = addr / IOAT_DMA_CHAN_STRIDE;
    hwaddr off = addr % IOAT_DMA_CHAN_STRIDE;

    if (window == 0) {
        return NULL;
    }
    if (off < A_DCACTRL + 4 && window - 1 < s->num_channels) {
        *rel = off;
        *ltr = false;
        return &s->chan[window - 1];
    }
    if (off + IOAT_DMA_CHAN_STRIDE >= (A_DRSCTL & ~3) &&
        off + IOAT_DMA_CHAN_STRIDE < A_LTR_IDLE + 4 &&
        window >= 2 && window - 2 < s->num_channels) {
        *rel = off + IOAT_DMA_CHAN_STRIDE;
        *ltr = true;
        return &s->chan[window - 2];
    }
    return NULL;
}

static bool ioat_dma_read_dword(IoatDmaState *s, hwaddr dw, uint32_t *val)
{
    IoatDmaChannel *ch;
    hwaddr rel;
    bool ltr;

    ch = ioat_dma_decode_chan(s, dw, &rel, &ltr);
    if (!ch) {
        return ioat_dma_global_read(s, dw, val);
    }
    return ltr ? ioat_dma_chan_ltr_read(ch, rel, val)
               : ioat_dma_chan_read(ch, rel, val);
}

static bool ioat_dma_write_dword(IoatDmaState *s, hwaddr dw, uint32_t val,
                                 uint32_t mask)
{
    IoatDmaChannel *ch;
    hwaddr rel;
    bool ltr;

    ch = ioat_dma_decode_chan(s, dw, &rel, &ltr);
    if (!ch) {
        return ioat_dma_global_write(s, dw, val, mask);
    }
    return ltr ? ioat_dma_chan_ltr_write(ch, rel, val, mask)
               : ioat_dma_chan_write(ch, rel, val, mask);
}

static uint64_t ioat_dma_regs_read(void *opaque, hwaddr addr, unsigned size)
{
    IoatDmaState *s = opaque;
    unsigned shift = (addr & 3) * 8;
    uint32_t dword = 0;
    uint64_t val;

    if (!ioat_dma_read_dword(s, addr & ~3, &dword)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_bad_offset,
                           "read of unimplemented offset 0x%" HWADDR_PRIx
                           " (size %u)", addr, size);
    }
    val = extract32(dword, shift, size * 8);
    trace_ioat_dma_mmio_read(addr, size, val);
    return val;
}

static void ioat_dma_regs_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    IoatDmaState *s = opaque;
    unsigned shift = (addr & 3) * 8;
    uint32_t mask = MAKE_64BIT_MASK(shift, size * 8);

    trace_ioat_dma_mmio_write(addr, size, val);
    if (!ioat_dma_write_dword(s, addr & ~3, val << shift, mask)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_bad_offset,
                           "write of unimplemented offset 0x%" HWADDR_PRIx
                           " (size %u)", addr, size);
    }
}

/*
 * 8-byte accesses (readq of CHANSTS) are split by the memory core into two
 * 4-byte accesses, low half first.
 */
const MemoryRegionOps ioat_dma_regs_ops = {
    .read = ioat_dma_regs_read,
    .write = ioat_dma_regs_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = 4,
    },
};
