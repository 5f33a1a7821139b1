// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ioat-nic-datasheet: bring an 82599 (ioat-nic) up from user space by the
 * datasheet's initialization sequence alone, without any Linux NIC driver,
 * and pass frames through a backend that sends every frame back.
 *
 * Usage: ioat-nic-datasheet [-r ROUNDS] BDF      (e.g. 0000:00:02.0)
 *
 * The function must be bound to uio_pci_generic (which claims it and
 * enables its memory decoding) and 2 MiB huge pages must be reserved
 * (/proc/sys/vm/nr_hugepages).  BAR0 is mapped through sysfs resource0.
 * DMA memory is one 2 MiB huge page: physically contiguous, and its
 * physical address, read from /proc/self/pagemap, is the bus address
 * since the guest has no IOMMU.
 *
 * Sequence (82599 datasheet 4.6.3): interrupts off, master disable and
 * global reset, interrupts off again, EEPROM auto-read and DMA init done,
 * EEPROM checksum and MAC address, link, statistics, receive (4.6.7) and
 * transmit (4.6.8) initialization of queue 0, then frames of many sizes
 * sent and received by polling the descriptors' DD bits.  Descriptors
 * are the advanced ones (7.1.6, 7.2.3.2.4): the 82599's receive path is
 * built around them (SRRCTL.DESCTYPE) and they are what a new driver
 * would use.  At the end the queues are disabled and the device reset.
 *
 * Output, one line per step: "PASS <check>", "FAIL <check> <detail>" or
 * "INFO <text>".  Any deviation from the datasheet ends the run with a
 * FAIL line and exit status 1; every poll has a time limit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* BAR0 registers, 82599 datasheet 8.2.3 */
#define CTRL                0x00000         /* 8.2.3.1.1 */
#define  CTRL_GIO_DIS       (1u << 2)       /* PCIe master disable */
#define  CTRL_RST           (1u << 26)
#define STATUS              0x00008         /* 8.2.3.1.2 */
#define  STATUS_LINK_UP     (1u << 7)
#define  STATUS_GIO_MASTER  (1u << 19)      /* PCIe master enable status */
#define CTRL_EXT            0x00018         /* 8.2.3.1.3 */
#define  CTRL_EXT_NS_DIS    (1u << 16)      /* no snoop disable */
#define FWSM                0x10148         /* 8.2.3.2 */
#define  FWSM_EXT_ERR_IND   0x01f80000u     /* 0: no EEPROM/firmware error */
#define EEC                 0x10010         /* 8.2.3.2.1 */
#define  EEC_PRES           (1u << 8)
#define  EEC_AUTO_RD        (1u << 9)
#define  EEC_SIZE(v)        (((v) >> 11) & 0xf)
#define EERD                0x10014         /* 8.2.3.2.2 */
#define  EERD_START         (1u << 0)
#define  EERD_DONE          (1u << 1)
#define  EERD_ADDR_SHIFT    2
#define  EERD_DATA(v)       ((v) >> 16)
#define EICR                0x00800         /* 8.2.3.5 */
#define EIMS                0x00880
#define EIMC                0x00888
#define  EIMC_ALL           0x7fffffffu
#define EIMC_EX(i)          (0x00ab0 + 4 * (i))
#define RDRXCTL             0x02f00         /* 8.2.3.8.8 */
#define  RDRXCTL_CRCSTRIP   (1u << 1)
#define  RDRXCTL_DMAIDONE   (1u << 3)
#define  RDRXCTL_RSCFRSTSIZE 0x003e0000u
#define  RDRXCTL_RSCACKC    (1u << 25)
#define  RDRXCTL_FCOE_WRFIX (1u << 26)
#define RXPBSIZE0           0x03c00         /* 8.2.3.8.9 */
#define  RXPBSIZE_KB(v)     (((v) >> 10) & 0x3ff)
#define RXCTRL              0x03000         /* 8.2.3.8.10 */
#define  RXCTRL_RXEN        (1u << 0)
#define FCRTH0              0x03260         /* 8.2.3.3.4 */
#define  FCRTH_RTH_MASK     0x0007ffe0u
#define FCTRL               0x05080         /* 8.2.3.7.1 */
#define  FCTRL_MPE          (1u << 8)
#define  FCTRL_UPE          (1u << 9)
#define  FCTRL_BAM          (1u << 10)
#define MTA(i)              (0x05200 + 4 * (i))     /* 8.2.3.7.7, i < 128 */
#define RAL(n)              (0x0a200 + 8 * (n))     /* 8.2.3.7.8, n < 128 */
#define RAH(n)              (0x0a204 + 8 * (n))     /* 8.2.3.7.9 */
#define  RAH_AV             (1u << 31)
#define SECRXCTRL           0x08d00         /* 8.2.3.25 */
#define  SECRXCTRL_RX_DIS   (1u << 1)
#define SECRXSTAT           0x08d04
#define  SECRXSTAT_RDY      (1u << 0)
#define HLREG0              0x04240         /* 8.2.3.22.8 */
#define  HLREG0_TXCRCEN     (1u << 0)
#define  HLREG0_RXCRCSTRP   (1u << 1)
#define  HLREG0_JUMBOEN     (1u << 2)
#define  HLREG0_TXPADEN     (1u << 10)
#define  HLREG0_LPBK        (1u << 15)
#define AUTOC               0x042a0         /* 8.2.3.22.19 */
#define  AUTOC_RESTART_AN   (1u << 12)
#define LINKS               0x042a4         /* 8.2.3.22.20 */
#define  LINKS_UP           (1u << 30)
#define  LINKS_SPEED(v)     (((v) >> 28) & 3)
#define  LINKS_SPEED_10G    3
#define DMATXCTL            0x04a80         /* 8.2.3.9.2 */
#define  DMATXCTL_TE        (1u << 0)
#define DTXMXSZRQ           0x08100         /* 8.2.3.9 */
#define MTQC                0x08120         /* 8.2.3.9.15 */
#define RTTDCS              0x04900         /* 8.2.3.10.2 */
#define  RTTDCS_ARBDIS      (1u << 6)
/* Queue registers (8.2.3.8, 8.2.3.9), queue q < 64 */
#define RDBAL(q)            (0x01000 + 0x40 * (q))
#define RDBAH(q)            (0x01004 + 0x40 * (q))
#define RDLEN(q)            (0x01008 + 0x40 * (q))
#define RDH(q)              (0x01010 + 0x40 * (q))
#define SRRCTL(q)           (0x01014 + 0x40 * (q))
#define  SRRCTL_BSIZEPKT_KB(k)  ((uint32_t)(k))     /* 1 KiB units */
#define  SRRCTL_DESCTYPE_ADV    (1u << 25)  /* advanced, one buffer */
#define RDT(q)              (0x01018 + 0x40 * (q))
#define RXDCTL(q)           (0x01028 + 0x40 * (q))
#define  RXDCTL_ENABLE      (1u << 25)
#define RXDCTL_ANY(q)       ((q) < 64 ? RXDCTL(q) : 0x0d028 + 0x40 * ((q) - 64))
#define DCA_RXCTRL(q)       (0x0100c + 0x40 * (q))  /* 8.2.3.11.1 */
#define  DCA_RXCTRL_BIT12   (1u << 12)      /* reserved, must be 0 */
#define TDBAL(q)            (0x06000 + 0x40 * (q))
#define TDBAH(q)            (0x06004 + 0x40 * (q))
#define TDLEN(q)            (0x06008 + 0x40 * (q))
#define TDH(q)              (0x06010 + 0x40 * (q))
#define TDT(q)              (0x06018 + 0x40 * (q))
#define TXDCTL(q)           (0x06028 + 0x40 * (q))
#define  TXDCTL_ENABLE      (1u << 25)
/* Statistics (8.2.3.23): clear on read; octet counters are 36 bits */
#define CRCERRS             0x04000
#define RLEC                0x04040
#define GPRC                0x04074
#define BPRC                0x04078
#define GPTC                0x04080
#define GORCL               0x04088
#define GORCH               0x0408c
#define GOTCL               0x04090
#define GOTCH               0x04094
#define RUC                 0x040a4
#define ROC                 0x040ac
#define TPR                 0x040d0
#define TPT                 0x040d4
#define BPTC                0x040f4
#define MPC0                0x03fa0
#define RXDGPC              0x02f50     /* the DMA's own counts */
#define RXDGBCL             0x02f54
#define RXDGBCH             0x02f58
#define TXDGPC              0x087a0
#define TXDGBCL             0x087a4
#define TXDGBCH             0x087a8

