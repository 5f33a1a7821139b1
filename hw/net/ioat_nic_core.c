/*
 * Intel 82599 10 GbE controller (ioat-nic): reset, EEPROM, link and
 * BAR0 access
 *
 * Register values and semantics follow the 82599 datasheet (section 8);
 * which register is where is ioat_nic_regs.c's business.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/bitmap.h"
#include "qemu/cutils.h"
#include "hw/pci/pci_device.h"
#include "migration/vmstate.h"
#include "system/runstate.h"
#include "ioat_nic_int.h"
#include "trace.h"

/*
 * The EEPROM image (datasheet 6.2, 6.3): control words, the module
 * pointers of words 0x03-0x0f, PBA number, device capabilities and
 * ETrack ID; the LAN core 0 module holds the MAC address.  A pointer or
 * word left at 0xffff means "no module".  Word 0x3f makes the datasheet's
 * checksum come out at 0xbaba: words 0x00-0x3e plus the words of every
 * module pointers 0x03-0x0e name, excluding each module's length word.
 */
static const struct {
    uint16_t word;
    uint16_t val;
} ioat_nic_eeprom_words[] = {
    { 0x00, 0x0000 }, { 0x01, 0x0000 }, { 0x02, 0x0000 },
    { IOAT_NIC_EEPROM_LAN_CORE0_PTR, IOAT_NIC_EEPROM_LAN_CORE0 },
    { 0x15, 0xe687 }, { 0x16, 0x8505 },     /* PBA number E68785-005 */
    { 0x2c, 0x0082 },                       /* device caps: no FCoE */
    { 0x2d, 0x05e4 }, { 0x2e, 0x8000 },     /* ETrack ID 0x800005e4 */
    { IOAT_NIC_EEPROM_LAN_CORE0, 3 },       /* module length in words */
};

/* The datasheet's checksum over an image whose word 0x3f is not yet set. */
static uint16_t ioat_nic_eeprom_sum(const uint16_t *eeprom, unsigned words)
{
    uint16_t sum = 0;

    for (unsigned i = 0; i < IOAT_NIC_EEPROM_CHECKSUM_WORD; i++) {
        sum += eeprom[i];
    }
    for (unsigned p = IOAT_NIC_EEPROM_FIRST_PTR; p <= IOAT_NIC_EEPROM_LAST_PTR;
         p++) {
        unsigned ptr = eeprom[p], len;

        if (ptr == 0 || ptr == 0xffff || ptr >= words) {
            continue;
        }
        len = eeprom[ptr];
        if (len == 0 || len == 0xffff) {
            continue;
        }
        for (unsigned j = ptr + 1; j <= ptr + len && j < words; j++) {
            sum += eeprom[j];
        }
    }
    return sum;
}

static void ioat_nic_eeprom_init(IoatNicCore *core)
{
    uint16_t *mac = &core->eeprom[IOAT_NIC_EEPROM_LAN_CORE0 + 1];

    for (unsigned i = 0; i < IOAT_NIC_EEPROM_WORDS; i++) {
        core->eeprom[i] = 0xffff;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(ioat_nic_eeprom_words); i++) {
        core->eeprom[ioat_nic_eeprom_words[i].word] =
            ioat_nic_eeprom_words[i].val;
    }
    /* Ethernet address, first byte in the low byte of the first word */
    for (unsigned i = 0; i < 3; i++) {
        mac[i] = lduw_le_p(core->permanent_mac + 2 * i);
    }
    core->eeprom[IOAT_NIC_EEPROM_CHECKSUM_WORD] =
        IOAT_NIC_EEPROM_CHECKSUM -
        ioat_nic_eeprom_sum(core->eeprom, IOAT_NIC_EEPROM_WORDS);
}

/* Link */

/* How often the PHY looks for a lost backend peer */
#define IOAT_NIC_LINK_POLL_NS       (100 * SCALE_MS)
/* Each half, down then up, of an injected link flap */
#define IOAT_NIC_LINK_FLAP_NS       (500 * SCALE_MS)

