/*
 * Intel 82599 10 GbE controller (ioat-nic): transmit path
 *
 * Advanced context and data descriptors (datasheet 7.2.3), checksum
 * insertion and TCP/UDP segmentation driven by the context's offsets
 * (7.2.4, 7.2.5), VLAN insertion, MAC loopback, write-back and head
 * write-back (7.2.3.5).
 *
 * Segmentation follows the context offsets rather than re-parsing the
 * frame, so tunnelled TSO and UDP segmentation work the way the hardware
 * does them; net_tx_pkt cannot do either.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/crc32c.h"
#include "qemu/units.h"
#include "qemu/main-loop.h"
#include "hw/pci/pci_device.h"
#include "net/checksum.h"
#include "ioat_nic_int.h"
#include "trace.h"

/* The largest TSO packet: PAYLEN is 18 bits, plus headers. */
#define IOAT_NIC_TX_MAX_PACKET      (256 * 1024 + 512)
#define IOAT_NIC_TX_MIN_PACKET      17
/*
 * Work per register write or BH run: at most this many descriptors, each
 * packet at most 256 KiB / IOAT_NIC_TX_MIN_MSS segments (7.2.5).  Linux
 * never sends an MSS below 48.
 */
#define IOAT_NIC_TX_DESC_BUDGET     256
#define IOAT_NIC_TX_MIN_MSS         32
/* The 82599's largest frame, 15.5 KiB, bounds a segment's header + MSS. */
#define IOAT_NIC_TX_MAX_FRAME       (15 * KiB + 512)
/* SCTP's CRC32c sits after the ports and verification tag (RFC 4960). */
#define IOAT_NIC_SCTP_CSUM_OFF      8
/* The TCP flags are the low byte of th_offset_flags. */
#define IOAT_NIC_TCP_FLAGS_OFF \
    (offsetof(struct tcp_header, th_offset_flags) + 1)

static void ioat_nic_tx_bh(void *opaque);

void ioat_nic_tx_init(IoatNicCore *core)
{
    DeviceState *dev = DEVICE(core->owner);

    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        core->txq[q].first = true;
    }
    core->tx_bh = qemu_bh_new_guarded(ioat_nic_tx_bh, core,
                                      &dev->mem_reentrancy_guard);
}

void ioat_nic_tx_uninit(IoatNicCore *core)
{
    qemu_bh_delete(core->tx_bh);
    core->tx_bh = NULL;
}

void ioat_nic_tx_finalize(IoatNicCore *core)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        g_free(core->txq[q].data);
        core->txq[q].data = NULL;
        core->txq[q].size = 0;
    }
}

static void ioat_nic_tx_restart_packet(IoatNicCore *core, unsigned q)
{
    core->txq[q].first = true;
    core->txq[q].skip = false;
    core->txq[q].len = 0;
}

void ioat_nic_tx_reset(IoatNicCore *core)
{
    qemu_bh_cancel(core->tx_bh);
    bitmap_zero(core->tx_pending, IOAT_NIC_NUM_QUEUES);
    /* Frames the backend still queues are dropped, as the packet buffer. */
    core->tx_held = false;
    core->tx_link_wait = false;
    if (core->nic) {
        qemu_purge_queued_packets(qemu_get_queue(core->nic));
    }
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        memset(core->txq[q].ctx, 0, sizeof(core->txq[q].ctx));
        ioat_nic_tx_restart_packet(core, q);
    }
}

