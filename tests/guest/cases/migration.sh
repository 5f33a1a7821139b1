# Both devices keep working across a migration: the guest moves traffic
# and DMA copies, asks the runner to migrate it (IOAT-MIGRATE), notices the
# move by the link going down on the destination, asks for it back
# (IOAT-LINK-UP), and does it all again there.

. /ioat/lib/net.sh
. /ioat/lib/dma.sh

IF=eth0

# ioatdma offers XOR and P+Q too: dmatest adds a thread per channel for each.
dmatest_threads() {
    echo $((3 * $(dma_channels)))
}

check ixgbe-loads modprobe ixgbe
check ioatdma-loads modprobe ioatdma
check link-up ip link set $IF up
check carrier wait_carrier $IF
check dhcp-lease dhcp $IF
check before-push-4MiB push 4
check before-pull-8MiB pull 8
check before-dmatest dmatest_run 100 "$(dmatest_threads)" test_buf_size=4096

emit MIGRATE request
check carrier-drops-on-destination wait_carrier $IF 0 120
emit LINK-UP request
check carrier-returns wait_carrier $IF 1 10
check after-ping ping -c 2 -i 0.2 -W 2 $HOST
check after-push-4MiB push 4
check after-pull-8MiB pull 8
check after-dmatest dmatest_run 100 "$(dmatest_threads)" test_buf_size=4096
check no-warnings no_kernel_messages 'WARNING|Call Trace|Tx Unit Hang|halted'
