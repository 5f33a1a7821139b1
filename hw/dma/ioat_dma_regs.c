/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: the register map
 *
 * Every register is one line of a table: its offset (in BAR0 for the
 * global registers, from IOAT_DMA_CHAN_BASE(n) for a channel's), width,
 * writable bits, flags, where its value lives and the core function that
 * acts on a write.  Linux mixes 1-, 2-, 4- and 8-byte accesses on shared
 * dwords (INTRCTRL is a byte next to CHANCNT/XFERCAP, CHANCMD a byte next
 * to the 16-bit DMACOUNT), so an access is dispatched to each register it
 * overlaps; the bytes no register covers are reported under -d unimp once
 * per offset and read as 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "ioat_dma_internal.h"
#include "trace.h"

/* The register's flags */
#define IOAT_DMA_REG_RO     BIT(0)      /* a write is a guest error */
#define IOAT_DMA_REG_W1C    BIT(1)      /* writing 1 clears the bit */
#define IOAT_DMA_REG_RC     BIT(2)      /* reading clears the register */

/* DMA_COMP: compatible with DMA version 2 (Linux's IOAT_DMA_COMP_V2) */
#define IOAT_DMA_COMP_V2    0x0002

/* INT_STATUS and INT are derived from ATTNSTATUS. */
#define IOAT_DMA_INTRCTRL_WRITABLE                                      \
    (R_INTRCTRL_MASTER_INT_EN_MASK | R_INTRCTRL_MSIX_VECTOR_CONTROL_MASK)

/* CHANCTRL bits other than these four are stored only. */
#define IOAT_DMA_CHANCTRL_STORED_ONLY                                   \
    (UINT16_MAX & ~(R_CHANCTRL_INT_REARM_MASK |                         \
                    R_CHANCTRL_ERR_COMPLETION_EN_MASK |                 \
                    R_CHANCTRL_ANY_ERR_ABORT_EN_MASK |                  \
                    R_CHANCTRL_ERR_INT_EN_MASK))

typedef struct IoatDmaReg {
    const char *name;
    uint16_t addr;          /* global: BAR0 offset; channel: from its base */
    uint8_t size;           /* 1, 2 or 4 bytes */
    uint8_t flags;
    uint32_t wmask;         /* bits a write changes */
    uint32_t unimp;         /* stored bits whose function is not modelled */
    uint32_t value;         /* value of a register with no field nor read */
    /*
     * The value lives in a field of IoatDmaState (global registers) or
     * IoatDmaChannel (channel registers), @field_size bytes at @field; the
     * register is its bits [shift, shift + 8 * size).
     */
    size_t field;
    uint8_t field_size;     /* 0: no field */
    uint8_t shift;
    /* the value when it is computed; otherwise the field or @value */
    uint64_t (*read)(IoatDmaState *s, IoatDmaChannel *ch);
    /* a side effect, called after the field (if any) took the new value */
    void (*written)(IoatDmaState *s, IoatDmaChannel *ch, uint32_t val);
} IoatDmaReg;

/* Table notation, for the two tables below only */
#define REG(reg, sz, ...) \
    { .name = #reg, .addr = A_##reg, .size = (sz), __VA_ARGS__ }
#define STATE_FIELD(f) \
    .field = offsetof(IoatDmaState, f), \
    .field_size = sizeof_field(IoatDmaState, f)
#define CHAN_FIELD(f) \
    .field = offsetof(IoatDmaChannel, f), \
    .field_size = sizeof_field(IoatDmaChannel, f)
#define RO          .flags = IOAT_DMA_REG_RO
#define RW(bits)    .wmask = (bits)
#define W1C(bits)   .flags = IOAT_DMA_REG_W1C, .wmask = (bits)
#define STORED(bits) .wmask = (bits), .unimp = (bits)   /* no effect */
#define HI          .shift = 32     /* the upper half of a 64-bit value */

static uint64_t dmacapability_read(IoatDmaState *s, IoatDmaChannel *ch)
{
    uint32_t v = 0;

    v = FIELD_DP32(v, DMACAPABILITY, BLOCK_FILL, s->fill);
    if (s->raid) {
        v = FIELD_DP32(v, DMACAPABILITY, XOR, 1);
        v = FIELD_DP32(v, DMACAPABILITY, PQ, 1);
        v = FIELD_DP32(v, DMACAPABILITY, DWBES, s->dwbes);
        v = FIELD_DP32(v, DMACAPABILITY, RAID16SS, s->raid16ss);
    }
    return v;
}

/* Interrupt coalescing is modelled: COALESCE_SUPPORT reads 1. */
static uint64_t intrdelay_read(IoatDmaState *s, IoatDmaChannel *ch)
{
    return s->intrdelay | R_INTRDELAY_COALESCE_SUPPORT_MASK;
}

static uint64_t intrctrl_read(IoatDmaState *s, IoatDmaChannel *ch)
{
    return ioat_dma_intrctrl(s);
}

static void intrctrl_written(IoatDmaState *s, IoatDmaChannel *ch,
                             uint32_t val)
{
    ioat_dma_intrctrl_written(s);
}

static void attnstatus_written(IoatDmaState *s, IoatDmaChannel *ch,
                               uint32_t val)
{
    ioat_dma_update_intx(s);
}

static void chanctrl_written(IoatDmaState *s, IoatDmaChannel *ch,
                             uint32_t val)
{
    ioat_dma_chanctrl_written(ch);
}

static void chancmd_written(IoatDmaState *s, IoatDmaChannel *ch,
                            uint32_t val)
{
    ioat_dma_chan_command(ch, val);
}

static void dmacount_written(IoatDmaState *s, IoatDmaChannel *ch,
                             uint32_t val)
{
    ioat_dma_dmacount_written(ch, val);
}

static uint64_t chansts_read(IoatDmaState *s, IoatDmaChannel *ch)
{
    return ioat_dma_chan_status(ch);
}

static void chainaddr_written(IoatDmaState *s, IoatDmaChannel *ch,
                              uint32_t val)
{
    ioat_dma_chan_set_chainaddr(ch, ch->chainaddr);
}

static uint64_t cdar_read(IoatDmaState *s, IoatDmaChannel *ch)
{
    return ioat_dma_cdar(ch);
}

/* Global registers, by BAR0 offset */
static const IoatDmaReg ioat_dma_global_regs[] = {
    REG(CHANCNT, 1, RO, STATE_FIELD(num_channels)),
    REG(XFERCAP, 1, RO, STATE_FIELD(xfercap_log2)),
    REG(GENCTRL, 1, STORED(UINT8_MAX), STATE_FIELD(genctrl)),
    REG(INTRCTRL, 1, RW(IOAT_DMA_INTRCTRL_WRITABLE), STATE_FIELD(intrctrl),
        .read = intrctrl_read, .written = intrctrl_written),
    /* Linux's INTx/MSI handler reads it and never writes it */
    REG(ATTNSTATUS, 4, .flags = IOAT_DMA_REG_RO | IOAT_DMA_REG_RC,
        STATE_FIELD(attnstatus), .written = attnstatus_written),
    REG(CBVER, 1, RO, .value = IOAT_DMA_CBVER_3_4),
    REG(PERPORTOFFSET, 2, RO),
    REG(INTRDELAY, 2, RW(R_INTRDELAY_DELAY_US_MASK), STATE_FIELD(intrdelay),
        .read = intrdelay_read),
    REG(CS_STATUS, 2, RO),
    REG(DMACAPABILITY, 4, RO, .read = dmacapability_read),
    REG(DCAOFFSET, 2, RO),                      /* no DCA */
    REG(CHWPREFLMT, 1, STORED(UINT8_MAX), STATE_FIELD(chwpreflmt)),
};

/* Channel registers, by offset from IOAT_DMA_CHAN_BASE(n) */
static const IoatDmaReg ioat_dma_chan_regs[] = {
    REG(CHANCTRL, 2, RW(UINT16_MAX), .unimp = IOAT_DMA_CHANCTRL_STORED_ONLY,
        CHAN_FIELD(chanctrl), .written = chanctrl_written),
    REG(DMA_COMP, 2, RO, .value = IOAT_DMA_COMP_V2),
    /* commands complete inside the write, so CHANCMD reads back 0 */
    REG(CHANCMD, 1, RW(UINT8_MAX), .written = chancmd_written),
    REG(DMACOUNT, 2, RW(UINT16_MAX), CHAN_FIELD(dmacount),
        .written = dmacount_written),
    REG(CHANSTS_LO, 4, RO, .read = chansts_read),
    REG(CHANSTS_HI, 4, RO, .read = chansts_read, HI),
    REG(CHAINADDR_LO, 4, RW(UINT32_MAX), CHAN_FIELD(chainaddr),
        .written = chainaddr_written),
    REG(CHAINADDR_HI, 4, RW(UINT32_MAX), CHAN_FIELD(chainaddr), HI,
        .written = chainaddr_written),
    REG(CHANCMP_LO, 4, RW(UINT32_MAX), CHAN_FIELD(chancmp)),
    REG(CHANCMP_HI, 4, RW(UINT32_MAX), CHAN_FIELD(chancmp), HI),
    REG(CDAR_LO, 4, RO, .read = cdar_read),
    REG(CDAR_HI, 4, RO, .read = cdar_read, HI),
    REG(CHANERR, 4, W1C(UINT32_MAX), CHAN_FIELD(chanerr)),
    REG(CHANERR_MASK, 4, RW(UINT32_MAX), CHAN_FIELD(chanerr_mask)),
    /* DCA, descriptor ring prefetch and LTR are not modelled */
    REG(DCACTRL, 4, STORED(UINT32_MAX), CHAN_FIELD(dcactrl)),
    REG(DRSCTL, 2, STORED(UINT16_MAX), CHAN_FIELD(drsctl)),
    REG(LTR_SWSEL, 1, STORED(UINT8_MAX), CHAN_FIELD(ltr_swsel)),
    REG(LTR_ACTIVE, 4, STORED(UINT32_MAX), CHAN_FIELD(ltr_active)),
    REG(LTR_IDLE, 4, STORED(UINT32_MAX), CHAN_FIELD(ltr_idle)),
};

#undef REG
#undef STATE_FIELD
#undef CHAN_FIELD
#undef RO
#undef RW
#undef W1C
#undef STORED
#undef HI

/* One register an access overlaps. */
typedef struct IoatDmaRegHit {
    const IoatDmaReg *reg;
    IoatDmaChannel *ch;         /* NULL for a global register */
    hwaddr addr;                /* the register's BAR0 offset */
} IoatDmaRegHit;

/*
 * The bytes an access [addr, addr + size) shares with a register: @bits
 * bits at @reg_shift in the register's value, at @acc_shift in the access.
 */
typedef struct IoatDmaLanes {
    unsigned reg_shift;
    unsigned acc_shift;
    unsigned bits;
} IoatDmaLanes;

static IoatDmaLanes ioat_dma_lanes(const IoatDmaRegHit *h, hwaddr addr,
                                   unsigned size)
{
    hwaddr lo = MAX(h->addr, addr);
    hwaddr hi = MIN(h->addr + h->reg->size, addr + size);

    return (IoatDmaLanes) {
        .reg_shift = (lo - h->addr) * BITS_PER_BYTE,
        .acc_shift = (lo - addr) * BITS_PER_BYTE,
        .bits = (hi - lo) * BITS_PER_BYTE,
    };
}

/* The access bytes the register covers, one bit per byte of the access. */
static unsigned ioat_dma_lanes_covered(IoatDmaLanes l)
{
    return MAKE_64BIT_MASK(l.acc_shift / BITS_PER_BYTE,
                           l.bits / BITS_PER_BYTE);
}

static void *ioat_dma_reg_field(IoatDmaState *s, const IoatDmaRegHit *h)
{
    void *base = h->ch ? (void *)h->ch : (void *)s;

    return (uint8_t *)base + h->reg->field;
}

/* The value held by the register's field, or its constant value. */
static uint32_t ioat_dma_reg_stored(IoatDmaState *s, const IoatDmaRegHit *h)
{
    const IoatDmaReg *r = h->reg;

    if (!r->field_size) {
        return r->value;
    }
    return extract64(ldn_he_p(ioat_dma_reg_field(s, h), r->field_size),
                     r->shift, r->size * BITS_PER_BYTE);
}

/* The value the guest reads, without side effects. */
static uint32_t ioat_dma_reg_value(IoatDmaState *s, const IoatDmaRegHit *h)
{
    const IoatDmaReg *r = h->reg;

    if (r->read) {
        return extract64(r->read(s, h->ch), r->shift,
                         r->size * BITS_PER_BYTE);
    }
    return ioat_dma_reg_stored(s, h);
}

/* Give the register a new value: its field, then its side effect. */
static void ioat_dma_reg_store(IoatDmaState *s, const IoatDmaRegHit *h,
                               uint32_t val)
{
    const IoatDmaReg *r = h->reg;

    if (r->field_size) {
        void *p = ioat_dma_reg_field(s, h);
        uint64_t v = ldn_he_p(p, r->field_size);

        stn_he_p(p, r->field_size,
                 deposit64(v, r->shift, r->size * BITS_PER_BYTE, val));
    }
    if (r->written) {
        r->written(s, h->ch, val);
    }
}

static bool ioat_dma_overlaps(hwaddr reg, unsigned reg_size, hwaddr addr,
                              unsigned size)
{
    return reg < addr + size && addr < reg + reg_size;
}

/*
 * Find the registers [addr, addr + size) overlaps; returns how many.
 * *@covered gets one bit per access byte some register covers, and
 * *@no_chan the index of a channel past CHANCNT whose register it hit, or
 * -1.  A channel's registers may lie past its 0x80 stride (DRSCTL and LTR
 * are in the next window), so each channel register is looked for at the
 * one channel whose copy of it can overlap the access.
 */
static unsigned ioat_dma_decode(IoatDmaState *s, hwaddr addr, unsigned size,
                                IoatDmaRegHit *hits, unsigned *covered,
                                int *no_chan)
{
    unsigned n = 0;

    *covered = 0;
    *no_chan = -1;
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_dma_global_regs); i++) {
        const IoatDmaReg *r = &ioat_dma_global_regs[i];

        if (ioat_dma_overlaps(r->addr, r->size, addr, size)) {
            hits[n] = (IoatDmaRegHit) { .reg = r, .addr = r->addr };
            *covered |= ioat_dma_lanes_covered(ioat_dma_lanes(&hits[n],
                                                              addr, size));
            n++;
        }
    }
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_dma_chan_regs); i++) {
        const IoatDmaReg *r = &ioat_dma_chan_regs[i];
        hwaddr first = IOAT_DMA_CHAN_BASE(0) + r->addr;
        hwaddr last_byte = addr + size - 1;
        unsigned c;
        IoatDmaRegHit h;

        if (last_byte < first) {
            continue;
        }
        c = (last_byte - first) / IOAT_DMA_CHAN_STRIDE;
        h = (IoatDmaRegHit) {
            .reg = r, .addr = IOAT_DMA_CHAN_BASE(c) + r->addr,
        };
        if (!ioat_dma_overlaps(h.addr, r->size, addr, size)) {
            continue;
        }
        *covered |= ioat_dma_lanes_covered(ioat_dma_lanes(&h, addr, size));
        /*
         * CHANCNT tells the guest how many channels there are, so a channel
         * past it is a guest mistake, not a register the model lacks.
         */
        if (c >= s->num_channels) {
            *no_chan = c;
            continue;
        }
        h.ch = &s->chan[c];
        hits[n++] = h;
    }
    return n;
}

