/*
 * Intel 82599 10 GbE controller (ioat-nic): receive side coalescing
 *
 * RSC (datasheet 7.11) merges consecutive TCP/IPv4 segments of one flow
 * into one large frame in a chain of descriptors.  A context holds the
 * frame in the device until something closes it: the interrupt interval
 * of the queue's vector ending (EITR), MAXDESC or 64 KiB reached, a
 * segment with PSH, a segment of the flow that cannot be appended, a low
 * latency interrupt, or a change to the queue.  Closing writes the frame
 * into consecutive descriptors: NEXTP and RSCCNT in each, the IPv4 total
 * length and header checksum rewritten, then raises the queue's cause.
 *
 * Which segments merge is the conservative set that the receiving stack's
 * own coalescing accepts (in order, equal ACK, window and options, flags
 * ACK and PSH only, good checksums, no IP options, no ECN CE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "hw/qdev-core.h"
#include "hw/pci/pci_device.h"
#include "net/checksum.h"
#include "net_rx_pkt.h"
#include "ioat_nic_rx.h"
#include "trace.h"

/* Flows coalesced at once, over all queues */
#define IOAT_NIC_RSC_CONTEXTS       32
#define IOAT_NIC_RSC_MAX_IP_LEN     0xffff
#define IOAT_NIC_RSC_MAX_CNT        15      /* RSCCNT has 4 bits */
#define IOAT_NIC_IP4_HLEN           20

/* One flow being coalesced on one queue */
typedef struct IoatNicRscCtx {
    bool open;
    IoatNicRxFrame first;       /* the first segment as the queue laid it out */
    uint8_t *buf;               /* its bytes, then the appended payloads */
    size_t len;                 /* of the coalesced frame */
    size_t size;                /* allocated at buf */
    size_t l3, l4;              /* IPv4 and TCP headers in buf */
    uint8_t key[12];            /* source and destination address, ports */
    uint16_t tci;               /* the 802.1Q tag's, 0 untagged */
    uint32_t next_seq;
    unsigned nseg;
    unsigned ndesc;             /* descriptors the frame takes now */
    unsigned maxdesc;           /* RSCCTL.MAXDESC when it opened */
    uint8_t starts[IOAT_NIC_RX_MAX_FRAME_DESC];   /* segments per buffer */
    bool psh;
} IoatNicRscCtx;

typedef struct IoatNicRsc {
    IoatNicRscCtx ctx[IOAT_NIC_RSC_CONTEXTS];
    unsigned open;              /* contexts open */
    /* Parses a closing context's frame, leaving core->rx_pkt's alone */
    struct NetRxPkt *pkt;
    QEMUBH *bh;                 /* closes contexts no EITR interval closes */
} IoatNicRsc;

/* One TCP/IPv4 segment as RSC sees it */
typedef struct IoatNicRscSeg {
    size_t l3, l4, payload, end;    /* offsets in the frame; end of IP */
    struct ip_header ip;            /* copies: the frame's are unaligned */
    struct tcp_header tcp;
    const uint8_t *th;              /* the TCP header in the frame */
    size_t tcp_hlen;
    uint8_t key[12];
    uint16_t tci;
    uint8_t flags;
} IoatNicRscSeg;

/* Descriptors a frame may take per RSCCTL.MAXDESC */
static unsigned ioat_nic_rsc_maxdesc(uint32_t rscctl)
{
    static const unsigned maxdesc[] = { 1, 4, 8, 16 };

    return maxdesc[FIELD_EX32(rscctl, RSCCTL, MAXDESC)];
}

static void ioat_nic_rsc_bh(void *opaque);

void ioat_nic_rsc_init(IoatNicCore *core)
{
    core->rsc = g_new0(IoatNicRsc, 1);
    net_rx_pkt_init(&core->rsc->pkt);
    core->rsc->bh = qemu_bh_new_guarded(ioat_nic_rsc_bh, core,
                                        &DEVICE(core->owner)->
                                        mem_reentrancy_guard);
}

static void ioat_nic_rsc_free(IoatNicRsc *rsc, IoatNicRscCtx *c)
{
    g_free(c->buf);
    c->buf = NULL;
    if (c->open) {
        c->open = false;
        rsc->open--;
    }
}

