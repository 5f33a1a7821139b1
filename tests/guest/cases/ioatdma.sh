# ioatdma: the stock Linux ioatdma driver probes ioat-dma (its memcpy self
# test, and with XOR/PQ its xor/validate self test, run at probe), dmatest
# runs through every channel with each interrupt style, the driver unloads
# and reloads cleanly, and with PQ raid6test passes on the engine.

DMA=8086:0b00
DMATEST=/sys/module/dmatest/parameters
SUMMARY=/tmp/dmatest-summary

CAP=/sys/class/dma/dma0chan0/quickdata/cap

channels() {
    ls -d /sys/class/dma/dma*chan* 2>/dev/null | wc -l
}

has_cap() {
    grep -qw "$1" $CAP
}

# dmatest starts a copy thread per channel, plus xor and pq threads when
# the device has those.
dmatest_threads() {
    local n=1
    has_cap xor && n=$((n + 1))
    has_cap pq && n=$((n + 1))
    echo $((n * $(channels)))
}

# dmatest_run ITERATIONS: run dmatest on every channel until it finishes
# and check that each channel reports ITERATIONS tests and 0 failures.
dmatest_run() {
    local n want got
    want=$(dmatest_threads)
    dmesg -c > /dev/null
    modprobe dmatest iterations="$1" || return 1
    echo 1 > $DMATEST/run
    cat $DMATEST/wait > /dev/null
    dmesg | grep 'summary' > $SUMMARY
    got=$(grep -cE "summary $1 tests, 0 failures" $SUMMARY)
    rmmod dmatest
    echo "$got of $want threads passed"
    [ "$want" -gt 0 ] && [ "$got" = "$want" ]
}

# dmatest_check NAME ITERATIONS: dmatest_run as a check, with its summary.
dmatest_check() {
    local line
    check "$1" dmatest_run "$2"
    while read -r line; do
        info "${line#*] }"
    done < $SUMMARY
}

# load_ioatdma [PARAM...]: load the driver and check the probe went well.
load_ioatdma() {
    dmesg -c > /dev/null
    modprobe ioatdma "$@" &&
        pci_bound "$DMA" ioatdma &&
        ! dmesg_has 'Self-test|init failed|failed to start channel|Channel halted'
}

check ioatdma-probes load_ioatdma
check ioatdma-four-channels test "$(channels)" = 4
if has_cap xor; then
    check ioatdma-cap-raid grep -qx 'copy pq pq_val xor xor_val intr' $CAP
else
    check ioatdma-cap-copy-intr grep -qx 'copy intr' $CAP
fi
info "quickdata version $(cat /sys/class/dma/dma0chan0/quickdata/version 2>/dev/null)"
dmatest_check dmatest-2000-msix 2000

for style in msi intx; do
    rmmod ioatdma
    check "ioatdma-probes-$style" load_ioatdma ioat_interrupt_style=$style
    dmatest_check "dmatest-200-$style" 200
done

# rmmod, not modprobe -r: dca stays in use while ixgbe is loaded.
for i in 1 2 3; do
    check "ioatdma-reload-$i" sh -c 'rmmod ioatdma && modprobe ioatdma'
    check "ioatdma-reload-$i-bound" pci_bound "$DMA" ioatdma
done
check ioatdma-no-halts sh -c '! dmesg | grep -qE "Channel halted|Self-test|init failed"'

# raid6test runs its checks at load time; async_tx then holds the channels,
# so it comes last.
# Interrupts the channels raised so far: proof that the engine did work.
ioat_interrupts() {
    awk '/ioat-msix/ { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i }
         END { print n + 0 }' /proc/interrupts
}

if has_cap pq; then
    dmesg -c > /dev/null
    before=$(ioat_interrupts)
    check raid6test-loads modprobe raid6test
    check raid6test-used-the-engine test "$(ioat_interrupts)" -gt "$before"
    dmesg | grep 'raid6test: complete' | while read -r line; do
        info "${line#*] }"
    done
    check raid6test-0-failures dmesg_has 'raid6test: complete \([0-9]+ tests, 0 failures\)'
    check raid6test-no-halts sh -c '! dmesg | grep -qE "Channel halted|BUG"'
fi
