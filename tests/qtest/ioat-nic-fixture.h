/*
 * The fixture of the ioat-nic qtests: the machine each test starts, the
 * wire (the socket netdev "hs0"), the rings and frames the tests use, and
 * registration in the areas of ioat-nic.h.  Shared by ioat-nic-test.c
 * and ioat-nic-steer-test.c; the helpers are short, so they are inline.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_NIC_FIXTURE_H
#define QOS_IOAT_NIC_FIXTURE_H

#include "libqtest.h"
#include "qemu/bswap.h"
#include "hw/net/ioat_nic_regs.h"
#include "libqos/ioat-nic.h"
#include "libqos/ioat-nic-frame.h"
#include "libqos/ioat-pci.h"

#define TEST_MAC        { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }
#define TEST_MAC_STR    "52:54:00:12:34:56"
#define TEST_ETHERTYPE  0x88b5      /* IEEE 802 local experimental */
#define NIC_QUEUES      128

static const uint8_t test_mac[] = TEST_MAC;

/*
 * The fixture.  The NIC's netdev "hs0" is one end of a socket pair, the
 * other end is the wire the test injects frames into and captures them
 * from; guest errors go to a log file.  Rings the test sets up belong to
 * the fixture too.
 */
typedef struct NicTest NicTest;
typedef void (*NicTestFunc)(NicTest *t);

struct NicTest {
    QIoatNic *d;
    QGuestAllocator *alloc;
    int wire;               /* the test's end of netdev "hs0" */
    int qemu_sock;
    char *stream_path;      /* "hs0" as a listening stream netdev */
    char *log;              /* -d guest_errors,unimp -D */
    NicTestFunc fn;
    const void *arg;        /* the test's row of its case table */
    QIoatNicRing *rx[NIC_QUEUES];
    QIoatNicRing *tx[NIC_QUEUES];
    unsigned rx_seen[NIC_QUEUES];   /* RX descriptors the test has checked */
};

static inline uint32_t rd(NicTest *t, uint32_t reg)
{
    return ioat_nic_readl(t->d, reg);
}

static inline void wr(NicTest *t, uint32_t reg, uint32_t val)
{
    ioat_nic_writel(t->d, reg, val);
}

static inline QTestState *qts(NicTest *t)
{
    return ioat_nic_qts(t->d);
}

/* Rings */

/* An empty RX ring of @size descriptors on @queue (RDH = RDT = 0). */
static inline QIoatNicRing *rx_ring(NicTest *t, unsigned queue,
                                    unsigned size, uint32_t srrctl)
{
    if (!t->rx[queue]) {
        t->rx[queue] = g_new(QIoatNicRing, 1);
    }
    t->rx_seen[queue] = 0;
    ioat_nic_rx_ring_init(t->d, t->rx[queue], queue, size, srrctl);
    return t->rx[queue];
}

/* A 16-entry ring on RX @queue with @posted buffers, receive enabled. */
static inline QIoatNicRing *rx_queue_srrctl(NicTest *t, unsigned queue,
                                            unsigned posted, uint32_t srrctl)
{
    QIoatNicRing *rx = rx_ring(t, queue, 16, srrctl);

    ioat_nic_rx_post(t->d, rx, posted);
    ioat_nic_rx_enable(t->d);
    return rx;
}

/* As rx_queue_srrctl() with one-buffer descriptors of 2 KiB. */
static inline QIoatNicRing *rx_queue(NicTest *t, unsigned queue,
                                     unsigned posted)
{
    return rx_queue_srrctl(t, queue, posted, 0);
}

/* An empty, enabled 8-entry ring on TX @queue. */
static inline QIoatNicRing *tx_queue(NicTest *t, unsigned queue)
{
    if (!t->tx[queue]) {
        t->tx[queue] = g_new(QIoatNicRing, 1);
    }
    ioat_nic_tx_ring_init(t->d, t->tx[queue], queue, 8);
    return t->tx[queue];
}

/* Frames */

typedef struct Frame {
    size_t len;
    uint8_t data[4096];
} Frame;

typedef enum {
    FRAME_TCP4,
    FRAME_TCP6,
    FRAME_UDP4,
    FRAME_UDP6,
    FRAME_RAW,              /* not IP: no header to split at */
} FrameKind;

static inline Frame eth_frame_to(const uint8_t *dst, uint16_t etype,
                                 size_t payload)
{
    Frame f;

    g_assert_cmpuint(QIOAT_NIC_ETH_HLEN + payload, <=, sizeof(f.data));
    f.len = ioat_nic_build_eth(f.data, dst, etype, payload);
    return f;
}

