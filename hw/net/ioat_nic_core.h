/*
 * Intel 82599 10 GbE controller (ioat-nic): device core
 *
 * Everything the guest sees through BAR0 lives in ioat_nic_core.c behind
 * this interface; ioat_nic.c is the PCI, QOM and net-client glue.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_CORE_H
#define HW_NET_IOAT_NIC_CORE_H

#include "net/net.h"
#include "net/eth.h"
#include "ioat_nic_regs.h"

#define IOAT_NIC_MAC_WORDS      (IOAT_NIC_REG_SPACE / 4)

typedef struct IoatNicCore {
    uint32_t mac[IOAT_NIC_MAC_WORDS];
    uint8_t permanent_mac[ETH_ALEN];

    PCIDevice *owner;
    NICState *nic;
} IoatNicCore;

void ioat_nic_core_realize(IoatNicCore *core, PCIDevice *owner, NICState *nic,
                           const uint8_t *macaddr);
void ioat_nic_core_reset(IoatNicCore *core);
uint64_t ioat_nic_core_read(IoatNicCore *core, hwaddr addr, unsigned size);
void ioat_nic_core_write(IoatNicCore *core, hwaddr addr, uint64_t val,
                         unsigned size);
void ioat_nic_core_set_link_status(IoatNicCore *core);
ssize_t ioat_nic_core_receive_iov(IoatNicCore *core, const struct iovec *iov,
                                  int iovcnt);
int ioat_nic_core_post_load(IoatNicCore *core);

#endif
