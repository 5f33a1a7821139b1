# Injected faults against the drivers (docs/fault-injection.md): the guest
# asks the runner to arm a fault on a device (request "QOM-SET ID PROPERTY
# VALUE", a qom-set over QMP) and checks what the driver makes of it.
# The NIC under our ioat_nic, then under the stock ixgbe: frames failing
# the MAC's checks never reach the stack and are counted, late descriptor
# write-backs lose nothing, a link flap comes and goes, a transmit hang and
# a lost MSI-X message end in the driver's reset, a surprise removal is
# noticed.  The engine under the stock ioatdma, then under our ioat_dma:
# an injected channel error, a stalled channel, a lost completion write and
# a lost interrupt, each followed by a clean dmatest round.

. /ioat/lib/net.sh
. /ioat/lib/dma.sh

IF=eth0

# arm ID PROPERTY VALUE: the fault is armed when this returns.
arm() {
    request "QOM-SET $*" || info "not armed: $*" > /dev/console
}

# Nothing may arrive unasked while a receive fault is armed: no IPv6
# (router solicitations get advertisements back), and the gateway's ARP
# entry pinned once known (a stale entry is probed, and answered).
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
pin_gateway() {
    ping -c 1 -W 2 $HOST > /dev/null && arp -i $IF -s $HOST "$(gateway_mac)"
}

# replies PING-ARGS...: how many replies ping got
replies() {
    ping "$@" $HOST | sed -n 's/.*, \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p'
}

# logged PATTERN SECONDS: a kernel message since the last mark matches
# within SECONDS.
logged() {
    local i
    for i in $(seq "$2"); do
        since_mark | grep -qE "$1" && return 0
        sleep 1
    done
    echo "no '$1' after $2 s"
    return 1
}

# frames_hit N ANSWERED STAT...: with N received frames armed to fail a
# check of the MAC, 10 pings get ANSWERED replies and the counter STAT (a
# command printing it) grows by exactly N once the driver has folded the
# hardware's in.
frames_hit() {
    local n=$1 answered=$2 before got v i
    shift 2
    before=$("$@")
    got=$(replies -c 10 -i 0.2 -W 1)
    for i in $(seq 10); do
        v=$("$@")
        [ $((v - before)) -ge "$n" ] && break
        sleep 1
    done
    echo "$got of 10 replies, counter $before -> $v"
    [ "$got" = "$answered" ] && [ $((v - before)) = "$n" ]
}

sysfs_stat() {
    cat "/sys/class/net/$IF/statistics/$1"
}

# all_replies: 10 pings, 10 replies
all_replies() {
    local got
    got=$(replies -c 10 -i 0.2 -W 2)
    echo "$got of 10 replies"
    [ "$got" = 10 ]
}

carrier_changes() {
    cat "/sys/class/net/$IF/carrier_changes"
}

# link_flaps BEFORE: the carrier dropped and came back (carrier_changes
# rose by 2 from BEFORE) within 10 s and is up.  Counted, not sampled: a
# poll of the carrier can miss the 500 ms flap on a loaded host.
link_flaps() {
    local i
    for i in $(seq 100); do
        [ "$(carrier_changes)" -ge $(($1 + 2)) ] && break
        sleep 0.1
    done
    [ "$(carrier_changes)" -ge $(($1 + 2)) ] ||
        { echo "carrier_changes $1 -> $(carrier_changes)"; return 1; }
    wait_carrier $IF 1 10
}

# no_reset_since_mark: no transmit timeout, no reset since the last mark
no_reset_since_mark() {
    ! since_mark | grep -E 'timed out|[Rr]eset'
}

# flood: pings every 10 ms, two from each CPU, until stop_flood, so that
# every transmit queue (and so every queue vector) carries traffic.
flood() {
    local cpu
    FLOOD=
    for cpu in 0 1 0 1; do
        taskset -c $cpu ping -q -i 0.01 -W 1 $HOST > /dev/null 2>&1 &
        FLOOD="$FLOOD $!"
    done
}

