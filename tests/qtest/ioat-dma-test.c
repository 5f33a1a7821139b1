/*
 * qtests for the ioat-dma (Intel I/OAT CB3.4) device, one behaviour per
 * test, in the areas of libqos/ioat-dma.h: registers, copies, interrupts,
 * channel commands, errors, XOR and P+Q, and migration.  Each test starts
 * a machine of its own; Chan below sets a channel up as Linux does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-dma.h"
#include "ioat-dma-fixture.h"
#include "libqos/ioat-pci.h"
#include "libqos/ioat-qos.h"
#include "qemu/units.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/dma/ioat_dma_regs.h"
#include "qobject/qdict.h"

/* The channel count each test expects, matching its edge options. */
typedef struct ChannelsCase {
    const char *name;
    const char *opts;
    unsigned channels;
} ChannelsCase;

static const ChannelsCase channels_cases[] = {
    { "default", NULL, 4 },
    { "channels-1", "channels=1", 1 },
    { "channels-2", "channels=2", 2 },
};

static void test_pci_identity(void *obj, void *data, QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_VENDOR_ID), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_DEVICE_ID), ==, 0x0b00);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_CLASS_DEVICE), ==,
                    0x0880);
    g_assert_cmphex(qpci_config_readb(&d->pci_dev, PCI_CLASS_PROG), ==, 0);
    g_assert_cmphex(qpci_config_readb(&d->pci_dev, PCI_INTERRUPT_PIN), ==, 1);
}

static void test_bar0_is_64bit_16k_mmio(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    IoatPciBarInfo bar = ioat_pci_probe_bar(&d->pci_dev, 0);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_false(bar.prefetchable);
    g_assert_cmphex(bar.size, ==, 16 * KiB);
}

static void test_msix_table_in_bar0(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint8_t cap = qpci_find_capability(&d->pci_dev, PCI_CAP_ID_MSIX, 0);
    uint32_t table, pba;

    g_assert_cmphex(cap, !=, 0);
    table = qpci_config_readl(&d->pci_dev, cap + PCI_MSIX_TABLE);
    pba = qpci_config_readl(&d->pci_dev, cap + PCI_MSIX_PBA);
    g_assert_cmpint(table & PCI_MSIX_TABLE_BIR, ==, 0);
    g_assert_cmphex(table & PCI_MSIX_TABLE_OFFSET, ==, 0x2000);
    g_assert_cmpint(pba & PCI_MSIX_PBA_BIR, ==, 0);
    g_assert_cmphex(pba & PCI_MSIX_PBA_OFFSET, ==, 0x3000);
}

static void test_msix_vectors_equal_channels(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    const ChannelsCase *c = data;

    g_assert_cmpint(qpci_msix_table_size(&d->pci_dev), ==, c->channels);
}

static void test_chancnt_equals_channels(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    const ChannelsCase *c = data;

    g_assert_cmpint(ioat_dma_readb(obj, A_CHANCNT), ==, c->channels);
}

static void test_reset_xfercap_is_1m(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    g_assert_cmpint(ioat_dma_readb(obj, A_XFERCAP), ==, 20);
}

static void test_xfercap_property(void *obj, void *data,
                                  QGuestAllocator *alloc)
{
    g_assert_cmpint(ioat_dma_readb(obj, A_XFERCAP), ==, 16);
}

static void test_reset_cbver_is_3_4(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_dma_readb(obj, A_CBVER), ==, 0x34);
}

static void test_reset_intrctrl_is_zero(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_dma_readb(obj, A_INTRCTRL), ==, 0);
}

static void test_reset_channels_halted(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    const ChannelsCase *c = data;

    for (unsigned i = 0; i < c->channels; i++) {
        uint64_t sts = ioat_dma_chansts(obj, i);

        g_assert_cmphex(sts, ==, IOAT_DMA_CHANSTS_HALTED);
        g_assert_cmphex(ioat_dma_readl(obj, IOAT_DMA_CHAN_BASE(i) + A_CHANERR),
                        ==, 0);
    }
}

static void test_chancmd_reset_self_clears(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint32_t base = IOAT_DMA_CHAN_BASE(0);

    ioat_dma_writeb(d, base + A_CHANCMD, R_CHANCMD_RESET_MASK);
    g_assert_cmphex(ioat_dma_readb(d, base + A_CHANCMD), ==, 0);
    g_assert_cmphex(ioat_dma_readq(d, base + A_CHANSTS_LO), ==,
                    IOAT_DMA_CHANSTS_HALTED);
}

static void test_chainaddr_write_arms_channel(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint32_t base = IOAT_DMA_CHAN_BASE(0);

    ioat_dma_writel(d, base + A_CHAINADDR_LO, 0x10000);
    ioat_dma_writel(d, base + A_CHAINADDR_HI, 0);
    g_assert_cmphex(ioat_dma_readq(d, base + A_CHANSTS_LO) & 7, ==,
                    IOAT_DMA_CHANSTS_ARMED);
}

/* Descriptor engine */

static void test_null_desc_completes(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);
    uint64_t sts;

    ioat_dma_chan_set_chain(c.d, 0, desc);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    /* Linux polls ~20 us after the doorbell for ACTIVE or DONE. */
    sts = ioat_dma_chansts(c.d, 0);
    g_assert_true(STATUS(sts) == IOAT_DMA_CHANSTS_ACTIVE ||
                  STATUS(sts) == IOAT_DMA_CHANSTS_DONE);
    sts = ioat_dma_chan_wait(c.d, 0);
    g_assert_cmphex(sts, ==, desc | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, desc | IOAT_DMA_CHANSTS_DONE);
}

static void test_memcpy_single(void *obj, void *data, QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c);
    uint64_t src = buf_alloc(&c, 4096, 1);
    uint64_t dst = buf_alloc(&c, 4096, 2);
    uint64_t guard = buf_alloc(&c, 4096, 2);

    /* Odd offsets and length, as dmatest uses. */
    ioat_dma_desc_put(c.d, desc, 2001, CTL(COMPL_WRITE), src + 3, dst + 5,
                      desc);
    g_assert_cmphex(run_chain(&c, desc, 1), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, src + 3, dst + 5, 2001);
    assert_guest_equal(&c, dst, guard, 5);
    assert_guest_equal(&c, dst + 5 + 2001, guard + 5 + 2001,
                       4096 - 5 - 2001);
    g_assert_cmphex(chan_record(&c), ==, desc | IOAT_DMA_CHANSTS_DONE);
}

/*
 * Bus mastering off after a copy: the engine's next descriptor is not
 * fetched (the channel halts with CHAINADDR_VALUE) and nothing is copied,
 * whatever the engine keeps to reach guest memory quickly (PCI Command
 * register, Bus Master Enable).
 */
