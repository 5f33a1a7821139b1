/*
 * qtests for the ioat-nic (Intel 82599) device, one behaviour per test,
 * in the areas of libqos/ioat-nic.h: registers, receive, transmit,
 * interrupts, statistics, offloads, robustness and migration.  Each test
 * starts a machine of its own; the fixture (ioat-nic-fixture.h)
 * gives it the wire, rings and frames.  The receive steering filters are
 * tested in ioat-nic-steer-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "qobject/qdict.h"
#include "libqos/qgraph.h"
#include "ioat-nic-fixture.h"
#include "qemu/units.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"

static const uint8_t peer_mac[] = { 0x02, 0, 0, 0, 0, 0x02 };

/* Registers: PCI identity, reset values, EEPROM, link */

static void test_pci_identity(NicTest *t)
{
    QPCIDevice *pdev = &t->d->pci_dev;

    g_assert_cmphex(qpci_config_readw(pdev, PCI_VENDOR_ID), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(pdev, PCI_DEVICE_ID), ==, 0x10f9);
    g_assert_cmphex(qpci_config_readw(pdev, PCI_CLASS_DEVICE), ==,
                    PCI_CLASS_NETWORK_ETHERNET);
    g_assert_cmphex(qpci_config_readb(pdev, PCI_INTERRUPT_PIN), ==, 1);
}

static void test_bar0_is_64bit_512k_mmio(NicTest *t)
{
    IoatPciBarInfo bar = ioat_pci_probe_bar(&t->d->pci_dev, 0);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_false(bar.prefetchable);
    g_assert_cmphex(bar.size, ==, 512 * KiB);
}

static void test_bar4_is_64bit_16k_msix(NicTest *t)
{
    IoatPciBarInfo bar = ioat_pci_probe_bar(&t->d->pci_dev, 4);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_cmphex(bar.size, ==, 16 * KiB);
}

static void test_capability_list(NicTest *t)
{
    uint8_t ids[8], offs[8];
    int n = ioat_pci_cap_list(&t->d->pci_dev, ids, offs, ARRAY_SIZE(ids));

    /* PM 0x40 -> MSI 0x50 -> MSI-X 0x70 -> PCIe 0xa0 (82599 layout) */
    g_assert_cmpint(n, ==, 4);
    g_assert_cmphex(ids[0], ==, PCI_CAP_ID_PM);
    g_assert_cmphex(offs[0], ==, 0x40);
    g_assert_cmphex(ids[1], ==, PCI_CAP_ID_MSI);
    g_assert_cmphex(offs[1], ==, 0x50);
    g_assert_cmphex(ids[2], ==, PCI_CAP_ID_MSIX);
    g_assert_cmphex(offs[2], ==, 0x70);
    g_assert_cmphex(ids[3], ==, PCI_CAP_ID_EXP);
    g_assert_cmphex(offs[3], ==, 0xa0);
}

static void test_msix_64_vectors_in_bar4(NicTest *t)
{
    QPCIDevice *pdev = &t->d->pci_dev;
    uint32_t table, pba;

    /* ixgbe reads the table size from config word 0x72 directly. */
    g_assert_cmpint(qpci_config_readw(pdev, 0x72) & PCI_MSIX_FLAGS_QSIZE,
                    ==, 63);
    table = qpci_config_readl(pdev, 0x70 + PCI_MSIX_TABLE);
    pba = qpci_config_readl(pdev, 0x70 + PCI_MSIX_PBA);
    g_assert_cmpint(table & PCI_MSIX_TABLE_BIR, ==, 4);
    g_assert_cmphex(table & PCI_MSIX_TABLE_OFFSET, ==, 0);
    g_assert_cmpint(pba & PCI_MSIX_PBA_BIR, ==, 4);
    g_assert_cmphex(pba & PCI_MSIX_PBA_OFFSET, ==, 0x2000);
}

static void test_reset_ctrl_is_zero(NicTest *t)
{
    g_assert_cmphex(rd(t, A_CTRL), ==, 0);
}

static void test_reset_status_link_up_gio_enabled(NicTest *t)
{
    /* LAN ID 0, link up (the socket peer is up), GIO master enabled */
    g_assert_cmphex(rd(t, A_STATUS), ==,
                    R_STATUS_LINK_UP_MASK | R_STATUS_GIO_MASTER_EN_MASK);
}

static void test_links_reports_10g_up(NicTest *t)
{
    g_assert_cmphex(rd(t, A_LINKS), ==, 0xf0000000);
}

static void test_mac_in_ral0_rah0(NicTest *t)
{
    g_assert_cmphex(rd(t, A_RAL0), ==, ldl_le_p(test_mac));
    g_assert_cmphex(rd(t, A_RAH0), ==,
                    lduw_le_p(test_mac + 4) | R_RAH0_AV_MASK);
}

static void test_ctrl_rst_self_clears_and_restores(NicTest *t)
{
    wr(t, A_RAL0, 0xdeadbeef);
    wr(t, A_RAH0, 0);
    wr(t, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(rd(t, A_CTRL), ==, 0);
    g_assert_cmphex(rd(t, A_RAL0), ==, ldl_le_p(test_mac));
    g_assert_cmphex(rd(t, A_RAH0), ==,
                    lduw_le_p(test_mac + 4) | R_RAH0_AV_MASK);
}

/*
 * CTRL.RST resets the registers but not PCI configuration space or the
 * MSI-X table (datasheet 4.2.1.3).
 */
static void test_ctrl_rst_keeps_msix_table(NicTest *t)
{
    QPCIDevice *pdev = &t->d->pci_dev;
    uint64_t entry;
    uint16_t cmd;

    ioat_nic_msix_enable(t->d);
    entry = pdev->msix_table_off + 5 * PCI_MSIX_ENTRY_SIZE;
    qpci_io_writel(pdev, pdev->msix_table_bar,
                   entry + PCI_MSIX_ENTRY_LOWER_ADDR, 0xfee01000);
    qpci_io_writel(pdev, pdev->msix_table_bar,
                   entry + PCI_MSIX_ENTRY_DATA, 0x4125);
    cmd = qpci_config_readw(pdev, PCI_COMMAND);

    wr(t, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(qpci_io_readl(pdev, pdev->msix_table_bar,
                                  entry + PCI_MSIX_ENTRY_LOWER_ADDR), ==,
                    0xfee01000);
    g_assert_cmphex(qpci_io_readl(pdev, pdev->msix_table_bar,
                                  entry + PCI_MSIX_ENTRY_DATA), ==, 0x4125);
    g_assert_cmphex(qpci_config_readw(pdev, PCI_COMMAND), ==, cmd);
    g_assert_true(qpci_config_readw(pdev, 0x70 + PCI_MSIX_FLAGS) &
                  PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmphex(rd(t, A_GPIE), ==, 0);
}

static void test_status_is_read_only(NicTest *t)
{
    uint32_t before = rd(t, A_STATUS);

    wr(t, A_STATUS, ~before);
    g_assert_cmphex(rd(t, A_STATUS), ==, before);
}

/* Writing a read-only register is a guest error that names it. */
static void test_read_only_write_is_guest_error(NicTest *t)
{
    wr(t, A_LINKS, 0);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_err_ro_write: LINKS[0]"),
                     ==, 1);
    g_assert_cmphex(rd(t, A_LINKS), ==, 0xf0000000);
}

/* 0x0000c lies between STATUS and CTRL_EXT, where no register is. */
#define UNIMPLEMENTED_OFFSET    0x0000c

static void test_unimplemented_offset_reads_zero(NicTest *t)
{
    wr(t, UNIMPLEMENTED_OFFSET, 0xdeadbeef);
    g_assert_cmphex(rd(t, UNIMPLEMENTED_OFFSET), ==, 0);
}

/* The first access to an unimplemented offset is reported, no later one. */
static void test_unimplemented_offset_reported_once(NicTest *t)
{
    rd(t, UNIMPLEMENTED_OFFSET);
    rd(t, UNIMPLEMENTED_OFFSET);
    wr(t, UNIMPLEMENTED_OFFSET, 1);
    wr(t, UNIMPLEMENTED_OFFSET + 4, 1);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_unimp_read"), ==, 1);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_write: offset "
                                    "0x00010 "), ==, 1);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_unimp_write"), ==, 1);
}

/*
 * A register stored but not modelled (flow control thresholds) reads back
 * what was written; the first write away from its reset value, to any of
 * its instances, is reported once.
 */
static void test_unmodelled_register_reads_back_reported_once(NicTest *t)
{
    wr(t, IOAT_NIC_FCRTH(0), 0);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_unimp_reg"), ==, 0);
    for (unsigned i = 0; i < 8; i++) {
        wr(t, IOAT_NIC_FCRTH(i), 0x80000100 + 0x10 * i);
    }
    for (unsigned i = 0; i < 8; i++) {
        g_assert_cmphex(rd(t, IOAT_NIC_FCRTH(i)), ==, 0x80000100 + 0x10 * i);
    }
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_reg: FCRTH[0] "),
                     ==, 1);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_unimp_reg"), ==, 1);
}

/*
 * EIAM's auto-masking on EICR reads (MSI and INTx mode) is not modelled:
 * setting it is reported.
 */
static void test_eiam_reported(NicTest *t)
{
    wr(t, A_EIAM, 0xffff);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_reg: EIAM[0] "),
                     ==, 1);
}

/* A Flow Director command while FDIRCTRL.PBALLOC is 0 is a guest error. */
static void test_fdir_command_while_off_is_guest_error(NicTest *t)
{
    wr(t, A_FDIRCMD, 0x00038849);       /* add a perfect TCP4 filter */
    g_assert_cmphex(rd(t, A_FDIRCMD) & R_FDIRCMD_CMD_MASK, ==, 0);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_fdir_off"));
    g_assert_cmpuint(rd(t, A_FDIRUSTAT), ==, 0);
}

/*
 * The legacy windows of the first 16 queues and filters (8.2.3.8.7,
 * 8.2.3.7.9, 8.2.3.7.10, 8.2.3.7.4) are the registers they name.
 */
static void test_legacy_alias_windows(NicTest *t)
{
    wr(t, IOAT_NIC_SRRCTL_ALIAS(3), 0x02000402);
    g_assert_cmphex(rd(t, IOAT_NIC_SRRCTL(3)), ==, 0x02000402);
    wr(t, IOAT_NIC_SRRCTL(15), 0x02000203);
    g_assert_cmphex(rd(t, IOAT_NIC_SRRCTL_ALIAS(15)), ==, 0x02000203);
    wr(t, IOAT_NIC_RAL_ALIAS(2), 0x44332211);
    wr(t, IOAT_NIC_RAH_ALIAS(2), R_RAH0_AV_MASK | 0x6655);
    g_assert_cmphex(rd(t, IOAT_NIC_RAL(2)), ==, 0x44332211);
    g_assert_cmphex(rd(t, IOAT_NIC_RAH(2)), ==, R_RAH0_AV_MASK | 0x6655);
    wr(t, IOAT_NIC_PSRTYPE(7), IOAT_NIC_PSRTYPE_TCPHDR);
    g_assert_cmphex(rd(t, IOAT_NIC_PSRTYPE_ALIAS(7)), ==,
                    IOAT_NIC_PSRTYPE_TCPHDR);
    /* Queue 16 has no legacy window: the next dword is another register. */
    wr(t, IOAT_NIC_SRRCTL(16), 0x02000402);
    g_assert_cmphex(rd(t, IOAT_NIC_SRRCTL_ALIAS(16)), ==, 0);
}

/* Bits that start an action read back 0; reserved bits stay 0. */
static void test_self_clearing_and_reserved_bits(NicTest *t)
{
    wr(t, IOAT_NIC_RXDCTL(1), R_RXDCTL_SWFLSH_MASK | R_RXDCTL_VME_MASK);
    g_assert_cmphex(rd(t, IOAT_NIC_RXDCTL(1)), ==, R_RXDCTL_VME_MASK);
    wr(t, A_AUTOC, rd(t, A_AUTOC) | R_AUTOC_AN_RESTART_MASK);
    g_assert_false(rd(t, A_AUTOC) & R_AUTOC_AN_RESTART_MASK);
    wr(t, IOAT_NIC_RDLEN(0), 0xffffffff);
    g_assert_cmphex(rd(t, IOAT_NIC_RDLEN(0)), ==, 0x000fff80);
    wr(t, IOAT_NIC_TDBAL(0), 0xffffffff);
    g_assert_cmphex(rd(t, IOAT_NIC_TDBAL(0)), ==, 0xffffff80);
    wr(t, IOAT_NIC_RAH(5), 0xffffffff);
    g_assert_cmphex(rd(t, IOAT_NIC_RAH(5)), ==, 0x8000ffff);
    wr(t, A_RDRXCTL, 0);
    g_assert_cmphex(rd(t, A_RDRXCTL), ==, R_RDRXCTL_DMAIDONE_MASK);
}

