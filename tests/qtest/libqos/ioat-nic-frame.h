/*
 * Ethernet frames for the ioat-nic qtests, built and checked without the
 * device model: Ethernet, 802.1Q, IPv4/IPv6 with TCP/UDP, checksums
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_NIC_FRAME_H
#define QOS_IOAT_NIC_FRAME_H

typedef struct QIoatNicFlow {
    bool ipv6;
    uint8_t proto;          /* IPPROTO_TCP or IPPROTO_UDP */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
} QIoatNicFlow;

#define QIOAT_NIC_ETH_HLEN      14
#define QIOAT_NIC_VLAN_HLEN     4
#define QIOAT_NIC_IP4_HLEN      20
#define QIOAT_NIC_IP6_HLEN      40
#define QIOAT_NIC_TCP_HLEN      20
#define QIOAT_NIC_UDP_HLEN      8

/* Builders; each returns the frame's length */
void ioat_nic_flow_parse(QIoatNicFlow *f, uint8_t proto, const char *src,
                         uint16_t sport, const char *dst, uint16_t dport);
size_t ioat_nic_build_eth(uint8_t *buf, const uint8_t *dst_mac,
                          uint16_t ethertype, size_t payload_len);
size_t ioat_nic_build_ip(uint8_t *buf, const uint8_t *dst_mac,
                         const QIoatNicFlow *f, size_t payload_len);
size_t ioat_nic_vlan_tag(uint8_t *out, const uint8_t *frame, size_t len,
                         uint16_t tci);

/* Parsing an untagged IPv4/IPv6 frame */
size_t ioat_nic_l4_offset(const uint8_t *frame);
uint8_t ioat_nic_l4_proto(const uint8_t *frame);
size_t ioat_nic_l4_hlen(const uint8_t *frame);

/* Internet checksums (RFC 1071) */
uint32_t ioat_nic_csum_add(uint32_t sum, const uint8_t *buf, size_t len);
uint16_t ioat_nic_csum_fold(uint32_t sum);
uint32_t ioat_nic_pseudo_sum(const uint8_t *frame, size_t l4_len);
void ioat_nic_preload_pseudo_sum(uint8_t *frame, size_t l4_len);
bool ioat_nic_ip4_csum_ok(const uint8_t *frame);
bool ioat_nic_l4_csum_ok(const uint8_t *frame, size_t len);

#endif
