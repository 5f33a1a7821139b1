// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_dma dmaengine provider.
 *
 * Each hardware channel becomes one dmaengine channel offering DMA_MEMCPY
 * and DMA_INTERRUPT, and DMA_MEMSET (block fill descriptors) when
 * DMACAPABILITY advertises BLOCK_FILL.  A channel owns a ring of 64-byte
 * descriptors, linked in a circle through their @next field:
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
 */

#include <linux/bitfield.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/module.h>

#include "ioat_dma.h"

#define IOAT_DMA_RESET_TIMEOUT_US		200000
/* Work in flight without progress for 2-3 ticks: the engine stalled. */
#define IOAT_DMA_WATCHDOG_MS			500
#define IOAT_DMA_WATCHDOG_STALL_TICKS		2

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

static struct ioat_dma_chan *to_ioat_dma_chan(struct dma_chan *c)
{
	return container_of(c, struct ioat_dma_chan, chan);
}

static struct ioat_dma_desc *ioat_dma_desc(struct ioat_dma_chan *ch, u32 i)
{
	return &ch->ring[i & (IOAT_DMA_RING_SIZE - 1)];
}

static u32 ioat_dma_ring_space(struct ioat_dma_chan *ch)
{
	return IOAT_DMA_RING_SIZE - 1 - (ch->head - READ_ONCE(ch->tail));
}

/* Channel control */

static int ioat_dma_chan_reset(struct ioat_dma_chan *ch)
{
	u8 cmd;
	int ret;

	writel(readl(ch->regs + IOAT_DMA_CHANERR), ch->regs + IOAT_DMA_CHANERR);
	writeb(IOAT_DMA_CHANCMD_RESET, ch->regs + IOAT_DMA_CHANCMD);
	ret = readb_poll_timeout_atomic(ch->regs + IOAT_DMA_CHANCMD, cmd,
					!(cmd & IOAT_DMA_CHANCMD_RESET), 1,
					IOAT_DMA_RESET_TIMEOUT_US);
	if (ret)
		dev_err(ioat_dma_chan_dev(ch), "channel %u: reset timed out\n",
			ch->index);
	return ret;
}

/*
 * Point the engine at slot @issued with an empty count: the channel is
 * armed, and the next DMACOUNT write starts it.  Called after a reset.
 */
static void ioat_dma_chan_start(struct ioat_dma_chan *ch)
{
	void __iomem *regs = ch->regs;
	dma_addr_t chain;

	spin_lock_bh(&ch->prep_lock);
	chain = ioat_dma_desc(ch, ch->issued)->phys;
	WRITE_ONCE(*ch->completion, 0);
	ch->last_completion = 0;
	ch->dmacount = 0;
	writew(IOAT_DMA_CHANCTRL_RUN, regs + IOAT_DMA_CHANCTRL);
	writel(lower_32_bits(ch->completion_dma), regs + IOAT_DMA_CHANCMP);
	writel(upper_32_bits(ch->completion_dma), regs + IOAT_DMA_CHANCMP + 4);
	writel(lower_32_bits(chain), regs + IOAT_DMA_CHAINADDR);
	writel(upper_32_bits(chain), regs + IOAT_DMA_CHAINADDR + 4);
	spin_unlock_bh(&ch->prep_lock);
}

/* Completion (cleanup_lock held) */

