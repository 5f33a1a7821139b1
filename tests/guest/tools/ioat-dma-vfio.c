// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ioat-dma-vfio: drive channel 0 of ioat-dma (Crystal Beach 3.4, 8086:0B00)
 * from user space through vfio-pci, the way a polled user-space driver
 * (SPDK, DPDK) does, with every address the engine sees an IOVA that the
 * IOMMU translates.
 *
 * Usage: ioat-dma-vfio [-n COPIES] [-s SEED] BDF       (e.g. 0000:00:02.0)
 *
 * The function must be bound to vfio-pci, alone in its IOMMU group, behind
 * an IOMMU with interrupt remapping (vfio's type1 backend wants it).  The
 * tool opens the container, the group and the device, maps BAR0 and maps
 * its own memory at IOVAs it chooses, far above guest RAM, so that a DMA
 * that bypassed translation could not land on it.  IOVA_HOLE and the
 * addresses around it are never mapped: the engine's accesses there fault
 * in the IOMMU.
 *
 * Registers and descriptors: docs/system/devices/ioat-dma.rst and
 * hw/dma/ioat_dma_regs.h (bit names of Linux's drivers/dma/ioat).
 *  - Channel n's registers at 0x80 * (n + 1); CHANSTS bits 2:0 are the
 *    state, the rest the address of the last completed descriptor.
 *  - A descriptor with compl_write stores "address | state" at CHANCMP.
 *  - An error halts the channel with one CHANERR bit; with
 *    ANY_ERR_ABORT_EN the record becomes "last completed | HALTED" (3 if
 *    none completed since CHAINADDR), with ERR_INT_EN the channel's MSI-X
 *    vector fires.  Nothing after the failing descriptor runs.
 *  - Recovery (DPDK's): CHANERR written back (W1C), CHANCMD.RESET,
 *    CHANCMP, CHAINADDR at the descriptor to resume from; CHANSTS then
 *    reads exactly ARMED and DMACOUNT counts ring slots from 0 there.
 *
 * Output, one line per check: "PASS <check>", "FAIL <check> <detail>" or
 * "INFO <text>".  Setup failures end the run; the channel checks go on
 * after a failure (the channel is reset).  Every poll has a time limit.
 * Exit status 0 only if every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* Global registers (BAR0 offsets) */
#define CHANCNT             0x00        /* bits 4:0 */
#define XFERCAP             0x01        /* log2 of the largest transfer */
#define INTRCTRL            0x03
#define  INTRCTRL_MASTER_EN 0x01
#define ATTNSTATUS          0x04        /* a bit per channel; read clears */
#define CBVER               0x08
#define DMACAPABILITY       0x10
#define  DMACAP_BLOCK_FILL  (1u << 6)
/* Channel 0's registers */
#define CH                  0x80
#define CHANCTRL            (CH + 0x00) /* 16-bit */
#define  CHANCTRL_INT_REARM 0x0001
#define  CHANCTRL_ERR_COMPL 0x0004      /* ERR_COMPLETION_EN */
#define  CHANCTRL_ABORT     0x0008      /* ANY_ERR_ABORT_EN */
#define  CHANCTRL_ERR_INT   0x0010      /* ERR_INT_EN */
#define CHANCMD             (CH + 0x04) /* 8-bit */
#define  CHANCMD_RESET      0x20
#define DMACOUNT            (CH + 0x06) /* 16-bit doorbell, ring slots */
#define CHANSTS             (CH + 0x08) /* 64-bit */
#define  STS_ACTIVE         0
#define  STS_DONE           1
#define  STS_HALTED         3
#define  STS_ARMED          4
#define  STS_STATE(v)       ((v) & 7)
#define  STS_ADDR(v)        ((v) & ~0x3full)
#define CHAINADDR           (CH + 0x10) /* 64-bit */
#define CHANCMP             (CH + 0x18) /* 64-bit, 8-byte aligned */
#define CHANERR             (CH + 0x28) /* 32-bit, write 1 to clear */
#define  ERR_NEXT_ADDR      0x0004
#define  ERR_CHAIN_ADDR     0x0010
#define  ERR_READ_DATA      0x0100
#define  ERR_WRITE_DATA     0x0200
#define  ERR_COMPL_ADDR     0x1000

/* Descriptor control (dword 1) */
#define CTL_COMPL_WRITE     (1u << 3)
#define CTL_OP_COPY         (0x00u << 24)
#define CTL_OP_FILL         (0x01u << 24)

/* 64 bytes, 64-byte aligned, little-endian; a fill's src is the pattern. */
typedef struct {
    uint32_t size;
    uint32_t ctl;
    uint64_t src;
    uint64_t dst;
    uint64_t next;
    uint64_t rsvd[4];
} Desc;
_Static_assert(sizeof(Desc) == 64, "descriptor size");

#define PCI_COMMAND         0x04
#define  PCI_COMMAND_MEMORY 0x2
#define  PCI_COMMAND_MASTER 0x4
#define BAR0_SIZE           0x4000
#define REGS_SIZE           0x2000      /* MSI-X table and PBA follow */

/* Memory: one mapping each, at IOVAs unrelated to guest-physical ones */
#define NDESC               256
#define RING_SIZE           (NDESC * sizeof(Desc))
#define SRC_SIZE            (2u << 20)
#define DST_SIZE            (2u << 20)
#define PAGE                4096u
#define IOVA_BASE           0x4200000000ull     /* 264 GiB: no RAM there */
#define IOVA_RING           (IOVA_BASE + 0x000000)
#define IOVA_CMP            (IOVA_BASE + 0x100000)
#define IOVA_SRC            (IOVA_BASE + 0x200000)
#define IOVA_DST            (IOVA_BASE + 0x400000)
#define IOVA_RO             (IOVA_BASE + 0x600000)  /* device may only read */
#define IOVA_HOLE           (IOVA_BASE + 0x800000)  /* never mapped */
/* The error tests' buffers, in the last 64 KiB of src and dst */
#define ERR_OFF             (SRC_SIZE - 0x10000)
#define ERR_LEN             200
#define POISON              0xd5
#define RECORD_NONE         0xffffffffffffffffull

/* Time limits, milliseconds */
#define T_BATCH             10000
#define T_HALT              5000
#define T_IRQ               2000

static volatile uint8_t *regs;
static int dev_fd = -1, irq_fd = -1;
static Desc *ring;
static volatile uint64_t *record;
static uint8_t *src, *dst, *ro;
static unsigned chain_slot;             /* the slot CHAINADDR names */
static uint16_t issued;                 /* slots rung since CHAINADDR */
static unsigned xfer_max, failures;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* Reporting */

static void pass(const char *check)
{
    printf("PASS %s\n", check);
    fflush(stdout);
}

static void __attribute__((format(printf, 2, 3)))
fail(const char *check, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL %s ", check);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    failures++;
}

static void __attribute__((format(printf, 1, 2))) info(const char *fmt, ...)
{
    va_list ap;

    printf("INFO ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* A setup step failed: nothing after it can run. */
#define FATAL(check, ...) do { fail(check, __VA_ARGS__); exit(1); } while (0)

/* "check" passes if cond, else fails with the detail. */
#define CHECK(check, cond, ...) \
    ((cond) ? (pass(check), true) : (fail(check, __VA_ARGS__), false))

/* Register access: one load or store of the register's width, uncached. */
static uint8_t rd8(unsigned off) { return regs[off]; }
static uint16_t rd16(unsigned off) { return *(volatile uint16_t *)(regs + off); }
static uint32_t rd32(unsigned off) { return *(volatile uint32_t *)(regs + off); }
static uint64_t rd64(unsigned off) { return *(volatile uint64_t *)(regs + off); }
static void wr8(unsigned off, uint8_t v) { regs[off] = v; }
static void wr16(unsigned off, uint16_t v) { *(volatile uint16_t *)(regs + off) = v; }
static void wr32(unsigned off, uint32_t v) { *(volatile uint32_t *)(regs + off) = v; }
static void wr64(unsigned off, uint64_t v) { *(volatile uint64_t *)(regs + off) = v; }

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = rnd() >> 56;
    }
}

/* First index in p[0, n) whose byte is not want, or -1. */
static long find_not(const uint8_t *p, size_t n, uint8_t want)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != want) {
            return i;
        }
    }
    return -1;
}

