/*
 * Intel 82599 10 GbE controller (ioat-nic): receive path
 *
 * Filtering (datasheet 7.1.1), queue selection by EtherType filter and RSS
 * (7.1.2), advanced descriptors in one-buffer and header-split modes
 * (7.1.6, 7.1.10), checksum and VLAN offloads, and the write-back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <zlib.h>                   /* crc32() */
#include "qemu/log.h"
#include "qemu/iov.h"
#include "hw/pci/pci_device.h"
#include "net/checksum.h"
#include "net_rx_pkt.h"
#include "ioat_nic_rx.h"
#include "trace.h"

#define IOAT_NIC_MAX_FRAME          (16 * KiB)
#define IOAT_NIC_DEFAULT_MFS        1518
#define IOAT_NIC_MAX_HDR_BUF        1024
#define IOAT_NIC_HDR_LEN_MAX \
    (R_RXD_WB0_HDR_LEN_MASK >> R_RXD_WB0_HDR_LEN_SHIFT)

static void ioat_nic_rx_late_wb(void *opaque);

void ioat_nic_rx_init(IoatNicCore *core)
{
    net_rx_pkt_init(&core->rx_pkt);
    core->rx_scratch = g_malloc(IOAT_NIC_MAX_FRAME + ETH_FCS_LEN);
    ioat_nic_rsc_init(core);
    core->rx_late.timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ioat_nic_rx_late_wb,
                                       core);
}

void ioat_nic_rx_unrealize(IoatNicCore *core)
{
    timer_del(core->rx_late.timer);
    ioat_nic_rsc_unrealize(core);
}

/* Also for an instance that was never realized (finalize calls it). */
void ioat_nic_rx_uninit(IoatNicCore *core)
{
    ioat_nic_rsc_uninit(core);
    if (core->rx_late.timer) {
        timer_free(core->rx_late.timer);
        core->rx_late.timer = NULL;
    }
    if (core->rx_pkt) {
        net_rx_pkt_uninit(core->rx_pkt);
        core->rx_pkt = NULL;
    }
    g_free(core->rx_scratch);
    core->rx_scratch = NULL;
}

bool ioat_nic_rx_enabled(IoatNicCore *core)
{
    return FIELD_EX32(core->mac[R_RXCTRL], RXCTRL, RXEN);
}

/*
 * A tail move or a queue enable may make room for frames the backend
 * holds, if it was ever told no; flushing also wakes the main loop to
 * poll the backend again, which is not needed otherwise.
 */
static void ioat_nic_rx_flush(IoatNicCore *core)
{
    if (core->rx_refused && ioat_nic_rx_enabled(core)) {
        core->rx_refused = false;
        qemu_flush_queued_packets(qemu_get_queue(core->nic));
    }
}

/*
 * One descriptor's write-back by @d, queue @q's function: the low dwords
 * reach memory before the length and DD, which ixgbe takes as the
 * completion mark (7.1.6.2).
 */
static void ioat_nic_rx_store_wb(IoatNicCore *core, unsigned q, PCIDevice *d,
                                 const IoatNicRxWb *wb)
{
    uint64_t hi = cpu_to_le64(wb->hi);

    if (!wb->legacy) {
        ioat_nic_dma_write_desc(&core->rx_dma[q], d, wb->addr, wb->lo, wb->hi);
        return;
    }
    smp_mb_release();   /* the frame's data is in memory first */
    ioat_window_write(&core->rx_dma[q], d, wb->addr + 8, &hi, sizeof(hi));
}

/*
 * fault-rx-late-writeback: a frame's data is in its buffers and RDH has
 * moved past it, but its descriptors' write-back (DD, length) and the
 * interrupt come fault-rx-late-writeback-ms later.
 */
static void ioat_nic_rx_late_wb(void *opaque)
{
    IoatNicCore *core = opaque;
    IoatNicRxLateWb *late = &core->rx_late;

    trace_ioat_nic_fault_rx_late_wb_done(late->queue, late->ndesc);
    for (unsigned i = 0; i < late->ndesc; i++) {
        if (ioat_nic_gone(core)) {
            return;
        }
        ioat_nic_rx_store_wb(core, late->queue,
                             ioat_nic_queue_dev(core, late->queue, false),
                             &late->desc[i]);
    }
    late->ndesc = 0;
    ioat_nic_queue_event(core, late->queue, false, late->lli);
    ioat_nic_rx_flush(core);
}

void ioat_nic_rx_late_wb_start(IoatNicCore *core, unsigned queue, bool lli)
{
    IoatNicRxLateWb *late = &core->rx_late;

    late->queue = queue;
    late->lli = lli;
    trace_ioat_nic_fault_rx_late_wb(queue, late->ndesc,
                                    core->fault.rx_late_wb_ms);
    timer_mod(late->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              core->fault.rx_late_wb_ms * SCALE_MS);
}

/* A stopping VM (migration, savevm) gets the held write-back now. */
void ioat_nic_rx_vm_stopped(IoatNicCore *core)
{
    ioat_nic_rsc_vm_stopped(core);
    if (core->rx_late.ndesc) {
        timer_del(core->rx_late.timer);
        ioat_nic_rx_late_wb(core);
    }
}

/* A device reset loses a write-back still on its way. */
void ioat_nic_rx_reset(IoatNicCore *core)
{
    ioat_nic_rsc_reset(core);
    if (core->rx_late.timer) {
        timer_del(core->rx_late.timer);
    }
    core->rx_late.ndesc = 0;
}

void ioat_nic_write_rxctrl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    if (!FIELD_EX32(val, RXCTRL, RXEN)) {
        ioat_nic_rsc_close_all(core, "RXCTRL.RXEN");     /* first */
    }
    ioat_nic_reg_store(core, reg, addr, val);
    trace_ioat_nic_rx_enable(FIELD_EX32(val, RXCTRL, RXEN));
    ioat_nic_rx_flush(core);
}

void ioat_nic_write_rdt(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    trace_ioat_nic_rx_tail(n, ioat_nic_reg(core, addr));
    ioat_nic_rx_flush(core);
}

