# SR-IOV with the stock drivers: ixgbe on the PF enables 2 of ioat-nic's
# VFs (32-pool mode: VF n is pool n, the PF pool 2) and ixgbevf binds them
# over the PF/VF mailbox.
#   - The administrator's settings take effect: VF 0's address (`ip link
#     set eth0 vf 0 mac`) and VF 1's port VLAN (`vf 1 vlan 100`).
#   - VF 0 carries traffic of its own to slirp: a DHCP lease, pings,
#     100 MiB out and 100 MiB in verified by SHA-256, on its own queues
#     and vectors (the PF takes no address there, so every such packet is
#     VF 0's).
#   - The PF and VF 1 (in a network namespace) talk over VLAN 100, which
#     the device tags and strips for VF 1 and switches between the two
#     pools (the PF's wire counter, tx_pkts_nic, does not see it): pings,
#     then 4 MiB each way verified by SHA-256.
#   - MAC anti-spoofing (on by default): frames VF 0 sends from a forged
#     address are dropped and the PF reports them.
#   - Unbinding and binding a VF, and sriov_numvfs 0 -> 2 -> 0 -> 2, leave
#     no warnings.
# ioat-vfs: on

. /ioat/lib/net.sh

PF=eth0
VF_ID=8086:10ed
NUMVFS=/sys/class/net/$PF/device/sriov_numvfs
IP=/usr/libexec/iproute2/ip         # busybox's ip has no "vf" or netns
MAC0=52:54:00:12:34:70
NS=vf1
PF_ADDR=192.168.100.1
VF1_ADDR=192.168.100.2

# vf_dev N: the sysfs directory of the Nth VF function (bus order)
vf_dev() {
    pci_devices $VF_ID | sort | sed -n "$(($1 + 1))p"
}

# vf_netdev N: its netdev
vf_netdev() {
    local d
    d=$(vf_dev "$1")
    [ -n "$d" ] && ls "$d/net" 2>/dev/null | head -n 1
}

# irqs_of IF: interrupts of IF's vectors, summed over vectors and CPUs
irqs_of() {
    awk -v n="$1-" 'index($NF, n) == 1 {
        for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break
    } END { print s + 0 }' /proc/interrupts
}

# up IF: link up and carrier within 10 s
up() {
    ip link set "$1" up && wait_carrier "$1" 1 10
}

down_up() {
    ip link set "$1" down && up "$1"
}

# between FROM TO MIB: MIB MiB by TCP from namespace FROM (- for the
# root namespace) to TO's address, SHA-256 of both ends equal
between() {
    local from=$1 to=$2 want got send='' recv=''
    block
    want=$(stream_blocks "$3" | sha256sum | cut -d' ' -f1)
    [ "$from" = - ] || send="$IP netns exec $from"
    [ "$to" = $VF1_ADDR ] && recv="$IP netns exec $NS"
    # shellcheck disable=SC2086 # $recv and $send are command prefixes
    $recv tcp-stream -l 5001 | sha256sum | cut -d' ' -f1 > /tmp/got &
    sleep 1
    # shellcheck disable=SC2086
    stream_blocks "$3" | $send tcp-stream "$to" 5001 || return 1
    wait
    got=$(cat /tmp/got)
    [ "$got" = "$want" ] || { echo "received $got, sent $want"; return 1; }
}

# numvfs N: sriov_numvfs, and N VF functions on the bus
numvfs() {
    echo "$1" > $NUMVFS && [ "$(pci_devices $VF_ID | wc -l)" = "$1" ]
}

# No IPv6: nothing multicast of the stack's own between the counter readings
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6

# Setup: the PF up without an address, two VFs, the administrator's
# settings before ixgbevf binds (they take effect at a VF's reset).
check ixgbe-loads modprobe ixgbe
check pf-bound pci_bound 8086:10f9 ixgbe
check pf-up up $PF
check pf-offers-4-vfs test "$(cat /sys/class/net/$PF/device/sriov_totalvfs)" = 4
mark sriov
check vfs-enabled numvfs 2
check pf-reports-sriov dmesg_has 'ixgbe .*SR-IOV enabled with 2 VFs'
check vf0-mac-assigned $IP link set $PF vf 0 mac $MAC0
check vf1-port-vlan-assigned $IP link set $PF vf 1 vlan 100
$IP link show $PF | grep ' vf ' | while IFS= read -r line; do info "PF:$line"; done
check ixgbevf-loads modprobe ixgbevf
check ixgbevf-binds-both test "$(for d in $(pci_devices $VF_ID); do
    basename "$(readlink "$d/driver")"; done | grep -c ixgbevf)" = 2
VF0=$(vf_netdev 0)
VF1=$(vf_netdev 1)
info "VF 0 is ${VF0:-missing}, VF 1 is ${VF1:-missing}"
check vf0-has-assigned-mac test "$(cat /sys/class/net/$VF0/address)" = $MAC0
check vf0-link-up up "$VF0"
check vf1-link-up up "$VF1"
check vfs-report-10g test "$(case_dmesg | grep -c 'ixgbevf .*NIC Link is Up 10 Gbps')" -ge 2

