// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_dma: a small dmaengine provider for the ioat-dma device model, an
 * Intel I/OAT Crystal Beach 3.4 copy engine (8086:0B00).
 *
 * Each hardware channel becomes one dmaengine channel offering DMA_MEMCPY
 * and DMA_INTERRUPT.  A channel owns a ring of 64-byte descriptors, linked
 * in a circle through their @next field:
 *
 *   CHAINADDR --> [0] --> [1] --> ... --> [N-1] --+
 *                  ^                              |
 *                  +------------------------------+
 *
 * Software fills slots at @head; tx_submit publishes them; issue_pending
 * tells the engine how many more slots it may run by writing the running
 * 16-bit count to DMACOUNT.  When a descriptor with COMPL_WRITE finishes,
 * the engine stores "address of that descriptor | CHANSTS status" into the
 * channel's completion record (CHANCMP) and, with INT_EN, raises the
 * channel's MSI-X vector once: the vector stays quiet until the driver
 * re-arms it by writing CHANCTRL with INT_REARM.  The tasklet reaps every
 * slot up to the recorded address, completes their cookies, then re-arms.
 * If the engine halts, CHANERR says why: the channel is reset, the work in
 * flight completes as failed, and the ring restarts where it stopped.
 *
 * The driver also offers /dev/ioat-copy (see ioat_copy.h), whose ioctl
 * copies between two user buffers through a channel.
 *
 * The register and descriptor layout follow Linux's drivers/dma/ioat
 * (registers.h, hw.h); the device model documents them in
 * docs/system/devices/ioat-dma.rst.
 */

#include <linux/debugfs.h>
#include <linux/dmaengine.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioat_copy.h"

/* Global registers (BAR0) */
#define IOAT_CHANCNT			0x00
#define IOAT_XFERCAP			0x01
#define IOAT_INTRCTRL			0x03
#define  IOAT_INTRCTRL_MASTER_INT_EN	BIT(0)
#define  IOAT_INTRCTRL_MSIX_VECTOR_CTL	BIT(3)
#define IOAT_CBVER			0x08

/* Channel registers, relative to IOAT_CHAN_BASE(i) */
#define IOAT_CHAN_BASE(i)		(0x80 * ((i) + 1))
#define IOAT_CHANCTRL			0x00
#define  IOAT_CHANCTRL_INT_REARM	BIT(0)
#define  IOAT_CHANCTRL_ERR_COMPL_EN	BIT(2)
#define  IOAT_CHANCTRL_ANY_ERR_ABORT_EN	BIT(3)
#define  IOAT_CHANCTRL_ERR_INT_EN	BIT(4)
#define  IOAT_CHANCTRL_RUN		(IOAT_CHANCTRL_INT_REARM | \
					 IOAT_CHANCTRL_ERR_COMPL_EN | \
					 IOAT_CHANCTRL_ANY_ERR_ABORT_EN | \
					 IOAT_CHANCTRL_ERR_INT_EN)
#define IOAT_CHANCMD			0x04
#define  IOAT_CHANCMD_RESET		BIT(5)
#define IOAT_DMACOUNT			0x06
#define IOAT_CHANSTS			0x08
#define  IOAT_CHANSTS_STATUS		GENMASK_ULL(2, 0)
#define  IOAT_CHANSTS_ADDR		GENMASK_ULL(63, 6)
#define  IOAT_CHANSTS_HALTED		3
#define IOAT_CHAINADDR			0x10
#define IOAT_CHANCMP			0x18
#define IOAT_CHANERR			0x28
#define  IOAT_CHANERR_READ_DATA		BIT(8)
#define  IOAT_CHANERR_WRITE_DATA	BIT(9)

#define IOAT_MAX_CHANS			4
#define IOAT_RING_SIZE			2048	/* slots per channel, power of 2 */
#define IOAT_RESET_TIMEOUT_US		200000

/* A copy descriptor (Linux ioat/hw.h: struct ioat_dma_descriptor). */
struct ioat_hw_desc {
	__le32 size;
	__le32 ctl;
	__le64 src;
	__le64 dst;
	__le64 next;
	__le64 rsvd[4];
};

static_assert(sizeof(struct ioat_hw_desc) == 64);

#define IOAT_DESC_INT_EN		BIT(0)
#define IOAT_DESC_COMPL_WRITE		BIT(3)
#define IOAT_DESC_FENCE			BIT(4)
#define IOAT_DESC_NULL			BIT(5)

/* The software side of one ring slot. */
struct ioat_desc {
	struct dma_async_tx_descriptor txd;
	struct ioat_hw_desc *hw;
	dma_addr_t phys;
	unsigned int nslots;	/* slots of the operation ending here */
};

struct ioat_dev;

