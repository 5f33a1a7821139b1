/*
 * Intel 82599 10 GbE controller (ioat-nic): PCI, QOM and net-client glue
 *
 * Usage:
 *   -device ioat-nic,netdev=<id>[,mac=<addr>]
 *
 * Identity: 8086:10F9 (82599 CX4: a fixed 10 Gb/s link with no SFP module
 * or external PHY to model).  BAR0 is 64-bit, 512 KiB of registers; BAR4
 * is 64-bit, 16 KiB holding the 64-entry MSI-X table at 0 and the PBA at
 * 0x2000.  Capabilities: PM at 0x40, MSI at 0x50, MSI-X at 0x70 (ixgbe
 * reads the table size at config offset 0x72), PCIe at 0xa0.
 *
 * With sriov-vfs=N (1..64, default 0: none) the PF also has AER at 0x100,
 * ARI at 0x150 and the SR-IOV capability at 0x160 with N VFs (ioat-nic-vf,
 * 8086:10ED) at offset 0x80, stride 2.  QEMU puts VFs on the PF's bus, so
 * devfn + 0x80 + 2 (N - 1) must stay below 256: 64 VFs need the PF at
 * devfn 0, behind a PCIe root port:
 *   -device pcie-root-port,id=rp0 -device ioat-nic,bus=rp0,sriov-vfs=64
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/module.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "system/system.h"
#include "ioat_nic_core.h"
#include "ioat_nic_vf.h"
#include "trace.h"

#define TYPE_IOAT_NIC "ioat-nic"
OBJECT_DECLARE_SIMPLE_TYPE(IoatNicState, IOAT_NIC)

#define IOAT_NIC_DEVICE_ID          0x10f9  /* 82599 CX4 */
#define IOAT_NIC_SUBSYS_ID          0x000c
#define IOAT_NIC_MMIO_BAR           0
#define IOAT_NIC_MSIX_BAR           4
#define IOAT_NIC_PM_CAP_OFFSET      0x40
#define IOAT_NIC_MSI_CAP_OFFSET     0x50
#define IOAT_NIC_MSIX_CAP_OFFSET    0x70
#define IOAT_NIC_PCIE_CAP_OFFSET    0xa0
#define IOAT_NIC_AER_CAP_OFFSET     0x100
#define IOAT_NIC_ARI_CAP_OFFSET     0x150
#define IOAT_NIC_SRIOV_CAP_OFFSET   0x160
#define IOAT_NIC_MAX_VFS            64
#define IOAT_NIC_VF_OFFSET          0x80
#define IOAT_NIC_VF_STRIDE          2

struct IoatNicState {
    PCIDevice parent_obj;

    MemoryRegion mmio;
    MemoryRegion msix;
    NICState *nic;
    NICConf conf;
    uint16_t sriov_vfs;         /* TotalVFs; 0: no SR-IOV capability */

    IoatNicCore core;
};

/* After a surprise removal reads end in a master abort: all ones. */
static uint64_t ioat_nic_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IoatNicState *s = opaque;

    if (s->core.fault.removed) {
        return MAKE_64BIT_MASK(0, size * 8);
    }
    return ioat_nic_core_read(&s->core, addr, size);
}

/*
 * A write may start DMA or send a message that unplugs the device (see
 * ioat_nic_gone()): the reference keeps its state until the write is over.
 */
static void ioat_nic_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    IoatNicState *s = opaque;

    if (s->core.fault.removed) {
        return;
    }
    object_ref(OBJECT(s));
    ioat_nic_core_write(&s->core, addr, val, size);
    object_unref(OBJECT(s));
}

static uint32_t ioat_nic_config_read(PCIDevice *pci_dev, uint32_t addr,
                                     int len)
{
    if (IOAT_NIC(pci_dev)->core.fault.removed) {
        return MAKE_64BIT_MASK(0, len * 8);
    }
    return pci_default_read_config(pci_dev, addr, len);
}

static void ioat_nic_config_write(PCIDevice *pci_dev, uint32_t addr,
                                  uint32_t val, int len)
{
    if (!IOAT_NIC(pci_dev)->core.fault.removed) {
        pci_default_write_config(pci_dev, addr, val, len);
    }
}

static bool ioat_nic_get_removed(Object *obj, Error **errp)
{
    return IOAT_NIC(obj)->core.fault.removed;
}

static void ioat_nic_set_removed(Object *obj, bool removed, Error **errp)
{
    IOAT_NIC(obj)->core.fault.removed = removed;
    trace_ioat_nic_fault_removed(removed);
}

static void ioat_nic_get_tx_hang(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    visit_type_uint32(v, name, &IOAT_NIC(obj)->core.fault.tx_hang, errp);
}