/* To us, of TEST_ETHERTYPE, with a patterned payload. */
static inline Frame eth_frame(size_t payload)
{
    return eth_frame_to(test_mac, TEST_ETHERTYPE, payload);
}

/* To us, of another EtherType: it differs from eth_frame()'s. */
static inline Frame other_frame(size_t payload)
{
    return eth_frame_to(test_mac, TEST_ETHERTYPE + 1, payload);
}

static inline Frame ip_frame(FrameKind kind, size_t payload)
{
    QIoatNicFlow flow;
    Frame f;

    switch (kind) {
    case FRAME_TCP4:
        ioat_nic_flow_parse(&flow, IPPROTO_TCP, "10.0.0.1", 1234,
                            "10.0.0.2", 80);
        break;
    case FRAME_TCP6:
        ioat_nic_flow_parse(&flow, IPPROTO_TCP, "fd00::1", 1234,
                            "fd00::2", 80);
        break;
    case FRAME_UDP4:
        ioat_nic_flow_parse(&flow, IPPROTO_UDP, "10.0.0.1", 5353,
                            "10.0.0.2", 4789);
        break;
    case FRAME_UDP6:
        ioat_nic_flow_parse(&flow, IPPROTO_UDP, "fd00::1", 5353,
                            "fd00::2", 4789);
        break;
    default:
        return eth_frame(payload);
    }
    g_assert_cmpuint(payload, <, sizeof(f.data) - 128);
    f.len = ioat_nic_build_ip(f.data, test_mac, &flow, payload);
    return f;
}

static inline Frame flow_frame(const QIoatNicFlow *flow, size_t payload)
{
    Frame f;

    f.len = ioat_nic_build_ip(f.data, test_mac, flow, payload);
    return f;
}

/* An 802.1Q-tagged copy of @f with @tci. */
static inline Frame vlan_tagged(const Frame *f, uint16_t tci)
{
    Frame tagged;

    g_assert_cmpuint(f->len + QIOAT_NIC_VLAN_HLEN, <=, sizeof(tagged.data));
    tagged.len = ioat_nic_vlan_tag(tagged.data, f->data, f->len, tci);
    return tagged;
}

/* A copy of @f in fresh guest memory, for a TX data descriptor. */
static inline uint64_t guest_frame(NicTest *t, const Frame *f)
{
    uint64_t addr = guest_alloc(t->alloc, f->len);

    qtest_memwrite(qts(t), addr, f->data, f->len);
    return addr;
}

/* The wire */

static inline void inject(NicTest *t, const Frame *f)
{
    ioat_nic_inject(t->wire, f->data, f->len);
}

/* @f exactly as it is: shorter than 60 bytes, a runt no MAC would send. */
static inline void inject_runt(NicTest *t, const Frame *f)
{
    ioat_nic_inject_raw(t->wire, f->data, f->len);
}

/* The next frame the NIC sent. */
static inline Frame capture(NicTest *t)
{
    Frame f;

    f.len = ioat_nic_capture(t->wire, f.data, sizeof(f.data));
    return f;
}

/* The next frame the NIC sent is @want, byte for byte. */
static inline void expect_sent(NicTest *t, const Frame *want)
{
    Frame got = capture(t);

    g_assert_cmpmem(got.data, got.len, want->data, want->len);
}

/* Nothing sent: transmission is complete when TDT's write returns. */
static inline bool wire_idle(NicTest *t)
{
    return ioat_nic_socket_idle(t->wire);
}

/* QEMU has handed every injected frame to the NIC. */
static inline void wait_consumed(NicTest *t)
{
    ioat_nic_wait_consumed(t->d, t->wire);
}

/* Receive */

static inline QIoatNicRxWb rx_wb(NicTest *t, QIoatNicRing *rx,
                                 unsigned idx)
{
    QIoatNicRxWb wb;

    ioat_nic_rx_wb(t->d, rx, idx, &wb);
    return wb;
}

/* Descriptor @idx once written back with DD. */
static inline QIoatNicRxWb rx_wait(NicTest *t, QIoatNicRing *rx,
                                   unsigned idx)
{
    QIoatNicRxWb wb;

    ioat_nic_rx_wait(t->d, rx, idx, &wb);
    return wb;
}

