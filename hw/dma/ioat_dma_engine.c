/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: the descriptor engine
 *
 * A bottom half per channel loads each descriptor once, checks it, runs it
 * (copy and block fill here, XOR and PQ in ioat_dma_raid.c), then retires
 * it: CHANSTS, completion record, interrupt.  Errors halt the channel with
 * a CHANERR bit.  Behaviour: docs/system/devices/ioat-dma.rst, "Engine"
 * and "Errors".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/units.h"
#include "system/dma.h"
#include "ioat_dma_internal.h"
#include "trace.h"

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

/* The channel's function: a plain member access, asked per descriptor */
static inline PCIDevice *ioat_dma_pci(IoatDmaChannel *ch)
{
    return &ch->dev->parent_obj;
}

static void ioat_dma_chan_halt(IoatDmaChannel *ch, uint32_t err);

/* Returns false if the record could not be written (the channel halted). */
static bool ioat_dma_chan_write_completion(IoatDmaChannel *ch, uint64_t val)
{
    MemTxResult res;
    uint8_t *p;

    if (ioat_dma_gone(ch->dev)) {
        return false;
    }
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
    if (ioat_dma_fault_hits(&ch->dev->fault.completion_lost)) {
        trace_ioat_dma_fault_completion_lost(ch->index, val);
        return true;
    }
    /* The descriptor's reads and writes are done before the record. */
    ioat_window_flush(&ch->wr_win);
    smp_mb_release();
    p = ioat_window_map(&ch->wr_win, ioat_dma_pci(ch), ch->chancmp, 8, false);
    if (p) {
        stq_le_p(p, val);
        ioat_window_written(&ch->wr_win, ch->chancmp, 8);
        res = MEMTX_OK;
    } else {
        res = stq_le_pci_dma(ioat_dma_pci(ch), ch->chancmp, val,
                             MEMTXATTRS_UNSPECIFIED);
    }
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
 * Stop on an error (ioat-dma.rst, "Errors").  The bit is latched even if
 * CHANERR_MASK masks it: a halted channel always says why.  With
 * ERR_COMPLETION_EN or ANY_ERR_ABORT_EN the record names the last
 * descriptor that completed, or 0 if none has since CHAINADDR; with
 * ERR_INT_EN the channel interrupts at once, outside any INTRDELAY window.
 */
static void ioat_dma_chan_halt(IoatDmaChannel *ch, uint32_t err)
{
    uint16_t ctrl = ch->chanctrl;

    if (ioat_dma_gone(ch->dev)) {
        return;
    }
    trace_ioat_dma_chan_halt(ch->index, err, ch->last_done);
    ch->chanerr |= err;
    ch->cur_valid = false;
    ch->suspend_req = false;
    ioat_dma_chan_set_state(ch, IOAT_DMA_CHANSTS_HALTED);
    if (!FIELD_EX16(ctrl, CHANCTRL, ANY_ERR_ABORT_EN)) {
        IOAT_DMA_UNIMP(ioat_dma_unimp_no_abort,
                       "channel %u: CHANCTRL.ANY_ERR_ABORT_EN is clear; going "
                       "on past an error is not modelled, the channel halts",
                       ch->index);
    }
    if ((FIELD_EX16(ctrl, CHANCTRL, ERR_COMPLETION_EN) ||
         FIELD_EX16(ctrl, CHANCTRL, ANY_ERR_ABORT_EN)) &&
        !(err & R_CHANERR_COMPLETION_ADDR_MASK) &&
        !ioat_dma_chan_write_completion(ch, ch->last_done |
                                        IOAT_DMA_CHANSTS_HALTED)) {
        return;
    }
    if (FIELD_EX16(ctrl, CHANCTRL, ERR_INT_EN)) {
        ioat_window_flush(&ch->wr_win);
        ioat_dma_chan_error_interrupt(ch);
    }
}

/*
 * The engine's reads and writes of descriptors and data.  A range that
 * does not decode (no memory there, or an IOMMU fault) fails before any
 * access: the memory core would otherwise try it a few bytes at a time,
 * and behind an IOMMU report a translation fault for each.
 */
bool ioat_dma_data_read(PCIDevice *pdev, dma_addr_t addr, void *buf,
                        dma_addr_t len)
{
    return dma_memory_valid(pci_get_address_space(pdev), addr, len,
                            DMA_DIRECTION_TO_DEVICE,
                            MEMTXATTRS_UNSPECIFIED) &&
           pci_dma_read(pdev, addr, buf, len) == MEMTX_OK;
}

bool ioat_dma_data_write(PCIDevice *pdev, dma_addr_t addr, const void *buf,
                         dma_addr_t len)
{
    return dma_memory_valid(pci_get_address_space(pdev), addr, len,
                            DMA_DIRECTION_FROM_DEVICE,
                            MEMTXATTRS_UNSPECIFIED) &&
           pci_dma_write(pdev, addr, buf, len) == MEMTX_OK;
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
static uint32_t ioat_dma_copy(IoatDmaChannel *ch, dma_addr_t dst,
                              dma_addr_t src, dma_addr_t len, dma_addr_t *done)
{
    PCIDevice *pdev = ioat_dma_pci(ch);
    AddressSpace *as = pci_get_address_space(pdev);
    uint8_t *s_win, *d_win;

    /* Both sides in RAM the channel's windows map: one copy. */
    s_win = ioat_window_map(&ch->rd_win, pdev, src, len, true);
    d_win = s_win ? ioat_window_map(&ch->wr_win, pdev, dst, len, false) : NULL;
    if (s_win && d_win) {
        memmove(d_win, s_win, len);
        ioat_window_written_batched(&ch->wr_win, dst, len);
        *done = len;
        return 0;
    }
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
            if (!ioat_dma_data_read(pdev, s_addr, buf, n)) {
                return R_CHANERR_READ_DATA_MASK;
            }
            if (!ioat_dma_data_write(pdev, d_addr, buf, n)) {
                return R_CHANERR_WRITE_DATA_MASK;
            }
        }
        *done += n;
        if (!DEVICE(pdev)->realized) {
            break;      /* that write unplugged us: ioat_dma_gone() */
        }
    }
    return 0;
}

