# Guests on one Ethernet segment (tests/guest/wire): each guest is its
# own QEMU with ioat-nic on a shared -netdev dgram multicast group, and
# this case runs in each with its role from ioat.wire=I/N.
#   g1: the stock ixgbe, 10.9.0.1
#   g2: our ioat_nic (guest-drivers/ioat-nic), 10.9.0.2
#   g3: the stock ixgbe, 10.9.0.3, a bystander on the segment
#   g4...: the stock ixgbe, bystanders too (./ioat wire N)
# Every guest reaches every other (ARP by broadcast); g3 sends g1 and g2
# frames too long for them, runts and frames no one handles, which they
# count;
# g1 and g2 move MIB MiB each way verified by SHA-256 (ioat.wire_mib,
# default 100), g1 opens 16 TCP flows to g2, which RSS spreads over g2's
# queues as the Toeplitz hash says, then they ping and move MIB / 4 MiB
# with an MTU of 9000, and MIB / 4 MiB with an MTU of 4148 that g2
# receives with TCP_ZEROCOPY_RECEIVE, mapping pages with split headers
# and copying everything without; g3 sends to g1 and its QEMU is killed
# (SIGKILL, by the runner on the request "KILL") in the middle of it, after which
# g1 still has its carrier (the model's link does not depend on peers) and
# still reaches g2.
# ioat-netdev: wire
# ioat-devmem: on

. /ioat/lib/net.sh
. /ioat/lib/wire.sh

NIC=8086:10f9
MIB=$(cmdline_value ioat.wire_mib)
MIB=${MIB:-100}
JUMBO_MIB=$(((MIB + 3) / 4))
DEV=$(pci_devices $NIC | head -n 1)

info "guest $ME of $GUESTS on the wire"
check role-given test -n "$ME" -a -n "$GUESTS"

bind_driver() {
    if [ "$ME" = 2 ]; then
        echo ioat_nic > "$DEV/driver_override"
        modprobe ioat_nic && pci_bound $NIC ioat_nic
    else
        modprobe ixgbe && pci_bound $NIC ixgbe
    fi
}

# reaches N SECONDS: guest N answers a ping within SECONDS (it may still
# be booting)
reaches() {
    local i
    for i in $(seq "$2"); do
        ping -c 1 -W 1 "$(addr "$1")" > /dev/null && return 0
    done
    echo "no reply from g$1 in $2 s"
    return 1
}

# serve_twice PORT TEXT: the same for the next two connections
serve_twice() {
    serve_once "$1" "$2" && serve_once "$1" "$2"
}

# receive_from N MIB PORT: take MIB MiB from guest N on PORT, announcing
# on PORT + 1 that it listens; serve the SHA-256 of what arrived on
# PORT + 2, then compare it with the sender's (PORT + 3): both ends check
receive_from() {
    local got want
    { timeout $LISTEN_S tcp-stream -l "$3" || echo "listener failed"; } 2> /dev/null |
        sha256sum | cut -d' ' -f1 > /tmp/got-$3 &
    listening "$3" || return 1
    serve_once $(($3 + 1)) ready || { echo "g$1 never asked"; return 1; }
    wait $!
    got=$(cat /tmp/got-$3)
    serve_once $(($3 + 2)) "$got" || { echo "g$1 never asked for the digest"; return 1; }
    want=$(ask "$1" $(($3 + 3)) 60) || { echo "g$1 never said what it sent"; return 1; }
    [ "$got" = "$want" ] || { echo "received $got, g$1 sent $want"; return 1; }
}

# send_to N MIB PORT: send MIB MiB to guest N on PORT once it listens;
# passes when its digest of what arrived equals ours of what we sent
send_to() {
    local want got
    block
    want=$(stream_blocks "$2" | sha256sum | cut -d' ' -f1)
    ask "$1" $(($3 + 1)) 120 > /dev/null || { echo "g$1 never listened on $3"; return 1; }
    stream_blocks "$2" | tcp-stream "$(addr "$1")" "$3" || return 1
    got=$(ask "$1" $(($3 + 2)) 120) || { echo "no digest from g$1"; return 1; }
    serve_once $(($3 + 3)) "$want" || { echo "g$1 never asked what we sent"; return 1; }
    [ "$got" = "$want" ] || { echo "g$1 received $got, we sent $want"; return 1; }
}

