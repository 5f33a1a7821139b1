/*
 * qtests for the ioat-nic (Intel 82599) receive side coalescing (datasheet
 * 7.11): which TCP segments merge, what closes a context, the descriptor
 * chain of a coalesced frame (NEXTP, RSCCNT, EOP), its rewritten IPv4
 * header, MAXDESC, header split, and bad configurations.  Area
 * ioat-nic-rsc; one behaviour per test, each on a machine of its own.
 *
 * Queue 0 is set up as a driver sets it up for RSC: MSI-X vector VEC with
 * an EITR interval, CRC stripping, advanced one-buffer descriptors with a
 * header buffer size, RSCCTL.RSCEN.  Contexts stay open until the
 * interval ends, which the test controls with the qtest clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqos/qgraph.h"
#include "ioat-nic-fixture.h"
#include "hw/net/ioat_nic_regs.h"

#define VEC             1
#define ITR_US          1000    /* contexts stay open this long */
#define MSS             1000
#define ISN             0x10000000u
#define L3              QIOAT_NIC_ETH_HLEN
#define L4              (L3 + QIOAT_NIC_IP4_HLEN)
#define HDRS            (L4 + QIOAT_NIC_TCP_HLEN)
#define TCP_ACK         0x10
#define TCP_PSH         0x08
#define TCP_FIN         0x01
#define TCI             ((3 << 13) | 0x64)
#define MAXDESC_1       0
#define MAXDESC_4       1
#define MAXDESC_16      3
#define RSCCTL_ON(md) \
    (R_RSCCTL_RSCEN_MASK | FIELD_DP32(0, RSCCTL, MAXDESC, md))
#define BUF             QIOAT_NIC_RX_BUF_SIZE
#define RING            32      /* holds 31 >= MAXDESC 16 */

/* SRRCTL: 2 KiB packet buffers, header buffers of @hdr bytes, @type */
#define SRRCTL_OF(hdr, type) \
    ((BUF / 1024) << R_SRRCTL_BSIZEPKT_SHIFT | \
     ((hdr) / 64) << R_SRRCTL_BSIZEHDR_SHIFT | \
     (type) << R_SRRCTL_DESCTYPE_SHIFT)
#define ONEBUF_SRRCTL \
    SRRCTL_OF(QIOAT_NIC_RX_HDR_SIZE, IOAT_NIC_DESCTYPE_ONEBUF)
#define SPLIT_SRRCTL \
    SRRCTL_OF(QIOAT_NIC_RX_HDR_SIZE, IOAT_NIC_DESCTYPE_HDR_SPLIT)

/*
 * Queue 0 ready for RSC: a ring of @size with @posted buffers, without
 * RSCCTL written
 */
static QIoatNicRing *rsc_ready_ring(NicTest *t, unsigned size,
                                    unsigned posted, uint32_t srrctl)
{
    QIoatNicRing *rx;

    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 0, false, VEC);
    ioat_nic_set_eitr(t->d, VEC, (ITR_US / 2) << 3);
    wr(t, A_EIMS_EX0, 1u << VEC);
    wr(t, A_RDRXCTL, rd(t, A_RDRXCTL) | R_RDRXCTL_CRCSTRIP_MASK);
    rx = rx_ring(t, 0, size, srrctl);
    ioat_nic_rx_post(t->d, rx, posted);
    ioat_nic_rx_enable(t->d);
    return rx;
}

static QIoatNicRing *rsc_ready_queue(NicTest *t, unsigned posted,
                                     uint32_t srrctl)
{
    return rsc_ready_ring(t, RING, posted, srrctl);
}

static QIoatNicRing *rsc_queue_srrctl(NicTest *t, unsigned posted,
                                      uint32_t srrctl, unsigned maxdesc)
{
    QIoatNicRing *rx = rsc_ready_queue(t, posted, srrctl);

    wr(t, IOAT_NIC_RSCCTL(0), RSCCTL_ON(maxdesc));
    return rx;
}

static QIoatNicRing *rsc_queue(NicTest *t, unsigned posted)
{
    return rsc_queue_srrctl(t, posted, ONEBUF_SRRCTL, MAXDESC_16);
}

/* The queue's vector's interval ends: open contexts close. */
static void interval_ends(NicTest *t)
{
    wait_consumed(t);
    qtest_clock_step(qts(t), ITR_US * 1000);
}

