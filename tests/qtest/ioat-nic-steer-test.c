/*
 * qtests for the ioat-nic (Intel 82599) receive steering, one behaviour
 * per test.  Area ioat-nic-fdir: Flow Director perfect and signature
 * filters, their hash, masks, commands, statistics and descriptor report
 * (datasheet 7.1.2.7, registers 8.2.3.21).  Area ioat-nic-filters:
 * 5-tuple and SYN filters, the precedence among all the queue filters
 * (7.1.2) and low latency interrupts (7.3.2.2).
 *
 * The tests know the datasheet's layouts and the hash themselves: every
 * bucket and signature they program is computed here, from the frame
 * they inject.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/crc32c.h"
#include "qobject/qdict.h"
#include "libqos/qgraph.h"
#include "ioat-nic-fixture.h"

#define TCP_FIN         0x01
#define TCP_SYN         0x02
#define TCP_PSH         0x08
#define TCP_ACK         0x10

/* Frames */

/* A flow as the receiver sees it: @src sends to us at @dst. */
typedef struct Flow {
    uint8_t proto;          /* IPPROTO_TCP, _UDP, _SCTP or _ICMP */
    const char *src;        /* IPv4, or IPv6 for TCP and UDP */
    uint16_t sport;
    const char *dst;
    uint16_t dport;         /* ICMP: the echo's identifier and sequence */
} Flow;

static uint16_t ip_csum(const uint8_t *buf, size_t len)
{
    return ~ioat_nic_csum_fold(ioat_nic_csum_add(0, buf, len));
}

/* The IPv4 header checksum of an untagged frame, recomputed. */
static void fix_ip4_csum(Frame *f)
{
    uint8_t *ip = f->data + QIOAT_NIC_ETH_HLEN;

    stw_be_p(ip + 10, 0);
    stw_be_p(ip + 10, ip_csum(ip, (ip[0] & 0xf) * 4));
}

/*
 * The L4 checksum of an untagged frame, recomputed: TCP and UDP over the
 * pseudo-header (RFC 793, 768), SCTP's CRC32c (RFC 4960 6.8), ICMP's.
 */
static void fix_l4_csum(Frame *f)
{
    size_t l4 = ioat_nic_l4_offset(f->data), len = f->len - l4;
    uint8_t *p = f->data + l4;
    uint16_t csum;

    switch (ioat_nic_l4_proto(f->data)) {
    case IPPROTO_TCP:
        stw_be_p(p + 16, 0);
        stw_be_p(p + 16, ~ioat_nic_csum_fold(
                     ioat_nic_csum_add(ioat_nic_pseudo_sum(f->data, len),
                                       p, len)));
        break;
    case IPPROTO_UDP:
        stw_be_p(p + 6, 0);
        csum = ~ioat_nic_csum_fold(
            ioat_nic_csum_add(ioat_nic_pseudo_sum(f->data, len), p, len));
        stw_be_p(p + 6, csum ? csum : 0xffff);
        break;
    case IPPROTO_SCTP:
        stl_le_p(p + 8, 0);
        stl_le_p(p + 8, crc32c(0xffffffff, p, len));
        break;
    case IPPROTO_ICMP:
        stw_be_p(p + 2, 0);
        stw_be_p(p + 2, ip_csum(p, len));
        break;
    }
}

/*
 * An untagged frame of @fl with @payload bytes after the L4 header.  SCTP
 * and ICMP (IPv4 only) take the place of a UDP header of the same flow:
 * SCTP's common header keeps the ports, ICMP is an echo request.
 */
static Frame flow_frame_len(const Flow *fl, size_t payload)
{
    uint8_t proto = fl->proto == IPPROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
    QIoatNicFlow qf;
    uint8_t *p;
    Frame f;

    ioat_nic_flow_parse(&qf, proto, fl->src, fl->sport, fl->dst, fl->dport);
    g_assert_cmpuint(payload, <, sizeof(f.data) - 128);
    f.len = ioat_nic_build_ip(f.data, test_mac, &qf, payload);
    if (fl->proto == proto) {
        return f;
    }
    g_assert_false(qf.ipv6);
    f.data[QIOAT_NIC_ETH_HLEN + 9] = fl->proto;
    fix_ip4_csum(&f);
    p = f.data + ioat_nic_l4_offset(f.data);
    if (fl->proto == IPPROTO_SCTP) {
        g_assert_cmpuint(payload, >=, 4);
        stl_be_p(p + 4, 0x5c7f0001);                /* verification tag */
    } else {
        g_assert_cmpuint(fl->proto, ==, IPPROTO_ICMP);
        p[0] = 8;                                   /* echo request */
        p[1] = 0;
        stw_be_p(p + 4, fl->sport);
        stw_be_p(p + 6, fl->dport);
    }
    fix_l4_csum(&f);
    return f;
}

static Frame flow_frame_of(const Flow *fl)
{
    return flow_frame_len(fl, 64);
}

/* @f (untagged TCP) with TCP flags @flags. */
static Frame with_tcp_flags(Frame f, uint8_t flags)
{
    g_assert_cmpuint(ioat_nic_l4_proto(f.data), ==, IPPROTO_TCP);
    f.data[ioat_nic_l4_offset(f.data) + 13] = flags;
    fix_l4_csum(&f);
    return f;
}

/* @f (untagged IPv4) as a first fragment: MF set, offset 0. */
static Frame as_fragment(Frame f)
{
    stw_be_p(f.data + QIOAT_NIC_ETH_HLEN + 6, 0x2000);
    fix_ip4_csum(&f);
    return f;
}

/* @f (untagged TCP or UDP) with payload byte @i set to @val. */
static Frame with_payload_byte(Frame f, size_t i, uint8_t val)
{
    size_t l4 = ioat_nic_l4_offset(f.data);

    f.data[l4 + ioat_nic_l4_hlen(f.data) + i] = val;
    fix_l4_csum(&f);
    return f;
}

#define TAGGED(tci)     (0x10000 | (tci))   /* an 802.1Q tag; 0: none */

static Frame tag_frame(const Frame *f, uint32_t tag)
{
    return tag ? vlan_tagged(f, tag & 0xffff) : *f;
}

/* The steering harness */

#define RSS_QUEUE       1   /* RETA sends every frame no filter steers here */
#define STEER_QUEUES    16  /* queues with a ring in the steering tests */
#define RING_POSTED     12

/* The published RSS verification suite's key and its first IPv4 row */
static const uint8_t rss_key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
    0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
    0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
    0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
    0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};
static const Flow rss_flow = {
    IPPROTO_TCP, "66.9.149.187", 2794, "161.142.100.80", 1766
};
#define RSS_FLOW_HASH   0x51ccc178

/*
 * Rings on queues 0 to STEER_QUEUES - 1, receive on, and RSS hashing
 * every IP frame type with every RETA entry on RSS_QUEUE, so that a frame
 * no filter takes lands there (7.1.2.8).  RXCSUM.PCSD puts the RSS hash
 * in the write-back.
 */
static void steer_setup(NicTest *t)
{
    uint32_t mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);

    mrqc = FIELD_DP32(mrqc, MRQC, IPV4, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, UDPIPV4, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, IPV6, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV6, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, UDPIPV6, 1);
    for (unsigned i = 0; i < 10; i++) {
        wr(t, IOAT_NIC_RSSRK(i), ldl_le_p(rss_key + 4 * i));
    }
    for (unsigned i = 0; i < 32; i++) {
        wr(t, IOAT_NIC_RETA(i), RSS_QUEUE * 0x01010101u);
    }
    wr(t, A_RXCSUM, R_RXCSUM_PCSD_MASK);
    wr(t, A_MRQC, mrqc);
    for (unsigned q = 0; q < STEER_QUEUES; q++) {
        ioat_nic_rx_post(t->d, rx_ring(t, q, 16, 0), RING_POSTED);
    }
    ioat_nic_rx_enable(t->d);
}

/* @f arrived whole in the next descriptor of queue @q; its write-back. */
static QIoatNicRxWb expect_queue(NicTest *t, unsigned q, const Frame *f)
{
    unsigned idx = t->rx_seen[q]++;

    g_test_message("expecting a %zu byte frame on RX queue %u", f->len, q);
    g_assert_nonnull(t->rx[q]);
    expect_rx(t, t->rx[q], idx, f);
    return rx_wb(t, t->rx[q], idx);
}

/* No ring holds a frame the test has not checked. */
static void expect_nothing_else(NicTest *t)
{
    for (unsigned q = 0; q < NIC_QUEUES; q++) {
        if (t->rx[q] && (rx_wb(t, t->rx[q], t->rx_seen[q]).status &
                         IOAT_NIC_RXD_STAT_DD)) {
            g_error("RX queue %u descriptor %u: a frame the test did not "
                    "expect", q, t->rx_seen[q]);
        }
    }
}

/* @f lands on queue @q and nowhere else; its write-back. */
static QIoatNicRxWb steers_to(NicTest *t, const Frame *f, unsigned q)
{
    QIoatNicRxWb wb;

    inject(t, f);
    wb = expect_queue(t, q, f);
    expect_nothing_else(t);
    return wb;
}

/*
 * @f lands nowhere: a frame no filter takes, sent after it, is the next
 * thing any queue receives.
 */
static void dropped(NicTest *t, const Frame *f)
{
    Frame marker = other_frame(46);

    inject(t, f);
    steers_to(t, &marker, RSS_QUEUE);
}

/* Guest errors logged as trace event @event, and those naming @reg */
static void expect_guest_errors(NicTest *t, const char *event,
                                const char *reg, unsigned n)
{
    g_autofree char *prefix = g_strdup_printf("%s: %s:", event, reg);

    g_assert_cmpuint(ioat_log_events(t->log, event), ==, n);
    g_assert_cmpuint(ioat_log_count(t->log, prefix), ==, n);
}

/*
 * Flow Director, as the tests compute it (datasheet 7.1.2.7): the fields
 * of a frame, the masks, the hash input stream and the hash.
 */

#define FDIR_HKEY       0x3dad14e2  /* the keys ixgbe programs */
#define FDIR_SKEY       0x174d3614
#define FLEX_ETHERTYPE  6           /* FLEX_OFFSET: frame bytes 12-13 */
#define FLEX_PAYLOAD    27          /* bytes 54-55: TCP4 payload bytes 0-1 */

#define FDIR_L4_OTHER   0
#define FDIR_L4_UDP     1
#define FDIR_L4_TCP     2
#define FDIR_L4_SCTP    3
#define FDIR_IPV6       4           /* in the flow type */
#define FDIR_TCI_DEI    0x1000

/* What Flow Director compares and hashes; addresses in wire order. */
typedef struct FdirFields {
    uint8_t flow_type;      /* L4 type | FDIR_IPV6 */
    uint16_t tci;           /* of the frame's tag; 0 untagged */
    uint16_t flex;          /* the bytes at FLEX_OFFSET, first one high */
    uint8_t src[16], dst[16];   /* IPv4: the first 4 bytes */
    uint16_t sport, dport;  /* TCP, UDP, SCTP; 0 for others, fragments */
} FdirFields;

/* The global masks, as written to their registers (1 = ignore). */
typedef struct FdirMasks {
    uint32_t fdirm, sip4m, dip4m, tcpm, udpm, ip6m;
} FdirMasks;

/* FDIRM as ixgbe's perfect filters use it: VLAN, pool, flex, DIPv6. */
#define FDIRM_PERFECT   (R_FDIRM_VLANID_MASK | R_FDIRM_VLANP_MASK | \
                         R_FDIRM_POOL_MASK | R_FDIRM_FLEX_MASK | \
                         R_FDIRM_DIPV6_MASK)

/* One test's Flow Director: FDIRCTRL and the masks it programmed. */
typedef struct Fdir {
    NicTest *t;
    uint32_t ctrl;
    FdirMasks m;
} Fdir;

static uint32_t fdirctrl(unsigned pballoc, bool perfect)
{
    uint32_t v = FIELD_DP32(0, FDIRCTRL, PBALLOC, pballoc);

    v = FIELD_DP32(v, FDIRCTRL, PERFECT_MATCH, perfect);
    v = FIELD_DP32(v, FDIRCTRL, DROP_QUEUE, 127);
    v = FIELD_DP32(v, FDIRCTRL, FLEX_OFFSET, FLEX_ETHERTYPE);
    return FIELD_DP32(v, FDIRCTRL, MAX_LENGTH, 0xa);
}

static bool fdir_perfect(const Fdir *fd)
{
    return FIELD_EX32(fd->ctrl, FDIRCTRL, PERFECT_MATCH);
}

/* 2K perfect or 8K signature filters and buckets per 64 KiB (7.1.2.7.3) */
static unsigned fdir_capacity(const Fdir *fd)
{
    unsigned scale = FIELD_EX32(fd->ctrl, FDIRCTRL, PBALLOC) - 1;

    return fdir_perfect(fd) ? (2048u << scale) - 2 : (8192u << scale) - 1;
}

static uint32_t fdir_bucket_mask(const Fdir *fd)
{
    unsigned scale = FIELD_EX32(fd->ctrl, FDIRCTRL, PBALLOC) - 1;

    return ((fdir_perfect(fd) ? 0x800u : 0x2000u) << scale) - 1;
}

