# Benchmark, not a test (run by benchmarks/dma-throughput, not part of
# ./ioat test): dmatest copy throughput through the stock ioatdma driver on
# one channel, then the same copies done by the guest CPU with
# ioat-memcpy-bench (benchmarks/memcpy_bench.c, put in the initramfs by
# the benchmark), then copies through our driver's /dev/ioat-copy from
# user space (ioat-copy-bench: 64 B to 4 MiB, each size for 40 ms), then
# 2000 copies of 64 bytes one at a time (ioat-copy-bench --latency).
# Sizes from BENCH_SIZES, guest memcpy span from BENCH_SPAN_MIB;
# BENCH_PARTS=latency runs only the last part, =throughput all but it.
# Reports
# "IOAT-INFO dma-bench BENCH dmatest SIZE KB/s", "... BENCH cpu SIZE GB/s",
# "... BENCH ioatcopy SIZE MB/s" and "... BENCH latency hw|irq|ioctl P10
# P50 P90" (nanoseconds) lines.

. /ioat/lib/dma.sh

SIZES=${BENCH_SIZES:-4096,65536,1048576}
SPAN_MIB=${BENCH_SPAN_MIB:-128}
PARTS=${BENCH_PARTS:-all}

# iterations SIZE: about 256 MiB of copies, at least 2000 and at most
# 20000 of them, which keeps each size to a few seconds under TCG.
iterations() {
    local n=$((268435456 / $1))
    [ $n -ge 2000 ] || n=2000
    [ $n -le 20000 ] || n=20000
    echo $n
}

# dmatest_rate SIZE: one copy thread on one channel, fixed size, no
# verification (so the same two buffers every time); prints dmatest's
# summary line, then its KB/s (KiB per second of its run time).
dmatest_rate() {
    local line
    dmesg -c > /dev/null
    modprobe dmatest test_buf_size="$1" iterations="$(iterations "$1")" \
        max_channels=1 threads_per_chan=1 norandom=1 noverify=1 || return 1
    echo 1 > $DMATEST/run
    cat $DMATEST/wait > /dev/null
    line=$(dmesg | grep -m 1 'summary .* 0 failures')
    rmmod dmatest
    [ -n "$line" ] || { dmesg | grep summary; return 1; }
    echo "${line#*] }"
    echo "$line" | sed -n 's/.* \([0-9]*\) KB\/s.*/\1/p'
}

# dmatest through the stock driver, and the guest CPU's own copies
throughput_parts() {
    check ioatdma-loads modprobe ioatdma
    for size in $(echo "$SIZES" | tr ',' ' '); do
        if r=$(dmatest_rate "$size"); then
            info "$(echo "$r" | head -n 1)"
            info "BENCH dmatest $size $(echo "$r" | tail -n 1)"
        else
            fail "dmatest-$size" "$r"
        fi
    done

    # shellcheck disable=SC2046 # $(...) gives one argument per size
    if ! command -v ioat-memcpy-bench > /dev/null; then
        fail guest-memcpy "ioat-memcpy-bench is not in the initramfs"
    elif ioat-memcpy-bench "$SPAN_MIB" 3 $(echo "$SIZES" | tr ',' ' ') > /tmp/memcpy.out 2>&1; then
        while read -r _ size _ gbs; do
            info "BENCH cpu $size $gbs"
        done < /tmp/memcpy.out
    else
        fail guest-memcpy "$(tail -n 1 /tmp/memcpy.out)"
    fi
}

# Our driver and its user-space copy interface on the same function.
bind_ioat_dma() {
    local dev
    dev=$(pci_devices 8086:0b00 | head -n 1)
    rmmod ioatdma 2> /dev/null
    echo ioat_dma > "$dev/driver_override"
    modprobe ioat_dma && pci_bound 8086:0b00 ioat_dma
}
# /dev/ioat-copy at each size, and its bench's copybreak
copy_part() {
    if ioat-copy-bench > /tmp/copy.out 2>&1; then
        # size cpu_ns cpu_MB/s engine_ns eng_MB/s ...
        awk '$1 ~ /^[0-9]+$/ { print $1, $5 }' /tmp/copy.out |
            while read -r size mbs; do
                info "BENCH ioatcopy $size $mbs"
            done
        info "$(grep '^copybreak' /tmp/copy.out)"
    else
        fail ioat-copy-bench "$(tail -n 1 /tmp/copy.out 2> /dev/null)"
    fi
}

# 64-byte copies one at a time: "latency hw|irq|ioctl P10 P50 P90" (ns)
latency_part() {
    if ioat-copy-bench --latency 2000 > /tmp/latency.out 2>&1; then
        awk '$1 == "hw" || $1 == "irq" || $1 == "ioctl" { print $1, $4, $5, $6 }' \
            /tmp/latency.out | while read -r kind p10 p50 p90; do
                info "BENCH latency $kind $p10 $p50 $p90"
            done
    else
        fail ioat-copy-bench-latency "$(tail -n 1 /tmp/latency.out 2> /dev/null)"
    fi
}

[ "$PARTS" = latency ] || throughput_parts
if check ioat_dma-binds bind_ioat_dma; then
    [ "$PARTS" = latency ] || copy_part
    [ "$PARTS" = throughput ] || latency_part
fi