struct ioat_chan {
	struct dma_chan chan;
	struct ioat_dev *idev;
	void __iomem *regs;
	unsigned int index;
	int irq;
	struct tasklet_struct tasklet;

	struct ioat_hw_desc *hw_ring;
	dma_addr_t hw_ring_dma;
	struct ioat_desc *ring;
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
	unsigned int halts;
};

struct ioat_dev {
	struct dma_device dma;
	struct pci_dev *pdev;
	void __iomem *bar;
	u32 xfercap;			/* bytes per descriptor, at most */
	struct dentry *debugfs;
	unsigned int chancnt;
	struct ioat_chan chans[IOAT_MAX_CHANS];
};

/*
 * Cookie helpers.  The dmaengine core keeps these in its private header
 * drivers/dma/dmaengine.h, which an out-of-tree module cannot include; these
 * are the same functions, so moving the driver in tree means deleting them.
 */
static inline void dma_cookie_init(struct dma_chan *chan)
{
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
}

static inline dma_cookie_t dma_cookie_assign(struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = tx->chan;
	dma_cookie_t cookie;

	cookie = chan->cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	chan->cookie = cookie;
	tx->cookie = cookie;

	return cookie;
}

static inline void dma_cookie_complete(struct dma_async_tx_descriptor *tx)
{
	tx->chan->completed_cookie = tx->cookie;
	tx->cookie = 0;
}

static inline enum dma_status dma_cookie_status(struct dma_chan *chan,
						dma_cookie_t cookie,
						struct dma_tx_state *state)
{
	dma_cookie_t used, complete;

	used = chan->cookie;
	complete = chan->completed_cookie;
	barrier();
	if (state) {
		state->last = complete;
		state->used = used;
		state->residue = 0;
		state->in_flight_bytes = 0;
	}
	return dma_async_is_complete(cookie, complete, used);
}

static struct ioat_chan *to_ioat_chan(struct dma_chan *c)
{
	return container_of(c, struct ioat_chan, chan);
}

static struct ioat_desc *ioat_desc(struct ioat_chan *ch, u32 i)
{
	return &ch->ring[i & (IOAT_RING_SIZE - 1)];
}

static u32 ioat_ring_space(struct ioat_chan *ch)
{
	return IOAT_RING_SIZE - 1 - (ch->head - READ_ONCE(ch->tail));
}

/* Channel control */

static int ioat_chan_reset(struct ioat_chan *ch)
{
	u8 cmd;
	int ret;

	writel(readl(ch->regs + IOAT_CHANERR), ch->regs + IOAT_CHANERR);
	writeb(IOAT_CHANCMD_RESET, ch->regs + IOAT_CHANCMD);
	ret = readb_poll_timeout_atomic(ch->regs + IOAT_CHANCMD, cmd,
					!(cmd & IOAT_CHANCMD_RESET), 1,
					IOAT_RESET_TIMEOUT_US);
	if (ret)
		dev_err(&ch->idev->pdev->dev, "channel %u: reset timed out\n",
			ch->index);
	return ret;
}

/*
 * Point the engine at slot @issued with an empty count: the channel is
 * armed, and the next DMACOUNT write starts it.  Called after a reset.
 */
static void ioat_chan_start(struct ioat_chan *ch)
{
	spin_lock_bh(&ch->prep_lock);
	WRITE_ONCE(*ch->completion, 0);
	ch->last_completion = 0;
	ch->dmacount = 0;
	writew(IOAT_CHANCTRL_RUN, ch->regs + IOAT_CHANCTRL);
	writel(lower_32_bits(ch->completion_dma), ch->regs + IOAT_CHANCMP);
	writel(upper_32_bits(ch->completion_dma), ch->regs + IOAT_CHANCMP + 4);
	writel(lower_32_bits(ioat_desc(ch, ch->issued)->phys),
	       ch->regs + IOAT_CHAINADDR);
	writel(upper_32_bits(ioat_desc(ch, ch->issued)->phys),
	       ch->regs + IOAT_CHAINADDR + 4);
	spin_unlock_bh(&ch->prep_lock);
}

/* Completion (cleanup_lock held) */

static void ioat_desc_complete(struct ioat_desc *d,
			       enum dmaengine_tx_result result)
{
	struct dmaengine_result res = { .result = result };
	struct dma_async_tx_descriptor *txd = &d->txd;

	if (txd->cookie <= 0)	/* not the last slot of an operation */
		return;

	dma_cookie_complete(txd);
	dma_descriptor_unmap(txd);
	if (txd->callback_result)
		txd->callback_result(txd->callback_param, &res);
	else if (txd->callback)
		txd->callback(txd->callback_param);
	txd->callback = NULL;
	txd->callback_result = NULL;
}

