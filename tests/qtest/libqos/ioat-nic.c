/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * The node consumes a PCI bus and needs a netdev with id "hs0" on the
 * command line (tests add a socket pair for it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <poll.h>
#include <sys/ioctl.h>
#include "../libqtest.h"
#include "qemu/module.h"
#include "qemu/bswap.h"
#include "qemu/iov.h"
#include "hw/pci/pci_regs.h"
#include "hw/net/ioat_nic_regs.h"
#include "qgraph.h"
#include "ioat-nic.h"

#define QIOAT_NIC_TIMEOUT_US    (5 * G_USEC_PER_SEC)
#define QIOAT_NIC_POLL_STEP_NS  10000

/* EEPROM through EERD: START with the word address, DONE with the data. */
uint16_t ioat_nic_eeprom_read(QIoatNic *d, unsigned word)
{
    uint32_t eerd;

    ioat_nic_writel(d, A_EERD, FIELD_DP32(R_EERD_START_MASK, EERD, ADDR, word));
    eerd = ioat_nic_readl(d, A_EERD);
    g_assert_true(FIELD_EX32(eerd, EERD, DONE));
    g_assert_cmpuint(FIELD_EX32(eerd, EERD, ADDR), ==, word);
    return FIELD_EX32(eerd, EERD, DATA);
}

/* Interrupts */

/*
 * MSI-X on with every table entry still masked, as QEMU resets them: a
 * message shows up as the vector's PBA bit.  GPIE selects MSI-X mode.
 */
void ioat_nic_msix_enable(QIoatNic *d)
{
    qpci_msix_enable(&d->pci_dev);
    ioat_nic_writel(d, A_GPIE, R_GPIE_MSIX_MODE_MASK | R_GPIE_PBA_SUPPORT_MASK);
}

bool ioat_nic_msix_pending(QIoatNic *d, unsigned vector)
{
    return qpci_msix_pending(&d->pci_dev, vector);
}

/* Unmask and mask again: the pending message is delivered, its bit clears. */
void ioat_nic_msix_clear(QIoatNic *d, unsigned vector)
{
    uint64_t ctrl = d->pci_dev.msix_table_off + vector * PCI_MSIX_ENTRY_SIZE +
                    PCI_MSIX_ENTRY_VECTOR_CTRL;

    qpci_io_writel(&d->pci_dev, d->pci_dev.msix_table_bar, ctrl, 0);
    qpci_io_writel(&d->pci_dev, d->pci_dev.msix_table_bar, ctrl,
                   PCI_MSIX_ENTRY_CTRL_MASKBIT);
    g_assert_false(qpci_msix_pending(&d->pci_dev, vector));
}

/* As e1000e_wait_isr: poll the PBA, stepping the virtual clock. */
void ioat_nic_wait_msix(QIoatNic *d, unsigned vector)
{
    gint64 end = g_get_monotonic_time() + QIOAT_NIC_TIMEOUT_US;

    do {
        if (ioat_nic_msix_pending(d, vector)) {
            return;
        }
        qtest_clock_step(ioat_nic_qts(d), QIOAT_NIC_POLL_STEP_NS);
    } while (g_get_monotonic_time() < end);
    g_error("ioat-nic: MSI-X vector %u never fired", vector);
}

/* IVAR(queue / 2): RX in byte 0 or 2, TX in byte 1 or 3 (8.2.3.5.16). */
void ioat_nic_set_ivar(QIoatNic *d, unsigned queue, bool tx, unsigned vector)
{
    uint32_t reg = IOAT_NIC_IVAR(queue / 2);
    unsigned shift = (queue & 1) * 16 + tx * 8;
    uint32_t ivar = ioat_nic_readl(d, reg);

    ivar &= ~(0xffu << shift);
    ivar |= (IOAT_NIC_IVAR_VALID | vector) << shift;
    ioat_nic_writel(d, reg, ivar);
}

void ioat_nic_set_eitr(QIoatNic *d, unsigned vector, uint32_t val)
{
    ioat_nic_writel(d, vector < 24 ? IOAT_NIC_EITR_LO(vector)
                                   : IOAT_NIC_EITR_HI(vector), val);
}

/* Receive */

/* Accept broadcast and our own address (RAL0/RAH0), then RXCTRL.RXEN. */
void ioat_nic_rx_enable(QIoatNic *d)
{
    ioat_nic_writel(d, A_FCTRL, R_FCTRL_BAM_MASK);
    ioat_nic_writel(d, A_RXCTRL, R_RXCTRL_RXEN_MASK);
}

/*
 * A ring of @size descriptors on @queue, empty (RDH = RDT = 0) and
 * enabled.  @srrctl 0 selects one-buffer descriptors with 2 KiB buffers.
 */
void ioat_nic_rx_ring_init(QIoatNic *d, QIoatNicRing *r, unsigned queue,
                           unsigned size, uint32_t srrctl)
{
    g_assert_cmpuint(size, <=, ARRAY_SIZE(r->pkt_buf));
    memset(r, 0, sizeof(*r));
    r->queue = queue;
    r->size = size;
    r->base = guest_alloc(d->alloc, size * IOAT_NIC_DESC_SIZE);
    qtest_memset(ioat_nic_qts(d), r->base, 0, size * IOAT_NIC_DESC_SIZE);

    if (!srrctl) {
        srrctl = FIELD_DP32(0, SRRCTL, BSIZEPKT, QIOAT_NIC_RX_BUF_SIZE / 1024);
        srrctl = FIELD_DP32(srrctl, SRRCTL, DESCTYPE, IOAT_NIC_DESCTYPE_ONEBUF);
    }
    ioat_nic_writel(d, IOAT_NIC_RDBAL(queue), r->base);
    ioat_nic_writel(d, IOAT_NIC_RDBAH(queue), r->base >> 32);
    ioat_nic_writel(d, IOAT_NIC_RDLEN(queue),
                    size * IOAT_NIC_DESC_SIZE);
    ioat_nic_writel(d, IOAT_NIC_RDH(queue), 0);
    ioat_nic_writel(d, IOAT_NIC_RDT(queue), 0);
    ioat_nic_writel(d, IOAT_NIC_SRRCTL(queue), srrctl);
    ioat_nic_writel(d, IOAT_NIC_RXDCTL(queue), R_RXDCTL_ENABLE_MASK);
}

/* Hand one read descriptor over to the device: fill it, move RDT. */
void ioat_nic_rx_post_at(QIoatNic *d, QIoatNicRing *r, uint64_t pkt_addr,
                         uint64_t hdr_addr)
{
    uint64_t desc[2] = { cpu_to_le64(pkt_addr), cpu_to_le64(hdr_addr) };

    r->pkt_buf[r->tail] = pkt_addr;
    r->hdr_buf[r->tail] = hdr_addr;
    qtest_memwrite(ioat_nic_qts(d), r->base + r->tail * IOAT_NIC_DESC_SIZE,
                   desc, sizeof(desc));
    r->tail = (r->tail + 1) % r->size;
    ioat_nic_writel(d, IOAT_NIC_RDT(r->queue), r->tail);
}

/* Post @n descriptors with fresh, zeroed packet and header buffers. */
void ioat_nic_rx_post(QIoatNic *d, QIoatNicRing *r, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t pkt = guest_alloc(d->alloc, QIOAT_NIC_RX_BUF_SIZE);
        uint64_t hdr = guest_alloc(d->alloc, QIOAT_NIC_RX_HDR_SIZE);

        qtest_memset(ioat_nic_qts(d), pkt, 0, QIOAT_NIC_RX_BUF_SIZE);
        qtest_memset(ioat_nic_qts(d), hdr, 0, QIOAT_NIC_RX_HDR_SIZE);
        ioat_nic_rx_post_at(d, r, pkt, hdr);
    }
}