/*
 * Up while our netdev's link is up and the backend's too: a socket or
 * stream netdev whose peer went away marks itself down without telling
 * the NIC, which notices it at transmit and polls for the peer's return
 * (ioat_nic_link_check()).
 */
bool ioat_nic_link_up(IoatNicCore *core)
{
    NetClientState *nc = qemu_get_queue(core->nic);

    return !nc->link_down && !(nc->peer && nc->peer->link_down) &&
           !core->fault.flap_down;
}

void ioat_nic_link_check(IoatNicCore *core)
{
    if (ioat_nic_link_up(core) != FIELD_EX32(core->mac[R_LINKS], LINKS, UP)) {
        ioat_nic_core_set_link_status(core);
    }
}

static void ioat_nic_link_watch(IoatNicCore *core);

/* The poll goes on while only the backend is down. */
static void ioat_nic_link_poll(void *opaque)
{
    ioat_nic_link_check(opaque);
    ioat_nic_link_watch(opaque);
}

/* While only the backend is down, the PHY looks for its peer's return. */
static void ioat_nic_link_watch(IoatNicCore *core)
{
    if (!ioat_nic_link_up(core) && !qemu_get_queue(core->nic)->link_down) {
        timer_mod(core->link_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  IOAT_NIC_LINK_POLL_NS);
    } else {
        timer_del(core->link_timer);
    }
}

/* fault-link-flap: the next half of the current down-up cycle. */
static void ioat_nic_link_flap(void *opaque)
{
    IoatNicCore *core = opaque;

    if (core->fault.flap_down) {
        core->fault.flap_down = false;
        if (core->fault.link_flap) {
            core->fault.link_flap--;
        }
    } else if (core->fault.link_flap) {
        core->fault.flap_down = true;
    } else {
        return;
    }
    trace_ioat_nic_fault_link_flap(!core->fault.flap_down,
                                   core->fault.link_flap);
    if (core->fault.flap_down || core->fault.link_flap) {
        timer_mod(core->flap_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  IOAT_NIC_LINK_FLAP_NS);
    }
    ioat_nic_core_set_link_status(core);
}

/* fault-link-flap: @flaps down-up cycles, the first starting now. */
void ioat_nic_core_set_link_flap(IoatNicCore *core, uint32_t flaps)
{
    core->fault.link_flap = flaps;
    if (flaps && core->flap_timer && !timer_pending(core->flap_timer)) {
        ioat_nic_link_flap(core);
    }
}

static uint32_t ioat_nic_links(IoatNicCore *core)
{
    uint32_t links = 0;

    if (ioat_nic_link_up(core)) {
        links = FIELD_DP32(links, LINKS, UP, 1);
        links = FIELD_DP32(links, LINKS, SPEED, IOAT_NIC_LINKS_SPEED_10G);
        links = FIELD_DP32(links, LINKS, KX_AN_COMP, 1);
    }
    return links;
}

/* The stored LINKS is the state LSC last reported. */
static void ioat_nic_update_links(IoatNicCore *core)
{
    core->mac[R_LINKS] = ioat_nic_links(core);
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
    ioat_nic_intr_reset(core);
    ioat_nic_regs_reset(core);
    core->gorc = core->gotc = core->tor = 0;
    core->rxdgbc = core->txdgbc = 0;
    memset(core->qbrc, 0, sizeof(core->qbrc));
    memset(core->qbtc, 0, sizeof(core->qbtc));
    ioat_nic_load_mac_address(core);
    ioat_nic_update_links(core);
    ioat_nic_link_watch(core);
    memset(core->vf_mbx, 0, sizeof(core->vf_mbx));
    memset(core->vf_intr, 0, sizeof(core->vf_intr));
    ioat_nic_vf_intr_reset(core);
    core->vflre = 0;
    memset(core->pool_stats, 0, sizeof(core->pool_stats));
    memset(core->qde, 0, sizeof(core->qde));
    ioat_nic_rx_reset(core);
    core->rx_refused = true;
    ioat_nic_tx_reset(core);
    ioat_nic_dma_forget_all(core);
    ioat_nic_fdir_reset(core);
    ioat_nic_filter_sync(core);
    if (core->fault.tx_hang) {
        core->fault.tx_hang--;
        trace_ioat_nic_fault_tx_hang(core->fault.tx_hang);
    }
}

