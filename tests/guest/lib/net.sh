# Network helpers for guest cases: bring an interface up through slirp's
# DHCP server and move data to and from tests/guest/hostserver.py, which
# the runner starts on the host (reachable at 10.0.2.2:$HOSTPORT).

HOST=10.0.2.2
HOSTPORT=$(cmdline_value ioat.hostport)

# wait_carrier IF [STATE [SECONDS]]: carrier reads STATE (default 1)
# within SECONDS (default 5)
wait_carrier() {
    for _ in $(seq $((${3:-5} * 10))); do
        [ "$(cat /sys/class/net/$1/carrier 2>/dev/null)" = "${2:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

# dhcp IF: take a lease and apply it
dhcp() {
    cat > /tmp/udhcpc.sh <<'SCRIPT'
#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/${mask:-24}" dev "$interface"
ip route add default via "${router%% *}" dev "$interface"
SCRIPT
    chmod +x /tmp/udhcpc.sh
    udhcpc -i "$1" -n -q -t 5 -T 1 -s /tmp/udhcpc.sh
}

# A 1 MiB block of random data, sent N times by push.
block() {
    [ -f /tmp/block ] || dd if=/dev/urandom of=/tmp/block bs=1M count=1 2>/dev/null
}

stream_blocks() {  # stream_blocks N
    for _ in $(seq "$1"); do cat /tmp/block; done
}

push_raw() {  # push_raw MIB: prints the host's digest
    { echo "PUSH $(($1 << 20))"; stream_blocks "$1"; } | nc $HOST "$HOSTPORT"
}

pull_raw() {  # pull_raw MIB: the data on stdout
    echo "PULL $(($1 << 20))" | nc $HOST "$HOSTPORT"
}

# push MIB: send MIB MiB to the host; succeeds when the host's SHA-256 of
# what it received equals ours of what we sent.
push() {
    local theirs ours
    block
    ours=$(stream_blocks "$1" | sha256sum | cut -d' ' -f1)
    theirs=$(push_raw "$1")
    [ -n "$theirs" ] && [ "$theirs" = "$ours" ] ||
        { echo "host digest '$theirs', ours $ours"; return 1; }
}

# pull MIB: receive MIB MiB from the host and compare SHA-256 digests.
pull() {
    local ours theirs
    ours=$(pull_raw "$1" | sha256sum | cut -d' ' -f1)
    theirs=$(echo "DIGEST $(($1 << 20))" | nc $HOST "$HOSTPORT")
    [ -n "$theirs" ] && [ "$theirs" = "$ours" ] ||
        { echo "host digest '$theirs', ours $ours"; return 1; }
}

# rate push|pull MIB: transfer without hashing in the guest, print MB/s.
rate() {
    local t0 t1
    block
    t0=$(cut -d' ' -f1 /proc/uptime)
    "${1}_raw" "$2" > /dev/null || return 1
    t1=$(cut -d' ' -f1 /proc/uptime)
    awk -v mib="$2" -v t0="$t0" -v t1="$t1" \
        'BEGIN { printf "%.1f\n", mib * 1.048576 / (t1 - t0) }'
}
