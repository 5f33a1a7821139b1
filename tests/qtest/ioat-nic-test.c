/*
 * qtests for the ioat-nic (Intel 82599) device: PCI identity, reset
 * values, EEPROM, link, the receive and transmit paths through a socket
 * netdev, header split, RSS, interrupts, offloads, statistics, loopback,
 * malformed rings and migration.  One behaviour per test, each on a
 * freshly started machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "qobject/qdict.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-nic.h"
#include "libqos/ioat-nic-frame.h"
#include "libqos/ioat-pci.h"
#include "qemu/units.h"
#include "hw/pci/pci_ids.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"

#define TEST_MAC        { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }
#define TEST_MAC_STR    "52:54:00:12:34:56"

/* What data_test_init() hands each test. */
typedef struct NicEnv {
    int sock;               /* the test's end of the socket pair */
    int qemu_sock;          /* netdev "hs0" */
    char *log;              /* -D file with -d guest_errors */
    const void *arg;        /* per-test parameter */
} NicEnv;

static void test_pci_identity(void *obj, void *data, QGuestAllocator *alloc)
{
    QIoatNic *d = obj;

    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_VENDOR_ID), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_DEVICE_ID), ==, 0x10f9);
    g_assert_cmphex(qpci_config_readw(&d->pci_dev, PCI_CLASS_DEVICE), ==,
                    PCI_CLASS_NETWORK_ETHERNET);
    g_assert_cmphex(qpci_config_readb(&d->pci_dev, PCI_INTERRUPT_PIN), ==, 1);
}

static void test_bar0_is_64bit_512k_mmio(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    IoatPciBarInfo bar = ioat_pci_probe_bar(&d->pci_dev, 0);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_false(bar.prefetchable);
    g_assert_cmphex(bar.size, ==, 512 * KiB);
}

static void test_bar4_is_64bit_16k_msix(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    IoatPciBarInfo bar = ioat_pci_probe_bar(&d->pci_dev, 4);

    g_assert_false(bar.is_io);
    g_assert_true(bar.is_64bit);
    g_assert_cmphex(bar.size, ==, 16 * KiB);
}

static void test_capability_list(void *obj, void *data, QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint8_t ids[8], offs[8];
    int n = ioat_pci_cap_list(&d->pci_dev, ids, offs, ARRAY_SIZE(ids));

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

static void test_msix_64_vectors_in_bar4(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint32_t table, pba;

    /* ixgbe reads the table size from config word 0x72 directly. */
    g_assert_cmpint(qpci_config_readw(&d->pci_dev, 0x72) & PCI_MSIX_FLAGS_QSIZE,
                    ==, 63);
    table = qpci_config_readl(&d->pci_dev, 0x70 + PCI_MSIX_TABLE);
    pba = qpci_config_readl(&d->pci_dev, 0x70 + PCI_MSIX_PBA);
    g_assert_cmpint(table & PCI_MSIX_TABLE_BIR, ==, 4);
    g_assert_cmphex(table & PCI_MSIX_TABLE_OFFSET, ==, 0);
    g_assert_cmpint(pba & PCI_MSIX_PBA_BIR, ==, 4);
    g_assert_cmphex(pba & PCI_MSIX_PBA_OFFSET, ==, 0x2000);
}

static void test_reset_ctrl_is_zero(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_nic_readl(obj, A_CTRL), ==, 0);
}

static void test_reset_status_link_up_gio_enabled(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    /* LAN ID 0, link up (the socket peer is up), GIO master enabled */
    g_assert_cmphex(ioat_nic_readl(obj, A_STATUS), ==,
                    R_STATUS_LINK_UP_MASK | R_STATUS_GIO_MASTER_EN_MASK);
}

static void test_links_reports_10g_up(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    g_assert_cmphex(ioat_nic_readl(obj, A_LINKS), ==, 0xf0000000);
}

static void test_mac_in_ral0_rah0(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t mac[] = TEST_MAC;

    g_assert_cmphex(ioat_nic_readl(obj, A_RAL0), ==, ldl_le_p(mac));
    g_assert_cmphex(ioat_nic_readl(obj, A_RAH0), ==,
                    lduw_le_p(mac + 4) | R_RAH0_AV_MASK);
}

static void test_ctrl_rst_self_clears_and_restores(void *obj, void *data,
                                                   QGuestAllocator *alloc)
{
    static const uint8_t mac[] = TEST_MAC;
    QIoatNic *d = obj;

    ioat_nic_writel(d, A_RAL0, 0xdeadbeef);
    ioat_nic_writel(d, A_RAH0, 0);
    ioat_nic_writel(d, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(ioat_nic_readl(d, A_CTRL), ==, 0);
    g_assert_cmphex(ioat_nic_readl(d, A_RAL0), ==, ldl_le_p(mac));
    g_assert_cmphex(ioat_nic_readl(d, A_RAH0), ==,
                    lduw_le_p(mac + 4) | R_RAH0_AV_MASK);
}

/*
 * CTRL.RST resets the registers but not PCI configuration space or the
 * MSI-X table (datasheet 4.2.1.3; contract §5).
 */
static void test_ctrl_rst_keeps_msix_table(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QPCIDevice *pdev = &d->pci_dev;
    uint64_t entry;
    uint16_t cmd;

    ioat_nic_msix_enable(d);
    entry = pdev->msix_table_off + 5 * PCI_MSIX_ENTRY_SIZE;
    qpci_io_writel(pdev, pdev->msix_table_bar,
                   entry + PCI_MSIX_ENTRY_LOWER_ADDR, 0xfee01000);
    qpci_io_writel(pdev, pdev->msix_table_bar,
                   entry + PCI_MSIX_ENTRY_DATA, 0x4125);
    cmd = qpci_config_readw(pdev, PCI_COMMAND);

    ioat_nic_writel(d, A_CTRL, R_CTRL_RST_MASK);
    g_assert_cmphex(qpci_io_readl(pdev, pdev->msix_table_bar,
                                  entry + PCI_MSIX_ENTRY_LOWER_ADDR), ==,
                    0xfee01000);
    g_assert_cmphex(qpci_io_readl(pdev, pdev->msix_table_bar,
                                  entry + PCI_MSIX_ENTRY_DATA), ==, 0x4125);
    g_assert_cmphex(qpci_config_readw(pdev, PCI_COMMAND), ==, cmd);
    g_assert_true(qpci_config_readw(pdev, 0x70 + PCI_MSIX_FLAGS) &
                  PCI_MSIX_FLAGS_ENABLE);
    g_assert_cmphex(ioat_nic_readl(d, A_GPIE), ==, 0);
}

static void test_status_is_read_only(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint32_t before = ioat_nic_readl(d, A_STATUS);

    ioat_nic_writel(d, A_STATUS, ~before);
    g_assert_cmphex(ioat_nic_readl(d, A_STATUS), ==, before);
}

/* Reset values the driver depends on (datasheet 8.2.3; contract §17). */
static void test_reset_register_defaults(void *obj, void *data,
                                         QGuestAllocator *alloc)
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
    QIoatNic *d = obj;

    for (int i = 0; i < ARRAY_SIZE(defaults); i++) {
        g_test_message("register 0x%05x", defaults[i].reg);
        g_assert_cmphex(ioat_nic_readl(d, defaults[i].reg) & defaults[i].mask,
                        ==, defaults[i].val);
    }
}

/* EEC: EEPROM present, auto-read done, 1024 words (8.2.3.2.1). */
static void test_eec_eeprom_present_1024_words(void *obj, void *data,
                                               QGuestAllocator *alloc)
{
    uint32_t eec = ioat_nic_readl(obj, A_EEC);

    g_assert_true(FIELD_EX32(eec, EEC, PRES));
    g_assert_true(FIELD_EX32(eec, EEC, ARD));
    g_assert_cmpuint(1u << (FIELD_EX32(eec, EEC, SIZE) + 6), ==, 1024);
}

/*
 * Words 0x00-0x3f plus the sections the pointers in 0x03-0x0e name add
 * up to 0xbaba: ixgbe's validation (contract §6.2).
 */
static void test_eeprom_checksum_is_baba(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    uint16_t sum = 0;

    for (unsigned w = 0; w <= 0x3f; w++) {
        sum += ioat_nic_eeprom_read(d, w);
    }
    for (unsigned p = 0x03; p <= 0x0e; p++) {
        uint16_t ptr = ioat_nic_eeprom_read(d, p), len;

        if (ptr == 0 || ptr == 0xffff) {
            continue;
        }
        len = ioat_nic_eeprom_read(d, ptr);
        if (len == 0 || len == 0xffff) {
            continue;
        }
        for (unsigned w = ptr + 1; w <= ptr + len; w++) {
            sum += ioat_nic_eeprom_read(d, w);
        }
    }
    g_assert_cmphex(sum, ==, 0xbaba);
}

/* Link */

static void set_link(QIoatNic *d, const char *name, bool up)
{
    qtest_qmp_assert_success(ioat_nic_qts(d),
                             "{'execute': 'set_link', 'arguments': "
                             "{'name': %s, 'up': %i}}", name, up);
}

/*
 * set_link, naming the netdev or the NIC itself: LINKS and STATUS follow
 * the link.
 */
static void test_set_link_toggles_links(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    static const char *const names[] = { "hs0", "nic0" };
    QIoatNic *d = obj;

    for (int i = 0; i < ARRAY_SIZE(names); i++) {
        set_link(d, names[i], false);
        g_assert_cmphex(ioat_nic_readl(d, A_LINKS), ==, 0);
        g_assert_false(ioat_nic_readl(d, A_STATUS) & R_STATUS_LINK_UP_MASK);
        set_link(d, names[i], true);
        g_assert_cmphex(ioat_nic_readl(d, A_LINKS), ==, 0xf0000000);
        g_assert_true(ioat_nic_readl(d, A_STATUS) & R_STATUS_LINK_UP_MASK);
    }
}