static long find_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (!memcmp(a, b, n)) {
        return -1;
    }
    for (size_t i = 0; ; i++) {
        if (a[i] != b[i]) {
            return i;
        }
    }
}

/* VFIO setup */

static void vfio_setup(const char *bdf)
{
    char path[256], link[256];
    struct vfio_group_status gs = { .argsz = sizeof(gs) };
    struct vfio_device_info di = { .argsz = sizeof(di) };
    struct vfio_region_info ri = { .argsz = sizeof(ri) };
    int container, group;
    ssize_t n;
    uint64_t cfg_off;
    uint16_t cmd;

    /* Container: the type1 IOMMU backend (DMA mappings, page pinning) */
    container = open("/dev/vfio/vfio", O_RDWR);
    if (container < 0) {
        FATAL("vfio-container", "/dev/vfio/vfio: %s", strerror(errno));
    }
    if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
        ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0) {
        FATAL("vfio-container", "no VFIO API %d with the type1 IOMMU",
              VFIO_API_VERSION);
    }
    pass("vfio-container");

    /* Group: the function's IOMMU group, viable when all of it is ours */
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
    n = readlink(path, link, sizeof(link) - 1);
    if (n < 0) {
        FATAL("vfio-group-viable", "%s: %s (no IOMMU?)", path,
              strerror(errno));
    }
    link[n] = 0;
    snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
    group = open(path, O_RDWR);
    if (group < 0) {
        FATAL("vfio-group-viable", "%s: %s", path, strerror(errno));
    }
    if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) < 0 ||
        !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
        FATAL("vfio-group-viable", "%s is not viable (flags 0x%x)", path,
              gs.flags);
    }
    pass("vfio-group-viable");
    info("IOMMU group %s", basename(link));

    if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0 ||
        ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0) {
        FATAL("vfio-iommu-type1", "%s", strerror(errno));
    }
    pass("vfio-iommu-type1");

    dev_fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    if (dev_fd < 0 || ioctl(dev_fd, VFIO_DEVICE_GET_INFO, &di) < 0 ||
        !(di.flags & VFIO_DEVICE_FLAGS_PCI) ||
        di.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
        FATAL("vfio-device", "%s: %s", bdf, strerror(errno));
    }
    pass("vfio-device");

    /* BAR0: 64-bit, 16 KiB; the registers are its first 8 KiB */
    ri.index = VFIO_PCI_BAR0_REGION_INDEX;
    if (ioctl(dev_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0) {
        FATAL("bar0-mapped", "region info: %s", strerror(errno));
    }
    if (ri.size != BAR0_SIZE || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
        FATAL("bar0-mapped", "BAR0 region: size 0x%llx flags 0x%x, want "
              "0x%x and mmap", (unsigned long long)ri.size, ri.flags,
              BAR0_SIZE);
    }
    regs = mmap(NULL, REGS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd,
                ri.offset);
    if (regs == MAP_FAILED) {
        FATAL("bar0-mapped", "mmap: %s", strerror(errno));
    }
    pass("bar0-mapped");

    /* Memory decoding and bus mastering, through vfio's config region */
    ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
    if (ioctl(dev_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0) {
        FATAL("pci-bus-master", "config region: %s", strerror(errno));
    }
    cfg_off = ri.offset;
    if (pread(dev_fd, &cmd, 2, cfg_off + PCI_COMMAND) != 2) {
        FATAL("pci-bus-master", "reading COMMAND: %s", strerror(errno));
    }
    cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    if (pwrite(dev_fd, &cmd, 2, cfg_off + PCI_COMMAND) != 2 ||
        pread(dev_fd, &cmd, 2, cfg_off + PCI_COMMAND) != 2 ||
        (cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) !=
        (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) {
        FATAL("pci-bus-master", "COMMAND reads 0x%04x", cmd);
    }
    pass("pci-bus-master");

    /* Memory at our IOVAs; the read-only page is one the device may read */
    struct { void **p; size_t size; uint64_t iova; uint32_t flags; } m[] = {
        { (void **)&ring, RING_SIZE, IOVA_RING,
          VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE },
        { (void **)&record, PAGE, IOVA_CMP,
          VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE },
        { (void **)&src, SRC_SIZE, IOVA_SRC,
          VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE },
        { (void **)&dst, DST_SIZE, IOVA_DST,
          VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE },
        { (void **)&ro, PAGE, IOVA_RO, VFIO_DMA_MAP_FLAG_READ },
    };
    for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
        void *p = mmap(NULL, m[i].size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

        if (p == MAP_FAILED) {
            FATAL("iova-mapped", "mmap %zu bytes: %s", m[i].size,
                  strerror(errno));
        }
        if (!(m[i].flags & VFIO_DMA_MAP_FLAG_WRITE)) {
            fill_random(p, m[i].size);  /* before the device may see it */
        }
        map.flags = m[i].flags;
        map.vaddr = (uintptr_t)p;
        map.iova = m[i].iova;
        map.size = m[i].size;
        if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) < 0) {
            FATAL("iova-mapped", "MAP_DMA at IOVA 0x%llx: %s",
                  (unsigned long long)m[i].iova, strerror(errno));
        }
        *m[i].p = p;
    }
    pass("iova-mapped");
}

