// SPDX-License-Identifier: GPL-2.0
/*
 * ioat_nic receive filter rules: ethtool -N/-n on the 82599's 5-tuple
 * filters (datasheet 7.1.2.5), its SYN filter (7.1.2.6) and the low
 * latency interrupts a 5-tuple filter can raise (7.3.2.2).
 *
 * Rule location L < 128 is 5-tuple filter L (FTQF, SAQF, DAQF, SDPQF,
 * L34T_IMIR); location 128 is the SYN filter (SYNQF).  What the kernel's
 * flow spec cannot say goes in its 64-bit user-def field:
 *
 *   bit 0       LLI: a match interrupts at once (L34T_IMIR.LLI)
 *   bits 13:8   LLI only for TCP segments with one of these flags
 *               (FIN 0x100, SYN 0x200, RST 0x400, PSH 0x800, ACK 0x1000,
 *               URG 0x2000); none: every match (CTRL_BP)
 *   bits 27:16  LLI only for frames shorter than this (LLITHRESH, one
 *               value shared by all rules); 0: any size (SIZE_BP)
 *   bits 30:28  FTQF priority 1-7 (0 means 1); the highest matching
 *               filter wins, the lowest location among equals
 *   bit 32      the rule is the SYN filter: every TCP segment with SYN
 *               set goes to the rule's queue (flow-type tcp4, no fields)
 *   bit 33      with bit 32: the SYN filter goes ahead of the 5-tuple
 *               filters (SYNQF.SYNQFP); without it, behind them
 *
 * The table lives in the driver and is written to the device at every
 * ioat_nic_up(), after the reset that clears the registers.
 */

#include <linux/in.h>

#include "ioat_nic.h"

#define IOAT_NIC_UDEF_LLI		BIT_ULL(0)
#define IOAT_NIC_UDEF_TCP_FLAGS		GENMASK_ULL(13, 8)
#define IOAT_NIC_UDEF_LLI_SIZE		GENMASK_ULL(27, 16)
#define IOAT_NIC_UDEF_PRIO		GENMASK_ULL(30, 28)
#define IOAT_NIC_UDEF_SYN		BIT_ULL(32)
#define IOAT_NIC_UDEF_SYN_FIRST		BIT_ULL(33)
#define IOAT_NIC_UDEF_KNOWN		(IOAT_NIC_UDEF_LLI | IOAT_NIC_UDEF_TCP_FLAGS | \
					 IOAT_NIC_UDEF_LLI_SIZE | IOAT_NIC_UDEF_PRIO | \
					 IOAT_NIC_UDEF_SYN | IOAT_NIC_UDEF_SYN_FIRST)
#define IOAT_NIC_UDEF_LLI_BITS		(IOAT_NIC_UDEF_LLI | IOAT_NIC_UDEF_TCP_FLAGS | \
					 IOAT_NIC_UDEF_LLI_SIZE)

/* ethtool passes masks with 1 = compared; a field is compared whole or not. */
static int ioat_nic_mask32(__be32 mask, u32 *ftqf, u32 ignore)
{
	if (!mask) {
		*ftqf |= ignore;
		return 0;
	}
	return mask == htonl(~0u) ? 0 : -EINVAL;
}

static int ioat_nic_mask16(__be16 mask, u32 *ftqf, u32 ignore)
{
	if (!mask) {
		*ftqf |= ignore;
		return 0;
	}
	return mask == htons(0xffff) ? 0 : -EINVAL;
}

/* The register value of an address or port: its wire bytes, little endian. */
static u32 ioat_nic_wire32(__be32 v)
{
	return le32_to_cpu((__force __le32)v);
}

static u16 ioat_nic_wire16(__be16 v)
{
	return le16_to_cpu((__force __le16)v);
}

