/*
 * Intel 82599 10 GbE controller (ioat-nic): register file, reset, EEPROM,
 * link and interrupts
 *
 * Register values and semantics follow the 82599 datasheet (section 8),
 * with the power-on values the Linux ixgbe driver depends on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "migration/vmstate.h"
#include "ioat_nic_core.h"
#include "trace.h"

/* Power-on values that differ from 0 (datasheet 8.2.3, per register). */
static const struct {
    hwaddr addr;
    uint32_t val;
} ioat_nic_reset_values[] = {
    { A_RDRXCTL,    0x00000008 },   /* DMAIDONE */
    { A_RXPBSIZE0,  0x00080000 },   /* 512 KiB */
    { A_HLREG0,     0x00002fff },
    { A_MAXFRS,     0x05ee0000 },   /* 1518 bytes */
    { A_AUTOC,      0x00002100 },   /* LMS = 10G serial, no AN; PMA = CX4 */
    { A_ANLP1,      0x00010c00 },   /* AN_STATE != 0 */
    { A_DMATXCTL,   0x81000000 },   /* VLAN ethertype 0x8100 */
    { A_VLNCTRL,    0x00008100 },
    { A_SECTXSTAT,  0x00000003 },   /* security block ready, offload off */
    { A_SECRXSTAT,  0x00000003 },
    { A_TXPBSIZE0,  0x00028000 },   /* 160 KiB */
    { A_EEC,        0x00002710 },   /* present, auto-read done, 1024 words */
    { A_FWSM,       0x00008000 },   /* firmware valid, no errors */
};

/*
 * EEPROM words the driver reads (datasheet 6.2); everything else reads
 * 0xffff, i.e. "no section".  Word 0x3f is the checksum, computed at
 * realize so that words 0x00-0x3f add up to 0xbaba.
 */
static const struct {
    uint16_t word;
    uint16_t val;
} ioat_nic_eeprom_words[] = {
    { 0x00, 0x0000 }, { 0x01, 0x0000 }, { 0x02, 0x0000 },
    { 0x15, 0xe687 }, { 0x16, 0x8505 },     /* PBA number E68785-005 */
    { 0x2c, 0x0082 },                       /* device caps: no FCoE */
    { 0x2d, 0x05e4 }, { 0x2e, 0x8000 },     /* ETrack ID 0x800005e4 */
};
#define IOAT_NIC_EEPROM_CHECKSUM_WORD   0x3f
#define IOAT_NIC_EEPROM_CHECKSUM        0xbaba

static void ioat_nic_eeprom_init(IoatNicCore *core)
{
    uint16_t sum = 0;

    for (unsigned i = 0; i < IOAT_NIC_EEPROM_WORDS; i++) {
        core->eeprom[i] = 0xffff;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_eeprom_words); i++) {
        core->eeprom[ioat_nic_eeprom_words[i].word] = ioat_nic_eeprom_words[i].val;
    }
    for (unsigned i = 0; i < IOAT_NIC_EEPROM_CHECKSUM_WORD; i++) {
        sum += core->eeprom[i];
    }
    core->eeprom[IOAT_NIC_EEPROM_CHECKSUM_WORD] = IOAT_NIC_EEPROM_CHECKSUM - sum;
}

/* Link */

bool ioat_nic_link_up(IoatNicCore *core)
{
    return !qemu_get_queue(core->nic)->link_down;
}

static void ioat_nic_update_links(IoatNicCore *core)
{
    uint32_t links = 0;

    if (ioat_nic_link_up(core)) {
        links = FIELD_DP32(links, LINKS, UP, 1);
        links = FIELD_DP32(links, LINKS, SPEED, IOAT_NIC_LINKS_SPEED_10G);
        links = FIELD_DP32(links, LINKS, KX_AN_COMP, 1);
    }
    core->mac[R_LINKS] = links;
}

/* Interrupts (datasheet 7.3) */

static bool ioat_nic_msix_mode(IoatNicCore *core)
{
    return FIELD_EX32(core->mac[R_GPIE], GPIE, MSIX_MODE) &&
           msix_enabled(core->owner);
}

static uint32_t ioat_nic_eicr(IoatNicCore *core)
{
    return (core->mac[R_EICR] & ~R_EICR_RTXQ_MASK) | (core->qcause & 0xffff);
}

