// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_nic: PCI probe and remove, device reset and set-up, MSI-X
 * interrupts, NAPI and the netdev operations.
 *
 * Vector layout: vector q serves RX and TX queue q (q < num_queues), and
 * the last vector serves the "other" causes (link status change).  Queue
 * vectors are auto-masked when they fire (GPIE.EIAME + EIAM_EX) and
 * unmasked by NAPI when it completes (EIMS_EX); a vector whose message was
 * lost stays masked, which the interrupt watchdog repairs.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <asm/unaligned.h>

#include "ioat_nic.h"

static bool split_headers = true;
module_param(split_headers, bool, 0444);
MODULE_PARM_DESC(split_headers,
		 "Receive with split headers (1, default) or into one buffer (0); the split-headers private flag changes it at run time");

/*
 * Fold the read-to-clear MAC error counters into the driver's sums: frames
 * with a bad length field (RLEC), shorter than 64 bytes (RUC) or longer
 * than the maximum frame size (ROC) are all length errors to the stack.
 */
void ioat_nic_update_mac_stats(struct ioat_nic_priv *priv, u64 *crc_errors,
			       u64 *length_errors)
{
	unsigned long flags;
	u32 crc, len, runt, oversize;

	spin_lock_irqsave(&priv->mac_stats_lock, flags);
	crc = ioat_nic_rd(priv, IOAT_NIC_CRCERRS);
	len = ioat_nic_rd(priv, IOAT_NIC_RLEC);
	runt = ioat_nic_rd(priv, IOAT_NIC_RUC);
	oversize = ioat_nic_rd(priv, IOAT_NIC_ROC);
	/* All ones: the device is gone from the bus, nothing was counted. */
	if (crc != ~0u && len != ~0u && runt != ~0u && oversize != ~0u) {
		priv->crc_errors += crc;
		priv->length_errors += len + runt + oversize;
		priv->short_length_errors += runt;
		priv->long_length_errors += oversize;
	}
	if (crc_errors)
		*crc_errors = priv->crc_errors;
	if (length_errors)
		*length_errors = priv->length_errors;
	spin_unlock_irqrestore(&priv->mac_stats_lock, flags);
}

static void ioat_nic_reset(struct ioat_nic_priv *priv)
{
	u32 ctrl;

	ioat_nic_update_mac_stats(priv, NULL, NULL);

	/* Reset stops all DMA and interrupts; registers return to defaults. */
	ioat_nic_wr(priv, IOAT_NIC_CTRL, IOAT_NIC_CTRL_RST);
	if (read_poll_timeout(ioat_nic_rd, ctrl, !(ctrl & IOAT_NIC_CTRL_RST),
			      10, 10000, false, priv, IOAT_NIC_CTRL))
		netdev_warn(priv->netdev, "reset did not complete\n");
}

static void ioat_nic_write_mac(struct ioat_nic_priv *priv)
{
	const u8 *addr = priv->netdev->dev_addr;

	ioat_nic_wr(priv, IOAT_NIC_RAL0, get_unaligned_le32(addr));
	ioat_nic_wr(priv, IOAT_NIC_RAH0,
		    get_unaligned_le16(addr + 4) | IOAT_NIC_RAH_AV);
}

static void ioat_nic_read_mac(struct ioat_nic_priv *priv)
{
	u8 addr[ETH_ALEN];

	put_unaligned_le32(ioat_nic_rd(priv, IOAT_NIC_RAL0), addr);
	put_unaligned_le16(ioat_nic_rd(priv, IOAT_NIC_RAH0) & 0xffff, addr + 4);
	if (is_valid_ether_addr(addr)) {
		eth_hw_addr_set(priv->netdev, addr);
	} else {
		dev_warn(&priv->pdev->dev, "invalid MAC %pM, using a random one\n",
			 addr);
		eth_hw_addr_random(priv->netdev);
	}
}

/* EITR moderation: rx_usecs in the ITR field, which counts 2 us units. */
void ioat_nic_write_eitr(struct ioat_nic_priv *priv)
{
	unsigned int v;

	for (v = 0; v < priv->num_queues; v++)
		ioat_nic_wr(priv, IOAT_NIC_EITR(v),
			    FIELD_PREP(IOAT_NIC_EITR_ITR, priv->rx_usecs / 2));
}

