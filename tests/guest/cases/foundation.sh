# Foundation: both device models are visible on the PCI bus, the stock
# drivers load, modules built out of tree load and unload, and result
# lines reach the runner whole while the kernel logs errors.

NIC=8086:10f9
DMA=8086:0b00
EXTRA=/lib/modules/$(uname -r)/extra

check "pci-$NIC-present" pci_present "$NIC"
check "pci-$DMA-present" pci_present "$DMA"

# Loading the stock drivers is checked; whether they bind is only reported
# here, since the ixgbe and ioatdma cases check the binding and what the
# drivers do with the devices.
stock_driver() {  # stock_driver DRIVER VENDOR:DEVICE
    check "$1-loads" modprobe "$1"
    if pci_bound "$2" "$1"; then
        info "$1 bound to $2: yes"
    else
        info "$1 bound to $2: no"
    fi
}
stock_driver ixgbe "$NIC"
stock_driver ioatdma "$DMA"

check hello-loads modprobe ioat_hello
check hello-load-message dmesg_has 'ioat_hello: hello, loaded'
check hello-unloads modprobe -r ioat_hello
check hello-unload-message dmesg_has 'ioat_hello: goodbye, unloaded'

# dmatest only starts a test when asked to (run=1), so it loads without a
# DMA channel.
check dmatest-installed test -f "$EXTRA/dmatest.ko"
check dmatest-loads modprobe dmatest
check dmatest-unloads modprobe -r dmatest

# The result protocol survives kernel messages: error-level messages
# logged from both CPUs while results are reported (as an IOMMU fault
# report or a driver's error is) must not split a result line.  The
# runner reads every one of these checks whole, or reports a protocol
# failure.
kernel_noise() {
    local i=0
    while [ $i -lt 500 ]; do
        echo "<3>ioat-guest: kernel message $i logged while results are reported" > /dev/kmsg
        i=$((i + 1))
    done
}
kernel_noise & noise1=$!
kernel_noise & noise2=$!
i=0
while [ $i -lt 80 ]; do
    pass "result-line-$i-read-whole-while-the-kernel-logs-errors-from-both-cpus"
    i=$((i + 1))
done
wait $noise1 $noise2
