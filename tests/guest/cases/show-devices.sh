# Show what the guest sees of the two devices: the PCI functions, the
# stock drivers' kernel messages and bindings, the network interface with
# an address from slirp and a ping, and the DMA channels.  Reports only;
# checks nothing (./ioat boot runs it).

show() {
    "$@" 2>&1 | while IFS= read -r line; do info "  $line"; done
}

info "PCI functions:"
show lspci

for drv in ixgbe ioatdma; do
    if out=$(modprobe "$drv" 2>&1); then
        info "modprobe $drv: ok"
    else
        info "modprobe $drv: failed: $out"
    fi
done

info "kernel messages about the drivers:"
show sh -c "dmesg | grep -E 'ixgbe|ioatdma|dca service'"

info "PCI functions after loading the drivers:"
show lspci

info "network interfaces:"
show ip link

. /ioat/lib/net.sh
if [ -d /sys/class/net/eth0 ]; then
    ip link set eth0 up && wait_carrier eth0 && dhcp eth0 > /dev/null
    info "eth0 after DHCP from slirp:"
    show ip -4 addr show eth0
    show ping -c 2 -W 2 $HOST
fi

info "DMA channels (dmaengine):"
show ls /sys/class/dma
for c in /sys/class/dma/dma0chan0/quickdata/cap /sys/class/dma/dma0chan0/quickdata/version; do
    [ -f "$c" ] && info "  ${c##*/}: $(cat "$c")"
done
