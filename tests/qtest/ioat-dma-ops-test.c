/*
 * qtests for what Crystal Beach 3.4 does beyond what Linux 6.1's ioatdma
 * exercises: block fill, 16-source P+Q (RAID16SS), validate write-back
 * status (DWBES), CHANERR_MASK, the error record, interrupt coalescing
 * (INTRDELAY) and recovery as DPDK, FreeBSD and Linux drive it.  One
 * behaviour per test, on the fixture of ioat-dma-fixture.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-dma.h"
#include "ioat-dma-fixture.h"
#include "qemu/units.h"
#include "hw/dma/ioat_dma_regs.h"

/* Block fill (op 0x01): the 64-bit pattern is at descriptor offset 0x08 */

#define FILL_PATTERN    0xfedcba9876543210ULL
#define FILL_CTL        (OP(IOAT_DMA_OP_FILL) | CTL(COMPL_WRITE))
#define GUARD           64

/* Byte k of a fill anchored at its destination: byte k % 8 of the value. */
static uint8_t fill_byte(uint64_t pattern, uint64_t k)
{
    return pattern >> (8 * (k % 8));
}

static void assert_pattern(Chan *c, uint64_t dst, uint64_t len,
                           uint64_t pattern)
{
    g_autofree uint8_t *got = g_malloc(len + 1);

    if (!len) {
        return;
    }
    qtest_bufread(ioat_dma_qts(c->d), dst, got, len);
    for (uint64_t k = 0; k < len; k++) {
        g_assert_cmphex(got[k], ==, fill_byte(pattern, k));
    }
}

/* [dst, dst + len) holds the pattern; GUARD bytes each side are 0xee. */
static void assert_filled(Chan *c, uint64_t dst, uint64_t len,
                          uint64_t pattern)
{
    uint8_t before[GUARD], after[GUARD];

    qtest_bufread(ioat_dma_qts(c->d), dst - GUARD, before, GUARD);
    qtest_bufread(ioat_dma_qts(c->d), dst + len, after, GUARD);
    for (unsigned k = 0; k < GUARD; k++) {
        g_assert_cmphex(before[k], ==, 0xee);
        g_assert_cmphex(after[k], ==, 0xee);
    }
    assert_pattern(c, dst, len, pattern);
}

/* A destination of @len bytes at offset @off of a buffer set to 0xee. */
static uint64_t fill_target(Chan *c, uint64_t len, unsigned off)
{
    uint64_t buf = guest_alloc(c->alloc, len + 2 * GUARD + off);

    qtest_memset(ioat_dma_qts(c->d), buf, 0xee, len + 2 * GUARD + off);
    return buf + GUARD + off;
}

static uint64_t fill_run(Chan *c, uint64_t dst, uint32_t len,
                         uint64_t pattern, uint64_t *desc)
{
    *desc = desc_alloc(c);
    ioat_dma_desc_put(c->d, *desc, len, FILL_CTL, pattern, dst, *desc);
    return run_chain(c, *desc, 1);
}

typedef struct FillCase {
    const char *name;
    uint32_t len;
    unsigned dst_off;       /* from an 8-byte aligned address */
} FillCase;

/* The lengths DPDK's tests use, and a destination off the 8-byte grid. */
static const FillCase fill_cases[] = {
    { "fill-8-bytes", 8, 0 },
    { "fill-64-bytes", 64, 0 },
    { "fill-1024-bytes", 1024, 0 },
    { "fill-50-bytes", 50, 0 },
    { "fill-89-bytes", 89, 0 },
    { "fill-100-bytes", 100, 0 },
    { "fill-odd-destination-anchored-at-destination", 333, 3 },
};

static void test_fill_writes_pattern(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    const FillCase *f = data;
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, f->len, f->dst_off), desc;

    g_assert_cmphex(fill_run(&c, dst, f->len, FILL_PATTERN, &desc), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, desc | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_chanerr(&c), ==, 0);
    assert_filled(&c, dst, f->len, FILL_PATTERN);
}

/* The pattern is a value: one that looks like an unbacked address works. */
static void test_fill_never_reads_its_pattern(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, 256, 0), desc;

    g_assert_cmphex(fill_run(&c, dst, 256, BAD_ADDR, &desc), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    assert_filled(&c, dst, 256, BAD_ADDR);
}

