// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_nic receive path.
 *
 * With split headers (the default) each descriptor carries two buffers:
 * a slot of IOAT_NIC_RX_HDR_SIZE bytes in one coherent header area, and
 * half a page for the payload (a whole page when a frame of the MTU
 * does not fit half of one).  SRRCTL.DESCTYPE 5 ("split always") makes
 * the device write the frame's headers, up to the start of the TCP/UDP
 * payload, into the header buffer and the rest into the page, and report
 * HDR_LEN and SPH in the write-back.  The driver copies the headers into
 * the skb's linear area and attaches the payload as a page fragment, so
 * the CPU never reads the payload.  A frame the device cannot split
 * (SPH = 0) has its first bytes in the header buffer all the same.
 *
 * With split_headers=0 (DESCTYPE 1) the page gets the whole frame and the
 * driver copies the headers out of it, as most drivers do.
 *
 * Half pages are reused: when the stack has released the other half
 * of the page by the time a half is received, the descriptor is given
 * the other half instead of a new page.  Whole pages go to the stack:
 * a TCP segment whose payload fills them (MTU 4148 with timestamps)
 * arrives as page fragments at offset 0 that a receiver can map with
 * TCP_ZEROCOPY_RECEIVE instead of copying them.
 *
 * With LRO (ethtool -K lro on) the device coalesces TCP segments (RSC):
 * a frame spans up to 16 descriptors, each with RSCCNT, each before EOP
 * with NEXTP naming the next.  This device always makes that the next
 * descriptor in the ring; a chain that jumps is counted and dropped.
 * The skb gets the sender's MSS back as gso_size, so that GRO and
 * forwarding see the segments it was made of.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#include "ioat_nic.h"

static bool ioat_nic_rx_alloc_buf(struct ioat_nic_rx_ring *rx,
				  struct ioat_nic_rx_buf *buf)
{
	struct device *dev = &rx->priv->pdev->dev;
	struct page *page;
	dma_addr_t dma;

	page = dev_alloc_page();
	if (unlikely(!page))
		return false;
	dma = dma_map_page_attrs(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
	if (unlikely(dma_mapping_error(dev, dma))) {
		__free_page(page);
		return false;
	}
	buf->page = page;
	buf->dma = dma;
	buf->offset = 0;
	return true;
}

static void ioat_nic_rx_unmap_buf(struct ioat_nic_rx_ring *rx,
				  struct ioat_nic_rx_buf *buf)
{
	dma_unmap_page_attrs(&rx->priv->pdev->dev, buf->dma, PAGE_SIZE,
			     DMA_FROM_DEVICE,
			     DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
	buf->page = NULL;
}

static u32 ioat_nic_rx_unused(struct ioat_nic_rx_ring *rx)
{
	return (rx->next_to_clean + rx->count - rx->next_to_use - 1) % rx->count;
}

/* Hand empty descriptors back to the device; false if a page was short. */
static bool ioat_nic_rx_refill(struct ioat_nic_rx_ring *rx)
{
	struct device *dev = &rx->priv->pdev->dev;
	u32 n = ioat_nic_rx_unused(rx);
	u32 i = rx->next_to_use;
	bool ok = true;

	if (!n)
		return true;

	while (n--) {
		union ioat_nic_rx_desc *desc = &rx->desc[i];
		struct ioat_nic_rx_buf *buf = &rx->bufs[i];

		if (!buf->page && !ioat_nic_rx_alloc_buf(rx, buf)) {
			u64_stats_update_begin(&rx->stats->syncp);
			rx->stats->alloc_fail++;
			u64_stats_update_end(&rx->stats->syncp);
			ok = false;
			break;
		}
		dma_sync_single_range_for_device(dev, buf->dma, buf->offset,
						 rx->buf_size, DMA_FROM_DEVICE);
		desc->read.pkt_addr = cpu_to_le64(buf->dma + buf->offset);
		/* 256-byte aligned, so the DD bit it overlays reads 0. */
		desc->read.hdr_addr = rx->split ?
			cpu_to_le64(rx->hdr_dma + i * IOAT_NIC_RX_HDR_SIZE) : 0;
		i = (i + 1) % rx->count;
	}

	if (i != rx->next_to_use) {
		rx->next_to_use = i;
		/* Descriptors are written before the device sees the tail. */
		wmb();
		ioat_nic_wr(rx->priv, IOAT_NIC_RDT(rx->q), i);
	}
	return ok;
}

/* Half a page unless a frame of the MTU needs more (jumbo frames too). */
u32 ioat_nic_rx_buf_size(const struct ioat_nic_priv *priv)
{
	u32 frame = priv->netdev->mtu + ETH_HLEN + VLAN_HLEN;

	return frame > IOAT_NIC_RX_HALF_PAGE ? PAGE_SIZE : IOAT_NIC_RX_HALF_PAGE;
}

int ioat_nic_rx_alloc_ring(struct ioat_nic_priv *priv,
			   struct ioat_nic_rx_ring *rx)
{
	struct device *dev = &priv->pdev->dev;