static uint32_t ioat_nic_eims(IoatNicCore *core)
{
    return (core->mac[R_EIMS] & ~R_EICR_RTXQ_MASK) | (core->qmask & 0xffff);
}

static unsigned ioat_nic_eitr_interval_ns(IoatNicCore *core, unsigned v)
{
    hwaddr addr = v < 24 ? IOAT_NIC_EITR_LO(v) : IOAT_NIC_EITR_HI(v);

    /* ITR interval in bits 11:3, in units of 2 us */
    return ((ioat_nic_reg(core, addr) & IOAT_NIC_EITR_ITR_MASK) >> 3) * 2000;
}

/* Deliver vector @v now, or when its EITR interval ends. */
static void ioat_nic_msix_fire(IoatNicCore *core, unsigned v)
{
    uint64_t bit = 1ULL << v;
    unsigned interval;

    if (timer_pending(core->eitr_timer[v])) {
        core->eitr_pending[v] = true;
        trace_ioat_nic_irq_throttled(v);
        return;
    }
    trace_ioat_nic_irq_msix(v);
    msix_notify(core->owner, v);

    /* Auto-mask (GPIE.EIAME + EIAM) and auto-clear (EIAC; always >= 16). */
    if (FIELD_EX32(core->mac[R_GPIE], GPIE, EIAME) &&
        (((uint64_t)core->mac[R_EIAM_EX1] << 32 | core->mac[R_EIAM_EX0]) & bit)) {
        core->qmask &= ~bit;
    }
    if (v >= 16 || (core->mac[R_EIAC] & bit)) {
        core->qcause &= ~bit;
    }

    interval = ioat_nic_eitr_interval_ns(core, v);
    if (interval) {
        timer_mod(core->eitr_timer[v],
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + interval);
    }
}

static unsigned ioat_nic_other_vector(IoatNicCore *core, bool *valid)
{
    uint32_t ivar = core->mac[R_IVAR_MISC] >> 8;

    *valid = ivar & IOAT_NIC_IVAR_VALID;
    return ivar & IOAT_NIC_IVAR_VECTOR_MASK;
}

/* MSI and INTx: one line, asserted while an unmasked cause is pending. */
static void ioat_nic_update_legacy_irq(IoatNicCore *core)
{
    bool level = ioat_nic_eicr(core) & ioat_nic_eims(core);

    if (msi_enabled(core->owner)) {
        if (level && !core->intx_level) {
            trace_ioat_nic_irq_msi();
            msi_notify(core->owner, 0);
        }
    } else if (level != core->intx_level) {
        trace_ioat_nic_irq_intx(level);
        pci_set_irq(core->owner, level);
    }
    core->intx_level = level;
}

/* Fire every vector with a pending, unmasked cause among @vectors. */
static void ioat_nic_raise_queue_vectors(IoatNicCore *core, uint64_t vectors)
{
    uint64_t ready = core->qcause & core->qmask & vectors;

    while (ready) {
        unsigned v = ctz64(ready);

        ready &= ready - 1;
        ioat_nic_msix_fire(core, v);
    }
}

static void ioat_nic_raise_other(IoatNicCore *core, uint32_t causes)
{
    bool valid;
    unsigned v;

    causes &= ~R_EICR_RTXQ_MASK;
    core->mac[R_EICR] |= causes;
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
        return;
    }
    if (!(core->mac[R_EICR] & core->mac[R_EIMS] & ~R_EICR_RTXQ_MASK)) {
        return;
    }
    v = ioat_nic_other_vector(core, &valid);
    if (valid) {
        trace_ioat_nic_irq_other(v, core->mac[R_EICR]);
        msix_notify(core->owner, v);
        /* Without GPIE.OCD the other causes auto-clear per EIAC. */
        if (!FIELD_EX32(core->mac[R_GPIE], GPIE, OCD)) {
            core->mac[R_EICR] &= ~(core->mac[R_EIAC] & ~R_EICR_RTXQ_MASK);
        }
    }
}

/* Causes set through EICS or EICS_EX (datasheet 8.2.3.5.3). */
static void ioat_nic_set_causes(IoatNicCore *core, uint64_t queue_vectors,
                                uint32_t other)
{
    core->qcause |= queue_vectors;
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_raise_queue_vectors(core, queue_vectors);
    } else {
        ioat_nic_update_legacy_irq(core);
    }
    if (other & ~R_EICR_RTXQ_MASK) {
        ioat_nic_raise_other(core, other);
    }
}

