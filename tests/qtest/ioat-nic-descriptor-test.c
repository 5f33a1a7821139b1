/*
 * qtests for the ioat-nic (Intel 82599) descriptor formats that the Linux
 * driver does not use: legacy receive and transmit descriptors (datasheet
 * 7.1.5, 7.2.3.2.2) and the advanced receive write-back's DW1 without
 * RXCSUM.PCSD (7.1.6.2).  Area ioat-nic-descriptors; one behaviour per
 * test, each on a machine of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqos/qgraph.h"
#include "ioat-nic-fixture.h"
#include "hw/net/ioat_nic_regs.h"
#include "hw/pci/pci_regs.h"

#define LEGACY_SRRCTL   FIELD_DP32(0, SRRCTL, BSIZEPKT, \
                                   QIOAT_NIC_RX_BUF_SIZE / 1024)
#define IP_ID           0x1234  /* the identification ip_frame() writes */
#define TCI             ((2 << 13) | 0x2a)

/* The legacy receive write-back (7.1.5): the second quadword. */
typedef struct LegacyRxWb {
    uint64_t addr;
    uint16_t length;
    uint16_t csum;
    uint8_t status;
    uint8_t errors;
    uint16_t vlan;
} LegacyRxWb;

/* A legacy ring of 16 on queue 0 with @posted zeroed 2 KiB buffers. */
static QIoatNicRing *legacy_rx_queue(NicTest *t, unsigned posted)
{
    QIoatNicRing *rx = rx_ring(t, 0, 16, LEGACY_SRRCTL);

    for (unsigned i = 0; i < posted; i++) {
        uint64_t buf = guest_alloc(t->alloc, QIOAT_NIC_RX_BUF_SIZE);

        qtest_memset(qts(t), buf, 0, QIOAT_NIC_RX_BUF_SIZE);
        ioat_nic_rx_post_at(t->d, rx, buf, 0);
    }
    ioat_nic_rx_enable(t->d);
    return rx;
}

static LegacyRxWb legacy_rx_wait(NicTest *t, QIoatNicRing *rx, unsigned idx)
{
    uint64_t desc = rx->base + idx * IOAT_NIC_DESC_SIZE;
    IoatPoll p = { .qts = qts(t), .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS };
    LegacyRxWb wb;
    uint64_t qw1;

    while (ioat_poll(&p)) {
        qw1 = qtest_readq(qts(t), desc + 8);
        if (qw1 & ((uint64_t)IOAT_NIC_RXD_STAT_DD << 32)) {
            wb.addr = qtest_readq(qts(t), desc);
            wb.length = qw1;
            wb.csum = qw1 >> 16;
            wb.status = qw1 >> 32;
            wb.errors = qw1 >> 40;
            wb.vlan = qw1 >> 48;
            return wb;
        }
    }
    g_error("ioat-nic: legacy RX descriptor %u never written back", idx);
}

/* The folded ones' complement sum of @f from byte @start (7.1.5). */
static uint16_t fragment_csum(const Frame *f, size_t start)
{
    return ioat_nic_csum_fold(ioat_nic_csum_add(0, f->data + start,
                                                f->len - start));
}

/*
 * SRRCTL.DESCTYPE 0: the frame lands in the buffer; the second quadword
 * gets length, DD and EOP, the first keeps the buffer address.
 */
static void test_legacy_rx_writes_back_second_quadword(NicTest *t)
{
    QIoatNicRing *rx = legacy_rx_queue(t, 4);
    Frame f = ip_frame(FRAME_TCP4, 200);
    LegacyRxWb wb;

    inject(t, &f);
    wb = legacy_rx_wait(t, rx, 0);
    g_assert_cmphex(wb.addr, ==, rx->pkt_buf[0]);
    g_assert_cmpuint(wb.length, ==, f.len);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    expect_mem(t, rx->pkt_buf[0], f.data, f.len);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 1);
}

