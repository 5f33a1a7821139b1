/*
 * Ethernet frames for the ioat-nic qtests, built and checked without the
 * device model: Ethernet, 802.1Q, IPv4/IPv6 with TCP/UDP, checksums
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "ioat-nic-frame.h"

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


/* An 802.1Q-tagged copy of @frame with @tci; returns its length. */
size_t ioat_nic_vlan_tag(uint8_t *out, const uint8_t *frame, size_t len,
                         uint16_t tci)
{
    memcpy(out, frame, 12);
    stw_be_p(out + 12, 0x8100);
    stw_be_p(out + 14, tci);
    memcpy(out + 16, frame + 12, len - 12);
    return len + QIOAT_NIC_VLAN_HLEN;
}

/*
 * The L4 checksum field as the stack leaves it for checksum offload: the
 * pseudo-header sum, folded and not inverted.
 */
void ioat_nic_preload_pseudo_sum(uint8_t *frame, size_t l4_len)
{
    size_t l4 = ioat_nic_l4_offset(frame);
    bool tcp = ioat_nic_l4_proto(frame) == IPPROTO_TCP;

    stw_be_p(frame + l4 + (tcp ? 16 : 6),
             ioat_nic_csum_fold(ioat_nic_pseudo_sum(frame, l4_len)));
}
