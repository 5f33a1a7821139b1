/*
 * ioat-nic's SR-IOV capability and its virtual functions (ioat-nic-vf),
 * the PCI side and the PF/VF mailbox: the PF at 01:00.0 behind a
 * pcie-root-port on q35 with sriov-vfs=64, VFs on bus 1 at devfn 0x80 + 2n
 * once enabled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "libqtest.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"
#include "libqos/ioat-pci.h"
#include "libqos/ioat-nic.h"
#include "libqos/ioat-nic-frame.h"
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
 * it.  VF 2's register file is at the same place in the VF BAR0 range:
 * its VFMAILBOX there reads RSTI (the PF has not set CTRL_EXT.PFRSTD).
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
    g_assert_cmphex(qtest_readl(qts, VF_BAR0_BASE + 2 * VF_BAR_SIZE +
                                IOAT_NIC_VFMAILBOX) & IOAT_NIC_VFMAILBOX_RSTI,
                    ==, IOAT_NIC_VFMAILBOX_RSTI);
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
    int sock;           /* the test's end of the wire, or -1 */
} Mbx;

/*
 * The PF's BAR0 mapped, @nvfs VFs enabled, VF 0 and VF 1 mapped; with
 * @wire, a stream netdev whose other end is m.sock.
 */
static Mbx mbx_start_wired(unsigned nvfs, bool wire)
{
    Mbx m = { .log = g_strdup_printf("/tmp/ioat-sriov-qtest-%d.log",
                                     getpid()), .sock = -1 };
    g_autofree char *extra = NULL;
    int fds[2];

    if (wire) {
        g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
        m.sock = fds[0];
        extra = g_strdup_printf("-d guest_errors,unimp -D %s -netdev "
                                "socket,fd=%d,id=hs0", m.log, fds[1]);
        m.qts = ioat_q35_start("ioat-nic,id=nic0,sriov-vfs=64,netdev=hs0",
                               extra);
        close(fds[1]);
    } else {
        extra = g_strdup_printf("-d guest_errors,unimp -D %s", m.log);
        m.qts = ioat_q35_start("ioat-nic,id=nic0,sriov-vfs=64", extra);
    }
    qtest_writel(m.qts, ioat_q35_cfg(PCI_BASE_ADDRESS_0), PF_BAR0_BASE);
    qtest_writel(m.qts, ioat_q35_cfg(PCI_BASE_ADDRESS_1), 0);
    qtest_writew(m.qts, ioat_q35_cfg(PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    enable_vfs(m.qts, nvfs);
    map_vf_bars(m.qts, 0);
    map_vf_bars(m.qts, 1);
    return m;
}

static Mbx mbx_start_vfs(unsigned nvfs)
{
    return mbx_start_wired(nvfs, false);
}

static Mbx mbx_start(void)
{
    return mbx_start_vfs(2);
}

static void mbx_end(Mbx *m)
{
    qtest_quit(m->qts);
    if (m->sock >= 0) {
        close(m->sock);
    }
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

#define PF_MSIX_CAP     0x70
#define PF_BAR4_BASE    (PF_BAR0_BASE + 0x80000)    /* after BAR0's 512 KiB */

/*
 * The PF's MSI-X on (BAR4 mapped, GPIE.MSIX_MODE), its vectors masked (as
 * reset leaves them): a message shows up as the vector's PBA bit.
 */
static void pf_msix_enable(Mbx *m)
{
    uint64_t flags = ioat_q35_cfg(PF_MSIX_CAP + PCI_MSIX_FLAGS);

    qtest_writel(m->qts, ioat_q35_cfg(PCI_BASE_ADDRESS_4), PF_BAR4_BASE);
    qtest_writel(m->qts, ioat_q35_cfg(PCI_BASE_ADDRESS_5), 0);
    qtest_writew(m->qts, flags,
                 qtest_readw(m->qts, flags) | PCI_MSIX_FLAGS_ENABLE);
    pf_wr(m, A_GPIE, R_GPIE_MSIX_MODE_MASK);
}

static bool pf_msix_pending(Mbx *m, unsigned v)
{
    return qtest_readl(m->qts, PF_BAR4_BASE + IOAT_NIC_MSIX_PBA_OFFSET +
                       v / 32 * 4) & BIT(v % 32);
}

/*
 * VF 1's request (REQ) interrupts the PF: with EIMS.MAILBOX set and
 * IVAR_MISC routing the other causes to vector 5, the PF's vector 5 sends
 * its message.
 */
static void test_mailbox_vf_request_interrupts_pf(void)
{
    Mbx m = mbx_start();

    pf_msix_enable(&m);
    pf_wr(&m, A_IVAR_MISC, (IOAT_NIC_IVAR_VALID | 5) << 8);
    pf_wr(&m, A_EIMS, R_EICR_MAILBOX_MASK);
    g_assert_false(pf_msix_pending(&m, 5));
    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_REQ);
    g_assert_true(pf_msix_pending(&m, 5));
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

#define VTEITR(v)       (0x0820 + 4 * (v))

/* Clear VF @n's PBA bit of vector @v by unmasking and masking it again */
static void vf_msix_clear(Mbx *m, unsigned n, unsigned v)
{
    uint64_t ctrl = vf_msix_entry(n, v, 3);

    qtest_writel(m->qts, ctrl, 0);
    qtest_writel(m->qts, ctrl, PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

/*
 * VF 1's vector 1 with a VTEITR interval of 100 us (ITR 50 in 2 us units
 * at bits 11:3): it sends, and a second cause raised within the interval
 * waits in VTEICR.
 */
static void vf_hold_cause(Mbx *m)
{
    vf_msix_enable(m, 1);
    vf_wr(m, 1, VTEITR(1), 50 << 3);
    vf_wr(m, 1, VTEIAC, BIT(1));
    vf_wr(m, 1, VTEIMS, BIT(1));
    vf_wr(m, 1, VTEICS, BIT(1));
    g_assert_true(vf_msix_pending(m, 1, 1));
    vf_msix_clear(m, 1, 1);
    g_assert_false(vf_msix_pending(m, 1, 1));

    vf_wr(m, 1, VTEICS, BIT(1));
    g_assert_false(vf_msix_pending(m, 1, 1));
    g_assert_cmphex(vf_rd(m, 1, VTEICS), ==, BIT(1));
}

/*
 * VTEITR: a vector sends at most once per interval; a cause raised within
 * it goes out when the interval ends, not before.
 */
static void test_vf_interrupt_moderated_by_vteitr(void)
{
    Mbx m = mbx_start();

    vf_hold_cause(&m);
    qtest_clock_step(m.qts, 99 * 1000);
    g_assert_false(vf_msix_pending(&m, 1, 1));
    qtest_clock_step(m.qts, 1000);
    g_assert_true(vf_msix_pending(&m, 1, 1));
    mbx_end(&m);
}

/*
 * A VTEITR write with CNT_WDIS clear ends the running interval, as the
 * PF's EITR does: the held cause goes out at once; with CNT_WDIS set it
 * keeps waiting.
 */
static void test_vf_vteitr_write_clears_counter(void)
{
    Mbx m = mbx_start();

    vf_hold_cause(&m);
    vf_wr(&m, 1, VTEITR(1), (50 << 3) | IOAT_NIC_EITR_CNT_WDIS);
    g_assert_false(vf_msix_pending(&m, 1, 1));
    vf_wr(&m, 1, VTEITR(1), 50 << 3);
    g_assert_true(vf_msix_pending(&m, 1, 1));
    mbx_end(&m);
}

/*
 * As in the PF's EITR, VTEITR.LLI_MOD reads back and asking for LLI
 * moderation, which is not modelled, is reported.
 */
static void test_vf_vteitr_lli_moderation_reported(void)
{
    Mbx m = mbx_start();

    vf_wr(&m, 1, VTEITR(2), IOAT_NIC_EITR_LLI_MOD | (50 << 3));
    g_assert_cmphex(vf_rd(&m, 1, VTEITR(2)), ==,
                    IOAT_NIC_EITR_LLI_MOD | (50 << 3));
    g_assert_cmpuint(ioat_log_count(m.log, "ioat_nic_unimp_reg: VTEITR[2] "),
                     ==, 1);
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
 * bit.  The VFs' own state comes too, although QEMU's SR-IOV resets a VF
 * as it enables it on the destination: VF 1's COMMAND (its register BAR
 * answers without being mapped again), its MSI-X enable and table entry.
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
    vf_msix_enable(&m, 1);
    qtest_writel(m.qts, vf_msix_entry(1, 2, 2), 0x4242);
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
    g_assert_cmphex(qtest_readw(dst, vf_cfg(1, PCI_COMMAND)) &
                    PCI_COMMAND_MASTER, ==, PCI_COMMAND_MASTER);
    g_assert_true(qtest_readw(dst, vf_cfg(1, VF_MSIX_CAP + PCI_MSIX_FLAGS)) &
                  PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmphex(qtest_readl(dst, vf_msix_entry(1, 2, 2)), ==, 0x4242);
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

/*
 * VMDq pools (ioat_nic_pool.c): 2 VFs in 32-pool mode (MRQC 0xA, MTQC
 * VT_ENA | 32 pools), so VF n is pool n with PF queues 4n..4n+3 and the
 * PF is pool 2 (queues 8-11), the default pool; every pool enabled in
 * PFVFRE/PFVFTE, replication on.  Rings live in guest memory at
 * RING_MEM + 64 KiB per ring.
 */

#define POOL_PF         2
#define VF_RXQ(k)       (0x1000 + 0x40 * (k))   /* VF BAR0 queue blocks */
#define VF_TXQ(k)       (0x2000 + 0x40 * (k))
#define VFPSRTYPE       0x0300
#define VFGPRC          0x101c
#define VFGPTC          0x201c
#define VTIVAR(i)       (0x0120 + 4 * (i))
#define RING_MEM        0x01000000ULL
#define RING_SPAN       0x10000
#define RING_DESCS      8
#define BUF_SIZE        2048
#define SRRCTL_ONEBUF   (2 | 1u << 25)          /* 2 KiB buffers, one each */
#define TXD_LEGACY_CMD  (BIT(24) | BIT(25) | BIT(27))   /* EOP, IFCS, RS */

static const uint8_t pf_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t vf0_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x10 };
static const uint8_t vf1_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x11 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* RAR @n = @mac, valid, in pools @pools (MPSAR) */
static void pool_rar(Mbx *m, unsigned n, const uint8_t *mac, uint64_t pools)
{
    pf_wr(m, IOAT_NIC_RAL(n), ldl_le_p(mac));
    pf_wr(m, IOAT_NIC_RAH(n), lduw_le_p(mac + 4) | R_RAH0_AV_MASK);
    pf_wr(m, IOAT_NIC_MPSAR(2 * n), pools);
    pf_wr(m, IOAT_NIC_MPSAR(2 * n + 1), pools >> 32);
}

/* The pool layout, the PF's address in pool 2, receive and transmit on */
static Mbx pools_start_mode(uint32_t mrqe, uint32_t mtqc)
{
    Mbx m = mbx_start_wired(2, true);

    pf_wr(&m, A_MRQC, mrqe);
    pf_wr(&m, A_MTQC, mtqc);
    pf_wr(&m, A_VT_CTL, R_VT_CTL_VT_EN_MASK | R_VT_CTL_REPLEN_MASK |
          POOL_PF << R_VT_CTL_DEF_PL_SHIFT);
    for (unsigned i = 0; i < 2; i++) {
        pf_wr(&m, IOAT_NIC_PFVFRE(i), 0xffffffff);
        pf_wr(&m, IOAT_NIC_PFVFTE(i), 0xffffffff);
    }
    pool_rar(&m, 0, pf_mac, BIT_ULL(POOL_PF));
    for (unsigned p = 0; p <= POOL_PF; p++) {
        pf_wr(&m, IOAT_NIC_VMOLR(p), R_VMOLR_AUPE_MASK | R_VMOLR_BAM_MASK);
    }
    pf_wr(&m, A_RXCTRL, R_RXCTRL_RXEN_MASK);
    pf_wr(&m, A_DMATXCTL, pf_rd(&m, A_DMATXCTL) | R_DMATXCTL_TE_MASK);
    return m;
}

static Mbx pools_start(void)
{
    return pools_start_mode(IOAT_NIC_MRQE_VMDQ_RSS32, 0xa);
}

/* A queue's registers: the PF's block, or VF @vf's (-1: the PF's) */
static uint64_t rxq_block(int vf, unsigned q)
{
    return vf < 0 ? PF_BAR0_BASE + IOAT_NIC_RXQ_BASE(q) :
                    VF_BAR0_BASE + vf * VF_BAR_SIZE + VF_RXQ(q);
}

static uint64_t txq_block(int vf, unsigned q)
{
    return vf < 0 ? PF_BAR0_BASE + IOAT_NIC_TXQ_BASE(q) :
                    VF_BAR0_BASE + vf * VF_BAR_SIZE + VF_TXQ(q);
}

/* Guest memory of ring @ring: descriptors, then its buffers */
static uint64_t ring_mem(unsigned ring)
{
    return RING_MEM + (uint64_t)ring * RING_SPAN;
}

/*
 * A receive ring in memory @ring behind the queue block at @block with
 * @free descriptors handed over (RDT), dropping when full.
 */
static void rx_ring_at(Mbx *m, uint64_t block, unsigned ring, unsigned free)
{
    uint64_t mem = ring_mem(ring);

    for (unsigned i = 0; i < RING_DESCS; i++) {
        qtest_writeq(m->qts, mem + 16 * i, mem + 0x1000 + i * BUF_SIZE);
        qtest_writeq(m->qts, mem + 16 * i + 8, 0);
    }
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_RDBAL, mem);
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_RDBAH, 0);
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_RDLEN, RING_DESCS * 16);
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_SRRCTL,
                 SRRCTL_ONEBUF | R_SRRCTL_DROP_EN_MASK);
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_RXDCTL,
                 R_RXDCTL_ENABLE_MASK);
    qtest_writel(m->qts, block + IOAT_NIC_RXQ_OFF_RDT, free);
}