void ioat_nic_write_rxdctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    if (!FIELD_EX32(val, RXDCTL, ENABLE)) {
        ioat_nic_rsc_close_queue(core, n);      /* before it stops */
    }
    ioat_nic_reg_store(core, reg, addr, val);
    trace_ioat_nic_rx_queue_enable(n, FIELD_EX32(val, RXDCTL, ENABLE));
    ioat_nic_rx_flush(core);
}

/* Destination address filter (datasheet 7.1.1.1). */
static bool ioat_nic_rx_addr_match(IoatNicCore *core, const uint8_t *dst)
{
    uint32_t fctrl = core->mac[R_FCTRL];

    if (is_broadcast_ether_addr(dst)) {
        return FIELD_EX32(fctrl, FCTRL, BAM);
    }
    if (is_multicast_ether_addr(dst) && FIELD_EX32(fctrl, FCTRL, MPE)) {
        return true;
    }
    if (!is_multicast_ether_addr(dst) && FIELD_EX32(fctrl, FCTRL, UPE)) {
        return true;
    }
    for (unsigned n = 0; n < IOAT_NIC_NUM_RAR; n++) {
        if (ioat_nic_rar_match(core, n, dst)) {
            return true;
        }
    }
    return is_multicast_ether_addr(dst) &&
           FIELD_EX32(core->mac[R_MCSTCTRL], MCSTCTRL, MFE) &&
           ioat_nic_hash_hit(core, IOAT_NIC_MTA(0), dst);
}

/* VLAN filter: with VLNCTRL.VFE, tagged frames need their VFTA bit. */
static bool ioat_nic_rx_vlan_match(IoatNicCore *core, const uint8_t *frame,
                                   size_t len)
{
    uint16_t vet = FIELD_EX32(core->mac[R_VLNCTRL], VLNCTRL, VET);
    uint16_t vid;

    if (!FIELD_EX32(core->mac[R_VLNCTRL], VLNCTRL, VFE) ||
        len < ETH_HLEN + 4 || lduw_be_p(frame + 12) != vet) {
        return true;
    }
    vid = lduw_be_p(frame + 14) & 0xfff;
    return ioat_nic_reg(core, IOAT_NIC_VFTA(vid >> 5)) & (1u << (vid & 31));
}

static void ioat_nic_rss_key(IoatNicCore *core, uint8_t key[40])
{
    /* RSSRK(i) holds key bytes 4i..4i+3, byte 4i in bits 7:0. */
    for (unsigned i = 0; i < 10; i++) {
        uint32_t rk = ioat_nic_reg(core, IOAT_NIC_RSSRK(i));

        for (unsigned b = 0; b < 4; b++) {
            key[4 * i + b] = extract32(rk, 8 * b, 8);
        }
    }
}

/*
 * The hash types MRQC can enable, in the order the hardware picks one
 * (datasheet 7.1.2.8.1): a TCP or UDP hash needs an unfragmented packet.
 */
static const struct {
    bool ipv6;
    EthL4HdrProto l4;       /* ETH_L4_HDR_PROTO_INVALID: any packet */
    uint32_t mrqc;
    NetRxPktRssType hash;
    uint8_t rss_type;       /* as the write-back reports it */
} ioat_nic_rss_types[] = {
    { false, ETH_L4_HDR_PROTO_TCP, R_MRQC_TCPIPV4_MASK, NetPktRssIpV4Tcp,
      IOAT_NIC_RSS_TYPE_IPV4_TCP },
    { false, ETH_L4_HDR_PROTO_UDP, R_MRQC_UDPIPV4_MASK, NetPktRssIpV4Udp,
      IOAT_NIC_RSS_TYPE_IPV4_UDP },
    { false, ETH_L4_HDR_PROTO_INVALID, R_MRQC_IPV4_MASK, NetPktRssIpV4,
      IOAT_NIC_RSS_TYPE_IPV4 },
    { true, ETH_L4_HDR_PROTO_TCP, R_MRQC_TCPIPV6_MASK, NetPktRssIpV6Tcp,
      IOAT_NIC_RSS_TYPE_IPV6_TCP },
    { true, ETH_L4_HDR_PROTO_UDP, R_MRQC_UDPIPV6_MASK, NetPktRssIpV6Udp,
      IOAT_NIC_RSS_TYPE_IPV6_UDP },
    { true, ETH_L4_HDR_PROTO_INVALID, R_MRQC_IPV6_MASK, NetPktRssIpV6,
      IOAT_NIC_RSS_TYPE_IPV6 },
};

/* Is the parsed frame an IP fragment? */
static bool ioat_nic_rx_is_fragment(struct NetRxPkt *pkt, bool ip4, bool ip6)
{
    if (ip4) {
        return net_rx_pkt_get_ip4_info(pkt)->fragment;
    }
    return ip6 && net_rx_pkt_get_ip6_info(pkt)->fragment;
}

/* RSS hash and type of the parsed frame (datasheet 7.1.2.8). */
static void ioat_nic_rss(IoatNicCore *core, IoatNicRxFrame *f)
{
    uint32_t mrqc = core->mac[R_MRQC];
    struct NetRxPkt *pkt = core->rx_pkt;
    bool ip4, ip6, frag;
    EthL4HdrProto l4;
    uint8_t key[40];

    f->rss_type = IOAT_NIC_RSS_TYPE_NONE;
    f->rss_hash = 0;
    if (FIELD_EX32(mrqc, MRQC, MRQE) != IOAT_NIC_MRQE_RSS) {
        return;
    }
    net_rx_pkt_get_protocols(pkt, &ip4, &ip6, &l4);
    frag = ioat_nic_rx_is_fragment(pkt, ip4, ip6);
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_rss_types); i++) {
        bool l4_hash = ioat_nic_rss_types[i].l4 != ETH_L4_HDR_PROTO_INVALID;

        if (!(ioat_nic_rss_types[i].ipv6 ? ip6 : ip4) ||
            (l4_hash && (frag || l4 != ioat_nic_rss_types[i].l4)) ||
            !(mrqc & ioat_nic_rss_types[i].mrqc)) {
            continue;
        }
        ioat_nic_rss_key(core, key);
        f->rss_type = ioat_nic_rss_types[i].rss_type;
        f->rss_hash = net_rx_pkt_calc_rss_hash(pkt, ioat_nic_rss_types[i].hash,
                                               key);
        return;
    }
}

