# The stock ixgbe driver drives ioat-nic: probe, link, addresses from
# slirp's DHCP server, ping, its ethtool self test, statistics.

NIC=8086:10f9
IF=eth0

check ixgbe-loads modprobe ixgbe
check ixgbe-binds pci_bound "$NIC" ixgbe
check netdev-exists test -d /sys/class/net/$IF

check link-up ip link set $IF up
wait_carrier() {
    for _ in $(seq 50); do
        [ "$(cat /sys/class/net/$IF/carrier 2>/dev/null)" = 1 ] && return 0
        sleep 0.1
    done
    return 1
}
check carrier-within-5s wait_carrier

# udhcpc hands the lease to a script; this one just applies it.
cat > /tmp/udhcpc.sh <<'SCRIPT'
#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/${mask:-24}" dev "$interface"
ip route add default via "${router%% *}" dev "$interface"
SCRIPT
chmod +x /tmp/udhcpc.sh
check dhcp-lease udhcpc -i $IF -n -q -t 5 -T 1 -s /tmp/udhcpc.sh
check ping-gateway ping -c 3 -W 2 10.0.2.2

rx_queues=$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)
info "rx queues: $rx_queues (2 vCPUs)"
check multiqueue-2-rx-queues test "$rx_queues" = 2

check ethtool-driver-ixgbe sh -c "ethtool -i $IF | grep -qx 'driver: ixgbe'"
check ethtool-firmware-etrack sh -c "ethtool -i $IF | grep -qx 'firmware-version: 0x800005e4'"
check ethtool-stats-rx-counted sh -c "ethtool -S $IF | awk '/ rx_packets:/ { exit !(\$2 > 0) }'"

ethtool -t $IF offline > /tmp/selftest.txt 2>&1
while IFS= read -r line; do info "  $line"; done < /tmp/selftest.txt
check selftest-offline-pass grep -q 'The test result is PASS' /tmp/selftest.txt
check link-up-after-selftest wait_carrier
check ping-after-selftest ping -c 2 -W 2 10.0.2.2
