// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_dma user-copy interface: /dev/ioat-copy (the ABI is in ioat_copy.h)
 * and the debugfs error injection.
 *
 * The copy and fill ioctls share one path: it pins the user buffers (a
 * copy's two, a fill's destination) a chunk at a time, maps them as
 * scatter lists and queues one descriptor per piece that is contiguous in
 * every buffer, as one operation on the ring the dmaengine clients use.
 */

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rwsem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioat_copy.h"
#include "ioat_dma.h"

/* Requests are split into chunks: pinned, run and unpinned one at a time. */
#define IOAT_DMA_COPY_CHUNK		SZ_1M
#define IOAT_DMA_COPY_TIMEOUT_MS	5000

/* A bus address nothing decodes, for the error injection. */
#define IOAT_DMA_BAD_BUS_ADDR		BIT_ULL(46)

/* /dev/ioat-copy copies and fills with the first device probed. */
static struct {
	struct rw_semaphore lock;	/* held for reading during a request */
	struct ioat_dma_dev *idev;
} ioat_dma_copy_dev = {
	.lock = __RWSEM_INITIALIZER(ioat_dma_copy_dev.lock),
};

static struct dentry *ioat_dma_debugfs;

struct ioat_dma_user_buf {
	struct page **pages;
	int npages;
	struct sg_table sgt;
	bool write;
};

static void ioat_dma_user_unpin(struct device *dev,
				struct ioat_dma_user_buf *b)
{
	dma_unmap_sgtable(dev, &b->sgt, b->write ? DMA_FROM_DEVICE :
			  DMA_TO_DEVICE, 0);
	sg_free_table(&b->sgt);
	/* The engine wrote the destination: set_page_dirty_lock() each page. */
	unpin_user_pages_dirty_lock(b->pages, b->npages, b->write);
	kvfree(b->pages);
}