/* With xfercap=12: 4096 bytes is the largest fill, 4097 a length error. */
static void test_fill_up_to_xfercap(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, 4096, 0), desc;

    g_assert_cmphex(fill_run(&c, dst, 4096, FILL_PATTERN, &desc), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    assert_filled(&c, dst, 4096, FILL_PATTERN);
    g_assert_cmphex(STATUS(fill_run(&c, dst, 4097, FILL_PATTERN, &desc)), ==,
                    IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_LENGTH_MASK);
}

static void test_fill_zero_length_is_length_error(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, 8, 0), desc;

    g_assert_cmphex(fill_run(&c, dst, 0, FILL_PATTERN, &desc), ==,
                    IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_LENGTH_MASK);
}

/*
 * 5 MiB + 5 bytes with xfercap=23: more than one run of the engine (4 MiB),
 * and the pattern keeps its phase across the boundary.
 */
static void test_fill_across_run_budget(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    const uint64_t len = 5 * MiB + 5;
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, len, 0), desc;
    uint8_t win[64];

    g_assert_cmphex(fill_run(&c, dst, len, FILL_PATTERN, &desc), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    for (uint64_t at = 4 * MiB - 32; at < 4 * MiB + 32; at++) {
        g_assert_cmphex(qtest_readb(ioat_dma_qts(c.d), dst + at), ==,
                        fill_byte(FILL_PATTERN, at));
    }
    qtest_bufread(ioat_dma_qts(c.d), dst + len - 59, win, sizeof(win));
    for (unsigned k = 0; k < 59; k++) {
        g_assert_cmphex(win[k], ==, fill_byte(FILL_PATTERN, len - 59 + k));
    }
    for (unsigned k = 59; k < sizeof(win); k++) {
        g_assert_cmphex(win[k], ==, 0xee);
    }
}

static void test_fill_unwritable_destination_halts(void *obj, void *data,
                                                   QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t null = desc_alloc(&c), fill = desc_alloc(&c);

    ioat_dma_desc_put(c.d, null, 1, NULL_DESC_CTL, 0, 0, fill);
    ioat_dma_desc_put(c.d, fill, 64, FILL_CTL, FILL_PATTERN, BAD_ADDR, null);
    g_assert_cmphex(run_chain(&c, null, 2), ==,
                    null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_WRITE_DATA_MASK);
    g_assert_cmphex(chan_record(&c), ==, null | IOAT_DMA_CHANSTS_HALTED);
}

/* fill=off: DMACAPABILITY does not offer it and op 0x01 is refused. */
static void test_fill_off_is_control_error(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, 8, 0), desc;

    g_assert_cmphex(fill_run(&c, dst, 8, FILL_PATTERN, &desc), ==,
                    IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_CONTROL_MASK);
    g_assert_cmpuint(logged("ioat_dma_err_desc_op: "), ==, 1);
}

/* Page break is not offered (DMACAPABILITY bit 0): DEST_BRK is refused. */
static void test_fill_dest_break_is_control_error(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t dst = fill_target(&c, 8, 0), desc = desc_alloc(&c);

    ioat_dma_desc_put(c.d, desc, 8, FILL_CTL | CTL(DEST_BRK), FILL_PATTERN,
                      dst, desc);
    g_assert_cmphex(run_chain(&c, desc, 1), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_CONTROL_MASK);
    assert_filled(&c, dst, 0, 0);
}

/* copy -> fill -> copy: one ring slot each, in order, fill's interrupt. */
static void test_fill_in_a_copy_chain(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d[3], src = buf_alloc(&c, 512, 9);
    uint64_t dst = fill_target(&c, 512, 0), out = guest_alloc(alloc, 512);

    enable_msix(c.d);
    for (int i = 0; i < 3; i++) {
        d[i] = desc_alloc(&c);
    }
    /* The second copy reads back what the fill wrote. */
    ioat_dma_desc_put(c.d, d[0], 512, CTL(FENCE), src, dst, d[1]);
    ioat_dma_desc_put(c.d, d[1], 256, FILL_CTL | CTL(INT_EN) | CTL(FENCE),
                      FILL_PATTERN, dst, d[2]);
    ioat_dma_desc_put(c.d, d[2], 512, CTL(COMPL_WRITE), dst, out, d[0]);
    ioat_dma_chan_set_chain(c.d, 0, d[0]);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    d[1] | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, d[1] | IOAT_DMA_CHANSTS_DONE);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
    ioat_dma_chan_doorbell(c.d, 0, 3);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    d[2] | IOAT_DMA_CHANSTS_DONE);
    assert_pattern(&c, dst, 256, FILL_PATTERN);
    assert_guest_equal(&c, dst, out, 512);
    assert_guest_equal(&c, src + 256, out + 256, 256);
}