/* Receive descriptors written back (DD) in ring @ring */
static unsigned rx_done(Mbx *m, unsigned ring)
{
    unsigned n = 0;

    for (unsigned i = 0; i < RING_DESCS; i++) {
        n += qtest_readl(m->qts, ring_mem(ring) + 16 * i + 8) &
             IOAT_NIC_RXD_STAT_DD;
    }
    return n;
}

/* A transmit ring in memory @ring behind the queue block at @block */
static void tx_ring_at(Mbx *m, uint64_t block, unsigned ring)
{
    qtest_writel(m->qts, block + IOAT_NIC_TXQ_OFF_TDBAL, ring_mem(ring));
    qtest_writel(m->qts, block + IOAT_NIC_TXQ_OFF_TDBAH, 0);
    qtest_writel(m->qts, block + IOAT_NIC_TXQ_OFF_TDLEN, RING_DESCS * 16);
    qtest_writel(m->qts, block + IOAT_NIC_TXQ_OFF_TXDCTL,
                 R_TXDCTL_ENABLE_MASK);
}

/*
 * Send @frame as legacy descriptor @idx of the ring behind @block, with
 * command bits @cmd and VLAN field @vlan
 */
static void tx_desc_at(Mbx *m, uint64_t block, unsigned ring, unsigned idx,
                       const uint8_t *frame, size_t len, uint32_t cmd,
                       uint16_t vlan)
{
    uint64_t mem = ring_mem(ring), buf = mem + 0x1000 + idx * BUF_SIZE;

    qtest_memwrite(m->qts, buf, frame, len);
    qtest_writeq(m->qts, mem + 16 * idx, buf);
    qtest_writeq(m->qts, mem + 16 * idx + 8,
                 len | cmd | (uint64_t)vlan << 48);
    qtest_writel(m->qts, block + IOAT_NIC_TXQ_OFF_TDT, idx + 1);
}