/* Masks, keys, then FDIRCTRL: the table is ready at once (INIT_DONE). */
static void fdir_start(Fdir *fd, NicTest *t, uint32_t ctrl,
                       const FdirMasks *m)
{
    fd->t = t;
    fd->ctrl = ctrl;
    fd->m = m ? *m : (FdirMasks) { };
    wr(t, A_FDIRM, fd->m.fdirm);
    wr(t, A_FDIRSIP4M, fd->m.sip4m);
    wr(t, A_FDIRDIP4M, fd->m.dip4m);
    wr(t, A_FDIRTCPM, fd->m.tcpm);
    wr(t, A_FDIRUDPM, fd->m.udpm);
    wr(t, A_FDIRIP6M, fd->m.ip6m);
    wr(t, A_FDIRHKEY, FDIR_HKEY);
    wr(t, A_FDIRSKEY, FDIR_SKEY);
    wr(t, A_FDIRCTRL, ctrl);
    g_assert_cmphex(rd(t, A_FDIRCTRL), ==, ctrl | R_FDIRCTRL_INIT_DONE_MASK);
}

/*
 * The fields of frame @f as the receiver parses them: the outer tag, the
 * flexible word at FLEX_OFFSET 16-bit words from the frame's start (tag
 * included), IPv4 or IPv6, the L4 type and ports; a fragment is of type
 * "other" with no ports.
 */
static FdirFields fdir_fields(const Fdir *fd, const Frame *f)
{
    const uint8_t *p = f->data;
    size_t ip = QIOAT_NIC_ETH_HLEN, l4;
    unsigned flex = 2 * FIELD_EX32(fd->ctrl, FDIRCTRL, FLEX_OFFSET);
    uint16_t etype = lduw_be_p(p + 12);
    FdirFields x = { };
    bool frag = false;
    uint8_t proto;

    if (etype == 0x8100) {
        x.tci = lduw_be_p(p + 14);
        etype = lduw_be_p(p + 16);
        ip += QIOAT_NIC_VLAN_HLEN;
    }
    x.flex = lduw_be_p(p + flex);
    if (etype == 0x0800) {
        proto = p[ip + 9];
        frag = lduw_be_p(p + ip + 6) & 0x3fff;
        memcpy(x.src, p + ip + 12, 4);
        memcpy(x.dst, p + ip + 16, 4);
        l4 = ip + (p[ip] & 0xf) * 4;
    } else {
        g_assert_cmphex(etype, ==, 0x86dd);
        proto = p[ip + 6];
        memcpy(x.src, p + ip + 8, 16);
        memcpy(x.dst, p + ip + 24, 16);
        l4 = ip + QIOAT_NIC_IP6_HLEN;
        x.flow_type = FDIR_IPV6;
    }
    if (frag) {
        return x;
    }
    switch (proto) {
    case IPPROTO_TCP:
        x.flow_type |= FDIR_L4_TCP;
        break;
    case IPPROTO_UDP:
        x.flow_type |= FDIR_L4_UDP;
        break;
    case IPPROTO_SCTP:
        x.flow_type |= FDIR_L4_SCTP;
        break;
    default:
        return x;
    }
    x.sport = lduw_be_p(p + l4);
    x.dport = lduw_be_p(p + l4 + 2);
    return x;
}

/*
 * The masks applied to @x (8.2.3.21): FDIRM VLAN ID, priority, L4 type
 * and ports, flex; FDIRTCPM/UDPM, whose bit i of the low (high) half
 * ignores bit 15 - i of the source (destination) port; FDIRIP6M, whose
 * bit i of the low (high) half ignores byte i of the source
 * (destination) IPv6 address; FDIRSIP4M/DIP4M in the layout of
 * FDIRIPSA/IPDA.  Perfect filters never compare the tag's DEI bit.
 */
static void fdir_mask(const Fdir *fd, FdirFields *x)
{
    const FdirMasks *m = &fd->m;
    uint32_t pm = 0;

    if (fdir_perfect(fd)) {
        x->tci &= ~FDIR_TCI_DEI;
    }
    if (m->fdirm & R_FDIRM_VLANID_MASK) {
        x->tci &= ~0x0fff;
    }
    if (m->fdirm & R_FDIRM_VLANP_MASK) {
        x->tci &= ~0xe000;
    }
    if (m->fdirm & R_FDIRM_FLEX_MASK) {
        x->flex = 0;
    }
    if (m->fdirm & R_FDIRM_L4P_MASK) {
        x->flow_type &= FDIR_IPV6;
        x->sport = x->dport = 0;
    }
    if ((x->flow_type & 3) == FDIR_L4_TCP) {
        pm = m->tcpm;
    } else if ((x->flow_type & 3) == FDIR_L4_UDP) {
        pm = m->udpm;
    }
    for (unsigned i = 0; i < 16; i++) {
        if (pm & (1u << i)) {
            x->sport &= ~(1u << (15 - i));
        }
        if (pm & (1u << (16 + i))) {
            x->dport &= ~(1u << (15 - i));
        }
    }
    for (unsigned i = 0; i < 16; i++) {
        if (x->flow_type & FDIR_IPV6) {
            if (m->ip6m & (1u << i)) {
                x->src[i] = 0;
            }
            if (m->ip6m & (1u << (16 + i))) {
                x->dst[i] = 0;
            }
        } else if (i < 4) {
            x->src[i] &= ~(m->sip4m >> (8 * i));
            x->dst[i] &= ~(m->dip4m >> (8 * i));
        }
    }
}

#define FDIR_STREAM_LEN 42

/*
 * The hash input (7.1.2.7.15): VM pool (0 outside VT mode), flow type,
 * VLAN tag, destination address, source address (16 bytes each, IPv4 in
 * the first 4), source port, destination port, flexible bytes; fields in
 * network byte order.
 */
static void fdir_stream(const FdirFields *x, uint8_t s[FDIR_STREAM_LEN])
{
    memset(s, 0, FDIR_STREAM_LEN);
    s[1] = x->flow_type;
    stw_be_p(s + 2, x->tci);
    memcpy(s + 4, x->dst, 16);
    memcpy(s + 20, x->src, 16);
    stw_be_p(s + 36, x->sport);
    stw_be_p(s + 38, x->dport);
    stw_be_p(s + 40, x->flex);
}

/* Bit @i of the stream as the string S[335:0], S[335] first on the wire */
static unsigned fdir_stream_bit(const uint8_t s[FDIR_STREAM_LEN], int i)
{
    i = (i + 8 * FDIR_STREAM_LEN) % (8 * FDIR_STREAM_LEN);
    return (s[FDIR_STREAM_LEN - 1 - i / 8] >> (i % 8)) & 1;
}

/*
 * The hash in the datasheet's form (7.1.2.7.15), bit by bit: with the
 * 32-bit key K repeated along the stream S, Hash[15:0] is the XOR of the
 * 16-bit windows S[n + 15:n] over the 351 window positions n = -31 ..
 * 319 whose key bit K[n mod 32] is set; windows wrap around the ends of
 * S.  test_fdir_hash_vectors() checks it against ixgbe's results.
 */
static uint16_t fdir_hash(const uint8_t s[FDIR_STREAM_LEN], uint32_t key)
{
    uint16_t h = 0;

    for (int n = -31; n < 320; n++) {
        uint16_t window = 0;

        if (!(key & (1u << ((n + 32) % 32)))) {
            continue;
        }
        for (int b = 0; b < 16; b++) {
            window |= fdir_stream_bit(s, n + b) << b;
        }
        h ^= window;
    }
    return h;
}

/* The 15-bit hash of @x with the masks applied, with @key */
static uint16_t fdir_hash_fields(const Fdir *fd, FdirFields x, uint32_t key)
{
    uint8_t s[FDIR_STREAM_LEN];

    fdir_mask(fd, &x);
    fdir_stream(&x, s);
    return fdir_hash(s, key) & 0x7fff;
}

static uint16_t fdir_bucket_hash(const Fdir *fd, const FdirFields *x)
{
    return fdir_hash_fields(fd, *x, FDIR_HKEY);
}

static uint16_t fdir_signature(const Fdir *fd, const FdirFields *x)
{
    return fdir_hash_fields(fd, *x, FDIR_SKEY);
}

/* FDIRCMD @cmd for a filter of @x's flow type sending to @queue */
static uint32_t fdir_cmd(const FdirFields *x, unsigned cmd, unsigned queue)
{
    uint32_t v = FIELD_DP32(0, FDIRCMD, CMD, cmd);

    v = FIELD_DP32(v, FDIRCMD, L4TYPE, x->flow_type & 3);
    v = FIELD_DP32(v, FDIRCMD, IPV6, !!(x->flow_type & FDIR_IPV6));
    v = FIELD_DP32(v, FDIRCMD, LAST, 1);
    v = FIELD_DP32(v, FDIRCMD, QUEUE_EN, 1);
    return FIELD_DP32(v, FDIRCMD, RX_QUEUE, queue);
}

/* FDIRHASH, then FDIRCMD: the command is done when the write returns. */
static void fdir_command(Fdir *fd, uint32_t hash, uint32_t cmd)
{
    wr(fd->t, A_FDIRHASH, hash);
    wr(fd->t, A_FDIRCMD, cmd);
    g_assert_cmphex(rd(fd->t, A_FDIRCMD) & R_FDIRCMD_CMD_MASK, ==, 0);
}

/* QUERY the filter FDIRHASH @hash names: FDIRCMD.FILTER_VALID */
static bool fdir_query(Fdir *fd, uint32_t hash)
{
    fdir_command(fd, hash,
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_QUERY));
    return rd(fd->t, A_FDIRCMD) & R_FDIRCMD_FILTER_VALID_MASK;
}

static uint32_t fdir_hash_reg(uint16_t bucket, uint16_t id)
{
    return bucket | (uint32_t)id << 16;
}

/*
 * A perfect filter's values (8.2.3.21): addresses as the little-endian
 * dwords of their wire bytes, the IPv6 source in FDIRSIPv6(0..2) and
 * FDIRIPSA, ports in host order, the tag and the flex word with its
 * first byte in bits 23:16.
 */
static void fdir_load_fields(NicTest *t, const FdirFields *x)
{
    bool ip6 = x->flow_type & FDIR_IPV6;

    for (unsigned i = 0; i < 3; i++) {
        wr(t, IOAT_NIC_FDIRSIPV6(i), ip6 ? ldl_le_p(x->src + 4 * i) : 0);
    }
    wr(t, A_FDIRIPSA, ldl_le_p(x->src + (ip6 ? 12 : 0)));
    wr(t, A_FDIRIPDA, ip6 ? 0 : ldl_le_p(x->dst));
    wr(t, A_FDIRPORT, x->sport | (uint32_t)x->dport << 16);
    wr(t, A_FDIRVLAN, x->tci | (uint32_t)bswap16(x->flex) << 16);
}

/*
 * Perfect filter @id for the flow whose fields are @x, by @cmd (an ADD):
 * its bucket is @x's bucket hash.  Returns the bucket the table uses.
 */
static uint16_t fdir_add_perfect(Fdir *fd, const FdirFields *x, uint16_t id,
                                 uint32_t cmd)
{
    uint16_t bucket = fdir_bucket_hash(fd, x);

    fdir_load_fields(fd->t, x);
    fdir_command(fd, fdir_hash_reg(bucket, id), cmd);
    return bucket & fdir_bucket_mask(fd);
}

/* A perfect filter for frame @f to @queue: fdir_add_perfect(). */
static uint16_t fdir_add_frame(Fdir *fd, const Frame *f, uint16_t id,
                               unsigned queue)
{
    FdirFields x = fdir_fields(fd, f);

    return fdir_add_perfect(fd, &x, id,
                            fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, queue));
}

/* A signature filter for frame @f to @queue; returns its FDIRHASH. */
static uint32_t fdir_add_signature(Fdir *fd, const Frame *f, unsigned queue)
{
    FdirFields x = fdir_fields(fd, f);
    uint32_t hash = fdir_hash_reg(fdir_bucket_hash(fd, &x),
                                  fdir_signature(fd, &x));
    uint32_t cmd = fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, queue);

    fdir_command(fd, hash, FIELD_DP32(cmd, FDIRCMD, FILTER_UPDATE, 1));
    return hash;
}

/* The frames of the perfect filter tests; RSS takes them to RSS_QUEUE. */
static const Flow tcp4_flow = {
    IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80
};
static const Flow udp4_flow = {
    IPPROTO_UDP, "10.0.0.1", 5353, "10.0.0.2", 4789
};
static const Flow sctp4_flow = {
    IPPROTO_SCTP, "10.0.0.1", 2905, "10.0.0.2", 2906
};
static const Flow tcp6_flow = {
    IPPROTO_TCP, "fd00::1", 1234, "fd00::2", 80
};

/* A frame of @fl from another source port */
static Frame other_sport(const Flow *fl)
{
    Flow o = *fl;

    o.sport++;
    return flow_frame_of(&o);
}

/* Flow Director: the hash */

typedef struct HashVector {
    const char *name;
    bool perfect;
    Flow flow;              /* the received frame */
    uint32_t tag;
    FdirMasks m;
    uint16_t hkey_hash;     /* Hash[15:0] with FDIR_HKEY */
    uint16_t skey_hash;     /* with FDIR_SKEY; 0: not given */
} HashVector;

/*
 * What the ixgbe driver's own hash functions give (its software form,
 * ixgbe_atr_compute_sig_hash_82599() and _perfect_hash_82599()): two of
 * its ATR signature filters (V1, V2) and three perfect filters with
 * their masks (V3-V5).
 */
static const HashVector hash_vectors[] = {
    { "V1 signature, TCP/IPv4", false,
      { IPPROTO_TCP, "192.168.1.2", 80, "192.168.1.1", 40000 }, 0,
      { }, 0x0cdf, 0x8cbb },
    { "V2 signature, TCP/IPv6 tagged", false,
      { IPPROTO_TCP, "2001:db8::2", 443, "2001:db8::1", 50000 },
      TAGGED(0x6064), { }, 0x46c1, 0x56f4 },
    { "V3 perfect, TCP/IPv4", true,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 }, 0,
      { .fdirm = FDIRM_PERFECT }, 0xc8c9, 0 },
    { "V4 perfect, destination /24", true,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.77", 80 }, 0,
      { .fdirm = FDIRM_PERFECT, .dip4m = 0xff000000 }, 0xd46b, 0 },
    { "V5 perfect, destination port only", true,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 }, 0,
      { .fdirm = FDIRM_PERFECT, .sip4m = ~0u, .dip4m = ~0u,
        .tcpm = 0x0000ffff, .udpm = 0x0000ffff }, 0xbb1e, 0 },
};

