/*
 * CPU memcpy throughput, the reference for benchmarks/dma-throughput.
 * Built twice by that script: for the host (the physical limit) and
 * statically for the guest (the copy done by the vCPU under TCG).
 *
 * Usage: memcpy_bench SPAN_MIB REPS SIZE...
 *
 * For each SIZE it copies min(SPAN / SIZE, 8192) blocks of SIZE bytes,
 * block i from src + i * SIZE to dst + i * SIZE, exactly the work
 * benchmarks/dma_qtest_bench.py gives the DMA engine, and prints the best
 * of REPS runs as "memcpy SIZE BLOCKS GB/s" (GB = 10^9 bytes).
 *
 * Built with -DMEMCPY_BENCH_LIB -shared it is instead a library for
 * dma_qtest_bench.py, which times one pass right before each engine run:
 * memcpy_bench_pass(SPAN_MIB, SIZE) returns the GB/s of one pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BLOCKS 8192

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One pass of the copies of @size bytes over @src/@dst of @span bytes */
static double pass(unsigned char *src, unsigned char *dst, size_t span,
                   size_t size)
{
    size_t blocks = span / size < MAX_BLOCKS ? span / size : MAX_BLOCKS, i;
    double t = now();

    for (i = 0; i < blocks; i++) {
        memcpy(dst + i * size, src + i * size, size);
    }
    /* Keep the compiler from dropping the copies. */
    __asm__ volatile("" : : "r"(dst) : "memory");
    return blocks * size / (now() - t) / 1e9;
}

#ifdef MEMCPY_BENCH_LIB
double memcpy_bench_pass(unsigned span_mib, size_t size);

double memcpy_bench_pass(unsigned span_mib, size_t size)
{
    static unsigned char *src, *dst;
    static size_t span;

    if (span != (size_t)span_mib << 20) {
        free(src);
        free(dst);
        span = (size_t)span_mib << 20;
        src = malloc(span);
        dst = malloc(span);
        if (!src || !dst) {
            span = 0;
            return -1;
        }
        memset(src, 0x5a, span);
        memset(dst, 0, span);
    }
    if (size == 0 || size > span) {
        return -1;
    }
    return pass(src, dst, span, size);
}
#else
int main(int argc, char **argv)
{
    size_t span, size, blocks;
    unsigned char *src, *dst;
    unsigned sum = 0;
    int reps, rep, k;

    if (argc < 4) {
        fprintf(stderr, "usage: %s SPAN_MIB REPS SIZE...\n", argv[0]);
        return 2;
    }
    span = strtoull(argv[1], NULL, 0) << 20;
    reps = atoi(argv[2]);
    src = malloc(span);
    dst = malloc(span);
    if (!src || !dst || reps < 1) {
        fprintf(stderr, "%s: cannot allocate 2 x %zu bytes\n", argv[0], span);
        return 1;
    }
    /* Touch every page first so page faults are not timed. */
    memset(src, 0x5a, span);
    memset(dst, 0, span);

    for (k = 3; k < argc; k++) {
        double best = 0;

        size = strtoull(argv[k], NULL, 0);
        if (size == 0 || size > span) {
            fprintf(stderr, "%s: bad size %s\n", argv[0], argv[k]);
            return 2;
        }
        blocks = span / size < MAX_BLOCKS ? span / size : MAX_BLOCKS;
        for (rep = 0; rep < reps; rep++) {
            double gbs = pass(src, dst, span, size);

            if (gbs > best) {
                best = gbs;
            }
        }
        sum += dst[blocks * size - 1];
        printf("memcpy %zu %zu %.3f\n", size, blocks, best);
        fflush(stdout);
    }
    return sum == 0;    /* the source is 0x5a everywhere */
}
#endif