/* Fail every slot handed to the engine; the first operation gets @result. */
static void ioat_chan_abort(struct ioat_chan *ch,
			    enum dmaengine_tx_result result)
{
	u32 issued = READ_ONCE(ch->issued);
	struct ioat_desc *d;

	while (ch->tail != issued) {
		d = ioat_desc(ch, ch->tail);
		WRITE_ONCE(ch->tail, ch->tail + 1);
		if (d->txd.cookie > 0) {
			ioat_desc_complete(d, result);
			result = DMA_TRANS_ABORTED;
		}
	}
}

static const char *const ioat_chanerr_names[] = {
	"source address", "destination address", "next descriptor address",
	"descriptor alignment", "chain address", "bad command",
	"chipset uncorrectable data integrity", "uncorrectable data integrity",
	"read data", "write data", "descriptor control", "transfer length",
	"completion address", "interrupt configuration", "super extended",
	"unaffiliated", "XOR P", "XOR Q", "descriptor count",
};

/* The engine halted: report CHANERR, fail what was in flight, restart. */
static void ioat_chan_halted(struct ioat_chan *ch)
{
	enum dmaengine_tx_result result = DMA_TRANS_ABORTED;
	u32 chanerr = readl(ch->regs + IOAT_CHANERR);
	unsigned long bits = chanerr;
	unsigned int bit;

	ch->halts++;
	dev_err(&ch->idev->pdev->dev, "channel %u halted, CHANERR %#x\n",
		ch->index, chanerr);
	for_each_set_bit(bit, &bits, ARRAY_SIZE(ioat_chanerr_names))
		dev_err(&ch->idev->pdev->dev, "channel %u: %s error\n",
			ch->index, ioat_chanerr_names[bit]);

	if (chanerr & IOAT_CHANERR_READ_DATA)
		result = DMA_TRANS_READ_FAILED;
	else if (chanerr & IOAT_CHANERR_WRITE_DATA)
		result = DMA_TRANS_WRITE_FAILED;

	ioat_chan_reset(ch);
	ioat_chan_abort(ch, result);
	ioat_chan_start(ch);
}

/*
 * Reap every slot up to the one named by the completion record.  The
 * record names the last descriptor with COMPL_WRITE that finished (or, on
 * a halt, the last one that finished at all), never one past @issued.
 */
static void ioat_chan_cleanup(struct ioat_chan *ch)
{
	u64 status = READ_ONCE(*ch->completion);
	dma_addr_t done = status & IOAT_CHANSTS_ADDR;
	u32 issued = READ_ONCE(ch->issued);
	u32 idx, count;

	if (done && done != ch->last_completion) {
		idx = (done - ch->hw_ring_dma) / sizeof(struct ioat_hw_desc);
		count = ((idx - ch->tail) & (IOAT_RING_SIZE - 1)) + 1;
		if (done < ch->hw_ring_dma || idx >= IOAT_RING_SIZE ||
		    count > issued - ch->tail) {
			dev_warn_ratelimited(&ch->idev->pdev->dev,
					     "channel %u: completion %#llx is not in flight\n",
					     ch->index, (u64)status);
			return;
		}
		while (count--) {
			ioat_desc_complete(ioat_desc(ch, ch->tail),
					   DMA_TRANS_NOERROR);
			WRITE_ONCE(ch->tail, ch->tail + 1);
		}
		ch->last_completion = done;
	}

	if ((status & IOAT_CHANSTS_STATUS) == IOAT_CHANSTS_HALTED)
		ioat_chan_halted(ch);
}

static void ioat_chan_tasklet(struct tasklet_struct *t)
{
	struct ioat_chan *ch = from_tasklet(ch, t, tasklet);

	spin_lock(&ch->cleanup_lock);
	ioat_chan_cleanup(ch);
	spin_unlock(&ch->cleanup_lock);

	/* Re-arm last: a completion since the read above interrupts again. */
	writew(IOAT_CHANCTRL_RUN, ch->regs + IOAT_CHANCTRL);
}

static irqreturn_t ioat_chan_irq(int irq, void *data)
{
	struct ioat_chan *ch = data;

	tasklet_schedule(&ch->tasklet);
	return IRQ_HANDLED;
}

/* Submission */

/*
 * Reserve @n slots at ch->head.  On success the prep_lock stays held until
 * ioat_tx_submit() publishes them, as in other ring-based providers.
 */
static bool ioat_reserve(struct ioat_chan *ch, u32 n)
	__acquires(ch->prep_lock)
{
	spin_lock_bh(&ch->prep_lock);
	if (ioat_ring_space(ch) >= n)
		return true;
	spin_unlock_bh(&ch->prep_lock);
	__acquire(ch->prep_lock);	/* keep sparse's lock count even */
	return false;
}