/* Deliver a finished frame: to our own receive path in loopback. */
static void ioat_nic_tx_send(IoatNicCore *core, unsigned q, uint8_t *frame,
                             size_t len)
{
    struct iovec iov = { .iov_base = frame, .iov_len = len };
    size_t octets = MAX(len, ETH_ZLEN) + ETH_FCS_LEN;
    unsigned qpp = ioat_nic_pool_qpp(core, true);

    if (FIELD_EX32(core->mac[R_HLREG0], HLREG0, TXPADEN) && len < ETH_ZLEN) {
        memset(frame + len, 0, ETH_ZLEN - len);
        len = ETH_ZLEN;
        iov.iov_len = len;
    }
    trace_ioat_nic_tx_frame(q, len);
    ioat_nic_stat_inc(core, A_TXDGPC);      /* fetched from host memory */
    ioat_nic_stat_add36(&core->txdgbc, octets);
    if (qpp) {
        unsigned pool = q / qpp;

        if (!ioat_nic_pool_tx_allowed(core, pool, frame, len)) {
            return;
        }
        ioat_nic_pool_count_tx(core, pool, octets);
        /* Switched between pools only: the MAC never sees it. */
        if (!ioat_nic_pool_switch(core, pool, frame, len) ||
            ioat_nic_gone(core)) {
            return;
        }
    }
    if (FIELD_EX32(core->mac[R_HLREG0], HLREG0, LPBK)) {
        ioat_nic_rx_frame(core, &iov, 1, true);
    } else if (ioat_nic_link_up(core) &&
               !qemu_send_packet_async(qemu_get_queue(core->nic), frame, len,
                                       core->tx_sent)) {
        /*
         * The backend queued it and takes no more for now (a stream peer
         * that stopped reading): like the MAC against a full link, hold
         * the rest in the rings rather than pile frames up on the host.
         */
        core->tx_held = true;
        trace_ioat_nic_tx_held(q);
    }

    ioat_nic_stat_inc(core, A_GPTC);
    ioat_nic_stat_inc(core, A_TPT);
    ioat_nic_stat_size(core, A_PTC64, octets);
    ioat_nic_stat_add36(&core->gotc, octets);
    if (is_broadcast_ether_addr(frame)) {
        ioat_nic_stat_inc(core, A_BPTC);
    } else if (is_multicast_ether_addr(frame)) {
        ioat_nic_stat_inc(core, A_MPTC);
    }
    ioat_nic_stat_inc(core, IOAT_NIC_QPTC(0));
    ioat_nic_stat_add36(&core->qbtc[0], octets);
}

/*
 * 802.1Q tag after the MAC addresses, TPID from DMATXCTL.VT (7.2.4.1):
 * the descriptor's VLE and tag @tci, unless the queue's pool has its own
 * rule in PFVMVIR (always its tag, or never a tag; 7.10.3.9.1).
 */
static size_t ioat_nic_tx_insert_vlan(IoatNicCore *core, unsigned q,
                                      uint8_t *frame, size_t len, bool vle,
                                      uint16_t tci)
{
    unsigned qpp = ioat_nic_pool_qpp(core, true);

    if (qpp) {
        uint16_t pool_tci;

        switch (ioat_nic_pool_vlan_action(core, q / qpp, &pool_tci)) {
        case IOAT_NIC_VLANA_DEFAULT:
            vle = true;
            tci = pool_tci;
            break;
        case IOAT_NIC_VLANA_NEVER:
            vle = false;
            break;
        }
    }
    if (!vle) {
        return len;
    }
    memmove(frame + 16, frame + 12, len - 12);
    stw_be_p(frame + 12, FIELD_EX32(core->mac[R_DMATXCTL], DMATXCTL, VT));
    stw_be_p(frame + 14, tci);
    return len + 4;
}

static unsigned ioat_nic_l4_csum_offset(unsigned l4t)
{
    switch (l4t) {
    case IOAT_NIC_L4T_UDP:
        return offsetof(struct udp_header, uh_sum);
    case IOAT_NIC_L4T_TCP:
        return offsetof(struct tcp_header, th_sum);
    default:
        return IOAT_NIC_SCTP_CSUM_OFF;
    }
}

/*
 * L4 checksum from @l4 to the end of the frame; the checksum field holds
 * the pseudo-header sum, plus @extra_len when the driver left the length
 * out of it (segmentation, 7.2.5.2).  False, and nothing written, when
 * the field (4 bytes for SCTP's CRC32c) does not lie inside the frame.
 */
static bool ioat_nic_tx_l4_csum(uint8_t *frame, size_t len, size_t l4,
                                unsigned l4t, uint32_t extra_len)
{
    unsigned off = ioat_nic_l4_csum_offset(l4t);
    unsigned field = l4t == IOAT_NIC_L4T_SCTP ? 4 : 2;
    uint32_t sum;

    if (l4 + off + field > len) {
        return false;
    }
    if (l4t == IOAT_NIC_L4T_SCTP) {
        stl_le_p(frame + l4 + off, 0);
        stl_le_p(frame + l4 + off, ~crc32c(0xffffffff, frame + l4, len - l4));
        return true;
    }
    sum = net_checksum_add(len - l4, frame + l4) + extra_len;
    stw_be_p(frame + l4 + off, l4t == IOAT_NIC_L4T_UDP ?
             net_checksum_finish_nozero(sum) : net_checksum_finish(sum));
    return true;
}