static void test_no_dma_without_bus_master(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c), desc2 = desc_alloc(&c);
    uint64_t src = buf_alloc(&c, 4096, 1);
    uint64_t dst = buf_alloc(&c, 4096, 2), dst2 = buf_alloc(&c, 4096, 2);
    uint64_t guard = buf_alloc(&c, 4096, 2);
    uint16_t cmd;

    ioat_dma_desc_put(c.d, desc, 4096, CTL(COMPL_WRITE), src, dst, desc);
    g_assert_cmphex(run_chain(&c, desc, 1), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, src, dst, 4096);

    ioat_dma_desc_put(c.d, desc2, 4096, CTL(COMPL_WRITE), src, dst2, desc2);
    cmd = qpci_config_readw(&c.d->pci_dev, PCI_COMMAND);
    qpci_config_writew(&c.d->pci_dev, PCI_COMMAND,
                       cmd & ~PCI_COMMAND_MASTER);
    g_assert_cmphex(STATUS(run_chain(&c, desc2, 1)), ==,
                    IOAT_DMA_CHANSTS_HALTED);
    /* the completion record cannot be written either */
    g_assert_cmphex(chan_chanerr(&c), ==, R_CHANERR_CHAIN_ADDR_VALUE_MASK |
                    R_CHANERR_COMPLETION_ADDR_MASK);
    assert_guest_equal(&c, dst2, guard, 4096);
}

/* The ring is linked by next pointers, in no particular memory order. */
static void test_memcpy_scattered_chain(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    static const int order[] = { 2, 0, 3, 1 };
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc[4], src = buf_alloc(&c, 4 * 1024, 3);
    uint64_t dst = buf_alloc(&c, 4 * 1024, 4);

    for (int i = 0; i < 4; i++) {
        desc[i] = desc_alloc(&c);
    }
    for (int i = 0; i < 4; i++) {
        uint64_t cur = desc[order[i]];
        uint64_t next = desc[order[(i + 1) % 4]];

        ioat_dma_desc_put(c.d, cur, 1024, i == 3 ? CTL(COMPL_WRITE) : 0,
                          src + i * 1024, dst + i * 1024, next);
    }
    g_assert_cmphex(run_chain(&c, desc[order[0]], 4), ==,
                    desc[order[3]] | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, src, dst, 4 * 1024);
    g_assert_cmphex(chan_record(&c), ==,
                    desc[order[3]] | IOAT_DMA_CHANSTS_DONE);
}

/* Several descriptors of XFERCAP bytes, more than one engine run's worth. */
static void test_memcpy_large_chain(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    const size_t chunk = 1 * MiB, n = 6;
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc[6], src = buf_alloc(&c, chunk * n, 5);
    uint64_t dst = guest_alloc(alloc, chunk * n);

    for (int i = 0; i < n; i++) {
        desc[i] = desc_alloc(&c);
    }
    for (int i = 0; i < n; i++) {
        ioat_dma_desc_put(c.d, desc[i], chunk, CTL(COMPL_WRITE),
                          src + i * chunk, dst + i * chunk, desc[(i + 1) % n]);
    }
    g_assert_cmphex(run_chain(&c, desc[0], n), ==,
                    desc[n - 1] | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, src, dst, chunk * n);
}

/*
 * DMACOUNT is a free-running 16-bit count of ring slots: 0xffff and then 1
 * make 65537 descriptors, so a ring of 4 ends on its slot 0.
 */
static void test_dmacount_wraps(void *obj, void *data, QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t ring = guest_alloc(alloc, 4 * IOAT_DMA_DESC_SIZE);

    for (int i = 0; i < 4; i++) {
        ioat_dma_desc_put(c.d, ring + i * 64, 1, CTL(NUL), 0, 0,
                          ring + ((i + 1) % 4) * 64);
    }
    g_assert_cmphex(run_chain(&c, ring, 0xffff), ==,
                    (ring + 2 * 64) | IOAT_DMA_CHANSTS_DONE);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    ring | IOAT_DMA_CHANSTS_DONE);
}

static void test_completion_only_with_compl_write(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    null_ring2(&c, CTL(NUL), CTL(NUL) | CTL(COMPL_WRITE), &d0, &d1);
    g_assert_cmphex(run_chain(&c, d0, 1), ==, d0 | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, 0);
    ioat_dma_chan_doorbell(c.d, 0, 2);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    d1 | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, d1 | IOAT_DMA_CHANSTS_DONE);
}

/* Interrupts: INTRCTRL, ATTNSTATUS and one MSI-X vector per channel */

static void test_interrupt_msix_vector_is_channel(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    enable_msix(d);
    for (unsigned ch = 0; ch < 4; ch++) {
        Chan c = chan_init(d, alloc, ch);
        uint64_t desc = null_ring(&c, NULL_DESC_CTL);

        run_chain(&c, desc, 1);
        for (unsigned v = 0; v < 4; v++) {
            g_assert_cmpint(ioat_dma_msix_pending(d, v), ==, v == ch);
        }
        ioat_dma_msix_clear(d, ch);
    }
}

static void test_interrupt_only_with_int_en(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    enable_msix(c.d);
    null_ring2(&c, CTL(NUL) | CTL(COMPL_WRITE), NULL_DESC_CTL, &d0, &d1);
    run_chain(&c, d0, 1);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
    ioat_dma_chan_doorbell(c.d, 0, 2);
    ioat_dma_chan_wait(c.d, 0);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/* An interrupt while disarmed is held and delivered on re-arm. */
static void test_rearm_latch(void *obj, void *data, QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    enable_msix(c.d);
    null_ring2(&c, NULL_DESC_CTL, NULL_DESC_CTL, &d0, &d1);
    run_chain(&c, d0, 1);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
    ioat_dma_msix_clear(c.d, 0);

    ioat_dma_chan_doorbell(c.d, 0, 2);
    ioat_dma_chan_wait(c.d, 0);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));

    ioat_dma_writew(c.d, ioat_dma_chan_reg(0, A_CHANCTRL),
                    IOAT_DMA_CHANCTRL_RUN);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

static void test_master_int_en_holds_interrupt(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    ioat_dma_msix_enable(c.d);
    run_chain(&c, desc, 1);
    g_assert_false(ioat_dma_msix_pending(c.d, 0));
    ioat_dma_writeb(c.d, A_INTRCTRL, R_INTRCTRL_MASTER_INT_EN_MASK);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/* Without MSI-X or MSI: ATTNSTATUS and INTRCTRL report, reading clears. */
static void test_attnstatus_read_clears(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 1);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    ioat_dma_writeb(c.d, A_INTRCTRL, R_INTRCTRL_MASTER_INT_EN_MASK);
    run_chain(&c, desc, 1);
    g_assert_cmphex(ioat_dma_readb(c.d, A_INTRCTRL), ==,
                    R_INTRCTRL_MASTER_INT_EN_MASK |
                    R_INTRCTRL_INT_STATUS_MASK | R_INTRCTRL_INT_MASK);
    g_assert_cmphex(ioat_dma_readl(c.d, A_ATTNSTATUS), ==, BIT(1));
    g_assert_cmphex(ioat_dma_readl(c.d, A_ATTNSTATUS), ==, 0);
    g_assert_cmphex(ioat_dma_readb(c.d, A_INTRCTRL), ==,
                    R_INTRCTRL_MASTER_INT_EN_MASK);
}

