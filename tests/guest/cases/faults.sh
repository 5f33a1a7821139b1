# Injected faults against the drivers (docs/fault-injection.md): the guest
# asks the runner to arm a fault on a device ("IOAT-QOM-SET ID PROPERTY
# VALUE", a qom-set over QMP) and checks what the driver makes of it.  Our
# ioat_nic and the stock ixgbe count frames failing their FCS in
# rx_crc_errors, detect a transmit hang, reset the device and transfer
# again; ixgbe notices a surprise removal; ioatdma takes an injected read
# error on a channel, fails that transfer and recovers the channel for the
# next dmatest round.

. /ioat/lib/net.sh
. /ioat/lib/dma.sh

IF=eth0

# arm ID PROPERTY VALUE: the runner polls the console every 0.3 s.
arm() {
    emit "QOM-SET $*"
    sleep 2
}

# wait_dmesg PATTERN SECONDS: a kernel message matches within SECONDS.
wait_dmesg() {
    local i
    for i in $(seq "$2"); do
        dmesg_has "$1" && return 0
        sleep 1
    done
    echo "no '$1' after $2 s"
    return 1
}

# dmatest_failures CHANNEL ITERATIONS [REQUEST...]: one dmatest round on
# CHANNEL, with REQUEST (if any) sent to the runner once it runs; prints
# the failures its threads report in total.
dmatest_failures() {
    local chan=$1 iterations=$2
    shift 2
    dmatest_start "$iterations" channel="$chan" timeout=5000 || return 1
    # On the console itself: this runs inside $(...).
    [ $# = 0 ] || emit "$*" > /dev/console
    dmatest_finish
    sed -n 's/.*summary [0-9]* tests, \([0-9]*\) failures.*/\1/p' $DMATEST_SUMMARY |
        awk '{ n += $1 } END { print n + 0 }'
}

# crc_errors_reach N SECONDS: ping until the netdev's rx_crc_errors reads
# N or more (the fault takes a moment to be armed, and ixgbe folds CRCERRS
# into its statistics every 2 s); passes if it then reads exactly N.
crc_errors_reach() {
    local v i
    for i in $(seq "$2"); do
        ping -c 2 -i 0.3 -W 1 $HOST > /dev/null 2>&1
        v=$(cat /sys/class/net/$IF/statistics/rx_crc_errors)
        [ "$v" -ge "$1" ] && break
        sleep 1
    done
    sleep 2
    v=$(cat /sys/class/net/$IF/statistics/rx_crc_errors)
    echo "rx_crc_errors $v"
    [ "$v" = "$1" ]
}

# The NIC under our ioat_nic ----------------------------------------------

NIC=8086:10f9
DEV=$(pci_devices $NIC | head -n 1)

ours_bind() {
    echo ioat_nic > "$DEV/driver_override"
    modprobe ioat_nic || return 1
    pci_bound $NIC ioat_nic || echo "$(basename "$DEV")" > /sys/bus/pci/drivers_probe
    pci_bound $NIC ioat_nic
}

ours_unbind() {
    modprobe -r ioat_nic && echo > "$DEV/driver_override"
}

check ours-binds ours_bind
check ours-link-up ip link set $IF up
check ours-carrier wait_carrier $IF
check ours-dhcp-lease dhcp $IF

arm nic0 fault-rx-crc 5
check ours-crc-errors-counted crc_errors_reach 5 20

# The stack's transmit watchdog, which this driver relies on, only looks
# at a stopped queue: enough pings to fill the 512-entry ring.
arm nic0 fault-tx-hang 1
ping -c 700 -i 0.01 -W 1 $HOST > /dev/null 2>&1
check ours-detects-tx-timeout wait_dmesg 'ioat_nic .*TX queue [0-9]+ timed out' 40
check ours-carrier-after-reset wait_carrier $IF 1 20
check ours-push-8MiB-after-reset push 8
check ours-unloads ours_unbind

# The NIC under the stock ixgbe ----------------------------------------

check ixgbe-loads modprobe ixgbe
check link-up ip link set $IF up
check carrier wait_carrier $IF
check dhcp-lease dhcp $IF
check ping-before ping -c 2 -W 2 $HOST

arm nic0 fault-rx-crc 5
check crc-errors-counted crc_errors_reach 5 20
info "$(ethtool -S $IF | grep -E 'rx_crc_errors')"

arm nic0 fault-tx-hang 1
ping -c 3 -W 1 $HOST > /dev/null 2>&1
check ixgbe-detects-tx-hang wait_dmesg 'Detected Tx Unit Hang|tx timeout' 40
check ixgbe-resets-adapter wait_dmesg 'Reset adapter' 20
check carrier-after-reset wait_carrier $IF 1 20
check push-20MiB-after-reset push 20

# Surprise removal: every read returns all ones; ixgbe notices at its next
# register read and lets the adapter go.
arm nic0 fault-surprise-removal true
check ixgbe-sees-removal wait_dmesg 'ixgbe .*Adapter removed' 20

# The engine -----------------------------------------------------------

# A read error injected into a running round: ioatdma fails that
# transfer (and aborts the ones queued behind it), resets and restarts
# the channel.  Armed while idle, the fault would hit the null descriptor
# ioatdma starts an idle channel with.
round_with_read_error() {
    local n
    n=$(dmatest_failures dma0chan0 1500 QOM-SET dma0 fault-chanerr 0:0x100:1)
    echo "$n failures"
    [ "$n" -ge 1 ]
}
no_failures() {
    local n
    n=$(dmatest_failures dma0chan0 20)
    echo "$n failures"
    [ "$n" = 0 ]
}

check ioatdma-loads modprobe ioatdma
check dmatest-clean-before no_failures
check dmatest-sees-injected-error round_with_read_error
check dmatest-next-round-clean no_failures

check no-oops sh -c "! dmesg | grep -E 'BUG|Oops|Call Trace|general protection'"