static void ioat_nic_tx_ip4_csum(uint8_t *frame, size_t len, size_t l3)
{
    size_t ihl;

    if (l3 + sizeof(struct ip_header) > len) {
        return;
    }
    ihl = IP_HDR_GET_LEN(frame + l3);
    if (ihl < sizeof(struct ip_header) || l3 + ihl > len) {
        return;
    }
    stw_be_p(frame + l3 + offsetof(struct ip_header, ip_sum), 0);
    stw_be_p(frame + l3 + offsetof(struct ip_header, ip_sum),
             net_raw_checksum(frame + l3, ihl));
}

/*
 * TCP or UDP segmentation (7.2.5): each segment gets a copy of the
 * MACLEN + IPLEN + L4LEN header with lengths, IPv4 ID, TCP sequence
 * number and flags, and checksums fixed up.
 */
static void ioat_nic_tx_segment(IoatNicCore *core, unsigned q,
                                IoatNicTxQueue *p, const IoatNicTxContext *ctx,
                                uint32_t olinfo, bool vle)
{
    size_t maclen = FIELD_EX32(ctx->vlan_macip_lens, TXCTX_VLAN_MACIP, MACLEN);
    size_t iplen = FIELD_EX32(ctx->vlan_macip_lens, TXCTX_VLAN_MACIP, IPLEN);
    size_t l4len = FIELD_EX32(ctx->mss_l4len_idx, TXCTX_MSS_L4LEN, L4LEN);
    size_t mss = FIELD_EX32(ctx->mss_l4len_idx, TXCTX_MSS_L4LEN, MSS);
    bool ipv4 = FIELD_EX32(ctx->type_tucmd_mlhl, TXCTX_TUCMD, IPV4);
    unsigned l4t = FIELD_EX32(ctx->type_tucmd_mlhl, TXCTX_TUCMD, L4T);
    uint16_t tci = FIELD_EX32(ctx->vlan_macip_lens, TXCTX_VLAN_MACIP, VLAN);
    size_t hlen = maclen + iplen + l4len, l4 = maclen + iplen;
    size_t paylen, off;
    g_autofree uint8_t *seg = NULL;
    uint16_t ip_id = 0;
    uint32_t seq = 0;
    unsigned k = 0;

    if (mss < IOAT_NIC_TX_MIN_MSS || hlen + mss > IOAT_NIC_TX_MAX_FRAME ||
        l4t == IOAT_NIC_L4T_SCTP || hlen > p->len || maclen < ETH_HLEN ||
        l4len < (l4t == IOAT_NIC_L4T_TCP ? sizeof(struct tcp_header)
                                         : sizeof(struct udp_header))) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_tso_ctx,
                           "TX queue %u: TSO context with MSS %zu, L4T %u and "
                           "header %zu+%zu+%zu for a %zu byte packet; dropped",
                           q, mss, l4t, maclen, iplen, l4len, p->len);
        return;
    }
    paylen = FIELD_EX32(olinfo, TXD_OLINFO, PAYLEN);
    if (paylen != p->len - hlen) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_tso_paylen,
                           "TX queue %u: TSO PAYLEN %zu but the descriptors "
                           "hold "
                           "%zu payload bytes; using the latter", q, paylen,
                           p->len - hlen);
        paylen = p->len - hlen;
    }
    if (ipv4) {
        ip_id = lduw_be_p(p->data + maclen + offsetof(struct ip_header, ip_id));
    }
    if (l4t == IOAT_NIC_L4T_TCP) {
        seq = ldl_be_p(p->data + l4 + offsetof(struct tcp_header, th_seq));
    }

    seg = g_malloc(hlen + mss + ETH_ZLEN + 4);
    for (off = 0; off < paylen || (paylen == 0 && k == 0); off += mss, k++) {
        size_t n = MIN(mss, paylen - off);
        size_t flen = hlen + n;
        bool last = off + n >= paylen;

        memcpy(seg, p->data, hlen);
        memcpy(seg + hlen, p->data + hlen + off, n);
        if (ipv4) {
            stw_be_p(seg + maclen + offsetof(struct ip_header, ip_len),
                     flen - maclen);
            stw_be_p(seg + maclen + offsetof(struct ip_header, ip_id),
                     ip_id + k);
            if (FIELD_EX32(olinfo, TXD_OLINFO, IXSM)) {
                ioat_nic_tx_ip4_csum(seg, flen, maclen);
            }
        } else {
            stw_be_p(seg + maclen + offsetof(struct ip6_header, ip6_plen),
                     flen - maclen - sizeof(struct ip6_header));
        }
        if (l4t == IOAT_NIC_L4T_TCP) {
            stl_be_p(seg + l4 + offsetof(struct tcp_header, th_seq), seq + off);
            if (!last) {
                seg[l4 + IOAT_NIC_TCP_FLAGS_OFF] &= ~(TH_FIN | TH_PUSH);
            }
        } else {
            stw_be_p(seg + l4 + offsetof(struct udp_header, uh_ulen),
                     l4len + n);
        }
        ioat_nic_tx_l4_csum(seg, flen, l4, l4t, l4len + n);
        flen = ioat_nic_tx_insert_vlan(core, q, seg, flen, vle, tci);
        ioat_nic_tx_send(core, q, seg, flen);
        if (paylen == 0 || ioat_nic_gone(core)) {
            break;
        }
    }
    trace_ioat_nic_tx_tso(q, paylen, mss, k);
}

