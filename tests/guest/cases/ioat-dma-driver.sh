# ioat-dma-driver: our own dmaengine provider (guest-drivers/ioat-dma,
# module ioat_dma) drives ioat-dma: it probes, registers a channel per
# hardware channel, dmatest passes on every channel (copy, and memset
# through block fill), /dev/ioat-copy copies user buffers byte for byte
# (alone and next to dmatest on one channel) and fills them with a 64-bit
# pattern byte for byte, refuses bad pointers with EFAULT, ioat-copy-bench
# prints its CPU/engine table with the fill column, the driver reloads
# cleanly with no warnings, and an injected channel error is reported,
# fails its copy and leaves a working channel.
#
# Block fill is what the device advertises in DMACAPABILITY (on unless
# --qemu-args "-global ioat-dma.fill=off"); without it the case checks
# instead that the driver offers no DMA_MEMSET and refuses fills with
# EOPNOTSUPP.
#
# The stock ioatdma also matches 8086:0B00.  Nothing loads it behind our
# back (the initramfs has no hotplug agent), and this case unloads it if an
# earlier case left it bound, so ioat_dma gets the device.  The ioatdma
# case ends with raid6test, whose async_tx modules hold ioatdma's channels:
# they go first.

. /ioat/lib/dma.sh

DMA=8086:0b00

# CHANCNT is not in config space: the driver's probe message reports it.
hw_channels() {
    case_dmesg | sed -n 's/.*ioat_dma.* \([0-9]\+\) channels,.*/\1/p' | tail -n 1
}

# info_lines FILE: each line of FILE as an INFO line
info_lines() {
    local line
    while IFS= read -r line; do
        info "$line"
    done < "$1"
}

BAD='WARNING|Call Trace|BUG|Oops|ioat_dma [0-9a-f:.]+: .*(error|fail|halted|timed out|not in flight)|ioat_dma: probe .* failed'

# load_ioat_dma: load the driver and check the probe went well.
load_ioat_dma() {
    mark load
    modprobe ioat_dma &&
        pci_bound "$DMA" ioat_dma &&
        test -c /dev/ioat-copy &&
        ! since_mark | grep -qE "$BAD"
}

if pci_bound "$DMA" ioatdma; then
    info "unloading the stock ioatdma left bound by an earlier case"
    modprobe -r raid6test 2>/dev/null
    rmmod ioatdma
fi

# DMACAPABILITY (BAR0 + 0x10) as the device advertises it, read before a
# driver claims BAR0 (then /dev/mem may no longer map it).
dmacap() {
    local bar0
    bar0=$(awk 'NR == 1 { print $1 }' "$(pci_devices "$DMA" | head -n 1)/resource")
    devmem $((bar0 + 0x10)) 32
}
cap=$(dmacap 2>/dev/null)
if [ -n "$cap" ] && [ $((cap & 0x40)) = 0 ]; then
    FILL=no
else
    FILL=yes
fi
info "DMACAPABILITY ${cap:-unreadable}: block fill $FILL"

check ioat-dma-probes load_ioat_dma
info "$(case_dmesg | grep 'ioat_dma.*channels' | tail -n 1 | sed 's/^\[[^]]*\] //')"
n=$(hw_channels)
check ioat-dma-channels-registered test "$(dma_channels)" = "${n:-x}"
info "channels: $(ls /sys/class/dma | xargs)"

check dmatest-500-every-channel dmatest_run 500 "$(dma_channels)" timeout=5000
dmatest_info

# dmatest=1 makes dmatest run memset threads (dmaXchanY-set0) instead of
# copy threads, on the channels whose device offers DMA_MEMSET: one per
# channel if the driver advertises it, none otherwise.
memset_round() {
    dmatest_run 500 "$(dma_channels)" timeout=5000 dmatest=1 &&
        test "$(grep -c 'chan[0-9]*-set[0-9]*: summary 500 tests, 0 failures' \
            "$DMATEST_SUMMARY")" = "$(dma_channels)"
}
no_memset_threads() {
    mark no-memset
    dmatest_run 10 0 dmatest=1
    since_mark | grep 'Added .* threads'
    test ! -s "$DMATEST_SUMMARY" &&
        test "$(since_mark | grep -c 'Added 0 threads using dma')" = "$(dma_channels)"
}
if [ "$FILL" = yes ]; then
    check dmatest-memset-500-every-channel memset_round
    dmatest_info
else
    check ioat-dma-no-memset-without-fill no_memset_threads
fi

ch=0
while [ "$ch" -lt "$(dma_channels)" ]; do
    ioat-copy-bench -c $ch --verify > /tmp/verify.txt 2>&1
    check "ioat-copy-verified-channel-$ch" grep -q ', 0 failures$' /tmp/verify.txt
    grep -E '^(verify|FAIL)' /tmp/verify.txt | while read -r line; do
        info "$line"
    done
    if [ "$FILL" = yes ]; then
        ioat-copy-bench -c $ch --verify-fill > /tmp/verify-fill.txt 2>&1
        check "ioat-fill-pattern-verified-channel-$ch" \
            grep -q ', 0 failures$' /tmp/verify-fill.txt
        grep -E '^(verify|FAIL)' /tmp/verify-fill.txt | while read -r line; do
            info "$line"
        done
    fi
    ch=$((ch + 1))