/* Segments */

static uint8_t stream_byte(uint32_t off)
{
    return off * 7 + (off >> 8);
}

static QIoatNicFlow flow_on_port(uint16_t sport)
{
    QIoatNicFlow flow;

    ioat_nic_flow_parse(&flow, IPPROTO_TCP, "10.0.0.1", sport, "10.0.0.2", 80);
    return flow;
}

static void tcp_checksum(Frame *f)
{
    uint8_t *tcp = f->data + L4;
    size_t len = lduw_be_p(f->data + L3 + 2) - QIOAT_NIC_IP4_HLEN;

    stw_be_p(tcp + 16, 0);
    stw_be_p(tcp + 16, ~ioat_nic_csum_fold(
                 ioat_nic_csum_add(ioat_nic_pseudo_sum(f->data, len), tcp,
                                   len)));
}

/* A segment of @flow: @len stream bytes from @seq, @flags, ACK number @ack */
static Frame segment_full(uint16_t sport, uint32_t seq, size_t len,
                          uint8_t flags, uint32_t ack)
{
    QIoatNicFlow flow = flow_on_port(sport);
    Frame f = flow_frame(&flow, len);
    uint8_t *tcp = f.data + L4;

    stl_be_p(tcp + 4, seq);
    stl_be_p(tcp + 8, ack);
    tcp[13] = flags;
    for (size_t i = 0; i < len; i++) {
        tcp[QIOAT_NIC_TCP_HLEN + i] = stream_byte(seq - ISN + i);
    }
    tcp_checksum(&f);
    return f;
}

/* Segment @i of a stream of MSS-sized segments on the default flow */
static Frame segment(unsigned i)
{
    return segment_full(1234, ISN + i * MSS, MSS, TCP_ACK, 0);
}

/* Segments @first..@first + @n - 1 of a stream of @size-byte segments */
static void inject_stream(NicTest *t, unsigned first, unsigned n, size_t size)
{
    for (unsigned i = first; i < first + n; i++) {
        Frame f = segment_full(1234, ISN + i * size, size, TCP_ACK, 0);

        inject(t, &f);
    }
}

static void inject_segments(NicTest *t, unsigned first, unsigned n)
{
    inject_stream(t, first, n, MSS);
}

/* A received frame, read through its descriptor chain */
typedef struct RxFrame {
    uint8_t data[70 * 1024];
    size_t len;
    unsigned first, ndesc;
    unsigned next;              /* the descriptor after EOP */
    unsigned appended;          /* sum of RSCCNT - 1 over the chain */
    bool rsccnt_zero;           /* every descriptor had RSCCNT 0 */
    QIoatNicRxWb wb0, eop;
} RxFrame;

/* The frame that starts at descriptor @idx, following NEXTP up to EOP */
static RxFrame *read_frame(NicTest *t, QIoatNicRing *rx, unsigned idx)
{
    RxFrame *r = g_new0(RxFrame, 1);

    r->first = idx;
    r->rsccnt_zero = true;
    for (;;) {
        QIoatNicRxWb wb = rx_wait(t, rx, idx);
        unsigned cnt = FIELD_EX32(wb.dw0, RXD_WB0, RSCCNT);
        size_t hdr = FIELD_EX32(wb.dw0, RXD_WB0, HDR_LEN);

        if (!r->ndesc) {
            r->wb0 = wb;
            if (wb.dw0 & R_RXD_WB0_SPH_MASK) {
                qtest_memread(qts(t), rx->hdr_buf[idx], r->data, hdr);
                r->len = hdr;
            }
        }
        g_assert_cmpuint(r->len + wb.length, <=, sizeof(r->data));
        qtest_memread(qts(t), rx->pkt_buf[idx], r->data + r->len, wb.length);
        r->len += wb.length;
        r->ndesc++;
        g_assert_cmpuint(r->ndesc, <=, rx->size);
        if (cnt) {
            r->rsccnt_zero = false;
            r->appended += cnt - 1;
        }
        if (wb.status & IOAT_NIC_RXD_STAT_EOP) {
            r->eop = wb;
            r->next = (idx + 1) % rx->size;
            return r;
        }
        /* Before EOP: RSCCNT and NEXTP, which links the chain (7.1.6.2) */
        g_assert_cmpuint(cnt, !=, 0);
        idx = (wb.status & IOAT_NIC_RXD_NEXTP_MASK) >> IOAT_NIC_RXD_NEXTP_SHIFT;
        g_assert_cmpuint(idx, <, rx->size);
    }
}