/* Reset values the driver depends on (datasheet 8.2.3). */
static void test_reset_register_defaults(NicTest *t)
{
    static const struct {
        uint32_t reg, mask, val;
    } defaults[] = {
        { A_CTRL_EXT,   ~0u,        0 },
        { A_EICR,       ~0u,        0 },
        { A_EIMS,       ~0u,        0 },
        { A_GPIE,       ~0u,        0 },
        { A_RXCTRL,     ~0u,        0 },
        { A_FCTRL,      ~0u,        0 },
        { A_MRQC,       ~0u,        0 },
        { A_SWSM,       ~0u,        0 },
        { A_GSSR,       ~0u,        0 },
        { A_FWSM,       ~0u,        0x00008000 },   /* firmware valid */
        { A_AUTOC,      ~0u,        0x00002100 },   /* 10G, no AN, CX4 */
        { A_ANLP1,      0x000f0000, 0x00010000 },   /* AN_STATE != 0 */
        { A_HLREG0,     0x00000403, 0x00000403 },   /* TXCRCEN, RXCRCSTRP, */
                                                    /* TXPADEN */
        { A_MAXFRS,     ~0u,        1518 << 16 },
        { A_RXPBSIZE0,  ~0u,        512 << 10 },
        { A_TXPBSIZE0,  ~0u,        160 << 10 },
        { A_DMATXCTL,   ~0u,        0x8100 << 16 }, /* VT 0x8100, TE 0 */
        { A_VLNCTRL,    ~0u,        0x8100 },
        { A_RDRXCTL,    0x00000008, 0x00000008 },   /* DMAIDONE */
        { A_SECTXSTAT,  ~0u,        0x3 },
        { A_SECRXSTAT,  ~0u,        0x3 },
    };

    for (int i = 0; i < ARRAY_SIZE(defaults); i++) {
        g_test_message("register 0x%05x", defaults[i].reg);
        g_assert_cmphex(rd(t, defaults[i].reg) & defaults[i].mask,
                        ==, defaults[i].val);
    }
}

/* EEC: EEPROM present, auto-read done, 1024 words (8.2.3.2.1). */
static void test_eec_eeprom_present_1024_words(NicTest *t)
{
    uint32_t eec = rd(t, A_EEC);

    g_assert_true(FIELD_EX32(eec, EEC, PRES));
    g_assert_true(FIELD_EX32(eec, EEC, ARD));
    g_assert_cmpuint(1u << (FIELD_EX32(eec, EEC, SIZE) + 6), ==, 1024);
}

/* EEC's status bits are the device's: a write of 0 leaves them. */
static void test_eec_status_bits_read_only(NicTest *t)
{
    uint32_t eec = rd(t, A_EEC);

    wr(t, A_EEC, 0);
    g_assert_cmphex(rd(t, A_EEC), ==, eec & ~(R_EEC_SK_MASK | R_EEC_CS_MASK |
                                             R_EEC_DI_MASK | R_EEC_FWE_MASK |
                                             R_EEC_REQ_MASK));
}

/*
 * A request for the EEPROM's pins (EEC.REQ, to bit-bang it) is never
 * granted and is reported, once.
 */
static void test_eec_request_not_granted_reported(NicTest *t)
{
    wr(t, A_EEC, rd(t, A_EEC) | R_EEC_REQ_MASK);
    g_assert_false(FIELD_EX32(rd(t, A_EEC), EEC, GNT));
    wr(t, A_EEC, rd(t, A_EEC) | R_EEC_REQ_MASK);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_reg: EEC[0] "),
                     ==, 1);
}

/*
 * The datasheet's full checksum (6.3): words 0x00-0x3f plus the
 * sections the pointers in 0x03-0x0e name (without their length words)
 * add up to 0xbaba, and every section lies inside the 1024 words EEC
 * reports.
 */
static void test_eeprom_checksum_is_baba(NicTest *t)
{
    uint16_t sum = 0;

    for (unsigned w = 0; w <= 0x3f; w++) {
        sum += ioat_nic_eeprom_read(t->d, w);
    }
    for (unsigned p = 0x03; p <= 0x0e; p++) {
        uint16_t ptr = ioat_nic_eeprom_read(t->d, p), len;

        if (ptr == 0 || ptr == 0xffff) {
            continue;
        }
        g_assert_cmpuint(ptr, <, 1024);
        len = ioat_nic_eeprom_read(t->d, ptr);
        if (len == 0 || len == 0xffff) {
            continue;
        }
        g_assert_cmpuint(ptr + len, <, 1024);
        for (unsigned w = ptr + 1; w <= ptr + len; w++) {
            sum += ioat_nic_eeprom_read(t->d, w);
        }
    }
    g_assert_cmphex(sum, ==, 0xbaba);
}

/* The LAN core 0 module (word 0x09 points at it) holds the MAC address. */
static void test_eeprom_lan_core_module_holds_mac(NicTest *t)
{
    uint16_t ptr = ioat_nic_eeprom_read(t->d, 0x09);

    g_assert_cmphex(ptr, !=, 0xffff);
    g_assert_cmpuint(ptr + 3, <, 1024);
    g_assert_cmpuint(ioat_nic_eeprom_read(t->d, ptr), >=, 3);
    for (unsigned i = 0; i < 3; i++) {
        g_assert_cmphex(ioat_nic_eeprom_read(t->d, ptr + 1 + i), ==,
                        lduw_le_p(test_mac + 2 * i));
    }
}

/* EERD beyond the 1024 words EEC.SIZE reports wraps and is a guest error. */
static void test_eeprom_read_beyond_size_wraps(NicTest *t)
{
    g_assert_cmphex(ioat_nic_eeprom_read(t->d, 1024 + 0x15), ==,
                    ioat_nic_eeprom_read(t->d, 0x15));
    g_assert_true(guest_error_logged(t, "ioat_nic_err_eeprom_addr"));
}

static void set_link(NicTest *t, const char *name, bool up)
{
    qtest_qmp_assert_success(qts(t),
                             "{'execute': 'set_link', 'arguments': "
                             "{'name': %s, 'up': %i}}", name, up);
}

/*
 * set_link, naming the netdev or the NIC itself: LINKS and STATUS follow
 * the link.
 */
static void test_set_link_toggles_links(NicTest *t)
{
    static const char *const names[] = { "hs0", "nic0" };

    for (int i = 0; i < ARRAY_SIZE(names); i++) {
        set_link(t, names[i], false);
        g_assert_cmphex(rd(t, A_LINKS), ==, 0);
        g_assert_false(rd(t, A_STATUS) & R_STATUS_LINK_UP_MASK);
        set_link(t, names[i], true);
        g_assert_cmphex(rd(t, A_LINKS), ==, 0xf0000000);
        g_assert_true(rd(t, A_STATUS) & R_STATUS_LINK_UP_MASK);
    }
}

/* Receive: rings, filters, header split, RSS (datasheet 7.1) */

/* A frame from the wire in the first posted buffer, DD|EOP, RDH moved. */
static void test_rx_frame_from_socket(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = eth_frame(86);

    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 1);
    expect_rx_empty(t, rx, 1);
}

typedef struct EtqfCase {
    const char *name;
    unsigned queue;
} EtqfCase;

static const EtqfCase etqf_cases[] = {
    { "rx-etqf-queue-0", 0 },
    { "rx-etqf-queue-1", 1 },
    { "rx-etqf-queue-63", 63 },
    { "rx-etqf-queue-127", 127 },
};

/* An EtherType filter sends the frame to RX queue N (7.1.2.3). */
static void test_rx_etqf_queue(NicTest *t)
{
    const EtqfCase *c = t->arg;
    QIoatNicRing *rx = rx_queue(t, c->queue, 4);
    Frame f = eth_frame(100);

    ioat_nic_route_ethertype(t->d, 3, TEST_ETHERTYPE, c->queue);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(c->queue)), ==, 1);
}

/*
 * The EtherType filters compare the frame's EtherType, after an 802.1Q
 * tag if there is one (7.1.2.3): a tagged frame follows its filter too.
 */
static void test_rx_etqf_after_vlan_tag(NicTest *t)
{
    const unsigned queue = 9;
    QIoatNicRing *rx = rx_queue(t, queue, 4);
    Frame f = eth_frame(100), tagged = vlan_tagged(&f, 100);

    ioat_nic_route_ethertype(t->d, 2, TEST_ETHERTYPE, queue);
    inject(t, &tagged);
    expect_rx(t, rx, 0, &tagged);
}

/*
 * A frame larger than BSIZEPKT fills consecutive descriptors, each with
 * its own length and DD, EOP only on the last (7.1.6.2).
 */
static void test_rx_frame_spans_descriptors(NicTest *t)
{
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 1);
    Frame f = eth_frame(1500);
    QIoatNicRing *rx;
    QIoatNicRxWb wb;

    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    rx = rx_queue_srrctl(t, 0, 4, srrctl);
    inject(t, &f);

    wb = rx_wait(t, rx, 1);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_cmpuint(wb.length, ==, f.len - 1024);
    expect_mem(t, rx->pkt_buf[1], f.data + 1024, f.len - 1024);
    wb = rx_wb(t, rx, 0);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD);
    g_assert_cmpuint(wb.length, ==, 1024);
    expect_mem(t, rx->pkt_buf[0], f.data, 1024);
    expect_rx_empty(t, rx, 2);
}

/* A frame that finds no free descriptor waits for the next RDT write. */
static void test_rx_held_until_rdt_advances(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 0);
    Frame f = eth_frame(100);

    inject(t, &f);
    wait_consumed(t);
    expect_rx_empty(t, rx, 0);
    ioat_nic_rx_post(t->d, rx, 1);
    expect_rx(t, rx, 0, &f);
}

/*
 * SRRCTL.DROP_EN: without a free descriptor the frame is dropped and
 * counted in QPRDC, not held (8.2.3.8.7).
 */
static void test_rx_drop_en_drops_without_descriptors(NicTest *t)
{
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 2);
    Frame dropped = eth_frame(100), f = other_frame(100);
    QIoatNicRing *rx;

    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DROP_EN, 1);
    rx = rx_queue_srrctl(t, 0, 0, srrctl);
    inject(t, &dropped);
    wait_consumed(t);
    g_assert_cmpuint(rd(t, IOAT_NIC_QPRDC(0)), ==, 1);

    ioat_nic_rx_post(t->d, rx, 2);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    expect_rx_empty(t, rx, 1);
}

/*
 * Destination address filtering (7.1.1.1): a frame not accepted is
 * dropped, not held, as the frame after it shows.  Unicast needs an
 * RAL/RAH entry (here entry 1, through its 0x5408 alias) or FCTRL.UPE;
 * broadcast needs FCTRL.BAM; multicast needs, with MCSTCTRL.MFE, its MTA
 * bit, indexed by address bits 47:36 when MO = 0 (8.2.3.7.7).
 */
static void test_rx_address_filter(NicTest *t)
{
    static const uint8_t second[] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
    static const uint8_t other[] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
    static const uint8_t bcast[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t mcast[] = { 0x33, 0x33, 0x00, 0x00, 0x12, 0x34 };
    unsigned mta = (mcast[4] >> 4) | (mcast[5] << 4), idx = 0;
    Frame to_second = eth_frame_to(second, TEST_ETHERTYPE, 100);
    Frame to_other = eth_frame_to(other, TEST_ETHERTYPE, 100);
    Frame to_bcast = eth_frame_to(bcast, TEST_ETHERTYPE, 100);
    Frame to_mcast = eth_frame_to(mcast, TEST_ETHERTYPE, 100);
    QIoatNicRing *rx;

    wr(t, IOAT_NIC_RAL_ALIAS(1), ldl_le_p(second));
    wr(t, IOAT_NIC_RAL_ALIAS(1) + 4, lduw_le_p(second + 4) | R_RAH0_AV_MASK);
    g_assert_cmphex(rd(t, IOAT_NIC_RAL(1)), ==, ldl_le_p(second));
    rx = rx_ring(t, 0, 16, 0);
    ioat_nic_rx_post(t->d, rx, 8);
    wr(t, A_MCSTCTRL, R_MCSTCTRL_MFE_MASK);
    wr(t, A_FCTRL, 0);
    wr(t, A_RXCTRL, R_RXCTRL_RXEN_MASK);

    inject(t, &to_other);
    inject(t, &to_bcast);
    inject(t, &to_mcast);
    inject(t, &to_second);
    expect_rx(t, rx, idx++, &to_second);

    wr(t, A_FCTRL, R_FCTRL_UPE_MASK);
    inject(t, &to_other);
    expect_rx(t, rx, idx++, &to_other);

    wr(t, A_FCTRL, R_FCTRL_BAM_MASK);
    inject(t, &to_bcast);
    expect_rx(t, rx, idx++, &to_bcast);

    wr(t, IOAT_NIC_MTA(mta >> 5), 1u << (mta & 31));
    inject(t, &to_mcast);
    expect_rx(t, rx, idx++, &to_mcast);
    expect_rx_empty(t, rx, idx);
}

/*
 * VLNCTRL.VFE: a tagged frame whose VID has no VFTA bit is dropped; one
 * with its bit set, and untagged frames, are received (7.1.1.2).
 */
static void test_vlan_filter_vfta(NicTest *t)
{
    Frame f = ip_frame(FRAME_TCP4, 64);
    Frame pass = vlan_tagged(&f, 100), drop = vlan_tagged(&f, 200);
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    wr(t, A_VLNCTRL, rd(t, A_VLNCTRL) | R_VLNCTRL_VFE_MASK);
    wr(t, IOAT_NIC_VFTA(100 / 32), 1u << (100 % 32));

    inject(t, &drop);
    inject(t, &pass);
    inject(t, &f);
    expect_rx(t, rx, 0, &pass);
    expect_rx(t, rx, 1, &f);
    expect_rx_empty(t, rx, 2);
}

/* Header split (datasheet 7.1.10) */

typedef struct SplitCase {
    const char *name;
    unsigned desctype;
    FrameKind kind;
} SplitCase;

static const SplitCase split_cases[] = {
    { "header-split-tcp4", IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_TCP4 },
    { "header-split-udp6", IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_UDP6 },
    { "header-split-raw-ethertype", IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_RAW },
    { "split-always-tcp4", IOAT_NIC_DESCTYPE_SPLIT_ALWAYS, FRAME_TCP4 },
    { "split-always-udp6", IOAT_NIC_DESCTYPE_SPLIT_ALWAYS, FRAME_UDP6 },
    { "split-always-raw-ethertype", IOAT_NIC_DESCTYPE_SPLIT_ALWAYS,
      FRAME_RAW },
};

/*
 * TCP and UDP split at the start of their payload: the headers go to the
 * header buffer, HDR_LEN gives their size and SPH is set.  A frame with
 * no header to split at goes whole to the packet buffer in header-split
 * mode; in split-always mode the header buffer takes its first BSIZEHDR
 * bytes and the packet buffer the rest, with SPH clear.
 */
static void test_header_split(NicTest *t)
{
    const SplitCase *c = t->arg;
    Frame f = ip_frame(c->kind, 200);
    uint8_t hdr_buf[QIOAT_NIC_RX_HDR_SIZE] = { };
    bool sph = c->kind != FRAME_RAW;
    size_t hdr = 0;
    QIoatNicRing *rx;
    QIoatNicRxWb wb;
    uint32_t srrctl;

    if (sph) {
        hdr = ioat_nic_l4_offset(f.data) + ioat_nic_l4_hlen(f.data);
    } else if (c->desctype == IOAT_NIC_DESCTYPE_SPLIT_ALWAYS) {
        hdr = QIOAT_NIC_RX_HDR_SIZE;
    }

    srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, QIOAT_NIC_RX_BUF_SIZE / 1024);
    srrctl = FIELD_DP32(srrctl, SRRCTL, BSIZEHDR, QIOAT_NIC_RX_HDR_SIZE / 64);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, c->desctype);
    wr(t, IOAT_NIC_PSRTYPE(0),
       IOAT_NIC_PSRTYPE_TCPHDR | IOAT_NIC_PSRTYPE_UDPHDR |
       IOAT_NIC_PSRTYPE_IPV4HDR | IOAT_NIC_PSRTYPE_IPV6HDR);
    rx = rx_queue_srrctl(t, 0, 4, srrctl);
    inject(t, &f);
    wb = rx_wait(t, rx, 0);

    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_false(wb.status & IOAT_NIC_RXD_ERR_HBO);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, SPH), ==, sph);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, HDR_LEN), ==, hdr);
    g_assert_cmpuint(wb.length, ==, f.len - hdr);

    /* The header buffer holds the header and nothing past it. */
    memcpy(hdr_buf, f.data, hdr);
    expect_mem(t, rx->hdr_buf[0], hdr_buf, sizeof(hdr_buf));
    expect_mem(t, rx->pkt_buf[0], f.data + hdr, f.len - hdr);
}

