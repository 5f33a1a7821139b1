/*
 * ioat-dma fault injection (docs/fault-injection.md): each fault armed
 * through its QOM property gives exactly the effect it names, on exactly
 * as many events as it was armed for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "ioat-dma-fixture.h"

#define DEV_OPTS        "id=dma0"
#define DEV_PATH        "/machine/peripheral/dma0"

static void arm(Chan *c, const char *fault, uint32_t count)
{
    ioat_qom_set_uint(ioat_dma_qts(c->d), DEV_PATH, fault, count);
}

/* fault-chanerr and fault-stall take a "CHANNEL:..." string. */
static void arm_spec(Chan *c, const char *fault, const char *spec)
{
    ioat_qom_set_str(ioat_dma_qts(c->d), DEV_PATH, fault, spec);
}

static uint32_t armed(Chan *c, const char *fault)
{
    return ioat_qom_get_uint(ioat_dma_qts(c->d), DEV_PATH, fault);
}

/* A 256-byte copy descriptor at @desc chained to @next. */
static void put_copy(Chan *c, uint64_t desc, uint64_t next, uint64_t *dst)
{
    uint64_t src = buf_alloc(c, 256, 0x5a);

    *dst = buf_alloc(c, 256, 0);
    ioat_dma_desc_put(c->d, desc, 256, CTL(COMPL_WRITE), src, *dst, next);
}

/*
 * fault-chanerr "CHANNEL:CHANERR:COUNT": the next COUNT descriptors of that
 * channel fail with those CHANERR bits: it halts with them, the record
 * names the last descriptor done, the failing copy is not made; after
 * recovery the next one runs.
 */
static void test_chanerr_fails_next_descriptor(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 1);
    uint64_t d0 = desc_alloc(&c), d1 = desc_alloc(&c), dst0, dst1, sts;

    put_copy(&c, d0, d1, &dst0);
    put_copy(&c, d1, d0, &dst1);
    arm_spec(&c, "fault-chanerr", "1:0x100:1");

    sts = run_chain(&c, d0, 1);
    g_assert_cmpuint(STATUS(sts), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_READ_DATA_MASK);
    g_assert_cmpuint(qtest_readb(ioat_dma_qts(c.d), dst0), ==, 0);

    ioat_dma_writel(c.d, ioat_dma_chan_reg(1, A_CHANERR), ~0u);
    chan_command(&c, R_CHANCMD_RESET_MASK);
    sts = run_chain(&c, d0, 1);
    g_assert_cmpuint(STATUS(sts), ==, IOAT_DMA_CHANSTS_DONE);
    g_assert_cmpuint(qtest_readb(ioat_dma_qts(c.d), dst0), ==, 0x5a);
}

/* COUNT 2: two descriptors in a row fail, the third does not. */
static void test_chanerr_count_disarms(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0 = desc_alloc(&c), dst;

    put_copy(&c, d0, d0, &dst);
    arm_spec(&c, "fault-chanerr", "0:0x800:2");
    for (int i = 0; i < 3; i++) {
        uint64_t sts = run_chain(&c, d0, 1);

        g_assert_cmpuint(STATUS(sts), ==, i < 2 ? IOAT_DMA_CHANSTS_HALTED :
                         IOAT_DMA_CHANSTS_DONE);
        g_assert_cmphex(chan_chanerr(&c), ==, i < 2 ? R_CHANERR_LENGTH_MASK :
                        0);
        ioat_dma_writel(c.d, ioat_dma_chan_reg(0, A_CHANERR), ~0u);
        chan_command(&c, R_CHANCMD_RESET_MASK);
    }
}

/* Bad arguments are refused: channel, unknown bits, syntax. */
static void test_chanerr_refuses_bad_spec(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    static const char *const bad[] = {
        "9:0x100", "0:0x40", "0:0", "0", "x:0x100", "0:0x100:y",
    };

    for (int i = 0; i < ARRAY_SIZE(bad); i++) {
        QDict *rsp = qtest_qmp(ioat_dma_qts(c.d),
                               "{'execute': 'qom-set', 'arguments': "
                               "{'path': %s, 'property': 'fault-chanerr', "
                               "'value': %s}}", DEV_PATH, bad[i]);

        g_test_message("%s", bad[i]);
        g_assert_true(qdict_haskey(rsp, "error"));
        qobject_unref(rsp);
    }
}