/* Channel commands: CHANCMD suspend, resume, reset and abort */

static void test_suspend_from_done_and_resume(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0, d1;

    null_ring2(&c, CTL(NUL), CTL(NUL), &d0, &d1);
    run_chain(&c, d0, 1);
    chan_command(&c, R_CHANCMD_SUSPEND_MASK);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==,
                    d0 | IOAT_DMA_CHANSTS_SUSPENDED);
    /* A doorbell while suspended is latched, not run. */
    ioat_dma_chan_doorbell(c.d, 0, 2);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==,
                    d0 | IOAT_DMA_CHANSTS_SUSPENDED);
    chan_command(&c, R_CHANCMD_RESUME_MASK);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    d1 | IOAT_DMA_CHANSTS_DONE);
}

/* The VM is stopped so that the work is still queued when SUSPEND lands. */
static void test_suspend_while_active(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    ioat_dma_chan_set_chain(c.d, 0, desc);
    vm_stop(c.d);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_ACTIVE);
    chan_command(&c, R_CHANCMD_SUSPEND_MASK);
    vm_cont(c.d);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_SUSPENDED);
    g_assert_cmphex(chan_record(&c), ==, 0);
    chan_command(&c, R_CHANCMD_RESUME_MASK);
    g_assert_cmphex(ioat_dma_chan_wait(c.d, 0), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
}

static void test_reset_cancels_queued_work(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c);
    uint64_t src = buf_alloc(&c, 256, 6), dst = guest_alloc(alloc, 256);

    qtest_memset(ioat_dma_qts(c.d), dst, 0, 256);
    ioat_dma_desc_put(c.d, desc, 256, CTL(COMPL_WRITE), src, dst, desc);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    vm_stop(c.d);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    chan_command(&c, R_CHANCMD_RESET_MASK);
    g_assert_cmphex(ioat_dma_readb(c.d, ioat_dma_chan_reg(0, A_CHANCMD)), ==,
                    0);
    vm_cont(c.d);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(chan_record(&c), ==, 0);
    g_assert_cmphex(qtest_readq(ioat_dma_qts(c.d), dst), ==, 0);
}

