# Benchmark, not a test: TCP push and pull rates through whatever NIC the
# guest was given (scripts run by benchmarks/nic-throughput).  Reports
# "IOAT-INFO nic-bench BENCH <direction> <MB/s>" lines.

. /ioat/lib/net.sh

for m in ixgbe igb e1000e virtio_pci virtio_net; do modprobe $m 2>/dev/null; done
IF=$(ls /sys/class/net | grep -v '^lo$' | head -n 1)
info "interface $IF, driver $(basename "$(readlink /sys/class/net/$IF/device/driver)")"
check link-up ip link set "$IF" up
check carrier wait_carrier "$IF"
check dhcp-lease dhcp "$IF"
if [ "${BENCH_LRO:-off}" = on ]; then
    check lro-on sh -c "ethtool -K $IF lro on && sleep 1 && ip link set $IF up"
    check carrier-after-lro wait_carrier "$IF"
    check ping-after-lro ping -c 1 -W 3 $HOST
fi
MIB=${BENCH_MIB:-100}

# What one transfer costs the guest: interrupts of the NIC, TCP segments
# each way, and the NIC's frames (for the profile in docs/benchmarks.md)
counters() {
    awk -v n="$IF" 'index($NF, n) == 1 || $NF ~ /virtio/ { for (i = 2; i <= 3; i++) s += $i }
        END { printf "%d ", s }' /proc/interrupts
    awk '/^Tcp:/ && $2 ~ /^[0-9]/ { printf "%d %d ", $11, $12 }' /proc/net/snmp
    echo "$(cat /sys/class/net/$IF/statistics/rx_packets)" \
        "$(cat /sys/class/net/$IF/statistics/tx_packets)"
}
for dir in push pull; do
    # one warm-up round, then the measured one
    rate $dir 8 > /dev/null
    c0=$(counters)
    r=$(rate $dir "$MIB") && info "BENCH $dir $r" || fail "$dir" "transfer failed"
    c1=$(counters)
    # shellcheck disable=SC2086
    set -- $c0 $c1
    info "BENCH-COST $dir irqs $(( $6 - $1 )) tcp_in $(( $7 - $2 ))" \
        "tcp_out $(( $8 - $3 )) rx_frames $(( $9 - $4 )) tx_frames $(( ${10} - $5 ))"
done
