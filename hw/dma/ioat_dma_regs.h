/*
 * Intel I/OAT (QuickData, Crystal Beach 3.x) DMA engine: register map
 *
 * Offsets are BAR0 byte offsets.  Channel n's registers start at
 * IOAT_DMA_CHAN_BASE(n); the CHAN_* offsets below are relative to that base.
 * Bit names follow the Linux driver's drivers/dma/ioat/registers.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_DMA_IOAT_DMA_REGS_H
#define HW_DMA_IOAT_DMA_REGS_H

#include "hw/registerfields.h"

/* Global registers */
REG8(CHANCNT, 0x00)
    FIELD(CHANCNT, NUM, 0, 5)
REG8(XFERCAP, 0x01)
    FIELD(XFERCAP, LOG2, 0, 5)
REG8(GENCTRL, 0x02)
REG8(INTRCTRL, 0x03)
    FIELD(INTRCTRL, MASTER_INT_EN, 0, 1)
    FIELD(INTRCTRL, INT_STATUS, 1, 1)
    FIELD(INTRCTRL, INT, 2, 1)
    FIELD(INTRCTRL, MSIX_VECTOR_CONTROL, 3, 1)
REG32(ATTNSTATUS, 0x04)
REG8(CBVER, 0x08)
REG16(PERPORTOFFSET, 0x0a)
REG16(INTRDELAY, 0x0c)
    FIELD(INTRDELAY, DELAY_US, 0, 14)
    FIELD(INTRDELAY, COALESCE_SUPPORT, 15, 1)
REG16(CS_STATUS, 0x0e)
REG32(DMACAPABILITY, 0x10)
    FIELD(DMACAPABILITY, BLOCK_FILL, 6, 1)
    FIELD(DMACAPABILITY, XOR, 8, 1)
    FIELD(DMACAPABILITY, PQ, 9, 1)
    FIELD(DMACAPABILITY, DWBES, 13, 1)      /* validate write-back status */
    FIELD(DMACAPABILITY, RAID16SS, 17, 1)   /* 16-source P+Q */
REG16(DCAOFFSET, 0x14)
REG8(CHWPREFLMT, 0x4c)

/* Per-channel registers, relative to IOAT_DMA_CHAN_BASE(n) */
REG16(CHANCTRL, 0x00)
    FIELD(CHANCTRL, INT_REARM, 0, 1)
    FIELD(CHANCTRL, ERR_COMPLETION_EN, 2, 1)
    FIELD(CHANCTRL, ANY_ERR_ABORT_EN, 3, 1)
    FIELD(CHANCTRL, ERR_INT_EN, 4, 1)
REG16(DMA_COMP, 0x02)
REG8(CHANCMD, 0x04)
    FIELD(CHANCMD, START, 0, 1)
    FIELD(CHANCMD, APPEND, 1, 1)
    FIELD(CHANCMD, SUSPEND, 2, 1)
    FIELD(CHANCMD, ABORT, 3, 1)
    FIELD(CHANCMD, RESUME, 4, 1)
    FIELD(CHANCMD, RESET, 5, 1)
REG16(DMACOUNT, 0x06)
REG32(CHANSTS_LO, 0x08)
    FIELD(CHANSTS_LO, STATUS, 0, 3)
    FIELD(CHANSTS_LO, UNAFFILIATED_ERR, 3, 1)
    FIELD(CHANSTS_LO, SOFT_ERR, 4, 1)
REG32(CHANSTS_HI, 0x0c)
REG32(CHAINADDR_LO, 0x10)
REG32(CHAINADDR_HI, 0x14)
REG32(CHANCMP_LO, 0x18)
REG32(CHANCMP_HI, 0x1c)
REG32(CDAR_LO, 0x20)
REG32(CDAR_HI, 0x24)
REG32(CHANERR, 0x28)
    FIELD(CHANERR, SRC_ADDR, 0, 1)
    FIELD(CHANERR, DEST_ADDR, 1, 1)
    FIELD(CHANERR, NEXT_ADDR, 2, 1)
    FIELD(CHANERR, NEXT_DESC_ALIGN, 3, 1)
    FIELD(CHANERR, CHAIN_ADDR_VALUE, 4, 1)
    FIELD(CHANERR, CHANCMD, 5, 1)
    FIELD(CHANERR, READ_DATA, 8, 1)
    FIELD(CHANERR, WRITE_DATA, 9, 1)
    FIELD(CHANERR, CONTROL, 10, 1)
    FIELD(CHANERR, LENGTH, 11, 1)
    FIELD(CHANERR, COMPLETION_ADDR, 12, 1)
    FIELD(CHANERR, SED_ADDR, 14, 1)         /* super extended descriptor */
    FIELD(CHANERR, XOR_P, 16, 1)
    FIELD(CHANERR, XOR_Q, 17, 1)
REG32(CHANERR_MASK, 0x2c)
REG32(DCACTRL, 0x30)
/*
 * CB3.4 registers that lie past the 0x80 stride, i.e. in the next
 * channel's window (Linux writes them at alloc/free time).
 */
