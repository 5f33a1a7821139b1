# SR-IOV with the stock drivers: ixgbe on the PF enables 2 of ioat-nic's
# VFs (32-pool mode: VF n is pool n, the PF pool 2), ixgbevf binds them
# over the PF/VF mailbox, and VF 0 carries traffic of its own: a DHCP
# lease from slirp, pings and verified TCP transfers, on VF 0's queues
# and vectors.  The PF takes no address, so every IP packet in the guest
# goes through the VF.  Disabling SR-IOV removes the VFs cleanly.
# ioat-vfs: on

. /ioat/lib/net.sh

PF=eth0
VF_ID=8086:10ed
NUMVFS=/sys/class/net/$PF/device/sriov_numvfs

# vf_netdev N: the netdev of the Nth VF function (0-based, bus order)
vf_netdev() {
    local d
    d=$(pci_devices $VF_ID | sort | sed -n "$(($1 + 1))p")
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

check ixgbe-loads modprobe ixgbe
check pf-bound pci_bound 8086:10f9 ixgbe
check pf-up up $PF
check pf-offers-4-vfs test "$(cat /sys/class/net/$PF/device/sriov_totalvfs)" = 4

mark sriov
check vfs-enabled sh -c "echo 2 > $NUMVFS"
check two-vfs-enumerated test "$(pci_devices $VF_ID | wc -l)" = 2
check pf-reports-sriov dmesg_has 'ixgbe .*SR-IOV enabled with 2 VFs'
check ixgbevf-loads modprobe ixgbevf
check ixgbevf-binds pci_bound $VF_ID ixgbevf
VF=$(vf_netdev 0)
info "VF 0 is ${VF:-missing}"
check vf-netdev-exists test -n "$VF"
check vf-link-up up "$VF"
check vf-reports-10g dmesg_has 'ixgbevf .*NIC Link is Up 10 Gbps'
check vf-dhcp-lease dhcp "$VF"
info "VF 0 address: $(ip -4 addr show "$VF" | awk '/ inet / { print $2 }')"

before=$(irqs_of "$VF")
check vf-pings-gateway ping -c 3 -i 0.2 -W 2 $HOST
check vf-push-4MiB-verified push 4
check vf-pull-4MiB-verified pull 4
check vf-interrupts-counted test "$(irqs_of "$VF")" -gt "$before"
check vf-rx-counted sh -c "[ \$(cat /sys/class/net/$VF/statistics/rx_packets) -gt 1000 ]"
ethtool -S "$VF" 2>/dev/null | grep -E 'rx_packets|tx_packets|rx_bytes' |
    while IFS= read -r line; do info "VF 0 ethtool -S: $line"; done

check vf-down-up down_up "$VF"
check vf-pings-after-down-up ping -c 2 -i 0.2 -W 2 $HOST

check ixgbevf-unloads modprobe -r ixgbevf
check vfs-disabled sh -c "echo 0 > $NUMVFS"
check vfs-gone test "$(pci_devices $VF_ID | wc -l)" = 0
check no-mailbox-errors sh -c "! since_mark | grep -E 'Unhandled Msg|Error receiving message|PF still in reset|RXDCTL.ENABLE|Spoofed packets'"
check no-warnings no_warnings 'WARNING|Call Trace|BUG'
check ixgbe-unloads modprobe -r ixgbe