static int ioat_dma_user_pin(struct device *dev, struct ioat_dma_user_buf *b,
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
struct ioat_dma_sg_pos {
	struct scatterlist *sg;
	dma_addr_t addr;
	u32 left;
};

static void ioat_dma_sg_start(struct ioat_dma_sg_pos *p,
			      const struct sg_table *sgt)
{
	p->sg = sgt->sgl;
	p->addr = sg_dma_address(p->sg);
	p->left = sg_dma_len(p->sg);
}

static void ioat_dma_sg_advance(struct ioat_dma_sg_pos *p, u32 n)
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
 * One /dev/ioat-copy request, copy or fill, as the ioctl argument gave it
 * (see ioat_copy.h); @descs and @ns are the results.
 */
struct ioat_dma_user_req {
	u8 op;				/* IOAT_DMA_OP_COPY or _FILL */
	u64 dst;
	u64 src;			/* copy */
	u64 pattern;			/* fill */
	u64 len;
	u32 channel;
	u32 flags;
	u32 reserved;			/* irq_ns on input: must be 0 */
	u32 descs;
	u64 ns;
	u64 irq_ns;
};

static bool ioat_dma_req_has_src(const struct ioat_dma_user_req *req)
{
	return req->op == IOAT_DMA_OP_COPY;
}

/* One chunk of a request, @off bytes into it: pinned, mapped, run. */
struct ioat_dma_chunk {
	u64 off;
	size_t len;
	struct ioat_dma_user_buf dst;
	struct ioat_dma_user_buf src;	/* copy */
};

static int ioat_dma_chunk_pin(struct device *dev,
			      const struct ioat_dma_user_req *req,
			      struct ioat_dma_chunk *c)
{
	int ret;

	if (ioat_dma_req_has_src(req)) {
		ret = ioat_dma_user_pin(dev, &c->src, req->src + c->off,
					c->len, false);
		if (ret)
			return ret;
	}
	ret = ioat_dma_user_pin(dev, &c->dst, req->dst + c->off, c->len, true);
	if (ret && ioat_dma_req_has_src(req))
		ioat_dma_user_unpin(dev, &c->src);
	return ret;
}

static void ioat_dma_chunk_unpin(struct device *dev,
				 const struct ioat_dma_user_req *req,
				 struct ioat_dma_chunk *c)
{
	ioat_dma_user_unpin(dev, &c->dst);
	if (ioat_dma_req_has_src(req))
		ioat_dma_user_unpin(dev, &c->src);
}

/*
 * Walk the chunk's lists in step, one descriptor per piece that is
 * contiguous in each; a fill walks only the destination and gives each
 * piece the pattern in phase with the request's first byte.  With
 * @ch == NULL only count the descriptors.
 */
static u32 ioat_dma_sg_descs(struct ioat_dma_chan *ch, u32 xfercap,
			     const struct ioat_dma_user_req *req,
			     const struct ioat_dma_chunk *c, u32 last_ctl)
{
	bool has_src = ioat_dma_req_has_src(req);
	u32 ctl = FIELD_PREP(IOAT_DMA_DESC_OP, req->op);
	struct ioat_dma_sg_pos d, s = {};
	size_t done = 0;
	u32 n = 0, size;
	u64 src;

	ioat_dma_sg_start(&d, &c->dst.sgt);
	if (has_src)
		ioat_dma_sg_start(&s, &c->src.sgt);
	while (done < c->len) {
		size = min(d.left, xfercap);
		if (has_src)
			size = min(size, s.left);
		if (ch) {
			src = has_src ? s.addr :
			      ioat_dma_pattern_at(req->pattern, c->off + done);
			ioat_dma_set_desc(ch, ch->head + n, d.addr, src, size,
					  done + size == c->len ?
					  ctl | last_ctl : ctl);
		}
		ioat_dma_sg_advance(&d, size);
		if (has_src)
			ioat_dma_sg_advance(&s, size);
		done += size;
		n++;
	}
	return n;
}

/* One operation in flight, waited for by its submitter. */
struct ioat_dma_waiter {
	struct completion done;
	enum dmaengine_tx_result result;
	struct ioat_dma_chan *ch;
	ktime_t start;			/* the doorbell */
	ktime_t irq;			/* the channel's last interrupt */
	ktime_t end;			/* the callback */
};

static void ioat_dma_waiter_done(void *param,
				 const struct dmaengine_result *res)
{
	struct ioat_dma_waiter *w = param;

	w->end = ktime_get();
	w->irq = READ_ONCE(w->ch->last_irq);
	w->result = res->result;
	complete(&w->done);
}

/*
 * Submit @txd (prepared, prep_lock held), ring the doorbell and wait for
 * the callback.  If it does not come in time, reset the channel: the
 * buffers are about to be released, so the engine must not touch them any
 * more.  Returns 0 once the operation completed, whatever its result.
 */
static int ioat_dma_run(struct ioat_dma_chan *ch,
			struct dma_async_tx_descriptor *txd,
			struct ioat_dma_waiter *w)
	__releases(ch->prep_lock)
{
	unsigned long timeout;

	init_completion(&w->done);
	w->ch = ch;
	txd->callback_result = ioat_dma_waiter_done;
	txd->callback_param = w;
	ioat_dma_tx_submit(txd);

	w->start = ktime_get();
	ioat_dma_issue_pending(&ch->chan);
	timeout = msecs_to_jiffies(IOAT_DMA_COPY_TIMEOUT_MS);
	if (wait_for_completion_timeout(&w->done, timeout))
		return 0;

	spin_lock_bh(&ch->cleanup_lock);
	ioat_dma_chan_cleanup(ch);
	if (!completion_done(&w->done)) {
		dev_err(ioat_dma_chan_dev(ch),
			"channel %u: request timed out, resetting\n",
			ch->index);
		ioat_dma_chan_restart(ch, DMA_TRANS_ABORTED);
	}
	spin_unlock_bh(&ch->cleanup_lock);
	wait_for_completion(&w->done);
	return -ETIMEDOUT;
}

/* Run one pinned chunk as one operation. */
static int ioat_dma_chunk_run(struct ioat_dma_chan *ch,
			      struct ioat_dma_user_req *req,
			      const struct ioat_dma_chunk *c)
{
	u32 xfercap = ch->idev->xfercap;
	struct dma_async_tx_descriptor *txd;
	struct ioat_dma_waiter w;
	int ret;
	u32 n;

	n = ioat_dma_sg_descs(NULL, xfercap, req, c, 0);
	if (!ioat_dma_reserve(ch, n))
		return -EBUSY;
	ioat_dma_sg_descs(ch, xfercap, req, c,
			  ioat_dma_op_ctl(DMA_PREP_INTERRUPT));
	txd = ioat_dma_last(ch, n, DMA_CTRL_ACK | DMA_PREP_INTERRUPT);
	ret = ioat_dma_run(ch, txd, &w);
	if (ret)
		return ret;
	req->descs += n;
	req->ns += ktime_to_ns(ktime_sub(w.end, w.start));
	if (ktime_after(w.irq, w.start))
		req->irq_ns += ktime_to_ns(ktime_sub(w.irq, w.start));
	return w.result == DMA_TRANS_NOERROR ? 0 : -EIO;
}

static int ioat_dma_user_run(struct ioat_dma_chan *ch,
			     struct ioat_dma_user_req *req)
{
	struct device *dev = ioat_dma_chan_dev(ch);
	struct ioat_dma_chunk c;
	int ret = 0;

	req->descs = 0;
	req->ns = 0;
	req->irq_ns = 0;
	for (c.off = 0; c.off < req->len && !ret; c.off += c.len) {
		c.len = min_t(u64, req->len - c.off, IOAT_DMA_COPY_CHUNK);
		ret = ioat_dma_chunk_pin(dev, req, &c);
		if (ret)
			break;
		ret = ioat_dma_chunk_run(ch, req, &c);
		ioat_dma_chunk_unpin(dev, req, &c);
	}
	return ret;
}

/* Check a request and run it on a channel of the first device. */
static int ioat_dma_user_req(struct ioat_dma_user_req *req)
{
	struct ioat_dma_dev *idev;
	int ret;

	if (req->flags || req->reserved)
		return -EINVAL;
	if (req->len > IOAT_COPY_MAX_LEN)
		return -E2BIG;

	down_read(&ioat_dma_copy_dev.lock);
	idev = ioat_dma_copy_dev.idev;
	if (!idev)
		ret = -ENODEV;
	else if (req->op == IOAT_DMA_OP_FILL && !ioat_dma_has_fill(idev))
		ret = -EOPNOTSUPP;
	else if (req->channel >= idev->chancnt)
		ret = -EINVAL;
	else
		ret = ioat_dma_user_run(&idev->chans[req->channel], req);
	up_read(&ioat_dma_copy_dev.lock);
	return ret;
}

static int ioat_dma_ioctl_copy(struct ioat_copy __user *uarg)
{
	struct ioat_dma_user_req req = { .op = IOAT_DMA_OP_COPY };
	struct ioat_copy arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	req.dst = arg.dst;
	req.src = arg.src;
	req.len = arg.len;
	req.channel = arg.channel;
	req.flags = arg.flags;
	req.reserved = arg.irq_ns;
	ret = ioat_dma_user_req(&req);
	if (ret)
		return ret;
	arg.descs = req.descs;
	arg.ns = req.ns;
	arg.irq_ns = min_t(u64, req.irq_ns, U32_MAX);
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}

static int ioat_dma_ioctl_fill(struct ioat_fill __user *uarg)
{
	struct ioat_dma_user_req req = { .op = IOAT_DMA_OP_FILL };
	struct ioat_fill arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	req.dst = arg.dst;
	req.pattern = arg.pattern;
	req.len = arg.len;
	req.channel = arg.channel;
	req.flags = arg.flags;
	req.reserved = arg.irq_ns;
	ret = ioat_dma_user_req(&req);
	if (ret)
		return ret;
	arg.descs = req.descs;
	arg.ns = req.ns;
	arg.irq_ns = min_t(u64, req.irq_ns, U32_MAX);
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}

static long ioat_dma_copy_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	switch (cmd) {
	case IOAT_COPY_IOC_COPY:
		return ioat_dma_ioctl_copy((struct ioat_copy __user *)arg);
	case IOAT_COPY_IOC_FILL:
		return ioat_dma_ioctl_fill((struct ioat_fill __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ioat_dma_copy_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ioat_dma_copy_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice ioat_dma_copy_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ioat-copy",
	.fops = &ioat_dma_copy_fops,
};

/*
 * debugfs: ioat_dma/<device>/inject_read_error.  Writing a channel number
 * makes that channel copy from a bus address nothing decodes: the engine
 * halts with CHANERR read data error, the driver reports it, fails the
 * copy with DMA_TRANS_READ_FAILED and restarts the channel.  The write
 * succeeds if all of that happened.
 */
static int ioat_dma_inject_read_error(struct ioat_dma_chan *ch)
{
	struct device *dev = ioat_dma_chan_dev(ch);
	struct dma_async_tx_descriptor *txd;
	struct ioat_dma_waiter w;
	dma_addr_t dst;
	void *buf;
	int ret;

	buf = dma_alloc_coherent(dev, PAGE_SIZE, &dst, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	txd = ioat_dma_prep_memcpy(&ch->chan, dst, IOAT_DMA_BAD_BUS_ADDR, 64,
				   DMA_CTRL_ACK | DMA_PREP_INTERRUPT);
	if (!txd) {
		ret = -EBUSY;
		goto out;
	}
	ret = ioat_dma_run(ch, txd, &w);
	if (!ret && w.result != DMA_TRANS_READ_FAILED)
		ret = -EIO;
out:
	dma_free_coherent(dev, PAGE_SIZE, buf, dst);
	return ret;
}

static ssize_t ioat_dma_inject_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	struct ioat_dma_dev *idev = file->private_data;
	unsigned int i;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &i);
	if (ret)
		return ret;
	if (i >= idev->chancnt)
		return -EINVAL;
	ret = ioat_dma_inject_read_error(&idev->chans[i]);
	return ret ? ret : count;
}

static const struct file_operations ioat_dma_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ioat_dma_inject_write,
	.llseek = noop_llseek,
};

/* A device probed: the first one gets /dev/ioat-copy, each its debugfs. */
void ioat_dma_copy_add(struct ioat_dma_dev *idev)
{
	down_write(&ioat_dma_copy_dev.lock);
	if (!ioat_dma_copy_dev.idev)
		ioat_dma_copy_dev.idev = idev;
	up_write(&ioat_dma_copy_dev.lock);

	idev->debugfs = debugfs_create_dir(pci_name(idev->pdev),
					   ioat_dma_debugfs);
	debugfs_create_file("inject_read_error", 0200, idev->debugfs, idev,
			    &ioat_dma_inject_fops);
}

/* Before the device goes: no copy is running once this returns. */
void ioat_dma_copy_remove(struct ioat_dma_dev *idev)
{
	debugfs_remove_recursive(idev->debugfs);
	down_write(&ioat_dma_copy_dev.lock);
	if (ioat_dma_copy_dev.idev == idev)
		ioat_dma_copy_dev.idev = NULL;
	up_write(&ioat_dma_copy_dev.lock);
}

int ioat_dma_copy_init(void)
{
	int ret;

	ret = misc_register(&ioat_dma_copy_misc);
	if (ret)
		return ret;
	ioat_dma_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	return 0;
}

void ioat_dma_copy_exit(void)
{
	debugfs_remove_recursive(ioat_dma_debugfs);
	misc_deregister(&ioat_dma_copy_misc);
}
