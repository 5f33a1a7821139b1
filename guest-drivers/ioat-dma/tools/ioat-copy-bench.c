// SPDX-License-Identifier: GPL-2.0
/*
 * ioat-copy-bench: exercise /dev/ioat-copy (the ioat_dma driver's user-space
 * copy interface).
 *
 *   ioat-copy-bench [-c CHANNEL]            CPU memcpy against engine copies,
 *                                           64 B .. 4 MiB, and the copybreak
 *   ioat-copy-bench [-c CHANNEL] --verify   byte-for-byte checks, 1 B .. 4 MiB,
 *                                           unaligned offsets, guard bytes
 *   ioat-copy-bench --efault                bad user pointers give EFAULT
 *
 * The engine time is what a caller sees: the ioctl pins both buffers, builds
 * the descriptors, waits for the completion interrupt and unpins.  The "hw"
 * column is the driver's own measure from the doorbell to the completion.
 * The copybreak is the smallest size from which the engine is faster at
 * every larger size, the trade-off the original I/OAT work tuned as
 * tcp_dma_copybreak.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ioat_copy.h"

#define MAX_SIZE	(4u << 20)
#define GUARD		4096
#define BENCH_NS	(40 * 1000 * 1000)	/* time spent per size and method */

static int fd;
static unsigned int channel;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int engine_copy(void *dst, const void *src, size_t len,
		       struct ioat_copy *out)
{
	struct ioat_copy req = {
		.dst = (uintptr_t)dst,
		.src = (uintptr_t)src,
		.len = len,
		.channel = channel,
	};

	if (ioctl(fd, IOAT_COPY_IOC_COPY, &req))
		return -errno;
	if (out)
		*out = req;
	return 0;
}

static void *alloc_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(p, 0x5a, len);	/* fault the pages in */
	return p;
}

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A memcpy the compiler cannot drop: its result counts as used. */
static void cpu_memcpy(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
	asm volatile("" : : "r"(dst) : "memory");
}

static int run_bench(void)
{
	char *src = alloc_buf(MAX_SIZE), *dst = alloc_buf(MAX_SIZE);
	size_t copybreak = 0, size;
	struct ioat_copy req;
	uint64_t t0, cpu, eng, hw;
	unsigned int n, i;
	int ret;

	printf("%9s %11s %9s %11s %9s %11s %7s\n", "size", "cpu_ns", "cpu_MB/s",
	       "engine_ns", "eng_MB/s", "hw_ns", "faster");
	for (size = 64; size <= MAX_SIZE; size *= 2) {
		cpu_memcpy(dst, src, size);
		t0 = now_ns();
		for (n = 0; now_ns() - t0 < BENCH_NS || n < 3; n++)
			cpu_memcpy(dst, src, size);
		cpu = (now_ns() - t0) / n;

		ret = engine_copy(dst, src, size, &req);
		if (ret) {
			fprintf(stderr, "copy of %zu bytes: %s\n", size,
				strerror(-ret));
			return 1;
		}
		hw = 0;
		t0 = now_ns();
		for (n = 0; now_ns() - t0 < BENCH_NS || n < 3; n++) {
			engine_copy(dst, src, size, &req);
			hw += req.ns;
		}
		eng = (now_ns() - t0) / n;
		hw /= n;

		printf("%9zu %11llu %9.1f %11llu %9.1f %11llu %7s\n", size,
		       (unsigned long long)cpu, size * 1e3 / cpu,
		       (unsigned long long)eng, size * 1e3 / eng,
		       (unsigned long long)hw, eng < cpu ? "engine" : "cpu");
		if (eng >= cpu)
			copybreak = 0;
		else if (!copybreak)
			copybreak = size;
	}
	for (i = 0; i < MAX_SIZE; i++)
		if (dst[i] != src[i])
			break;
	if (i != MAX_SIZE) {
		fprintf(stderr, "last copy differs at byte %u\n", i);
		return 1;
	}
	if (copybreak)
		printf("copybreak: %zu bytes (the engine is faster from here up to %u)\n",
		       copybreak, MAX_SIZE);
	else
		printf("copybreak: none (the CPU is faster up to %u bytes)\n",
		       MAX_SIZE);
	return 0;
}