static void ioat_nic_vm_state_change(void *opaque, bool running,
                                     RunState state)
{
    if (!running) {
        ioat_nic_rx_vm_stopped(opaque);
    }
}

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr)
{
    core->owner = owner;
    core->nic = nic;
    core->rx_refused = true;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
    core->unimp_reported = bitmap_new(IOAT_NIC_MMIO_SIZE / 4);
    ioat_nic_regs_init();
    ioat_nic_intr_realize(core);
    ioat_nic_vf_intr_realize(core);
    core->link_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ioat_nic_link_poll,
                                    core);
    core->flap_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ioat_nic_link_flap,
                                    core);
    ioat_nic_eeprom_init(core);
    ioat_nic_rx_init(core);
    ioat_nic_tx_init(core);
    ioat_nic_fdir_realize(core);
    core->vmstate_change =
        qemu_add_vm_change_state_handler(ioat_nic_vm_state_change, core);
}

/*
 * Unplugged, maybe by the device's own DMA write or message with its code
 * on the stack (ioat_nic_gone()): timers and the TX bottom half stop here,
 * what such code may still hold is freed at finalize.
 */
void ioat_nic_core_unrealize(IoatNicCore *core)
{
    ioat_nic_intr_unrealize(core);
    ioat_nic_vf_intr_unrealize(core);
    timer_del(core->link_timer);
    timer_del(core->flap_timer);
    qemu_del_vm_change_state_handler(core->vmstate_change);
    core->vmstate_change = NULL;
    ioat_nic_rx_unrealize(core);
    ioat_nic_tx_uninit(core);
    ioat_nic_fdir_unrealize(core);
}

void ioat_nic_core_finalize(IoatNicCore *core)
{
    ioat_nic_intr_finalize(core);
    ioat_nic_vf_intr_finalize(core);
    timer_free(core->link_timer);
    core->link_timer = NULL;
    timer_free(core->flap_timer);
    core->flap_timer = NULL;
    ioat_nic_rx_uninit(core);
    ioat_nic_tx_finalize(core);
    ioat_nic_dma_forget_all(core);
    g_free(core->unimp_reported);
    core->unimp_reported = NULL;
}

/* Register hooks (the others live with the block they drive) */

uint32_t ioat_nic_read_status(IoatNicCore *core, const IoatNicReg *reg,
                              unsigned n, hwaddr addr)
{
    uint32_t status = 0;

    status = FIELD_DP32(status, STATUS, LAN_ID,
                        PCI_FUNC(core->owner->devfn) & 1);
    status = FIELD_DP32(status, STATUS, LINK_UP, ioat_nic_link_up(core));
    status = FIELD_DP32(status, STATUS, GIO_MASTER_EN,
                        !FIELD_EX32(core->mac[R_CTRL], CTRL, GIO_DIS));
    return status;
}

/* LINKS reads the link as it is now, as STATUS.LINK_UP does. */
uint32_t ioat_nic_read_links(IoatNicCore *core, const IoatNicReg *reg,
                             unsigned n, hwaddr addr)
{
    return ioat_nic_links(core);
}

void ioat_nic_write_ctrl(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    /* RST and LNK_RST complete inside the write and read back as 0. */
    if (FIELD_EX32(val, CTRL, RST) || FIELD_EX32(val, CTRL, LNK_RST)) {
        trace_ioat_nic_sw_reset(val);
        ioat_nic_core_reset(core);
        return;
    }
    ioat_nic_reg_store(core, reg, addr, val);
}

