/*
 * libqos driver for the ioat-dma (Intel I/OAT CB3.4) device
 *
 * The node consumes a PCI bus; tests may add device options such as
 * "channels=N" through their edge options.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "../libqtest.h"
#include "qemu/module.h"
#include "qgraph.h"
#include "ioat-dma.h"

static void ioat_dma_foreach_callback(QPCIDevice *dev, int devfn, void *data)
{
    memcpy(data, dev, sizeof(QPCIDevice));
    g_free(dev);
}

static void ioat_dma_destructor(QOSGraphObject *obj)
{
    QIoatDma *d = (QIoatDma *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
}

static void ioat_dma_start_hw(QOSGraphObject *obj)
{
    QIoatDma *d = (QIoatDma *)obj;

    qpci_device_enable(&d->pci_dev);
}

static void *ioat_dma_get_driver(void *obj, const char *interface)
{
    QIoatDma *d = obj;

    if (!g_strcmp0(interface, "ioat-dma-if")) {
        return d;
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in ioat-dma\n", interface);
    g_assert_not_reached();
}

static void *ioat_dma_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIoatDma *d = g_new0(QIoatDma, 1);
    QPCIAddress *address = addr;

    qpci_device_foreach(pci_bus, address->vendor_id, address->device_id,
                        ioat_dma_foreach_callback, &d->pci_dev);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);

    d->obj.get_driver = ioat_dma_get_driver;
    d->obj.start_hw = ioat_dma_start_hw;
    d->obj.destructor = ioat_dma_destructor;
    return &d->obj;
}

static void ioat_dma_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = IOAT_DMA_VENDOR_ID,
        .device_id = IOAT_DMA_DEVICE_ID,
    };
    QOSGraphEdgeOptions opts = { };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ioat-dma", ioat_dma_create);
    qos_node_consumes("ioat-dma", "pci-bus", &opts);
}

libqos_init(ioat_dma_register_nodes);
