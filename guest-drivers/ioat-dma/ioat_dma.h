/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioat_dma: a small dmaengine provider for the ioat-dma device model, an
 * Intel I/OAT Crystal Beach 3.4 copy engine (PCI 8086:0B00).
 *
 * Files: ioat_dma_main.c (the dmaengine provider: rings, submission,
 * completion, errors, probe), ioat_dma_copy.c (/dev/ioat-copy and the
 * debugfs error injection).  Register and descriptor names are the CB3.x
 * ones; docs/system/devices/ioat-dma.rst lists what the model implements.
 */

#ifndef _IOAT_DMA_H_
#define _IOAT_DMA_H_

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/dmaengine.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

/* Global registers (BAR0) */
#define IOAT_DMA_CHANCNT		0x00
#define  IOAT_DMA_CHANCNT_NUM		GENMASK(4, 0)
#define IOAT_DMA_XFERCAP		0x01	/* log2 bytes */
#define  IOAT_DMA_XFERCAP_LOG2		GENMASK(4, 0)
#define IOAT_DMA_INTRCTRL		0x03
#define  IOAT_DMA_INTRCTRL_MASTER_INT_EN	BIT(0)
#define  IOAT_DMA_INTRCTRL_MSIX_VECTOR_CTL	BIT(3)
#define IOAT_DMA_CBVER			0x08
#define  IOAT_DMA_CBVER_MAJOR		GENMASK(7, 4)
#define  IOAT_DMA_CBVER_MINOR		GENMASK(3, 0)
#define IOAT_DMA_DMACAPABILITY		0x10	/* 32-bit */
#define  IOAT_DMA_CAP_BLOCK_FILL	BIT(6)

/* Channel registers, relative to IOAT_DMA_CHAN_BASE(i) */
#define IOAT_DMA_CHAN_BASE(i)		(0x80 * ((i) + 1))
#define IOAT_DMA_CHANCTRL		0x00
#define  IOAT_DMA_CHANCTRL_INT_REARM	BIT(0)
#define  IOAT_DMA_CHANCTRL_ERR_COMPL_EN	BIT(2)
#define  IOAT_DMA_CHANCTRL_ANY_ERR_ABORT_EN	BIT(3)
#define  IOAT_DMA_CHANCTRL_ERR_INT_EN	BIT(4)
#define  IOAT_DMA_CHANCTRL_RUN		(IOAT_DMA_CHANCTRL_INT_REARM | \
					 IOAT_DMA_CHANCTRL_ERR_COMPL_EN | \
					 IOAT_DMA_CHANCTRL_ANY_ERR_ABORT_EN | \
					 IOAT_DMA_CHANCTRL_ERR_INT_EN)
#define IOAT_DMA_CHANCMD		0x04
#define  IOAT_DMA_CHANCMD_RESET		BIT(5)
#define IOAT_DMA_DMACOUNT		0x06
#define IOAT_DMA_CHANSTS		0x08
#define  IOAT_DMA_CHANSTS_STATUS	GENMASK_ULL(2, 0)
#define  IOAT_DMA_CHANSTS_ADDR		GENMASK_ULL(63, 6)
#define  IOAT_DMA_CHANSTS_HALTED	3
#define IOAT_DMA_CHAINADDR		0x10
#define IOAT_DMA_CHANCMP		0x18	/* 64-byte aligned */
#define IOAT_DMA_CHANERR		0x28
#define  IOAT_DMA_CHANERR_READ_DATA	BIT(8)
#define  IOAT_DMA_CHANERR_WRITE_DATA	BIT(9)

/*
 * A copy or block fill descriptor: 64 bytes, linked through @next.  A fill
 * writes its 64-bit @pattern (a value, never read from memory) over the
 * destination, byte k of it being byte k mod 8 of the little-endian
 * pattern: the pattern is anchored at @dst.
 */
struct ioat_dma_hw_desc {
	__le32 size;
	__le32 ctl;
	union {
		__le64 src;		/* copy */
		__le64 pattern;		/* fill */
	};
	__le64 dst;
	__le64 next;
	__le64 rsvd[4];
};

static_assert(sizeof(struct ioat_dma_hw_desc) == 64);

