/*
 * qtests for the ioat-nic (Intel 82599) device: PCI identity, BARs,
 * capabilities and reset values
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-nic.h"
#include "libqos/ioat-pci.h"
#include "qemu/units.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"

#define TEST_MAC    { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }

static void test_pci_identity(void *obj, void *data, QGuestAllocator *alloc)
{
    QIoatNic *d = obj;

    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_VENDOR_ID), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_DEVICE_ID), ==, 0x10f9);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_CLASS_DEVICE), ==,
                    PCI_CLASS_NETWORK_ETHERNET);
    g_assert_cmphex(qpci_config_readb(&d->pci_dev, PCI_INTERRUPT_PIN), ==, 1);
}

static void test_bar0_is_64bit_512k_mmio(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    IoatPciBarInfo bar = ioat_pci_probe_bar(&d->pci_dev, 0);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_false(bar.prefetchable);
    g_assert_cmphex(bar.size, ==, 512 * KiB);
}

static void test_bar4_is_64bit_16k_msix(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    IoatPciBarInfo bar = ioat_pci_probe_bar(&d->pci_dev, 4);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_cmphex(bar.size, ==, 16 * KiB);
}

static void test_capability_list(void *obj, void *data, QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint8_t ids[8], offs[8];
    int n = ioat_pci_cap_list(&d->pci_dev, ids, offs, ARRAY_SIZE(ids));

    /* PM 0x40 -> MSI 0x50 -> MSI-X 0x70 -> PCIe 0xa0 (82599 layout) */
    g_assert_cmpint(n, ==, 4);
    g_assert_cmphex(ids[0], ==, PCI_CAP_ID_PM);
    g_assert_cmphex(offs[0], ==, 0x40);
    g_assert_cmphex(ids[1], ==, PCI_CAP_ID_MSI);
    g_assert_cmphex(offs[1], ==, 0x50);
    g_assert_cmphex(ids[2], ==, PCI_CAP_ID_MSIX);
    g_assert_cmphex(offs[2], ==, 0x70);
    g_assert_cmphex(ids[3], ==, PCI_CAP_ID_EXP);
    g_assert_cmphex(offs[3], ==, 0xa0);
}

static void test_msix_64_vectors_in_bar4(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint32_t table, pba;

    /* ixgbe reads the table size from config word 0x72 directly. */
    g_assert_cmpint(qpci_config_readw(&d->pci_dev, 0x72) & PCI_MSIX_FLAGS_QSIZE,
                    ==, 63);
    table = qpci_config_readl(&d->pci_dev, 0x70 + PCI_MSIX_TABLE);
    pba = qpci_config_readl(&d->pci_dev, 0x70 + PCI_MSIX_PBA);
    g_assert_cmpint(table & PCI_MSIX_TABLE_BIR, ==, 4);
    g_assert_cmphex(table & PCI_MSIX_TABLE_OFFSET, ==, 0);
    g_assert_cmpint(pba & PCI_MSIX_PBA_BIR, ==, 4);
    g_assert_cmphex(pba & PCI_MSIX_PBA_OFFSET, ==, 0x2000);
}

static void test_reset_ctrl_is_zero(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_nic_readl(obj, A_CTRL), ==, 0);
}

static void test_reset_status_link_up_gio_enabled(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    /* LAN ID 0, link up (the socket peer is up), GIO master enabled */
    g_assert_cmphex(ioat_nic_readl(obj, A_STATUS), ==,
                    R_STATUS_LINK_UP_MASK | R_STATUS_GIO_MASTER_EN_MASK);
}

static void test_links_reports_10g_up(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_nic_readl(obj, A_LINKS), ==, 0xf0000000);
}

static void test_mac_in_ral0_rah0(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t mac[] = TEST_MAC;

    g_assert_cmphex(ioat_nic_readl(obj, A_RAL0), ==, ldl_le_p(mac));
    g_assert_cmphex(ioat_nic_readl(obj, A_RAH0), ==,
                    lduw_le_p(mac + 4) | R_RAH0_AV_MASK);
}

static void test_ctrl_rst_self_clears_and_restores(void *obj, void *data,
                                                   QGuestAllocator *alloc)
{
    static const uint8_t mac[] = TEST_MAC;
    QIoatNic *d = obj;

    ioat_nic_writel(d, A_RAL0, 0xdeadbeef);
    ioat_nic_writel(d, A_RAH0, 0);
    ioat_nic_writel(d, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(ioat_nic_readl(d, A_CTRL), ==, 0);
    g_assert_cmphex(ioat_nic_readl(d, A_RAL0), ==, ldl_le_p(mac));
    g_assert_cmphex(ioat_nic_readl(d, A_RAH0), ==,
                    lduw_le_p(mac + 4) | R_RAH0_AV_MASK);
}

static void test_status_is_read_only(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint32_t before = ioat_nic_readl(d, A_STATUS);

    ioat_nic_writel(d, A_STATUS, ~before);
    g_assert_cmphex(ioat_nic_readl(d, A_STATUS), ==, before);
}

static void data_test_clear(void *sockets)
{
    int *fds = sockets;

    close(fds[0]);
    qos_invalidate_command_line();
    close(fds[1]);
    g_free(fds);
}

/* The node's netdev "hs0" is one end of a socket pair kept by the test. */
static void *data_test_init(GString *cmd_line, void *arg)
{
    int *fds = g_new(int, 2);

    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    g_string_append_printf(cmd_line, " -netdev socket,fd=%d,id=hs0 ", fds[1]);
    g_test_queue_destroy(data_test_clear, fds);
    return fds;
}

static void register_ioat_nic_tests(void)
{
    QOSGraphTestOptions opts = {
        .before = data_test_init,
        .edge.extra_device_opts = "mac=52:54:00:12:34:56",
    };

    qos_add_test("pci-identity", "ioat-nic", test_pci_identity, &opts);
    qos_add_test("bar0-64bit-512k-mmio", "ioat-nic",
                 test_bar0_is_64bit_512k_mmio, &opts);
    qos_add_test("bar4-64bit-16k-msix", "ioat-nic",
                 test_bar4_is_64bit_16k_msix, &opts);
    qos_add_test("capability-list", "ioat-nic", test_capability_list, &opts);
    qos_add_test("msix-64-vectors-in-bar4", "ioat-nic",
                 test_msix_64_vectors_in_bar4, &opts);
    qos_add_test("reset-ctrl-is-zero", "ioat-nic", test_reset_ctrl_is_zero,
                 &opts);
    qos_add_test("reset-status-link-up-gio-enabled", "ioat-nic",
                 test_reset_status_link_up_gio_enabled, &opts);
    qos_add_test("reset-links-10g-up", "ioat-nic", test_links_reports_10g_up,
                 &opts);
    qos_add_test("reset-mac-in-ral0-rah0", "ioat-nic", test_mac_in_ral0_rah0,
                 &opts);
    qos_add_test("ctrl-rst-self-clears-and-restores", "ioat-nic",
                 test_ctrl_rst_self_clears_and_restores, &opts);
    qos_add_test("status-is-read-only", "ioat-nic", test_status_is_read_only,
                 &opts);
}

libqos_init(register_ioat_nic_tests);
