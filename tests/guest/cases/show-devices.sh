# Show what the guest sees of the two devices: the PCI functions, the
# stock drivers' kernel messages and the resulting bindings and network
# interfaces.  Reports only; checks nothing.

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