# jumbo_ping N: guest N answers pings of 8,972 bytes of data (a 9,014-
# byte frame)
jumbo_ping() {
    ping -c 2 -W 2 -s 8972 "$(addr "$1")" > /dev/null
}

echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6

check driver-binds bind_driver
IF=$(ls "$DEV/net" 2>/dev/null | head -n 1)
check netdev-exists test -n "$IF"
check address-set sh -c "ip addr add $(addr "$ME")/24 dev $IF && ip link set $IF up"
check carrier wait_carrier "$IF" 1 15

for peer in $(seq "$GUESTS"); do
    [ "$peer" = "$ME" ] || check "reaches-g$peer" reaches "$peer" 120
done
# ARP asks by broadcast: every peer answers an arping.
for peer in $(seq "$GUESTS"); do
    [ "$peer" = "$ME" ] ||
        check "arping-g$peer" arping -f -w 5 -I "$IF" "$(addr "$peer")"
done

# Each side sets MTU 9000 and tells the other (port 5020) before pinging.
jumbo() {
    ip link set "$IF" mtu 9000 && wait_carrier "$IF" 1 15
}

# Page-sized payloads: with split headers our driver (g2) receives each
# segment's payload into a page of its own, which TCP_ZEROCOPY_RECEIVE
# maps; without them, the payload follows the headers in the page and
# every byte is copied.
page_mtu() {
    ip link set "$IF" mtu $PAGE_MTU && wait_carrier "$IF" 1 15
}

# zc_mostly_mapped PORT: at least 3/4 of what arrived on PORT was mapped
zc_mostly_mapped() {
    local b m
    b=$(zc_field "$1" bytes) m=$(zc_field "$1" mapped)
    [ "${b:-0}" -gt 0 ] && [ "$((m * 4))" -ge "$((b * 3))" ] ||
        { echo "mapped ${m:-?} of ${b:-?} bytes"; return 1; }
}

# zc_all_copied PORT: nothing that arrived on PORT was mapped
zc_all_copied() {
    local b c
    b=$(zc_field "$1" bytes) c=$(zc_field "$1" copied)
    [ "${b:-0}" -gt 0 ] && [ "$c" = "$b" ] ||
        { echo "copied ${c:-?} of ${b:-?} bytes"; return 1; }
}

# release_peers: answer g2 and each bystander on port 5041
release_peers() {
    local n=1
    [ "$GUESTS" -le 3 ] || n=$((GUESTS - 2))
    for _ in $(seq $n); do
        serve_once 5041 done || return 1
    done
}

# peer_gone N SECONDS: guest N stops answering (3 pings in a row, a
# second apart, unanswered) within SECONDS
peer_gone() {
    local i lost=0
    for i in $(seq "$2"); do
        if ping -c 1 -W 1 "$(addr "$1")" > /dev/null; then
            lost=0
            sleep 1
        else
            lost=$((lost + 1))
            [ "$lost" -lt 3 ] || return 0
        fi
    done
    echo "g$1 still answers after $2 s"
    return 1
}

# tcp_from N PORT: guest N's connection to our PORT is established,
# within 60 s
tcp_from() {
    local i
    for i in $(seq 600); do
        tcp_sockets | grep -qi ":$(printf '%04X' "$2") [0-9A-F]*:[0-9A-F]* 01 " && return 0
        sleep 0.1
    done
    return 1
}

# tcp_to PORT: a connection of ours to PORT is established, within 5 s
tcp_to() {
    local i
    for i in $(seq 50); do
        grep -qi " [0-9a-f]*:$(printf '%04X' "$1") 01 " /proc/net/tcp && return 0
        sleep 0.1
    done
    return 1
}

