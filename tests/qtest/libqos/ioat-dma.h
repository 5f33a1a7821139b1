/*
 * libqos driver for the ioat-dma (Intel I/OAT CB3.4) device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_DMA_H
#define QOS_IOAT_DMA_H

#include "qgraph.h"
#include "pci.h"

#define IOAT_DMA_VENDOR_ID  0x8086
#define IOAT_DMA_DEVICE_ID  0x0b00

typedef struct QIoatDma {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
} QIoatDma;

static inline uint8_t ioat_dma_readb(QIoatDma *d, uint32_t reg)
{
    return qpci_io_readb(&d->pci_dev, d->mmio, reg);
}

static inline void ioat_dma_writeb(QIoatDma *d, uint32_t reg, uint8_t val)
{
    qpci_io_writeb(&d->pci_dev, d->mmio, reg, val);
}

static inline uint64_t ioat_dma_readq(QIoatDma *d, uint32_t reg)
{
    return qpci_io_readq(&d->pci_dev, d->mmio, reg);
}

static inline uint32_t ioat_dma_readl(QIoatDma *d, uint32_t reg)
{
    return qpci_io_readl(&d->pci_dev, d->mmio, reg);
}

static inline void ioat_dma_writel(QIoatDma *d, uint32_t reg, uint32_t val)
{
    qpci_io_writel(&d->pci_dev, d->mmio, reg, val);
}

#endif