REG16(DRSCTL, 0xb6)
REG8(LTR_SWSEL, 0xbc)
REG32(LTR_ACTIVE, 0xc0)
REG32(LTR_IDLE, 0xc4)

#define IOAT_DMA_CHAN_STRIDE        0x80
#define IOAT_DMA_CHAN_BASE(n)       (IOAT_DMA_CHAN_STRIDE * ((n) + 1))

/* CHANSTS.STATUS values */
#define IOAT_DMA_CHANSTS_ACTIVE     0
#define IOAT_DMA_CHANSTS_DONE       1
#define IOAT_DMA_CHANSTS_SUSPENDED  2
#define IOAT_DMA_CHANSTS_HALTED     3
#define IOAT_DMA_CHANSTS_ARMED      4
#define IOAT_DMA_CHANSTS_ADDR_MASK  (~0x3fULL)

/* BAR0 layout: registers, then the MSI-X table and PBA */
#define IOAT_DMA_BAR0_SIZE          0x4000
#define IOAT_DMA_REGS_SIZE          0x2000
#define IOAT_DMA_MSIX_TABLE_OFFSET  0x2000
#define IOAT_DMA_MSIX_PBA_OFFSET    0x3000

/* The completion record is one naturally aligned 8-byte store. */
#define IOAT_DMA_CHANCMP_ALIGN      8

#define IOAT_DMA_CBVER_3_4          0x34
#define IOAT_DMA_MAX_CHANNELS       4

/*
 * Descriptors: 64 bytes, 64-byte aligned, little-endian, linked through
 * @next (Linux drivers/dma/ioat/hw.h).  The engine loads one into these
 * structs once and converts every field.
 *
 * @opt holds the operation's extra fields: XOR sources 1-4; PQ sources 1-2,
 * the eight coefficient bytes and the Q address.  XOR and PQ with more
 * sources continue in the next ring slot, an extension descriptor of eight
 * quadwords whose @q[3] is its next pointer.  The 16-source PQ ops keep
 * sources 0-1, coefficients 0-7 and Q in the descriptor, and the rest in a
 * super extended descriptor (SED) outside the ring, at @opt[1].  A fill's
 * @src is the 64-bit pattern itself.
 */
typedef struct IoatDmaDesc {
    uint32_t size;
    uint32_t ctl;
    uint64_t src;       /* XOR, PQ: source 0 */
    uint64_t dst;       /* XOR: destination; PQ: P */
    uint64_t next;
    uint64_t opt[4];
} IoatDmaDesc;

typedef struct IoatDmaDescExt {
    uint64_t q[8];
} IoatDmaDescExt;

#define IOAT_DMA_DESC_EXT_NEXT      3

#define IOAT_DMA_DESC_SIZE          64
#define IOAT_DMA_DESC_ALIGN         64

FIELD(DESC_CTL, INT_EN, 0, 1)
FIELD(DESC_CTL, SRC_SNOOP_DIS, 1, 1)
FIELD(DESC_CTL, DEST_SNOOP_DIS, 2, 1)
FIELD(DESC_CTL, COMPL_WRITE, 3, 1)
FIELD(DESC_CTL, FENCE, 4, 1)
FIELD(DESC_CTL, NUL, 5, 1)
FIELD(DESC_CTL, SRC_BRK, 6, 1)         /* copy: source page break */
FIELD(DESC_CTL, DEST_BRK, 7, 1)        /* copy, fill: destination break */
FIELD(DESC_CTL, SRC_CNT, 5, 3)         /* XOR, PQ: sources - 2; 16S: - 9 */
FIELD(DESC_CTL, P_DISABLE, 11, 1)      /* PQ */
FIELD(DESC_CTL, Q_DISABLE, 12, 1)      /* PQ */
FIELD(DESC_CTL, WB_EN, 15, 1)          /* PQ validate: DWBES write-back */
FIELD(DESC_CTL, OP, 24, 8)

#define IOAT_DMA_OP_COPY            0x00
#define IOAT_DMA_OP_FILL            0x01
#define IOAT_DMA_OP_XOR             0x87
#define IOAT_DMA_OP_XOR_VAL         0x88
#define IOAT_DMA_OP_PQ              0x89
#define IOAT_DMA_OP_PQ_VAL          0x8a
#define IOAT_DMA_OP_PQ_16S          0xa0
#define IOAT_DMA_OP_PQ_VAL_16S      0xa1

#define IOAT_DMA_RAID_MAX_SRCS      16

/* SED: 64 bytes for 9 sources, 128 for 10..16; 64-byte aligned */
#define IOAT_DMA_SED_SIZE           128
#define IOAT_DMA_SED_ALIGN          64

/* DWBES: dword 0 of a validate descriptor after a mismatch */
#define IOAT_DMA_DWBES_VALID        (1u << 31)
#define IOAT_DMA_DWBES_P_ERR        (1u << 25)
#define IOAT_DMA_DWBES_Q_ERR        (1u << 26)

#endif