/* Transmit stops taking descriptors until that many resets; 0 lets it go. */
static void ioat_nic_set_tx_hang(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    uint32_t resets;

    if (visit_type_uint32(v, name, &resets, errp)) {
        ioat_nic_core_set_tx_hang(&IOAT_NIC(obj)->core, resets);
    }
}

static void ioat_nic_get_link_flap(Object *obj, Visitor *v,
                                   const char *name, void *opaque,
                                   Error **errp)
{
    visit_type_uint32(v, name, &IOAT_NIC(obj)->core.fault.link_flap, errp);
}

static void ioat_nic_set_link_flap(Object *obj, Visitor *v,
                                   const char *name, void *opaque,
                                   Error **errp)
{
    uint32_t flaps;

    if (visit_type_uint32(v, name, &flaps, errp)) {
        ioat_nic_core_set_link_flap(&IOAT_NIC(obj)->core, flaps);
    }
}

static void ioat_nic_get_rx_late_wb_ms(Object *obj, Visitor *v,
                                       const char *name, void *opaque,
                                       Error **errp)
{
    visit_type_uint32(v, name, &IOAT_NIC(obj)->core.fault.rx_late_wb_ms,
                      errp);
}

static void ioat_nic_set_rx_late_wb_ms(Object *obj, Visitor *v,
                                       const char *name, void *opaque,
                                       Error **errp)
{
    uint32_t ms;

    if (!visit_type_uint32(v, name, &ms, errp)) {
        return;
    }
    if (ms < 1 || ms > IOAT_NIC_RX_LATE_WB_MAX_MS) {
        error_setg(errp, "%s must be 1 to %u (milliseconds)", name,
                   IOAT_NIC_RX_LATE_WB_MAX_MS);
        return;
    }
    IOAT_NIC(obj)->core.fault.rx_late_wb_ms = ms;
}

/* Run-time fault injection (docs/fault-injection.md). */
static void ioat_nic_add_fault_properties(Object *obj)
{
    IoatNicFaults *f = &IOAT_NIC(obj)->core.fault;

    object_property_add_uint32_ptr(obj, "fault-rx-crc", &f->rx_crc,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fault-rx-length", &f->rx_length,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fault-rx-checksum", &f->rx_checksum,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fault-msix-lost", &f->msix_lost,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_bool(obj, "fault-surprise-removal",
                             ioat_nic_get_removed, ioat_nic_set_removed);
    object_property_add(obj, "fault-tx-hang", "uint32", ioat_nic_get_tx_hang,
                        ioat_nic_set_tx_hang, NULL, NULL);
    object_property_add(obj, "fault-link-flap", "uint32",
                        ioat_nic_get_link_flap, ioat_nic_set_link_flap,
                        NULL, NULL);
    object_property_add_uint32_ptr(obj, "fault-rx-late-writeback",
                                   &f->rx_late_wb, OBJ_PROP_FLAG_READWRITE);
    f->rx_late_wb_ms = IOAT_NIC_RX_LATE_WB_DEFAULT_MS;
    object_property_add(obj, "fault-rx-late-writeback-ms", "uint32",
                        ioat_nic_get_rx_late_wb_ms,
                        ioat_nic_set_rx_late_wb_ms, NULL, NULL);
}

/* ixgbe issues one 64-bit writeq (FDIRHASH/FDIRCMD): split it, low first. */
static const MemoryRegionOps ioat_nic_mmio_ops = {
    .read = ioat_nic_mmio_read,
    .write = ioat_nic_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static bool ioat_nic_nc_can_receive(NetClientState *nc)
{
    IoatNicState *s = qemu_get_nic_opaque(nc);

    return ioat_nic_core_can_receive(&s->core);
}

static ssize_t ioat_nic_nc_receive_iov(NetClientState *nc,
                                       const struct iovec *iov, int iovcnt)
{
    IoatNicState *s = qemu_get_nic_opaque(nc);

    return ioat_nic_core_receive_iov(&s->core, iov, iovcnt);
}

static ssize_t ioat_nic_nc_receive(NetClientState *nc, const uint8_t *buf,
                                   size_t size)
{
    const struct iovec iov = { .iov_base = (uint8_t *)buf, .iov_len = size };

    return ioat_nic_nc_receive_iov(nc, &iov, 1);
}

/* A frame the backend had queued went out: transmit may go on. */
static void ioat_nic_nc_sent(NetClientState *nc, ssize_t len)
{
    IoatNicState *s = qemu_get_nic_opaque(nc);

    ioat_nic_tx_drained(&s->core);
}

static void ioat_nic_nc_link_status_changed(NetClientState *nc)
{
    IoatNicState *s = qemu_get_nic_opaque(nc);

    ioat_nic_core_set_link_status(&s->core);
}

static NetClientInfo ioat_nic_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = ioat_nic_nc_can_receive,
    .receive = ioat_nic_nc_receive,
    .receive_iov = ioat_nic_nc_receive_iov,
    .link_status_changed = ioat_nic_nc_link_status_changed,
};

