/*
 * ioat: a PCI function's DMA window
 *
 * Every descriptor and every byte of data the ioat devices move is a DMA
 * access; through pci_dma_*() each one walks the function's address
 * space.  A window keeps the section of that space its last access fell
 * in, mapped once (a MemoryRegionCache): accesses inside it are a memcpy,
 * dirty-marked for migration and TCG.  It is made again when an access
 * falls outside it, comes from another function, or the memory map
 * changed (bus mastering off, RAM unplugged, an IOMMU switched on or
 * off).  What is not RAM, RAM behind an IOMMU included, goes through
 * pci_dma_*(): every translation, fault and MMIO side effect stays there.
 *
 * Unlike pci_dma_*(), an access through a window has no barrier of its
 * own: a full one after every copy drains the store buffer, which costs
 * more than a 4 KiB copy.  The user orders its pass instead: smp_mb()
 * before the first access, as dma_barrier() does (the guest's stores that
 * published the work come first), and smp_mb_release() before each store
 * the guest polls (a descriptor's done bit, a completion record), so that
 * everything read and written before it is done when the guest sees it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_IOAT_IOAT_WINDOW_H
#define HW_IOAT_IOAT_WINDOW_H

#include "exec/memory.h"
#include "hw/pci/pci_device.h"
#include "system/dma.h"

typedef struct IoatWindow {
    MemoryRegionCache mrc;
    PCIDevice *dev;             /* NULL: no window */
    AddressSpace *as;           /* dev's */
    dma_addr_t base;
    dma_addr_t len;
    bool direct;                /* RAM, read and written through mrc */
    /* written through the window, not yet marked dirty (batched) */
    dma_addr_t dirty;
    dma_addr_t dirty_len;
} IoatWindow;

/* The most a window spans (the cache is asked for this much) */
#define IOAT_WINDOW_MAX     (1ULL << 40)

static inline void ioat_window_flush(IoatWindow *w);

static inline void ioat_window_forget(IoatWindow *w)
{
    ioat_window_flush(w);
    if (w->dev) {
        address_space_cache_destroy(&w->mrc);
        w->dev = NULL;
        w->direct = false;
    }
}

/*
 * The window as it is answers for [@addr, @addr + @size) of @dev.  An
 * @addr below the base wraps to an offset past any window (at most
 * IOAT_WINDOW_MAX).
 */
static inline bool ioat_window_covers(IoatWindow *w, PCIDevice *dev,
                                      dma_addr_t addr, dma_addr_t size)
{
    dma_addr_t off = addr - w->base;

    return w->dev == dev && off < w->len && size <= w->len - off &&
           w->mrc.fv == address_space_to_flatview(w->as);
}

/* What to ask a cache from @addr for: up to the window's most. */
static inline dma_addr_t ioat_window_span(dma_addr_t addr)
{
    return addr ? MIN(IOAT_WINDOW_MAX, -addr) : IOAT_WINDOW_MAX;
}

/* A window on the section @addr lies in, from the section's start. */
static inline void ioat_window_open(IoatWindow *w, PCIDevice *dev,
                                    dma_addr_t addr)
{
    AddressSpace *as = pci_get_address_space(dev);
    dma_addr_t start;
    int64_t len;

    ioat_window_forget(w);
    len = address_space_cache_init(&w->mrc, as, addr, ioat_window_span(addr),
                                   true);
    start = w->mrc.mrs.offset_within_address_space;
    if (w->mrc.ptr && start < addr) {
        address_space_cache_destroy(&w->mrc);
        len = address_space_cache_init(&w->mrc, as, start,
                                       ioat_window_span(start), true);
        addr = start;
    }
    w->dev = dev;
    w->as = as;
    w->base = addr;
    w->len = MAX(len, 0);
    w->direct = w->mrc.ptr != NULL;
}

/*
 * ioat_window_map() when the window does not answer as it is; out of line,
 * so that the common case stays a few instructions in its caller.
 */
static inline __attribute__((noinline))
uint8_t *ioat_window_map_slow(IoatWindow *w, PCIDevice *dev, dma_addr_t addr,
                              dma_addr_t size, bool read)
{
    if (!ioat_window_covers(w, dev, addr, size)) {
        if (!size) {
            return NULL;
        }
        ioat_window_open(w, dev, addr);
        if (!ioat_window_covers(w, dev, addr, size)) {
            return NULL;
        }
    }
    if (!w->direct) {
        return NULL;
    }
    if (read) {
        fuzz_dma_read_cb(w->mrc.xlat + (addr - w->base), size,
                         w->mrc.mrs.mr);
    }
    return w->mrc.ptr + (addr - w->base);
}

/*
 * The host address of [@addr, @addr + @size) in @dev's DMA address space
 * if it is RAM, through @w (opened there if needed); NULL otherwise, and
 * the access goes through pci_dma_*().  @read: the device reads it (the
 * fuzzer hears of it).  After writing through it, ioat_window_written().
 */
static inline uint8_t *ioat_window_map(IoatWindow *w, PCIDevice *dev,
                                       dma_addr_t addr, dma_addr_t size,
                                       bool read)
{
    if (likely(w->direct && ioat_window_covers(w, dev, addr, size))) {
        if (read) {
            fuzz_dma_read_cb(w->mrc.xlat + (addr - w->base), size,
                             w->mrc.mrs.mr);
        }
        return w->mrc.ptr + (addr - w->base);
    }
    return ioat_window_map_slow(w, dev, addr, size, read);
}

/* Bytes written through ioat_window_map(): dirty for migration and TCG. */
static inline void ioat_window_written(IoatWindow *w, dma_addr_t addr,
                                       dma_addr_t size)
{
    address_space_cache_invalidate(&w->mrc, addr - w->base, size);
}

/* Mark what ioat_window_written_batched() held back. */
static inline void ioat_window_flush(IoatWindow *w)
{
    if (w->dirty_len) {
        address_space_cache_invalidate(&w->mrc, w->dirty - w->base,
                                       w->dirty_len);
        w->dirty_len = 0;
    }
}

/*
 * ioat_window_written() for writes that often follow each other: a range
 * that continues the one held back joins it, and both are marked at once
 * by ioat_window_flush().  The user flushes before the guest can learn of
 * the writes (a completion record, an interrupt) and before its pass ends;
 * the window flushes before it is made again or dropped.
 */
static inline void ioat_window_written_batched(IoatWindow *w, dma_addr_t addr,
                                               dma_addr_t size)
{
    if (w->dirty_len && addr == w->dirty + w->dirty_len) {
        w->dirty_len += size;
        return;
    }
    ioat_window_flush(w);
    w->dirty = addr;
    w->dirty_len = size;
}

/* pci_dma_read() by @dev, through @w where it can */
static inline MemTxResult ioat_window_read(IoatWindow *w, PCIDevice *dev,
                                           dma_addr_t addr, void *buf,
                                           dma_addr_t size)
{
    uint8_t *p = ioat_window_map(w, dev, addr, size, true);

    if (!p) {
        return pci_dma_read(dev, addr, buf, size);
    }
    memcpy(buf, p, size);
    return MEMTX_OK;
}

/* pci_dma_write() by @dev, through @w where it can */
static inline MemTxResult ioat_window_write(IoatWindow *w, PCIDevice *dev,
                                            dma_addr_t addr, const void *buf,
                                            dma_addr_t size)
{
    uint8_t *p = ioat_window_map(w, dev, addr, size, false);

    if (!p) {
        return pci_dma_write(dev, addr, buf, size);
    }
    memcpy(p, buf, size);
    ioat_window_written(w, addr, size);
    return MEMTX_OK;
}

#endif