done

# Two producers on one ring: dmatest's thread and /dev/ioat-copy share
# channel 0 (the copy device does not take channels from the dmaengine
# core, so it works alongside a client that holds them).
concurrent() {
    local rc
    mark concurrent
    modprobe dmatest iterations=500 timeout=5000 channel=dma0chan0 || return 1
    echo 1 > $DMATEST/run
    ioat-copy-bench -c 0 --verify > /tmp/verify-concurrent.txt 2>&1
    rc=$?
    cat $DMATEST/wait > /dev/null
    since_mark | grep summary
    since_mark | grep -q 'summary 500 tests, 0 failures' || rc=1
    rmmod dmatest
    grep '^verify' /tmp/verify-concurrent.txt
    return $rc
}
check dmatest-and-ioat-copy-share-a-channel concurrent

# Completions arrive by MSI-X, one vector per channel.
info "interrupts: $(awk '/ioat_dma-chan/ { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print $NF ":" s }' /proc/interrupts | xargs)"
check ioat-dma-interrupts-delivered test "$(dma_irqs ioat_dma-chan)" -gt 0

ioat-copy-bench --efault > /tmp/efault.txt 2>&1
while read -r line; do
    info "$line"
done < /tmp/efault.txt
check ioat-copy-bad-pointers-efault grep -qx 'efault: 0 failures' /tmp/efault.txt

if [ "$FILL" = yes ]; then
    ioat-copy-bench --efault-fill > /tmp/efault-fill.txt 2>&1
    info_lines /tmp/efault-fill.txt
    check ioat-fill-bad-destination-efault \
        grep -qx 'efault-fill: 0 failures' /tmp/efault-fill.txt
    ioat-copy-bench --fill-args > /tmp/fill-args.txt 2>&1
    info_lines /tmp/fill-args.txt
    check ioat-fill-bad-arguments-rejected \
        grep -qx 'fill-args: 0 failures' /tmp/fill-args.txt
else
    ioat-copy-bench --fill-unsupported > /tmp/fill-unsupported.txt 2>&1
    info_lines /tmp/fill-unsupported.txt
    check ioat-fill-eopnotsupp-without-fill \
        grep -qx 'fill-unsupported: 0 failures' /tmp/fill-unsupported.txt
fi
check ioat-copy-no-oops no_kernel_messages 'BUG|Oops|Call Trace'

ioat-copy-bench > /tmp/bench.txt 2>&1
check ioat-copy-bench-runs grep -q '^copybreak:' /tmp/bench.txt
# The last two columns: CPU memset and engine fill MB/s, for each of the
# 17 sizes (64 B .. 4 MiB); "-" for the fill when the device has none.
fill_column() {
    local want='^[0-9]+[.][0-9]$'
    [ "$FILL" = yes ] || want='^-$'
    head -n 1 /tmp/bench.txt | grep -q ' memset_MB/s fill_MB/s$' &&
        test "$(awk -v w="$want" '$1 ~ /^[0-9]+$/ && NF == 9 && $8 > 0 && $9 ~ w' \
            /tmp/bench.txt | wc -l)" = 17
}
check ioat-copy-bench-fill-column fill_column
while IFS= read -r line; do
    info "$line"
done < /tmp/bench.txt

for i in 1 2 3; do
    check "ioat-dma-reload-$i" sh -c 'rmmod ioat_dma && ! test -e /dev/ioat-copy'
    check "ioat-dma-reload-$i-probes" load_ioat_dma
done
check ioat-dma-copy-after-reload sh -c "ioat-copy-bench --verify | grep -q ', 0 failures$'"
check ioat-dma-no-warnings no_kernel_messages "$BAD"

# A channel error on purpose: a copy from a bus address nothing decodes.
# The engine halts with CHANERR read data error (0x100); the driver must
# report it, fail that copy with DMA_TRANS_READ_FAILED, reset and restart
# the channel, and copy correctly afterwards.  (The debugfs write succeeds
# only if the copy failed as a read error.)
INJECT=/sys/kernel/debug/ioat_dma/$(basename "$(pci_devices "$DMA" | head -n 1)")/inject_read_error
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
mark inject
check chanerr-read-error-fails-the-copy sh -c "echo 1 > $INJECT"
since_mark > /tmp/inject.txt
grep 'ioat_dma .*channel' /tmp/inject.txt | while read -r line; do
    info "${line#*] }"
done
check chanerr-reported grep -q 'channel 1 halted, CHANERR 0x100' /tmp/inject.txt
check chanerr-decoded grep -q 'channel 1: read data error' /tmp/inject.txt
check chanerr-channel-recovers sh -c "ioat-copy-bench -c 1 --verify | grep -q ', 0 failures$'"
check chanerr-no-oops no_kernel_messages 'WARNING|Call Trace|BUG|Oops'
rmmod ioat_dma