/* EEPROM reads complete at once (8.2.3.2.2). */
void ioat_nic_write_eerd(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    unsigned word = FIELD_EX32(val, EERD, ADDR);

    if (!FIELD_EX32(val, EERD, START)) {
        return;
    }
    /*
     * A serial EEPROM ignores the address bits above its size (EEC.SIZE),
     * so a read past the end wraps around.
     */
    if (word >= IOAT_NIC_EEPROM_WORDS) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_eeprom_addr,
                           "EERD: word 0x%x beyond the %u-word EEPROM "
                           "(EEC.SIZE); the read wraps to word 0x%x",
                           word, IOAT_NIC_EEPROM_WORDS,
                           word % IOAT_NIC_EEPROM_WORDS);
    }
    val = FIELD_DP32(0, EERD, ADDR, word);
    val = FIELD_DP32(val, EERD, DATA,
                     core->eeprom[word % IOAT_NIC_EEPROM_WORDS]);
    core->mac[R_EERD] = FIELD_DP32(val, EERD, DONE, 1);
}

/*
 * EEC.REQ asks for the EEPROM's pins, to bit-bang it (SK, CS, DI, DO):
 * not modelled, so GNT never comes.  EERD reads the EEPROM.  The first
 * request is reported.
 */
void ioat_nic_write_eec(IoatNicCore *core, const IoatNicReg *reg,
                        unsigned n, hwaddr addr, uint32_t val)
{
    ioat_nic_reg_store(core, reg, addr, val);
    if (FIELD_EX32(val, EEC, REQ)) {
        ioat_nic_unimp_setting(core, A_EEC, reg->name, n, addr, val,
                               "bit-banged EEPROM access (EEC.GNT stays "
                               "clear; EERD reads the EEPROM)");
    }
}

/* MDIO with no PHY attached: commands complete at once, reads 0xffff. */
void ioat_nic_write_msca(IoatNicCore *core, const IoatNicReg *reg,
                         unsigned n, hwaddr addr, uint32_t val)
{
    if (FIELD_EX32(val, MSCA, MDI_COMMAND) &&
        FIELD_EX32(val, MSCA, OPCODE) == IOAT_NIC_MSCA_OP_READ) {
        core->mac[R_MSRWD] = 0xffff0000 | (core->mac[R_MSRWD] & 0xffff);
    }
    ioat_nic_reg_store(core, reg, addr, val);
}

/* BAR0 access */

static void ioat_nic_unimp_read(IoatNicCore *core, hwaddr addr)
{
    trace_ioat_nic_unimp_read(addr);
    if (ioat_nic_report_unimp_once(core, addr)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_read: offset 0x%05"
                      HWADDR_PRIx " is not implemented; reads 0\n", addr);
    }
}

static void ioat_nic_unimp_write(IoatNicCore *core, hwaddr addr, uint32_t val)
{
    trace_ioat_nic_unimp_write(addr, val);
    if (ioat_nic_report_unimp_once(core, addr)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_write: offset 0x%05"
                      HWADDR_PRIx " is not implemented; 0x%08" PRIx32
                      " ignored\n", addr, val);
    }
}

/*
 * A register the model stores but does not act on: the first write that
 * moves it away from its reset value, to any instance, is reported.
 */
static void ioat_nic_unimp_reg(IoatNicCore *core, const IoatNicReg *reg,
                               unsigned n, hwaddr addr, uint32_t val)
{
    trace_ioat_nic_unimp_reg(reg->name, n, addr, val);
    if (val == reg->reset || !ioat_nic_report_unimp_once(core, reg->base)) {
        return;
    }
    qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: %s[%u] (0x%05" HWADDR_PRIx
                  ") = 0x%08" PRIx32 " stored; not modelled: %s; not "
                  "reported again for %s[%u..%u]\n", reg->name, n, addr, val,
                  reg->unimp, reg->name, reg->first,
                  reg->first + reg->count - 1);
}

/*
 * A write of @name[@n] that asks for what the model does not do (@what):
 * traced, and reported the first time for @key.
 */
void ioat_nic_unimp_setting(IoatNicCore *core, hwaddr key, const char *name,
                            unsigned n, hwaddr addr, uint32_t val,
                            const char *what)
{
    trace_ioat_nic_unimp_reg(name, n, addr, val);
    if (ioat_nic_report_unimp_once(core, key)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_unimp_reg: %s[%u] (0x%05"
                      HWADDR_PRIx ") = 0x%08" PRIx32 ": %s is not modelled\n",
                      name, n, addr, val, what);
    }
}