/* 16-source P+Q (ops 0xA0/0xA1) with a super extended descriptor */

typedef struct Pq16Case {
    const char *name;
    unsigned n;
} Pq16Case;

/* 9 reads only the SED's first half; 10 up the second half too. */
static const Pq16Case pq16_cases[] = {
    { "pq16-9-sources-match-reference", 9 },
    { "pq16-10-sources-match-reference", 10 },
    { "pq16-15-sources-match-reference", 15 },
    { "pq16-16-sources-match-reference", 16 },
};

/*
 * P and Q equal the software reference: sources 2-15 and coefficients
 * 8-15 come from the SED (distinct coefficients pin each byte), base 0x28
 * is the SED address and never a source, and the op takes one ring slot.
 */
static void test_pq16_matches_reference(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    const Pq16Case *t = data;
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_16S, t->n);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, base | IOAT_DMA_CHANSTS_DONE);
    assert_guest_bytes(&c, r.p, p);
    assert_guest_bytes(&c, r.q, q);
}

/* async_tx continuations: sources 13-15 are P, Q, Q with coefficients 0,1,0. */
static void test_pq16_continuation_aliases_outputs(void *obj, void *data,
                                                   QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_16S, 16);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    r.src[13] = r.p;
    r.coef[13] = 0;
    r.src[14] = r.q;
    r.coef[14] = 1;
    r.src[15] = r.q;
    r.coef[15] = 0;
    raid_reference(&c, &r, p, q);
    raid_run(&c, &r, &base);
    assert_guest_bytes(&c, r.p, p);
    assert_guest_bytes(&c, r.q, q);
}

static void test_pq16_disabled_p_untouched(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);

    assert_disabled_p_untouched(&c, IOAT_DMA_OP_PQ_16S, 12);
}

/* Validate: buffers of the reference, with P and/or Q spoiled. */
static RaidDesc pq_val_setup(Chan *c, uint8_t op, unsigned n, bool bad_p,
                             bool bad_q)
{
    RaidDesc r = raid_sources(c, op, n);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);

    raid_reference(c, &r, p, q);
    p[7] ^= bad_p;
    q[RAID_LEN - 1] ^= bad_q ? 0x80 : 0;
    qtest_bufwrite(ioat_dma_qts(c->d), r.p, p, RAID_LEN);
    qtest_bufwrite(ioat_dma_qts(c->d), r.q, q, RAID_LEN);
    return r;
}

static void test_pq16_val_match_completes(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, IOAT_DMA_OP_PQ_VAL_16S, 14, false, false);
    uint64_t base;

    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_chanerr(&c), ==, 0);
}

typedef struct MismatchCase {
    const char *name;
    uint8_t op;
    unsigned n;
    bool bad_p, bad_q;
    uint32_t chanerr;       /* without DWBES */
    uint32_t dword0;        /* with DWBES and WB_EN */
} MismatchCase;

static const MismatchCase mismatch_cases[] = {
    { "p", IOAT_DMA_OP_PQ_VAL, 3, true, false, R_CHANERR_XOR_P_MASK,
      0x82000000 },
    { "q", IOAT_DMA_OP_PQ_VAL, 3, false, true, R_CHANERR_XOR_Q_MASK,
      0x84000000 },
    { "p-and-q", IOAT_DMA_OP_PQ_VAL, 3, true, true,
      R_CHANERR_XOR_P_MASK | R_CHANERR_XOR_Q_MASK, 0x86000000 },
    { "pq16-p", IOAT_DMA_OP_PQ_VAL_16S, 11, true, false,
      R_CHANERR_XOR_P_MASK, 0x82000000 },
    { "pq16-q", IOAT_DMA_OP_PQ_VAL_16S, 11, false, true,
      R_CHANERR_XOR_Q_MASK, 0x84000000 },
    { "pq16-p-and-q", IOAT_DMA_OP_PQ_VAL_16S, 11, true, true,
      R_CHANERR_XOR_P_MASK | R_CHANERR_XOR_Q_MASK, 0x86000000 },
};