/* Unmasking a vector with a pending cause fires it (8.2.3.5.4). */
static void ioat_nic_set_mask(IoatNicCore *core, uint64_t queue_vectors,
                              uint32_t other)
{
    core->qmask |= queue_vectors;
    core->mac[R_EIMS] |= other & ~R_EICR_RTXQ_MASK;
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_raise_queue_vectors(core, queue_vectors);
        if (core->mac[R_EICR] & other & ~R_EICR_RTXQ_MASK) {
            ioat_nic_raise_other(core, 0);
        }
    } else {
        ioat_nic_update_legacy_irq(core);
    }
}

static void ioat_nic_clear_mask(IoatNicCore *core, uint64_t queue_vectors,
                                uint32_t other)
{
    core->qmask &= ~queue_vectors;
    core->mac[R_EIMS] &= ~(other & ~R_EICR_RTXQ_MASK);
    if (!ioat_nic_msix_mode(core)) {
        ioat_nic_update_legacy_irq(core);
    }
}

static void ioat_nic_eitr_expired(void *opaque)
{
    IoatNicCore *core = opaque;

    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        if (core->eitr_pending[v] && !timer_pending(core->eitr_timer[v])) {
            core->eitr_pending[v] = false;
            ioat_nic_raise_queue_vectors(core, 1ULL << v);
        }
    }
}

/*
 * An RX write-back or TX RS write-back on @queue: the cause goes to the
 * vector IVAR assigns to it (datasheet 7.3.4, IVAR 8.2.3.5.16).
 */
void ioat_nic_queue_event(IoatNicCore *core, unsigned queue, bool tx)
{
    uint32_t ivar = core->mac[(IOAT_NIC_IVAR(queue / 2)) >> 2];
    uint8_t entry = ivar >> ((queue & 1) * 16 + tx * 8);
    unsigned v;

    if (!(entry & IOAT_NIC_IVAR_VALID)) {
        return;
    }
    v = entry & IOAT_NIC_IVAR_VECTOR_MASK;
    trace_ioat_nic_queue_event(queue, tx, v);
    if (ioat_nic_msix_mode(core)) {
        ioat_nic_set_causes(core, 1ULL << v, 0);
    } else {
        /* MSI/INTx: the vector number selects an EICR bit 0-15. */
        ioat_nic_set_causes(core, 1ULL << (v & 15), 0);
    }
}

/* Reset */

static void ioat_nic_load_mac_address(IoatNicCore *core)
{
    const uint8_t *m = core->permanent_mac;

    core->mac[R_RAL0] = ldl_le_p(m);
    core->mac[R_RAH0] = lduw_le_p(m + 4) | R_RAH0_AV_MASK;
}

/*
 * Power-on and CTRL.RST: every register back to its default.  PCI config
 * space and the MSI-X table are not part of this (datasheet 4.2.1.3).
 */
void ioat_nic_core_reset(IoatNicCore *core)
{
    trace_ioat_nic_reset();
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        timer_del(core->eitr_timer[v]);
        core->eitr_pending[v] = false;
    }
    memset(core->mac, 0, sizeof(core->mac));
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_reset_values); i++) {
        core->mac[ioat_nic_reset_values[i].addr >> 2] = ioat_nic_reset_values[i].val;
    }
    core->qcause = 0;
    core->qmask = 0;
    core->gorc = core->gotc = core->tor = 0;
    memset(core->qbrc, 0, sizeof(core->qbrc));
    memset(core->qbtc, 0, sizeof(core->qbtc));
    if (core->intx_level) {
        pci_set_irq(core->owner, 0);
        core->intx_level = false;
    }
    ioat_nic_load_mac_address(core);
    ioat_nic_update_links(core);
    ioat_nic_tx_reset(core);
}

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr)
{
    core->owner = owner;
    core->nic = nic;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        core->eitr_timer[v] = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                           ioat_nic_eitr_expired, core);
    }
    ioat_nic_eeprom_init(core);
    ioat_nic_rx_init(core);
    ioat_nic_tx_init(core);
}

void ioat_nic_core_unrealize(IoatNicCore *core)
{
    for (unsigned v = 0; v < IOAT_NIC_MSIX_VECTORS; v++) {
        timer_free(core->eitr_timer[v]);
    }
    ioat_nic_rx_uninit(core);
    ioat_nic_tx_uninit(core);
}

/* Register access */