/*
 * A packet of legacy descriptors (7.2.3.2.2): the first one's IC inserts
 * the checksum from CSS to the end of the packet at CSO, over what the
 * driver stored at CSO too; its VLE inserts the tag of its VLAN field.
 */
static void ioat_nic_tx_legacy_packet(IoatNicCore *core, unsigned q)
{
    IoatNicTxQueue *p = &core->txq[q];
    uint32_t cmd = p->first_cmd_type_len;
    uint32_t upper = p->first_olinfo_status;
    size_t css = FIELD_EX32(upper, TXD_LEGACY_UPPER, CSS);
    size_t cso = FIELD_EX32(cmd, TXD_LEGACY, CSO);

    if (FIELD_EX32(cmd, TXD_LEGACY, IC)) {
        if (css >= p->len || cso + 2 > p->len) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_legacy_csum,
                               "TX queue %u: legacy checksum from CSS %zu to "
                               "CSO %zu outside the %zu byte packet; not "
                               "inserted", q, css, cso, p->len);
        } else {
            /* What the driver left at CSO (a pseudo-header sum) counts. */
            stw_be_p(p->data + cso,
                     net_checksum_finish_nozero(
                         net_checksum_add(p->len - css, p->data + css)));
        }
    }
    p->len = ioat_nic_tx_insert_vlan(core, q, p->data, p->len,
                                     FIELD_EX32(cmd, TXD_CMD, VLE),
                                     FIELD_EX32(upper, TXD_LEGACY_UPPER, VLAN));
    ioat_nic_tx_send(core, q, p->data, p->len);
}

static void ioat_nic_tx_packet(IoatNicCore *core, unsigned q)
{
    IoatNicTxQueue *txq = &core->txq[q], *p = txq;
    uint32_t cmd = txq->first_cmd_type_len;
    uint32_t olinfo = txq->first_olinfo_status;
    const IoatNicTxContext *ctx =
        &txq->ctx[FIELD_EX32(olinfo, TXD_OLINFO, IDX) & 1];
    size_t maclen = FIELD_EX32(ctx->vlan_macip_lens, TXCTX_VLAN_MACIP, MACLEN);
    size_t iplen = FIELD_EX32(ctx->vlan_macip_lens, TXCTX_VLAN_MACIP, IPLEN);
    bool vle = FIELD_EX32(cmd, TXD_CMD, VLE);

    if (p->len < IOAT_NIC_TX_MIN_PACKET) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_short,
                           "TX queue %u: %zu byte packet is shorter than %u",
                           q, p->len, IOAT_NIC_TX_MIN_PACKET);
        return;
    }
    /* Only segmentation turns more than one frame's worth into frames. */
    if (!(FIELD_EX32(cmd, TXD_CMD, DEXT) && FIELD_EX32(cmd, TXD_CMD, TSE)) &&
        p->len > IOAT_NIC_TX_MAX_FRAME) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_frame_too_long,
                           "TX queue %u: %zu byte packet without TSO is "
                           "longer than the %u byte frame limit; dropped",
                           q, p->len, (unsigned)IOAT_NIC_TX_MAX_FRAME);
        return;
    }
    if (!FIELD_EX32(cmd, TXD_CMD, DEXT)) {
        ioat_nic_tx_legacy_packet(core, q);
        return;
    }
    if (FIELD_EX32(cmd, TXD_CMD, TSE)) {
        ioat_nic_tx_segment(core, q, p, ctx, olinfo, vle);
        return;
    }
    if (FIELD_EX32(olinfo, TXD_OLINFO, IXSM)) {
        ioat_nic_tx_ip4_csum(p->data, p->len, maclen);
    }
    if (FIELD_EX32(olinfo, TXD_OLINFO, TXSM) &&
        !ioat_nic_tx_l4_csum(p->data, p->len, maclen + iplen,
                             FIELD_EX32(ctx->type_tucmd_mlhl, TXCTX_TUCMD,
                                        L4T), 0)) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_csum_field,
                           "TX queue %u: TXSM with the L4 checksum field of "
                           "L4T %u past the end of the %zu byte packet "
                           "(MACLEN %zu, IPLEN %zu); not inserted", q,
                           (unsigned)FIELD_EX32(ctx->type_tucmd_mlhl,
                                                TXCTX_TUCMD, L4T),
                           p->len, maclen, iplen);
    }
    p->len = ioat_nic_tx_insert_vlan(core, q, p->data, p->len, vle,
                                     FIELD_EX32(ctx->vlan_macip_lens,
                                                TXCTX_VLAN_MACIP, VLAN));
    ioat_nic_tx_send(core, q, p->data, p->len);
}