static void test_abort_drops_queued_work(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = desc_alloc(&c);
    uint64_t src = buf_alloc(&c, 256, 6), dst = guest_alloc(alloc, 256);

    qtest_memset(ioat_dma_qts(c.d), dst, 0, 256);
    ioat_dma_desc_put(c.d, desc, 256, CTL(COMPL_WRITE), src, dst, desc);
    ioat_dma_chan_set_chain(c.d, 0, desc);
    vm_stop(c.d);
    ioat_dma_chan_doorbell(c.d, 0, 1);
    chan_command(&c, R_CHANCMD_ABORT_MASK);
    vm_cont(c.d);
    g_assert_cmphex(ioat_dma_chansts(c.d, 0), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(ioat_dma_readl(c.d, ioat_dma_chan_reg(0, A_CHANERR)), ==,
                    0);
    g_assert_cmphex(qtest_readq(ioat_dma_qts(c.d), dst), ==, 0);
    /* Halted without an error, CHAINADDR starts over. */
    g_assert_cmphex(run_chain(&c, desc, 1), ==, desc | IOAT_DMA_CHANSTS_DONE);
    assert_guest_equal(&c, src, dst, 256);
}

/* Errors: halt, CHANERR, record of the last good descriptor */

typedef enum {
    ERR_CHAIN_ADDR,         /* CHAINADDR unreadable */
    ERR_NEXT_ADDR,          /* a next pointer unreadable */
    ERR_DESC_ALIGN,         /* CHAINADDR not 64-byte aligned */
    ERR_READ_DATA,
    ERR_WRITE_DATA,
    ERR_OPCODE,
    ERR_ZERO_LENGTH,
    ERR_OVER_XFERCAP,
    ERR_COMPLETION_ALIGN,
} ErrorKind;

typedef struct ErrorCase {
    const char *name;
    ErrorKind kind;
    uint32_t chanerr;
} ErrorCase;

static const ErrorCase error_cases[] = {
    { "error-chain-addr-unreadable", ERR_CHAIN_ADDR,
      R_CHANERR_CHAIN_ADDR_VALUE_MASK },
    { "error-next-addr-unreadable", ERR_NEXT_ADDR, R_CHANERR_NEXT_ADDR_MASK },
    { "error-desc-misaligned", ERR_DESC_ALIGN,
      R_CHANERR_NEXT_DESC_ALIGN_MASK },
    { "error-source-unreadable", ERR_READ_DATA, R_CHANERR_READ_DATA_MASK },
    { "error-destination-unwritable", ERR_WRITE_DATA,
      R_CHANERR_WRITE_DATA_MASK },
    { "error-unknown-opcode", ERR_OPCODE, R_CHANERR_CONTROL_MASK },
    { "error-zero-length", ERR_ZERO_LENGTH, R_CHANERR_LENGTH_MASK },
    { "error-length-over-xfercap", ERR_OVER_XFERCAP, R_CHANERR_LENGTH_MASK },
    { "error-completion-misaligned", ERR_COMPLETION_ALIGN,
      R_CHANERR_COMPLETION_ADDR_MASK },
};

/*
 * A good null descriptor, then the faulty one.  Returns the chain start and
 * sets *@last_good to what the halt record must name.
 */
static uint64_t build_faulty_chain(Chan *c, ErrorKind kind,
                                   uint64_t *last_good, uint16_t *count)
{
    uint64_t good = desc_alloc(c), bad = desc_alloc(c);
    uint64_t buf = guest_alloc(c->alloc, 64);
    uint32_t copy = CTL(COMPL_WRITE) | CTL(INT_EN);

    ioat_dma_desc_put(c->d, good, 1, NULL_DESC_CTL, 0, 0, bad);
    ioat_dma_desc_put(c->d, bad, 64, copy, buf, buf, good);
    *last_good = good;
    *count = 2;
    switch (kind) {
    case ERR_CHAIN_ADDR:
        *last_good = 0;
        *count = 1;
        return BAD_ADDR;
    case ERR_DESC_ALIGN:
        *last_good = 0;
        *count = 1;
        return good + 8;
    case ERR_NEXT_ADDR:
        ioat_dma_desc_put(c->d, good, 1, NULL_DESC_CTL, 0, 0, BAD_ADDR);
        break;
    case ERR_READ_DATA:
        ioat_dma_desc_put(c->d, bad, 64, copy, BAD_ADDR, buf, good);
        break;
    case ERR_WRITE_DATA:
        ioat_dma_desc_put(c->d, bad, 64, copy, buf, BAD_ADDR, good);
        break;
    case ERR_OPCODE:
        ioat_dma_desc_put(c->d, bad, 64, copy | (0x42 << R_DESC_CTL_OP_SHIFT),
                          buf, buf, good);
        break;
    case ERR_ZERO_LENGTH:
        ioat_dma_desc_put(c->d, bad, 0, copy, buf, buf, good);
        break;
    case ERR_OVER_XFERCAP:
        ioat_dma_desc_put(c->d, bad, (1 << 20) + 1, copy, buf, buf, good);
        break;
    case ERR_COMPLETION_ALIGN:
        ioat_dma_chan_setup(c->d, c->idx, c->cmp + 4);
        *count = 1;
        break;
    }
    return good;
}

static void test_error_halts_and_recovers(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    const ErrorCase *e = data;
    Chan c = chan_init(obj, alloc, 0);
    uint32_t chanerr_reg = ioat_dma_chan_reg(0, A_CHANERR);
    uint64_t first, last_good, restart, sts;
    uint16_t count;

    enable_msix(c.d);
    first = build_faulty_chain(&c, e->kind, &last_good, &count);
    sts = run_chain(&c, first, count);
    g_assert_cmphex(STATUS(sts), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(ADDR(sts), ==, last_good);
    g_assert_cmphex(ioat_dma_readl(c.d, chanerr_reg), ==, e->chanerr);
    if (e->kind == ERR_COMPLETION_ALIGN) {
        /* The record cannot be written. */
        g_assert_cmphex(chan_record(&c), ==, 0);
    } else {
        g_assert_cmphex(chan_record(&c), ==,
                        last_good | IOAT_DMA_CHANSTS_HALTED);
    }
    /* ERR_INT_EN */
    g_assert_true(ioat_dma_msix_pending(c.d, 0));

    /* Halted with CHANERR set, CHAINADDR does not restart the channel. */
    restart = null_ring(&c, NULL_DESC_CTL);
    ioat_dma_chan_set_chain(c.d, 0, restart);
    g_assert_cmphex(STATUS(ioat_dma_chansts(c.d, 0)), ==,
                    IOAT_DMA_CHANSTS_HALTED);

    /* Linux's recovery: CHANERR write-back, reset, then a new chain. */
    ioat_dma_writel(c.d, chanerr_reg, e->chanerr);
    g_assert_cmphex(ioat_dma_readl(c.d, chanerr_reg), ==, 0);
    chan_command(&c, R_CHANCMD_RESET_MASK);
    ioat_dma_chan_setup(c.d, 0, c.cmp);
    g_assert_cmphex(run_chain(&c, restart, 1), ==,
                    restart | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, restart | IOAT_DMA_CHANSTS_DONE);
}

/* Linux's ioat_eh path: clear CHANERR and restart without a reset. */
static void test_error_restart_without_reset(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint32_t chanerr_reg = ioat_dma_chan_reg(0, A_CHANERR);
    uint64_t first, last_good, restart;
    uint16_t count;

    first = build_faulty_chain(&c, ERR_READ_DATA, &last_good, &count);
    run_chain(&c, first, count);
    ioat_dma_writel(c.d, chanerr_reg, ioat_dma_readl(c.d, chanerr_reg));
    restart = null_ring(&c, NULL_DESC_CTL);
    g_assert_cmphex(run_chain(&c, restart, 1), ==,
                    restart | IOAT_DMA_CHANSTS_DONE);
}

/* A ring of one descriptor that links to itself runs DMACOUNT times. */
static void test_self_linked_ring_is_bounded(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t desc = null_ring(&c, CTL(NUL));

    g_assert_cmphex(run_chain(&c, desc, 0xfffe), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
}

/* The engine is in order, so a fenced copy feeds the next one. */
static void test_fence_orders_dependent_copies(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    uint64_t d0 = desc_alloc(&c), d1 = desc_alloc(&c);
    uint64_t a = buf_alloc(&c, 4096, 7), b = buf_alloc(&c, 4096, 8);
    uint64_t cc = buf_alloc(&c, 4096, 9);

    ioat_dma_desc_put(c.d, d0, 4096, CTL(FENCE), a, b, d1);
    ioat_dma_desc_put(c.d, d1, 4096, CTL(COMPL_WRITE), b, cc, d0);
    run_chain(&c, d0, 2);
    assert_guest_equal(&c, a, cc, 4096);
}

static void test_all_channels_concurrently(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    const size_t len = 64 * KiB;
    QIoatDma *d = obj;
    Chan c[4];
    uint64_t desc[4][4], src[4], dst[4];

    enable_msix(d);
    for (unsigned ch = 0; ch < 4; ch++) {
        c[ch] = chan_init(d, alloc, ch);
        src[ch] = buf_alloc(&c[ch], len, 10 + ch);
        dst[ch] = guest_alloc(alloc, len);
        for (int i = 0; i < 4; i++) {
            desc[ch][i] = desc_alloc(&c[ch]);
        }
        for (int i = 0; i < 4; i++) {
            ioat_dma_desc_put(d, desc[ch][i], len / 4,
                              i == 3 ? CTL(COMPL_WRITE) | CTL(INT_EN) : 0,
                              src[ch] + i * len / 4, dst[ch] + i * len / 4,
                              desc[ch][(i + 1) % 4]);
        }
        ioat_dma_chan_set_chain(d, ch, desc[ch][0]);
    }
    for (unsigned ch = 0; ch < 4; ch++) {
        ioat_dma_chan_doorbell(d, ch, 4);
    }
    for (unsigned ch = 0; ch < 4; ch++) {
        g_assert_cmphex(ioat_dma_chan_wait(d, ch), ==,
                        desc[ch][3] | IOAT_DMA_CHANSTS_DONE);
        g_assert_cmphex(chan_record(&c[ch]), ==,
                        desc[ch][3] | IOAT_DMA_CHANSTS_DONE);
        g_assert_true(ioat_dma_msix_pending(d, ch));
        assert_guest_equal(&c[ch], src[ch], dst[ch], len);
    }
}

/* XOR and P+Q descriptors, checked against a software reference */

typedef struct DmacapCase {
    const char *name;
    const char *dev_opts;
    uint32_t dmacap;
} DmacapCase;

#define DMACAP(bit)     R_DMACAPABILITY_##bit##_MASK

static const DmacapCase dmacap_cases[] = {
    { "dmacap-default", NULL, DMACAP(BLOCK_FILL) | DMACAP(XOR) | DMACAP(PQ) |
      DMACAP(DWBES) | DMACAP(RAID16SS) },
    { "dmacap-raid-off", "raid=off", DMACAP(BLOCK_FILL) },
    { "dmacap-fill-off", "fill=off", DMACAP(XOR) | DMACAP(PQ) |
      DMACAP(DWBES) | DMACAP(RAID16SS) },
    { "dmacap-raid16ss-and-dwbes-off", "raid16ss=off,dwbes=off",
      DMACAP(BLOCK_FILL) | DMACAP(XOR) | DMACAP(PQ) },
};

/* DMACAPABILITY offers what the properties turn on (raid: XOR and P+Q). */
static void test_dmacap(void *obj, void *data, QGuestAllocator *alloc)
{
    const DmacapCase *c = data;

    g_assert_cmphex(ioat_dma_readl(obj, A_DMACAPABILITY), ==, c->dmacap);
}

static void test_raid_off_rejects_xor(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR, 2);
    uint64_t base, sts = raid_run(&c, &r, &base);

    g_assert_cmphex(sts, ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(ioat_dma_readl(c.d, ioat_dma_chan_reg(0, A_CHANERR)), ==,
                    R_CHANERR_CONTROL_MASK);
}

/* Eight sources: five in the base descriptor, three in its extension. */
static void test_xor_matches_reference(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR, 8);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    /* The record and CHANSTS name the base, never the extension. */
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(chan_record(&c), ==, base | IOAT_DMA_CHANSTS_DONE);
    assert_guest_bytes(&c, r.p, p);
}

/* async_xor chains XOR into a destination that is also a source. */
static void test_xor_destination_may_be_a_source(void *obj, void *data,
                                                 QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR, 3);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    r.p = r.src[1];
    raid_reference(&c, &r, p, q);
    raid_run(&c, &r, &base);
    assert_guest_bytes(&c, r.p, p);
}

static void test_xor_val_match_completes(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR_VAL, 6);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    qtest_bufwrite(ioat_dma_qts(c.d), r.p, p, RAID_LEN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    assert_guest_bytes(&c, r.p, p);
}

/*
 * A validate mismatch halts with the P error alone and a record naming the
 * descriptor before it, which Linux's ioat_eh relies on.
 */
static void test_xor_val_mismatch_halts_p(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_XOR_VAL, 3);
    uint64_t null = desc_alloc(&c), base = desc_alloc(&c), sts;

    enable_msix(c.d);
    ioat_dma_desc_put(c.d, null, 1, NULL_DESC_CTL, 0, 0, base);
    raid_desc_put(&c, base, 0, &r, null);
    sts = run_chain(&c, null, 2);
    g_assert_cmphex(sts, ==, null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(ioat_dma_readl(c.d, ioat_dma_chan_reg(0, A_CHANERR)), ==,
                    R_CHANERR_XOR_P_MASK);
    g_assert_cmphex(chan_record(&c), ==, null | IOAT_DMA_CHANSTS_HALTED);
    g_assert_true(ioat_dma_msix_pending(c.d, 0));
}

/* Six sources (three in the extension) with distinct coefficients. */
static void test_pq_matches_reference(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ, 6);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
    assert_guest_bytes(&c, r.p, p);
    assert_guest_bytes(&c, r.q, q);
}

