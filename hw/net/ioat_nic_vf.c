/*
 * Intel 82599 virtual function (ioat-nic-vf, 8086:10ED): the PCI side
 *
 * Created by ioat-nic's SR-IOV capability (ioat-nic,sriov-vfs=N), never on
 * the command line.  BAR0 is 64-bit prefetchable, 16 KiB of VF registers;
 * BAR3 is 64-bit prefetchable, 16 KiB holding the 3-entry MSI-X table at 0
 * and the PBA at 0x2000.  Capabilities: MSI-X at 0x70, PCIe at 0xa0 (with
 * function level reset), AER at 0x100, ARI at 0x150.
 *
 * The VF register file lives in the PF's core (ioat_nic_vfregs.c,
 * ioat_nic_mbx.c): VFCTRL, VFSTATUS, VFLINKS, the VF's interrupt
 * registers, the mailbox, VFPSRTYPE, the pool's queue registers and
 * counters.  Any other offset reads 0 and ignores writes, reported once:
 * LOG_UNIMP for the few 82599 VF registers not modelled, a guest error
 * elsewhere.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/bitmap.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "migration/vmstate.h"
#include "ioat_nic_vf.h"
#include "trace.h"

OBJECT_DECLARE_SIMPLE_TYPE(IoatNicVfState, IOAT_NIC_VF)

#define IOAT_NIC_VF_MSIX_VECTORS        3
#define IOAT_NIC_VF_MSIX_TABLE_OFFSET   0x0000
#define IOAT_NIC_VF_MSIX_PBA_OFFSET     0x2000
#define IOAT_NIC_VF_MSIX_CAP_OFFSET     0x70
#define IOAT_NIC_VF_PCIE_CAP_OFFSET     0xa0
#define IOAT_NIC_VF_AER_CAP_OFFSET      0x100
#define IOAT_NIC_VF_ARI_CAP_OFFSET      0x150

struct IoatNicVfState {
    PCIDevice parent_obj;

    MemoryRegion mmio;
    MemoryRegion msix;
    /* Offsets already reported as not modelled, one bit per dword */
    DECLARE_BITMAP(unimp_reported, IOAT_NIC_VF_BAR_SIZE / 4);
    /*
     * What a migration brought (configuration space, MSI-X table and
     * PBA), kept until the PF has enabled the VF again, which resets it
     * (ioat_nic_vf_restore())
     */
    uint8_t *loaded_config;
    uint8_t *loaded_msix_table;
    uint8_t *loaded_msix_pba;
};

/* 82599 VF registers the model does not have */
#define VFFRTIMER           0x0048          /* free running timer */
#define VTRSCINT(i)         (0x0180 + 4 * (i))  /* RSC interrupts, i < 8 */
#define VFRXMEMWRAP         0x3190

static bool ioat_nic_vf_known_unimp(hwaddr addr)
{
    return addr == VFFRTIMER || addr == VFRXMEMWRAP ||
           (addr >= VTRSCINT(0) && addr <= VTRSCINT(7));
}

/*
 * An offset the VF register file does not answer reads 0 and ignores
 * writes, reported once per offset: an 82599 VF register the model does
 * not have with LOG_UNIMP, anything else (no 82599 VF has a register
 * there, e.g. the X550 VF's VFMRQC/VFRETA) as a guest error.
 */
static void ioat_nic_vf_unimp(IoatNicVfState *s, const char *op, hwaddr addr,
                              uint64_t val)
{
    unsigned vf = pcie_sriov_vf_number(PCI_DEVICE(s));

    if (ioat_nic_vf_known_unimp(addr)) {
        trace_ioat_nic_vf_unimp(vf, op, addr, val);
        if (!test_and_set_bit(addr / 4, s->unimp_reported)) {
            qemu_log_mask(LOG_UNIMP, "ioat_nic_vf_unimp: VF %u: %s of VF "
                          "register 0x%04" HWADDR_PRIx ": not modelled; "
                          "reads 0\n", vf, op, addr);
        }
        return;
    }
    trace_ioat_nic_vf_err_offset(vf, op, addr, val);
    if (!test_and_set_bit(addr / 4, s->unimp_reported)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ioat_nic_vf_err_offset: VF %u: %s "
                      "of offset 0x%04" HWADDR_PRIx ", where an 82599 VF "
                      "has no register; reads 0, writes ignored\n", vf, op,
                      addr);
    }
}

static IoatNicCore *ioat_nic_vf_core(IoatNicVfState *s)
{
    return ioat_nic_pf_core(pcie_sriov_get_pf(PCI_DEVICE(s)));
}

