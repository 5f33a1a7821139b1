/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioat_nic: a small Linux driver for the ioat-nic device model (an Intel
 * 82599-like 10 GbE controller, PCI 8086:10F9).
 *
 * Files: ioat_nic_main.c (probe, interrupts, NAPI, netdev ops),
 * ioat_nic_rx.c (split-header receive), ioat_nic_tx.c (transmit, TSO),
 * ioat_nic_ethtool.c.  Register offsets are BAR0 offsets from the 82599
 * datasheet as the model implements them (hw/net/ioat_nic_regs.h).
 */

#ifndef _IOAT_NIC_H_
#define _IOAT_NIC_H_

#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/u64_stats_sync.h>

#define IOAT_NIC_DRV_NAME		"ioat_nic"

/* General control */
#define IOAT_NIC_CTRL			0x00000
#define  IOAT_NIC_CTRL_RST		BIT(26)
#define IOAT_NIC_LINKS			0x042a4
/* MAC error counters, read to clear (8.2.3.23) */
#define IOAT_NIC_CRCERRS		0x04000
#define IOAT_NIC_RLEC			0x04040
#define IOAT_NIC_RUC			0x040a4	/* undersize: runts */
#define IOAT_NIC_ROC			0x040ac	/* oversize: beyond MAXFRS */
#define  IOAT_NIC_LINKS_UP		BIT(30)

/* Interrupts (datasheet 7.3, 8.2.3.5) */
#define IOAT_NIC_EICR			0x00800
#define  IOAT_NIC_EICR_RTXQ		GENMASK(15, 0)
#define  IOAT_NIC_EICR_LSC		BIT(20)
#define IOAT_NIC_EICS			0x00808	/* reads EICR without clearing */
#define IOAT_NIC_EIAC			0x00810
#define IOAT_NIC_EIMS			0x00880
#define IOAT_NIC_EIMC			0x00888
#define IOAT_NIC_GPIE			0x00898
#define  IOAT_NIC_GPIE_MSIX_MODE	BIT(4)
#define  IOAT_NIC_GPIE_OCD		BIT(5)
#define  IOAT_NIC_GPIE_EIAME		BIT(30)
#define  IOAT_NIC_GPIE_PBA_SUPPORT	BIT(31)
#define IOAT_NIC_IVAR(n)		(0x00900 + 4 * (n))
#define  IOAT_NIC_IVAR_VALID		0x80
#define IOAT_NIC_IVAR_MISC		0x00a00	/* bits 15:8: "other" causes */
#define IOAT_NIC_EIMS_EX(n)		(0x00aa0 + 4 * (n))
#define IOAT_NIC_EIMC_EX(n)		(0x00ab0 + 4 * (n))
#define IOAT_NIC_EICS_EX(n)		(0x00a90 + 4 * (n))
#define IOAT_NIC_EIAM_EX(n)		(0x00ad0 + 4 * (n))

/* EITR 0-23 and 24-63 live in two blocks. */
static inline u32 ioat_nic_eitr_reg(unsigned int v)
{
	return v < 24 ? 0x00820 + 4 * v : 0x12300 + 4 * (v - 24);
}

#define IOAT_NIC_EITR(v)		ioat_nic_eitr_reg(v)
#define  IOAT_NIC_EITR_ITR		GENMASK(11, 3)	/* 2 us units */