/*
 * fault-completion-lost: the next completion write never lands (the
 * record keeps its old value) while CHANSTS moves on; the one after lands.
 */
static void test_completion_lost(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1, sts;

    null_ring2(&c, CTL(NUL) | CTL(COMPL_WRITE), CTL(NUL) | CTL(COMPL_WRITE),
               &d0, &d1);
    arm(&c, "fault-completion-lost", 1);
    sts = run_chain(&c, d0, 1);
    g_assert_cmphex(ADDR(sts), ==, d0);
    g_assert_cmphex(chan_record(&c), ==, 0);
    g_assert_cmpuint(armed(&c, "fault-completion-lost"), ==, 0);

    ioat_dma_chan_doorbell(c.d, 0, 2);
    sts = ioat_dma_chan_wait(c.d, 0);
    g_assert_cmphex(ADDR(sts), ==, d1);
    g_assert_cmphex(ADDR(chan_record(&c)), ==, d1);
}

/*
 * fault-interrupt-lost: the next interrupt never arrives although the
 * channel's ATTNSTATUS bit is set, as if the message were lost; the next
 * one arrives.
 */
static void test_interrupt_lost(void *obj, void *data,
                                QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    enable_msix(c.d);
    null_ring2(&c, NULL_DESC_CTL, NULL_DESC_CTL, &d0, &d1);
    arm(&c, "fault-interrupt-lost", 1);
    run_chain(&c, d0, 1);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
    g_assert_cmphex(ioat_dma_readl(c.d, A_ATTNSTATUS), ==, 1);

    ioat_dma_writew(c.d, ioat_dma_chan_reg(0, A_CHANCTRL),
                    IOAT_DMA_CHANCTRL_RUN);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    ioat_dma_chan_wait(c.d, 0);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/*
 * fault-stall: the channel stays ACTIVE with nothing done, however long
 * the clock runs; an abort halts it, and after a reset and a new chain
 * the same descriptor runs.
 */
static void test_stall_until_abort(void *obj, void *data,
                                   QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 2);
    uint64_t d0 = desc_alloc(&c), dst, sts;

    put_copy(&c, d0, d0, &dst);
    arm_spec(&c, "fault-stall", "2");
    ioat_dma_chan_set_chain(c.d, 2, d0);
    ioat_dma_chan_doorbell(c.d, 2, 1);
    qtest_clock_step(ioat_dma_qts(c.d), 10 * 1000 * 1000 * 1000LL);
    sts = ioat_dma_chansts(c.d, 2);
    g_assert_cmpuint(STATUS(sts), ==, IOAT_DMA_CHANSTS_ACTIVE);
    g_assert_cmpuint(qtest_readb(ioat_dma_qts(c.d), dst), ==, 0);

    chan_command(&c, R_CHANCMD_ABORT_MASK);
    g_assert_cmpuint(STATUS(ioat_dma_chansts(c.d, 2)), ==,
                     IOAT_DMA_CHANSTS_HALTED);
    chan_command(&c, R_CHANCMD_RESET_MASK);
    sts = run_chain(&c, d0, 1);
    g_assert_cmpuint(STATUS(sts), ==, IOAT_DMA_CHANSTS_DONE);
    g_assert_cmpuint(qtest_readb(ioat_dma_qts(c.d), dst), ==, 0x5a);
}

static const DmaTestCase fault_tests[] = {
    { "chanerr-fails-next-descriptor", test_chanerr_fails_next_descriptor,
      DEV_OPTS },
    { "chanerr-count-disarms", test_chanerr_count_disarms, DEV_OPTS },
    { "chanerr-refuses-bad-spec", test_chanerr_refuses_bad_spec, DEV_OPTS },
    { "stall-until-abort", test_stall_until_abort, DEV_OPTS },
    { "completion-lost", test_completion_lost, DEV_OPTS },
    { "interrupt-lost", test_interrupt_lost, DEV_OPTS },
};

static void register_ioat_dma_fault_tests(void)
{
    add_tests(QIOAT_DMA_FAULTS, fault_tests, ARRAY_SIZE(fault_tests));
}

libqos_init(register_ioat_dma_fault_tests);