/*
 * The driver reaches some registers of the first 16 queues and filters
 * through legacy aliases (datasheet 8.2.3, "alias" notes); map them onto
 * the one register they name.
 */
static hwaddr ioat_nic_canonical(hwaddr addr)
{
    if (addr >= IOAT_NIC_SRRCTL_ALIAS(0) && addr < IOAT_NIC_SRRCTL_ALIAS(16)) {
        return IOAT_NIC_RXQ_BASE((addr - IOAT_NIC_SRRCTL_ALIAS(0)) / 4) +
               IOAT_NIC_RXQ_OFF_SRRCTL;
    }
    if (addr >= IOAT_NIC_DCA_RXCTRL_ALIAS(0) &&
        addr < IOAT_NIC_DCA_RXCTRL_ALIAS(16)) {
        return IOAT_NIC_RXQ_BASE((addr - IOAT_NIC_DCA_RXCTRL_ALIAS(0)) / 4) +
               IOAT_NIC_RXQ_OFF_DCA_RXCTRL;
    }
    if (addr >= IOAT_NIC_RAL_ALIAS(0) && addr < IOAT_NIC_RAL_ALIAS(16)) {
        return addr - IOAT_NIC_RAL_ALIAS(0) + IOAT_NIC_RAL(0);
    }
    if (addr >= IOAT_NIC_PSRTYPE_ALIAS(0) && addr < IOAT_NIC_PSRTYPE_ALIAS(16)) {
        return addr - IOAT_NIC_PSRTYPE_ALIAS(0) + IOAT_NIC_PSRTYPE(0);
    }
    return addr;
}

/* Queue register blocks: returns the queue and the offset inside it. */
static bool ioat_nic_rxq_decode(hwaddr addr, unsigned *q, unsigned *off)
{
    if (addr >= 0x01000 && addr < 0x02000) {
        *q = (addr - 0x01000) / 0x40;
    } else if (addr >= 0x0d000 && addr < 0x0e000) {
        *q = 64 + (addr - 0x0d000) / 0x40;
    } else {
        return false;
    }
    *off = addr & 0x3f;
    return true;
}

static bool ioat_nic_txq_decode(hwaddr addr, unsigned *q, unsigned *off)
{
    if (addr < 0x06000 || addr >= 0x08000) {
        return false;
    }
    *q = (addr - 0x06000) / 0x40;
    *off = addr & 0x3f;
    return true;
}

static int ioat_nic_eitr_decode(hwaddr addr)
{
    if (addr >= IOAT_NIC_EITR_LO(0) && addr < IOAT_NIC_EITR_LO(24)) {
        return (addr - IOAT_NIC_EITR_LO(0)) / 4;
    }
    if (addr >= IOAT_NIC_EITR_HI(24) && addr < IOAT_NIC_EITR_HI(64)) {
        return 24 + (addr - IOAT_NIC_EITR_HI(24)) / 4;
    }
    return -1;
}

/*
 * Per-queue statistics of the first 16 queues sit inside queue register
 * blocks (datasheet 8.2.3.23.71-76): QPRC, QBRC_L and QBRC_H at 0x30-0x38
 * of RX blocks 0-15, QPRDC at 0x30 of RX blocks 16-31, QPTC at 0x30 of TX
 * blocks 0-15; QBTC_L/H pairs follow at 0x8700.
 */
static bool ioat_nic_is_queue_stat(hwaddr addr)
{
    unsigned q, off;

    if (ioat_nic_rxq_decode(addr, &q, &off)) {
        return (q < IOAT_NIC_NUM_STAT_QUEUES && off >= 0x30 && off <= 0x38) ||
               (q < 2 * IOAT_NIC_NUM_STAT_QUEUES && off == 0x30);
    }
    if (ioat_nic_txq_decode(addr, &q, &off)) {
        return q < IOAT_NIC_NUM_STAT_QUEUES && off == 0x30;
    }
    return addr >= IOAT_NIC_QBTC_L(0) &&
           addr < IOAT_NIC_QBTC_L(IOAT_NIC_NUM_STAT_QUEUES);
}

/*
 * Statistics registers clear on read (datasheet 8.2.3.23).  The 36-bit
 * octet counters are read as a low register (bits 31:0) and then a high
 * one (bits 35:32), which clears the counter.
 */