/* A link change sets EICR.LSC and fires the IVAR_MISC "other" vector. */
static void test_link_change_raises_lsc(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    const unsigned other = 9;
    QIoatNic *d = obj;

    ioat_nic_msix_enable(d);
    ioat_nic_writel(d, A_IVAR_MISC, (IOAT_NIC_IVAR_VALID | other) << 8);
    ioat_nic_writel(d, A_EIMS, R_EICR_LSC_MASK);

    set_link(d, "hs0", false);
    ioat_nic_wait_msix(d, other);
    /* EICS reads the causes without clearing them. */
    g_assert_true(ioat_nic_readl(d, A_EICS) & R_EICR_LSC_MASK);
    ioat_nic_writel(d, A_EICR, R_EICR_LSC_MASK);
    g_assert_false(ioat_nic_readl(d, A_EICS) & R_EICR_LSC_MASK);
    ioat_nic_msix_clear(d, other);

    set_link(d, "hs0", true);
    ioat_nic_wait_msix(d, other);
    g_assert_true(ioat_nic_readl(d, A_EICS) & R_EICR_LSC_MASK);
}

/* Single queue TX and RX */

#define TEST_ETHERTYPE  0x88b5      /* IEEE 802 local experimental */

static const uint8_t test_mac[] = TEST_MAC;

/* A 16-entry ring on RX @queue with @posted buffers, receive enabled. */
static void rx_setup(QIoatNic *d, QIoatNicRing *rx, unsigned queue,
                     unsigned posted, uint32_t srrctl)
{
    ioat_nic_rx_ring_init(d, rx, queue, 16, srrctl);
    ioat_nic_rx_post(d, rx, posted);
    ioat_nic_rx_enable(d);
}

static void assert_rx_buf(QIoatNic *d, uint64_t addr, const uint8_t *want,
                          size_t len)
{
    g_autofree uint8_t *got = g_malloc(len);

    qtest_memread(ioat_nic_qts(d), addr, got, len);
    g_assert_cmpmem(got, len, want, len);
}

/* One received frame, whole, in descriptor @idx of @rx. */
static void assert_rx_frame(QIoatNic *d, QIoatNicRing *rx, unsigned idx,
                            const uint8_t *frame, size_t len)
{
    QIoatNicRxWb wb;

    ioat_nic_rx_wait(d, rx, idx, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_cmpuint(wb.length, ==, len);
    assert_rx_buf(d, rx->pkt_buf[idx], frame, len);
}

static void assert_rx_not_written(QIoatNic *d, QIoatNicRing *rx, unsigned idx)
{
    QIoatNicRxWb wb;

    ioat_nic_rx_wb(d, rx, idx, &wb);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_DD);
    g_assert_cmpuint(wb.length, ==, 0);
}

/* One data descriptor with EOP|RS: the frame on the wire, DD, TDH moved. */
static void test_tx_frame_reaches_socket(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    static const uint8_t peer[] = { 0x02, 0, 0, 0, 0, 0x02 };
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[100], got[200];
    size_t len = ioat_nic_build_eth(frame, peer, TEST_ETHERTYPE, 86);
    unsigned idx;

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    idx = ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(idx, ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_TDH(0)),
                     ==, 1);
    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);
    g_assert_cmpmem(got, len, frame, len);
    g_assert_true(ioat_nic_socket_idle(env->sock));
}

/* A frame from the wire in the first posted buffer, DD|EOP, RDH moved. */
static void test_rx_frame_from_socket(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_RDH(0)),
                     ==, 1);
    assert_rx_not_written(d, &rx, 1);
}

/* An EtherType filter sends the frame to RX queue N (7.1.2.3). */
static void test_rx_etqf_queue(void *obj, void *data, QGuestAllocator *alloc)
{
    NicEnv *env = data;
    unsigned queue = GPOINTER_TO_UINT(env->arg);
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    rx_setup(d, &rx, queue, 4, 0);
    ioat_nic_route_ethertype(d, 3, TEST_ETHERTYPE, queue);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_RDH(queue)),
                     ==, 1);
}

/*
 * The EtherType filters compare the frame's EtherType, after an 802.1Q
 * tag if there is one (7.1.2.3): a tagged frame follows its filter too.
 */
static void test_rx_etqf_after_vlan_tag(void *obj, void *data,
                                        QGuestAllocator *alloc)
{
    const unsigned queue = 9;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[128], tagged[132];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    size_t tlen = ioat_nic_vlan_tag(tagged, frame, len, 100);

    rx_setup(d, &rx, queue, 4, 0);
    ioat_nic_route_ethertype(d, 2, TEST_ETHERTYPE, queue);
    ioat_nic_inject(env->sock, tagged, tlen);
    assert_rx_frame(d, &rx, 0, tagged, tlen);
}

/* Header split (datasheet 7.1.10) */

typedef enum {
    FRAME_TCP4,
    FRAME_TCP6,
    FRAME_UDP4,
    FRAME_UDP6,
    FRAME_RAW,              /* not IP: no header to split at */
} FrameKind;

typedef struct SplitCase {
    unsigned desctype;
    FrameKind kind;
} SplitCase;

static size_t build_frame(uint8_t *buf, FrameKind kind, size_t payload)
{
    QIoatNicFlow f;

    switch (kind) {
    case FRAME_TCP4:
        ioat_nic_flow_parse(&f, IPPROTO_TCP, "10.0.0.1", 1234,
                            "10.0.0.2", 80);
        return ioat_nic_build_ip(buf, test_mac, &f, payload);
    case FRAME_TCP6:
        ioat_nic_flow_parse(&f, IPPROTO_TCP, "fd00::1", 1234,
                            "fd00::2", 80);
        return ioat_nic_build_ip(buf, test_mac, &f, payload);
    case FRAME_UDP4:
        ioat_nic_flow_parse(&f, IPPROTO_UDP, "10.0.0.1", 5353,
                            "10.0.0.2", 4789);
        return ioat_nic_build_ip(buf, test_mac, &f, payload);
    case FRAME_UDP6:
        ioat_nic_flow_parse(&f, IPPROTO_UDP, "fd00::1", 5353,
                            "fd00::2", 4789);
        return ioat_nic_build_ip(buf, test_mac, &f, payload);
    default:
        return ioat_nic_build_eth(buf, test_mac, TEST_ETHERTYPE, payload);
    }
}

/*
 * TCP and UDP split at the start of their payload: the headers go to the
 * header buffer, HDR_LEN gives their size and SPH is set.  A frame with
 * no header to split at goes whole to the packet buffer in header-split
 * mode; in split-always mode the header buffer takes its first BSIZEHDR
 * bytes and the packet buffer the rest, with SPH clear.
 */
static void test_header_split(void *obj, void *data, QGuestAllocator *alloc)
{
    NicEnv *env = data;
    const SplitCase *c = env->arg;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[400], hdr_buf[QIOAT_NIC_RX_HDR_SIZE] = { };
    size_t len = build_frame(frame, c->kind, 200), hdr = 0;
    bool sph = c->kind != FRAME_RAW;
    uint32_t srrctl;

    if (sph) {
        hdr = ioat_nic_l4_offset(frame) + ioat_nic_l4_hlen(frame);
    } else if (c->desctype == IOAT_NIC_DESCTYPE_SPLIT_ALWAYS) {
        hdr = QIOAT_NIC_RX_HDR_SIZE;
    }

    srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, QIOAT_NIC_RX_BUF_SIZE / 1024);
    srrctl = FIELD_DP32(srrctl, SRRCTL, BSIZEHDR, QIOAT_NIC_RX_HDR_SIZE / 64);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, c->desctype);
    ioat_nic_writel(d, IOAT_NIC_PSRTYPE(0),
                    IOAT_NIC_PSRTYPE_TCPHDR | IOAT_NIC_PSRTYPE_UDPHDR |
                    IOAT_NIC_PSRTYPE_IPV4HDR | IOAT_NIC_PSRTYPE_IPV6HDR);
    rx_setup(d, &rx, 0, 4, srrctl);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx, 0, &wb);

    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_false(wb.status & IOAT_NIC_RXD_ERR_HBO);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, SPH), ==, sph);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, HDR_LEN), ==, hdr);
    g_assert_cmpuint(wb.length, ==, len - hdr);

    /* The header buffer holds the header and nothing past it. */
    memcpy(hdr_buf, frame, hdr);
    assert_rx_buf(d, rx.hdr_buf[0], hdr_buf, sizeof(hdr_buf));
    assert_rx_buf(d, rx.pkt_buf[0], frame + hdr, len - hdr);
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
    bool ipv6;
    uint8_t proto;          /* the frames' L4 protocol */
    bool ports;             /* the MRQC field for that L4 protocol is on */
    uint8_t rss_type;       /* expected in DW0 3:0 */
} RssCase;

#define RSS_QUEUES      16

/* RETA entry i -> queue; a scrambled table, not the identity. */
static unsigned rss_reta_queue(unsigned entry)
{
    return (entry * 7 + 3) % RSS_QUEUES;
}

static void rss_setup(QIoatNic *d, QIoatNicRing *rx, uint32_t mrqc)
{
    for (unsigned i = 0; i < 10; i++) {
        ioat_nic_writel(d, IOAT_NIC_RSSRK(i), ldl_le_p(rss_key + 4 * i));
    }
    for (unsigned i = 0; i < 32; i++) {
        uint32_t reta = 0;

        for (unsigned b = 0; b < 4; b++) {
            reta |= rss_reta_queue(4 * i + b) << (8 * b);
        }
        ioat_nic_writel(d, IOAT_NIC_RETA(i), reta);
    }
    ioat_nic_writel(d, A_RXCSUM, R_RXCSUM_PCSD_MASK);
    ioat_nic_writel(d, A_MRQC, mrqc);
    for (unsigned q = 0; q < RSS_QUEUES; q++) {
        ioat_nic_rx_ring_init(d, &rx[q], q, 8, 0);
        ioat_nic_rx_post(d, &rx[q], 6);
    }
    ioat_nic_rx_enable(d);
}