static int ioat_nic_parse_udef(const struct ethtool_rx_flow_spec *fs, u64 *udef)
{
	u64 mask;

	*udef = 0;
	if (fs->flow_type & (FLOW_MAC_EXT | FLOW_RSS))
		return -EOPNOTSUPP;
	if (!(fs->flow_type & FLOW_EXT))
		return 0;
	/* No VLAN fields in the 5-tuple filters. */
	if (fs->m_ext.vlan_etype || fs->m_ext.vlan_tci)
		return -EOPNOTSUPP;
	mask = (u64)be32_to_cpu(fs->m_ext.data[0]) << 32 |
	       be32_to_cpu(fs->m_ext.data[1]);
	if (!mask)
		return 0;
	if (mask != ~0ULL)
		return -EINVAL;
	*udef = (u64)be32_to_cpu(fs->h_ext.data[0]) << 32 |
		be32_to_cpu(fs->h_ext.data[1]);
	return *udef & ~IOAT_NIC_UDEF_KNOWN ? -EINVAL : 0;
}

/* TCP, UDP or SCTP over IPv4: addresses and ports (7.1.2.5). */
static int ioat_nic_parse_l4(const struct ethtool_tcpip4_spec *h,
			     const struct ethtool_tcpip4_spec *m,
			     struct ioat_nic_filter *f)
{
	int err;

	if (m->tos)
		return -EOPNOTSUPP;
	err = ioat_nic_mask32(m->ip4src, &f->ftqf, IOAT_NIC_FTQF_MASK_SRC_ADDR) ?:
	      ioat_nic_mask32(m->ip4dst, &f->ftqf, IOAT_NIC_FTQF_MASK_DST_ADDR) ?:
	      ioat_nic_mask16(m->psrc, &f->ftqf, IOAT_NIC_FTQF_MASK_SRC_PORT) ?:
	      ioat_nic_mask16(m->pdst, &f->ftqf, IOAT_NIC_FTQF_MASK_DST_PORT);
	if (err)
		return err;
	f->saqf = ioat_nic_wire32(h->ip4src & m->ip4src);
	f->daqf = ioat_nic_wire32(h->ip4dst & m->ip4dst);
	f->sdpqf = FIELD_PREP(IOAT_NIC_SDPQF_SRC, ioat_nic_wire16(h->psrc & m->psrc)) |
		   FIELD_PREP(IOAT_NIC_SDPQF_DST, ioat_nic_wire16(h->pdst & m->pdst));
	return 0;
}

/*
 * Any IPv4 frame by address: with no protocol the filter ignores it
 * (FTQF mask bit 29); TCP, UDP and SCTP select FTQF.PROTOCOL.  The filter
 * cannot name another protocol or look at the first L4 bytes.
 */
static int ioat_nic_parse_ip4(const struct ethtool_usrip4_spec *h,
			      const struct ethtool_usrip4_spec *m,
			      struct ioat_nic_filter *f, unsigned int *proto)
{
	int err;

	if (m->l4_4_bytes || m->tos || m->ip_ver || h->ip_ver != ETH_RX_NFC_IP4)
		return -EOPNOTSUPP;
	f->ftqf |= IOAT_NIC_FTQF_MASK_SRC_PORT | IOAT_NIC_FTQF_MASK_DST_PORT;
	if (!m->proto)
		f->ftqf |= IOAT_NIC_FTQF_MASK_PROTO;
	else if (m->proto != 0xff)
		return -EINVAL;
	else if (h->proto == IPPROTO_TCP)
		*proto = IOAT_NIC_FTQF_PROTO_TCP;
	else if (h->proto == IPPROTO_UDP)
		*proto = IOAT_NIC_FTQF_PROTO_UDP;
	else if (h->proto == IPPROTO_SCTP)
		*proto = IOAT_NIC_FTQF_PROTO_SCTP;
	else
		return -EOPNOTSUPP;
	err = ioat_nic_mask32(m->ip4src, &f->ftqf, IOAT_NIC_FTQF_MASK_SRC_ADDR) ?:
	      ioat_nic_mask32(m->ip4dst, &f->ftqf, IOAT_NIC_FTQF_MASK_DST_ADDR);
	if (err)
		return err;
	f->saqf = ioat_nic_wire32(h->ip4src & m->ip4src);
	f->daqf = ioat_nic_wire32(h->ip4dst & m->ip4dst);
	return 0;
}

/* The LLI size threshold another rule already uses, 0 if none. */
static u16 ioat_nic_lli_size(struct ioat_nic_priv *priv, unsigned int skip)
{
	unsigned int loc;

	for (loc = 0; loc < IOAT_NIC_NUM_5TUPLE; loc++)
		if (loc != skip && priv->filters[loc] &&
		    priv->filters[loc]->lli_size)
			return priv->filters[loc]->lli_size;
	return 0;
}

