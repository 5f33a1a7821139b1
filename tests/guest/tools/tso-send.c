// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tso-send: hand the network stack TCP/IPv4 packets larger than the MSS,
 * the way a paravirtual or tunnelling driver does, so that the NIC driver
 * receives them as GSO packets whatever the state of any TCP connection.
 *
 * Usage: tso-send IFNAME DST-MAC DST-IP PORT PAYLOAD MSS COUNT
 *
 * Each packet goes through an AF_PACKET socket with PACKET_VNET_HDR: the
 * virtio_net_hdr in front of the frame asks for checksum offload
 * (NEEDS_CSUM) and TCPv4 segmentation at MSS (GSO_TCPV4), which the kernel
 * turns into a CHECKSUM_PARTIAL skb with gso_size = MSS; a driver that
 * advertises NETIF_F_TSO then gets it whole.  The TCP checksum field holds
 * the pseudo-header sum, as the stack leaves it for a partial checksum.
 * The source address and MAC are the interface's own.
 *
 * Exit status 0 when COUNT packets were accepted by the kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define HDR_LEN     (ETH_HLEN + 20 + 20)
#define MAX_PAYLOAD 60000

static uint32_t sum16(const void *data, size_t len, uint32_t sum)
{
    const uint8_t *p = data;

    for (; len > 1; len -= 2, p += 2) {
        sum += (uint32_t)p[0] << 8 | p[1];
    }
    if (len) {
        sum += (uint32_t)p[0] << 8;
    }
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

static int usage(void)
{
    fprintf(stderr, "usage: tso-send IFNAME DST-MAC DST-IP PORT PAYLOAD MSS COUNT\n");
    return 2;
}

int main(int argc, char **argv)
{
    static uint8_t buf[sizeof(struct virtio_net_hdr) + HDR_LEN + MAX_PAYLOAD];
    struct virtio_net_hdr *vh = (void *)buf;
    uint8_t *frame = buf + sizeof(*vh);
    struct iphdr *ip = (void *)(frame + ETH_HLEN);
    struct tcphdr *tcp = (void *)(frame + ETH_HLEN + 20);
    struct sockaddr_ll to = { .sll_family = AF_PACKET };
    unsigned int mac[ETH_ALEN], payload, mss, count, port, i;
    struct in_addr dst, src;
    struct ifreq ifr = { 0 };
    uint32_t pseudo;
    int fd, one = 1;

    if (argc != 8 ||
        sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
               &mac[3], &mac[4], &mac[5]) != 6 ||
        !inet_aton(argv[3], &dst)) {
        return usage();
    }
    port = strtoul(argv[4], NULL, 0);
    payload = strtoul(argv[5], NULL, 0);
    mss = strtoul(argv[6], NULL, 0);
    count = strtoul(argv[7], NULL, 0);
    if (!port || port > 65535 || !payload || payload > MAX_PAYLOAD ||
        mss < 64 || mss >= payload) {
        return usage();
    }

    fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) {
        perror("socket(AF_PACKET)");
        return 1;
    }
    if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one))) {
        perror("PACKET_VNET_HDR");
        return 1;
    }
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
    if (ioctl(fd, SIOCGIFINDEX, &ifr)) {
        perror(argv[1]);
        return 1;
    }
    to.sll_ifindex = ifr.ifr_ifindex;
    if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
        perror("SIOCGIFHWADDR");
        return 1;
    }
    memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
    ifr.ifr_addr.sa_family = AF_INET;
    if (ioctl(fd, SIOCGIFADDR, &ifr)) {
        perror("SIOCGIFADDR");
        return 1;
    }
    src = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;

    for (i = 0; i < ETH_ALEN; i++) {
        frame[i] = mac[i];
    }
    frame[12] = ETHERTYPE_IP >> 8;
    frame[13] = ETHERTYPE_IP & 0xff;
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons(20 + 20 + payload);
    ip->ttl = 64;
    ip->protocol = IPPROTO_TCP;
    ip->saddr = src.s_addr;
    ip->daddr = dst.s_addr;
    ip->check = htons(~fold(sum16(ip, 20, 0)) & 0xffff);
    tcp->source = htons(40000);
    tcp->dest = htons(port);
    tcp->doff = 5;
    tcp->ack = 1;
    tcp->psh = 1;
    tcp->window = htons(65535);
    for (i = 0; i < payload; i++) {
        frame[HDR_LEN + i] = i * 7 + 3;
    }
    pseudo = sum16(&ip->saddr, 8, IPPROTO_TCP + 20 + payload);

    vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
    vh->hdr_len = HDR_LEN;
    vh->gso_size = mss;
    vh->csum_start = ETH_HLEN + 20;
    vh->csum_offset = offsetof(struct tcphdr, check);

    for (i = 0; i < count; i++) {
        tcp->seq = htonl(1 + i * payload);
        tcp->check = htons(fold(pseudo));
        if (sendto(fd, buf, sizeof(*vh) + HDR_LEN + payload, 0,
                   (struct sockaddr *)&to, sizeof(to)) < 0) {
            perror("sendto");
            return 1;
        }
    }
    close(fd);
    return 0;
}