/* A disabled output is not written, even though Linux aliases it. */
static void test_pq_disabled_p_untouched(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);

    assert_disabled_p_untouched(&c, IOAT_DMA_OP_PQ, 2);
}

static void test_pq_val_match_completes(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_VAL, 5);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    qtest_bufwrite(ioat_dma_qts(c.d), r.p, p, RAID_LEN);
    qtest_bufwrite(ioat_dma_qts(c.d), r.q, q, RAID_LEN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
}

/* Only the output that differs is reported: here Q. */
static void test_pq_val_q_mismatch_halts_q(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_VAL, 4);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    raid_reference(&c, &r, p, q);
    q[RAID_LEN - 1] ^= 1;
    qtest_bufwrite(ioat_dma_qts(c.d), r.p, p, RAID_LEN);
    qtest_bufwrite(ioat_dma_qts(c.d), r.q, q, RAID_LEN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==, IOAT_DMA_CHANSTS_HALTED);
    g_assert_cmphex(ioat_dma_readl(c.d, ioat_dma_chan_reg(0, A_CHANERR)), ==,
                    R_CHANERR_XOR_Q_MASK);
    g_assert_cmphex(chan_record(&c), ==, IOAT_DMA_CHANSTS_HALTED);
}

/* A disabled output is not compared either (Linux's XOR-through-PQ). */
static void test_pq_val_ignores_disabled_q(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    RaidDesc r = raid_sources(&c, IOAT_DMA_OP_PQ_VAL, 3);
    g_autofree uint8_t *p = g_malloc(RAID_LEN), *q = g_malloc(RAID_LEN);
    uint64_t base;

    r.ctl |= CTL(Q_DISABLE);
    raid_reference(&c, &r, p, q);
    qtest_bufwrite(ioat_dma_qts(c.d), r.p, p, RAID_LEN);
    g_assert_cmphex(raid_run(&c, &r, &base), ==,
                    base | IOAT_DMA_CHANSTS_DONE);
}

/* Migration */

/*
 * A chain rung while the VM is stopped is still queued at migration time;
 * the destination runs it once it starts.
 */
