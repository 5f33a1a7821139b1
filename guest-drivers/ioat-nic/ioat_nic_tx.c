// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_nic transmit path.
 *
 * A frame is an optional context descriptor (checksum or TSO parameters:
 * MAC and IP header lengths, L4 type, MSS) followed by one data
 * descriptor per piece of the skb, the last one with EOP and RS.  The
 * device writes DD back into that last descriptor; NAPI then unmaps and
 * frees the frame.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>

#include "ioat_nic.h"

#define IOAT_NIC_TX_MAX_PER_DESC	SZ_16K
#define IOAT_NIC_MAX_MACLEN		127
#define IOAT_NIC_MAX_IPLEN		511

static u32 ioat_nic_tx_unused(struct ioat_nic_tx_ring *tx)
{
	return (tx->next_to_clean + tx->count - tx->next_to_use - 1) % tx->count;
}

int ioat_nic_tx_alloc_ring(struct ioat_nic_priv *priv,
			   struct ioat_nic_tx_ring *tx)
{
	tx->priv = priv;
	tx->count = priv->tx_ring_size;
	tx->next_to_clean = 0;
	tx->next_to_use = 0;
	tx->stats = &priv->tx_stats[tx->q];

	tx->bufs = kvcalloc(tx->count, sizeof(*tx->bufs), GFP_KERNEL);
	if (!tx->bufs)
		return -ENOMEM;
	tx->desc = dma_alloc_coherent(&priv->pdev->dev,
				      tx->count * sizeof(*tx->desc),
				      &tx->desc_dma, GFP_KERNEL);
	if (!tx->desc) {
		kvfree(tx->bufs);
		tx->bufs = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Unmap slots @first up to, not including, @end; the first is the head. */
static void ioat_nic_tx_unmap(struct ioat_nic_tx_ring *tx, u32 first, u32 end)
{
	struct device *dev = &tx->priv->pdev->dev;
	u32 i;

	for (i = first; i != end; i = (i + 1) % tx->count) {
		struct ioat_nic_tx_buf *buf = &tx->bufs[i];

		if (buf->len) {
			if (buf->page)
				dma_unmap_page(dev, buf->dma, buf->len,
					       DMA_TO_DEVICE);
			else
				dma_unmap_single(dev, buf->dma, buf->len,
						 DMA_TO_DEVICE);
		}
		buf->len = 0;
		buf->skb = NULL;
	}
}

void ioat_nic_tx_free_ring(struct ioat_nic_tx_ring *tx)
{
	u32 i = tx->next_to_clean;

	while (tx->bufs && i != tx->next_to_use) {
		struct ioat_nic_tx_buf *buf = &tx->bufs[i];
		struct sk_buff *skb = buf->skb;
		u32 end = (buf->eop + 1) % tx->count;

		ioat_nic_tx_unmap(tx, i, end);
		dev_kfree_skb_any(skb);
		i = end;
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(tx->priv->netdev, tx->q));
	kvfree(tx->bufs);
	tx->bufs = NULL;
	if (tx->desc)
		dma_free_coherent(&tx->priv->pdev->dev,
				  tx->count * sizeof(*tx->desc),
				  tx->desc, tx->desc_dma);
	tx->desc = NULL;
}

void ioat_nic_tx_configure(struct ioat_nic_tx_ring *tx)
{
	struct ioat_nic_priv *priv = tx->priv;
	u16 q = tx->q;

	ioat_nic_wr(priv, IOAT_NIC_TDBAL(q), lower_32_bits(tx->desc_dma));
	ioat_nic_wr(priv, IOAT_NIC_TDBAH(q), upper_32_bits(tx->desc_dma));
	ioat_nic_wr(priv, IOAT_NIC_TDLEN(q), tx->count * sizeof(*tx->desc));
	ioat_nic_wr(priv, IOAT_NIC_TDH(q), 0);
	ioat_nic_wr(priv, IOAT_NIC_TDT(q), 0);
	ioat_nic_wr(priv, IOAT_NIC_TXDCTL(q), IOAT_NIC_TXDCTL_ENABLE);
}

netdev_features_t ioat_nic_features_check(struct sk_buff *skb,
					  struct net_device *netdev,
					  netdev_features_t features)
{
	unsigned int maclen, iplen;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return features;
	/* The context descriptor has 7 bits for MACLEN and 9 for IPLEN. */
	maclen = skb_network_offset(skb);
	iplen = skb_checksum_start_offset(skb) - maclen;
	if (maclen > IOAT_NIC_MAX_MACLEN || iplen > IOAT_NIC_MAX_IPLEN ||
	    (skb_is_gso(skb) && skb->encapsulation))
		features &= ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	return features;
}

/*
 * Work out the offloads of @skb: returns the context descriptor's
 * type_tucmd_mlhl (0 when no context is needed) and fills in the rest.
 */
static int ioat_nic_tx_offload(struct sk_buff *skb, struct ioat_nic_tx_buf *first,
			       struct ioat_nic_tx_ctx_desc *ctx,
			       u32 *cmd, u32 *olinfo)
{
	unsigned int maclen = skb_network_offset(skb);
	unsigned int iplen = skb_checksum_start_offset(skb) - maclen;
	u32 tucmd = IOAT_NIC_TXD_DTYP_CTXT | IOAT_NIC_TXD_CMD_DEXT;
	u32 mss_l4len = 0;
	int err;

	*olinfo = FIELD_PREP(IOAT_NIC_TXD_PAYLEN, skb->len);
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;

	if (skb_is_gso(skb)) {
		unsigned int hdr_len = skb_tcp_all_headers(skb);
		u32 paylen = skb->len - skb_transport_offset(skb);

		err = skb_cow_head(skb, 0);
		if (err)
			return err;
		/*
		 * The device sets the IP length and adds each segment's TCP
		 * length to the pseudo-header checksum: take ours out.
		 */
		csum_replace_by_diff(&tcp_hdr(skb)->check,
				     (__force __wsum)htonl(paylen));
		if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) {
			ip_hdr(skb)->tot_len = 0;
			ip_hdr(skb)->check = 0;
			tucmd |= IOAT_NIC_TXCTX_TUCMD_IPV4;
			*olinfo |= IOAT_NIC_TXD_POPTS_IXSM;
		} else {
			ipv6_hdr(skb)->payload_len = 0;
		}
		tucmd |= FIELD_PREP(IOAT_NIC_TXCTX_TUCMD_L4T, IOAT_NIC_L4T_TCP);
		mss_l4len = FIELD_PREP(IOAT_NIC_TXCTX_MSS, skb_shinfo(skb)->gso_size) |
			    FIELD_PREP(IOAT_NIC_TXCTX_L4LEN, tcp_hdrlen(skb));
		*cmd |= IOAT_NIC_TXD_CMD_TSE;
		*olinfo = FIELD_PREP(IOAT_NIC_TXD_PAYLEN, skb->len - hdr_len) |
			  (*olinfo & IOAT_NIC_TXD_POPTS_IXSM);
		first->segs = skb_shinfo(skb)->gso_segs;
		first->bytes += (first->segs - 1) * hdr_len;
	} else {
		switch (skb->csum_offset) {
		case offsetof(struct tcphdr, check):
			tucmd |= FIELD_PREP(IOAT_NIC_TXCTX_TUCMD_L4T,
					    IOAT_NIC_L4T_TCP);
			break;
		case offsetof(struct udphdr, check):
			tucmd |= FIELD_PREP(IOAT_NIC_TXCTX_TUCMD_L4T,
					    IOAT_NIC_L4T_UDP);
			break;
		default:
			return skb_checksum_help(skb);
		}
	}
	*olinfo |= IOAT_NIC_TXD_POPTS_TXSM;

	ctx->vlan_macip_lens = cpu_to_le32(FIELD_PREP(IOAT_NIC_TXCTX_MACLEN, maclen) |
					   FIELD_PREP(IOAT_NIC_TXCTX_IPLEN, iplen));
	ctx->seqnum_seed = 0;
	ctx->type_tucmd_mlhl = cpu_to_le32(tucmd);
	ctx->mss_l4len_idx = cpu_to_le32(mss_l4len);
	return tucmd;
}

static u32 ioat_nic_tx_descs_needed(struct sk_buff *skb)
{
	u32 n = DIV_ROUND_UP(skb_headlen(skb), IOAT_NIC_TX_MAX_PER_DESC);
	unsigned int f;

	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++)
		n += DIV_ROUND_UP(skb_frag_size(&skb_shinfo(skb)->frags[f]),
				  IOAT_NIC_TX_MAX_PER_DESC);
	return n + 1;	/* context descriptor */
}