/* EEPROM map (6.3) */
#define EE_FIRST_PTR        0x03
#define EE_LAST_PTR         0x0e        /* 0x0f (firmware) is not summed */
#define EE_LAN_CORE0_PTR    0x09
#define EE_CHECKSUM_WORD    0x3f
#define EE_CHECKSUM         0xbaba

/* Advanced receive descriptor write-back (7.1.6.2), third and fourth dwords */
#define RXD_STAT_DD         (1u << 0)
#define RXD_STAT_EOP        (1u << 1)
#define RXD_ERR_SHIFT       20          /* extended errors, bits 31:20 */
/* Advanced transmit data descriptor (7.2.3.2.4) */
#define TXD_DTYP_DATA       (3u << 20)
#define TXD_CMD_EOP         (1u << 24)
#define TXD_CMD_IFCS        (1u << 25)
#define TXD_CMD_RS          (1u << 27)
#define TXD_CMD_DEXT        (1u << 29)
#define TXD_PAYLEN_SHIFT    14
#define TXD_STAT_DD         (1u << 0)

/* PCI configuration space */
#define PCI_COMMAND         0x04
#define  PCI_COMMAND_MEMORY 0x2
#define  PCI_COMMAND_MASTER 0x4

#define BAR0_MIN_SIZE       0x20000
#define HUGE_PAGE           (2u << 20)
#define NDESC               32          /* both rings: 512 bytes each */
#define RX_BUF              1024        /* SRRCTL.BSIZEPKT = 1 KiB */
#define TX_BUF              2048
#define TX_SPLIT_MIN        1024        /* from here: two descriptors */
#define TX_SPLIT_AT         128
#define ETH_ALEN            6
#define ETH_ZLEN            60          /* minimum frame without the FCS */
#define ETH_FCS             4
#define ETH_TYPE_TEST       0x88b5      /* IEEE 802 local experimental */
/* DMA memory layout inside the huge page */
#define OFF_RX_RING         0x00000
#define OFF_TX_RING         0x01000
#define OFF_RX_BUF          0x10000
#define OFF_TX_BUF          0x20000
#define RX_POISON           0xa5
#define NUM_QUEUES          128
#define NUM_RAR             128

/* Time limits of the polls, in milliseconds */
#define T_REG               1000        /* a register bit the device sets */
#define T_LINK              10000
#define T_FRAME             10000

typedef struct {
    uint64_t pkt_addr;                  /* read format; write-back: dw0, dw1 */
    uint64_t hdr_addr;                  /* write-back: status/error, length */
} RxDesc;

typedef struct {
    uint64_t addr;
    uint32_t cmd_type_len;
    uint32_t olinfo_status;
} TxDesc;

enum frame_kind { FRAME_UNICAST, FRAME_SHORT, FRAME_BROADCAST };

typedef struct {
    enum frame_kind kind;
    unsigned len;                       /* as handed to the transmit path */
} FrameSpec;

/* Minimum, around every power of two the statistics bin, and maximum. */
static const FrameSpec frames[] = {
    { FRAME_UNICAST, 60 }, { FRAME_UNICAST, 61 }, { FRAME_UNICAST, 64 },
    { FRAME_UNICAST, 65 }, { FRAME_UNICAST, 127 }, { FRAME_UNICAST, 128 },
    { FRAME_UNICAST, 255 }, { FRAME_UNICAST, 256 }, { FRAME_UNICAST, 511 },
    { FRAME_UNICAST, 512 }, { FRAME_UNICAST, 1000 }, { FRAME_UNICAST, 1023 },
    { FRAME_UNICAST, 1024 }, { FRAME_UNICAST, 1025 }, { FRAME_UNICAST, 1500 },
    { FRAME_UNICAST, 1513 }, { FRAME_UNICAST, 1514 },
    { FRAME_SHORT, 42 },                /* padded to 60 (HLREG0.TXPADEN) */
    { FRAME_BROADCAST, 342 },           /* needs FCTRL.BAM */
};
#define NFRAMES (sizeof(frames) / sizeof(frames[0]))

static volatile uint32_t *bar0;        /* volatile: device registers */
static uint8_t *dma_virt;
static uint64_t dma_phys;
static int cfg_fd = -1;
static uint8_t mac[ETH_ALEN];
static unsigned rx_next, tx_next;       /* next descriptor to look at / fill */

/* Reporting */

static void say(const char *kind, const char *check, const char *fmt,
                va_list ap)
{
    printf("%s %s", kind, check);
    if (fmt) {
        putchar(' ');
        vprintf(fmt, ap);
    }
    putchar('\n');
    fflush(stdout);
}

static void pass(const char *check)
{
    say("PASS", check, NULL, NULL);
}

static void info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("INFO ");
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    va_end(ap);
}

static void quiesce(void);

/* A failed check ends the run: later steps build on every earlier one. */
static void __attribute__((noreturn, format(printf, 2, 3)))
fail(const char *check, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say("FAIL", check, fmt, ap);
    va_end(ap);
    quiesce();
    exit(1);
}

/* Register access */

/* One 32-bit access each, in program order, to the uncached mapping. */
static uint32_t rd32(uint32_t off)
{
    return bar0[off / 4];
}

static void wr32(uint32_t off, uint32_t val)
{
    bar0[off / 4] = val;
}

