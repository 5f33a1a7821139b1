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

int main(int argc, char **argv)
{
    size_t span, size, blocks, i;
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
            double t = now(), gbs;

            for (i = 0; i < blocks; i++) {
                memcpy(dst + i * size, src + i * size, size);
            }
            /* Keep the compiler from dropping the copies. */
            __asm__ volatile("" : : "r"(dst) : "memory");
            t = now() - t;
            gbs = blocks * size / t / 1e9;
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
