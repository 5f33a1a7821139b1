/*
 * libqos driver for the ioat-dma (Intel I/OAT CB3.4) device
 *
 * The node consumes a PCI bus and produces one qos interface per area of
 * tests; tests may add device options such as "channels=N" through their
 * edge options.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "../libqtest.h"
#include "qemu/module.h"
#include "qemu/bswap.h"
#include "hw/pci/pci_regs.h"
#include "qgraph.h"
#include "ioat-dma.h"
#include "ioat-qos.h"

/* Write a descriptor (little-endian, 64 bytes) to guest memory. */
void ioat_dma_desc_put(QIoatDma *d, uint64_t addr, uint32_t size,
                       uint32_t ctl, uint64_t src, uint64_t dst,
                       uint64_t next)
{
    IoatDmaDesc desc = {
        .size = cpu_to_le32(size),
        .ctl = cpu_to_le32(ctl),
        .src = cpu_to_le64(src),
        .dst = cpu_to_le64(dst),
        .next = cpu_to_le64(next),
    };

    qtest_memwrite(ioat_dma_qts(d), addr, &desc, sizeof(desc));
}

/* Write a descriptor given as eight quadwords (XOR/PQ and extensions). */
void ioat_dma_desc_put_raw(QIoatDma *d, uint64_t addr, const uint64_t q[8])
{
    uint64_t le[8];

    for (int i = 0; i < 8; i++) {
        le[i] = cpu_to_le64(q[i]);
    }
    qtest_memwrite(ioat_dma_qts(d), addr, le, sizeof(le));
}

/* As Linux's channel alloc: CHANCTRL, then CHANCMP as two halves. */
void ioat_dma_chan_setup(QIoatDma *d, unsigned ch, uint64_t chancmp)
{
    ioat_dma_writew(d, ioat_dma_chan_reg(ch, A_CHANCTRL),
                    IOAT_DMA_CHANCTRL_RUN);
    ioat_dma_writel(d, ioat_dma_chan_reg(ch, A_CHANCMP_LO), chancmp);
    ioat_dma_writel(d, ioat_dma_chan_reg(ch, A_CHANCMP_HI), chancmp >> 32);
}

void ioat_dma_chan_set_chain(QIoatDma *d, unsigned ch, uint64_t addr)
{
    ioat_dma_writel(d, ioat_dma_chan_reg(ch, A_CHAINADDR_LO), addr);
    ioat_dma_writel(d, ioat_dma_chan_reg(ch, A_CHAINADDR_HI), addr >> 32);
}

void ioat_dma_chan_doorbell(QIoatDma *d, unsigned ch, uint16_t count)
{
    ioat_dma_writew(d, ioat_dma_chan_reg(ch, A_DMACOUNT), count);
}

uint64_t ioat_dma_chansts(QIoatDma *d, unsigned ch)
{
    return ioat_dma_readq(d, ioat_dma_chan_reg(ch, A_CHANSTS_LO));
}

/* Poll CHANSTS until the channel leaves ACTIVE; returns CHANSTS. */
uint64_t ioat_dma_chan_wait(QIoatDma *d, unsigned ch)
{
    IoatPoll p = { .timeout_us = 10 * G_USEC_PER_SEC };

    while (ioat_poll(&p)) {
        uint64_t sts = ioat_dma_chansts(d, ch);

        if ((sts & 7) != IOAT_DMA_CHANSTS_ACTIVE) {
            return sts;
        }
    }
    g_error("ioat-dma: channel %u still active", ch);
}

/* The MSI-X table shares BAR0, which qpci_msix_enable() maps again. */
void ioat_dma_msix_enable(QIoatDma *d)
{
    qpci_msix_enable(&d->pci_dev);
    d->mmio = d->pci_dev.msix_table_bar;
}

const char *const qioat_dma_areas[QIOAT_DMA_NUM_AREAS] = {
    [QIOAT_DMA_REGISTERS] = "ioat-dma-registers",
    [QIOAT_DMA_COPY] = "ioat-dma-copy",
    [QIOAT_DMA_INTERRUPTS] = "ioat-dma-interrupts",
    [QIOAT_DMA_COMMANDS] = "ioat-dma-commands",
    [QIOAT_DMA_ERRORS] = "ioat-dma-errors",
    [QIOAT_DMA_RAID] = "ioat-dma-raid",
    [QIOAT_DMA_MIGRATION] = "ioat-dma-migration",
    [QIOAT_DMA_FILL] = "ioat-dma-fill",
    [QIOAT_DMA_RAID16] = "ioat-dma-raid16",
    [QIOAT_DMA_RECOVERY] = "ioat-dma-recovery",
    [QIOAT_DMA_FAULTS] = "ioat-dma-faults",
    [QIOAT_DMA_IOTHREAD] = "ioat-dma-iothread",
};

QEMU_BUILD_BUG_ON(QIOAT_DMA_NUM_AREAS > IOAT_QOS_MAX_AREAS);

static void ioat_dma_destructor(QOSGraphObject *obj)
{
    QIoatDma *d = (QIoatDma *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
}

static void ioat_dma_start_hw(QOSGraphObject *obj)
{
    QIoatDma *d = (QIoatDma *)obj;

    qpci_device_enable(&d->pci_dev);
}

static void *ioat_dma_get_driver(void *obj, const char *interface)
{
    QIoatDma *d = obj;

    for (int i = 0; i < QIOAT_DMA_NUM_AREAS; i++) {
        if (!g_strcmp0(interface, qioat_dma_areas[i])) {
            return d;
        }
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in ioat-dma\n", interface);
    g_assert_not_reached();
}

static void *ioat_dma_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIoatDma *d = g_new0(QIoatDma, 1);
    QPCIAddress *address = addr;

    qpci_device_init(&d->pci_dev, pci_bus, address);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);

    d->obj.get_driver = ioat_dma_get_driver;
    d->obj.start_hw = ioat_dma_start_hw;
    d->obj.destructor = ioat_dma_destructor;
    return &d->obj;
}

static void ioat_dma_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = IOAT_DMA_VENDOR_ID,
        .device_id = IOAT_DMA_DEVICE_ID,
        .devfn = IOAT_DMA_QOS_DEVFN,
    };
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "addr=" IOAT_DMA_QOS_ADDR,
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ioat-dma", ioat_dma_create);
    qos_node_consumes("ioat-dma", "pci-bus", &opts);
    for (int i = 0; i < QIOAT_DMA_NUM_AREAS; i++) {
        qos_node_produces("ioat-dma", qioat_dma_areas[i]);
    }
}

libqos_init(ioat_dma_register_nodes);
