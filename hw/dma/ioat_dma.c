/*
 * Intel I/OAT (QuickData, Crystal Beach 3.4) DMA engine: PCI glue
 *
 * Usage:
 *   -device ioat-dma[,channels=<1..4>][,xfercap=<log2 bytes>][,raid=on|off]
 *                   [,raid16ss=on|off][,dwbes=on|off][,fill=on|off]
 *
 *   channels   number of DMA channels (CHANCNT), one MSI-X vector each;
 *              default 4, the most the Linux driver uses.
 *   xfercap    log2 of the largest transfer a descriptor may ask for
 *              (XFERCAP); default 20 (1 MiB), 12..30.
 *   raid       advertise and run XOR and P+Q operations (DMACAPABILITY
 *              XOR|PQ); default on.  Off leaves copy and interrupt, and
 *              Linux then keeps the channels private to dma_request_channel.
 *   raid16ss   with raid: 16-source P+Q and P+Q validate (ops 0xA0/0xA1,
 *              DMACAPABILITY RAID16SS); default on.
 *   dwbes      with raid: P+Q validate reports a mismatch in the
 *              descriptor instead of halting when the descriptor asks
 *              (DMACAPABILITY DWBES); default on.
 *   fill       block fill (op 0x01, DMACAPABILITY BLOCK_FILL); default on.
 *
 * Identity: 8086:0B00 (the ID Linux's ioatdma binds as an ICX CBDMA), class
 * 0x088000, CBVER 0x34.  BAR0 is 64-bit, 16 KiB: registers at 0x0000, the
 * MSI-X table at 0x2000 and the PBA at 0x3000.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/module.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "ioat_dma.h"
#include "trace.h"

#define IOAT_DMA_DEVICE_ID          0x0b00
#define IOAT_DMA_CLASS              0x0880
#define IOAT_DMA_MSI_CAP_OFFSET     0x50
#define IOAT_DMA_MSIX_CAP_OFFSET    0x70
#define IOAT_DMA_PCIE_CAP_OFFSET    0xa0

static uint64_t ioat_dma_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IoatDmaState *s = opaque;

    return ioat_dma_reg_read(s, addr, size);
}

/*
 * A write may start DMA or send a message that unplugs the device (see
 * ioat_dma_gone()): the reference keeps its state until the write is over.
 */
static void ioat_dma_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    IoatDmaState *s = opaque;

    object_ref(OBJECT(s));
    ioat_dma_reg_write(s, addr, val, size);
    object_unref(OBJECT(s));
}

/*
 * Linux mixes 1-, 2-, 4- and 8-byte accesses (CHANSTS is one readq); the
 * memory core splits the 8-byte ones into two 4-byte accesses, low first.
 */
static const MemoryRegionOps ioat_dma_mmio_ops = {
    .read = ioat_dma_mmio_read,
    .write = ioat_dma_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
    },
    .impl = {
        .min_access_size = 1,
        .max_access_size = IOAT_DMA_REG_ACCESS_MAX,
    },
};