static void ioat_dma_report_no_chan(IoatDmaState *s, hwaddr addr,
                                    unsigned size, int chan, bool is_write)
{
    if (chan < 0) {
        return;
    }
    IOAT_DMA_GUEST_ERR(ioat_dma_err_no_chan,
                       "%s of offset 0x%" HWADDR_PRIx " (size %u): channel "
                       "%d does not exist, CHANCNT is %u",
                       is_write ? "write" : "read", addr, size, chan,
                       s->num_channels);
}

/*
 * Report each run of access bytes no register covers, once per offset:
 * they read as 0 and writes to them are dropped.
 */
static void ioat_dma_report_unimp(IoatDmaState *s, hwaddr addr,
                                  unsigned size, unsigned covered,
                                  bool is_write)
{
    unsigned i = 0;

    while (i < size) {
        unsigned start = i;
        bool logged = true;

        if (covered & BIT(i)) {
            i++;
            continue;
        }
        for (; i < size && !(covered & BIT(i)); i++) {
            logged &= test_and_set_bit(addr + i, s->unimp_logged);
        }
        if (!logged) {
            IOAT_DMA_UNIMP(ioat_dma_unimp_offset,
                           "%s of unimplemented offset 0x%" HWADDR_PRIx
                           " (size %u): reads as 0, writes are dropped",
                           is_write ? "write" : "read", addr + start,
                           i - start);
        }
    }
}

