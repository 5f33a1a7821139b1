/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: device state
 *
 * ioat_dma.c is the PCI/QOM glue; ioat_dma_engine.c holds everything the
 * guest sees through BAR0: the register file, the channels and their
 * descriptor engine; ioat_dma_raid.c runs the XOR and P+Q operations.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_DMA_IOAT_DMA_H
#define HW_DMA_IOAT_DMA_H

#include "hw/pci/pci_device.h"
#include "system/runstate.h"
#include "ioat_dma_regs.h"

#define TYPE_IOAT_DMA "ioat-dma"
OBJECT_DECLARE_SIMPLE_TYPE(IoatDmaState, IOAT_DMA)

typedef struct IoatDmaState IoatDmaState;

typedef struct IoatDmaChannel {
    IoatDmaState *dev;
    unsigned index;
    QEMUBH *bh;                 /* runs the descriptors */

    uint16_t chanctrl;
    uint8_t state;              /* CHANSTS.STATUS */
    uint16_t dmacount;          /* last DMACOUNT written by the guest */
    uint16_t hw_count;          /* ring slots consumed since CHAINADDR */
    uint64_t next;              /* address of the next descriptor */
    bool first;                 /* next descriptor is the one at CHAINADDR */
    bool suspend_req;           /* SUSPEND once the current descriptor ends */
    bool armed;                 /* interrupt re-arm latch (CHANCTRL bit 0) */
    bool irq_pending;           /* an interrupt waits for the re-arm */
    uint64_t last_done;         /* CHANSTS address field */

    /* The descriptor being executed, loaded once and kept across BH runs. */
    bool cur_valid;
    uint64_t cur_addr;
    uint32_t cur_done;          /* bytes of it already done */
    uint32_t cur_mismatch;      /* validate: XOR_P/XOR_Q bits found so far */
    IoatDmaDesc cur;
    IoatDmaDescExt cur_ext;     /* XOR/PQ extension, if it has one */
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
    bool raid;

    /* global registers */
    uint8_t genctrl;
    uint8_t intrctrl;
    uint32_t attnstatus;
    uint16_t intrdelay;
    uint8_t chwpreflmt;

    IoatDmaChannel chan[IOAT_DMA_MAX_CHANNELS];
    VMChangeStateEntry *vmstate_change;
};

extern const MemoryRegionOps ioat_dma_regs_ops;

void ioat_dma_engine_realize(IoatDmaState *s);
void ioat_dma_engine_unrealize(IoatDmaState *s);
void ioat_dma_engine_reset(IoatDmaState *s);
int ioat_dma_engine_post_load(IoatDmaState *s);

/* ioat_dma_raid.c */
bool ioat_dma_raid_op_known(uint8_t op);
unsigned ioat_dma_raid_sources(const IoatDmaDesc *d);
bool ioat_dma_raid_has_ext(const IoatDmaDesc *d);
uint32_t ioat_dma_raid_run(PCIDevice *pdev, const IoatDmaDesc *d,
                           const IoatDmaDescExt *ext, uint32_t off,
                           uint32_t len, uint32_t *mismatch);

#endif
