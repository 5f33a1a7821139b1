# ioatdma: the stock Linux ioatdma driver probes ioat-dma (its memcpy self
# test, and with XOR/PQ its xor/validate self test, run at probe), dmatest
# runs through every channel with each interrupt style, the driver unloads
# and reloads cleanly, and with PQ raid6test passes on the engine and an
# md RAID6 array resyncs and scrubs through it.

. /ioat/lib/dma.sh

DMA=8086:0b00
CAP=/sys/class/dma/dma0chan0/quickdata/cap

has_cap() {
    grep -qw "$1" $CAP
}

# dmatest_check NAME ITERATIONS [PARAM=VALUE...]: one dmatest round as a
# check (a copy thread per channel, plus xor and pq threads when the
# device has those), with its summary.
dmatest_check() {
    local name=$1 iterations=$2 kinds=1
    shift 2
    has_cap xor && kinds=$((kinds + 1))
    has_cap pq && kinds=$((kinds + 1))
    check "$name" dmatest_run "$iterations" $((kinds * $(dma_channels))) "$@"
    dmatest_info
}

# load_ioatdma [PARAM...]: load the driver and check the probe went well.
load_ioatdma() {
    dmesg -c > /dev/null
    modprobe ioatdma "$@" &&
        pci_bound "$DMA" ioatdma &&
        ! dmesg_has 'Self-test|init failed|failed to start channel|Channel halted'
}

check ioatdma-probes load_ioatdma
check ioatdma-four-channels test "$(dma_channels)" = 4
if has_cap xor; then
    check ioatdma-cap-raid grep -qx 'copy pq pq_val xor xor_val intr' $CAP
else
    check ioatdma-cap-copy-intr grep -qx 'copy intr' $CAP
fi
info "quickdata version $(cat /sys/class/dma/dma0chan0/quickdata/version 2>/dev/null)"
# 4 KiB buffers: dmatest's own fill and compare of each buffer is most of
# its time under TCG, and lengths and offsets still vary within them.
dmatest_check dmatest-1000-msix 1000 test_buf_size=4096
# 15 sources per P+Q: more than 8, so Linux uses the 16-source operation
# when the device has RAID16SS.
if has_cap pq; then
    dmatest_check dmatest-100-pq-15-sources 100 pq_sources=15 test_buf_size=4096
fi

for style in msi intx; do
    rmmod ioatdma
    check "ioatdma-probes-$style" load_ioatdma ioat_interrupt_style=$style
    dmatest_check "dmatest-50-$style" 50
done

# rmmod, not modprobe -r: dca stays in use while ixgbe is loaded.
for i in 1 2 3; do
    check "ioatdma-reload-$i" sh -c 'rmmod ioatdma && modprobe ioatdma'
    check "ioatdma-reload-$i-bound" pci_bound "$DMA" ioatdma
done
check ioatdma-no-halts no_kernel_messages 'Channel halted|Self-test|init failed'

# raid6test runs its checks at load time (413 two-disk recoveries on
# arrays of up to 24 disks, scripts/guest-kernel); async_tx then holds
# the channels, so it comes last.  The interrupts the channels raise (ioatdma names its
# vectors ioat-msix) prove that the engine did the work.
if has_cap pq; then
    dmesg -c > /dev/null
    before=$(dma_irqs ioat-msix)
    check raid6test-loads modprobe raid6test
    check raid6test-used-the-engine test "$(dma_irqs ioat-msix)" -gt "$before"
    case_dmesg | grep 'raid6test: complete' | while read -r line; do
        info "${line#*] }"
    done
    check raid6test-0-failures dmesg_has 'raid6test: complete \([0-9]+ tests, 0 failures\)'
    check raid6test-no-halts no_kernel_messages 'Channel halted|BUG'
fi

# md RAID6 over eleven loop devices: nine data disks, so P and Q take the
# 16-source operations when the device has RAID16SS.  The initial resync
# generates P and Q on the engine; a scrub (check) validates them with
# P+Q validate, whose result comes back in the descriptor with DWBES.  A
# byte planted in one member must then show as a mismatch, which repair
# fixes.  The array has no superblock: byte 4097 of member 0 is in the
# first stripe.
md_raid6_checks() {
    local before
    before=$(dma_irqs ioat-msix)
    check md-raid6-starts md_raid6_start 11 4 || return
    check md-raid6-resync-completes md_wait_idle || return
    check md-raid6-resync-used-the-engine test "$(dma_irqs ioat-msix)" -gt "$before"
    check md-raid6-scrub-0-mismatches test "$(md_scrub)" = 0
    printf '\xa5' | dd of=/tmp/md-disk0 bs=1 seek=4097 conv=notrunc 2>/dev/null
    before=$(dma_irqs ioat-msix)
    check md-raid6-scrub-finds-planted-mismatch test "$(md_scrub)" -gt 0
    check md-raid6-scrub-used-the-engine test "$(dma_irqs ioat-msix)" -gt "$before"
    echo repair > $MD/sync_action
    check md-raid6-repair-completes md_wait_idle
    check md-raid6-scrub-after-repair-0 test "$(md_scrub)" = 0
    check md-raid6-no-halts no_kernel_messages 'Channel halted|BUG|raid6.*error'
}

if has_cap pq; then
    check md-raid6-modules sh -c 'modprobe crc32c_generic && modprobe loop max_loop=16 && modprobe raid456' &&
        md_raid6_checks
fi