/*
 * What segments @first..@first + @n - 1 coalesce into: the first one's
 * headers with the IPv4 total length and header checksum of the whole
 * (and PSH if @psh), then every payload.  The TCP checksum is not
 * compared: the device leaves the first segment's.
 */
static void expect_coalesced(const RxFrame *r, unsigned first, unsigned n,
                             bool psh)
{
    Frame f0 = segment(first);
    size_t len = HDRS + n * MSS;
    g_autofree uint8_t *want = g_malloc(len);

    memcpy(want, f0.data, HDRS);
    stw_be_p(want + L3 + 2, len - L3);
    stw_be_p(want + L3 + 10, 0);
    stw_be_p(want + L3 + 10,
             ~ioat_nic_csum_fold(ioat_nic_csum_add(0, want + L3, 20)));
    if (psh) {
        want[L4 + 13] |= TCP_PSH;
    }
    for (size_t i = 0; i < n * MSS; i++) {
        want[HDRS + i] = stream_byte(first * MSS + i);
    }
    g_assert_cmpuint(r->len, ==, len);
    g_assert_cmpmem(r->data, L4 + 16, want, L4 + 16);
    g_assert_cmpmem(r->data + HDRS, len - HDRS, want + HDRS, len - HDRS);
    g_assert_true(ioat_nic_ip4_csum_ok(r->data));
}

/* @f arrived in the frame at @idx as it was sent: no RSC fields */
static void expect_plain(NicTest *t, QIoatNicRing *rx, unsigned idx,
                         const Frame *f)
{
    g_autofree RxFrame *r = read_frame(t, rx, idx);

    g_assert_true(r->rsccnt_zero);
    g_assert_cmpuint(r->ndesc, ==, 1);
    g_assert_cmpmem(r->data, r->len, f->data, f->len);
}

/* @f alone in descriptor @idx, its 4-byte CRC after it */
static void expect_plain_with_crc(NicTest *t, QIoatNicRing *rx, unsigned idx,
                                  const Frame *f)
{
    g_autofree RxFrame *r = read_frame(t, rx, idx);

    g_assert_true(r->rsccnt_zero);
    g_assert_cmpuint(r->ndesc, ==, 1);
    g_assert_cmpuint(r->len, ==, f->len + 4);
    g_assert_cmpmem(r->data, f->len, f->data, f->len);
}

/* Three in-order MSS segments, and the one frame they make */
static RxFrame *three_segments(NicTest *t, QIoatNicRing **rxp)
{
    QIoatNicRing *rx = rsc_queue(t, 8);

    inject_segments(t, 0, 3);
    interval_ends(t);
    if (rxp) {
        *rxp = rx;
    }
    return read_frame(t, rx, 0);
}

/* In-order segments of one flow become one frame (7.11). */
static void test_in_order_segments_make_one_frame(NicTest *t)
{
    QIoatNicRing *rx;
    g_autofree RxFrame *r = three_segments(t, &rx);

    expect_coalesced(r, 0, 3, false);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, r->ndesc);
    expect_rx_empty(t, rx, r->next);
}

/*
 * A frame larger than a buffer fills each buffer before EOP and links
 * them with NEXTP (7.1.6.2): 3054 bytes in 2 KiB buffers.
 */
static void test_coalesced_frame_chains_full_buffers(NicTest *t)
{
    g_autofree RxFrame *r = three_segments(t, NULL);

    g_assert_cmpuint(r->ndesc, ==, 2);
    g_assert_cmpuint(r->wb0.length, ==, BUF);
    g_assert_false(r->wb0.status & IOAT_NIC_RXD_STAT_EOP);
    g_assert_cmpuint(r->eop.length, ==, HDRS + 3 * MSS - BUF);
}

/* Every descriptor reports RSCCNT; their excess over 1 sums to N. */
static void test_rsccnt_counts_segments(NicTest *t)
{
    g_autofree RxFrame *r = three_segments(t, NULL);

    g_assert_false(r->rsccnt_zero);
    g_assert_cmpuint(r->appended, ==, 3);
}