/* Receive (8.2.3.8) */
#define IOAT_NIC_RDBAL(q)		(0x01000 + 0x40 * (q))
#define IOAT_NIC_RDBAH(q)		(0x01004 + 0x40 * (q))
#define IOAT_NIC_RDLEN(q)		(0x01008 + 0x40 * (q))
#define IOAT_NIC_RDH(q)			(0x01010 + 0x40 * (q))
#define IOAT_NIC_SRRCTL(q)		(0x01014 + 0x40 * (q))
#define  IOAT_NIC_SRRCTL_BSIZEPKT	GENMASK(4, 0)	/* 1 KiB units */
#define  IOAT_NIC_SRRCTL_BSIZEHDR	GENMASK(13, 8)	/* 64 byte units */
#define  IOAT_NIC_SRRCTL_DESCTYPE	GENMASK(27, 25)
#define  IOAT_NIC_DESCTYPE_ONEBUF	1
#define  IOAT_NIC_DESCTYPE_SPLIT_ALWAYS	5
#define IOAT_NIC_RDT(q)			(0x01018 + 0x40 * (q))
#define IOAT_NIC_RXDCTL(q)		(0x01028 + 0x40 * (q))
#define  IOAT_NIC_RXDCTL_ENABLE		BIT(25)
#define IOAT_NIC_RSCCTL(q)		(0x0102c + 0x40 * (q))
#define  IOAT_NIC_RSCCTL_RSCEN		BIT(0)
#define  IOAT_NIC_RSCCTL_MAXDESC	GENMASK(3, 2)
#define  IOAT_NIC_RSCCTL_MAXDESC_8	2
#define  IOAT_NIC_RSCCTL_MAXDESC_16	3
#define IOAT_NIC_RDRXCTL		0x02f00
#define  IOAT_NIC_RDRXCTL_CRCSTRIP	BIT(1)
#define IOAT_NIC_RXCTRL			0x03000
#define  IOAT_NIC_RXCTRL_RXEN		BIT(0)
#define IOAT_NIC_HLREG0			0x04240
#define  IOAT_NIC_HLREG0_JUMBOEN	BIT(2)
#define IOAT_NIC_MAXFRS			0x04268
#define  IOAT_NIC_MAXFRS_MFS		GENMASK(31, 16)
#define IOAT_NIC_RXCSUM			0x05000
#define  IOAT_NIC_RXCSUM_PCSD		BIT(13)
#define IOAT_NIC_RFCTL			0x05008
#define  IOAT_NIC_RFCTL_RSC_DIS		BIT(5)
#define IOAT_NIC_FCTRL			0x05080
#define  IOAT_NIC_FCTRL_MPE		BIT(8)
#define  IOAT_NIC_FCTRL_UPE		BIT(9)
#define  IOAT_NIC_FCTRL_BAM		BIT(10)
#define IOAT_NIC_MRQC			0x05818
#define  IOAT_NIC_MRQC_RSSEN		0x1
#define  IOAT_NIC_MRQC_TCPIPV4		BIT(16)
#define  IOAT_NIC_MRQC_IPV4		BIT(17)
#define  IOAT_NIC_MRQC_IPV6		BIT(20)
#define  IOAT_NIC_MRQC_TCPIPV6		BIT(21)
#define IOAT_NIC_PSRTYPE(q)		(0x0ea00 + 4 * (q))
#define  IOAT_NIC_PSRTYPE_SPLIT		(BIT(4) | BIT(5) | BIT(8) | BIT(9))
#define IOAT_NIC_RETA(i)		(0x05c00 + 4 * (i))
#define IOAT_NIC_RSSRK(i)		(0x05c80 + 4 * (i))
#define IOAT_NIC_RAL0			0x0a200
#define IOAT_NIC_RAH0			0x0a204
#define  IOAT_NIC_RAH_AV		BIT(31)