/* RSS: key, redirection table, and TCP/IP hashing over IPv4 and IPv6. */
void ioat_nic_write_rss(struct ioat_nic_priv *priv)
{
	unsigned int i;

	for (i = 0; i < IOAT_NIC_RSS_KEY_SIZE / 4; i++)
		ioat_nic_wr(priv, IOAT_NIC_RSSRK(i),
			    get_unaligned_le32(priv->rss_key + 4 * i));
	for (i = 0; i < IOAT_NIC_RETA_SIZE / 4; i++)
		ioat_nic_wr(priv, IOAT_NIC_RETA(i),
			    get_unaligned_le32(priv->reta + 4 * i));
	ioat_nic_wr(priv, IOAT_NIC_MRQC,
		    IOAT_NIC_MRQC_RSSEN | IOAT_NIC_MRQC_TCPIPV4 |
		    IOAT_NIC_MRQC_IPV4 | IOAT_NIC_MRQC_TCPIPV6 |
		    IOAT_NIC_MRQC_IPV6);
}

static void ioat_nic_default_reta(struct ioat_nic_priv *priv)
{
	unsigned int i;

	for (i = 0; i < IOAT_NIC_RETA_SIZE; i++)
		priv->reta[i] = ethtool_rxfh_indir_default(i, priv->num_queues);
}

static void ioat_nic_write_frame_size(struct ioat_nic_priv *priv)
{
	u32 mfs = priv->netdev->mtu + ETH_HLEN + ETH_FCS_LEN;

	ioat_nic_wr(priv, IOAT_NIC_MAXFRS, FIELD_PREP(IOAT_NIC_MAXFRS_MFS, mfs));
	ioat_nic_wr(priv, IOAT_NIC_HLREG0, ioat_nic_rd(priv, IOAT_NIC_HLREG0) |
		    IOAT_NIC_HLREG0_JUMBOEN);
}

/* Route queue q's RX and TX causes to vector q, "other" to the last. */
static void ioat_nic_write_ivars(struct ioat_nic_priv *priv)
{
	u64 queues = GENMASK_ULL(priv->num_queues - 1, 0);
	unsigned int q;

	for (q = 0; q < priv->num_queues; q++) {
		u32 entry = q | IOAT_NIC_IVAR_VALID;
		u32 shift = (q & 1) * 16;
		u32 ivar = ioat_nic_rd(priv, IOAT_NIC_IVAR(q / 2));

		ivar &= ~(0xffff << shift);
		ivar |= (entry | entry << 8) << shift;
		ioat_nic_wr(priv, IOAT_NIC_IVAR(q / 2), ivar);
	}
	ioat_nic_wr(priv, IOAT_NIC_IVAR_MISC,
		    (priv->other_vector | IOAT_NIC_IVAR_VALID) << 8);

	ioat_nic_wr(priv, IOAT_NIC_GPIE,
		    IOAT_NIC_GPIE_MSIX_MODE | IOAT_NIC_GPIE_OCD |
		    IOAT_NIC_GPIE_EIAME | IOAT_NIC_GPIE_PBA_SUPPORT);
	/* Queue causes clear and mask themselves when their vector fires. */
	ioat_nic_wr(priv, IOAT_NIC_EIAC, lower_32_bits(queues) & IOAT_NIC_EICR_RTXQ);
	ioat_nic_wr(priv, IOAT_NIC_EIAM_EX(0), lower_32_bits(queues));
	ioat_nic_wr(priv, IOAT_NIC_EIAM_EX(1), upper_32_bits(queues));
}

static void ioat_nic_irq_enable(struct ioat_nic_priv *priv)
{
	u64 queues = GENMASK_ULL(priv->num_queues - 1, 0);

	ioat_nic_wr(priv, IOAT_NIC_EIMS, IOAT_NIC_EICR_LSC);
	ioat_nic_wr(priv, IOAT_NIC_EIMS_EX(0), lower_32_bits(queues));
	ioat_nic_wr(priv, IOAT_NIC_EIMS_EX(1), upper_32_bits(queues));
}

static void ioat_nic_irq_disable(struct ioat_nic_priv *priv)
{
	ioat_nic_wr(priv, IOAT_NIC_EIMC, ~0u);
	ioat_nic_wr(priv, IOAT_NIC_EIMC_EX(0), ~0u);
	ioat_nic_wr(priv, IOAT_NIC_EIMC_EX(1), ~0u);
}