static void ioat_dma_realize(PCIDevice *pci_dev, Error **errp)
{
    IoatDmaState *s = IOAT_DMA(pci_dev);
    int ret;

    if (s->num_channels < 1 || s->num_channels > IOAT_DMA_MAX_CHANNELS) {
        error_setg(errp, "ioat-dma: channels must be 1..%d, not %u",
                   IOAT_DMA_MAX_CHANNELS, s->num_channels);
        return;
    }
    /* 0 would make Linux create no channels; 31 overflows its int shift. */
    if (s->xfercap_log2 < 12 || s->xfercap_log2 > 30) {
        error_setg(errp, "ioat-dma: xfercap must be 12..30, not %u",
                   s->xfercap_log2);
        return;
    }

    pci_dev->config[PCI_INTERRUPT_PIN] = 1;

    memory_region_init(&s->bar0, OBJECT(s), "ioat-dma-bar0",
                       IOAT_DMA_BAR0_SIZE);
    memory_region_init_io(&s->regs, OBJECT(s), &ioat_dma_mmio_ops, s,
                          "ioat-dma-regs", IOAT_DMA_REGS_SIZE);
    memory_region_add_subregion(&s->bar0, 0, &s->regs);
    pci_register_bar(pci_dev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bar0);

    /* Capabilities in reverse order of the list: PCIe, MSI-X, MSI. */
    if (pcie_endpoint_cap_init(pci_dev, IOAT_DMA_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "ioat-dma: cannot add the PCIe capability");
        return;
    }
    ret = msix_init(pci_dev, s->num_channels,
                    &s->bar0, 0, IOAT_DMA_MSIX_TABLE_OFFSET,
                    &s->bar0, 0, IOAT_DMA_MSIX_PBA_OFFSET,
                    IOAT_DMA_MSIX_CAP_OFFSET, errp);
    if (ret < 0) {
        pcie_cap_exit(pci_dev);
        return;
    }
    for (unsigned i = 0; i < s->num_channels; i++) {
        msix_vector_use(pci_dev, i);
    }
    ret = msi_init(pci_dev, IOAT_DMA_MSI_CAP_OFFSET, 1, true, false, errp);
    if (ret < 0) {
        msix_uninit(pci_dev, &s->bar0, &s->bar0);
        pcie_cap_exit(pci_dev);
        return;
    }

    ioat_dma_core_realize(s);
}

static void ioat_dma_exit(PCIDevice *pci_dev)
{
    IoatDmaState *s = IOAT_DMA(pci_dev);

    ioat_dma_core_unrealize(s);
    msi_uninit(pci_dev);
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->bar0, &s->bar0);
    pcie_cap_exit(pci_dev);
}

static void ioat_dma_reset_hold(Object *obj, ResetType type)
{
    ioat_dma_core_reset(IOAT_DMA(obj));
}

static int ioat_dma_post_load(void *opaque, int version_id)
{
    return ioat_dma_core_post_load(opaque);
}

static const VMStateDescription ioat_dma_vmstate_chan = {
    .name = "ioat-dma-channel",
    .version_id = 2,
    .minimum_version_id = 2,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(chanctrl, IoatDmaChannel),
        VMSTATE_UINT8(state, IoatDmaChannel),
        VMSTATE_UINT16(dmacount, IoatDmaChannel),
        VMSTATE_UINT16(hw_count, IoatDmaChannel),
        VMSTATE_UINT64(next, IoatDmaChannel),
        VMSTATE_BOOL(first, IoatDmaChannel),
        VMSTATE_BOOL(suspend_req, IoatDmaChannel),
        VMSTATE_BOOL(armed, IoatDmaChannel),
        VMSTATE_BOOL(irq_pending, IoatDmaChannel),
        VMSTATE_UINT64(last_done, IoatDmaChannel),
        VMSTATE_BOOL(cur_valid, IoatDmaChannel),
        VMSTATE_UINT64(cur_addr, IoatDmaChannel),
        VMSTATE_UINT32(cur_done, IoatDmaChannel),
        VMSTATE_UINT32(cur.size, IoatDmaChannel),
        VMSTATE_UINT32(cur.ctl, IoatDmaChannel),
        VMSTATE_UINT64(cur.src, IoatDmaChannel),
        VMSTATE_UINT64(cur.dst, IoatDmaChannel),
        VMSTATE_UINT64(cur.next, IoatDmaChannel),
        VMSTATE_UINT64_ARRAY(cur.opt, IoatDmaChannel, 4),
        VMSTATE_UINT64_ARRAY(cur_ext.q, IoatDmaChannel, 8),
        VMSTATE_UINT64_ARRAY(cur_sed, IoatDmaChannel, IOAT_DMA_SED_SIZE / 8),
        VMSTATE_TIMER_PTR(coalesce_timer, IoatDmaChannel),
        VMSTATE_UINT32(cur_mismatch, IoatDmaChannel),
        VMSTATE_UINT64(chainaddr, IoatDmaChannel),
        VMSTATE_UINT64(chancmp, IoatDmaChannel),
        VMSTATE_UINT32(chanerr, IoatDmaChannel),
        VMSTATE_UINT32(chanerr_mask, IoatDmaChannel),
        VMSTATE_UINT32(dcactrl, IoatDmaChannel),
        VMSTATE_UINT16(drsctl, IoatDmaChannel),
        VMSTATE_UINT8(ltr_swsel, IoatDmaChannel),
        VMSTATE_UINT32(ltr_active, IoatDmaChannel),
        VMSTATE_UINT32(ltr_idle, IoatDmaChannel),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ioat_dma_vmstate = {
    .name = TYPE_IOAT_DMA,
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = ioat_dma_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, IoatDmaState),
        VMSTATE_MSIX(parent_obj, IoatDmaState),
        VMSTATE_UINT8(genctrl, IoatDmaState),
        VMSTATE_UINT8(intrctrl, IoatDmaState),
        VMSTATE_UINT32(attnstatus, IoatDmaState),
        VMSTATE_UINT16(intrdelay, IoatDmaState),
        VMSTATE_UINT8(chwpreflmt, IoatDmaState),
        VMSTATE_STRUCT_ARRAY(chan, IoatDmaState, IOAT_DMA_MAX_CHANNELS, 2,
                             ioat_dma_vmstate_chan, IoatDmaChannel),
        VMSTATE_END_OF_LIST()
    }
};

