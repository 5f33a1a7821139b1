/*
 * Intel I/OAT (Crystal Beach 3.4) DMA engine: helpers shared by the
 * register decode, the core, the descriptor engine and the RAID operations
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_DMA_IOAT_DMA_INTERNAL_H
#define HW_DMA_IOAT_DMA_INTERNAL_H

#include "qemu/log.h"
#include "ioat_dma.h"

/*
 * Report a guest mistake both as a trace event and under -d guest_errors;
 * the log line starts with the trace event's name.
 */
#define IOAT_DMA_GUEST_ERR(trace, fmt, ...)                             \
    do {                                                                \
        (trace_##trace)(__VA_ARGS__);                                   \
        qemu_log_mask(LOG_GUEST_ERROR, #trace ": " fmt "\n",            \
                      ## __VA_ARGS__);                                  \
    } while (0)

/* The same for something the model does not implement, under -d unimp. */
#define IOAT_DMA_UNIMP(trace, fmt, ...)                                 \
    do {                                                                \
        (trace_##trace)(__VA_ARGS__);                                   \
        qemu_log_mask(LOG_UNIMP, #trace ": " fmt "\n", ## __VA_ARGS__); \
    } while (0)

/*
 * The device was unplugged under us: one of its own DMA writes or
 * messages hit the power control of the slot it sits in.  Nothing that
 * touches PCI (config space, MSI-X, DMA) may follow; the caller holds a
 * reference, so the state itself is still there.
 */
static inline bool ioat_dma_gone(IoatDmaState *s)
{
    return !s->parent_obj.qdev.realized;
}

/* An armed fault hits this event: one fewer left. */
static inline bool ioat_dma_fault_hits(uint32_t *count)
{
    if (!*count) {
        return false;
    }
    --*count;
    return true;
}

/* Ring slots made available by DMACOUNT and not yet consumed. */
static inline uint16_t ioat_dma_chan_avail(IoatDmaChannel *ch)
{
    return ch->dmacount - ch->hw_count;
}

/* ioat_dma_core.c: interrupts and channel state */
void ioat_dma_update_intx(IoatDmaState *s);
void ioat_dma_chan_interrupt(IoatDmaChannel *ch);
void ioat_dma_chan_error_interrupt(IoatDmaChannel *ch);
void ioat_dma_chan_set_state(IoatDmaChannel *ch, uint8_t state);

/* ioat_dma_engine.c: data accesses that fail fast on an unmapped range */
bool ioat_dma_data_read(PCIDevice *pdev, dma_addr_t addr, void *buf,
                        dma_addr_t len);
bool ioat_dma_data_write(PCIDevice *pdev, dma_addr_t addr, const void *buf,
                         dma_addr_t len);

/* ioat_dma_core.c: side effects of register accesses */
uint8_t ioat_dma_intrctrl(IoatDmaState *s);
void ioat_dma_intrctrl_written(IoatDmaState *s);
uint64_t ioat_dma_chan_status(IoatDmaChannel *ch);
uint64_t ioat_dma_cdar(IoatDmaChannel *ch);
void ioat_dma_chanctrl_written(IoatDmaChannel *ch);
void ioat_dma_chan_command(IoatDmaChannel *ch, uint8_t cmd);
void ioat_dma_dmacount_written(IoatDmaChannel *ch, uint16_t count);
void ioat_dma_chan_set_chainaddr(IoatDmaChannel *ch, uint64_t addr);

/* ioat_dma_engine.c */
void ioat_dma_chan_run(void *opaque);
void ioat_dma_chan_kick(IoatDmaChannel *ch);
bool ioat_dma_desc_valid(IoatDmaState *s, const IoatDmaDesc *d,
                         uint32_t done);

/* ioat_dma_raid.c */
bool ioat_dma_raid_op_known(uint8_t op, bool raid16ss);
bool ioat_dma_raid_is_16s(uint8_t op);
bool ioat_dma_raid_is_validate(uint8_t op);
unsigned ioat_dma_raid_sources(const IoatDmaDesc *d);
unsigned ioat_dma_raid_max_sources(const IoatDmaDesc *d);
bool ioat_dma_raid_has_ext(const IoatDmaDesc *d);
unsigned ioat_dma_raid_sed_size(const IoatDmaDesc *d);
uint32_t ioat_dma_raid_run(PCIDevice *pdev, const IoatDmaDesc *d,
                           const IoatDmaDescExt *ext, const uint64_t *sed,
                           uint32_t off, uint32_t len, uint32_t *mismatch);

#endif