	rx->priv = priv;
	rx->buf_size = ioat_nic_rx_buf_size(priv);
	rx->split = priv->split_headers;
	rx->count = priv->rx_ring_size;
	rx->next_to_clean = 0;
	rx->next_to_use = 0;
	rx->skb = NULL;
	rx->discard = false;
	rx->rsc_segs = 0;
	rx->stats = &priv->rx_stats[rx->q];

	rx->bufs = kvcalloc(rx->count, sizeof(*rx->bufs), GFP_KERNEL);
	if (!rx->bufs)
		return -ENOMEM;
	rx->desc = dma_alloc_coherent(dev, rx->count * sizeof(*rx->desc),
				      &rx->desc_dma, GFP_KERNEL);
	if (!rx->desc)
		goto err;
	if (rx->split) {
		rx->hdr = dma_alloc_coherent(dev,
					     rx->count * IOAT_NIC_RX_HDR_SIZE,
					     &rx->hdr_dma, GFP_KERNEL);
		if (!rx->hdr)
			goto err;
	}
	return 0;
err:
	ioat_nic_rx_free_ring(rx);
	return -ENOMEM;
}

void ioat_nic_rx_free_ring(struct ioat_nic_rx_ring *rx)
{
	struct device *dev = &rx->priv->pdev->dev;
	u32 i;

	dev_kfree_skb(rx->skb);
	rx->skb = NULL;
	for (i = 0; rx->bufs && i < rx->count; i++) {
		struct ioat_nic_rx_buf *buf = &rx->bufs[i];
		struct page *page = buf->page;

		if (page) {
			ioat_nic_rx_unmap_buf(rx, buf);
			put_page(page);
		}
	}
	kvfree(rx->bufs);
	rx->bufs = NULL;
	if (rx->desc)
		dma_free_coherent(dev, rx->count * sizeof(*rx->desc),
				  rx->desc, rx->desc_dma);
	rx->desc = NULL;
	if (rx->hdr)
		dma_free_coherent(dev, rx->count * IOAT_NIC_RX_HDR_SIZE,
				  rx->hdr, rx->hdr_dma);
	rx->hdr = NULL;
}

/*
 * RSC on the queue when LRO is on: at most 32 KiB a frame (16 half or 8
 * whole pages), within MAX_SKB_FRAGS (RFCTL.RSC_DIS is
 * ioat_nic_write_lro()'s).
 */
void ioat_nic_rx_write_rsc(struct ioat_nic_rx_ring *rx)
{
	u32 rscctl = 0;

	if (rx->priv->netdev->features & NETIF_F_LRO)
		rscctl = IOAT_NIC_RSCCTL_RSCEN |
			 FIELD_PREP(IOAT_NIC_RSCCTL_MAXDESC,
				    rx->buf_size == PAGE_SIZE ?
				    IOAT_NIC_RSCCTL_MAXDESC_8 :
				    IOAT_NIC_RSCCTL_MAXDESC_16);
	ioat_nic_wr(rx->priv, IOAT_NIC_RSCCTL(rx->q), rscctl);
}

/* Program the queue's registers and post its buffers (device is quiet). */
void ioat_nic_rx_configure(struct ioat_nic_rx_ring *rx)
{
	struct ioat_nic_priv *priv = rx->priv;
	u32 srrctl;
	u16 q = rx->q;

	ioat_nic_wr(priv, IOAT_NIC_RDBAL(q), lower_32_bits(rx->desc_dma));
	ioat_nic_wr(priv, IOAT_NIC_RDBAH(q), upper_32_bits(rx->desc_dma));
	ioat_nic_wr(priv, IOAT_NIC_RDLEN(q), rx->count * sizeof(*rx->desc));
	ioat_nic_wr(priv, IOAT_NIC_RDH(q), 0);
	ioat_nic_wr(priv, IOAT_NIC_RDT(q), 0);

	/* BSIZEHDR even for one buffer: RSC needs it (datasheet 7.11.1). */
	srrctl = FIELD_PREP(IOAT_NIC_SRRCTL_BSIZEPKT, rx->buf_size / 1024) |
		 FIELD_PREP(IOAT_NIC_SRRCTL_BSIZEHDR, IOAT_NIC_RX_HDR_SIZE / 64);
	if (rx->split) {
		srrctl |= FIELD_PREP(IOAT_NIC_SRRCTL_DESCTYPE,
				     IOAT_NIC_DESCTYPE_SPLIT_ALWAYS);
	} else {
		srrctl |= FIELD_PREP(IOAT_NIC_SRRCTL_DESCTYPE,
				     IOAT_NIC_DESCTYPE_ONEBUF);
	}
	ioat_nic_wr(priv, IOAT_NIC_SRRCTL(q), srrctl);
	/* Split after the IPv4/IPv6 header, or after TCP/UDP when present. */
	ioat_nic_wr(priv, IOAT_NIC_PSRTYPE(q), IOAT_NIC_PSRTYPE_SPLIT);
	ioat_nic_rx_write_rsc(rx);
	ioat_nic_wr(priv, IOAT_NIC_RXDCTL(q), IOAT_NIC_RXDCTL_ENABLE);

	ioat_nic_rx_refill(rx);
}

/*
 * Attach @len bytes of @buf's half or whole page to @skb.  If the stack
 * is done with the other half, keep the page and post that half next;
 * otherwise the skb takes the page and the slot gets a new one at refill.
 */
static void ioat_nic_rx_add_frag(struct ioat_nic_rx_ring *rx,
				 struct ioat_nic_rx_buf *buf,
				 struct sk_buff *skb, unsigned int off,
				 unsigned int len)
{
	struct page *page = buf->page;

	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page,
			buf->offset + off, len, rx->buf_size);