/* The EOP descriptor: IPv4/TCP with both checksums good, no error. */
static void test_coalesced_frame_checksums_reported_good(NicTest *t)
{
    g_autofree RxFrame *r = three_segments(t, NULL);
    uint32_t errors = IOAT_NIC_RXD_ERR_TCPE | IOAT_NIC_RXD_ERR_IPE;

    g_assert_cmpuint(r->len, ==, HDRS + 3 * MSS);
    g_assert_cmphex(r->eop.status & (IOAT_NIC_RXD_STAT_IPCS |
                                     IOAT_NIC_RXD_STAT_L4CS | errors),
                    ==, IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_STAT_L4CS);
    g_assert_cmphex(FIELD_EX32(r->eop.dw0, RXD_WB0, PKT_TYPE), ==,
                    IOAT_NIC_PKT_TYPE_IPV4 | IOAT_NIC_PKT_TYPE_TCP);
}

/* The MAC counts the segments as they came off the wire. */
static void test_mac_counts_wire_segments(NicTest *t)
{
    g_autofree RxFrame *r = three_segments(t, NULL);

    g_assert_cmpuint(r->appended, ==, 3);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 3);
}

/*
 * A context stays open until the interval of its queue's vector ends;
 * then the frame is written and the vector fires (7.11.5).
 */
static void test_context_closes_when_interval_ends(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);

    inject_segments(t, 0, 2);
    wait_consumed(t);
    expect_rx_empty(t, rx, 0);
    g_assert_false(ioat_nic_msix_pending(t->d, VEC));

    qtest_clock_step(qts(t), ITR_US * 1000);
    g_assert_true(rx_wb(t, rx, 0).status & IOAT_NIC_RXD_STAT_DD);
    g_assert_true(ioat_nic_msix_pending(t->d, VEC));
}

/*
 * CRC stripping turned off under an open context (RSC needs it): the
 * context closes before the next segment goes by it, which arrives
 * uncoalesced with its CRC, after the held one.
 */
static void test_context_closes_when_crc_strip_turned_off(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f0 = segment(0), f1 = segment(1);

    inject(t, &f0);
    wait_consumed(t);
    expect_rx_empty(t, rx, 0);
    wr(t, A_HLREG0, rd(t, A_HLREG0) & ~R_HLREG0_RXCRCSTRP_MASK);
    inject(t, &f1);
    wait_consumed(t);
    expect_plain(t, rx, 0, &f0);
    expect_plain_with_crc(t, rx, 1, &f1);
}

/* A segment alone in its context is written as it arrived, RSCCNT 0. */
static void test_lone_segment_written_as_received(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f = segment(0);

    inject(t, &f);
    interval_ends(t);
    expect_plain(t, rx, 0, &f);
}

/* Without RSCCTL.RSCEN every segment is its own frame, at once. */
static void test_no_coalescing_without_rscen(NicTest *t)
{
    QIoatNicRing *rx = rsc_ready_queue(t, 8, ONEBUF_SRRCTL);
    Frame f0 = segment(0), f1 = segment(1);

    inject(t, &f0);
    inject(t, &f1);
    wait_consumed(t);
    expect_plain(t, rx, 0, &f0);
    expect_plain(t, rx, 1, &f1);
}

/* RFCTL.RSC_DIS turns coalescing off for every queue. */
static void test_no_coalescing_with_rfctl_rsc_dis(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f0 = segment(0), f1 = segment(1);

    wr(t, A_RFCTL, R_RFCTL_RSC_DIS_MASK);
    inject(t, &f0);
    inject(t, &f1);
    wait_consumed(t);
    expect_plain(t, rx, 0, &f0);
    expect_plain(t, rx, 1, &f1);
}

/* A segment with PSH joins its context and closes it at once. */
static void test_psh_closes_context(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f0 = segment(0), f1 = segment_full(1234, ISN + MSS, MSS,
                                             TCP_ACK | TCP_PSH, 0);
    g_autofree RxFrame *r = NULL;

    inject(t, &f0);
    inject(t, &f1);
    wait_consumed(t);
    g_assert_true(rx_wb(t, rx, 0).status & IOAT_NIC_RXD_STAT_DD);
    r = read_frame(t, rx, 0);
    expect_coalesced(r, 0, 2, true);
}