/*
 * HDR_LEN has 10 bits: with a 1 KiB header buffer in split-always mode a
 * frame without a split point puts its first 1023 bytes in the header
 * buffer and the rest in the packet buffer, so that HDR_LEN + PKT_LEN is
 * the frame's length.
 */
static void test_split_always_header_fits_hdr_len(NicTest *t)
{
    const size_t hdr_size = 1024;
    Frame f = eth_frame(1200 - QIOAT_NIC_ETH_HLEN);
    uint64_t hdr = guest_alloc(t->alloc, hdr_size);
    uint64_t pkt = guest_alloc(t->alloc, QIOAT_NIC_RX_BUF_SIZE);
    QIoatNicRing *rx;
    QIoatNicRxWb wb;
    uint32_t srrctl;
    size_t hdr_len;

    srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, QIOAT_NIC_RX_BUF_SIZE / 1024);
    srrctl = FIELD_DP32(srrctl, SRRCTL, BSIZEHDR, hdr_size / 64);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE,
                        IOAT_NIC_DESCTYPE_SPLIT_ALWAYS);
    rx = rx_ring(t, 0, 16, srrctl);
    qtest_memset(qts(t), hdr, 0, hdr_size);
    qtest_memset(qts(t), pkt, 0, QIOAT_NIC_RX_BUF_SIZE);
    ioat_nic_rx_post_at(t->d, rx, pkt, hdr);
    ioat_nic_rx_enable(t->d);
    inject(t, &f);
    wb = rx_wait(t, rx, 0);

    hdr_len = FIELD_EX32(wb.dw0, RXD_WB0, HDR_LEN);
    g_assert_cmpuint(hdr_len, ==, hdr_size - 1);
    g_assert_cmpuint(hdr_len + wb.length, ==, f.len);
    expect_mem(t, hdr, f.data, hdr_len);
    expect_mem(t, pkt, f.data + hdr_len, f.len - hdr_len);
}

/* RSS (datasheet 7.1.2.8), against the published verification suite */

static const uint8_t rss_key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
    0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
    0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
    0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
    0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

typedef struct RssVector {
    const char *dst;
    uint16_t dport;
    const char *src;
    uint16_t sport;
    uint32_t hash_ip;       /* addresses only */
    uint32_t hash_l4;       /* addresses and ports */
} RssVector;

static const RssVector rss_ipv4[] = {
    { "161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178 },
    { "65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea },
    { "12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a },
    { "209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f },
    { "202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2 },
};

static const RssVector rss_ipv6[] = {
    { "3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794,
      0x2cc18cd5, 0x40207d3d },
    { "ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230,
      0x0f0c461c, 0xdde51bbf },
    { "fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf",
      44251, 0x4b61e985, 0x02d1feef },
};

typedef struct RssCase {
    const char *name;
    bool ipv6;
    uint8_t proto;          /* the frames' L4 protocol */
    bool ports;             /* the MRQC field for that L4 protocol is on */
    uint8_t rss_type;       /* expected in DW0 3:0 */
} RssCase;

static const RssCase rss_cases[] = {
    { "rss-ipv4-vectors", false, IPPROTO_TCP, false,
      IOAT_NIC_RSS_TYPE_IPV4 },
    { "rss-ipv4-tcp-vectors", false, IPPROTO_TCP, true,
      IOAT_NIC_RSS_TYPE_IPV4_TCP },
    { "rss-ipv4-udp-vectors", false, IPPROTO_UDP, true,
      IOAT_NIC_RSS_TYPE_IPV4_UDP },
    { "rss-ipv6-vectors", true, IPPROTO_TCP, false,
      IOAT_NIC_RSS_TYPE_IPV6 },
    { "rss-ipv6-tcp-vectors", true, IPPROTO_TCP, true,
      IOAT_NIC_RSS_TYPE_IPV6_TCP },
    { "rss-ipv6-udp-vectors", true, IPPROTO_UDP, true,
      IOAT_NIC_RSS_TYPE_IPV6_UDP },
};

#define RSS_QUEUES      16

/* RETA entry i -> queue; a scrambled table, not the identity. */
static unsigned rss_reta_queue(unsigned entry)
{
    return (entry * 7 + 3) % RSS_QUEUES;
}

/* The key, the RETA, and 8-entry rings with 6 buffers on queues 0-15. */
static void rss_setup(NicTest *t, uint32_t mrqc)
{
    for (unsigned i = 0; i < 10; i++) {
        wr(t, IOAT_NIC_RSSRK(i), ldl_le_p(rss_key + 4 * i));
    }
    for (unsigned i = 0; i < 32; i++) {
        uint32_t reta = 0;

        for (unsigned b = 0; b < 4; b++) {
            reta |= rss_reta_queue(4 * i + b) << (8 * b);
        }
        wr(t, IOAT_NIC_RETA(i), reta);
    }
    wr(t, A_RXCSUM, R_RXCSUM_PCSD_MASK);
    wr(t, A_MRQC, mrqc);
    for (unsigned q = 0; q < RSS_QUEUES; q++) {
        ioat_nic_rx_post(t->d, rx_ring(t, q, 8, 0), 6);
    }
    ioat_nic_rx_enable(t->d);
}

/*
 * Every row of the suite, through the receive path: the hash lands in
 * DW1, the hash type in DW0, and the frame on queue RETA[hash & 0x7f].
 */
static void test_rss_vectors(NicTest *t)
{
    const RssCase *c = t->arg;
    const RssVector *rows = c->ipv6 ? rss_ipv6 : rss_ipv4;
    unsigned nrows = c->ipv6 ? ARRAY_SIZE(rss_ipv6) : ARRAY_SIZE(rss_ipv4);
    unsigned used[RSS_QUEUES] = { };
    uint32_t mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);

    mrqc = FIELD_DP32(mrqc, MRQC, IPV4, !c->ipv6);
    mrqc = FIELD_DP32(mrqc, MRQC, IPV6, c->ipv6);
    if (c->ports && c->proto == IPPROTO_TCP) {
        mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, !c->ipv6);
        mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV6, c->ipv6);
    } else if (c->ports) {
        mrqc = FIELD_DP32(mrqc, MRQC, UDPIPV4, !c->ipv6);
        mrqc = FIELD_DP32(mrqc, MRQC, UDPIPV6, c->ipv6);
    }
    rss_setup(t, mrqc);

    for (unsigned i = 0; i < nrows; i++) {
        uint32_t hash = c->ports ? rows[i].hash_l4 : rows[i].hash_ip;
        unsigned q = rss_reta_queue(hash & 0x7f);
        QIoatNicFlow flow;
        QIoatNicRxWb wb;
        Frame f;

        g_test_message("row %u: %s -> %s, queue %u", i, rows[i].src,
                       rows[i].dst, q);
        ioat_nic_flow_parse(&flow, c->proto, rows[i].src, rows[i].sport,
                            rows[i].dst, rows[i].dport);
        f = flow_frame(&flow, 64);
        inject(t, &f);
        wb = rx_wait(t, t->rx[q], used[q]);
        g_assert_cmphex(wb.rss_hash, ==, hash);
        g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                         c->rss_type);
        g_assert_cmpuint(wb.length, ==, f.len);
        expect_mem(t, t->rx[q]->pkt_buf[used[q]], f.data, f.len);
        used[q]++;
    }
    /* Frames are received in order: nothing went anywhere else. */
    for (unsigned q = 0; q < RSS_QUEUES; q++) {
        expect_rx_empty(t, t->rx[q], used[q]);
    }
}

/* Rewriting the RETA entry a flow hashes to moves the flow (7.1.2.8.3). */
static void test_rss_reta_redirection(NicTest *t)
{
    const RssVector *row = &rss_ipv4[0];
    unsigned entry = row->hash_l4 & 0x7f;
    unsigned q1 = rss_reta_queue(entry), q2 = (q1 + 5) % RSS_QUEUES;
    uint32_t reta, mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);
    QIoatNicFlow flow;
    Frame f;

    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, 1);
    rss_setup(t, mrqc);
    ioat_nic_flow_parse(&flow, IPPROTO_TCP, row->src, row->sport, row->dst,
                        row->dport);
    f = flow_frame(&flow, 64);

    inject(t, &f);
    expect_rx(t, t->rx[q1], 0, &f);

    reta = rd(t, IOAT_NIC_RETA(entry / 4));
    reta &= ~(0xffu << (8 * (entry % 4)));
    reta |= q2 << (8 * (entry % 4));
    wr(t, IOAT_NIC_RETA(entry / 4), reta);

    inject(t, &f);
    expect_rx(t, t->rx[q2], 0, &f);
    expect_rx_empty(t, t->rx[q1], 1);
}

/*
 * RSS on, but a frame of no hashed type: hash 0, type 0, and so the
 * queue in RETA entry 0 (7.1.2.8).
 */
static void test_rss_unhashable_frame_uses_reta_entry_0(NicTest *t)
{
    unsigned q = rss_reta_queue(0);
    uint32_t mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);
    Frame f = eth_frame(100);
    QIoatNicRxWb wb;

    g_assert_cmpuint(q, !=, 0);
    mrqc = FIELD_DP32(mrqc, MRQC, IPV4, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, 1);
    rss_setup(t, mrqc);
    inject(t, &f);
    wb = rx_wait(t, t->rx[q], 0);
    g_assert_cmphex(wb.rss_hash, ==, 0);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                     IOAT_NIC_RSS_TYPE_NONE);
    expect_mem(t, t->rx[q]->pkt_buf[0], f.data, f.len);
    expect_rx_empty(t, t->rx[0], 0);
}

/* Transmit: rings, head write-back, MAC loopback (datasheet 7.2) */

/* One data descriptor with EOP|RS: the frame on the wire, DD, TDH moved. */
static void test_tx_frame_reaches_socket(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame_to(peer_mac, TEST_ETHERTYPE, 86);

    g_assert_cmpuint(transmit(t, tx, &f), ==, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 1);
    expect_sent(t, &f);
    g_assert_true(wire_idle(t));
}

/* TDWBAL.HEAD_WB_EN: TDH is written to memory after RS write-backs. */
static void test_tx_head_writeback(NicTest *t)
{
    Frame f = eth_frame(100);
    uint64_t wb = guest_alloc(t->alloc, 64);
    QIoatNicRing *tx;

    qtest_writel(qts(t), wb, 0xdeadbeef);
    tx = tx_queue(t, 0);
    wr(t, IOAT_NIC_TDWBAH(0), wb >> 32);
    wr(t, IOAT_NIC_TDWBAL(0), (uint32_t)wb | R_TDWBAL_HEAD_WB_EN_MASK);
    transmit(t, tx, &f);
    transmit(t, tx, &f);
    g_assert_cmpuint(qtest_readl(qts(t), wb), ==, 2);
}

/* MAC loopback: HLREG0.LPBK (8.2.3.22.8) */
static void set_loopback(NicTest *t, bool on)
{
    wr(t, A_HLREG0, FIELD_DP32(rd(t, A_HLREG0), HLREG0, LPBK, on));
}

/* In MAC loopback a transmitted frame is received, not put on the wire. */
static void test_mac_loopback_tx_to_rx(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4), *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    set_loopback(t, true);
    transmit(t, tx, &f);
    expect_rx(t, rx, 0, &f);
    g_assert_true(wire_idle(t));
}

/* While in MAC loopback, frames from the backend are not received. */
static void test_mac_loopback_ignores_backend(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame ignored = eth_frame(100), f = other_frame(100);

    set_loopback(t, true);
    inject(t, &ignored);
    wait_consumed(t);
    expect_rx_empty(t, rx, 0);

    set_loopback(t, false);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    expect_rx_empty(t, rx, 1);
}

