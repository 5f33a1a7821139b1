/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * The node consumes a PCI bus, produces one qos interface per area of
 * tests and needs a netdev with id "hs0" on the command line (tests add a
 * socket pair for it).
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
#include "ioat-qos.h"

/* Waits poll guest memory while the virtual clock steps. */
static IoatPoll nic_poll(QIoatNic *d)
{
    return (IoatPoll) {
        .qts = ioat_nic_qts(d),
        .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS,
    };
}

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
    IoatPoll p = nic_poll(d);

    while (ioat_poll(&p)) {
        ioat_nic_rx_wb(d, r, idx, wb);
        if (wb->status & IOAT_NIC_RXD_STAT_DD) {
            return;
        }
    }
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

/* Legacy transmit descriptor (datasheet 7.2.3.2.2): DEXT stays 0. */
void ioat_nic_tx_put_legacy(QIoatNic *d, QIoatNicRing *r, uint64_t addr,
                            uint32_t lower, uint32_t upper)
{
    g_assert_false(FIELD_EX32(lower, TXD_CMD, DEXT));
    tx_put(d, r, addr, lower, upper);
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
    IoatPoll p = nic_poll(d);

    while (ioat_poll(&p)) {
        uint32_t sta = ioat_nic_tx_status(d, r, idx);

        if (FIELD_EX32(sta, TXD_OLINFO, STA_DD)) {
            return sta;
        }
    }
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
void ioat_nic_inject_raw(int sock, const void *frame, size_t len)
{
    uint32_t be_len = cpu_to_be32(len);
    struct iovec iov[] = {
        { .iov_base = &be_len, .iov_len = sizeof(be_len) },
        { .iov_base = (void *)frame, .iov_len = len },
    };
    ssize_t ret = iov_send(sock, iov, 2, 0, sizeof(be_len) + len);

    g_assert_cmpint(ret, ==, sizeof(be_len) + len);
}

/* What a peer's MAC sends: padded to the minimum of 60 bytes (+ FCS). */
void ioat_nic_inject(int sock, const void *frame, size_t len)
{
    uint8_t padded[QIOAT_NIC_MIN_FRAME] = { 0 };

    if (len < sizeof(padded)) {
        memcpy(padded, frame, len);
        frame = padded;
        len = sizeof(padded);
    }
    ioat_nic_inject_raw(sock, frame, len);
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

    g_assert_cmpint(poll(&pfd, 1, IOAT_POLL_TIMEOUT_US / 1000), ==, 1);
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
    IoatPoll p = nic_poll(d);
    int unread;

    while (ioat_poll(&p)) {
        g_assert_cmpint(ioctl(sock, TIOCOUTQ, &unread), ==, 0);
        if (!unread) {
            return;
        }
    }
    g_error("ioat-nic: QEMU did not read the injected frames");
}

/* Nothing sent: transmission is complete when TDT's write returns. */
bool ioat_nic_socket_idle(int sock)
{
    struct pollfd pfd = { .fd = sock, .events = POLLIN };

    return poll(&pfd, 1, 0) == 0;
}

/* The qos node */

const char *const qioat_nic_areas[QIOAT_NIC_NUM_AREAS] = {
    [QIOAT_NIC_REGISTERS] = "ioat-nic-registers",
    [QIOAT_NIC_RECEIVE] = "ioat-nic-receive",
    [QIOAT_NIC_TRANSMIT] = "ioat-nic-transmit",
    [QIOAT_NIC_INTERRUPTS] = "ioat-nic-interrupts",
    [QIOAT_NIC_STATISTICS] = "ioat-nic-statistics",
    [QIOAT_NIC_OFFLOADS] = "ioat-nic-offloads",
    [QIOAT_NIC_ROBUSTNESS] = "ioat-nic-robustness",
    [QIOAT_NIC_MIGRATION] = "ioat-nic-migration",
    [QIOAT_NIC_FDIR] = "ioat-nic-fdir",
    [QIOAT_NIC_FILTERS] = "ioat-nic-filters",
    [QIOAT_NIC_DESCRIPTORS] = "ioat-nic-descriptors",
    [QIOAT_NIC_FAULTS] = "ioat-nic-faults",
    [QIOAT_NIC_RSC] = "ioat-nic-rsc",
};

QEMU_BUILD_BUG_ON(QIOAT_NIC_NUM_AREAS > IOAT_QOS_MAX_AREAS);

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

    for (int i = 0; i < QIOAT_NIC_NUM_AREAS; i++) {
        if (!g_strcmp0(interface, qioat_nic_areas[i])) {
            return d;
        }
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

    qpci_device_init(&d->pci_dev, pci_bus, address);
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
        .devfn = IOAT_NIC_QOS_DEVFN,
    };
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "addr=" IOAT_NIC_QOS_ADDR ",netdev=hs0",
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ioat-nic", ioat_nic_create);
    qos_node_consumes("ioat-nic", "pci-bus", &opts);
    for (int i = 0; i < QIOAT_NIC_NUM_AREAS; i++) {
        qos_node_produces("ioat-nic", qioat_nic_areas[i]);
    }
}

libqos_init(ioat_nic_register_nodes);