/* The fields the queue filters match on, from the parsed frame. */
static void ioat_nic_rx_tuple(IoatNicCore *core, const IoatNicRxFrame *f,
                              IoatNicRxTuple *t)
{
    struct NetRxPkt *pkt = core->rx_pkt;
    size_t l4 = net_rx_pkt_get_l4_hdr_offset(pkt);

    memset(t, 0, sizeof(*t));
    t->frame = f->data;
    t->len = f->len;
    t->tagged = f->tagged;
    t->tci = f->tagged ? lduw_be_p(f->data + 14) : 0;
    t->etype = lduw_be_p(f->data + (f->tagged ? 16 : 12));
    net_rx_pkt_get_protocols(pkt, &t->ip4, &t->ip6, &t->l4);
    t->frag = ioat_nic_rx_is_fragment(pkt, t->ip4, t->ip6);
    if (t->ip4) {
        const struct ip_header *ip = &net_rx_pkt_get_ip4_info(pkt)->ip4_hdr;

        t->src = (const uint8_t *)&ip->ip_src;
        t->dst = (const uint8_t *)&ip->ip_dst;
    } else if (t->ip6) {
        const struct ip6_header *ip6 = &net_rx_pkt_get_ip6_info(pkt)->ip6_hdr;

        t->src = (const uint8_t *)&ip6->ip6_src;
        t->dst = (const uint8_t *)&ip6->ip6_dst;
    }
    if (!t->frag && t->l4 != ETH_L4_HDR_PROTO_INVALID && l4 + 4 <= f->len) {
        t->sport = lduw_be_p(f->data + l4);
        t->dport = lduw_be_p(f->data + l4 + 2);
    }
    if (!t->frag && t->l4 == ETH_L4_HDR_PROTO_TCP &&
        l4 + sizeof(struct tcp_header) <= f->len) {
        t->tcp_flags = f->data[l4 + offsetof(struct tcp_header,
                                             th_offset_flags) + 1];
    }
}

/*
 * Queue selection (7.1.2): the queue filters in their order of
 * precedence, then the RSS redirection table (7.1.2.8.3), whose 128
 * entries hold 4-bit queue numbers.  Frames RSS does not hash have hash
 * 0 and so take RETA entry 0.
 */
static unsigned ioat_nic_select_queue(IoatNicCore *core, IoatNicRxFrame *f)
{
    IoatNicRxTuple t;
    unsigned entry;

    ioat_nic_rx_tuple(core, f, &t);
    ioat_nic_filter_steer(core, &t, &f->steer);
    if (f->steer.steered) {
        return f->steer.queue;
    }
    if (FIELD_EX32(core->mac[R_MRQC], MRQC, MRQE) != IOAT_NIC_MRQE_RSS) {
        return 0;
    }
    entry = f->rss_hash & 0x7f;
    return extract32(ioat_nic_reg(core, IOAT_NIC_RETA(entry / 4)),
                     8 * (entry % 4), 4);
}

/*
 * Header split (datasheet 7.1.10): the split point is the start of the
 * L5 payload for TCP and UDP, or of the L4 header for other IP packets,
 * as far as PSRTYPE allows.  Fragments split after the IP header.
 */
static void ioat_nic_split_point(IoatNicCore *core, IoatNicRxFrame *f,
                                 unsigned q, size_t hdr_buf)
{
    uint32_t psrtype = ioat_nic_reg(core, IOAT_NIC_PSRTYPE(q));
    bool desctype_always = FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_SRRCTL(q)),
                                      SRRCTL, DESCTYPE) ==
                           IOAT_NIC_DESCTYPE_SPLIT_ALWAYS;
    bool ip4, ip6, frag;
    EthL4HdrProto l4;
    size_t split = 0;

    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    frag = ioat_nic_rx_is_fragment(core->rx_pkt, ip4, ip6);
    if (!frag && l4 == ETH_L4_HDR_PROTO_TCP &&
        (psrtype & IOAT_NIC_PSRTYPE_TCPHDR)) {
        split = net_rx_pkt_get_l5_hdr_offset(core->rx_pkt);
    } else if (!frag && l4 == ETH_L4_HDR_PROTO_UDP &&
               (psrtype & IOAT_NIC_PSRTYPE_UDPHDR)) {
        split = net_rx_pkt_get_l5_hdr_offset(core->rx_pkt);
    } else if ((ip4 && (psrtype & IOAT_NIC_PSRTYPE_IPV4HDR)) ||
               (ip6 && (psrtype & IOAT_NIC_PSRTYPE_IPV6HDR))) {
        split = net_rx_pkt_get_l4_hdr_offset(core->rx_pkt);
    }
    if (split > ioat_nic_rx_frame_len(f)) {
        split = 0;                  /* never into the CRC */
    }

    if (split && split <= hdr_buf) {
        f->sph = true;
        f->hdr_len = split;
        return;
    }
    f->hbo = split > hdr_buf;
    /*
     * Unsplittable, or header too large: one-buffer layout, except that
     * "always split" still fills the header buffer first.
     */
    f->hdr_len = desctype_always ? MIN(f->len, hdr_buf) : 0;
    trace_ioat_nic_rx_no_split(q, split, hdr_buf);
}