/* 36-bit octet counter: low register first, it latches the high one. */
static uint64_t rd36(uint32_t lo, uint32_t hi)
{
    uint64_t l = rd32(lo);

    return l | ((uint64_t)(rd32(hi) & 0xf) << 32);
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Poll OFF until (value & MASK) == WANT or MS milliseconds have passed;
 * the register is read once more after the deadline, so a descheduled
 * process does not time out without looking.  *LAST gets the last value.
 */
static bool poll32(uint32_t off, uint32_t mask, uint32_t want, unsigned ms,
                   uint32_t *last)
{
    uint64_t deadline = now_ms() + ms;
    bool late;
    uint32_t v;

    do {
        late = now_ms() > deadline;
        v = rd32(off);
        if ((v & mask) == want) {
            break;
        }
        usleep(100);
    } while (!late);
    if (last) {
        *last = v;
    }
    return (v & mask) == want;
}

/* Setup: PCI function, BAR0, DMA memory */

static void pci_setup(const char *bdf)
{
    char path[256];
    uint16_t id[2], cmd;
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
    cfg_fd = open(path, O_RDWR);
    if (cfg_fd < 0 || pread(cfg_fd, id, 4, 0) != 4) {
        fail("pci-function-found", "%s: %s", path, strerror(errno));
    }
    if (id[0] != 0x8086 || id[1] != 0x10f9) {
        fail("pci-function-found", "%s is %04x:%04x, not 8086:10f9", bdf,
             id[0], id[1]);
    }
    pass("pci-function-found");

    /* Memory decoding and bus mastering (the NIC DMAs descriptors). */
    if (pread(cfg_fd, &cmd, 2, PCI_COMMAND) != 2) {
        fail("pci-bus-master-enabled", "reading COMMAND: %s", strerror(errno));
    }
    cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    if (pwrite(cfg_fd, &cmd, 2, PCI_COMMAND) != 2 ||
        pread(cfg_fd, &cmd, 2, PCI_COMMAND) != 2) {
        fail("pci-bus-master-enabled", "writing COMMAND: %s", strerror(errno));
    }
    if ((cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) !=
        (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) {
        fail("pci-bus-master-enabled", "COMMAND reads 0x%04x", cmd);
    }
    pass("pci-bus-master-enabled");

    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
    fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        fail("bar0-mapped", "%s: %s", path, strerror(errno));
    }
    if (st.st_size < BAR0_MIN_SIZE) {
        fail("bar0-mapped", "%s is %lld bytes, registers need 0x%x", path,
             (long long)st.st_size, BAR0_MIN_SIZE);
    }
    bar0 = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (bar0 == MAP_FAILED) {
        bar0 = NULL;
        fail("bar0-mapped", "mmap %s: %s", path, strerror(errno));
    }
    close(fd);
    pass("bar0-mapped");
}

static uint64_t virt_to_phys(const void *p)
{
    static int fd = -1;
    uint64_t ent;
    off_t at = (uintptr_t)p / 4096 * sizeof(ent);

    if (fd < 0) {
        fd = open("/proc/self/pagemap", O_RDONLY);
    }
    if (fd < 0 || pread(fd, &ent, sizeof(ent), at) != sizeof(ent)) {
        fail("dma-memory-contiguous", "/proc/self/pagemap: %s",
             strerror(errno));
    }
    /* Bit 63: present; bits 54:0: page frame number (0 without root). */
    if (!(ent >> 63) || !(ent & ((1ull << 55) - 1))) {
        fail("dma-memory-contiguous", "no page frame for %p (entry 0x%016"
             PRIx64 ")", p, ent);
    }
    return (ent & ((1ull << 55) - 1)) * 4096 + (uintptr_t)p % 4096;
}

static void dma_setup(void)
{
    dma_virt = mmap(NULL, HUGE_PAGE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
                    -1, 0);
    if (dma_virt == MAP_FAILED) {
        dma_virt = NULL;
        fail("dma-memory-contiguous", "no 2 MiB huge page (%s); reserve one "
             "in /proc/sys/vm/nr_hugepages", strerror(errno));
    }
    memset(dma_virt, 0, HUGE_PAGE);
    dma_phys = virt_to_phys(dma_virt);
    for (unsigned off = 4096; off < HUGE_PAGE; off += 4096) {
        uint64_t p = virt_to_phys(dma_virt + off);

        if (p != dma_phys + off) {
            fail("dma-memory-contiguous", "offset 0x%x is at 0x%" PRIx64
                 ", not 0x%" PRIx64, off, p, dma_phys + off);
        }
    }
    if (dma_phys % HUGE_PAGE) {
        fail("dma-memory-contiguous", "huge page at 0x%" PRIx64
             " is not 2 MiB aligned", dma_phys);
    }
    info("DMA memory: 2 MiB at physical 0x%" PRIx64, dma_phys);
    pass("dma-memory-contiguous");
}

/* Device bring-up */

/* 4.6.3.1: mask every interrupt cause, then clear what is pending. */
static void mask_interrupts(void)
{
    wr32(EIMC, EIMC_ALL);
    wr32(EIMC_EX(0), 0xffffffff);
    wr32(EIMC_EX(1), 0xffffffff);
    (void)rd32(EICR);
}

/*
 * 4.6.3.2 global reset, after the master disable of 5.2.5.3.2.  Some
 * registers are set away from their defaults first so that the reset
 * is seen to return them.
 */
static void global_reset(void)
{
    uint32_t v;

    mask_interrupts();
    v = rd32(EIMS);
    if (v) {
        fail("interrupts-masked-before-reset", "EIMS reads 0x%08x after "
             "EIMC 0x%08x", v, EIMC_ALL);
    }
    pass("interrupts-masked-before-reset");

    wr32(FCTRL, FCTRL_BAM | FCTRL_UPE);
    wr32(RDBAL(0), 0x12345680);
    wr32(TDBAL(0), 0x23456780);
    wr32(RDLEN(0), 0x1000);

    /* 5.2.5.3.2: receive queues off first (none are, after power-up). */
    for (unsigned q = 0; q < NUM_QUEUES; q++) {
        if (!(rd32(RXDCTL_ANY(q)) & RXDCTL_ENABLE)) {
            continue;
        }
        wr32(RXDCTL_ANY(q), rd32(RXDCTL_ANY(q)) & ~RXDCTL_ENABLE);
        if (!poll32(RXDCTL_ANY(q), RXDCTL_ENABLE, 0, T_REG, &v)) {
            fail("master-disable-completes", "RXDCTL[%u] 0x%08x: ENABLE "
                 "still set %u ms after clearing it", q, v, T_REG);
        }
        usleep(100);
    }
    wr32(CTRL, rd32(CTRL) | CTRL_GIO_DIS);
    if (!poll32(STATUS, STATUS_GIO_MASTER, 0, T_REG, &v)) {
        fail("master-disable-completes", "STATUS 0x%08x: PCIe master enable "
             "status (bit 19) still set %u ms after CTRL.GIO_DIS", v, T_REG);
    }
    pass("master-disable-completes");

    /* About 1 ms before RST is looked at again (8.2.3.1.1). */
    wr32(CTRL, rd32(CTRL) | CTRL_RST);
    usleep(1000);
    if (!poll32(CTRL, CTRL_RST, 0, T_REG, &v)) {
        fail("reset-completes", "CTRL 0x%08x: RST still set after %u ms", v,
             T_REG);
    }
    /* At least 10 ms before initialization goes on (4.6.3.2). */
    usleep(10000);
    pass("reset-completes");

    {
        static const struct { const char *name; uint32_t off, mask, want; }
        defaults[] = {
            { "CTRL.GIO_DIS", CTRL, CTRL_GIO_DIS, 0 },
            { "STATUS.GIO_MASTER_EN", STATUS, STATUS_GIO_MASTER,
              STATUS_GIO_MASTER },
            { "FCTRL", FCTRL, ~0u, 0 },
            { "RDBAL[0]", RDBAL(0), ~0u, 0 },
            { "RDLEN[0]", RDLEN(0), ~0u, 0 },
            { "TDBAL[0]", TDBAL(0), ~0u, 0 },
            { "RXCTRL.RXEN", RXCTRL, RXCTRL_RXEN, 0 },
            { "RXDCTL[0].ENABLE", RXDCTL(0), RXDCTL_ENABLE, 0 },
            { "TXDCTL[0].ENABLE", TXDCTL(0), TXDCTL_ENABLE, 0 },
            { "DMATXCTL.TE", DMATXCTL, DMATXCTL_TE, 0 },
            { "EIMS", EIMS, ~0u, 0 },
            { "HLREG0.TXCRCEN|RXCRCSTRP|TXPADEN|LPBK", HLREG0,
              HLREG0_TXCRCEN | HLREG0_RXCRCSTRP | HLREG0_TXPADEN | HLREG0_LPBK,
              HLREG0_TXCRCEN | HLREG0_RXCRCSTRP | HLREG0_TXPADEN },
        };
        for (unsigned i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
            v = rd32(defaults[i].off);
            if ((v & defaults[i].mask) != defaults[i].want) {
                fail("reset-restores-defaults", "%s (0x%05x) reads 0x%08x "
                     "after CTRL.RST, expected 0x%08x under mask 0x%08x",
                     defaults[i].name, defaults[i].off, v, defaults[i].want,
                     defaults[i].mask);
            }
        }
    }
    for (unsigned n = 1; n < NUM_RAR; n++) {
        if (rd32(RAH(n)) & RAH_AV) {
            fail("reset-restores-defaults", "RAH[%u] 0x%08x: AV set after "
                 "CTRL.RST (only RAR 0 is loaded from the EEPROM)", n,
                 rd32(RAH(n)));
        }
    }
    info("HLREG0 after reset 0x%08x", rd32(HLREG0));
    pass("reset-restores-defaults");

    mask_interrupts();
    v = rd32(EIMS);
    if (v) {
        fail("interrupts-masked", "EIMS reads 0x%08x after EIMC 0x%08x", v,
             EIMC_ALL);
    }
    pass("interrupts-masked");
}

static uint16_t eeprom_read(unsigned word)
{
    uint32_t v;

    wr32(EERD, (word << EERD_ADDR_SHIFT) | EERD_START);
    if (!poll32(EERD, EERD_DONE, EERD_DONE, T_REG, &v)) {
        fail("eeprom-reads-complete", "EERD 0x%08x: word 0x%03x not DONE "
             "after %u ms", v, word, T_REG);
    }
    if (((v >> EERD_ADDR_SHIFT) & 0x3fff) != word) {
        fail("eeprom-reads-complete", "EERD 0x%08x: read of word 0x%03x "
             "completed with address 0x%03x", v, word,
             (v >> EERD_ADDR_SHIFT) & 0x3fff);
    }
    return EERD_DATA(v);
}

/*
 * EEPROM (6.3): the whole image through EERD; checksum over words
 * 0x00-0x3f and the words of each module pointers 0x03-0x0e name (the
 * module's length word excluded), which must come to 0xbaba; the MAC
 * address from the LAN core 0 module.
 */
static void eeprom(void)
{
    unsigned words, lan, npresent = 0;
    uint16_t *ee, sum = 0;
    uint32_t v;

    if (!poll32(EEC, EEC_AUTO_RD, EEC_AUTO_RD, T_REG, &v) ||
        !(v & EEC_PRES)) {
        fail("eeprom-auto-read-done", "EEC 0x%08x: EE_PRES (bit 8) and "
             "AUTO_RD (bit 9) must both be set", v);
    }
    pass("eeprom-auto-read-done");

    v = rd32(FWSM);
    if (v & FWSM_EXT_ERR_IND) {
        fail("eeprom-no-firmware-error", "FWSM 0x%08x: EXT_ERR_IND (bits "
             "24:19) = 0x%x", v, (v & FWSM_EXT_ERR_IND) >> 19);
    }
    pass("eeprom-no-firmware-error");

    if (!poll32(RDRXCTL, RDRXCTL_DMAIDONE, RDRXCTL_DMAIDONE, T_REG, &v)) {
        fail("dma-init-done", "RDRXCTL 0x%08x: DMAIDONE (bit 3) not set "
             "after %u ms", v, T_REG);
    }
    pass("dma-init-done");

    /* EE_SIZE: 128 bytes << EE_SIZE */
    words = 64u << EEC_SIZE(rd32(EEC));
    info("EEPROM: %u words (EEC.EE_SIZE %u)", words, EEC_SIZE(rd32(EEC)));
    if (words <= EE_CHECKSUM_WORD) {
        fail("eeprom-reads-complete", "EEC.EE_SIZE gives %u words, fewer "
             "than the 0x40 of the base image", words);
    }
    ee = calloc(words, sizeof(*ee));
    for (unsigned i = 0; i < words; i++) {
        ee[i] = eeprom_read(i);
    }
    pass("eeprom-reads-complete");

    for (unsigned i = 0; i <= EE_CHECKSUM_WORD; i++) {
        sum += ee[i];
    }
    for (unsigned p = EE_FIRST_PTR; p <= EE_LAST_PTR; p++) {
        unsigned ptr = ee[p], len;

        if (ptr == 0 || ptr == 0xffff) {
            continue;
        }
        if (ptr >= words) {
            fail("eeprom-pointers-in-range", "pointer word 0x%02x = 0x%04x "
                 "lies beyond the %u-word EEPROM", p, ptr, words);
        }
        len = ee[ptr];
        if (len == 0 || len == 0xffff) {
            continue;
        }
        if (ptr + len >= words) {
            fail("eeprom-pointers-in-range", "module of pointer 0x%02x at "
                 "0x%03x, %u words, ends beyond the %u-word EEPROM", p, ptr,
                 len, words);
        }
        info("EEPROM module: pointer 0x%02x -> word 0x%03x, %u words", p,
             ptr, len);
        npresent++;
        for (unsigned j = ptr + 1; j <= ptr + len; j++) {
            sum += ee[j];
        }
    }
    pass("eeprom-pointers-in-range");
    if (sum != EE_CHECKSUM) {
        fail("eeprom-checksum-valid", "words 0x00-0x3f and %u module(s) "
             "sum to 0x%04x, not 0x%04x (checksum word 0x3f = 0x%04x)",
             npresent, sum, EE_CHECKSUM, ee[EE_CHECKSUM_WORD]);
    }
    info("EEPROM checksum: 0x%04x over words 0x00-0x3f and %u module%s",
         sum, npresent, npresent == 1 ? "" : "s");
    pass("eeprom-checksum-valid");

    lan = ee[EE_LAN_CORE0_PTR];
    if (lan == 0 || lan == 0xffff || lan + 3 >= words || ee[lan] < 3 ||
        ee[lan] == 0xffff) {
        fail("mac-from-eeprom-valid", "LAN core 0 pointer (word 0x%02x) = "
             "0x%04x, module length %u: no Ethernet address",
             EE_LAN_CORE0_PTR, lan,
             lan && lan < words ? ee[lan] : 0);
    }
    for (unsigned i = 0; i < 3; i++) {
        mac[2 * i] = ee[lan + 1 + i] & 0xff;
        mac[2 * i + 1] = ee[lan + 1 + i] >> 8;
    }
    free(ee);
    info("MAC address from EEPROM: %02x:%02x:%02x:%02x:%02x:%02x",
         mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    if ((mac[0] & 1) ||
        !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])) {
        fail("mac-from-eeprom-valid", "not a unicast address");
    }
    pass("mac-from-eeprom-valid");

    {
        uint32_t ral = mac[0] | mac[1] << 8 | mac[2] << 16 |
                       (uint32_t)mac[3] << 24;
        uint32_t rah = mac[4] | mac[5] << 8;
        uint32_t ral0 = rd32(RAL(0)), rah0 = rd32(RAH(0));

        if (ral0 != ral || (rah0 & 0xffff) != rah || !(rah0 & RAH_AV)) {
            fail("mac-from-eeprom-matches-ral0", "RAL0 0x%08x RAH0 0x%08x, "
                 "expected 0x%08x and 0x%08x with AV (bit 31)", ral0, rah0,
                 ral, rah | RAH_AV);
        }
    }
    pass("mac-from-eeprom-matches-ral0");
}

