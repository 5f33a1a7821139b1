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
for dir in push pull; do
    # one warm-up round, then the measured one
    rate $dir 8 > /dev/null
    r=$(rate $dir "$MIB") && info "BENCH $dir $r" || fail "$dir" "transfer failed"
done