/*
 * A null descriptor, then the validate (no extension), then a copy.
 * Returns the chain start; *@val is the validate's address, *@dst the
 * copy's destination.
 */
static uint64_t val_chain(Chan *c, const RaidDesc *r, uint64_t *val,
                          uint64_t *src, uint64_t *dst)
{
    uint64_t null = desc_alloc(c), copy = desc_alloc(c);

    *val = desc_alloc(c);
    *src = buf_alloc(c, 128, 0x31);
    *dst = guest_alloc(c->alloc, 128);
    qtest_memset(ioat_dma_qts(c->d), *dst, 0, 128);
    ioat_dma_desc_put(c->d, null, 1, NULL_DESC_CTL, 0, 0, *val);
    raid_desc_put(c, *val, 0, r, copy);
    ioat_dma_desc_put(c->d, copy, 128, CTL(COMPL_WRITE), *src, *dst, null);
    return null;
}

/* Without WB_EN a mismatch halts with exactly the differing outputs. */
static void test_val_mismatch_halts(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    const MismatchCase *m = data;
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, m->op, m->n, m->bad_p, m->bad_q);
    uint64_t null, val, src, dst;

    null = val_chain(&c, &r, &val, &src, &dst);
    g_assert_cmphex(run_chain(&c, null, 3), ==,
                    null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, m->chanerr);
    g_assert_cmphex(chan_record(&c), ==, null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(qtest_readq(ioat_dma_qts(c.d), dst), ==, 0);
}

/*
 * DWBES: with WB_EN the mismatch goes into the validate's dword 0, nothing
 * is latched, and the chain goes on.
 */
static void test_dwbes_writes_back_mismatch(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    const MismatchCase *m = data;
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, m->op, m->n, m->bad_p, m->bad_q);
    uint64_t null, val, src, dst, copy;

    r.ctl |= CTL(WB_EN);
    null = val_chain(&c, &r, &val, &src, &dst);
    copy = qtest_readq(ioat_dma_qts(c.d), val + 0x18);
    g_assert_cmphex(run_chain(&c, null, 3), ==,
                    copy | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_chanerr(&c), ==, 0);
    g_assert_cmphex(qtest_readl(ioat_dma_qts(c.d), val), ==, m->dword0);
    assert_guest_equal(&c, src, dst, 128);
}

/* A match leaves dword 0 (the size) as it was. */
static void test_dwbes_match_leaves_size(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, IOAT_DMA_OP_PQ_VAL, 5, false, false);
    uint64_t base;

    r.ctl |= CTL(WB_EN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readl(ioat_dma_qts(c.d), base), ==, RAID_LEN);
}

/* Q disabled: a "wrong" Q buffer is not compared, so nothing to report. */
static void test_dwbes_ignores_disabled_q(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, IOAT_DMA_OP_PQ_VAL, 3, false, true);
    uint64_t base;

    r.ctl |= CTL(WB_EN) | CTL(Q_DISABLE);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readl(ioat_dma_qts(c.d), base), ==, RAID_LEN);
}

/* dwbes=off: WB_EN means nothing, the mismatch halts. */
static void test_dwbes_off_halts(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, IOAT_DMA_OP_PQ_VAL, 4, true, false);
    uint64_t base;

    r.ctl |= CTL(WB_EN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_XOR_P_MASK);
    g_assert_cmphex(qtest_readl(ioat_dma_qts(c.d), base), ==, RAID_LEN);
}

/* XOR validate has no WB_EN (bit 15 is reserved there): it halts. */
static void test_xor_val_ignores_wb_en(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR_VAL, 3);
    uint64_t base;

    r.ctl |= CTL(WB_EN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_XOR_P_MASK);
}

/* CHANERR_MASK: masked validate errors neither latch nor halt. */
static void test_masked_validate_error_completes(void *obj, void *data,
                                                 QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = pq_val_setup(&c, IOAT_DMA_OP_PQ_VAL, 4, true, true);
    uint64_t base;

    ioat_dma_writel(c.d, ioat_dma_chan_reg(0, A_CHANERR_MASK),
                    R_CHANERR_XOR_P_MASK | R_CHANERR_XOR_Q_MASK);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_chanerr(&c), ==, 0);
}

