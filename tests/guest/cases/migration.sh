# Both devices keep working across a migration: the guest moves traffic
# and DMA copies, asks the runner to migrate it (IOAT-MIGRATE), notices the
# move by the link going down and up on the destination, and does it all
# again there.

. /ioat/lib/net.sh

IF=eth0

carrier_is() {  # carrier_is 0|1 SECONDS
    for _ in $(seq $(($2 * 10))); do
        [ "$(cat /sys/class/net/$IF/carrier 2>/dev/null)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

dmatest_ok() {  # one dmatest round on every channel, 0 failures
    dmesg -c > /dev/null
    modprobe dmatest iterations=200 &&
        echo 1 > /sys/module/dmatest/parameters/run &&
        cat /sys/module/dmatest/parameters/wait > /dev/null
    rmmod dmatest
    [ "$(dmesg | grep -c 'summary 200 tests, 0 failures')" -ge 4 ] &&
        ! dmesg | grep -q 'summary .* [1-9][0-9]* failures'
}

check ixgbe-loads modprobe ixgbe
check ioatdma-loads modprobe ioatdma
check link-up ip link set $IF up
check carrier carrier_is 1 5
check dhcp-lease dhcp $IF
check before-push-20MiB push 20
check before-pull-20MiB pull 20
check before-dmatest dmatest_ok

emit MIGRATE request
check carrier-drops-on-destination carrier_is 0 120
check carrier-returns carrier_is 1 10
check after-ping ping -c 2 -W 2 $HOST
check after-push-20MiB push 20
check after-pull-20MiB pull 20
check after-dmatest dmatest_ok
check no-warnings sh -c "! dmesg | grep -E 'WARNING|Call Trace|Tx Unit Hang|halted'"