/* 4.6.4: the link as the EEPROM configured AUTOC, restarted; LINKS tells. */
static void link_up(void)
{
    uint32_t autoc = rd32(AUTOC), links;

    info("AUTOC 0x%08x", autoc);
    wr32(AUTOC, autoc | AUTOC_RESTART_AN);
    if (!poll32(LINKS, LINKS_UP, LINKS_UP, T_LINK, &links)) {
        fail("link-up", "LINKS 0x%08x: LINK_UP (bit 30) not set %u ms after "
             "AUTOC.RESTART_AN", links, T_LINK);
    }
    if (!(rd32(STATUS) & STATUS_LINK_UP)) {
        fail("link-up", "LINKS 0x%08x says up, STATUS 0x%08x does not",
             links, rd32(STATUS));
    }
    pass("link-up");
    if (LINKS_SPEED(links) != LINKS_SPEED_10G) {
        fail("link-speed-10g", "LINKS 0x%08x: LINK_SPEED %u, expected 3 "
             "(10 Gb/s)", links, LINKS_SPEED(links));
    }
    pass("link-speed-10g");
}

/* 4.6.5: statistics clear on read; read them all once. */
static const struct { const char *name; uint32_t off; } stat_regs[] = {
    { "CRCERRS", CRCERRS }, { "RLEC", RLEC }, { "GPRC", GPRC },
    { "BPRC", BPRC }, { "GPTC", GPTC }, { "GORCL", GORCL },
    { "GORCH", GORCH }, { "GOTCL", GOTCL }, { "GOTCH", GOTCH },
    { "RUC", RUC }, { "ROC", ROC }, { "TPR", TPR }, { "TPT", TPT },
    { "BPTC", BPTC }, { "MPC[0]", MPC0 }, { "RXDGPC", RXDGPC },
    { "RXDGBCL", RXDGBCL }, { "RXDGBCH", RXDGBCH }, { "TXDGPC", TXDGPC },
    { "TXDGBCL", TXDGBCL }, { "TXDGBCH", TXDGBCH },
};
#define NSTATS (sizeof(stat_regs) / sizeof(stat_regs[0]))