/* L34T_IMIR: queue, and the LLI conditions of the user-def bits. */
static int ioat_nic_parse_lli(struct ioat_nic_priv *priv, u64 udef, bool tcp,
			      unsigned int loc, struct ioat_nic_filter *f)
{
	u32 flags = FIELD_GET(IOAT_NIC_UDEF_TCP_FLAGS, udef);
	u16 size = FIELD_GET(IOAT_NIC_UDEF_LLI_SIZE, udef);
	u16 other;

	if (!(udef & IOAT_NIC_UDEF_LLI))
		return udef & IOAT_NIC_UDEF_LLI_BITS ? -EINVAL : 0;
	if (flags && !tcp)
		return -EINVAL;
	other = ioat_nic_lli_size(priv, loc);
	if (size && other && size != other)
		return -EINVAL;
	f->lli_size = size;
	f->imir |= IOAT_NIC_IMIR_LLI |
		   FIELD_PREP(IOAT_NIC_IMIR_TCP_FLAGS, flags) |
		   (flags ? 0 : IOAT_NIC_IMIR_CTRL_BP) |
		   (size ? 0 : IOAT_NIC_IMIR_SIZE_BP);
	return 0;
}

/* The location for @fs: an explicit one, or the first/last free one. */
static int ioat_nic_rule_loc(struct ioat_nic_priv *priv,
			     const struct ethtool_rx_flow_spec *fs, bool syn)
{
	int loc;

	if (!(fs->location & RX_CLS_LOC_SPECIAL)) {
		if (syn ? fs->location != IOAT_NIC_SYN_LOC :
			  fs->location >= IOAT_NIC_NUM_5TUPLE)
			return -EINVAL;
		return fs->location;
	}
	if (syn)
		return IOAT_NIC_SYN_LOC;
	switch (fs->location) {
	case RX_CLS_LOC_ANY:
	case RX_CLS_LOC_FIRST:
		for (loc = 0; loc < IOAT_NIC_NUM_5TUPLE; loc++)
			if (!priv->filters[loc])
				return loc;
		return -ENOSPC;
	case RX_CLS_LOC_LAST:
		for (loc = IOAT_NIC_NUM_5TUPLE - 1; loc >= 0; loc--)
			if (!priv->filters[loc])
				return loc;
		return -ENOSPC;
	default:
		return -EINVAL;
	}
}

/* Turn @fs into register values; returns its location or an errno. */
static int ioat_nic_parse_rule(struct ioat_nic_priv *priv,
			       const struct ethtool_rx_flow_spec *fs,
			       struct ioat_nic_filter *f)
{
	u32 type = fs->flow_type & ~(FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS);
	unsigned int proto = 0, prio;
	u64 ring, udef;
	int err, loc;

	err = ioat_nic_parse_udef(fs, &udef);
	if (err)
		return err;

	/* No drop or wake-up action; no virtual functions. */
	if (fs->ring_cookie == RX_CLS_FLOW_DISC ||
	    fs->ring_cookie == RX_CLS_FLOW_WAKE ||
	    ethtool_get_flow_spec_ring_vf(fs->ring_cookie))
		return -EOPNOTSUPP;
	ring = ethtool_get_flow_spec_ring(fs->ring_cookie);
	if (ring >= priv->num_queues)
		return -EINVAL;

	if (udef & IOAT_NIC_UDEF_SYN) {
		/* SYNQF has a queue and nothing to compare (7.1.2.6). */
		if (type != TCP_V4_FLOW ||
		    udef & ~(IOAT_NIC_UDEF_SYN | IOAT_NIC_UDEF_SYN_FIRST) ||
		    memchr_inv(&fs->m_u, 0, sizeof(fs->m_u)))
			return -EINVAL;
		loc = ioat_nic_rule_loc(priv, fs, true);
		if (loc < 0)
			return loc;
		f->ftqf = IOAT_NIC_SYNQF_QUEUE_EN |
			  FIELD_PREP(IOAT_NIC_SYNQF_RX_QUEUE, ring) |
			  (udef & IOAT_NIC_UDEF_SYN_FIRST ? IOAT_NIC_SYNQF_SYNQFP : 0);
		return loc;
	}
	if (udef & IOAT_NIC_UDEF_SYN_FIRST)
		return -EINVAL;

