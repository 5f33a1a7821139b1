/*
 * The fixture of the ioat-dma qtests (ioat-dma-fixture.h)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqtest.h"
#include "ioat-dma-fixture.h"
#include "libqos/ioat-pci.h"
#include "libqos/ioat-qos.h"

uint64_t chan_record(Chan *c)
{
    return qtest_readq(ioat_dma_qts(c->d), c->cmp);
}

/* Linux's channel alloc, without the start-up descriptor. */
Chan chan_init(QIoatDma *d, QGuestAllocator *alloc, unsigned idx)
{
    Chan c = { .d = d, .alloc = alloc, .idx = idx };

    c.cmp = guest_alloc(alloc, 64);
    qtest_memset(ioat_dma_qts(d), c.cmp, 0, 64);
    ioat_dma_chan_setup(d, idx, c.cmp);
    return c;
}

uint64_t desc_alloc(Chan *c)
{
    return guest_alloc(c->alloc, IOAT_DMA_DESC_SIZE);
}

/* A ring of one null descriptor with @ctl: it links to itself. */
uint64_t null_ring(Chan *c, uint32_t ctl)
{
    uint64_t desc = desc_alloc(c);

    ioat_dma_desc_put(c->d, desc, 1, ctl, 0, 0, desc);
    return desc;
}

/* A ring of two null descriptors, *@d0 with @ctl0 and *@d1 with @ctl1. */
void null_ring2(Chan *c, uint32_t ctl0, uint32_t ctl1, uint64_t *d0,
                uint64_t *d1)
{
    *d0 = desc_alloc(c);
    *d1 = desc_alloc(c);
    ioat_dma_desc_put(c->d, *d0, 1, ctl0, 0, 0, *d1);
    ioat_dma_desc_put(c->d, *d1, 1, ctl1, 0, 0, *d0);
}

uint64_t buf_alloc(Chan *c, size_t len, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);
    uint64_t addr = guest_alloc(c->alloc, len);

    for (size_t i = 0; i < len; i++) {
        buf[i] = seed + i * 7 + (i >> 8);
    }
    qtest_bufwrite(ioat_dma_qts(c->d), addr, buf, len);
    return addr;
}

void assert_guest_equal(Chan *c, uint64_t a, uint64_t b, size_t len)
{
    g_autofree uint8_t *x = g_malloc(len);
    g_autofree uint8_t *y = g_malloc(len);

    qtest_bufread(ioat_dma_qts(c->d), a, x, len);
    qtest_bufread(ioat_dma_qts(c->d), b, y, len);
    g_assert_cmpmem(x, len, y, len);
}

/* Start a chain at @first and make @count descriptors available. */
uint64_t run_chain(Chan *c, uint64_t first, uint16_t count)
{
    ioat_dma_chan_set_chain(c->d, c->idx, first);
    ioat_dma_chan_doorbell(c->d, c->idx, count);
    return ioat_dma_chan_wait(c->d, c->idx);
}


void enable_msix(QIoatDma *d)
{
    ioat_dma_msix_enable(d);
    ioat_dma_writeb(d, A_INTRCTRL, R_INTRCTRL_MASTER_INT_EN_MASK |
                    R_INTRCTRL_MSIX_VECTOR_CONTROL_MASK);
}


void vm_stop(QIoatDma *d)
{
    qtest_qmp_assert_success(ioat_dma_qts(d), "{'execute': 'stop'}");
}

void vm_cont(QIoatDma *d)
{
    qtest_qmp_assert_success(ioat_dma_qts(d), "{'execute': 'cont'}");
}

void chan_command(Chan *c, uint8_t cmd)
{
    ioat_dma_writeb(c->d, ioat_dma_chan_reg(c->idx, A_CHANCMD), cmd);
}

uint64_t chan_chanerr(Chan *c)
{
    return ioat_dma_readl(c->d, ioat_dma_chan_reg(c->idx, A_CHANERR));
}


bool raid_is_16s(uint8_t op)
{
    return op == IOAT_DMA_OP_PQ_16S || op == IOAT_DMA_OP_PQ_VAL_16S;
}

static bool raid_is_pq(uint8_t op)
{
    return op == IOAT_DMA_OP_PQ || op == IOAT_DMA_OP_PQ_VAL ||
           raid_is_16s(op);
}

bool raid_has_ext(const RaidDesc *r)
{
    return !raid_is_16s(r->op) && r->n > (raid_is_pq(r->op) ? 3 : 5);
}

/*
 * The 16-source layout (Linux's pq16_set_src): sources 0 and 1 at base
 * 0x08 and 0x20, the SED address at 0x28, coefficients 0-7 at 0x30, Q at
 * 0x38; in the SED, coefficients 8-15 in bytes 0-7 and source i (2..15)
 * in quadword i - 1.
 */
