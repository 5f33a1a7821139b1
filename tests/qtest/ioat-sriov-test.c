/*
 * ioat-nic's SR-IOV capability and its virtual functions (ioat-nic-vf),
 * the PCI side and the PF/VF mailbox: the PF at 01:00.0 behind a
 * pcie-root-port on q35 with sriov-vfs=64, VFs on bus 1 at devfn 0x80 + 2n
 * once enabled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"
#include "libqos/ioat-pci.h"
#include "ioat-q35.h"

#define TOTAL_VFS       64
#define VF_OFFSET       0x80
#define VF_STRIDE       2
#define VF_DEVICE_ID    0x10ed
#define VF_BAR_SIZE     0x4000          /* 16 KiB per VF, BAR0 and BAR3 */
#define VF_BAR0_BASE    IOAT_Q35_PREF_BASE
#define VF_BAR3_BASE    (IOAT_Q35_PREF_BASE + TOTAL_VFS * VF_BAR_SIZE)

#define PF_BAR0_BASE    IOAT_Q35_MEM_BASE
#define VF_MSIX_CAP     0x70
#define VF_PCIE_CAP     0xa0

static QTestState *start_pf(void)
{
    return ioat_q35_start("ioat-nic,id=nic0,sriov-vfs=64", "");
}

static unsigned vf_devfn(unsigned n)
{
    return VF_OFFSET + VF_STRIDE * n;
}

static uint64_t vf_cfg(unsigned n, unsigned off)
{
    return ioat_q35_mmcfg(IOAT_Q35_DEV_BUS, vf_devfn(n), off);
}

static unsigned sriov_cap(QTestState *qts)
{
    unsigned cap = ioat_q35_find_ext_cap(qts, 0, PCI_EXT_CAP_ID_SRIOV);

    g_assert_cmphex(cap, ==, 0x160);
    return cap;
}

/* NumVFs @n with VF Enable and VF Memory Space Enable */
static void enable_vfs(QTestState *qts, unsigned n)
{
    unsigned cap = sriov_cap(qts);

    qtest_writew(qts, ioat_q35_cfg(cap + PCI_SRIOV_NUM_VF), n);
    qtest_writew(qts, ioat_q35_cfg(cap + PCI_SRIOV_CTRL),
                 PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
}

/* A function answers at all: its class code is not all ones. */
static bool vf_present(QTestState *qts, unsigned n)
{
    return qtest_readl(qts, vf_cfg(n, PCI_CLASS_REVISION)) != 0xffffffff;
}

/*
 * The PF's extended capabilities: AER at 0x100, ARI at 0x150, SR-IOV at
 * 0x160 with 64 VFs (InitialVFs = TotalVFs), first VF offset 0x80, stride 2,
 * VF device 8086:10ED and the minimum page sizes.
 */
static void test_pf_sriov_capability(void)
{
    QTestState *qts = start_pf();
    unsigned cap = sriov_cap(qts);

    g_assert_cmphex(ioat_q35_find_ext_cap(qts, 0, PCI_EXT_CAP_ID_ERR), ==,
                    0x100);
    g_assert_cmphex(ioat_q35_find_ext_cap(qts, 0, PCI_EXT_CAP_ID_ARI), ==,
                    0x150);
    g_assert_cmpuint(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_INITIAL_VF)),
                     ==, TOTAL_VFS);
    g_assert_cmpuint(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_TOTAL_VF)),
                     ==, TOTAL_VFS);
    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_VF_OFFSET)),
                    ==, VF_OFFSET);
    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_VF_STRIDE)),
                    ==, VF_STRIDE);
    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_VF_DID)),
                    ==, VF_DEVICE_ID);
    g_assert_cmphex(qtest_readl(qts, ioat_q35_cfg(cap + PCI_SRIOV_SUP_PGSIZE)),
                    ==, 0x553);
    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(cap + PCI_SRIOV_CTRL)), ==,
                    0);
    qtest_quit(qts);
}

