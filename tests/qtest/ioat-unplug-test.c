/*
 * Self-unplug: a device behind a pcie-root-port on q35 can power its own
 * slot off, by a DMA write or by its MSI-X message aimed at the root
 * port's Slot Control in MMCONFIG.  PCIe hot-unplug then unrealizes it
 * while its own code is on the stack; QEMU must carry on, with nothing
 * used after it was freed (the sanitizer build checks that).
 *
 * The machine is set up by ioat-q35.h; the test places the device's BARs
 * in the root port's memory window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/pci/pci_regs.h"
#include "hw/dma/ioat_dma_regs.h"
#include "hw/net/ioat_nic_regs.h"
#include "ioat-q35.h"

#define BAR_BASE        IOAT_Q35_MEM_BASE       /* BAR0 */
#define BAR4_BASE       0xfe080000ULL   /* BAR4, ioat-nic's MSI-X table */
#define MSIX_CAP        0x70            /* both devices */

/* Guest RAM the test uses for rings and buffers */
#define RING            0x200000ULL
#define RECORD          0x300000ULL
#define SOURCE          0x301000ULL

/* ioat-dma's engine in the main loop, or in an iothread of its own */
typedef struct DmaEngine {
    const char *device;
    const char *extra;
} DmaEngine;

static const DmaEngine main_loop_engine = { "ioat-dma,id=dma0", "" };
static const DmaEngine iothread_engine = {
    "ioat-dma,id=dma0,iothread=eng", "-object iothread,id=eng",
};

static QTestState *start_with(const char *device, const char *extra)
{
    QTestState *qts = ioat_q35_start(device, extra);

    /* The device: 64-bit BAR0 and BAR4 in the window, memory, bus master. */
    qtest_writel(qts, ioat_q35_cfg(PCI_BASE_ADDRESS_0), BAR_BASE);
    qtest_writel(qts, ioat_q35_cfg(PCI_BASE_ADDRESS_1), 0);
    qtest_writel(qts, ioat_q35_cfg(PCI_BASE_ADDRESS_4), BAR4_BASE);
    qtest_writel(qts, ioat_q35_cfg(PCI_BASE_ADDRESS_5), 0);
    qtest_writew(qts, ioat_q35_cfg(PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(PCI_VENDOR_ID)), ==,
                    0x8086);
    return qts;
}

static QTestState *start(const char *device)
{
    return start_with(device, "");
}

/* The MMCONFIG address of the root port's Slot Control. */
static uint64_t slot_control(QTestState *qts)
{
    uint8_t cap = qtest_readb(qts, ioat_q35_rp_cfg(PCI_CAPABILITY_LIST));

    while (cap) {
        if (qtest_readb(qts, ioat_q35_rp_cfg(cap)) == PCI_CAP_ID_EXP) {
            return ioat_q35_rp_cfg(cap + PCI_EXP_SLTCTL);
        }
        cap = qtest_readb(qts, ioat_q35_rp_cfg(cap + PCI_CAP_LIST_NEXT));
    }
    g_assert_not_reached();
}

/* Attention and power indicators off, power controller off */
#define SLOT_POWER_OFF  (PCI_EXP_SLTCTL_ATTN_IND_OFF | \
                         PCI_EXP_SLTCTL_PWR_IND_OFF | PCI_EXP_SLTCTL_PCC)

/*
 * The device left the bus, and QEMU still answers: a qtest read, and QMP
 * no longer lists it.
 */
static void assert_unplugged(QTestState *qts, const char *id)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    QDict *rsp;

    /* An engine in an iothread gets there on its own time. */
    while (qtest_readw(qts, ioat_q35_cfg(PCI_VENDOR_ID)) != 0xffff &&
           g_get_monotonic_time() < deadline) {
        g_usleep(1000);
    }

    g_assert_cmphex(qtest_readw(qts, ioat_q35_cfg(PCI_VENDOR_ID)), ==,
                    0xffff);
    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                    "{'path': %s, 'property': 'type'}}", path);
    g_assert_true(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
}

/* MSI-X on, vector @v's message: @data written to @addr. */
static void msix_vector(QTestState *qts, uint64_t table, unsigned v,
                        uint64_t addr, uint32_t data)
{
    uint64_t entry = table + v * PCI_MSIX_ENTRY_SIZE;

    qtest_writew(qts, ioat_q35_cfg(MSIX_CAP + PCI_MSIX_FLAGS),
                 PCI_MSIX_FLAGS_ENABLE);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_UPPER_ADDR, addr >> 32);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_DATA, data);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
}

static void dma_desc(QTestState *qts, uint64_t addr, uint32_t size,
                     uint32_t ctl, uint64_t src, uint64_t dst, uint64_t next)
{
    uint64_t d[8] = {
        cpu_to_le64(size | (uint64_t)ctl << 32), cpu_to_le64(src),
        cpu_to_le64(dst), cpu_to_le64(next),
    };

    qtest_memwrite(qts, addr, d, sizeof(d));
}