static void ioat_fill(struct ioat_chan *ch, u32 slot, dma_addr_t dst,
		      dma_addr_t src, u32 size, u32 ctl)
{
	struct ioat_hw_desc *hw = ioat_desc(ch, slot)->hw;

	hw->size = cpu_to_le32(size);
	hw->ctl = cpu_to_le32(ctl);
	hw->src = cpu_to_le64(src);
	hw->dst = cpu_to_le64(dst);
}

/* The txd of the operation's last slot, whose completion carries it. */
static struct dma_async_tx_descriptor *ioat_last(struct ioat_chan *ch, u32 n,
						 unsigned long flags)
{
	struct ioat_desc *d = ioat_desc(ch, ch->head + n - 1);

	d->nslots = n;
	d->txd.flags = flags;
	return &d->txd;
}

static dma_cookie_t ioat_tx_submit(struct dma_async_tx_descriptor *txd)
	__releases(ch->prep_lock)
{
	struct ioat_chan *ch = to_ioat_chan(txd->chan);
	struct ioat_desc *d = container_of(txd, struct ioat_desc, txd);
	dma_cookie_t cookie = dma_cookie_assign(txd);

	/* Descriptors are written before the engine may be told of them. */
	wmb();
	ch->head += d->nslots;
	spin_unlock_bh(&ch->prep_lock);
	return cookie;
}

static u32 ioat_op_ctl(unsigned long flags)
{
	u32 ctl = IOAT_DESC_COMPL_WRITE;

	if (flags & DMA_PREP_INTERRUPT)
		ctl |= IOAT_DESC_INT_EN;
	if (flags & DMA_PREP_FENCE)
		ctl |= IOAT_DESC_FENCE;
	return ctl;
}

static struct dma_async_tx_descriptor *
ioat_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		 size_t len, unsigned long flags)
{
	struct ioat_chan *ch = to_ioat_chan(c);
	u32 xfercap = ch->idev->xfercap;
	u32 n = DIV_ROUND_UP(len, xfercap);
	u32 i, size;

	if (!len || len > (size_t)xfercap * (IOAT_RING_SIZE - 1))
		return NULL;
	if (!ioat_reserve(ch, n))
		return NULL;

	for (i = 0; i < n; i++) {
		size = min_t(size_t, len, xfercap);
		ioat_fill(ch, ch->head + i, dst, src, size,
			  i == n - 1 ? ioat_op_ctl(flags) : 0);
		dst += size;
		src += size;
		len -= size;
	}
	return ioat_last(ch, n, flags);
}

static struct dma_async_tx_descriptor *
ioat_prep_interrupt(struct dma_chan *c, unsigned long flags)
{
	struct ioat_chan *ch = to_ioat_chan(c);

	if (!ioat_reserve(ch, 1))
		return NULL;
	ioat_fill(ch, ch->head, 0, 0, 1, IOAT_DESC_NULL |
		  ioat_op_ctl(flags | DMA_PREP_INTERRUPT));
	return ioat_last(ch, 1, flags);
}

/* Ring the doorbell for everything submitted since the last time. */
static void ioat_issue_pending(struct dma_chan *c)
{
	struct ioat_chan *ch = to_ioat_chan(c);

	spin_lock_bh(&ch->prep_lock);
	if (ch->issued != ch->head) {
		ch->dmacount += (u16)(ch->head - ch->issued);
		WRITE_ONCE(ch->issued, ch->head);
		writew(ch->dmacount, ch->regs + IOAT_DMACOUNT);
	}
	spin_unlock_bh(&ch->prep_lock);
}

static enum dma_status ioat_tx_status(struct dma_chan *c, dma_cookie_t cookie,
				      struct dma_tx_state *txstate)
{
	struct ioat_chan *ch = to_ioat_chan(c);
	enum dma_status ret;

	ret = dma_cookie_status(c, cookie, txstate);
	if (ret == DMA_COMPLETE)
		return ret;

	spin_lock_bh(&ch->cleanup_lock);
	ioat_chan_cleanup(ch);
	spin_unlock_bh(&ch->cleanup_lock);

	return dma_cookie_status(c, cookie, txstate);
}

/* Fail everything submitted, issued or not, and restart empty. */
static int ioat_terminate_all(struct dma_chan *c)
{
	struct ioat_chan *ch = to_ioat_chan(c);

	spin_lock_bh(&ch->cleanup_lock);
	ioat_chan_cleanup(ch);
	spin_lock_bh(&ch->prep_lock);
	WRITE_ONCE(ch->issued, ch->head);
	spin_unlock_bh(&ch->prep_lock);
	if (ch->tail != ch->issued) {
		ioat_chan_reset(ch);
		ioat_chan_abort(ch, DMA_TRANS_ABORTED);
		ioat_chan_start(ch);
	}
	spin_unlock_bh(&ch->cleanup_lock);
	return 0;
}