/* The guest-physical address behind p (for the INFO line), or 0. */
static uint64_t phys_of(const void *p)
{
    uint64_t ent = 0;
    int fd = open("/proc/self/pagemap", O_RDONLY);

    if (fd >= 0) {
        if (pread(fd, &ent, 8, (uintptr_t)p / PAGE * 8) != 8) {
            ent = 0;
        }
        close(fd);
    }
    ent &= (1ull << 55) - 1;
    return ent ? ent * PAGE + (uintptr_t)p % PAGE : 0;
}

/* MSI-X vector 0 (channel 0's) signals an eventfd. */
static void irq_setup(void)
{
    struct vfio_irq_info ii = { .argsz = sizeof(ii),
                                .index = VFIO_PCI_MSIX_IRQ_INDEX };
    char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
    struct vfio_irq_set *set = (void *)buf;

    irq_fd = eventfd(0, EFD_NONBLOCK);
    if (irq_fd < 0 || ioctl(dev_fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) < 0 ||
        ii.count < 1) {
        FATAL("msix-eventfd", "no MSI-X vectors: %s", strerror(errno));
    }
    set->argsz = sizeof(buf);
    set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
    set->index = VFIO_PCI_MSIX_IRQ_INDEX;
    set->start = 0;
    set->count = 1;
    memcpy(set->data, &irq_fd, sizeof(int32_t));
    if (ioctl(dev_fd, VFIO_DEVICE_SET_IRQS, set) < 0) {
        FATAL("msix-eventfd", "SET_IRQS: %s", strerror(errno));
    }
    pass("msix-eventfd");
    info("MSI-X: %u vectors, vector 0 signals an eventfd", ii.count);
}