/* 5-tuple filters (7.1.2.5): IPv4 addresses as little-endian wire bytes */
#define IOAT_NIC_NUM_5TUPLE		128
#define IOAT_NIC_SAQF(n)		(0x0e000 + 4 * (n))
#define IOAT_NIC_DAQF(n)		(0x0e200 + 4 * (n))
#define IOAT_NIC_SDPQF(n)		(0x0e400 + 4 * (n))	/* ports in network order */
#define  IOAT_NIC_SDPQF_SRC		GENMASK(15, 0)
#define  IOAT_NIC_SDPQF_DST		GENMASK(31, 16)
#define IOAT_NIC_FTQF(n)		(0x0e600 + 4 * (n))
#define  IOAT_NIC_FTQF_PROTO		GENMASK(1, 0)
#define  IOAT_NIC_FTQF_PROTO_TCP	0
#define  IOAT_NIC_FTQF_PROTO_UDP	1
#define  IOAT_NIC_FTQF_PROTO_SCTP	2
#define  IOAT_NIC_FTQF_PRIO		GENMASK(4, 2)
#define  IOAT_NIC_FTQF_MASK_SRC_ADDR	BIT(25)	/* 1: not compared */
#define  IOAT_NIC_FTQF_MASK_DST_ADDR	BIT(26)
#define  IOAT_NIC_FTQF_MASK_SRC_PORT	BIT(27)
#define  IOAT_NIC_FTQF_MASK_DST_PORT	BIT(28)
#define  IOAT_NIC_FTQF_MASK_PROTO	BIT(29)
#define  IOAT_NIC_FTQF_POOL_MASK	BIT(30)
#define  IOAT_NIC_FTQF_QUEUE_EN		BIT(31)
#define IOAT_NIC_L34T_IMIR(n)		(0x0e800 + 4 * (n))
#define  IOAT_NIC_IMIR_SIZE_BP		BIT(12)
#define  IOAT_NIC_IMIR_TCP_FLAGS	GENMASK(18, 13)	/* URG ACK PSH RST SYN FIN */
#define  IOAT_NIC_IMIR_CTRL_BP		BIT(19)
#define  IOAT_NIC_IMIR_LLI		BIT(20)
#define  IOAT_NIC_IMIR_RX_QUEUE		GENMASK(27, 21)
/* SYN filter (7.1.2.6) and the LLI size threshold (7.3.2.2) */
#define IOAT_NIC_SYNQF			0x0ec30
#define  IOAT_NIC_SYNQF_QUEUE_EN	BIT(0)
#define  IOAT_NIC_SYNQF_RX_QUEUE	GENMASK(7, 1)
#define  IOAT_NIC_SYNQF_SYNQFP		BIT(31)	/* ahead of the 5-tuple filters */
#define IOAT_NIC_LLITHRESH		0x0ec90
#define  IOAT_NIC_LLITHRESH_SIZE	GENMASK(11, 0)

/* Transmit (8.2.3.9) */
#define IOAT_NIC_TDBAL(q)		(0x06000 + 0x40 * (q))
#define IOAT_NIC_TDBAH(q)		(0x06004 + 0x40 * (q))
#define IOAT_NIC_TDLEN(q)		(0x06008 + 0x40 * (q))
#define IOAT_NIC_TDH(q)			(0x06010 + 0x40 * (q))
#define IOAT_NIC_TDT(q)			(0x06018 + 0x40 * (q))
#define IOAT_NIC_TXDCTL(q)		(0x06028 + 0x40 * (q))
#define  IOAT_NIC_TXDCTL_ENABLE		BIT(25)
#define IOAT_NIC_DMATXCTL		0x04a80
#define  IOAT_NIC_DMATXCTL_TE		BIT(0)

/* Advanced receive descriptor (7.1.6): read and write-back formats */
union ioat_nic_rx_desc {
	struct {
		__le64 pkt_addr;
		__le64 hdr_addr;
	} read;
	struct {
		__le32 info;		/* RSS type, packet type, HDR_LEN, SPH */
		__le32 rss_hash;
		__le32 status_error;
		__le16 length;		/* bytes in the packet buffer */
		__le16 vlan;
	} wb;
};

