/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: register decode
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
#include "ioat_dma_internal.h"
#include "trace.h"

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

static bool ioat_dma_global_read(IoatDmaState *s, hwaddr dw, uint32_t *val)
{
    switch (dw) {
    case A_CHANCNT:
        *val = s->num_channels | (s->xfercap_log2 << 8) | (s->genctrl << 16) |
               (ioat_dma_intrctrl(s) << 24);
        return true;
    case A_ATTNSTATUS:
        /* Read to clear: Linux's INTx/MSI handler never writes it. */
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
            /* INT_STATUS and INT are read-only. */
            s->intrctrl = (val >> 24) & (R_INTRCTRL_MASTER_INT_EN_MASK |
                                         R_INTRCTRL_MSIX_VECTOR_CONTROL_MASK);
            ioat_dma_intrctrl_written(s);
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
        *val = ioat_dma_cdar(ch) >> (rel == A_CDAR_HI ? 32 : 0);
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
            ioat_dma_chanctrl_written(ch);
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

uint64_t ioat_dma_reg_read(IoatDmaState *s, hwaddr addr, unsigned size)
{
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

void ioat_dma_reg_write(IoatDmaState *s, hwaddr addr, uint64_t val,
                        unsigned size)
{
    unsigned shift = (addr & 3) * 8;
    uint32_t mask = MAKE_64BIT_MASK(shift, size * 8);

    trace_ioat_dma_mmio_write(addr, size, val);
    if (!ioat_dma_write_dword(s, addr & ~3, val << shift, mask)) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_bad_offset,
                           "write of unimplemented offset 0x%" HWADDR_PRIx
                           " (size %u)", addr, size);
    }
}