/* A masked data error still halts, and CHANERR says why. */
static void test_masked_data_error_still_halts(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c), buf = guest_alloc(alloc, 64);

    ioat_dma_writel(c.d, ioat_dma_chan_reg(0, A_CHANERR_MASK),
                    R_CHANERR_READ_DATA_MASK);
    ioat_dma_desc_put(c.d, desc, 64, CTL(COMPL_WRITE), BAD_ADDR, buf, desc);
    g_assert_cmphex(run_chain(&c, desc, 1), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_READ_DATA_MASK);
}

static void test_pq16_sed_unreadable(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_16S, 10);
    uint64_t base = desc_alloc(&c);

    raid_desc_put(&c, base, 0, &r, base);
    qtest_writeq(ioat_dma_qts(c.d), base + 0x28, BAD_ADDR);
    g_assert_cmphex(run_chain(&c, base, 1), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_SED_ADDR_MASK);
    g_assert_cmpuint(logged("ioat_dma_err_sed: "), ==, 1);
}

static void test_pq16_sed_misaligned(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_16S, 9);
    uint64_t base = desc_alloc(&c);

    raid_desc_put(&c, base, 0, &r, base);
    qtest_writeq(ioat_dma_qts(c.d), base + 0x28, r.sed + 32);
    g_assert_cmphex(run_chain(&c, base, 1), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_SED_ADDR_MASK);
}

/* raid16ss=off: ops 0xA0/0xA1 are unknown. */
static void test_pq16_off_is_control_error(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_16S, 9);
    uint64_t base;

    g_assert_cmphex(raid_run(&c, &r, &base), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_CONTROL_MASK);
}

/* The error record and CHANCTRL */

typedef struct RecordCase {
    const char *name;
    uint16_t chanctrl;
    bool record;
    bool interrupt;
} RecordCase;

/* SPDK sets ANY_ERR_ABORT_EN alone and waits for the record. */
static const RecordCase record_cases[] = {
    { "error-record-with-err-completion-en", 0x0005, true, false },
    { "error-record-with-any-err-abort-en", 0x0009, true, false },
    { "no-error-record-without-either", 0x0001, false, false },
    { "error-interrupt-with-err-int-en", 0x0011, false, true },
};

static void test_error_record_gating(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    const RecordCase *t = data;
    Chan c = chan_init(obj, alloc, 0);
    uint64_t null = desc_alloc(&c), bad = desc_alloc(&c);
    uint64_t buf = guest_alloc(alloc, 64);

    enable_msix(c.d);
    ioat_dma_writew(c.d, ioat_dma_chan_reg(0, A_CHANCTRL), t->chanctrl);
    ioat_dma_desc_put(c.d, null, 1, CTL(NUL) | CTL(COMPL_WRITE), 0, 0, bad);
    ioat_dma_desc_put(c.d, bad, 64, 0, BAD_ADDR, buf, null);
    ioat_dma_chan_set_chain(c.d, 0, null);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    ioat_dma_chan_wait(c.d, 0);
    qtest_writeq(ioat_dma_qts(c.d), c.cmp, 0);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_record(&c), ==,
                    t->record ? null | IOAT_DMA_CHANSTS_HALTED : 0);
    g_assert_cmpint(ioat_dma_msix_pending(c.d, 0), ==, t->interrupt);
}