static uint64_t *ioat_nic_stat36(IoatNicCore *core, hwaddr addr, bool *high)
{
    unsigned q, off;

    *high = addr & 4;
    switch (addr & ~4) {
    case A_GORCL:
        return &core->gorc;
    case A_GOTCL:
        return &core->gotc;
    case A_TORL:
        return &core->tor;
    }
    if (addr >= IOAT_NIC_QBTC_L(0) &&
        addr < IOAT_NIC_QBTC_L(IOAT_NIC_NUM_STAT_QUEUES)) {
        return &core->qbtc[(addr - IOAT_NIC_QBTC_L(0)) / 8];
    }
    if (ioat_nic_rxq_decode(addr, &q, &off) && q < IOAT_NIC_NUM_STAT_QUEUES &&
        (off == 0x34 || off == 0x38)) {
        *high = off == 0x38;
        return &core->qbrc[q];
    }
    return NULL;
}

static bool ioat_nic_is_stat(hwaddr addr)
{
    return (addr >= 0x03f00 && addr < 0x04000) ||  /* PXON/PXOFF, MPC */
           (addr >= 0x04000 && addr < 0x04100) ||  /* general statistics */
           (addr >= 0x04140 && addr < 0x041b0) ||  /* priority XON/XOFF RX */
           (addr >= 0x03240 && addr < 0x03260) ||  /* PXON2OFFCNT */
           addr == 0x0cf90 ||                      /* MNGPTC */
           addr == 0x0ee58 || addr == 0x0ee5c ||   /* FDIRMATCH/FDIRMISS */
           ioat_nic_is_queue_stat(addr);
}

static uint32_t ioat_nic_read_stat(IoatNicCore *core, hwaddr addr)
{
    bool high;
    uint64_t *c36 = ioat_nic_stat36(core, addr, &high);
    uint32_t val;

    if (c36) {
        val = high ? *c36 >> 32 : (uint32_t)*c36;
        if (high) {
            *c36 = 0;
        }
        return val;
    }
    val = core->mac[addr >> 2];
    core->mac[addr >> 2] = 0;
    return val;
}

static uint32_t ioat_nic_read_status(IoatNicCore *core)
{
    uint32_t status = 0;

    status = FIELD_DP32(status, STATUS, LAN_ID,
                        PCI_FUNC(core->owner->devfn) & 1);
    status = FIELD_DP32(status, STATUS, LINK_UP, ioat_nic_link_up(core));
    status = FIELD_DP32(status, STATUS, GIO_MASTER_EN,
                        !FIELD_EX32(core->mac[R_CTRL], CTRL, GIO_DIS));
    return status;
}

uint64_t ioat_nic_core_read(IoatNicCore *core, hwaddr addr, unsigned size)
{
    uint32_t val;

    if (addr >= IOAT_NIC_REG_SPACE) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_bad_offset,
                           "read of unimplemented offset 0x%" HWADDR_PRIx,
                           addr);
        return 0;
    }
    addr = ioat_nic_canonical(addr);
    if (ioat_nic_is_stat(addr)) {
        val = ioat_nic_read_stat(core, addr);
        trace_ioat_nic_mmio_read(addr, val);
        return val;
    }
    switch (addr) {
    case A_STATUS:
        val = ioat_nic_read_status(core);
        break;
    case A_EICR:
        /* Reading EICR returns the causes and clears them (8.2.3.5.1). */
        val = ioat_nic_eicr(core);
        core->mac[R_EICR] = 0;
        core->qcause &= ~0xffffULL;
        if (!ioat_nic_msix_mode(core)) {
            ioat_nic_update_legacy_irq(core);
        }
        break;
    case A_EICS:
        val = ioat_nic_eicr(core);
        break;
    case A_EIMS:
        val = ioat_nic_eims(core);
        break;
    case A_EIMS_EX0:
        val = core->qmask;
        break;
    case A_EIMS_EX1:
        val = core->qmask >> 32;
        break;
    case A_EIMC:
    case A_EIMC_EX0:
    case A_EIMC_EX1:
    case A_EICS_EX0:
    case A_EICS_EX1:
        val = 0;                        /* write-only */
        break;
    default:
        val = core->mac[addr >> 2];
        break;
    }
    trace_ioat_nic_mmio_read(addr, val);
    return val;
}

static void ioat_nic_write_ctrl(IoatNicCore *core, uint32_t val)
{
    /* RST and LNK_RST complete inside the write and read back as 0. */
    if (FIELD_EX32(val, CTRL, RST) || FIELD_EX32(val, CTRL, LNK_RST)) {
        trace_ioat_nic_sw_reset(val);
        ioat_nic_core_reset(core);
        return;
    }
    core->mac[R_CTRL] = val;
}