#define IOAT_NIC_RXD_INFO_RSS_TYPE	GENMASK(3, 0)
#define IOAT_NIC_RXD_INFO_RSCCNT	GENMASK(20, 17)
#define IOAT_NIC_RXD_INFO_HDR_LEN	GENMASK(30, 21)
#define IOAT_NIC_RXD_INFO_SPH		BIT(31)
#define IOAT_NIC_RXD_STAT_DD		BIT(0)
#define IOAT_NIC_RXD_STAT_EOP		BIT(1)
#define IOAT_NIC_RXD_STAT_L4CS		BIT(5)
#define IOAT_NIC_RXD_STAT_IPCS		BIT(6)
#define IOAT_NIC_RXD_STAT_LLINT		BIT(11)	/* a low latency interrupt */
#define IOAT_NIC_RXD_STAT_NEXTP		GENMASK(19, 4)	/* RSC, before EOP */
#define IOAT_NIC_RXD_ERR_HBO		BIT(23)
#define IOAT_NIC_RXD_ERR_TCPE		BIT(30)
#define IOAT_NIC_RXD_ERR_IPE		BIT(31)

/* Advanced transmit descriptors (7.2.3): data and context */
struct ioat_nic_tx_desc {
	__le64 addr;
	__le32 cmd_type_len;
	__le32 olinfo_status;
};

struct ioat_nic_tx_ctx_desc {
	__le32 vlan_macip_lens;
	__le32 seqnum_seed;
	__le32 type_tucmd_mlhl;
	__le32 mss_l4len_idx;
};

#define IOAT_NIC_TXD_DTALEN		GENMASK(15, 0)
#define IOAT_NIC_TXD_DTYP_CTXT		(2 << 20)
#define IOAT_NIC_TXD_DTYP_DATA		(3 << 20)
#define IOAT_NIC_TXD_CMD_EOP		BIT(24)
#define IOAT_NIC_TXD_CMD_IFCS		BIT(25)
#define IOAT_NIC_TXD_CMD_RS		BIT(27)
#define IOAT_NIC_TXD_CMD_DEXT		BIT(29)
#define IOAT_NIC_TXD_CMD_TSE		BIT(31)
#define IOAT_NIC_TXD_STAT_DD		BIT(0)
#define IOAT_NIC_TXD_POPTS_IXSM		BIT(8)
#define IOAT_NIC_TXD_POPTS_TXSM		BIT(9)
#define IOAT_NIC_TXD_PAYLEN		GENMASK(31, 14)
#define IOAT_NIC_TXCTX_IPLEN		GENMASK(8, 0)
#define IOAT_NIC_TXCTX_MACLEN		GENMASK(15, 9)
#define IOAT_NIC_TXCTX_TUCMD_IPV4	BIT(10)
#define IOAT_NIC_TXCTX_TUCMD_L4T	GENMASK(12, 11)
#define  IOAT_NIC_L4T_UDP		0
#define  IOAT_NIC_L4T_TCP		1
#define IOAT_NIC_TXCTX_L4LEN		GENMASK(15, 8)
#define IOAT_NIC_TXCTX_MSS		GENMASK(31, 16)

/* Driver geometry */
#define IOAT_NIC_MAX_QUEUES		16	/* RSS spreads over 16 queues */
#define IOAT_NIC_RETA_SIZE		128
#define IOAT_NIC_RSS_KEY_SIZE		40
#define IOAT_NIC_DEFAULT_RING		512
#define IOAT_NIC_MIN_RING		64
#define IOAT_NIC_MAX_RING		4096
#define IOAT_NIC_RX_HDR_SIZE		256	/* header buffer per descriptor */
#define IOAT_NIC_RX_HALF_PAGE		(PAGE_SIZE / 2)
#define IOAT_NIC_MAX_MTU		9000
#define IOAT_NIC_TX_DESC_NEEDED		(MAX_SKB_FRAGS + 4)

struct ioat_nic_rx_stats {
	struct u64_stats_sync syncp;
	u64 packets;
	u64 bytes;
	u64 hdr_split;		/* device split the headers (SPH = 1) */
	u64 hdr_nosplit;	/* frame arrived unsplit */
	u64 csum_err;
	u64 alloc_fail;
	u64 page_reuse;
	u64 lli;		/* frames written back with LLINT */
	u64 rsc_aggregated;	/* segments in coalesced frames (LRO) */
	u64 rsc_flushed;	/* coalesced frames */
	u64 rsc_chain_err;	/* NEXTP not the next descriptor: dropped */
};

