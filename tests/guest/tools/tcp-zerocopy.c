// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp-zerocopy: send a TCP stream of a position-dependent pattern, or
 * receive one either by copying (read()) or by having the kernel map the
 * received pages into our address space (TCP_ZEROCOPY_RECEIVE), verify
 * every byte and report how long it took and how much CPU it cost.
 *
 * Usage: tcp-zerocopy send HOST PORT MIB
 *        tcp-zerocopy recv PORT copy|map CHUNK [SECONDS]
 *
 * The stream is the sequence of 64-bit little-endian words 0, 1, 2, ...,
 * so a misplaced, duplicated or stale page shows up by its position.
 *
 * send connects to HOST (IPv4 dotted address) PORT, writes MIB MiB of the
 * pattern in 64 KiB writes, shuts down its sending side and waits for the
 * peer to close.  Exit status 0 on success.
 *
 * recv listens on PORT (IPv6 dual-stack, so IPv4 peers are accepted),
 * gives up after SECONDS (default 300) without a connection, accepts one
 * connection and receives it to the end:
 *   copy: read() into a CHUNK-byte buffer;
 *   map:  mmap() CHUNK bytes of the socket once and map received pages
 *         there with getsockopt(TCP_ZEROCOPY_RECEIVE); bytes that cannot
 *         be mapped (recv_skip_hint, or less than a page queued) are
 *         read() instead.
 * CHUNK is a decimal byte count, a multiple of the page size.  It then
 * prints one line to stdout:
 *   bytes B seconds S user U sys Y calls K mapped M copied C bad N
 * S is the wall time from accept to end of stream, U and Y the user and
 * system CPU time of the process over the same interval (which includes
 * the network stack's softirq work done while the process ran), K the
 * wall time spent inside read() and getsockopt() (waits for data happen
 * in poll(), outside K), M and C the bytes
 * received by mapping and by copying, N the bytes that differ from the
 * pattern.  Exit status 0 when N is 0 and B is not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SEND_CHUNK (64 * 1024)
#define PAGE_SZ 4096 /* the guest's page size; mmap() needs multiples */
#define MIB (1024 * 1024ULL)

static unsigned long long n_bad;
static double call_seconds;     /* inside read() and getsockopt() */

static double mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until @fd has data or its end to read, so that a read() won't block. */
static int wait_readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            perror("tcp-zerocopy: poll");
            return -1;
        }
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: tcp-zerocopy send HOST PORT MIB\n"
            "       tcp-zerocopy recv PORT copy|map CHUNK [SECONDS]\n");
    exit(2);
}

/* A plain decimal number up to @max; -1 if @s is anything else. */
static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
    *v = 0;
    if (!*s) {
        return -1;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return -1;
        }
        *v = *v * 10 + (*s - '0');
        if (*v > max) {
            return -1;
        }
    }
    return 0;
}

static uint8_t pattern_byte(uint64_t o)
{
    return (o >> 3) >> (8 * (o & 7));
}

/* Count the bytes of @buf, at stream offset @off, that are not the pattern */
static void verify(const uint8_t *buf, size_t len, uint64_t off)
{
    size_t i = 0;

    for (; i < len && ((off + i) & 7); i++) {
        n_bad += buf[i] != pattern_byte(off + i);
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, buf + i, 8);
        if (w != htole64((off + i) >> 3)) {
            for (int j = 0; j < 8; j++) {
                n_bad += buf[i + j] != pattern_byte(off + i + j);
            }
        }
    }
    for (; i < len; i++) {
        n_bad += buf[i] != pattern_byte(off + i);
    }
}