/*
 * Every row of the suite, through the receive path: the hash lands in
 * DW1, the hash type in DW0, and the frame on queue RETA[hash & 0x7f].
 */
static void test_rss_vectors(void *obj, void *data, QGuestAllocator *alloc)
{
    NicEnv *env = data;
    const RssCase *c = env->arg;
    const RssVector *rows = c->ipv6 ? rss_ipv6 : rss_ipv4;
    unsigned nrows = c->ipv6 ? ARRAY_SIZE(rss_ipv6) : ARRAY_SIZE(rss_ipv4);
    unsigned used[RSS_QUEUES] = { };
    QIoatNicRing rx[RSS_QUEUES];
    QIoatNic *d = obj;
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
    rss_setup(d, rx, mrqc);

    for (unsigned i = 0; i < nrows; i++) {
        uint32_t hash = c->ports ? rows[i].hash_l4 : rows[i].hash_ip;
        unsigned q = rss_reta_queue(hash & 0x7f);
        QIoatNicFlow f;
        QIoatNicRxWb wb;
        uint8_t frame[256];
        size_t len;

        g_test_message("row %u: %s -> %s, queue %u", i, rows[i].src,
                       rows[i].dst, q);
        ioat_nic_flow_parse(&f, c->proto, rows[i].src, rows[i].sport,
                            rows[i].dst, rows[i].dport);
        len = ioat_nic_build_ip(frame, test_mac, &f, 64);
        ioat_nic_inject(env->sock, frame, len);
        ioat_nic_rx_wait(d, &rx[q], used[q], &wb);
        g_assert_cmphex(wb.rss_hash, ==, hash);
        g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                         c->rss_type);
        g_assert_cmpuint(wb.length, ==, len);
        assert_rx_buf(d, rx[q].pkt_buf[used[q]], frame, len);
        used[q]++;
    }
    /* Frames are received in order: nothing went anywhere else. */
    for (unsigned q = 0; q < RSS_QUEUES; q++) {
        assert_rx_not_written(d, &rx[q], used[q]);
    }
}

/* Rewriting the RETA entry a flow hashes to moves the flow (7.1.2.8.3). */
static void test_rss_reta_redirection(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    const RssVector *row = &rss_ipv4[0];
    unsigned entry = row->hash_l4 & 0x7f;
    unsigned q1 = rss_reta_queue(entry), q2 = (q1 + 5) % RSS_QUEUES;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx[RSS_QUEUES];
    QIoatNicFlow f;
    uint8_t frame[256];
    size_t len;
    uint32_t reta, mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);

    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, 1);
    rss_setup(d, rx, mrqc);
    ioat_nic_flow_parse(&f, IPPROTO_TCP, row->src, row->sport, row->dst,
                        row->dport);
    len = ioat_nic_build_ip(frame, test_mac, &f, 64);

    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx[q1], 0, frame, len);

    reta = ioat_nic_readl(d, IOAT_NIC_RETA(entry / 4));
    reta &= ~(0xffu << (8 * (entry % 4)));
    reta |= q2 << (8 * (entry % 4));
    ioat_nic_writel(d, IOAT_NIC_RETA(entry / 4), reta);

    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx[q2], 0, frame, len);
    assert_rx_not_written(d, &rx[q1], 1);
}

/*
 * RSS on, but a frame of no hashed type: hash 0, type 0, and so the
 * queue in RETA entry 0 (7.1.2.8; contract §12).
 */
static void test_rss_unhashable_frame_uses_reta_entry_0(void *obj,
                                                        void *data,
                                                        QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx[RSS_QUEUES];
    QIoatNicRxWb wb;
    unsigned q = rss_reta_queue(0);
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    uint32_t mrqc = FIELD_DP32(0, MRQC, MRQE, IOAT_NIC_MRQE_RSS);

    g_assert_cmpuint(q, !=, 0);
    mrqc = FIELD_DP32(mrqc, MRQC, IPV4, 1);
    mrqc = FIELD_DP32(mrqc, MRQC, TCPIPV4, 1);
    rss_setup(d, rx, mrqc);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx[q], 0, &wb);
    g_assert_cmphex(wb.rss_hash, ==, 0);
    g_assert_cmpuint(FIELD_EX32(wb.dw0, RXD_WB0, RSS_TYPE), ==,
                     IOAT_NIC_RSS_TYPE_NONE);
    assert_rx_buf(d, rx[q].pkt_buf[0], frame, len);
    assert_rx_not_written(d, &rx[0], 0);
}

/* Interrupts (datasheet 7.3) */

static void assert_only_vector_pending(QIoatNic *d, unsigned vector)
{
    for (unsigned v = 0; v < 64; v++) {
        g_test_message("vector %u", v);
        g_assert_cmpint(ioat_nic_msix_pending(d, v), ==, v == vector);
    }
}

/* IVAR maps RX queue 5's cause to MSI-X vector 42 and nothing else. */
static void test_ivar_routes_rx_queue_to_vector(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    ioat_nic_msix_enable(d);
    ioat_nic_set_ivar(d, 5, false, 42);
    ioat_nic_set_ivar(d, 5, true, 7);
    ioat_nic_writel(d, A_EIMS_EX0, ~0u);
    ioat_nic_writel(d, A_EIMS_EX1, ~0u);
    rx_setup(d, &rx, 5, 4, 0);
    ioat_nic_route_ethertype(d, 0, TEST_ETHERTYPE, 5);

    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_wait_msix(d, 42);
    assert_only_vector_pending(d, 42);
}

/* IVAR maps TX queue 2's write-back to MSI-X vector 17. */
static void test_ivar_routes_tx_queue_to_vector(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    static const uint8_t peer[] = { 0x02, 0, 0, 0, 0, 0x02 };
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, peer, TEST_ETHERTYPE, 86);

    ioat_nic_msix_enable(d);
    ioat_nic_set_ivar(d, 2, true, 17);
    ioat_nic_set_ivar(d, 2, false, 3);
    ioat_nic_writel(d, A_EIMS_EX0, ~0u);
    ioat_nic_writel(d, A_EIMS_EX1, ~0u);
    ioat_nic_tx_ring_init(d, &tx, 2, 8);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    ioat_nic_wait_msix(d, 17);
    assert_only_vector_pending(d, 17);
}

/*
 * EITR: after a vector fires, it does not fire again before the ITR
 * interval (bits 11:3, 2 us units) has passed; a cause raised meanwhile
 * is delivered when it ends.
 */
static void test_eitr_throttles_vector(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    const unsigned v = 20, interval_us = 200;
    QIoatNic *d = obj;
    QTestState *qts = ioat_nic_qts(d);

    ioat_nic_msix_enable(d);
    ioat_nic_set_eitr(d, v, (interval_us / 2) << 3);
    ioat_nic_writel(d, A_EIMS_EX0, 1u << v);

    ioat_nic_writel(d, A_EICS_EX0, 1u << v);
    g_assert_true(ioat_nic_msix_pending(d, v));
    ioat_nic_msix_clear(d, v);

    ioat_nic_writel(d, A_EICS_EX0, 1u << v);
    qtest_clock_step(qts, (interval_us - 10) * 1000);
    g_assert_false(ioat_nic_msix_pending(d, v));
    qtest_clock_step(qts, 20 * 1000);
    g_assert_true(ioat_nic_msix_pending(d, v));
}

/* RX queue 0 -> vector 3, every vector enabled, for the mask tests. */
static void irq_rx_setup(QIoatNic *d, QIoatNicRing *rx, unsigned vector)
{
    ioat_nic_msix_enable(d);
    ioat_nic_set_ivar(d, 0, false, vector);
    ioat_nic_writel(d, A_EIMS_EX0, ~0u);
    ioat_nic_writel(d, A_EIMS_EX1, ~0u);
    rx_setup(d, rx, 0, 4, 0);
}

/*
 * GPIE.EIAME with the vector's EIAM_EX bit: firing the vector clears its
 * EIMS bit, so the next cause does not fire it (8.2.3.5.5).
 */
static void test_eiam_auto_masks_fired_vector(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    const unsigned v = 3;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    irq_rx_setup(d, &rx, v);
    ioat_nic_writel(d, A_GPIE, ioat_nic_readl(d, A_GPIE) | R_GPIE_EIAME_MASK);
    ioat_nic_writel(d, A_EIAM_EX0, 1u << v);

    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_wait_msix(d, v);
    g_assert_false(ioat_nic_readl(d, A_EIMS_EX0) & (1u << v));
    g_assert_cmphex(ioat_nic_readl(d, A_EIMS_EX0), ==, ~(1u << v));
    ioat_nic_msix_clear(d, v);

    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx, 1, &wb);
    g_assert_false(ioat_nic_msix_pending(d, v));
}

/*
 * Writing EIMS_EX for a vector whose cause is pending fires it: a frame
 * received while the vector is masked is signalled on re-arm (8.2.3.5.4).
 */
static void test_eims_rearm_fires_pending_cause(void *obj, void *data,
                                                QGuestAllocator *alloc)
{
    const unsigned v = 3;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    irq_rx_setup(d, &rx, v);
    ioat_nic_writel(d, A_EIMC_EX0, 1u << v);

    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx, 0, &wb);
    g_assert_false(ioat_nic_msix_pending(d, v));
    g_assert_true(ioat_nic_readl(d, A_EICS) & (1u << v));

    ioat_nic_writel(d, A_EIMS_EX0, 1u << v);
    g_assert_true(ioat_nic_msix_pending(d, v));
}