/* Interrupts signalled since the last call, waiting up to ms for one. */
static uint64_t irq_wait(unsigned ms)
{
    struct pollfd pfd = { .fd = irq_fd, .events = POLLIN };
    uint64_t n = 0;

    if (ms && poll(&pfd, 1, ms) <= 0) {
        return 0;
    }
    if (read(irq_fd, &n, 8) != 8) {
        return 0;
    }
    return n;
}

/* The ring: descriptor slots chained in a circle through next */

static uint64_t slot_iova(unsigned slot)
{
    return IOVA_RING + (uint64_t)(slot % NDESC) * sizeof(Desc);
}

static Desc *slot_desc(unsigned slot)
{
    return &ring[slot % NDESC];
}

/* The slot the k-th descriptor from now goes in. */
static unsigned free_slot(unsigned k)
{
    return (chain_slot + issued + k) % NDESC;
}

static void put(unsigned slot, uint32_t ctl, uint64_t s, uint64_t d,
                uint32_t len)
{
    Desc *x = slot_desc(slot);

    memset(x, 0, sizeof(*x));
    x->size = len;
    x->ctl = ctl;
    x->src = s;
    x->dst = d;
    x->next = slot_iova(slot + 1);
}

/* Hand n more slots to the engine: DMACOUNT counts from CHAINADDR. */
static void ring_doorbell(unsigned n)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* descriptors first */
    issued += n;
    wr16(DMACOUNT, issued);
}

/*
 * A new chain at slot (or at an arbitrary address when iova is non-zero):
 * CHANCMP, then CHAINADDR.  Returns CHANSTS, which must read ARMED (4).
 */
static uint64_t chain_start(unsigned slot, uint64_t iova)
{
    wr64(CHANCMP, IOVA_CMP);
    chain_slot = slot % NDESC;
    issued = 0;
    wr64(CHAINADDR, iova ? iova : slot_iova(slot));
    return rd64(CHANSTS);
}

/* CHANSTS once its state is not ACTIVE (or the last read after ms). */
static uint64_t wait_idle(unsigned ms)
{
    uint64_t deadline = now_ms() + ms, sts;

    while (STS_STATE(sts = rd64(CHANSTS)) == STS_ACTIVE &&
           now_ms() < deadline) {
        usleep(50);
    }
    return sts;
}

enum { DONE, HALTED, TIMEOUT };
static const char *const outcome[] = { "done", "halted", "timed out" };

/*
 * Poll the completion record until it names the descriptor at want with
 * ACTIVE or DONE; a halted channel (record or CHANSTS) ends the wait at
 * once, and so does the time limit.
 */
static int wait_record(uint64_t want, unsigned ms)
{
    uint64_t deadline = now_ms() + ms, r;
    unsigned spins = 0;
    bool late;

    do {
        late = now_ms() > deadline;
        r = *record;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* data after record */
        if (STS_ADDR(r) == want && STS_STATE(r) <= STS_DONE) {
            return DONE;
        }
        if ((r != RECORD_NONE && STS_STATE(r) == STS_HALTED) ||
            (++spins % 16 == 0 &&
             STS_STATE(rd64(CHANSTS)) == STS_HALTED)) {
            return HALTED;
        }
        usleep(20);
    } while (!late);
    return TIMEOUT;
}

/* After a failed check the channel is put back to a known state. */
static void chan_recover(void)
{
    wr32(CHANERR, rd32(CHANERR));
    wr8(CHANCMD, CHANCMD_RESET);
    chain_start(free_slot(0), 0);
    wr16(CHANCTRL, CHANCTRL_INT_REARM | CHANCTRL_ERR_COMPL |
                   CHANCTRL_ABORT | CHANCTRL_ERR_INT);
    irq_wait(0);
}

/* Identity and reset state */

