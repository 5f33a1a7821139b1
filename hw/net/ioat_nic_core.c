/*
 * Intel 82599 10 GbE controller (ioat-nic): device core
 *
 * Register values and semantics follow the 82599 datasheet (rev. 3.x),
 * section 8 (register descriptions), with the power-on values the Linux
 * ixgbe driver depends on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/pci_device.h"
#include "ioat_nic_core.h"
#include "trace.h"

/* Report a guest mistake both as a trace event and under -d guest_errors. */
#define IOAT_NIC_GUEST_ERR(trace, fmt, ...)                             \
    do {                                                                \
        (trace_##trace)(__VA_ARGS__);                                   \
        qemu_log_mask(LOG_GUEST_ERROR, "ioat-nic: " fmt "\n",           \
                      ## __VA_ARGS__);                                  \
    } while (0)

/* Power-on values that differ from 0 (datasheet 8.2.3, per register). */
static const uint32_t ioat_nic_reset_values[IOAT_NIC_MAC_WORDS] = {
    [R_RDRXCTL]   = 0x00000008,     /* DMAIDONE */
    [R_RXPBSIZE0] = 0x00080000,     /* 512 KiB */
    [R_HLREG0]    = 0x00002fff,
    [R_MAXFRS]    = 0x05ee0000,     /* 1518 bytes */
    [R_AUTOC]     = 0x00002100,     /* LMS = 10G serial, no AN */
    [R_ANLP1]     = 0x00010c00,
    [R_DMATXCTL]  = 0x81000000,
    [R_VLNCTRL]   = 0x00008100,
    [R_SECTXSTAT] = 0x00000003,     /* security block ready, offload off */
    [R_SECRXSTAT] = 0x00000003,
    [R_TXPBSIZE0] = 0x00028000,     /* 160 KiB */
    [R_EEC]       = 0x00002710,     /* EEPROM present, auto-read done */
    [R_FWSM]      = 0x00008000,     /* firmware valid, no errors */
};

static bool ioat_nic_link_up(IoatNicCore *core)
{
    return !qemu_get_queue(core->nic)->link_down;
}

static void ioat_nic_update_link(IoatNicCore *core)
{
    uint32_t links = 0;

    if (ioat_nic_link_up(core)) {
        links = FIELD_DP32(links, LINKS, UP, 1);
        links = FIELD_DP32(links, LINKS, SPEED, IOAT_NIC_LINKS_SPEED_10G);
        links = FIELD_DP32(links, LINKS, KX_AN_COMP, 1);
    }
    core->mac[R_LINKS] = links;
}

static void ioat_nic_load_mac_address(IoatNicCore *core)
{
    const uint8_t *m = core->permanent_mac;

    core->mac[R_RAL0] = ldl_le_p(m);
    core->mac[R_RAH0] = lduw_le_p(m + 4) | R_RAH0_AV_MASK;
}

void ioat_nic_core_reset(IoatNicCore *core)
{
    trace_ioat_nic_reset();
    memcpy(core->mac, ioat_nic_reset_values, sizeof(core->mac));
    ioat_nic_load_mac_address(core);
    ioat_nic_update_link(core);
}

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr)
{
    core->owner = owner;
    core->nic = nic;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
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
    switch (addr) {
    case A_STATUS:
        val = ioat_nic_read_status(core);
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
    if (FIELD_EX32(val, CTRL, RST)) {
        trace_ioat_nic_sw_reset();
        ioat_nic_core_reset(core);
        return;
    }
    if (FIELD_EX32(val, CTRL, LNK_RST)) {
        trace_ioat_nic_link_reset();
        ioat_nic_update_link(core);
        val = FIELD_DP32(val, CTRL, LNK_RST, 0);
    }
    core->mac[R_CTRL] = val;
}

void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val,
                         unsigned size)
{
    if (addr >= IOAT_NIC_REG_SPACE) {
        IOAT_NIC_GUEST_ERR(ioat_nic_err_bad_offset,
                           "write of unimplemented offset 0x%" HWADDR_PRIx,
                           addr);
        return;
    }
    trace_ioat_nic_mmio_write(addr, val);
    switch (addr) {
    case A_CTRL:
        ioat_nic_write_ctrl(core, val);
        break;
    case A_STATUS:
    case A_LINKS:
    case A_FWSM:
    case A_SECTXSTAT:
    case A_SECRXSTAT:
        IOAT_NIC_GUEST_ERR(ioat_nic_err_ro_write,
                           "write to read-only register at 0x%" HWADDR_PRIx,
                           addr);
        break;
    default:
        core->mac[addr >> 2] = val;
        break;
    }
}

void ioat_nic_core_set_link_status(IoatNicCore *core)
{
    trace_ioat_nic_link_status(ioat_nic_link_up(core));
    ioat_nic_update_link(core);
}

ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt)
{
    size_t size = iov_size(iov, iovcnt);

    /* The receive path is not modelled yet: frames are dropped. */
    trace_ioat_nic_rx_dropped(size);
    return size;
}

int ioat_nic_core_post_load(IoatNicCore *core)
{
    ioat_nic_update_link(core);
    return 0;
}
