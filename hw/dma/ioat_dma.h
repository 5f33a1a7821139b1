/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: device state and core API
 *
 * ioat_dma.c is the PCI/QOM glue and owns BAR0's MemoryRegionOps; it calls
 * the core only through the functions below.  Behind them:
 *   ioat_dma_regs.c    the register map (a table) and the access decode
 *   ioat_dma_core.c    interrupts, channel commands and state, reset and
 *                      migration
 *   ioat_dma_engine.c  the descriptor engine
 *   ioat_dma_raid.c    the XOR and P+Q operations
 * with the helpers they share in ioat_dma_internal.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_DMA_IOAT_DMA_H
#define HW_DMA_IOAT_DMA_H

#include "qemu/bitmap.h"
#include "qemu/timer.h"
#include "hw/pci/pci_device.h"
#include "hw/ioat/ioat_window.h"
#include "system/iothread.h"
#include "system/runstate.h"
#include "ioat_dma_regs.h"

#define TYPE_IOAT_DMA "ioat-dma"
OBJECT_DECLARE_SIMPLE_TYPE(IoatDmaState, IOAT_DMA)

typedef struct IoatDmaState IoatDmaState;

typedef struct IoatDmaChannel {
    IoatDmaState *dev;
    unsigned index;
    QEMUBH *bh;                 /* runs the descriptors (main loop) */
    bool kicked;                /* a run is scheduled in the iothread */
    /* DMA windows: what the engine reads (descriptors, sources), writes */
    IoatWindow rd_win;
    IoatWindow wr_win;

    uint16_t chanctrl;
    uint8_t state;              /* CHANSTS.STATUS */
    uint16_t dmacount;          /* last DMACOUNT written by the guest */
    uint16_t hw_count;          /* ring slots consumed since CHAINADDR */
    uint64_t next;              /* address of the next descriptor */
    bool first;                 /* next descriptor is the one at CHAINADDR */
    bool suspend_req;           /* SUSPEND once the current descriptor ends */
    bool armed;                 /* interrupt re-arm latch (CHANCTRL bit 0) */
    bool irq_pending;           /* an interrupt waits for the re-arm */
    QEMUTimer *coalesce_timer;  /* INTRDELAY: the window being coalesced */
    uint64_t last_done;         /* CHANSTS address field */

    /* The descriptor being executed, loaded once and kept across BH runs. */
    bool cur_valid;
    uint64_t cur_addr;
    uint32_t cur_done;          /* bytes of it already done */
    uint32_t cur_mismatch;      /* validate: XOR_P/XOR_Q bits found so far */
    IoatDmaDesc cur;
    IoatDmaDescExt cur_ext;     /* XOR/PQ extension, if it has one */
    uint64_t cur_sed[IOAT_DMA_SED_SIZE / 8];  /* 16-source PQ: its SED */
    uint64_t chainaddr;
    uint64_t chancmp;
    uint32_t chanerr;
    uint32_t chanerr_mask;
    uint32_t dcactrl;
    uint16_t drsctl;
    uint8_t ltr_swsel;
    uint32_t ltr_active;
    uint32_t ltr_idle;

    /* fault-chanerr: the next fault_count descriptors fail with it */
    uint32_t fault_chanerr;
    uint32_t fault_count;
    /* fault-stall: stalls still to come, and whether stalled now */
    uint32_t fault_stalls;
    bool stalled;
} IoatDmaChannel;

/*
 * Faults armed at run time through the device's fault-* properties
 * (docs/fault-injection.md), not migrated: each count is the next N
 * events it hits.
 */
typedef struct IoatDmaFaults {
    uint32_t completion_lost;   /* completion writes that never arrive */
    uint32_t interrupt_lost;    /* interrupts lost on the way */
} IoatDmaFaults;

struct IoatDmaState {
    PCIDevice parent_obj;

    MemoryRegion bar0;          /* container: registers + MSI-X */
    MemoryRegion regs;

    /* properties */
    uint8_t num_channels;
    uint8_t xfercap_log2;
    bool raid;
    bool raid16ss;
    bool dwbes;
    bool fill;
    IOThread *iothread;         /* the engine runs there, if set */

    /* global registers */
    uint8_t genctrl;
    uint8_t intrctrl;
    uint32_t attnstatus;
    uint16_t intrdelay;
    uint8_t chwpreflmt;

    IoatDmaChannel chan[IOAT_DMA_MAX_CHANNELS];
    VMChangeStateEntry *vmstate_change;
    IoatDmaFaults fault;

    /* register offsets already reported under -d unimp (not migrated) */
    DECLARE_BITMAP(unimp_logged, IOAT_DMA_REGS_SIZE);
};

/*
 * ioat_dma_regs.c: a naturally aligned access of 1 to
 * IOAT_DMA_REG_ACCESS_MAX bytes at a BAR0 register offset
 */
#define IOAT_DMA_REG_ACCESS_MAX     4
uint64_t ioat_dma_reg_read(IoatDmaState *s, hwaddr addr, unsigned size);
void ioat_dma_reg_write(IoatDmaState *s, hwaddr addr, uint64_t val,
                        unsigned size);

/* ioat_dma_core.c */
void ioat_dma_core_realize(IoatDmaState *s);
void ioat_dma_core_unrealize(IoatDmaState *s);
void ioat_dma_core_finalize(IoatDmaState *s);
void ioat_dma_core_reset(IoatDmaState *s);
int ioat_dma_core_post_load(IoatDmaState *s);

#endif
