// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_nic ethtool operations: driver info, link, per-queue statistics
 * (-S), channels (-l/-L), rings (-g/-G), RSS (-x/-X), coalescing (-c/-C),
 * private flags (--show-priv-flags/--set-priv-flags); the filter rules of
 * -n/-N are in ioat_nic_filter.c.
 */

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "ioat_nic.h"

static const char ioat_nic_rx_stat_names[][ETH_GSTRING_LEN] = {
	"packets", "bytes", "hdr_split", "hdr_nosplit", "csum_err",
	"alloc_fail", "page_reuse", "lli", "rsc_aggregated", "rsc_flushed",
	"rsc_chain_err",
};

static const char ioat_nic_tx_stat_names[][ETH_GSTRING_LEN] = {
	"packets", "bytes", "tso", "csum", "stopped",
};

/* Totals over all queues, ahead of the per-queue counters. */
static const char ioat_nic_total_stat_names[][ETH_GSTRING_LEN] = {
	"rx_hdr_split", "rx_hdr_nosplit", "rx_csum_err", "rx_page_reuse",
	"rx_rsc_aggregated", "rx_rsc_flushed",
	"rx_short_length_errors", "rx_long_length_errors",	/* RUC, ROC */
};

/* Bit N of the private flags is name N. */
static const char ioat_nic_priv_flag_names[][ETH_GSTRING_LEN] = {
	"split-headers",
};

#define IOAT_NIC_PRIV_FLAG_SPLIT_HEADERS	BIT(0)

#define IOAT_NIC_RX_STATS	ARRAY_SIZE(ioat_nic_rx_stat_names)
#define IOAT_NIC_TX_STATS	ARRAY_SIZE(ioat_nic_tx_stat_names)
#define IOAT_NIC_TOTAL_STATS	ARRAY_SIZE(ioat_nic_total_stat_names)

static void ioat_nic_get_drvinfo(struct net_device *netdev,
				 struct ethtool_drvinfo *info)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	strscpy(info->driver, IOAT_NIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(priv->pdev), sizeof(info->bus_info));
}

static int ioat_nic_get_link_ksettings(struct net_device *netdev,
				       struct ethtool_link_ksettings *cmd)
{
	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_add_link_mode(cmd, supported, 10000baseT_Full);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	ethtool_link_ksettings_add_link_mode(cmd, advertising, 10000baseT_Full);
	cmd->base.autoneg = AUTONEG_DISABLE;
	cmd->base.port = PORT_OTHER;
	if (netif_carrier_ok(netdev)) {
		cmd->base.speed = SPEED_10000;
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static int ioat_nic_get_sset_count(struct net_device *netdev, int sset)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	if (sset == ETH_SS_PRIV_FLAGS)
		return ARRAY_SIZE(ioat_nic_priv_flag_names);
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return IOAT_NIC_TOTAL_STATS +
	       priv->num_queues * (IOAT_NIC_RX_STATS + IOAT_NIC_TX_STATS);
}

static void ioat_nic_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	unsigned int q, i;

	if (sset == ETH_SS_PRIV_FLAGS) {
		for (i = 0; i < ARRAY_SIZE(ioat_nic_priv_flag_names); i++)
			ethtool_sprintf(&data, "%s", ioat_nic_priv_flag_names[i]);
		return;
	}
	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < IOAT_NIC_TOTAL_STATS; i++)
		ethtool_sprintf(&data, "%s", ioat_nic_total_stat_names[i]);
	for (q = 0; q < priv->num_queues; q++)
		for (i = 0; i < IOAT_NIC_RX_STATS; i++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", q,
					ioat_nic_rx_stat_names[i]);
	for (q = 0; q < priv->num_queues; q++)
		for (i = 0; i < IOAT_NIC_TX_STATS; i++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", q,
					ioat_nic_tx_stat_names[i]);
}