static void ioat_nic_update_link(struct ioat_nic_priv *priv)
{
	struct net_device *netdev = priv->netdev;
	bool up = ioat_nic_rd(priv, IOAT_NIC_LINKS) & IOAT_NIC_LINKS_UP;

	if (up == netif_carrier_ok(netdev))
		return;
	if (up) {
		netdev_info(netdev, "link up, 10 Gb/s full duplex\n");
		netif_carrier_on(netdev);
	} else {
		netdev_info(netdev, "link down\n");
		netif_carrier_off(netdev);
	}
}

static irqreturn_t ioat_nic_msix_other(int irq, void *data)
{
	struct ioat_nic_priv *priv = data;
	u32 eicr;

	/* EICS reads the causes without clearing the queue bits. */
	eicr = ioat_nic_rd(priv, IOAT_NIC_EICS) & ~IOAT_NIC_EICR_RTXQ;
	ioat_nic_wr(priv, IOAT_NIC_EICR, eicr);
	if (eicr & IOAT_NIC_EICR_LSC)
		ioat_nic_update_link(priv);
	return IRQ_HANDLED;
}

static irqreturn_t ioat_nic_msix_queue(int irq, void *data)
{
	struct ioat_nic_q_vector *qv = data;

	napi_schedule_irqoff(&qv->napi);
	return IRQ_HANDLED;
}

static int ioat_nic_napi_poll(struct napi_struct *napi, int budget)
{
	struct ioat_nic_q_vector *qv = container_of(napi, struct ioat_nic_q_vector,
						     napi);
	struct ioat_nic_priv *priv = qv->priv;
	bool tx_done;
	int done;

	WRITE_ONCE(qv->polls, qv->polls + 1);

	tx_done = ioat_nic_tx_clean(qv->tx, budget);
	if (!budget)
		return 0;
	done = ioat_nic_rx_poll(qv->rx, budget);
	if (!tx_done || done >= budget)
		return budget;

	if (napi_complete_done(napi, done))
		ioat_nic_wr(priv, IOAT_NIC_EIMS_EX(qv->v / 32), BIT(qv->v % 32));
	return done;
}

#define IOAT_NIC_IRQ_WATCHDOG_PERIOD	(2 * HZ)

/*
 * A queue vector's message can be lost on the way: the vector stays
 * auto-masked and its NAPI never runs again.  Every 2 s while up, a vector
 * that has not polled since the last tick although the device wrote back
 * a received frame or transmit descriptors are outstanding is unmasked
 * (EIMS_EX) and fired (EICS_EX).  At worst that is one spurious poll.
 */
static void ioat_nic_irq_watchdog(struct timer_list *t)
{
	struct ioat_nic_priv *priv = from_timer(priv, t, irq_watchdog);
	unsigned int q;

	for (q = 0; q < priv->num_queues; q++) {
		struct ioat_nic_q_vector *qv = &priv->qv[q];
		u32 polls = READ_ONCE(qv->polls);

		if (polls == qv->watchdog_polls &&
		    (ioat_nic_rx_ready(qv->rx) || ioat_nic_tx_outstanding(qv->tx))) {
			if (net_ratelimit())
				netdev_warn(priv->netdev,
					    "queue vector %u: work waiting and no interrupt, firing it\n",
					    q);
			ioat_nic_wr(priv, IOAT_NIC_EIMS_EX(q / 32), BIT(q % 32));
			ioat_nic_wr(priv, IOAT_NIC_EICS_EX(q / 32), BIT(q % 32));
		}
		qv->watchdog_polls = polls;
	}
	mod_timer(&priv->irq_watchdog, jiffies + IOAT_NIC_IRQ_WATCHDOG_PERIOD);
}

static int ioat_nic_request_irqs(struct ioat_nic_priv *priv)
{
	struct pci_dev *pdev = priv->pdev;
	unsigned int q;
	int err;

	for (q = 0; q < priv->num_queues; q++) {
		struct ioat_nic_q_vector *qv = &priv->qv[q];

		snprintf(qv->name, sizeof(qv->name), "%s-TxRx-%u",
			 priv->netdev->name, q);
		err = request_irq(pci_irq_vector(pdev, q), ioat_nic_msix_queue, 0,
				  qv->name, qv);
		if (err)
			goto err;
	}
	err = request_irq(pci_irq_vector(pdev, priv->other_vector),
			  ioat_nic_msix_other, 0, pci_name(pdev), priv);
	if (!err)
		return 0;
err:
	while (q--)
		free_irq(pci_irq_vector(pdev, q), &priv->qv[q]);
	return err;
}