/* Fill data descriptors for one mapped piece; returns the next slot. */
static u32 ioat_nic_tx_fill(struct ioat_nic_tx_ring *tx, u32 i, dma_addr_t dma,
			    unsigned int len, u32 cmd, u32 olinfo)
{
	while (len) {
		unsigned int n = min_t(unsigned int, len, IOAT_NIC_TX_MAX_PER_DESC);
		struct ioat_nic_tx_desc *desc = &tx->desc[i];

		desc->addr = cpu_to_le64(dma);
		desc->cmd_type_len = cpu_to_le32(cmd | n);
		desc->olinfo_status = cpu_to_le32(olinfo);
		dma += n;
		len -= n;
		i = (i + 1) % tx->count;
	}
	return i;
}

static void ioat_nic_tx_maybe_stop(struct ioat_nic_tx_ring *tx,
				   struct netdev_queue *txq)
{
	if (likely(ioat_nic_tx_unused(tx) >= IOAT_NIC_TX_DESC_NEEDED))
		return;
	netif_tx_stop_queue(txq);
	u64_stats_update_begin(&tx->stats->syncp);
	tx->stats->stopped++;
	u64_stats_update_end(&tx->stats->syncp);
	/* Pairs with the barrier in ioat_nic_tx_clean(). */
	smp_mb();
	if (ioat_nic_tx_unused(tx) >= IOAT_NIC_TX_DESC_NEEDED)
		netif_tx_start_queue(txq);
}