/* VF BAR0 and BAR3: 64-bit, prefetchable, 16 KiB per VF; BAR1/2 pair up. */
static void test_vf_bars_64bit_prefetchable_16k(void)
{
    QTestState *qts = start_pf();
    unsigned cap = sriov_cap(qts);

    for (unsigned bar = 0; bar <= 3; bar += 3) {
        uint64_t reg = ioat_q35_cfg(cap + PCI_SRIOV_BAR + 4 * bar);

        g_test_message("VF BAR%u", bar);
        g_assert_cmphex(qtest_readl(qts, reg) & 0xf, ==,
                        PCI_BASE_ADDRESS_MEM_TYPE_64 |
                        PCI_BASE_ADDRESS_MEM_PREFETCH);
        qtest_writel(qts, reg, 0xffffffff);
        g_assert_cmphex(qtest_readl(qts, reg) & PCI_BASE_ADDRESS_MEM_MASK, ==,
                        (uint32_t)-VF_BAR_SIZE);
    }
    qtest_quit(qts);
}

/*
 * NumVFs with VF Enable brings exactly that many VFs onto the bus, each an
 * Ethernet function; clearing VF Enable takes them away again.
 */
static void test_vfs_appear_when_enabled(void)
{
    QTestState *qts = start_pf();
    unsigned cap = sriov_cap(qts);

    g_assert_false(vf_present(qts, 0));
    enable_vfs(qts, 2);
    g_assert_true(vf_present(qts, 0));
    g_assert_true(vf_present(qts, 1));
    g_assert_false(vf_present(qts, 2));
    g_assert_cmphex(qtest_readl(qts, vf_cfg(1, PCI_CLASS_REVISION)) >> 8, ==,
                    PCI_CLASS_NETWORK_ETHERNET << 8);
    g_assert_cmphex(qtest_readb(qts, vf_cfg(1, PCI_HEADER_TYPE)) & 0x7f, ==,
                    PCI_HEADER_TYPE_NORMAL);

    qtest_writew(qts, ioat_q35_cfg(cap + PCI_SRIOV_CTRL), 0);
    g_assert_false(vf_present(qts, 0));
    g_assert_false(vf_present(qts, 1));
    qtest_quit(qts);
}

/*
 * A VF's capabilities: MSI-X at 0x70 with 3 vectors, table at BAR3 + 0 and
 * PBA at BAR3 + 0x2000; PCIe at 0xa0 with function level reset; AER at
 * 0x100 and ARI at 0x150.
 */
static void test_vf_capabilities(void)
{
    QTestState *qts = start_pf();

    enable_vfs(qts, 1);
    g_assert_cmphex(qtest_readb(qts, vf_cfg(0, VF_MSIX_CAP)), ==,
                    PCI_CAP_ID_MSIX);
    g_assert_cmpuint(qtest_readw(qts, vf_cfg(0, VF_MSIX_CAP + PCI_MSIX_FLAGS)) &
                     PCI_MSIX_FLAGS_QSIZE, ==, 2);
    g_assert_cmphex(qtest_readl(qts, vf_cfg(0, VF_MSIX_CAP + PCI_MSIX_TABLE)),
                    ==, 3);
    g_assert_cmphex(qtest_readl(qts, vf_cfg(0, VF_MSIX_CAP + PCI_MSIX_PBA)),
                    ==, 0x2000 | 3);
    g_assert_cmphex(qtest_readb(qts, vf_cfg(0, VF_PCIE_CAP)), ==,
                    PCI_CAP_ID_EXP);
    g_assert_true(qtest_readl(qts, vf_cfg(0, VF_PCIE_CAP + PCI_EXP_DEVCAP)) &
                  PCI_EXP_DEVCAP_FLR);
    g_assert_cmphex(ioat_q35_find_ext_cap(qts, vf_devfn(0),
                                          PCI_EXT_CAP_ID_ERR), ==, 0x100);
    g_assert_cmphex(ioat_q35_find_ext_cap(qts, vf_devfn(0),
                                          PCI_EXT_CAP_ID_ARI), ==, 0x150);
    qtest_quit(qts);
}