/* EIAC: firing a queue vector (0-15) with its EIAC bit clears its cause. */
static void test_eiac_auto_clears_fired_cause(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    const unsigned v = 3;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    irq_rx_setup(d, &rx, v);
    ioat_nic_writel(d, A_EIAC, 1u << v);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_wait_msix(d, v);
    g_assert_false(ioat_nic_readl(d, A_EICS) & (1u << v));
}

/* Reading EICR returns the pending causes and clears them (8.2.3.5.1). */
static void test_eicr_read_clears_causes(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    const uint32_t causes = (1u << 3) | R_EICR_LSC_MASK;
    QIoatNic *d = obj;

    ioat_nic_writel(d, A_EICS, causes);
    g_assert_cmphex(ioat_nic_readl(d, A_EICS), ==, causes);
    g_assert_cmphex(ioat_nic_readl(d, A_EICR), ==, causes);
    g_assert_cmphex(ioat_nic_readl(d, A_EICR), ==, 0);
}

/*
 * Without MSI-X mode, a queue cause unmasked in EIMS sends the MSI
 * message; in qtest its address is plain guest memory.
 */
static void test_msi_fires_on_queue_cause(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    const uint8_t msi = 0x50;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);
    uint64_t target = guest_alloc(alloc, 16);
    IoatPoll p = { .qts = ioat_nic_qts(d),
                   .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS };

    qtest_writel(ioat_nic_qts(d), target, 0);
    g_assert_cmphex(qpci_config_readb(&d->pci_dev, msi), ==, PCI_CAP_ID_MSI);
    qpci_config_writel(&d->pci_dev, msi + PCI_MSI_ADDRESS_LO, target);
    qpci_config_writel(&d->pci_dev, msi + PCI_MSI_ADDRESS_HI, target >> 32);
    qpci_config_writew(&d->pci_dev, msi + PCI_MSI_DATA_64, 0x4242);
    qpci_config_writew(&d->pci_dev, msi + PCI_MSI_FLAGS,
                       qpci_config_readw(&d->pci_dev, msi + PCI_MSI_FLAGS) |
                       PCI_MSI_FLAGS_ENABLE);
    ioat_nic_set_ivar(d, 0, false, 0);
    ioat_nic_writel(d, A_EIMS, 1u << 0);
    rx_setup(d, &rx, 0, 4, 0);

    ioat_nic_inject(env->sock, frame, len);
    while (qtest_readl(ioat_nic_qts(d), target) != 0x4242) {
        g_assert_true(ioat_poll(&p));
    }
    g_assert_cmphex(ioat_nic_readl(d, A_EICR), ==, 1u << 0);
}

/* Statistics (datasheet 8.2.3.23) */

/* Receive @n frames of @len bytes into descriptors 0 to n - 1. */
static void rx_frames(QIoatNic *d, NicEnv *env, QIoatNicRing *rx, unsigned n,
                      size_t len)
{
    g_autofree uint8_t *frame = g_malloc(len);
    QIoatNicRxWb wb;

    ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, len - 14);
    for (unsigned i = 0; i < n; i++) {
        ioat_nic_inject(env->sock, frame, len);
        ioat_nic_rx_wait(d, rx, i, &wb);
    }
}

/* GPRC counts good received frames and clears when read. */
static void test_gprc_read_to_clear(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QIoatNicRing rx;

    rx_setup(d, &rx, 0, 4, 0);
    rx_frames(d, data, &rx, 3, 100);
    g_assert_cmpuint(ioat_nic_readl(d, A_GPRC), ==, 3);
    g_assert_cmpuint(ioat_nic_readl(d, A_GPRC), ==, 0);
}

/*
 * GORCL/GORCH: a 36-bit count of good octets including the 4-byte FCS;
 * GORCL reads bits 31:0, GORCH bits 35:32 and clears the counter.
 */
static void test_gorc_36bit_read_to_clear(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QIoatNicRing rx;

    rx_setup(d, &rx, 0, 4, 0);
    rx_frames(d, data, &rx, 3, 100);
    g_assert_cmpuint(ioat_nic_readl(d, A_GORCL), ==, 3 * (100 + 4));
    g_assert_cmpuint(ioat_nic_readl(d, A_GORCL), ==, 3 * (100 + 4));
    g_assert_cmpuint(ioat_nic_readl(d, A_GORCH), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, A_GORCL), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, A_GORCH), ==, 0);
}

/*
 * QBRC_L/H(0) and QBTC_L/H(0): 36-bit per-queue octet counters (with the
 * FCS) of the queues mapped to statistics set 0 (all of them by default);
 * the high register clears the counter.
 */
static void test_queue_octets_36bit_read_to_clear(void *obj, void *data,
                                                  QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QIoatNicRing rx, tx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    rx_setup(d, &rx, 0, 4, 0);
    rx_frames(d, data, &rx, 3, 100);
    ioat_nic_tx_ring_init(d, &tx, 5, 8);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);

    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBRC_L(0)), ==, 3 * (100 + 4));
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBRC_H(0)), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBRC_L(0)), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBTC_L(0)), ==, 2 * (len + 4));
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBTC_H(0)), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QBTC_L(0)), ==, 0);
}

/*
 * GPTC and GOTCL/H count transmitted frames and their octets with the
 * FCS; QPTC(0) too, all queues mapping to it by default (TQSM).
 */
static void test_gptc_gotc_count_transmitted(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[100];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 86);

    ioat_nic_tx_ring_init(d, &tx, 5, 8);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(ioat_nic_readl(d, A_GPTC), ==, 2);
    g_assert_cmpuint(ioat_nic_readl(d, A_GOTCL), ==, 2 * (len + 4));
    g_assert_cmpuint(ioat_nic_readl(d, A_GOTCH), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QPTC(0)), ==, 2);
    g_assert_cmpuint(ioat_nic_readl(d, A_GPTC), ==, 0);
    g_assert_cmpuint(ioat_nic_readl(d, A_GOTCL), ==, 0);
}

/*
 * PRC64..PRC1522 and PTC64..PTC1522 count frames by size including the
 * FCS: 64, 65-127, 128-255, 256-511, 512-1023, 1024 and more bytes.
 */
static void test_prc_ptc_count_by_size(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    /* Frame sizes without FCS: one per bin, at each bin's upper edge */
    static const size_t sizes[] = { 60, 123, 251, 507, 1019, 1514 };
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx, tx;
    uint8_t frame[1514], got[1514];

    rx_setup(d, &rx, 0, 8, 0);
    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    for (int i = 0; i < ARRAY_SIZE(sizes); i++) {
        QIoatNicRxWb wb;

        ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, sizes[i] - 14);
        ioat_nic_inject(env->sock, frame, sizes[i]);
        ioat_nic_rx_wait(d, &rx, i, &wb);
        ioat_nic_tx_frame(d, &tx, frame, sizes[i], 0, 0);
        g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==,
                         sizes[i]);
    }
    for (int bin = 0; bin < ARRAY_SIZE(sizes); bin++) {
        g_test_message("bin %d", bin);
        g_assert_cmpuint(ioat_nic_readl(d, A_PRC64 + 4 * bin), ==, 1);
        g_assert_cmpuint(ioat_nic_readl(d, A_PTC64 + 4 * bin), ==, 1);
        g_assert_cmpuint(ioat_nic_readl(d, A_PRC64 + 4 * bin), ==, 0);
    }
}

/* Receive path details */

/*
 * A frame larger than BSIZEPKT fills consecutive descriptors, each with
 * its own length and DD, EOP only on the last (7.1.6.2).
 */
static void test_rx_frame_spans_descriptors(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[1514];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE,
                                    sizeof(frame) - 14);
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 1);

    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    rx_setup(d, &rx, 0, 4, srrctl);
    ioat_nic_inject(env->sock, frame, len);

    ioat_nic_rx_wait(d, &rx, 1, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP);
    g_assert_cmpuint(wb.length, ==, len - 1024);
    assert_rx_buf(d, rx.pkt_buf[1], frame + 1024, len - 1024);
    ioat_nic_rx_wb(d, &rx, 0, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_DD | IOAT_NIC_RXD_STAT_EOP),
                    ==, IOAT_NIC_RXD_STAT_DD);
    g_assert_cmpuint(wb.length, ==, 1024);
    assert_rx_buf(d, rx.pkt_buf[0], frame, 1024);
    assert_rx_not_written(d, &rx, 2);
}

/* A frame that finds no free descriptor waits for the next RDT write. */
static void test_rx_held_until_rdt_advances(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    rx_setup(d, &rx, 0, 0, 0);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_wait_consumed(d, env->sock);
    assert_rx_not_written(d, &rx, 0);
    ioat_nic_rx_post(d, &rx, 1);
    assert_rx_frame(d, &rx, 0, frame, len);
}

/*
 * SRRCTL.DROP_EN: without a free descriptor the frame is dropped and
 * counted in QPRDC, not held (8.2.3.8.7).
 */
static void test_rx_drop_en_drops_without_descriptors(void *obj, void *data,
                                                      QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t dropped[128], frame[128];
    size_t len = ioat_nic_build_eth(dropped, test_mac, TEST_ETHERTYPE, 100);
    uint32_t srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, 2);

    ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE + 1, 100);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    srrctl = FIELD_DP32(srrctl, SRRCTL, DROP_EN, 1);
    rx_setup(d, &rx, 0, 0, srrctl);
    ioat_nic_inject(env->sock, dropped, len);
    ioat_nic_wait_consumed(d, env->sock);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_QPRDC(0)), ==, 1);

    ioat_nic_rx_post(d, &rx, 2);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
    assert_rx_not_written(d, &rx, 1);
}