void ioat_nic_rx_wb(QIoatNic *d, QIoatNicRing *r, unsigned idx,
                    QIoatNicRxWb *wb)
{
    uint32_t dw[4];

    qtest_memread(ioat_nic_qts(d), r->base + idx * IOAT_NIC_DESC_SIZE,
                  dw, sizeof(dw));
    wb->dw0 = le32_to_cpu(dw[0]);
    wb->rss_hash = le32_to_cpu(dw[1]);
    wb->status = le32_to_cpu(dw[2]);
    wb->length = le32_to_cpu(dw[3]) & 0xffff;
    wb->vlan = le32_to_cpu(dw[3]) >> 16;
}

/* Wait for descriptor @idx to be written back with DD. */
void ioat_nic_rx_wait(QIoatNic *d, QIoatNicRing *r, unsigned idx,
                      QIoatNicRxWb *wb)
{
    gint64 end = g_get_monotonic_time() + QIOAT_NIC_TIMEOUT_US;

    do {
        ioat_nic_rx_wb(d, r, idx, wb);
        if (wb->status & IOAT_NIC_RXD_STAT_DD) {
            return;
        }
        qtest_clock_step(ioat_nic_qts(d), QIOAT_NIC_POLL_STEP_NS);
    } while (g_get_monotonic_time() < end);
    g_error("ioat-nic: RX queue %u descriptor %u never written back",
            r->queue, idx);
}

