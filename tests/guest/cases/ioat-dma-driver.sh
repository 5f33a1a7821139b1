# ioat-dma-driver: our own dmaengine provider (guest-drivers/ioat-dma,
# module ioat_dma) drives ioat-dma: it probes, registers a channel per
# hardware channel, dmatest passes on every channel, /dev/ioat-copy copies
# user buffers byte for byte (alone and next to dmatest on one channel) and
# refuses bad pointers with EFAULT, ioat-copy-bench prints its CPU/engine
# table, the driver reloads cleanly with no warnings, and an injected
# channel error is reported, fails its copy and leaves a working channel.
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
    dmesg | sed -n 's/.*ioat_dma.* \([0-9]\+\) channels,.*/\1/p' | tail -n 1
}

# Kernel messages since the last mark (the log is never cleared, so the
# final check sees the whole case).
mark() {
    echo "ioat-dma-driver: mark $1" > /dev/kmsg
}
since_mark() {
    dmesg | sed -n '/ioat-dma-driver: mark/h; /ioat-dma-driver: mark/!H; ${x;p}'
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

check ioat-dma-probes load_ioat_dma
info "$(dmesg | grep 'ioat_dma.*channels' | tail -n 1 | sed 's/^\[[^]]*\] //')"
n=$(hw_channels)
check ioat-dma-channels-registered test "$(dma_channels)" = "${n:-x}"
info "channels: $(ls /sys/class/dma | xargs)"

check dmatest-2000-every-channel dmatest_run 2000 "$(dma_channels)" timeout=5000
dmatest_info

ch=0
while [ "$ch" -lt "$(dma_channels)" ]; do
    ioat-copy-bench -c $ch --verify > /tmp/verify.txt 2>&1
    check "ioat-copy-verified-channel-$ch" grep -q ', 0 failures$' /tmp/verify.txt
    grep -E '^(verify|FAIL)' /tmp/verify.txt | while read -r line; do
        info "$line"
    done
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
check ioat-copy-no-oops sh -c "! dmesg | grep -qE 'BUG|Oops|Call Trace'"

ioat-copy-bench > /tmp/bench.txt 2>&1
check ioat-copy-bench-runs grep -q '^copybreak:' /tmp/bench.txt
while IFS= read -r line; do
    info "$line"
done < /tmp/bench.txt

for i in 1 2 3; do
    check "ioat-dma-reload-$i" sh -c 'rmmod ioat_dma && ! test -e /dev/ioat-copy'
    check "ioat-dma-reload-$i-probes" load_ioat_dma
done
check ioat-dma-copy-after-reload sh -c "ioat-copy-bench --verify | grep -q ', 0 failures$'"
check ioat-dma-no-warnings sh -c "! dmesg | grep -qE '$BAD'"

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
check chanerr-no-oops sh -c "! dmesg | grep -qE 'WARNING|Call Trace|BUG|Oops'"
rmmod ioat_dma