/* A good TCP/IPv4 frame: IPCS and L4CS set, no IPE or TCPE (7.1.11). */
static void test_rx_checksum_good_tcp4(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[256];
    size_t len = build_frame(frame, FRAME_TCP4, 100);

    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx, 0, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_IPCS |
                                 IOAT_NIC_RXD_STAT_L4CS |
                                 IOAT_NIC_RXD_STAT_UDPCS |
                                 IOAT_NIC_RXD_ERR_IPE | IOAT_NIC_RXD_ERR_TCPE),
                    ==, IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_STAT_L4CS);
}

/*
 * Bad checksums are reported, not dropped: a corrupt UDP checksum gives
 * L4CS, UDPCS and TCPE; a corrupt IPv4 header checksum IPCS and IPE.
 */
static void test_rx_checksum_errors_reported(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t udp[256], ip4[256];
    size_t udp_len = build_frame(udp, FRAME_UDP6, 100);
    size_t ip4_len = build_frame(ip4, FRAME_TCP4, 100);

    udp[udp_len - 1] ^= 0x55;
    g_assert_false(ioat_nic_l4_csum_ok(udp, udp_len));
    ip4[QIOAT_NIC_ETH_HLEN + 10] ^= 0x55;
    g_assert_false(ioat_nic_ip4_csum_ok(ip4));
    rx_setup(d, &rx, 0, 4, 0);

    ioat_nic_inject(env->sock, udp, udp_len);
    ioat_nic_rx_wait(d, &rx, 0, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_L4CS |
                                 IOAT_NIC_RXD_STAT_UDPCS |
                                 IOAT_NIC_RXD_ERR_TCPE),
                    ==, IOAT_NIC_RXD_STAT_L4CS | IOAT_NIC_RXD_STAT_UDPCS |
                        IOAT_NIC_RXD_ERR_TCPE);

    ioat_nic_inject(env->sock, ip4, ip4_len);
    ioat_nic_rx_wait(d, &rx, 1, &wb);
    g_assert_cmphex(wb.status & (IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_ERR_IPE),
                    ==, IOAT_NIC_RXD_STAT_IPCS | IOAT_NIC_RXD_ERR_IPE);
}

/* Address filters (7.1.1.1) */

/*
 * Destination address filtering (7.1.1.1): a frame not accepted is
 * dropped, not held, as the frame after it shows.  Unicast needs an
 * RAL/RAH entry (here entry 1, through its 0x5408 alias) or FCTRL.UPE;
 * broadcast needs FCTRL.BAM; multicast needs, with MCSTCTRL.MFE, its MTA
 * bit, indexed by address bits 47:36 when MO = 0 (8.2.3.7.7).
 */
static void test_rx_address_filter(void *obj, void *data,
                                   QGuestAllocator *alloc)
{
    static const uint8_t second[] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
    static const uint8_t other[] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
    static const uint8_t bcast[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    static const uint8_t mcast[] = { 0x33, 0x33, 0x00, 0x00, 0x12, 0x34 };
    unsigned mta = (mcast[4] >> 4) | (mcast[5] << 4), idx = 0;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t to_second[128], to_other[128], to_bcast[128], to_mcast[128];
    size_t len = ioat_nic_build_eth(to_second, second, TEST_ETHERTYPE, 100);

    ioat_nic_build_eth(to_other, other, TEST_ETHERTYPE, 100);
    ioat_nic_build_eth(to_bcast, bcast, TEST_ETHERTYPE, 100);
    ioat_nic_build_eth(to_mcast, mcast, TEST_ETHERTYPE, 100);
    ioat_nic_writel(d, IOAT_NIC_RAL_ALIAS(1), ldl_le_p(second));
    ioat_nic_writel(d, IOAT_NIC_RAL_ALIAS(1) + 4,
                    lduw_le_p(second + 4) | R_RAH0_AV_MASK);
    g_assert_cmphex(ioat_nic_readl(d, IOAT_NIC_RAL(1)), ==, ldl_le_p(second));
    ioat_nic_rx_ring_init(d, &rx, 0, 16, 0);
    ioat_nic_rx_post(d, &rx, 8);
    ioat_nic_writel(d, A_MCSTCTRL, R_MCSTCTRL_MFE_MASK);
    ioat_nic_writel(d, A_FCTRL, 0);
    ioat_nic_writel(d, A_RXCTRL, R_RXCTRL_RXEN_MASK);

    ioat_nic_inject(env->sock, to_other, len);
    ioat_nic_inject(env->sock, to_bcast, len);
    ioat_nic_inject(env->sock, to_mcast, len);
    ioat_nic_inject(env->sock, to_second, len);
    assert_rx_frame(d, &rx, idx++, to_second, len);

    ioat_nic_writel(d, A_FCTRL, R_FCTRL_UPE_MASK);
    ioat_nic_inject(env->sock, to_other, len);
    assert_rx_frame(d, &rx, idx++, to_other, len);

    ioat_nic_writel(d, A_FCTRL, R_FCTRL_BAM_MASK);
    ioat_nic_inject(env->sock, to_bcast, len);
    assert_rx_frame(d, &rx, idx++, to_bcast, len);

    ioat_nic_writel(d, IOAT_NIC_MTA(mta >> 5), 1u << (mta & 31));
    ioat_nic_inject(env->sock, to_mcast, len);
    assert_rx_frame(d, &rx, idx++, to_mcast, len);
    assert_rx_not_written(d, &rx, idx);
}

/* VLAN */

/*
 * RXDCTL.VME strips the tag, sets VP and reports the TCI in DW3; without
 * it the tag stays in the buffer and VP is clear.
 */
static void test_vlan_strip_rxdctl_vme(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    const uint16_t tci = (3 << 13) | 100;
    const uint32_t rxdctl = IOAT_NIC_RXDCTL(0);
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[256], tagged[260];
    size_t len = build_frame(frame, FRAME_TCP4, 64);
    size_t tlen = ioat_nic_vlan_tag(tagged, frame, len, tci);

    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_writel(d, rxdctl, R_RXDCTL_ENABLE_MASK | R_RXDCTL_VME_MASK);
    ioat_nic_inject(env->sock, tagged, tlen);
    ioat_nic_rx_wait(d, &rx, 0, &wb);
    g_assert_true(wb.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmphex(wb.vlan, ==, tci);
    g_assert_cmpuint(wb.length, ==, len);
    assert_rx_buf(d, rx.pkt_buf[0], frame, len);

    ioat_nic_writel(d, rxdctl, R_RXDCTL_ENABLE_MASK);
    ioat_nic_inject(env->sock, tagged, tlen);
    ioat_nic_rx_wait(d, &rx, 1, &wb);
    g_assert_false(wb.status & IOAT_NIC_RXD_STAT_VP);
    g_assert_cmpuint(wb.length, ==, tlen);
    assert_rx_buf(d, rx.pkt_buf[1], tagged, tlen);
}

/* Context VLAN + data VLE: a tag with DMATXCTL.VT after the addresses. */
static void test_vlan_insert_tx_vle(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    const uint16_t tci = (5 << 13) | 0x123;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[256], want[260], got[300];
    size_t len = build_frame(frame, FRAME_TCP4, 64);
    size_t wlen = ioat_nic_vlan_tag(want, frame, len, tci);
    uint64_t buf = guest_alloc(alloc, len);
    uint32_t cmd;

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    qtest_memwrite(ioat_nic_qts(d), buf, frame, len);
    ioat_nic_tx_put_ctx(d, &tx, FIELD_DP32(0, TXCTX_VLAN_MACIP, VLAN, tci) |
                        FIELD_DP32(0, TXCTX_VLAN_MACIP, MACLEN, 14) |
                        FIELD_DP32(0, TXCTX_VLAN_MACIP, IPLEN, 20), 0, 0);
    cmd = FIELD_DP32(0, TXD_CMD, DTALEN, len);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, VLE, 1);
    ioat_nic_tx_put_data(d, &tx, buf, cmd, 0);
    ioat_nic_tx_kick(d, &tx);
    ioat_nic_tx_wait(d, &tx, 1);

    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, wlen);
    g_assert_cmpmem(got, wlen, want, wlen);
}

/*
 * VLNCTRL.VFE: a tagged frame whose VID has no VFTA bit is dropped; one
 * with its bit set, and untagged frames, are received (7.1.1.2).
 */
static void test_vlan_filter_vfta(void *obj, void *data,
                                  QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[256], pass[260], drop[260];
    size_t len = build_frame(frame, FRAME_TCP4, 64);
    size_t tlen = ioat_nic_vlan_tag(pass, frame, len, 100);

    ioat_nic_vlan_tag(drop, frame, len, 200);
    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_writel(d, A_VLNCTRL,
                    ioat_nic_readl(d, A_VLNCTRL) | R_VLNCTRL_VFE_MASK);
    ioat_nic_writel(d, IOAT_NIC_VFTA(100 / 32), 1u << (100 % 32));

    ioat_nic_inject(env->sock, drop, tlen);
    ioat_nic_inject(env->sock, pass, tlen);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, pass, tlen);
    assert_rx_frame(d, &rx, 1, frame, len);
    assert_rx_not_written(d, &rx, 2);
}