static void statistics_clear(void)
{
    for (unsigned i = 0; i < NSTATS; i++) {
        (void)rd32(stat_regs[i].off);
    }
    for (unsigned i = 0; i < NSTATS; i++) {
        uint32_t v = rd32(stat_regs[i].off);

        if (v) {
            fail("statistics-cleared", "%s (0x%05x) reads %u after being read "
                 "once", stat_regs[i].name, stat_regs[i].off, v);
        }
    }
    pass("statistics-cleared");
}

static RxDesc *rx_ring(void)
{
    return (RxDesc *)(dma_virt + OFF_RX_RING);
}

static TxDesc *tx_ring(void)
{
    return (TxDesc *)(dma_virt + OFF_TX_RING);
}

static uint8_t *rx_buf(unsigned i)
{
    return dma_virt + OFF_RX_BUF + i * RX_BUF;
}

static uint8_t *tx_buf(unsigned i)
{
    return dma_virt + OFF_TX_BUF + i * TX_BUF;
}

/* Hand receive descriptor I a fresh, poisoned buffer (read format). */
static void rx_arm(unsigned i)
{
    RxDesc *d = &rx_ring()[i];

    memset(rx_buf(i), RX_POISON, RX_BUF);
    d->pkt_addr = dma_phys + OFF_RX_BUF + i * RX_BUF;
    d->hdr_addr = 0;
}

/*
 * The device-wide part of 4.6.3.2, 4.6.7 and 4.6.8 for one queue pair,
 * no flow control, DCB and virtualization off (4.6.11.3.4).
 */
static void general_config(void)
{
    uint32_t pb = RXPBSIZE_KB(rd32(RXPBSIZE0)) * 1024;
    uint32_t fcrth = (pb - 0x6000) & FCRTH_RTH_MASK;
    uint32_t rdrxctl, hlreg0;

    /* FCRTH[0].RTH is set even without flow control (4.6.3.2). */
    wr32(FCRTH0, fcrth);

    /*
     * Receive: unicast to RAR 0 and broadcast; MTA cleared; the CRC
     * stripped, as HLREG0.RXCRCSTRP and RDRXCTL.CRCSTRIP must agree.
     */
    for (unsigned i = 0; i < 128; i++) {
        wr32(MTA(i), 0);
    }
    wr32(FCTRL, FCTRL_BAM);
    rdrxctl = (rd32(RDRXCTL) | RDRXCTL_CRCSTRIP | RDRXCTL_RSCACKC |
               RDRXCTL_FCOE_WRFIX) & ~RDRXCTL_RSCFRSTSIZE;
    wr32(RDRXCTL, rdrxctl);
    wr32(CTRL_EXT, rd32(CTRL_EXT) | CTRL_EXT_NS_DIS);

    /* MAC: CRC and padding added on transmit, standard frame size. */
    hlreg0 = rd32(HLREG0);
    hlreg0 |= HLREG0_TXCRCEN | HLREG0_RXCRCSTRP | HLREG0_TXPADEN;
    hlreg0 &= ~(HLREG0_JUMBOEN | HLREG0_LPBK);
    wr32(HLREG0, hlreg0);

    /* Transmit DMA, with the arbiter disabled meanwhile (4.6.8). */
    wr32(RTTDCS, rd32(RTTDCS) | RTTDCS_ARBDIS);
    wr32(DTXMXSZRQ, 0xfff);
    wr32(MTQC, 0);
    wr32(RTTDCS, rd32(RTTDCS) & ~RTTDCS_ARBDIS);

    {
        const struct { const char *name; uint32_t off, mask, want; } rb[] = {
            { "FCRTH[0]", FCRTH0, ~0u, fcrth },
            { "FCTRL", FCTRL, ~0u, FCTRL_BAM },
            { "RDRXCTL", RDRXCTL, ~RDRXCTL_DMAIDONE,
              rdrxctl & ~RDRXCTL_DMAIDONE },
            { "CTRL_EXT.NS_DIS", CTRL_EXT, CTRL_EXT_NS_DIS, CTRL_EXT_NS_DIS },
            { "HLREG0", HLREG0, ~0u, hlreg0 },
            { "DTXMXSZRQ", DTXMXSZRQ, 0xfff, 0xfff },
            { "MTQC", MTQC, ~0u, 0 },
            { "RTTDCS.ARBDIS", RTTDCS, RTTDCS_ARBDIS, 0 },
        };
        for (unsigned i = 0; i < sizeof(rb) / sizeof(rb[0]); i++) {
            uint32_t v = rd32(rb[i].off);

            if ((v & rb[i].mask) != rb[i].want) {
                fail("general-configuration", "%s (0x%05x) reads 0x%08x, "
                     "written 0x%08x (mask 0x%08x)", rb[i].name, rb[i].off,
                     v, rb[i].want, rb[i].mask);
            }
        }
    }
    pass("general-configuration");
}

