/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: XOR and P+Q operations
 *
 * XOR (0x87), XOR validate (0x88), PQ (0x89) and PQ validate (0x8A) as
 * Linux's drivers/dma/ioat/prep.c builds them: 2 to 8 sources, the later
 * ones in an extension descriptor (XOR: more than 5 sources; PQ: more than
 * 3).  The 16-source PQ (0xA0) and PQ validate (0xA1) of RAID16SS take 9
 * to 16 sources in one ring slot: sources 2-15 and coefficients 8-15 are
 * in the super extended descriptor (SED) the channel fetched with it.
 * P is the XOR of the sources; Q is the sum of coef[i] * source[i] in
 * GF(2^8) with polynomial 0x11D, the field of Linux's raid6 code.
 *
 * Sources may alias the outputs (async_tx continuations feed P and Q back
 * in), so every source of a chunk is read before the chunk is written.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "ioat_dma_internal.h"

#define IOAT_DMA_RAID_CHUNK     512

typedef struct IoatDmaRaidOp {
    uint8_t op;
    unsigned nsrc;
    uint64_t src[IOAT_DMA_RAID_MAX_SRCS];
    uint8_t coef[IOAT_DMA_RAID_MAX_SRCS];
    uint64_t p, q;              /* XOR: p is the destination */
    bool p_en, q_en;
} IoatDmaRaidOp;

bool ioat_dma_raid_is_16s(uint8_t op)
{
    return op == IOAT_DMA_OP_PQ_16S || op == IOAT_DMA_OP_PQ_VAL_16S;
}

static bool ioat_dma_raid_is_pq(uint8_t op)
{
    return op == IOAT_DMA_OP_PQ || op == IOAT_DMA_OP_PQ_VAL ||
           ioat_dma_raid_is_16s(op);
}

/* Ops 0xA0/0xA1 only with @raid16ss. */
bool ioat_dma_raid_op_known(uint8_t op, bool raid16ss)
{
    return op == IOAT_DMA_OP_XOR || op == IOAT_DMA_OP_XOR_VAL ||
           op == IOAT_DMA_OP_PQ || op == IOAT_DMA_OP_PQ_VAL ||
           (raid16ss && ioat_dma_raid_is_16s(op));
}

bool ioat_dma_raid_is_validate(uint8_t op)
{
    return op == IOAT_DMA_OP_XOR_VAL || op == IOAT_DMA_OP_PQ_VAL ||
           op == IOAT_DMA_OP_PQ_VAL_16S;
}

unsigned ioat_dma_raid_sources(const IoatDmaDesc *d)
{
    unsigned base = ioat_dma_raid_is_16s(FIELD_EX32(d->ctl, DESC_CTL, OP))
                    ? 9 : 2;

    return FIELD_EX32(d->ctl, DESC_CTL, SRC_CNT) + base;
}

/* The largest source count of the op's format. */
unsigned ioat_dma_raid_max_sources(const IoatDmaDesc *d)
{
    return ioat_dma_raid_is_16s(FIELD_EX32(d->ctl, DESC_CTL, OP))
           ? IOAT_DMA_RAID_MAX_SRCS : 8;
}

/*
 * An extension descriptor follows iff XOR has n > 5 or PQ n > 3 sources;
 * the 16-source ops never have one.
 */
bool ioat_dma_raid_has_ext(const IoatDmaDesc *d)
{
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (ioat_dma_raid_is_16s(op)) {
        return false;
    }
    return ioat_dma_raid_sources(d) > (ioat_dma_raid_is_pq(op) ? 3 : 5);
}

/* Bytes of SED the op needs: sources 9-15 are in its second half. */
unsigned ioat_dma_raid_sed_size(const IoatDmaDesc *d)
{
    return ioat_dma_raid_sources(d) > 9 ? IOAT_DMA_SED_SIZE
                                        : IOAT_DMA_SED_SIZE / 2;
}

/*
 * Source i's address: Linux's xor/pq_idx_to_desc and _idx_to_field; for
 * the 16-source ops pq16_idx_to_desc, which puts source i (2..15) in SED
 * quadword i - 1.
 */
static uint64_t ioat_dma_raid_src(const IoatDmaDesc *d,
                                  const IoatDmaDescExt *ext,
                                  const uint64_t *sed, unsigned i)
{
    static const int8_t xor_base[] = { -1, 0, 1, 2, 3 };
    static const uint8_t xor_ext[] = { 0, 1, 2 };
    static const int8_t pq_base[] = { -1, 0, 1 };
    static const uint8_t pq_ext[] = { 0, 1, 2, 4, 5 };
    uint8_t op = FIELD_EX32(d->ctl, DESC_CTL, OP);

    if (ioat_dma_raid_is_16s(op)) {
        return i == 0 ? d->src : i == 1 ? d->opt[0] : sed[i - 1];
    }
    if (ioat_dma_raid_is_pq(op)) {
        if (i < ARRAY_SIZE(pq_base)) {
            return i ? d->opt[pq_base[i]] : d->src;
        }
        return ext->q[pq_ext[i - ARRAY_SIZE(pq_base)]];
    }
    if (i < ARRAY_SIZE(xor_base)) {
        return i ? d->opt[xor_base[i]] : d->src;
    }
    return ext->q[xor_ext[i - ARRAY_SIZE(xor_base)]];
}

