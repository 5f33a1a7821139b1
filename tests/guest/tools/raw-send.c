// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw-send: put Ethernet frames on an interface exactly as given, bypassing
 * the network stack, so that a test can send what a well-behaved stack
 * never would (a forged source address, a runt, an unknown EtherType).
 *
 * Usage: raw-send IFNAME DST-MAC SRC-MAC ETHERTYPE PAYLOAD-BYTES COUNT
 *
 * Each frame is DST-MAC, SRC-MAC, ETHERTYPE (hex) and PAYLOAD-BYTES bytes
 * of a counting pattern, written to an AF_PACKET socket bound to IFNAME.
 * Exit status 0 when COUNT frames were accepted by the kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FRAME 9216

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];

    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5]) != 6) {
        return -1;
    }
    for (int i = 0; i < 6; i++) {
        if (v[i] > 0xff) {
            return -1;
        }
        mac[i] = v[i];
    }
    return 0;
}

int main(int argc, char **argv)
{
    static uint8_t frame[MAX_FRAME];
    struct sockaddr_ll sll = { .sll_family = AF_PACKET };
    unsigned long etype, payload, count;
    int sock;

    if (argc != 7) {
        fprintf(stderr, "usage: raw-send IFNAME DST-MAC SRC-MAC ETHERTYPE "
                "PAYLOAD-BYTES COUNT\n");
        return 2;
    }
    etype = strtoul(argv[4], NULL, 16);
    payload = strtoul(argv[5], NULL, 0);
    count = strtoul(argv[6], NULL, 0);
    if (parse_mac(argv[2], frame) || parse_mac(argv[3], frame + 6) ||
        etype > 0xffff || payload > MAX_FRAME - ETH_HLEN) {
        fprintf(stderr, "raw-send: bad address, EtherType or length\n");
        return 2;
    }
    frame[12] = etype >> 8;
    frame[13] = etype;
    for (unsigned long i = 0; i < payload; i++) {
        frame[ETH_HLEN + i] = i;
    }

    sll.sll_ifindex = if_nametoindex(argv[1]);
    sll.sll_protocol = htons(etype);
    if (!sll.sll_ifindex) {
        perror("raw-send: interface");
        return 1;
    }
    sock = socket(AF_PACKET, SOCK_RAW, 0);
    if (sock < 0) {
        perror("raw-send: socket");
        return 1;
    }
    for (unsigned long n = 0; n < count; n++) {
        if (sendto(sock, frame, ETH_HLEN + payload, 0,
                   (struct sockaddr *)&sll, sizeof(sll)) < 0) {
            perror("raw-send: sendto");
            return 1;
        }
    }
    close(sock);
    return 0;
}
