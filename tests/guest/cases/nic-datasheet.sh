# ioat-netdev: loopback
# A driver written from the 82599 datasheet, not from Linux: the NIC is
# handed to uio_pci_generic, and tests/guest/tools/ioat-nic-datasheet
# brings it up from user space by the datasheet's initialization sequence
# (reset, EEPROM checksum and MAC address, link, one receive and one
# transmit queue) and sends frames of every size through the loopback
# netdev, which returns each frame to the NIC.  Every step of the tool is
# one check here.

NIC=8086:10f9
TOOL_TIMEOUT=180

dev=$(pci_devices "$NIC" | head -n 1)
check nic-present [ -n "$dev" ]
bdf=${dev##*/}

# uio_pci_generic claims the function (no other driver may) and enables
# it; the tool maps BAR0 through sysfs and sets bus mastering itself.
bind_uio() {
    modprobe uio_pci_generic || return 1
    [ ! -e "$dev/driver" ] || echo "$bdf" > "$dev/driver/unbind"
    echo uio_pci_generic > "$dev/driver_override"
    echo "$bdf" > /sys/bus/pci/drivers_probe
    pci_bound "$NIC" uio_pci_generic
}
check uio-pci-generic-bound bind_uio

# DMA memory: 2 MiB huge pages (physically contiguous).
reserve_hugepages() {
    echo 2 > /proc/sys/vm/nr_hugepages
    [ "$(cat /proc/sys/vm/nr_hugepages)" -ge 1 ]
}
check hugepages-reserved reserve_hugepages

relay_tool tool-exit-status "$TOOL_TIMEOUT" ioat-nic-datasheet "$bdf"

echo "$bdf" > "$dev/driver/unbind" 2>/dev/null
echo > "$dev/driver_override"