/* Send @frame as descriptor @idx of the ring behind @block */
static void tx_frame_at(Mbx *m, uint64_t block, unsigned ring, unsigned idx,
                        const uint8_t *frame, size_t len)
{
    tx_desc_at(m, block, ring, idx, frame, len, TXD_LEGACY_CMD, 0);
}

/* A UDP/IPv4 frame from @src to @dst (60 bytes) */
static size_t pool_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src)
{
    QIoatNicFlow f;
    size_t len;

    ioat_nic_flow_parse(&f, IPPROTO_UDP, "10.0.0.1", 1000, "10.0.0.2", 2000);
    len = ioat_nic_build_ip(buf, dst, &f, 18);
    memcpy(buf + 6, src, 6);
    return len;
}

/* Wait until the device has taken what is on the wire */
static void wire_taken(Mbx *m)
{
    int unread = 1;

    for (unsigned i = 0; i < 5000 && unread; i++) {
        g_assert_cmpint(ioctl(m->sock, TIOCOUTQ, &unread), ==, 0);
        if (unread) {
            g_usleep(1000);
        }
    }
    g_assert_cmpint(unread, ==, 0);
    pf_rd(m, A_STATUS);     /* the main loop has run the frame through */
}

/* Put a frame on the wire and wait until the device has taken it */
static void wire_send(Mbx *m, const uint8_t *frame, size_t len)
{
    ioat_nic_inject(m->sock, frame, len);
    wire_taken(m);
}

static void wire_send_to(Mbx *m, const uint8_t *dst)
{
    uint8_t frame[128];

    wire_send(m, frame, pool_frame(frame, dst, pf_mac));
}

/* Frames the device put on the wire, none waited for */
static bool wire_has_frame(Mbx *m)
{
    struct pollfd pfd = { .fd = m->sock, .events = POLLIN };

    pf_rd(m, A_STATUS);
    return poll(&pfd, 1, 0) == 1;
}

/*
 * Unicast to VF 0's address (RAR 1, MPSAR pool 0) lands on VF 0's queue 0,
 * the ring VF 0 set up through its own BAR0 and whose descriptors it
 * reads and writes through its own function; VTIVAR routes the event to
 * VF 0's vector 1.  The PF's queue 0 registers are the same registers.
 */
static void test_pool_unicast_reaches_vf_queue(void)
{
    Mbx m = pools_start();

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_RDBAL(0)), ==, ring_mem(0));
    vf_msix_enable(&m, 0);
    vf_wr(&m, 0, VTIVAR(0), VTIVAR_VALID | 1);
    vf_wr(&m, 0, VTEIMS, BIT(1));
    wire_send_to(&m, vf0_mac);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_RDH(0)), ==, 1);
    g_assert_true(vf_msix_pending(&m, 0, 1));
    g_assert_cmphex(pf_rd(&m, A_EICS) & 1, ==, 0);
    mbx_end(&m);
}