static void raid16_desc_put(Chan *c, uint64_t base, const RaidDesc *r,
                            uint64_t next, uint32_t len)
{
    uint32_t ctl = r->ctl | OP(r->op) |
                   ((r->n - 9) << R_DESC_CTL_SRC_CNT_SHIFT);
    uint64_t b[8] = { 0 }, sed[16] = { 0 };

    b[0] = len | (uint64_t)ctl << 32;
    b[1] = r->src[0];
    b[2] = r->p;
    b[3] = next;
    b[4] = r->src[1];
    b[5] = r->sed;
    b[7] = r->q;
    for (unsigned i = 0; i < r->n; i++) {
        if (i < 8) {
            b[6] |= (uint64_t)r->coef[i] << (i * 8);
        } else {
            sed[0] |= (uint64_t)r->coef[i] << ((i - 8) * 8);
        }
        if (i >= 2) {
            sed[i - 1] = r->src[i];
        }
    }
    ioat_dma_desc_put_raw(c->d, base, b);
    ioat_dma_desc_put_raw(c->d, r->sed, sed);
    ioat_dma_desc_put_raw(c->d, r->sed + 64, sed + 8);
}

/* Lay @r out at @base (and @ext) as Linux's prep.c does; next is @next. */
void raid_desc_put(Chan *c, uint64_t base, uint64_t ext,
                   const RaidDesc *r, uint64_t next)
{
    raid_desc_put_len(c, base, ext, r, next, RAID_LEN);
}

void raid_desc_put_len(Chan *c, uint64_t base, uint64_t ext,
                       const RaidDesc *r, uint64_t next, uint32_t len)
{
    static const int xor_field[] = { 1, 4, 5, 6, 7, 0, 1, 2 };
    static const int pq_field[] = { 1, 4, 5, 0, 1, 2, 4, 5 };
    bool pq = raid_is_pq(r->op), has_ext = raid_has_ext(r);
    uint32_t ctl = r->ctl | OP(r->op) |
                   ((r->n - 2) << R_DESC_CTL_SRC_CNT_SHIFT);
    uint64_t b[8] = { 0 }, e[8] = { 0 };

    if (raid_is_16s(r->op)) {
        raid16_desc_put(c, base, r, next, len);
        return;
    }

    b[0] = len | (uint64_t)ctl << 32;
    b[2] = r->p;
    b[3] = has_ext ? ext : next;
    for (unsigned i = 0; i < r->n; i++) {
        bool in_ext = pq ? i >= 3 : i >= 5;

        (in_ext ? e : b)[pq ? pq_field[i] : xor_field[i]] = r->src[i];
    }
    if (pq) {
        for (unsigned i = 0; i < 8; i++) {
            b[6] |= (uint64_t)r->coef[i] << (i * 8);
        }
        b[7] = r->q;
    }
    e[IOAT_DMA_DESC_EXT_NEXT] = next;
    ioat_dma_desc_put_raw(c->d, base, b);
    if (has_ext) {
        ioat_dma_desc_put_raw(c->d, ext, e);
    }
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;

    for (; b; b >>= 1) {
        if (b & 1) {
            r ^= a;
        }
        a = (a << 1) ^ (a & 0x80 ? 0x1d : 0);
    }
    return r;
}

/* P = XOR of the sources, Q = sum of coef[i] * src[i] over GF(2^8)/0x11D. */
void raid_reference(Chan *c, const RaidDesc *r, uint8_t *p, uint8_t *q)
{
    g_autofree uint8_t *in = g_malloc(RAID_LEN);

    memset(p, 0, RAID_LEN);
    memset(q, 0, RAID_LEN);
    for (unsigned i = 0; i < r->n; i++) {
        qtest_bufread(ioat_dma_qts(c->d), r->src[i], in, RAID_LEN);
        for (unsigned k = 0; k < RAID_LEN; k++) {
            p[k] ^= in[k];
            q[k] ^= gf_mul(r->coef[i], in[k]);
        }
    }
}

void assert_guest_bytes(Chan *c, uint64_t addr, const uint8_t *want)
{
    g_autofree uint8_t *got = g_malloc(RAID_LEN);

    qtest_bufread(ioat_dma_qts(c->d), addr, got, RAID_LEN);
    g_assert_cmpmem(got, RAID_LEN, want, RAID_LEN);
}

/*
 * An @op P+Q of @n sources with P disabled: Q is the reference, and P,
 * which Linux aliases to a live buffer, keeps what it held.
 */