static uint32_t ioat_nic_rx_status(IoatNicCore *core, IoatNicRxFrame *f,
                                   uint16_t *pkt_type)
{
    struct NetRxPkt *pkt = core->rx_pkt;
    uint32_t status = 0;
    bool ip4, ip6, valid;
    EthL4HdrProto l4;

    *pkt_type = 0;
    net_rx_pkt_get_protocols(pkt, &ip4, &ip6, &l4);
    /*
     * A coalesced frame (7.11.4): every segment's checksums were good,
     * its IP header checksum is new, its TCP checksum is not recomputed.
     */
    if (f->rsc) {
        *pkt_type = IOAT_NIC_PKT_TYPE_IPV4 | IOAT_NIC_PKT_TYPE_TCP;
        status = IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_STAT_L4CS;
    } else if (ip4) {
        *pkt_type |= IOAT_NIC_PKT_TYPE_IPV4;
        if (net_rx_pkt_validate_l3_csum(pkt, &valid)) {
            status |= IOAT_NIC_RXD_STAT_IPCS |
                      (valid ? 0 : IOAT_NIC_RXD_ERR_IPE);
        }
    } else if (ip6) {
        *pkt_type |= net_rx_pkt_get_ip6_info(pkt)->has_ext_hdrs ?
                     IOAT_NIC_PKT_TYPE_IPV6_EX : IOAT_NIC_PKT_TYPE_IPV6;
    }
    if (!f->rsc && (ip4 || ip6) && (l4 == ETH_L4_HDR_PROTO_TCP ||
                                    l4 == ETH_L4_HDR_PROTO_UDP)) {
        *pkt_type |= l4 == ETH_L4_HDR_PROTO_TCP ? IOAT_NIC_PKT_TYPE_TCP
                                                : IOAT_NIC_PKT_TYPE_UDP;
        if (net_rx_pkt_validate_l4_csum(pkt, &valid)) {
            status |= IOAT_NIC_RXD_STAT_L4CS |
                      (valid ? 0 : IOAT_NIC_RXD_ERR_TCPE);
            if (l4 == ETH_L4_HDR_PROTO_UDP) {
                status |= IOAT_NIC_RXD_STAT_UDPCS;
            }
        }
    }
    /* Injected: the checksum the MAC checked reads as wrong. */
    if ((status & (IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_STAT_L4CS)) &&
        ioat_nic_fault_hits(&core->fault.rx_checksum)) {
        status |= status & IOAT_NIC_RXD_STAT_L4CS ? IOAT_NIC_RXD_ERR_TCPE
                                                  : IOAT_NIC_RXD_ERR_IPE;
        trace_ioat_nic_fault_rx_checksum(f->len);
    }
    /* XEC counts IPv4, TCP and UDP checksum errors (8.2.3.23). */
    if (status & (IOAT_NIC_RXD_ERR_TCPE | IOAT_NIC_RXD_ERR_IPE)) {
        ioat_nic_stat_inc(core, A_XEC);
    }
    if (f->vlan_stripped) {
        status |= IOAT_NIC_RXD_STAT_VP;
    }
    if (f->hbo) {
        status |= IOAT_NIC_RXD_ERR_HBO;
    }
    if (f->steer.fdir_match) {
        status |= IOAT_NIC_RXD_STAT_FLM;
    }
    if (f->steer.lli) {
        status |= IOAT_NIC_RXD_STAT_LLINT;
    }
    return status | f->steer.err;
}

unsigned ioat_nic_rx_ring_size(IoatNicCore *core, unsigned q)
{
    return ioat_nic_reg(core, IOAT_NIC_RDLEN(q)) / IOAT_NIC_DESC_SIZE;
}

/* Descriptors the guest has handed over: from RDH up to, not incl., RDT. */
unsigned ioat_nic_rx_free(IoatNicCore *core, unsigned q)
{
    unsigned n = ioat_nic_rx_ring_size(core, q);
    unsigned head = ioat_nic_reg(core, IOAT_NIC_RDH(q));
    unsigned tail = ioat_nic_reg(core, IOAT_NIC_RDT(q));

    if (!n) {
        return 0;
    }
    if (head >= n || tail >= n) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_ring_index,
                           "RX queue %u: RDH %u or RDT %u beyond the "
                           "%u-entry ring",
                           q, head, tail, n);
        return 0;
    }
    return (tail + n - head) % n;
}

static dma_addr_t ioat_nic_rx_desc_addr(IoatNicCore *core, unsigned q,
                                        unsigned idx)
{
    return (((uint64_t)ioat_nic_reg(core, IOAT_NIC_RDBAH(q)) << 32) |
            ioat_nic_reg(core, IOAT_NIC_RDBAL(q))) +
           idx * IOAT_NIC_DESC_SIZE;
}

size_t ioat_nic_rx_bufsize(IoatNicCore *core, unsigned q)
{
    unsigned kb = FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_SRRCTL(q)),
                             SRRCTL, BSIZEPKT);

    /* 0 selects the RXCTRL default of 2 KiB (8.2.3.8.7). */
    return (kb ? kb : 2) * KiB;
}

/*
 * The fragment checksum (7.1.5, 7.1.6.2): the folded ones' complement sum
 * of the frame from byte RXCSUM.PCSS on, for software to finish.
 */
static uint16_t ioat_nic_rx_fragment_csum(IoatNicCore *core,
                                          const IoatNicRxFrame *f)
{
    size_t pcss = FIELD_EX32(core->mac[R_RXCSUM], RXCSUM, PCSS);
    size_t len = ioat_nic_rx_frame_len(f);

    if (pcss >= len) {
        return 0;
    }
    return ~net_checksum_finish(net_checksum_add(len - pcss,
                                                 (uint8_t *)f->data + pcss));
}

/*
 * The legacy write-back (7.1.5): length, fragment checksum, status and
 * error bytes and the stripped tag in the second quadword; the buffer
 * address stays.
 */
static uint64_t ioat_nic_rx_legacy_wb(IoatNicCore *core, IoatNicRxFrame *f,
                                      uint32_t stat, size_t chunk)
{
    uint64_t errors = (stat >> 24) & (IOAT_NIC_RXD_ERR_TCPE >> 24 |
                                      IOAT_NIC_RXD_ERR_IPE >> 24);

    return chunk | (uint64_t)ioat_nic_rx_fragment_csum(core, f) << 16 |
           (uint64_t)(stat & 0xff) << 32 | errors << 40 |
           (uint64_t)(f->vlan_stripped ? f->vlan_tci : 0) << 48;
}

/* Injected: @f's write-back waits in the device (ioat_nic_rx_late_wb()). */
static void ioat_nic_rx_hold_wb(IoatNicCore *core, const IoatNicRxWb *wb)
{
    IoatNicRxLateWb *late = &core->rx_late;

    assert(late->ndesc < IOAT_NIC_RX_MAX_FRAME_DESC);
    late->desc[late->ndesc++] = *wb;
}

/*
 * Write the frame into descriptors from RDH on, each write-back through
 * ioat_nic_rx_store_wb() (or held back by fault-rx-late-writeback).
 */