static void ioat_nic_write_eerd(IoatNicCore *core, uint32_t val)
{
    unsigned word = FIELD_EX32(val, EERD, ADDR);

    if (!FIELD_EX32(val, EERD, START)) {
        return;
    }
    if (word >= IOAT_NIC_EEPROM_WORDS) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_eeprom_addr,
                           "EERD: word 0x%x beyond the %u-word EEPROM",
                           word, IOAT_NIC_EEPROM_WORDS);
        core->mac[R_EERD] = FIELD_DP32(val & ~R_EERD_START_MASK, EERD, DONE, 1);
        return;
    }
    val = FIELD_DP32(0, EERD, ADDR, word);
    val = FIELD_DP32(val, EERD, DATA, core->eeprom[word]);
    core->mac[R_EERD] = FIELD_DP32(val, EERD, DONE, 1);
}

/* MDIO with no PHY attached: commands complete at once, reads 0xffff. */
static void ioat_nic_write_msca(IoatNicCore *core, uint32_t val)
{
    if (FIELD_EX32(val, MSCA, MDI_COMMAND) &&
        FIELD_EX32(val, MSCA, OPCODE) == IOAT_NIC_MSCA_OP_READ) {
        core->mac[R_MSRWD] = 0xffff0000 | (core->mac[R_MSRWD] & 0xffff);
    }
    core->mac[R_MSCA] = FIELD_DP32(val, MSCA, MDI_COMMAND, 0);
}

static void ioat_nic_write_rxq(IoatNicCore *core, unsigned q, unsigned off,
                               uint32_t val)
{
    uint32_t *reg = ioat_nic_rxq_regp(core, q, off);

    switch (off) {
    case IOAT_NIC_RXQ_OFF_RDBAL:
        *reg = val & ~0x7fu;
        break;
    case IOAT_NIC_RXQ_OFF_RDLEN:
        *reg = val & 0x000fff80;
        break;
    case IOAT_NIC_RXQ_OFF_RDH:
        *reg = val & 0xffff;
        break;
    case IOAT_NIC_RXQ_OFF_RDT:
        *reg = val & 0xffff;
        trace_ioat_nic_rx_tail(q, *reg);
        ioat_nic_rx_tail_written(core);
        break;
    case IOAT_NIC_RXQ_OFF_RXDCTL:
        *reg = FIELD_DP32(val, RXDCTL, SWFLSH, 0);
        trace_ioat_nic_rx_queue_enable(q, FIELD_EX32(val, RXDCTL, ENABLE));
        ioat_nic_rx_tail_written(core);
        break;
    default:
        *reg = val;
        break;
    }
}

static void ioat_nic_write_txq(IoatNicCore *core, unsigned q, unsigned off,
                               uint32_t val)
{
    uint32_t *reg = ioat_nic_txq_regp(core, q, off);

    switch (off) {
    case IOAT_NIC_TXQ_OFF_TDBAL:
        *reg = val & ~0x7fu;
        break;
    case IOAT_NIC_TXQ_OFF_TDLEN:
        *reg = val & 0x000fff80;
        break;
    case IOAT_NIC_TXQ_OFF_TDH:
        *reg = val & 0xffff;
        break;
    case IOAT_NIC_TXQ_OFF_TDT:
        *reg = val & 0xffff;
        ioat_nic_tx_tail_written(core, q);
        break;
    case IOAT_NIC_TXQ_OFF_TXDCTL:
        *reg = FIELD_DP32(val, TXDCTL, SWFLSH, 0);
        trace_ioat_nic_tx_queue_enable(q, FIELD_EX32(val, TXDCTL, ENABLE));
        ioat_nic_tx_tail_written(core, q);
        break;
    case IOAT_NIC_TXQ_OFF_TDWBAL:
        *reg = val & ~0x2u;     /* bits 1:0 are the enable and reserved */
        break;
    default:
        *reg = val;
        break;
    }
}

static void ioat_nic_ro_write(hwaddr addr)
{
    IOAT_NIC_GUEST_ERR(ioat_nic_err_ro_write,
                       "write to read-only register at 0x%" HWADDR_PRIx, addr);
}