/* Contexts die with the device: what was in them is lost. */
void ioat_nic_rsc_reset(IoatNicCore *core)
{
    if (!core->rsc) {
        return;
    }
    qemu_bh_cancel(core->rsc->bh);
    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS; i++) {
        ioat_nic_rsc_free(core->rsc, &core->rsc->ctx[i]);
    }
}

void ioat_nic_rsc_unrealize(IoatNicCore *core)
{
    ioat_nic_rsc_reset(core);
}

void ioat_nic_rsc_uninit(IoatNicCore *core)
{
    if (core->rsc) {
        ioat_nic_rsc_reset(core);
        qemu_bh_delete(core->rsc->bh);
        net_rx_pkt_uninit(core->rsc->pkt);
        g_free(core->rsc);
        core->rsc = NULL;
    }
}

/*
 * Prerequisites the datasheet sets for RSC on a queue (7.11.1): CRC
 * stripping, advanced descriptors, a header buffer size; the coalesced
 * frame must fit the ring.  @rule names the first one not met.
 */
static bool ioat_nic_rsc_usable(IoatNicCore *core, unsigned q,
                                const char **rule)
{
    uint32_t srrctl = ioat_nic_reg(core, IOAT_NIC_SRRCTL(q));
    unsigned maxdesc = ioat_nic_rsc_maxdesc(ioat_nic_reg(core,
                                                         IOAT_NIC_RSCCTL(q)));
    unsigned n = ioat_nic_rx_ring_size(core, q);

    if (!FIELD_EX32(core->mac[R_RDRXCTL], RDRXCTL, CRCSTRIP)) {
        *rule = "RDRXCTL.CRCSTRIP must be set";
    } else if (!FIELD_EX32(core->mac[R_HLREG0], HLREG0, RXCRCSTRP)) {
        *rule = "HLREG0.RXCRCSTRP must be set";
    } else if (FIELD_EX32(srrctl, SRRCTL, DESCTYPE) ==
               IOAT_NIC_DESCTYPE_LEGACY) {
        *rule = "SRRCTL.DESCTYPE must select advanced descriptors";
    } else if (!FIELD_EX32(srrctl, SRRCTL, BSIZEHDR)) {
        *rule = "SRRCTL.BSIZEHEADER must not be 0";
    } else if (n && maxdesc > n - 1) {
        *rule = "RSCCTL.MAXDESC exceeds what the ring can hold";
    } else {
        return true;
    }
    return false;
}

/* Descriptor of the coalesced frame that byte @off lands in */
static unsigned ioat_nic_rsc_buffer_of(IoatNicCore *core,
                                       const IoatNicRscCtx *c, size_t off)
{
    size_t hdr = c->first.hdr_len;

    return off < hdr ? 0 :
           (off - hdr) / ioat_nic_rx_bufsize(core, c->first.queue);
}

/* Descriptors the queue's open contexts will take when they close */
unsigned ioat_nic_rsc_reserved(IoatNicCore *core, unsigned q)
{
    unsigned n = 0;

    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS && core->rsc->open; i++) {
        const IoatNicRscCtx *c = &core->rsc->ctx[i];

        if (c->open && c->first.queue == q) {
            n += c->ndesc;
        }
    }
    return n;
}

/*
 * Write the context's frame and raise its queue's cause.  A lone segment
 * goes out as it came (RSCCNT 0, 7.11.4); more get the IPv4 total length
 * and header checksum of the whole, PSH if any had it, and RSCCNT =
 * 1 + the segments that start in each buffer.
 */