static void ioat_nic_tx_data(IoatNicCore *core, unsigned q, PCIDevice *dev,
                             const IoatNicTxDesc *d)
{
    IoatNicTxQueue *txq = &core->txq[q], *p = txq;
    size_t len = FIELD_EX32(d->cmd_type_len, TXD_CMD, DTALEN);

    if (txq->first) {
        txq->first_cmd_type_len = d->cmd_type_len;
        txq->first_olinfo_status = d->olinfo_status;
        txq->first = false;
    }
    if (!txq->skip && p->len + len > IOAT_NIC_TX_MAX_PACKET) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_too_long,
                           "TX queue %u: packet exceeds %u bytes; dropped",
                           q, IOAT_NIC_TX_MAX_PACKET);
        txq->skip = true;
    }
    if (!txq->skip && len) {
        /* Room for a VLAN tag and padding added later; grow by doubling. */
        size_t need = p->len + len + ETH_ZLEN + 4;

        if (need > p->size) {
            p->size = MIN(MAX(need, 2 * p->size),
                          IOAT_NIC_TX_MAX_PACKET + ETH_ZLEN + 4);
            p->data = g_realloc(p->data, p->size);
        }
        if (ioat_window_read(&core->tx_dma[q], dev, d->addr,
                             p->data + p->len, len) != MEMTX_OK) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_buf_dma,
                               "TX queue %u: buffer 0x%" PRIx64
                               " (+%zu) is not "
                               "readable; packet dropped", q, d->addr, len);
            txq->skip = true;
        }
        p->len += len;
    }
    if (FIELD_EX32(d->cmd_type_len, TXD_CMD, EOP)) {
        if (!txq->skip) {
            ioat_nic_tx_packet(core, q);
        }
        ioat_nic_tx_restart_packet(core, q);
    }
}

static dma_addr_t ioat_nic_tx_ring_base(IoatNicCore *core, unsigned q)
{
    return ((uint64_t)ioat_nic_reg(core, IOAT_NIC_TDBAH(q)) << 32) |
           ioat_nic_reg(core, IOAT_NIC_TDBAL(q));
}

static void ioat_nic_tx_head_writeback(IoatNicCore *core, unsigned q,
                                       uint32_t head)
{
    uint32_t lo = ioat_nic_reg(core, IOAT_NIC_TDWBAL(q));
    uint64_t addr = ((uint64_t)ioat_nic_reg(core, IOAT_NIC_TDWBAH(q)) << 32) |
                    (lo & ~3u);

    if (FIELD_EX32(lo, TDWBAL, HEAD_WB_EN)) {
        uint32_t le = cpu_to_le32(head);

        smp_mb_release();   /* the frames' data was read first */
        ioat_window_write(&core->tx_dma[q], ioat_nic_queue_dev(core, q, true),
                          addr, &le, sizeof(le));
    }
}

/*
 * Process the descriptors the guest has handed over, from TDH to TDT, at
 * most *@budget of them (taken from it).  What is left waits for the BH.
 */