static void identity_and_reset(void)
{
    uint8_t ver = rd8(CBVER), cnt = rd8(CHANCNT) & 0x1f;
    uint8_t xcap = rd8(XFERCAP) & 0x1f;
    uint32_t cap = rd32(DMACAPABILITY);
    uint64_t sts;

    info("CBVER 0x%02x, CHANCNT %u, XFERCAP %u, DMACAPABILITY 0x%x", ver,
         cnt, xcap, cap);
    if (ver != 0x34 || cnt < 1 || cnt > 4 || xcap < 12 || xcap > 30) {
        FATAL("device-identity", "CBVER 0x%02x CHANCNT %u XFERCAP %u", ver,
              cnt, xcap);
    }
    pass("device-identity");
    xfer_max = 1u << xcap;

    /* CHANCMD.RESET: HALTED with no error and no completed descriptor */
    wr16(CHANCTRL, CHANCTRL_ERR_COMPL | CHANCTRL_ABORT);
    wr8(CHANCMD, CHANCMD_RESET);
    sts = rd64(CHANSTS);
    CHECK("reset-halted", sts == STS_HALTED && rd32(CHANERR) == 0,
          "CHANSTS 0x%" PRIx64 " CHANERR 0x%x after RESET", sts,
          rd32(CHANERR));
    *record = RECORD_NONE;
    sts = chain_start(0, 0);
    CHECK("chainaddr-armed", sts == STS_ARMED && rd16(DMACOUNT) == 0,
          "CHANSTS 0x%" PRIx64 " DMACOUNT %u after CHAINADDR", sts,
          rd16(DMACOUNT));
    /* From here on errors also interrupt (MSI-X vector 0) */
    wr8(INTRCTRL, INTRCTRL_MASTER_EN);
    wr16(CHANCTRL, CHANCTRL_INT_REARM | CHANCTRL_ERR_COMPL |
                   CHANCTRL_ABORT | CHANCTRL_ERR_INT);
}

/* Copies and fills of assorted sizes and alignments, one batch each */

typedef struct {
    uint32_t len, soff, doff;           /* a fill has no source: soff 0 */
} Op;

/*
 * Run ops as one batch (compl_write on the last only), then check each
 * destination byte for byte and the guard bytes around it.
 */
static void run_batch(const char *kind, const Op *all, unsigned n_all,
                      bool fill)
{
    uint32_t at[16], pos = 0;
    uint64_t pat[16], last, sts;
    unsigned n = 0;
    char check[96];
    Op ops[16];
    int r;

    /* A descriptor may not ask for more than 2^XFERCAP bytes */
    for (unsigned i = 0; i < n_all && n < 16; i++) {
        if (all[i].len <= xfer_max) {
            ops[n++] = all[i];
        } else {
            info("%s: no %u-byte one, above 2^XFERCAP", kind, all[i].len);
        }
    }
    memset(dst, POISON, DST_SIZE);
    fill_random(src, SRC_SIZE);
    *record = RECORD_NONE;
    for (unsigned i = 0; i < n; i++) {
        uint32_t ctl = (fill ? CTL_OP_FILL : CTL_OP_COPY) |
                       (i == n - 1 ? CTL_COMPL_WRITE : 0);

        /* page-aligned destinations, 64 poisoned bytes before each */
        at[i] = pos + PAGE + ops[i].doff;
        pos = (at[i] + ops[i].len + 64 + PAGE - 1) / PAGE * PAGE;
        pat[i] = rnd();
        put(free_slot(i), ctl,
            fill ? pat[i] : IOVA_SRC + ops[i].soff, IOVA_DST + at[i],
            ops[i].len);
    }
    last = slot_iova(free_slot(n - 1));
    ring_doorbell(n);
    r = wait_record(last, T_BATCH);
    sts = wait_idle(1000);
    snprintf(check, sizeof(check), "%s-batch-completes", kind);
    if (!CHECK(check, r == DONE && sts == (last | STS_DONE),
               "%s: record 0x%" PRIx64 " CHANSTS 0x%" PRIx64 " CHANERR "
               "0x%x, want 0x%" PRIx64 " | DONE", outcome[r], *record, sts,
               rd32(CHANERR), last)) {
        chan_recover();
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        const Op *o = &ops[i];
        uint8_t *d = dst + at[i];
        long bad = -1;

        if (fill) {
            /* byte k of the fill is byte k mod 8 of the LE pattern */
            for (uint32_t k = 0; k < o->len && bad < 0; k++) {
                if (d[k] != (uint8_t)(pat[i] >> (8 * (k % 8)))) {
                    bad = k;
                }
            }
            snprintf(check, sizeof(check), "fill-%u-dst+%u", o->len,
                     o->doff);
        } else {
            bad = find_diff(d, src + o->soff, o->len);
            snprintf(check, sizeof(check), "copy-%u-src+%u-dst+%u", o->len,
                     o->soff, o->doff);
        }
        if (bad >= 0) {
            fail(check, "byte %ld of %u: 0x%02x", bad, o->len, d[bad]);
        } else if (find_not(d - 64, 64, POISON) >= 0 ||
                   find_not(d + o->len, 64, POISON) >= 0) {
            fail(check, "a guard byte around the destination changed");
        } else {
            pass(check);
        }
    }
}