	switch (type) {
	case TCP_V4_FLOW:
		proto = IOAT_NIC_FTQF_PROTO_TCP;
		err = ioat_nic_parse_l4(&fs->h_u.tcp_ip4_spec,
					&fs->m_u.tcp_ip4_spec, f);
		break;
	case UDP_V4_FLOW:
		proto = IOAT_NIC_FTQF_PROTO_UDP;
		err = ioat_nic_parse_l4(&fs->h_u.udp_ip4_spec,
					&fs->m_u.udp_ip4_spec, f);
		break;
	case SCTP_V4_FLOW:
		proto = IOAT_NIC_FTQF_PROTO_SCTP;
		err = ioat_nic_parse_l4(&fs->h_u.sctp_ip4_spec,
					&fs->m_u.sctp_ip4_spec, f);
		break;
	case IP_USER_FLOW:
		err = ioat_nic_parse_ip4(&fs->h_u.usr_ip4_spec,
					 &fs->m_u.usr_ip4_spec, f, &proto);
		break;
	default:
		/* IPv6, Ethernet, AH/ESP: the 5-tuple filters are IPv4 only. */
		return -EOPNOTSUPP;
	}
	if (err)
		return err;

	loc = ioat_nic_rule_loc(priv, fs, false);
	if (loc < 0)
		return loc;
	err = ioat_nic_parse_lli(priv, udef,
				 proto == IOAT_NIC_FTQF_PROTO_TCP &&
				 !(f->ftqf & IOAT_NIC_FTQF_MASK_PROTO), loc, f);
	if (err)
		return err;
	prio = FIELD_GET(IOAT_NIC_UDEF_PRIO, udef) ?: 1;
	f->imir |= FIELD_PREP(IOAT_NIC_IMIR_RX_QUEUE, ring);
	f->ftqf |= FIELD_PREP(IOAT_NIC_FTQF_PROTO, proto) |
		   FIELD_PREP(IOAT_NIC_FTQF_PRIO, prio) |
		   IOAT_NIC_FTQF_POOL_MASK | IOAT_NIC_FTQF_QUEUE_EN;
	return loc;
}

static void ioat_nic_write_llithresh(struct ioat_nic_priv *priv)
{
	ioat_nic_wr(priv, IOAT_NIC_LLITHRESH,
		    FIELD_PREP(IOAT_NIC_LLITHRESH_SIZE,
			       ioat_nic_lli_size(priv, IOAT_NIC_NUM_RULE_LOCS)));
}

/* Program location @loc from the table; an empty one is disabled. */
static void ioat_nic_write_filter(struct ioat_nic_priv *priv, unsigned int loc)
{
	const struct ioat_nic_filter *f = priv->filters[loc];

	if (loc == IOAT_NIC_SYN_LOC) {
		ioat_nic_wr(priv, IOAT_NIC_SYNQF, f ? f->ftqf : 0);
		return;
	}
	/* FTQF last when enabling, first when disabling. */
	if (!f) {
		ioat_nic_wr(priv, IOAT_NIC_FTQF(loc), 0);
		/* LLI fires on a match even without FTQF.QUEUE_EN. */
		ioat_nic_wr(priv, IOAT_NIC_L34T_IMIR(loc), 0);
		return;
	}
	ioat_nic_wr(priv, IOAT_NIC_SAQF(loc), f->saqf);
	ioat_nic_wr(priv, IOAT_NIC_DAQF(loc), f->daqf);
	ioat_nic_wr(priv, IOAT_NIC_SDPQF(loc), f->sdpqf);
	ioat_nic_wr(priv, IOAT_NIC_L34T_IMIR(loc), f->imir);
	ioat_nic_wr(priv, IOAT_NIC_FTQF(loc), f->ftqf);
}

/* After a reset: every rule back into the device (ioat_nic_up). */
void ioat_nic_filters_write(struct ioat_nic_priv *priv)
{
	unsigned int loc;

	ioat_nic_write_llithresh(priv);
	for (loc = 0; loc < IOAT_NIC_NUM_RULE_LOCS; loc++)
		if (priv->filters[loc])
			ioat_nic_write_filter(priv, loc);
}

