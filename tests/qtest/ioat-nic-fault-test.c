/*
 * ioat-nic fault injection (docs/fault-injection.md): each fault armed
 * through its QOM property gives exactly the guest-visible effect it
 * names, on exactly as many events as it was armed for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "qobject/qdict.h"
#include "hw/pci/pci_regs.h"
#include "ioat-nic-fixture.h"

#define NIC_PATH        "/machine/peripheral/nic0"

static void arm(NicTest *t, const char *fault, uint32_t count)
{
    ioat_qom_set_uint(qts(t), NIC_PATH, fault, count);
}

static void set_removed(NicTest *t, bool removed)
{
    ioat_qom_set_bool(qts(t), NIC_PATH, "fault-surprise-removal", removed);
}

static uint32_t armed(NicTest *t, const char *fault)
{
    return ioat_qom_get_uint(qts(t), NIC_PATH, fault);
}

/*
 * The next @count frames from the wire are dropped and counted in
 * @counter; the frame after them is received into the first descriptor.
 */
static void expect_dropped_and_counted(NicTest *t, const char *fault,
                                       uint32_t counter)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame bad = eth_frame(100), good = other_frame(100);

    arm(t, fault, 2);
    inject(t, &bad);
    inject(t, &bad);
    inject(t, &good);
    expect_rx(t, rx, 0, &good);
    expect_rx_empty(t, rx, 1);
    g_assert_cmpuint(rd(t, counter), ==, 2);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 1);
    g_assert_cmpuint(armed(t, fault), ==, 0);
}

/* fault-rx-crc: frames failing the FCS check, dropped, in CRCERRS. */
static void test_rx_crc_dropped_and_counted(NicTest *t)
{
    expect_dropped_and_counted(t, "fault-rx-crc", A_CRCERRS);
}

/* fault-rx-length: frames with a length error, dropped, in RLEC. */
static void test_rx_length_dropped_and_counted(NicTest *t)
{
    expect_dropped_and_counted(t, "fault-rx-length", A_RLEC);
}

/*
 * fault-rx-checksum: the next frame with a checksum the MAC checks is
 * delivered with TCPE set and counted in XEC; the frame after is clean.
 */
static void test_rx_checksum_error_reported(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = ip_frame(FRAME_TCP4, 100);
    const uint32_t errs = IOAT_NIC_RXD_ERR_TCPE | IOAT_NIC_RXD_ERR_IPE;

    arm(t, "fault-rx-checksum", 1);
    inject(t, &f);
    inject(t, &f);
    g_assert_cmphex(rx_wait(t, rx, 0).status & errs, ==,
                    IOAT_NIC_RXD_ERR_TCPE);
    g_assert_cmphex(rx_wait(t, rx, 1).status & errs, ==, 0);
    expect_mem(t, rx->pkt_buf[0], f.data, f.len);
    g_assert_cmpuint(rd(t, A_XEC), ==, 1);
}

/*
 * fault-msix-lost: the next message is lost on the way, the cause stays
 * set in EICR (what a driver's watchdog finds); the one after arrives.
 */
static void test_msix_lost(NicTest *t)
{
    const unsigned other = 9;

    ioat_nic_msix_enable(t->d);
    wr(t, A_IVAR_MISC, (IOAT_NIC_IVAR_VALID | other) << 8);
    wr(t, A_EIMS, R_EICR_LSC_MASK);
    arm(t, "fault-msix-lost", 1);

    wr(t, A_EICS, R_EICR_LSC_MASK);
    g_assert_false(ioat_nic_msix_pending(t->d, other));
    g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
    g_assert_cmpuint(armed(t, "fault-msix-lost"), ==, 0);

    wr(t, A_EICR, R_EICR_LSC_MASK);
    wr(t, A_EIMS, R_EICR_LSC_MASK);
    wr(t, A_EICS, R_EICR_LSC_MASK);
    ioat_nic_wait_msix(t->d, other);
}

/*
 * fault-surprise-removal: the device is gone from the bus: register and
 * configuration reads return all ones, writes go nowhere, no frame is
 * received or sent.  Put back, it reads as before.
 */