static void ioat_nic_rsc_close(IoatNicCore *core, IoatNicRscCtx *c,
                               const char *why)
{
    IoatNicRxFrame f = c->first;
    unsigned q = f.queue;
    unsigned free = ioat_nic_rx_free(core, q);
    struct NetRxPkt *received;
    bool written;

    f.buf = c->buf;
    f.data = c->buf;
    if (c->nseg > 1) {
        uint8_t *ip = c->buf + c->l3;

        f.len = c->len;
        f.rsc = true;
        stw_be_p(ip + offsetof(struct ip_header, ip_len), c->len - c->l3);
        stw_be_p(ip + offsetof(struct ip_header, ip_sum), 0);
        stw_be_p(ip + offsetof(struct ip_header, ip_sum),
                 net_checksum_finish(net_checksum_add(IOAT_NIC_IP4_HLEN,
                                                      ip)));
        if (c->psh) {
            c->buf[c->l4 + offsetof(struct tcp_header, th_offset_flags) + 1] |=
                TH_PUSH;
        }
        for (unsigned i = 0; i < c->ndesc; i++) {
            f.rsccnt[i] = MIN(1 + c->starts[i], IOAT_NIC_RSC_MAX_CNT);
        }
    }
    f.ndesc = ioat_nic_rx_ndesc(core, &f, f.len);
    trace_ioat_nic_rsc_close(q, c - core->rsc->ctx, c->nseg, f.len, f.ndesc,
                             why);
    /* Only a guest moving RDT back can take descriptors a context owns. */
    if (free < f.ndesc) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_rsc_ring_shrunk,
                           "RX queue %u: RDT moved back under an open RSC "
                           "context: %u descriptors needed, %u left; %u "
                           "segments dropped", q, f.ndesc, free, c->nseg);
        ioat_nic_stat_inc(core, IOAT_NIC_MPC(0));
        ioat_nic_rsc_free(core->rsc, c);
        return;
    }
    /* A frame may be being received: its parse stays in core->rx_pkt. */
    received = core->rx_pkt;
    core->rx_pkt = core->rsc->pkt;
    ioat_nic_rx_parse(core, &f);
    written = ioat_nic_rx_write(core, &f);
    core->rx_pkt = received;
    if (written && !ioat_nic_gone(core)) {
        ioat_nic_queue_event(core, q, false, false);
    }
    ioat_nic_rsc_free(core->rsc, c);
}

void ioat_nic_rsc_close_queue(IoatNicCore *core, unsigned q)
{
    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS && core->rsc->open; i++) {
        IoatNicRscCtx *c = &core->rsc->ctx[i];

        if (c->open && c->first.queue == q && !ioat_nic_gone(core)) {
            ioat_nic_rsc_close(core, c, "queue");
        }
    }
}

void ioat_nic_rsc_close_all(IoatNicCore *core, const char *why)
{
    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS && core->rsc->open; i++) {
        IoatNicRscCtx *c = &core->rsc->ctx[i];

        if (c->open && !ioat_nic_gone(core)) {
            ioat_nic_rsc_close(core, c, why);
        }
    }
}

/*
 * The interval of a queue's vector ended (or it has none): its contexts
 * close before the interrupt goes out (7.11.5).
 */
void ioat_nic_rsc_close_due(IoatNicCore *core)
{
    for (unsigned i = 0; core->rsc && i < IOAT_NIC_RSC_CONTEXTS &&
                         core->rsc->open; i++) {
        IoatNicRscCtx *c = &core->rsc->ctx[i];

        if (c->open && !ioat_nic_gone(core) &&
            !ioat_nic_rx_itr_running(core, c->first.queue)) {
            ioat_nic_rsc_close(core, c, "interval");
        }
    }
}

static void ioat_nic_rsc_bh(void *opaque)
{
    ioat_nic_rsc_close_due(opaque);
}

/* A stopping VM (migration, savevm) gets its frames now. */
void ioat_nic_rsc_vm_stopped(IoatNicCore *core)
{
    ioat_nic_rsc_close_all(core, "VM stopped");
}