/* A statistic the model does not keep: the first read of any instance */
static void ioat_nic_uncounted_read(IoatNicCore *core, const IoatNicReg *reg,
                                    unsigned n, hwaddr addr)
{
    trace_ioat_nic_uncounted_read(reg->name, n, addr);
    if (ioat_nic_report_unimp_once(core, reg->base)) {
        qemu_log_mask(LOG_UNIMP, "ioat_nic_uncounted_read: %s[%u] (0x%05"
                      HWADDR_PRIx ") reads 0; not modelled: %s\n",
                      reg->name, n, addr, reg->unimp);
    }
}

uint64_t ioat_nic_core_read(IoatNicCore *core, hwaddr addr, unsigned size)
{
    hwaddr at = addr;
    const IoatNicReg *reg;
    uint32_t val;
    unsigned n;

    reg = ioat_nic_reg_decode(&at, &n);
    if (!reg) {
        ioat_nic_unimp_read(core, addr);
        return 0;
    }
    if (reg->flags & IOAT_NIC_REG_UNCOUNTED) {
        ioat_nic_uncounted_read(core, reg, n, at);
        val = 0;
    } else {
        val = ioat_nic_reg_load(core, reg, n, at);
    }
    trace_ioat_nic_mmio_read(at, reg->name, n, val);
    return val;
}

void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val64,
                         unsigned size)
{
    uint32_t val = val64;
    hwaddr at = addr;
    const IoatNicReg *reg;
    unsigned n;

    reg = ioat_nic_reg_decode(&at, &n);
    if (!reg) {
        ioat_nic_unimp_write(core, addr, val);
        return;
    }
    trace_ioat_nic_mmio_write(at, reg->name, n, val);
    if (reg->flags & IOAT_NIC_REG_RO) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_ro_write,
                           "%s[%u] (0x%05" HWADDR_PRIx ") is read-only; "
                           "0x%08" PRIx32 " ignored", reg->name, n, at, val);
        return;
    }
    if (reg->flags & IOAT_NIC_REG_UNIMP) {
        ioat_nic_unimp_reg(core, reg, n, at, val);
    }
    if (reg->write) {
        reg->write(core, reg, n, at, val);
    } else {
        ioat_nic_reg_store(core, reg, at, val);
    }
}

/*
 * LINKS follows the link and a change raises LSC (7.3.1).  Transmit held
 * for the link goes on once it is up; while only the backend is down, the
 * PHY looks for its partner every IOAT_NIC_LINK_POLL_NS.
 */
void ioat_nic_core_set_link_status(IoatNicCore *core)
{
    uint32_t old = core->mac[R_LINKS];
    bool up = ioat_nic_link_up(core);

    ioat_nic_update_links(core);
    trace_ioat_nic_link_status(up);
    ioat_nic_link_watch(core);
    if (up && core->tx_link_wait && core->tx_bh) {
        core->tx_link_wait = false;
        ioat_nic_tx_resume(core);
    }
    if (old != core->mac[R_LINKS]) {
        ioat_nic_raise_other(core, R_EICR_LSC_MASK);
    }
}

/* fault-tx-hang: transmit stuck until @resets resets; 0 lets it go on. */
void ioat_nic_core_set_tx_hang(IoatNicCore *core, uint32_t resets)
{
    core->fault.tx_hang = resets;
    trace_ioat_nic_fault_tx_hang(resets);
    if (!resets && core->tx_bh) {
        ioat_nic_tx_resume(core);
    }
}

bool ioat_nic_core_can_receive(IoatNicCore *core)
{
    if (ioat_nic_rx_enabled(core) && !core->rx_late.ndesc) {
        return true;
    }
    core->rx_refused = true;
    return false;
}

ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt)
{
    if (core->fault.removed) {
        return iov_size(iov, iovcnt);
    }
    /* In MAC loopback the port is disconnected from the wire (8.2.3.22.8). */
    if (FIELD_EX32(core->mac[R_HLREG0], HLREG0, LPBK)) {
        trace_ioat_nic_rx_loopback_drop(iov_size(iov, iovcnt));
        return iov_size(iov, iovcnt);
    }
    return ioat_nic_rx_frame(core, iov, iovcnt, false);
}