/*
 * The tests' own hash, masks and frame parsing reproduce every vector;
 * an all-zero stream hashes to 0 under any key.  (No device involved:
 * the other tests rely on this one.)
 */
static void test_fdir_hash_vectors(NicTest *t)
{
    uint8_t zero[FDIR_STREAM_LEN] = { };

    for (int i = 0; i < ARRAY_SIZE(hash_vectors); i++) {
        const HashVector *v = &hash_vectors[i];
        Fdir fd = { .t = t, .ctrl = fdirctrl(1, v->perfect), .m = v->m };
        Frame f = flow_frame_of(&v->flow), tagged = tag_frame(&f, v->tag);
        FdirFields x = fdir_fields(&fd, &tagged);
        uint8_t s[FDIR_STREAM_LEN];

        g_test_message("%s", v->name);
        fdir_mask(&fd, &x);
        fdir_stream(&x, s);
        g_assert_cmphex(fdir_hash(s, FDIR_HKEY), ==, v->hkey_hash);
        if (v->skey_hash) {
            g_assert_cmphex(fdir_hash(s, FDIR_SKEY), ==, v->skey_hash);
        }
    }
    g_assert_cmphex(fdir_hash(zero, FDIR_HKEY), ==, 0);
    g_assert_cmphex(fdir_hash(zero, ~0u), ==, 0);
}

/* Flow Director: FDIRCTRL and the command protocol (8.2.3.21.1, .12) */

/*
 * A write with PBALLOC set initialises the table: INIT_DONE reads 1 on
 * the first read (ixgbe's signature set-up value); PBALLOC 0 is off.
 */
static void test_fdir_init_done_on_first_read(NicTest *t)
{
    wr(t, A_FDIRCTRL, 0x4a060001);
    g_assert_cmphex(rd(t, A_FDIRCTRL), ==, 0x4a060009);
    wr(t, A_FDIRCTRL, 0x4a060000);
    g_assert_cmphex(rd(t, A_FDIRCTRL), ==, 0x4a060000);
}

/*
 * FDIRCMD runs its command in the write: CMD reads 0 at once, the other
 * fields read back as written.
 */
static void test_fdir_command_completes_in_write(NicTest *t)
{
    uint32_t cmd = FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_ADD);
    Fdir fd;

    cmd = FIELD_DP32(cmd, FDIRCMD, L4TYPE, FDIR_L4_UDP);
    cmd = FIELD_DP32(cmd, FDIRCMD, LAST, 1);
    cmd = FIELD_DP32(cmd, FDIRCMD, QUEUE_EN, 1);
    cmd = FIELD_DP32(cmd, FDIRCMD, RX_QUEUE, 0x55);
    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    wr(t, A_FDIRHASH, fdir_hash_reg(0x123, 9));
    wr(t, A_FDIRCMD, cmd);
    g_assert_cmphex(rd(t, A_FDIRCMD) & ~R_FDIRCMD_FILTER_VALID_MASK, ==,
                    cmd & ~R_FDIRCMD_CMD_MASK);
    g_assert_cmpuint(rd(t, A_FDIRUSTAT), ==, 1);
}

/*
 * ixgbe adds a signature filter with one 64-bit write at FDIRHASH: it
 * acts as FDIRHASH, then FDIRCMD.  Vector V1's write steers V1's frame
 * to queue 5.
 */
static void test_fdir_writeq_is_hash_then_command(NicTest *t)
{
    const Flow v1 = { IPPROTO_TCP, "192.168.1.2", 80, "192.168.1.1", 40000 };
    Frame f = flow_frame_of(&v1);
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, false), NULL);
    qpci_io_writeq(&t->d->pci_dev, t->d->mmio, A_FDIRHASH,
                   0x000588490cbb0cdfULL);
    g_assert_true(fdir_query(&fd, 0x0cbb0cdf));
    steers_to(t, &f, 5);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/* Flow Director: perfect filters */

typedef struct PerfectCase {
    const char *name;
    const Flow *flow;
    unsigned flex_offset;   /* 0: flex bytes masked (FDIRM.FLEX) */
    uint32_t ip6m;
} PerfectCase;

static const PerfectCase perfect_cases[] = {
    { "fdir-perfect-tcp4-add-match-remove", &tcp4_flow },
    { "fdir-perfect-udp4-add-match-remove", &udp4_flow },
    { "fdir-perfect-sctp4-add-match-remove", &sctp4_flow },
    /* Destinations not compared; FDIRIP6M keeps them out of the bucket */
    { "fdir-perfect-tcp6-add-match-remove", &tcp6_flow, 0, 0xffff0000 },
    { "fdir-perfect-flex-bytes-add-match-remove", &tcp4_flow, FLEX_PAYLOAD },
};

/*
 * A perfect filter takes its flow to its queue and counts FDIRMATCH; a
 * frame differing in one compared field (the source port, or the flex
 * bytes) misses, counts FDIRMISS and goes where RSS sends it; once the
 * filter is removed its flow goes there too.  An IPv6 filter compares
 * the source address and ports, not the destination.
 */
static void test_fdir_perfect(NicTest *t)
{
    const PerfectCase *c = t->arg;
    const unsigned q = 5, id = 7;
    FdirMasks m = { .fdirm = FDIRM_PERFECT, .ip6m = c->ip6m };
    uint32_t ctrl = fdirctrl(1, true);
    Frame f = flow_frame_of(c->flow), other;
    uint16_t bucket;
    Fdir fd;

    if (c->flex_offset) {
        m.fdirm &= ~R_FDIRM_FLEX_MASK;
        ctrl = FIELD_DP32(ctrl, FDIRCTRL, FLEX_OFFSET, c->flex_offset);
        other = with_payload_byte(f, 0, f.data[2 * c->flex_offset] ^ 0xff);
    } else {
        other = other_sport(c->flow);
    }
    steer_setup(t);
    fdir_start(&fd, t, ctrl, &m);
    bucket = fdir_add_frame(&fd, &f, id, q);
    g_assert_true(fdir_query(&fd, fdir_hash_reg(bucket, id)));

    steers_to(t, &f, q);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    steers_to(t, &other, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
    if (strchr(c->flow->src, ':')) {
        Flow elsewhere = *c->flow;

        elsewhere.dst = "fd00:99::2";
        other = flow_frame_of(&elsewhere);
        steers_to(t, &other, q);
        g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    }

    fdir_command(&fd, fdir_hash_reg(bucket, id),
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_REMOVE));
    g_assert_false(fdir_query(&fd, fdir_hash_reg(bucket, id)));
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 0);
}

/* QUERY: FILTER_VALID 0 before ADD, 1 after it, 0 after REMOVE. */
static void test_fdir_query_sets_filter_valid(NicTest *t)
{
    const uint32_t hash = fdir_hash_reg(0x2c9, 11);
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    x = fdir_fields(&fd, &f);
    g_assert_false(fdir_query(&fd, hash));
    fdir_load_fields(t, &x);
    fdir_command(&fd, hash, fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 3));
    g_assert_true(fdir_query(&fd, hash));
    g_assert_false(fdir_query(&fd, hash + 1));
    fdir_command(&fd, hash,
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_REMOVE));
    g_assert_false(fdir_query(&fd, hash));
}

/*
 * The table uses FDIRHASH's bucket bits under its bucket mask (2K
 * buckets for 64 KiB perfect): bucket 0x8c9 and 0x0c9 are one bucket,
 * and a filter added with the short form matches the frame.
 */
static void test_fdir_bucket_masked_by_pballoc(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    uint16_t bucket;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    x = fdir_fields(&fd, &f);
    bucket = fdir_bucket_hash(&fd, &x);
    g_assert_cmphex(bucket & 0x1fff, ==, 0x08c9);     /* vector V3 */
    fdir_load_fields(t, &x);
    fdir_command(&fd, fdir_hash_reg(0x0c9, 7),
                 fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 3));
    g_assert_true(fdir_query(&fd, fdir_hash_reg(0x08c9, 7)));
    steers_to(t, &f, 3);
}

/* Flow Director: the masks (8.2.3.21) */

typedef struct MaskCase {
    const char *name;
    FdirMasks m;
    unsigned flex_offset;   /* 0: FLEX_ETHERTYPE */
    Flow filter, match, miss;
    uint32_t filter_tag, match_tag, miss_tag;
    int match_payload0;     /* >= 0: the match frame's payload byte 0 */
} MaskCase;

#define VID_PCP(pcp, vid)   TAGGED((pcp) << 13 | (vid))
#define FDIRM_NO(field)     (FDIRM_PERFECT & ~R_FDIRM_##field##_MASK)

static const MaskCase mask_cases[] = {
    { "fdir-mask-vlan-id",
      { .fdirm = FDIRM_NO(VLANP) }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      VID_PCP(3, 100), VID_PCP(3, 200), VID_PCP(5, 100), -1 },
    { "fdir-mask-vlan-priority",
      { .fdirm = FDIRM_NO(VLANID) }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      VID_PCP(3, 100), VID_PCP(5, 100), VID_PCP(3, 200), -1 },
    /* Not a mask: the DEI bit of the tag is never compared */
    { "fdir-perfect-ignores-vlan-dei",
      { .fdirm = FDIRM_PERFECT & ~(R_FDIRM_VLANID_MASK |
                                   R_FDIRM_VLANP_MASK) }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      VID_PCP(3, 100), VID_PCP(3, 100) | FDIR_TCI_DEI, VID_PCP(3, 101), -1 },
    { "fdir-mask-l4-type-and-ports",
      { .fdirm = FDIRM_PERFECT | R_FDIRM_L4P_MASK }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_UDP, "10.0.0.1", 999, "10.0.0.2", 53 },
      { IPPROTO_TCP, "10.0.0.3", 1234, "10.0.0.2", 80 }, 0, 0, 0, -1 },
    { "fdir-mask-flex-bytes",
      { .fdirm = FDIRM_PERFECT }, FLEX_PAYLOAD,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1235, "10.0.0.2", 80 }, 0, 0, 0, 0xa5 },
    { "fdir-mask-source-ipv4-prefix",
      { .fdirm = FDIRM_PERFECT, .sip4m = 0xff000000 }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.77", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.1.1", 1234, "10.0.0.2", 80 }, 0, 0, 0, -1 },
    { "fdir-mask-destination-ipv4-prefix",
      { .fdirm = FDIRM_PERFECT, .dip4m = 0xff000000 }, 0,
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.0.0.77", 80 },
      { IPPROTO_TCP, "10.0.0.1", 1234, "10.1.0.2", 80 }, 0, 0, 0, -1 },
    /* Register bits 15:8 ignore source port bits 7:0 */
    { "fdir-mask-tcp-source-port-bits",
      { .fdirm = FDIRM_PERFECT, .tcpm = 0x0000ff00 }, 0,
      { IPPROTO_TCP, "10.0.0.1", 0x04d2, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 0x04ff, "10.0.0.2", 80 },
      { IPPROTO_TCP, "10.0.0.1", 0x05d2, "10.0.0.2", 80 }, 0, 0, 0, -1 },
    /* Register bits 31:24 ignore destination port bits 7:0 */
    { "fdir-mask-udp-destination-port-bits",
      { .fdirm = FDIRM_PERFECT, .udpm = 0xff000000 }, 0,
      { IPPROTO_UDP, "10.0.0.1", 5353, "10.0.0.2", 0x12b5 },
      { IPPROTO_UDP, "10.0.0.1", 5353, "10.0.0.2", 0x1200 },
      { IPPROTO_UDP, "10.0.0.1", 5353, "10.0.0.2", 0x13b5 }, 0, 0, 0, -1 },
    /* Bits 15:14 ignore source bytes 15:14, bits 31:16 every destination */
    { "fdir-mask-ipv6-source-bytes",
      { .fdirm = FDIRM_PERFECT, .ip6m = 0xffffc000 }, 0,
      { IPPROTO_TCP, "fd00::1", 1234, "fd00::2", 80 },
      { IPPROTO_TCP, "fd00::abcd", 1234, "fd00::2", 80 },
      { IPPROTO_TCP, "fd01::1", 1234, "fd00::2", 80 }, 0, 0, 0, -1 },
    { "fdir-mask-ipv6-destination-bytes",
      { .fdirm = FDIRM_PERFECT, .ip6m = 0xffff0000 }, 0,
      { IPPROTO_TCP, "fd00::1", 1234, "fd00::2", 80 },
      { IPPROTO_TCP, "fd00::1", 1234, "fd42:1:2::99", 80 },
      { IPPROTO_TCP, "fd00::1", 1235, "fd00::2", 80 }, 0, 0, 0, -1 },
};

/*
 * With a global mask set, a perfect filter takes a frame that differs
 * from it only in the masked bits, and still misses a frame that differs
 * in a compared field.
 */