static void test_surprise_removal(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4), *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);
    uint32_t rdt = rd(t, IOAT_NIC_RDT(0));

    set_removed(t, true);
    g_assert_cmphex(rd(t, A_STATUS), ==, 0xffffffff);
    g_assert_cmphex(qpci_config_readw(&t->d->pci_dev, PCI_VENDOR_ID), ==,
                    0xffff);
    wr(t, IOAT_NIC_RDT(0), 0);
    inject(t, &f);
    wait_consumed(t);
    post_frame(t, tx, &f);
    g_assert_true(wire_idle(t));

    set_removed(t, false);
    g_assert_cmphex(qpci_config_readw(&t->d->pci_dev, PCI_VENDOR_ID), ==,
                    0x8086);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDT(0)), ==, rdt);
    expect_rx_empty(t, rx, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 0);
}

/*
 * fault-tx-hang N: transmit takes no descriptor until N device resets
 * (what ixgbe's hang detection ends with); after them it works.
 */
static void test_tx_hang_until_reset(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    arm(t, "fault-tx-hang", 1);
    post_frame(t, tx, &f);
    g_assert_true(wire_idle(t));
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 0);

    wr(t, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmpuint(armed(t, "fault-tx-hang"), ==, 0);
    tx = tx_queue(t, 0);
    transmit(t, tx, &f);
    expect_sent(t, &f);
}

/* Cleared by hand, the stuck queue goes on with what it holds. */
static void test_tx_hang_cleared_resumes(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    arm(t, "fault-tx-hang", 3);
    post_frame(t, tx, &f);
    g_assert_true(wire_idle(t));

    arm(t, "fault-tx-hang", 0);
    ioat_nic_tx_wait(t->d, tx, 0);
    expect_sent(t, &f);
}

/*
 * fault-link-flap N: the link goes down at once and comes back 500 ms
 * later (virtual time), N times, each change raising LSC; frames sent
 * while it is down wait in the ring and go out when it is back.
 */
static void test_link_flap(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    arm(t, "fault-link-flap", 2);
    for (int i = 0; i < 2; i++) {
        g_assert_cmphex(rd(t, A_LINKS), ==, 0);
        g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
        wr(t, A_EICR, R_EICR_LSC_MASK);
        if (i == 0) {
            post_frame(t, tx, &f);
            g_assert_true(wire_idle(t));
        }
        qtest_clock_step(qts(t), 500 * 1000 * 1000);
        g_assert_true(rd(t, A_LINKS) & R_LINKS_UP_MASK);
        g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
        wr(t, A_EICR, R_EICR_LSC_MASK);
        if (i == 0) {
            ioat_nic_tx_wait(t->d, tx, 0);
            expect_sent(t, &f);
        }
        qtest_clock_step(qts(t), 500 * 1000 * 1000);
    }
    g_assert_cmpuint(armed(t, "fault-link-flap"), ==, 0);
    g_assert_true(rd(t, A_LINKS) & R_LINKS_UP_MASK);
    g_assert_false(rd(t, A_EICS) & R_EICR_LSC_MASK);
}

/* Wait in host time (the virtual clock stands) until RDH reads @rdh. */
static void wait_rdh(NicTest *t, unsigned q, uint32_t rdh)
{
    IoatPoll p = { .qts = qts(t), .sleep_us = 1000 };

    while (ioat_poll(&p)) {
        if (rd(t, IOAT_NIC_RDH(q)) == rdh) {
            return;
        }
    }
    g_error("RDH(%u) never read %u", q, rdh);
}

/*
 * fault-rx-late-writeback N: the next frame's bytes are in its buffer and
 * RDH has moved past its descriptor, but DD, its length and its interrupt
 * come fault-rx-late-writeback-ms of virtual time later; the frame behind
 * it waits, so write-backs stay in order.
 */