/* Place the VF BARs in the prefetchable window and enable VF @n's decoding. */
static void map_vf_bars(QTestState *qts, unsigned n)
{
    unsigned cap = sriov_cap(qts);

    qtest_writel(qts, ioat_q35_cfg(cap + PCI_SRIOV_BAR),
                 (uint32_t)VF_BAR0_BASE);
    qtest_writel(qts, ioat_q35_cfg(cap + PCI_SRIOV_BAR + 4),
                 VF_BAR0_BASE >> 32);
    qtest_writel(qts, ioat_q35_cfg(cap + PCI_SRIOV_BAR + 12),
                 (uint32_t)VF_BAR3_BASE);
    qtest_writel(qts, ioat_q35_cfg(cap + PCI_SRIOV_BAR + 16),
                 VF_BAR3_BASE >> 32);
    qtest_writew(qts, vf_cfg(n, PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* VF @n's MSI-X table entry @v, word @w */
static uint64_t vf_msix_entry(unsigned n, unsigned v, unsigned w)
{
    return VF_BAR3_BASE + n * VF_BAR_SIZE + v * PCI_MSIX_ENTRY_SIZE + 4 * w;
}

/*
 * VF n's BARs sit at the PF's VF BARs + n * 16 KiB: VF 2's MSI-X table
 * holds what is written there, and VF 1's (the slot before) does not see
 * it.  Its register BAR reads as 0 (the VF register file is not modelled).
 */
static void test_vf_bars_follow_the_pf(void)
{
    QTestState *qts = start_pf();

    enable_vfs(qts, 3);
    map_vf_bars(qts, 1);
    map_vf_bars(qts, 2);
    qtest_writel(qts, vf_msix_entry(2, 1, 0), 0xfee01000);
    qtest_writel(qts, vf_msix_entry(2, 1, 2), 0x4242);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(2, 1, 0)), ==, 0xfee01000);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(2, 1, 2)), ==, 0x4242);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(1, 1, 2)), ==, 0);
    g_assert_cmphex(qtest_readl(qts, VF_BAR0_BASE + 2 * VF_BAR_SIZE), ==, 0);
    qtest_quit(qts);
}

/*
 * DEVCTL.BCR_FLR resets the VF (its MSI-X table back to masked and empty)
 * and leaves it on the bus; the other VFs keep their state.
 */
static void test_vf_flr_resets_only_that_vf(void)
{
    QTestState *qts = start_pf();
    uint64_t devctl = vf_cfg(1, VF_PCIE_CAP + PCI_EXP_DEVCTL);

    enable_vfs(qts, 2);
    map_vf_bars(qts, 0);
    map_vf_bars(qts, 1);
    qtest_writel(qts, vf_msix_entry(0, 0, 2), 0x1111);
    qtest_writel(qts, vf_msix_entry(1, 0, 2), 0x2222);

    qtest_writew(qts, devctl,
                 qtest_readw(qts, devctl) | PCI_EXP_DEVCTL_BCR_FLR);
    g_assert_true(vf_present(qts, 1));
    map_vf_bars(qts, 1);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(1, 0, 2)), ==, 0);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(1, 0, 3)) &
                    PCI_MSIX_ENTRY_CTRL_MASKBIT, ==,
                    PCI_MSIX_ENTRY_CTRL_MASKBIT);
    g_assert_cmphex(qtest_readl(qts, vf_msix_entry(0, 0, 2)), ==, 0x1111);
    qtest_quit(qts);
}

/* Without sriov-vfs the PF has no extended capabilities at all. */
static void test_no_sriov_by_default(void)
{
    QTestState *qts = ioat_q35_start("ioat-nic,id=nic0", "");

    g_assert_cmphex(qtest_readl(qts, ioat_q35_cfg(PCI_CFG_SPACE_SIZE)), ==, 0);
    qtest_quit(qts);
}

/* The mailbox (PFMAILBOX, PFMBMEM, PFMBICR; VFMAILBOX, VFMBMEM) */

typedef struct Mbx {
    QTestState *qts;
    char *log;          /* -d guest_errors,unimp -D */
} Mbx;

