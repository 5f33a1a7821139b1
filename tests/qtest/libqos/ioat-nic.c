/*
 * libqos driver for the ioat-nic (Intel 82599) device
 *
 * The node consumes a PCI bus and needs a netdev with id "hs0" on the
 * command line (tests add a socket pair for it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "../libqtest.h"
#include "qemu/module.h"
#include "qgraph.h"
#include "ioat-nic.h"

static void ioat_nic_foreach_callback(QPCIDevice *dev, int devfn, void *data)
{
    memcpy(data, dev, sizeof(QPCIDevice));
    g_free(dev);
}

static void ioat_nic_destructor(QOSGraphObject *obj)
{
    QIoatNic *d = (QIoatNic *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
}

static void ioat_nic_start_hw(QOSGraphObject *obj)
{
    QIoatNic *d = (QIoatNic *)obj;

    qpci_device_enable(&d->pci_dev);
}

static void *ioat_nic_get_driver(void *obj, const char *interface)
{
    QIoatNic *d = obj;

    if (!g_strcmp0(interface, "ioat-nic-if")) {
        return d;
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in ioat-nic\n", interface);
    g_assert_not_reached();
}

static void *ioat_nic_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIoatNic *d = g_new0(QIoatNic, 1);
    QPCIAddress *address = addr;

    qpci_device_foreach(pci_bus, address->vendor_id, address->device_id,
                        ioat_nic_foreach_callback, &d->pci_dev);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);

    d->obj.get_driver = ioat_nic_get_driver;
    d->obj.start_hw = ioat_nic_start_hw;
    d->obj.destructor = ioat_nic_destructor;
    return &d->obj;
}

static void ioat_nic_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = IOAT_NIC_VENDOR_ID,
        .device_id = IOAT_NIC_DEVICE_ID,
    };
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "netdev=hs0",
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ioat-nic", ioat_nic_create);
    qos_node_consumes("ioat-nic", "pci-bus", &opts);
}

libqos_init(ioat_nic_register_nodes);