static const Property ioat_dma_properties[] = {
    DEFINE_PROP_UINT8("channels", IoatDmaState, num_channels, 4),
    DEFINE_PROP_UINT8("xfercap", IoatDmaState, xfercap_log2, 20),
    DEFINE_PROP_BOOL("raid", IoatDmaState, raid, true),
    DEFINE_PROP_BOOL("raid16ss", IoatDmaState, raid16ss, true),
    DEFINE_PROP_BOOL("dwbes", IoatDmaState, dwbes, true),
    DEFINE_PROP_BOOL("fill", IoatDmaState, fill, true),
    DEFINE_PROP_LINK("iothread", IoatDmaState, iothread, TYPE_IOTHREAD,
                     IOThread *),
};

static void ioat_dma_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    pc->realize = ioat_dma_realize;
    pc->exit = ioat_dma_exit;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = IOAT_DMA_DEVICE_ID;
    pc->revision = 0;
    pc->class_id = IOAT_DMA_CLASS;

    rc->phases.hold = ioat_dma_reset_hold;

    dc->desc = "Intel I/OAT DMA engine (QuickData, Crystal Beach 3.4)";
    dc->vmsd = &ioat_dma_vmstate;
    device_class_set_props(dc, ioat_dma_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

/* The CHANERR causes the engine itself reports (ioat_dma_regs.h). */
#define IOAT_DMA_FAULT_CHANERR_BITS                                         \
    (R_CHANERR_SRC_ADDR_MASK | R_CHANERR_DEST_ADDR_MASK |                   \
     R_CHANERR_NEXT_ADDR_MASK | R_CHANERR_NEXT_DESC_ALIGN_MASK |            \
     R_CHANERR_CHAIN_ADDR_VALUE_MASK | R_CHANERR_CHANCMD_MASK |             \
     R_CHANERR_READ_DATA_MASK | R_CHANERR_WRITE_DATA_MASK |                 \
     R_CHANERR_CONTROL_MASK | R_CHANERR_LENGTH_MASK |                       \
     R_CHANERR_COMPLETION_ADDR_MASK | R_CHANERR_SED_ADDR_MASK |             \
     R_CHANERR_XOR_P_MASK | R_CHANERR_XOR_Q_MASK)

/* fault-chanerr reads "CHANNEL:CHANERR:COUNT" as armed now. */
static char *ioat_dma_get_fault_chanerr(Object *obj, Error **errp)
{
    IoatDmaState *s = IOAT_DMA(obj);

    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        if (s->chan[i].fault_count) {
            return g_strdup_printf("%u:0x%x:%u", i, s->chan[i].fault_chanerr,
                                   s->chan[i].fault_count);
        }
    }
    return g_strdup("");
}

/*
 * A fault spec "CHANNEL[:N...]": up to @max numbers into @v, the first
 * @need of them required, CHANNEL one the device has.
 */