static void ioat_nic_tx_process(IoatNicCore *core, unsigned q,
                                unsigned *budget)
{
    uint32_t txdctl = ioat_nic_reg(core, IOAT_NIC_TXDCTL(q));
    unsigned n = ioat_nic_reg(core, IOAT_NIC_TDLEN(q)) / IOAT_NIC_DESC_SIZE;
    unsigned head = ioat_nic_reg(core, IOAT_NIC_TDH(q));
    unsigned tail = ioat_nic_reg(core, IOAT_NIC_TDT(q));
    dma_addr_t base = ioat_nic_tx_ring_base(core, q);
    PCIDevice *dev = ioat_nic_queue_dev(core, q, true);
    unsigned qpp = ioat_nic_pool_qpp(core, true);
    bool written_back = false;

    if (!FIELD_EX32(core->mac[R_DMATXCTL], DMATXCTL, TE) ||
        !FIELD_EX32(txdctl, TXDCTL, ENABLE) || !n || head == tail) {
        return;
    }
    smp_mb();       /* as dma_barrier(): the guest's stores come first */
    /* A pool's queues fetch nothing while PFVFTE disables it (7.10.3.9) */
    if (qpp && !(ioat_nic_reg(core, IOAT_NIC_PFVFTE(q / qpp / 32)) &
                 BIT(q / qpp % 32))) {
        trace_ioat_nic_tx_pool_disabled(q, q / qpp);
        return;
    }
    if (head >= n || tail >= n) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_ring_index,
                           "TX queue %u: TDH %u or TDT %u beyond the "
                           "%u-entry ring",
                           q, head, tail, n);
        return;
    }

    for (; head != tail && *budget; --*budget) {
        dma_addr_t daddr = base + head * IOAT_NIC_DESC_SIZE;
        IoatNicTxDesc d;

        if (ioat_nic_gone(core)) {
            return;     /* the last descriptor's DMA unplugged us */
        }
        if (core->fault.tx_hang) {
            /*
             * Injected: no progress until a reset, or until the fault is
             * cleared (ioat_nic_core_set_tx_hang() resumes every queue).
             */
            break;
        }
        if (!FIELD_EX32(core->mac[R_HLREG0], HLREG0, LPBK) &&
            !ioat_nic_link_up(core)) {
            /*
             * Without a link the MAC stops taking frames: they stay in the
             * ring until the link is back (ixgbe resets the adapter to
             * flush them after a link loss).
             */
            trace_ioat_nic_tx_link_wait(q);
            core->tx_link_wait = true;
            ioat_nic_link_check(core);
            break;
        }
        if (core->tx_held) {
            break;      /* ioat_nic_tx_drained() comes back */
        }
        if (ioat_window_read(&core->tx_dma[q], dev, daddr, &d, sizeof(d)) !=
            MEMTX_OK) {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_desc_dma,
                               "TX queue %u: descriptor %u at 0x%" PRIx64
                               " is not readable", q, head, daddr);
            break;
        }
        d.addr = le64_to_cpu(d.addr);
        d.cmd_type_len = le32_to_cpu(d.cmd_type_len);
        d.olinfo_status = le32_to_cpu(d.olinfo_status);

        if (!FIELD_EX32(d.cmd_type_len, TXD_CMD, DEXT)) {
            ioat_nic_tx_data(core, q, dev, &d);     /* legacy (7.2.3.2.2) */
        } else if (FIELD_EX32(d.cmd_type_len, TXD_CMD, DTYP) ==
                   IOAT_NIC_TXD_DTYP_CTXT) {
            IoatNicTxContext *ctx = &core->txq[q].ctx[
                FIELD_EX32(d.olinfo_status, TXCTX_MSS_L4LEN, IDX) & 1];

            ctx->vlan_macip_lens = (uint32_t)d.addr;
            ctx->seqnum_seed = d.addr >> 32;
            ctx->type_tucmd_mlhl = d.cmd_type_len;
            ctx->mss_l4len_idx = d.olinfo_status;
        } else if (FIELD_EX32(d.cmd_type_len, TXD_CMD, DTYP) ==
                   IOAT_NIC_TXD_DTYP_DATA) {
            ioat_nic_tx_data(core, q, dev, &d);
        } else {
            IOAT_NIC_GUEST_ERR(ioat_nic_err_tx_dtyp,
                               "TX queue %u: descriptor %u has unknown "
                               "DTYP %u; "
                               "skipped", q, head,
                               (unsigned)FIELD_EX32(d.cmd_type_len, TXD_CMD,
                                                    DTYP));
        }

        /* Write back DD on report-status descriptors (7.2.3.5.1). */
        if (FIELD_EX32(d.cmd_type_len, TXD_CMD, RS) && !ioat_nic_gone(core)) {
            uint32_t sta = cpu_to_le32(FIELD_DP32(d.olinfo_status,
                                                  TXD_OLINFO, STA_DD, 1));

            smp_mb_release();   /* the frame's data was read first */
            ioat_window_write(&core->tx_dma[q], dev, daddr + 12, &sta,
                              sizeof(sta));
            written_back = true;
        }
        head = (head + 1) % n;
    }
    *ioat_nic_regp(core, IOAT_NIC_TDH(q)) = head;
    trace_ioat_nic_tx_ring(q, head, tail);
    if (ioat_nic_gone(core)) {
        return;
    }
    if (head != tail && (!*budget || core->tx_held)) {
        set_bit(q, core->tx_pending);
        if (!core->tx_held) {
            qemu_bh_schedule(core->tx_bh);
        }
    }
    if (written_back) {
        ioat_nic_tx_head_writeback(core, q, head);
        ioat_nic_queue_event(core, q, true, false);
    }
}

