/*
 * qtests for the ioat-dma (Intel I/OAT CB3.4) device: PCI identity, BAR,
 * MSI-X, global registers and channel reset state
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-dma.h"
#include "libqos/ioat-pci.h"
#include "qemu/units.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/dma/ioat_dma_regs.h"

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
        uint64_t sts = ioat_dma_readq(obj, IOAT_DMA_CHAN_BASE(i) + A_CHANSTS_LO);

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

/* Every test starts from a freshly reset machine of its own. */
static void fresh_machine_clear(void *unused)
{
    qos_invalidate_command_line();
}

static void *fresh_machine(GString *cmd_line, void *arg)
{
    g_test_queue_destroy(fresh_machine_clear, NULL);
    return arg;
}

static void add_test(const char *name, QOSTestFunc fn, const char *dev_opts,
                     void *arg)
{
    QOSGraphTestOptions opts = {
        .edge.extra_device_opts = dev_opts,
        .arg = arg,
        .before = fresh_machine,
    };

    qos_add_test(name, "ioat-dma", fn, &opts);
}

static void add_channels_test(const char *name, QOSTestFunc fn)
{
    for (int i = 0; i < ARRAY_SIZE(channels_cases); i++) {
        const ChannelsCase *c = &channels_cases[i];
        g_autofree char *path = g_strdup_printf("%s-%s", name, c->name);

        add_test(path, fn, c->opts, (void *)c);
    }
}

static void register_ioat_dma_tests(void)
{
    add_test("pci-identity", test_pci_identity, NULL, NULL);
    add_test("bar0-64bit-16k-mmio", test_bar0_is_64bit_16k_mmio, NULL, NULL);
    add_test("msix-table-in-bar0", test_msix_table_in_bar0, NULL, NULL);
    add_channels_test("msix-vectors-equal-channels",
                      test_msix_vectors_equal_channels);
    add_channels_test("reset-chancnt", test_chancnt_equals_channels);
    add_channels_test("reset-channels-halted", test_reset_channels_halted);
    add_test("reset-xfercap-1m", test_reset_xfercap_is_1m, NULL, NULL);
    add_test("xfercap-property", test_xfercap_property, "xfercap=16", NULL);
    add_test("reset-cbver-3.4", test_reset_cbver_is_3_4, NULL, NULL);
    add_test("reset-intrctrl-zero", test_reset_intrctrl_is_zero, NULL, NULL);
    add_test("chancmd-reset-self-clears", test_chancmd_reset_self_clears,
             NULL, NULL);
    add_test("chainaddr-write-arms-channel", test_chainaddr_write_arms_channel,
             NULL, NULL);
}

libqos_init(register_ioat_dma_tests);