/* Interrupts (datasheet 7.3) */

/* A link change sets EICR.LSC and fires the IVAR_MISC "other" vector. */
static void test_link_change_raises_lsc(NicTest *t)
{
    const unsigned other = 9;

    ioat_nic_msix_enable(t->d);
    wr(t, A_IVAR_MISC, (IOAT_NIC_IVAR_VALID | other) << 8);
    wr(t, A_EIMS, R_EICR_LSC_MASK);

    set_link(t, "hs0", false);
    ioat_nic_wait_msix(t->d, other);
    /* EICS reads the causes without clearing them. */
    g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
    wr(t, A_EICR, R_EICR_LSC_MASK);
    g_assert_false(rd(t, A_EICS) & R_EICR_LSC_MASK);
    ioat_nic_msix_clear(t->d, other);

    set_link(t, "hs0", true);
    ioat_nic_wait_msix(t->d, other);
    g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
}

static void assert_only_vector_pending(NicTest *t, unsigned vector)
{
    for (unsigned v = 0; v < 64; v++) {
        g_test_message("vector %u", v);
        g_assert_cmpint(ioat_nic_msix_pending(t->d, v), ==, v == vector);
    }
}

/* IVAR maps RX queue 5's cause to MSI-X vector 42 and nothing else. */
static void test_ivar_routes_rx_queue_to_vector(NicTest *t)
{
    Frame f = eth_frame(86);

    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 5, false, 42);
    ioat_nic_set_ivar(t->d, 5, true, 7);
    wr(t, A_EIMS_EX0, ~0u);
    wr(t, A_EIMS_EX1, ~0u);
    rx_queue(t, 5, 4);
    ioat_nic_route_ethertype(t->d, 0, TEST_ETHERTYPE, 5);

    inject(t, &f);
    ioat_nic_wait_msix(t->d, 42);
    assert_only_vector_pending(t, 42);
}

/* IVAR maps TX queue 2's write-back to MSI-X vector 17. */
static void test_ivar_routes_tx_queue_to_vector(NicTest *t)
{
    Frame f = eth_frame_to(peer_mac, TEST_ETHERTYPE, 86);

    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 2, true, 17);
    ioat_nic_set_ivar(t->d, 2, false, 3);
    wr(t, A_EIMS_EX0, ~0u);
    wr(t, A_EIMS_EX1, ~0u);
    transmit(t, tx_queue(t, 2), &f);
    ioat_nic_wait_msix(t->d, 17);
    assert_only_vector_pending(t, 17);
}

/*
 * Vector @v with an ITR interval of @interval_us: it fires, and a second
 * cause raised within the interval is held.
 */
static void eitr_hold_cause(NicTest *t, unsigned v, unsigned interval_us)
{
    ioat_nic_msix_enable(t->d);
    ioat_nic_set_eitr(t->d, v, (interval_us / 2) << 3);
    wr(t, A_EIMS_EX0, 1u << v);
    wr(t, A_EICS_EX0, 1u << v);
    g_assert_true(ioat_nic_msix_pending(t->d, v));
    ioat_nic_msix_clear(t->d, v);
    wr(t, A_EICS_EX0, 1u << v);
    g_assert_false(ioat_nic_msix_pending(t->d, v));
}

/* The held cause of vector @v goes out when the interval ends, not before. */
static void expect_held_until_interval_ends(NicTest *t, unsigned v,
                                            unsigned interval_us)
{
    qtest_clock_step(qts(t), (interval_us - 10) * 1000);
    g_assert_false(ioat_nic_msix_pending(t->d, v));
    qtest_clock_step(qts(t), 20 * 1000);
    g_assert_true(ioat_nic_msix_pending(t->d, v));
}

/*
 * EITR: after a vector fires, it does not fire again before the ITR
 * interval (bits 11:3, 2 us units) has passed; a cause raised meanwhile
 * is delivered when it ends.
 */
static void test_eitr_throttles_vector(NicTest *t)
{
    const unsigned v = 20, interval_us = 200;

    eitr_hold_cause(t, v, interval_us);
    expect_held_until_interval_ends(t, v, interval_us);
}

/*
 * An EITR write with CNT_WDIS clear clears the ITR counter: the running
 * interval ends and the held cause goes out at once (8.2.3.5.12).
 */
static void test_eitr_write_clears_counter(NicTest *t)
{
    const unsigned v = 20, interval_us = 200;

    eitr_hold_cause(t, v, interval_us);
    ioat_nic_set_eitr(t->d, v, (interval_us / 2) << 3);
    g_assert_true(ioat_nic_msix_pending(t->d, v));
}

/*
 * With CNT_WDIS set the write leaves the counter: the held cause waits
 * for the running interval to end.
 */
static void test_eitr_write_with_cnt_wdis_keeps_counter(NicTest *t)
{
    const unsigned v = 20, interval_us = 200;

    eitr_hold_cause(t, v, interval_us);
    ioat_nic_set_eitr(t->d, v,
                      ((interval_us / 2) << 3) | IOAT_NIC_EITR_CNT_WDIS);
    expect_held_until_interval_ends(t, v, interval_us);
}

/* RX queue 0 -> @vector, every cause enabled, for the mask tests. */
static QIoatNicRing *irq_rx_setup(NicTest *t, unsigned vector)
{
    ioat_nic_msix_enable(t->d);
    ioat_nic_set_ivar(t->d, 0, false, vector);
    wr(t, A_EIMS_EX0, ~0u);
    wr(t, A_EIMS_EX1, ~0u);
    return rx_queue(t, 0, 4);
}

/*
 * GPIE.EIAME with the vector's EIAM_EX bit: firing the vector clears its
 * EIMS bit, so the next cause does not fire it (8.2.3.5.5).
 */
static void test_eiam_auto_masks_fired_vector(NicTest *t)
{
    const unsigned v = 3;
    QIoatNicRing *rx = irq_rx_setup(t, v);
    Frame f = eth_frame(86);

    wr(t, A_GPIE, rd(t, A_GPIE) | R_GPIE_EIAME_MASK);
    wr(t, A_EIAM_EX0, 1u << v);

    inject(t, &f);
    ioat_nic_wait_msix(t->d, v);
    g_assert_false(rd(t, A_EIMS_EX0) & (1u << v));
    g_assert_cmphex(rd(t, A_EIMS_EX0), ==, ~(1u << v));
    ioat_nic_msix_clear(t->d, v);

    inject(t, &f);
    rx_wait(t, rx, 1);
    g_assert_false(ioat_nic_msix_pending(t->d, v));
}

/*
 * Writing EIMS_EX for a vector whose cause is pending fires it: a frame
 * received while the vector is masked is signalled on re-arm (8.2.3.5.4).
 */
static void test_eims_rearm_fires_pending_cause(NicTest *t)
{
    const unsigned v = 3;
    QIoatNicRing *rx = irq_rx_setup(t, v);
    Frame f = eth_frame(86);

    wr(t, A_EIMC_EX0, 1u << v);

    inject(t, &f);
    rx_wait(t, rx, 0);
    g_assert_false(ioat_nic_msix_pending(t->d, v));
    g_assert_true(rd(t, A_EICS) & (1u << v));

    wr(t, A_EIMS_EX0, 1u << v);
    g_assert_true(ioat_nic_msix_pending(t->d, v));
}

/* EIAC: firing a queue vector (0-15) with its EIAC bit clears its cause. */
static void test_eiac_auto_clears_fired_cause(NicTest *t)
{
    const unsigned v = 3;
    Frame f = eth_frame(86);

    irq_rx_setup(t, v);
    wr(t, A_EIAC, 1u << v);
    inject(t, &f);
    ioat_nic_wait_msix(t->d, v);
    g_assert_false(rd(t, A_EICS) & (1u << v));
}

/* Reading EICR returns the pending causes and clears them (8.2.3.5.1). */
static void test_eicr_read_clears_causes(NicTest *t)
{
    const uint32_t causes = (1u << 3) | R_EICR_LSC_MASK;

    wr(t, A_EICS, causes);
    g_assert_cmphex(rd(t, A_EICS), ==, causes);
    g_assert_cmphex(rd(t, A_EICR), ==, causes);
    g_assert_cmphex(rd(t, A_EICR), ==, 0);
}

/*
 * Without MSI-X mode, a queue cause unmasked in EIMS sends the MSI
 * message; in qtest its address is plain guest memory.
 */
static void test_msi_fires_on_queue_cause(NicTest *t)
{
    const uint8_t msi = 0x50;
    QPCIDevice *pdev = &t->d->pci_dev;
    Frame f = eth_frame(86);
    uint64_t target = guest_alloc(t->alloc, 16);
    IoatPoll p = { .qts = qts(t), .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS };

    qtest_writel(qts(t), target, 0);
    g_assert_cmphex(qpci_config_readb(pdev, msi), ==, PCI_CAP_ID_MSI);
    qpci_config_writel(pdev, msi + PCI_MSI_ADDRESS_LO, target);
    qpci_config_writel(pdev, msi + PCI_MSI_ADDRESS_HI, target >> 32);
    qpci_config_writew(pdev, msi + PCI_MSI_DATA_64, 0x4242);
    qpci_config_writew(pdev, msi + PCI_MSI_FLAGS,
                       qpci_config_readw(pdev, msi + PCI_MSI_FLAGS) |
                       PCI_MSI_FLAGS_ENABLE);
    ioat_nic_set_ivar(t->d, 0, false, 0);
    wr(t, A_EIMS, 1u << 0);
    rx_queue(t, 0, 4);

    inject(t, &f);
    while (qtest_readl(qts(t), target) != 0x4242) {
        g_assert_true(ioat_poll(&p));
    }
    g_assert_cmphex(rd(t, A_EICR), ==, 1u << 0);
}

/* Statistics (datasheet 8.2.3.23) */

/* Receive @n frames of @len bytes into descriptors 0 to n - 1 of @rx. */
static void receive_frames(NicTest *t, QIoatNicRing *rx, unsigned n,
                           size_t len)
{
    Frame f = eth_frame(len - QIOAT_NIC_ETH_HLEN);

    for (unsigned i = 0; i < n; i++) {
        inject(t, &f);
        rx_wait(t, rx, i);
    }
}

/* GPRC counts good received frames and clears when read. */
static void test_gprc_read_to_clear(NicTest *t)
{
    receive_frames(t, rx_queue(t, 0, 4), 3, 100);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 3);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 0);
}

/*
 * GORCL/GORCH: a 36-bit count of good octets including the 4-byte FCS;
 * GORCL reads bits 31:0, GORCH bits 35:32 and clears the counter.
 */
static void test_gorc_36bit_read_to_clear(NicTest *t)
{
    receive_frames(t, rx_queue(t, 0, 4), 3, 100);
    g_assert_cmpuint(rd(t, A_GORCL), ==, 3 * (100 + 4));
    g_assert_cmpuint(rd(t, A_GORCL), ==, 3 * (100 + 4));
    g_assert_cmpuint(rd(t, A_GORCH), ==, 0);
    g_assert_cmpuint(rd(t, A_GORCL), ==, 0);
    g_assert_cmpuint(rd(t, A_GORCH), ==, 0);
}

/*
 * QBRC_L/H(0) and QBTC_L/H(0): 36-bit per-queue octet counters (with the
 * FCS) of the queues mapped to statistics set 0 (all of them by default);
 * the high register clears the counter.
 */
static void test_queue_octets_36bit_read_to_clear(NicTest *t)
{
    Frame f = eth_frame(86);
    QIoatNicRing *tx;

    receive_frames(t, rx_queue(t, 0, 4), 3, 100);
    tx = tx_queue(t, 5);
    transmit(t, tx, &f);
    transmit(t, tx, &f);

    g_assert_cmpuint(rd(t, IOAT_NIC_QBRC_L(0)), ==, 3 * (100 + 4));
    g_assert_cmpuint(rd(t, IOAT_NIC_QBRC_H(0)), ==, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_QBRC_L(0)), ==, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_QBTC_L(0)), ==, 2 * (f.len + 4));
    g_assert_cmpuint(rd(t, IOAT_NIC_QBTC_H(0)), ==, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_QBTC_L(0)), ==, 0);
}

/*
 * GPTC and GOTCL/H count transmitted frames and their octets with the
 * FCS; QPTC(0) too, all queues mapping to it by default (TQSM).
 */
static void test_gptc_gotc_count_transmitted(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 5);
    Frame f = eth_frame(86);

    transmit(t, tx, &f);
    transmit(t, tx, &f);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 2);
    g_assert_cmpuint(rd(t, A_GOTCL), ==, 2 * (f.len + 4));
    g_assert_cmpuint(rd(t, A_GOTCH), ==, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_QPTC(0)), ==, 2);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 0);
    g_assert_cmpuint(rd(t, A_GOTCL), ==, 0);
}

/*
 * The DMA's counters: RXDGPC and RXDGBCL/H count the frames written to
 * host queues and their octets (as GORC counts them), the high register
 * clearing the byte count.
 */
static void test_dma_rx_counters_count_frames_written(NicTest *t)
{
    receive_frames(t, rx_queue(t, 0, 4), 3, 100);
    g_assert_cmpuint(rd(t, A_RXDGPC), ==, 3);
    g_assert_cmpuint(rd(t, A_RXDGPC), ==, 0);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, 3 * (100 + 4));
    g_assert_cmpuint(rd(t, A_RXDGBCH), ==, 0);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, 0);
}

/*
 * A frame dropped for want of a descriptor (SRRCTL.DROP_EN) passed the
 * MAC (GPRC) but never reached host memory: the DMA does not count it.
 */