void assert_disabled_p_untouched(Chan *c, uint8_t op, unsigned n)
{
    RaidDesc r = raid_sources(c, op, n);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    g_autofree uint8_t *old_p = g_malloc(RAID_LEN);
    uint64_t base;

    r.ctl |= CTL(P_DISABLE);
    qtest_bufread(ioat_dma_qts(c->d), r.p, old_p, RAID_LEN);
    raid_reference(c, &r, p, q);
    raid_run(c, &r, &base);
    assert_guest_bytes(c, r.p, old_p);
    assert_guest_bytes(c, r.q, q);
}

RaidDesc raid_sources(Chan *c, uint8_t op, unsigned n)
{
    RaidDesc r = { .op = op, .n = n, .ctl = CTL(COMPL_WRITE) };

    for (unsigned i = 0; i < n; i++) {
        r.src[i] = buf_alloc(c, RAID_LEN, 0x10 * i + 1);
        r.coef[i] = 0x35 * (i + 1);
    }
    r.p = buf_alloc(c, RAID_LEN, 0xa5);
    r.q = buf_alloc(c, RAID_LEN, 0x5a);
    if (raid_is_16s(op)) {
        r.sed = guest_alloc(c->alloc, 128);
    }
    return r;
}

/* Run @r as the only operation of a new chain; returns CHANSTS. */
uint64_t raid_run(Chan *c, const RaidDesc *r, uint64_t *base)
{
    uint64_t ext = desc_alloc(c);

    *base = desc_alloc(c);
    raid_desc_put(c, *base, ext, r, *base);
    return run_chain(c, *base, raid_has_ext(r) ? 2 : 1);
}


/* The -d guest_errors,unimp log of the running test's machine */
static char *dma_log;

unsigned logged(const char *prefix)
{
    return ioat_log_count(dma_log, prefix);
}

long completion_thread(void)
{
    return ioat_log_event_thread(dma_log, "ioat_dma_chan_completion");
}

static void fresh_machine_clear(void *unused)
{
    ioat_qtest_quit_machine(global_qtest);
    qos_invalidate_command_line();
    ioat_log_remove(dma_log);
    dma_log = NULL;
}

static void *fresh_machine(GString *cmd_line, void *arg)
{
    dma_log = ioat_log_attach(cmd_line, "ioat-dma");
    g_test_queue_destroy(fresh_machine_clear, NULL);
    return arg;
}

#define ENGINE_IOTHREAD "ioat-engine"

static void *fresh_machine_iothread(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -object iothread,id=" ENGINE_IOTHREAD " ");
    return fresh_machine(cmd_line, arg);
}

#define TRACE_COMPLETIONS \
    " -msg timestamp=on -trace ioat_dma_chan_completion "

static void *fresh_machine_traced(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, TRACE_COMPLETIONS);
    return fresh_machine(cmd_line, arg);
}

static void *fresh_machine_iothread_traced(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, TRACE_COMPLETIONS);
    return fresh_machine_iothread(cmd_line, arg);
}

/* @fn on a machine that @before prepares, the device with @dev_opts */
static void add_machine_test(QIoatDmaArea area, const char *name,
                             QOSTestFunc fn, const char *dev_opts,
                             const void *arg, QOSBeforeTest before)
{
    QOSGraphTestOptions opts = {
        .edge.extra_device_opts = dev_opts,
        .arg = (void *)arg,
        .before = before,
    };

    ioat_qos_add_test(qioat_dma_areas[area], name, fn, &opts);
}

void add_thread_test(QIoatDmaArea area, const char *name, QOSTestFunc fn,
                     bool iothread)
{
    if (iothread) {
        add_machine_test(area, name, fn, "iothread=" ENGINE_IOTHREAD, NULL,
                         fresh_machine_iothread_traced);
    } else {
        add_machine_test(area, name, fn, NULL, NULL, fresh_machine_traced);
    }
}

void add_iothread_tests(const DmaTestCase *tests, int n)
{
    for (int i = 0; i < n; i++) {
        g_autofree char *dev_opts =
            g_strjoin(",", "iothread=" ENGINE_IOTHREAD, tests[i].dev_opts,
                      NULL);

        add_machine_test(QIOAT_DMA_IOTHREAD, tests[i].name, tests[i].fn,
                         dev_opts, NULL, fresh_machine_iothread);
    }
}

void add_test(QIoatDmaArea area, const char *name, QOSTestFunc fn,
              const char *dev_opts, const void *arg)
{
    add_machine_test(area, name, fn, dev_opts, arg, fresh_machine);
}

void add_tests(QIoatDmaArea area, const DmaTestCase *tests, int n)
{
    for (int i = 0; i < n; i++) {
        add_test(area, tests[i].name, tests[i].fn, tests[i].dev_opts, NULL);
    }
}

