/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: device state
 *
 * ioat_dma.c is the PCI/QOM glue; ioat_dma_engine.c holds everything the
 * guest sees through BAR0: the register file and the channels.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_DMA_IOAT_DMA_H
#define HW_DMA_IOAT_DMA_H

#include "hw/pci/pci_device.h"
#include "ioat_dma_regs.h"

#define TYPE_IOAT_DMA "ioat-dma"
OBJECT_DECLARE_SIMPLE_TYPE(IoatDmaState, IOAT_DMA)

typedef struct IoatDmaState IoatDmaState;

typedef struct IoatDmaChannel {
    IoatDmaState *dev;
    unsigned index;

    uint16_t chanctrl;
    uint8_t state;              /* CHANSTS.STATUS */
    uint16_t dmacount;          /* last DMACOUNT written by the guest */
    uint64_t last_done;         /* CHANSTS address field */
    uint64_t chainaddr;
    uint64_t chancmp;
    uint32_t chanerr;
    uint32_t chanerr_mask;
    uint32_t dcactrl;
    uint16_t drsctl;
    uint8_t ltr_swsel;
    uint32_t ltr_active;
    uint32_t ltr_idle;
} IoatDmaChannel;

struct IoatDmaState {
    PCIDevice parent_obj;

    MemoryRegion bar0;          /* container: registers + MSI-X */
    MemoryRegion regs;

    /* properties */
    uint8_t num_channels;
    uint8_t xfercap_log2;

    /* global registers */
    uint8_t genctrl;
    uint8_t intrctrl;
    uint16_t intrdelay;
    uint8_t chwpreflmt;

    IoatDmaChannel chan[IOAT_DMA_MAX_CHANNELS];
};

extern const MemoryRegionOps ioat_dma_regs_ops;

void ioat_dma_engine_reset(IoatDmaState *s);
int ioat_dma_engine_post_load(IoatDmaState *s);

#endif