static void test_dma_rx_counters_skip_dropped_frames(NicTest *t)
{
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 2);
    Frame f = eth_frame(100);
    QIoatNicRing *rx;

    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DROP_EN, 1);
    rx = rx_queue_srrctl(t, 0, 0, srrctl);
    inject(t, &f);
    wait_consumed(t);
    ioat_nic_rx_post(t->d, rx, 2);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);

    g_assert_cmpuint(rd(t, A_GPRC), ==, 2);
    g_assert_cmpuint(rd(t, A_RXDGPC), ==, 1);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, f.len + 4);
}

/* TXDGPC and TXDGBCL/H count the frames fetched and their octets. */
static void test_dma_tx_counters_count_frames_fetched(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 5);
    Frame f = eth_frame(86);

    transmit(t, tx, &f);
    transmit(t, tx, &f);
    g_assert_cmpuint(rd(t, A_TXDGPC), ==, 2);
    g_assert_cmpuint(rd(t, A_TXDGBCL), ==, 2 * (f.len + 4));
    g_assert_cmpuint(rd(t, A_TXDGBCH), ==, 0);
    g_assert_cmpuint(rd(t, A_TXDGPC), ==, 0);
    g_assert_cmpuint(rd(t, A_TXDGBCL), ==, 0);
}

/* CTRL.RST clears the DMA's counters, byte counts included. */
static void test_dma_counters_cleared_by_reset(NicTest *t)
{
    Frame f = eth_frame(86);

    receive_frames(t, rx_queue(t, 0, 4), 2, 100);
    transmit(t, tx_queue(t, 5), &f);
    wr(t, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmpuint(rd(t, A_RXDGPC), ==, 0);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, 0);
    g_assert_cmpuint(rd(t, A_TXDGPC), ==, 0);
    g_assert_cmpuint(rd(t, A_TXDGBCL), ==, 0);
}

/*
 * A statistic the model does not keep (the DMA's duplicate count) reads
 * 0 after traffic, and its first read is reported, once for the register.
 */
static void test_uncounted_statistic_reads_zero_reported_once(NicTest *t)
{
    receive_frames(t, rx_queue(t, 0, 4), 2, 100);
    g_assert_cmpuint(rd(t, A_RXDDGPC), ==, 0);
    g_assert_cmpuint(rd(t, A_RXDDGPC), ==, 0);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_uncounted_read: "
                                    "RXDDGPC[0] "), ==, 1);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_uncounted_read"),
                     ==, 1);
}

/*
 * PRC64..PRC1522 and PTC64..PTC1522 count frames by size including the
 * FCS: 64, 65-127, 128-255, 256-511, 512-1023, 1024 and more bytes.
 */
static void test_prc_ptc_count_by_size(NicTest *t)
{
    /* Frame sizes without FCS: one per bin, at each bin's upper edge */
    static const size_t sizes[] = { 60, 123, 251, 507, 1019, 1514 };
    QIoatNicRing *rx = rx_queue(t, 0, 8), *tx = tx_queue(t, 0);

    for (int i = 0; i < ARRAY_SIZE(sizes); i++) {
        Frame f = eth_frame(sizes[i] - QIOAT_NIC_ETH_HLEN);

        inject(t, &f);
        rx_wait(t, rx, i);
        transmit(t, tx, &f);
        g_assert_cmpuint(capture(t).len, ==, sizes[i]);
    }
    for (int bin = 0; bin < ARRAY_SIZE(sizes); bin++) {
        g_test_message("bin %d", bin);
        g_assert_cmpuint(rd(t, A_PRC64 + 4 * bin), ==, 1);
        g_assert_cmpuint(rd(t, A_PTC64 + 4 * bin), ==, 1);
        g_assert_cmpuint(rd(t, A_PRC64 + 4 * bin), ==, 0);
    }
}

/* Offloads: checksums, VLAN tags, segmentation */

/* A good TCP/IPv4 frame: IPCS and L4CS set, no IPE or TCPE (7.1.11). */
static void test_rx_checksum_good_tcp4(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = ip_frame(FRAME_TCP4, 100);
    QIoatNicRxWb wb;

    inject(t, &f);
    wb = rx_wait(t, rx, 0);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_IPCS |
                                 IOAT_NIC_RXD_STAT_L4CS |
                                 IOAT_NIC_RXD_STAT_UDPCS |
                                 IOAT_NIC_RXD_ERR_IPE | IOAT_NIC_RXD_ERR_TCPE),
                    ==, IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_STAT_L4CS);
}

/*
 * Bad checksums are reported, not dropped: a corrupt UDP checksum gives
 * L4CS, UDPCS and TCPE; a corrupt IPv4 header checksum IPCS and IPE.
 * XEC counts both.
 */
static void test_rx_checksum_errors_reported(NicTest *t)
{
    Frame udp = ip_frame(FRAME_UDP6, 100), ip4 = ip_frame(FRAME_TCP4, 100);
    QIoatNicRing *rx;
    QIoatNicRxWb wb;

    udp.data[udp.len - 1] ^= 0x55;
    g_assert_false(ioat_nic_l4_csum_ok(udp.data, udp.len));
    ip4.data[QIOAT_NIC_ETH_HLEN + 10] ^= 0x55;
    g_assert_false(ioat_nic_ip4_csum_ok(ip4.data));
    rx = rx_queue(t, 0, 4);

    inject(t, &udp);
    wb = rx_wait(t, rx, 0);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_L4CS |
                                 IOAT_NIC_RXD_STAT_UDPCS |
                                 IOAT_NIC_RXD_ERR_TCPE),
                    ==, IOAT_NIC_RXD_STAT_L4CS | IOAT_NIC_RXD_STAT_UDPCS |
                        IOAT_NIC_RXD_ERR_TCPE);

    inject(t, &ip4);
    wb = rx_wait(t, rx, 1);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_ERR_IPE),
                    ==, IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_ERR_IPE);
    g_assert_cmpuint(rd(t, A_XEC), ==, 2);
}

/*
 * RXDCTL.VME strips the tag, sets VP and reports the TCI in DW3; without
 * it the tag stays in the buffer and VP is clear.
 */
static void test_vlan_strip_rxdctl_vme(NicTest *t)
{
    const uint16_t tci = (3 << 13) | 100;
    const uint32_t rxdctl = IOAT_NIC_RXDCTL(0);
    Frame f = ip_frame(FRAME_TCP4, 64), tagged = vlan_tagged(&f, tci);
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    QIoatNicRxWb wb;

    wr(t, rxdctl, R_RXDCTL_ENABLE_MASK | R_RXDCTL_VME_MASK);
    inject(t, &tagged);
    wb = rx_wait(t, rx, 0);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmphex(wb.vlan, ==, tci);
    g_assert_cmpuint(wb.length, ==, f.len);
    expect_mem(t, rx->pkt_buf[0], f.data, f.len);

    wr(t, rxdctl, R_RXDCTL_ENABLE_MASK);
    inject(t, &tagged);
    wb = rx_wait(t, rx, 1);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmpuint(wb.length, ==, tagged.len);
    expect_mem(t, rx->pkt_buf[1], tagged.data, tagged.len);
}

/* Ethernet's CRC-32 (reflected, polynomial 0x04c11db7) of @len bytes */
static uint32_t eth_fcs(const uint8_t *p, size_t len)
{
    uint32_t crc = ~0u;

    while (len--) {
        crc ^= *p++;
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
        }
    }
    return ~crc;
}

/* Descriptor @idx of @rx holds @len bytes of @data, then @f's CRC. */
static void expect_rx_with_fcs(NicTest *t, QIoatNicRing *rx, unsigned idx,
                               const void *data, size_t len, const Frame *f)
{
    QIoatNicRxWb wb = rx_wait(t, rx, idx);
    uint8_t fcs[4];

    g_assert_cmpuint(wb.length, ==, len + 4);
    expect_mem(t, rx->pkt_buf[idx], data, len);
    stl_le_p(fcs, eth_fcs(f->data, f->len));
    expect_mem(t, rx->pkt_buf[idx] + len, fcs, 4);
}

/*
 * HLREG0.RXCRCSTRP clear: the frame's CRC follows it in host memory and
 * counts in the written-back length; the statistics count the frame once
 * with its CRC, as with stripping.
 */
static void test_rx_crc_kept_without_strip(NicTest *t)
{
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = eth_frame(100);

    wr(t, A_HLREG0, rd(t, A_HLREG0) & ~R_HLREG0_RXCRCSTRP_MASK);
    inject(t, &f);
    expect_rx_with_fcs(t, rx, 0, f.data, f.len, &f);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 1);
    g_assert_cmpuint(rd(t, A_GORCL), ==, f.len + 4);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, f.len + 4);
}

/* A stripped tag leaves the CRC of the tagged frame, as it was on the wire. */
static void test_rx_crc_kept_after_vlan_strip(NicTest *t)
{
    Frame f = ip_frame(FRAME_TCP4, 64), tagged = vlan_tagged(&f, 100);
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    wr(t, A_HLREG0, rd(t, A_HLREG0) & ~R_HLREG0_RXCRCSTRP_MASK);
    wr(t, IOAT_NIC_RXDCTL(0), R_RXDCTL_ENABLE_MASK | R_RXDCTL_VME_MASK);
    inject(t, &tagged);
    expect_rx_with_fcs(t, rx, 0, f.data, f.len, &tagged);
}

/* Context VLAN + data VLE: a tag with DMATXCTL.VT after the addresses. */
static void test_vlan_insert_tx_vle(NicTest *t)
{
    const uint16_t tci = (5 << 13) | 0x123;
    Frame f = ip_frame(FRAME_TCP4, 64), want = vlan_tagged(&f, tci);
    QIoatNicRing *tx = tx_queue(t, 0);

    ioat_nic_tx_put_ctx(t->d, tx, FIELD_DP32(0, TXCTX_VLAN_MACIP, VLAN, tci) |
                        FIELD_DP32(0, TXCTX_VLAN_MACIP, MACLEN, 14) |
                        FIELD_DP32(0, TXCTX_VLAN_MACIP, IPLEN, 20), 0, 0);
    ioat_nic_tx_put_data(t->d, tx, guest_frame(t, &f),
                         FIELD_DP32(tx_cmd_eop(f.len), TXD_CMD, VLE, 1), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 1);

    expect_sent(t, &want);
}

static uint32_t ctx_macip(size_t maclen, size_t iplen)
{
    return FIELD_DP32(0, TXCTX_VLAN_MACIP, MACLEN, maclen) |
           FIELD_DP32(0, TXCTX_VLAN_MACIP, IPLEN, iplen);
}

static uint32_t ctx_tucmd(bool ipv4, unsigned l4t)
{
    return FIELD_DP32(0, TXCTX_TUCMD, IPV4, ipv4) |
           FIELD_DP32(0, TXCTX_TUCMD, L4T, l4t);
}

/* TXSM and IXSM: the L4 and IPv4 header checksums are filled in. */
static void test_tx_checksum_offload_tcp4(NicTest *t)
{
    Frame f = ip_frame(FRAME_TCP4, 301), got;
    size_t l4 = ioat_nic_l4_offset(f.data);
    QIoatNicRing *tx;
    uint32_t olinfo;

    stw_be_p(f.data + QIOAT_NIC_ETH_HLEN + 10, 0);
    ioat_nic_preload_pseudo_sum(f.data, f.len - l4);
    g_assert_false(ioat_nic_ip4_csum_ok(f.data));
    g_assert_false(ioat_nic_l4_csum_ok(f.data, f.len));

    tx = tx_queue(t, 0);
    ioat_nic_tx_put_ctx(t->d, tx, ctx_macip(14, 20),
                        ctx_tucmd(true, IOAT_NIC_L4T_TCP), 0);
    olinfo = FIELD_DP32(0, TXD_OLINFO, IXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, f.len);
    transmit_olinfo(t, tx, &f, olinfo);

    got = capture(t);
    g_assert_cmpuint(got.len, ==, f.len);
    g_assert_true(ioat_nic_ip4_csum_ok(got.data));
    g_assert_true(ioat_nic_l4_csum_ok(got.data, got.len));
    g_assert_cmpmem(got.data + l4 + 18, f.len - l4 - 18, f.data + l4 + 18,
                    f.len - l4 - 18);
}

/* TXSM for UDP over IPv6 (no IPv4 header checksum to insert). */
static void test_tx_checksum_offload_udp6(NicTest *t)
{
    Frame f = ip_frame(FRAME_UDP6, 301), got;
    size_t l4 = ioat_nic_l4_offset(f.data);
    QIoatNicRing *tx;

    ioat_nic_preload_pseudo_sum(f.data, f.len - l4);
    g_assert_false(ioat_nic_l4_csum_ok(f.data, f.len));

    tx = tx_queue(t, 0);
    ioat_nic_tx_put_ctx(t->d, tx, ctx_macip(14, 40),
                        ctx_tucmd(false, IOAT_NIC_L4T_UDP), 0);
    transmit_olinfo(t, tx, &f, FIELD_DP32(0, TXD_OLINFO, TXSM, 1) |
                               FIELD_DP32(0, TXD_OLINFO, PAYLEN, f.len));

    got = capture(t);
    g_assert_cmpuint(got.len, ==, f.len);
    g_assert_true(ioat_nic_l4_csum_ok(got.data, got.len));
}

typedef struct TsoCase {
    const char *name;
    FrameKind kind;
} TsoCase;

static const TsoCase tso_cases[] = {
    { "tso-tcp4-segments", FRAME_TCP4 },
    { "tso-tcp6-segments", FRAME_TCP6 },
    { "uso-udp4-segments", FRAME_UDP4 },
};

/*
 * Segmentation (TSE) of TCP over IPv4 and IPv6, and of UDP (USO, by the
 * context's offsets: each segment its own datagram, not IP fragments).
 * Each segment has the headers copied with the IP length, the IPv4 ID,
 * the TCP sequence number and flags or the UDP length, and both
 * checksums fixed up; all checked here from the wire bytes.
 */