/* The ring lives as long as the device, so a client only gets to use it. */
static int ioat_alloc_chan_resources(struct dma_chan *c)
{
	return IOAT_RING_SIZE - 1;
}

static void ioat_free_chan_resources(struct dma_chan *c)
{
	struct ioat_chan *ch = to_ioat_chan(c);

	spin_lock_bh(&ch->cleanup_lock);
	ioat_chan_cleanup(ch);
	spin_unlock_bh(&ch->cleanup_lock);
}

/* /dev/ioat-copy */

static struct {
	struct rw_semaphore lock;	/* held for reading during a copy */
	struct ioat_dev *idev;		/* the device it copies with */
} ioat_copy_dev = {
	.lock = __RWSEM_INITIALIZER(ioat_copy_dev.lock),
};

/* Copies are split into chunks: pinned, run and unpinned one at a time. */
#define IOAT_COPY_CHUNK		SZ_1M
#define IOAT_COPY_TIMEOUT_MS	5000

struct ioat_user_buf {
	struct page **pages;
	int npages;
	struct sg_table sgt;
	bool write;
};

static void ioat_user_unpin(struct device *dev, struct ioat_user_buf *b)
{
	dma_unmap_sgtable(dev, &b->sgt, b->write ? DMA_FROM_DEVICE :
			  DMA_TO_DEVICE, 0);
	sg_free_table(&b->sgt);
	/* The engine wrote the destination: set_page_dirty_lock() each page. */
	unpin_user_pages_dirty_lock(b->pages, b->npages, b->write);
	kvfree(b->pages);
}