static int do_send(int argc, char **argv)
{
    static uint8_t buf[SEND_CHUNK];
    struct sockaddr_in sin = { .sin_family = AF_INET };
    unsigned long port, mib;
    uint64_t off = 0, total;
    char c;
    int fd;

    if (argc != 5 || inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1 ||
        parse_num(argv[3], 65535, &port) || port == 0 ||
        parse_num(argv[4], 1024 * 1024, &mib)) {
        usage();
    }
    sin.sin_port = htons(port);
    total = mib * MIB;
    signal(SIGPIPE, SIG_IGN);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("tcp-zerocopy: socket");
        return 1;
    }
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        fprintf(stderr, "tcp-zerocopy: connect to %s:%lu: %s\n", argv[2],
                port, strerror(errno));
        return 1;
    }
    while (off < total) {
        size_t done = 0;

        for (size_t i = 0; i < SEND_CHUNK; i += 8) {
            uint64_t w = htole64((off + i) >> 3);

            memcpy(buf + i, &w, 8);
        }
        while (done < SEND_CHUNK) {
            ssize_t n = write(fd, buf + done, SEND_CHUNK - done);

            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fprintf(stderr, "tcp-zerocopy: write at byte %llu: %s\n",
                        (unsigned long long)(off + done), strerror(errno));
                return 1;
            }
            done += n;
        }
        off += SEND_CHUNK;
    }
    if (shutdown(fd, SHUT_WR) < 0) {
        perror("tcp-zerocopy: shutdown");
        return 1;
    }
    /* The receiver closes once it has read everything. */
    for (;;) {
        ssize_t n = read(fd, &c, 1);

        if (n == 0) {
            break;
        }
        if (n < 0 && errno != EINTR) {
            perror("tcp-zerocopy: waiting for the receiver to close");
            return 1;
        }
    }
    close(fd);
    return 0;
}

/* Listen on @port, wait up to @secs for one connection and accept it. */
static int accept_one(unsigned long port, unsigned long secs)
{
    struct sockaddr_in6 sin6 = {
        .sin6_family = AF_INET6,
        .sin6_port = htons(port),
        .sin6_addr = IN6ADDR_ANY_INIT,
    };
    int one = 1, zero = 0;
    struct pollfd pfd;
    int lfd, fd, r;

    lfd = socket(AF_INET6, SOCK_STREAM, 0);
    if (lfd < 0) {
        perror("tcp-zerocopy: socket");
        return -1;
    }
    if (setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
        perror("tcp-zerocopy: setsockopt");
        return -1;
    }
    if (bind(lfd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0 ||
        listen(lfd, 1) < 0) {
        fprintf(stderr, "tcp-zerocopy: listen on port %lu: %s\n", port,
                strerror(errno));
        return -1;
    }
    pfd.fd = lfd;
    pfd.events = POLLIN;
    do {
        r = poll(&pfd, 1, secs * 1000);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        perror("tcp-zerocopy: poll");
        return -1;
    }
    if (r == 0) {
        fprintf(stderr, "tcp-zerocopy: no connection on port %lu within "
                "%lu seconds\n", port, secs);
        return -1;
    }
    do {
        fd = accept(lfd, NULL, NULL);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        perror("tcp-zerocopy: accept");
        return -1;
    }
    close(lfd);
    return fd;
}

/*
 * read() up to @len bytes into @buf; with @exact, loop until all @len are
 * there.  Returns the byte count (0 only at end of stream), -1 on error.
 */
static ssize_t read_some(int fd, uint8_t *buf, size_t len, bool exact)
{
    size_t done = 0;

    while (done < len) {
        double t = mono_now();
        ssize_t n = read(fd, buf + done, len - done);

        call_seconds += mono_now() - t;

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tcp-zerocopy: read");
            return -1;
        }
        if (n == 0) {
            if (exact) {
                fprintf(stderr, "tcp-zerocopy: stream ended within the "
                        "bytes to skip\n");
                return -1;
            }
            break;
        }
        done += n;
        if (!exact) {
            break;
        }
    }
    return done;
}

static int recv_copy(int fd, uint8_t *buf, size_t chunk, uint64_t *copied)
{
    for (;;) {
        ssize_t n;

        if (wait_readable(fd) < 0) {
            return -1;
        }
        n = read_some(fd, buf, chunk, false);
        if (n <= 0) {
            return n;
        }
        verify(buf, n, *copied);
        *copied += n;
    }
}