/* A VF queue's DMA is the VF's: without its bus mastering nothing lands. */
static void test_pool_vf_dma_needs_vf_bus_master(void)
{
    Mbx m = pools_start();

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    qtest_writew(m.qts, vf_cfg(0, PCI_COMMAND), PCI_COMMAND_MEMORY);
    wire_send_to(&m, vf0_mac);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    mbx_end(&m);
}

/* PFVFRE: a pool whose receive is disabled gets nothing. */
static void test_pool_receive_disabled_in_pfvfre(void)
{
    Mbx m = pools_start();

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    pf_wr(&m, IOAT_NIC_PFVFRE(0), ~BIT(0));
    wire_send_to(&m, vf0_mac);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    mbx_end(&m);
}

/*
 * Broadcast goes to every pool with VMOLR.BAM, one copy each: VF 0
 * (queue 0), VF 1 (queue 4) and the PF (queue 8); not VF 1 once its BAM
 * is off.
 */
static void test_pool_broadcast_replicated(void)
{
    Mbx m = pools_start();

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    wire_send_to(&m, bcast);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    g_assert_cmpuint(rx_done(&m, 2), ==, 1);
    pf_wr(&m, IOAT_NIC_VMOLR(1), R_VMOLR_AUPE_MASK);
    wire_send_to(&m, bcast);
    g_assert_cmpuint(rx_done(&m, 0), ==, 2);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    g_assert_cmpuint(rx_done(&m, 2), ==, 2);
    mbx_end(&m);
}

/*
 * One pool's full queue drops its copy only: with VF 0's ring full the
 * PF still gets the broadcast, and the wire is never held up.
 */
static void test_pool_full_queue_drops_only_its_copy(void)
{
    Mbx m = pools_start();

    rx_ring_at(&m, rxq_block(0, 0), 0, 0);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    wire_send_to(&m, bcast);
    wire_send_to(&m, bcast);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    g_assert_cmpuint(rx_done(&m, 2), ==, 2);
    mbx_end(&m);
}

/*
 * VLAN stage: VID 100 with a VLVF entry for pool 1 goes to VF 1 only;
 * VID 200, in VFTA but in no VLVF entry, to the default pool (the PF).
 */
static void test_pool_vlan_selects_pool(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], tagged[132];
    size_t len = pool_frame(frame, bcast, pf_mac);

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    pf_wr(&m, IOAT_NIC_VLVF(1), R_VLVF_VIEN_MASK | 100);
    pf_wr(&m, IOAT_NIC_VLVFB(2), BIT(1));
    wire_send(&m, tagged, ioat_nic_vlan_tag(tagged, frame, len, 100));
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    g_assert_cmpuint(rx_done(&m, 2), ==, 0);
    wire_send(&m, tagged, ioat_nic_vlan_tag(tagged, frame, len, 200));
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    g_assert_cmpuint(rx_done(&m, 2), ==, 1);
    mbx_end(&m);
}

/*
 * RSS inside a pool: with every RETA entry 3, VF 1's PSRTYPE.RQPL = 1
 * (2 queues) sends a hashed flow to its queue 1 (PF queue 5); RQPL = 0
 * keeps it on queue 0.  VFPSRTYPE is PSRTYPE(1).
 */
static void test_pool_rss_uses_rqpl_bits(void)
{
    Mbx m = pools_start();

    pf_wr(&m, A_MRQC, IOAT_NIC_MRQE_VMDQ_RSS32 | R_MRQC_IPV4_MASK);
    for (unsigned i = 0; i < 32; i++) {
        pf_wr(&m, IOAT_NIC_RETA(i), 0x03030303);
    }
    pool_rar(&m, 1, vf1_mac, BIT_ULL(1));
    rx_ring_at(&m, rxq_block(1, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 1), 1, 4);
    vf_wr(&m, 1, VFPSRTYPE, 1u << 29);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PSRTYPE(1)), ==, 1u << 29);
    wire_send_to(&m, vf1_mac);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    vf_wr(&m, 1, VFPSRTYPE, 0);
    wire_send_to(&m, vf1_mac);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    mbx_end(&m);
}

/* A VF's base address register (low) of its queue @k, in its BAR0 */
static uint64_t vf_queue_bal(bool tx, unsigned k)
{
    return tx ? VF_TXQ(k) + IOAT_NIC_TXQ_OFF_TDBAL
              : VF_RXQ(k) + IOAT_NIC_RXQ_OFF_RDBAL;
}

static uint64_t pf_queue_bal(bool tx, unsigned q)
{
    return tx ? IOAT_NIC_TDBAL(q) : IOAT_NIC_RDBAL(q);
}

/*
 * MRQC (receive) or MTQC (transmit) maps VF 1's queue k to the PF's queue
 * 1 * qpp + k: 4 per pool in 32-pool mode, 8 in 16-pool mode, 2 in 64-pool
 * mode, where VF 1's queue 2 does not exist (reads 0, writes dropped,
 * reported) rather than reaching pool 2.
 */
static void vf_queues_map_in_each_pool_mode(bool tx)
{
    static const struct {
        uint32_t mrqe, mtqc;
        unsigned k, q;
    } modes[] = {
        { IOAT_NIC_MRQE_VMDQ_RSS32, 0xa, 3, 7 },    /* 32 pools */
        { IOAT_NIC_MRQE_VMDQ_DCB8, 0xf, 7, 15 },    /* 16 pools */
        { IOAT_NIC_MRQE_VMDQ_RSS64, 0x6, 1, 3 },    /* 64 pools */
    };
    Mbx m;

    for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
        uint32_t val = 0x1000 * (i + 1);

        m = pools_start_mode(modes[i].mrqe, modes[i].mtqc);
        vf_wr(&m, 1, vf_queue_bal(tx, modes[i].k), val);
        g_assert_cmphex(pf_rd(&m, pf_queue_bal(tx, modes[i].q)), ==, val);
        if (i + 1 < ARRAY_SIZE(modes)) {
            mbx_end(&m);
        }
    }
    /* Still in 64-pool mode: VF 1 has no queue 2. */
    vf_wr(&m, 1, vf_queue_bal(tx, 2), 0x4000);
    g_assert_cmphex(vf_rd(&m, 1, vf_queue_bal(tx, 2)), ==, 0);
    g_assert_cmphex(pf_rd(&m, pf_queue_bal(tx, 4)), ==, 0);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_vf_queue"), ==, 2);
    mbx_end(&m);
}