static void copies_and_fills(uint32_t cap)
{
    /*
     * Lengths around bytes, cache lines and pages; offsets that make the
     * source and destination cross IOVA pages (each page is translated on
     * its own and backed by an unrelated physical page); the largest
     * transfer XFERCAP allows.
     */
    const Op copies[] = {
        { 1, 0, 0 }, { 7, 3, 5 }, { 64, 0, 0 }, { 100, 1, 63 },
        { 4095, 1, 2 }, { 4096, 0, 0 }, { 4096, 8191, 4000 },
        { 4097, 4095, 1 }, { 65549, 5, 11 },
        { xfer_max < SRC_SIZE / 2 ? xfer_max : SRC_SIZE / 2, 0, 0 },
    };
    const Op fills[] = {
        { 1, 0, 0 }, { 7, 0, 3 }, { 8, 0, 0 }, { 13, 0, 5 },
        { 4096, 0, 0 }, { 4097, 0, 4093 }, { 65539, 0, 7 },
        { xfer_max < DST_SIZE / 4 ? xfer_max : DST_SIZE / 4, 0, 0 },
    };

    run_batch("copies", copies, sizeof(copies) / sizeof(copies[0]), false);
    if (cap & DMACAP_BLOCK_FILL) {
        run_batch("fills", fills, sizeof(fills) / sizeof(fills[0]), true);
    } else {
        info("DMACAPABILITY has no block fill: no fills");
    }
}

/*
 * Faults.  Four copies d0..d3 of ERR_LEN bytes, S_j to D_j, except that
 * d3 copies S_3 over S_2, d2's source: if d2 ran again after d3, D_2 would
 * end up holding S_3.  The fault is in d1 (its source or destination),
 * between d0 and d1 (d0's next), in CHANCMP (d0's record) or in CHAINADDR
 * (before d0).  After the halt the channel is recovered at the first
 * descriptor that has not run, and the rest must run exactly once.
 */
typedef enum { F_SRC, F_DST, F_DST_RO, F_NEXT, F_CMP, F_CHAIN } Fault;

typedef struct {
    const char *name;
    Fault where;
    uint32_t chanerr;
} FaultTest;

static const FaultTest fault_tests[] = {
    { "src-unmapped", F_SRC, ERR_READ_DATA },
    { "dst-unmapped", F_DST, ERR_WRITE_DATA },
    { "dst-read-only", F_DST_RO, ERR_WRITE_DATA },
    { "next-unmapped", F_NEXT, ERR_NEXT_ADDR },
    { "completion-unmapped", F_CMP, ERR_COMPL_ADDR },
    { "chainaddr-unmapped", F_CHAIN, ERR_CHAIN_ADDR },
};

#define S(j)    (src + ERR_OFF + 0x400 * (j))
#define D(j)    (dst + ERR_OFF + 0x400 * (j))
#define S_IOVA(j) (IOVA_SRC + ERR_OFF + 0x400 * (j))
#define D_IOVA(j) (IOVA_DST + ERR_OFF + 0x400 * (j))

