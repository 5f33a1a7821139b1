/*
 * Intel 82599 virtual function (ioat-nic-vf): what the PF's SR-IOV
 * capability needs to know of it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IOAT_NIC_VF_H
#define HW_NET_IOAT_NIC_VF_H

#include "qemu/units.h"
#include "ioat_nic_core.h"

#define TYPE_IOAT_NIC_VF            "ioat-nic-vf"
#define IOAT_NIC_VF_DEVICE_ID       0x10ed

/* Two 64-bit prefetchable BARs of 16 KiB per VF: registers and MSI-X */
#define IOAT_NIC_VF_MMIO_BAR        0
#define IOAT_NIC_VF_MSIX_BAR        3
#define IOAT_NIC_VF_BAR_SIZE        (16 * KiB)

/* The device core of the PF that owns a VF (ioat_nic.c) */
IoatNicCore *ioat_nic_pf_core(PCIDevice *pf);

/* A VF going away: its queues' DMA windows go (ioat_nic_dma.c) */
void ioat_nic_dma_forget_dev(IoatNicCore *core, PCIDevice *dev);

/* A migrated VF's own state, once the PF has enabled it (ioat_nic_vf.c) */
void ioat_nic_vf_restore(PCIDevice *vf);

#endif