static int ioat_user_pin(struct device *dev, struct ioat_user_buf *b,
			 u64 uaddr, size_t len, bool write)
{
	unsigned int offset = offset_in_page(uaddr);
	int pinned, ret;

	b->write = write;
	b->npages = DIV_ROUND_UP(offset + len, PAGE_SIZE);
	b->pages = kvmalloc_array(b->npages, sizeof(*b->pages), GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;

	pinned = pin_user_pages_fast(uaddr - offset, b->npages,
				     write ? FOLL_WRITE : 0, b->pages);
	if (pinned != b->npages) {
		ret = pinned < 0 ? pinned : -EFAULT;
		if (pinned > 0)
			unpin_user_pages(b->pages, pinned);
		goto free_pages;
	}

	ret = sg_alloc_table_from_pages(&b->sgt, b->pages, b->npages, offset,
					len, GFP_KERNEL);
	if (ret)
		goto unpin;
	ret = dma_map_sgtable(dev, &b->sgt, write ? DMA_FROM_DEVICE :
			      DMA_TO_DEVICE, 0);
	if (ret)
		goto free_table;
	return 0;

free_table:
	sg_free_table(&b->sgt);
unpin:
	unpin_user_pages(b->pages, b->npages);
free_pages:
	kvfree(b->pages);
	return ret;
}

/* A position in a DMA-mapped scatter list. */
struct ioat_sg_pos {
	struct scatterlist *sg;
	dma_addr_t addr;
	u32 left;
};

static void ioat_sg_start(struct ioat_sg_pos *p, struct sg_table *sgt)
{
	p->sg = sgt->sgl;
	p->addr = sg_dma_address(p->sg);
	p->left = sg_dma_len(p->sg);
}

static void ioat_sg_advance(struct ioat_sg_pos *p, u32 n)
{
	p->addr += n;
	p->left -= n;
	if (!p->left && !sg_is_last(p->sg)) {
		p->sg = sg_next(p->sg);
		p->addr = sg_dma_address(p->sg);
		p->left = sg_dma_len(p->sg);
	}
}

/*
 * Walk both lists in step, one descriptor per piece that is contiguous on
 * both sides.  With @ch == NULL only count the descriptors.
 */
static u32 ioat_sg_descs(struct ioat_chan *ch, u32 xfercap,
			 struct sg_table *dst, struct sg_table *src,
			 size_t len, u32 last_ctl)
{
	struct ioat_sg_pos d, s;
	u32 n = 0, size;

	ioat_sg_start(&d, dst);
	ioat_sg_start(&s, src);
	while (len) {
		size = min3(d.left, s.left, xfercap);
		if (ch)
			ioat_fill(ch, ch->head + n, d.addr, s.addr, size,
				  len == size ? last_ctl : 0);
		ioat_sg_advance(&d, size);
		ioat_sg_advance(&s, size);
		len -= size;
		n++;
	}
	return n;
}

struct ioat_copy_wait {
	struct completion done;
	enum dmaengine_tx_result result;
	ktime_t end;
};

static void ioat_copy_done(void *param, const struct dmaengine_result *res)
{
	struct ioat_copy_wait *w = param;

	w->end = ktime_get();
	w->result = res->result;
	complete(&w->done);
}

/*
 * Wait for an operation whose callback is ioat_copy_done().  If it does not
 * finish in time, reset the channel: the buffers are about to be released,
 * so the engine must not touch them any more.
 */
static int ioat_wait(struct ioat_chan *ch, struct ioat_copy_wait *w)
{
	if (wait_for_completion_timeout(&w->done,
					msecs_to_jiffies(IOAT_COPY_TIMEOUT_MS)))
		return 0;

	spin_lock_bh(&ch->cleanup_lock);
	ioat_chan_cleanup(ch);
	if (!completion_done(&w->done)) {
		dev_err(&ch->idev->pdev->dev,
			"channel %u: copy timed out, resetting\n", ch->index);
		ioat_chan_reset(ch);
		ioat_chan_abort(ch, DMA_TRANS_ABORTED);
		ioat_chan_start(ch);
	}
	spin_unlock_bh(&ch->cleanup_lock);
	wait_for_completion(&w->done);
	return -ETIMEDOUT;
}

/* Run one chunk: @len bytes between two pinned buffers. */
static int ioat_copy_chunk(struct ioat_chan *ch, struct ioat_user_buf *dst,
			   struct ioat_user_buf *src, size_t len,
			   struct ioat_copy *req)
{
	struct dma_async_tx_descriptor *txd;
	struct ioat_copy_wait w;
	ktime_t start;
	int ret;
	u32 n;

	n = ioat_sg_descs(NULL, ch->idev->xfercap, &dst->sgt, &src->sgt, len,
			  0);
	if (!ioat_reserve(ch, n))
		return -EBUSY;
	ioat_sg_descs(ch, ch->idev->xfercap, &dst->sgt, &src->sgt, len,
		      ioat_op_ctl(DMA_PREP_INTERRUPT));
	txd = ioat_last(ch, n, DMA_CTRL_ACK | DMA_PREP_INTERRUPT);
	init_completion(&w.done);
	txd->callback_result = ioat_copy_done;
	txd->callback_param = &w;
	ioat_tx_submit(txd);

	start = ktime_get();
	ioat_issue_pending(&ch->chan);
	ret = ioat_wait(ch, &w);
	if (ret)
		return ret;
	req->descs += n;
	req->ns += ktime_to_ns(ktime_sub(w.end, start));
	return w.result == DMA_TRANS_NOERROR ? 0 : -EIO;
}

static int ioat_copy_user(struct ioat_chan *ch, struct ioat_copy *req)
{
	struct device *dev = &ch->idev->pdev->dev;
	struct ioat_user_buf src, dst;
	u64 done = 0;
	size_t len;
	int ret = 0;

	req->descs = 0;
	req->ns = 0;
	while (done < req->len && !ret) {
		len = min_t(u64, req->len - done, IOAT_COPY_CHUNK);
		ret = ioat_user_pin(dev, &src, req->src + done, len, false);
		if (ret)
			break;
		ret = ioat_user_pin(dev, &dst, req->dst + done, len, true);
		if (ret) {
			ioat_user_unpin(dev, &src);
			break;
		}
		ret = ioat_copy_chunk(ch, &dst, &src, len, req);
		ioat_user_unpin(dev, &dst);
		ioat_user_unpin(dev, &src);
		done += len;
	}
	return ret;
}

static long ioat_copy_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct ioat_copy req;
	int ret;

	if (cmd != IOAT_COPY_IOC_COPY)
		return -ENOTTY;
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.reserved)
		return -EINVAL;
	if (req.len > IOAT_COPY_MAX_LEN)
		return -E2BIG;

	down_read(&ioat_copy_dev.lock);
	if (!ioat_copy_dev.idev)
		ret = -ENODEV;
	else if (req.channel >= ioat_copy_dev.idev->chancnt)
		ret = -EINVAL;
	else
		ret = ioat_copy_user(&ioat_copy_dev.idev->chans[req.channel], &req);
	up_read(&ioat_copy_dev.lock);

	if (!ret && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations ioat_copy_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ioat_copy_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice ioat_copy_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ioat-copy",
	.fops = &ioat_copy_fops,
};

/*
 * debugfs: ioat_dma/<device>/inject_read_error.  Writing a channel number
 * makes that channel copy from a bus address nothing decodes: the engine
 * halts with CHANERR read data error, the driver reports it, fails the
 * copy with DMA_TRANS_READ_FAILED and restarts the channel.  The write
 * succeeds if all of that happened.
 */
#define IOAT_BAD_BUS_ADDR	BIT_ULL(46)

