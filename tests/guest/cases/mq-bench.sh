# Benchmark, not a test (benchmarks/multiqueue runs it on two guests with
# tests/guest/wire; not part of ./ioat test): receive work spread over
# CPUs by RSS.  g1 (the stock ixgbe) sends; g2 (the stock ixgbe, 4 vCPUs)
# receives with 1, 2 and 4 queues (ethtool -L combined Q, the interrupt of
# queue N pinned to CPU N) from 1, 2, 4, 8 and 16 TCP flows carrying
# BENCH_MIB MiB in all.  For each point g2 reports
#   IOAT-INFO mq-bench BENCH mq Q FLOWS BYTES SECONDS SOFTIRQ0 SOFTIRQ1 ...
# with the time from its "ready" to the last flow's end and each CPU's
# softirq time meanwhile (/proc/stat, in clock ticks of 10 ms).
# ioat-netdev: wire

. /ioat/lib/net.sh
. /ioat/lib/wire.sh

NIC=8086:10f9
MIB=$(cmdline_value ioat.bench_mib)
MIB=${MIB:-64}
QUEUES="1 2 4"
FLOW_COUNTS="1 2 4 8 16"

# softirq_ticks: each CPU's softirq time so far, in ticks
softirq_ticks() {
    awk '$1 ~ /^cpu[0-9]+$/ { printf "%s ", $8 }' /proc/stat
}

# receive_point K Q FLOWS: receive FLOWS flows on Q queues, report
receive_point() {
    local k=$1 q=$2 flows=$3 i t0 t1 s0 s1
    ethtool -L "$IF" combined "$q" > /dev/null 2>&1
    wait_carrier "$IF" 1 15 || return 1
    pin_queue_irqs "$IF" > /dev/null || return 1
    for i in $(seq "$flows"); do
        timeout $LISTEN_S nc -l -p $((6100 + k * 20 + i)) 0<> $NC_IN > /dev/null 2>&1 &
    done
    # shellcheck disable=SC2046 # one argument per port
    listening $(seq $((6101 + k * 20)) $((6100 + k * 20 + flows))) || return 1
    s0=$(softirq_ticks)
    t0=$(cut -d' ' -f1 /proc/uptime)
    serve_once $((6000 + k)) ready
    wait
    t1=$(cut -d' ' -f1 /proc/uptime)
    s1=$(softirq_ticks)
    info "BENCH mq $q $flows $((MIB / flows * flows << 20))" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
        "$(echo "$s0 $s1" | awk '{ n = NF / 2; for (i = 1; i <= n; i++) printf "%d ", $(n + i) - $i }')" \
        > /dev/console
}

send_point() {
    local k=$1 flows=$2 i
    ask 2 $((6000 + k)) 120 > /dev/null || return 1
    for i in $(seq "$flows"); do
        stream_blocks $((MIB / flows)) | nc "$(addr 2)" $((6100 + k * 20 + i)) &
    done
    wait
}

echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
DEV=$(pci_devices $NIC | head -n 1)
check ixgbe-loads modprobe ixgbe
IF=$(ls "$DEV/net" | head -n 1)
check address-set sh -c "ip addr add $(addr "$ME")/24 dev $IF && ip link set $IF up"
check carrier wait_carrier "$IF" 1 15
block
k=0
for q in $QUEUES; do
    for flows in $FLOW_COUNTS; do
        k=$((k + 1))
        if [ "$ME" = 2 ]; then
            check "receive-q$q-flows$flows" receive_point $k "$q" "$flows"
        else
            check "send-q$q-flows$flows" send_point $k "$flows"
        fi
    done
done