/*
 * A segment out of sequence closes the context: the frame so far goes
 * first, the segment starts a context of its own.
 */
static void test_out_of_order_segment_closes_context(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f0 = segment(0), f2 = segment(2);

    inject(t, &f0);
    inject(t, &f2);
    wait_consumed(t);
    expect_plain(t, rx, 0, &f0);
    expect_rx_empty(t, rx, 1);
    interval_ends(t);
    expect_plain(t, rx, 1, &f2);
}

/* A segment with another ACK number does not join the frame. */
static void test_new_ack_number_starts_new_frame(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame f0 = segment(0);
    Frame f1 = segment_full(1234, ISN + MSS, MSS, TCP_ACK, 0x5000);

    inject(t, &f0);
    inject(t, &f1);
    interval_ends(t);
    expect_plain(t, rx, 0, &f0);
    expect_plain(t, rx, 1, &f1);
}

/*
 * A segment that may not coalesce (no payload, FIN, bad checksum) closes
 * its flow's context and follows the frame, in order.
 */
typedef struct Breaker {
    const char *name;
    size_t len;
    uint8_t flags;
    bool bad_checksum;
    uint16_t ip_id;         /* another IP identification, with FIN */
} Breaker;

static const Breaker breakers[] = {
    { "pure-ack-closes-context-and-follows-it", 0, TCP_ACK },
    { "fin-closes-context-and-follows-it", MSS, TCP_ACK | TCP_FIN },
    { "bad-checksum-closes-context-and-follows-it", MSS, TCP_ACK, true },
    /*
     * Written back with its own headers' fields (DW1 without PCSD: the IP
     * identification), not the coalesced frame's it closed
     */
    { "frame-after-context-reports-its-own-ip-id", MSS, TCP_ACK | TCP_FIN,
      false, 0x4321 },
};

static void test_breaker_closes_context(NicTest *t)
{
    const Breaker *b = t->arg;
    QIoatNicRing *rx = rsc_queue(t, 8);
    Frame brk = segment_full(1234, ISN + 2 * MSS, b->len, b->flags, 0);
    g_autofree RxFrame *r = NULL;
    g_autofree RxFrame *after = NULL;

    if (b->bad_checksum) {
        brk.data[L4 + 16] ^= 0xff;
    }
    if (b->ip_id) {
        stw_be_p(brk.data + L3 + 4, b->ip_id);
        stw_be_p(brk.data + L3 + 10, 0);
        stw_be_p(brk.data + L3 + 10, ~ioat_nic_csum_fold(
                     ioat_nic_csum_add(0, brk.data + L3, 20)));
    }
    inject_segments(t, 0, 2);
    inject(t, &brk);
    wait_consumed(t);
    r = read_frame(t, rx, 0);
    expect_coalesced(r, 0, 2, false);
    after = read_frame(t, rx, r->next);
    g_assert_true(after->rsccnt_zero);
    g_assert_cmpmem(after->data, MIN(after->len, brk.len), brk.data,
                    MIN(after->len, brk.len));
    g_assert_cmpuint(after->len, ==, MAX(brk.len, 60));
    if (b->ip_id) {
        g_assert_cmphex(after->eop.rss_hash & 0xffff, ==, b->ip_id);
    }
}

/* Two flows on one queue coalesce in contexts of their own. */
static void test_flows_coalesce_separately(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    g_autofree RxFrame *a = NULL;
    g_autofree RxFrame *b = NULL;

    for (unsigned i = 0; i < 2; i++) {
        Frame fa = segment_full(1234, ISN + i * MSS, MSS, TCP_ACK, 0);
        Frame fb = segment_full(4321, ISN + i * MSS, MSS, TCP_ACK, 0);

        inject(t, &fa);
        inject(t, &fb);
    }
    interval_ends(t);
    a = read_frame(t, rx, 0);
    b = read_frame(t, rx, a->next);
    g_assert_cmpuint(a->appended, ==, 2);
    g_assert_cmpuint(b->appended, ==, 2);
    g_assert_cmpuint(lduw_be_p(a->data + L4) + lduw_be_p(b->data + L4), ==,
                     1234 + 4321);
    g_assert_cmpuint(a->len, ==, HDRS + 2 * MSS);
    g_assert_cmpuint(b->len, ==, HDRS + 2 * MSS);
}