/* Frames of @etype go to @queue (ETQF/ETQS, datasheet 7.1.2.3). */
void ioat_nic_route_ethertype(QIoatNic *d, unsigned filter, uint16_t etype,
                              unsigned queue)
{
    ioat_nic_writel(d, IOAT_NIC_ETQS(filter),
                    R_ETQS_QUEUE_EN_MASK |
                    FIELD_DP32(0, ETQS, RX_QUEUE, queue));
    ioat_nic_writel(d, IOAT_NIC_ETQF(filter),
                    R_ETQF_FILTER_EN_MASK | FIELD_DP32(0, ETQF, ETYPE, etype));
}

/* Transmit */

/* An empty, enabled ring of @size descriptors, with DMATXCTL.TE set. */
void ioat_nic_tx_ring_init(QIoatNic *d, QIoatNicRing *r, unsigned queue,
                           unsigned size)
{
    memset(r, 0, sizeof(*r));
    r->queue = queue;
    r->size = size;
    r->base = guest_alloc(d->alloc, size * IOAT_NIC_DESC_SIZE);
    qtest_memset(ioat_nic_qts(d), r->base, 0, size * IOAT_NIC_DESC_SIZE);

    ioat_nic_writel(d, IOAT_NIC_TDBAL(queue), r->base);
    ioat_nic_writel(d, IOAT_NIC_TDBAH(queue), r->base >> 32);
    ioat_nic_writel(d, IOAT_NIC_TDLEN(queue),
                    size * IOAT_NIC_DESC_SIZE);
    ioat_nic_writel(d, IOAT_NIC_TDH(queue), 0);
    ioat_nic_writel(d, IOAT_NIC_TDT(queue), 0);
    ioat_nic_writel(d, IOAT_NIC_TXDCTL(queue), R_TXDCTL_ENABLE_MASK);
    ioat_nic_writel(d, A_DMATXCTL,
                    ioat_nic_readl(d, A_DMATXCTL) | R_DMATXCTL_TE_MASK);
}

static void tx_put(QIoatNic *d, QIoatNicRing *r, uint64_t qw0, uint32_t dw2,
                   uint32_t dw3)
{
    uint32_t desc[4] = {
        cpu_to_le32(qw0), cpu_to_le32(qw0 >> 32),
        cpu_to_le32(dw2), cpu_to_le32(dw3),
    };

    qtest_memwrite(ioat_nic_qts(d), r->base + r->tail * IOAT_NIC_DESC_SIZE,
                   desc, sizeof(desc));
    r->tail = (r->tail + 1) % r->size;
}

/* Advanced context descriptor (datasheet 7.2.3.2.3), context slot 0. */
void ioat_nic_tx_put_ctx(QIoatNic *d, QIoatNicRing *r, uint32_t vlan_macip_lens,
                         uint32_t type_tucmd, uint32_t mss_l4len_idx)
{
    type_tucmd = FIELD_DP32(type_tucmd, TXD_CMD, DTYP, IOAT_NIC_TXD_DTYP_CTXT);
    type_tucmd = FIELD_DP32(type_tucmd, TXD_CMD, DEXT, 1);
    tx_put(d, r, vlan_macip_lens, type_tucmd, mss_l4len_idx);
}

/* Advanced data descriptor (7.2.3.2.4); @cmd_type_len carries DTALEN. */
void ioat_nic_tx_put_data(QIoatNic *d, QIoatNicRing *r, uint64_t addr,
                          uint32_t cmd_type_len, uint32_t olinfo)
{
    cmd_type_len = FIELD_DP32(cmd_type_len, TXD_CMD, DTYP,
                              IOAT_NIC_TXD_DTYP_DATA);
    cmd_type_len = FIELD_DP32(cmd_type_len, TXD_CMD, DEXT, 1);
    tx_put(d, r, addr, cmd_type_len, olinfo);
}

void ioat_nic_tx_kick(QIoatNic *d, QIoatNicRing *r)
{
    ioat_nic_writel(d, IOAT_NIC_TDT(r->queue), r->tail);
}