/* 4.6.7 receive initialization and 4.6.7.1 enabling queue 0. */
static void rx_init(void)
{
    uint64_t ring = dma_phys + OFF_RX_RING;
    uint32_t v, srrctl = SRRCTL_BSIZEPKT_KB(RX_BUF / 1024) |
                         SRRCTL_DESCTYPE_ADV;

    for (unsigned i = 0; i < NDESC; i++) {
        rx_arm(i);
    }
    wr32(RDBAL(0), (uint32_t)ring);
    wr32(RDBAH(0), ring >> 32);
    wr32(RDLEN(0), NDESC * sizeof(RxDesc));
    wr32(SRRCTL(0), srrctl);
    wr32(DCA_RXCTRL(0), rd32(DCA_RXCTRL(0)) & ~DCA_RXCTRL_BIT12);
    __sync_synchronize();
    wr32(RXDCTL(0), rd32(RXDCTL(0)) | RXDCTL_ENABLE);
    if (!poll32(RXDCTL(0), RXDCTL_ENABLE, RXDCTL_ENABLE, T_REG, &v)) {
        fail("rx-queue-enabled", "RXDCTL[0] 0x%08x: ENABLE (bit 25) not set "
             "after %u ms", v, T_REG);
    }
    if (rd32(RDBAL(0)) != (uint32_t)ring || rd32(RDBAH(0)) != ring >> 32 ||
        rd32(RDLEN(0)) != NDESC * sizeof(RxDesc) ||
        rd32(SRRCTL(0)) != srrctl) {
        fail("rx-queue-enabled", "RDBAL/RDBAH/RDLEN/SRRCTL[0] read 0x%08x "
             "0x%08x 0x%08x 0x%08x, written 0x%08x 0x%08x 0x%08zx 0x%08x",
             rd32(RDBAL(0)), rd32(RDBAH(0)), rd32(RDLEN(0)),
             rd32(SRRCTL(0)), (uint32_t)ring, (uint32_t)(ring >> 32),
             NDESC * sizeof(RxDesc), srrctl);
    }
    pass("rx-queue-enabled");

    /* The tail moves only once ENABLE reads 1: all but one descriptor. */
    wr32(RDT(0), NDESC - 1);
    if (rd32(RDT(0)) != NDESC - 1 || rd32(RDH(0)) != 0) {
        fail("rx-descriptors-handed-over", "RDH[0] %u RDT[0] %u, expected 0 "
             "and %u", rd32(RDH(0)), rd32(RDT(0)), NDESC - 1);
    }
    rx_next = 0;
    pass("rx-descriptors-handed-over");

    /* RXEN with the receive data path halted in the security block. */
    wr32(SECRXCTRL, rd32(SECRXCTRL) | SECRXCTRL_RX_DIS);
    if (!poll32(SECRXSTAT, SECRXSTAT_RDY, SECRXSTAT_RDY, T_REG, &v)) {
        fail("rx-enabled", "SECRXSTAT 0x%08x: SECRX_RDY (bit 0) not set %u "
             "ms after SECRXCTRL.RX_DIS", v, T_REG);
    }
    wr32(RXCTRL, rd32(RXCTRL) | RXCTRL_RXEN);
    wr32(SECRXCTRL, rd32(SECRXCTRL) & ~SECRXCTRL_RX_DIS);
    if (!(rd32(RXCTRL) & RXCTRL_RXEN) ||
        (rd32(SECRXCTRL) & SECRXCTRL_RX_DIS)) {
        fail("rx-enabled", "RXCTRL 0x%08x SECRXCTRL 0x%08x after enabling",
             rd32(RXCTRL), rd32(SECRXCTRL));
    }
    pass("rx-enabled");
}

/* 4.6.8 transmit initialization and 4.6.8.1 enabling queue 0. */
static void tx_init(void)
{
    uint64_t ring = dma_phys + OFF_TX_RING;
    uint32_t v;

    memset(tx_ring(), 0, NDESC * sizeof(TxDesc));
    wr32(TDBAL(0), (uint32_t)ring);
    wr32(TDBAH(0), ring >> 32);
    wr32(TDLEN(0), NDESC * sizeof(TxDesc));
    /* Thresholds 0: every descriptor with RS is written back by itself. */
    wr32(TXDCTL(0), 0);

    wr32(DMATXCTL, rd32(DMATXCTL) | DMATXCTL_TE);
    if (!(rd32(DMATXCTL) & DMATXCTL_TE)) {
        fail("tx-dma-enabled", "DMATXCTL 0x%08x after setting TE",
             rd32(DMATXCTL));
    }
    pass("tx-dma-enabled");

    wr32(TXDCTL(0), TXDCTL_ENABLE);
    if (!poll32(TXDCTL(0), TXDCTL_ENABLE, TXDCTL_ENABLE, T_REG, &v)) {
        fail("tx-queue-enabled", "TXDCTL[0] 0x%08x: ENABLE (bit 25) not set "
             "after %u ms", v, T_REG);
    }
    if (rd32(TDBAL(0)) != (uint32_t)ring || rd32(TDBAH(0)) != ring >> 32 ||
        rd32(TDLEN(0)) != NDESC * sizeof(TxDesc) || rd32(TDH(0)) != 0 ||
        rd32(TDT(0)) != 0) {
        fail("tx-queue-enabled", "TDBAL/TDBAH/TDLEN/TDH/TDT[0] read 0x%08x "
             "0x%08x 0x%08x %u %u", rd32(TDBAL(0)), rd32(TDBAH(0)),
             rd32(TDLEN(0)), rd32(TDH(0)), rd32(TDT(0)));
    }
    tx_next = 0;
    pass("tx-queue-enabled");
}

/* Frames */