static void test_tso_segments(NicTest *t)
{
    const size_t mss = 1000, paylen = 2500;
    const TsoCase *c = t->arg;
    bool tcp = c->kind == FRAME_TCP4 || c->kind == FRAME_TCP6;
    bool ipv4 = c->kind == FRAME_TCP4 || c->kind == FRAME_UDP4;
    size_t iplen = ipv4 ? QIOAT_NIC_IP4_HLEN : QIOAT_NIC_IP6_HLEN;
    size_t l4hlen = tcp ? QIOAT_NIC_TCP_HLEN : QIOAT_NIC_UDP_HLEN;
    size_t l4 = QIOAT_NIC_ETH_HLEN + iplen, hlen = l4 + l4hlen, off = 0;
    Frame f = ip_frame(c->kind, paylen);
    uint8_t *ip = f.data + QIOAT_NIC_ETH_HLEN;
    uint16_t ip_id = lduw_be_p(ip + 4);
    uint32_t seq = ldl_be_p(f.data + l4 + 4), olinfo, cmd;
    QIoatNicRing *tx;
    uint64_t buf;
    unsigned k;

    g_assert_cmpuint(f.len, ==, hlen + paylen);
    /*
     * As ixgbe_tso() leaves them: no IP length or checksum, no UDP
     * length, the L4 checksum holding the pseudo-header sum without length.
     */
    if (ipv4) {
        stw_be_p(ip + 2, 0);
        stw_be_p(ip + 10, 0);
    } else {
        stw_be_p(ip + 4, 0);
    }
    if (!tcp) {
        stw_be_p(f.data + l4 + 4, 0);
    }
    ioat_nic_preload_pseudo_sum(f.data, 0);
    buf = guest_frame(t, &f);

    tx = tx_queue(t, 0);
    ioat_nic_tx_put_ctx(t->d, tx, ctx_macip(QIOAT_NIC_ETH_HLEN, iplen),
                        ctx_tucmd(ipv4, tcp ? IOAT_NIC_L4T_TCP
                                            : IOAT_NIC_L4T_UDP),
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, MSS, mss) |
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, L4LEN, l4hlen));
    /* Headers and payload in separate descriptors, as the driver maps them */
    cmd = FIELD_DP32(0, TXD_CMD, TSE, 1);
    olinfo = FIELD_DP32(0, TXD_OLINFO, IXSM, ipv4);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, paylen);
    ioat_nic_tx_put_data(t->d, tx, buf,
                         FIELD_DP32(cmd, TXD_CMD, DTALEN, hlen), olinfo);
    cmd = FIELD_DP32(cmd, TXD_CMD, DTALEN, paylen);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(t->d, tx, buf + hlen, cmd, olinfo);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 2);

    for (k = 0; off < paylen; k++, off += mss) {
        size_t n = MIN(mss, paylen - off);
        bool last = off + n == paylen;
        Frame got = capture(t);
        uint8_t *gip = got.data + QIOAT_NIC_ETH_HLEN;

        g_test_message("segment %u", k);
        g_assert_cmpuint(got.len, ==, hlen + n);
        g_assert_cmpmem(got.data, QIOAT_NIC_ETH_HLEN, f.data,
                        QIOAT_NIC_ETH_HLEN);
        if (ipv4) {
            g_assert_cmpuint(lduw_be_p(gip + 2), ==, iplen + l4hlen + n);
            g_assert_cmpuint(lduw_be_p(gip + 4), ==, (uint16_t)(ip_id + k));
            g_assert_true(ioat_nic_ip4_csum_ok(got.data));
        } else {
            g_assert_cmpuint(lduw_be_p(gip + 4), ==, l4hlen + n);
        }
        if (tcp) {
            g_assert_cmphex(ldl_be_p(got.data + l4 + 4), ==, seq + off);
            /* FIN and PSH only on the last segment (DTXTCPFLGL/H defaults) */
            g_assert_cmphex(got.data[l4 + 13], ==, last ? 0x18 : 0x10);
        } else {
            g_assert_cmpuint(lduw_be_p(got.data + l4 + 4), ==, l4hlen + n);
        }
        g_assert_true(ioat_nic_l4_csum_ok(got.data, hlen + n));
        g_assert_cmpmem(got.data + hlen, n, f.data + hlen + off, n);
    }
    g_assert_cmpuint(k, ==, 3);
    g_assert_true(wire_idle(t));
}

/* Robustness: malformed frames and rings */

/*
 * A frame longer than MAXFRS.MFS (1518 with the FCS; 4 more with a VLAN
 * tag) is dropped and counted in ROC, with no write-back; frames of
 * exactly the limit are received.
 */
static void test_rx_oversized_frame_dropped(NicTest *t)
{
    Frame big = eth_frame(1501), max = other_frame(1500);
    Frame tagged_big = vlan_tagged(&big, 100);
    Frame tagged_max = vlan_tagged(&max, 100);
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    inject(t, &big);
    inject(t, &tagged_big);
    inject(t, &max);
    inject(t, &tagged_max);
    expect_rx(t, rx, 0, &max);
    expect_rx(t, rx, 1, &tagged_max);
    expect_rx_empty(t, rx, 2);
    g_assert_cmpuint(rd(t, A_ROC), ==, 2);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 2);
}

/*
 * A frame shorter than 64 bytes with its FCS (60 without) that passes the
 * address filter is a runt: counted in RUC and dropped without a
 * write-back (8.2.3.23); the next frame takes the descriptor.
 */
static void test_rx_runt_counted_in_ruc(NicTest *t)
{
    Frame runt = eth_frame(QIOAT_NIC_MIN_FRAME - QIOAT_NIC_ETH_HLEN - 1);
    Frame min = other_frame(QIOAT_NIC_MIN_FRAME - QIOAT_NIC_ETH_HLEN);
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    inject_runt(t, &runt);
    inject(t, &min);
    expect_rx(t, rx, 0, &min);
    expect_rx_empty(t, rx, 1);
    g_assert_cmpuint(rd(t, A_RUC), ==, 1);
    g_assert_cmpuint(rd(t, A_GPRC), ==, 1);
}

/* A runt for another station is filtered out before it is counted. */
static void test_rx_runt_to_other_address_not_counted(NicTest *t)
{
    static const uint8_t other_mac[] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    Frame runt = eth_frame_to(other_mac, TEST_ETHERTYPE, 20);
    Frame min = eth_frame(QIOAT_NIC_MIN_FRAME - QIOAT_NIC_ETH_HLEN);
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    inject_runt(t, &runt);
    inject(t, &min);
    expect_rx(t, rx, 0, &min);
    g_assert_cmpuint(rd(t, A_RUC), ==, 0);
}

/*
 * With pad-short-frames=on a runt is padded with zeros to 60 bytes and
 * received, as QEMU's other NICs do, and RUC stays 0.
 */
static void test_rx_pad_short_frames_receives_runts(NicTest *t)
{
    Frame runt = eth_frame(20), padded = runt;
    QIoatNicRing *rx = rx_queue(t, 0, 4);

    memset(padded.data + runt.len, 0, QIOAT_NIC_MIN_FRAME - runt.len);
    padded.len = QIOAT_NIC_MIN_FRAME;
    inject_runt(t, &runt);
    expect_rx(t, rx, 0, &padded);
    g_assert_cmpuint(rd(t, A_RUC), ==, 0);
}

/*
 * RDT beyond the ring (RDLEN) is a guest error: nothing is written to
 * the ring or the buffers, and QEMU keeps running; a valid RDT then
 * lets the queue receive.
 */
static void test_rx_rdt_beyond_rdlen(NicTest *t)
{
    static const uint8_t zero[QIOAT_NIC_RX_BUF_SIZE];
    QIoatNicRing *rx = rx_queue(t, 0, 4);
    Frame f = eth_frame(100);

    wr(t, IOAT_NIC_RDT(0), rx->size + 4);
    inject(t, &f);
    wait_consumed(t);

    for (unsigned i = 0; i < 4; i++) {
        expect_rx_empty(t, rx, i);
        expect_mem(t, rx->pkt_buf[i], zero, sizeof(zero));
    }
    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 0);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_rx_ring_index"));

    wr(t, IOAT_NIC_RDT(0), rx->tail);
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
}

/*
 * A zero-length data descriptor with EOP sends nothing, is written back
 * and does not disturb the next packet.
 */
static void test_tx_zero_length_descriptor(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    ioat_nic_tx_put_data(t->d, tx, guest_alloc(t->alloc, 64),
                         tx_cmd_eop(0), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 0);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 1);
    g_assert_true(wire_idle(t));

    transmit(t, tx, &f);
    expect_sent(t, &f);
}

/* Far above the pc machine's RAM and PCI holes: nothing answers there. */
#define OUTSIDE_RAM     0x00007ff000000000ULL

/*
 * A TX buffer outside guest RAM: the packet is dropped and reported as a
 * guest error, the descriptor completes, the next packet goes out.
 */
static void test_tx_buffer_outside_ram(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    ioat_nic_tx_put_data(t->d, tx, OUTSIDE_RAM, tx_cmd_eop(f.len), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 0);
    g_assert_true(wire_idle(t));
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_buf_dma"));

    transmit(t, tx, &f);
    expect_sent(t, &f);
}

/*
 * An RX buffer outside guest RAM: reported as a guest error, no crash,
 * and the next descriptor receives the next frame.
 */
static void test_rx_buffer_outside_ram(NicTest *t)
{
    QIoatNicRing *rx = rx_ring(t, 0, 8, 0);
    Frame f = eth_frame(100);

    ioat_nic_rx_post_at(t->d, rx, OUTSIDE_RAM, 0);
    ioat_nic_rx_post(t->d, rx, 1);
    ioat_nic_rx_enable(t->d);

    inject(t, &f);
    rx_wait(t, rx, 0);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_rx_buf_dma"));
    inject(t, &f);
    expect_rx(t, rx, 1, &f);
}

/*
 * Without a link the MAC takes no frames: they stay in the ring, neither
 * sent nor counted, and go out once the link is back (ixgbe resets the
 * adapter to flush them when the link stays down).
 */
static void test_tx_link_down_holds_frames(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100);

    set_link(t, "hs0", false);
    post_frame(t, tx, &f);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 0);
    g_assert_true(wire_idle(t));
    g_assert_cmpuint(rd(t, A_GPTC), ==, 0);

    set_link(t, "hs0", true);
    ioat_nic_tx_wait(t->d, tx, 0);
    expect_sent(t, &f);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 1);
}

/*
 * Step the virtual clock (the PHY looks for a lost peer every 100 ms)
 * until LSC is raised; clear it.
 */
static void wait_lsc(NicTest *t)
{
    IoatPoll p = { .sleep_us = 1000, .timeout_us = 5 * G_USEC_PER_SEC };

    while (!(rd(t, A_EICS) & R_EICR_LSC_MASK)) {
        g_assert_true(ioat_poll(&p));
        qtest_clock_step(qts(t), 100 * 1000 * 1000);
    }
    wr(t, A_EICR, R_EICR_LSC_MASK);
}

/* LINKS.UP reads @up, QEMU having seen the wire's peer come or go. */
static void wait_links(NicTest *t, bool up)
{
    IoatPoll p = { .sleep_us = 1000, .timeout_us = 5 * G_USEC_PER_SEC };

    while (!!(rd(t, A_LINKS) & R_LINKS_UP_MASK) != up) {
        g_assert_true(ioat_poll(&p));
    }
}

/*
 * The peer at the other end of the wire goes away (the client of a stream
 * netdev closes): the link goes down with LSC, and the frames sent after
 * it stay in the ring instead of being counted and lost.  When a peer
 * connects again, however much later, the link comes back with LSC and
 * they go out to it.
 */
static void test_wire_peer_gone_holds_frames(NicTest *t)
{
    QIoatNicRing *tx = tx_queue(t, 0);
    Frame f = eth_frame(100), g = other_frame(100);

    /* Nobody connected: down once the netdev listens (set up async). */
    wait_links(t, false);
    wire_connect(t);
    wait_links(t, true);
    transmit(t, tx, &f);
    expect_sent(t, &f);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 1);
    wr(t, A_EICR, R_EICR_LSC_MASK);

    wire_hang_up(t);
    wait_links(t, false);
    post_frame(t, tx, &g);
    g_assert_true(rd(t, A_EICS) & R_EICR_LSC_MASK);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 1);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 0);
    wr(t, A_EICR, R_EICR_LSC_MASK);

    /* The peer stays away for a while: the PHY keeps looking. */
    qtest_clock_step(qts(t), 1000 * 1000 * 1000);
    g_assert_false(rd(t, A_EICS) & R_EICR_LSC_MASK);
    wire_connect(t);
    wait_lsc(t);
    g_assert_true(rd(t, A_LINKS) & R_LINKS_UP_MASK);
    ioat_nic_tx_wait(t->d, tx, 1);
    expect_sent(t, &g);
    g_assert_cmpuint(rd(t, A_GPTC), ==, 1);
}

/*
 * A queue with a zero-length ring (RDLEN or TDLEN 0) does nothing and
 * hangs nothing: its frames are dropped, a TX tail write sends nothing.
 */
static void test_zero_length_rings_are_inert(NicTest *t)
{
    Frame dropped = eth_frame(100), f = other_frame(100);
    QIoatNicRing *rx0 = rx_queue(t, 0, 4), *rx, *tx;

    rx = rx_ring(t, 1, 8, 0);
    wr(t, IOAT_NIC_RDLEN(1), 0);
    wr(t, IOAT_NIC_RDT(1), 4);
    ioat_nic_route_ethertype(t->d, 0, TEST_ETHERTYPE, 1);
    inject(t, &dropped);
    inject(t, &f);
    expect_rx(t, rx0, 0, &f);
    expect_rx_empty(t, rx, 0);
    expect_rx_empty(t, rx0, 1);

    tx = tx_queue(t, 0);
    wr(t, IOAT_NIC_TDLEN(0), 0);
    post_frame(t, tx, &f);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, 0);
    g_assert_cmphex(ioat_nic_tx_status(t->d, tx, 0), ==, 0);
    g_assert_true(wire_idle(t));
}