/*
 * RSCCTL.MAXDESC bounds the descriptors of a frame: with 4, five 1448-byte
 * segments fill 7294 of 8192 bytes; the frame closes there, as a sixth
 * would not fit, and the rest start the next frame.
 */
static void test_maxdesc_bounds_frame(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue_srrctl(t, 12, ONEBUF_SRRCTL, MAXDESC_4);
    g_autofree RxFrame *r0 = NULL;
    g_autofree RxFrame *r1 = NULL;

    inject_stream(t, 0, 7, 1448);
    wait_consumed(t);
    r0 = read_frame(t, rx, 0);
    g_assert_cmpuint(r0->ndesc, ==, 4);
    g_assert_cmpuint(r0->appended, ==, 5);
    g_assert_cmpuint(r0->len, ==, HDRS + 5 * 1448);
    interval_ends(t);
    r1 = read_frame(t, rx, r0->next);
    g_assert_cmpuint(r1->appended, ==, 2);
}

/* MAXDESC 1: never a second descriptor; small segments still merge. */
static void test_maxdesc_one_keeps_frames_in_one_buffer(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue_srrctl(t, 8, ONEBUF_SRRCTL, MAXDESC_1);
    g_autofree RxFrame *r0 = NULL;
    g_autofree RxFrame *r1 = NULL;

    inject_stream(t, 0, 4, 600);
    interval_ends(t);
    r0 = read_frame(t, rx, 0);
    r1 = read_frame(t, rx, r0->next);
    g_assert_cmpuint(r0->ndesc, ==, 1);
    g_assert_cmpuint(r0->appended, ==, 3);
    g_assert_cmpuint(r1->ndesc, ==, 1);
    g_assert_true(r1->rsccnt_zero);
}

/*
 * Header split with RSC: the rewritten headers go to the header buffer
 * (SPH, HDR_LEN), the payloads fill the packet buffers.
 */
static void test_header_split_with_rsc(NicTest *t)
{
    QIoatNicRing *rx;
    g_autofree RxFrame *r = NULL;

    rx = rsc_queue_srrctl(t, 8, SPLIT_SRRCTL, MAXDESC_16);
    wr(t, IOAT_NIC_PSRTYPE(0), IOAT_NIC_PSRTYPE_TCPHDR);
    inject_segments(t, 0, 3);
    interval_ends(t);
    r = read_frame(t, rx, 0);
    g_assert_true(r->wb0.dw0 & R_RXD_WB0_SPH_MASK);
    g_assert_cmpuint(FIELD_EX32(r->wb0.dw0, RXD_WB0, HDR_LEN), ==, HDRS);
    g_assert_cmpuint(r->wb0.length, ==, BUF);
    g_assert_cmpuint(r->ndesc, ==, 2);
    expect_coalesced(r, 0, 3, false);
}

/*
 * The chain follows the ring around its end: NEXTP of the last
 * descriptor is 0.
 */
static void test_chain_wraps_at_ring_end(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, RING - 1);
    g_autofree RxFrame *r = NULL;
    Frame small = eth_frame(100);

    for (unsigned i = 0; i < RING - 2; i++) {
        inject(t, &small);
    }
    rx_wait(t, rx, RING - 3);
    ioat_nic_rx_post(t->d, rx, 2);
    inject_segments(t, 0, 5);
    interval_ends(t);
    r = read_frame(t, rx, RING - 2);
    g_assert_cmpuint(r->ndesc, ==, 3);
    g_assert_cmpuint(r->next, ==, 1);
    expect_coalesced(r, 0, 5, false);
}

/*
 * A context never takes descriptors the driver has not posted: with two,
 * it closes at two, and the next segment waits for more.
 */
static void test_context_bounded_by_posted_descriptors(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 2);
    g_autofree RxFrame *r0 = NULL;
    g_autofree RxFrame *r1 = NULL;

    inject_segments(t, 0, 5);
    wait_consumed(t);
    r0 = read_frame(t, rx, 0);
    g_assert_cmpuint(r0->ndesc, ==, 2);
    expect_coalesced(r0, 0, 4, false);
    expect_rx_empty(t, rx, 2);

    ioat_nic_rx_post(t->d, rx, 2);
    interval_ends(t);
    r1 = read_frame(t, rx, 2);
    g_assert_cmpuint(r1->len, ==, HDRS + MSS);
}