static void test_fdir_mask(NicTest *t)
{
    const MaskCase *c = t->arg;
    const unsigned q = 6;
    uint32_t ctrl = fdirctrl(1, true);
    Frame flt = flow_frame_of(&c->filter), match = flow_frame_of(&c->match);
    Frame miss = flow_frame_of(&c->miss);
    FdirFields x;
    Fdir fd;

    if (c->flex_offset) {
        ctrl = FIELD_DP32(ctrl, FDIRCTRL, FLEX_OFFSET, c->flex_offset);
    }
    if (c->match_payload0 >= 0) {
        match = with_payload_byte(match, 0, c->match_payload0);
    }
    flt = tag_frame(&flt, c->filter_tag);
    match = tag_frame(&match, c->match_tag);
    miss = tag_frame(&miss, c->miss_tag);
    g_assert_false(match.len == flt.len &&
                   !memcmp(match.data, flt.data, flt.len));

    steer_setup(t);
    fdir_start(&fd, t, ctrl, &c->m);
    x = fdir_fields(&fd, &flt);
    fdir_add_perfect(&fd, &x, 3, fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, q));

    steers_to(t, &flt, q);
    steers_to(t, &match, q);
    steers_to(t, &miss, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 2);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
}

/* Flow Director: drop filters (7.1.2.7.1) */

/*
 * A filter with FDIRCMD.DROP sends its frames to FDIRCTRL.DROP_QUEUE;
 * with that queue disabled nothing is written anywhere, and the match
 * still counts.
 */
static void test_fdir_drop_to_disabled_queue(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    g_assert_cmpuint(FIELD_EX32(fd.ctrl, FDIRCTRL, DROP_QUEUE), ==, 127);
    g_assert_null(t->rx[127]);
    x = fdir_fields(&fd, &f);
    fdir_add_perfect(&fd, &x, 1,
                     fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 127) |
                     R_FDIRCMD_DROP_MASK);
    dropped(t, &f);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 0);
}

/*
 * With DROP_QUEUE enabled the frames of a drop filter are delivered
 * there, whatever the filter's RX_QUEUE, with error bit 21 (FDIR drop)
 * in the write-back.
 */
static void test_fdir_drop_to_enabled_queue_marks_error(NicTest *t)
{
    const unsigned drop_queue = 9;
    Frame f = flow_frame_of(&tcp4_flow);
    QIoatNicRxWb wb;
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, FIELD_DP32(fdirctrl(1, true), FDIRCTRL, DROP_QUEUE,
                                  drop_queue),
               &(FdirMasks) { .fdirm = FDIRM_PERFECT });
    x = fdir_fields(&fd, &f);
    fdir_add_perfect(&fd, &x, 1,
                     fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 4) |
                     R_FDIRCMD_DROP_MASK);
    wb = steers_to(t, &f, drop_queue);
    g_assert_true(wb.status & IOAT_NIC_RXD_ERR_FDIR_DROP);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/* Flow Director: collisions, updates and filter identity */

/*
 * ADD of a (bucket, index) the table holds, without FILTER_UPDATE, is a
 * collision: FDIRCMD.COLLISION, FDIRFREE.COLL and FDIRFSTAT.FADD count
 * it, and the filter in the table stays as it was.
 */
static void test_fdir_add_existing_collides(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    uint32_t cmd, free;
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    x = fdir_fields(&fd, &f);
    fdir_add_perfect(&fd, &x, 7, fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    g_assert_false(rd(t, A_FDIRCMD) & R_FDIRCMD_COLLISION_MASK);
    free = rd(t, A_FDIRFREE);
    g_assert_cmpuint(FIELD_EX32(free, FDIRFREE, FREE), ==,
                     fdir_capacity(&fd) - 1);
    g_assert_cmpuint(FIELD_EX32(free, FDIRFREE, COLL), ==, 0);

    cmd = fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 6);
    fdir_add_perfect(&fd, &x, 7, cmd);
    g_assert_true(rd(t, A_FDIRCMD) & R_FDIRCMD_COLLISION_MASK);
    free = rd(t, A_FDIRFREE);
    g_assert_cmpuint(FIELD_EX32(free, FDIRFREE, FREE), ==,
                     fdir_capacity(&fd) - 1);
    g_assert_cmpuint(FIELD_EX32(free, FDIRFREE, COLL), ==, 1);
    g_assert_cmpuint(FIELD_EX32(rd(t, A_FDIRFSTAT), FDIRFSTAT, FADD), ==, 1);
    g_assert_cmpuint(FIELD_EX32(rd(t, A_FDIRUSTAT), FDIRUSTAT, ADD), ==, 1);
    steers_to(t, &f, 5);
}

/*
 * ADD with FILTER_UPDATE over an existing (bucket, index) replaces that
 * filter: its new queue wins, the table holds one filter, no collision.
 */
static void test_fdir_add_with_update_replaces(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    x = fdir_fields(&fd, &f);
    fdir_add_perfect(&fd, &x, 7, fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    fdir_add_perfect(&fd, &x, 7,
                     fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 6) |
                     R_FDIRCMD_FILTER_UPDATE_MASK);
    g_assert_false(rd(t, A_FDIRCMD) & R_FDIRCMD_COLLISION_MASK);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - 1);
    g_assert_cmpuint(rd(t, A_FDIRFSTAT), ==, 0);
    steers_to(t, &f, 6);
}

/*
 * A filter is named by its bucket and index together: the same index in
 * two buckets is two filters, and removing one leaves the other.
 */
static void test_fdir_identity_is_bucket_and_index(NicTest *t)
{
    Frame a = flow_frame_of(&tcp4_flow), b = flow_frame_of(&udp4_flow);
    uint16_t bucket_a, bucket_b;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    bucket_a = fdir_add_frame(&fd, &a, 7, 3);
    bucket_b = fdir_add_frame(&fd, &b, 7, 4);
    g_assert_cmphex(bucket_a, !=, bucket_b);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - 2);
    fdir_command(&fd, fdir_hash_reg(bucket_a, 7),
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_REMOVE));
    steers_to(t, &a, RSS_QUEUE);
    steers_to(t, &b, 4);
}

/* Flow Director: the table's capacity (7.1.2.7.3) */

typedef struct FullCase {
    const char *name;
    unsigned pballoc;
    bool perfect;
} FullCase;

static const FullCase full_cases[] = {
    { "fdir-table-full-perfect-64k", 1, true },
    { "fdir-table-full-perfect-256k", 3, true },
    { "fdir-table-full-signature-64k", 1, false },
};

/* Filter @i of a table filled in order: a (bucket, index) of its own */
static uint32_t fill_hash(const Fdir *fd, unsigned i)
{
    uint32_t mask = fdir_bucket_mask(fd);

    return fdir_hash_reg(i & mask, i / (mask + 1));
}

static uint32_t fill_cmd(void)
{
    uint32_t cmd = FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_ADD);

    cmd = FIELD_DP32(cmd, FDIRCMD, L4TYPE, FDIR_L4_TCP);
    cmd = FIELD_DP32(cmd, FDIRCMD, QUEUE_EN, 1);
    return FIELD_DP32(cmd, FDIRCMD, RX_QUEUE, 2);
}

/* Add filters 0 .. @n - 1 of fill_hash() (2 register writes each). */
static void fill_table(Fdir *fd, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        wr(fd->t, A_FDIRHASH, fill_hash(fd, i));
        wr(fd->t, A_FDIRCMD, fill_cmd());
    }
}

/*
 * The table holds what PBALLOC allocates: 2K - 2 perfect or 8K - 1
 * signature filters per 64 KiB.  One more ADD fails: a guest error
 * naming FDIRCMD, FDIRFSTAT.FADD counts it, the filter is not there;
 * after a REMOVE the same ADD succeeds.
 */
static void test_fdir_table_full(NicTest *t)
{
    const FullCase *c = t->arg;
    unsigned cap;
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(c->pballoc, c->perfect), NULL);
    cap = fdir_capacity(&fd);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, cap);
    fill_table(&fd, cap);
    g_assert_cmpuint(rd(t, A_FDIRUSTAT), ==, cap);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, 0);
    g_assert_cmpuint(rd(t, A_FDIRFSTAT), ==, 0);
    expect_guest_errors(t, "ioat_nic_err_fdir_full", "FDIRCMD", 0);

    fdir_command(&fd, fill_hash(&fd, cap), fill_cmd());
    expect_guest_errors(t, "ioat_nic_err_fdir_full", "FDIRCMD", 1);
    g_assert_cmpuint(rd(t, A_FDIRFSTAT), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRUSTAT), ==, 0);
    g_assert_false(fdir_query(&fd, fill_hash(&fd, cap)));
    g_assert_true(fdir_query(&fd, fill_hash(&fd, cap - 1)));

    fdir_command(&fd, fill_hash(&fd, 0),
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_REMOVE));
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, 1);
    fdir_command(&fd, fill_hash(&fd, cap), fill_cmd());
    g_assert_true(fdir_query(&fd, fill_hash(&fd, cap)));
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, 0);
    expect_guest_errors(t, "ioat_nic_err_fdir_full", "FDIRCMD", 1);
}

/*
 * An ADD that leaves fewer than FULL_THRESH x 16 free filters raises the
 * FLOW_DIR cause (EICR bit 16), an "other" cause on the IVAR_MISC
 * vector; while more are free it stays quiet.
 */
static void test_fdir_full_thresh_raises_flow_dir(NicTest *t)
{
    const unsigned other = 9, thresh = 1;
    unsigned cap;
    Fdir fd;

    ioat_nic_msix_enable(t->d);
    wr(t, A_IVAR_MISC, (IOAT_NIC_IVAR_VALID | other) << 8);
    wr(t, A_EIMS, R_EICR_FLOW_DIR_MASK);
    fdir_start(&fd, t, FIELD_DP32(fdirctrl(1, true), FDIRCTRL, FULL_THRESH,
                                  thresh), NULL);
    cap = fdir_capacity(&fd);
    fill_table(&fd, cap - 16 * thresh);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, 16 * thresh);
    g_assert_false(rd(t, A_EICS) & R_EICR_FLOW_DIR_MASK);
    g_assert_false(ioat_nic_msix_pending(t->d, other));

    fdir_command(&fd, fill_hash(&fd, cap - 16 * thresh), fill_cmd());
    g_assert_true(rd(t, A_EICS) & R_EICR_FLOW_DIR_MASK);
    g_assert_true(ioat_nic_msix_pending(t->d, other));
}

/* Flow Director: statistics (8.2.3.21.7-11) */

static void fdir_remove(Fdir *fd, uint32_t hash)
{
    fdir_command(fd, hash,
                 FIELD_DP32(0, FDIRCMD, CMD, IOAT_NIC_FDIRCMD_REMOVE));
}

/* FDIRFREE.FREE: the capacity, less every filter added, plus removals */
static void test_fdir_free_counts_filters(NicTest *t)
{
    Fdir fd;
    unsigned cap;

    fdir_start(&fd, t, fdirctrl(2, true), NULL);
    cap = fdir_capacity(&fd);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, cap);
    fill_table(&fd, 3);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, cap - 3);
    fdir_remove(&fd, fill_hash(&fd, 1));
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, cap - 2);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, cap - 2);
}

/* FDIRUSTAT: adds in 15:0, removes in 31:16; cleared by reading it. */
static void test_fdir_ustat_read_to_clear(NicTest *t)
{
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    fill_table(&fd, 3);
    fdir_remove(&fd, fill_hash(&fd, 0));
    g_assert_cmphex(rd(t, A_FDIRUSTAT), ==, 1u << 16 | 3);
    g_assert_cmphex(rd(t, A_FDIRUSTAT), ==, 0);
}

/*
 * FDIRFSTAT: failed adds (a collision) in 7:0, failed removes (of
 * missing filters) in 15:8; cleared by reading it.
 */
static void test_fdir_fstat_read_to_clear(NicTest *t)
{
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    fill_table(&fd, 2);
    fdir_command(&fd, fill_hash(&fd, 1), fill_cmd());
    fdir_remove(&fd, fill_hash(&fd, 5));
    fdir_remove(&fd, fill_hash(&fd, 6));
    g_assert_cmphex(rd(t, A_FDIRFSTAT), ==, 2u << 8 | 1);
    g_assert_cmphex(rd(t, A_FDIRFSTAT), ==, 0);
}

/*
 * FDIRLEN: the longest bucket list in 5:0 and its bucket in 30:16;
 * cleared by reading it.
 */
static void test_fdir_len_longest_bucket(NicTest *t)
{
    const uint16_t b_long = 0x123, b_short = 0x456;
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    for (unsigned id = 0; id < 2; id++) {
        fdir_command(&fd, fdir_hash_reg(b_short, id), fill_cmd());
    }
    for (unsigned id = 0; id < 3; id++) {
        fdir_command(&fd, fdir_hash_reg(b_long, id), fill_cmd());
    }
    fdir_command(&fd, fdir_hash_reg(0x7, 0), fill_cmd());
    g_assert_cmphex(rd(t, A_FDIRLEN), ==, (uint32_t)b_long << 16 | 3);
    g_assert_cmphex(rd(t, A_FDIRLEN), ==, 0);
}

/*
 * FDIRMATCH and FDIRMISS count the IP frames looked up that matched a
 * filter and those that did not; cleared by reading them.
 */
static void test_fdir_match_miss_read_to_clear(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow), miss = other_sport(&tcp4_flow);
    Frame miss6 = flow_frame_of(&tcp6_flow);
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    fdir_add_frame(&fd, &f, 1, 4);
    steers_to(t, &f, 4);
    steers_to(t, &miss, RSS_QUEUE);
    steers_to(t, &f, 4);
    steers_to(t, &miss6, RSS_QUEUE);
    steers_to(t, &miss, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 2);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 3);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 0);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 0);
}

/*
 * A frame that waits for a descriptor is one frame: it counts once in
 * FDIRMATCH however often the device retries it (here once more when
 * another queue gets a buffer) before it is delivered.
 */