/* Reject ring indexes no guest could have programmed (RDH/TDH < ring). */
/*
 * A ring's length as a guest can write it (within RDLEN/TDLEN's bits) and
 * its head inside it.  The tail may lie outside: use checks it.
 */
static bool ioat_nic_ring_regs_valid(uint32_t len, uint32_t head)
{
    uint32_t n = len / IOAT_NIC_DESC_SIZE;

    return !(len & ~IOAT_NIC_RING_LEN_MASK) && (!n || head < n);
}

/* The incoming state is a guest's: refuse what no guest could set. */
int ioat_nic_core_post_load(IoatNicCore *core)
{
    for (unsigned q = 0; q < IOAT_NIC_NUM_QUEUES; q++) {
        if (!ioat_nic_ring_regs_valid(ioat_nic_reg(core, IOAT_NIC_RDLEN(q)),
                                      ioat_nic_reg(core, IOAT_NIC_RDH(q))) ||
            !ioat_nic_ring_regs_valid(ioat_nic_reg(core, IOAT_NIC_TDLEN(q)),
                                      ioat_nic_reg(core, IOAT_NIC_TDH(q)))) {
            return -EINVAL;
        }
        /* A packet half gathered at save time is lost: drop its rest. */
        if (!core->txq[q].first) {
            core->txq[q].skip = true;
        }
        core->txq[q].len = 0;
    }
    ioat_nic_update_links(core);
    ioat_nic_tx_resume(core);
    ioat_nic_link_watch(core);
    ioat_nic_vf_intr_post_load(core);
    ioat_nic_filter_sync(core);
    return ioat_nic_fdir_post_load(core);
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

static bool ioat_nic_fdir_needed(void *opaque)
{
    IoatNicCore *core = opaque;

    return core->fdir.nfilter > 0;
}

static const VMStateDescription ioat_nic_vmstate_fdir_table = {
    .name = "ioat-nic-core/fdir",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = ioat_nic_fdir_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(fdir, IoatNicCore, 1, ioat_nic_vmstate_fdir,
                       IoatNicFdir),
        VMSTATE_END_OF_LIST()
    }
};

static bool ioat_nic_vf_state_needed(void *opaque)
{
    IoatNicCore *core = opaque;

    bool eitr = false;

    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS && !eitr; vf++) {
        eitr = !buffer_is_zero(core->vf_eitr[vf].next_ns,
                               sizeof(core->vf_eitr[vf].next_ns));
    }
    return core->vflre || eitr ||
           !buffer_is_zero(core->vf_mbx, sizeof(core->vf_mbx)) ||
           !buffer_is_zero(core->vf_intr, sizeof(core->vf_intr));
}

/* Only bits the registers can hold: a VF has 3 vectors. */
static int ioat_nic_vf_state_post_load(void *opaque, int version_id)
{
    IoatNicCore *core = opaque;
    const uint8_t bits = IOAT_NIC_VFMAILBOX_PFSTS | IOAT_NIC_VFMAILBOX_PFACK |
                         IOAT_NIC_VFMAILBOX_RSTD;
    const uint32_t causes = MAKE_64BIT_MASK(0, IOAT_NIC_VF_MSIX_VECTORS);

    for (unsigned vf = 0; vf < IOAT_NIC_NUM_VFS; vf++) {
        IoatNicVfIntr *vi = &core->vf_intr[vf];

        if ((core->vf_mbx[vf] & ~bits) ||
            ((vi->eicr | vi->eims | vi->eiac | vi->eiam) & ~causes)) {
            return -EINVAL;
        }
    }
    return 0;
}