static void test_migration_resumes_chain(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 2);
    QTestState *src_qts = ioat_dma_qts(c.d), *dst_qts;
    uint64_t chansts = c.d->mmio.addr + ioat_dma_chan_reg(2, A_CHANSTS_LO);
    uint64_t d0 = desc_alloc(&c), d1 = desc_alloc(&c);
    uint64_t src = buf_alloc(&c, 8192, 11), dst = guest_alloc(alloc, 8192);
    g_autofree char *file = g_strdup_printf("%s/ioat-dma-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    g_autofree uint8_t *want = g_malloc(8192), *got = g_malloc(8192);
    IoatPoll p = { .sleep_us = 1000, .timeout_us = 10 * G_USEC_PER_SEC };

    ioat_dma_desc_put(c.d, d0, 4096, 0, src, dst, d1);
    ioat_dma_desc_put(c.d, d1, 4096, CTL(COMPL_WRITE), src + 4096,
                      dst + 4096, d0);
    ioat_dma_chan_set_chain(c.d, 2, d0);
    vm_stop(c.d);
    ioat_dma_chan_doorbell(c.d, 2, 2);
    g_assert_cmphex(ioat_dma_chansts(c.d, 2), ==, IOAT_DMA_CHANSTS_ACTIVE);
    qtest_qmp_assert_success(src_qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(src_qts);
    qtest_bufread(src_qts, src, want, 8192);

    dst_qts = qtest_initf("-M pc -device ioat-dma,addr=" IOAT_DMA_QOS_ADDR
                          " -incoming %s", uri);
    ioat_qtest_wait_migration(dst_qts);
    /* Queued, not run: the source was stopped, so is the destination. */
    g_assert_cmphex(qtest_readq(dst_qts, chansts), ==,
                    IOAT_DMA_CHANSTS_ACTIVE);
    qtest_qmp_assert_success(dst_qts, "{'execute': 'cont'}");
    while ((qtest_readq(dst_qts, chansts) & 7) != IOAT_DMA_CHANSTS_DONE) {
        g_assert_true(ioat_poll(&p));
    }
    g_assert_cmphex(qtest_readq(dst_qts, chansts), ==,
                    d1 | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readq(dst_qts, c.cmp), ==,
                    d1 | IOAT_DMA_CHANSTS_DONE);
    qtest_bufread(dst_qts, dst, got, 8192);
    g_assert_cmpmem(got, 8192, want, 8192);
    qtest_quit(dst_qts);
    unlink(file);
}

/*
 * A 24 MiB XOR into its own first source (async_xor's form) takes six runs
 * of the engine (4 MiB each).  The VM stops after the first; the
 * destination finishes the rest exactly once: had it started over, the
 * MiBs already done would be XORed twice and read back as source 0.  Each
 * MiB of a source holds one byte value of its own.
 */
#define PART_DONE_MIB   24

static uint8_t part_done_a(unsigned mib)
{
    return 0x11 * mib + 1;
}

static uint8_t part_done_b(unsigned mib)
{
    return 0x80 | (0x07 * mib);
}

static void test_migration_part_done_descriptor(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    Chan c = chan_init(obj, alloc, 0);
    QTestState *src_qts = ioat_dma_qts(c.d), *dst_qts;
    uint64_t chansts = c.d->mmio.addr + ioat_dma_chan_reg(0, A_CHANSTS_LO);
    g_autofree char *file = g_strdup_printf("%s/ioat-dma-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    g_autofree uint8_t *got = g_malloc(MiB);
    IoatPoll p = { .sleep_us = 1000, .timeout_us = 30 * G_USEC_PER_SEC };
    RaidDesc r = { .op = IOAT_DMA_OP_XOR, .n = 2, .ctl = CTL(COMPL_WRITE) };
    uint64_t desc = desc_alloc(&c);

    r.src[0] = guest_alloc(alloc, PART_DONE_MIB * MiB);
    r.src[1] = guest_alloc(alloc, PART_DONE_MIB * MiB);
    r.p = r.src[0];
    /*
     * The stop has to land while the engine is between two of its runs
     * over the descriptor (4 MiB each); on a loaded host it may come
     * after the last one, and the descriptor is simply done: start again.
     */
    for (unsigned attempt = 1; ; attempt++) {
        for (unsigned m = 0; m < PART_DONE_MIB; m++) {
            qtest_memset(src_qts, r.src[0] + m * MiB, part_done_a(m), MiB);
            qtest_memset(src_qts, r.src[1] + m * MiB, part_done_b(m), MiB);
        }
        raid_desc_put_len(&c, desc, 0, &r, desc, PART_DONE_MIB * MiB);
        ioat_dma_chan_set_chain(c.d, 0, desc);
        ioat_dma_chan_doorbell(c.d, 0, 1);
        vm_stop(c.d);
        if (qtest_readq(src_qts, chansts) == IOAT_DMA_CHANSTS_ACTIVE) {
            break;
        }
        g_assert_cmpuint(attempt, <, 5);
        g_test_message("attempt %u: the descriptor was done before the "
                       "stop; again", attempt);
        vm_cont(c.d);
        chan_command(&c, R_CHANCMD_RESET_MASK);
    }

    /* Stopped part-way: the first MiB is done, the last is not. */
    g_assert_cmphex(qtest_readb(src_qts, r.p), ==,
                    part_done_a(0) ^ part_done_b(0));
    g_assert_cmphex(qtest_readb(src_qts, r.p + PART_DONE_MIB * MiB - 1), ==,
                    part_done_a(PART_DONE_MIB - 1));
    qtest_qmp_assert_success(src_qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(src_qts);

    dst_qts = qtest_initf("-M pc -device ioat-dma,addr=" IOAT_DMA_QOS_ADDR
                          ",xfercap=25 -incoming %s", uri);
    ioat_qtest_wait_migration(dst_qts);
    qtest_qmp_assert_success(dst_qts, "{'execute': 'cont'}");
    while ((qtest_readq(dst_qts, chansts) & 7) == IOAT_DMA_CHANSTS_ACTIVE) {
        g_assert_true(ioat_poll(&p));
    }
    g_assert_cmphex(qtest_readq(dst_qts, chansts), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    g_assert_cmphex(qtest_readq(dst_qts, c.cmp), ==,
                    desc | IOAT_DMA_CHANSTS_DONE);
    for (unsigned m = 0; m < PART_DONE_MIB; m++) {
        uint8_t want = part_done_a(m) ^ part_done_b(m);

        qtest_memread(dst_qts, r.p + m * MiB, got, MiB);
        for (size_t i = 0; i < MiB; i++) {
            if (got[i] != want) {
                g_error("P byte 0x%zx is 0x%02x, not 0x%02x (done %s)",
                        m * MiB + i, got[i], want,
                        got[i] == part_done_a(m) ? "twice" : "never");
            }
        }
    }
    qtest_quit(dst_qts);
    unlink(file);
}

/*
 * The register map: unimplemented offsets, values stored but not acted
 * on, read-only registers and channels that do not exist, as the log of
 * the test's machine reports them.
 */

/* 0x18-0x4b: nothing between DCAOFFSET's dword and CHWPREFLMT. */
static void test_unimp_offset_read_logged_once(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    g_assert_cmphex(ioat_dma_readl(d, 0x18), ==, 0);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: read of unimplemented "
                            "offset 0x18 (size 4)"), ==, 1);
    ioat_dma_readl(d, 0x18);
    ioat_dma_readb(d, 0x19);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: "), ==, 1);
}

static void test_unimp_offset_write_dropped(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    ioat_dma_writel(d, 0xf0, 0xdeadbeef);
    g_assert_cmphex(ioat_dma_readl(d, 0xf0), ==, 0);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: write of unimplemented "
                            "offset 0xf0 (size 4)"), ==, 1);
    g_assert_cmpuint(logged("ioat_dma_err_"), ==, 0);
}

/* A dword write over CBVER, a hole and PERPORTOFFSET reaches each. */
static void test_access_spanning_a_hole(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    ioat_dma_writel(d, A_CBVER, 0xffffffff);
    g_assert_cmphex(ioat_dma_readb(d, A_CBVER), ==, IOAT_DMA_CBVER_3_4);
    g_assert_cmpuint(logged("ioat_dma_err_ro_write: write to read-only "
                            "CBVER (offset 0x8)"), ==, 1);
    g_assert_cmpuint(logged("ioat_dma_err_ro_write: write to read-only "
                            "PERPORTOFFSET (offset 0xa)"), ==, 1);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: write of unimplemented "
                            "offset 0x9 (size 1)"), ==, 1);
}