static void test_fdir_held_frame_counted_once(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    Fdir fd;

    steer_setup(t);
    rx_ring(t, 5, 16, 0);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    fdir_add_frame(&fd, &f, 1, 5);
    inject(t, &f);
    wait_consumed(t);
    ioat_nic_rx_post(t->d, t->rx[3], 1);
    expect_nothing_else(t);
    ioat_nic_rx_post(t->d, t->rx[5], 1);
    expect_queue(t, 5, &f);
    expect_nothing_else(t);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 0);
}

/*
 * Frames that are not IP are not looked up: they neither match (a
 * filter whose fields are all masked would take any IP frame) nor count
 * as a miss.
 */
static void test_fdir_non_ip_frames_not_counted(NicTest *t)
{
    Frame raw = eth_frame(100), f = flow_frame_of(&udp4_flow);
    FdirMasks all = {
        .fdirm = FDIRM_PERFECT | R_FDIRM_L4P_MASK,
        .sip4m = ~0u, .dip4m = ~0u,
    };
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &all);
    fdir_add_frame(&fd, &f, 1, 4);
    steers_to(t, &f, 4);
    steers_to(t, &raw, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 0);
}

/* Flow Director: re-initialisation and reset */

/*
 * Writing FDIRCTRL again (with PBALLOC set) empties the table: FREE is
 * back at the capacity, filters are gone and their flows miss.
 */
static void test_fdir_reinit_empties_table(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    uint16_t bucket;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    bucket = fdir_add_frame(&fd, &f, 2, 4);
    fill_table(&fd, 5);
    steers_to(t, &f, 4);

    wr(t, A_FDIRCTRL, fd.ctrl);
    g_assert_cmphex(rd(t, A_FDIRCTRL), ==,
                    fd.ctrl | R_FDIRCTRL_INIT_DONE_MASK);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd));
    g_assert_false(fdir_query(&fd, fdir_hash_reg(bucket, 2)));
    g_assert_false(fdir_query(&fd, fill_hash(&fd, 3)));
    rd(t, A_FDIRMISS);
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
}

/*
 * CTRL.RST turns Flow Director off and empties its table; FDIRCTRL, the
 * masks and the keys read 0.  Set up again, the old filter is gone.
 */
static void test_fdir_ctrl_rst_empties_table(NicTest *t)
{
    static const uint32_t zeroed[] = {
        A_FDIRCTRL, A_FDIRM, A_FDIRSIP4M, A_FDIRDIP4M, A_FDIRTCPM,
        A_FDIRUDPM, A_FDIRIP6M, A_FDIRHKEY, A_FDIRSKEY,
    };
    FdirMasks m = {
        .fdirm = FDIRM_PERFECT, .sip4m = 0xff, .dip4m = 0xff00,
        .tcpm = 0x1, .udpm = 0x10000, .ip6m = 0x3,
    };
    Frame f = flow_frame_of(&tcp4_flow);
    uint16_t bucket;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &m);
    bucket = fdir_add_frame(&fd, &f, 2, 4);
    steers_to(t, &f, 4);

    wr(t, A_CTRL, R_CTRL_RST_MASK);
    for (int i = 0; i < ARRAY_SIZE(zeroed); i++) {
        g_test_message("register 0x%05x", zeroed[i]);
        g_assert_cmphex(rd(t, zeroed[i]), ==, 0);
    }

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &m);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd));
    g_assert_false(fdir_query(&fd, fdir_hash_reg(bucket, 2)));
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
}

/* Flow Director: bad commands */

/*
 * Once FDIRCTRL.PBALLOC is set back to 0, Flow Director is off: every
 * command is a guest error naming FDIRCMD and changes nothing, and
 * frames are not looked up.
 */
static void test_fdir_command_after_pballoc_0(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    uint16_t bucket;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    bucket = fdir_add_frame(&fd, &f, 2, 4);
    rd(t, A_FDIRUSTAT);

    wr(t, A_FDIRCTRL, FIELD_DP32(fd.ctrl, FDIRCTRL, PBALLOC, 0));
    g_assert_false(rd(t, A_FDIRCTRL) & R_FDIRCTRL_INIT_DONE_MASK);
    x = fdir_fields(&fd, &f);
    fdir_command(&fd, fdir_hash_reg(bucket, 3),
                 fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    fdir_remove(&fd, fdir_hash_reg(bucket, 2));
    g_assert_false(fdir_query(&fd, fdir_hash_reg(bucket, 2)));
    expect_guest_errors(t, "ioat_nic_err_fdir_off", "FDIRCMD", 3);
    g_assert_cmpuint(rd(t, A_FDIRUSTAT), ==, 0);
    g_assert_cmpuint(rd(t, A_FDIRFSTAT), ==, 0);

    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 0);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 0);
}

/*
 * REMOVE of a filter the table does not hold is a guest error naming
 * FDIRCMD, counted in FDIRFSTAT.FREMOVE; the table is unchanged.
 */
static void test_fdir_remove_missing_filter(NicTest *t)
{
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    fill_table(&fd, 2);
    fdir_remove(&fd, fill_hash(&fd, 2));
    expect_guest_errors(t, "ioat_nic_err_fdir_remove", "FDIRCMD", 1);
    g_assert_cmphex(rd(t, A_FDIRFSTAT), ==, 1u << 8);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - 2);
    g_assert_true(fdir_query(&fd, fill_hash(&fd, 1)));
}

/*
 * FDIRCMD.TUNNEL_FILTER (bit 23) is reserved on the 82599: an ADD with it
 * is a guest error counted in FDIRFSTAT.FADD, and adds nothing.
 */
static void test_fdir_tunnel_filter_is_guest_error(NicTest *t)
{
    Fdir fd;

    fdir_start(&fd, t, fdirctrl(1, true), NULL);
    wr(t, A_FDIRHASH, fill_hash(&fd, 0));
    wr(t, A_FDIRCMD, fill_cmd() | R_FDIRCMD_TUNNEL_FILTER_MASK);
    expect_guest_errors(t, "ioat_nic_err_fdir_flow_type", "FDIRCMD", 1);
    g_assert_cmphex(rd(t, A_FDIRFSTAT), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd));
    g_assert_false(fdir_query(&fd, fill_hash(&fd, 0)));
}

/* Flow Director: signature filters, keyed by the hash */

typedef struct SignatureCase {
    const char *name;
    Flow flow;
    uint32_t tag;
} SignatureCase;

static const SignatureCase signature_cases[] = {
    { "fdir-signature-tcp4-untagged",
      { IPPROTO_TCP, "10.9.8.7", 443, "10.0.0.2", 51000 }, 0 },
    { "fdir-signature-tcp4-tagged",
      { IPPROTO_TCP, "10.9.8.7", 443, "10.0.0.2", 51000 }, VID_PCP(1, 5) },
    { "fdir-signature-udp6-untagged",
      { IPPROTO_UDP, "2001:db8:1::53", 53, "2001:db8::2", 33333 }, 0 },
    { "fdir-signature-tcp6-tagged",
      { IPPROTO_TCP, "2001:db8:1::80", 80, "2001:db8::2", 40404 },
      VID_PCP(6, 4000) },
};

/*
 * A signature filter is its bucket and signature, both hashes of the
 * frame's fields with nothing masked and the flexible word at byte 12
 * (the EtherType, or the TPID of a tagged frame): it takes its frame to
 * its queue; the flow from another source port misses, and so does the
 * untagged copy of a tagged frame (other tag, other flex word).
 */
static void test_fdir_signature(NicTest *t)
{
    const SignatureCase *c = t->arg;
    Frame f = flow_frame_of(&c->flow), tagged = tag_frame(&f, c->tag);
    Frame other = other_sport(&c->flow);
    Fdir fd;

    other = tag_frame(&other, c->tag);
    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, false), NULL);
    fdir_add_signature(&fd, &tagged, 5);

    steers_to(t, &tagged, 5);
    steers_to(t, &other, RSS_QUEUE);
    if (c->tag) {
        steers_to(t, &f, RSS_QUEUE);
    }
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, c->tag ? 2 : 1);
}

/*
 * ixgbe's ATR filter of vector V2 (FDIRHASH 0x56f446c1, FDIRCMD
 * 0x000288c9: TCP over IPv6 to queue 2) takes V2's tagged frame; its
 * untagged copy misses.
 */
static void test_fdir_signature_v2_tagged_tcp6(NicTest *t)
{
    const Flow v2 = {
        IPPROTO_TCP, "2001:db8::2", 443, "2001:db8::1", 50000
    };
    Frame f = flow_frame_of(&v2), tagged = vlan_tagged(&f, 0x6064);
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, false), NULL);
    fdir_command(&fd, 0x56f446c1, 0x000288c9);
    steers_to(t, &tagged, 2);
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
}

/*
 * A signature filter in the frame's bucket with another signature does
 * not take it; the filter with the frame's own signature does.
 */
static void test_fdir_signature_mismatch_misses(NicTest *t)
{
    const Flow fl = { IPPROTO_UDP, "10.3.3.3", 7000, "10.0.0.2", 7001 };
    Frame f = flow_frame_of(&fl);
    uint16_t bucket, sig;
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, false), NULL);
    x = fdir_fields(&fd, &f);
    bucket = fdir_bucket_hash(&fd, &x);
    sig = fdir_signature(&fd, &x);
    fdir_command(&fd, fdir_hash_reg(bucket, sig ^ 0x0100),
                 fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 0);

    fdir_command(&fd, fdir_hash_reg(bucket, sig),
                 fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    steers_to(t, &f, 5);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/*
 * Signatures are 15 bits: FDIRHASH bit 31 is not part of one, so a
 * filter added with it set takes the frame, and QUERY finds the filter
 * without it.
 */
static void test_fdir_signature_ignores_bit_31(NicTest *t)
{
    const Flow fl = { IPPROTO_TCP, "10.3.3.3", 7000, "10.0.0.2", 7001 };
    Frame f = flow_frame_of(&fl);
    uint32_t hash;
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, false), NULL);
    x = fdir_fields(&fd, &f);
    hash = fdir_hash_reg(fdir_bucket_hash(&fd, &x), fdir_signature(&fd, &x));
    fdir_command(&fd, hash | 1u << 31,
                 fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5));
    g_assert_true(fdir_query(&fd, hash));
    steers_to(t, &f, 5);
}

/* Flow Director: the match in the RX descriptor (7.1.6.2) */

typedef struct ReportCase {
    const char *name;
    bool perfect;
} ReportCase;

static const ReportCase report_cases[] = {
    { "fdir-report-status-perfect-flm-index-bucket", true },
    { "fdir-report-status-signature-flm-signature-bucket", false },
};

/*
 * FDIRCTRL.REPORT_STATUS with RXCSUM.PCSD: a matched frame's write-back
 * has FLM (status bit 2), RSS type 0xF and, in DW1, the filter's index
 * (perfect) or signature in 15:0 and its bucket in 31:16.  A frame that
 * misses has none of it: its RSS type and hash.
 */
static void test_fdir_report_status(NicTest *t)
{
    const ReportCase *c = t->arg;
    Frame f = flow_frame_of(&rss_flow);
    uint32_t ctrl = FIELD_DP32(fdirctrl(1, c->perfect), FDIRCTRL,
                               REPORT_STATUS, 1);
    uint16_t bucket, id = 0x123;
    QIoatNicRxWb wb;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, ctrl, c->perfect ? &(FdirMasks) {
        .fdirm = FDIRM_PERFECT } : NULL);
    if (c->perfect) {
        bucket = fdir_add_frame(&fd, &f, id, 5);
    } else {
        uint32_t hash = fdir_add_signature(&fd, &f, 5);

        bucket = (hash & 0x7fff) & fdir_bucket_mask(&fd);
        id = hash >> 16;
    }

    wb = steers_to(t, &f, 5);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_FLM);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                     IOAT_NIC_RSS_TYPE_FDIR);
    g_assert_cmphex(wb.rss_hash, ==, id | (uint32_t)bucket << 16);

    fdir_remove(&fd, fdir_hash_reg(bucket, id));
    wb = steers_to(t, &f, RSS_QUEUE);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_FLM);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                     IOAT_NIC_RSS_TYPE_IPV4_TCP);
    g_assert_cmphex(wb.rss_hash, ==, RSS_FLOW_HASH);
}

/*
 * Without FDIRCTRL.REPORT_STATUS a match is not reported: no FLM, and
 * the write-back keeps the RSS type and hash; the frame is steered.
 */
static void test_fdir_no_report_without_report_status(NicTest *t)
{
    Frame f = flow_frame_of(&rss_flow);
    QIoatNicRxWb wb;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    fdir_add_frame(&fd, &f, 0x123, 5);
    wb = steers_to(t, &f, 5);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_FLM);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                     IOAT_NIC_RSS_TYPE_IPV4_TCP);
    g_assert_cmphex(wb.rss_hash, ==, RSS_FLOW_HASH);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/*
 * With REPORT_STATUS, a match in a bucket whose list is longer than
 * FDIRCTRL.MAX_LENGTH sets error bit 20 (FDIR length); a match alone in
 * its bucket does not.
 */
static void test_fdir_bucket_beyond_max_length(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow), g = flow_frame_of(&udp4_flow);
    uint32_t ctrl = fdirctrl(1, true);
    uint16_t bucket, bucket_g;
    QIoatNicRxWb wb;
    FdirFields x;
    Fdir fd;

    ctrl = FIELD_DP32(ctrl, FDIRCTRL, REPORT_STATUS, 1);
    ctrl = FIELD_DP32(ctrl, FDIRCTRL, MAX_LENGTH, 1);
    steer_setup(t);
    fdir_start(&fd, t, ctrl, &(FdirMasks) { .fdirm = FDIRM_PERFECT });
    bucket = fdir_add_frame(&fd, &f, 1, 5);
    bucket_g = fdir_add_frame(&fd, &g, 1, 6);
    g_assert_cmphex(bucket, !=, bucket_g);
    /* Two more filters in f's bucket, for other source ports */
    x = fdir_fields(&fd, &f);
    for (unsigned id = 2; id <= 3; id++) {
        x.sport++;
        fdir_load_fields(t, &x);
        fdir_command(&fd, fdir_hash_reg(bucket, id),
                     fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 7));
    }
    g_assert_cmpuint(FIELD_EX32(rd(t, A_FDIRLEN), FDIRLEN, MAXLEN), ==, 3);

    wb = steers_to(t, &f, 5);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_FLM);
    g_assert_true(wb.status & IOAT_NIC_RXD_ERR_FDIR_LEN);
    wb = steers_to(t, &g, 6);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_FLM);
    g_assert_false(wb.status & IOAT_NIC_RXD_ERR_FDIR_LEN);
}