/* The PF's BAR0 mapped, @nvfs VFs enabled, VF 0 and VF 1 mapped */
static Mbx mbx_start_vfs(unsigned nvfs)
{
    Mbx m = { .log = g_strdup_printf("/tmp/ioat-sriov-qtest-%d.log",
                                     getpid()) };
    g_autofree char *extra = g_strdup_printf("-d guest_errors,unimp -D %s",
                                             m.log);

    m.qts = ioat_q35_start("ioat-nic,id=nic0,sriov-vfs=64", extra);
    qtest_writel(m.qts, ioat_q35_cfg(PCI_BASE_ADDRESS_0), PF_BAR0_BASE);
    qtest_writel(m.qts, ioat_q35_cfg(PCI_BASE_ADDRESS_1), 0);
    qtest_writew(m.qts, ioat_q35_cfg(PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    enable_vfs(m.qts, nvfs);
    map_vf_bars(m.qts, 0);
    map_vf_bars(m.qts, 1);
    return m;
}

static Mbx mbx_start(void)
{
    return mbx_start_vfs(2);
}

static void mbx_end(Mbx *m)
{
    qtest_quit(m->qts);
    ioat_log_remove(m->log);
}

static uint32_t pf_rd(Mbx *m, uint32_t off)
{
    return qtest_readl(m->qts, PF_BAR0_BASE + off);
}

static void pf_wr(Mbx *m, uint32_t off, uint32_t val)
{
    qtest_writel(m->qts, PF_BAR0_BASE + off, val);
}

static uint32_t vf_rd(Mbx *m, unsigned n, uint32_t off)
{
    return qtest_readl(m->qts, VF_BAR0_BASE + n * VF_BAR_SIZE + off);
}

static void vf_wr(Mbx *m, unsigned n, uint32_t off, uint32_t val)
{
    qtest_writel(m->qts, VF_BAR0_BASE + n * VF_BAR_SIZE + off, val);
}

/* PFMBMEM word @i of VF @n's buffer */
static uint32_t pfmbmem(unsigned n, unsigned i)
{
    return IOAT_NIC_PFMBMEM(n * IOAT_NIC_MBX_WORDS + i);
}

/*
 * The PF takes VF 1's buffer (PFU), writes a message and posts it (STS),
 * which releases the buffer: VF 1 reads the words in VFMBMEM and PFSTS in
 * VFMAILBOX, once (a read clears it); VF 0 sees nothing.
 */
static void test_mailbox_pf_message_to_vf(void)
{
    Mbx m = mbx_start();

    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_PFU);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMAILBOX(1)), ==,
                    IOAT_NIC_PFMAILBOX_PFU);
    for (unsigned i = 0; i < IOAT_NIC_MBX_WORDS; i++) {
        pf_wr(&m, pfmbmem(1, i), 0x1000 + i);
    }
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_STS);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMAILBOX(1)), ==, 0);

    for (unsigned i = 0; i < IOAT_NIC_MBX_WORDS; i++) {
        g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMBMEM + 4 * i), ==,
                        0x1000 + i);
    }
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_PFSTS, ==, IOAT_NIC_VFMAILBOX_PFSTS);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_PFSTS, ==, 0);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_PFSTS, ==, 0);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMBMEM), ==, 0);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_"), ==, 0);
    mbx_end(&m);
}

/*
 * VF 1 takes its buffer (VFU): the PF cannot (PFU not granted).  The VF's
 * request (REQ) releases it and latches PFMBICR(0) bit 1 and EICR.MAILBOX
 * for the PF; REQ itself reads 0.  The PF's ACK sets PFACK for the VF.
 */
static void test_mailbox_vf_message_to_pf(void)
{
    Mbx m = mbx_start();

    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_VFU, ==, IOAT_NIC_VFMAILBOX_VFU);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_PFU);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMAILBOX(1)), ==,
                    IOAT_NIC_PFMAILBOX_VFU);

    vf_wr(&m, 1, IOAT_NIC_VFMBMEM, 0xfeed);
    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_REQ);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMAILBOX(1)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMBICR(0)), ==, BIT(1));
    g_assert_cmphex(pf_rd(&m, A_EICS) & R_EICR_MAILBOX_MASK, ==,
                    R_EICR_MAILBOX_MASK);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    (IOAT_NIC_VFMAILBOX_REQ | IOAT_NIC_VFMAILBOX_VFU), ==, 0);

    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_PFU);
    g_assert_cmphex(pf_rd(&m, pfmbmem(1, 0)), ==, 0xfeed);
    pf_wr(&m, IOAT_NIC_PFMBICR(0), BIT(1));
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMBICR(0)), ==, 0);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_ACK);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_PFACK, ==, IOAT_NIC_VFMAILBOX_PFACK);

    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_ACK);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMBICR(0)), ==, BIT(16 + 1));
    mbx_end(&m);
}