/* Report a value the model stores but does not act on, once per register. */
static void ioat_dma_report_unimp_value(IoatDmaState *s,
                                        const IoatDmaRegHit *h, uint32_t val)
{
    if (!(val & h->reg->unimp) ||
        test_and_set_bit(h->addr, s->unimp_logged)) {
        return;
    }
    IOAT_DMA_UNIMP(ioat_dma_unimp_value,
                   "%s (offset 0x%" HWADDR_PRIx ") = 0x%x: stored, but bits "
                   "0x%x have no effect in this model", h->reg->name, h->addr,
                   val, val & h->reg->unimp);
}

static void ioat_dma_report_ro_write(const IoatDmaRegHit *h)
{
    if (h->ch) {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_chan_ro_write,
                           "channel %u: write to read-only %s (channel "
                           "offset 0x%x)", h->ch->index, h->reg->name,
                           h->reg->addr);
    } else {
        IOAT_DMA_GUEST_ERR(ioat_dma_err_ro_write,
                           "write to read-only %s (offset 0x%x)",
                           h->reg->name, h->reg->addr);
    }
}

uint64_t ioat_dma_reg_read(IoatDmaState *s, hwaddr addr, unsigned size)
{
    IoatDmaRegHit hits[IOAT_DMA_REG_ACCESS_MAX];
    unsigned n, covered;
    uint64_t val = 0;
    int no_chan;

    n = ioat_dma_decode(s, addr, size, hits, &covered, &no_chan);
    for (unsigned i = 0; i < n; i++) {
        IoatDmaLanes l = ioat_dma_lanes(&hits[i], addr, size);

        val = deposit64(val, l.acc_shift, l.bits,
                        extract32(ioat_dma_reg_value(s, &hits[i]),
                                  l.reg_shift, l.bits));
    }
    for (unsigned i = 0; i < n; i++) {
        if (hits[i].reg->flags & IOAT_DMA_REG_RC) {
            ioat_dma_reg_store(s, &hits[i], 0);
        }
    }
    ioat_dma_report_no_chan(s, addr, size, no_chan, false);
    ioat_dma_report_unimp(s, addr, size, covered, false);
    trace_ioat_dma_mmio_read(addr, size, val);
    return val;
}