netdev_tx_t ioat_nic_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	struct ioat_nic_tx_ring *tx = &priv->tx[skb_get_queue_mapping(skb)];
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, tx->q);
	struct device *dev = &priv->pdev->dev;
	u32 cmd = IOAT_NIC_TXD_DTYP_DATA | IOAT_NIC_TXD_CMD_DEXT |
		  IOAT_NIC_TXD_CMD_IFCS;
	struct ioat_nic_tx_ctx_desc ctx;
	struct ioat_nic_tx_buf *first;
	u32 start = tx->next_to_use, i, olinfo, last;
	unsigned int f, len;
	dma_addr_t dma;
	int tucmd;

	if (unlikely(ioat_nic_tx_unused(tx) < ioat_nic_tx_descs_needed(skb))) {
		netif_tx_stop_queue(txq);
		return NETDEV_TX_BUSY;
	}

	first = &tx->bufs[start];
	first->bytes = max_t(unsigned int, skb->len, ETH_ZLEN);
	first->segs = 1;
	tucmd = ioat_nic_tx_offload(skb, first, &ctx, &cmd, &olinfo);
	if (tucmd < 0)
		goto drop;

	i = start;
	if (tucmd) {
		memcpy(&tx->desc[i], &ctx, sizeof(ctx));
		i = (i + 1) % tx->count;
	}

	len = skb_headlen(skb);
	dma = dma_map_single(dev, skb->data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma))
		goto drop;
	tx->bufs[i].dma = dma;
	tx->bufs[i].len = len;
	tx->bufs[i].page = false;
	i = ioat_nic_tx_fill(tx, i, dma, len, cmd, olinfo);

	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[f];

		len = skb_frag_size(frag);
		dma = skb_frag_dma_map(dev, frag, 0, len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, dma))
			goto unmap;
		tx->bufs[i].dma = dma;
		tx->bufs[i].len = len;
		tx->bufs[i].page = true;
		i = ioat_nic_tx_fill(tx, i, dma, len, cmd, olinfo);
	}
	last = (i + tx->count - 1) % tx->count;
	tx->desc[last].cmd_type_len |= cpu_to_le32(IOAT_NIC_TXD_CMD_EOP |
						   IOAT_NIC_TXD_CMD_RS);

	first->skb = skb;
	first->eop = last;
	tx->next_to_use = i;
	skb_tx_timestamp(skb);

	u64_stats_update_begin(&tx->stats->syncp);
	if (tucmd && (cmd & IOAT_NIC_TXD_CMD_TSE))
		tx->stats->tso++;
	else if (tucmd)
		tx->stats->csum++;
	u64_stats_update_end(&tx->stats->syncp);

	ioat_nic_tx_maybe_stop(tx, txq);
	if (__netdev_tx_sent_queue(txq, first->bytes, netdev_xmit_more())) {
		/* Descriptors are written before the device sees the tail. */
		wmb();
		ioat_nic_wr(priv, IOAT_NIC_TDT(tx->q), i);
	}
	return NETDEV_TX_OK;

unmap:
	ioat_nic_tx_unmap(tx, start, i);
drop:
	dev_kfree_skb_any(skb);
	netdev->stats.tx_dropped++;
	return NETDEV_TX_OK;
}

/* Free what the device has sent; true when everything was done. */
/* Descriptors handed to the device and not yet cleaned. */
bool ioat_nic_tx_outstanding(struct ioat_nic_tx_ring *tx)
{
	return READ_ONCE(tx->next_to_clean) != READ_ONCE(tx->next_to_use);
}

bool ioat_nic_tx_clean(struct ioat_nic_tx_ring *tx, int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(tx->priv->netdev, tx->q);
	unsigned int packets = 0, bytes = 0, frames = 0;
	u32 i = tx->next_to_clean;

	while (frames < tx->count) {
		struct ioat_nic_tx_buf *buf = &tx->bufs[i];
		struct sk_buff *skb = buf->skb;
		u32 end;

		if (!skb)
			break;
		if (!(le32_to_cpu(tx->desc[buf->eop].olinfo_status) &
		      IOAT_NIC_TXD_STAT_DD))
			break;
		end = (buf->eop + 1) % tx->count;
		packets += buf->segs;
		bytes += buf->bytes;
		ioat_nic_tx_unmap(tx, i, end);
		napi_consume_skb(skb, budget);
		i = end;
		frames++;
	}
	tx->next_to_clean = i;

	netdev_tx_completed_queue(txq, frames, bytes);
	u64_stats_update_begin(&tx->stats->syncp);
	tx->stats->packets += packets;
	tx->stats->bytes += bytes;
	u64_stats_update_end(&tx->stats->syncp);

	/* Pairs with the barrier in ioat_nic_tx_maybe_stop(). */
	smp_mb();
	if (netif_tx_queue_stopped(txq) &&
	    ioat_nic_tx_unused(tx) >= IOAT_NIC_TX_DESC_NEEDED)
		netif_tx_wake_queue(txq);

	return frames < tx->count;
}