struct ioat_nic_tx_stats {
	struct u64_stats_sync syncp;
	u64 packets;
	u64 bytes;
	u64 tso;
	u64 csum;
	u64 stopped;
};

/*
 * Receive filter rules (ioat_nic_filter.c): locations 0-127 are the
 * 5-tuple filters of the same number, IOAT_NIC_SYN_LOC the SYN filter.
 */
#define IOAT_NIC_SYN_LOC		IOAT_NIC_NUM_5TUPLE
#define IOAT_NIC_NUM_RULE_LOCS		(IOAT_NIC_NUM_5TUPLE + 1)

struct ioat_nic_filter {
	struct ethtool_rx_flow_spec fs;	/* as ethtool -n reports it */
	u32 saqf, daqf, sdpqf, imir;
	u32 ftqf;			/* SYNQF for the SYN rule */
	u16 lli_size;			/* LLITHRESH, 0: no size condition */
};

/* The half or whole page the device may write a payload into. */
struct ioat_nic_rx_buf {
	struct page *page;
	dma_addr_t dma;		/* of the whole page */
	unsigned int offset;	/* 0, or the second half of the page */
};

struct ioat_nic_rx_ring {
	struct ioat_nic_priv *priv;
	struct ioat_nic_q_vector *qv;
	union ioat_nic_rx_desc *desc;
	struct ioat_nic_rx_buf *bufs;
	void *hdr;		/* IOAT_NIC_RX_HDR_SIZE per descriptor */
	dma_addr_t desc_dma;
	dma_addr_t hdr_dma;
	struct sk_buff *skb;	/* frame spanning several descriptors */
	bool discard;		/* dropping the rest of a frame */
	u32 rsc_segs;		/* segments coalesced into skb so far */
	u32 buf_size;		/* half a page, or a whole page */
	bool split;		/* header buffers (priv->split_headers at alloc) */
	u32 count;
	u32 next_to_clean;
	u32 next_to_use;
	u16 q;
	struct ioat_nic_rx_stats *stats;
};

/* Per descriptor: the skb on a frame's first slot, its mapping on all. */
struct ioat_nic_tx_buf {
	struct sk_buff *skb;
	dma_addr_t dma;
	u32 len;
	u32 eop;		/* index of the frame's last descriptor */
	u32 bytes;		/* on the wire, for BQL and stats */
	u16 segs;
	bool page;		/* mapped with skb_frag_dma_map() */
};

struct ioat_nic_tx_ring {
	struct ioat_nic_priv *priv;
	struct ioat_nic_tx_desc *desc;
	struct ioat_nic_tx_buf *bufs;
	dma_addr_t desc_dma;
	u32 count;
	u32 next_to_clean;
	u32 next_to_use;
	u16 q;
	struct ioat_nic_tx_stats *stats;
};

/* One MSI-X vector serving RX and TX queue q (vector number q). */
struct ioat_nic_q_vector {
	struct ioat_nic_priv *priv;
	struct napi_struct napi;
	struct ioat_nic_rx_ring *rx;
	struct ioat_nic_tx_ring *tx;
	u16 v;
	char name[IFNAMSIZ + 16];
	u32 polls;		/* NAPI polls so far */
	u32 watchdog_polls;	/* polls at the interrupt watchdog's last tick */
};

struct ioat_nic_priv {
	struct net_device *netdev;
	struct pci_dev *pdev;
	u8 __iomem *hw;

	unsigned int num_queues;	/* in use */
	unsigned int max_queues;	/* MSI-X vectors - 1 */
	unsigned int other_vector;
	u32 rx_ring_size;
	u32 tx_ring_size;
	u32 rx_usecs;
	bool split_headers;

	struct ioat_nic_q_vector qv[IOAT_NIC_MAX_QUEUES];
	struct ioat_nic_rx_ring *rx;	/* num_queues of them while up */
	struct ioat_nic_tx_ring *tx;
	struct ioat_nic_rx_stats rx_stats[IOAT_NIC_MAX_QUEUES];
	struct ioat_nic_tx_stats tx_stats[IOAT_NIC_MAX_QUEUES];