static void test_vf_queue_registers_are_pool_queues(void)
{
    vf_queues_map_in_each_pool_mode(false);
}

static void test_vf_tx_queue_registers_in_each_pool_mode(void)
{
    vf_queues_map_in_each_pool_mode(true);
}

/*
 * In 64-pool mode VF 1's transmit queue 1 (the PF's queue 3) sends its
 * frame to the wire, counted for pool 1.
 */
static void test_vf_transmits_in_64_pool_mode(void)
{
    Mbx m = pools_start_mode(IOAT_NIC_MRQE_VMDQ_RSS64, 0x6);
    uint8_t frame[128], out[256];
    size_t len = pool_frame(frame, bcast, vf1_mac);

    tx_ring_at(&m, txq_block(1, 1), 3);
    tx_frame_at(&m, txq_block(1, 1), 3, 0, frame, len);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    g_assert_cmpmem(out, len, frame, len);
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_TDH(3)), ==, 1);
    g_assert_cmpuint(vf_rd(&m, 1, VFGPTC), ==, 1);
    mbx_end(&m);
}

/*
 * VFs enabled but the PF without pools (PFVTCTL.VT_EN clear): a VF's
 * queue registers read 0 and drop writes, each access reported once.
 */
static void test_vf_queue_registers_without_pools_reported(void)
{
    Mbx m = mbx_start();
    g_autofree char *log = NULL;

    vf_wr(&m, 1, VF_RXQ(0) + IOAT_NIC_RXQ_OFF_RDBAL, 0x1000);
    vf_wr(&m, 1, VF_TXQ(0) + IOAT_NIC_TXQ_OFF_TDBAL, 0x2000);
    g_assert_cmphex(vf_rd(&m, 1, VF_RXQ(0) + IOAT_NIC_RXQ_OFF_RDBAL), ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, VF_TXQ(0) + IOAT_NIC_TXQ_OFF_TDBAL), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_RDBAL(0)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_TDBAL(0)), ==, 0);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_err_vf_queue"), ==, 4);
    g_assert_true(g_file_get_contents(m.log, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "PFVTCTL.VT_EN"));
    mbx_end(&m);
}

/*
 * Internal switching (PFDTXGSWC.LBEN): VF 0's frame to the PF's address
 * goes to the PF's queue and not to the wire; its broadcast goes to the
 * wire and to the other pools, not back to VF 0.  Without LBEN both go
 * to the wire only.
 */
static void test_pool_switching_between_functions(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], out[256];
    size_t len = pool_frame(frame, pf_mac, vf0_mac);

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, A_PFDTXGSWC, R_PFDTXGSWC_LBEN_MASK);

    tx_frame_at(&m, txq_block(0, 0), 3, 0, frame, len);
    g_assert_cmpuint(rx_done(&m, 2), ==, 1);
    g_assert_false(wire_has_frame(&m));
    g_assert_cmpuint(pf_rd(&m, A_GPTC), ==, 0);     /* the MAC never saw it */

    memcpy(frame, bcast, 6);
    tx_frame_at(&m, txq_block(0, 0), 3, 1, frame, len);
    g_assert_cmpuint(rx_done(&m, 2), ==, 2);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    g_assert_cmpuint(pf_rd(&m, A_GPTC), ==, 1);

    pf_wr(&m, A_PFDTXGSWC, 0);
    memcpy(frame, pf_mac, 6);
    tx_frame_at(&m, txq_block(0, 0), 3, 2, frame, len);
    g_assert_cmpuint(rx_done(&m, 2), ==, 2);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    g_assert_cmpuint(vf_rd(&m, 0, VFGPTC), ==, 3);
    g_assert_cmpuint(vf_rd(&m, 0, VFGPTC), ==, 3);   /* reads do not clear */
    mbx_end(&m);
}

/*
 * The PF's frame to VF 1's address reaches VF 1's queue, and VF 0's frame
 * to VF 1 too, neither on the wire (PFDTXGSWC.LBEN).
 */
static void test_pool_switching_pf_to_vf_and_vf_to_vf(void)
{
    Mbx m = pools_start();
    uint8_t frame[128];
    size_t len = pool_frame(frame, vf1_mac, pf_mac);

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    pool_rar(&m, 2, vf1_mac, BIT_ULL(1));
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    tx_ring_at(&m, txq_block(-1, 8), 3);
    tx_ring_at(&m, txq_block(0, 0), 4);
    pf_wr(&m, A_PFDTXGSWC, R_PFDTXGSWC_LBEN_MASK);
    tx_frame_at(&m, txq_block(-1, 8), 3, 0, frame, len);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    memcpy(frame + 6, vf0_mac, 6);
    tx_frame_at(&m, txq_block(0, 0), 4, 0, frame, len);
    g_assert_cmpuint(rx_done(&m, 1), ==, 2);
    g_assert_false(wire_has_frame(&m));
    mbx_end(&m);
}

/*
 * Multicast per VMOLR: an address in the MTA goes to the pools with
 * ROMPE, any multicast to the pools with MPE, and to no other pool.
 */
static void test_pool_multicast_per_vmolr(void)
{
    Mbx m = pools_start();
    static const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    static const uint8_t other[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 };
    /* MCSTCTRL.MO 0: address bits 47:36 index the MTA */
    unsigned v = lduw_le_p(group + 4) >> 4 & 0xfff;

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    pf_wr(&m, A_MCSTCTRL, R_MCSTCTRL_MFE_MASK);
    pf_wr(&m, IOAT_NIC_MTA(v >> 5), BIT(v & 31));
    pf_wr(&m, IOAT_NIC_VMOLR(0), R_VMOLR_AUPE_MASK | R_VMOLR_ROMPE_MASK);
    pf_wr(&m, IOAT_NIC_VMOLR(1), R_VMOLR_AUPE_MASK | R_VMOLR_MPE_MASK);
    wire_send_to(&m, group);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    g_assert_cmpuint(rx_done(&m, 1), ==, 1);
    g_assert_cmpuint(rx_done(&m, 2), ==, 0);
    wire_send_to(&m, other);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    g_assert_cmpuint(rx_done(&m, 1), ==, 2);
    g_assert_cmpuint(vf_rd(&m, 1, 0x1034), ==, 2);      /* VFMPRC */
    mbx_end(&m);
}