# Bad input from a peer (g3): BAD frames of 9,000 bytes of payload each
# to g1 and g2 while their MTU is 1500, BAD runts (34 bytes, sent with
# g3's HLREG0.TXPADEN off) to each, and BAD broadcast frames of an
# EtherType no one handles.  The MAC drops the long ones and counts them
# in ROC, the runts in RUC (both drivers: rx_long_length_errors and
# rx_short_length_errors); the stack drops the others (no protocol takes
# them) and counts them in rx_dropped.
BAD=20
RUNT_PAYLOAD=20

long_errors() {
    ethtool_stat "$IF" rx_long_length_errors
}

short_errors() {
    ethtool_stat "$IF" rx_short_length_errors
}

stack_drops() {
    cat "/sys/class/net/$IF/statistics/rx_dropped"
}

# txpaden on|off: HLREG0.TXPADEN (BAR0 0x4240 bit 10), through /dev/mem;
# off, the MAC sends frames shorter than 60 bytes as they are
txpaden() {
    local reg v
    reg=$(($(awk 'NR == 1 { print $1 }' "$DEV/resource") + 0x4240))
    v=$(devmem $reg 32) || return 1
    if [ "$1" = on ]; then v=$((v | 0x400)); else v=$((v & ~0x400)); fi
    devmem $reg 32 $v
}

# rises_by FUNCTION BEFORE N: FUNCTION's value is BEFORE + N within 10 s
rises_by() {
    local i now
    for i in $(seq 20); do
        now=$($1)
        [ "$now" -ge $(($2 + $3)) ] && { echo "+$((now - $2))"; return 0; }
        sleep 0.5
    done
    echo "$1 rose by $((now - $2)), not $3"
    return 1
}

# rises_within FUNCTION BEFORE MIN MAX: as rises_by with MIN, and a
# second later by no more than MAX (the hub brings each NIC the other's
# frames too: its address filter must keep them out of the count)
rises_within() {
    local out now
    out=$(rises_by "$1" "$2" "$3") || { echo "$out"; return 1; }
    sleep 1
    now=$($1)
    [ $((now - $2)) -le "$4" ] || { echo "$1 rose by $((now - $2)), more than $4"; return 1; }
}

# takes_bad_input: baseline, tell g3, wait for its frames, see them counted
takes_bad_input() {
    local long0 short0 drop0
    long0=$(long_errors) short0=$(short_errors) drop0=$(stack_drops)
    check tells-g3-ready serve_once 5050 ready
    check g3-sent-bad-frames ask 3 5051 300
    check oversize-frames-counted rises_within long_errors "$long0" $BAD $BAD
    # While g3 does not pad, its own short frames (ARP) are runts too; the
    # BAD it sent the other guest must not count.
    check runts-counted rises_within short_errors "$short0" $BAD $((2 * BAD - 1))
    check unhandled-frames-counted rises_by stack_drops "$drop0" $BAD
}

# paced_send DST SRC BYTES: BAD frames of BYTES bytes of payload, 50 ms
# apart: each NIC's end of the wire is a host socket, whose receive buffer
# (the host's default, about 200 KiB) a burst of 9,000-byte frames could
# overflow while that QEMU waits for a host core
paced_send() {
    local i
    for i in $(seq $BAD); do
        raw-send "$IF" "$1" "$2" 88b5 "$3" 1 || return 1
        sleep 0.05
    done
}

# mac_of N: guest N's MAC address, from our ARP table
mac_of() {
    awk -v ip="$(addr "$1")" '$1 == ip { print $4 }' /proc/net/arp
}

# RSS on g2 (our driver, a queue per vCPU): g1 opens 16 TCP connections
# to ports 5101-5116, 1 MiB each, from local ports the stack picks (busybox
# nc cannot choose them) and tells g2 which (port 5120, from its TIME_WAIT
# entries).  With the verification key, g2 computes the Toeplitz queue of
# each 4-tuple (rss_queue): the flows must reach both queues (all 16 on one
# is a 1 in 32,768 chance), and each queue must take at least 500 packets
# per flow it is given and fewer than 100 if none.
FLOWS=16