/*
 * RSTI reads 1 while the PF is not ready (CTRL_EXT.PFRSTD clear); setting
 * PFRSTD gives every VF RSTD once (a read clears it) and clears RSTI.
 */
static void test_mailbox_reset_bits_follow_pf_ready(void)
{
    Mbx m = mbx_start();
    const uint32_t rst = IOAT_NIC_VFMAILBOX_RSTI | IOAT_NIC_VFMAILBOX_RSTD;

    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) & rst, ==,
                    IOAT_NIC_VFMAILBOX_RSTI);
    pf_wr(&m, A_CTRL_EXT, pf_rd(&m, A_CTRL_EXT) | R_CTRL_EXT_PFRSTD_MASK);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) & rst, ==,
                    IOAT_NIC_VFMAILBOX_RSTD);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) & rst, ==, 0);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMAILBOX) & rst, ==,
                    IOAT_NIC_VFMAILBOX_RSTD);

    pf_wr(&m, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) & rst, ==,
                    IOAT_NIC_VFMAILBOX_RSTI);
    mbx_end(&m);
}

/* RVFU takes the buffer from a VF that holds it; then PFU is granted. */
static void test_mailbox_rvfu_takes_buffer_from_vf(void)
{
    Mbx m = mbx_start();

    vf_wr(&m, 0, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(0), IOAT_NIC_PFMAILBOX_RVFU);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_VFU, ==, 0);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(0), IOAT_NIC_PFMAILBOX_PFU);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFMAILBOX(0)), ==,
                    IOAT_NIC_PFMAILBOX_PFU);
    vf_wr(&m, 0, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMAILBOX) &
                    (IOAT_NIC_VFMAILBOX_VFU | IOAT_NIC_VFMAILBOX_PFU), ==,
                    IOAT_NIC_VFMAILBOX_PFU);
    mbx_end(&m);
}

/*
 * Writing the buffer without holding it goes through but is a guest
 * error, named for the side and the VF.
 */
static void test_mailbox_write_without_ownership_reported(void)
{
    Mbx m = mbx_start();

    pf_wr(&m, pfmbmem(1, 3), 0x33);
    vf_wr(&m, 0, IOAT_NIC_VFMBMEM + 8, 0x22);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMBMEM + 12), ==, 0x33);
    g_assert_cmphex(pf_rd(&m, pfmbmem(0, 2)), ==, 0x22);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_mbx_pf_unowned"),
                     ==, 1);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_mbx_vf_unowned"),
                     ==, 1);
    mbx_end(&m);
}

/* A VF's interrupts (VTEICR, VTEIMS, VTEIAM, VTEIAC, VTIVAR_MISC) */

#define VTEICR          0x0100
#define VTEICS          0x0104
#define VTEIMS          0x0108
#define VTEIAC          0x0110
#define VTEIAM          0x0114
#define VTIVAR_MISC     0x0140
#define VTIVAR_VALID    0x80
#define VFCTRL          0x0000
#define VFCTRL_RST      BIT(26)
#define VFSTATUS        0x0008
#define VFLINKS         0x0010

/*
 * VF @n's MSI-X on, its vectors masked (as reset leaves them): a message
 * shows up as the vector's PBA bit.
 */
static void vf_msix_enable(Mbx *m, unsigned n)
{
    uint64_t flags = vf_cfg(n, VF_MSIX_CAP + PCI_MSIX_FLAGS);

    qtest_writew(m->qts, flags,
                 qtest_readw(m->qts, flags) | PCI_MSIX_FLAGS_ENABLE);
}

static bool vf_msix_pending(Mbx *m, unsigned n, unsigned v)
{
    return qtest_readl(m->qts, VF_BAR3_BASE + n * VF_BAR_SIZE + 0x2000) &
           BIT(v);
}

/*
 * The PF's message (STS) raises VF 1's mailbox cause: routed by
 * VTIVAR_MISC to vector 2, unmasked in VTEIMS, it goes out as VF 1's own
 * MSI-X message; VTEICR shows it and a read clears it.  VF 0 hears nothing.
 */