/*
 * Unicast hash (PFUTA): a unicast address in no RAR whose hash bit is set
 * goes to the pools with VMOLR.ROPE (VF 0), not to the others.
 */
static void test_pool_unicast_hash_table_reaches_rope_pools(void)
{
    Mbx m = pools_start();
    static const uint8_t dst[6] = { 0x52, 0x54, 0x00, 0x00, 0xab, 0xcd };
    /* MCSTCTRL.MO 1: address bits 46:35 index the table */
    unsigned v = lduw_le_p(dst + 4) >> 3 & 0xfff;

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    pf_wr(&m, A_MCSTCTRL, 1 << R_MCSTCTRL_MO_SHIFT);
    pf_wr(&m, IOAT_NIC_UTA(v >> 5), BIT(v & 31));
    pf_wr(&m, IOAT_NIC_VMOLR(0), R_VMOLR_AUPE_MASK | R_VMOLR_ROPE_MASK);
    wire_send_to(&m, dst);
    g_assert_cmpuint(rx_done(&m, 0), ==, 1);
    g_assert_cmpuint(rx_done(&m, 1), ==, 0);
    g_assert_cmpuint(rx_done(&m, 2), ==, 0);
    mbx_end(&m);
}

/*
 * MAC anti-spoofing: with PFVFSPOOF's bit for pool 0, VF 0 sending from
 * an address that is not one of its RARs is dropped and counted in SSVPC
 * (VMECM), which a read clears; from its own address the frame goes out.
 */
static void test_pool_mac_anti_spoofing(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], out[256];
    size_t len = pool_frame(frame, bcast, vf1_mac);

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, IOAT_NIC_PFVFSPOOF(0), BIT(0));
    pf_wr(&m, IOAT_NIC_VMECM(0), BIT(0));
    tx_frame_at(&m, txq_block(0, 0), 3, 0, frame, len);
    g_assert_false(wire_has_frame(&m));
    g_assert_cmpuint(pf_rd(&m, A_SSVPC), ==, 1);
    g_assert_cmpuint(pf_rd(&m, A_SSVPC), ==, 0);
    memcpy(frame + 6, vf0_mac, 6);
    tx_frame_at(&m, txq_block(0, 0), 3, 1, frame, len);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    mbx_end(&m);
}

/*
 * VLAN anti-spoofing: with PFVFSPOOF's VLAN bit for pool 0, VF 0's frame
 * tagged with VID 200, in no VLVF entry of pool 0, is dropped and counted
 * in SSVPC (VMECM); tagged with VID 100, whose VLVF entry has pool 0, it
 * goes out, and so does the untagged frame.
 */
static void test_pool_vlan_anti_spoofing(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], tagged[132], out[256];
    size_t len = pool_frame(frame, bcast, vf0_mac);

    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, IOAT_NIC_VLVF(1), R_VLVF_VIEN_MASK | 100);
    pf_wr(&m, IOAT_NIC_VLVFB(2), BIT(0));
    pf_wr(&m, IOAT_NIC_PFVFSPOOF(0), BIT(8));
    pf_wr(&m, IOAT_NIC_VMECM(0), BIT(0));
    tx_frame_at(&m, txq_block(0, 0), 3, 0, tagged,
                ioat_nic_vlan_tag(tagged, frame, len, 200));
    g_assert_false(wire_has_frame(&m));
    g_assert_cmpuint(pf_rd(&m, A_SSVPC), ==, 1);
    tx_frame_at(&m, txq_block(0, 0), 3, 1, tagged,
                ioat_nic_vlan_tag(tagged, frame, len, 100));
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len + 4);
    g_assert_cmphex(lduw_be_p(out + 14), ==, 100);
    tx_frame_at(&m, txq_block(0, 0), 3, 2, frame, len);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    g_assert_cmpuint(pf_rd(&m, A_SSVPC), ==, 0);
    mbx_end(&m);
}

/*
 * PFVMVIR: VLANA 01b tags every frame of the pool with its tag; PFVFTE
 * off: the pool's queues fetch no descriptor.
 */
static void test_pool_vlan_insertion_and_tx_gate(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], out[256];
    size_t len = pool_frame(frame, bcast, vf0_mac);

    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, IOAT_NIC_PFVMVIR(0), 1u << 30 | 0x2064);
    tx_frame_at(&m, txq_block(0, 0), 3, 0, frame, len);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len + 4);
    g_assert_cmphex(lduw_be_p(out + 12), ==, 0x8100);
    g_assert_cmphex(lduw_be_p(out + 14), ==, 0x2064);

    pf_wr(&m, IOAT_NIC_PFVFTE(0), ~BIT(0));
    tx_frame_at(&m, txq_block(0, 0), 3, 1, frame, len);
    g_assert_false(wire_has_frame(&m));
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_TDH(0)), ==, 1);
    pf_wr(&m, IOAT_NIC_PFVFTE(0), ~0u);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len + 4);
    mbx_end(&m);
}

/*
 * PFVMVIR VLANA 10b (never): VF 0's descriptor asking for tag 0x2064
 * (VLE) sends the frame untagged.
 */
static void test_pool_vlan_insertion_never(void)
{
    Mbx m = pools_start();
    uint8_t frame[128], out[256];
    size_t len = pool_frame(frame, bcast, vf0_mac);

    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, IOAT_NIC_PFVMVIR(0), 2u << 30);
    tx_desc_at(&m, txq_block(0, 0), 3, 0, frame, len,
               TXD_LEGACY_CMD | R_TXD_CMD_VLE_MASK, 0x2064);
    g_assert_cmpuint(ioat_nic_capture(m.sock, out, sizeof(out)), ==, len);
    g_assert_cmphex(lduw_be_p(out + 12), ==, 0x0800);      /* IPv4 */
    mbx_end(&m);
}

/*
 * PFQDE: WRITE | IDX | ENABLE makes a queue drop when full even with
 * SRRCTL.DROP_EN clear: without pools, a frame for a full queue 0 is
 * then missed, not held until descriptors come.
 */
