// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp-stream: move a byte stream over TCP in large writes.
 *
 * Usage: tcp-stream HOST PORT    connect; stdin to the socket, then shut
 *                                down the sending side; the socket to stdout
 *        tcp-stream -l PORT      accept one connection; the socket to stdout
 *
 * busybox's nc copies in chunks of about 1 KiB, so a transfer through it
 * costs the guest one write system call, and mostly one TCP segment and
 * one acknowledgement, per KiB: under TCG that limits a transfer to a few
 * MB/s whatever the NIC.  tcp-stream reads and writes 256 KiB at a time,
 * leaving segmentation to the stack (and TSO), as a real application
 * does.  Exit status 0 when the whole stream went through and the peer
 * closed its side.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

static char buf[CHUNK];

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= w;
    }
    return 0;
}

/* Copy @in to @out until end of file; -1 on an error of either. */
static int copy(int in, const char *in_name, int out, const char *out_name)
{
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fprintf(stderr, "tcp-stream: reading %s: %s\n", in_name,
                    strerror(errno));
            return -1;
        }
        if (n == 0) {
            return 0;
        }
        if (write_all(out, buf, n)) {
            fprintf(stderr, "tcp-stream: writing %s: %s\n", out_name,
                    strerror(errno));
            return -1;
        }
    }
}

static int port_of(const char *s)
{
    char *end;
    long p = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || p <= 0 || p > 65535) {
        fprintf(stderr, "tcp-stream: bad port '%s'\n", s);
        exit(2);
    }
    return p;
}

static int listen_once(int port)
{
    struct sockaddr_in a = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
        .sin_addr.s_addr = htonl(INADDR_ANY),
    };
    int one = 1, l, s;

    l = socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1)) {
        perror("tcp-stream: listen");
        exit(1);
    }
    do {
        s = accept(l, NULL, NULL);
    } while (s < 0 && errno == EINTR);
    if (s < 0) {
        perror("tcp-stream: accept");
        exit(1);
    }
    close(l);
    return s;
}

static int connect_to(const char *host, int port)
{
    struct sockaddr_in a = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
    };
    int s;

    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "tcp-stream: bad IPv4 address '%s'\n", host);
        exit(2);
    }
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
        fprintf(stderr, "tcp-stream: connecting to %s:%d: %s\n", host, port,
                strerror(errno));
        exit(1);
    }
    return s;
}

int main(int argc, char **argv)
{
    int s;

    if (argc == 3 && strcmp(argv[1], "-l") == 0) {
        s = listen_once(port_of(argv[2]));
        return copy(s, "the connection", STDOUT_FILENO, "stdout") ? 1 : 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: tcp-stream HOST PORT | tcp-stream -l PORT\n");
        return 2;
    }
    s = connect_to(argv[1], port_of(argv[2]));
    if (copy(STDIN_FILENO, "stdin", s, "the connection") ||
        shutdown(s, SHUT_WR) ||
        copy(s, "the connection", STDOUT_FILENO, "stdout")) {
        return 1;
    }
    return 0;
}
