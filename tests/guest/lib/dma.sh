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

# dmatest_load ITERATIONS [PARAM=VALUE...]: load dmatest for a round; with
# channel=..., the channel is taken (and its driver starts it) now.  The
# kernel log is not cleared: the round is found after a mark.
dmatest_load() {
    local iterations=$1
    shift
    DMATEST_TAG="dmatest-round-$(cat /proc/sys/kernel/random/uuid)"
    echo "$DMATEST_TAG" > /dev/kmsg
    modprobe dmatest iterations="$iterations" "$@"
}

# dmatest_start ITERATIONS [PARAM=VALUE...]: load dmatest and start a round.
dmatest_start() {
    dmatest_load "$@" || return 1
    echo 1 > $DMATEST/run
}

# dmatest_finish: wait for the round, leave its threads' summary lines in
# $DMATEST_SUMMARY, unload dmatest.  Fails if the kernel log from the
# round's tag on holds a summary for any thread the round did not start.
dmatest_finish() {
    local round=/tmp/dmatest-round started summaries
    cat $DMATEST/wait > /dev/null
    dmesg | sed -n "/ $DMATEST_TAG\$/,\$p" > $round
    grep 'summary' $round > $DMATEST_SUMMARY
    rmmod dmatest
    started=$(sed -n 's/.*Started \([0-9]*\) threads.*/\1/p' $round |
        awk '{ n += $1 } END { print n + 0 }')
    summaries=$(wc -l < $DMATEST_SUMMARY)
    [ "$summaries" -le "$started" ] && return 0
    echo "$DMATEST_TAG: $summaries summary lines for $started threads" >&2
    return 1
}

# dmatest_run ITERATIONS THREADS [PARAM=VALUE...]: one dmatest round on
# every channel; passes when THREADS threads each report ITERATIONS tests
# and 0 failures.  Their summary lines are left in $DMATEST_SUMMARY.
dmatest_run() {
    local iterations=$1 threads=$2 got
    shift 2
    dmatest_start "$iterations" "$@" || return 1
    dmatest_finish || return 1
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

# md RAID6 through md's sysfs interface, without mdadm: no superblock, a
# 64 KiB chunk, every member a loop device over a file in /tmp.
MD=/sys/block/md0/md

# md_raid6_start DISKS MIB: the array md0 over DISKS members of MIB MiB,
# started, so that md resyncs it (generates P and Q).
md_raid6_start() {
    local disks=$1 mib=$2 i dev
    [ -d /sys/block/md0 ] || echo md0 > /sys/module/md_mod/parameters/new_array
    echo none > $MD/metadata_version &&
        echo raid6 > $MD/level &&
        echo 65536 > $MD/chunk_size &&
        echo "$disks" > $MD/raid_disks || return 1
    for i in $(seq 0 $((disks - 1))); do
        dd if=/dev/zero of=/tmp/md-disk$i bs=1M count="$mib" 2>/dev/null &&
            losetup /dev/loop$i /tmp/md-disk$i || return 1
        dev=$(cat /sys/block/loop$i/dev)
        echo "$dev" > $MD/new_dev &&
            echo "$i" > $MD/dev-loop$i/slot || return 1
    done
    echo $((mib * 1024)) > $MD/component_size &&
        echo active > $MD/array_state
}

# md_wait_idle: until md0's resync or scrub is over (at most 5 minutes)
md_wait_idle() {
    local i
    for i in $(seq 3000); do
        [ "$(cat $MD/sync_action)" = idle ] && return 0
        sleep 0.1
    done
    echo "md0 still busy: $(cat $MD/sync_action) $(cat $MD/sync_completed)"
    return 1
}

# md_scrub: a check pass over md0; prints mismatch_cnt
md_scrub() {
    echo check > $MD/sync_action && md_wait_idle >&2 && cat $MD/mismatch_cnt
}