receive_flows() {
    local i
    for i in $(seq $FLOWS); do
        timeout $LISTEN_S nc -l -p $((5100 + i)) 0<> $NC_IN > /dev/null 2>&1 &
    done
    # shellcheck disable=SC2046 # one argument per port
    listening $(seq 5101 $((5100 + FLOWS))) || return 1
    serve_once 5100 ready || return 1
    wait
}

# flow_queues SPORT:DPORT...: the queue RSS picks for each flow from g1
flow_queues() {
    local f
    for f in "$@"; do
        rss_queue "$IF" "$(addr 1)" "$(addr 2)" "${f%:*}" "${f#*:}"
    done | xargs
}

# flows_spread: receive the flows, learn their ports from g1, compare the
# packets each queue took with the flows the hash gives it
flows_spread() {
    local deltas flows queues
    deltas=$(rx_queue_deltas "$IF" receive_flows) || return 1
    flows=$(ask 1 5120 60) || { echo "g1 never said which ports"; return 1; }
    # shellcheck disable=SC2086 # one argument per flow
    queues=$(flow_queues $flows)
    info "packets per queue: $deltas; the flows' queues: $queues" > /dev/console
    [ "$(echo "$queues" | wc -w)" = $FLOWS ] || { echo "$FLOWS flows, ports '$flows'"; return 1; }
    echo "$deltas" | awk -v want="$queues" '{
        n = split(want, q, " ")
        for (i = 1; i <= n; i++) flows[q[i]]++
        if (length(flows) < 2) { print "every flow hashes to one queue"; exit 1 }
        for (i = 1; i <= NF; i++) {
            f = flows[i - 1] + 0
            if (f ? $i < 500 * f : $i >= 100) {
                printf "queue %d: %d packets for %d flows\n", i - 1, $i, f; exit 1
            }
        }
    }'
}

# flow_ports: SPORT:DPORT of our connections to g2's ports 5101-5116
# (established, or closed and in TIME_WAIT)
flow_ports() {
    awk -v flows=$FLOWS '
        function hex(h,   v, i) {
            v = 0
            for (i = 1; i <= length(h); i++)
                v = v * 16 + index("0123456789ABCDEF", toupper(substr(h, i, 1))) - 1
            return v
        }
        NR > 1 {
            split($2, l, ":"); split($3, r, ":")
            d = hex(r[2])
            if (d > 5100 && d <= 5100 + flows) printf "%d:%d ", hex(l[2]), d
        }' /proc/net/tcp
}

send_flows() {
    local i pids='' p rc=0 sampler
    block
    ask 2 5100 120 > /dev/null || { echo "g2 never listened"; return 1; }
    # The ports are sampled while the flows run: a connection whose close
    # ends without TIME_WAIT here leaves no entry afterwards.
    while :; do flow_ports; echo; sleep 0.1; done > /tmp/flow-ports &
    sampler=$!
    for i in $(seq $FLOWS); do
        stream_blocks 1 | nc "$(addr 2)" $((5100 + i)) &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || rc=1
    done
    # The sampler first: its writes and this append would share the file.
    kill $sampler
    wait $sampler 2> /dev/null
    flow_ports >> /tmp/flow-ports
    serve_once 5120 "$(tr ' ' '\n' < /tmp/flow-ports | grep . | sort -u | xargs)" || return 1
    [ "$rc" = 0 ] || echo "a flow's connection failed"
    return $rc
}

case $ME in
1)
    [ "$GUESTS" -lt 3 ] || takes_bad_input
    check "send-${MIB}MiB-to-g2-verified" send_to 2 "$MIB" 5001
    check "receive-${MIB}MiB-from-g2" receive_from 2 "$MIB" 5011
    check rss-16-flows-sent send_flows
    check mtu-9000 jumbo
    check g2-has-mtu-9000 ask 2 5020 120
    check jumbo-ping-g2 jumbo_ping 2
    check "send-${JUMBO_MIB}MiB-jumbo-to-g2-verified" send_to 2 "$JUMBO_MIB" 5021
    check mtu-page page_mtu
    check g2-has-mtu-page ask 2 5060 120
    check zero-copy-split-sent zc_send 2 5062 "$JUMBO_MIB"
    check zero-copy-unsplit-sent zc_send 2 5064 "$JUMBO_MIB"
    if [ "$GUESTS" -ge 3 ]; then
        # g3 sends and goes away in the middle of it.
        receive_from 3 100 5031 > /dev/null 2>&1 &
        check g3-sends tcp_from 3 5031
        check g3-gone peer_gone 3 120
        check carrier-after-peer-gone test "$(cat /sys/class/net/$IF/carrier)" = 1
        check reaches-g2-after-peer-gone reaches 2 10
    fi
    # g2 and the bystanders (g4...) end once g1 is done with them.
    check peers-released release_peers
    ;;