static void test_qde_drops_when_full(void)
{
    Mbx m = mbx_start_wired(0, true);
    uint64_t block = rxq_block(-1, 0);

    pool_rar(&m, 0, pf_mac, 0);
    rx_ring_at(&m, block, 0, 0);
    qtest_writel(m.qts, block + IOAT_NIC_RXQ_OFF_SRRCTL, SRRCTL_ONEBUF);
    pf_wr(&m, A_PFQDE, R_PFQDE_WRITE_MASK | 0 << R_PFQDE_IDX_SHIFT |
          R_PFQDE_ENABLE_MASK);
    g_assert_cmphex(pf_rd(&m, A_PFQDE), ==, R_PFQDE_ENABLE_MASK);
    pf_wr(&m, A_RXCTRL, R_RXCTRL_RXEN_MASK);
    wire_send_to(&m, pf_mac);
    qtest_writel(m.qts, block + IOAT_NIC_RXQ_OFF_RDT, 4);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_MPC(0)), ==, 1);
    mbx_end(&m);
}

/*
 * CTRL.RST takes the device out of VT mode: VT_CTL, PFVFRE, MPSAR, VMOLR,
 * the anti-spoofing bits (PFVFSPOOF), switching (PFDTXGSWC) and the VLAN
 * pool filters (PFVLVF, PFVLVFB) clear.
 */
static void test_reset_clears_pool_state(void)
{
    Mbx m = pools_start();

    pf_wr(&m, IOAT_NIC_PFVFSPOOF(0), 0xffff);
    pf_wr(&m, A_PFDTXGSWC, R_PFDTXGSWC_LBEN_MASK);
    pf_wr(&m, IOAT_NIC_VLVF(1), R_VLVF_VIEN_MASK | 100);
    pf_wr(&m, IOAT_NIC_VLVFB(2), BIT(0));
    pf_wr(&m, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(pf_rd(&m, A_VT_CTL), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFVFRE(0)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_MPSAR(0)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_VMOLR(0)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_PFVFSPOOF(0)), ==, 0);
    g_assert_cmphex(pf_rd(&m, A_PFDTXGSWC), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_VLVF(1)), ==, 0);
    g_assert_cmphex(pf_rd(&m, IOAT_NIC_VLVFB(2)), ==, 0);
    mbx_end(&m);
}

/*
 * Per-pool receive counters: VF 0's VFGPRC and the PF's PVFGPRC(0) count
 * the frames delivered to pool 0, and reading them does not clear them.
 */
static void test_pool_receive_counters(void)
{
    Mbx m = pools_start();

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    wire_send_to(&m, bcast);
    wire_send_to(&m, bcast);
    g_assert_cmpuint(vf_rd(&m, 0, VFGPRC), ==, 2);
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_PVFGPRC(0)), ==, 2);
    g_assert_cmpuint(vf_rd(&m, 0, VFGPRC), ==, 2);
    g_assert_cmpuint(pf_rd(&m, IOAT_NIC_PVFGORC_LSB(0)), ==, 2 * (60 + 4));
    mbx_end(&m);
}

/*
 * The DMA counts each copy it writes to a pool's queue (RXDGPC), the MAC
 * the frame once (GPRC); a frame switched between pools reaches host
 * memory through the DMA as well.
 */
static void test_pool_dma_counts_each_copy(void)
{
    Mbx m = pools_start();
    uint8_t frame[128];
    size_t len = pool_frame(frame, pf_mac, vf0_mac);

    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    rx_ring_at(&m, rxq_block(1, 0), 1, 4);
    rx_ring_at(&m, rxq_block(-1, 8), 2, 4);
    wire_send_to(&m, bcast);
    g_assert_cmpuint(rx_done(&m, 2), ==, 1);
    g_assert_cmpuint(pf_rd(&m, A_GPRC), ==, 1);
    g_assert_cmpuint(pf_rd(&m, A_RXDGPC), ==, 3);

    tx_ring_at(&m, txq_block(0, 0), 3);
    pf_wr(&m, A_PFDTXGSWC, R_PFDTXGSWC_LBEN_MASK);
    tx_frame_at(&m, txq_block(0, 0), 3, 0, frame, len);
    g_assert_cmpuint(rx_done(&m, 2), ==, 2);
    g_assert_cmpuint(pf_rd(&m, A_RXDGPC), ==, 1);
    g_assert_cmpuint(pf_rd(&m, A_TXDGPC), ==, 1);
    mbx_end(&m);
}

/*
 * With pools their filters are the address filter: a runt no pool takes
 * is not counted in RUC; one a pool would take is counted and dropped.
 */