static void ioat_dma_desc_complete(struct ioat_dma_desc *d,
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
static void ioat_dma_chan_abort(struct ioat_dma_chan *ch,
				enum dmaengine_tx_result result)
{
	u32 issued = READ_ONCE(ch->issued);
	struct ioat_dma_desc *d;

	while (ch->tail != issued) {
		d = ioat_dma_desc(ch, ch->tail);
		WRITE_ONCE(ch->tail, ch->tail + 1);
		if (d->txd.cookie > 0) {
			ioat_dma_desc_complete(d, result);
			result = DMA_TRANS_ABORTED;
		}
	}
}

/*
 * Reset the channel, fail what was handed to the engine (the first
 * operation with @result, the rest aborted) and restart the chain at the
 * first slot not yet issued.
 */
void ioat_dma_chan_restart(struct ioat_dma_chan *ch,
			   enum dmaengine_tx_result result)
{
	ioat_dma_chan_reset(ch);
	ioat_dma_chan_abort(ch, result);
	ioat_dma_chan_start(ch);
}

/* CHANERR bits 0-18, in order */
static const char *const ioat_dma_chanerr_names[] = {
	"source address", "destination address", "next descriptor address",
	"descriptor alignment", "chain address", "bad command",
	"chipset uncorrectable data integrity", "uncorrectable data integrity",
	"read data", "write data", "descriptor control", "transfer length",
	"completion address", "interrupt configuration", "super extended",
	"unaffiliated", "XOR P", "XOR Q", "descriptor count",
};

/* The engine halted: report CHANERR, fail what was in flight, restart. */
static void ioat_dma_chan_halted(struct ioat_dma_chan *ch)
{
	enum dmaengine_tx_result result = DMA_TRANS_ABORTED;
	u32 chanerr = readl(ch->regs + IOAT_DMA_CHANERR);
	unsigned long bits = chanerr;
	unsigned int bit;

	dev_err(ioat_dma_chan_dev(ch), "channel %u halted, CHANERR %#x\n",
		ch->index, chanerr);
	for_each_set_bit(bit, &bits, ARRAY_SIZE(ioat_dma_chanerr_names))
		dev_err(ioat_dma_chan_dev(ch), "channel %u: %s error\n",
			ch->index, ioat_dma_chanerr_names[bit]);

	if (chanerr & IOAT_DMA_CHANERR_READ_DATA)
		result = DMA_TRANS_READ_FAILED;
	else if (chanerr & IOAT_DMA_CHANERR_WRITE_DATA)
		result = DMA_TRANS_WRITE_FAILED;

	ioat_dma_chan_restart(ch, result);
}

/*
 * Reap every slot up to the one named by @status, a completion record or
 * CHANSTS.  The record names the last descriptor with COMPL_WRITE that
 * finished (or, on a halt, the last one that finished at all), never one
 * past @issued.
 */
static void ioat_dma_chan_reap(struct ioat_dma_chan *ch, u64 status)
{
	dma_addr_t done = status & IOAT_DMA_CHANSTS_ADDR;
	u32 issued = READ_ONCE(ch->issued);
	u32 idx, count;

	if (done && done != ch->last_completion) {
		idx = (done - ch->hw_ring_dma) / sizeof(*ch->hw_ring);
		count = ((idx - ch->tail) & (IOAT_DMA_RING_SIZE - 1)) + 1;
		if (done < ch->hw_ring_dma || idx >= IOAT_DMA_RING_SIZE ||
		    count > issued - ch->tail) {
			dev_warn_ratelimited(ioat_dma_chan_dev(ch),
					     "channel %u: completion %#llx is not in flight\n",
					     ch->index, status);
			return;
		}
		while (count--) {
			ioat_dma_desc_complete(ioat_dma_desc(ch, ch->tail),
					       DMA_TRANS_NOERROR);
			WRITE_ONCE(ch->tail, ch->tail + 1);
		}
		ch->last_completion = done;
	}

	if ((status & IOAT_DMA_CHANSTS_STATUS) == IOAT_DMA_CHANSTS_HALTED)
		ioat_dma_chan_halted(ch);
}

void ioat_dma_chan_cleanup(struct ioat_dma_chan *ch)
{
	ioat_dma_chan_reap(ch, READ_ONCE(*ch->completion));
}

/*
 * The watchdog ticks while slots are in flight and covers what the
 * completion path cannot see.  A completion write that never landed:
 * CHANSTS holds what the record should, so reap from it.  A lost
 * interrupt: that reap (or the record) shows work the tasklet never saw;
 * re-arm the channel.  No progress at all for IOAT_DMA_WATCHDOG_STALL_TICKS
 * ticks with the engine not halted: it stalled; reset the channel and fail
 * what was in flight.
 */
static void ioat_dma_chan_watchdog(struct timer_list *t)
{
	struct ioat_dma_chan *ch = from_timer(ch, t, watchdog);
	u32 before;

	spin_lock_bh(&ch->cleanup_lock);
	if (ch->tail == READ_ONCE(ch->issued)) {
		ch->watchdog_idle_ticks = 0;
		goto out;
	}
	before = ch->tail;
	ioat_dma_chan_cleanup(ch);
	/* Nothing from the record: CHANSTS holds what it should have. */
	if (ch->tail == before)
		ioat_dma_chan_reap(ch, lo_hi_readq(ch->regs + IOAT_DMA_CHANSTS));
	if (ch->tail != before) {
		dev_warn_ratelimited(ioat_dma_chan_dev(ch),
				     "channel %u: %u slots done without an interrupt or completion record\n",
				     ch->index, ch->tail - before);
		writew(IOAT_DMA_CHANCTRL_RUN, ch->regs + IOAT_DMA_CHANCTRL);
	}
	if (ch->tail != ch->watchdog_tail) {
		ch->watchdog_tail = ch->tail;
		ch->watchdog_idle_ticks = 0;
	} else if (++ch->watchdog_idle_ticks >= IOAT_DMA_WATCHDOG_STALL_TICKS) {
		dev_err(ioat_dma_chan_dev(ch),
			"channel %u: no progress in %u ms, CHANSTS %#llx, resetting\n",
			ch->index,
			IOAT_DMA_WATCHDOG_MS * IOAT_DMA_WATCHDOG_STALL_TICKS,
			lo_hi_readq(ch->regs + IOAT_DMA_CHANSTS));
		ch->watchdog_idle_ticks = 0;
		ioat_dma_chan_restart(ch, DMA_TRANS_ABORTED);
	}
	if (ch->tail != READ_ONCE(ch->issued))
		mod_timer(&ch->watchdog,
			  jiffies + msecs_to_jiffies(IOAT_DMA_WATCHDOG_MS));
out:
	spin_unlock_bh(&ch->cleanup_lock);
}

static void ioat_dma_chan_tasklet(struct tasklet_struct *t)
{
	struct ioat_dma_chan *ch = from_tasklet(ch, t, tasklet);

	spin_lock(&ch->cleanup_lock);
	ioat_dma_chan_cleanup(ch);
	spin_unlock(&ch->cleanup_lock);

	/* Re-arm last: a completion since the read above interrupts again. */
	writew(IOAT_DMA_CHANCTRL_RUN, ch->regs + IOAT_DMA_CHANCTRL);
}

static irqreturn_t ioat_dma_chan_irq(int irq, void *data)
{
	struct ioat_dma_chan *ch = data;

	WRITE_ONCE(ch->last_irq, ktime_get());
	tasklet_schedule(&ch->tasklet);
	return IRQ_HANDLED;
}

/* Submission */

/*
 * Reserve @n slots at ch->head.  On success the prep_lock stays held until
 * ioat_dma_tx_submit() publishes them, as in other ring-based providers.
 */
bool ioat_dma_reserve(struct ioat_dma_chan *ch, u32 n)
	__acquires(ch->prep_lock)
{
	spin_lock_bh(&ch->prep_lock);
	if (ioat_dma_ring_space(ch) >= n)
		return true;
	spin_unlock_bh(&ch->prep_lock);
	__acquire(ch->prep_lock);	/* keep sparse's lock count even */
	return false;
}

/* Write the descriptor in @slot: @src is the source, or a fill's pattern. */
void ioat_dma_set_desc(struct ioat_dma_chan *ch, u32 slot, dma_addr_t dst,
		       u64 src, u32 size, u32 ctl)
{
	struct ioat_dma_hw_desc *hw = ioat_dma_desc(ch, slot)->hw;

	hw->size = cpu_to_le32(size);
	hw->ctl = cpu_to_le32(ctl);
	hw->src = cpu_to_le64(src);
	hw->dst = cpu_to_le64(dst);
}

/* The txd of the operation's last slot, whose completion carries it. */
struct dma_async_tx_descriptor *ioat_dma_last(struct ioat_dma_chan *ch, u32 n,
					      unsigned long flags)
{
	struct ioat_dma_desc *d = ioat_dma_desc(ch, ch->head + n - 1);

	d->nslots = n;
	d->txd.flags = flags;
	return &d->txd;
}

dma_cookie_t ioat_dma_tx_submit(struct dma_async_tx_descriptor *txd)
	__releases(ch->prep_lock)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(txd->chan);
	struct ioat_dma_desc *d = container_of(txd, struct ioat_dma_desc, txd);
	dma_cookie_t cookie = dma_cookie_assign(txd);

	/* Descriptors are written before the engine may be told of them. */
	wmb();
	ch->head += d->nslots;
	spin_unlock_bh(&ch->prep_lock);
	return cookie;
}