# VF 0 to the outside world.
check vf0-dhcp-lease dhcp "$VF0"
info "VF 0 address: $(ip -4 addr show "$VF0" | awk '/ inet / { print $2 }')"
before=$(irqs_of "$VF0")
check vf0-pings-gateway ping -c 3 -i 0.2 -W 2 $HOST
# One way, then the other: 100 MiB take about 5 s pushed and 2 s pulled
# alone here, while both at once through slirp took 30-47 s.
check vf0-push-100MiB-verified push 100
check vf0-pull-100MiB-verified pull 100
check vf0-interrupts-counted test "$(irqs_of "$VF0")" -gt "$before"
check vf0-rx-counted sh -c "[ \$(cat /sys/class/net/$VF0/statistics/rx_packets) -gt 10000 ]"
check vf0-down-up down_up "$VF0"
check vf0-pings-after-down-up ping -c 2 -i 0.2 -W 2 $HOST

# The PF and VF 1 over VLAN 100, inside the device.
pf_wire_tx() {
    ethtool_stat $PF tx_pkts_nic
}
pf_ring_tx() {
    ethtool -S $PF | awk '/tx_queue_[0-9]+_packets:/ { s += $2 } END { print s + 0 }'
}
check vf1-into-namespace sh -c "$IP netns add $NS && $IP link set $VF1 netns $NS &&
    $IP -n $NS addr add $VF1_ADDR/24 dev $VF1 && $IP -n $NS link set $VF1 up &&
    $IP -n $NS link set lo up"
check pf-vlan-100 sh -c "$IP link add link $PF name $PF.100 type vlan id 100 &&
    $IP addr add $PF_ADDR/24 dev $PF.100 && $IP link set $PF.100 up"
sleep 1
wire0=$(pf_wire_tx) ring0=$(pf_ring_tx)
check pf-pings-vf1-over-vlan ping -c 20 -i 0.1 -W 2 $VF1_ADDR
check vf1-pings-pf-over-vlan $IP netns exec $NS ping -c 3 -i 0.2 -W 2 $PF_ADDR
wire=$(($(pf_wire_tx) - wire0)) ring=$(($(pf_ring_tx) - ring0))
info "PF: $ring frames from its rings, $wire of them on the wire"
# 23 unicast frames (20 requests, 3 replies) to VF 1's address leave the
# PF's rings and do not reach the wire, which sees only broadcast (ARP,
# the PF's and VF 1's).
check pf-vf1-switched-not-on-wire sh -c "[ $ring -ge 23 ] && [ $wire -le 8 ]"
check vf1-to-pf-4MiB-verified between $NS $PF_ADDR 4
check pf-to-vf1-4MiB-verified between - $VF1_ADDR 4

# Anti-spoofing (on by default; set here as an administrator would): VF 0
# sends 5 frames from an address that is not its own.
check vf0-spoofchk-on $IP link set $PF vf 0 spoofchk on
check vf0-spoofchk-reported sh -c "$IP link show $PF | grep -q 'vf 0 .*spoof checking on'"
check vf0-forged-frames-sent raw-send "$VF0" ff:ff:ff:ff:ff:ff 02:00:00:00:00:99 88b5 46 5
check pf-reports-spoofed-frames logged_within 5 'ixgbe .*Spoofed packets detected'

# Unbind and bind VF 0, numvfs 0 -> 2 -> 0 -> 2.
vf0_bdf=$(basename "$(vf_dev 0)")
check vf0-unbinds sh -c "echo $vf0_bdf > /sys/bus/pci/drivers/ixgbevf/unbind"
check vf0-binds-again sh -c "echo $vf0_bdf > /sys/bus/pci/drivers/ixgbevf/bind &&
    [ -d /sys/bus/pci/drivers/ixgbevf/$vf0_bdf ]"
check netns-removed $IP netns del $NS
check vfs-disabled numvfs 0
check vfs-enabled-again numvfs 2
check vfs-bound-again sh -c "for i in \$(seq 50); do
    [ \$(ls -d /sys/bus/pci/drivers/ixgbevf/0000:* 2>/dev/null | wc -l) = 2 ] && exit 0
    sleep 0.1; done; exit 1"
check vfs-disabled-again numvfs 0
# (since_mark is a function of this shell: it needs no sh -c.)
no_mailbox_errors() {
    ! since_mark | grep -E 'Unhandled Msg|Error receiving message|PF still in reset|RXDCTL.ENABLE'
}
check no-mailbox-errors no_mailbox_errors
check no-warnings no_warnings 'WARNING|Call Trace|BUG'
check ixgbevf-unloads modprobe -r ixgbevf
check ixgbe-unloads modprobe -r ixgbe