/* The checksum field holds the fragment checksum from RXCSUM.PCSS on. */
static void test_legacy_rx_fragment_checksum_from_pcss(NicTest *t)
{
    const size_t pcss = QIOAT_NIC_ETH_HLEN + 20;
    QIoatNicRing *rx = legacy_rx_queue(t, 4);
    Frame f = ip_frame(FRAME_UDP4, 301);

    wr(t, A_RXCSUM, FIELD_DP32(0, RXCSUM, PCSS, pcss));
    inject(t, &f);
    g_assert_cmphex(legacy_rx_wait(t, rx, 0).csum, ==, fragment_csum(&f, pcss));
}

/* A bad IPv4 header checksum: IPCS in the status, IPE in the error byte. */
static void test_legacy_rx_checksum_error_byte(NicTest *t)
{
    QIoatNicRing *rx = legacy_rx_queue(t, 4);
    Frame f = ip_frame(FRAME_TCP4, 100);
    LegacyRxWb wb;

    f.data[QIOAT_NIC_ETH_HLEN + 10] ^= 0x55;
    inject(t, &f);
    wb = legacy_rx_wait(t, rx, 0);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_IPCS);
    g_assert_cmphex(wb.errors, ==, IOAT_NIC_RXD_ERR_IPE >> 24);
}

/* RXDCTL.VME: the tag leaves the frame for the VLAN field, VP is set. */
static void test_legacy_rx_strips_vlan_tag(NicTest *t)
{
    QIoatNicRing *rx = legacy_rx_queue(t, 4);
    Frame f = ip_frame(FRAME_TCP4, 64), tagged = vlan_tagged(&f, TCI);
    LegacyRxWb wb;

    wr(t, IOAT_NIC_RXDCTL(0), R_RXDCTL_ENABLE_MASK | R_RXDCTL_VME_MASK);
    inject(t, &tagged);
    wb = legacy_rx_wait(t, rx, 0);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmphex(wb.vlan, ==, TCI);
    g_assert_cmpuint(wb.length, ==, f.len);
    expect_mem(t, rx->pkt_buf[0], f.data, f.len);
}

/* Legacy TX descriptor fields (7.2.3.2.2) */
static uint32_t legacy_lower(size_t len, size_t cso, bool ic, bool vle)
{
    uint32_t cmd = tx_cmd_eop(len);

    cmd = FIELD_DP32(cmd, TXD_LEGACY, CSO, cso);
    cmd = FIELD_DP32(cmd, TXD_LEGACY, IC, ic);
    return FIELD_DP32(cmd, TXD_CMD, VLE, vle);
}

static uint32_t legacy_upper(size_t css, uint16_t vlan)
{
    return FIELD_DP32(0, TXD_LEGACY_UPPER, CSS, css) |
           FIELD_DP32(0, TXD_LEGACY_UPPER, VLAN, vlan);
}

/* Send @f with one legacy descriptor; its DD comes back in STA. */
static void legacy_transmit(NicTest *t, const Frame *f, uint32_t lower,
                            uint32_t upper)
{
    QIoatNicRing *tx = tx_queue(t, 0);

    ioat_nic_tx_put_legacy(t->d, tx, guest_frame(t, f), lower, upper);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 0);
}

/* Without IC or VLE the frame goes out as it is. */
static void test_legacy_tx_sends_frame(NicTest *t)
{
    Frame f = ip_frame(FRAME_TCP4, 150);

    legacy_transmit(t, &f, legacy_lower(f.len, 0, false, false), 0);
    expect_sent(t, &f);
}

/*
 * IC: the ones' complement checksum from CSS to the end goes in at CSO.
 * With the pseudo-header sum there first, as a driver leaves it, the
 * result is the UDP checksum.
 */