static void test_pool_runt_counted_only_for_a_pool(void)
{
    static const uint8_t stranger[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    Mbx m = pools_start();
    uint8_t runt[40] = { 0 };

    pool_rar(&m, 1, vf0_mac, BIT_ULL(0));
    rx_ring_at(&m, rxq_block(0, 0), 0, 4);
    memcpy(runt + 6, pf_mac, 6);
    runt[12] = 0x88;
    runt[13] = 0xb5;
    memcpy(runt, stranger, 6);
    ioat_nic_inject_raw(m.sock, runt, sizeof(runt));
    wire_taken(&m);
    g_assert_cmpuint(pf_rd(&m, A_RUC), ==, 0);
    memcpy(runt, vf0_mac, 6);
    ioat_nic_inject_raw(m.sock, runt, sizeof(runt));
    wire_taken(&m);
    g_assert_cmpuint(pf_rd(&m, A_RUC), ==, 1);
    g_assert_cmpuint(rx_done(&m, 0), ==, 0);
    mbx_end(&m);
}

/*
 * A reset of the PF (a secondary bus reset from its root port) disables
 * its VFs: they leave the bus, and enabled again they start from reset
 * (VF 1's VTEIMS and mailbox ownership gone).
 */
static void test_pf_reset_tears_vfs_down(void)
{
    Mbx m = mbx_start();
    uint64_t bctl = ioat_q35_rp_cfg(PCI_BRIDGE_CONTROL);

    vf_wr(&m, 1, VTEIMS, BIT(0));
    vf_wr(&m, 1, IOAT_NIC_VFMAILBOX, IOAT_NIC_VFMAILBOX_VFU);
    qtest_writew(m.qts, bctl, qtest_readw(m.qts, bctl) |
                 PCI_BRIDGE_CTL_BUS_RESET);
    qtest_writew(m.qts, bctl, qtest_readw(m.qts, bctl) &
                 ~PCI_BRIDGE_CTL_BUS_RESET);
    g_assert_false(vf_present(m.qts, 0));
    g_assert_false(vf_present(m.qts, 1));
    g_assert_cmphex(qtest_readw(m.qts, ioat_q35_cfg(sriov_cap(m.qts) +
                                                    PCI_SRIOV_CTRL)), ==, 0);

    qtest_writel(m.qts, ioat_q35_cfg(PCI_BASE_ADDRESS_0), PF_BAR0_BASE);
    qtest_writew(m.qts, ioat_q35_cfg(PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    enable_vfs(m.qts, 2);
    map_vf_bars(m.qts, 1);
    g_assert_cmphex(vf_rd(&m, 1, VTEIMS), ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, IOAT_NIC_VFMAILBOX) &
                    IOAT_NIC_VFMAILBOX_VFU, ==, 0);
    mbx_end(&m);
}

/*
 * Offsets outside the VF register file read 0: an 82599 VF register the
 * model does not have (VFFRTIMER) is reported as not modelled, an offset
 * where no 82599 VF has one (the X550 VF's VFMRQC) as a guest error, each
 * once.
 */
static void test_vf_offsets_outside_the_register_file(void)
{
    Mbx m = mbx_start();

    vf_wr(&m, 1, 0x3000, 0x12345678);
    g_assert_cmphex(vf_rd(&m, 1, 0x3000), ==, 0);
    g_assert_cmphex(vf_rd(&m, 1, 0x0048), ==, 0);
    vf_rd(&m, 1, 0x0048);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_vf_err_offset"), ==, 1);
    g_assert_cmpuint(ioat_log_events(m.log, "ioat_nic_vf_unimp"), ==, 1);
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
    qtest_add_func("/ioat-sriov/mailbox-vf-request-interrupts-pf",
                   test_mailbox_vf_request_interrupts_pf);
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
    qtest_add_func("/ioat-sriov/pool-runt-counted-only-for-a-pool",
                   test_pool_runt_counted_only_for_a_pool);
    qtest_add_func("/ioat-sriov/vf-interrupt-moderated-by-vteitr",
                   test_vf_interrupt_moderated_by_vteitr);
    qtest_add_func("/ioat-sriov/vf-vteitr-write-clears-counter",
                   test_vf_vteitr_write_clears_counter);
    qtest_add_func("/ioat-sriov/vf-vteitr-lli-moderation-reported",
                   test_vf_vteitr_lli_moderation_reported);
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
    qtest_add_func("/ioat-sriov/pool-unicast-reaches-vf-queue",
                   test_pool_unicast_reaches_vf_queue);
    qtest_add_func("/ioat-sriov/pool-vf-dma-needs-vf-bus-master",
                   test_pool_vf_dma_needs_vf_bus_master);
    qtest_add_func("/ioat-sriov/pool-receive-disabled-in-pfvfre",
                   test_pool_receive_disabled_in_pfvfre);
    qtest_add_func("/ioat-sriov/pool-broadcast-replicated",
                   test_pool_broadcast_replicated);
    qtest_add_func("/ioat-sriov/pool-dma-counts-each-copy",
                   test_pool_dma_counts_each_copy);
    qtest_add_func("/ioat-sriov/pool-full-queue-drops-only-its-copy",
                   test_pool_full_queue_drops_only_its_copy);
    qtest_add_func("/ioat-sriov/pool-vlan-selects-pool",
                   test_pool_vlan_selects_pool);
    qtest_add_func("/ioat-sriov/pool-rss-uses-rqpl-bits",
                   test_pool_rss_uses_rqpl_bits);
    qtest_add_func("/ioat-sriov/vf-queue-registers-are-pool-queues",
                   test_vf_queue_registers_are_pool_queues);
    qtest_add_func("/ioat-sriov/vf-tx-queue-registers-in-each-pool-mode",
                   test_vf_tx_queue_registers_in_each_pool_mode);
    qtest_add_func("/ioat-sriov/vf-transmits-in-64-pool-mode",
                   test_vf_transmits_in_64_pool_mode);
    qtest_add_func("/ioat-sriov/vf-queue-registers-without-pools-reported",
                   test_vf_queue_registers_without_pools_reported);
    qtest_add_func("/ioat-sriov/pool-switching-between-functions",
                   test_pool_switching_between_functions);
    qtest_add_func("/ioat-sriov/pool-switching-pf-to-vf-and-vf-to-vf",
                   test_pool_switching_pf_to_vf_and_vf_to_vf);
    qtest_add_func("/ioat-sriov/pool-multicast-per-vmolr",
                   test_pool_multicast_per_vmolr);
    qtest_add_func("/ioat-sriov/pool-unicast-hash-table-reaches-rope-pools",
                   test_pool_unicast_hash_table_reaches_rope_pools);
    qtest_add_func("/ioat-sriov/pool-mac-anti-spoofing",
                   test_pool_mac_anti_spoofing);
    qtest_add_func("/ioat-sriov/pool-vlan-anti-spoofing",
                   test_pool_vlan_anti_spoofing);
    qtest_add_func("/ioat-sriov/pool-vlan-insertion-and-tx-gate",
                   test_pool_vlan_insertion_and_tx_gate);
    qtest_add_func("/ioat-sriov/pool-vlan-insertion-never",
                   test_pool_vlan_insertion_never);
    qtest_add_func("/ioat-sriov/qde-drops-when-full",
                   test_qde_drops_when_full);
    qtest_add_func("/ioat-sriov/reset-clears-pool-state",
                   test_reset_clears_pool_state);
    qtest_add_func("/ioat-sriov/pool-receive-counters",
                   test_pool_receive_counters);
    qtest_add_func("/ioat-sriov/pf-reset-tears-vfs-down",
                   test_pf_reset_tears_vfs_down);
    qtest_add_func("/ioat-sriov/vf-offsets-outside-the-register-file",
                   test_vf_offsets_outside_the_register_file);
    qtest_add_func("/ioat-sriov/no-sriov-by-default",
                   test_no_sriov_by_default);
    qtest_add_func("/ioat-sriov/sriov-vfs-rejected-where-they-cannot-be",
                   test_sriov_vfs_rejected_where_they_cannot_be);
    return g_test_run();
}
