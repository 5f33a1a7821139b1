/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_NIC_H
#define QOS_IOAT_NIC_H

#include "qgraph.h"
#include "pci.h"

#define IOAT_NIC_VENDOR_ID  0x8086
#define IOAT_NIC_DEVICE_ID  0x10f9

typedef struct QIoatNic {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
} QIoatNic;

static inline uint32_t ioat_nic_readl(QIoatNic *d, uint32_t reg)
{
    return qpci_io_readl(&d->pci_dev, d->mmio, reg);
}

static inline void ioat_nic_writel(QIoatNic *d, uint32_t reg, uint32_t val)
{
    qpci_io_writel(&d->pci_dev, d->mmio, reg, val);
}

#endif