/* A record only needs 8-byte alignment (FreeBSD's buffer has no more). */
static void test_chancmp_8_byte_aligned(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    ioat_dma_chan_setup(c.d, 0, c.cmp + 24);
    g_assert_cmphex(run_chain(&c, desc, 1), ==, desc | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readq(ioat_dma_qts(c.d), c.cmp + 24), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
}

/* ANY_ERR_ABORT_EN clear: the engine halts anyway, and says so. */
static void test_no_abort_en_is_reported(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c), buf = guest_alloc(alloc, 64);

    ioat_dma_writew(c.d, ioat_dma_chan_reg(0, A_CHANCTRL), 0x0015);
    ioat_dma_desc_put(c.d, desc, 64, 0, BAD_ADDR, buf, desc);
    g_assert_cmphex(run_chain(&c, desc, 1), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmpuint(logged("ioat_dma_unimp_no_abort: "), ==, 1);
}

/* Recovery: the state machine as DPDK, FreeBSD and Linux drive it */

#define BURST   4

typedef struct Burst {
    uint64_t desc[BURST], src[BURST], dst[BURST];
} Burst;

/* Four 256-byte copies in a ring; copy @bad reads unbacked memory. */
static Burst burst_ring(Chan *c, int bad)
{
    Burst b;

    for (int i = 0; i < BURST; i++) {
        b.desc[i] = desc_alloc(c);
        b.src[i] = buf_alloc(c, 256, 0x40 + i);
        b.dst[i] = guest_alloc(c->alloc, 256);
        qtest_memset(ioat_dma_qts(c->d), b.dst[i], 0, 256);
    }
    for (int i = 0; i < BURST; i++) {
        ioat_dma_desc_put(c->d, b.desc[i], 256, CTL(COMPL_WRITE),
                          i == bad ? BAD_ADDR : b.src[i], b.dst[i],
                          b.desc[(i + 1) % BURST]);
    }
    return b;
}

/*
 * DPDK's __ioat_recover: CHANERR write-1-clear, RESET, CHAINADDR at the
 * descriptor after the failed one, CHANCTRL 0x0C, CHANCMP; CHANSTS must
 * read exactly ARMED, and DMACOUNT counts from 0 there.  The copies before
 * the failure ran once, those after run once after recovery.
 */
static void test_recovery_reset_and_new_chain(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    Burst b = burst_ring(&c, 1);
    uint32_t base = ioat_dma_chan_reg(0, 0);

    g_assert_cmphex(run_chain(&c, b.desc[0], BURST), ==,
                    b.desc[0] | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_record(&c), ==, b.desc[0] | IOAT_DMA_CHANSTS_HALTED);
    /* Spoil copy 0's source: were it run again, its destination changes. */
    qtest_memset(ioat_dma_qts(c.d), b.src[0], 0x99, 256);

    ioat_dma_writel(c.d, base + A_CHANERR, chan_chanerr(&c));
    chan_command(&c, R_CHANCMD_RESET_MASK);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_HALTED);
    ioat_dma_chan_set_chain(c.d, 0, b.desc[2]);
    ioat_dma_writew(c.d, base + A_CHANCTRL, 0x000c);
    ioat_dma_writel(c.d, base + A_CHANCMP_LO, c.cmp);
    ioat_dma_writel(c.d, base + A_CHANCMP_HI, c.cmp >> 32);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    b.desc[3] | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, b.desc[3] | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readb(ioat_dma_qts(c.d), b.dst[0]), !=, 0x99);
    g_assert_cmphex(qtest_readq(ioat_dma_qts(c.d), b.dst[1]), ==, 0);
    assert_guest_equal(&c, b.src[2], b.dst[2], 256);
    assert_guest_equal(&c, b.src[3], b.dst[3], 256);
}

/*
 * Linux's validate path: CHANERR write-1-clear and a new CHAINADDR at the
 * next descriptor, without RESET; a second failure recovers the same way.
 */
static void test_recovery_without_reset_twice(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    Burst b = burst_ring(&c, 1);
    uint32_t chanerr = ioat_dma_chan_reg(0, A_CHANERR);

    ioat_dma_desc_put(c.d, b.desc[2], 256, CTL(COMPL_WRITE), BAD_ADDR,
                      b.dst[2], b.desc[3]);
    run_chain(&c, b.desc[0], BURST);
    ioat_dma_writel(c.d, chanerr, chan_chanerr(&c));
    /* The first descriptor after CHAINADDR fails: the record names none. */
    g_assert_cmphex(run_chain(&c, b.desc[2], 2), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_record(&c), ==, IOAT_DMA_CHANSTS_HALTED);
    ioat_dma_writel(c.d, chanerr, chan_chanerr(&c));
    g_assert_cmphex(run_chain(&c, b.desc[3], 1), ==,
                    b.desc[3] | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, b.src[0], b.dst[0], 256);
    assert_guest_equal(&c, b.src[3], b.dst[3], 256);
}

/* CHAINADDR gives exactly ARMED (0x4) from HALTED, DONE and SUSPENDED. */
static void test_chainaddr_gives_armed_from_each_state(void *obj, void *data,
                                                       QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    ioat_dma_chan_set_chain(c.d, 0, desc);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
    g_assert_cmphex(run_chain(&c, desc, 1), ==, desc | IOAT_DMA_CHANSTS_DONE);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
    run_chain(&c, desc, 1);
    chan_command(&c, R_CHANCMD_SUSPEND_MASK);
    g_assert_cmphex(STATUS(ioat_dma_chansts(c.d, 0)), ==,
                    IOAT_DMA_CHANSTS_SUSPENDED);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
    /* A DMACOUNT that adds nothing leaves it ARMED. */
    ioat_dma_chan_doorbell(c.d, 0, 0);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
}