static void fault_test(const FaultTest *t)
{
    uint8_t s2[ERR_LEN], s3[ERR_LEN], ro_was[PAGE];
    unsigned base = free_slot(0), resume;
    uint64_t sts, rec, want_sts, want_rec, n_irq;
    uint32_t err, attn;
    bool d0_ran = t->where != F_CHAIN;
    char check[96];
    int r;

#define NAME(what) (snprintf(check, sizeof(check), "%s-%s", t->name, what), \
                    check)

    fill_random(S(0), 4 * 0x400);
    memcpy(s2, S(2), ERR_LEN);
    memcpy(s3, S(3), ERR_LEN);
    memset(D(0), POISON, 4 * 0x400);
    memcpy(ro_was, ro, PAGE);
    *record = RECORD_NONE;
    irq_wait(0);

    put(base, CTL_OP_COPY | (t->where == F_CMP ? CTL_COMPL_WRITE : 0),
        S_IOVA(0), D_IOVA(0), ERR_LEN);
    put(base + 1, CTL_OP_COPY,
        t->where == F_SRC ? IOVA_HOLE + 0x1230 : S_IOVA(1),
        t->where == F_DST ? IOVA_HOLE + 0x4560 :
        t->where == F_DST_RO ? IOVA_RO + 0x100 : D_IOVA(1), ERR_LEN);
    put(base + 2, CTL_OP_COPY, S_IOVA(2), D_IOVA(2), ERR_LEN);
    put(base + 3, CTL_OP_COPY | CTL_COMPL_WRITE, S_IOVA(3), S_IOVA(2),
        ERR_LEN);
    if (t->where == F_NEXT) {
        slot_desc(base)->next = IOVA_HOLE + 0x7c0;
    }
    if (t->where == F_CMP) {
        wr64(CHANCMP, IOVA_HOLE + 0x18);
    }
    if (t->where == F_CHAIN) {
        chain_start(base, IOVA_HOLE + 0x9c0);
        ring_doorbell(1);
    } else {
        ring_doorbell(4);
    }

    /* Halted at once, with exactly the bit of the fault */
    r = wait_record(slot_iova(base + 3), T_HALT);
    if (r == DONE) {
        r = STS_STATE(rd64(CHANSTS)) == STS_HALTED ? HALTED : DONE;
    }
    sts = rd64(CHANSTS);
    err = rd32(CHANERR);
    want_sts = (d0_ran ? slot_iova(base) : 0) | STS_HALTED;
    if (!CHECK(NAME("halts"), r == HALTED && sts == want_sts,
               "%s: CHANSTS 0x%" PRIx64 ", want 0x%" PRIx64 " (CHANERR "
               "0x%x)", outcome[r], sts, want_sts, err)) {
        chan_recover();
        return;
    }
    CHECK(NAME("chanerr"), err == t->chanerr, "CHANERR 0x%x, want 0x%x",
          err, t->chanerr);

    /* The error record: last completed | HALTED, not where it could not */
    rec = *record;
    want_rec = t->where == F_CMP ? RECORD_NONE : want_sts;
    CHECK(NAME("error-record"), rec == want_rec,
          "record 0x%" PRIx64 ", want 0x%" PRIx64, rec, want_rec);

    /* The error interrupt: MSI-X vector 0, ATTNSTATUS bit 0 */
    n_irq = irq_wait(T_IRQ);
    attn = rd32(ATTNSTATUS);
    CHECK(NAME("interrupt"), n_irq == 1 && (attn & 1),
          "%" PRIu64 " interrupts, ATTNSTATUS 0x%x", n_irq, attn);

    /* d0 ran (unless the chain never started), nothing after the fault */
    if (d0_ran && find_diff(D(0), S(0), ERR_LEN) >= 0) {
        fail(NAME("nothing-after-ran"), "d0 (before the fault) did not run");
    } else if (find_not(D(0), ERR_LEN, POISON) >= 0 && !d0_ran) {
        fail(NAME("nothing-after-ran"), "d0 ran from an unmapped CHAINADDR");
    } else if (find_not(D(1), ERR_LEN, POISON) >= 0 ||
               find_not(D(2), ERR_LEN, POISON) >= 0 ||
               memcmp(S(2), s2, ERR_LEN) || memcmp(ro, ro_was, PAGE)) {
        fail(NAME("nothing-after-ran"), "a destination after the fault "
             "changed (D1 %ld, D2 %ld, S2 %ld, read-only page %ld)",
             find_not(D(1), ERR_LEN, POISON), find_not(D(2), ERR_LEN, POISON),
             find_diff(S(2), s2, ERR_LEN), find_diff(ro, ro_was, PAGE));
    } else {
        pass(NAME("nothing-after-ran"));
    }

    /* Recovery: CHANERR back (W1C), RESET, CHANCMP, CHAINADDR */
    wr32(CHANERR, err);
    err = rd32(CHANERR);
    wr8(CHANCMD, CHANCMD_RESET);
    sts = rd64(CHANSTS);
    resume = base + (t->where == F_SRC || t->where == F_DST ||
                     t->where == F_DST_RO ? 2 : d0_ran ? 1 : 0);
    memset(D(0), POISON, ERR_LEN);          /* shows d0 running again */
    *record = RECORD_NONE;
    want_sts = chain_start(resume, 0);
    wr16(CHANCTRL, CHANCTRL_INT_REARM | CHANCTRL_ERR_COMPL |
                   CHANCTRL_ABORT | CHANCTRL_ERR_INT);
    if (!CHECK(NAME("recovery-armed"),
               err == 0 && sts == STS_HALTED && want_sts == STS_ARMED &&
               rd16(DMACOUNT) == 0,
               "CHANERR 0x%x after W1C, CHANSTS 0x%" PRIx64 " after RESET, "
               "0x%" PRIx64 " after CHAINADDR, DMACOUNT %u", err, sts,
               want_sts, rd16(DMACOUNT))) {
        chan_recover();
        return;
    }

    /* The descriptors from resume on run, each once; d0 not again */
    ring_doorbell(base + 4 - resume);
    r = wait_record(slot_iova(base + 3), T_BATCH);
    sts = wait_idle(1000);
    if (r != DONE || sts != (slot_iova(base + 3) | STS_DONE)) {
        fail(NAME("resumes-once"), "%s: record 0x%" PRIx64 " CHANSTS 0x%"
             PRIx64 " CHANERR 0x%x", outcome[r], *record, sts,
             rd32(CHANERR));
        chan_recover();
        return;
    }
    if (find_not(D(0), ERR_LEN, POISON) >= 0 && d0_ran) {
        fail(NAME("resumes-once"), "d0 ran again");
    } else if (!d0_ran && find_diff(D(0), S(0), ERR_LEN) >= 0) {
        fail(NAME("resumes-once"), "d0 did not run");
    } else if (resume == base + 2 ? find_not(D(1), ERR_LEN, POISON) >= 0
                                  : find_diff(D(1), S(1), ERR_LEN) >= 0) {
        fail(NAME("resumes-once"), resume == base + 2
             ? "the failed d1 ran" : "d1 did not run");
    } else if (memcmp(D(2), s2, ERR_LEN) || memcmp(S(2), s3, ERR_LEN)) {
        fail(NAME("resumes-once"), "d2/d3: D2 %s, S2 %s",
             !memcmp(D(2), s3, ERR_LEN) ? "holds S3 (d2 ran after d3)" :
             memcmp(D(2), s2, ERR_LEN) ? "wrong" : "right",
             memcmp(S(2), s3, ERR_LEN) ? "wrong" : "right");
    } else if (irq_wait(0)) {
        fail(NAME("resumes-once"), "an interrupt without an error");
    } else {
        pass(NAME("resumes-once"));
    }