#define IOAT_DMA_DESC_INT_EN		BIT(0)
#define IOAT_DMA_DESC_COMPL_WRITE	BIT(3)
#define IOAT_DMA_DESC_FENCE		BIT(4)
#define IOAT_DMA_DESC_NULL		BIT(5)	/* copy only */
#define IOAT_DMA_DESC_OP		GENMASK(31, 24)
#define  IOAT_DMA_OP_COPY		0x00
#define  IOAT_DMA_OP_FILL		0x01

#define IOAT_DMA_MAX_CHANS		4
#define IOAT_DMA_RING_SIZE		2048	/* slots, a power of 2 */
#define IOAT_DMA_COMPL_STRIDE		64	/* completion records */

/* The software side of one ring slot. */
struct ioat_dma_desc {
	struct dma_async_tx_descriptor txd;
	struct ioat_dma_hw_desc *hw;
	dma_addr_t phys;
	unsigned int nslots;	/* slots of the operation ending here */
};

struct ioat_dma_dev;

struct ioat_dma_chan {
	struct dma_chan chan;
	struct ioat_dma_dev *idev;
	void __iomem *regs;
	unsigned int index;
	int irq;
	struct tasklet_struct tasklet;
	ktime_t last_irq;		/* when its interrupt handler last ran */

	struct ioat_dma_hw_desc *hw_ring;
	dma_addr_t hw_ring_dma;
	struct ioat_dma_desc *ring;
	u64 *completion;		/* written by the engine */
	dma_addr_t completion_dma;

	/* Producer side: filled and published slots. */
	spinlock_t prep_lock;
	u32 head;			/* next slot to fill */
	u32 issued;			/* slots handed to the engine */
	u16 dmacount;			/* what DMACOUNT holds */

	/* Consumer side: reaping completed slots. */
	spinlock_t cleanup_lock;
	u32 tail;			/* oldest slot not yet completed */
	dma_addr_t last_completion;

	/* What the completion path can miss (ioat_dma_chan_watchdog()). */
	struct timer_list watchdog;
	u32 watchdog_tail;		/* tail at the last tick */
	unsigned int watchdog_idle_ticks;	/* ticks without progress */
};

struct ioat_dma_dev {
	struct dma_device dma;
	struct pci_dev *pdev;
	void __iomem *bar;
	u32 xfercap;			/* bytes per descriptor, at most */
	u32 dmacap;			/* DMACAPABILITY */
	struct dentry *debugfs;
	unsigned int chancnt;
	struct ioat_dma_chan chans[IOAT_DMA_MAX_CHANS];
};

static inline struct device *ioat_dma_chan_dev(struct ioat_dma_chan *ch)
{
	return &ch->idev->pdev->dev;
}

static inline bool ioat_dma_has_fill(struct ioat_dma_dev *idev)
{
	return idev->dmacap & IOAT_DMA_CAP_BLOCK_FILL;
}

/*
 * The pattern for a fill descriptor starting @off bytes into a fill of
 * @pattern, so that the whole fill stays anchored at its first byte.
 */
static inline u64 ioat_dma_pattern_at(u64 pattern, u64 off)
{
	return ror64(pattern, 8 * (off & 7));
}

/* ioat_dma_main.c */
void ioat_dma_chan_cleanup(struct ioat_dma_chan *ch);
void ioat_dma_chan_restart(struct ioat_dma_chan *ch,
			   enum dmaengine_tx_result result);
bool ioat_dma_reserve(struct ioat_dma_chan *ch, u32 n)
	__acquires(ch->prep_lock);
void ioat_dma_set_desc(struct ioat_dma_chan *ch, u32 slot, dma_addr_t dst,
		       u64 src, u32 size, u32 ctl);
u32 ioat_dma_op_ctl(unsigned long flags);
struct dma_async_tx_descriptor *ioat_dma_last(struct ioat_dma_chan *ch, u32 n,
					      unsigned long flags);
dma_cookie_t ioat_dma_tx_submit(struct dma_async_tx_descriptor *txd)
	__releases(ch->prep_lock);
struct dma_async_tx_descriptor *
ioat_dma_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		     size_t len, unsigned long flags);
void ioat_dma_issue_pending(struct dma_chan *c);

/* ioat_dma_copy.c */
int ioat_dma_copy_init(void);
void ioat_dma_copy_exit(void);
void ioat_dma_copy_add(struct ioat_dma_dev *idev);
void ioat_dma_copy_remove(struct ioat_dma_dev *idev);

#endif /* _IOAT_DMA_H_ */