/* SUSPEND of a HALTED or ARMED channel changes nothing. */
static void test_suspend_ignored_when_halted_or_armed(void *obj, void *data,
                                                      QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    chan_command(&c, R_CHANCMD_SUSPEND_MASK);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_HALTED);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    chan_command(&c, R_CHANCMD_SUSPEND_MASK);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ARMED);
}

/* Interrupt coalescing: INTRDELAY */

#define DELAY_US    100

static void set_intrdelay(QIoatDma *d, uint16_t us)
{
    ioat_dma_writew(d, A_INTRDELAY, us);
}

static void step_us(QIoatDma *d, int64_t us)
{
    qtest_clock_step(ioat_dma_qts(d), us * 1000);
}

static void rearm(Chan *c)
{
    ioat_dma_writew(c->d, ioat_dma_chan_reg(c->idx, A_CHANCTRL),
                    IOAT_DMA_CHANCTRL_RUN);
}

/* COALESCE_SUPPORT reads 1 and ignores writes; bit 14 reads 0. */
static void test_intrdelay_register(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    g_assert_cmphex(ioat_dma_readl(d, A_INTRDELAY) & 0xffff, ==,
                    R_INTRDELAY_COALESCE_SUPPORT_MASK);
    set_intrdelay(d, 0x7fff);
    g_assert_cmphex(ioat_dma_readl(d, A_INTRDELAY) & 0xffff, ==,
                    R_INTRDELAY_COALESCE_SUPPORT_MASK | 0x3fff);
    set_intrdelay(d, 0);
    g_assert_cmphex(ioat_dma_readl(d, A_INTRDELAY) & 0xffff, ==,
                    R_INTRDELAY_COALESCE_SUPPORT_MASK);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: "), ==, 0);
}

/*
 * Two completions inside one window: no message until the delay has
 * passed, then one; after re-arming, nothing is left pending.
 */
static void test_intrdelay_coalesces_completions(void *obj, void *data,
                                                 QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    enable_msix(c.d);
    set_intrdelay(c.d, DELAY_US);
    null_ring2(&c, NULL_DESC_CTL, NULL_DESC_CTL, &d0, &d1);
    run_chain(&c, d0, 1);
    step_us(c.d, DELAY_US / 2);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    ioat_dma_chan_wait(c.d, 0);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
    step_us(c.d, DELAY_US / 2 - 1);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
    step_us(c.d, 1);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
    ioat_dma_msix_clear(c.d, 0);
    rearm(&c);
    step_us(c.d, 2 * DELAY_US);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
}