/* Flow Director: migration */

/*
 * A populated table migrates: on the destination the perfect filters
 * are all there and still steer their flows; other frames still miss.
 */
static void test_fdir_migration_keeps_filters(NicTest *t)
{
    static const Flow *const flows[] = { &tcp4_flow, &udp4_flow, &tcp6_flow };
    g_autofree char *path = migration_file("");
    g_autofree char *status = NULL;
    QTestState *src = qts(t), *dst;
    Frame f[ARRAY_SIZE(flows)], other = other_sport(&udp4_flow);
    uint16_t bucket[ARRAY_SIZE(flows)];
    int src_wire = t->wire, dst_wire;
    Fdir fd;

    steer_setup(t);
    fdir_start(&fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT, .ip6m = 0xffff0000 });
    for (int i = 0; i < ARRAY_SIZE(flows); i++) {
        f[i] = flow_frame_of(flows[i]);
        bucket[i] = fdir_add_frame(&fd, &f[i], 10 + i, 3 + i);
        steers_to(t, &f[i], 3 + i);
    }
    rd(t, A_FDIRMATCH);

    migrate_to_file(t, path);
    dst = migration_destination(path, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "completed");
    use_machine(t, dst, dst_wire);

    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - 3);
    for (int i = 0; i < ARRAY_SIZE(flows); i++) {
        g_assert_true(fdir_query(&fd, fdir_hash_reg(bucket[i], 10 + i)));
        steers_to(t, &f[i], 3 + i);
    }
    steers_to(t, &other, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, ARRAY_SIZE(flows));
    g_assert_cmpuint(rd(t, A_FDIRMISS), ==, 1);

    use_machine(t, src, src_wire);
    qtest_quit(dst);
    close(dst_wire);
    unlink(path);
}

/*
 * The destination checks the table it loads against the FDIRCTRL it
 * loads: a stream of 2K - 1 perfect filters saved with 128 KiB
 * allocated loads with 256 KiB in its FDIRCTRL, and is refused with the
 * 64 KiB that hold only 2K - 2.  (The streams are the source's, with
 * only FDIRCTRL.PBALLOC changed.)
 */
static void test_fdir_migration_refuses_too_many_filters(NicTest *t)
{
    uint32_t ctrl = fdirctrl(2, true), saved;
    g_autofree char *path = migration_file("");
    g_autofree char *bigger = migration_file("-256k");
    g_autofree char *smaller = migration_file("-64k");
    g_autofree char *status = NULL;
    QTestState *src = qts(t), *dst;
    int src_wire = t->wire, dst_wire;
    const unsigned n = 2047;
    Fdir fd;

    /* A value found nowhere else in the stream */
    ctrl = FIELD_DP32(ctrl, FDIRCTRL, DROP_QUEUE, 0x5a);
    ctrl = FIELD_DP32(ctrl, FDIRCTRL, FLEX_OFFSET, 0x13);
    ctrl = FIELD_DP32(ctrl, FDIRCTRL, MAX_LENGTH, 0xb);
    fdir_start(&fd, t, ctrl, NULL);
    fill_table(&fd, n);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - n);
    g_assert_cmphex(fill_hash(&fd, n - 1) & 0xffff, <=, 0x7ff);
    saved = ctrl | R_FDIRCTRL_INIT_DONE_MASK;
    migrate_to_file(t, path);
    patch_migration(path, bigger, saved,
                    FIELD_DP32(saved, FDIRCTRL, PBALLOC, 3));
    patch_migration(path, smaller, saved,
                    FIELD_DP32(saved, FDIRCTRL, PBALLOC, 1));

    dst = migration_destination(bigger, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "completed");
    use_machine(t, dst, dst_wire);
    fd.ctrl = FIELD_DP32(ctrl, FDIRCTRL, PBALLOC, 3);
    g_assert_cmpuint(rd(t, A_FDIRFREE), ==, fdir_capacity(&fd) - n);
    qtest_quit(dst);
    close(dst_wire);
    g_free(status);

    dst = migration_destination(smaller, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "failed");
    qtest_quit(dst);
    close(dst_wire);

    use_machine(t, src, src_wire);
    unlink(path);
    unlink(bigger);
    unlink(smaller);
}

/* 5-tuple filters (7.1.2.5) */

#define FT_PROTO_TCP    IOAT_NIC_FTQF_PROTO_TCP
#define FT_PROTO_UDP    IOAT_NIC_FTQF_PROTO_UDP
#define FT_PROTO_SCTP   IOAT_NIC_FTQF_PROTO_SCTP
#define FT_PROTO_OTHER  IOAT_NIC_FTQF_PROTO_OTHER
#define FT_MASK_ALL     0x1f

/* A 5-tuple filter's fields; @mask bits (FTQF[29:25]) leave one out. */
typedef struct FiveTuple {
    unsigned proto;         /* FT_PROTO_* */
    const char *src, *dst;  /* IPv4 */
    uint16_t sport, dport;
    unsigned mask;          /* IOAT_NIC_FTQF_MASK_* */
    unsigned priority;      /* 0-7, 7 highest */
} FiveTuple;

static uint32_t ip4_reg(const char *addr)
{
    uint8_t b[4];

    g_assert_cmpint(inet_pton(AF_INET, addr, b), ==, 1);
    return ldl_le_p(b);
}

/*
 * 5-tuple filter @n steering to @queue (8.2.3.7.13-17): SAQF/DAQF the
 * little-endian dwords of the addresses' wire bytes, SDPQF the ports in
 * network byte order, the queue in L34T_IMIR, pool not compared.
 * @imir adds low latency interrupt bits; @queue_en 0 only matches.
 */
static void five_tuple_imir(NicTest *t, unsigned n, const FiveTuple *ft,
                            unsigned queue, bool queue_en, uint32_t imir)
{
    uint32_t ftqf = FIELD_DP32(0, FTQF, PROTOCOL, ft->proto);

    ftqf = FIELD_DP32(ftqf, FTQF, PRIORITY, ft->priority);
    ftqf = FIELD_DP32(ftqf, FTQF, MASK, ft->mask);
    ftqf = FIELD_DP32(ftqf, FTQF, POOL_MASK, 1);
    ftqf = FIELD_DP32(ftqf, FTQF, QUEUE_EN, queue_en);
    wr(t, IOAT_NIC_SAQF(n), ft->src ? ip4_reg(ft->src) : 0);
    wr(t, IOAT_NIC_DAQF(n), ft->dst ? ip4_reg(ft->dst) : 0);
    wr(t, IOAT_NIC_SDPQF(n), bswap16(ft->sport) |
                             (uint32_t)bswap16(ft->dport) << 16);
    wr(t, IOAT_NIC_L34T_IMIR(n),
       imir | FIELD_DP32(0, L34T_IMIR, RX_QUEUE, queue));
    wr(t, IOAT_NIC_FTQF(n), ftqf);
}

static void five_tuple(NicTest *t, unsigned n, const FiveTuple *ft,
                       unsigned queue)
{
    five_tuple_imir(t, n, ft, queue, true, 0);
}

static const Flow ft_flow = {
    IPPROTO_TCP, "10.1.1.1", 1000, "10.2.2.2", 2000
};
static const FiveTuple ft_exact = {
    FT_PROTO_TCP, "10.1.1.1", "10.2.2.2", 1000, 2000, 0, 1
};

typedef struct FieldCase {
    const char *name;
    unsigned mask;          /* the FTQF mask bit of the field */
    Flow other;             /* ft_flow with that field changed */
} FieldCase;

static const FieldCase field_cases[] = {
    { "five-tuple-protocol-compared-unless-masked",
      IOAT_NIC_FTQF_MASK_PROTOCOL,
      { IPPROTO_UDP, "10.1.1.1", 1000, "10.2.2.2", 2000 } },
    { "five-tuple-source-address-compared-unless-masked",
      IOAT_NIC_FTQF_MASK_SRC_ADDR,
      { IPPROTO_TCP, "10.1.1.9", 1000, "10.2.2.2", 2000 } },
    { "five-tuple-destination-address-compared-unless-masked",
      IOAT_NIC_FTQF_MASK_DST_ADDR,
      { IPPROTO_TCP, "10.1.1.1", 1000, "10.2.2.9", 2000 } },
    { "five-tuple-source-port-compared-unless-masked",
      IOAT_NIC_FTQF_MASK_SRC_PORT,
      { IPPROTO_TCP, "10.1.1.1", 1001, "10.2.2.2", 2000 } },
    { "five-tuple-destination-port-compared-unless-masked",
      IOAT_NIC_FTQF_MASK_DST_PORT,
      { IPPROTO_TCP, "10.1.1.1", 1000, "10.2.2.2", 2001 } },
};

/*
 * A 5-tuple filter compares each field its FTQF mask does not exclude:
 * its own flow is steered, the flow that differs in one field is not;
 * with that field masked, it is.
 */
static void test_five_tuple_field(NicTest *t)
{
    const FieldCase *c = t->arg;
    Frame f = flow_frame_of(&ft_flow), other = flow_frame_of(&c->other);
    FiveTuple ft = ft_exact;

    steer_setup(t);
    five_tuple(t, 17, &ft, 6);
    steers_to(t, &f, 6);
    steers_to(t, &other, RSS_QUEUE);

    ft.mask = c->mask;
    five_tuple(t, 17, &ft, 6);
    steers_to(t, &other, 6);
    steers_to(t, &f, 6);
}

typedef struct ProtocolCase {
    const char *name;
    unsigned proto;         /* FTQF.PROTOCOL */
    uint8_t ip_proto, not_proto;
} ProtocolCase;

static const ProtocolCase protocol_cases[] = {
    { "five-tuple-protocol-tcp", FT_PROTO_TCP, IPPROTO_TCP, IPPROTO_UDP },
    { "five-tuple-protocol-udp", FT_PROTO_UDP, IPPROTO_UDP, IPPROTO_TCP },
    { "five-tuple-protocol-sctp", FT_PROTO_SCTP, IPPROTO_SCTP, IPPROTO_UDP },
    { "five-tuple-protocol-other", FT_PROTO_OTHER, IPPROTO_ICMP,
      IPPROTO_TCP },
};

/*
 * FTQF.PROTOCOL 0-3 is TCP, UDP, SCTP or any other protocol: a filter
 * takes frames of its protocol only ("other" has no ports to compare).
 */
static void test_five_tuple_protocol(NicTest *t)
{
    const ProtocolCase *c = t->arg;
    Flow fl = ft_flow, not = ft_flow;
    FiveTuple ft = ft_exact;
    Frame f, g;

    fl.proto = c->ip_proto;
    not.proto = c->not_proto;
    f = flow_frame_of(&fl);
    g = flow_frame_of(&not);
    ft.proto = c->proto;
    if (c->proto == FT_PROTO_OTHER) {
        ft.mask = IOAT_NIC_FTQF_MASK_SRC_PORT | IOAT_NIC_FTQF_MASK_DST_PORT;
    }
    steer_setup(t);
    five_tuple(t, 3, &ft, 7);
    steers_to(t, &f, 7);
    steers_to(t, &g, RSS_QUEUE);
}

/*
 * Of two filters that take a frame, the one of higher FTQF priority
 * steers it, whatever their numbers.
 */
static void test_five_tuple_higher_priority_wins(NicTest *t)
{
    Frame f = flow_frame_of(&ft_flow);
    FiveTuple low = ft_exact, high = ft_exact;

    low.priority = 2;
    high.priority = 6;
    high.mask = IOAT_NIC_FTQF_MASK_SRC_ADDR | IOAT_NIC_FTQF_MASK_SRC_PORT;
    steer_setup(t);
    five_tuple(t, 4, &low, 3);
    five_tuple(t, 90, &high, 9);
    steers_to(t, &f, 9);

    low.priority = 7;
    five_tuple(t, 4, &low, 3);
    steers_to(t, &f, 3);
}

/* Of two filters of equal priority that take a frame, the lower one does */
static void test_five_tuple_equal_priority_lower_index_wins(NicTest *t)
{
    Frame f = flow_frame_of(&ft_flow);
    FiveTuple a = ft_exact, b = ft_exact;

    a.priority = b.priority = 4;
    b.mask = IOAT_NIC_FTQF_MASK_DST_ADDR;
    steer_setup(t);
    five_tuple(t, 40, &a, 3);
    five_tuple(t, 12, &b, 9);
    steers_to(t, &f, 9);
    wr(t, IOAT_NIC_FTQF(12), 0);
    steers_to(t, &f, 3);
}

/*
 * 5-tuple filters are for IPv4: a filter with every field masked takes
 * any IPv4 frame and no IPv6 one.
 */
static void test_five_tuple_ipv6_never_matches(NicTest *t)
{
    Frame f4 = flow_frame_of(&ft_flow), f6 = flow_frame_of(&tcp6_flow);
    FiveTuple any = { .mask = FT_MASK_ALL };

    steer_setup(t);
    five_tuple(t, 0, &any, 8);
    steers_to(t, &f4, 8);
    steers_to(t, &f6, RSS_QUEUE);
}