/* The frame's TCP/IPv4 headers, if it has them and is not a fragment. */
static bool ioat_nic_rsc_parse(IoatNicCore *core, const IoatNicRxFrame *f,
                               IoatNicRscSeg *s)
{
    struct NetRxPkt *pkt = core->rx_pkt;
    bool ip4, ip6;
    EthL4HdrProto l4;

    net_rx_pkt_get_protocols(pkt, &ip4, &ip6, &l4);
    if (!ip4 || l4 != ETH_L4_HDR_PROTO_TCP ||
        net_rx_pkt_get_ip4_info(pkt)->fragment) {
        return false;
    }
    s->l3 = eth_get_l2_hdr_length(f->data);
    s->l4 = net_rx_pkt_get_l4_hdr_offset(pkt);
    if (s->l4 < s->l3 + IOAT_NIC_IP4_HLEN ||
        s->l4 + sizeof(struct tcp_header) > f->len) {
        return false;
    }
    memcpy(&s->ip, f->data + s->l3, sizeof(s->ip));
    memcpy(&s->tcp, f->data + s->l4, sizeof(s->tcp));
    s->th = f->data + s->l4;
    memcpy(s->key, &s->ip.ip_src, 8);
    memcpy(s->key + 8, &s->tcp.th_sport, 4);
    s->tci = f->vlan_stripped ? f->vlan_tci :
             f->tagged ? lduw_be_p(f->data + ETH_HLEN) : 0;
    s->flags = be16_to_cpu(s->tcp.th_offset_flags) & 0xff;
    s->tcp_hlen = TCP_HEADER_DATA_OFFSET(&s->tcp);
    s->end = s->l3 + be16_to_cpu(s->ip.ip_len);
    s->payload = s->l4 + s->tcp_hlen;
    return true;
}

/*
 * A segment that may start or join a context: IPv4 without options, TCP
 * with payload and no flag but ACK and PSH, both checksums good, no
 * congestion mark (7.11.2).
 */
static bool ioat_nic_rsc_candidate(IoatNicCore *core, const IoatNicRxFrame *f,
                                   const IoatNicRscSeg *s)
{
    bool valid;

    if (s->ip.ip_ver_len != 0x45 || s->l4 != s->l3 + IOAT_NIC_IP4_HLEN ||
        s->tcp_hlen < sizeof(struct tcp_header) || s->end > f->len ||
        s->payload >= s->end) {
        return false;
    }
    if ((s->flags & ~(TH_ACK | TH_PUSH)) || !(s->flags & TH_ACK) ||
        (s->ip.ip_tos & 3) == 3) {
        return false;
    }
    return net_rx_pkt_validate_l3_csum(core->rx_pkt, &valid) && valid &&
           net_rx_pkt_validate_l4_csum(core->rx_pkt, &valid) && valid;
}

static IoatNicRscCtx *ioat_nic_rsc_find(IoatNicCore *core, unsigned q,
                                        const IoatNicRscSeg *s)
{
    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS && core->rsc->open; i++) {
        IoatNicRscCtx *c = &core->rsc->ctx[i];

        if (c->open && c->first.queue == q && c->tci == s->tci &&
            !memcmp(c->key, s->key, sizeof(s->key))) {
            return c;
        }
    }
    return NULL;
}

/*
 * @s continues @c's stream: the next sequence number, and IP and TCP
 * headers equal but for length, identification, checksums, sequence
 * number and PSH.
 */
static bool ioat_nic_rsc_continues(const IoatNicRscCtx *c,
                                   const IoatNicRscSeg *s)
{
    const uint8_t *ip = c->buf + c->l3;
    const uint8_t *th = c->buf + c->l4, *sth = s->th;
    size_t flags = offsetof(struct tcp_header, th_offset_flags);
    size_t sum = offsetof(struct tcp_header, th_sum);

    if (be32_to_cpu(s->tcp.th_seq) != c->next_seq ||
        s->tcp_hlen != (th[flags] >> 4) * 4 ||
        ip[offsetof(struct ip_header, ip_tos)] != s->ip.ip_tos ||
        ip[offsetof(struct ip_header, ip_ttl)] != s->ip.ip_ttl ||
        lduw_he_p(ip + offsetof(struct ip_header, ip_off)) != s->ip.ip_off) {
        return false;
    }
    /* ACK number, data offset, flags but PSH, window; urgent, options */
    return !memcmp(th + 8, sth + 8, flags - 8) &&
           th[flags] == sth[flags] &&
           (th[flags + 1] | TH_PUSH) == (sth[flags + 1] | TH_PUSH) &&
           !memcmp(th + flags + 2, sth + flags + 2, sum - flags - 2) &&
           !memcmp(th + sum + 2, sth + sum + 2, s->tcp_hlen - sum - 2);
}