/* Transmit offloads (datasheet 7.2.4, 7.2.5) */

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
static void test_tx_checksum_offload_tcp4(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[512], got[600];
    size_t len = build_frame(frame, FRAME_TCP4, 301), l4;
    uint32_t olinfo;

    l4 = ioat_nic_l4_offset(frame);
    stw_be_p(frame + 14 + 10, 0);
    ioat_nic_preload_pseudo_sum(frame, len - l4);
    g_assert_false(ioat_nic_ip4_csum_ok(frame));
    g_assert_false(ioat_nic_l4_csum_ok(frame, len));

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    ioat_nic_tx_put_ctx(d, &tx, ctx_macip(14, 20),
                        ctx_tucmd(true, IOAT_NIC_L4T_TCP), 0);
    olinfo = FIELD_DP32(0, TXD_OLINFO, IXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, len);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, olinfo);

    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);
    g_assert_true(ioat_nic_ip4_csum_ok(got));
    g_assert_true(ioat_nic_l4_csum_ok(got, len));
    g_assert_cmpmem(got + l4 + 18, len - l4 - 18, frame + l4 + 18,
                    len - l4 - 18);
}

/* TXSM for UDP over IPv6 (no IPv4 header checksum to insert). */
static void test_tx_checksum_offload_udp6(void *obj, void *data,
                                          QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[512], got[600];
    size_t len = build_frame(frame, FRAME_UDP6, 301), l4;

    l4 = ioat_nic_l4_offset(frame);
    ioat_nic_preload_pseudo_sum(frame, len - l4);
    g_assert_false(ioat_nic_l4_csum_ok(frame, len));

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    ioat_nic_tx_put_ctx(d, &tx, ctx_macip(14, 40),
                        ctx_tucmd(false, IOAT_NIC_L4T_UDP), 0);
    ioat_nic_tx_frame(d, &tx, frame, len, 0,
                      FIELD_DP32(0, TXD_OLINFO, TXSM, 1) |
                      FIELD_DP32(0, TXD_OLINFO, PAYLEN, len));

    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);
    g_assert_true(ioat_nic_l4_csum_ok(got, len));
}

static bool frame_is_tcp(FrameKind kind)
{
    return kind == FRAME_TCP4 || kind == FRAME_TCP6;
}

static bool frame_is_ipv4(FrameKind kind)
{
    return kind == FRAME_TCP4 || kind == FRAME_UDP4;
}

/*
 * Segmentation (TSE) of TCP over IPv4 and IPv6, and of UDP (USO, by the
 * context's offsets: each segment its own datagram, not IP fragments).
 * Each segment has the headers copied with the IP length, the IPv4 ID,
 * the TCP sequence number and flags or the UDP length, and both
 * checksums fixed up; all checked here from the wire bytes.
 */
static void test_tso_segments(void *obj, void *data, QGuestAllocator *alloc)
{
    const size_t mss = 1000, paylen = 2500;
    NicEnv *env = data;
    FrameKind kind = GPOINTER_TO_UINT(env->arg);
    bool tcp = frame_is_tcp(kind), ipv4 = frame_is_ipv4(kind);
    size_t iplen = ipv4 ? QIOAT_NIC_IP4_HLEN : QIOAT_NIC_IP6_HLEN;
    size_t l4hlen = tcp ? QIOAT_NIC_TCP_HLEN : QIOAT_NIC_UDP_HLEN;
    size_t l4 = QIOAT_NIC_ETH_HLEN + iplen, hlen = l4 + l4hlen, off = 0;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    g_autofree uint8_t *frame = g_malloc(hlen + paylen);
    uint8_t *ip = frame + QIOAT_NIC_ETH_HLEN, got[2048];
    size_t len = build_frame(frame, kind, paylen);
    uint16_t ip_id = lduw_be_p(ip + 4);
    uint32_t seq = ldl_be_p(frame + l4 + 4), olinfo, cmd;
    uint64_t buf = guest_alloc(alloc, len);
    unsigned k;

    g_assert_cmpuint(len, ==, hlen + paylen);
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
        stw_be_p(frame + l4 + 4, 0);
    }
    ioat_nic_preload_pseudo_sum(frame, 0);
    qtest_memwrite(ioat_nic_qts(d), buf, frame, len);

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    ioat_nic_tx_put_ctx(d, &tx, ctx_macip(QIOAT_NIC_ETH_HLEN, iplen),
                        ctx_tucmd(ipv4, tcp ? IOAT_NIC_L4T_TCP
                                            : IOAT_NIC_L4T_UDP),
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, MSS, mss) |
                        FIELD_DP32(0, TXCTX_MSS_L4LEN, L4LEN, l4hlen));
    /* Headers and payload in separate descriptors, as the driver maps them */
    cmd = FIELD_DP32(0, TXD_CMD, TSE, 1);
    olinfo = FIELD_DP32(0, TXD_OLINFO, IXSM, ipv4);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, TXSM, 1);
    olinfo = FIELD_DP32(olinfo, TXD_OLINFO, PAYLEN, paylen);
    ioat_nic_tx_put_data(d, &tx, buf, FIELD_DP32(cmd, TXD_CMD, DTALEN, hlen),
                         olinfo);
    cmd = FIELD_DP32(cmd, TXD_CMD, DTALEN, paylen);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(d, &tx, buf + hlen, cmd, olinfo);
    ioat_nic_tx_kick(d, &tx);
    ioat_nic_tx_wait(d, &tx, 2);

    for (k = 0; off < paylen; k++, off += mss) {
        size_t n = MIN(mss, paylen - off);
        bool last = off + n == paylen;
        uint8_t *gip = got + QIOAT_NIC_ETH_HLEN;

        g_test_message("segment %u", k);
        g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==,
                         hlen + n);
        g_assert_cmpmem(got, QIOAT_NIC_ETH_HLEN, frame, QIOAT_NIC_ETH_HLEN);
        if (ipv4) {
            g_assert_cmpuint(lduw_be_p(gip + 2), ==, iplen + l4hlen + n);
            g_assert_cmpuint(lduw_be_p(gip + 4), ==, (uint16_t)(ip_id + k));
            g_assert_true(ioat_nic_ip4_csum_ok(got));
        } else {
            g_assert_cmpuint(lduw_be_p(gip + 4), ==, l4hlen + n);
        }
        if (tcp) {
            g_assert_cmphex(ldl_be_p(got + l4 + 4), ==, seq + off);
            /* FIN and PSH only on the last segment (DTXTCPFLGL/H defaults) */
            g_assert_cmphex(got[l4 + 13], ==, last ? 0x18 : 0x10);
        } else {
            g_assert_cmpuint(lduw_be_p(got + l4 + 4), ==, l4hlen + n);
        }
        g_assert_true(ioat_nic_l4_csum_ok(got, hlen + n));
        g_assert_cmpmem(got + hlen, n, frame + hlen + off, n);
    }
    g_assert_cmpuint(k, ==, 3);
    g_assert_true(ioat_nic_socket_idle(env->sock));
}

/* TDWBAL.HEAD_WB_EN: TDH is written to memory after RS write-backs. */
static void test_tx_head_writeback(void *obj, void *data,
                                   QGuestAllocator *alloc)
{
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    uint64_t wb = guest_alloc(alloc, 64);

    qtest_writel(ioat_nic_qts(d), wb, 0xdeadbeef);
    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    ioat_nic_writel(d, IOAT_NIC_TDWBAH(0), wb >> 32);
    ioat_nic_writel(d, IOAT_NIC_TDWBAL(0),
                    (uint32_t)wb | R_TDWBAL_HEAD_WB_EN_MASK);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(qtest_readl(ioat_nic_qts(d), wb), ==, 2);
}

/* MAC loopback (HLREG0.LPBK, 8.2.3.22.8) */

static void set_loopback(QIoatNic *d, bool on)
{
    uint32_t hlreg0 = ioat_nic_readl(d, A_HLREG0);

    ioat_nic_writel(d, A_HLREG0, FIELD_DP32(hlreg0, HLREG0, LPBK, on));
}

/* A transmitted frame is received, and does not reach the wire. */
static void test_mac_loopback_tx_to_rx(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx, tx;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    set_loopback(d, true);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    assert_rx_frame(d, &rx, 0, frame, len);
    g_assert_true(ioat_nic_socket_idle(env->sock));
}

/* While in loopback, frames from the backend are not received. */
static void test_mac_loopback_ignores_backend(void *obj, void *data,
                                              QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t ignored[128], frame[128];
    size_t len = ioat_nic_build_eth(ignored, test_mac, TEST_ETHERTYPE, 100);

    ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE + 1, 100);
    rx_setup(d, &rx, 0, 4, 0);
    set_loopback(d, true);
    ioat_nic_inject(env->sock, ignored, len);
    ioat_nic_wait_consumed(d, env->sock);
    assert_rx_not_written(d, &rx, 0);

    set_loopback(d, false);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
    assert_rx_not_written(d, &rx, 1);
}

/* Malformed frames and rings */

/*
 * A frame longer than MAXFRS.MFS (1518 with the FCS; 4 more with a VLAN
 * tag) is dropped and counted in ROC, with no write-back; frames of
 * exactly the limit are received.
 */
static void test_rx_oversized_frame_dropped(void *obj, void *data,
                                            QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t big[1515], max[1514], tagged_big[1519], tagged_max[1518];
    size_t big_len = ioat_nic_build_eth(big, test_mac, TEST_ETHERTYPE,
                                        sizeof(big) - 14);
    size_t max_len = ioat_nic_build_eth(max, test_mac, TEST_ETHERTYPE + 1,
                                        sizeof(max) - 14);

    ioat_nic_vlan_tag(tagged_big, big, big_len, 100);
    ioat_nic_vlan_tag(tagged_max, max, max_len, 100);
    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_inject(env->sock, big, sizeof(big));
    ioat_nic_inject(env->sock, tagged_big, sizeof(tagged_big));
    ioat_nic_inject(env->sock, max, sizeof(max));
    ioat_nic_inject(env->sock, tagged_max, sizeof(tagged_max));
    assert_rx_frame(d, &rx, 0, max, sizeof(max));
    assert_rx_frame(d, &rx, 1, tagged_max, sizeof(tagged_max));
    assert_rx_not_written(d, &rx, 2);
    g_assert_cmpuint(ioat_nic_readl(d, A_ROC), ==, 2);
    g_assert_cmpuint(ioat_nic_readl(d, A_GPRC), ==, 2);
}