static int ioat_inject_read_error(struct ioat_chan *ch)
{
	struct device *dev = &ch->idev->pdev->dev;
	struct dma_async_tx_descriptor *txd;
	struct ioat_copy_wait w;
	dma_addr_t dst;
	void *buf;
	int ret;

	buf = dma_alloc_coherent(dev, PAGE_SIZE, &dst, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	txd = ioat_prep_memcpy(&ch->chan, dst, IOAT_BAD_BUS_ADDR, 64,
			       DMA_CTRL_ACK | DMA_PREP_INTERRUPT);
	if (!txd) {
		ret = -EBUSY;
		goto out;
	}
	init_completion(&w.done);
	txd->callback_result = ioat_copy_done;
	txd->callback_param = &w;
	ioat_tx_submit(txd);
	ioat_issue_pending(&ch->chan);
	ret = ioat_wait(ch, &w);
	if (!ret && w.result != DMA_TRANS_READ_FAILED)
		ret = -EIO;
out:
	dma_free_coherent(dev, PAGE_SIZE, buf, dst);
	return ret;
}

static ssize_t ioat_inject_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct ioat_dev *idev = file->private_data;
	unsigned int i;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &i);
	if (ret)
		return ret;
	if (i >= idev->chancnt)
		return -EINVAL;
	ret = ioat_inject_read_error(&idev->chans[i]);
	return ret ? ret : count;
}

static const struct file_operations ioat_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ioat_inject_write,
	.llseek = noop_llseek,
};

static struct dentry *ioat_debugfs;

/* Probe and remove */

static int ioat_chan_init(struct ioat_dev *idev, unsigned int i,
			  u64 *completion, dma_addr_t completion_dma)
{
	struct device *dev = &idev->pdev->dev;
	struct ioat_chan *ch = &idev->chans[i];
	struct ioat_desc *d;
	const char *name;
	u32 j;
	int ret;

	ch->idev = idev;
	ch->index = i;
	ch->regs = idev->bar + IOAT_CHAN_BASE(i);
	ch->completion = completion;
	ch->completion_dma = completion_dma;
	spin_lock_init(&ch->prep_lock);
	spin_lock_init(&ch->cleanup_lock);
	tasklet_setup(&ch->tasklet, ioat_chan_tasklet);

	ch->hw_ring = dmam_alloc_coherent(dev, IOAT_RING_SIZE *
					  sizeof(*ch->hw_ring),
					  &ch->hw_ring_dma, GFP_KERNEL);
	ch->ring = devm_kcalloc(dev, IOAT_RING_SIZE, sizeof(*ch->ring),
				GFP_KERNEL);
	if (!ch->hw_ring || !ch->ring)
		return -ENOMEM;

	ch->chan.device = &idev->dma;
	dma_cookie_init(&ch->chan);
	for (j = 0; j < IOAT_RING_SIZE; j++) {
		d = &ch->ring[j];
		d->hw = &ch->hw_ring[j];
		d->phys = ch->hw_ring_dma + j * sizeof(*d->hw);
		d->hw->next = cpu_to_le64(ch->hw_ring_dma +
					  ((j + 1) % IOAT_RING_SIZE) *
					  sizeof(*d->hw));
		dma_async_tx_descriptor_init(&d->txd, &ch->chan);
		d->txd.tx_submit = ioat_tx_submit;
	}

	ch->irq = pci_irq_vector(idev->pdev, i);
	name = devm_kasprintf(dev, GFP_KERNEL, "ioat_dma-chan%u", i);
	if (!name)
		return -ENOMEM;
	ret = devm_request_irq(dev, ch->irq, ioat_chan_irq, 0, name, ch);
	if (ret)
		return ret;

	ret = ioat_chan_reset(ch);
	if (ret)
		return ret;
	ioat_chan_start(ch);
	list_add_tail(&ch->chan.device_node, &idev->dma.channels);
	return 0;
}

/* Quiet the hardware and fail whatever is left; interrupts are off. */
static void ioat_stop(struct ioat_dev *idev)
{
	struct ioat_chan *ch;
	unsigned int i;

	writeb(0, idev->bar + IOAT_INTRCTRL);
	for (i = 0; i < idev->chancnt; i++) {
		ch = &idev->chans[i];
		if (!ch->idev)
			continue;
		if (ch->irq > 0)
			synchronize_irq(ch->irq);
		tasklet_kill(&ch->tasklet);
		ioat_chan_reset(ch);
		spin_lock_bh(&ch->cleanup_lock);
		ioat_chan_abort(ch, DMA_TRANS_ABORTED);
		spin_unlock_bh(&ch->cleanup_lock);
	}
}

