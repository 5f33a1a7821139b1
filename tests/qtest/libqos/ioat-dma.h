/*
 * libqos driver for the ioat-dma (Intel I/OAT CB3.4) device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_DMA_H
#define QOS_IOAT_DMA_H

#include "qgraph.h"
#include "pci.h"
#include "ioat-pci.h"
#include "hw/dma/ioat_dma_regs.h"

#define IOAT_DMA_VENDOR_ID  0x8086
#define IOAT_DMA_DEVICE_ID  0x0b00

/*
 * Where the qos graph puts the device: a fixed slot (as e1000e's node
 * does) spares every test a scan of the whole bus.
 */
#define IOAT_DMA_QOS_ADDR "04.0"
#define IOAT_DMA_QOS_DEVFN QPCI_DEVFN(4, 0)

/* What Linux writes to CHANCTRL: re-arm, error completion/abort/interrupt. */
#define IOAT_DMA_CHANCTRL_RUN   0x001d

/*
 * The node produces one qos interface per area of tests, so that no node
 * has more tests than qos-test can walk (ioat-qos.h); get_driver() hands
 * the QIoatDma to each.
 */
typedef enum QIoatDmaArea {
    QIOAT_DMA_REGISTERS,    /* PCI, reset values, channel registers */
    QIOAT_DMA_COPY,         /* descriptor chains and completions */
    QIOAT_DMA_INTERRUPTS,
    QIOAT_DMA_COMMANDS,     /* CHANCMD suspend, resume, reset, abort */
    QIOAT_DMA_ERRORS,       /* halts, CHANERR and recovery */
    QIOAT_DMA_RAID,         /* XOR and P+Q */
    QIOAT_DMA_MIGRATION,
    QIOAT_DMA_FILL,         /* block fill */
    QIOAT_DMA_RAID16,       /* 16-source P+Q, DWBES, CHANERR_MASK */
    QIOAT_DMA_RECOVERY,     /* the error record, the state machine */
    QIOAT_DMA_FAULTS,       /* run-time fault injection */
    QIOAT_DMA_IOTHREAD,     /* the engine in an iothread */
    QIOAT_DMA_NUM_AREAS
} QIoatDmaArea;

extern const char *const qioat_dma_areas[QIOAT_DMA_NUM_AREAS];

typedef struct QIoatDma {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
} QIoatDma;

static inline QTestState *ioat_dma_qts(QIoatDma *d)
{
    return d->pci_dev.bus->qts;
}

static inline uint8_t ioat_dma_readb(QIoatDma *d, uint32_t reg)
{
    return qpci_io_readb(&d->pci_dev, d->mmio, reg);
}

static inline void ioat_dma_writeb(QIoatDma *d, uint32_t reg, uint8_t val)
{
    qpci_io_writeb(&d->pci_dev, d->mmio, reg, val);
}

static inline void ioat_dma_writew(QIoatDma *d, uint32_t reg, uint16_t val)
{
    qpci_io_writew(&d->pci_dev, d->mmio, reg, val);
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

/* Channel @ch's register at channel offset @off. */
static inline uint32_t ioat_dma_chan_reg(unsigned ch, uint32_t off)
{
    return IOAT_DMA_CHAN_BASE(ch) + off;
}

void ioat_dma_desc_put(QIoatDma *d, uint64_t addr, uint32_t size,
                       uint32_t ctl, uint64_t src, uint64_t dst,
                       uint64_t next);
void ioat_dma_desc_put_raw(QIoatDma *d, uint64_t addr, const uint64_t q[8]);
void ioat_dma_chan_setup(QIoatDma *d, unsigned ch, uint64_t chancmp);
void ioat_dma_chan_set_chain(QIoatDma *d, unsigned ch, uint64_t addr);
void ioat_dma_chan_doorbell(QIoatDma *d, unsigned ch, uint16_t count);
uint64_t ioat_dma_chansts(QIoatDma *d, unsigned ch);
uint64_t ioat_dma_chan_wait(QIoatDma *d, unsigned ch);

void ioat_dma_msix_enable(QIoatDma *d);

/* Vectors stay masked, so a message shows up as its PBA bit. */
static inline bool ioat_dma_msix_pending(QIoatDma *d, unsigned vector)
{
    return qpci_msix_pending(&d->pci_dev, vector);
}

static inline void ioat_dma_msix_clear(QIoatDma *d, unsigned vector)
{
    ioat_pci_msix_clear(&d->pci_dev, vector);
}

#endif