static const VMStateDescription ioat_nic_vmstate_vf_intr = {
    .name = "ioat-nic-core/vf-intr",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(eicr, IoatNicVfIntr),
        VMSTATE_UINT32(eims, IoatNicVfIntr),
        VMSTATE_UINT32(eiac, IoatNicVfIntr),
        VMSTATE_UINT32(eiam, IoatNicVfIntr),
        VMSTATE_UINT32_ARRAY(ivar, IoatNicVfIntr, 4),
        VMSTATE_UINT32(ivar_misc, IoatNicVfIntr),
        VMSTATE_UINT32_ARRAY(eitr, IoatNicVfIntr, IOAT_NIC_VF_MSIX_VECTORS),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_nic_vmstate_vf_eitr = {
    .name = "ioat-nic-core/vf-eitr",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_INT64_ARRAY(next_ns, IoatNicVfEitr, IOAT_NIC_VF_MSIX_VECTORS),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_nic_vmstate_vf = {
    .name = "ioat-nic-core/vf",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = ioat_nic_vf_state_needed,
    .post_load = ioat_nic_vf_state_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(vf_mbx, IoatNicCore, IOAT_NIC_NUM_VFS),
        VMSTATE_STRUCT_ARRAY(vf_intr, IoatNicCore, IOAT_NIC_NUM_VFS, 1,
                             ioat_nic_vmstate_vf_intr, IoatNicVfIntr),
        VMSTATE_UINT64(vflre, IoatNicCore),
        VMSTATE_STRUCT_ARRAY(vf_eitr, IoatNicCore, IOAT_NIC_NUM_VFS, 1,
                             ioat_nic_vmstate_vf_eitr, IoatNicVfEitr),
        VMSTATE_END_OF_LIST()
    }
};

static bool ioat_nic_pools_needed(void *opaque)
{
    IoatNicCore *core = opaque;

    return !buffer_is_zero(core->pool_stats, sizeof(core->pool_stats)) ||
           core->qde[0] || core->qde[1];
}

/* 36-bit octet counters */
static int ioat_nic_pools_post_load(void *opaque, int version_id)
{
    IoatNicCore *core = opaque;

    for (unsigned p = 0; p < IOAT_NIC_NUM_POOLS; p++) {
        if ((core->pool_stats[p].gorc | core->pool_stats[p].gotc) >> 36) {
            return -EINVAL;
        }
    }
    return 0;
}

static bool ioat_nic_dma_stats_needed(void *opaque)
{
    IoatNicCore *core = opaque;

    return core->rxdgbc || core->txdgbc;
}

/* 36-bit octet counters */
static int ioat_nic_dma_stats_post_load(void *opaque, int version_id)
{
    IoatNicCore *core = opaque;

    return (core->rxdgbc | core->txdgbc) >> 36 ? -EINVAL : 0;
}

static const VMStateDescription ioat_nic_vmstate_dma_stats = {
    .name = "ioat-nic-core/dma-stats",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = ioat_nic_dma_stats_needed,
    .post_load = ioat_nic_dma_stats_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(rxdgbc, IoatNicCore),
        VMSTATE_UINT64(txdgbc, IoatNicCore),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_nic_vmstate_pool_stats = {
    .name = "ioat-nic-core/pool-stats",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(gprc, IoatNicPoolStats),
        VMSTATE_UINT32(mprc, IoatNicPoolStats),
        VMSTATE_UINT32(gptc, IoatNicPoolStats),
        VMSTATE_UINT64(gorc, IoatNicPoolStats),
        VMSTATE_UINT64(gotc, IoatNicPoolStats),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_nic_vmstate_pools = {
    .name = "ioat-nic-core/pools",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = ioat_nic_pools_needed,
    .post_load = ioat_nic_pools_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(pool_stats, IoatNicCore, IOAT_NIC_NUM_POOLS, 1,
                             ioat_nic_vmstate_pool_stats, IoatNicPoolStats),
        VMSTATE_UINT64_ARRAY(qde, IoatNicCore, IOAT_NIC_NUM_QUEUES / 64),
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
    },
    .subsections = (const VMStateDescription * const []) {
        &ioat_nic_vmstate_fdir_table,
        &ioat_nic_vmstate_vf,
        &ioat_nic_vmstate_pools,
        &ioat_nic_vmstate_dma_stats,
        NULL
    }
};