static uint64_t dma_chan_reg(unsigned off)
{
    return BAR_BASE + IOAT_DMA_CHAN_BASE(0) + off;
}

/* Channel 0 as Linux sets it up, with a ring of @n descriptors at RING. */
static void dma_start(QTestState *qts, unsigned n)
{
    qtest_writew(qts, dma_chan_reg(A_CHANCTRL), 0x1d);
    qtest_writel(qts, dma_chan_reg(A_CHANCMP_LO), RECORD);
    qtest_writel(qts, dma_chan_reg(A_CHANCMP_HI), 0);
    qtest_writel(qts, dma_chan_reg(A_CHAINADDR_LO), RING);
    qtest_writel(qts, dma_chan_reg(A_CHAINADDR_HI), 0);
    qtest_writew(qts, dma_chan_reg(A_DMACOUNT), n);
}

#define NUL_CTL     R_DESC_CTL_NUL_MASK
#define SLOTS       300

/*
 * 255 null descriptors, then a 2-byte copy of SLOT_POWER_OFF into Slot
 * Control, then more: the copy runs last in the engine's first run of 256
 * descriptors, whose budget path would schedule the next run.
 */
static void test_dma_write_unplugs_device(const void *data)
{
    const DmaEngine *engine = data;
    QTestState *qts = start_with(engine->device, engine->extra);
    uint64_t sltctl = slot_control(qts);
    uint16_t off = cpu_to_le16(SLOT_POWER_OFF);

    qtest_memwrite(qts, SOURCE, &off, sizeof(off));
    for (unsigned i = 0; i < SLOTS; i++) {
        uint64_t desc = RING + i * 64, next = RING + (i + 1) % SLOTS * 64;

        if (i == 255) {
            dma_desc(qts, desc, 2, R_DESC_CTL_COMPL_WRITE_MASK, SOURCE,
                     sltctl, next);
        } else {
            dma_desc(qts, desc, 1, NUL_CTL, 0, 0, next);
        }
    }
    dma_start(qts, SLOTS);
    qtest_clock_step(qts, 1000);
    assert_unplugged(qts, "dma0");
    qtest_quit(qts);
}

/* MSI-X vector 0 (channel 0) writes SLOT_POWER_OFF into Slot Control. */
static void test_dma_msix_unplugs_device(const void *data)
{
    const DmaEngine *engine = data;
    QTestState *qts = start_with(engine->device, engine->extra);

    msix_vector(qts, BAR_BASE + IOAT_DMA_MSIX_TABLE_OFFSET, 0,
                slot_control(qts), SLOT_POWER_OFF);
    qtest_writeb(qts, BAR_BASE + A_INTRCTRL, R_INTRCTRL_MASTER_INT_EN_MASK |
                 R_INTRCTRL_MSIX_VECTOR_CONTROL_MASK);
    for (unsigned i = 0; i < SLOTS; i++) {
        dma_desc(qts, RING + i * 64, 1, NUL_CTL | R_DESC_CTL_INT_EN_MASK,
                 0, 0, RING + (i + 1) % SLOTS * 64);
    }
    dma_start(qts, SLOTS);
    qtest_clock_step(qts, 1000);
    assert_unplugged(qts, "dma0");
    qtest_quit(qts);
}

/*
 * ioat-nic: EICS raises vectors 0 and 1 in one write; vector 0's message
 * powers the slot off, and vector 0 has an EITR interval, whose timer
 * would be armed after the message.
 */
static void test_nic_msix_unplugs_device(void)
{
    QTestState *qts = start("ioat-nic,id=nic0");

    msix_vector(qts, BAR4_BASE, 0, slot_control(qts), SLOT_POWER_OFF);
    msix_vector(qts, BAR4_BASE, 1, RECORD, 0);
    qtest_writel(qts, BAR_BASE + A_GPIE, R_GPIE_MSIX_MODE_MASK);
    qtest_writel(qts, BAR_BASE + IOAT_NIC_EITR(0), 8);
    qtest_writel(qts, BAR_BASE + A_EIMS, 3);
    qtest_writel(qts, BAR_BASE + A_EICS, 3);
    qtest_clock_step(qts, 1000 * 1000);
    assert_unplugged(qts, "nic0");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_data_func("/ioat-unplug/dma/dma-write-unplugs-device",
                        &main_loop_engine, test_dma_write_unplugs_device);
    qtest_add_data_func("/ioat-unplug/dma/msix-message-unplugs-device",
                        &main_loop_engine, test_dma_msix_unplugs_device);
    qtest_add_data_func("/ioat-unplug/dma-iothread/dma-write-unplugs-device",
                        &iothread_engine, test_dma_write_unplugs_device);
    qtest_add_data_func("/ioat-unplug/dma-iothread/"
                        "msix-message-unplugs-device",
                        &iothread_engine, test_dma_msix_unplugs_device);
    qtest_add_func("/ioat-unplug/nic/msix-message-unplugs-device",
                   test_nic_msix_unplugs_device);
    return g_test_run();
}