/* DCACTRL is stored; a value asking for DCA is reported, once. */
static void test_stored_only_value_logged_once(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint32_t dcactrl = ioat_dma_chan_reg(0, A_DCACTRL);

    ioat_dma_writel(d, dcactrl, 0);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: "), ==, 0);
    ioat_dma_writel(d, dcactrl, 0xffffffff);
    g_assert_cmphex(ioat_dma_readl(d, dcactrl), ==, 0xffffffff);
    ioat_dma_writel(d, dcactrl, 1);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: DCACTRL (offset 0xb0) = "
                            "0xffffffff"), ==, 1);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: "), ==, 1);
}

/* CHANCTRL bits other than the four the engine acts on are reported. */
static void test_chanctrl_unmodelled_bits_logged(void *obj, void *data,
                                                 QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    ioat_dma_writew(d, ioat_dma_chan_reg(0, A_CHANCTRL), 0x1d);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: "), ==, 0);
    ioat_dma_writew(d, ioat_dma_chan_reg(1, A_CHANCTRL), 0x21d);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: CHANCTRL (offset 0x100) "
                            "= 0x21d: stored, but bits 0x200"), ==, 1);
}

/* With 2 channels, channel 2's registers are a guest error every time. */
static void test_missing_channel_is_guest_error(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    g_assert_cmphex(ioat_dma_readl(d, ioat_dma_chan_reg(2, A_CHANSTS_LO)),
                    ==, 0);
    ioat_dma_readl(d, ioat_dma_chan_reg(2, A_CHANSTS_LO));
    g_assert_cmpuint(logged("ioat_dma_err_no_chan: read of offset 0x188 "
                            "(size 4): channel 2 does not exist, CHANCNT is "
                            "2"), ==, 2);
    /* channel 2's LTR_ACTIVE sits in channel 3's window */
    ioat_dma_readl(d, ioat_dma_chan_reg(2, A_LTR_ACTIVE));
    g_assert_cmpuint(logged("ioat_dma_err_no_chan: "), ==, 3);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: "), ==, 0);
}

/* The last channel's LTR block lies in the window of a missing channel. */
static void test_ltr_of_last_channel(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint32_t ltr = ioat_dma_chan_reg(1, A_LTR_ACTIVE);

    ioat_dma_writel(d, ltr, 0x258);
    g_assert_cmphex(ioat_dma_readl(d, ltr), ==, 0x258);
    g_assert_cmpuint(logged("ioat_dma_unimp_value: LTR_ACTIVE (offset "
                            "0x1c0)"), ==, 1);
    g_assert_cmpuint(logged("ioat_dma_err_no_chan: "), ==, 0);
}

static void test_dma_comp_is_read_only(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    ioat_dma_writew(d, ioat_dma_chan_reg(0, A_DMA_COMP), 5);
    g_assert_cmphex(ioat_dma_readl(d, ioat_dma_chan_reg(0, A_CHANCTRL)) >> 16,
                    ==, 0x0002);
    g_assert_cmpuint(logged("ioat_dma_err_chan_ro_write: channel 0: write to "
                            "read-only DMA_COMP (channel offset 0x2)"), ==, 1);
}

/* START is a CHANCMD bit the engine does not implement. */
static void test_chancmd_unknown_bits_logged(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    QIoatDma *d = obj;
    uint64_t chansts = ioat_dma_readq(d, ioat_dma_chan_reg(0, A_CHANSTS_LO));

    ioat_dma_writeb(d, ioat_dma_chan_reg(0, A_CHANCMD),
                    R_CHANCMD_START_MASK);
    g_assert_cmphex(ioat_dma_readq(d, ioat_dma_chan_reg(0, A_CHANSTS_LO)), ==,
                    chansts);
    g_assert_cmpuint(logged("ioat_dma_unimp_chancmd: channel 0: CHANCMD 0x01 "
                            "not implemented"), ==, 1);
}

/* 0xb4 is the hole before channel 0's DRSCTL, in channel 1's window. */
static void test_hole_before_ltr_block(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    QIoatDma *d = obj;

    g_assert_cmphex(ioat_dma_readl(d, 0xb4), ==, 0);
    g_assert_cmpuint(logged("ioat_dma_unimp_offset: read of unimplemented "
                            "offset 0xb4 (size 4)"), ==, 1);
}

/* Registration: @name-default, @name-channels-1, ...: one per ChannelsCase. */
static void add_channels_test(const char *name, QOSTestFunc fn)
{
    for (int i = 0; i < ARRAY_SIZE(channels_cases); i++) {
        const ChannelsCase *c = &channels_cases[i];
        g_autofree char *path = g_strdup_printf("%s-%s", name, c->name);

        add_test(QIOAT_DMA_REGISTERS, path, fn, c->opts, c);
    }
}

/*
 * The tests per area, at most IOAT_QOS_MAX_TESTS_PER_NODE in each
 * (libqos/ioat-qos.h); their paths are
 * /x86_64/pc/i440FX-pcihost/pci-bus-pc/pci-bus/ioat-dma/AREA/AREA-tests/NAME
 * with AREA as in libqos/ioat-dma.c, e.g. ioat-dma-copy.
 */

static const DmaTestCase registers_tests[] = {
    { "pci-identity", test_pci_identity },
    { "bar0-64bit-16k-mmio", test_bar0_is_64bit_16k_mmio },
    { "msix-table-in-bar0", test_msix_table_in_bar0 },
    { "reset-xfercap-1m", test_reset_xfercap_is_1m },
    { "xfercap-property", test_xfercap_property, "xfercap=16" },
    { "reset-cbver-3.4", test_reset_cbver_is_3_4 },
    { "reset-intrctrl-zero", test_reset_intrctrl_is_zero },
    { "chancmd-reset-self-clears", test_chancmd_reset_self_clears },
    { "chainaddr-write-arms-channel", test_chainaddr_write_arms_channel },
    { "unimp-offset-read-logged-once", test_unimp_offset_read_logged_once },
    { "unimp-offset-write-dropped", test_unimp_offset_write_dropped },
    { "access-spanning-a-hole", test_access_spanning_a_hole },
    { "stored-only-value-logged-once", test_stored_only_value_logged_once },
    { "chanctrl-unmodelled-bits-logged", test_chanctrl_unmodelled_bits_logged },
    { "missing-channel-is-guest-error", test_missing_channel_is_guest_error,
      "channels=2" },
    { "ltr-of-last-channel", test_ltr_of_last_channel, "channels=2" },
    { "dma-comp-is-read-only", test_dma_comp_is_read_only },
    { "chancmd-unknown-bits-logged", test_chancmd_unknown_bits_logged },
    { "hole-before-ltr-block", test_hole_before_ltr_block },
};