static void test_legacy_tx_inserts_checksum(NicTest *t)
{
    const size_t l4 = QIOAT_NIC_ETH_HLEN + 20, cso = l4 + 6;
    Frame want = ip_frame(FRAME_UDP4, 333), f = want;

    ioat_nic_preload_pseudo_sum(f.data, f.len - l4);
    g_assert_cmpmem(f.data, cso, want.data, cso);
    g_assert_false(ioat_nic_l4_csum_ok(f.data, f.len));

    legacy_transmit(t, &f, legacy_lower(f.len, cso, true, false),
                    legacy_upper(l4, 0));
    expect_sent(t, &want);
}

/* VLE: the tag of the VLAN field goes in after the MAC addresses. */
static void test_legacy_tx_inserts_vlan_tag(NicTest *t)
{
    Frame f = ip_frame(FRAME_TCP4, 80), want = vlan_tagged(&f, TCI);

    legacy_transmit(t, &f, legacy_lower(f.len, 0, false, true),
                    legacy_upper(0, TCI));
    expect_sent(t, &want);
}

/* IC with CSO beyond the frame: a guest error, the frame sent unchanged. */
static void test_legacy_tx_checksum_outside_frame(NicTest *t)
{
    Frame f = ip_frame(FRAME_UDP4, 40);

    legacy_transmit(t, &f, legacy_lower(f.len, f.len - 1, true, false),
                    legacy_upper(QIOAT_NIC_ETH_HLEN, 0));
    expect_sent(t, &f);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_legacy_csum"));
}

/*
 * Advanced write-back without RXCSUM.PCSD: DW1 is the IP identification
 * (low half) and the fragment checksum (high half), not the RSS hash.
 */
static void test_dw1_without_pcsd_is_ip_id_and_checksum(NicTest *t)
{
    const size_t pcss = QIOAT_NIC_ETH_HLEN;
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = ip_frame(FRAME_TCP4, 120);
    QIoatNicRxWb wb;

    wr(t, A_RXCSUM, FIELD_DP32(0, RXCSUM, PCSS, pcss));
    inject(t, &f);
    wb = rx_wait(t, rx, 0);
    g_assert_cmphex(wb.rss_hash & 0xffff, ==, IP_ID);
    g_assert_cmphex(wb.rss_hash >> 16, ==, fragment_csum(&f, pcss));
}

/* The same frame with PCSD: DW1 is the RSS hash, 0 with RSS off. */
static void test_dw1_with_pcsd_is_rss_hash(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = ip_frame(FRAME_TCP4, 120);

    wr(t, A_RXCSUM, R_RXCSUM_PCSD_MASK);
    inject(t, &f);
    g_assert_cmphex(rx_wait(t, rx, 0).rss_hash, ==, 0);
}

/*
 * Descriptor rings: fetched and written back through the function's DMA
 * address space on every access, whatever the model keeps to reach them
 * quickly (PCI Command register, Bus Master Enable; datasheet 7.1.9,
 * 7.2.3.5).
 */

static void set_bus_master(NicTest *t, bool on)
{
    QPCIDevice *pdev = &t->d->pci_dev;
    uint16_t cmd = qpci_config_readw(pdev, PCI_COMMAND);

    cmd = on ? cmd | PCI_COMMAND_MASTER : cmd & ~PCI_COMMAND_MASTER;
    qpci_config_writew(pdev, PCI_COMMAND, cmd);
}

/* TX descriptor @idx's status dword in guest memory */
static uint32_t tx_desc_status(NicTest *t, QIoatNicRing *tx, unsigned idx)
{
    return qtest_readl(qts(t), tx->base + idx * IOAT_NIC_DESC_SIZE + 12);
}

/*
 * Bus mastering off after a frame went out of the ring: the next
 * descriptor is not fetched (a guest error), nothing is sent or written
 * back; back on, a tail write sends it.
 */
