/*
 * Intel 82599 10 GbE controller (ioat-nic): register map
 *
 * Offsets are BAR0 byte offsets from the 82599 datasheet (section 8.2);
 * R_<name> is the index of the register in IoatNicCore.mac[].
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_REGS_H
#define HW_NET_IOAT_NIC_REGS_H

#include "qemu/units.h"
#include "hw/registerfields.h"

/* General control (8.2.3.1) */
REG32(CTRL, 0x00000)
    FIELD(CTRL, GIO_DIS, 2, 1)
    FIELD(CTRL, LNK_RST, 3, 1)
    FIELD(CTRL, RST, 26, 1)
REG32(STATUS, 0x00008)
    FIELD(STATUS, LAN_ID, 2, 2)
    FIELD(STATUS, LINK_UP, 7, 1)
    FIELD(STATUS, GIO_MASTER_EN, 19, 1)
REG32(CTRL_EXT, 0x00018)

/* Interrupts (8.2.3.5) */
REG32(EICR, 0x00800)
REG32(EIMS, 0x00880)
REG32(EIMC, 0x00888)
REG32(GPIE, 0x00898)

/* Packet buffers, MAC, link (8.2.3.8, 8.2.3.22) */
REG32(RDRXCTL, 0x02f00)
REG32(RXPBSIZE0, 0x03c00)
REG32(HLREG0, 0x04240)
REG32(MAXFRS, 0x04268)
REG32(AUTOC, 0x042a0)
REG32(LINKS, 0x042a4)
    FIELD(LINKS, SPEED, 28, 2)
    FIELD(LINKS, UP, 30, 1)
    FIELD(LINKS, KX_AN_COMP, 31, 1)
REG32(ANLP1, 0x042b0)
REG32(DMATXCTL, 0x04a80)
REG32(VLNCTRL, 0x05088)
REG32(SECTXSTAT, 0x08804)
REG32(SECRXSTAT, 0x08d04)
REG32(TXPBSIZE0, 0x0cc00)

/* Receive address filters (8.2.3.7.9): 128 RAL/RAH pairs. */
REG32(RAL0, 0x0a200)
REG32(RAH0, 0x0a204)
    FIELD(RAH0, ADDR_HI, 0, 16)
    FIELD(RAH0, AV, 31, 1)

/* EEPROM, flash, management (8.2.3.2, 8.2.3.26) */
REG32(EEC, 0x10010)
REG32(EERD, 0x10014)
REG32(FWSM, 0x10148)

#define IOAT_NIC_LINKS_SPEED_10G    3

/* BAR layout */
#define IOAT_NIC_MMIO_SIZE          (512 * KiB)
#define IOAT_NIC_REG_SPACE          0x20000     /* registers live below this */
#define IOAT_NIC_MSIX_BAR_SIZE      (16 * KiB)
#define IOAT_NIC_MSIX_TABLE_OFFSET  0x0000
#define IOAT_NIC_MSIX_PBA_OFFSET    0x2000
#define IOAT_NIC_MSIX_VECTORS       64

#endif
