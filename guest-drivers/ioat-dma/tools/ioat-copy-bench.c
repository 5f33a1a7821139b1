// SPDX-License-Identifier: GPL-2.0
/*
 * ioat-copy-bench: exercise /dev/ioat-copy (the ioat_dma driver's user-space
 * copy and fill interface).
 *
 *   ioat-copy-bench [-c CHANNEL]            CPU memcpy against engine copies
 *                                           and CPU memset against engine
 *                                           fills, 64 B .. 4 MiB, and the
 *                                           copybreak
 *   ioat-copy-bench [-c CHANNEL] --verify   byte-for-byte checks, 1 B .. 4 MiB,
 *                                           unaligned offsets, guard bytes
 *   ioat-copy-bench [-c CHANNEL] --verify-fill
 *                                           the same for fills of a 64-bit
 *                                           pattern
 *   ioat-copy-bench --efault                bad user pointers give EFAULT
 *   ioat-copy-bench --efault-fill           bad fill destinations give EFAULT
 *   ioat-copy-bench --fill-args             bad fill arguments give EINVAL
 *                                           or E2BIG
 *   ioat-copy-bench --fill-unsupported      fills give EOPNOTSUPP (for a
 *                                           device without block fill)
 *   ioat-copy-bench [-c CHANNEL] --latency [COPIES]
 *                                           COPIES (default 2000) copies of
 *                                           64 bytes one at a time: the
 *                                           10th, 50th and 90th percentile
 *                                           of the driver's doorbell to
 *                                           interrupt and doorbell to
 *                                           completion times and of the
 *                                           whole ioctl
 *
 * The engine time is what a caller sees: the ioctl pins the buffers, builds
 * the descriptors, waits for the completion interrupt and unpins.  The "hw"
 * column is the driver's own measure from the doorbell to the completion.
 * The copybreak is the smallest size from which the engine is faster at
 * every larger size, the trade-off the original I/OAT work tuned as
 * tcp_dma_copybreak.  The last two columns are the same race for filling:
 * CPU memset against the engine's block fill (- if the device has none).
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

static int engine_fill(void *dst, uint64_t pattern, size_t len,
		       struct ioat_fill *out)
{
	struct ioat_fill req = {
		.dst = (uintptr_t)dst,
		.pattern = pattern,
		.len = len,
		.channel = channel,
	};

	if (ioctl(fd, IOAT_COPY_IOC_FILL, &req))
		return -errno;
	if (out)
		*out = req;
	return 0;
}

/* Byte @k of a fill of @pattern: little-endian, from the first byte. */
static unsigned char pattern_byte(uint64_t pattern, size_t k)
{
	return pattern >> (8 * (k % 8));
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

/* A memset the compiler cannot drop. */
static void cpu_memset(void *dst, int c, size_t len)
{
	memset(dst, c, len);
	asm volatile("" : : "r"(dst) : "memory");
}

#define FILL_PATTERN	0x0101010101010101ull

/*
 * The fill columns for @size: CPU memset and engine fill, in ns per
 * operation (*@fill 0 if the device has no block fill).  Returns 0 or the
 * fill's error.
 */
static int bench_fill(char *dst, size_t size, uint64_t *cpu, uint64_t *fill)
{
	uint64_t t0;
	unsigned int n;
	int ret;

	cpu_memset(dst, 0x11, size);
	t0 = now_ns();
	for (n = 0; now_ns() - t0 < BENCH_NS || n < 3; n++)
		cpu_memset(dst, 0x11, size);
	*cpu = (now_ns() - t0) / n;

	*fill = 0;
	ret = engine_fill(dst, FILL_PATTERN * 0x22, size, NULL);
	if (ret == -EOPNOTSUPP)
		return 0;
	if (ret)
		return ret;
	t0 = now_ns();
	for (n = 0; now_ns() - t0 < BENCH_NS || n < 3; n++)
		engine_fill(dst, FILL_PATTERN * 0x22, size, NULL);
	*fill = (now_ns() - t0) / n;
	return 0;
}

static int run_bench(void)
{
	char *src = alloc_buf(MAX_SIZE), *dst = alloc_buf(MAX_SIZE);
	char *fdst = alloc_buf(MAX_SIZE);
	size_t copybreak = 0, size;
	struct ioat_copy req;
	uint64_t t0, cpu, eng, hw, cpu_set, fill;
	char fill_col[16];
	unsigned int n, i;
	int ret;

	printf("%9s %11s %9s %11s %9s %11s %7s %11s %9s\n", "size", "cpu_ns",
	       "cpu_MB/s", "engine_ns", "eng_MB/s", "hw_ns", "faster",
	       "memset_MB/s", "fill_MB/s");
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

		ret = bench_fill(fdst, size, &cpu_set, &fill);
		if (ret) {
			fprintf(stderr, "fill of %zu bytes: %s\n", size,
				strerror(-ret));
			return 1;
		}
		if (fill)
			snprintf(fill_col, sizeof(fill_col), "%.1f",
				 size * 1e3 / fill);
		else
			strcpy(fill_col, "-");

		printf("%9zu %11llu %9.1f %11llu %9.1f %11llu %7s %11.1f %9s\n",
		       size, (unsigned long long)cpu, size * 1e3 / cpu,
		       (unsigned long long)eng, size * 1e3 / eng,
		       (unsigned long long)hw, eng < cpu ? "engine" : "cpu",
		       size * 1e3 / cpu_set, fill_col);
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
	for (i = 0; fill && i < MAX_SIZE; i++)
		if (fdst[i] != 0x22)
			break;
	if (fill && i != MAX_SIZE) {
		fprintf(stderr, "last fill differs at byte %u\n", i);
		return 1;
	}
	if (!fill)
		printf("fill: not supported by the device\n");
	if (copybreak)
		printf("copybreak: %zu bytes (the engine is faster from here up to %u)\n",
		       copybreak, MAX_SIZE);
	else
		printf("copybreak: none (the CPU is faster up to %u bytes)\n",
		       MAX_SIZE);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The @pct-th percentile of the @n sorted values @v (nearest rank). */
static uint64_t percentile(const uint64_t *v, unsigned int n, unsigned int pct)
{
	unsigned int rank = (n * pct + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

#define LATENCY_SIZE	64

/*
 * @copies copies of 64 bytes, each waited for before the next: the
 * distribution of the driver's doorbell-to-interrupt time (the device, the
 * message, the vCPU taking it), of its doorbell-to-completion time (and
 * the tasklet that reaps the ring and calls back), and of the whole ioctl
 * (pinning, descriptor, doorbell, interrupt, wake-up, unpinning); a copy
 * that completed without an interrupt counts 0 in the first.  Percentiles,
 * not means: under TCG a few copies take milliseconds.
 */
static int run_latency(unsigned int copies)
{
	char *src = alloc_buf(4096), *dst = alloc_buf(4096);
	uint64_t *hw = calloc(copies, sizeof(*hw));
	uint64_t *irq = calloc(copies, sizeof(*irq));
	uint64_t *call = calloc(copies, sizeof(*call));
	struct ioat_copy req;
	unsigned int i;
	uint64_t t0;
	int ret;

	if (!hw || !irq || !call) {
		perror("calloc");
		return 2;
	}
	ret = engine_copy(dst, src, LATENCY_SIZE, NULL);	/* warm up */
	for (i = 0; !ret && i < copies; i++) {
		t0 = now_ns();
		ret = engine_copy(dst, src, LATENCY_SIZE, &req);
		call[i] = now_ns() - t0;
		hw[i] = req.ns;
		irq[i] = req.irq_ns;
	}
	if (ret) {
		fprintf(stderr, "copy of %u bytes: %s\n", LATENCY_SIZE,
			strerror(-ret));
		return 1;
	}
	qsort(hw, copies, sizeof(*hw), cmp_u64);
	qsort(irq, copies, sizeof(*irq), cmp_u64);
	qsort(call, copies, sizeof(*call), cmp_u64);
	printf("%-8s %5s %6s %9s %9s %9s\n", "latency", "size", "copies",
	       "p10_ns", "p50_ns", "p90_ns");
	printf("%-8s %5u %6u %9llu %9llu %9llu\n", "hw", LATENCY_SIZE, copies,
	       (unsigned long long)percentile(hw, copies, 10),
	       (unsigned long long)percentile(hw, copies, 50),
	       (unsigned long long)percentile(hw, copies, 90));
	printf("%-8s %5u %6u %9llu %9llu %9llu\n", "irq", LATENCY_SIZE,
	       copies, (unsigned long long)percentile(irq, copies, 10),
	       (unsigned long long)percentile(irq, copies, 50),
	       (unsigned long long)percentile(irq, copies, 90));
	printf("%-8s %5u %6u %9llu %9llu %9llu\n", "ioctl", LATENCY_SIZE,
	       copies, (unsigned long long)percentile(call, copies, 10),
	       (unsigned long long)percentile(call, copies, 50),
	       (unsigned long long)percentile(call, copies, 90));
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

/* A pattern of 8 different bytes, none of them the guard byte 0xa5. */
static uint64_t fill_pattern(uint32_t seed)
{
	unsigned char b[8];
	uint64_t pattern = 0;
	int i;

	fill(b, sizeof(b), seed);
	for (i = 7; i >= 0; i--) {
		b[i] = (b[i] & 0xf0) | i;
		if (b[i] == 0xa5)
			b[i] ^= 0x80;
		pattern = pattern << 8 | b[i];
	}
	return pattern;
}

/*
 * Fill @size bytes at dst + @doff, inside guard zones, and check every
 * byte of the fill against the pattern and the guards around it.
 */
static int verify_fill_one(unsigned char *dst, size_t size, size_t doff)
{
	size_t span = GUARD + size + GUARD + GUARD;
	uint64_t pattern = fill_pattern(size * 31 + doff);
	unsigned char *d = dst + GUARD + doff;
	ssize_t bad;
	size_t i;
	int ret;

	memset(dst, 0xa5, span);
	ret = engine_fill(d, pattern, size, NULL);
	if (ret) {
		printf("FAIL fill size %zu dst+%zu: %s\n", size, doff,
		       strerror(-ret));
		return 1;
	}
	bad = not_byte(dst, d - dst, 0xa5);
	if (bad >= 0) {
		printf("FAIL fill size %zu dst+%zu: guard byte %zd before the fill changed\n",
		       size, doff, (ssize_t)(d - dst) - bad);
		return 1;
	}
	bad = not_byte(d + size, dst + span - (d + size), 0xa5);
	if (bad >= 0) {
		printf("FAIL fill size %zu dst+%zu: guard byte %zd after the fill changed\n",
		       size, doff, bad);
		return 1;
	}
	for (i = 0; i < size; i++) {
		if (d[i] != pattern_byte(pattern, i)) {
			printf("FAIL fill size %zu dst+%zu: byte %zu is %#x, want %#x (%#llx)\n",
			       size, doff, i, d[i], pattern_byte(pattern, i),
			       (unsigned long long)pattern);
			return 1;
		}
	}
	return 0;
}

static int run_verify_fill(void)
{
	static const size_t sizes[] = {
		1, 2, 3, 5, 7, 8, 9, 15, 17, 63, 64, 65, 511, 1000, 4093,
		4095, 4096, 4097, 8191, 12289, 65536, 65543, 262143, 1048575,
		1048576, 1048577, 2097165, 3 << 20, 4194303, 4194304,
	};
	static const size_t offs[] = { 0, 1, 3, 7, 4093, 4095 };
	size_t span = GUARD + MAX_SIZE + 2 * GUARD;
	unsigned char *dst = alloc_buf(span);
	unsigned int i, j, runs = 0, failures = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			failures += verify_fill_one(dst, sizes[i], offs[j]);
			runs++;
		}
	}
	printf("verify-fill: channel %u, %u fills of 1..%u bytes, %u failures\n",
	       channel, runs, MAX_SIZE, failures);
	return failures != 0;
}

static int expect_fill_error(const char *what, int want, void *dst,
			     size_t len)
{
	int ret = engine_fill(dst, FILL_PATTERN * 0x3c, len, NULL);

	printf("fill %-28s %s (%s)\n", what, ret == want ? "ok" : "FAIL",
	       ret ? strerror(-ret) : "filled");
	return ret != want;
}

static int run_efault_fill(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = alloc_buf(2 * page), *gone, *unmapped, *ro, *half;
	void *kernel = (void *)0xffff888000000000ull;
	int failures = 0;
	long i;

	gone = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	half = alloc_buf(2 * page);
	mprotect(half + page, page, PROT_NONE);
	/* The middle page of three: a hole between two PROT_NONE pages. */
	unmapped = mmap(NULL, 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	unmapped += page;
	munmap(unmapped, page);

	/* msync() fails with ENOMEM on a range that is not mapped. */
	if (msync(unmapped, page, MS_ASYNC) == 0 || errno != ENOMEM) {
		printf("fill %-28s FAIL (the hole got mapped)\n",
		       "unmapped-destination");
		failures++;
	} else {
		failures += expect_fill_error("unmapped-destination", -EFAULT,
					      unmapped, 64);
	}
	failures += expect_fill_error("null-destination", -EFAULT, NULL, 64);
	failures += expect_fill_error("inaccessible-destination", -EFAULT,
				      gone, 64);
	failures += expect_fill_error("read-only-destination", -EFAULT, ro, 64);
	failures += expect_fill_error("kernel-destination", -EFAULT, kernel, 64);
	failures += expect_fill_error("destination-runs-off-mapping", -EFAULT,
				      half + 1, 2 * page - 1);
	failures += expect_fill_error("wrapping-range", -EFAULT,
				      (void *)(uintptr_t)-page, 2 * page);
	errno = 0;
	if (ioctl(fd, IOAT_COPY_IOC_FILL, NULL) == 0 || errno != EFAULT) {
		printf("fill %-28s FAIL (%s)\n", "bad-ioctl-argument",
		       strerror(errno));
		failures++;
	} else {
		printf("fill %-28s ok\n", "bad-ioctl-argument");
	}
	/* Nothing was written where the fill failed part-way, and the engine still works. */
	for (i = 0; i < page; i++)
		if (half[i] != 0x5a)
			break;
	if (i != page) {
		printf("fill %-28s FAIL (byte %ld changed)\n",
		       "failed-fill-wrote-nothing", i);
		failures++;
	}
	if (engine_fill(buf, FILL_PATTERN * 0x3c, page, NULL) ||
	    not_byte((unsigned char *)buf, page, 0x3c) >= 0) {
		printf("fill %-28s FAIL\n", "fill-after-faults");
		failures++;
	}
	printf("efault-fill: %d failures\n", failures);
	return failures != 0;
}

/* The argument checks the fill ioctl shares with the copy ioctl. */
struct fill_args_case {
	const char *what;
	int want;
	struct ioat_fill req;
};

static const struct fill_args_case fill_args_cases[] = {
	{ "flags", EINVAL, { .len = 64, .flags = 1 } },
	{ "irq-ns-not-zero", EINVAL, { .len = 64, .irq_ns = 1 } },
	{ "channel", EINVAL, { .len = 64, .channel = 1000 } },
	{ "too-long", E2BIG, { .len = IOAT_COPY_MAX_LEN + 1 } },
	{ "zero-length", 0, { .len = 0 } },
};

static int run_fill_args(void)
{
	const struct fill_args_case *c;
	char *buf = alloc_buf(4096);
	struct ioat_fill req;
	int failures = 0, err, bad;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fill_args_cases); i++) {
		c = &fill_args_cases[i];
		req = c->req;
		req.dst = (uintptr_t)buf;
		err = ioctl(fd, IOAT_COPY_IOC_FILL, &req) ? errno : 0;
		bad = err != c->want;
		printf("fill-args %-16s %s (%s)\n", c->what, bad ? "FAIL" : "ok",
		       err ? strerror(err) : "accepted");
		failures += bad;
	}
	if (not_byte((unsigned char *)buf, 4096, 0x5a) >= 0) {
		printf("fill-args %-16s FAIL\n", "wrote-nothing");
		failures++;
	}
	printf("fill-args: %d failures\n", failures);
	return failures != 0;
}

/* A device without block fill: every fill, even an empty one, is refused. */
static int run_fill_unsupported(void)
{
	char *buf = alloc_buf(4096);
	int failures = 0;

	failures += expect_fill_error("unsupported", -EOPNOTSUPP, buf, 64);
	failures += expect_fill_error("unsupported-zero-length", -EOPNOTSUPP,
				      buf, 0);
	if (not_byte((unsigned char *)buf, 4096, 0x5a) >= 0) {
		printf("fill %-28s FAIL\n", "unsupported-wrote-nothing");
		failures++;
	}
	printf("fill-unsupported: %d failures\n", failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	enum {
		MODE_BENCH, MODE_VERIFY, MODE_VERIFY_FILL, MODE_EFAULT,
		MODE_EFAULT_FILL, MODE_FILL_ARGS, MODE_FILL_UNSUPPORTED,
		MODE_LATENCY,
	} mode = MODE_BENCH;
	unsigned int copies = 2000;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verify")) {
			mode = MODE_VERIFY;
		} else if (!strcmp(argv[i], "--verify-fill")) {
			mode = MODE_VERIFY_FILL;
		} else if (!strcmp(argv[i], "--efault")) {
			mode = MODE_EFAULT;
		} else if (!strcmp(argv[i], "--efault-fill")) {
			mode = MODE_EFAULT_FILL;
		} else if (!strcmp(argv[i], "--fill-args")) {
			mode = MODE_FILL_ARGS;
		} else if (!strcmp(argv[i], "--fill-unsupported")) {
			mode = MODE_FILL_UNSUPPORTED;
		} else if (!strcmp(argv[i], "--latency")) {
			mode = MODE_LATENCY;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				copies = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			channel = strtoul(argv[++i], NULL, 0);
		} else {
			copies = 0;
		}
		if (!copies) {
			fprintf(stderr, "usage: %s [-c CHANNEL] [--verify | --verify-fill |\n"
				"       --efault | --efault-fill | --fill-args |\n"
				"       --fill-unsupported | --latency [COPIES]]\n",
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
	case MODE_VERIFY_FILL:
		return run_verify_fill();
	case MODE_EFAULT:
		return run_efault();
	case MODE_EFAULT_FILL:
		return run_efault_fill();
	case MODE_FILL_ARGS:
		return run_fill_args();
	case MODE_FILL_UNSUPPORTED:
		return run_fill_unsupported();
	case MODE_LATENCY:
		return run_latency(copies);
	default:
		return run_bench();
	}
}
