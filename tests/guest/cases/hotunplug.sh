# ioat-hotplug: on
# Hot-unplug while the devices work: each sits behind a PCIe root port and
# is taken away with device_del (the runner's QMP on the request "UNPLUG ID"; the
# guest's pciehp unbinds the driver and powers the slot off) in the middle
# of a TCP transfer through stock ixgbe, and of back-to-back verified
# copies through our ioat_dma driver.  Each driver lets go of its device,
# the work in flight ends with an error instead of hanging, and the guest
# goes on.  ./ioat sanitize runs this case under the ASan/UBSan QEMU, where
# any report or leak at exit fails it.

. /ioat/lib/net.sh

IF=eth0
NIC=8086:10f9
DMA=8086:0b00

# gone VENDOR:DEVICE SECONDS: the function left the bus within SECONDS.
gone() {
    local i
    for i in $(seq $(($2 * 10))); do
        pci_present "$1" || return 0
        sleep 0.1
    done
    echo "still present after $2 s"
    return 1
}

# grows FILE: the counter in FILE rises within two seconds.
grows() {
    local a b
    a=$(cat "$1")
    sleep 2
    b=$(cat "$1")
    echo "$a -> $b"
    [ "$b" -gt "$a" ]
}

# still_running PID: the background job has not ended yet (a job that
# ended but was not waited for is a zombie: state Z).
still_running() {
    [ -r /proc/"$1"/stat ] && ! grep -q '^[0-9]* (.*) Z' /proc/"$1"/stat
}

# ends PID SECONDS: the job ends within SECONDS (stopped if not).
ends() {
    local i
    for i in $(seq $(($2 * 10))); do
        still_running "$1" || return 0
        sleep 0.1
    done
    kill "$1" 2>/dev/null
    echo "still running after $2 s"
    return 1
}

# The NIC, mid-transfer ---------------------------------------------------

check ixgbe-loads modprobe ixgbe
check link-up ip link set $IF up
check carrier wait_carrier $IF
check dhcp-lease dhcp $IF
block
# 400 MiB take about a minute here: the removal lands in the middle.
{ echo "PUSH $((400 << 20))"; stream_blocks 400; } | nc $HOST "$HOSTPORT" > /dev/null 2>&1 &
PUSH=$!
check tcp-traffic-flows grows /sys/class/net/$IF/statistics/tx_bytes
request_nowait UNPLUG nic0
check nic-removed gone $NIC 60
check nic-removed-mid-transfer still_running $PUSH
check netdev-removed sh -c "! test -e /sys/class/net/$IF"
check ixgbe-released-device dmesg_has 'ixgbe [0-9a-f:.]+: complete'
kill $PUSH 2>/dev/null
check transfer-ends ends $PUSH 10

# The engine, mid-copies --------------------------------------------------

# The stock ioatdma also matches; nothing loaded it in this boot.
check ioat-dma-loads modprobe ioat_dma
check ioat-copy-device test -c /dev/ioat-copy
# Rounds of 1 B .. 4 MiB copies, each verified byte for byte, until one
# fails: the last round's output says why.
copies() {
    local n=0
    while ioat-copy-bench -c 0 --verify > /tmp/copies.last 2>&1; do
        n=$((n + 1))
        echo "$n" > /tmp/copies.rounds
    done
}
echo 0 > /tmp/copies.rounds
copies &
COPIES=$!
check copies-run sh -c 'sleep 3; test "$(cat /tmp/copies.rounds)" -gt 0'
request_nowait UNPLUG dma0
check dma-removed gone $DMA 60
check copies-end ends $COPIES 30
info "copy rounds verified before the removal: $(cat /tmp/copies.rounds)"
check copies-fail-with-enodev grep -q 'No such device' /tmp/copies.last
check ioat-dma-unloads modprobe -r ioat_dma

check no-oops no_kernel_messages 'BUG|Oops|WARNING|Call Trace|general protection'
