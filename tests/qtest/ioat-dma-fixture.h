/*
 * The fixture of the ioat-dma qtests: a channel set up as Linux does,
 * descriptor rings and buffers in guest memory, the XOR/P+Q layout and
 * its software reference, the machine's log, and registration in the
 * areas of ioat-dma.h.  Shared by ioat-dma-test.c and ioat-dma-ops-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_DMA_FIXTURE_H
#define QOS_IOAT_DMA_FIXTURE_H

#include "libqtest.h"
#include "libqos/libqos-malloc.h"
#include "libqos/ioat-dma.h"

#define CTL(bits)       (R_DESC_CTL_##bits##_MASK)
#define OP(op)          ((uint32_t)(op) << R_DESC_CTL_OP_SHIFT)
#define NULL_DESC_CTL   (CTL(NUL) | CTL(COMPL_WRITE) | CTL(INT_EN))
#define STATUS(sts)     ((sts) & 7)
#define ADDR(sts)       ((sts) & IOAT_DMA_CHANSTS_ADDR_MASK)
/* Unbacked guest-physical memory: DMA there fails. */
#define BAD_ADDR        0x4000000000ULL

typedef struct Chan {
    QIoatDma *d;
    QGuestAllocator *alloc;
    unsigned idx;
    uint64_t cmp;       /* completion record */
} Chan;

uint64_t chan_record(Chan *c);
Chan chan_init(QIoatDma *d, QGuestAllocator *alloc, unsigned idx);
uint64_t chan_chanerr(Chan *c);
void chan_command(Chan *c, uint8_t cmd);
uint64_t desc_alloc(Chan *c);
uint64_t null_ring(Chan *c, uint32_t ctl);
void null_ring2(Chan *c, uint32_t ctl0, uint32_t ctl1, uint64_t *d0,
                uint64_t *d1);
uint64_t buf_alloc(Chan *c, size_t len, uint8_t seed);
void assert_guest_equal(Chan *c, uint64_t a, uint64_t b, size_t len);
uint64_t run_chain(Chan *c, uint64_t first, uint16_t count);
void enable_msix(QIoatDma *d);
void vm_stop(QIoatDma *d);
void vm_cont(QIoatDma *d);

/*
 * XOR and P+Q descriptors as Linux's prep.c lays them out, up to eight
 * sources (base + extension) or, for ops 0xA0/0xA1, up to sixteen (base +
 * super extended descriptor at @sed).
 */
#define RAID_LEN        3000
#define RAID_MAX_SRCS   16

typedef struct RaidDesc {
    uint8_t op;
    unsigned n;
    uint32_t ctl;           /* int_en, compl_write, p/q_disable... */
    uint64_t src[RAID_MAX_SRCS];
    uint8_t coef[RAID_MAX_SRCS];
    uint64_t p, q;
    uint64_t sed;           /* 0xA0/0xA1: 128 bytes, 64-byte aligned */
} RaidDesc;

bool raid_is_16s(uint8_t op);
bool raid_has_ext(const RaidDesc *r);
void raid_desc_put(Chan *c, uint64_t base, uint64_t ext, const RaidDesc *r,
                   uint64_t next);
void raid_desc_put_len(Chan *c, uint64_t base, uint64_t ext,
                       const RaidDesc *r, uint64_t next, uint32_t len);
void raid_reference(Chan *c, const RaidDesc *r, uint8_t *p, uint8_t *q);
void assert_guest_bytes(Chan *c, uint64_t addr, const uint8_t *want);
RaidDesc raid_sources(Chan *c, uint8_t op, unsigned n);
uint64_t raid_run(Chan *c, const RaidDesc *r, uint64_t *base);
void assert_disabled_p_untouched(Chan *c, uint8_t op, unsigned n);

/* Lines of the running test's -d guest_errors,unimp log that start so. */
unsigned logged(const char *prefix);
/*
 * The thread that wrote the first completion record (trace event
 * ioat_dma_chan_completion), -1 if none; tests added by
 * add_thread_test() trace it.
 */
long completion_thread(void);

/*
 * Registration.  Every test starts from a freshly reset machine of its
 * own, with the device options its table row gives.
 */
typedef struct DmaTestCase {
    const char *name;
    QOSTestFunc fn;
    const char *dev_opts;
} DmaTestCase;

void add_test(QIoatDmaArea area, const char *name, QOSTestFunc fn,
              const char *dev_opts, const void *arg);
void add_tests(QIoatDmaArea area, const DmaTestCase *tests, int n);

/*
 * The same tests with the engine in an iothread (-object iothread and the
 * device's iothread property), in the area QIOAT_DMA_IOTHREAD.
 */
void add_iothread_tests(const DmaTestCase *tests, int n);
/* @fn with the completion records traced, iothread or not. */
void add_thread_test(QIoatDmaArea area, const char *name, QOSTestFunc fn,
                     bool iothread);

#endif