/* DW3 of descriptor @idx: DD (bit 0) once written back. */
uint32_t ioat_nic_tx_status(QIoatNic *d, QIoatNicRing *r, unsigned idx)
{
    return qtest_readl(ioat_nic_qts(d),
                       r->base + idx * IOAT_NIC_DESC_SIZE + 12);
}

uint32_t ioat_nic_tx_wait(QIoatNic *d, QIoatNicRing *r, unsigned idx)
{
    gint64 end = g_get_monotonic_time() + QIOAT_NIC_TIMEOUT_US;
    uint32_t sta;

    do {
        sta = ioat_nic_tx_status(d, r, idx);
        if (FIELD_EX32(sta, TXD_OLINFO, STA_DD)) {
            return sta;
        }
        qtest_clock_step(ioat_nic_qts(d), QIOAT_NIC_POLL_STEP_NS);
    } while (g_get_monotonic_time() < end);
    g_error("ioat-nic: TX queue %u descriptor %u never written back",
            r->queue, idx);
}

/*
 * Send @frame as one data descriptor with EOP and RS plus @cmd and
 * @olinfo; returns the descriptor's index once it is written back.
 */
unsigned ioat_nic_tx_frame(QIoatNic *d, QIoatNicRing *r, const void *frame,
                           size_t len, uint32_t cmd, uint32_t olinfo)
{
    uint64_t buf = guest_alloc(d->alloc, len);
    unsigned idx = r->tail;

    qtest_memwrite(ioat_nic_qts(d), buf, frame, len);
    cmd = FIELD_DP32(cmd, TXD_CMD, DTALEN, len);
    cmd = FIELD_DP32(cmd, TXD_CMD, EOP, 1);
    cmd = FIELD_DP32(cmd, TXD_CMD, RS, 1);
    ioat_nic_tx_put_data(d, r, buf, cmd, olinfo);
    ioat_nic_tx_kick(d, r);
    ioat_nic_tx_wait(d, r, idx);
    return idx;
}

/* The socket netdev's framing: a 4-byte big-endian length, the frame. */
void ioat_nic_inject(int sock, const void *frame, size_t len)
{
    uint32_t be_len = cpu_to_be32(len);
    struct iovec iov[] = {
        { .iov_base = &be_len, .iov_len = sizeof(be_len) },
        { .iov_base = (void *)frame, .iov_len = len },
    };
    ssize_t ret = iov_send(sock, iov, 2, 0, sizeof(be_len) + len);

    g_assert_cmpint(ret, ==, sizeof(be_len) + len);
}

static void recv_all(int sock, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t ret = recv(sock, (uint8_t *)buf + done, len - done, 0);

        g_assert_cmpint(ret, >, 0);
        done += ret;
    }
}

/* The next frame the device sent; returns its length. */
size_t ioat_nic_capture(int sock, void *buf, size_t size)
{
    struct pollfd pfd = { .fd = sock, .events = POLLIN };
    uint32_t be_len;
    size_t len;

    g_assert_cmpint(poll(&pfd, 1, QIOAT_NIC_TIMEOUT_US / 1000), ==, 1);
    recv_all(sock, &be_len, sizeof(be_len));
    len = be32_to_cpu(be_len);
    g_assert_cmpuint(len, <=, size);
    recv_all(sock, buf, len);
    return len;
}

/*
 * Wait until QEMU has read everything written to @sock: the unread bytes
 * stay charged to the sender (SIOCOUTQ).  QEMU hands each frame it reads
 * to the device at once, so the device has then seen them all.
 */
void ioat_nic_wait_consumed(QIoatNic *d, int sock)
{
    gint64 end = g_get_monotonic_time() + QIOAT_NIC_TIMEOUT_US;
    int unread;

    do {
        g_assert_cmpint(ioctl(sock, TIOCOUTQ, &unread), ==, 0);
        if (!unread) {
            return;
        }
        qtest_clock_step(ioat_nic_qts(d), QIOAT_NIC_POLL_STEP_NS);
    } while (g_get_monotonic_time() < end);
    g_error("ioat-nic: QEMU did not read the injected frames");
}

/* Nothing sent: transmission is complete when TDT's write returns. */
bool ioat_nic_socket_idle(int sock)
{
    struct pollfd pfd = { .fd = sock, .events = POLLIN };

    return poll(&pfd, 1, 0) == 0;
}