static int ioat_nic_init_msix(IoatNicState *s, Error **errp)
{
    PCIDevice *pci_dev = PCI_DEVICE(s);
    int ret;

    ret = msix_init(pci_dev, IOAT_NIC_MSIX_VECTORS,
                    &s->msix, IOAT_NIC_MSIX_BAR, IOAT_NIC_MSIX_TABLE_OFFSET,
                    &s->msix, IOAT_NIC_MSIX_BAR, IOAT_NIC_MSIX_PBA_OFFSET,
                    IOAT_NIC_MSIX_CAP_OFFSET, errp);
    if (ret < 0) {
        return ret;
    }
    for (unsigned i = 0; i < IOAT_NIC_MSIX_VECTORS; i++) {
        msix_vector_use(pci_dev, i);
    }
    return 0;
}

IoatNicCore *ioat_nic_pf_core(PCIDevice *pf)
{
    return &IOAT_NIC(pf)->core;
}

/*
 * AER, ARI and SR-IOV: sriov_vfs VFs, each with a 16 KiB register BAR0 and
 * a 16 KiB MSI-X BAR3.  InitialVFs equals TotalVFs (no VF migration).
 */
static bool ioat_nic_init_sriov(IoatNicState *s, Error **errp)
{
    PCIDevice *pci_dev = PCI_DEVICE(s);
    const uint8_t bar_type = PCI_BASE_ADDRESS_MEM_TYPE_64 |
                             PCI_BASE_ADDRESS_MEM_PREFETCH;

    if (s->sriov_vfs > IOAT_NIC_MAX_VFS) {
        error_setg(errp, "ioat-nic: sriov-vfs is at most %u",
                   IOAT_NIC_MAX_VFS);
        return false;
    }
    if (pcie_aer_init(pci_dev, PCI_ERR_VER, IOAT_NIC_AER_CAP_OFFSET,
                      PCI_ERR_SIZEOF, errp) < 0) {
        return false;
    }
    pcie_ari_init(pci_dev, IOAT_NIC_ARI_CAP_OFFSET);
    if (!pcie_sriov_pf_init(pci_dev, IOAT_NIC_SRIOV_CAP_OFFSET,
                            TYPE_IOAT_NIC_VF, IOAT_NIC_VF_DEVICE_ID,
                            s->sriov_vfs, s->sriov_vfs, IOAT_NIC_VF_OFFSET,
                            IOAT_NIC_VF_STRIDE, errp)) {
        pcie_aer_exit(pci_dev);
        return false;
    }
    pcie_sriov_pf_init_vf_bar(pci_dev, IOAT_NIC_VF_MMIO_BAR, bar_type,
                              IOAT_NIC_VF_BAR_SIZE);
    pcie_sriov_pf_init_vf_bar(pci_dev, IOAT_NIC_VF_MSIX_BAR, bar_type,
                              IOAT_NIC_VF_BAR_SIZE);
    return true;
}

static void ioat_nic_realize(PCIDevice *pci_dev, Error **errp)
{
    IoatNicState *s = IOAT_NIC(pci_dev);
    DeviceState *dev = DEVICE(pci_dev);

    pci_dev->config[PCI_CACHE_LINE_SIZE] = 0x10;
    pci_dev->config[PCI_INTERRUPT_PIN] = 1;
    pci_set_word(pci_dev->config + PCI_SUBSYSTEM_VENDOR_ID,
                 PCI_VENDOR_ID_INTEL);
    pci_set_word(pci_dev->config + PCI_SUBSYSTEM_ID, IOAT_NIC_SUBSYS_ID);

    memory_region_init_io(&s->mmio, OBJECT(s), &ioat_nic_mmio_ops, s,
                          "ioat-nic-mmio", IOAT_NIC_MMIO_SIZE);
    pci_register_bar(pci_dev, IOAT_NIC_MMIO_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mmio);
    memory_region_init(&s->msix, OBJECT(s), "ioat-nic-msix",
                       IOAT_NIC_MSIX_BAR_SIZE);
    pci_register_bar(pci_dev, IOAT_NIC_MSIX_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

    /* Capabilities, added from the end of the list: PCIe, MSI-X, MSI, PM. */
    if (pcie_endpoint_cap_init(pci_dev, IOAT_NIC_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "ioat-nic: cannot add the PCIe capability");
        return;
    }
    if (ioat_nic_init_msix(s, errp) < 0) {
        goto err_pcie;
    }
    if (msi_init(pci_dev, IOAT_NIC_MSI_CAP_OFFSET, 1, true, false, errp) < 0) {
        goto err_msix;
    }
    if (pci_pm_init(pci_dev, IOAT_NIC_PM_CAP_OFFSET, errp) < 0) {
        goto err_msi;
    }
    pci_set_word(pci_dev->wmask + IOAT_NIC_PM_CAP_OFFSET + PCI_PM_CTRL,
                 PCI_PM_CTRL_STATE_MASK);
    if (s->sriov_vfs && !ioat_nic_init_sriov(s, errp)) {
        goto err_msi;
    }

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&ioat_nic_net_info, &s->conf,
                          object_get_typename(OBJECT(s)), dev->id,
                          &dev->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);

    ioat_nic_core_realize(&s->core, pci_dev, s->nic, s->conf.macaddr.a);
    s->core.tx_sent = ioat_nic_nc_sent;
    return;

err_msi:
    msi_uninit(pci_dev);
err_msix:
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
err_pcie:
    pcie_cap_exit(pci_dev);
}