static void test_vf_mailbox_interrupt(void)
{
    Mbx m = mbx_start();

    vf_msix_enable(&m, 0);
    vf_msix_enable(&m, 1);
    vf_wr(&m, 1, VTIVAR_MISC, VTIVAR_VALID | 2);
    vf_wr(&m, 1, VTEIMS, BIT(2));
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_STS);
    g_assert_true(vf_msix_pending(&m, 1, 2));
    g_assert_false(vf_msix_pending(&m, 1, 0));
    g_assert_false(vf_msix_pending(&m, 0, 2));
    g_assert_cmphex(pf_rd(&m, A_EICS) & R_EICR_MAILBOX_MASK, ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, VTEICR), ==, BIT(2));
    g_assert_cmphex(vf_rd(&m, 1, VTEICR), ==, 0);
    mbx_end(&m);
}

/* A cause raised while masked waits in VTEICR and goes out at VTEIMS. */
static void test_vf_interrupt_waits_for_eims(void)
{
    Mbx m = mbx_start();

    vf_msix_enable(&m, 1);
    vf_wr(&m, 1, VTIVAR_MISC, VTIVAR_VALID | 0);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_ACK);
    g_assert_false(vf_msix_pending(&m, 1, 0));
    vf_wr(&m, 1, VTEIMS, BIT(0));
    g_assert_true(vf_msix_pending(&m, 1, 0));
    mbx_end(&m);
}

/* VTEIAM masks a vector once it fired, VTEIAC clears its cause. */
static void test_vf_interrupt_auto_mask_and_clear(void)
{
    Mbx m = mbx_start();

    vf_msix_enable(&m, 1);
    vf_wr(&m, 1, VTEIAM, BIT(1));
    vf_wr(&m, 1, VTEIAC, BIT(1));
    vf_wr(&m, 1, VTEIMS, BIT(1) | BIT(0));
    vf_wr(&m, 1, VTEICS, BIT(1));
    g_assert_true(vf_msix_pending(&m, 1, 1));
    g_assert_cmphex(vf_rd(&m, 1, VTEIMS), ==, BIT(0));
    g_assert_cmphex(vf_rd(&m, 1, VTEICS), ==, 0);
    mbx_end(&m);
}

/* VTIVAR_MISC naming vector 3 (a VF has 0-2) is a guest error, no message. */
static void test_vf_ivar_vector_out_of_range_reported(void)
{
    Mbx m = mbx_start();

    vf_msix_enable(&m, 1);
    vf_wr(&m, 1, VTIVAR_MISC, VTIVAR_VALID | 3);
    vf_wr(&m, 1, VTEIMS, 0x7);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(1), IOAT_NIC_PFMAILBOX_STS);
    for (unsigned v = 0; v < 3; v++) {
        g_assert_false(vf_msix_pending(&m, 1, v));
    }
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_vf_ivar_vector"),
                     ==, 1);
    mbx_end(&m);
}

/*
 * VFCTRL.RST resets the VF's interrupt registers and lets go of its
 * buffer; RSTD is left for the VF's reset loop.
 */
static void test_vfctrl_rst_resets_vf_interrupts(void)
{
    Mbx m = mbx_start();

    pf_wr(&m, A_CTRL_EXT, pf_rd(&m, A_CTRL_EXT) | R_CTRL_EXT_PFRSTD_MASK);
    vf_wr(&m, 1, VTIVAR_MISC, VTIVAR_VALID | 1);
    vf_wr(&m, 1, VTEIMS, BIT(1));
    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    vf_wr(&m, 1, VFCTRL, VFCTRL_RST);
    g_assert_cmphex(vf_rd(&m, 1, VTEIMS), ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, VTIVAR_MISC), ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    (IOAT_NIC_VFMAILBOX_VFU | IOAT_NIC_VFMAILBOX_RSTD), ==,
                    IOAT_NIC_VFMAILBOX_RSTD);
    g_assert_cmphex(pf_rd(&m, A_VFLRE0), ==, 0);
    mbx_end(&m);
}

static void vf_flr(Mbx *m, unsigned n)
{
    uint64_t devctl = vf_cfg(n, VF_PCIE_CAP + PCI_EXP_DEVCTL);

    qtest_writew(m->qts, devctl,
                 qtest_readw(m->qts, devctl) | PCI_EXP_DEVCTL_BCR_FLR);
}

