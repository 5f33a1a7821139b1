# DMA helpers for guest cases: channels, interrupts and dmatest rounds.

DMATEST=/sys/module/dmatest/parameters
DMATEST_SUMMARY=/tmp/dmatest-summary

# dma_channels: the DMA channels the dmaengine core knows
dma_channels() {
    ls -d /sys/class/dma/dma*chan* 2>/dev/null | wc -l
}

# dma_irqs PATTERN: interrupts of the /proc/interrupts lines matching
# PATTERN (an awk regex), summed over vectors and CPUs
dma_irqs() {
    awk -v p="$1" '$0 ~ p { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i }
         END { print n + 0 }' /proc/interrupts
}

# dmatest_run ITERATIONS THREADS [PARAM=VALUE...]: one dmatest round on
# every channel; passes when THREADS threads each report ITERATIONS tests
# and 0 failures.  Their summary lines are left in $DMATEST_SUMMARY.  The
# kernel log is not cleared: the round is found after a mark.
dmatest_run() {
    local iterations=$1 threads=$2 tag got
    shift 2
    tag="dmatest-round-$$-$RANDOM"
    echo "$tag" > /dev/kmsg
    modprobe dmatest iterations="$iterations" "$@" || return 1
    echo 1 > $DMATEST/run
    cat $DMATEST/wait > /dev/null
    dmesg | sed -n "/$tag/,\$p" | grep 'summary' > $DMATEST_SUMMARY
    rmmod dmatest
    got=$(grep -c "summary $iterations tests, 0 failures" $DMATEST_SUMMARY)
    echo "$got of $threads threads passed"
    [ "$threads" -gt 0 ] && [ "$got" = "$threads" ]
}

# dmatest_info: the last round's summary lines as INFO lines
dmatest_info() {
    local line
    while read -r line; do
        info "${line#*] }"
    done < $DMATEST_SUMMARY
}