static void ioat_nic_free_irqs(struct ioat_nic_priv *priv)
{
	unsigned int q;

	free_irq(pci_irq_vector(priv->pdev, priv->other_vector), priv);
	for (q = 0; q < priv->num_queues; q++)
		free_irq(pci_irq_vector(priv->pdev, q), &priv->qv[q]);
}

static void ioat_nic_free_rings(struct ioat_nic_priv *priv)
{
	unsigned int q;

	for (q = 0; q < priv->num_queues; q++) {
		if (priv->rx)
			ioat_nic_rx_free_ring(&priv->rx[q]);
		if (priv->tx)
			ioat_nic_tx_free_ring(&priv->tx[q]);
	}
	kfree(priv->rx);
	kfree(priv->tx);
	priv->rx = NULL;
	priv->tx = NULL;
}

static int ioat_nic_alloc_rings(struct ioat_nic_priv *priv)
{
	unsigned int nq = priv->num_queues, q;
	int err;

	priv->rx = kcalloc(nq, sizeof(*priv->rx), GFP_KERNEL);
	priv->tx = kcalloc(nq, sizeof(*priv->tx), GFP_KERNEL);
	if (!priv->rx || !priv->tx)
		goto err;
	for (q = 0; q < nq; q++) {
		struct ioat_nic_q_vector *qv = &priv->qv[q];

		priv->rx[q].q = q;
		priv->rx[q].qv = qv;
		priv->tx[q].q = q;
		qv->rx = &priv->rx[q];
		qv->tx = &priv->tx[q];
		err = ioat_nic_rx_alloc_ring(priv, &priv->rx[q]);
		if (!err)
			err = ioat_nic_tx_alloc_ring(priv, &priv->tx[q]);
		if (err)
			goto err;
	}
	return 0;
err:
	ioat_nic_free_rings(priv);
	return -ENOMEM;
}

/* Unicast to RAR0 and broadcast; other addresses turn on promiscuity. */
static void ioat_nic_set_rx_mode(struct net_device *netdev)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	u32 fctrl = IOAT_NIC_FCTRL_BAM;

	if (netdev->flags & IFF_PROMISC)
		fctrl |= IOAT_NIC_FCTRL_UPE | IOAT_NIC_FCTRL_MPE;
	if ((netdev->flags & IFF_ALLMULTI) || !netdev_mc_empty(netdev))
		fctrl |= IOAT_NIC_FCTRL_MPE;
	if (netdev_uc_count(netdev))
		fctrl |= IOAT_NIC_FCTRL_UPE;
	ioat_nic_wr(priv, IOAT_NIC_FCTRL, fctrl);
}

/*
 * LRO is the device's receive side coalescing (datasheet 7.11): CRC
 * stripping, RFCTL.RSC_DIS clear, and RSCCTL.RSCEN on every queue
 * (ioat_nic_rx_write_rsc()).
 */
static void ioat_nic_write_lro(struct ioat_nic_priv *priv)
{
	bool lro = priv->netdev->features & NETIF_F_LRO;
	u32 rfctl = ioat_nic_rd(priv, IOAT_NIC_RFCTL) & ~IOAT_NIC_RFCTL_RSC_DIS;

	ioat_nic_wr(priv, IOAT_NIC_RDRXCTL, ioat_nic_rd(priv, IOAT_NIC_RDRXCTL) |
		    IOAT_NIC_RDRXCTL_CRCSTRIP);
	ioat_nic_wr(priv, IOAT_NIC_RFCTL, rfctl | (lro ? 0 : IOAT_NIC_RFCTL_RSC_DIS));
}