	if (rx->buf_size == IOAT_NIC_RX_HALF_PAGE &&
	    dev_page_is_reusable(page) && page_ref_count(page) == 1) {
		page_ref_inc(page);
		buf->offset ^= IOAT_NIC_RX_HALF_PAGE;
		u64_stats_update_begin(&rx->stats->syncp);
		rx->stats->page_reuse++;
		u64_stats_update_end(&rx->stats->syncp);
	} else {
		ioat_nic_rx_unmap_buf(rx, buf);
	}
}

/* First descriptor of a frame: headers into the linear area. */
static struct sk_buff *ioat_nic_rx_first(struct ioat_nic_rx_ring *rx, u32 i,
					 u32 info, unsigned int len)
{
	struct ioat_nic_rx_buf *buf = &rx->bufs[i];
	struct sk_buff *skb;
	unsigned int hlen;
	void *va;

	skb = napi_alloc_skb(&rx->qv->napi, IOAT_NIC_RX_HDR_SIZE);
	if (unlikely(!skb))
		return NULL;

	if (rx->split) {
		/* Split or not, HDR_LEN bytes are in the header buffer. */
		hlen = min_t(unsigned int, FIELD_GET(IOAT_NIC_RXD_INFO_HDR_LEN, info),
			     IOAT_NIC_RX_HDR_SIZE);
		skb_put_data(skb, rx->hdr + i * IOAT_NIC_RX_HDR_SIZE, hlen);
		if (len)
			ioat_nic_rx_add_frag(rx, buf, skb, 0, len);
		return skb;
	}

	/* One buffer: copy the headers out of the page, attach the rest. */
	va = page_address(buf->page) + buf->offset;
	hlen = len;
	if (hlen > IOAT_NIC_RX_HDR_SIZE)
		hlen = eth_get_headlen(rx->priv->netdev, va, IOAT_NIC_RX_HDR_SIZE);
	skb_put_data(skb, va, hlen);
	if (len > hlen)
		ioat_nic_rx_add_frag(rx, buf, skb, hlen, len - hlen);
	return skb;
}

static void ioat_nic_rx_offloads(struct ioat_nic_rx_ring *rx,
				 struct sk_buff *skb, u32 info, u32 status,
				 u32 hash)
{
	struct net_device *netdev = rx->priv->netdev;
	/* RSS types 1 (IPv4/TCP), 3 (IPv6/TCP), 7, 8 (UDP) hash L4 ports. */
	static const u16 l4_types = BIT(1) | BIT(3) | BIT(4) | BIT(7) | BIT(8);
	u32 type = FIELD_GET(IOAT_NIC_RXD_INFO_RSS_TYPE, info);

	if ((netdev->features & NETIF_F_RXHASH) && type)
		skb_set_hash(skb, hash, (l4_types & BIT(type)) ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);

	if (!(netdev->features & NETIF_F_RXCSUM))
		return;
	/* IPE counts with IPCS (IPv4 header checked), TCPE with L4CS. */
	if (((status & IOAT_NIC_RXD_STAT_IPCS) &&
	     (status & IOAT_NIC_RXD_ERR_IPE)) ||
	    ((status & IOAT_NIC_RXD_STAT_L4CS) &&
	     (status & IOAT_NIC_RXD_ERR_TCPE))) {
		u64_stats_update_begin(&rx->stats->syncp);
		rx->stats->csum_err++;
		u64_stats_update_end(&rx->stats->syncp);
		return;
	}
	if (status & IOAT_NIC_RXD_STAT_L4CS)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

/* The device has written back the next descriptor to clean. */
bool ioat_nic_rx_ready(struct ioat_nic_rx_ring *rx)
{
	u32 i = READ_ONCE(rx->next_to_clean);

	return i != READ_ONCE(rx->next_to_use) &&
	       (le32_to_cpu(READ_ONCE(rx->desc[i].wb.status_error)) &
		IOAT_NIC_RXD_STAT_DD);
}

int ioat_nic_rx_poll(struct ioat_nic_rx_ring *rx, int budget)
{
	struct device *dev = &rx->priv->pdev->dev;
	u64 bytes = 0, split = 0, nosplit = 0, alloc_fail = 0, lli = 0;
	u64 rsc_segs = 0, rsc_frames = 0, chain_err = 0;
	struct sk_buff *skb = rx->skb;
	int done = 0;

	while (done < budget) {
		u32 i = rx->next_to_clean;
		union ioat_nic_rx_desc *desc = &rx->desc[i];
		struct ioat_nic_rx_buf *buf = &rx->bufs[i];
		u32 status, info, hash, rsccnt;
		unsigned int len;

		if (i == rx->next_to_use)
			break;
		status = le32_to_cpu(desc->wb.status_error);
		if (!(status & IOAT_NIC_RXD_STAT_DD))
			break;
		/* Read the rest of the write-back only after DD. */
		dma_rmb();
		info = le32_to_cpu(desc->wb.info);
		hash = le32_to_cpu(desc->wb.rss_hash);
		len = le16_to_cpu(desc->wb.length);
		rsccnt = FIELD_GET(IOAT_NIC_RXD_INFO_RSCCNT, info);

		if (len)
			dma_sync_single_range_for_cpu(dev, buf->dma, buf->offset,
						      len, DMA_FROM_DEVICE);
		if (rx->discard) {
			/* The rest of a frame there was no skb for. */
		} else if (!skb) {
			skb = ioat_nic_rx_first(rx, i, info, len);
			if (unlikely(!skb))
				alloc_fail++;
			else if (rx->split &&
				 (info & IOAT_NIC_RXD_INFO_SPH))
				split++;
			else
				nosplit++;
		} else if (len) {
			ioat_nic_rx_add_frag(rx, buf, skb, 0, len);
		}
		desc->wb.status_error = 0;
		rx->next_to_clean = (i + 1) % rx->count;

		if (unlikely(!skb)) {
			/* Dropped: its pages stay posted. */
			rx->discard = !(status & IOAT_NIC_RXD_STAT_EOP);
			rx->rsc_segs = 0;
			continue;
		}
		if (rsccnt)
			rx->rsc_segs += rsccnt - 1;
		if (!(status & IOAT_NIC_RXD_STAT_EOP)) {
			if (rsccnt && FIELD_GET(IOAT_NIC_RXD_STAT_NEXTP, status) !=
				      rx->next_to_clean) {
				chain_err++;
				dev_kfree_skb(skb);
				skb = NULL;
				rx->discard = true;
				rx->rsc_segs = 0;
			}
			continue;
		}

		if (rx->rsc_segs) {
			/* The MSS the segments had, as ixgbe and others do */
			skb_shinfo(skb)->gso_size =
				DIV_ROUND_UP(skb->len - skb_headlen(skb),
					     rx->rsc_segs);
			skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
			rsc_segs += rx->rsc_segs;
			rsc_frames++;
			rx->rsc_segs = 0;
		}

		if (status & IOAT_NIC_RXD_STAT_LLINT)
			lli++;
		ioat_nic_rx_offloads(rx, skb, info, status, hash);
		bytes += skb->len;
		skb->protocol = eth_type_trans(skb, rx->priv->netdev);
		skb_record_rx_queue(skb, rx->q);
		napi_gro_receive(&rx->qv->napi, skb);
		skb = NULL;
		done++;
	}
	rx->skb = skb;

	u64_stats_update_begin(&rx->stats->syncp);
	rx->stats->packets += done;
	rx->stats->bytes += bytes;
	rx->stats->hdr_split += split;
	rx->stats->hdr_nosplit += nosplit;
	rx->stats->alloc_fail += alloc_fail;
	rx->stats->lli += lli;
	rx->stats->rsc_aggregated += rsc_segs;
	rx->stats->rsc_flushed += rsc_frames;
	rx->stats->rsc_chain_err += chain_err;
	u64_stats_update_end(&rx->stats->syncp);

	/* Out of pages: poll again rather than wait for an interrupt. */
	if (!ioat_nic_rx_refill(rx))
		return budget;
	return done;
}
