/*
 * Intel 82599 10 GbE controller (ioat-nic): a queue's DMA
 *
 * Each queue, RX and TX, has its own DMA window (hw/ioat/ioat_window.h)
 * for its descriptors and frame data: usually one RAM section, the guest's
 * memory, mapped once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "ioat_nic_int.h"
#include "ioat_nic_vf.h"

/*
 * A 16-byte descriptor write-back by @dev: @lo reaches memory before @hi,
 * which holds the completion mark the driver polls (7.1.6.2), and both
 * after the frame's data.
 */
void ioat_nic_dma_write_desc(IoatWindow *w, PCIDevice *dev, dma_addr_t addr,
                             uint64_t lo, uint64_t hi)
{
    uint8_t *p = ioat_window_map(w, dev, addr, 16, false);

    smp_mb_release();   /* the frame's data is in memory first */
    if (!p) {
        stq_le_pci_dma(dev, addr, lo, MEMTXATTRS_UNSPECIFIED);
        smp_wmb();      /* the low quadword first */
        stq_le_pci_dma(dev, addr + 8, hi, MEMTXATTRS_UNSPECIFIED);
        return;
    }
    stq_le_p(p, lo);
    smp_wmb();          /* the low quadword first */
    stq_le_p(p + 8, hi);
    ioat_window_written(w, addr, 16);
}

/* Drop the windows of @dev's queues (a VF going away). */
void ioat_nic_dma_forget_dev(IoatNicCore *core, PCIDevice *dev)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        if (core->rx_dma[q].dev == dev) {
            ioat_window_forget(&core->rx_dma[q]);
        }
        if (core->tx_dma[q].dev == dev) {
            ioat_window_forget(&core->tx_dma[q]);
        }
    }
}

/* Drop every window (reset, finalize). */
void ioat_nic_dma_forget_all(IoatNicCore *core)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        ioat_window_forget(&core->rx_dma[q]);
        ioat_window_forget(&core->tx_dma[q]);
    }
}