/* Bring the device from reset to running with num_queues queue pairs. */
static int ioat_nic_up(struct ioat_nic_priv *priv)
{
	struct net_device *netdev = priv->netdev;
	unsigned int q;
	int err;

	err = ioat_nic_alloc_rings(priv);
	if (err)
		return err;

	ioat_nic_reset(priv);
	ioat_nic_write_mac(priv);
	ioat_nic_write_frame_size(priv);
	ioat_nic_wr(priv, IOAT_NIC_RXCSUM, IOAT_NIC_RXCSUM_PCSD);
	ioat_nic_write_lro(priv);
	ioat_nic_write_rss(priv);
	ioat_nic_filters_write(priv);
	ioat_nic_write_ivars(priv);
	ioat_nic_write_eitr(priv);

	err = ioat_nic_request_irqs(priv);
	if (err) {
		ioat_nic_free_rings(priv);
		return err;
	}
	for (q = 0; q < priv->num_queues; q++) {
		napi_enable(&priv->qv[q].napi);
		ioat_nic_tx_configure(&priv->tx[q]);
		ioat_nic_rx_configure(&priv->rx[q]);
	}
	ioat_nic_set_rx_mode(netdev);
	ioat_nic_wr(priv, IOAT_NIC_DMATXCTL, ioat_nic_rd(priv, IOAT_NIC_DMATXCTL) |
		    IOAT_NIC_DMATXCTL_TE);
	ioat_nic_wr(priv, IOAT_NIC_RXCTRL, IOAT_NIC_RXCTRL_RXEN);
	ioat_nic_irq_enable(priv);
	mod_timer(&priv->irq_watchdog, jiffies + IOAT_NIC_IRQ_WATCHDOG_PERIOD);

	netif_tx_start_all_queues(netdev);
	ioat_nic_update_link(priv);
	return 0;
}

static void ioat_nic_down(struct ioat_nic_priv *priv)
{
	unsigned int q;

	/* No more polls, so nothing wakes a TX queue once it is stopped. */
	del_timer_sync(&priv->irq_watchdog);
	ioat_nic_irq_disable(priv);
	for (q = 0; q < priv->num_queues; q++)
		napi_disable(&priv->qv[q].napi);
	netif_carrier_off(priv->netdev);
	netif_tx_disable(priv->netdev);

	ioat_nic_wr(priv, IOAT_NIC_RXCTRL, 0);
	for (q = 0; q < priv->num_queues; q++) {
		ioat_nic_wr(priv, IOAT_NIC_RXDCTL(q), 0);
		ioat_nic_wr(priv, IOAT_NIC_TXDCTL(q), 0);
	}
	ioat_nic_reset(priv);
	ioat_nic_free_irqs(priv);
	ioat_nic_free_rings(priv);
}

/* Change queue count or ring sizes; down and up again if running. */
int ioat_nic_reconfigure(struct ioat_nic_priv *priv, unsigned int queues,
			 u32 rx_ring_size, u32 tx_ring_size)
{
	struct net_device *netdev = priv->netdev;
	bool running = netif_running(netdev);
	int err;

	if (running)
		ioat_nic_down(priv);
	priv->rx_ring_size = rx_ring_size;
	priv->tx_ring_size = tx_ring_size;
	if (queues != priv->num_queues) {
		priv->num_queues = queues;
		err = netif_set_real_num_queues(netdev, queues, queues);
		if (err)
			netdev_warn(netdev, "cannot set %u queues: %d\n",
				    queues, err);
		if (!netif_is_rxfh_configured(netdev))
			ioat_nic_default_reta(priv);
	}
	if (!running)
		return 0;
	err = ioat_nic_up(priv);
	if (err) {
		netdev_err(netdev, "cannot restart: %d\n", err);
		dev_close(netdev);
	}
	return err;
}

static int ioat_nic_open(struct net_device *netdev)
{
	return ioat_nic_up(netdev_priv(netdev));
}

static int ioat_nic_stop(struct net_device *netdev)
{
	ioat_nic_down(netdev_priv(netdev));
	return 0;
}

static int ioat_nic_set_mac_address(struct net_device *netdev, void *p)
{
	int err = eth_mac_addr(netdev, p);

	if (!err)
		ioat_nic_write_mac(netdev_priv(netdev));
	return err;
}

static int ioat_nic_change_mtu(struct net_device *netdev, int mtu)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	u32 buf_size = ioat_nic_rx_buf_size(priv);

	netdev->mtu = mtu;
	if (!netif_running(netdev))
		return 0;
	/* Frames outgrow half pages (or fit them again): new buffers. */
	if (ioat_nic_rx_buf_size(priv) != buf_size)
		return ioat_nic_reconfigure(priv, priv->num_queues,
					    priv->rx_ring_size,
					    priv->tx_ring_size);
	ioat_nic_write_frame_size(priv);
	return 0;
}

