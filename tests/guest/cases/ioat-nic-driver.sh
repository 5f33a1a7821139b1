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

check ioat_nic-binds bind_ioat_nic
IF=$(netdev_name)
info "interface $IF on $BDF"
check netdev-exists test -n "$IF"
check probe-no-warnings no_warnings 'ioat_nic.*(WARN|error|fail)|Call Trace'

netdev_link_checks "$IF"
netdev_transfer_checks

split=$(ethtool_stat "$IF" rx_hdr_split) nosplit=$(ethtool_stat "$IF" rx_hdr_nosplit)
info "after the transfers: $split frames split, $nosplit unsplit"
check rx-split-headers-counted test "${split:-0}" -gt 10000
check rx-split-most-frames test "${split:-0}" -gt "$(( ${nosplit:-0} * 10 ))"
check rx-no-checksum-errors test "$(ethtool_stat "$IF" rx_csum_err)" = 0
check rx-page-reuse test "$(ethtool_stat "$IF" rx_page_reuse)" -gt 0
check tx-tso-used sh -c "ethtool -S $IF | awk '/tx_queue_[0-9]+_tso:/ { s += \$2 } END { exit !(s > 0) }'"

netdev_rss_checks "$IF"
check split-on-queue-0 test "$(ethtool_stat "$IF" rx_queue_0_hdr_split)" -gt 0
check split-on-queue-1 test "$(ethtool_stat "$IF" rx_queue_1_hdr_split)" -gt 0

netdev_ethtool_checks "$IF" ioat_nic
check ethtool-rings-512 sh -c "ethtool -g $IF | awk '/^RX:/ { n++; v = \$2 } END { exit !(n == 2 && v == 512) }'"
check ethtool-rss-both-queues sh -c "ethtool -x $IF | grep -E '^ +[0-9]+:' | grep -q ' 1 '"
check ethtool-coalesce-set ethtool -C "$IF" rx-usecs 20
check ethtool-coalesce-read sh -c "ethtool -c $IF | grep -qx 'rx-usecs: 20'"
check ethtool-coalesce-traffic pull 10
ethtool -C "$IF" rx-usecs 0

# Queue count changes while the interface is up.
check ethtool-L-combined-1 ethtool -L "$IF" combined 1
check one-rx-queue test "$(rx_queues "$IF")" = 1
check carrier-after-L-1 wait_carrier "$IF"
check ping-after-L-1 ping -c 2 -W 2 $HOST
check pull-after-L-1 pull 10
check ethtool-L-combined-2 ethtool -L "$IF" combined 2
check two-rx-queues test "$(rx_queues "$IF")" = 2
check carrier-after-L-2 wait_carrier "$IF"
check push-after-L-2 push 10

netdev_down_up_checks "$IF"

info "split headers: push $(rate push 50) MB/s, pull $(rate pull 50) MB/s"

# reload [PARAM...]: unload, bind again with PARAMs, bring the link up
reload() {
    modprobe -r ioat_nic && bind_ioat_nic "$@" && IF=$(netdev_name) &&
        [ -n "$IF" ] && net_up "$IF"
}
netdev_reload_checks reload

# For comparison: the one-buffer mode, where the CPU parses the headers.
check reload-unsplit reload split_headers=0
check unsplit-pull-verified pull 20
check unsplit-push-verified push 20
check unsplit-no-split-frames test "$(ethtool_stat "$IF" rx_hdr_split)" = 0
check unsplit-frames-counted test "$(ethtool_stat "$IF" rx_hdr_nosplit)" -gt 1000
info "one buffer: push $(rate push 50) MB/s, pull $(rate pull 50) MB/s"
check reload-split reload

check clean-unload modprobe -r ioat_nic
# Leave the device to whichever driver a later case loads.
echo > "$DEV/driver_override"
check no-warnings-at-end no_warnings 'WARNING|Call Trace|BUG|timed out|ioat_nic.*(error|fail)'
