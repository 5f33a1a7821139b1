# The stock ixgbe driver drives ioat-nic: probe, link, DHCP from slirp,
# ping, TCP transfers with verified payloads, RSS over several queues,
# its ethtool self test, statistics, down/up and reload.

. /ioat/lib/net.sh

NIC=8086:10f9
IF=eth0

check ixgbe-loads modprobe ixgbe
check ixgbe-binds pci_bound "$NIC" ixgbe
check netdev-exists test -d /sys/class/net/$IF
check probe-no-warnings sh -c "! dmesg | grep -E 'ixgbe.*(WARN|error|fail|Hang)|Call Trace'"

check link-up ip link set $IF up
check carrier-within-5s wait_carrier $IF
check speed-10000 sh -c "ethtool $IF | grep -qx '	Speed: 10000Mb/s'"
check dhcp-lease dhcp $IF
check ping-gateway ping -c 3 -W 2 $HOST

rx_queues=$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)
info "rx queues: $rx_queues (2 vCPUs)"
check multiqueue-2-rx-queues test "$rx_queues" = 2

check tcp-push-100MiB-verified push 100
check tcp-pull-100MiB-verified pull 100

# Several concurrent flows: RSS spreads them over both queues.
rx_queue_packets() {  # rx_queue_packets N
    ethtool -S $IF | awk -v q="rx_queue_$1_packets:" '$1 == q { print $2 }'
}
before0=$(rx_queue_packets 0) before1=$(rx_queue_packets 1)
for i in 1 2 3 4 5 6 7 8; do pull_raw 2 > /dev/null & done
wait
got0=$(( $(rx_queue_packets 0) - before0 ))
got1=$(( $(rx_queue_packets 1) - before1 ))
info "8 flows: rx_queue_0 +$got0 packets, rx_queue_1 +$got1 packets"
check rss-flows-on-queue-0 test "$got0" -gt 0
check rss-flows-on-queue-1 test "$got1" -gt 0
irqs() {  # irqs VECTOR-NAME: interrupts summed over CPUs
    awk -v n="$1" '$NF == n { s = 0; for (i = 2; i < NF - 2; i++) s += $i; print s }' /proc/interrupts
}
info "interrupts: $(grep $IF /proc/interrupts | awk '{ print $NF ":" $2 + $3 }' | xargs)"
check irqs-on-vector-0 test "$(irqs $IF-TxRx-0)" -gt 0
check irqs-on-vector-1 test "$(irqs $IF-TxRx-1)" -gt 0

check ethtool-driver-ixgbe sh -c "ethtool -i $IF | grep -qx 'driver: ixgbe'"
check ethtool-firmware-etrack sh -c "ethtool -i $IF | grep -qx 'firmware-version: 0x800005e4'"
check ethtool-stats-rx-counted sh -c "ethtool -S $IF | awk '/ rx_packets:/ { exit !(\$2 > 0) }'"
check ethtool-channels-combined-2 sh -c "ethtool -l $IF | awk '/^Combined:/ { n++; v = \$2 } END { exit !(n == 2 && v == 2) }'"
check ethtool-rss-table-128 sh -c "test \$(ethtool -x $IF | grep -cE '^ +[0-9]+:') = 16"

ethtool -t $IF offline > /tmp/selftest.txt 2>&1
while IFS= read -r line; do info "  $line"; done < /tmp/selftest.txt
check selftest-offline-pass grep -q 'The test result is PASS' /tmp/selftest.txt
for t in Register Eeprom Interrupt Loopback Link; do
    check "selftest-$t-0" sh -c "grep -E '^$t test .*[[:space:]]0\$' /tmp/selftest.txt"
done
check carrier-after-selftest wait_carrier $IF
check ping-after-selftest ping -c 2 -W 2 $HOST

check link-down ip link set $IF down
check link-up-again ip link set $IF up
check carrier-after-down-up wait_carrier $IF
check ping-after-down-up ping -c 2 -W 2 $HOST

reload() {
    modprobe -r ixgbe && modprobe ixgbe && ip link set $IF up &&
        wait_carrier $IF && dhcp $IF && ping -c 1 -W 2 $HOST
}
for n in 1 2 3; do
    check "rmmod-modprobe-$n" reload
done
check no-warnings-at-end sh -c "! dmesg | grep -E 'WARNING|Call Trace|Tx Unit Hang|ixgbe.*error'"