/*
 * One bounded pass over the queues marked pending (in queue order); the
 * BH comes back while any has descriptors left.
 */
static void ioat_nic_tx_pass(IoatNicCore *core)
{
    DECLARE_BITMAP(todo, IOAT_NIC_NUM_QUEUES);
    unsigned budget = IOAT_NIC_TX_DESC_BUDGET;
    unsigned q;

    bitmap_copy(todo, core->tx_pending, IOAT_NIC_NUM_QUEUES);
    bitmap_zero(core->tx_pending, IOAT_NIC_NUM_QUEUES);
    for (q = find_first_bit(todo, IOAT_NIC_NUM_QUEUES);
         q < IOAT_NIC_NUM_QUEUES;
         q = find_next_bit(todo, IOAT_NIC_NUM_QUEUES, q + 1)) {
        if (budget) {
            ioat_nic_tx_process(core, q, &budget);
        } else {
            set_bit(q, core->tx_pending);
        }
    }
    if (!bitmap_empty(core->tx_pending, IOAT_NIC_NUM_QUEUES) &&
        !core->tx_held && !ioat_nic_gone(core)) {
        qemu_bh_schedule(core->tx_bh);
    }
}

/*
 * The backend sent what it had queued (or dropped it on a purge): go on
 * with every queue.  Not once the bottom half is gone (unrealize).
 */
void ioat_nic_tx_drained(IoatNicCore *core)
{
    if (!core->tx_held || !core->tx_bh) {
        return;
    }
    core->tx_held = false;
    trace_ioat_nic_tx_drained();
    ioat_nic_tx_resume(core);
}

/* The reference keeps the state if a DMA write unplugs the device. */
static void ioat_nic_tx_bh(void *opaque)
{
    IoatNicCore *core = opaque;

    if (core->tx_bh) {
        object_ref(OBJECT(core->owner));
        ioat_nic_tx_pass(core);
        object_unref(OBJECT(core->owner));
    }
}

/* After migration: every queue may have descriptors to send. */
void ioat_nic_tx_resume(IoatNicCore *core)
{
    bitmap_fill(core->tx_pending, IOAT_NIC_NUM_QUEUES);
    qemu_bh_schedule(core->tx_bh);
}

static void ioat_nic_tx_kick(IoatNicCore *core, unsigned q)
{
    unsigned budget = IOAT_NIC_TX_DESC_BUDGET;

    ioat_nic_tx_process(core, q, &budget);
}

void ioat_nic_write_tdt(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    ioat_nic_tx_kick(core, n);
}

void ioat_nic_write_txdctl(IoatNicCore *core, const IoatNicReg *reg,
                           unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    trace_ioat_nic_tx_queue_enable(n, FIELD_EX32(val, TXDCTL, ENABLE));
    ioat_nic_tx_kick(core, n);
}

/* TE on: every queue, one bounded pass now, the rest from the BH. */
void ioat_nic_write_dmatxctl(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    if (FIELD_EX32(val, DMATXCTL, TE)) {
        bitmap_fill(core->tx_pending, IOAT_NIC_NUM_QUEUES);
        ioat_nic_tx_pass(core);
    }
}