/* Whether the frame grown to @len may stay in @c (7.11.3). */
static bool ioat_nic_rsc_fits(IoatNicCore *core, const IoatNicRscCtx *c,
                              size_t len, unsigned *ndesc)
{
    unsigned q = c->first.queue;
    unsigned others = ioat_nic_rsc_reserved(core, q) - c->ndesc;

    *ndesc = ioat_nic_rx_ndesc(core, &c->first, len);
    return len - c->l3 <= IOAT_NIC_RSC_MAX_IP_LEN && *ndesc <= c->maxdesc &&
           others + *ndesc <= ioat_nic_rx_free(core, q);
}

static void ioat_nic_rsc_append(IoatNicCore *core, IoatNicRscCtx *c,
                                const IoatNicRxFrame *f,
                                const IoatNicRscSeg *s, unsigned ndesc)
{
    size_t plen = s->end - s->payload;

    c->starts[ioat_nic_rsc_buffer_of(core, c, c->len)]++;
    memcpy(c->buf + c->len, f->data + s->payload, plen);
    c->len += plen;
    c->ndesc = ndesc;
    c->next_seq += plen;
    c->nseg++;
    c->psh |= s->flags & TH_PUSH;
    trace_ioat_nic_rsc_append(c->first.queue, c - core->rsc->ctx,
                              be32_to_cpu(s->tcp.th_seq), plen);
}

/* Until when @c stays open: its vector's interval, or the current burst. */
static void ioat_nic_rsc_arm(IoatNicCore *core, unsigned q)
{
    if (FIELD_EX32(core->mac[R_GPIE], GPIE, RSC_DELAY) &&
        ioat_nic_report_unimp_once(core, A_GPIE)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: GPIE.RSC_DELAY: the "
                      "interrupt follows the closing of RSC contexts "
                      "without delay\n");
    }
    if (!ioat_nic_rx_itr_start(core, q)) {
        qemu_bh_schedule(core->rsc->bh);
    }
}

static IoatNicRscVerdict ioat_nic_rsc_open(IoatNicCore *core,
                                           const IoatNicRxFrame *f,
                                           const IoatNicRscSeg *s)
{
    unsigned q = f->queue;
    uint32_t ctl = ioat_nic_rsc_ctl(core, q);
    IoatNicRscCtx *c = NULL;
    size_t max_frame;

    if (s->flags & TH_PUSH) {
        return IOAT_NIC_RSC_PASS;   /* it would close at once */
    }
    for (unsigned i = 0; i < IOAT_NIC_RSC_CONTEXTS && !c; i++) {
        if (!core->rsc->ctx[i].open) {
            c = &core->rsc->ctx[i];
        }
    }
    if (!c || ioat_nic_rsc_reserved(core, q) + f->ndesc >
              ioat_nic_rx_free(core, q)) {
        return IOAT_NIC_RSC_PASS;
    }
    *c = (IoatNicRscCtx) {
        .open = true,
        .first = *f,
        .len = s->end,
        .l3 = s->l3,
        .l4 = s->l4,
        .tci = s->tci,
        .next_seq = be32_to_cpu(s->tcp.th_seq) + (s->end - s->payload),
        .nseg = 1,
        .ndesc = f->ndesc,
        .maxdesc = ioat_nic_rsc_maxdesc(ctl),
    };
    if (c->ndesc > c->maxdesc) {
        c->open = false;
        return IOAT_NIC_RSC_PASS;
    }
    core->rsc->open++;
    memcpy(c->key, s->key, sizeof(s->key));
    c->first.buf = NULL;
    c->first.data = NULL;
    max_frame = MIN(c->maxdesc * ioat_nic_rx_bufsize(core, q) +
                    c->first.hdr_len, s->l3 + IOAT_NIC_RSC_MAX_IP_LEN);
    c->size = MAX(max_frame, f->len);
    c->buf = g_malloc(c->size);
    memcpy(c->buf, f->data, f->len);
    c->starts[ioat_nic_rsc_buffer_of(core, c, s->payload)] = 1;
    trace_ioat_nic_rsc_open(q, c - core->rsc->ctx,
                            be32_to_cpu(s->tcp.th_seq), s->end - s->payload);
    ioat_nic_rsc_arm(core, q);
    return IOAT_NIC_RSC_TAKEN;
}