/*
 * A guest's FLR of VF 1 and VF 33 sets their bits in VFLRE0 and VFLRE1
 * and EICR.MAILBOX for the PF; writing the bit to VFLREC clears it.
 * Enabling the VFs reported nothing.
 */
static void test_vf_flr_reported_in_vflre(void)
{
    Mbx m = mbx_start_vfs(34);

    g_assert_cmphex(pf_rd(&m, A_VFLRE0) | pf_rd(&m, A_VFLRE1), ==, 0);
    g_assert_cmphex(pf_rd(&m, A_EICS) & R_EICR_MAILBOX_MASK, ==, 0);
    vf_flr(&m, 1);
    vf_flr(&m, 33);
    g_assert_cmphex(pf_rd(&m, A_VFLRE0), ==, BIT(1));
    g_assert_cmphex(pf_rd(&m, A_VFLRE1), ==, BIT(1));
    g_assert_cmphex(pf_rd(&m, A_VFLREC0), ==, BIT(1));
    g_assert_cmphex(pf_rd(&m, A_EICS) & R_EICR_MAILBOX_MASK, ==,
                    R_EICR_MAILBOX_MASK);
    pf_wr(&m, A_VFLREC0, BIT(1));
    g_assert_cmphex(pf_rd(&m, A_VFLRE0), ==, 0);
    g_assert_cmphex(pf_rd(&m, A_VFLRE1), ==, BIT(1));
    mbx_end(&m);
}

/* VFSTATUS and VFLINKS read the PF's STATUS and LINKS (10 Gb/s up). */
static void test_vfstatus_and_vflinks_mirror_the_pf(void)
{
    Mbx m = mbx_start();

    g_assert_cmphex(vf_rd(&m, 1, VFSTATUS), ==, pf_rd(&m, A_STATUS));
    g_assert_cmphex(vf_rd(&m, 1, VFLINKS), ==, pf_rd(&m, A_LINKS));
    g_assert_true(vf_rd(&m, 1, VFLINKS) & R_LINKS_UP_MASK);
    mbx_end(&m);
}

/*
 * Migration with 34 VFs enabled: they are on the destination's bus again,
 * and what the PF's core holds for them comes along: VF 1's interrupt
 * registers, buffer and ownership, VF 0's pending PFSTS, VF 33's VFLRE
 * bit.  A VF's own configuration space does not migrate (QEMU's SR-IOV
 * re-enables the VFs from the PF's capability, fresh): the test maps the
 * VF BARs again on the destination.
 */
static void test_migration_keeps_vf_state(void)
{
    Mbx m = mbx_start_vfs(34);
    g_autofree char *path = g_strdup_printf("/tmp/ioat-sriov-mig-%d",
                                            getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", path);
    g_autofree char *extra = g_strdup_printf("-incoming defer -d "
                                             "guest_errors,unimp -D %s",
                                             m.log);
    QTestState *dst;

    vf_wr(&m, 1, VTIVAR_MISC, VTIVAR_VALID | 2);
    vf_wr(&m, 1, VTEIMS, BIT(2) | BIT(0));
    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    vf_wr(&m, 1, IOAT_NIC_VFMBMEM + 4, 0xabcd);
    pf_wr(&m, IOAT_NIC_PFMAILBOX(0), IOAT_NIC_PFMAILBOX_STS);
    vf_flr(&m, 33);

    qtest_qmp_assert_success(m.qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(m.qts);
    dst = ioat_q35_start("ioat-nic,id=nic0,sriov-vfs=64", extra);
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': %s}}", uri);
    ioat_qtest_wait_migration(dst);
    qtest_quit(m.qts);
    m.qts = dst;

    g_assert_true(vf_present(dst, 33));
    g_assert_false(vf_present(dst, 34));
    map_vf_bars(dst, 0);
    map_vf_bars(dst, 1);
    g_assert_cmphex(vf_rd(&m, 1, VTEIMS), ==, BIT(2) | BIT(0));
    g_assert_cmphex(vf_rd(&m, 1, VTIVAR_MISC), ==, VTIVAR_VALID | 2);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_VFU, ==, IOAT_NIC_VFMAILBOX_VFU);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMBMEM + 4), ==, 0xabcd);
    g_assert_cmphex(vf_rd(&m, 0, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_PFSTS, ==, IOAT_NIC_VFMAILBOX_PFSTS);
    g_assert_cmphex(pf_rd(&m, A_VFLRE1), ==, BIT(1));
    unlink(path);
    mbx_end(&m);
}