u32 ioat_dma_op_ctl(unsigned long flags)
{
	u32 ctl = IOAT_DMA_DESC_COMPL_WRITE;

	if (flags & DMA_PREP_INTERRUPT)
		ctl |= IOAT_DMA_DESC_INT_EN;
	if (flags & DMA_PREP_FENCE)
		ctl |= IOAT_DMA_DESC_FENCE;
	return ctl;
}

/*
 * A copy (@op IOAT_DMA_OP_COPY from @src) or a fill (IOAT_DMA_OP_FILL of
 * the pattern @src) of @len bytes at @dst, one descriptor per 2^XFERCAP
 * bytes.
 */
static struct dma_async_tx_descriptor *
ioat_dma_prep_linear(struct ioat_dma_chan *ch, u8 op, dma_addr_t dst, u64 src,
		     size_t len, unsigned long flags)
{
	u32 xfercap = ch->idev->xfercap;
	u32 n = DIV_ROUND_UP(len, xfercap);
	u32 ctl = FIELD_PREP(IOAT_DMA_DESC_OP, op);
	u64 off = 0;
	u32 i, size;

	if (!len || len > (size_t)xfercap * (IOAT_DMA_RING_SIZE - 1))
		return NULL;
	if (!ioat_dma_reserve(ch, n))
		return NULL;

	for (i = 0; i < n; i++) {
		size = min_t(size_t, len - off, xfercap);
		ioat_dma_set_desc(ch, ch->head + i, dst + off,
				  op == IOAT_DMA_OP_FILL ?
				  ioat_dma_pattern_at(src, off) : src + off,
				  size, i == n - 1 ?
				  ctl | ioat_dma_op_ctl(flags) : ctl);
		off += size;
	}
	return ioat_dma_last(ch, n, flags);
}