bool ioat_nic_rx_write(IoatNicCore *core, IoatNicRxFrame *f)
{
    unsigned q = f->queue;
    PCIDevice *d = ioat_nic_queue_dev(core, q, false);
    unsigned n = ioat_nic_rx_ring_size(core, q);
    unsigned head = ioat_nic_reg(core, IOAT_NIC_RDH(q));
    size_t bufsize = ioat_nic_rx_bufsize(core, q);
    size_t done = 0;
    bool split = f->split;
    uint16_t pkt_type;
    uint32_t status = ioat_nic_rx_status(core, f, &pkt_type);
    bool pcsd = FIELD_EX32(core->mac[R_RXCSUM], RXCSUM, PCSD);
    uint32_t dw1 = f->rss_hash;
    uint8_t rss_type = f->rss_type;

    /*
     * DW1 (7.1.6.2): with RXCSUM.PCSD the RSS hash, or a Flow Director
     * match's ID; without it the IP identification and fragment checksum.
     */
    if (pcsd && f->steer.fdir_match) {
        dw1 = f->steer.fdir_id;
        rss_type = IOAT_NIC_RSS_TYPE_FDIR;
    } else if (!pcsd) {
        dw1 = net_rx_pkt_get_ip_id(core->rx_pkt) |
              (uint32_t)ioat_nic_rx_fragment_csum(core, f) << 16;
    }

    for (unsigned i = 0; i < f->ndesc; i++) {
        dma_addr_t daddr = ioat_nic_rx_desc_addr(core, q, head);
        IoatNicRxDescRead rd;
        IoatNicRxWb wb = { };
        size_t hdr = 0, chunk;
        uint32_t dw0, stat;

        if (ioat_nic_gone(core)) {
            return false;   /* the last write unplugged us */
        }
        if (ioat_window_read(&core->rx_dma[q], d, daddr, &rd, sizeof(rd)) !=
            MEMTX_OK) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_desc_dma,
                               "RX queue %u: descriptor %u at 0x%" PRIx64
                               " is not readable", q, head, daddr);
            return false;
        }
        rd.pkt_addr = le64_to_cpu(rd.pkt_addr);
        rd.hdr_addr = le64_to_cpu(rd.hdr_addr);

        if (split && i == 0 && f->hdr_len) {
            hdr = f->hdr_len;
            if (ioat_window_write(&core->rx_dma[q], d, rd.hdr_addr, f->data,
                                  hdr) != MEMTX_OK) {
                IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_buf_dma,
                                   "RX queue %u: descriptor %u header buffer "
                                   "0x%" PRIx64 " is not writable", q, head,
                                   rd.hdr_addr);
            }
            done = hdr;
        }
        chunk = MIN(f->len - done, bufsize);
        if (chunk && ioat_window_write(&core->rx_dma[q], d, rd.pkt_addr,
                                       f->data + done, chunk) != MEMTX_OK) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_buf_dma,
                               "RX queue %u: descriptor %u packet buffer 0x%"
                               PRIx64 " is not writable", q, head, rd.pkt_addr);
        }
        done += chunk;

        dw0 = FIELD_DP32(0, RXD_WB0, RSS_TYPE, rss_type);
        dw0 = FIELD_DP32(dw0, RXD_WB0, PKT_TYPE, pkt_type);
        if (split && i == 0) {
            dw0 = FIELD_DP32(dw0, RXD_WB0, HDR_LEN, f->sph ? f->hdr_len : hdr);
            dw0 = FIELD_DP32(dw0, RXD_WB0, SPH, f->sph);
        }
        stat = status | IOAT_NIC_RXD_STAT_DD;
        if (done == f->len) {
            stat |= IOAT_NIC_RXD_STAT_EOP;
        }
        /*
         * A coalesced frame (7.1.6.2): RSCCNT in every descriptor; before
         * EOP, NEXTP (the next descriptor's index) replaces status bits
         * 19:4 and the errors.
         */
        if (f->rsc) {
            dw0 = FIELD_DP32(dw0, RXD_WB0, RSCCNT, f->rsccnt[i]);
            if (!(stat & IOAT_NIC_RXD_STAT_EOP)) {
                stat = (stat & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_FLM |
                                IOAT_NIC_RXD_STAT_VP)) |
                       ((head + 1) % n) << IOAT_NIC_RXD_NEXTP_SHIFT;
            }
        }
        wb.addr = daddr;
        wb.legacy = f->legacy;
        if (f->legacy) {
            wb.hi = ioat_nic_rx_legacy_wb(core, f, stat, chunk);
        } else {
            wb.lo = dw0 | (uint64_t)dw1 << 32;
            wb.hi = stat | ((uint64_t)chunk << 32) |
                    ((uint64_t)(f->vlan_stripped ? f->vlan_tci : 0) << 48);
        }
        if (f->late_wb) {
            ioat_nic_rx_hold_wb(core, &wb);
        } else {
            ioat_nic_rx_store_wb(core, q, d, &wb);
        }
        head = (head + 1) % n;
        *ioat_nic_regp(core, IOAT_NIC_RDH(q)) = head;
    }
    return true;
}

static void ioat_nic_rx_count(IoatNicCore *core, IoatNicRxFrame *f)
{
    size_t octets = ioat_nic_rx_frame_len(f) + (f->vlan_stripped ? 4 : 0) +
                    ETH_FCS_LEN;

    if (f->pool >= 0) {
        ioat_nic_pool_count_rx(core, f->pool, octets,
                               is_multicast_ether_addr(f->data));
    }
    /* The DMA counts each copy it writes to host memory. */
    ioat_nic_stat_inc(core, A_RXDGPC);
    ioat_nic_stat_add36(&core->rxdgbc, octets);
    if (f->replica) {
        return;         /* the MAC counted the frame once */
    }
    ioat_nic_stat_inc(core, A_GPRC);
    ioat_nic_stat_inc(core, A_TPR);
    ioat_nic_stat_size(core, A_PRC64, octets);
    ioat_nic_stat_add36(&core->gorc, octets);
    ioat_nic_stat_add36(&core->tor, octets);
    if (is_broadcast_ether_addr(f->data)) {
        ioat_nic_stat_inc(core, A_BPRC);
    } else if (is_multicast_ether_addr(f->data)) {
        ioat_nic_stat_inc(core, A_MPRC);
    }
    /* Queue counters use the RQSMR mapping; unprogrammed, all map to 0. */
    ioat_nic_stat_inc(core, IOAT_NIC_QPRC(0));
    ioat_nic_stat_add36(&core->qbrc[0], octets);
}

