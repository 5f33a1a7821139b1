/*
 * q35 with one device behind a pcie-root-port, for the ioat qtest programs
 * that run outside qos-test's graph (ioat-unplug-test, ioat-sriov-test).
 *
 * No firmware runs under qtest: ioat_q35_start() enables MMCONFIG (the
 * MCH's PCIEXBAR), gives the root port at 00:04.0 bus 1 behind it and
 * opens its memory and prefetchable windows.  Configuration space is then
 * reached through MMCONFIG, extended space included.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOAT_Q35_H
#define IOAT_Q35_H

#include "libqtest.h"
#include "hw/pci/pci_regs.h"

#define IOAT_Q35_MMCFG_BASE     0xb0000000ULL
#define IOAT_Q35_PCIEXBAR       0x60        /* MCH: MMCONFIG base, enable */
#define IOAT_Q35_RP_DEVFN       (4 << 3)    /* the root port, 00:04.0 */
#define IOAT_Q35_DEV_BUS        1           /* the device, 01:00.0 */
#define IOAT_Q35_MEM_BASE       0xfe000000ULL   /* 1 MiB memory window */
#define IOAT_Q35_PREF_BASE      0x800000000ULL  /* 64-bit prefetchable window */
#define IOAT_Q35_PREF_SIZE      0x10000000ULL   /* 256 MiB */

static inline uint64_t ioat_q35_mmcfg(unsigned bus, unsigned devfn,
                                      unsigned off)
{
    return IOAT_Q35_MMCFG_BASE | bus << 20 | devfn << 12 | off;
}

/* The root port's configuration space */
static inline uint64_t ioat_q35_rp_cfg(unsigned off)
{
    return ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN, off);
}

/* The device's own configuration space, at 01:00.0 */
static inline uint64_t ioat_q35_cfg(unsigned off)
{
    return ioat_q35_mmcfg(IOAT_Q35_DEV_BUS, 0, off);
}

/*
 * q35 with "-device pcie-root-port,id=rp0" and @device (its options; the
 * bus is added) plus @extra on the command line, set up as above.
 */
static inline QTestState *ioat_q35_start(const char *device,
                                         const char *extra)
{
    /* Native PCIe hotplug: the root port, not ACPI, owns the slot. */
    QTestState *qts = qtest_initf("-M q35 -nodefaults -global ICH9-LPC."
                                  "acpi-pci-hotplug-with-bridge-support=off "
                                  "-device pcie-root-port,id=rp0,addr=4.0,"
                                  "chassis=1,slot=1 "
                                  "-device %s,bus=rp0 %s", device, extra);
    uint64_t pref_end = IOAT_Q35_PREF_BASE + IOAT_Q35_PREF_SIZE - 1;

    qtest_outl(qts, 0xcf8, 0x80000000 | (IOAT_Q35_PCIEXBAR + 4));
    qtest_outl(qts, 0xcfc, 0);
    qtest_outl(qts, 0xcf8, 0x80000000 | IOAT_Q35_PCIEXBAR);
    qtest_outl(qts, 0xcfc, IOAT_Q35_MMCFG_BASE | 1);

    qtest_writeb(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN, PCI_SECONDARY_BUS),
                 IOAT_Q35_DEV_BUS);
    qtest_writeb(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN,
                                     PCI_SUBORDINATE_BUS), IOAT_Q35_DEV_BUS);
    qtest_writew(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN, PCI_MEMORY_BASE),
                 IOAT_Q35_MEM_BASE >> 16);
    qtest_writew(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN, PCI_MEMORY_LIMIT),
                 IOAT_Q35_MEM_BASE >> 16);
    qtest_writew(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN,
                                     PCI_PREF_MEMORY_BASE),
                 (IOAT_Q35_PREF_BASE >> 16 & 0xfff0) | PCI_PREF_RANGE_TYPE_64);
    qtest_writew(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN,
                                     PCI_PREF_MEMORY_LIMIT),
                 (pref_end >> 16 & 0xfff0) | PCI_PREF_RANGE_TYPE_64);
    qtest_writel(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN,
                                     PCI_PREF_BASE_UPPER32),
                 IOAT_Q35_PREF_BASE >> 32);
    qtest_writel(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN,
                                     PCI_PREF_LIMIT_UPPER32), pref_end >> 32);
    qtest_writew(qts, ioat_q35_mmcfg(0, IOAT_Q35_RP_DEVFN, PCI_COMMAND),
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    return qts;
}

/* The offset of extended capability @id of function @devfn on bus 1, or 0 */
static inline unsigned ioat_q35_find_ext_cap(QTestState *qts, unsigned devfn,
                                             unsigned id)
{
    unsigned off = PCI_CFG_SPACE_SIZE;

    for (unsigned i = 0; off && i < 64; i++) {
        uint32_t hdr = qtest_readl(qts, ioat_q35_mmcfg(IOAT_Q35_DEV_BUS,
                                                       devfn, off));

        if (PCI_EXT_CAP_ID(hdr) == id) {
            return off;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return 0;
}

#endif