struct dma_async_tx_descriptor *
ioat_dma_prep_memcpy(struct dma_chan *c, dma_addr_t dst, dma_addr_t src,
		     size_t len, unsigned long flags)
{
	return ioat_dma_prep_linear(to_ioat_dma_chan(c), IOAT_DMA_OP_COPY,
				    dst, src, len, flags);
}

/* dmaengine's memset value is a byte, replicated over the pattern. */
static struct dma_async_tx_descriptor *
ioat_dma_prep_memset(struct dma_chan *c, dma_addr_t dst, int value,
		     size_t len, unsigned long flags)
{
	return ioat_dma_prep_linear(to_ioat_dma_chan(c), IOAT_DMA_OP_FILL,
				    dst, 0x0101010101010101ULL * (u8)value,
				    len, flags);
}

static struct dma_async_tx_descriptor *
ioat_dma_prep_interrupt(struct dma_chan *c, unsigned long flags)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(c);

	if (!ioat_dma_reserve(ch, 1))
		return NULL;
	ioat_dma_set_desc(ch, ch->head, 0, 0, 1, IOAT_DMA_DESC_NULL |
			  ioat_dma_op_ctl(flags | DMA_PREP_INTERRUPT));
	return ioat_dma_last(ch, 1, flags);
}

/* Ring the doorbell for everything submitted since the last time. */
void ioat_dma_issue_pending(struct dma_chan *c)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(c);

	spin_lock_bh(&ch->prep_lock);
	if (ch->issued != ch->head) {
		ch->dmacount += (u16)(ch->head - ch->issued);
		WRITE_ONCE(ch->issued, ch->head);
		writew(ch->dmacount, ch->regs + IOAT_DMA_DMACOUNT);
		if (!timer_pending(&ch->watchdog))
			mod_timer(&ch->watchdog, jiffies +
				  msecs_to_jiffies(IOAT_DMA_WATCHDOG_MS));
	}
	spin_unlock_bh(&ch->prep_lock);
}

static enum dma_status ioat_dma_tx_status(struct dma_chan *c,
					  dma_cookie_t cookie,
					  struct dma_tx_state *txstate)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(c);
	enum dma_status ret;

	ret = dma_cookie_status(c, cookie, txstate);
	if (ret == DMA_COMPLETE)
		return ret;

	spin_lock_bh(&ch->cleanup_lock);
	ioat_dma_chan_cleanup(ch);
	spin_unlock_bh(&ch->cleanup_lock);

	return dma_cookie_status(c, cookie, txstate);
}

/* Fail everything submitted, issued or not, and restart empty. */
static int ioat_dma_terminate_all(struct dma_chan *c)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(c);

	spin_lock_bh(&ch->cleanup_lock);
	ioat_dma_chan_cleanup(ch);
	spin_lock_bh(&ch->prep_lock);
	WRITE_ONCE(ch->issued, ch->head);
	spin_unlock_bh(&ch->prep_lock);
	if (ch->tail != ch->issued)
		ioat_dma_chan_restart(ch, DMA_TRANS_ABORTED);
	spin_unlock_bh(&ch->cleanup_lock);
	return 0;
}