/* Disabling the queue closes its contexts first. */
static void test_queue_disable_closes_context(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    g_autofree RxFrame *r = NULL;

    inject_segments(t, 0, 2);
    wait_consumed(t);
    expect_rx_empty(t, rx, 0);
    wr(t, IOAT_NIC_RXDCTL(0), 0);
    g_assert_true(rx_wb(t, rx, 0).status & IOAT_NIC_RXD_STAT_DD);
    r = read_frame(t, rx, 0);
    expect_coalesced(r, 0, 2, false);
}

/* A device reset discards open contexts: nothing is written. */
static void test_reset_discards_context(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);

    inject_segments(t, 0, 2);
    wait_consumed(t);
    wr(t, A_CTRL, R_CTRL_RST_MASK);
    qtest_clock_step(qts(t), 2 * ITR_US * 1000);
    expect_rx_empty(t, rx, 0);
    g_assert_cmphex(rd(t, IOAT_NIC_RSCCTL(0)), ==, 0);
}

/* A stripped VLAN tag: the flow coalesces, VP and the tag on EOP. */
static void test_vlan_flow_coalesces_with_tag_stripped(NicTest *t)
{
    QIoatNicRing *rx = rsc_queue(t, 8);
    g_autofree RxFrame *r = NULL;

    wr(t, IOAT_NIC_RXDCTL(0), R_RXDCTL_ENABLE_MASK | R_RXDCTL_VME_MASK);
    for (unsigned i = 0; i < 3; i++) {
        Frame f = segment(i), tagged = vlan_tagged(&f, TCI);

        inject(t, &tagged);
    }
    interval_ends(t);
    r = read_frame(t, rx, 0);
    expect_coalesced(r, 0, 3, false);
    g_assert_true(r->eop.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmphex(r->eop.vlan, ==, TCI);
}

/* RSCCTL of queues 0-63 and 64-127 in their two blocks; RSCEN, MAXDESC. */
static void test_rscctl_in_both_queue_blocks(NicTest *t)
{
    wr(t, IOAT_NIC_RSCCTL(3), ~0u);
    wr(t, IOAT_NIC_RSCCTL(70), RSCCTL_ON(MAXDESC_4));
    g_assert_cmphex(rd(t, IOAT_NIC_RSCCTL(3)), ==,
                    R_RSCCTL_RSCEN_MASK | R_RSCCTL_MAXDESC_MASK);
    g_assert_cmphex(rd(t, IOAT_NIC_RSCCTL(70)), ==, RSCCTL_ON(MAXDESC_4));
    g_assert_cmphex(rd(t, IOAT_NIC_RSCCTL(71)), ==, 0);
}

/*
 * RSCEN on a queue that cannot coalesce (no CRC stripping in RDRXCTL or
 * HLREG0; MAXDESC beyond the ring) is a guest error naming the rule; its
 * frames arrive uncoalesced (with their CRC where HLREG0 keeps it).
 */
typedef struct BadConfig {
    const char *name;
    bool crcstrip;
    unsigned maxdesc;
    uint32_t srrctl;
    unsigned ring;
    bool crc_kept;              /* HLREG0.RXCRCSTRP clear */
} BadConfig;


static const BadConfig bad_configs[] = {
    { "rscen-without-crcstrip-is-guest-error", false, MAXDESC_4,
      ONEBUF_SRRCTL, RING },
    { "maxdesc-beyond-ring-is-guest-error", true, MAXDESC_16,
      ONEBUF_SRRCTL, 16 },
    { "rscen-with-legacy-descriptors-is-guest-error", true, MAXDESC_4,
      SRRCTL_OF(QIOAT_NIC_RX_HDR_SIZE, IOAT_NIC_DESCTYPE_LEGACY), RING },
    { "rscen-without-header-buffer-size-is-guest-error", true, MAXDESC_4,
      SRRCTL_OF(0, IOAT_NIC_DESCTYPE_ONEBUF), RING },
    { "rscen-with-crc-kept-is-guest-error", true, MAXDESC_4, ONEBUF_SRRCTL,
      RING, true },
};

static void test_bad_config(NicTest *t)
{
    const BadConfig *c = t->arg;
    QIoatNicRing *rx = rsc_ready_ring(t, c->ring, 8, c->srrctl);
    Frame f0 = segment(0), f1 = segment(1);

    if (!c->crcstrip) {
        wr(t, A_RDRXCTL, rd(t, A_RDRXCTL) & ~R_RDRXCTL_CRCSTRIP_MASK);
    }
    if (c->crc_kept) {
        wr(t, A_HLREG0, rd(t, A_HLREG0) & ~R_HLREG0_RXCRCSTRP_MASK);
    }
    wr(t, IOAT_NIC_RSCCTL(0), RSCCTL_ON(c->maxdesc));
    g_assert_true(guest_error_logged(t, "ioat_nic_err_rsc_config"));
    g_assert_true(!c->crc_kept ||
                  ioat_log_count(t->log, "ioat_nic_err_rsc_config: RSCCTL[0]: "
                                 "RSCEN set but HLREG0.RXCRCSTRP") == 1);
    inject(t, &f0);
    inject(t, &f1);
    wait_consumed(t);
    if (FIELD_EX32(c->srrctl, SRRCTL, DESCTYPE) == IOAT_NIC_DESCTYPE_LEGACY) {
        g_assert_true(qtest_readq(qts(t), rx->base + IOAT_NIC_DESC_SIZE + 8) &
                      ((uint64_t)IOAT_NIC_RXD_STAT_DD << 32));
        return;
    }
    if (c->crc_kept) {
        expect_plain_with_crc(t, rx, 0, &f0);
        expect_plain_with_crc(t, rx, 1, &f1);
        return;
    }
    expect_plain(t, rx, 0, &f0);
    expect_plain(t, rx, 1, &f1);
}

static const NicTestCase rsc_tests[] = {
    { "in-order-segments-make-one-frame",
      test_in_order_segments_make_one_frame },
    { "coalesced-frame-chains-full-buffers-with-nextp",
      test_coalesced_frame_chains_full_buffers },
    { "rsccnt-counts-segments", test_rsccnt_counts_segments },
    { "coalesced-frame-checksums-reported-good",
      test_coalesced_frame_checksums_reported_good },
    { "mac-counts-wire-segments", test_mac_counts_wire_segments },
    { "context-closes-when-interval-ends",
      test_context_closes_when_interval_ends },
    { "context-closes-when-crc-strip-turned-off",
      test_context_closes_when_crc_strip_turned_off },
    { "lone-segment-written-as-received",
      test_lone_segment_written_as_received },
    { "no-coalescing-without-rscen", test_no_coalescing_without_rscen },
    { "no-coalescing-with-rfctl-rsc-dis",
      test_no_coalescing_with_rfctl_rsc_dis },
    { "psh-closes-context", test_psh_closes_context },
    { "out-of-order-segment-closes-context",
      test_out_of_order_segment_closes_context },
    { "new-ack-number-starts-new-frame",
      test_new_ack_number_starts_new_frame },
    { "flows-coalesce-separately", test_flows_coalesce_separately },
    { "maxdesc-bounds-frame", test_maxdesc_bounds_frame },
    { "maxdesc-one-keeps-frames-in-one-buffer",
      test_maxdesc_one_keeps_frames_in_one_buffer },
    { "header-split-with-rsc", test_header_split_with_rsc },
    { "chain-wraps-at-ring-end", test_chain_wraps_at_ring_end },
    { "context-bounded-by-posted-descriptors",
      test_context_bounded_by_posted_descriptors },
    { "queue-disable-closes-context", test_queue_disable_closes_context },
    { "reset-discards-context", test_reset_discards_context },
    { "vlan-flow-coalesces-with-tag-stripped",
      test_vlan_flow_coalesces_with_tag_stripped },
    { "rscctl-in-both-queue-blocks", test_rscctl_in_both_queue_blocks },
};

static void register_ioat_nic_rsc_tests(void)
{
    ioat_nic_add_tests(QIOAT_NIC_RSC, rsc_tests, ARRAY_SIZE(rsc_tests));
    ioat_nic_add_cases(QIOAT_NIC_RSC, breakers, test_breaker_closes_context);
    ioat_nic_add_cases(QIOAT_NIC_RSC, bad_configs, test_bad_config);
}

libqos_init(register_ioat_nic_rsc_tests);