static void ioat_nic_get_ethtool_stats(struct net_device *netdev,
				       struct ethtool_stats *stats, u64 *data)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	u64 *totals = data, *rx = data + IOAT_NIC_TOTAL_STATS;
	u64 *tx = rx + priv->num_queues * IOAT_NIC_RX_STATS;
	unsigned long flags;
	unsigned int q, start;

	memset(totals, 0, IOAT_NIC_TOTAL_STATS * sizeof(u64));
	ioat_nic_update_mac_stats(priv, NULL, NULL);
	spin_lock_irqsave(&priv->mac_stats_lock, flags);
	totals[6] = priv->short_length_errors;
	totals[7] = priv->long_length_errors;
	spin_unlock_irqrestore(&priv->mac_stats_lock, flags);
	/* Totals include queues that were in use before an ethtool -L. */
	for (q = 0; q < priv->max_queues; q++) {
		struct ioat_nic_rx_stats *s = &priv->rx_stats[q];
		u64 v[IOAT_NIC_RX_STATS];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v[0] = s->packets;
			v[1] = s->bytes;
			v[2] = s->hdr_split;
			v[3] = s->hdr_nosplit;
			v[4] = s->csum_err;
			v[5] = s->alloc_fail;
			v[6] = s->page_reuse;
			v[7] = s->lli;
			v[8] = s->rsc_aggregated;
			v[9] = s->rsc_flushed;
			v[10] = s->rsc_chain_err;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		totals[0] += v[2];
		totals[1] += v[3];
		totals[2] += v[4];
		totals[3] += v[6];
		totals[4] += v[8];
		totals[5] += v[9];
		if (q < priv->num_queues)
			memcpy(rx + q * IOAT_NIC_RX_STATS, v, sizeof(v));
	}
	for (q = 0; q < priv->num_queues; q++) {
		struct ioat_nic_tx_stats *s = &priv->tx_stats[q];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			tx[0] = s->packets;
			tx[1] = s->bytes;
			tx[2] = s->tso;
			tx[3] = s->csum;
			tx[4] = s->stopped;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		tx += IOAT_NIC_TX_STATS;
	}
}

static void ioat_nic_get_channels(struct net_device *netdev,
				  struct ethtool_channels *ch)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	ch->max_combined = priv->max_queues;
	ch->combined_count = priv->num_queues;
	ch->max_other = 1;
	ch->other_count = 1;
}

static int ioat_nic_set_channels(struct net_device *netdev,
				 struct ethtool_channels *ch)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	if (!ch->combined_count || ch->rx_count || ch->tx_count ||
	    ch->other_count != 1)
		return -EINVAL;
	if (ch->combined_count == priv->num_queues)
		return 0;
	/* A filter rule must not point at a queue that goes away. */
	if (!ioat_nic_filters_fit(priv, ch->combined_count))
		return -EINVAL;
	return ioat_nic_reconfigure(priv, ch->combined_count,
				    priv->rx_ring_size, priv->tx_ring_size);
}

static void ioat_nic_get_ringparam(struct net_device *netdev,
				   struct ethtool_ringparam *ring,
				   struct kernel_ethtool_ringparam *kring,
				   struct netlink_ext_ack *extack)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	ring->rx_max_pending = IOAT_NIC_MAX_RING;
	ring->tx_max_pending = IOAT_NIC_MAX_RING;
	ring->rx_pending = priv->rx_ring_size;
	ring->tx_pending = priv->tx_ring_size;
	/* SRRCTL.DESCTYPE 5: headers and payload in separate buffers */
	kring->tcp_data_split = priv->split_headers ?
				ETHTOOL_TCP_DATA_SPLIT_ENABLED :
				ETHTOOL_TCP_DATA_SPLIT_DISABLED;
}

static int ioat_nic_set_ringparam(struct net_device *netdev,
				  struct ethtool_ringparam *ring,
				  struct kernel_ethtool_ringparam *kring,
				  struct netlink_ext_ack *extack)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	u32 rx = ring->rx_pending, tx = ring->tx_pending;

	/* RDLEN and TDLEN count in 128-byte units: 8 descriptors. */
	if (rx < IOAT_NIC_MIN_RING || tx < IOAT_NIC_MIN_RING ||
	    rx % 8 || tx % 8 || ring->rx_mini_pending || ring->rx_jumbo_pending) {
		NL_SET_ERR_MSG(extack, "rings need 64..4096 descriptors, a multiple of 8");
		return -EINVAL;
	}
	if (rx == priv->rx_ring_size && tx == priv->tx_ring_size)
		return 0;
	return ioat_nic_reconfigure(priv, priv->num_queues, rx, tx);
}

static u32 ioat_nic_get_priv_flags(struct net_device *netdev)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	return priv->split_headers ? IOAT_NIC_PRIV_FLAG_SPLIT_HEADERS : 0;
}