/* ntuple off forgets the filter rules, as other Linux drivers do. */
static int ioat_nic_set_features(struct net_device *netdev,
				 netdev_features_t features)
{
	netdev_features_t changed = netdev->features ^ features;

	if ((netdev->features & NETIF_F_NTUPLE) && !(features & NETIF_F_NTUPLE))
		ioat_nic_filters_clear(netdev_priv(netdev));
	if (changed & NETIF_F_LRO) {
		struct ioat_nic_priv *priv = netdev_priv(netdev);
		unsigned int q;

		netdev->features = features;
		ioat_nic_write_lro(priv);
		/* On running queues: the device closes open contexts first. */
		for (q = 0; netif_running(netdev) && q < priv->num_queues; q++)
			ioat_nic_rx_write_rsc(&priv->rx[q]);
	}
	return 0;
}

static void ioat_nic_get_stats64(struct net_device *netdev,
				 struct rtnl_link_stats64 *s)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	unsigned int q, start;

	for (q = 0; q < priv->max_queues; q++) {
		struct ioat_nic_rx_stats *rs = &priv->rx_stats[q];
		struct ioat_nic_tx_stats *ts = &priv->tx_stats[q];
		u64 packets, bytes;

		do {
			start = u64_stats_fetch_begin(&rs->syncp);
			packets = rs->packets;
			bytes = rs->bytes;
		} while (u64_stats_fetch_retry(&rs->syncp, start));
		s->rx_packets += packets;
		s->rx_bytes += bytes;
		do {
			start = u64_stats_fetch_begin(&ts->syncp);
			packets = ts->packets;
			bytes = ts->bytes;
		} while (u64_stats_fetch_retry(&ts->syncp, start));
		s->tx_packets += packets;
		s->tx_bytes += bytes;
	}
	s->tx_dropped = netdev->stats.tx_dropped;

	/* Frames the MAC dropped for a bad FCS or length (8.2.3.23) */
	ioat_nic_update_mac_stats(priv, &s->rx_crc_errors,
				  &s->rx_length_errors);
	s->rx_errors = s->rx_crc_errors + s->rx_length_errors;
}

static void ioat_nic_tx_timeout(struct net_device *netdev, unsigned int q)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	netdev_err(netdev, "TX queue %u timed out: head %u tail %u, resetting\n",
		   q, ioat_nic_rd(priv, IOAT_NIC_TDH(q)),
		   ioat_nic_rd(priv, IOAT_NIC_TDT(q)));
	schedule_work(&priv->reset_task);
}

static void ioat_nic_reset_task(struct work_struct *work)
{
	struct ioat_nic_priv *priv = container_of(work, struct ioat_nic_priv,
						  reset_task);

	rtnl_lock();
	if (netif_running(priv->netdev))
		ioat_nic_reconfigure(priv, priv->num_queues, priv->rx_ring_size,
				     priv->tx_ring_size);
	rtnl_unlock();
}

static const struct net_device_ops ioat_nic_netdev_ops = {
	.ndo_open		= ioat_nic_open,
	.ndo_stop		= ioat_nic_stop,
	.ndo_start_xmit		= ioat_nic_xmit,
	.ndo_features_check	= ioat_nic_features_check,
	.ndo_set_rx_mode	= ioat_nic_set_rx_mode,
	.ndo_set_mac_address	= ioat_nic_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= ioat_nic_change_mtu,
	.ndo_set_features	= ioat_nic_set_features,
	.ndo_get_stats64	= ioat_nic_get_stats64,
	.ndo_tx_timeout		= ioat_nic_tx_timeout,
};