static void test_tx_ring_not_fetched_without_bus_master(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(86);

    transmit(t, tx, &f);
    expect_sent(t, &f);
    set_bus_master(t, false);
    post_frame(t, tx, &f);
    g_assert_true(wire_idle(t));
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 1);
    g_assert_false(tx_desc_status(t, tx, 1) & R_TXD_OLINFO_STA_DD_MASK);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_desc_dma"));

    set_bus_master(t, true);
    wr(t, IOAT_NIC_TDT(0), tx->tail);
    expect_sent(t, &f);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 2);
    g_assert_true(tx_desc_status(t, tx, 1) & R_TXD_OLINFO_STA_DD_MASK);
}

/* The same on receive: no descriptor fetched, nothing written back. */
static void test_rx_ring_not_fetched_without_bus_master(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = eth_frame(86);

    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    set_bus_master(t, false);
    inject(t, &f);
    wait_consumed(t);
    expect_rx_empty(t, rx, 1);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 1);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_rx_desc_dma"));
}

/*
 * A queue set up again on a ring elsewhere: its descriptors come from, and
 * are written back to, the new ring.
 */
static void test_tx_ring_moved_is_followed(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame first = eth_frame(86), second = eth_frame(120);
    uint64_t old_base;

    transmit(t, tx, &first);
    expect_sent(t, &first);
    old_base = tx->base;

    tx = tx_queue(t, 0);
    g_assert_cmphex(tx->base, !=, old_base);
    transmit(t, tx, &second);
    expect_sent(t, &second);
    g_assert_true(wire_idle(t));
    g_assert_true(tx_desc_status(t, tx, 0) & R_TXD_OLINFO_STA_DD_MASK);
}

/*
 * The same on receive: the frame lands in the new ring's buffers, the old
 * ring's next descriptor stays as it was.
 */
static void test_rx_ring_moved_is_followed(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = eth_frame(86);
    uint64_t old_base = rx->base;

    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    wr(t, IOAT_NIC_RXDCTL(0), 0);
    rx = rx_queue(t, 0, 4);
    g_assert_cmphex(rx->base, !=, old_base);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    g_assert_false(qtest_readl(qts(t), old_base + IOAT_NIC_DESC_SIZE + 8) &
                   IOAT_NIC_RXD_STAT_DD);
}

static const NicTestCase descriptor_tests[] = {
    { "legacy-rx-writes-back-second-quadword",
      test_legacy_rx_writes_back_second_quadword },
    { "legacy-rx-fragment-checksum-from-pcss",
      test_legacy_rx_fragment_checksum_from_pcss },
    { "legacy-rx-checksum-error-byte", test_legacy_rx_checksum_error_byte },
    { "legacy-rx-strips-vlan-tag", test_legacy_rx_strips_vlan_tag },
    { "legacy-tx-sends-frame", test_legacy_tx_sends_frame },
    { "legacy-tx-inserts-checksum-at-cso", test_legacy_tx_inserts_checksum },
    { "legacy-tx-inserts-vlan-tag", test_legacy_tx_inserts_vlan_tag },
    { "legacy-tx-checksum-outside-frame-is-guest-error",
      test_legacy_tx_checksum_outside_frame },
    { "dw1-without-pcsd-is-ip-id-and-fragment-checksum",
      test_dw1_without_pcsd_is_ip_id_and_checksum },
    { "dw1-with-pcsd-is-rss-hash", test_dw1_with_pcsd_is_rss_hash },
    { "tx-ring-not-fetched-without-bus-master",
      test_tx_ring_not_fetched_without_bus_master },
    { "rx-ring-not-fetched-without-bus-master",
      test_rx_ring_not_fetched_without_bus_master },
    { "tx-ring-moved-is-followed", test_tx_ring_moved_is_followed },
    { "rx-ring-moved-is-followed", test_rx_ring_moved_is_followed },
};

static void register_ioat_nic_descriptor_tests(void)
{
    ioat_nic_add_tests(QIOAT_NIC_DESCRIPTORS, descriptor_tests,
                       ARRAY_SIZE(descriptor_tests));
}

libqos_init(register_ioat_nic_descriptor_tests);