void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val64,
                         unsigned size)
{
    uint32_t val = val64;
    unsigned q, off;
    int v;

    if (addr >= IOAT_NIC_REG_SPACE) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_bad_offset,
                           "write of unimplemented offset 0x%" HWADDR_PRIx,
                           addr);
        return;
    }
    addr = ioat_nic_canonical(addr);
    trace_ioat_nic_mmio_write(addr, val);

    if (ioat_nic_is_stat(addr)) {
        ioat_nic_ro_write(addr);
        return;
    }
    if (ioat_nic_rxq_decode(addr, &q, &off)) {
        ioat_nic_write_rxq(core, q, off, val);
        return;
    }
    if (ioat_nic_txq_decode(addr, &q, &off)) {
        ioat_nic_write_txq(core, q, off, val);
        return;
    }
    v = ioat_nic_eitr_decode(addr);
    if (v >= 0) {
        core->mac[addr >> 2] = val & (IOAT_NIC_EITR_ITR_MASK |
                                      IOAT_NIC_EITR_CNT_WDIS);
        return;
    }
    if (addr >= IOAT_NIC_RAH(0) && addr <= IOAT_NIC_RAH(IOAT_NIC_NUM_RAR - 1) &&
        (addr & 7) == 4) {
        core->mac[addr >> 2] = val & IOAT_NIC_RAH_WMASK;
        return;
    }

    switch (addr) {
    case A_CTRL:
        ioat_nic_write_ctrl(core, val);
        break;
    case A_STATUS:
    case A_LINKS:
    case A_FWSM:
    case A_SECTXSTAT:
    case A_SECRXSTAT:
        ioat_nic_ro_write(addr);
        break;
    case A_EICR:                        /* write 1 to clear */
        core->mac[R_EICR] &= ~(val & ~R_EICR_RTXQ_MASK);
        core->qcause &= ~(uint64_t)(val & R_EICR_RTXQ_MASK);
        if (!ioat_nic_msix_mode(core)) {
            ioat_nic_update_legacy_irq(core);
        }
        break;
    case A_EICS:
        ioat_nic_set_causes(core, val & R_EICR_RTXQ_MASK, val);
        break;
    case A_EICS_EX0:
    case A_EICS_EX1:
        ioat_nic_set_causes(core, (uint64_t)val << (addr == A_EICS_EX1 ? 32 : 0),
                            0);
        break;
    case A_EIMS:
        ioat_nic_set_mask(core, val & R_EICR_RTXQ_MASK, val);
        break;
    case A_EIMS_EX0:
    case A_EIMS_EX1:
        ioat_nic_set_mask(core, (uint64_t)val << (addr == A_EIMS_EX1 ? 32 : 0),
                          0);
        break;
    case A_EIMC:
        ioat_nic_clear_mask(core, val & R_EICR_RTXQ_MASK, val);
        break;
    case A_EIMC_EX0:
    case A_EIMC_EX1:
        ioat_nic_clear_mask(core,
                            (uint64_t)val << (addr == A_EIMC_EX1 ? 32 : 0), 0);
        break;
    case A_EERD:
        ioat_nic_write_eerd(core, val);
        break;
    case A_MSCA:
        ioat_nic_write_msca(core, val);
        break;
    case A_GSSR:
        /* No firmware: its semaphore bits never read as taken. */
        core->mac[R_GSSR] = val & ~R_GSSR_FW_MASK;
        break;
    case A_AUTOC:
        core->mac[R_AUTOC] = FIELD_DP32(val, AUTOC, AN_RESTART, 0);
        break;
    case A_FDIRCTRL:
        core->mac[R_FDIRCTRL] = FIELD_DP32(val, FDIRCTRL, INIT_DONE, 1);
        break;
    case A_FDIRCMD:
        core->mac[R_FDIRCMD] = FIELD_DP32(val, FDIRCMD, CMD, 0);
        break;
    case A_RXCTRL:
        core->mac[R_RXCTRL] = val;
        trace_ioat_nic_rx_enable(FIELD_EX32(val, RXCTRL, RXEN));
        ioat_nic_rx_tail_written(core);
        break;
    case A_DMATXCTL:
        core->mac[R_DMATXCTL] = val;
        if (FIELD_EX32(val, DMATXCTL, TE)) {
            for (q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
                ioat_nic_tx_tail_written(core, q);
            }
        }
        break;
    default:
        core->mac[addr >> 2] = val;
        break;
    }
}