/*
 * A frame laid out for its queue: coalesce it, or say to deliver it as it
 * is, after closing whatever context of its flow it cannot join so that
 * the flow stays in order.
 */
IoatNicRscVerdict ioat_nic_rsc_receive(IoatNicCore *core, IoatNicRxFrame *f)
{
    unsigned q = f->queue;
    const char *rule;
    IoatNicRscSeg s;
    IoatNicRscCtx *c;
    unsigned ndesc;

    if (!ioat_nic_rsc_ctl(core, q) || f->late_wb) {
        return IOAT_NIC_RSC_PASS;
    }
    if (ioat_nic_vt_enabled(core)) {
        if (ioat_nic_report_unimp_once(core, IOAT_NIC_RSCCTL(q))) {
            qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: RSCCTL[%u]: "
                          "receive side coalescing with pools is not "
                          "modelled; frames are not coalesced\n", q);
        }
        return IOAT_NIC_RSC_PASS;
    }
    if (!ioat_nic_rsc_usable(core, q, &rule)) {
        /*
         * Reported at the RSCCTL write; a rule broken since (CRC stripping
         * turned off) closes what the queue holds first, in order.
         */
        ioat_nic_rsc_close_queue(core, q);
        return IOAT_NIC_RSC_PASS;
    }
    /* A low latency interrupt closes the queue's contexts (7.3.2.2). */
    if (f->steer.lli &&
        !FIELD_EX32(core->mac[R_RDRXCTL], RDRXCTL, RSCLLIDIS)) {
        ioat_nic_rsc_close_queue(core, q);
        return IOAT_NIC_RSC_PASS;
    }
    if (!ioat_nic_rsc_parse(core, f, &s)) {
        return IOAT_NIC_RSC_PASS;
    }
    c = ioat_nic_rsc_find(core, q, &s);
    if (!ioat_nic_rsc_candidate(core, f, &s)) {
        if (c) {
            ioat_nic_rsc_close(core, c, "segment not coalescable");
        }
        return IOAT_NIC_RSC_PASS;
    }
    if (c) {
        if (ioat_nic_rsc_continues(c, &s) &&
            ioat_nic_rsc_fits(core, c, c->len + (s.end - s.payload),
                              &ndesc)) {
            ioat_nic_rsc_append(core, c, f, &s, ndesc);
            if (c->psh) {
                ioat_nic_rsc_close(core, c, "PSH");
            } else if (!ioat_nic_rsc_fits(core, c, c->len + (s.end - s.payload),
                                          &ndesc)) {
                /* Full: MAXDESC or 64 KiB reached for segments this size */
                ioat_nic_rsc_close(core, c, "full");
            }
            return IOAT_NIC_RSC_TAKEN;
        }
        ioat_nic_rsc_close(core, c, ioat_nic_rsc_continues(c, &s) ?
                           "full" : "segment does not continue the flow");
        if (ioat_nic_gone(core)) {
            return IOAT_NIC_RSC_PASS;
        }
    }
    return ioat_nic_rsc_open(core, f, &s);
}

/* RSCCTL: a queue's contexts close before its settings change. */
void ioat_nic_write_rscctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    const char *rule;

    ioat_nic_rsc_close_queue(core, n);
    ioat_nic_reg_store(core, reg, addr, val);
    if ((val & R_RSCCTL_RSCEN_MASK) && !ioat_nic_rsc_usable(core, n, &rule)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_rsc_config,
                           "RSCCTL[%u]: RSCEN set but %s; frames are not "
                           "coalesced", n, rule);
    }
}

/* RFCTL.RSC_DIS switches RSC off for every queue. */
void ioat_nic_write_rfctl(IoatNicCore *core, const IoatNicReg *reg,
                          unsigned n, hwaddr addr, uint32_t val)
{
    if (FIELD_EX32(val, RFCTL, RSC_DIS)) {
        ioat_nic_rsc_close_all(core, "RFCTL.RSC_DIS");
    }
    ioat_nic_reg_store(core, reg, addr, val);
}