/* Migration */

/*
 * Migrate with both rings part used, interrupts routed and a TX context
 * loaded; the destination carries on where the source stopped: the next
 * frame lands in the next RX descriptor and raises the same vector, and
 * the next TX packet uses the context (its VLAN tag) from before.
 */
static void test_migration_mid_traffic(NicTest *t)
{
    const uint16_t tci = 0x0123;
    QTestState *src = qts(t), *dst;
    Frame f = eth_frame(100), f2 = other_frame(100), tagged;
    g_autofree char *file = g_strdup_printf("%s/ioat-nic-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    uint64_t buf = guest_alloc(t->alloc, f2.len);
    QIoatNicRing *rx = irq_rx_setup(t, 1), *tx = tx_queue(t, 0);
    int src_wire = t->wire, fds[2];

    /* Source: one frame each way, a VLAN context left loaded. */
    inject(t, &f);
    expect_rx(t, rx, 0, &f);
    ioat_nic_wait_msix(t->d, 1);
    ioat_nic_msix_clear(t->d, 1);
    ioat_nic_tx_put_ctx(t->d, tx, FIELD_DP32(0, TXCTX_VLAN_MACIP, VLAN, tci),
                        0, 0);
    transmit(t, tx, &f);
    g_assert_cmpuint(capture(t).len, ==, f.len);

    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(src);

    /* No RARP self-announcements: only the test's frames on the socket */
    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    dst = qtest_initf("-M pc -device ioat-nic,addr=" IOAT_NIC_QOS_ADDR
                      ",netdev=hs0,mac=%s "
                      "-netdev socket,fd=%d,id=hs0 "
                      "-global migration.announce-rounds=0 -incoming %s",
                      TEST_MAC_STR, fds[1], uri);
    ioat_qtest_wait_migration(dst);
    close(fds[1]);
    /* The libqos view of the device (BARs, MSI-X) holds on the destination */
    t->d->pci_dev.bus->qts = dst;
    t->wire = fds[0];

    g_assert_cmpuint(rd(t, IOAT_NIC_RDH(0)), ==, 1);
    inject(t, &f2);
    expect_rx(t, rx, 1, &f2);
    ioat_nic_wait_msix(t->d, 1);

    qtest_memwrite(dst, buf, f2.data, f2.len);
    ioat_nic_tx_put_data(t->d, tx, buf,
                         FIELD_DP32(tx_cmd_eop(f2.len), TXD_CMD, VLE, 1), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 2);
    tagged = vlan_tagged(&f2, tci);
    expect_sent(t, &tagged);
    g_assert_true(ioat_nic_socket_idle(src_wire));

    t->wire = src_wire;
    t->d->pci_dev.bus->qts = src;
    qtest_quit(dst);
    close(fds[0]);
    unlink(file);
}

/*
 * The tests per area, at most IOAT_QOS_MAX_TESTS_PER_NODE in each
 * (libqos/ioat-qos.h); their paths are
 * /x86_64/pc/i440FX-pcihost/pci-bus-pc/pci-bus/ioat-nic/AREA/AREA-tests/NAME
 * with AREA as in libqos/ioat-nic.c, e.g. ioat-nic-receive.
 */

static const NicTestCase registers_tests[] = {
    { "pci-identity", test_pci_identity },
    { "bar0-64bit-512k-mmio", test_bar0_is_64bit_512k_mmio },
    { "bar4-64bit-16k-msix", test_bar4_is_64bit_16k_msix },
    { "capability-list", test_capability_list },
    { "msix-64-vectors-in-bar4", test_msix_64_vectors_in_bar4 },
    { "reset-ctrl-is-zero", test_reset_ctrl_is_zero },
    { "reset-status-link-up-gio-enabled",
      test_reset_status_link_up_gio_enabled },
    { "reset-links-10g-up", test_links_reports_10g_up },
    { "reset-mac-in-ral0-rah0", test_mac_in_ral0_rah0 },
    { "ctrl-rst-self-clears-and-restores",
      test_ctrl_rst_self_clears_and_restores },
    { "ctrl-rst-keeps-msix-table", test_ctrl_rst_keeps_msix_table },
    { "status-is-read-only", test_status_is_read_only },
    { "read-only-write-is-guest-error", test_read_only_write_is_guest_error },
    { "unimplemented-offset-reads-zero", test_unimplemented_offset_reads_zero },
    { "unimplemented-offset-reported-once",
      test_unimplemented_offset_reported_once },
    { "unmodelled-register-reads-back-reported-once",
      test_unmodelled_register_reads_back_reported_once },
    { "eiam-reported", test_eiam_reported },
    { "fdir-command-while-off-is-guest-error",
      test_fdir_command_while_off_is_guest_error },
    { "legacy-alias-windows", test_legacy_alias_windows },
    { "self-clearing-and-reserved-bits", test_self_clearing_and_reserved_bits },
    { "reset-register-defaults", test_reset_register_defaults },
    { "eec-eeprom-present-1024-words", test_eec_eeprom_present_1024_words },
    { "eec-status-bits-read-only", test_eec_status_bits_read_only },
    { "eec-request-not-granted-reported",
      test_eec_request_not_granted_reported },
    { "eeprom-checksum-is-baba", test_eeprom_checksum_is_baba },
    { "eeprom-lan-core-module-holds-mac",
      test_eeprom_lan_core_module_holds_mac },
    { "eeprom-read-beyond-size-wraps", test_eeprom_read_beyond_size_wraps },
    { "set-link-toggles-links", test_set_link_toggles_links },
};

static const NicTestCase receive_tests[] = {
    { "rx-frame-from-socket", test_rx_frame_from_socket },
    { "rx-etqf-matches-ethertype-after-vlan-tag",
      test_rx_etqf_after_vlan_tag },
    { "rx-frame-spans-descriptors", test_rx_frame_spans_descriptors },
    { "rx-held-until-rdt-advances", test_rx_held_until_rdt_advances },
    { "split-always-header-fits-hdr-len",
      test_split_always_header_fits_hdr_len },
    { "rx-drop-en-drops-without-descriptors",
      test_rx_drop_en_drops_without_descriptors },
    { "rx-address-filter", test_rx_address_filter },
    { "vlan-filter-vfta", test_vlan_filter_vfta },
    { "rss-reta-redirection", test_rss_reta_redirection },
    { "rss-unhashable-frame-uses-reta-entry-0",
      test_rss_unhashable_frame_uses_reta_entry_0 },
};

static const NicTestCase transmit_tests[] = {
    { "tx-frame-reaches-socket", test_tx_frame_reaches_socket },
    { "tx-head-writeback", test_tx_head_writeback },
    { "mac-loopback-tx-to-rx", test_mac_loopback_tx_to_rx },
    { "mac-loopback-ignores-backend", test_mac_loopback_ignores_backend },
};

/*
 * LLI moderation is not modelled: EITR.LLI_MOD reads back, and the first
 * write asking for it, in EITR or in GPIE.LL_INTERVAL, is reported.
 */
static void test_lli_moderation_reported_once(NicTest *t)
{
    wr(t, IOAT_NIC_EITR(3), IOAT_NIC_EITR_LLI_MOD | (100 << 3));
    g_assert_cmphex(rd(t, IOAT_NIC_EITR(3)), ==,
                    IOAT_NIC_EITR_LLI_MOD | (100 << 3));
    wr(t, A_GPIE, FIELD_DP32(rd(t, A_GPIE), GPIE, LL_INTERVAL, 2));
    wr(t, IOAT_NIC_EITR(4), IOAT_NIC_EITR_LLI_MOD);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_reg: EITR[3] "),
                     ==, 1);
    g_assert_cmpuint(ioat_log_events(t->log, "ioat_nic_unimp_reg"), ==, 1);
}

/* GPIE.LL_INTERVAL alone asks for LLI moderation too; GPIE reads back. */
static void test_gpie_ll_interval_reported(NicTest *t)
{
    uint32_t gpie = FIELD_DP32(rd(t, A_GPIE), GPIE, LL_INTERVAL, 2);

    wr(t, A_GPIE, gpie);
    g_assert_cmphex(rd(t, A_GPIE), ==, gpie);
    g_assert_cmpuint(ioat_log_count(t->log, "ioat_nic_unimp_reg: GPIE[0] "),
                     ==, 1);
}

static const NicTestCase interrupts_tests[] = {
    { "link-change-raises-lsc", test_link_change_raises_lsc },
    { "ivar-routes-rx-queue-to-vector", test_ivar_routes_rx_queue_to_vector },
    { "ivar-routes-tx-queue-to-vector", test_ivar_routes_tx_queue_to_vector },
    { "eitr-throttles-vector", test_eitr_throttles_vector },
    { "eitr-write-clears-counter", test_eitr_write_clears_counter },
    { "eitr-write-with-cnt-wdis-keeps-counter",
      test_eitr_write_with_cnt_wdis_keeps_counter },
    { "lli-moderation-reported-once", test_lli_moderation_reported_once },
    { "gpie-ll-interval-reported", test_gpie_ll_interval_reported },
    { "eiam-auto-masks-fired-vector", test_eiam_auto_masks_fired_vector },
    { "eims-rearm-fires-pending-cause", test_eims_rearm_fires_pending_cause },
    { "eiac-auto-clears-fired-cause", test_eiac_auto_clears_fired_cause },
    { "eicr-read-clears-causes", test_eicr_read_clears_causes },
    { "msi-fires-on-queue-cause", test_msi_fires_on_queue_cause },
};

static const NicTestCase statistics_tests[] = {
    { "gprc-read-to-clear", test_gprc_read_to_clear },
    { "gorc-36bit-read-to-clear", test_gorc_36bit_read_to_clear },
    { "queue-octets-36bit-read-to-clear",
      test_queue_octets_36bit_read_to_clear },
    { "gptc-gotc-count-transmitted", test_gptc_gotc_count_transmitted },
    { "dma-rx-counters-count-frames-written",
      test_dma_rx_counters_count_frames_written },
    { "dma-rx-counters-skip-dropped-frames",
      test_dma_rx_counters_skip_dropped_frames },
    { "dma-tx-counters-count-frames-fetched",
      test_dma_tx_counters_count_frames_fetched },
    { "dma-counters-cleared-by-reset", test_dma_counters_cleared_by_reset },
    { "uncounted-statistic-reads-zero-reported-once",
      test_uncounted_statistic_reads_zero_reported_once },
    { "prc-ptc-count-by-size", test_prc_ptc_count_by_size },
};

static const NicTestCase offloads_tests[] = {
    { "rx-checksum-good-tcp4", test_rx_checksum_good_tcp4 },
    { "rx-checksum-errors-reported", test_rx_checksum_errors_reported },
    { "vlan-strip-rxdctl-vme", test_vlan_strip_rxdctl_vme },
    { "rx-crc-kept-without-strip", test_rx_crc_kept_without_strip },
    { "rx-crc-kept-after-vlan-strip", test_rx_crc_kept_after_vlan_strip },
    { "vlan-insert-tx-vle", test_vlan_insert_tx_vle },
    { "tx-checksum-offload-tcp4", test_tx_checksum_offload_tcp4 },
    { "tx-checksum-offload-udp6", test_tx_checksum_offload_udp6 },
};

/*
 * TXSM whose checksum field does not fit in the packet (here SCTP's
 * 4-byte CRC32c starting 2 bytes before the end): a guest error, and the
 * packet goes out as the driver wrote it.
 */
static void test_tx_checksum_field_outside_packet(NicTest *t)
{
    Frame f = eth_frame(66);
    const size_t l4 = f.len - 10;   /* the CRC field at l4 + 8 */
    QIoatNicRing *tx = tx_queue(t, 0);
    uint32_t olinfo;

    ioat_nic_tx_put_ctx(t->d, tx, ctx_macip(QIOAT_NIC_ETH_HLEN,
                                            l4 - QIOAT_NIC_ETH_HLEN),
                        ctx_tucmd(true, IOAT_NIC_L4T_SCTP), 0);
    olinfo = FIELD_DP32(0, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, f.len);
    transmit_olinfo(t, tx, &f, olinfo);

    expect_sent(t, &f);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_csum_field"));
}

/*
 * The destination refuses a stream whose TDLEN has bits no guest can set
 * (the length register holds bits 19:7): a ring of 2^28 descriptors
 * would be walked by the next TDT write.  The same stream unpatched loads.
 */
static void test_migration_refuses_ring_length_outside_tdlen(NicTest *t)
{
    const uint32_t tdlen = 0x000d5a80;      /* found nowhere else */
    g_autofree char *path = migration_file("");
    g_autofree char *bad = migration_file("-tdlen");
    g_autofree char *status = NULL;
    QTestState *src = qts(t), *dst;
    int src_wire = t->wire, dst_wire;

    wr(t, IOAT_NIC_TDLEN(5), tdlen);
    migrate_to_file(t, path);
    patch_migration(path, bad, tdlen, 0xffffff80);

    dst = migration_destination(path, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "completed");
    use_machine(t, dst, dst_wire);
    g_assert_cmphex(rd(t, IOAT_NIC_TDLEN(5)), ==, tdlen);
    qtest_quit(dst);
    close(dst_wire);
    g_free(status);

    dst = migration_destination(bad, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "failed");
    qtest_quit(dst);
    close(dst_wire);

    use_machine(t, src, src_wire);
    unlink(path);
    unlink(bad);
}

/*
 * A frame that needs more descriptors than the ring can ever hold (an
 * 8-entry ring holds 7 buffers; 8200 bytes take 9 of 1 KiB) is dropped
 * and counted in MPC even without SRRCTL.DROP_EN, with a guest error:
 * held, it would stop the queue for good.  The next frame is received.
 */