/* split-headers: SRRCTL.DESCTYPE 5 or 1, on new rings. */
static int ioat_nic_set_priv_flags(struct net_device *netdev, u32 flags)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	bool split = flags & IOAT_NIC_PRIV_FLAG_SPLIT_HEADERS;

	if (split == priv->split_headers)
		return 0;
	priv->split_headers = split;
	return ioat_nic_reconfigure(priv, priv->num_queues, priv->rx_ring_size,
				    priv->tx_ring_size);
}

static int ioat_nic_get_coalesce(struct net_device *netdev,
				 struct ethtool_coalesce *ec,
				 struct kernel_ethtool_coalesce *kec,
				 struct netlink_ext_ack *extack)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	ec->rx_coalesce_usecs = priv->rx_usecs;
	return 0;
}

static int ioat_nic_set_coalesce(struct net_device *netdev,
				 struct ethtool_coalesce *ec,
				 struct kernel_ethtool_coalesce *kec,
				 struct netlink_ext_ack *extack)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	u32 max = FIELD_MAX(IOAT_NIC_EITR_ITR) * 2;

	if (ec->rx_coalesce_usecs > max) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs is at most 1022");
		return -EINVAL;
	}
	priv->rx_usecs = ec->rx_coalesce_usecs & ~1u;
	if (netif_running(netdev))
		ioat_nic_write_eitr(priv);
	return 0;
}

static int ioat_nic_get_rxnfc(struct net_device *netdev,
			      struct ethtool_rxnfc *cmd, u32 *rule_locs)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	if (cmd->cmd != ETHTOOL_GRXRINGS)
		return ioat_nic_get_rules(priv, cmd, rule_locs);
	cmd->data = priv->num_queues;
	return 0;
}

static u32 ioat_nic_get_rxfh_indir_size(struct net_device *netdev)
{
	return IOAT_NIC_RETA_SIZE;
}

static u32 ioat_nic_get_rxfh_key_size(struct net_device *netdev)
{
	return IOAT_NIC_RSS_KEY_SIZE;
}

static int ioat_nic_get_rxfh(struct net_device *netdev, u32 *indir, u8 *key,
			     u8 *hfunc)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	unsigned int i;

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir)
		for (i = 0; i < IOAT_NIC_RETA_SIZE; i++)
			indir[i] = priv->reta[i];
	if (key)
		memcpy(key, priv->rss_key, IOAT_NIC_RSS_KEY_SIZE);
	return 0;
}

static int ioat_nic_set_rxfh(struct net_device *netdev, const u32 *indir,
			     const u8 *key, const u8 hfunc)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);
	unsigned int i;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (indir)
		for (i = 0; i < IOAT_NIC_RETA_SIZE; i++)
			priv->reta[i] = indir[i];
	if (key)
		memcpy(priv->rss_key, key, IOAT_NIC_RSS_KEY_SIZE);
	if (netif_running(netdev))
		ioat_nic_write_rss(priv);
	return 0;
}

const struct ethtool_ops ioat_nic_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_drvinfo		= ioat_nic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= ioat_nic_get_link_ksettings,
	.get_sset_count		= ioat_nic_get_sset_count,
	.get_strings		= ioat_nic_get_strings,
	.get_ethtool_stats	= ioat_nic_get_ethtool_stats,
	.get_channels		= ioat_nic_get_channels,
	.set_channels		= ioat_nic_set_channels,
	.get_ringparam		= ioat_nic_get_ringparam,
	.set_ringparam		= ioat_nic_set_ringparam,
	.get_priv_flags		= ioat_nic_get_priv_flags,
	.set_priv_flags		= ioat_nic_set_priv_flags,
	.get_coalesce		= ioat_nic_get_coalesce,
	.set_coalesce		= ioat_nic_set_coalesce,
	.get_rxnfc		= ioat_nic_get_rxnfc,
	.set_rxnfc		= ioat_nic_set_rxnfc,
	.get_rxfh_indir_size	= ioat_nic_get_rxfh_indir_size,
	.get_rxfh_key_size	= ioat_nic_get_rxfh_key_size,
	.get_rxfh		= ioat_nic_get_rxfh,
	.set_rxfh		= ioat_nic_set_rxfh,
};