stop_flood() {
    # shellcheck disable=SC2086 # a list of PIDs
    kill $FLOOD 2> /dev/null
    wait
    return 0
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
check ours-gateway-pinned pin_gateway

# Frames failing the FCS or length check are dropped (never reach the
# stack: 3 of 10 pings unanswered) and counted; frames reported with a bad
# checksum go up for the stack to check, which finds them good.
arm nic0 fault-rx-crc 3
check ours-crc-errors-dropped-and-counted frames_hit 3 7 sysfs_stat rx_crc_errors
arm nic0 fault-rx-length 3
check ours-length-errors-dropped-and-counted frames_hit 3 7 sysfs_stat rx_length_errors
arm nic0 fault-rx-checksum 3
check ours-checksum-errors-counted frames_hit 3 10 ethtool_stat $IF rx_csum_err

arm nic0 fault-rx-late-writeback 5
check ours-late-writebacks-lose-nothing all_replies

mark ours link flap
changes=$(carrier_changes)
request_nowait "QOM-SET nic0 fault-link-flap 1"
check ours-carrier-follows-link-flap link_flaps "$changes"
check ours-link-flap-then-ping ping -c 2 -W 2 $HOST

# The stack's transmit watchdog, which this driver relies on, only looks
# at a stopped queue: enough pings to fill the 512-entry rings.
mark ours tx hang
arm nic0 fault-tx-hang 1
flood
check ours-detects-tx-timeout logged 'ioat_nic .*TX queue [0-9]+ timed out' 40
stop_flood
check ours-carrier-after-reset wait_carrier $IF 1 20
check ours-push-4MiB-after-reset push 4

# A lost MSI-X message leaves its vector auto-masked (EIAM): the driver's
# interrupt watchdog finds work waiting on a vector that has not polled
# for 2 s, unmasks and fires it; no reset.
mark ours lost msix
arm nic0 fault-msix-lost 1
flood
check ours-recovers-lost-msix logged 'ioat_nic .*queue vector [0-9]+: work waiting and no interrupt' 20
stop_flood
check ours-no-reset-for-lost-msix no_reset_since_mark
check ours-carrier-after-lost-msix wait_carrier $IF 1 20
check ours-push-4MiB-after-lost-msix push 4
check ours-unloads ours_unbind

# The NIC under the stock ixgbe ----------------------------------------

check ixgbe-loads modprobe ixgbe
check link-up ip link set $IF up
check carrier wait_carrier $IF
check dhcp-lease dhcp $IF
check ping-before ping -c 2 -W 2 $HOST
check gateway-pinned pin_gateway

arm nic0 fault-rx-crc 3
check crc-errors-dropped-and-counted frames_hit 3 7 ethtool_stat $IF rx_crc_errors
arm nic0 fault-rx-length 3
check length-errors-dropped-and-counted frames_hit 3 7 ethtool_stat $IF rx_length_errors
arm nic0 fault-rx-checksum 3
check checksum-errors-counted frames_hit 3 10 ethtool_stat $IF rx_csum_offload_errors
info "$(ethtool -S $IF | grep -E 'rx_crc_errors|rx_length_errors|rx_csum_offload_errors' | tr -s ' \n' ' ')"

arm nic0 fault-rx-late-writeback 5
check late-writebacks-lose-nothing all_replies

mark ixgbe link flap
request_nowait "QOM-SET nic0 fault-link-flap 1"
check ixgbe-sees-link-down logged 'ixgbe .*NIC Link is Down' 10
check ixgbe-sees-link-up-again logged 'ixgbe .*NIC Link is Up' 10
check carrier-after-link-flap wait_carrier $IF 1 10
check ping-after-link-flap ping -c 2 -W 2 $HOST

mark ixgbe tx hang
arm nic0 fault-tx-hang 1
ping -c 3 -W 1 $HOST > /dev/null 2>&1
check ixgbe-detects-tx-hang logged 'Detected Tx Unit Hang|tx timeout' 40
check ixgbe-resets-adapter logged 'Reset adapter' 20
check carrier-after-reset wait_carrier $IF 1 20
check push-20MiB-after-reset push 20

# A lost MSI-X message leaves its vector auto-masked (EIAM): that vector's
# rings are never cleaned, its transmit queue fills and stops, and the
# stack's watchdog has ixgbe reset the adapter.
mark ixgbe lost msix
arm nic0 fault-msix-lost 1
flood
check ixgbe-recovers-lost-msix logged 'tx timeout|Detected Tx Unit Hang|Reset adapter' 40
stop_flood
check carrier-after-lost-msix wait_carrier $IF 1 20
check push-4MiB-after-lost-msix push 4

# Surprise removal: every read returns all ones; ixgbe notices at its next
# register read and lets the adapter go.
mark ixgbe removal
arm nic0 fault-surprise-removal true
check ixgbe-sees-removal logged 'ixgbe .*Adapter removed' 20

# The engine -----------------------------------------------------------

# dmatest_failures CHANNEL ITERATIONS [ID PROPERTY VALUE]: one dmatest
# round on CHANNEL, with the fault (if any) armed once dmatest holds the
# channel and before its threads start, so that their first transfers
# meet it; prints the failures the threads report in total.  A round with
# a stalled or failed transfer never stops early: a dmatest thread stopped
# while waiting leaves the transfer to complete into freed buffers.  The
# channel is released 0.5 s after the round: ioatdma's completion timer
# (200 ms) must find it idle, or the next client's work runs without it
# (docs/fault-injection.md).
dmatest_failures() {
    local chan=$1 iterations=$2
    shift 2
    dmatest_load "$iterations" channel="$chan" timeout="${DMATEST_TIMEOUT:-5000}" ||
        return 1
    [ $# = 0 ] || arm "$@" > /dev/console
    echo 1 > $DMATEST/run
    cat $DMATEST/wait > /dev/null
    sleep 0.5
    dmatest_finish || return 1
    sed -n 's/.*summary [0-9]* tests, \([0-9]*\) failures.*/\1/p' $DMATEST_SUMMARY |
        awk '{ n += $1 } END { print n + 0 }'
}

# round_fails CHANNEL ID PROPERTY VALUE: a round of 100 with the fault armed
# has at least one failure.
round_fails() {
    local n chan=$1
    shift
    n=$(dmatest_failures "$chan" 100 "$@")
    echo "$n failures"
    [ "$n" -ge 1 ]
}

# round_clean CHANNEL ITERATIONS [ID PROPERTY VALUE]: a round (with the
# fault armed) has no failure.
round_clean() {
    local n
    n=$(dmatest_failures "$@")
    echo "$n failures"
    [ "$n" = 0 ]
}

# round_ends CHANNEL ITERATIONS [ID PROPERTY VALUE]: a round (with the
# fault armed) ends, whatever it counts.
round_ends() {
    local n
    n=$(dmatest_failures "$@")
    echo "$n failures"
    [ -n "$n" ]
}

DMA=8086:0b00
CH=dma0chan0

# The stock ioatdma.  A read error injected into a running round: ioatdma
# fails that transfer (and aborts the ones queued behind it), resets and
# restarts the channel.  Armed while idle, the fault would hit the null
# descriptor ioatdma starts an idle channel with.
check ioatdma-loads modprobe ioatdma
check dmatest-clean-before round_clean $CH 20
check dmatest-sees-injected-error round_fails $CH dma0 fault-chanerr 0:0x100:1
check dmatest-next-round-clean round_clean $CH 20

# A stalled channel and a lost completion write look the same to
# ioatdma: descriptors in flight and no progress for two ticks of its
# completion timer; it aborts them, resets and restarts the channel.
mark ioatdma stall
check dmatest-ends-with-stalled-channel round_ends $CH 20 dma0 fault-stall 0:1
check ioatdma-resets-stalled-channel logged 'ioatdma .*Reset channel' 10
check dmatest-clean-after-stall round_clean $CH 20

# One lost completion write in a busy round costs nothing: the next
# record names a later descriptor, and everything up to it is done.
check dmatest-clean-with-one-lost-completion round_clean $CH 100 dma0 fault-completion-lost 1

# With no completion record landing at all, ioatdma's completion timer sees
# no progress twice, aborts what is in flight (dmatest counts it failed)
# and resets the channel; disarmed, the next round is clean.
mark ioatdma lost completions
check dmatest-ends-without-completions round_ends $CH 1 dma0 fault-completion-lost 1000
check ioatdma-resets-without-completions logged 'ioatdma .*Reset channel' 10
arm dma0 fault-completion-lost 0
check dmatest-clean-after-lost-completions round_clean $CH 20

# A lost interrupt leaves the channel unarmed: ioatdma's timer finds each
# completion (up to its 2 s idle period later), and nothing fails.  Armed
# while idle, the fault takes the interrupt of the null descriptor
# ioatdma starts the channel with when dmatest asks for it.  Each transfer
# may wait a whole idle period, and guest time under TCG runs in bursts:
# dmatest gives each one 20 s (a 5 s limit timed out once in CI).
round_clean_polled() {
    DMATEST_TIMEOUT=20000
    round_clean "$@"
}
arm dma0 fault-interrupt-lost 1
check dmatest-clean-with-lost-interrupt round_clean_polled $CH 2
check ioatdma-unloads rmmod ioatdma

# Our ioat_dma (docs/guest-drivers.md, "When the device fails").
ours_dma_loads() {
    modprobe ioat_dma && pci_bound $DMA ioat_dma
}
check ioat-dma-loads ours_dma_loads
CH=$(basename "$(ls -d /sys/class/dma/dma*chan0 | head -n 1)")
info "our driver's first channel: $CH"

mark ioat_dma chanerr
check ours-dmatest-sees-injected-error round_fails $CH dma0 fault-chanerr 0:0x100:1
check ours-reports-chanerr logged 'ioat_dma .*channel 0 halted, CHANERR 0x100' 5
check ours-dmatest-clean-after-error round_clean $CH 20

mark ioat_dma stall
check ours-dmatest-ends-with-stalled-channel round_ends $CH 20 dma0 fault-stall 0:1
check ours-resets-stalled-channel logged 'ioat_dma .*channel 0: no progress' 10
check ours-dmatest-clean-after-stall round_clean $CH 20

# The watchdog reaps what the lost record or interrupt did not announce
# (from CHANSTS, or the record) and re-arms: nothing fails.  Armed while
# idle: the round's first transfer takes the fault.
mark ioat_dma lost completion
arm dma0 fault-completion-lost 1
check ours-dmatest-clean-with-lost-completion round_clean $CH 200
check ours-reaps-lost-completion logged 'ioat_dma .*channel 0: [0-9]+ slots done without' 5

mark ioat_dma lost interrupt
# The lost-completion round ends with the watchdog re-arming the channel,
# which may still raise an interrupt nobody waits for; let it come first,
# or the fault takes it and this round loses nothing (seen in CI).
sleep 1
arm dma0 fault-interrupt-lost 1
check ours-dmatest-clean-with-lost-interrupt round_clean $CH 200
check ours-rearms-after-lost-interrupt logged 'ioat_dma .*channel 0: [0-9]+ slots done without' 5
check ours-unloads rmmod ioat_dma

check no-oops no_kernel_messages 'BUG|Oops|Call Trace|general protection'