static void test_rx_frame_larger_than_ring_dropped(NicTest *t)
{
    uint8_t jumbo[8200];
    Frame small = eth_frame(100);
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 1);
    QIoatNicRing *rx;

    ioat_nic_build_eth(jumbo, test_mac, TEST_ETHERTYPE,
                       sizeof(jumbo) - QIOAT_NIC_ETH_HLEN);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    wr(t, A_MAXFRS, FIELD_DP32(0, MAXFRS, MFS, 9018));
    rx = rx_ring(t, 0, 8, srrctl);
    ioat_nic_rx_post(t->d, rx, 7);
    ioat_nic_rx_enable(t->d);

    ioat_nic_inject(t->wire, jumbo, sizeof(jumbo));
    inject(t, &small);
    expect_rx(t, rx, 0, &small);
    g_assert_true(guest_error_logged(t, "ioat_nic_err_rx_ring_too_small"));
    g_assert_cmpuint(rd(t, IOAT_NIC_MPC(0)), ==, 1);
}

/*
 * TSO with an MSS the model refuses: below its floor of 32 bytes (MSS 1
 * would make a 256 KiB packet 262,144 frames), or with header + MSS
 * beyond the 82599's 15.5 KiB frame.  A guest error; nothing is sent and
 * the descriptor is written back.
 */
static void tso_with_mss(NicTest *t, size_t mss)
{
    Frame f = ip_frame(FRAME_TCP4, 3000);
    QIoatNicRing *tx = tx_queue(t, 0);
    uint32_t olinfo;

    ioat_nic_tx_put_ctx(t->d, tx, ctx_macip(QIOAT_NIC_ETH_HLEN,
                                            QIOAT_NIC_IP4_HLEN),
                        ctx_tucmd(true, IOAT_NIC_L4T_TCP),
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, MSS, mss) |
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, L4LEN,
                                   QIOAT_NIC_TCP_HLEN));
    olinfo = FIELD_DP32(0, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, 3000);
    ioat_nic_tx_put_data(t->d, tx, guest_frame(t, &f),
                         FIELD_DP32(tx_cmd_eop(f.len), TXD_CMD, TSE, 1),
                         olinfo);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 1);
    g_assert_true(wire_idle(t));
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_tso_ctx"));
}

static void test_tso_mss_below_floor(NicTest *t)
{
    tso_with_mss(t, 31);
}

static void test_tso_frame_beyond_max(NicTest *t)
{
    tso_with_mss(t, 15 * 1024 + 512 - 53);
}

/*
 * A TDT write does a bounded amount of work (256 descriptors); the rest
 * of a longer burst follows from a bottom half: all 600 packets of one
 * TDT write go out, in order, and TDH reaches TDT.
 */
static void test_tx_burst_beyond_budget_completes(NicTest *t)
{
    const unsigned count = 600;
    Frame f = eth_frame(60);
    QIoatNicRing *tx = g_new(QIoatNicRing, 1);
    uint64_t buf;

    t->tx[1] = tx;
    ioat_nic_tx_ring_init(t->d, tx, 1, 1024);
    for (unsigned i = 0; i < count; i++) {
        f.data[QIOAT_NIC_ETH_HLEN] = i;
        f.data[QIOAT_NIC_ETH_HLEN + 1] = i >> 8;
        buf = guest_frame(t, &f);
        ioat_nic_tx_put_data(t->d, tx, buf,
                             i == count - 1 ? tx_cmd_eop(f.len)
                                            : FIELD_DP32(0, TXD_CMD, DTALEN,
                                                         f.len) |
                                              R_TXD_CMD_EOP_MASK, 0);
    }
    ioat_nic_tx_kick(t->d, tx);
    /* Read as they come: a wire nobody reads holds transmit back. */
    for (unsigned i = 0; i < count; i++) {
        Frame got = capture(t);

        g_assert_cmpuint(got.len, ==, f.len);
        g_assert_cmpuint(lduw_le_p(got.data + QIOAT_NIC_ETH_HLEN), ==,
                         i & 0xffff);
    }
    ioat_nic_tx_wait(t->d, tx, count - 1);
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(1)), ==, count);
}

/*
 * A wire that stops taking frames (the stream peer does not read): the
 * NIC holds the rest in its ring instead of piling frames up on the host,
 * and once the peer reads again every frame arrives, in order, once.
 * 20,000 frames are more than the socket buffer and QEMU's queue for a
 * backend (10,000 frames) hold together, so a NIC that went on consuming
 * descriptors would lose some while counting them as sent.
 */
#define STALL_FRAMES    20000
#define STALL_RING      20480
#define STALL_STRIDE    128     /* guest bytes per frame (74 used) */

static void test_tx_stalled_wire_holds_frames(NicTest *t)
{
    g_autofree uint8_t *frames = g_malloc0(STALL_FRAMES * STALL_STRIDE);
    g_autofree uint64_t *ring = g_malloc0(STALL_RING * IOAT_NIC_DESC_SIZE);
    QIoatNicRing *tx = g_new(QIoatNicRing, 1);
    uint64_t buf = guest_alloc(t->alloc, STALL_FRAMES * STALL_STRIDE);
    IoatPoll p = { .sleep_us = 1000, .timeout_us = 200 * 1000 };
    Frame f = eth_frame(60);
    unsigned tdh = 0;

    t->tx[0] = tx;
    ioat_nic_tx_ring_init(t->d, tx, 0, STALL_RING);
    for (unsigned i = 0; i < STALL_FRAMES; i++) {
        uint32_t cmd = FIELD_DP32(tx_cmd_eop(f.len), TXD_CMD, DTYP,
                                  IOAT_NIC_TXD_DTYP_DATA);

        stl_le_p(f.data + QIOAT_NIC_ETH_HLEN, i);
        memcpy(frames + i * STALL_STRIDE, f.data, f.len);
        ring[2 * i] = cpu_to_le64(buf + i * STALL_STRIDE);
        ring[2 * i + 1] = cpu_to_le64(FIELD_DP32(cmd, TXD_CMD, DEXT, 1));
    }
    qtest_memwrite(qts(t), buf, frames, STALL_FRAMES * STALL_STRIDE);
    qtest_memwrite(qts(t), tx->base, ring, STALL_RING * IOAT_NIC_DESC_SIZE);
    wr(t, IOAT_NIC_TDT(0), STALL_FRAMES);

    /* Nobody reads the wire: transmit stops short of the tail. */
    while (ioat_poll(&p)) {
        tdh = rd(t, IOAT_NIC_TDH(0));
    }
    g_assert_cmpuint(tdh, <, STALL_FRAMES);

    for (unsigned i = 0; i < STALL_FRAMES; i++) {
        Frame got = capture(t);

        stl_le_p(f.data + QIOAT_NIC_ETH_HLEN, i);
        g_assert_cmpmem(got.data, got.len, f.data, f.len);
    }
    g_assert_cmpuint(rd(t, IOAT_NIC_TDH(0)), ==, STALL_FRAMES);
    g_assert_cmpuint(rd(t, A_GPTC), ==, STALL_FRAMES);
}

/*
 * Without TSO a packet is one frame, and the 82599 sends none longer than
 * 15.5 KiB: a 15,872-byte packet goes out, a 15,873-byte one is dropped
 * with a guest error (its descriptor still written back).
 */
static void test_tx_frame_beyond_max_without_tso(NicTest *t)
{
    const size_t max = 15 * 1024 + 512;
    g_autofree uint8_t *frame = g_malloc(max + 1);
    g_autofree uint8_t *got = g_malloc(max + 64);
    QIoatNicRing *tx = tx_queue(t, 0);
    uint64_t buf = guest_alloc(t->alloc, max + 1);

    ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE,
                       max + 1 - QIOAT_NIC_ETH_HLEN);
    qtest_memwrite(qts(t), buf, frame, max + 1);

    ioat_nic_tx_put_data(t->d, tx, buf, tx_cmd_eop(max), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 0);
    g_assert_cmpuint(ioat_nic_capture(t->wire, got, max + 64), ==, max);
    g_assert_cmpmem(got, max, frame, max);

    ioat_nic_tx_put_data(t->d, tx, buf, tx_cmd_eop(max + 1), 0);
    ioat_nic_tx_kick(t->d, tx);
    ioat_nic_tx_wait(t->d, tx, 1);
    g_assert_true(wire_idle(t));
    g_assert_true(guest_error_logged(t, "ioat_nic_err_tx_frame_too_long"));
}

static const NicTestCase robustness_tests[] = {
    { "rx-oversized-frame-dropped", test_rx_oversized_frame_dropped },
    { "rx-runt-counted-in-ruc", test_rx_runt_counted_in_ruc },
    { "rx-runt-to-other-address-not-counted",
      test_rx_runt_to_other_address_not_counted },
    { "rx-rdt-beyond-rdlen", test_rx_rdt_beyond_rdlen },
    { "tx-zero-length-descriptor", test_tx_zero_length_descriptor },
    { "tx-buffer-outside-ram", test_tx_buffer_outside_ram },
    { "rx-buffer-outside-ram", test_rx_buffer_outside_ram },
    { "tx-link-down-holds-frames", test_tx_link_down_holds_frames },
    { "zero-length-rings-are-inert", test_zero_length_rings_are_inert },
    { "tx-checksum-field-outside-packet-is-guest-error",
      test_tx_checksum_field_outside_packet },
    { "rx-frame-larger-than-ring-dropped",
      test_rx_frame_larger_than_ring_dropped },
    { "tso-mss-below-floor-is-guest-error", test_tso_mss_below_floor },
    { "tso-frame-beyond-max-is-guest-error", test_tso_frame_beyond_max },
    { "tx-burst-beyond-budget-completes",
      test_tx_burst_beyond_budget_completes },
    { "tx-stalled-wire-holds-frames", test_tx_stalled_wire_holds_frames },
    { "tx-frame-beyond-max-without-tso-dropped",
      test_tx_frame_beyond_max_without_tso },
};

/*
 * The DMA's byte counts migrate; the destination refuses one wider than
 * the 36 bits its register pair holds.  Frames of 1,000 bytes make a count
 * (3 x 1,004) found nowhere else once the MAC's counts are read clear.
 */
static void test_migration_dma_byte_counts(NicTest *t)
{
    const uint64_t octets = 3 * (1000 + 4);
    g_autofree char *path = migration_file("");
    g_autofree char *bad = migration_file("-rxdgbc");
    g_autofree char *status = NULL;
    QTestState *src = qts(t), *dst;
    int src_wire = t->wire, dst_wire;

    receive_frames(t, rx_queue(t, 0, 4), 3, 1000);
    rd(t, A_GORCH);
    rd(t, A_TORH);
    rd(t, IOAT_NIC_QBRC_H(0));
    migrate_to_file(t, path);
    patch_migration64(path, bad, octets, 1ULL << 36);

    dst = migration_destination(path, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "completed");
    use_machine(t, dst, dst_wire);
    g_assert_cmpuint(rd(t, A_RXDGBCL), ==, octets);
    qtest_quit(dst);
    close(dst_wire);
    g_free(status);

    dst = migration_destination(bad, &dst_wire, &status);
    g_assert_cmpstr(status, ==, "failed");
    qtest_quit(dst);
    close(dst_wire);

    use_machine(t, src, src_wire);
    unlink(path);
    unlink(bad);
}

static const NicTestCase migration_tests[] = {
    { "migration-mid-traffic", test_migration_mid_traffic },
    { "migration-refuses-ring-length-outside-tdlen",
      test_migration_refuses_ring_length_outside_tdlen },
    { "migration-dma-byte-counts", test_migration_dma_byte_counts },
};

static void register_ioat_nic_tests(void)
{
    ioat_nic_add_tests(QIOAT_NIC_REGISTERS, registers_tests,
                       ARRAY_SIZE(registers_tests));

    ioat_nic_add_tests(QIOAT_NIC_RECEIVE, receive_tests,
                       ARRAY_SIZE(receive_tests));
    ioat_nic_add_cases(QIOAT_NIC_RECEIVE, etqf_cases, test_rx_etqf_queue);
    ioat_nic_add_cases(QIOAT_NIC_RECEIVE, split_cases, test_header_split);
    ioat_nic_add_cases(QIOAT_NIC_RECEIVE, rss_cases, test_rss_vectors);

    ioat_nic_add_tests(QIOAT_NIC_TRANSMIT, transmit_tests,
                       ARRAY_SIZE(transmit_tests));
    ioat_nic_add_tests(QIOAT_NIC_INTERRUPTS, interrupts_tests,
                       ARRAY_SIZE(interrupts_tests));
    ioat_nic_add_tests(QIOAT_NIC_STATISTICS, statistics_tests,
                       ARRAY_SIZE(statistics_tests));

    ioat_nic_add_tests(QIOAT_NIC_OFFLOADS, offloads_tests,
                       ARRAY_SIZE(offloads_tests));
    ioat_nic_add_cases(QIOAT_NIC_OFFLOADS, tso_cases, test_tso_segments);

    ioat_nic_add_tests(QIOAT_NIC_ROBUSTNESS, robustness_tests,
                       ARRAY_SIZE(robustness_tests));
    ioat_nic_add_test_opts(QIOAT_NIC_ROBUSTNESS,
                           "rx-pad-short-frames-receives-runts-padded",
                           test_rx_pad_short_frames_receives_runts,
                           "pad-short-frames=on");
    ioat_nic_add_stream_test(QIOAT_NIC_ROBUSTNESS,
                             "wire-peer-gone-holds-frames",
                             test_wire_peer_gone_holds_frames);
    ioat_nic_add_tests(QIOAT_NIC_MIGRATION, migration_tests,
                       ARRAY_SIZE(migration_tests));
}

libqos_init(register_ioat_nic_tests);
