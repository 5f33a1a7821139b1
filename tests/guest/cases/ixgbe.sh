# The stock ixgbe driver drives ioat-nic: probe, link, DHCP from slirp,
# ping, TCP transfers with verified payloads, RSS over several queues,
# its ethtool self test, statistics, down/up and reload.

. /ioat/lib/net.sh

NIC=8086:10f9
IF=eth0

check ixgbe-loads modprobe ixgbe
check ixgbe-binds pci_bound "$NIC" ixgbe
check netdev-exists test -d /sys/class/net/$IF
check probe-no-warnings no_warnings 'ixgbe.*(WARN|error|fail|Hang)|Call Trace'

netdev_link_checks $IF
netdev_transfer_checks
netdev_rss_checks $IF

irqs() {  # irqs VECTOR-NAME: interrupts summed over CPUs
    awk -v n="$1" '$NF == n { s = 0; for (i = 2; i < NF - 2; i++) s += $i; print s }' /proc/interrupts
}
check irqs-on-vector-0 test "$(irqs $IF-TxRx-0)" -gt 0
check irqs-on-vector-1 test "$(irqs $IF-TxRx-1)" -gt 0

netdev_ethtool_checks $IF ixgbe
check ethtool-firmware-etrack sh -c "ethtool -i $IF | grep -qx 'firmware-version: 0x800005e4'"
check ethtool-stats-rx-counted sh -c "ethtool -S $IF | awk '/ rx_packets:/ { exit !(\$2 > 0) }'"

ethtool -t $IF offline > /tmp/selftest.txt 2>&1
while IFS= read -r line; do info "  $line"; done < /tmp/selftest.txt
check selftest-offline-pass grep -q 'The test result is PASS' /tmp/selftest.txt
for t in Register Eeprom Interrupt Loopback Link; do
    check "selftest-$t-0" sh -c "grep -E '^$t test .*[[:space:]]0\$' /tmp/selftest.txt"
done
check carrier-after-selftest wait_carrier $IF
check ping-after-selftest ping -c 2 -i 0.2 -W 2 $HOST

netdev_down_up_checks $IF

reload() {
    modprobe -r ixgbe && modprobe ixgbe && net_up $IF
}
netdev_reload_checks reload
check no-warnings-at-end no_warnings 'WARNING|Call Trace|Tx Unit Hang|ixgbe.*error'