/* Frames */

static const uint8_t qioat_nic_src_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

void ioat_nic_flow_parse(QIoatNicFlow *f, uint8_t proto, const char *src,
                         uint16_t sport, const char *dst, uint16_t dport)
{
    int af;

    memset(f, 0, sizeof(*f));
    f->ipv6 = strchr(src, ':') != NULL;
    af = f->ipv6 ? AF_INET6 : AF_INET;
    f->proto = proto;
    g_assert_cmpint(inet_pton(af, src, f->src), ==, 1);
    g_assert_cmpint(inet_pton(af, dst, f->dst), ==, 1);
    f->sport = sport;
    f->dport = dport;
}

static void fill_payload(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        p[i] = i * 7 + 1;
    }
}

/* Ethernet header and a patterned payload of @payload_len bytes. */
size_t ioat_nic_build_eth(uint8_t *buf, const uint8_t *dst_mac,
                          uint16_t ethertype, size_t payload_len)
{
    memcpy(buf, dst_mac, 6);
    memcpy(buf + 6, qioat_nic_src_mac, 6);
    stw_be_p(buf + 12, ethertype);
    fill_payload(buf + QIOAT_NIC_ETH_HLEN, payload_len);
    return QIOAT_NIC_ETH_HLEN + payload_len;
}

uint32_t ioat_nic_csum_add(uint32_t sum, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += i & 1 ? buf[i] : buf[i] << 8;
    }
    return sum;
}

uint16_t ioat_nic_csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

static bool frame_is_ipv6(const uint8_t *frame)
{
    return lduw_be_p(frame + 12) == 0x86dd;
}

size_t ioat_nic_l4_offset(const uint8_t *frame)
{
    const uint8_t *ip = frame + QIOAT_NIC_ETH_HLEN;

    return QIOAT_NIC_ETH_HLEN +
           (frame_is_ipv6(frame) ? QIOAT_NIC_IP6_HLEN : (ip[0] & 0xf) * 4);
}

uint8_t ioat_nic_l4_proto(const uint8_t *frame)
{
    return frame[QIOAT_NIC_ETH_HLEN + (frame_is_ipv6(frame) ? 6 : 9)];
}

size_t ioat_nic_l4_hlen(const uint8_t *frame)
{
    const uint8_t *l4 = frame + ioat_nic_l4_offset(frame);

    return ioat_nic_l4_proto(frame) == IPPROTO_TCP ? (l4[12] >> 4) * 4
                                                : QIOAT_NIC_UDP_HLEN;
}

/* The TCP/UDP pseudo-header sum (RFC 793, RFC 8200 8.1). */
uint32_t ioat_nic_pseudo_sum(const uint8_t *frame, size_t l4_len)
{
    const uint8_t *ip = frame + QIOAT_NIC_ETH_HLEN;
    uint32_t sum;

    if (frame_is_ipv6(frame)) {
        sum = ioat_nic_csum_add(0, ip + 8, 32);
    } else {
        sum = ioat_nic_csum_add(0, ip + 12, 8);
    }
    return sum + ioat_nic_l4_proto(frame) + (l4_len >> 16) + (l4_len & 0xffff);
}

static size_t frame_l4_len(const uint8_t *frame)
{
    const uint8_t *ip = frame + QIOAT_NIC_ETH_HLEN;

    if (frame_is_ipv6(frame)) {
        return lduw_be_p(ip + 4);
    }
    return lduw_be_p(ip + 2) - (ip[0] & 0xf) * 4;
}

/*
 * An IPv4 or IPv6 TCP/UDP frame for @f with a patterned payload and
 * correct checksums.  Returns the frame length.
 */
