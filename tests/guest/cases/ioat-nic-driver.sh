# Our own driver, guest-drivers/ioat-nic (module ioat_nic), drives
# ioat-nic: probe, link, DHCP from slirp, ping, verified 100 MiB TCP
# transfers each way, split-header receive, RSS over several queues,
# ethtool -S/-L/-g/-x/-C, down/up, reload, and the unsplit mode.
#
# The stock ixgbe matches 8086:10F9 too.  Nothing loads it here (the
# initramfs has no hotplug helper), but if it is bound we unbind it, and
# driver_override pins the function to ioat_nic either way.

. /ioat/lib/net.sh

NIC=8086:10f9
DEV=$(pci_devices $NIC | head -n 1)
BDF=$(basename "$DEV")

bind_ioat_nic() {
    if [ -e "$DEV/driver" ] && ! pci_bound $NIC ioat_nic; then
        echo "$BDF" > "$DEV/driver/unbind"
    fi
    echo ioat_nic > "$DEV/driver_override"
    modprobe ioat_nic "$@" || return 1
    pci_bound $NIC ioat_nic || echo "$BDF" > /sys/bus/pci/drivers_probe
    pci_bound $NIC ioat_nic
}

netdev_name() {
    ls "$DEV/net" 2>/dev/null | head -n 1
}

# nic_stat NAME: one counter from ethtool -S
nic_stat() {
    ethtool -S "$IF" | awk -v n="$1:" '$1 == n { print $2 }'
}

bring_up() {
    IF=$(netdev_name) && [ -n "$IF" ] && ip link set "$IF" up &&
        wait_carrier "$IF" && dhcp "$IF" > /dev/null && ping -c 1 -W 2 $HOST > /dev/null
}

check ioat_nic-binds bind_ioat_nic
IF=$(netdev_name)
info "interface $IF on $BDF"
check netdev-exists test -n "$IF"
# no_warnings REGEX: no kernel message matches.  Out-of-tree modules are
# unsigned; the kernel says so once, at first load, which is expected.
no_warnings() {
    ! dmesg | grep -v 'module verification failed' | grep -E "$1"
}
check probe-no-warnings no_warnings 'ioat_nic.*(WARN|error|fail)|Call Trace'

check link-up ip link set "$IF" up
check carrier-within-5s wait_carrier "$IF"
check speed-10000 sh -c "ethtool $IF | grep -qx '	Speed: 10000Mb/s'"
check dhcp-lease dhcp "$IF"
check ping-gateway ping -c 3 -W 2 $HOST

rx_queues=$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)
info "rx queues: $rx_queues (2 vCPUs)"
check multiqueue-2-rx-queues test "$rx_queues" = 2

check tcp-push-100MiB-verified push 100
check tcp-pull-100MiB-verified pull 100

split=$(nic_stat rx_hdr_split) nosplit=$(nic_stat rx_hdr_nosplit)
info "after the transfers: $split frames split, $nosplit unsplit"
check rx-split-headers-counted test "${split:-0}" -gt 10000
check rx-split-most-frames test "${split:-0}" -gt "$(( ${nosplit:-0} * 10 ))"
check rx-no-checksum-errors test "$(nic_stat rx_csum_err)" = 0
check rx-page-reuse sh -c "test \$(ethtool -S $IF | awk '/rx_page_reuse:/ { print \$2 }') -gt 0"
check tx-tso-used sh -c "ethtool -S $IF | awk '/tx_queue_[0-9]+_tso:/ { s += \$2 } END { exit !(s > 0) }'"

# Several concurrent flows: RSS spreads them over both queues.
before0=$(nic_stat rx_queue_0_packets) before1=$(nic_stat rx_queue_1_packets)
for i in 1 2 3 4 5 6 7 8; do pull_raw 2 > /dev/null & done
wait
got0=$(( $(nic_stat rx_queue_0_packets) - before0 ))
got1=$(( $(nic_stat rx_queue_1_packets) - before1 ))
info "8 flows: rx_queue_0 +$got0 packets, rx_queue_1 +$got1 packets"
check rss-flows-on-queue-0 test "$got0" -gt 0
check rss-flows-on-queue-1 test "$got1" -gt 0
check split-on-queue-0 test "$(nic_stat rx_queue_0_hdr_split)" -gt 0
check split-on-queue-1 test "$(nic_stat rx_queue_1_hdr_split)" -gt 0
info "interrupts: $(grep "$IF" /proc/interrupts | awk '{ print $NF ":" $2 + $3 }' | xargs)"

check ethtool-driver-ioat_nic sh -c "ethtool -i $IF | grep -qx 'driver: ioat_nic'"
check ethtool-channels-combined-2 sh -c "ethtool -l $IF | awk '/^Combined:/ { n++; v = \$2 } END { exit !(n == 2 && v == 2) }'"
check ethtool-rings-512 sh -c "ethtool -g $IF | awk '/^RX:/ { n++; v = \$2 } END { exit !(n == 2 && v == 512) }'"
check ethtool-rss-table-128 sh -c "test \$(ethtool -x $IF | grep -cE '^ +[0-9]+:') = 16"
check ethtool-rss-both-queues sh -c "ethtool -x $IF | grep -E '^ +[0-9]+:' | grep -q ' 1 '"
check ethtool-coalesce-set ethtool -C "$IF" rx-usecs 20
check ethtool-coalesce-read sh -c "ethtool -c $IF | grep -qx 'rx-usecs: 20'"
check ethtool-coalesce-traffic pull 10
ethtool -C "$IF" rx-usecs 0

# Queue count changes while the interface is up.
check ethtool-L-combined-1 ethtool -L "$IF" combined 1
check one-rx-queue test "$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)" = 1
check carrier-after-L-1 wait_carrier "$IF"
check ping-after-L-1 ping -c 2 -W 2 $HOST
check pull-after-L-1 pull 10
check ethtool-L-combined-2 ethtool -L "$IF" combined 2
check two-rx-queues test "$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)" = 2
check carrier-after-L-2 wait_carrier "$IF"
check push-after-L-2 push 10

check link-down ip link set "$IF" down
check link-up-again ip link set "$IF" up
check carrier-after-down-up wait_carrier "$IF"
check ping-after-down-up ping -c 2 -W 2 $HOST

info "split headers: push $(rate push 50) MB/s, pull $(rate pull 50) MB/s"

reload() {
    modprobe -r ioat_nic && bind_ioat_nic "$@" && bring_up
}
for n in 1 2 3; do
    check "rmmod-modprobe-$n" reload
done

# For comparison: the one-buffer mode, where the CPU parses the headers.
check reload-unsplit reload split_headers=0
check unsplit-pull-verified pull 20
check unsplit-push-verified push 20
check unsplit-no-split-frames test "$(nic_stat rx_hdr_split)" = 0
check unsplit-frames-counted test "$(nic_stat rx_hdr_nosplit)" -gt 1000
info "one buffer: push $(rate push 50) MB/s, pull $(rate pull 50) MB/s"
check reload-split reload

check clean-unload modprobe -r ioat_nic
# Leave the device to whichever driver a later case loads.
echo > "$DEV/driver_override"
check no-warnings-at-end no_warnings 'WARNING|Call Trace|BUG|timed out|ioat_nic.*(error|fail)'