	u8 rss_key[IOAT_NIC_RSS_KEY_SIZE];
	u8 reta[IOAT_NIC_RETA_SIZE];

	/* Under RTNL; written to the device at every ioat_nic_up(). */
	struct ioat_nic_filter *filters[IOAT_NIC_NUM_RULE_LOCS];
	unsigned int num_filters;

	struct work_struct reset_task;
	struct timer_list irq_watchdog;	/* ioat_nic_irq_watchdog() */

	/*
	 * CRCERRS, and RLEC + RUC + ROC as length errors, summed, and RUC
	 * and ROC alone for ethtool -S: the device clears them on read and
	 * reset
	 */
	spinlock_t mac_stats_lock;
	u64 crc_errors;
	u64 length_errors;
	u64 short_length_errors;
	u64 long_length_errors;
};

static inline u32 ioat_nic_rd(struct ioat_nic_priv *priv, u32 reg)
{
	return readl(priv->hw + reg);
}

static inline void ioat_nic_wr(struct ioat_nic_priv *priv, u32 reg, u32 val)
{
	writel(val, priv->hw + reg);
}

/* ioat_nic_main.c */
int ioat_nic_reconfigure(struct ioat_nic_priv *priv, unsigned int queues,
			 u32 rx_ring_size, u32 tx_ring_size);
void ioat_nic_write_eitr(struct ioat_nic_priv *priv);
void ioat_nic_write_rss(struct ioat_nic_priv *priv);
void ioat_nic_update_mac_stats(struct ioat_nic_priv *priv, u64 *crc_errors,
			       u64 *length_errors);

/* ioat_nic_rx.c */
u32 ioat_nic_rx_buf_size(const struct ioat_nic_priv *priv);
int ioat_nic_rx_alloc_ring(struct ioat_nic_priv *priv, struct ioat_nic_rx_ring *rx);
void ioat_nic_rx_free_ring(struct ioat_nic_rx_ring *rx);
void ioat_nic_rx_configure(struct ioat_nic_rx_ring *rx);
void ioat_nic_rx_write_rsc(struct ioat_nic_rx_ring *rx);
int ioat_nic_rx_poll(struct ioat_nic_rx_ring *rx, int budget);
bool ioat_nic_rx_ready(struct ioat_nic_rx_ring *rx);

/* ioat_nic_tx.c */
int ioat_nic_tx_alloc_ring(struct ioat_nic_priv *priv, struct ioat_nic_tx_ring *tx);
void ioat_nic_tx_free_ring(struct ioat_nic_tx_ring *tx);
void ioat_nic_tx_configure(struct ioat_nic_tx_ring *tx);
bool ioat_nic_tx_clean(struct ioat_nic_tx_ring *tx, int budget);
bool ioat_nic_tx_outstanding(struct ioat_nic_tx_ring *tx);
netdev_tx_t ioat_nic_xmit(struct sk_buff *skb, struct net_device *netdev);
netdev_features_t ioat_nic_features_check(struct sk_buff *skb,
					  struct net_device *netdev,
					  netdev_features_t features);

/* ioat_nic_filter.c */
int ioat_nic_get_rules(struct ioat_nic_priv *priv, struct ethtool_rxnfc *cmd,
		       u32 *rule_locs);
int ioat_nic_set_rxnfc(struct net_device *netdev, struct ethtool_rxnfc *cmd);
void ioat_nic_filters_write(struct ioat_nic_priv *priv);
void ioat_nic_filters_clear(struct ioat_nic_priv *priv);
bool ioat_nic_filters_fit(struct ioat_nic_priv *priv, unsigned int queues);

/* ioat_nic_ethtool.c */
extern const struct ethtool_ops ioat_nic_ethtool_ops;

#endif /* _IOAT_NIC_H_ */