static void test_rx_late_writeback(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame a = eth_frame(100), b = other_frame(200);
    const unsigned vector = 3;

    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 0, false, vector);
    wr(t, A_EIMS_EX0, ~0u);
    ioat_qom_set_uint(qts(t), NIC_PATH, "fault-rx-late-writeback-ms", 50);
    arm(t, "fault-rx-late-writeback", 1);

    inject(t, &a);
    inject(t, &b);
    wait_rdh(t, 0, 1);
    expect_mem(t, rx->pkt_buf[0], a.data, a.len);
    expect_rx_empty(t, rx, 0);
    expect_rx_empty(t, rx, 1);
    g_assert_false(ioat_nic_msix_pending(t->d, vector));

    qtest_clock_step(qts(t), 49 * 1000 * 1000);
    expect_rx_empty(t, rx, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 1);

    qtest_clock_step(qts(t), 1000 * 1000);
    expect_rx(t, rx, 0, &a);
    ioat_nic_wait_msix(t->d, vector);
    expect_rx(t, rx, 1, &b);
    g_assert_cmpuint(armed(t, "fault-rx-late-writeback"), ==, 0);
}

/* A device reset loses a write-back on its way; reception goes on. */
static void test_rx_late_writeback_lost_at_reset(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame a = eth_frame(100);

    arm(t, "fault-rx-late-writeback", 1);
    inject(t, &a);
    wait_rdh(t, 0, 1);
    wr(t, A_CTRL, R_CTRL_RST_MASK);
    qtest_clock_step(qts(t), 200 * 1000 * 1000);
    expect_rx_empty(t, rx, 0);

    rx = rx_queue(t, 0, 4);
    inject(t, &a);
    expect_rx(t, rx, 0, &a);
}

/*
 * A VM that stops (for migration or a snapshot) gets the held write-back
 * at once: the guest memory saved after it has the frame complete.
 */
static void test_rx_late_writeback_done_when_vm_stops(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame a = eth_frame(100);

    arm(t, "fault-rx-late-writeback", 1);
    inject(t, &a);
    wait_rdh(t, 0, 1);
    expect_rx_empty(t, rx, 0);
    qobject_unref(qtest_qmp(qts(t), "{'execute': 'stop'}"));
    expect_rx(t, rx, 0, &a);
    qobject_unref(qtest_qmp(qts(t), "{'execute': 'cont'}"));
}

/* The delay is 1 ms to 10 s. */
static void test_rx_late_writeback_ms_range(NicTest *t)
{
    QDict *rsp;

    for (unsigned i = 0; i < 2; i++) {
        rsp = qtest_qmp(qts(t), "{'execute': 'qom-set', 'arguments': "
                        "{'path': %s, 'property': "
                        "'fault-rx-late-writeback-ms', 'value': %u}}",
                        NIC_PATH, i ? 10001 : 0);
        g_assert_true(qdict_haskey(rsp, "error"));
        qobject_unref(rsp);
    }
    g_assert_cmpuint(armed(t, "fault-rx-late-writeback-ms"), ==, 100);
}

static const NicTestCase fault_tests[] = {
    { "rx-crc-dropped-and-counted", test_rx_crc_dropped_and_counted },
    { "rx-length-dropped-and-counted", test_rx_length_dropped_and_counted },
    { "rx-checksum-error-reported", test_rx_checksum_error_reported },
    { "msix-lost", test_msix_lost },
    { "surprise-removal", test_surprise_removal },
    { "tx-hang-until-reset", test_tx_hang_until_reset },
    { "tx-hang-cleared-resumes", test_tx_hang_cleared_resumes },
    { "link-flap", test_link_flap },
    { "rx-late-writeback", test_rx_late_writeback },
    { "rx-late-writeback-lost-at-reset", test_rx_late_writeback_lost_at_reset },
    { "rx-late-writeback-done-when-vm-stops",
      test_rx_late_writeback_done_when_vm_stops },
    { "rx-late-writeback-ms-range", test_rx_late_writeback_ms_range },
};

static void register_ioat_nic_fault_tests(void)
{
    ioat_nic_add_tests(QIOAT_NIC_FAULTS, fault_tests, ARRAY_SIZE(fault_tests));
}

libqos_init(register_ioat_nic_fault_tests);
