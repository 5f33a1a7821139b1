/*
 * Helpers shared by the ioat-nic and ioat-dma qtests: PCI probing and
 * waiting for a migration
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_PCI_H
#define QOS_IOAT_PCI_H

#include "pci.h"
#include "hw/pci/pci_regs.h"
#include "../libqtest.h"
#include "qobject/qdict.h"

typedef struct IoatPciBarInfo {
    bool is_io;
    bool is_64bit;
    bool prefetchable;
    uint64_t size;
} IoatPciBarInfo;

/*
 * Size a memory BAR the way firmware does: write all ones, read the mask
 * back, then restore the original value.
 */
static inline IoatPciBarInfo ioat_pci_probe_bar(QPCIDevice *dev, int bar)
{
    uint8_t off = PCI_BASE_ADDRESS_0 + bar * 4;
    uint32_t lo = qpci_config_readl(dev, off);
    uint32_t hi = 0, mask_hi = 0xffffffff, mask_lo;
    IoatPciBarInfo info = { };

    info.is_io = lo & PCI_BASE_ADDRESS_SPACE_IO;
    info.is_64bit = (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
                    PCI_BASE_ADDRESS_MEM_TYPE_64;
    info.prefetchable = lo & PCI_BASE_ADDRESS_MEM_PREFETCH;

    qpci_config_writel(dev, off, 0xffffffff);
    mask_lo = qpci_config_readl(dev, off) & PCI_BASE_ADDRESS_MEM_MASK;
    qpci_config_writel(dev, off, lo);
    if (info.is_64bit) {
        hi = qpci_config_readl(dev, off + 4);
        qpci_config_writel(dev, off + 4, 0xffffffff);
        mask_hi = qpci_config_readl(dev, off + 4);
        qpci_config_writel(dev, off + 4, hi);
    }
    info.size = ~(((uint64_t)mask_hi << 32) | mask_lo) + 1;
    return info;
}

/* The offsets of the standard capabilities, in list order. */
static inline int ioat_pci_cap_list(QPCIDevice *dev, uint8_t *ids,
                                    uint8_t *offsets, int max)
{
    uint8_t off = qpci_config_readb(dev, PCI_CAPABILITY_LIST) & ~3;
    int n = 0;

    while (off && n < max) {
        ids[n] = qpci_config_readb(dev, off + PCI_CAP_LIST_ID);
        offsets[n] = off;
        n++;
        off = qpci_config_readb(dev, off + PCI_CAP_LIST_NEXT) & ~3;
    }
    return n;
}

/* Poll query-migrate until the migration completed; fail if it failed. */
static inline void ioat_qtest_wait_migration(QTestState *qts)
{
    gint64 end = g_get_monotonic_time() + 30 * G_TIME_SPAN_SECOND;

    do {
        QDict *rsp = qtest_qmp(qts, "{'execute': 'query-migrate'}");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *status = qdict_get_try_str(ret, "status");
        bool done = !g_strcmp0(status, "completed");

        g_assert_cmpstr(status, !=, "failed");
        qobject_unref(rsp);
        if (done) {
            return;
        }
        g_usleep(10 * 1000);
    } while (g_get_monotonic_time() < end);
    g_error("migration did not complete within 30 s");
}

#endif