/* FTQF.QUEUE_EN cleared: the filter no longer steers; set again, it does. */
static void test_five_tuple_queue_en_cleared_stops_it(NicTest *t)
{
    Frame f = flow_frame_of(&ft_flow);

    steer_setup(t);
    five_tuple(t, 100, &ft_exact, 6);
    steers_to(t, &f, 6);
    wr(t, IOAT_NIC_FTQF(100),
       rd(t, IOAT_NIC_FTQF(100)) & ~R_FTQF_QUEUE_EN_MASK);
    steers_to(t, &f, RSS_QUEUE);
    wr(t, IOAT_NIC_FTQF(100),
       rd(t, IOAT_NIC_FTQF(100)) | R_FTQF_QUEUE_EN_MASK);
    steers_to(t, &f, 6);
}

/* The filters in use steer on the destination of a migration. */
static void test_five_tuple_migrates(NicTest *t)
{
    g_autofree char *path = migration_file("");
    g_autofree char *status = NULL;
    QTestState *src = qts(t), *dst;
    Frame f = flow_frame_of(&ft_flow);
    int src_wire = t->wire, dst_wire;

    steer_setup(t);
    five_tuple(t, 127, &ft_exact, 9);
    steers_to(t, &f, 9);

    migrate_to_file(t, path);
    dst = migration_destination(path, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "completed");
    use_machine(t, dst, dst_wire);
    steers_to(t, &f, 9);

    use_machine(t, src, src_wire);
    qtest_quit(dst);
    close(dst_wire);
    unlink(path);
}

typedef struct FragmentCase {
    const char *name;
    unsigned proto;
    unsigned mask;
    bool match;
} FragmentCase;

#define FT_MASK_PORTS   (IOAT_NIC_FTQF_MASK_SRC_PORT | \
                         IOAT_NIC_FTQF_MASK_DST_PORT)

static const FragmentCase fragment_cases[] = {
    { "five-tuple-fragment-matches-protocol-other", FT_PROTO_OTHER,
      FT_MASK_PORTS, true },
    { "five-tuple-fragment-matches-protocol-and-ports-masked", FT_PROTO_TCP,
      FT_MASK_PORTS | IOAT_NIC_FTQF_MASK_PROTOCOL, true },
    { "five-tuple-fragment-misses-protocol-tcp", FT_PROTO_TCP,
      FT_MASK_PORTS, false },
    { "five-tuple-fragment-misses-compared-ports", FT_PROTO_OTHER,
      IOAT_NIC_FTQF_MASK_PROTOCOL, false },
};

/*
 * An IP fragment (here the first one of a TCP segment, MF set) has
 * protocol "other" and no ports: a filter takes it if it asks for
 * "other" or masks the protocol, and masks the ports.
 */
static void test_five_tuple_fragment(NicTest *t)
{
    const FragmentCase *c = t->arg;
    Frame f = as_fragment(flow_frame_of(&ft_flow));
    FiveTuple ft = ft_exact;

    ft.proto = c->proto;
    ft.mask = c->mask;
    steer_setup(t);
    five_tuple(t, 5, &ft, 10);
    steers_to(t, &f, c->match ? 10 : RSS_QUEUE);
}

/* The SYN filter (7.1.2.6) */

static void syn_filter(NicTest *t, unsigned queue, bool first)
{
    uint32_t synqf = FIELD_DP32(0, SYNQF, QUEUE_EN, 1);

    synqf = FIELD_DP32(synqf, SYNQF, RX_QUEUE, queue);
    wr(t, A_SYNQF, FIELD_DP32(synqf, SYNQF, SYNQFP, first));
}

typedef struct SynCase {
    const char *name;
    const Flow *flow;
} SynCase;

static const SynCase syn_cases[] = {
    { "syn-filter-steers-tcp4-syn", &ft_flow },
    { "syn-filter-steers-tcp6-syn", &tcp6_flow },
};

/*
 * The SYN filter takes TCP segments with SYN set to its queue; segments
 * of the same flow without SYN, and other protocols, go their own way.
 */
static void test_syn_filter(NicTest *t)
{
    const SynCase *c = t->arg;
    Frame f = flow_frame_of(c->flow);
    Frame syn = with_tcp_flags(f, TCP_SYN);
    Frame ack = with_tcp_flags(f, TCP_ACK), fin = with_tcp_flags(f, TCP_FIN);
    Flow udp = *c->flow;
    Frame u;

    udp.proto = IPPROTO_UDP;
    u = flow_frame_of(&udp);
    steer_setup(t);
    syn_filter(t, 11, false);
    steers_to(t, &syn, 11);
    steers_to(t, &ack, RSS_QUEUE);
    steers_to(t, &fin, RSS_QUEUE);
    steers_to(t, &u, RSS_QUEUE);
}

/*
 * SYNQF.SYNQFP set: the SYN filter goes before the 5-tuple filters, and
 * takes a SYN segment a 5-tuple filter also takes; that filter still
 * takes the flow's other segments.
 */
static void test_synqfp_set_syn_before_five_tuple(NicTest *t)
{
    Frame f = flow_frame_of(&ft_flow), syn = with_tcp_flags(f, TCP_SYN);

    steer_setup(t);
    five_tuple(t, 2, &ft_exact, 3);
    syn_filter(t, 11, true);
    steers_to(t, &syn, 11);
    steers_to(t, &f, 3);
}

/*
 * SYNQF.SYNQFP clear: the 5-tuple filters go first and take a SYN
 * segment they match; a SYN segment they do not match is the SYN
 * filter's.
 */
static void test_synqfp_clear_five_tuple_before_syn(NicTest *t)
{
    Frame syn = with_tcp_flags(flow_frame_of(&ft_flow), TCP_SYN);
    Frame other = with_tcp_flags(other_sport(&ft_flow), TCP_SYN);

    steer_setup(t);
    five_tuple(t, 2, &ft_exact, 3);
    syn_filter(t, 11, false);
    steers_to(t, &syn, 3);
    steers_to(t, &other, 11);
}

/* Precedence among the queue filters (7.1.2) */

/* An EtherType filter taking IPv4 frames (EtherType 0x0800) to @queue */
static void ipv4_ethertype_filter(NicTest *t, unsigned queue)
{
    ioat_nic_route_ethertype(t->d, 1, 0x0800, queue);
}

/* Flow Director on, a perfect filter for @f to @queue, more @cmd_bits */
static void fdir_filter_for(NicTest *t, Fdir *fd, const Frame *f,
                            unsigned queue, uint32_t cmd_bits)
{
    FdirFields x;

    fdir_start(fd, t, fdirctrl(1, true), &(FdirMasks) {
        .fdirm = FDIRM_PERFECT });
    x = fdir_fields(fd, f);
    fdir_add_perfect(fd, &x, 1,
                     fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, queue) | cmd_bits);
}

/* The EtherType filter goes before the SYN filter, even with SYNQFP. */
static void test_precedence_ethertype_over_syn(NicTest *t)
{
    Frame syn = with_tcp_flags(flow_frame_of(&ft_flow), TCP_SYN);

    steer_setup(t);
    syn_filter(t, 11, true);
    ipv4_ethertype_filter(t, 12);
    steers_to(t, &syn, 12);
}

/* The EtherType filter goes before the 5-tuple filters. */
static void test_precedence_ethertype_over_five_tuple(NicTest *t)
{
    Frame f = flow_frame_of(&ft_flow);
    FiveTuple ft = ft_exact;

    ft.priority = 7;
    steer_setup(t);
    five_tuple(t, 0, &ft, 3);
    ipv4_ethertype_filter(t, 12);
    steers_to(t, &f, 12);
}

/*
 * The EtherType filter goes before Flow Director: the frame is not even
 * looked up (no FDIRMATCH).
 */
static void test_precedence_ethertype_over_fdir(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    Fdir fd;

    steer_setup(t);
    fdir_filter_for(t, &fd, &f, 5, 0);
    ipv4_ethertype_filter(t, 12);
    steers_to(t, &f, 12);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 0);
}

/* A Flow Director drop filter does not drop what an EtherType filter takes */
static void test_precedence_ethertype_over_fdir_drop(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    Fdir fd;

    steer_setup(t);
    fdir_filter_for(t, &fd, &f, 127, R_FDIRCMD_DROP_MASK);
    dropped(t, &f);
    ipv4_ethertype_filter(t, 12);
    steers_to(t, &f, 12);
}

/* The SYN filter goes before Flow Director. */
static void test_precedence_syn_over_fdir(NicTest *t)
{
    Frame syn = with_tcp_flags(flow_frame_of(&tcp4_flow), TCP_SYN);
    Fdir fd;

    steer_setup(t);
    fdir_filter_for(t, &fd, &syn, 5, 0);
    steers_to(t, &syn, 5);
    syn_filter(t, 11, false);
    steers_to(t, &syn, 11);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/* The 5-tuple filters go before Flow Director. */
static void test_precedence_five_tuple_over_fdir(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FiveTuple ft = { FT_PROTO_TCP, "10.0.0.1", "10.0.0.2", 1234, 80, 0, 0 };
    Fdir fd;

    steer_setup(t);
    fdir_filter_for(t, &fd, &f, 5, 0);
    steers_to(t, &f, 5);
    five_tuple(t, 9, &ft, 3);
    steers_to(t, &f, 3);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 1);
}

/*
 * Flow Director goes before RSS when its filter has QUEUE_EN; without
 * it a match is counted and the frame left to RSS.
 */
static void test_precedence_fdir_over_rss(NicTest *t)
{
    Frame f = flow_frame_of(&tcp4_flow);
    FdirFields x;
    Fdir fd;

    steer_setup(t);
    fdir_filter_for(t, &fd, &f, 5, 0);
    steers_to(t, &f, 5);
    x = fdir_fields(&fd, &f);
    fdir_add_perfect(&fd, &x, 1,
                     (fdir_cmd(&x, IOAT_NIC_FDIRCMD_ADD, 5) &
                      ~R_FDIRCMD_QUEUE_EN_MASK) |
                     R_FDIRCMD_FILTER_UPDATE_MASK);
    steers_to(t, &f, RSS_QUEUE);
    g_assert_cmpuint(rd(t, A_FDIRMATCH), ==, 2);
}

/* Low latency interrupts (7.3.2.2) */

#define LLI_VECTOR      4
#define LLI_ITR_US      1000        /* EITR interval of LLI_VECTOR */

typedef enum LliTrigger {
    LLI_FIVE_TUPLE,         /* 5-tuple filter 5 with L34T_IMIR.LLI */
    LLI_VLAN_PRIORITY,      /* IMIRVP */
    LLI_ETHERTYPE,          /* ETQS.LLI */
    LLI_FDIR,               /* FDIRCMD.INT */
} LliTrigger;

typedef struct LliCase {
    const char *name;
    LliTrigger trigger;
    uint32_t imir;          /* L34T_IMIR bits besides LLI */
    unsigned llithresh;     /* LLITHRESH.SIZE */
    uint16_t dport;         /* the TCP frame's; the 5-tuple filter wants 80 */
    uint8_t flags;          /* its TCP flags */
    size_t len;             /* its length */
    uint32_t tag;
    bool at_once;
} LliCase;

#define IMIR(field, v)  ((uint32_t)(v) << R_L34T_IMIR_##field##_SHIFT)
#define LLI_ANY         (IMIR(SIZE_BP, 1) | IMIR(CTRL_BP, 1))

static const LliCase lli_cases[] = {
    { "lli-five-tuple-match-fires-at-once", LLI_FIVE_TUPLE, LLI_ANY, 0,
      80, TCP_ACK | TCP_PSH, 200, 0, true },
    { "lli-five-tuple-miss-waits-for-eitr", LLI_FIVE_TUPLE, LLI_ANY, 0,
      81, TCP_ACK | TCP_PSH, 200, 0, false },
    { "lli-size-below-llithresh-fires-at-once", LLI_FIVE_TUPLE,
      IMIR(CTRL_BP, 1), 200, 80, TCP_ACK, 199, 0, true },
    { "lli-size-at-llithresh-waits-for-eitr", LLI_FIVE_TUPLE,
      IMIR(CTRL_BP, 1), 200, 80, TCP_ACK, 200, 0, false },
    { "lli-selected-tcp-flag-fires-at-once", LLI_FIVE_TUPLE,
      IMIR(SIZE_BP, 1) | IMIR(TCP_FLAGS, TCP_SYN), 0, 80, TCP_SYN, 200, 0,
      true },
    { "lli-unselected-tcp-flag-waits-for-eitr", LLI_FIVE_TUPLE,
      IMIR(SIZE_BP, 1) | IMIR(TCP_FLAGS, TCP_SYN), 0, 80,
      TCP_ACK | TCP_PSH, 200, 0, false },
    { "lli-ctrl-bp-ignores-tcp-flags", LLI_FIVE_TUPLE,
      LLI_ANY | IMIR(TCP_FLAGS, TCP_SYN), 0, 80, TCP_ACK | TCP_PSH, 200, 0,
      true },
    { "lli-imirvp-priority-fires-at-once", LLI_VLAN_PRIORITY, 0, 0,
      80, TCP_ACK, 200, VID_PCP(5, 10), true },
    { "lli-imirvp-other-priority-waits-for-eitr", LLI_VLAN_PRIORITY, 0, 0,
      80, TCP_ACK, 200, VID_PCP(3, 10), false },
    { "lli-etqs-lli-fires-at-once", LLI_ETHERTYPE, 0, 0, 0, 0, 200, 0,
      true },
    { "lli-fdircmd-int-fires-at-once", LLI_FDIR, 0, 0, 80, TCP_ACK, 200, 0,
      true },
};