/*
 * Block fill: @len bytes of the 64-bit @pattern (little-endian memory
 * order), anchored at the descriptor's destination; @phase is the offset
 * already done.  Returns 0 or WRITE_DATA; *@done counts the bytes written.
 */
static uint32_t ioat_dma_fill(PCIDevice *pdev, dma_addr_t dst,
                              uint64_t pattern, uint32_t phase,
                              dma_addr_t len, dma_addr_t *done)
{
    uint8_t buf[IOAT_DMA_BOUNCE_SIZE];
    uint8_t pat[8];

    stq_le_p(pat, pattern);
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = pat[(phase + i) % 8];
    }
    /* sizeof(buf) is a multiple of 8: every chunk starts in phase. */
    for (*done = 0; *done < len; ) {
        dma_addr_t n = MIN(len - *done, sizeof(buf));

        if (!ioat_dma_data_write(pdev, dst + *done, buf, n)) {
            return R_CHANERR_WRITE_DATA_MASK;
        }
        *done += n;
        if (!DEVICE(pdev)->realized) {
            break;      /* that write unplugged us: ioat_dma_gone() */
        }
    }
    return 0;
}

static inline bool ioat_dma_desc_is_null(const IoatDmaDesc *d)
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
    uint8_t *p;

    if (addr & (IOAT_DMA_DESC_ALIGN - 1)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_align,
                           "channel %u: descriptor address 0x%" PRIx64
                           " is not 64-byte aligned", ch->index, addr);
        ioat_dma_chan_halt(ch, R_CHANERR_NEXT_DESC_ALIGN_MASK);
        return false;
    }
    p = ioat_window_map(&ch->rd_win, ioat_dma_pci(ch), addr,
                        IOAT_DMA_DESC_SIZE, true);
    if (p) {
        memcpy(buf, p, IOAT_DMA_DESC_SIZE);
    } else if (!ioat_dma_data_read(ioat_dma_pci(ch), addr, buf,
                                   IOAT_DMA_DESC_SIZE)) {
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

/* The ops the device advertises in DMACAPABILITY. */
static bool ioat_dma_op_known(IoatDmaState *s, uint8_t op)
{
    switch (op) {
    case IOAT_DMA_OP_COPY:
        return true;
    case IOAT_DMA_OP_FILL:
        return s->fill;
    default:
        return s->raid && ioat_dma_raid_op_known(op, s->raid16ss);
    }
}

static bool ioat_dma_op_is_raid(uint8_t op)
{
    return op != IOAT_DMA_OP_COPY && op != IOAT_DMA_OP_FILL;
}

static bool ioat_dma_chan_check_desc(IoatDmaChannel *ch, uint64_t addr)
{
    const IoatDmaDesc *d = &ch->cur;
    uint64_t max_size = 1ULL << ch->dev->xfercap_log2;
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (ioat_dma_fault_hits(&ch->fault_count)) {
        trace_ioat_dma_fault_chanerr(ch->index, ch->fault_chanerr, addr);
        ioat_dma_chan_halt(ch, ch->fault_chanerr);
        return false;
    }
    if (!ioat_dma_op_known(ch->dev, op)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_op,
                           "channel %u: descriptor at 0x%" PRIx64
                           " has unknown op 0x%02x", ch->index, addr, op);
        ioat_dma_chan_halt(ch, R_CHANERR_CONTROL_MASK);
        return false;
    }
    /* Page break is not advertised (DMACAPABILITY bit 0 is clear). */
    if (!ioat_dma_op_is_raid(op) && !ioat_dma_desc_is_null(d) &&
        (FIELD_EX32(d->ctl, DESC_CTL, DEST_BRK) ||
         (op == IOAT_DMA_OP_COPY && FIELD_EX32(d->ctl, DESC_CTL, SRC_BRK)))) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_desc_op,
                           "channel %u: descriptor at 0x%" PRIx64
                           " asks for a page break, which DMACAPABILITY does "
                           "not offer (op 0x%02x)", ch->index, addr, op);
        ioat_dma_chan_halt(ch, R_CHANERR_CONTROL_MASK);
        return false;
    }
    if (ioat_dma_op_is_raid(op) &&
        ioat_dma_raid_sources(d) > ioat_dma_raid_max_sources(d)) {
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

/* The checks of ioat_dma_chan_check_desc(), for a migrated descriptor. */
bool ioat_dma_desc_valid(IoatDmaState *s, const IoatDmaDesc *d,
                         uint32_t done)
{
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (!ioat_dma_op_known(s, op) ||
        (ioat_dma_op_is_raid(op) &&
         ioat_dma_raid_sources(d) > ioat_dma_raid_max_sources(d))) {
        return false;
    }
    return done <= d->size && d->size <= (1ULL << s->xfercap_log2);
}

/*
 * A 16-source PQ's super extended descriptor, read once when the
 * descriptor starts (base + 0x28 holds its address).
 */
static bool ioat_dma_chan_fetch_sed(IoatDmaChannel *ch, uint64_t addr)
{
    uint64_t sed = ch->cur.opt[1];
    unsigned len = ioat_dma_raid_sed_size(&ch->cur);
    uint64_t raw[IOAT_DMA_SED_SIZE / 8] = { };

    if (sed & (IOAT_DMA_SED_ALIGN - 1) ||
        !ioat_dma_data_read(ioat_dma_pci(ch), sed, raw, len)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_sed,
                           "channel %u: descriptor at 0x%" PRIx64 ": cannot "
                           "read its %u-byte SED at 0x%" PRIx64 " (64-byte "
                           "aligned)", ch->index, addr, len, sed);
        ioat_dma_chan_halt(ch, R_CHANERR_SED_ADDR_MASK);
        return false;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(raw); i++) {
        ch->cur_sed[i] = le64_to_cpu(raw[i]);
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
    if (ioat_dma_raid_is_16s(FIELD_EX32(d->ctl, DESC_CTL, OP)) &&
        !ioat_dma_chan_fetch_sed(ch, addr)) {
        return false;
    }

    if (ioat_dma_desc_slots(d) > 1) {
        /* DMACOUNT covers whole operations in Linux; wait if not. */
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
    switch (FIELD_EX32(d->ctl, DESC_CTL, OP)) {
    case IOAT_DMA_OP_COPY:
        err = ioat_dma_copy(ch, d->dst + ch->cur_done, d->src + ch->cur_done,
                            n, &done);
        break;
    case IOAT_DMA_OP_FILL:
        err = ioat_dma_fill(ioat_dma_pci(ch), d->dst + ch->cur_done, d->src,
                            ch->cur_done, n, &done);
        break;
    default:
        err = ioat_dma_raid_run(ioat_dma_pci(ch), d, &ch->cur_ext,
                                ch->cur_sed, ch->cur_done, n,
                                &ch->cur_mismatch);
        done = err ? 0 : n;
        break;
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
 * A validate op found a mismatch (ioat-dma.rst, "Errors").  With DWBES and
 * the descriptor's WB_EN, a PQ validate reports it in its dword 0 and
 * completes; bits masked by CHANERR_MASK are neither latched nor halt;
 * otherwise the channel halts with XOR_P and/or XOR_Q.  Returns true if
 * the descriptor completes.
 */
static bool ioat_dma_chan_mismatch(IoatDmaChannel *ch)
{
    uint32_t m = ch->cur_mismatch;
    uint8_t op = FIELD_EX32(ch->cur.ctl, DESC_CTL, OP);
    uint32_t status;

    trace_ioat_dma_desc_mismatch(ch->index, ch->cur_addr, m);
    if (ioat_dma_gone(ch->dev)) {
        return false;
    }
    if (ch->dev->dwbes && op != IOAT_DMA_OP_XOR_VAL &&
        FIELD_EX32(ch->cur.ctl, DESC_CTL, WB_EN)) {
        status = IOAT_DMA_DWBES_VALID |
                 (m & R_CHANERR_XOR_P_MASK ? IOAT_DMA_DWBES_P_ERR : 0) |
                 (m & R_CHANERR_XOR_Q_MASK ? IOAT_DMA_DWBES_Q_ERR : 0);
        if (stl_le_pci_dma(ioat_dma_pci(ch), ch->cur_addr, status,
                           MEMTXATTRS_UNSPECIFIED) != MEMTX_OK) {
            IOAT_DMA_GUEST_ERR(ioat_dma_err_data,
                               "channel %u: descriptor at 0x%" PRIx64 ": %s "
                               "failed at byte %u", ch->index, ch->cur_addr,
                               "status write-back", 0);
            ioat_dma_chan_halt(ch, R_CHANERR_WRITE_DATA_MASK);
            return false;
        }
        trace_ioat_dma_desc_writeback(ch->index, ch->cur_addr, status);
        return true;
    }
    m &= ~ch->chanerr_mask;
    if (m) {
        ioat_dma_chan_halt(ch, m);
        return false;
    }
    return true;
}

/*
 * ch->cur is done: advance the ring, then completion record and interrupt.
 * A validate op that found a mismatch may halt instead.
 */
static bool ioat_dma_chan_retire(IoatDmaChannel *ch)
{
    uint32_t ctl = ch->cur.ctl;
    unsigned slots = ioat_dma_desc_slots(&ch->cur);
    uint8_t status;

    if (ch->cur_mismatch && !ioat_dma_chan_mismatch(ch)) {
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
        ioat_window_flush(&ch->wr_win);
        ioat_dma_chan_interrupt(ch);
    }
    return true;
}

static void ioat_dma_chan_run_budget(IoatDmaChannel *ch)
{
    uint64_t bytes = IOAT_DMA_RUN_BYTES;
    unsigned descs = IOAT_DMA_RUN_DESCS;

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
            /* Injected: ACTIVE, and no progress until reset or abort. */
            if (ch->stalled || ioat_dma_fault_hits(&ch->fault_stalls)) {
                if (!ch->stalled) {
                    trace_ioat_dma_fault_stall(ch->index, ch->next);
                }
                ch->stalled = true;
                return;
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
        ioat_dma_chan_kick(ch);
    }
}

/*
 * The bottom half.  Any DMA write or message may unplug the device
 * (ioat_dma_gone()): the reference keeps the state alive, and unrealize
 * leaves every channel HALTED, which ends the loop.
 */
void ioat_dma_chan_run(void *opaque)
{
    IoatDmaChannel *ch = opaque;

    /* Nothing moves while the VM is stopped; resumed by the run state hook. */
    if (!runstate_is_running()) {
        return;
    }
    object_ref(OBJECT(ch->dev));
    smp_mb();       /* as dma_barrier(): the guest's stores come first */
    ioat_dma_chan_run_budget(ch);
    ioat_window_flush(&ch->wr_win);     /* the copies' dirty marks */
    object_unref(OBJECT(ch->dev));
}

/*
 * A run in the engine's iothread: with the BQL, as every other access to
 * the channel, and as a guarded bottom half would be (a descriptor that
 * points at the device's own registers is refused, not re-entered).  The
 * reference taken by ioat_dma_chan_kick() kept the state alive: an unplug
 * that came first left every channel HALTED, and nothing runs.
 */
static void ioat_dma_chan_run_in_iothread(void *opaque)
{
    IoatDmaChannel *ch = opaque;
    IoatDmaState *s = ch->dev;
    MemReentrancyGuard *guard = &DEVICE(s)->mem_reentrancy_guard;
    bool engaged;

    bql_lock();
    ch->kicked = false;
    engaged = guard->engaged_in_io;
    guard->engaged_in_io = true;
    ioat_dma_chan_run(ch);
    guard->engaged_in_io = engaged;
    object_unref(OBJECT(s));
    bql_unlock();
}

/*
 * Have the engine run @ch: its bottom half in the main loop, or with the
 * iothread property, a one-shot bottom half there (one at a time per
 * channel), which the iothread's polling picks up without waking the main
 * loop.  It holds a reference on the device until it has run.
 */
void ioat_dma_chan_kick(IoatDmaChannel *ch)
{
    IoatDmaState *s = ch->dev;

    if (ioat_dma_gone(s)) {
        return;
    }
    if (!s->iothread) {
        qemu_bh_schedule(ch->bh);
        return;
    }
    if (ch->kicked) {
        return;
    }
    ch->kicked = true;
    object_ref(OBJECT(s));
    aio_bh_schedule_oneshot(iothread_get_aio_context(s->iothread),
                            ioat_dma_chan_run_in_iothread, ch);
}