static bool ioat_dma_parse_fault_spec(IoatDmaState *s, const char *value,
                                      unsigned need, unsigned max,
                                      uint64_t *v)
{
    g_auto(GStrv) f = g_strsplit(value, ":", max);
    unsigned n = g_strv_length(f);

    if (n < need) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        if (qemu_strtou64(f[i], NULL, 0, &v[i])) {
            return false;
        }
    }
    return v[0] < MIN(s->num_channels, IOAT_DMA_MAX_CHANNELS);
}

/*
 * "CHANNEL:CHANERR[:COUNT]": the next COUNT (default 1) descriptors that
 * channel fetches fail with the CHANERR bits given, as if the engine had
 * found that error; COUNT 0 disarms.
 */
static void ioat_dma_set_fault_chanerr(Object *obj, const char *value,
                                       Error **errp)
{
    IoatDmaState *s = IOAT_DMA(obj);
    uint64_t v[3] = { [2] = 1 };      /* channel, CHANERR, count */

    if (!ioat_dma_parse_fault_spec(s, value, 2, 3, v)) {
        error_setg(errp, "fault-chanerr: want CHANNEL:CHANERR[:COUNT], "
                   "channel below %u", s->num_channels);
        return;
    }
    if (!v[1] || (v[1] & ~(uint64_t)IOAT_DMA_FAULT_CHANERR_BITS) ||
        v[2] > UINT32_MAX) {
        error_setg(errp, "fault-chanerr: CHANERR 0x%" PRIx64 " (causes "
                   "0x%x), count %" PRIu64, v[1],
                   IOAT_DMA_FAULT_CHANERR_BITS, v[2]);
        return;
    }
    s->chan[v[0]].fault_chanerr = v[1];
    s->chan[v[0]].fault_count = v[2];
}

/* fault-stall reads "CHANNEL:COUNT" as armed now. */
static char *ioat_dma_get_fault_stall(Object *obj, Error **errp)
{
    IoatDmaState *s = IOAT_DMA(obj);

    for (unsigned i = 0; i < IOAT_DMA_MAX_CHANNELS; i++) {
        if (s->chan[i].fault_stalls) {
            return g_strdup_printf("%u:%u", i, s->chan[i].fault_stalls);
        }
    }
    return g_strdup("");
}

/*
 * "CHANNEL[:COUNT]": the next COUNT (default 1) times the channel is about
 * to fetch a descriptor it stalls instead, ACTIVE without progress, until
 * CHANCMD reset or abort; COUNT 0 disarms.
 */
static void ioat_dma_set_fault_stall(Object *obj, const char *value,
                                     Error **errp)
{
    IoatDmaState *s = IOAT_DMA(obj);
    uint64_t v[2] = { [1] = 1 };      /* channel, count */

    if (!ioat_dma_parse_fault_spec(s, value, 1, 2, v) || v[1] > UINT32_MAX) {
        error_setg(errp, "fault-stall: want CHANNEL[:COUNT], channel below "
                   "%u", s->num_channels);
        return;
    }
    s->chan[v[0]].fault_stalls = v[1];
}

/* Run-time fault injection (docs/fault-injection.md). */
static void ioat_dma_instance_init(Object *obj)
{
    IoatDmaState *s = IOAT_DMA(obj);

    object_property_add_str(obj, "fault-chanerr", ioat_dma_get_fault_chanerr,
                            ioat_dma_set_fault_chanerr);
    object_property_add_str(obj, "fault-stall", ioat_dma_get_fault_stall,
                            ioat_dma_set_fault_stall);
    object_property_add_uint32_ptr(obj, "fault-completion-lost",
                                   &s->fault.completion_lost,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "fault-interrupt-lost",
                                   &s->fault.interrupt_lost,
                                   OBJ_PROP_FLAG_READWRITE);
}

static void ioat_dma_instance_finalize(Object *obj)
{
    ioat_dma_core_finalize(IOAT_DMA(obj));
}

static const TypeInfo ioat_dma_info = {
    .name = TYPE_IOAT_DMA,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IoatDmaState),
    .instance_init = ioat_dma_instance_init,
    .instance_finalize = ioat_dma_instance_finalize,
    .class_init = ioat_dma_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ioat_dma_register_types(void)
{
    type_register_static(&ioat_dma_info);
}

type_init(ioat_dma_register_types)