void ioat_dma_reg_write(IoatDmaState *s, hwaddr addr, uint64_t val,
                        unsigned size)
{
    IoatDmaRegHit hits[IOAT_DMA_REG_ACCESS_MAX];
    unsigned n, covered;
    int no_chan;

    trace_ioat_dma_mmio_write(addr, size, val);
    n = ioat_dma_decode(s, addr, size, hits, &covered, &no_chan);
    for (unsigned i = 0; i < n; i++) {
        const IoatDmaReg *r = hits[i].reg;
        IoatDmaLanes l = ioat_dma_lanes(&hits[i], addr, size);
        /* the register bits this access writes and may change */
        uint32_t wbits = MAKE_64BIT_MASK(l.reg_shift, l.bits) & r->wmask;
        uint32_t data = extract64(val, l.acc_shift, l.bits) << l.reg_shift;
        uint32_t old = ioat_dma_reg_stored(s, &hits[i]);
        uint32_t new;

        /* The register before unplugged the device (ioat_dma_gone()). */
        if (ioat_dma_gone(s)) {
            return;
        }
        if (r->flags & IOAT_DMA_REG_RO) {
            ioat_dma_report_ro_write(&hits[i]);
            continue;
        }
        if (r->flags & IOAT_DMA_REG_W1C) {
            new = old & ~(data & wbits);
        } else {
            new = (old & ~wbits) | (data & wbits);
        }
        ioat_dma_reg_store(s, &hits[i], new);
        ioat_dma_report_unimp_value(s, &hits[i], new);
    }
    ioat_dma_report_no_chan(s, addr, size, no_chan, true);
    ioat_dma_report_unimp(s, addr, size, covered, true);
}