static inline void expect_mem(NicTest *t, uint64_t addr, const void *want,
                              size_t len)
{
    g_autofree uint8_t *got = g_malloc(len);

    qtest_memread(qts(t), addr, got, len);
    g_assert_cmpmem(got, len, want, len);
}

/* @f received whole in descriptor @idx of @rx: DD, EOP, length, bytes. */
static inline void expect_rx(NicTest *t, QIoatNicRing *rx, unsigned idx,
                             const Frame *f)
{
    QIoatNicRxWb wb = rx_wait(t, rx, idx);

    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_cmpuint(wb.length, ==, f->len);
    expect_mem(t, rx->pkt_buf[idx], f->data, f->len);
}

/* Descriptor @idx of @rx not written back. */
static inline void expect_rx_empty(NicTest *t, QIoatNicRing *rx,
                                   unsigned idx)
{
    QIoatNicRxWb wb = rx_wb(t, rx, idx);

    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_DD);
    g_assert_cmpuint(wb.length, ==, 0);
}

/* Transmit */

/* DTALEN @len with EOP and RS: a whole packet, written back. */
static inline uint32_t tx_cmd_eop(size_t len)
{
    uint32_t cmd = FIELD_DP32(0, TXD_CMD, DTALEN, len);

    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    return FIELD_DP32(cmd, TXD_CMD, RS, 1);
}

/* @f as one data descriptor with @olinfo; waits for its write-back. */
static inline unsigned transmit_olinfo(NicTest *t, QIoatNicRing *tx,
                                       const Frame *f, uint32_t olinfo)
{
    return ioat_nic_tx_frame(t->d, tx, f->data, f->len, 0, olinfo);
}

static inline unsigned transmit(NicTest *t, QIoatNicRing *tx,
                                const Frame *f)
{
    return transmit_olinfo(t, tx, f, 0);
}

/* @f in the ring and TDT moved, without waiting for its write-back. */
static inline void post_frame(NicTest *t, QIoatNicRing *tx, const Frame *f)
{
    ioat_nic_tx_put_data(t->d, tx, guest_frame(t, f), tx_cmd_eop(f->len), 0);
    ioat_nic_tx_kick(t->d, tx);
}

/* A line of the guest error log starts with trace event @event. */
static inline bool guest_error_logged(NicTest *t, const char *event)
{
    return ioat_log_events(t->log, event) > 0;
}

/*
 * Migration: the test's machine into a file, a destination machine (with
 * the NIC on a wire of its own) loading it, the fixture pointed at either.
 * patch_migration() copies a stream with its one occurrence of a 32-bit
 * big-endian value replaced, to feed a destination a corrupt state;
 * patch_migration64() the same for a 64-bit one.
 */
char *migration_file(const char *suffix);
void migrate_to_file(NicTest *t, const char *path);
QTestState *migration_destination(const char *path, int *wire,
                                  char **status);
void use_machine(NicTest *t, QTestState *qts, int wire);
void patch_migration(const char *path, const char *copy, uint32_t from,
                     uint32_t to);
void patch_migration64(const char *path, const char *copy, uint64_t from,
                       uint64_t to);

/*
 * Registration.  Each test runs on a machine of its own, with the netdev
 * and the guest error log on its command line; @arg is its t->arg.
 */
void ioat_nic_add_test(QIoatNicArea area, const char *name, NicTestFunc fn,
                       const void *arg);
/* The same with @device_opts (e.g. "pad-short-frames=on") on -device. */
void ioat_nic_add_test_opts(QIoatNicArea area, const char *name,
                            NicTestFunc fn, const char *device_opts);

/*
 * A test whose "hs0" is a listening stream netdev with nobody connected:
 * wire_connect() connects t->wire, wire_hang_up() closes it.
 */
void ioat_nic_add_stream_test(QIoatNicArea area, const char *name,
                              NicTestFunc fn);
void wire_connect(NicTest *t);
void wire_hang_up(NicTest *t);

typedef struct NicTestCase {
    const char *name;
    NicTestFunc fn;
} NicTestCase;

void ioat_nic_add_tests(QIoatNicArea area, const NicTestCase *tests, int n);

/* One test per row of case table @cases (rows have a .name), running @fn. */
#define ioat_nic_add_cases(area, cases, fn)                             \
    do {                                                                \
        for (int i_ = 0; i_ < ARRAY_SIZE(cases); i_++) {                \
            ioat_nic_add_test(area, (cases)[i_].name, fn, &(cases)[i_]); \
        }                                                               \
    } while (0)

#endif