static int ioat_nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned int max_queues = min_t(unsigned int, num_online_cpus(),
					IOAT_NIC_MAX_QUEUES);
	struct ioat_nic_priv *priv;
	struct net_device *netdev;
	unsigned int q;
	int err, nvec;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(0), IOAT_NIC_DRV_NAME);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		return err;
	pci_set_master(pdev);

	netdev = alloc_etherdev_mqs(sizeof(*priv), max_queues, max_queues);
	if (!netdev)
		return -ENOMEM;
	SET_NETDEV_DEV(netdev, &pdev->dev);
	priv = netdev_priv(netdev);
	priv->netdev = netdev;
	priv->pdev = pdev;
	priv->hw = pcim_iomap_table(pdev)[0];
	priv->split_headers = split_headers;
	priv->rx_ring_size = IOAT_NIC_DEFAULT_RING;
	priv->tx_ring_size = IOAT_NIC_DEFAULT_RING;
	INIT_WORK(&priv->reset_task, ioat_nic_reset_task);
	timer_setup(&priv->irq_watchdog, ioat_nic_irq_watchdog, 0);
	spin_lock_init(&priv->mac_stats_lock);
	pci_set_drvdata(pdev, priv);

	ioat_nic_reset(priv);
	ioat_nic_read_mac(priv);

	/* One vector per queue pair plus one for the other causes. */
	nvec = pci_alloc_irq_vectors(pdev, 2, max_queues + 1, PCI_IRQ_MSIX);
	if (nvec < 0) {
		err = nvec;
		dev_err(&pdev->dev, "cannot enable MSI-X: %d\n", err);
		goto err_free_netdev;
	}
	priv->max_queues = nvec - 1;
	priv->num_queues = priv->max_queues;
	priv->other_vector = nvec - 1;
	for (q = 0; q < priv->max_queues; q++) {
		priv->qv[q].priv = priv;
		priv->qv[q].v = q;
		netif_napi_add(netdev, &priv->qv[q].napi, ioat_nic_napi_poll);
		u64_stats_init(&priv->rx_stats[q].syncp);
		u64_stats_init(&priv->tx_stats[q].syncp);
	}
	netdev_rss_key_fill(priv->rss_key, sizeof(priv->rss_key));
	ioat_nic_default_reta(priv);
	netif_set_real_num_tx_queues(netdev, priv->num_queues);
	netif_set_real_num_rx_queues(netdev, priv->num_queues);

	netdev->netdev_ops = &ioat_nic_netdev_ops;
	netdev->ethtool_ops = &ioat_nic_ethtool_ops;
	netdev->watchdog_timeo = 5 * HZ;
	netdev->hw_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			      NETIF_F_TSO6 | NETIF_F_RXCSUM | NETIF_F_RXHASH;
	netdev->features = netdev->hw_features;
	/* Filter rules (-N) and LRO wait for ethtool -K ntuple/lro on. */
	netdev->hw_features |= NETIF_F_NTUPLE | NETIF_F_LRO;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = IOAT_NIC_MAX_MTU;
	netif_carrier_off(netdev);

	err = register_netdev(netdev);
	if (err)
		goto err_napi;
	netdev_info(netdev, "%pM, %u queue pairs, %s headers\n",
		    netdev->dev_addr, priv->num_queues,
		    priv->split_headers ? "split" : "unsplit");
	return 0;

err_napi:
	for (q = 0; q < priv->max_queues; q++)
		netif_napi_del(&priv->qv[q].napi);
	pci_free_irq_vectors(pdev);
err_free_netdev:
	free_netdev(netdev);
	return err;
}

static void ioat_nic_remove(struct pci_dev *pdev)
{
	struct ioat_nic_priv *priv = pci_get_drvdata(pdev);
	unsigned int q;

	unregister_netdev(priv->netdev);
	cancel_work_sync(&priv->reset_task);
	ioat_nic_filters_clear(priv);
	ioat_nic_reset(priv);
	for (q = 0; q < priv->max_queues; q++)
		netif_napi_del(&priv->qv[q].napi);
	pci_free_irq_vectors(pdev);
	free_netdev(priv->netdev);
}

static const struct pci_device_id ioat_nic_pci_tbl[] = {
	{ PCI_VDEVICE(INTEL, 0x10f9) },	/* 82599 CX4, as ioat-nic models it */
	{ }
};
MODULE_DEVICE_TABLE(pci, ioat_nic_pci_tbl);

static struct pci_driver ioat_nic_driver = {
	.name		= IOAT_NIC_DRV_NAME,
	.id_table	= ioat_nic_pci_tbl,
	.probe		= ioat_nic_probe,
	.remove		= ioat_nic_remove,
};
module_pci_driver(ioat_nic_driver);

MODULE_DESCRIPTION("Driver for the ioat-nic 10 GbE device model (8086:10F9)");
MODULE_LICENSE("GPL");