void ioat_nic_core_set_link_status(IoatNicCore *core)
{
    uint32_t old = core->mac[R_LINKS];

    ioat_nic_update_links(core);
    trace_ioat_nic_link_status(ioat_nic_link_up(core));
    if (old != core->mac[R_LINKS]) {
        ioat_nic_raise_other(core, R_EICR_LSC_MASK);
    }
}

bool ioat_nic_core_can_receive(IoatNicCore *core)
{
    return ioat_nic_rx_enabled(core);
}

ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt)
{
    /* In MAC loopback the port is disconnected from the wire (8.2.3.22.8). */
    if (FIELD_EX32(core->mac[R_HLREG0], HLREG0, LPBK)) {
        trace_ioat_nic_rx_loopback_drop(iov_size(iov, iovcnt));
        return iov_size(iov, iovcnt);
    }
    return ioat_nic_rx_frame(core, iov, iovcnt, false);
}

/* Reject ring indexes no guest could have programmed (RDH/TDH < ring). */
int ioat_nic_core_post_load(IoatNicCore *core)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        unsigned rn = ioat_nic_rxq_reg(core, q, IOAT_NIC_RXQ_OFF_RDLEN) / IOAT_NIC_DESC_SIZE;
        unsigned tn = *ioat_nic_txq_regp(core, q, IOAT_NIC_TXQ_OFF_TDLEN) / IOAT_NIC_DESC_SIZE;

        if ((rn && ioat_nic_rxq_reg(core, q, IOAT_NIC_RXQ_OFF_RDH) >= rn) ||
            (tn && *ioat_nic_txq_regp(core, q, IOAT_NIC_TXQ_OFF_TDH) >= tn)) {
            return -EINVAL;
        }
        /* A packet half gathered at save time is lost: drop its rest. */
        if (!core->txq[q].first) {
            core->txq[q].skip = true;
        }
        core->txq[q].len = 0;
    }
    ioat_nic_update_links(core);
    return 0;
}

static const VMStateDescription ioat_nic_vmstate_tx_ctx = {
    .name = "ioat-nic-tx-context",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(vlan_macip_lens, IoatNicTxContext),
        VMSTATE_UINT32(seqnum_seed, IoatNicTxContext),
        VMSTATE_UINT32(type_tucmd_mlhl, IoatNicTxContext),
        VMSTATE_UINT32(mss_l4len_idx, IoatNicTxContext),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_nic_vmstate_txq = {
    .name = "ioat-nic-tx-queue",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(ctx, IoatNicTxQueue, 2, 1,
                             ioat_nic_vmstate_tx_ctx, IoatNicTxContext),
        VMSTATE_UINT32(first_cmd_type_len, IoatNicTxQueue),
        VMSTATE_UINT32(first_olinfo_status, IoatNicTxQueue),
        VMSTATE_BOOL(first, IoatNicTxQueue),
        VMSTATE_BOOL(skip, IoatNicTxQueue),
        VMSTATE_END_OF_LIST()
    }
};

const VMStateDescription ioat_nic_core_vmstate = {
    .name = "ioat-nic-core",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(mac, IoatNicCore, IOAT_NIC_MAC_WORDS),
        VMSTATE_UINT64(qcause, IoatNicCore),
        VMSTATE_UINT64(qmask, IoatNicCore),
        VMSTATE_TIMER_PTR_ARRAY(eitr_timer, IoatNicCore, IOAT_NIC_MSIX_VECTORS),
        VMSTATE_BOOL_ARRAY(eitr_pending, IoatNicCore, IOAT_NIC_MSIX_VECTORS),
        VMSTATE_BOOL(intx_level, IoatNicCore),
        VMSTATE_UINT64(gorc, IoatNicCore),
        VMSTATE_UINT64(gotc, IoatNicCore),
        VMSTATE_UINT64(tor, IoatNicCore),
        VMSTATE_UINT64_ARRAY(qbrc, IoatNicCore, IOAT_NIC_NUM_STAT_QUEUES),
        VMSTATE_UINT64_ARRAY(qbtc, IoatNicCore, IOAT_NIC_NUM_STAT_QUEUES),
        VMSTATE_STRUCT_ARRAY(txq, IoatNicCore, IOAT_NIC_NUM_QUEUES, 1,
                             ioat_nic_vmstate_txq, IoatNicTxQueue),
        VMSTATE_END_OF_LIST()
    }
};