/* Done with @f: its buffer goes back (ioat_nic_rx_accept()). */
static void ioat_nic_rx_put_buf(IoatNicCore *core, IoatNicRxFrame *f)
{
    if (f->scratch) {
        core->rx_scratch_busy = false;
    } else {
        g_free(f->buf);
    }
    f->buf = NULL;
}

/*
 * Accept: the frame passes the address and VLAN filters (7.1.1) and the
 * length limit, MAXFRS with HLREG0.JUMBOEN or 1518 bytes otherwise, FCS
 * included (8.2.3.22.13); shorter than the minimum, see ioat_nic_rx_runt().
 * Taken (or dropped by a filter after it was copied), the frame is in
 * f->buf, zero-padded to ETH_ZLEN with room for the CRC, until
 * ioat_nic_rx_put_buf(), which the caller calls either way.
 */
static bool ioat_nic_rx_accept(IoatNicCore *core, const struct iovec *iov,
                               int iovcnt, size_t size, IoatNicRxFrame *f)
{
    size_t max_len, room = MAX(size, ETH_ZLEN) + ETH_FCS_LEN;

    if (!ioat_nic_rx_enabled(core)) {
        trace_ioat_nic_rx_disabled(size);
        return false;
    }
    /* Injected: the MAC drops bad frames and counts them (8.2.3.23). */
    if (ioat_nic_fault_hits(&core->fault.rx_crc)) {
        trace_ioat_nic_fault_rx_crc(size);
        ioat_nic_stat_inc(core, A_CRCERRS);
        return false;
    }
    if (ioat_nic_fault_hits(&core->fault.rx_length)) {
        trace_ioat_nic_fault_rx_length(size);
        ioat_nic_stat_inc(core, A_RLEC);
        return false;
    }
    if (size > IOAT_NIC_MAX_FRAME) {
        trace_ioat_nic_rx_oversize(size, IOAT_NIC_MAX_FRAME);
        ioat_nic_stat_inc(core, A_ROC);
        return false;
    }
    if (!core->rx_scratch_busy) {
        core->rx_scratch_busy = f->scratch = true;
        f->buf = core->rx_scratch;
        memset(f->buf + size, 0, room - size);
    } else {
        f->buf = g_malloc0(room);
    }
    iov_to_buf(iov, iovcnt, 0, f->buf, size);
    f->data = f->buf;
    f->len = MAX(size, ETH_ZLEN);
    f->tagged = lduw_be_p(f->buf + 12) ==
                FIELD_EX32(core->mac[R_VLNCTRL], VLNCTRL, VET) &&
                f->len >= ETH_HLEN + 4;

    /* With pools, the address filter is the pools' (ioat_nic_rx_pools()) */
    if ((!ioat_nic_vt_enabled(core) && !ioat_nic_rx_addr_match(core, f->buf)) ||
        !ioat_nic_rx_vlan_match(core, f->buf, f->len)) {
        trace_ioat_nic_rx_filtered(size);
        return false;
    }
    max_len = FIELD_EX32(core->mac[R_HLREG0], HLREG0, JUMBOEN) ?
              FIELD_EX32(core->mac[R_MAXFRS], MAXFRS, MFS) :
              IOAT_NIC_DEFAULT_MFS;
    if (f->tagged) {
        max_len += 4;
    }
    if (f->len + ETH_FCS_LEN > max_len) {
        trace_ioat_nic_rx_oversize(f->len, max_len);
        ioat_nic_stat_inc(core, A_ROC);
        return false;
    }
    /*
     * HLREG0.RXCRCSTRP clear: the frame's CRC, which QEMU's netdevs do
     * not carry, is computed and stored after it (the CRC of the frame on
     * the wire, before any VLAN strip); ioat_nic_rx_deliver() counts it
     * in the length written.
     */
    if (!FIELD_EX32(core->mac[R_HLREG0], HLREG0, RXCRCSTRP)) {
        stl_le_p(f->buf + f->len, crc32(0, f->buf, f->len));
        f->fcs = true;
    }
    return true;
}

void ioat_nic_rx_parse(IoatNicCore *core, IoatNicRxFrame *f)
{
    struct iovec fiov = { .iov_base = (void *)f->data, .iov_len = f->len };

    /* Attaching parses the headers too (net_rx_pkt_pull_data()) */
    net_rx_pkt_attach_iovec(core->rx_pkt, &fiov, 1, 0, false);
}

/* Classify: parse the headers, hash, and pick the queue (7.1.2). */
static void ioat_nic_rx_classify(IoatNicCore *core, IoatNicRxFrame *f)
{
    ioat_nic_rx_parse(core, f);
    ioat_nic_rss(core, f);
    f->queue = ioat_nic_select_queue(core, f);
}

/* The chosen queue must be enabled and have a ring (8.2.3.8.10). */
static bool ioat_nic_rx_queue_ready(IoatNicCore *core, IoatNicRxFrame *f)
{
    unsigned q = f->queue;

    if (!FIELD_EX32(ioat_nic_reg(core, IOAT_NIC_RXDCTL(q)), RXDCTL, ENABLE) ||
        !ioat_nic_rx_ring_size(core, q)) {
        trace_ioat_nic_rx_queue_disabled(q, f->len);
        ioat_nic_stat_inc(core, IOAT_NIC_MPC(0));
        ioat_nic_stat_inc(core, A_GPRC);
        return false;
    }
    return true;
}

/* VLAN strip per queue (RXDCTL.VME), tag ethertype VLNCTRL.VET (7.4.5). */
static void ioat_nic_rx_strip_vlan(IoatNicCore *core, IoatNicRxFrame *f)
{
    uint32_t rxdctl = ioat_nic_reg(core, IOAT_NIC_RXDCTL(f->queue));

    if (!f->tagged || !FIELD_EX32(rxdctl, RXDCTL, VME)) {
        return;
    }
    f->vlan_tci = lduw_be_p(f->buf + 14);
    f->vlan_stripped = true;
    memmove(f->buf + 4, f->buf, 12);
    f->data = f->buf + 4;
    f->len -= 4;
    ioat_nic_rx_parse(core, f);
}

/*
 * Lay out: the queue's descriptor type decides whether a header buffer
 * takes the headers (7.1.10), and the buffer sizes how many descriptors
 * the frame needs.
 */