static const char *kind_check[] = {
    [FRAME_UNICAST] = "frames-looped-back-verified",
    [FRAME_SHORT] = "short-frame-padded",
    [FRAME_BROADCAST] = "broadcast-frame-received",
};

/* The bytes of frame F of round R as sent (LEN = frames[f].len). */
static void frame_build(uint8_t *p, unsigned r, unsigned f)
{
    unsigned len = frames[f].len;

    if (frames[f].kind == FRAME_BROADCAST) {
        memset(p, 0xff, ETH_ALEN);
    } else {
        memcpy(p, mac, ETH_ALEN);
    }
    memcpy(p + ETH_ALEN, mac, ETH_ALEN);
    p[12] = ETH_TYPE_TEST >> 8;
    p[13] = ETH_TYPE_TEST & 0xff;
    p[14] = r;
    p[15] = f;
    for (unsigned j = 16; j < len; j++) {
        p[j] = j * 7 + f * 13 + r * 101 + (j >> 8);
    }
}

/* What comes back: the frame, padded with zeros to the minimum length. */
static unsigned frame_expect(uint8_t *p, unsigned r, unsigned f)
{
    unsigned len = frames[f].len;

    frame_build(p, r, f);
    if (len < ETH_ZLEN) {
        memset(p + len, 0, ETH_ZLEN - len);
        len = ETH_ZLEN;
    }
    return len;
}

/*
 * Queue every frame of round R on the transmit ring (frames of
 * TX_SPLIT_MIN bytes or more in two descriptors, PAYLEN in the first,
 * EOP and RS in the last), move TDT once, and wait for the write-back.
 */
static void tx_round(unsigned r, unsigned *rs_desc)
{
    TxDesc *ring = tx_ring();
    unsigned start = tx_next;
    uint32_t v;

    for (unsigned f = 0; f < NFRAMES; f++) {
        unsigned len = frames[f].len;
        uint8_t frame[TX_BUF];
        unsigned nchunk = len >= TX_SPLIT_MIN ? 2 : 1;

        frame_build(frame, r, f);
        for (unsigned c = 0; c < nchunk; c++) {
            unsigned off = c ? TX_SPLIT_AT : 0;
            unsigned n = nchunk == 1 ? len : c ? len - TX_SPLIT_AT
                                                 : TX_SPLIT_AT;
            unsigned i = tx_next;
            bool last = c == nchunk - 1;

            memcpy(tx_buf(i), frame + off, n);
            ring[i].addr = dma_phys + OFF_TX_BUF + i * TX_BUF;
            ring[i].cmd_type_len = n | TXD_DTYP_DATA | TXD_CMD_DEXT |
                                   TXD_CMD_IFCS |
                                   (last ? TXD_CMD_EOP | TXD_CMD_RS : 0);
            ring[i].olinfo_status = c ? 0 : len << TXD_PAYLEN_SHIFT;
            if (last) {
                rs_desc[f] = i;
            }
            tx_next = (tx_next + 1) % NDESC;
            if (tx_next == start) {
                fail("tx-descriptors-written-back", "round %u needs more "
                     "than %u descriptors", r, NDESC - 1);
            }
        }
    }
    __sync_synchronize();
    wr32(TDT(0), tx_next);

    for (unsigned f = 0; f < NFRAMES; f++) {
        /* volatile: the device writes DD back while we poll */
        volatile TxDesc *d = &ring[rs_desc[f]];
        uint64_t deadline = now_ms() + T_FRAME;
        bool late;

        do {
            late = now_ms() > deadline;
            if (d->olinfo_status & TXD_STAT_DD) {
                break;
            }
            usleep(100);
        } while (!late);
        if (!(d->olinfo_status & TXD_STAT_DD)) {
            fail("tx-descriptors-written-back", "round %u frame %u (%u "
                 "bytes): descriptor %u has no DD after %u ms; TDH %u TDT %u",
                 r, f, frames[f].len, rs_desc[f], T_FRAME, rd32(TDH(0)),
                 rd32(TDT(0)));
        }
    }
    if (!poll32(TDH(0), ~0u, tx_next, T_REG, &v)) {
        fail("tx-descriptors-written-back", "round %u: TDH %u after every "
             "DD, TDT %u", r, v, tx_next);
    }
}

/*
 * Receive frame F of round R: descriptors from rx_next until EOP, each
 * polled for DD, each checked, then handed back to the device.
 */
static void rx_frame(unsigned r, unsigned f, uint64_t *octets)
{
    static uint8_t got[2 * TX_BUF], want[TX_BUF];
    const char *check = kind_check[frames[f].kind];
    unsigned want_len = frame_expect(want, r, f), got_len = 0, ndesc = 0;
    bool eop = false;

    while (!eop) {
        /* volatile: the device writes the descriptor back while we poll */
        volatile RxDesc *d = &rx_ring()[rx_next];
        uint64_t deadline = now_ms() + T_FRAME;
        uint32_t dw0, status, len;
        bool late;

        do {
            late = now_ms() > deadline;
            if (d->hdr_addr & RXD_STAT_DD) {
                break;
            }
            usleep(100);
        } while (!late);
        if (!(d->hdr_addr & RXD_STAT_DD)) {
            fail(check, "round %u frame %u (%u bytes): no DD on receive "
                 "descriptor %u after %u ms; RDH %u RDT %u", r, f, want_len,
                 rx_next, T_FRAME, rd32(RDH(0)), rd32(RDT(0)));
        }
        __sync_synchronize();
        dw0 = (uint32_t)d->pkt_addr;
        status = (uint32_t)d->hdr_addr;
        len = (uint16_t)(d->hdr_addr >> 32);
        eop = status & RXD_STAT_EOP;
        /*
         * A frame of no known type (not IP, no filter, no RSS): packet
         * and RSS type 0; status DD, EOP on the last descriptor; no
         * error; every descriptor but the last holds a full buffer.
         */
        if (dw0 != 0 || status != (RXD_STAT_DD | (eop ? RXD_STAT_EOP : 0)) ||
            (!eop && len != RX_BUF) || len == 0 || len > RX_BUF) {
            fail("rx-writeback-format", "round %u frame %u, descriptor %u: "
                 "dw0 0x%08x status/error 0x%08x (errors 0x%03x) length %u; "
                 "expected dw0 0, status DD%s, length %s", r, f, rx_next,
                 dw0, status, status >> RXD_ERR_SHIFT, len,
                 eop ? "|EOP" : "", eop ? "1..1024" : "1024");
        }
        if (got_len + len > sizeof(got)) {
            fail(check, "round %u frame %u: more than %zu bytes without EOP",
                 r, f, sizeof(got));
        }
        memcpy(got + got_len, rx_buf(rx_next), len);
        got_len += len;
        ndesc++;

        rx_arm(rx_next);
        __sync_synchronize();
        wr32(RDT(0), rx_next);
        rx_next = (rx_next + 1) % NDESC;
    }

    if (got_len >= 16 && (got[14] != r || got[15] != f)) {
        fail(check, "expected round %u frame %u (%u bytes), received round "
             "%u frame %u (%u bytes): frames lost or reordered", r, f,
             want_len, got[14], got[15], got_len);
    }
    if (got_len != want_len) {
        fail(check, "round %u frame %u: sent %u bytes, expected %u back, "
             "received %u in %u descriptors", r, f, frames[f].len, want_len,
             got_len, ndesc);
    }
    for (unsigned j = 0; j < want_len; j++) {
        if (got[j] != want[j]) {
            fail(check, "round %u frame %u (%u bytes): byte %u is 0x%02x, "
                 "expected 0x%02x", r, f, want_len, j, got[j], want[j]);
        }
    }
    if (ndesc != (want_len + RX_BUF - 1) / RX_BUF) {
        fail("rx-writeback-format", "round %u frame %u: %u bytes in %u "
             "descriptors of %u bytes", r, f, want_len, ndesc, RX_BUF);
    }
    *octets += got_len + ETH_FCS;
}