/* QEMU refuses to start with ioat-nic,@opts, saying @why. */
static void expect_refused(const char *opts, const char *why)
{
    g_autofree char *cmd = g_strdup_printf("%s -M q35 -nodefaults -S "
                                           "-display none -device ioat-nic,%s",
                                           getenv("QTEST_QEMU_BINARY"), opts);
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, &err, &status, NULL));
    g_test_message("%s", err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(err, why));
}

/*
 * QEMU puts VFs on the PF's bus: 64 VFs do not fit behind a PF at slot 5
 * of the root bus, and the 82599 has no more than 64.
 */
static void test_sriov_vfs_rejected_where_they_cannot_be(void)
{
    expect_refused("addr=5.0,sriov-vfs=64", "VF addr overflows");
    expect_refused("addr=5.0,sriov-vfs=65", "sriov-vfs is at most 64");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/ioat-sriov/pf-sriov-capability",
                   test_pf_sriov_capability);
    qtest_add_func("/ioat-sriov/vf-bars-64bit-prefetchable-16k",
                   test_vf_bars_64bit_prefetchable_16k);
    qtest_add_func("/ioat-sriov/vfs-appear-when-enabled",
                   test_vfs_appear_when_enabled);
    qtest_add_func("/ioat-sriov/vf-capabilities", test_vf_capabilities);
    qtest_add_func("/ioat-sriov/vf-bars-follow-the-pf",
                   test_vf_bars_follow_the_pf);
    qtest_add_func("/ioat-sriov/vf-flr-resets-only-that-vf",
                   test_vf_flr_resets_only_that_vf);
    qtest_add_func("/ioat-sriov/mailbox-pf-message-to-vf",
                   test_mailbox_pf_message_to_vf);
    qtest_add_func("/ioat-sriov/mailbox-vf-message-to-pf",
                   test_mailbox_vf_message_to_pf);
    qtest_add_func("/ioat-sriov/mailbox-reset-bits-follow-pf-ready",
                   test_mailbox_reset_bits_follow_pf_ready);
    qtest_add_func("/ioat-sriov/mailbox-rvfu-takes-buffer-from-vf",
                   test_mailbox_rvfu_takes_buffer_from_vf);
    qtest_add_func("/ioat-sriov/mailbox-write-without-ownership-reported",
                   test_mailbox_write_without_ownership_reported);
    qtest_add_func("/ioat-sriov/vf-mailbox-interrupt",
                   test_vf_mailbox_interrupt);
    qtest_add_func("/ioat-sriov/vf-interrupt-waits-for-eims",
                   test_vf_interrupt_waits_for_eims);
    qtest_add_func("/ioat-sriov/vf-interrupt-auto-mask-and-clear",
                   test_vf_interrupt_auto_mask_and_clear);
    qtest_add_func("/ioat-sriov/vf-ivar-vector-out-of-range-reported",
                   test_vf_ivar_vector_out_of_range_reported);
    qtest_add_func("/ioat-sriov/vfctrl-rst-resets-vf-interrupts",
                   test_vfctrl_rst_resets_vf_interrupts);
    qtest_add_func("/ioat-sriov/vf-flr-reported-in-vflre",
                   test_vf_flr_reported_in_vflre);
    qtest_add_func("/ioat-sriov/vfstatus-and-vflinks-mirror-the-pf",
                   test_vfstatus_and_vflinks_mirror_the_pf);
    qtest_add_func("/ioat-sriov/migration-keeps-vf-state",
                   test_migration_keeps_vf_state);
    qtest_add_func("/ioat-sriov/no-sriov-by-default",
                   test_no_sriov_by_default);
    qtest_add_func("/ioat-sriov/sriov-vfs-rejected-where-they-cannot-be",
                   test_sriov_vfs_rejected_where_they_cannot_be);
    return g_test_run();
}