static bool ioat_nic_rx_layout(IoatNicCore *core, IoatNicRxFrame *f)
{
    unsigned q = f->queue;
    uint32_t srrctl = ioat_nic_reg(core, IOAT_NIC_SRRCTL(q));

    switch (FIELD_EX32(srrctl, SRRCTL, DESCTYPE)) {
    case IOAT_NIC_DESCTYPE_LEGACY:
        f->legacy = true;
        break;
    case IOAT_NIC_DESCTYPE_ONEBUF:
        break;
    case IOAT_NIC_DESCTYPE_HDR_SPLIT:
    case IOAT_NIC_DESCTYPE_SPLIT_ALWAYS:
        f->split = true;
        f->hdr_buf = FIELD_EX32(srrctl, SRRCTL, BSIZEHDR) * 64;
        /* Header buffers are 64 to 1024 bytes (8.2.3.8.7, BSIZEHDR). */
        if (!f->hdr_buf || f->hdr_buf > IOAT_NIC_MAX_HDR_BUF) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_bsizehdr,
                               "RX queue %u: header split with a %zu byte "
                               "header buffer (SRRCTL.BSIZEHDR); using %u",
                               q, f->hdr_buf,
                               f->hdr_buf ? IOAT_NIC_MAX_HDR_BUF : 0);
            f->hdr_buf = MIN(f->hdr_buf, IOAT_NIC_MAX_HDR_BUF);
        }
        /*
         * HDR_LEN has 10 bits (7.1.6.2): at most 1023 bytes go to a
         * 1 KiB header buffer, so that HDR_LEN + PKT_LEN is the frame.
         */
        ioat_nic_split_point(core, f, q,
                             MIN(f->hdr_buf, IOAT_NIC_HDR_LEN_MAX));
        break;
    default:
        IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_desctype,
                           "RX queue %u: SRRCTL.DESCTYPE %u is not supported; "
                           "frame dropped", q,
                           (unsigned)FIELD_EX32(srrctl, SRRCTL, DESCTYPE));
        return false;
    }
    f->ndesc = ioat_nic_rx_ndesc(core, f, f->len);
    return true;
}

/* Descriptors @f would take with @len bytes, headers laid out as now. */
unsigned ioat_nic_rx_ndesc(IoatNicCore *core, const IoatNicRxFrame *f,
                           size_t len)
{
    return MAX(DIV_ROUND_UP(len - f->hdr_len,
                            ioat_nic_rx_bufsize(core, f->queue)), 1);
}

typedef enum IoatNicRxRoom {
    IOAT_NIC_RX_ROOM,               /* descriptors are there */
    IOAT_NIC_RX_HOLD,               /* none: keep the frame queued */
    IOAT_NIC_RX_DROP,               /* none: drop it (SRRCTL.DROP_EN) */
} IoatNicRxRoom;

/*
 * Reserve: without enough descriptors the frame waits for the guest to
 * move RDT, unless the queue drops (SRRCTL.DROP_EN) or the frame comes
 * from our own transmit path, which cannot wait (7.1.2.9 missed packets).
 */
static IoatNicRxRoom ioat_nic_rx_reserve(IoatNicCore *core, IoatNicRxFrame *f,
                                         bool loopback)
{
    unsigned q = f->queue;
    unsigned free = ioat_nic_rx_free(core, q);
    unsigned n = ioat_nic_rx_ring_size(core, q);
    unsigned reserved = ioat_nic_rsc_reserved(core, q);
    bool drop;

    /* Open coalescing contexts own descriptors; closed, they make room. */
    if (reserved && free < reserved + f->ndesc) {
        ioat_nic_rsc_close_queue(core, q);
        if (ioat_nic_gone(core)) {
            return IOAT_NIC_RX_DROP;
        }
        free = ioat_nic_rx_free(core, q);
    }
    if (free >= f->ndesc) {
        return IOAT_NIC_RX_ROOM;
    }
    drop = loopback || ioat_nic_queue_drops(core, q);
    /* A ring holds n - 1 buffers at most: holding would stall the queue. */
    if (n && f->ndesc > n - 1) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_rx_ring_too_small,
                           "RX queue %u: a %zu byte frame needs %u "
                           "descriptors, more than the %u-entry ring can "
                           "ever hold; dropped", q, f->len, f->ndesc, n);
        drop = true;
    }
    trace_ioat_nic_rx_no_descriptors(q, f->ndesc, free, drop);
    if (!drop) {
        return IOAT_NIC_RX_HOLD;
    }
    ioat_nic_stat_inc(core, IOAT_NIC_MPC(0));
    ioat_nic_stat_inc(core, A_GPRC);
    if (q < IOAT_NIC_NUM_STAT_QUEUES) {
        ioat_nic_stat_inc(core, IOAT_NIC_QPRDC(q));
    }
    return IOAT_NIC_RX_DROP;
}

/*
 * After classification: strip, lay out, reserve, then write, count and
 * raise.  Returns @size when the frame was delivered or dropped, 0 when
 * the queue has no room and the frame should be held.
 */
static ssize_t ioat_nic_rx_deliver(IoatNicCore *core, IoatNicRxFrame *f,
                                   size_t size, bool loopback)
{
    IoatNicRxRoom room;

    /*
     * Injected: behind a late write-back, frames wait (write-backs stay in
     * order); our own transmit path cannot wait and misses them.
     */
    if (core->rx_late.ndesc) {
        if (!loopback) {
            return 0;
        }
        ioat_nic_stat_inc(core, IOAT_NIC_MPC(0));
        return size;
    }
    if (!ioat_nic_rx_queue_ready(core, f)) {
        return size;
    }
    ioat_nic_rx_strip_vlan(core, f);
    if (f->fcs) {
        f->len += ETH_FCS_LEN;      /* the CRC moved with the frame's end */
    }
    if (!ioat_nic_rx_layout(core, f)) {
        return size;
    }
    if (ioat_nic_rsc_ctl(core, f->queue) &&
        ioat_nic_rsc_receive(core, f) == IOAT_NIC_RSC_TAKEN) {
        ioat_nic_rx_count(core, f);     /* the MAC counts wire frames */
        return size;
    }
    if (ioat_nic_gone(core)) {
        return size;
    }
    room = ioat_nic_rx_reserve(core, f, loopback);
    if (room != IOAT_NIC_RX_ROOM) {
        return room == IOAT_NIC_RX_HOLD ? 0 : size;
    }
    f->late_wb = f->ndesc <= IOAT_NIC_RX_MAX_FRAME_DESC &&
                 ioat_nic_fault_hits(&core->fault.rx_late_wb);
    if (!ioat_nic_rx_write(core, f)) {
        core->rx_late.ndesc = 0;
        return size;
    }
    trace_ioat_nic_rx_frame(f->queue, f->len, f->ndesc, f->rss_hash,
                            f->hdr_len, f->sph);
    ioat_nic_rx_count(core, f);
    if (f->late_wb) {
        ioat_nic_rx_late_wb_start(core, f->queue, f->steer.lli);
    } else {
        ioat_nic_queue_event(core, f->queue, false, f->steer.lli);
    }
    return size;
}

