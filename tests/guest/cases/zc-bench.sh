# Benchmark, not a test (benchmarks/zerocopy runs it on two guests with
# tests/guest/wire; not part of ./ioat test): receiving by copy versus
# page mapping.  g1 (the stock ixgbe) sends; g2 (our ioat_nic) receives
# with tcp-zerocopy, both with an MTU of 4148 (a page of payload per
# segment).  For header split on and off (the split-headers private
# flag), each receive mode (copy: read(); map: TCP_ZEROCOPY_RECEIVE) and
# each receive size (bytes per read() or per mapping call), BENCH_RUNS
# times, g1 sends BENCH_MIB MiB and g2 reports
#   IOAT-INFO zc-bench BENCH zc SPLIT MODE SIZE RUN bytes B seconds S
#       user U sys Y calls K mapped M copied C bad N softirq T
# with tcp-zerocopy's report and the softirq time of all CPUs meanwhile
# (clock ticks of 10 ms).
# ioat-netdev: wire

. /ioat/lib/net.sh
. /ioat/lib/wire.sh

NIC=8086:10f9
MIB=$(cmdline_value ioat.bench_mib)
MIB=${MIB:-32}
RUNS=$(cmdline_value ioat.bench_runs)
RUNS=${RUNS:-3}
SIZES="16384 65536 262144 1048576"

# softirq_ticks: all CPUs' softirq time so far, in ticks
softirq_ticks() {
    awk '$1 == "cpu" { print $8 }' /proc/stat
}

# receive_point K SPLIT MODE SIZE RUN: receive on port 6000 + 2K, report
receive_point() {
    local port=$((6000 + 2 * $1)) s0 s1
    s0=$(softirq_ticks)
    zc_receive $port "$3" "$4" "$MIB" || return 1
    s1=$(softirq_ticks)
    info "BENCH zc $2 $3 $4 $5 $(cat /tmp/zc-$port) softirq $((s1 - s0))" > /dev/console
}

echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
DEV=$(pci_devices $NIC | head -n 1)
if [ "$ME" = 2 ]; then
    echo ioat_nic > "$DEV/driver_override"
    check ioat_nic-loads modprobe ioat_nic
else
    check ixgbe-loads modprobe ixgbe
fi
IF=$(ls "$DEV/net" | head -n 1)
check address-set sh -c "ip addr add $(addr "$ME")/24 dev $IF && ip link set $IF up"
check mtu-page ip link set "$IF" mtu $PAGE_MTU
check carrier wait_carrier "$IF" 1 15
k=0
for run in $(seq "$RUNS"); do
    for split in on off; do
        [ "$ME" != 2 ] || check "split-headers-$split-run$run" set_split "$IF" $split
        for mode in copy map; do
            for size in $SIZES; do
                k=$((k + 1))
                if [ "$ME" = 2 ]; then
                    check "receive-$split-$mode-$size-run$run" \
                        receive_point $k $split $mode "$size" "$run"
                else
                    check "send-$split-$mode-$size-run$run" \
                        zc_send 2 $((6000 + 2 * k)) "$MIB"
                fi
            done
        done
    done
done