static bool guest_error_logged(NicEnv *env, const char *what)
{
    g_autofree char *log = NULL;

    g_assert_true(g_file_get_contents(env->log, &log, NULL, NULL));
    return strstr(log, what) != NULL;
}

/*
 * RDT beyond the ring (RDLEN) is a guest error: nothing is written to
 * the ring or the buffers, and QEMU keeps running; a valid RDT then
 * lets the queue receive.
 */
static void test_rx_rdt_beyond_rdlen(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    uint8_t frame[128], zero[QIOAT_NIC_RX_BUF_SIZE] = { };
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    rx_setup(d, &rx, 0, 4, 0);
    ioat_nic_writel(d, IOAT_NIC_RDT(0), rx.size + 4);
    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_wait_consumed(d, env->sock);

    for (unsigned i = 0; i < 4; i++) {
        assert_rx_not_written(d, &rx, i);
        assert_rx_buf(d, rx.pkt_buf[i], zero, sizeof(zero));
    }
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_RDH(0)),
                     ==, 0);
    g_assert_true(guest_error_logged(env, "ioat_nic_err_rx_ring_index"));

    ioat_nic_writel(d, IOAT_NIC_RDT(0), rx.tail);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
}

/*
 * A zero-length data descriptor with EOP sends nothing, is written back
 * and does not disturb the next packet.
 */
static void test_tx_zero_length_descriptor(void *obj, void *data,
                                           QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[128], got[256];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    uint32_t cmd = FIELD_DP32(0, TXD_CMD, EOP, 1);

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(d, &tx, guest_alloc(alloc, 64), cmd, 0);
    ioat_nic_tx_kick(d, &tx);
    ioat_nic_tx_wait(d, &tx, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_TDH(0)),
                     ==, 1);
    g_assert_true(ioat_nic_socket_idle(env->sock));

    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);
    g_assert_cmpmem(got, len, frame, len);
}

/* Far above the pc machine's RAM and PCI holes: nothing answers there. */
#define OUTSIDE_RAM     0x00007ff000000000ULL

/*
 * A TX buffer outside guest RAM: the packet is dropped and reported as a
 * guest error, the descriptor completes, the next packet goes out.
 */
static void test_tx_buffer_outside_ram(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[128], got[256];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    uint32_t cmd = FIELD_DP32(0, TXD_CMD, DTALEN, len);

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(d, &tx, OUTSIDE_RAM, cmd, 0);
    ioat_nic_tx_kick(d, &tx);
    ioat_nic_tx_wait(d, &tx, 0);
    g_assert_true(ioat_nic_socket_idle(env->sock));
    g_assert_true(guest_error_logged(env, "ioat_nic_err_tx_buf_dma"));

    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);
    g_assert_cmpmem(got, len, frame, len);
}

/*
 * An RX buffer outside guest RAM: reported as a guest error, no crash,
 * and the next descriptor receives the next frame.
 */
static void test_rx_buffer_outside_ram(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx;
    QIoatNicRxWb wb;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    ioat_nic_rx_ring_init(d, &rx, 0, 8, 0);
    ioat_nic_rx_post_at(d, &rx, OUTSIDE_RAM, 0);
    ioat_nic_rx_post(d, &rx, 1);
    ioat_nic_rx_enable(d);

    ioat_nic_inject(env->sock, frame, len);
    ioat_nic_rx_wait(d, &rx, 0, &wb);
    g_assert_true(guest_error_logged(env, "ioat_nic_err_rx_buf_dma"));
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 1, frame, len);
}

/*
 * With the link down, transmitted packets are dropped but their
 * descriptors still complete, so the driver sees no TX hang.
 */
static void test_tx_link_down_completes_descriptors(void *obj, void *data,
                                                    QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing tx;
    uint8_t frame[128];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    set_link(d, "hs0", false);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_TDH(0)),
                     ==, 1);
    g_assert_true(ioat_nic_socket_idle(env->sock));
}

/*
 * A queue with a zero-length ring (RDLEN or TDLEN 0) does nothing and
 * hangs nothing: its frames are dropped, a TX tail write sends nothing.
 */
static void test_zero_length_rings_are_inert(void *obj, void *data,
                                             QGuestAllocator *alloc)
{
    NicEnv *env = data;
    QIoatNic *d = obj;
    QIoatNicRing rx, rx0, tx;
    uint8_t dropped[128], frame[128];
    size_t len = ioat_nic_build_eth(dropped, test_mac, TEST_ETHERTYPE, 100);
    uint64_t buf = guest_alloc(alloc, len);
    uint32_t cmd = FIELD_DP32(0, TXD_CMD, DTALEN, len);

    ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE + 1, 100);
    rx_setup(d, &rx0, 0, 4, 0);
    ioat_nic_rx_ring_init(d, &rx, 1, 8, 0);
    ioat_nic_writel(d, IOAT_NIC_RDLEN(1), 0);
    ioat_nic_writel(d, IOAT_NIC_RDT(1), 4);
    ioat_nic_route_ethertype(d, 0, TEST_ETHERTYPE, 1);
    ioat_nic_inject(env->sock, dropped, len);
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx0, 0, frame, len);
    assert_rx_not_written(d, &rx, 0);
    assert_rx_not_written(d, &rx0, 1);

    ioat_nic_tx_ring_init(d, &tx, 0, 8);
    ioat_nic_writel(d, IOAT_NIC_TDLEN(0), 0);
    qtest_memwrite(ioat_nic_qts(d), buf, frame, len);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(d, &tx, buf, cmd, 0);
    ioat_nic_tx_kick(d, &tx);
    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_TDH(0)),
                     ==, 0);
    g_assert_cmphex(ioat_nic_tx_status(d, &tx, 0), ==, 0);
    g_assert_true(ioat_nic_socket_idle(env->sock));
}

/* Migration */

/*
 * Migrate with both rings part used, interrupts routed and a TX context
 * loaded; the destination carries on where the source stopped: the next
 * frame lands in the next RX descriptor and raises the same vector, and
 * the next TX packet uses the context (its VLAN tag) from before.
 */
static void test_migration_mid_traffic(void *obj, void *data,
                                       QGuestAllocator *alloc)
{
    const uint16_t tci = 0x0123;
    NicEnv *env = data;
    QIoatNic *d = obj;
    QTestState *src = ioat_nic_qts(d), *dst;
    QIoatNicRing rx, tx;
    uint8_t frame[128], frame2[128], tagged[132], got[256];
    size_t len = ioat_nic_build_eth(frame, test_mac, TEST_ETHERTYPE, 100);
    g_autofree char *file = g_strdup_printf("%s/ioat-nic-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    uint64_t buf = guest_alloc(alloc, len);
    int fds[2];
    uint32_t cmd;

    ioat_nic_build_eth(frame2, test_mac, TEST_ETHERTYPE + 1, 100);
    irq_rx_setup(d, &rx, 1);
    ioat_nic_tx_ring_init(d, &tx, 0, 8);

    /* Source: one frame each way, a VLAN context left loaded. */
    ioat_nic_inject(env->sock, frame, len);
    assert_rx_frame(d, &rx, 0, frame, len);
    ioat_nic_wait_msix(d, 1);
    ioat_nic_msix_clear(d, 1);
    ioat_nic_tx_put_ctx(d, &tx, FIELD_DP32(0, TXCTX_VLAN_MACIP, VLAN, tci),
                        0, 0);
    ioat_nic_tx_frame(d, &tx, frame, len, 0, 0);
    g_assert_cmpuint(ioat_nic_capture(env->sock, got, sizeof(got)), ==, len);

    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(src);

    /* No RARP self-announcements: only the test's frames on the socket */
    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    dst = qtest_initf("-M pc -device ioat-nic,netdev=hs0,mac=%s "
                      "-netdev socket,fd=%d,id=hs0 "
                      "-global migration.announce-rounds=0 -incoming %s",
                      TEST_MAC_STR, fds[1], uri);
    ioat_qtest_wait_migration(dst);
    close(fds[1]);
    /* The libqos view of the device (BARs, MSI-X) holds on the destination */
    d->pci_dev.bus->qts = dst;

    g_assert_cmpuint(ioat_nic_readl(d, IOAT_NIC_RDH(0)),
                     ==, 1);
    ioat_nic_inject(fds[0], frame2, len);
    assert_rx_frame(d, &rx, 1, frame2, len);
    ioat_nic_wait_msix(d, 1);

    qtest_memwrite(dst, buf, frame2, len);
    cmd = FIELD_DP32(0, TXD_CMD, DTALEN, len);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, VLE, 1);
    ioat_nic_tx_put_data(d, &tx, buf, cmd, 0);
    ioat_nic_tx_kick(d, &tx);
    ioat_nic_tx_wait(d, &tx, 2);
    g_assert_cmpuint(ioat_nic_capture(fds[0], got, sizeof(got)), ==, len + 4);
    ioat_nic_vlan_tag(tagged, frame2, len, tci);
    g_assert_cmpmem(got, len + 4, tagged, len + 4);
    g_assert_true(ioat_nic_socket_idle(env->sock));

    d->pci_dev.bus->qts = src;
    qtest_quit(dst);
    close(fds[0]);
    unlink(file);
}

/* Test registration: every test gets a fresh machine and socket pair. */

static void data_test_clear(void *opaque)
{
    NicEnv *env = opaque;

    close(env->sock);
    qos_invalidate_command_line();
    close(env->qemu_sock);
    unlink(env->log);
    g_free(env->log);
    g_free(env);
}