/* Coefficients 0-7 are in the descriptor, 8-15 in SED bytes 0-7. */
static void ioat_dma_raid_decode(const IoatDmaDesc *d,
                                 const IoatDmaDescExt *ext,
                                 const uint64_t *sed, IoatDmaRaidOp *r)
{
    r->op = FIELD_EX32(d->ctl, DESC_CTL, OP);
    r->nsrc = ioat_dma_raid_sources(d);
    for (unsigned i = 0; i < r->nsrc; i++) {
        r->src[i] = ioat_dma_raid_src(d, ext, sed, i);
        r->coef[i] = i < 8 ? extract64(d->opt[2], i * 8, 8)
                           : extract64(sed[0], (i - 8) * 8, 8);
    }
    r->p = d->dst;
    r->q = 0;
    r->p_en = true;
    r->q_en = false;
    if (ioat_dma_raid_is_pq(r->op)) {
        r->q = d->opt[3];
        r->p_en = !FIELD_EX32(d->ctl, DESC_CTL, P_DISABLE);
        r->q_en = !FIELD_EX32(d->ctl, DESC_CTL, Q_DISABLE);
    }
}

/* Multiplication by 2 (x) in GF(2^8) mod 0x11D. */
static uint8_t ioat_dma_gf_double(uint8_t a)
{
    return (a << 1) ^ (a & 0x80 ? 0x1d : 0);
}

/* row[x] = c * x: c * x = 2 * (c * (x >> 1)) + (x & 1) * c. */
static void ioat_dma_gf_mul_row(uint8_t c, uint8_t row[256])
{
    row[0] = 0;
    for (unsigned x = 1; x < 256; x++) {
        row[x] = ioat_dma_gf_double(row[x >> 1]) ^ (x & 1 ? c : 0);
    }
}

static void ioat_dma_xor_into(uint8_t *dst, const uint8_t *src, unsigned n)
{
    unsigned k = 0;

    for (; k + 8 <= n; k += 8) {
        uint64_t a = ldq_he_p(dst + k) ^ ldq_he_p(src + k);

        stq_he_p(dst + k, a);
    }
    for (; k < n; k++) {
        dst[k] ^= src[k];
    }
}

static bool ioat_dma_raid_differs(PCIDevice *pdev, uint64_t addr,
                                  const uint8_t *want, unsigned len,
                                  uint32_t *err)
{
    uint8_t buf[IOAT_DMA_RAID_CHUNK];

    if (!ioat_dma_data_read(pdev, addr, buf, len)) {
        *err = R_CHANERR_READ_DATA_MASK;
        return false;
    }
    return memcmp(buf, want, len) != 0;
}

/*
 * Run bytes [@off, @off + @len) of a RAID descriptor.  Returns 0 or the
 * CHANERR bit of a failed memory access; validate mismatches are ORed into
 * *@mismatch as XOR_P/XOR_Q bits.
 */
uint32_t ioat_dma_raid_run(PCIDevice *pdev, const IoatDmaDesc *d,
                           const IoatDmaDescExt *ext, const uint64_t *sed,
                           uint32_t off, uint32_t len, uint32_t *mismatch)
{
    uint8_t mul[IOAT_DMA_RAID_MAX_SRCS][256];
    uint8_t in[IOAT_DMA_RAID_CHUNK], p[IOAT_DMA_RAID_CHUNK];
    uint8_t q[IOAT_DMA_RAID_CHUNK];
    bool is_pq, val;
    IoatDmaRaidOp r;
    uint32_t err = 0;

    ioat_dma_raid_decode(d, ext, sed, &r);
    is_pq = ioat_dma_raid_is_pq(r.op);
    val = ioat_dma_raid_is_validate(r.op);
    if (is_pq) {
        for (unsigned i = 0; i < r.nsrc; i++) {
            ioat_dma_gf_mul_row(r.coef[i], mul[i]);
        }
    }

    for (uint32_t done = 0; done < len; ) {
        unsigned n = MIN(len - done, IOAT_DMA_RAID_CHUNK);
        uint64_t pos = off + done;

        memset(p, 0, n);
        memset(q, 0, n);
        for (unsigned i = 0; i < r.nsrc; i++) {
            if (!ioat_dma_data_read(pdev, r.src[i] + pos, in, n)) {
                return R_CHANERR_READ_DATA_MASK;
            }
            ioat_dma_xor_into(p, in, n);
            if (is_pq) {
                const uint8_t *row = mul[i];

                for (unsigned k = 0; k < n; k++) {
                    q[k] ^= row[in[k]];
                }
            }
        }

        if (r.op == IOAT_DMA_OP_XOR_VAL) {
            /* The destination field holds the buffer under test. */
            if (ioat_dma_raid_differs(pdev, r.p + pos, p, n, &err)) {
                *mismatch |= R_CHANERR_XOR_P_MASK;
            }
        } else if (val) {
            if (r.p_en && ioat_dma_raid_differs(pdev, r.p + pos, p, n, &err)) {
                *mismatch |= R_CHANERR_XOR_P_MASK;
            }
            if (!err && r.q_en &&
                ioat_dma_raid_differs(pdev, r.q + pos, q, n, &err)) {
                *mismatch |= R_CHANERR_XOR_Q_MASK;
            }
        } else {
            /* A disabled output may alias the live one: never write it. */
            if (r.p_en && !ioat_dma_data_write(pdev, r.p + pos, p, n)) {
                return R_CHANERR_WRITE_DATA_MASK;
            }
            if (r.q_en && !ioat_dma_data_write(pdev, r.q + pos, q, n)) {
                return R_CHANERR_WRITE_DATA_MASK;
            }
        }
        if (err) {
            return err;
        }
        done += n;
        if (!DEVICE(pdev)->realized) {
            break;      /* that write unplugged us: ioat_dma_gone() */
        }
    }
    return 0;
}