static unsigned ioat_nic_vf_number(IoatNicVfState *s)
{
    return pcie_sriov_vf_number(PCI_DEVICE(s));
}

static uint64_t ioat_nic_vf_mmio_read(void *opaque, hwaddr addr,
                                      unsigned size)
{
    IoatNicVfState *s = opaque;
    uint32_t val;

    if (ioat_nic_core_vf_read(ioat_nic_vf_core(s), ioat_nic_vf_number(s),
                              addr, &val)) {
        return val;
    }
    ioat_nic_vf_unimp(s, "read", addr, 0);
    return 0;
}

static void ioat_nic_vf_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                   unsigned size)
{
    IoatNicVfState *s = opaque;

    if (ioat_nic_core_vf_write(ioat_nic_vf_core(s), ioat_nic_vf_number(s),
                               addr, val)) {
        return;
    }
    ioat_nic_vf_unimp(s, "write", addr, val);
}

static const MemoryRegionOps ioat_nic_vf_mmio_ops = {
    .read = ioat_nic_vf_mmio_read,
    .write = ioat_nic_vf_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/*
 * Linux resets an 82599 VF with DEVCTL.BCR_FLR whatever DEVCAP says; the
 * PF hears of it (VFLRE, EICR.MAILBOX).
 */
static void ioat_nic_vf_write_config(PCIDevice *dev, uint32_t addr,
                                     uint32_t val, int len)
{
    uint8_t *devctl = dev->config + dev->exp.exp_cap + PCI_EXP_DEVCTL;
    bool flr;

    pci_default_write_config(dev, addr, val, len);
    flr = pci_get_word(devctl) & PCI_EXP_DEVCTL_BCR_FLR;
    pcie_cap_flr_write_config(dev, addr, val, len);
    if (flr) {
        ioat_nic_core_vf_flr(ioat_nic_vf_core(IOAT_NIC_VF(dev)),
                             ioat_nic_vf_number(IOAT_NIC_VF(dev)));
    }
}

/* VFE changes, FLR, machine reset: the VF's state in the PF core. */
static void ioat_nic_vf_reset_hold(Object *obj, ResetType type)
{
    IoatNicVfState *s = IOAT_NIC_VF(obj);

    ioat_nic_core_vf_reset(ioat_nic_vf_core(s), ioat_nic_vf_number(s));
}

static void ioat_nic_vf_realize(PCIDevice *dev, Error **errp)
{
    IoatNicVfState *s = IOAT_NIC_VF(dev);

    dev->config_write = ioat_nic_vf_write_config;

    memory_region_init_io(&s->mmio, OBJECT(dev), &ioat_nic_vf_mmio_ops, s,
                          "ioat-nic-vf-mmio", IOAT_NIC_VF_BAR_SIZE);
    pci_register_bar(dev, IOAT_NIC_VF_MMIO_BAR, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->mmio);
    memory_region_init(&s->msix, OBJECT(dev), "ioat-nic-vf-msix",
                       IOAT_NIC_VF_BAR_SIZE);
    pci_register_bar(dev, IOAT_NIC_VF_MSIX_BAR, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->msix);

    if (msix_init(dev, IOAT_NIC_VF_MSIX_VECTORS,
                  &s->msix, IOAT_NIC_VF_MSIX_BAR, IOAT_NIC_VF_MSIX_TABLE_OFFSET,
                  &s->msix, IOAT_NIC_VF_MSIX_BAR, IOAT_NIC_VF_MSIX_PBA_OFFSET,
                  IOAT_NIC_VF_MSIX_CAP_OFFSET, errp) < 0) {
        return;
    }
    for (unsigned i = 0; i < IOAT_NIC_VF_MSIX_VECTORS; i++) {
        msix_vector_use(dev, i);
    }
    if (pcie_endpoint_cap_init(dev, IOAT_NIC_VF_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "ioat-nic-vf: cannot add the PCIe capability");
        goto err_msix;
    }
    pcie_cap_flr_init(dev);
    if (pcie_aer_init(dev, PCI_ERR_VER, IOAT_NIC_VF_AER_CAP_OFFSET,
                      PCI_ERR_SIZEOF, errp) < 0) {
        pcie_cap_exit(dev);
        goto err_msix;
    }
    pcie_ari_init(dev, IOAT_NIC_VF_ARI_CAP_OFFSET);
    return;

err_msix:
    msix_unuse_all_vectors(dev);
    msix_uninit(dev, &s->msix, &s->msix);
}

static void ioat_nic_vf_exit(PCIDevice *dev)
{
    IoatNicVfState *s = IOAT_NIC_VF(dev);

    ioat_nic_dma_forget_dev(ioat_nic_vf_core(s), dev);
    pcie_aer_exit(dev);
    pcie_cap_exit(dev);
    msix_unuse_all_vectors(dev);
    msix_uninit(dev, &s->msix, &s->msix);
}

static int ioat_nic_vf_post_load(void *opaque, int version_id)
{
    IoatNicVfState *s = opaque;
    PCIDevice *dev = PCI_DEVICE(s);

    g_free(s->loaded_config);
    g_free(s->loaded_msix_table);
    g_free(s->loaded_msix_pba);
    s->loaded_config = g_memdup2(dev->config, pci_config_size(dev));
    s->loaded_msix_table = g_memdup2(dev->msix_table,
                                     IOAT_NIC_VF_MSIX_VECTORS *
                                     PCI_MSIX_ENTRY_SIZE);
    s->loaded_msix_pba = g_memdup2(dev->msix_pba,
                                   QEMU_ALIGN_UP(IOAT_NIC_VF_MSIX_VECTORS,
                                                 64) / 8);
    return 0;
}

/*
 * After the PF's SR-IOV state is loaded and its VFs enabled (and so
 * reset, pcie_sriov_pf_post_load()), a VF gets back the configuration
 * space and MSI-X state the migration brought: COMMAND and the MSI-X
 * control word go through the config write path, which maps the BARs,
 * opens bus mastering and unmasks the vectors.
 */
void ioat_nic_vf_restore(PCIDevice *dev)
{
    IoatNicVfState *s = IOAT_NIC_VF(dev);
    unsigned flags = IOAT_NIC_VF_MSIX_CAP_OFFSET + PCI_MSIX_FLAGS;
    uint16_t cmd;

    if (!s->loaded_config) {
        return;
    }
    cmd = pci_get_word(s->loaded_config + PCI_COMMAND);
    memcpy(dev->msix_table, s->loaded_msix_table,
           IOAT_NIC_VF_MSIX_VECTORS * PCI_MSIX_ENTRY_SIZE);
    memcpy(dev->msix_pba, s->loaded_msix_pba,
           QEMU_ALIGN_UP(IOAT_NIC_VF_MSIX_VECTORS, 64) / 8);
    pci_set_word(s->loaded_config + PCI_COMMAND, 0);
    pci_set_word(dev->config + flags, 0);
    memcpy(dev->config, s->loaded_config, flags);
    memcpy(dev->config + flags + 2, s->loaded_config + flags + 2,
           pci_config_size(dev) - flags - 2);
    pci_default_write_config(dev, flags,
                             pci_get_word(s->loaded_config + flags), 2);
    pci_default_write_config(dev, PCI_COMMAND, cmd, 2);
    g_clear_pointer(&s->loaded_config, g_free);
    g_clear_pointer(&s->loaded_msix_table, g_free);
    g_clear_pointer(&s->loaded_msix_pba, g_free);
}

static void ioat_nic_vf_finalize(Object *obj)
{
    IoatNicVfState *s = IOAT_NIC_VF(obj);

    g_free(s->loaded_config);
    g_free(s->loaded_msix_table);
    g_free(s->loaded_msix_pba);
}

static const VMStateDescription ioat_nic_vf_vmstate = {
    .name = "ioat-nic-vf",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = ioat_nic_vf_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, IoatNicVfState),
        VMSTATE_MSIX(parent_obj, IoatNicVfState),
        VMSTATE_END_OF_LIST()
    }
};

static void ioat_nic_vf_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = ioat_nic_vf_realize;
    k->exit = ioat_nic_vf_exit;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = IOAT_NIC_VF_DEVICE_ID;
    k->revision = 0x01;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;
    RESETTABLE_CLASS(klass)->phases.hold = ioat_nic_vf_reset_hold;
    dc->desc = "Intel 82599 Virtual Function (ioat)";
    dc->user_creatable = false;
    dc->vmsd = &ioat_nic_vf_vmstate;
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo ioat_nic_vf_info = {
    .name = TYPE_IOAT_NIC_VF,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IoatNicVfState),
    .instance_finalize = ioat_nic_vf_finalize,
    .class_init = ioat_nic_vf_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ioat_nic_vf_register_types(void)
{
    type_register_static(&ioat_nic_vf_info);
}

type_init(ioat_nic_vf_register_types)
