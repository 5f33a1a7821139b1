/*
 * Intel 82599 10 GbE controller (ioat-nic): a queue's DMA
 *
 * Every frame reads and writes back descriptors and moves its data;
 * through pci_dma_*() each access walks the function's DMA address
 * space.  A queue keeps a window instead: the RAM section its last access
 * fell in, mapped once (a MemoryRegionCache), so that accesses inside it
 * are a memcpy, dirty-marked for migration and TCG.  The window is made
 * again when an access falls outside it, comes from another function, or
 * the address space's memory map changed (bus mastering off, RAM
 * unplugged, an IOMMU switched on or off).  What is not RAM there, a ring
 * or buffer behind an IOMMU included, goes through pci_dma_*() as before:
 * every translation, fault and MMIO side effect stays where it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "hw/pci/pci_device.h"
#include "system/dma.h"
#include "ioat_nic_int.h"
#include "ioat_nic_vf.h"

/* The most a window spans (the cache is asked for this much) */
#define IOAT_NIC_DMA_WINDOW_MAX     (1ULL << 40)

static void ioat_nic_dma_forget(IoatNicDmaWindow *w)
{
    if (w->dev) {
        address_space_cache_destroy(&w->mrc);
        w->dev = NULL;
        w->direct = false;
    }
}

/* The window as it is answers for [@addr, @addr + @size) of @dev. */
static inline bool ioat_nic_dma_covers(IoatNicDmaWindow *w, PCIDevice *dev,
                                       dma_addr_t addr, dma_addr_t size)
{
    return w->dev == dev && addr >= w->base && addr - w->base < w->len &&
           size <= w->len - (addr - w->base) &&
           w->mrc.fv == address_space_to_flatview(w->as);
}

/* What to ask a cache from @addr for: up to the window's most. */
static dma_addr_t ioat_nic_dma_span(dma_addr_t addr)
{
    return addr ? MIN(IOAT_NIC_DMA_WINDOW_MAX, -addr)
                : IOAT_NIC_DMA_WINDOW_MAX;
}

static void ioat_nic_dma_open(IoatNicDmaWindow *w, PCIDevice *dev,
                              dma_addr_t addr)
{
    AddressSpace *as = pci_get_address_space(dev);
    dma_addr_t start;
    int64_t len;

    ioat_nic_dma_forget(w);
    len = address_space_cache_init(&w->mrc, as, addr,
                                   ioat_nic_dma_span(addr), true);
    /* Start at the section's start, so one window serves all of it. */
    start = w->mrc.mrs.offset_within_address_space;
    if (w->mrc.ptr && start < addr) {
        address_space_cache_destroy(&w->mrc);
        len = address_space_cache_init(&w->mrc, as, start,
                                       ioat_nic_dma_span(start), true);
        addr = start;
    }
    w->dev = dev;
    w->as = as;
    w->base = addr;
    w->len = MAX(len, 0);
    w->direct = w->mrc.ptr != NULL;
}

/* Through the window if it maps the range, else NULL (use pci_dma_*()) */
static inline IoatNicDmaWindow *ioat_nic_dma_window(IoatNicDmaWindow *w,
                                                    PCIDevice *dev,
                                                    dma_addr_t addr,
                                                    dma_addr_t size)
{
    if (likely(ioat_nic_dma_covers(w, dev, addr, size))) {
        return w->direct ? w : NULL;
    }
    if (!size) {
        return NULL;
    }
    ioat_nic_dma_open(w, dev, addr);
    return ioat_nic_dma_covers(w, dev, addr, size) && w->direct ? w : NULL;
}

/* pci_dma_read() by @dev, through @w where it can */
MemTxResult ioat_nic_dma_read(IoatNicDmaWindow *w, PCIDevice *dev,
                              dma_addr_t addr, void *buf, dma_addr_t size)
{
    if (!ioat_nic_dma_window(w, dev, addr, size)) {
        return pci_dma_read(dev, addr, buf, size);
    }
    smp_mb();       /* as dma_barrier(): the guest's stores come first */
    return address_space_read_cached(&w->mrc, addr - w->base, buf, size);
}

/* pci_dma_write() by @dev, through @w where it can */
MemTxResult ioat_nic_dma_write(IoatNicDmaWindow *w, PCIDevice *dev,
                               dma_addr_t addr, const void *buf,
                               dma_addr_t size)
{
    MemTxResult res;

    if (!ioat_nic_dma_window(w, dev, addr, size)) {
        return pci_dma_write(dev, addr, buf, size);
    }
    smp_mb();       /* as dma_barrier() */
    res = address_space_write_cached(&w->mrc, addr - w->base, buf, size);
    address_space_cache_invalidate(&w->mrc, addr - w->base, size);
    return res;
}

/*
 * A 16-byte descriptor write-back by @dev: @lo reaches memory before @hi,
 * which holds the completion mark the driver polls (7.1.6.2).
 */
void ioat_nic_dma_write_desc(IoatNicDmaWindow *w, PCIDevice *dev,
                             dma_addr_t addr, uint64_t lo, uint64_t hi)
{
    uint8_t *p;

    if (!ioat_nic_dma_window(w, dev, addr, 16)) {
        stq_le_pci_dma(dev, addr, lo, MEMTXATTRS_UNSPECIFIED);
        smp_wmb();      /* the low quadword first */
        stq_le_pci_dma(dev, addr + 8, hi, MEMTXATTRS_UNSPECIFIED);
        return;
    }
    p = w->mrc.ptr + (addr - w->base);
    smp_mb();       /* as dma_barrier() */
    stq_le_p(p, lo);
    smp_wmb();      /* the low quadword first */
    stq_le_p(p + 8, hi);
    address_space_cache_invalidate(&w->mrc, addr - w->base, 16);
}

/* Drop the windows of @dev's queues (a VF going away). */
void ioat_nic_dma_forget_dev(IoatNicCore *core, PCIDevice *dev)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        if (core->rx_dma[q].dev == dev) {
            ioat_nic_dma_forget(&core->rx_dma[q]);
        }
        if (core->tx_dma[q].dev == dev) {
            ioat_nic_dma_forget(&core->tx_dma[q]);
        }
    }
}

/* Drop every window (reset, finalize). */
void ioat_nic_dma_forget_all(IoatNicCore *core)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        ioat_nic_dma_forget(&core->rx_dma[q]);
        ioat_nic_dma_forget(&core->tx_dma[q]);
    }
}