/* Forget every rule and disable its filter (ntuple off, unload). */
void ioat_nic_filters_clear(struct ioat_nic_priv *priv)
{
	unsigned int loc;

	for (loc = 0; loc < IOAT_NIC_NUM_RULE_LOCS; loc++) {
		if (!priv->filters[loc])
			continue;
		kfree(priv->filters[loc]);
		priv->filters[loc] = NULL;
		ioat_nic_write_filter(priv, loc);
	}
	priv->num_filters = 0;
	ioat_nic_write_llithresh(priv);
}

/* Whether every rule's queue exists with @queues queues (ethtool -L). */
bool ioat_nic_filters_fit(struct ioat_nic_priv *priv, unsigned int queues)
{
	unsigned int loc;

	for (loc = 0; loc < IOAT_NIC_NUM_RULE_LOCS; loc++)
		if (priv->filters[loc] &&
		    ethtool_get_flow_spec_ring(priv->filters[loc]->fs.ring_cookie) >= queues)
			return false;
	return true;
}

/* ETHTOOL_GRXCLSRLCNT, GRXCLSRULE and GRXCLSRLALL. */
int ioat_nic_get_rules(struct ioat_nic_priv *priv, struct ethtool_rxnfc *cmd,
		       u32 *rule_locs)
{
	unsigned int loc, n = 0;

	switch (cmd->cmd) {
	case ETHTOOL_GRXCLSRLCNT:
		cmd->rule_cnt = priv->num_filters;
		cmd->data = IOAT_NIC_NUM_RULE_LOCS | RX_CLS_LOC_SPECIAL;
		return 0;
	case ETHTOOL_GRXCLSRULE:
		loc = cmd->fs.location;
		if (loc >= IOAT_NIC_NUM_RULE_LOCS || !priv->filters[loc])
			return -ENOENT;
		cmd->fs = priv->filters[loc]->fs;
		return 0;
	case ETHTOOL_GRXCLSRLALL:
		for (loc = 0; loc < IOAT_NIC_NUM_RULE_LOCS; loc++) {
			if (!priv->filters[loc])
				continue;
			if (n == cmd->rule_cnt)
				return -EMSGSIZE;
			rule_locs[n++] = loc;
		}
		cmd->data = IOAT_NIC_NUM_RULE_LOCS;
		cmd->rule_cnt = n;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int ioat_nic_add_rule(struct ioat_nic_priv *priv,
			     struct ethtool_rx_flow_spec *fs)
{
	struct ioat_nic_filter *f;
	int loc;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	loc = ioat_nic_parse_rule(priv, fs, f);
	if (loc < 0) {
		kfree(f);
		return loc;
	}
	fs->location = loc;
	f->fs = *fs;
	if (!priv->filters[loc])
		priv->num_filters++;
	kfree(priv->filters[loc]);
	priv->filters[loc] = f;
	if (netif_running(priv->netdev)) {
		ioat_nic_write_llithresh(priv);
		ioat_nic_write_filter(priv, loc);
	}
	return 0;
}

static int ioat_nic_del_rule(struct ioat_nic_priv *priv, u32 loc)
{
	if (loc >= IOAT_NIC_NUM_RULE_LOCS || !priv->filters[loc])
		return -ENOENT;
	kfree(priv->filters[loc]);
	priv->filters[loc] = NULL;
	priv->num_filters--;
	if (netif_running(priv->netdev)) {
		ioat_nic_write_filter(priv, loc);
		ioat_nic_write_llithresh(priv);
	}
	return 0;
}

/* ETHTOOL_SRXCLSRLINS and SRXCLSRLDEL, while ntuple is on. */
int ioat_nic_set_rxnfc(struct net_device *netdev, struct ethtool_rxnfc *cmd)
{
	struct ioat_nic_priv *priv = netdev_priv(netdev);

	if (!(netdev->features & NETIF_F_NTUPLE))
		return -EOPNOTSUPP;
	switch (cmd->cmd) {
	case ETHTOOL_SRXCLSRLINS:
		return ioat_nic_add_rule(priv, &cmd->fs);
	case ETHTOOL_SRXCLSRLDEL:
		return ioat_nic_del_rule(priv, cmd->fs.location);
	default:
		return -EOPNOTSUPP;
	}
}