static void fill(unsigned char *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* The first byte of @p[0..len) that is not @c, or -1. */
static ssize_t not_byte(const unsigned char *p, size_t len, unsigned char c)
{
	static unsigned char same[2 * GUARD];
	size_t i;

	if (same[0] != c)
		memset(same, c, sizeof(same));
	if (len <= sizeof(same) && !memcmp(p, same, len))
		return -1;
	for (i = 0; i < len; i++)
		if (p[i] != c)
			return i;
	return -1;
}

/*
 * Copy @size bytes from src + @soff to dst + @doff, both inside guard
 * zones, and check the copy, the guards and the source byte for byte.
 */
static int verify_one(unsigned char *src, unsigned char *dst,
		      unsigned char *ref, size_t size, size_t soff, size_t doff)
{
	size_t span = GUARD + size + GUARD + GUARD;
	unsigned char *s = src + GUARD + soff, *d = dst + GUARD + doff;
	ssize_t bad;
	size_t i;
	int ret;

	fill(src, span, size * 31 + soff);
	memcpy(ref, src, span);
	memset(dst, 0xa5, span);

	ret = engine_copy(d, s, size, NULL);
	if (ret) {
		printf("FAIL size %zu src+%zu dst+%zu: %s\n", size, soff, doff,
		       strerror(-ret));
		return 1;
	}
	if (memcmp(src, ref, span)) {
		printf("FAIL size %zu src+%zu dst+%zu: source changed\n",
		       size, soff, doff);
		return 1;
	}
	bad = not_byte(dst, d - dst, 0xa5);
	if (bad >= 0) {
		printf("FAIL size %zu src+%zu dst+%zu: guard byte %zd before the copy changed\n",
		       size, soff, doff, (ssize_t)(d - dst) - bad);
		return 1;
	}
	bad = not_byte(d + size, dst + span - (d + size), 0xa5);
	if (bad >= 0) {
		printf("FAIL size %zu src+%zu dst+%zu: guard byte %zd after the copy changed\n",
		       size, soff, doff, bad);
		return 1;
	}
	if (memcmp(d, s, size)) {
		for (i = 0; d[i] == s[i]; i++)
			;
		printf("FAIL size %zu src+%zu dst+%zu: byte %zu is %#x, want %#x\n",
		       size, soff, doff, i, d[i], s[i]);
		return 1;
	}
	return 0;
}

static int run_verify(void)
{
	static const size_t sizes[] = {
		1, 2, 3, 7, 8, 15, 63, 64, 65, 511, 1000, 4095, 4096, 4097,
		8191, 12289, 65536, 65543, 262143, 1048575, 1048576, 1048577,
		2097165, 3 << 20, 4194303, 4194304,
	};
	static const size_t offs[][2] = {
		{ 0, 0 }, { 1, 0 }, { 0, 7 }, { 3, 4093 }, { 4095, 1 },
	};
	size_t span = GUARD + MAX_SIZE + 2 * GUARD;
	unsigned char *src = alloc_buf(span), *dst = alloc_buf(span);
	unsigned char *ref = alloc_buf(span);
	unsigned int i, j, runs = 0, failures = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			failures += verify_one(src, dst, ref, sizes[i],
					       offs[j][0], offs[j][1]);
			runs++;
		}
	}
	printf("verify: channel %u, %u copies of 1..%u bytes, %u failures\n",
	       channel, runs, MAX_SIZE, failures);
	return failures != 0;
}

static int expect_efault(const char *what, void *dst, const void *src,
			 size_t len)
{
	int ret = engine_copy(dst, src, len, NULL);

	printf("efault %-28s %s (%s)\n", what, ret == -EFAULT ? "ok" : "FAIL",
	       ret ? strerror(-ret) : "copied");
	return ret != -EFAULT;
}

static int run_efault(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = alloc_buf(4 * page), *gone, *ro, *half;
	void *kernel = (void *)0xffff888000000000ull;
	int failures = 0;

	/* PROT_NONE keeps the range reserved, so no later mmap lands there. */
	gone = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	half = alloc_buf(2 * page);
	mprotect(half + page, page, PROT_NONE);

	failures += expect_efault("null-source", buf, NULL, 64);
	failures += expect_efault("null-destination", NULL, buf, 64);
	failures += expect_efault("inaccessible-source", buf, gone, 64);
	failures += expect_efault("inaccessible-destination", gone, buf, 64);
	failures += expect_efault("read-only-destination", ro, buf, 64);
	failures += expect_efault("kernel-source", buf, kernel, 64);
	failures += expect_efault("kernel-destination", kernel, buf, 64);
	failures += expect_efault("source-runs-off-mapping", buf, half,
				  2 * page);
	failures += expect_efault("wrapping-range", buf,
				  (void *)(uintptr_t)-page, 2 * page);
	errno = 0;
	if (ioctl(fd, IOAT_COPY_IOC_COPY, NULL) == 0 || errno != EFAULT) {
		printf("efault %-28s FAIL (%s)\n", "bad-ioctl-argument",
		       strerror(errno));
		failures++;
	} else {
		printf("efault %-28s ok\n", "bad-ioctl-argument");
	}
	/* The engine still works afterwards. */
	if (engine_copy(buf + 2 * page, buf, page, NULL) ||
	    memcmp(buf, buf + 2 * page, page)) {
		printf("efault %-28s FAIL\n", "copy-after-faults");
		failures++;
	}
	printf("efault: %d failures\n", failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	enum { MODE_BENCH, MODE_VERIFY, MODE_EFAULT } mode = MODE_BENCH;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verify")) {
			mode = MODE_VERIFY;
		} else if (!strcmp(argv[i], "--efault")) {
			mode = MODE_EFAULT;
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			channel = strtoul(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: %s [-c CHANNEL] [--verify | --efault]\n",
				argv[0]);
			return 2;
		}
	}

	fd = open(IOAT_COPY_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(IOAT_COPY_DEVICE);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	switch (mode) {
	case MODE_VERIFY:
		return run_verify();
	case MODE_EFAULT:
		return run_efault();
	default:
		return run_bench();
	}
}