static void ioat_nic_exit(PCIDevice *pci_dev)
{
    IoatNicState *s = IOAT_NIC(pci_dev);

    ioat_nic_core_unrealize(&s->core);
    qemu_del_nic(s->nic);
    if (s->sriov_vfs) {
        pcie_sriov_pf_exit(pci_dev);
        pcie_aer_exit(pci_dev);
    }
    msi_uninit(pci_dev);
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
    pcie_cap_exit(pci_dev);
}

static void ioat_nic_reset_hold(Object *obj, ResetType type)
{
    IoatNicState *s = IOAT_NIC(obj);

    ioat_nic_core_reset(&s->core);
}

static int ioat_nic_post_load(void *opaque, int version_id)
{
    IoatNicState *s = opaque;
    PCIDevice *pci_dev = PCI_DEVICE(s);

    /* The VFs the SR-IOV state enabled again take back their own state. */
    for (unsigned i = 0; i < pcie_sriov_num_vfs(pci_dev); i++) {
        ioat_nic_vf_restore(pcie_sriov_get_vf_at_index(pci_dev, i));
    }
    return ioat_nic_core_post_load(&s->core);
}

static const VMStateDescription ioat_nic_vmstate = {
    .name = TYPE_IOAT_NIC,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = ioat_nic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, IoatNicState),
        VMSTATE_MSIX(parent_obj, IoatNicState),
        VMSTATE_STRUCT(core, IoatNicState, 1, ioat_nic_core_vmstate,
                       IoatNicCore),
        VMSTATE_END_OF_LIST()
    }
};

static const Property ioat_nic_properties[] = {
    DEFINE_NIC_PROPERTIES(IoatNicState, conf),
    DEFINE_PROP_UINT16("sriov-vfs", IoatNicState, sriov_vfs, 0),
    DEFINE_PROP_BOOL("pad-short-frames", IoatNicState, core.pad_short_frames,
                     false),
};

static void ioat_nic_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    pc->realize = ioat_nic_realize;
    pc->config_read = ioat_nic_config_read;
    pc->config_write = ioat_nic_config_write;
    pc->exit = ioat_nic_exit;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = IOAT_NIC_DEVICE_ID;
    pc->revision = 1;
    pc->class_id = PCI_CLASS_NETWORK_ETHERNET;

    rc->phases.hold = ioat_nic_reset_hold;

    dc->desc = "Intel 82599 10 Gigabit Ethernet Controller "
               "(I/OAT platform NIC)";
    dc->vmsd = &ioat_nic_vmstate;
    device_class_set_props(dc, ioat_nic_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static void ioat_nic_instance_init(Object *obj)
{
    IoatNicState *s = IOAT_NIC(obj);

    device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
                                  "/ethernet-phy@0", DEVICE(obj));
    ioat_nic_add_fault_properties(obj);
}

static void ioat_nic_instance_finalize(Object *obj)
{
    ioat_nic_core_finalize(&IOAT_NIC(obj)->core);
}

static const TypeInfo ioat_nic_info = {
    .name = TYPE_IOAT_NIC,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IoatNicState),
    .class_init = ioat_nic_class_init,
    .instance_init = ioat_nic_instance_init,
    .instance_finalize = ioat_nic_instance_finalize,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ioat_nic_register_types(void)
{
    type_register_static(&ioat_nic_info);
}

type_init(ioat_nic_register_types)