static void check_stat(const char *check, const char *name, uint64_t got,
                       uint64_t want)
{
    if (got != want) {
        fail(check, "%s is %" PRIu64 ", expected %" PRIu64, name, got, want);
    }
}

static void traffic(unsigned rounds)
{
    uint64_t tx_octets = 0, rx_octets = 0, t0 = now_ms();
    unsigned rs_desc[NFRAMES], nbcast = 0, min = ~0u, max = 0;

    for (unsigned r = 0; r < rounds; r++) {
        tx_round(r, rs_desc);
        for (unsigned f = 0; f < NFRAMES; f++) {
            unsigned len = frames[f].len;

            rx_frame(r, f, &rx_octets);
            tx_octets += (len < ETH_ZLEN ? ETH_ZLEN : len) + ETH_FCS;
            nbcast += frames[f].kind == FRAME_BROADCAST;
            min = len < min ? len : min;
            max = len > max ? len : max;
        }
    }
    info("%u rounds of %zu frames (%u to %u bytes) sent and received in "
         "%" PRIu64 " ms", rounds, NFRAMES, min, max, now_ms() - t0);
    pass("tx-descriptors-written-back");
    pass("rx-writeback-format");
    for (unsigned k = 0; k < sizeof(kind_check) / sizeof(kind_check[0]); k++) {
        pass(kind_check[k]);
    }

    /* 8.2.3.23: counts of good frames and octets, CRC included. */
    {
        uint32_t gprc = rd32(GPRC), gptc = rd32(GPTC), tpr = rd32(TPR);
        uint32_t tpt = rd32(TPT), bprc = rd32(BPRC), bptc = rd32(BPTC);
        uint64_t gorc = rd36(GORCL, GORCH), gotc = rd36(GOTCL, GOTCH);
        unsigned n = rounds * NFRAMES;

        check_stat("statistics-count-frames", "GPTC", gptc, n);
        check_stat("statistics-count-frames", "TPT", tpt, n);
        check_stat("statistics-count-frames", "GPRC", gprc, n);
        check_stat("statistics-count-frames", "TPR", tpr, n);
        check_stat("statistics-count-frames", "BPTC", bptc, nbcast);
        check_stat("statistics-count-frames", "BPRC", bprc, nbcast);
        pass("statistics-count-frames");
        check_stat("statistics-count-octets", "GOTC", gotc, tx_octets);
        check_stat("statistics-count-octets", "GORC", gorc, rx_octets);
        pass("statistics-count-octets");
    }
    /* The DMA's counts: every frame fetched and written back, here all. */
    {
        unsigned n = rounds * NFRAMES;

        check_stat("statistics-dma-counts", "TXDGPC", rd32(TXDGPC), n);
        check_stat("statistics-dma-counts", "RXDGPC", rd32(RXDGPC), n);
        check_stat("statistics-dma-counts", "TXDGBC",
                   rd36(TXDGBCL, TXDGBCH), tx_octets);
        check_stat("statistics-dma-counts", "RXDGBC",
                   rd36(RXDGBCL, RXDGBCH), rx_octets);
        pass("statistics-dma-counts");
    }
    {
        static const struct { const char *name; uint32_t off; } errs[] = {
            { "CRCERRS", CRCERRS }, { "RLEC", RLEC }, { "RUC", RUC },
            { "ROC", ROC }, { "MPC[0]", MPC0 },
        };
        for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
            check_stat("statistics-no-errors", errs[i].name,
                       rd32(errs[i].off), 0);
        }
        pass("statistics-no-errors");
    }
}

/*
 * Stop the device before its DMA memory goes away: receive off, queues
 * disabled (4.6.7.1, 4.6.8.1), then a global reset.  Called on every
 * exit path once BAR0 is mapped.
 */
static bool quiesced;

static bool queues_disable(uint32_t *rx, uint32_t *tx)
{
    wr32(RXCTRL, rd32(RXCTRL) & ~RXCTRL_RXEN);
    wr32(RXDCTL(0), rd32(RXDCTL(0)) & ~RXDCTL_ENABLE);
    wr32(TXDCTL(0), rd32(TXDCTL(0)) & ~TXDCTL_ENABLE);
    bool rx_off = poll32(RXDCTL(0), RXDCTL_ENABLE, 0, T_REG, rx);
    bool tx_off = poll32(TXDCTL(0), TXDCTL_ENABLE, 0, T_REG, tx);

    /* About 100 us more before the ring memory may go (4.6.7.1). */
    usleep(100);
    return rx_off && tx_off;
}

static void quiesce(void)
{
    uint32_t rx, tx;

    if (!bar0 || quiesced) {
        return;
    }
    quiesced = true;
    queues_disable(&rx, &tx);
    mask_interrupts();
    wr32(CTRL, rd32(CTRL) | CTRL_RST);
    usleep(10000);
}

static void shutdown_device(void)
{
    uint32_t rx, tx;

    if (!queues_disable(&rx, &tx)) {
        fail("queues-disabled", "RXDCTL[0] 0x%08x TXDCTL[0] 0x%08x: ENABLE "
             "still set %u ms after clearing it", rx, tx, T_REG);
    }
    pass("queues-disabled");
    quiesced = true;
    mask_interrupts();
    wr32(CTRL, rd32(CTRL) | CTRL_RST);
    if (!poll32(CTRL, CTRL_RST, 0, T_REG, &rx)) {
        fail("final-reset-completes", "CTRL 0x%08x: RST still set after %u "
             "ms", rx, T_REG);
    }
    usleep(10000);
    pass("final-reset-completes");
}

int main(int argc, char **argv)
{
    unsigned rounds = 16;
    uint64_t t0 = now_ms();
    int opt;

    while ((opt = getopt(argc, argv, "r:")) != -1) {
        if (opt == 'r' && atoi(optarg) > 0) {
            rounds = atoi(optarg);
        } else {
            fprintf(stderr, "usage: %s [-r ROUNDS] BDF\n", argv[0]);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: %s [-r ROUNDS] BDF\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    pci_setup(argv[optind]);
    dma_setup();
    global_reset();
    eeprom();
    link_up();
    statistics_clear();
    general_config();
    rx_init();
    tx_init();
    traffic(rounds);
    shutdown_device();
    info("datasheet bring-up and %u frames in %" PRIu64 " ms",
         rounds * (unsigned)NFRAMES, now_ms() - t0);
    return 0;
}