/* Delay 0 is no coalescing: the message goes with the completion. */
static void test_intrdelay_zero_is_immediate(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    enable_msix(c.d);
    set_intrdelay(c.d, 0);
    run_chain(&c, desc, 1);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/* A halt interrupts at once, even inside a window. */
static void test_intrdelay_error_not_delayed(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t null = desc_alloc(&c), bad = desc_alloc(&c);
    uint64_t buf = guest_alloc(alloc, 64);

    enable_msix(c.d);
    set_intrdelay(c.d, DELAY_US);
    ioat_dma_desc_put(c.d, null, 1, NULL_DESC_CTL, 0, 0, bad);
    ioat_dma_desc_put(c.d, bad, 64, 0, BAD_ADDR, buf, null);
    g_assert_cmphex(STATUS(run_chain(&c, null, 2)), ==,
                    IOAT_DMA_CHANSTS_HALTED);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/* CHANCMD.RESET closes the window without a message. */
static void test_intrdelay_reset_cancels_window(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    enable_msix(c.d);
    set_intrdelay(c.d, DELAY_US);
    run_chain(&c, desc, 1);
    chan_command(&c, R_CHANCMD_RESET_MASK);
    step_us(c.d, 2 * DELAY_US);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
}

/* Registration */

static const DmaTestCase fill_tests[] = {
    { "fill-never-reads-its-pattern", test_fill_never_reads_its_pattern },
    { "fill-up-to-xfercap", test_fill_up_to_xfercap, "xfercap=12" },
    { "fill-zero-length-is-length-error",
      test_fill_zero_length_is_length_error },
    { "fill-across-run-budget", test_fill_across_run_budget, "xfercap=23" },
    { "fill-unwritable-destination-halts",
      test_fill_unwritable_destination_halts },
    { "fill-off-is-control-error", test_fill_off_is_control_error,
      "fill=off" },
    { "fill-dest-break-is-control-error",
      test_fill_dest_break_is_control_error },
    { "fill-in-a-copy-chain", test_fill_in_a_copy_chain },
};

static const DmaTestCase raid16_tests[] = {
    { "pq16-continuation-aliases-outputs",
      test_pq16_continuation_aliases_outputs },
    { "pq16-disabled-p-untouched", test_pq16_disabled_p_untouched },
    { "pq16-val-match-completes", test_pq16_val_match_completes },
    { "pq16-sed-unreadable", test_pq16_sed_unreadable },
    { "pq16-sed-misaligned", test_pq16_sed_misaligned },
    { "pq16-off-is-control-error", test_pq16_off_is_control_error,
      "raid16ss=off" },
    { "dwbes-match-leaves-size", test_dwbes_match_leaves_size },
    { "dwbes-ignores-disabled-q", test_dwbes_ignores_disabled_q },
    { "dwbes-off-halts", test_dwbes_off_halts, "dwbes=off" },
    { "xor-val-ignores-wb-en", test_xor_val_ignores_wb_en },
    { "masked-validate-error-completes",
      test_masked_validate_error_completes },
    { "masked-data-error-still-halts", test_masked_data_error_still_halts },
};

static const DmaTestCase recovery_tests[] = {
    { "chancmp-8-byte-aligned", test_chancmp_8_byte_aligned },
    { "no-abort-en-is-reported", test_no_abort_en_is_reported },
    { "recovery-reset-and-new-chain", test_recovery_reset_and_new_chain },
    { "recovery-without-reset-twice", test_recovery_without_reset_twice },
    { "chainaddr-gives-armed-from-each-state",
      test_chainaddr_gives_armed_from_each_state },
    { "suspend-ignored-when-halted-or-armed",
      test_suspend_ignored_when_halted_or_armed },
};

static const DmaTestCase coalescing_tests[] = {
    { "intrdelay-register", test_intrdelay_register },
    { "intrdelay-coalesces-completions",
      test_intrdelay_coalesces_completions },
    { "intrdelay-zero-is-immediate", test_intrdelay_zero_is_immediate },
    { "intrdelay-error-not-delayed", test_intrdelay_error_not_delayed },
    { "intrdelay-reset-cancels-window", test_intrdelay_reset_cancels_window },
};

static void register_ioat_dma_ops_tests(void)
{
    for (int i = 0; i < ARRAY_SIZE(fill_cases); i++) {
        add_test(QIOAT_DMA_FILL, fill_cases[i].name, test_fill_writes_pattern,
                 NULL, &fill_cases[i]);
    }
    add_tests(QIOAT_DMA_FILL, fill_tests, ARRAY_SIZE(fill_tests));

    for (int i = 0; i < ARRAY_SIZE(pq16_cases); i++) {
        add_test(QIOAT_DMA_RAID16, pq16_cases[i].name,
                 test_pq16_matches_reference, NULL, &pq16_cases[i]);
    }
    for (int i = 0; i < ARRAY_SIZE(mismatch_cases); i++) {
        const MismatchCase *m = &mismatch_cases[i];
        g_autofree char *halt = g_strdup_printf("val-%s-mismatch-halts",
                                                m->name);
        g_autofree char *wb = g_strdup_printf("dwbes-writes-back-%s-mismatch",
                                              m->name);

        add_test(QIOAT_DMA_RAID16, halt, test_val_mismatch_halts, NULL, m);
        add_test(QIOAT_DMA_RAID16, wb, test_dwbes_writes_back_mismatch, NULL,
                 m);
    }
    add_tests(QIOAT_DMA_RAID16, raid16_tests, ARRAY_SIZE(raid16_tests));

    for (int i = 0; i < ARRAY_SIZE(record_cases); i++) {
        add_test(QIOAT_DMA_RECOVERY, record_cases[i].name,
                 test_error_record_gating, NULL, &record_cases[i]);
    }
    add_tests(QIOAT_DMA_RECOVERY, recovery_tests, ARRAY_SIZE(recovery_tests));
    add_tests(QIOAT_DMA_INTERRUPTS, coalescing_tests,
              ARRAY_SIZE(coalescing_tests));
}

libqos_init(register_ioat_dma_ops_tests);