#undef NAME
}

/* Many copies through the ring, in batches, every byte verified */

static void bulk(unsigned total)
{
    const unsigned batch = NDESC - 6;
    uint32_t at[NDESC], so[NDESC], len[NDESC];
    uint64_t t0 = now_ms(), bytes = 0, last = 0;
    unsigned done = 0;
    char check[64];

    snprintf(check, sizeof(check), "bulk-%u-copies", total);
    fill_random(src, SRC_SIZE);
    while (done < total) {
        unsigned n = total - done < batch ? total - done : batch;
        uint32_t pos = 0;
        int r;

        for (unsigned i = 0; i < n; i++) {
            len[i] = 1 + rnd() % (xfer_max < 8192 ? xfer_max : 8192);
            so[i] = rnd() % (SRC_SIZE - len[i]);
            at[i] = pos + rnd() % 64;
            pos = at[i] + len[i];
        }
        memset(dst, POISON, pos);
        *record = RECORD_NONE;
        for (unsigned i = 0; i < n; i++) {
            put(free_slot(i), CTL_OP_COPY |
                (i == n - 1 ? CTL_COMPL_WRITE : 0),
                IOVA_SRC + so[i], IOVA_DST + at[i], len[i]);
        }
        last = slot_iova(free_slot(n - 1));
        ring_doorbell(n);
        r = wait_record(last, T_BATCH);
        if (r != DONE) {
            fail(check, "after %u copies: batch %s, record 0x%" PRIx64
                 " CHANSTS 0x%" PRIx64 " CHANERR 0x%x", done, outcome[r],
                 *record, rd64(CHANSTS), rd32(CHANERR));
            chan_recover();
            return;
        }
        for (unsigned i = 0; i < n; i++) {
            long bad = find_diff(dst + at[i], src + so[i], len[i]);

            if (bad >= 0) {
                fail(check, "copy %u (%u bytes from +%u to +%u): byte %ld",
                     done + i, len[i], so[i], at[i], bad);
                return;
            }
            bytes += len[i];
        }
        done += n;
    }
    pass(check);
    info("%u copies (%" PRIu64 " KiB) in batches of %u, verified byte for "
         "byte, in %" PRIu64 " ms", total, bytes / 1024, batch,
         now_ms() - t0);
}

int main(int argc, char **argv)
{
    unsigned copies = 10000;
    uint64_t sts;
    uint32_t cap;
    int opt;

    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        switch (opt) {
        case 'n':
            copies = strtoul(optarg, NULL, 0);
            break;
        case 's':
            rng = strtoull(optarg, NULL, 0) | 1;
            break;
        default:
            goto usage;
        }
    }
    if (optind != argc - 1) {
usage:
        fprintf(stderr, "usage: %s [-n COPIES] [-s SEED] BDF\n", argv[0]);
        return 2;
    }

    vfio_setup(argv[optind]);
    info("ring at IOVA 0x%llx, guest-physical 0x%" PRIx64 "; unmapped hole "
         "at IOVA 0x%llx", IOVA_RING, phys_of(ring), IOVA_HOLE);
    CHECK("iova-not-physical", phys_of(ring) != IOVA_RING &&
          phys_of(src) != IOVA_SRC, "IOVA equals the physical address");
    cap = rd32(DMACAPABILITY);
    identity_and_reset();
    irq_setup();

    copies_and_fills(cap);
    for (unsigned i = 0; i < sizeof(fault_tests) / sizeof(fault_tests[0]);
         i++) {
        fault_test(&fault_tests[i]);
    }
    bulk(copies);

    sts = wait_idle(1000);
    CHECK("idle-at-end", STS_STATE(sts) == STS_DONE && rd32(CHANERR) == 0,
          "CHANSTS 0x%" PRIx64 " CHANERR 0x%x", sts, rd32(CHANERR));

    /* Quiet the channel; closing the device resets and unmaps the rest */
    wr8(CHANCMD, CHANCMD_RESET);
    wr8(INTRCTRL, 0);
    info("%u check(s) failed", failures);
    return failures ? 1 : 0;
}