/*
 * The node's netdev "hs0" is one end of a socket pair kept by the test;
 * guest errors go to a log file the test can read.
 */
static void *data_test_init(GString *cmd_line, void *arg)
{
    NicEnv *env = g_new0(NicEnv, 1);
    int fds[2];

    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    env->sock = fds[0];
    env->qemu_sock = fds[1];
    env->arg = arg;
    env->log = g_strdup_printf("%s/ioat-nic-qtest-%d.log", g_get_tmp_dir(),
                               getpid());
    g_string_append_printf(cmd_line,
                           " -netdev socket,fd=%d,id=hs0"
                           " -d guest_errors -D %s ", fds[1], env->log);
    g_test_queue_destroy(data_test_clear, env);
    return env;
}

static void add_test(const char *name, QOSTestFunc fn, const void *arg)
{
    QOSGraphTestOptions opts = {
        .before = data_test_init,
        .arg = (void *)arg,
        .edge.extra_device_opts = "id=nic0,mac=" TEST_MAC_STR,
    };

    qos_add_test(name, "ioat-nic", fn, &opts);
}

static const SplitCase split_cases[] = {
    { IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_TCP4 },
    { IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_UDP6 },
    { IOAT_NIC_DESCTYPE_HDR_SPLIT, FRAME_RAW },
    { IOAT_NIC_DESCTYPE_SPLIT_ALWAYS, FRAME_TCP4 },
    { IOAT_NIC_DESCTYPE_SPLIT_ALWAYS, FRAME_UDP6 },
    { IOAT_NIC_DESCTYPE_SPLIT_ALWAYS, FRAME_RAW },
};

static const char *const split_names[] = {
    "header-split-tcp4", "header-split-udp6", "header-split-raw-ethertype",
    "split-always-tcp4", "split-always-udp6", "split-always-raw-ethertype",
};

static const RssCase rss_cases[] = {
    { false, IPPROTO_TCP, false, IOAT_NIC_RSS_TYPE_IPV4 },
    { false, IPPROTO_TCP, true, IOAT_NIC_RSS_TYPE_IPV4_TCP },
    { false, IPPROTO_UDP, true, IOAT_NIC_RSS_TYPE_IPV4_UDP },
    { true, IPPROTO_TCP, false, IOAT_NIC_RSS_TYPE_IPV6 },
    { true, IPPROTO_TCP, true, IOAT_NIC_RSS_TYPE_IPV6_TCP },
    { true, IPPROTO_UDP, true, IOAT_NIC_RSS_TYPE_IPV6_UDP },
};

static const char *const rss_names[] = {
    "rss-ipv4-vectors", "rss-ipv4-tcp-vectors", "rss-ipv4-udp-vectors",
    "rss-ipv6-vectors", "rss-ipv6-tcp-vectors", "rss-ipv6-udp-vectors",
};

static void register_ioat_nic_tests(void)
{
    static const unsigned etqf_queues[] = { 0, 1, 63, 127 };

    add_test("pci-identity", test_pci_identity, NULL);
    add_test("bar0-64bit-512k-mmio", test_bar0_is_64bit_512k_mmio, NULL);
    add_test("bar4-64bit-16k-msix", test_bar4_is_64bit_16k_msix, NULL);
    add_test("capability-list", test_capability_list, NULL);
    add_test("msix-64-vectors-in-bar4", test_msix_64_vectors_in_bar4, NULL);
    add_test("reset-ctrl-is-zero", test_reset_ctrl_is_zero, NULL);
    add_test("reset-status-link-up-gio-enabled",
             test_reset_status_link_up_gio_enabled, NULL);
    add_test("reset-links-10g-up", test_links_reports_10g_up, NULL);
    add_test("reset-mac-in-ral0-rah0", test_mac_in_ral0_rah0, NULL);
    add_test("ctrl-rst-self-clears-and-restores",
             test_ctrl_rst_self_clears_and_restores, NULL);
    add_test("status-is-read-only", test_status_is_read_only, NULL);

    add_test("reset-register-defaults", test_reset_register_defaults, NULL);
    add_test("eec-eeprom-present-1024-words",
             test_eec_eeprom_present_1024_words, NULL);
    add_test("eeprom-checksum-is-baba", test_eeprom_checksum_is_baba, NULL);
    add_test("set-link-toggles-links", test_set_link_toggles_links, NULL);
    add_test("link-change-raises-lsc", test_link_change_raises_lsc, NULL);
    add_test("tx-frame-reaches-socket", test_tx_frame_reaches_socket, NULL);
    add_test("rx-frame-from-socket", test_rx_frame_from_socket, NULL);
    for (int i = 0; i < ARRAY_SIZE(etqf_queues); i++) {
        g_autofree char *name = g_strdup_printf("rx-etqf-queue-%u",
                                                etqf_queues[i]);

        add_test(name, test_rx_etqf_queue, GUINT_TO_POINTER(etqf_queues[i]));
    }
    add_test("rx-etqf-matches-ethertype-after-vlan-tag",
             test_rx_etqf_after_vlan_tag, NULL);
    for (int i = 0; i < ARRAY_SIZE(split_cases); i++) {
        add_test(split_names[i], test_header_split, &split_cases[i]);
    }
    for (int i = 0; i < ARRAY_SIZE(rss_cases); i++) {
        add_test(rss_names[i], test_rss_vectors, &rss_cases[i]);
    }
    add_test("rss-reta-redirection", test_rss_reta_redirection, NULL);
    add_test("rss-unhashable-frame-uses-reta-entry-0",
             test_rss_unhashable_frame_uses_reta_entry_0, NULL);
    add_test("ivar-routes-rx-queue-to-vector",
             test_ivar_routes_rx_queue_to_vector, NULL);
    add_test("ivar-routes-tx-queue-to-vector",
             test_ivar_routes_tx_queue_to_vector, NULL);
    add_test("eitr-throttles-vector", test_eitr_throttles_vector, NULL);
    add_test("eiam-auto-masks-fired-vector",
             test_eiam_auto_masks_fired_vector, NULL);
    add_test("eims-rearm-fires-pending-cause",
             test_eims_rearm_fires_pending_cause, NULL);
    add_test("eiac-auto-clears-fired-cause",
             test_eiac_auto_clears_fired_cause, NULL);
    add_test("eicr-read-clears-causes", test_eicr_read_clears_causes, NULL);
    add_test("msi-fires-on-queue-cause", test_msi_fires_on_queue_cause, NULL);
    add_test("rx-frame-spans-descriptors", test_rx_frame_spans_descriptors,
             NULL);
    add_test("rx-held-until-rdt-advances", test_rx_held_until_rdt_advances,
             NULL);
    add_test("rx-drop-en-drops-without-descriptors",
             test_rx_drop_en_drops_without_descriptors, NULL);
    add_test("rx-checksum-good-tcp4", test_rx_checksum_good_tcp4, NULL);
    add_test("rx-checksum-errors-reported", test_rx_checksum_errors_reported,
             NULL);
    add_test("rx-address-filter", test_rx_address_filter, NULL);
    add_test("gprc-read-to-clear", test_gprc_read_to_clear, NULL);
    add_test("gorc-36bit-read-to-clear", test_gorc_36bit_read_to_clear, NULL);
    add_test("queue-octets-36bit-read-to-clear",
             test_queue_octets_36bit_read_to_clear, NULL);
    add_test("gptc-gotc-count-transmitted", test_gptc_gotc_count_transmitted,
             NULL);
    add_test("prc-ptc-count-by-size", test_prc_ptc_count_by_size, NULL);
    add_test("vlan-strip-rxdctl-vme", test_vlan_strip_rxdctl_vme, NULL);
    add_test("vlan-insert-tx-vle", test_vlan_insert_tx_vle, NULL);
    add_test("vlan-filter-vfta", test_vlan_filter_vfta, NULL);
    add_test("tx-checksum-offload-tcp4", test_tx_checksum_offload_tcp4, NULL);
    add_test("tx-checksum-offload-udp6", test_tx_checksum_offload_udp6, NULL);
    add_test("tso-tcp4-segments", test_tso_segments,
             GUINT_TO_POINTER(FRAME_TCP4));
    add_test("tso-tcp6-segments", test_tso_segments,
             GUINT_TO_POINTER(FRAME_TCP6));
    add_test("uso-udp4-segments", test_tso_segments,
             GUINT_TO_POINTER(FRAME_UDP4));
    add_test("tx-head-writeback", test_tx_head_writeback, NULL);
    add_test("mac-loopback-tx-to-rx", test_mac_loopback_tx_to_rx, NULL);
    add_test("mac-loopback-ignores-backend",
             test_mac_loopback_ignores_backend, NULL);
    add_test("rx-oversized-frame-dropped", test_rx_oversized_frame_dropped,
             NULL);
    add_test("rx-rdt-beyond-rdlen", test_rx_rdt_beyond_rdlen, NULL);
    add_test("tx-zero-length-descriptor", test_tx_zero_length_descriptor,
             NULL);
    add_test("tx-buffer-outside-ram", test_tx_buffer_outside_ram, NULL);
    add_test("rx-buffer-outside-ram", test_rx_buffer_outside_ram, NULL);
    add_test("tx-link-down-completes-descriptors",
             test_tx_link_down_completes_descriptors, NULL);
    add_test("zero-length-rings-are-inert", test_zero_length_rings_are_inert,
             NULL);
    add_test("ctrl-rst-keeps-msix-table", test_ctrl_rst_keeps_msix_table,
             NULL);
    add_test("migration-mid-traffic", test_migration_mid_traffic, NULL);
}

libqos_init(register_ioat_nic_tests);