static int ioat_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	dma_addr_t completion_dma;
	struct ioat_dev *idev;
	struct dma_device *dma;
	u64 *completion;
	unsigned int i;
	u8 ver, xfercap;
	int ret;

	idev = devm_kzalloc(dev, sizeof(*idev), GFP_KERNEL);
	if (!idev)
		return -ENOMEM;
	idev->pdev = pdev;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	idev->bar = pcim_iomap_table(pdev)[0];
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	ver = readb(idev->bar + IOAT_CBVER);
	idev->chancnt = readb(idev->bar + IOAT_CHANCNT) & 0x1f;
	xfercap = readb(idev->bar + IOAT_XFERCAP) & 0x1f;
	if (ver >> 4 != 3 || !idev->chancnt || !xfercap) {
		dev_err(dev, "unsupported: CBVER %#x, CHANCNT %u, XFERCAP %u\n",
			ver, idev->chancnt, xfercap);
		return -ENODEV;
	}
	idev->chancnt = min_t(unsigned int, idev->chancnt, IOAT_MAX_CHANS);
	idev->xfercap = 1U << min_t(u8, xfercap, 30);

	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, idev->chancnt, idev->chancnt,
				    PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;

	/* One 64-byte completion record per channel, in one page. */
	completion = dmam_alloc_coherent(dev, PAGE_SIZE, &completion_dma,
					 GFP_KERNEL);
	if (!completion)
		return -ENOMEM;

	dma = &idev->dma;
	INIT_LIST_HEAD(&dma->channels);
	for (i = 0; i < idev->chancnt; i++) {
		ret = ioat_chan_init(idev, i, completion + 8 * i,
				     completion_dma + 64 * i);
		if (ret)
			goto stop;
	}
	writeb(IOAT_INTRCTRL_MASTER_INT_EN | IOAT_INTRCTRL_MSIX_VECTOR_CTL,
	       idev->bar + IOAT_INTRCTRL);

	dma->dev = dev;
	dma->chancnt = idev->chancnt;
	dma_cap_set(DMA_MEMCPY, dma->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dma->cap_mask);
	dma_cap_set(DMA_PRIVATE, dma->cap_mask);
	dma->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dma->device_alloc_chan_resources = ioat_alloc_chan_resources;
	dma->device_free_chan_resources = ioat_free_chan_resources;
	dma->device_prep_dma_memcpy = ioat_prep_memcpy;
	dma->device_prep_dma_interrupt = ioat_prep_interrupt;
	dma->device_issue_pending = ioat_issue_pending;
	dma->device_tx_status = ioat_tx_status;
	dma->device_terminate_all = ioat_terminate_all;
	ret = dma_async_device_register(dma);
	if (ret)
		goto stop;
	pci_set_drvdata(pdev, idev);

	down_write(&ioat_copy_dev.lock);
	if (!ioat_copy_dev.idev)
		ioat_copy_dev.idev = idev;
	up_write(&ioat_copy_dev.lock);

	idev->debugfs = debugfs_create_dir(pci_name(pdev), ioat_debugfs);
	debugfs_create_file("inject_read_error", 0200, idev->debugfs, idev,
			    &ioat_inject_fops);

	dev_info(dev, "CB%u.%u, %u channels, %u bytes per descriptor\n",
		 ver >> 4, ver & 0xf, idev->chancnt, idev->xfercap);
	return 0;

stop:
	ioat_stop(idev);
	return ret;
}

static void ioat_remove(struct pci_dev *pdev)
{
	struct ioat_dev *idev = pci_get_drvdata(pdev);

	debugfs_remove_recursive(idev->debugfs);
	down_write(&ioat_copy_dev.lock);
	if (ioat_copy_dev.idev == idev)
		ioat_copy_dev.idev = NULL;
	up_write(&ioat_copy_dev.lock);

	dma_async_device_unregister(&idev->dma);
	ioat_stop(idev);
}

static const struct pci_device_id ioat_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x0b00) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ioat_pci_tbl);

static struct pci_driver ioat_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = ioat_pci_tbl,
	.probe = ioat_probe,
	.remove = ioat_remove,
};

static int __init ioat_init(void)
{
	int ret;

	ret = misc_register(&ioat_copy_misc);
	if (ret)
		return ret;
	ioat_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&ioat_pci_driver);
	if (ret) {
		debugfs_remove_recursive(ioat_debugfs);
		misc_deregister(&ioat_copy_misc);
	}
	return ret;
}
module_init(ioat_init);

static void __exit ioat_exit(void)
{
	pci_unregister_driver(&ioat_pci_driver);
	debugfs_remove_recursive(ioat_debugfs);
	misc_deregister(&ioat_copy_misc);
}
module_exit(ioat_exit);

MODULE_DESCRIPTION("dmaengine provider for the ioat-dma (I/OAT CB3.4) model");
MODULE_LICENSE("GPL");