static int recv_map(int fd, uint8_t *buf, size_t chunk, uint64_t *mapped,
                    uint64_t *copied)
{
    struct tcp_zerocopy_receive zc;
    bool first = true;
    uint8_t *map;
    int ret = -1;

    map = mmap(NULL, chunk, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        perror("tcp-zerocopy: mmap of the socket");
        return -1;
    }
    for (;;) {
        socklen_t zclen = sizeof(zc);
        uint32_t skip;
        double t;
        int rc;

        memset(&zc, 0, sizeof(zc));
        zc.address = (uintptr_t)map;
        zc.length = chunk;
        t = mono_now();
        rc = getsockopt(fd, IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, &zc, &zclen);
        call_seconds += mono_now() - t;
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (first && (errno == EINVAL || errno == EOPNOTSUPP)) {
                fprintf(stderr, "tcp-zerocopy: the kernel refuses "
                        "TCP_ZEROCOPY_RECEIVE: %s\n", strerror(errno));
                goto out;
            }
            if (errno != EIO) {
                perror("tcp-zerocopy: getsockopt(TCP_ZEROCOPY_RECEIVE)");
                goto out;
            }
            /*
             * EIO: nothing queued and the peer has finished; the read()
             * below sees the end of the stream.
             */
            zc.length = 0;
            zc.recv_skip_hint = 0;
            zc.err = 0;
        }
        first = false;
        if (zc.err) {
            fprintf(stderr, "tcp-zerocopy: socket error: %s\n",
                    strerror(-zc.err));
            goto out;
        }
        if (zc.length) {
            verify(map, zc.length, *mapped + *copied);
            *mapped += zc.length;
        }
        skip = zc.recv_skip_hint;
        while (skip) {
            size_t len = skip < chunk ? skip : chunk;

            if (read_some(fd, buf, len, true) != (ssize_t)len) {
                goto out;
            }
            verify(buf, len, *mapped + *copied);
            *copied += len;
            skip -= len;
        }
        if (!zc.length && !zc.recv_skip_hint) {
            int queued = 0;
            ssize_t n;

            if (wait_readable(fd) < 0) {
                goto out;
            }
            /* Data arrived: map it.  Readable with nothing queued: the end. */
            if (ioctl(fd, FIONREAD, &queued) < 0) {
                perror("tcp-zerocopy: FIONREAD");
                goto out;
            }
            if (queued) {
                continue;
            }
            n = read_some(fd, buf, chunk, false);
            if (n < 0) {
                goto out;
            }
            if (n == 0) {
                ret = 0;
                goto out;
            }
            verify(buf, n, *mapped + *copied);
            *copied += n;
        }
    }
out:
    munmap(map, chunk);
    return ret;
}

static double tv_seconds(const struct timeval *a, const struct timeval *b)
{
    return (b->tv_sec - a->tv_sec) + (b->tv_usec - a->tv_usec) / 1e6;
}

static int do_recv(int argc, char **argv)
{
    double t0, t1;
    struct rusage ru0, ru1;
    unsigned long port, chunk, secs = 300;
    uint64_t mapped = 0, copied = 0;
    bool map;
    uint8_t *buf;
    int fd, r;

    if (argc < 5 || argc > 6 || parse_num(argv[2], 65535, &port) ||
        port == 0 || parse_num(argv[4], 1UL << 30, &chunk) ||
        chunk < PAGE_SZ || chunk % PAGE_SZ ||
        (argc == 6 && (parse_num(argv[5], 1UL << 20, &secs) || !secs))) {
        usage();
    }
    if (!strcmp(argv[3], "copy")) {
        map = false;
    } else if (!strcmp(argv[3], "map")) {
        map = true;
    } else {
        usage();
    }
    buf = malloc(chunk);
    if (!buf) {
        perror("tcp-zerocopy: malloc");
        return 1;
    }

    fd = accept_one(port, secs);
    if (fd < 0) {
        return 1;
    }
    t0 = mono_now();
    getrusage(RUSAGE_SELF, &ru0);
    if (map) {
        r = recv_map(fd, buf, chunk, &mapped, &copied);
    } else {
        r = recv_copy(fd, buf, chunk, &copied);
    }
    t1 = mono_now();
    getrusage(RUSAGE_SELF, &ru1);
    close(fd);
    if (r < 0) {
        return 1;
    }

    printf("bytes %llu seconds %.3f user %.3f sys %.3f calls %.3f "
           "mapped %llu copied %llu bad %llu\n",
           (unsigned long long)(mapped + copied),
           t1 - t0,
           tv_seconds(&ru0.ru_utime, &ru1.ru_utime),
           tv_seconds(&ru0.ru_stime, &ru1.ru_stime), call_seconds,
           (unsigned long long)mapped, (unsigned long long)copied, n_bad);
    if (n_bad) {
        fprintf(stderr, "tcp-zerocopy: %llu bytes differ from the pattern\n",
                n_bad);
        return 1;
    }
    if (mapped + copied == 0) {
        fprintf(stderr, "tcp-zerocopy: no data received\n");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "send")) {
        return do_send(argc, argv);
    }
    if (argc >= 2 && !strcmp(argv[1], "recv")) {
        return do_recv(argc, argv);
    }
    usage();
    return 2;
}