size_t ioat_nic_build_ip(uint8_t *buf, const uint8_t *dst_mac,
                         const QIoatNicFlow *f, size_t payload_len)
{
    bool tcp = f->proto == IPPROTO_TCP;
    size_t l3len = f->ipv6 ? QIOAT_NIC_IP6_HLEN : QIOAT_NIC_IP4_HLEN;
    size_t l4hlen = tcp ? QIOAT_NIC_TCP_HLEN : QIOAT_NIC_UDP_HLEN;
    size_t l4len = l4hlen + payload_len;
    size_t len = ioat_nic_build_eth(buf, dst_mac, f->ipv6 ? 0x86dd : 0x0800,
                                    l3len + l4len);
    uint8_t *ip = buf + QIOAT_NIC_ETH_HLEN, *l4 = ip + l3len;

    memset(ip, 0, l3len + l4hlen);
    if (f->ipv6) {
        stl_be_p(ip, 0x60000000);
        stw_be_p(ip + 4, l4len);
        ip[6] = f->proto;
        ip[7] = 64;
        memcpy(ip + 8, f->src, 16);
        memcpy(ip + 24, f->dst, 16);
    } else {
        ip[0] = 0x45;
        stw_be_p(ip + 2, l3len + l4len);
        stw_be_p(ip + 4, 0x1234);                  /* identification */
        stw_be_p(ip + 6, 0x4000);                  /* don't fragment */
        ip[8] = 64;
        ip[9] = f->proto;
        memcpy(ip + 12, f->src, 4);
        memcpy(ip + 16, f->dst, 4);
        stw_be_p(ip + 10, ~ioat_nic_csum_fold(ioat_nic_csum_add(0, ip, 20)));
    }
    stw_be_p(l4, f->sport);
    stw_be_p(l4 + 2, f->dport);
    if (tcp) {
        stl_be_p(l4 + 4, 0x10000000);              /* sequence number */
        l4[12] = (QIOAT_NIC_TCP_HLEN / 4) << 4;
        l4[13] = 0x18;                             /* PSH, ACK */
        stw_be_p(l4 + 14, 0xffff);
        stw_be_p(l4 + 16, ~ioat_nic_csum_fold(
                     ioat_nic_csum_add(ioat_nic_pseudo_sum(buf, l4len),
                                       l4, l4len)));
    } else {
        uint16_t csum;

        stw_be_p(l4 + 4, l4len);
        csum = ~ioat_nic_csum_fold(
            ioat_nic_csum_add(ioat_nic_pseudo_sum(buf, l4len), l4, l4len));
        stw_be_p(l4 + 6, csum ? csum : 0xffff);
    }
    return len;
}

bool ioat_nic_ip4_csum_ok(const uint8_t *frame)
{
    const uint8_t *ip = frame + QIOAT_NIC_ETH_HLEN;

    return ioat_nic_csum_fold(ioat_nic_csum_add(0, ip, (ip[0] & 0xf) * 4)) ==
           0xffff;
}

/* The L4 checksum over the IP payload, as a receiver verifies it. */
bool ioat_nic_l4_csum_ok(const uint8_t *frame, size_t len)
{
    size_t l4 = ioat_nic_l4_offset(frame);
    size_t l4len = frame_l4_len(frame);
    uint32_t sum = ioat_nic_pseudo_sum(frame, l4len);

    g_assert_cmpuint(l4 + l4len, <=, len);
    return ioat_nic_csum_fold(ioat_nic_csum_add(sum, frame + l4, l4len)) ==
           0xffff;
}

/* The qos node */

static void ioat_nic_foreach_callback(QPCIDevice *dev, int devfn, void *data)
{
    memcpy(data, dev, sizeof(QPCIDevice));
    g_free(dev);
}

static void ioat_nic_destructor(QOSGraphObject *obj)
{
    QIoatNic *d = (QIoatNic *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
}

static void ioat_nic_start_hw(QOSGraphObject *obj)
{
    QIoatNic *d = (QIoatNic *)obj;

    qpci_device_enable(&d->pci_dev);
}

static void *ioat_nic_get_driver(void *obj, const char *interface)
{
    QIoatNic *d = obj;

    if (!g_strcmp0(interface, "ioat-nic-if")) {
        return d;
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in ioat-nic\n", interface);
    g_assert_not_reached();
}

static void *ioat_nic_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIoatNic *d = g_new0(QIoatNic, 1);
    QPCIAddress *address = addr;

    qpci_device_foreach(pci_bus, address->vendor_id, address->device_id,
                        ioat_nic_foreach_callback, &d->pci_dev);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);
    d->alloc = alloc;

    d->obj.get_driver = ioat_nic_get_driver;
    d->obj.start_hw = ioat_nic_start_hw;
    d->obj.destructor = ioat_nic_destructor;
    return &d->obj;
}

static void ioat_nic_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = IOAT_NIC_VENDOR_ID,
        .device_id = IOAT_NIC_DEVICE_ID,
    };
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "netdev=hs0",
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ioat-nic", ioat_nic_create);
    qos_node_consumes("ioat-nic", "pci-bus", &opts);
}

libqos_init(ioat_nic_register_nodes);