/* TCP to destination port 80 */
static const FiveTuple lli_filter = {
    FT_PROTO_TCP, NULL, NULL, 0, 80,
    IOAT_NIC_FTQF_MASK_SRC_ADDR | IOAT_NIC_FTQF_MASK_DST_ADDR |
    IOAT_NIC_FTQF_MASK_SRC_PORT, 1
};

/* The frame of @c: TCP/IPv4 to port @c->dport, or raw for EtherType */
static Frame lli_frame(const LliCase *c)
{
    const Flow fl = { IPPROTO_TCP, "10.1.1.1", 1000, "10.2.2.2", c->dport };
    size_t hlen = QIOAT_NIC_ETH_HLEN + QIOAT_NIC_IP4_HLEN +
                  QIOAT_NIC_TCP_HLEN;
    Frame f;

    if (c->trigger == LLI_ETHERTYPE) {
        return eth_frame(c->len - QIOAT_NIC_ETH_HLEN);
    }
    f = with_tcp_flags(flow_frame_len(&fl, c->len - hlen), c->flags);
    f = tag_frame(&f, c->tag);
    g_assert_cmpuint(f.len, ==, c->len + (c->tag ? QIOAT_NIC_VLAN_HLEN : 0));
    return f;
}

/* Descriptor @idx of @rx written back; the virtual clock stands still. */
static QIoatNicRxWb rx_wait_clock_stopped(NicTest *t, QIoatNicRing *rx,
                                          unsigned idx)
{
    IoatPoll p = { .qts = qts(t), .sleep_us = 100 };
    QIoatNicRxWb wb;

    while (ioat_poll(&p)) {
        wb = rx_wb(t, rx, idx);
        if (wb.status & IOAT_NIC_RXD_STAT_DD) {
            return wb;
        }
    }
    g_error("RX queue %u descriptor %u never written back", rx->queue, idx);
}

/* The virtual clock; reading it through qtest moves it by 1 ns. */
static int64_t clock_ns(NicTest *t)
{
    return qtest_clock_step(qts(t), 1);
}

/*
 * RX queue 0 on LLI_VECTOR, moderated by EITR to an interval of
 * LLI_ITR_US, the trigger of @c set up.  The vector has just fired (a
 * cause through EICS), so its interval runs: the next interrupt is held
 * for it.  Returns the time it fired.
 */
static int64_t lli_setup(NicTest *t, const LliCase *c)
{
    Frame f = lli_frame(c);
    Fdir fd;

    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 0, false, LLI_VECTOR);
    wr(t, A_EIMS_EX0, 1u << LLI_VECTOR);
    ioat_nic_set_eitr(t->d, LLI_VECTOR, (LLI_ITR_US / 2) << 3);
    rx_queue(t, 0, RING_POSTED);

    switch (c->trigger) {
    case LLI_FIVE_TUPLE:
        /* Matching only: the frame stays on queue 0 either way */
        wr(t, A_LLITHRESH, FIELD_DP32(0, LLITHRESH, SIZE, c->llithresh));
        five_tuple_imir(t, 5, &lli_filter, 0, false,
                        IMIR(LLI, 1) | c->imir);
        break;
    case LLI_VLAN_PRIORITY:
        wr(t, A_IMIRVP, FIELD_DP32(R_IMIRVP_PRIORITY_EN_MASK, IMIRVP,
                                   PRIORITY, 5));
        break;
    case LLI_ETHERTYPE:
        wr(t, IOAT_NIC_ETQS(2), R_ETQS_LLI_MASK | R_ETQS_QUEUE_EN_MASK);
        wr(t, IOAT_NIC_ETQF(2), R_ETQF_FILTER_EN_MASK |
                                FIELD_DP32(0, ETQF, ETYPE, TEST_ETHERTYPE));
        break;
    case LLI_FDIR:
        fdir_filter_for(t, &fd, &f, 0, R_FDIRCMD_INT_MASK);
        break;
    }

    wr(t, A_EICS_EX0, 1u << LLI_VECTOR);
    g_assert_true(ioat_nic_msix_pending(t->d, LLI_VECTOR));
    ioat_nic_msix_clear(t->d, LLI_VECTOR);
    return clock_ns(t);
}

/*
 * A frame that triggers a low latency interrupt fires its vector as soon
 * as it is written back, within the EITR interval the vector's last
 * interrupt started (the clock has not moved), and its write-back has
 * LLINT (status bit 11).  A frame that does not waits for the interval
 * to end, its write-back without LLINT.
 */
static void test_lli(NicTest *t)
{
    const LliCase *c = t->arg;
    const int64_t interval = LLI_ITR_US * 1000;
    Frame f = lli_frame(c);
    int64_t fired = lli_setup(t, c);
    QIoatNicRxWb wb;

    inject(t, &f);
    wb = rx_wait_clock_stopped(t, t->rx[0], 0);
    g_assert_cmpuint(wb.length, ==, f.len);
    g_assert_cmpint(clock_ns(t) - fired, <, interval);
    g_assert_cmpint(ioat_nic_msix_pending(t->d, LLI_VECTOR), ==, c->at_once);
    g_assert_cmpint(!!(wb.status & IOAT_NIC_RXD_STAT_LLINT), ==, c->at_once);
    if (c->at_once) {
        return;
    }
    qtest_clock_step(qts(t), fired + interval - 20000 - clock_ns(t));
    g_assert_false(ioat_nic_msix_pending(t->d, LLI_VECTOR));
    qtest_clock_step(qts(t), 40000);
    g_assert_true(ioat_nic_msix_pending(t->d, LLI_VECTOR));
}

/*
 * Low latency interrupts need their enable: a 5-tuple filter that takes
 * the frame, without L34T_IMIR.LLI, leaves the vector to wait.
 */
static void test_lli_needs_enable(NicTest *t)
{
    const LliCase c = {
        "", LLI_FIVE_TUPLE, LLI_ANY, 0, 80, TCP_ACK, 200, 0, false
    };
    const int64_t interval = LLI_ITR_US * 1000;
    Frame f = lli_frame(&c);
    int64_t fired = lli_setup(t, &c);
    QIoatNicRxWb wb;

    five_tuple_imir(t, 5, &lli_filter, 0, true, LLI_ANY);
    inject(t, &f);
    wb = rx_wait_clock_stopped(t, t->rx[0], 0);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_LLINT);
    g_assert_false(ioat_nic_msix_pending(t->d, LLI_VECTOR));
    qtest_clock_step(qts(t), fired + interval + 20000 - clock_ns(t));
    g_assert_true(ioat_nic_msix_pending(t->d, LLI_VECTOR));
}

/*
 * The write-back of a frame that triggered a low latency interrupt has
 * LLINT (status bit 11); the next frame, which did not, has not.
 */
static void test_lli_write_back_llint(NicTest *t)
{
    const LliCase *c = &lli_cases[0];
    Frame f = lli_frame(c), g = lli_frame(&lli_cases[1]);
    QIoatNicRxWb wb;

    lli_setup(t, c);
    inject(t, &f);
    inject(t, &g);
    wb = rx_wait(t, t->rx[0], 0);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_LLINT);
    wb = rx_wait(t, t->rx[0], 1);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_LLINT);
}

/*
 * Registration, at most IOAT_QOS_MAX_TESTS_PER_NODE tests per area
 * (libqos/ioat-qos.h); the paths are
 * /x86_64/pc/i440FX-pcihost/pci-bus-pc/pci-bus/ioat-nic/AREA/AREA-tests/NAME
 * with AREA ioat-nic-fdir or ioat-nic-filters.
 */

static const NicTestCase fdir_tests[] = {
    { "fdir-hash-reproduces-ixgbe-vectors", test_fdir_hash_vectors },
    { "fdir-init-done-on-first-read", test_fdir_init_done_on_first_read },
    { "fdir-command-completes-in-write",
      test_fdir_command_completes_in_write },
    { "fdir-writeq-is-hash-then-command",
      test_fdir_writeq_is_hash_then_command },
    { "fdir-query-sets-filter-valid", test_fdir_query_sets_filter_valid },
    { "fdir-bucket-masked-by-pballoc", test_fdir_bucket_masked_by_pballoc },
    { "fdir-drop-to-disabled-queue", test_fdir_drop_to_disabled_queue },
    { "fdir-drop-to-enabled-queue-marks-error",
      test_fdir_drop_to_enabled_queue_marks_error },
    { "fdir-add-existing-without-update-collides",
      test_fdir_add_existing_collides },
    { "fdir-add-existing-with-update-replaces",
      test_fdir_add_with_update_replaces },
    { "fdir-identity-is-bucket-and-index",
      test_fdir_identity_is_bucket_and_index },
    { "fdir-full-thresh-raises-flow-dir",
      test_fdir_full_thresh_raises_flow_dir },
    { "fdir-free-counts-filters", test_fdir_free_counts_filters },
    { "fdir-ustat-read-to-clear", test_fdir_ustat_read_to_clear },
    { "fdir-fstat-read-to-clear", test_fdir_fstat_read_to_clear },
    { "fdir-len-longest-bucket-read-to-clear", test_fdir_len_longest_bucket },
    { "fdir-match-miss-read-to-clear", test_fdir_match_miss_read_to_clear },
    { "fdir-match-counts-a-held-frame-once",
      test_fdir_held_frame_counted_once },
    { "fdir-non-ip-frames-neither-match-nor-miss",
      test_fdir_non_ip_frames_not_counted },
    { "fdir-fdirctrl-rewrite-empties-table", test_fdir_reinit_empties_table },
    { "fdir-ctrl-rst-empties-table-and-masks",
      test_fdir_ctrl_rst_empties_table },
    { "fdir-command-after-pballoc-0-is-guest-error",
      test_fdir_command_after_pballoc_0 },
    { "fdir-remove-missing-filter-is-guest-error",
      test_fdir_remove_missing_filter },
    { "fdir-tunnel-filter-is-guest-error",
      test_fdir_tunnel_filter_is_guest_error },
    { "fdir-signature-v2-tagged-tcp6", test_fdir_signature_v2_tagged_tcp6 },
    { "fdir-signature-other-signature-in-bucket-misses",
      test_fdir_signature_mismatch_misses },
    { "fdir-signature-ignores-fdirhash-bit-31",
      test_fdir_signature_ignores_bit_31 },
    { "fdir-no-report-without-report-status",
      test_fdir_no_report_without_report_status },
    { "fdir-bucket-beyond-max-length-sets-error",
      test_fdir_bucket_beyond_max_length },
    { "fdir-migration-keeps-perfect-filters",
      test_fdir_migration_keeps_filters },
    { "fdir-migration-refuses-more-filters-than-fdirctrl-allows",
      test_fdir_migration_refuses_too_many_filters },
};

static const NicTestCase filters_tests[] = {
    { "five-tuple-higher-priority-wins",
      test_five_tuple_higher_priority_wins },
    { "five-tuple-equal-priority-lower-index-wins",
      test_five_tuple_equal_priority_lower_index_wins },
    { "five-tuple-ipv6-never-matches", test_five_tuple_ipv6_never_matches },
    { "five-tuple-queue-en-cleared-stops-it",
      test_five_tuple_queue_en_cleared_stops_it },
    { "five-tuple-migrates", test_five_tuple_migrates },
    { "synqfp-set-syn-filter-before-five-tuple",
      test_synqfp_set_syn_before_five_tuple },
    { "synqfp-clear-five-tuple-before-syn-filter",
      test_synqfp_clear_five_tuple_before_syn },
    { "precedence-ethertype-over-syn", test_precedence_ethertype_over_syn },
    { "precedence-ethertype-over-five-tuple",
      test_precedence_ethertype_over_five_tuple },
    { "precedence-ethertype-over-fdir", test_precedence_ethertype_over_fdir },
    { "precedence-ethertype-over-fdir-drop",
      test_precedence_ethertype_over_fdir_drop },
    { "precedence-syn-over-fdir", test_precedence_syn_over_fdir },
    { "precedence-five-tuple-over-fdir",
      test_precedence_five_tuple_over_fdir },
    { "precedence-fdir-over-rss", test_precedence_fdir_over_rss },
    { "lli-needs-l34t-imir-enable", test_lli_needs_enable },
    { "lli-write-back-has-llint", test_lli_write_back_llint },
};

static void register_ioat_nic_steer_tests(void)
{
    ioat_nic_add_tests(QIOAT_NIC_FDIR, fdir_tests, ARRAY_SIZE(fdir_tests));
    ioat_nic_add_cases(QIOAT_NIC_FDIR, perfect_cases, test_fdir_perfect);
    ioat_nic_add_cases(QIOAT_NIC_FDIR, mask_cases, test_fdir_mask);
    ioat_nic_add_cases(QIOAT_NIC_FDIR, full_cases, test_fdir_table_full);
    ioat_nic_add_cases(QIOAT_NIC_FDIR, signature_cases, test_fdir_signature);
    ioat_nic_add_cases(QIOAT_NIC_FDIR, report_cases, test_fdir_report_status);

    ioat_nic_add_tests(QIOAT_NIC_FILTERS, filters_tests,
                       ARRAY_SIZE(filters_tests));
    ioat_nic_add_cases(QIOAT_NIC_FILTERS, field_cases, test_five_tuple_field);
    ioat_nic_add_cases(QIOAT_NIC_FILTERS, protocol_cases,
                       test_five_tuple_protocol);
    ioat_nic_add_cases(QIOAT_NIC_FILTERS, fragment_cases,
                       test_five_tuple_fragment);
    ioat_nic_add_cases(QIOAT_NIC_FILTERS, syn_cases, test_syn_filter);
    ioat_nic_add_cases(QIOAT_NIC_FILTERS, lli_cases, test_lli);
}

libqos_init(register_ioat_nic_steer_tests);