/* The ring lives as long as the device, so a client only gets to use it. */
static int ioat_dma_alloc_chan_resources(struct dma_chan *c)
{
	return IOAT_DMA_RING_SIZE - 1;
}

static void ioat_dma_free_chan_resources(struct dma_chan *c)
{
	struct ioat_dma_chan *ch = to_ioat_dma_chan(c);

	spin_lock_bh(&ch->cleanup_lock);
	ioat_dma_chan_cleanup(ch);
	spin_unlock_bh(&ch->cleanup_lock);
}

/* Probe and remove */

static int ioat_dma_chan_init(struct ioat_dma_dev *idev, unsigned int i,
			      u64 *completion, dma_addr_t completion_dma)
{
	struct device *dev = &idev->pdev->dev;
	struct ioat_dma_chan *ch = &idev->chans[i];
	struct ioat_dma_desc *d;
	const char *name;
	u32 j;
	int ret;

	ch->idev = idev;
	ch->index = i;
	ch->regs = idev->bar + IOAT_DMA_CHAN_BASE(i);
	ch->completion = completion;
	ch->completion_dma = completion_dma;
	spin_lock_init(&ch->prep_lock);
	spin_lock_init(&ch->cleanup_lock);
	tasklet_setup(&ch->tasklet, ioat_dma_chan_tasklet);
	timer_setup(&ch->watchdog, ioat_dma_chan_watchdog, 0);

	ch->hw_ring = dmam_alloc_coherent(dev, IOAT_DMA_RING_SIZE *
					  sizeof(*ch->hw_ring),
					  &ch->hw_ring_dma, GFP_KERNEL);
	ch->ring = devm_kcalloc(dev, IOAT_DMA_RING_SIZE, sizeof(*ch->ring),
				GFP_KERNEL);
	if (!ch->hw_ring || !ch->ring)
		return -ENOMEM;

	ch->chan.device = &idev->dma;
	dma_cookie_init(&ch->chan);
	for (j = 0; j < IOAT_DMA_RING_SIZE; j++) {
		d = &ch->ring[j];
		d->hw = &ch->hw_ring[j];
		d->phys = ch->hw_ring_dma + j * sizeof(*d->hw);
		d->hw->next = cpu_to_le64(ch->hw_ring_dma +
					  ((j + 1) % IOAT_DMA_RING_SIZE) *
					  sizeof(*d->hw));
		dma_async_tx_descriptor_init(&d->txd, &ch->chan);
		d->txd.tx_submit = ioat_dma_tx_submit;
	}

	ch->irq = pci_irq_vector(idev->pdev, i);
	name = devm_kasprintf(dev, GFP_KERNEL, "ioat_dma-chan%u", i);
	if (!name)
		return -ENOMEM;
	ret = devm_request_irq(dev, ch->irq, ioat_dma_chan_irq, 0, name, ch);
	if (ret)
		return ret;

	ret = ioat_dma_chan_reset(ch);
	if (ret)
		return ret;
	ioat_dma_chan_start(ch);
	list_add_tail(&ch->chan.device_node, &idev->dma.channels);
	return 0;
}

/* Quiet the hardware and fail whatever is left; interrupts are off. */
static void ioat_dma_stop(struct ioat_dma_dev *idev)
{
	struct ioat_dma_chan *ch;
	unsigned int i;

	writeb(0, idev->bar + IOAT_DMA_INTRCTRL);
	for (i = 0; i < idev->chancnt; i++) {
		ch = &idev->chans[i];
		if (!ch->idev)
			continue;
		if (ch->irq > 0)
			synchronize_irq(ch->irq);
		tasklet_kill(&ch->tasklet);
		del_timer_sync(&ch->watchdog);
		ioat_dma_chan_reset(ch);
		spin_lock_bh(&ch->cleanup_lock);
		ioat_dma_chan_abort(ch, DMA_TRANS_ABORTED);
		spin_unlock_bh(&ch->cleanup_lock);
	}
}

