# Helpers of the cases that run on several guests on one wire
# (tests/guest/wire): each guest learns its place from ioat.wire=I/N and
# has the address 10.9.0.I; guests meet at TCP ports, one serving a word
# (serve_once) that the other polls for (ask).

WIRE=$(cmdline_value ioat.wire)
ME=${WIRE%/*}
GUESTS=${WIRE#*/}
NC_IN=/tmp/nc-in                # a listener's stdin that never ends
[ -p $NC_IN ] || mkfifo $NC_IN

# addr N: guest N's address
addr() {
    echo "10.9.0.$1"
}

# Every listener gives up after LISTEN_S seconds, so that a peer that
# failed or went away costs one check, not the rest of the run.
LISTEN_S=300

# tcp_sockets: IPv4 and IPv6 TCP sockets (busybox nc listens on IPv6, and
# what it accepts shows there as IPv4-mapped)
tcp_sockets() {
    cat /proc/net/tcp /proc/net/tcp6 2> /dev/null
}

# listening PORT...: each PORT has a listening socket (state 0A), within
# 5 s; a peer told "ready" before would be refused
listening() {
    local i p
    for p in "$@"; do
        i=0
        until tcp_sockets | grep -qi ":$(printf '%04X' "$p") [0-9A-F]*:0000 0A "; do
            i=$((i + 1))
            [ "$i" -le 50 ] || { echo "nothing listens on $p"; return 1; }
            sleep 0.1
        done
    done
}

# serve_once PORT TEXT: answer the next connection to PORT with TEXT
serve_once() {
    echo "$2" | timeout $LISTEN_S nc -l -p "$1" > /dev/null
}

# uptime_s: whole seconds since boot
uptime_s() {
    cut -d. -f1 /proc/uptime
}

# ask N PORT SECONDS: what guest N serves on PORT, asking every 0.2 s until
# SECONDS have passed: a deadline, not a count of attempts, as an attempt
# at a guest that does not answer ARP takes seconds, and one at a guest
# gone with its address still cached waits out TCP's retries (hence a
# limit per attempt, long enough for a slow guest to finish the exchange:
# serve_once answers one connection only).
ask() {
    local end out
    end=$(($(uptime_s) + $3))
    while [ "$(uptime_s)" -lt "$end" ]; do
        out=$(timeout 15 nc "$(addr "$1")" "$2" 0<> $NC_IN 2> /dev/null) && [ -n "$out" ] &&
            { echo "$out"; return 0; }
        sleep 0.2
    done
    return 1
}

# The MTU whose TCP segments carry one page of payload: 4,096 bytes,
# 20 of IPv4 header, 32 of TCP header with the timestamp option.
PAGE_MTU=4148

# zc_receive PORT MODE CHUNK MIB: take one connection's pattern stream of
# MIB MiB on PORT with tcp-zerocopy (MODE copy: read(); map:
# TCP_ZEROCOPY_RECEIVE), announcing on PORT + 1 that it listens; its
# report line in /tmp/zc-PORT ("bytes B seconds S user U sys Y calls K
# mapped M copied C bad N"), its complaints in /tmp/zc-PORT.err
zc_receive() {
    local pid
    timeout $LISTEN_S tcp-zerocopy recv "$1" "$2" "$3" $LISTEN_S \
        > /tmp/zc-$1 2> /tmp/zc-$1.err &
    pid=$!
    listening "$1" || { kill $pid; return 1; }
    serve_once $(($1 + 1)) ready || { kill $pid; echo "the sender never asked"; return 1; }
    wait $pid || { echo "tcp-zerocopy: $(tail -n 1 /tmp/zc-$1.err)"; return 1; }
    [ "$(zc_field "$1" bytes)" = $(($4 << 20)) ] ||
        { echo "received $(zc_field "$1" bytes) bytes of $(($4 << 20))"; return 1; }
}

# zc_field PORT NAME: a field of zc_receive's report on PORT
zc_field() {
    awk -v n="$2" '{ for (i = 1; i < NF; i += 2) if ($i == n) print $(i + 1) }' /tmp/zc-$1
}

# zc_send N PORT MIB: send MIB MiB of tcp-zerocopy's pattern to guest N's
# PORT once it listens
zc_send() {
    ask "$1" $(($2 + 1)) 120 > /dev/null || { echo "g$1 never listened on $2"; return 1; }
    timeout $LISTEN_S tcp-zerocopy send "$(addr "$1")" "$2" "$3"
}