2)
    [ "$GUESTS" -lt 3 ] || takes_bad_input
    check "receive-${MIB}MiB-from-g1" receive_from 1 "$MIB" 5001
    check "send-${MIB}MiB-to-g1-verified" send_to 1 "$MIB" 5011
    check rss-key-set ethtool -X "$IF" hkey $RSS_TEST_KEY
    check rss-16-flows-spread-as-hashed flows_spread
    check mtu-9000 jumbo
    check tells-g1-mtu-9000 serve_once 5020 mtu-9000
    check jumbo-ping-g1 jumbo_ping 1
    check "receive-${JUMBO_MIB}MiB-jumbo-from-g1" receive_from 1 "$JUMBO_MIB" 5021
    check mtu-page page_mtu
    check tells-g1-mtu-page serve_once 5060 mtu-page
    check zero-copy-split-received-verified zc_receive 5062 map 262144 "$JUMBO_MIB"
    check zero-copy-split-pages-mapped zc_mostly_mapped 5062
    info "zero-copy with split headers: $(cat /tmp/zc-5062)"
    check split-headers-off set_split "$IF" off
    nosplit0=$(ethtool_stat "$IF" rx_hdr_nosplit)
    check zero-copy-unsplit-received-verified zc_receive 5064 map 262144 "$JUMBO_MIB"
    check zero-copy-unsplit-all-copied zc_all_copied 5064
    info "zero-copy without split headers: $(cat /tmp/zc-5064)"
    check zero-copy-unsplit-frames-counted \
        test "$(ethtool_stat "$IF" rx_hdr_nosplit)" -gt "$((nosplit0 + JUMBO_MIB * 200))"
    # g1's last checks reach us once g3 is gone.
    check g1-finished ask 1 5041 300
    ;;
3)
    # A transfer to g1, then the end: the runner kills our QEMU with the
    # transfer under way.
    block
    check mtu-9000-to-send-long-frames jumbo
    check g1-ready-for-bad-input ask 1 5050 300
    check g2-ready-for-bad-input ask 2 5050 300
    me_mac=$(cat "/sys/class/net/$IF/address")
    check oversize-frames-to-g1 paced_send "$(mac_of 1)" "$me_mac" 9000
    check oversize-frames-to-g2 paced_send "$(mac_of 2)" "$me_mac" 9000
    check txpaden-off txpaden off
    # Small frames: no pacing needed to spare the hosts' socket buffers.
    check runts-to-g1 raw-send "$IF" "$(mac_of 1)" "$me_mac" 88b5 $RUNT_PAYLOAD $BAD
    check runts-to-g2 raw-send "$IF" "$(mac_of 2)" "$me_mac" 88b5 $RUNT_PAYLOAD $BAD
    check txpaden-on txpaden on
    check unhandled-frames-broadcast paced_send ff:ff:ff:ff:ff:ff "$me_mac" 100
    check tells-g1-and-g2-sent serve_twice 5051 sent
    check g1-listens ask 1 5032 300
    { stream_blocks 100 | nc "$(addr 1)" 5031 > /dev/null 2>&1; } &
    check sending-to-g1 tcp_to 5031
    request_nowait KILL
    sleep 120
    check killed-by-the-runner false
    ;;
*)
    # More guests: bystanders, reached and reaching, until g1 is done.
    check g1-finished ask 1 5041 600
    ;;
esac
check no-warnings no_warnings 'WARNING|Call Trace|BUG|Oops|Tx Unit Hang'