/*
 * Receive one frame: accept, classify, deliver.  A held frame comes back
 * when the guest moves RDT; its filter statistics count once, when it
 * leaves (delivered or dropped), as on the device, where it waits in the
 * packet buffer after one lookup.
 */
/* Queue filters that would claim the frame are not applied with pools. */
static void ioat_nic_rx_pool_filters(IoatNicCore *core, IoatNicRxFrame *f)
{
    IoatNicRxTuple t;

    ioat_nic_rx_tuple(core, f, &t);
    ioat_nic_filter_steer(core, &t, &f->steer);
    if (f->steer.steered && ioat_nic_report_unimp_once(core, A_VT_CTL)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: VT_CTL: queue filters "
                      "(EtherType, SYN, 5-tuple, Flow Director) in pool "
                      "mode are not modelled; RSS inside the pool picks the "
                      "queue\n");
    }
    f->steer = (IoatNicRxSteer) { };
}

/*
 * With pools: a copy for each pool the frame goes to, on the queue RSS
 * picks inside that pool.  A copy its queue cannot take is dropped for
 * that pool alone (7.10.3.6): frames are never held with pools, as one
 * copy cannot wait while another is delivered.
 */
static void ioat_nic_rx_to_pools(IoatNicCore *core, IoatNicRxFrame *f,
                                 size_t size, uint64_t pools)
{
    g_autofree uint8_t *orig = NULL;
    bool first = true;

    if (!pools) {
        trace_ioat_nic_rx_filtered(size);
        return;
    }
    orig = g_memdup2(f->buf, f->len + ETH_FCS_LEN);
    ioat_nic_rx_parse(core, f);
    ioat_nic_rss(core, f);
    ioat_nic_rx_pool_filters(core, f);
    for (unsigned p = 0; p < IOAT_NIC_NUM_POOLS; p++) {
        IoatNicRxFrame c = *f;
        g_autofree uint8_t *copy = NULL;

        if (!(pools & BIT_ULL(p))) {
            continue;
        }
        if (!first) {
            c.buf = copy = g_memdup2(orig, f->len + ETH_FCS_LEN);
            c.data = c.buf;
            ioat_nic_rx_parse(core, &c);
        }
        c.pool = p;
        c.replica = !first;
        c.queue = ioat_nic_pool_queue(core, p, c.rss_hash);
        ioat_nic_rx_deliver(core, &c, size, true);
        first = false;
        if (ioat_nic_gone(core)) {
            return;
        }
    }
}

/*
 * A frame from the wire under 64 bytes with its FCS that passed the
 * address filter is a runt, counted in RUC (8.2.3.23) and dropped.  QEMU's
 * slirp and tap pad frames to 60 bytes for the NICs that ask (all but
 * virtio-net), so runts come from socket peers that do not pad;
 * pad-short-frames pads those too.  Frames switched between pools never
 * reach the MAC and are not measured.
 */
static bool ioat_nic_rx_runt(IoatNicCore *core, size_t size)
{
    if (size >= ETH_ZLEN || core->pad_short_frames) {
        return false;
    }
    trace_ioat_nic_rx_runt(size);
    ioat_nic_stat_inc(core, A_RUC);
    return true;
}

/*
 * A frame switched from a pool's transmit queue to @pools, as
 * ioat_nic_pool_switch() found them
 */
void ioat_nic_rx_frame_from_pool(IoatNicCore *core, const struct iovec *iov,
                                 int iovcnt, uint64_t pools)
{
    size_t size = iov_size(iov, iovcnt);
    IoatNicRxFrame f = { .pool = -1 };

    if (ioat_nic_rx_accept(core, iov, iovcnt, size, &f)) {
        ioat_nic_rx_to_pools(core, &f, size, pools);
    }
    ioat_nic_rx_put_buf(core, &f);
}

/* A frame the MAC took: to its pools, or classified to its queue. */
static ssize_t ioat_nic_rx_accepted(IoatNicCore *core, IoatNicRxFrame *f,
                                    size_t size, bool loopback)
{
    ssize_t ret;

    if (ioat_nic_vt_enabled(core)) {
        uint64_t pools = ioat_nic_rx_pools(core, f->buf, f->tagged, -1);

        /* With pools, their filters are the address filter (7.10.3). */
        if (!pools || !ioat_nic_rx_runt(core, size)) {
            ioat_nic_rx_to_pools(core, f, size, pools);
        }
        return size;
    }
    if (ioat_nic_rx_runt(core, size)) {
        return size;
    }
    ioat_nic_rx_classify(core, f);
    ret = ioat_nic_rx_deliver(core, f, size, loopback);
    if (ret) {
        ioat_nic_fdir_count_lookup(core, &f->steer);
    }
    return ret;
}

ssize_t ioat_nic_rx_frame(IoatNicCore *core, const struct iovec *iov,
                          int iovcnt, bool loopback)
{
    size_t size = iov_size(iov, iovcnt);
    IoatNicRxFrame f = { .pool = -1 };
    ssize_t ret = size;

    smp_mb();       /* as dma_barrier(): the guest's stores come first */
    if (ioat_nic_rx_accept(core, iov, iovcnt, size, &f)) {
        ret = ioat_nic_rx_accepted(core, &f, size, loopback);
    }
    ioat_nic_rx_put_buf(core, &f);
    if (!ret) {
        core->rx_refused = true;    /* held: ioat_nic_rx_flush() */
    }
    return ret;
}