static const DmaTestCase copy_tests[] = {
    { "null-desc-completes", test_null_desc_completes },
    { "memcpy-single", test_memcpy_single },
    { "no-dma-without-bus-master", test_no_dma_without_bus_master },
    { "memcpy-scattered-chain", test_memcpy_scattered_chain },
    { "memcpy-large-chain", test_memcpy_large_chain },
    { "dmacount-wraps", test_dmacount_wraps },
    { "completion-only-with-compl-write",
      test_completion_only_with_compl_write },
    { "self-linked-ring-is-bounded", test_self_linked_ring_is_bounded },
    { "fence-orders-dependent-copies", test_fence_orders_dependent_copies },
    { "all-channels-concurrently", test_all_channels_concurrently },
};

static const DmaTestCase interrupts_tests[] = {
    { "interrupt-msix-vector-is-channel",
      test_interrupt_msix_vector_is_channel },
    { "interrupt-only-with-int-en", test_interrupt_only_with_int_en },
    { "rearm-latch", test_rearm_latch },
    { "master-int-en-holds-interrupt", test_master_int_en_holds_interrupt },
    { "attnstatus-read-clears", test_attnstatus_read_clears },
};

static const DmaTestCase commands_tests[] = {
    { "suspend-from-done-and-resume", test_suspend_from_done_and_resume },
    { "suspend-while-active", test_suspend_while_active },
    { "reset-cancels-queued-work", test_reset_cancels_queued_work },
    { "abort-drops-queued-work", test_abort_drops_queued_work },
};

static const DmaTestCase errors_tests[] = {
    { "error-restart-without-reset", test_error_restart_without_reset },
};

static const DmaTestCase raid_tests[] = {
    { "raid-off-rejects-xor", test_raid_off_rejects_xor, "raid=off" },
    { "xor-matches-reference", test_xor_matches_reference },
    { "xor-destination-may-be-a-source",
      test_xor_destination_may_be_a_source },
    { "xor-val-match-completes", test_xor_val_match_completes },
    { "xor-val-mismatch-halts-p", test_xor_val_mismatch_halts_p },
    { "pq-matches-reference", test_pq_matches_reference },
    { "pq-disabled-p-untouched", test_pq_disabled_p_untouched },
    { "pq-val-match-completes", test_pq_val_match_completes },
    { "pq-val-q-mismatch-halts-q", test_pq_val_q_mismatch_halts_q },
    { "pq-val-ignores-disabled-q", test_pq_val_ignores_disabled_q },
};

static const DmaTestCase migration_tests[] = {
    { "migration-resumes-chain", test_migration_resumes_chain },
    { "migration-part-done-descriptor", test_migration_part_done_descriptor,
      "xfercap=25" },
};

/*
 * Where the engine runs: the main loop's thread (QEMU's first, whose id is
 * its pid), or with the iothread property, the iothread.
 */
static long copy_thread(QIoatDma *d, QGuestAllocator *alloc)
{
    Chan c = chan_init(d, alloc, 0);
    uint64_t desc = null_ring(&c, NULL_DESC_CTL);

    g_assert_cmphex(run_chain(&c, desc, 1), ==, desc | IOAT_DMA_CHANSTS_DONE);
    return completion_thread();
}

static void test_engine_runs_in_main_loop(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    g_assert_cmpint(copy_thread(obj, alloc), ==,
                    qtest_pid(ioat_dma_qts(obj)));
}

static void test_engine_runs_in_iothread(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    long tid = copy_thread(obj, alloc);

    g_assert_cmpint(tid, >, 0);
    g_assert_cmpint(tid, !=, qtest_pid(ioat_dma_qts(obj)));
}

/*
 * The engine in an iothread runs the same descriptors with the same
 * results: chains longer than one run's budget, every channel at once,
 * interrupts, commands while work is queued (the VM stopped), migration.
 */
static const DmaTestCase iothread_tests[] = {
    { "null-desc-completes", test_null_desc_completes },
    { "memcpy-single", test_memcpy_single },
    { "memcpy-large-chain", test_memcpy_large_chain },
    { "dmacount-wraps", test_dmacount_wraps },
    { "self-linked-ring-is-bounded", test_self_linked_ring_is_bounded },
    { "all-channels-concurrently", test_all_channels_concurrently },
    { "interrupt-msix-vector-is-channel",
      test_interrupt_msix_vector_is_channel },
    { "rearm-latch", test_rearm_latch },
    { "suspend-from-done-and-resume", test_suspend_from_done_and_resume },
    { "suspend-while-active", test_suspend_while_active },
    { "reset-cancels-queued-work", test_reset_cancels_queued_work },
    { "abort-drops-queued-work", test_abort_drops_queued_work },
    { "error-restart-without-reset", test_error_restart_without_reset },
    { "xor-matches-reference", test_xor_matches_reference },
    { "migration-resumes-chain", test_migration_resumes_chain },
};

static void register_ioat_dma_tests(void)
{
    add_tests(QIOAT_DMA_REGISTERS, registers_tests,
              ARRAY_SIZE(registers_tests));
    add_channels_test("msix-vectors-equal-channels",
                      test_msix_vectors_equal_channels);
    add_channels_test("reset-chancnt", test_chancnt_equals_channels);
    add_channels_test("reset-channels-halted", test_reset_channels_halted);
    for (int i = 0; i < ARRAY_SIZE(dmacap_cases); i++) {
        add_test(QIOAT_DMA_REGISTERS, dmacap_cases[i].name, test_dmacap,
                 dmacap_cases[i].dev_opts, &dmacap_cases[i]);
    }

    add_tests(QIOAT_DMA_COPY, copy_tests, ARRAY_SIZE(copy_tests));
    add_tests(QIOAT_DMA_INTERRUPTS, interrupts_tests,
              ARRAY_SIZE(interrupts_tests));
    add_tests(QIOAT_DMA_COMMANDS, commands_tests, ARRAY_SIZE(commands_tests));

    for (int i = 0; i < ARRAY_SIZE(error_cases); i++) {
        add_test(QIOAT_DMA_ERRORS, error_cases[i].name,
                 test_error_halts_and_recovers, NULL, &error_cases[i]);
    }
    add_tests(QIOAT_DMA_ERRORS, errors_tests, ARRAY_SIZE(errors_tests));

    add_tests(QIOAT_DMA_RAID, raid_tests, ARRAY_SIZE(raid_tests));
    add_tests(QIOAT_DMA_MIGRATION, migration_tests,
              ARRAY_SIZE(migration_tests));
    add_thread_test(QIOAT_DMA_COPY, "engine-runs-in-main-loop",
                    test_engine_runs_in_main_loop, false);
    add_iothread_tests(iothread_tests, ARRAY_SIZE(iothread_tests));
    add_thread_test(QIOAT_DMA_IOTHREAD, "engine-runs-in-iothread",
                    test_engine_runs_in_iothread, true);
}

libqos_init(register_ioat_dma_tests);