static int ioat_dma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	dma_addr_t completion_dma;
	struct ioat_dma_dev *idev;
	struct dma_device *dma;
	unsigned int i, offset;
	void *completion;
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

	ver = readb(idev->bar + IOAT_DMA_CBVER);
	idev->chancnt = FIELD_GET(IOAT_DMA_CHANCNT_NUM,
				  readb(idev->bar + IOAT_DMA_CHANCNT));
	xfercap = FIELD_GET(IOAT_DMA_XFERCAP_LOG2,
			    readb(idev->bar + IOAT_DMA_XFERCAP));
	if (FIELD_GET(IOAT_DMA_CBVER_MAJOR, ver) != 3 || !idev->chancnt ||
	    !xfercap) {
		dev_err(dev, "unsupported: CBVER %#x, CHANCNT %u, XFERCAP %u\n",
			ver, idev->chancnt, xfercap);
		return -ENODEV;
	}
	idev->chancnt = min_t(unsigned int, idev->chancnt, IOAT_DMA_MAX_CHANS);
	idev->xfercap = 1U << min_t(u8, xfercap, 30);
	idev->dmacap = readl(idev->bar + IOAT_DMA_DMACAPABILITY);

	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, idev->chancnt, idev->chancnt,
				    PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;

	/* One completion record per channel, 64 bytes apart in one page. */
	completion = dmam_alloc_coherent(dev, PAGE_SIZE, &completion_dma,
					 GFP_KERNEL);
	if (!completion)
		return -ENOMEM;

	dma = &idev->dma;
	INIT_LIST_HEAD(&dma->channels);
	for (i = 0; i < idev->chancnt; i++) {
		offset = i * IOAT_DMA_COMPL_STRIDE;
		ret = ioat_dma_chan_init(idev, i, completion + offset,
					 completion_dma + offset);
		if (ret)
			goto stop;
	}
	writeb(IOAT_DMA_INTRCTRL_MASTER_INT_EN |
	       IOAT_DMA_INTRCTRL_MSIX_VECTOR_CTL,
	       idev->bar + IOAT_DMA_INTRCTRL);

	dma->dev = dev;
	dma->chancnt = idev->chancnt;
	dma_cap_set(DMA_MEMCPY, dma->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dma->cap_mask);
	dma_cap_set(DMA_PRIVATE, dma->cap_mask);
	dma->copy_align = DMAENGINE_ALIGN_1_BYTE;
	if (ioat_dma_has_fill(idev)) {
		dma_cap_set(DMA_MEMSET, dma->cap_mask);
		dma->fill_align = DMAENGINE_ALIGN_1_BYTE;
		dma->device_prep_dma_memset = ioat_dma_prep_memset;
	}
	dma->device_alloc_chan_resources = ioat_dma_alloc_chan_resources;
	dma->device_free_chan_resources = ioat_dma_free_chan_resources;
	dma->device_prep_dma_memcpy = ioat_dma_prep_memcpy;
	dma->device_prep_dma_interrupt = ioat_dma_prep_interrupt;
	dma->device_issue_pending = ioat_dma_issue_pending;
	dma->device_tx_status = ioat_dma_tx_status;
	dma->device_terminate_all = ioat_dma_terminate_all;
	ret = dma_async_device_register(dma);
	if (ret)
		goto stop;
	pci_set_drvdata(pdev, idev);

	ioat_dma_copy_add(idev);

	dev_info(dev, "CB%lu.%lu, %u channels, %u bytes per descriptor, DMACAPABILITY %#x%s\n",
		 FIELD_GET(IOAT_DMA_CBVER_MAJOR, ver),
		 FIELD_GET(IOAT_DMA_CBVER_MINOR, ver), idev->chancnt,
		 idev->xfercap, idev->dmacap,
		 ioat_dma_has_fill(idev) ? ", block fill" : "");
	return 0;

stop:
	ioat_dma_stop(idev);
	return ret;
}

static void ioat_dma_remove(struct pci_dev *pdev)
{
	struct ioat_dma_dev *idev = pci_get_drvdata(pdev);

	ioat_dma_copy_remove(idev);
	dma_async_device_unregister(&idev->dma);
	ioat_dma_stop(idev);
}

static const struct pci_device_id ioat_dma_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x0b00) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ioat_dma_pci_tbl);

static struct pci_driver ioat_dma_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = ioat_dma_pci_tbl,
	.probe = ioat_dma_probe,
	.remove = ioat_dma_remove,
};

static int __init ioat_dma_init(void)
{
	int ret;

	ret = ioat_dma_copy_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&ioat_dma_pci_driver);
	if (ret)
		ioat_dma_copy_exit();
	return ret;
}
module_init(ioat_dma_init);

static void __exit ioat_dma_exit(void)
{
	pci_unregister_driver(&ioat_dma_pci_driver);
	ioat_dma_copy_exit();
}
module_exit(ioat_dma_exit);

MODULE_DESCRIPTION("dmaengine provider for the ioat-dma (I/OAT CB3.4) model");
MODULE_LICENSE("GPL");
