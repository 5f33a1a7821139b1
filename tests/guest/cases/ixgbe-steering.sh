# The stock ixgbe driver's receive steering on ioat-nic (the 82599's Flow
# Director, two vCPUs so two queue pairs):
#   - with ntuple off (the default), ATR's signature filters send a TCP
#     flow's receive traffic to the queue of the CPU that sends it, and
#     fdir_match counts it;
#   - with ntuple on, `ethtool -N` perfect filters (tcp4/udp4 by
#     destination port, by source port, by address; action N and -1)
#     steer and drop real TCP and UDP streams, `ethtool -n` lists them,
#     and deleting one gives its flows back to RSS;
#   - fdir_miss counts what matched no filter; no kernel warnings, and the
#     driver unloads.
#
# Streams come from tests/guest/hostserver.py through slirp: TCP pulls,
# and UDP as TFTP reads (lock step, 1400-byte blocks, one frame each),
# both from port $HOSTPORT of 10.0.2.2 and checked against its digest.
# Each stream's local port is chosen (with_local_port), and the queue RSS
# would give it is computed from `ethtool -x` (rss_queue), so rules and
# pinned CPUs send flows to the queue RSS would not, and a flow that
# leaves a rule returns to a queue known in advance.
#
# A stream lands on queue Q when rx_queue_Q_packets rises by the number
# of IPv4 packets the stack received meanwhile (the stream: nothing else
# runs), within MARGIN, and the other queue's rises by at most MARGIN.
# MARGIN covers frames that are not the stream's: slirp's ARP, IPv6
# router and neighbour discovery, and late resends towards the streams of
# the drop checks (slirp's SYN-ACKs, the TFTP server's OACKs); a few per
# stream at most, against 730-2900 packets per stream.

. /ioat/lib/net.sh

NIC=8086:10f9
IF=eth0
MARGIN=8
TCP_BYTES=$((1 << 20))       # about 730 frames
ATR_BYTES=$((4 << 20))       # "a long flow": about 2900 frames
UDP_BYTES=$((1 << 20))       # 750 TFTP blocks
# Local ports for the streams: 20000-29999, outside the ephemeral range
# (32768-60999) so that no other connection takes one first, in the
# order 20000 + i * 7919 mod 10000: consecutive candidates differ in many
# bits, so RSS sends about half of them to each queue (in plain order,
# runs of 16 or more ports with one queue are common).
PORT_INDEX=0
STREAM=/tmp/steering-stream

# Counters ---------------------------------------------------------------

# counters: rx_queue_0_packets rx_queue_1_packets fdir_match fdir_miss,
# the IPv4 packets the stack received, tx_queue_0_packets tx_queue_1_packets
counters() {
    ethtool -S $IF | awk -v ip="$(ip_in_packets)" '
        { v[$1] = $2 }
        END { print v["rx_queue_0_packets:"] + 0, v["rx_queue_1_packets:"] + 0,
              v["fdir_match:"] + 0, v["fdir_miss:"] + 0, ip,
              v["tx_queue_0_packets:"] + 0, v["tx_queue_1_packets:"] + 0 }'
}

# measure NAME CMD [ARG...]: run CMD between two readings of the
# counters; sets Q0 Q1 MATCH MISS IP to their increases, RC to CMD's status
# (the transmit queues' increases are logged: ATR follows them)
measure() {
    local name=$1 before after
    shift
    before=$(counters)
    RC=0
    "$@" || RC=$?
    after=$(counters)
    # shellcheck disable=SC2086 # split the readings into fields
    set -- $before $after
    Q0=$(($8 - $1)) Q1=$(($9 - $2)) MATCH=$((${10} - $3)) MISS=$((${11} - $4))
    IP=$((${12} - $5))
    info "$name: rx_queue_0 +$Q0, rx_queue_1 +$Q1, fdir_match +$MATCH, fdir_miss +$MISS, IPv4 in +$IP, tx_queue_0 +$((${13} - $6)), tx_queue_1 +$((${14} - $7)) (exit $RC)"
}

about() {  # about A B: A is B within MARGIN
    [ $(($1 > $2 ? $1 - $2 : $2 - $1)) -le $MARGIN ] ||
        { echo "$1, expected $2 +- $MARGIN"; return 1; }
}

at_most() {  # at_most A B
    [ "$1" -le "$2" ] || { echo "$1 > $2"; return 1; }
}

at_least() {  # at_least A B
    [ "$1" -ge "$2" ] || { echo "$1 < $2"; return 1; }
}

# lands NAME Q MIN: the stream measured last (at least MIN IPv4 packets)
# was received on queue Q and not on the other
lands() {
    local on off
    if [ "$2" = 0 ]; then on=$Q0 off=$Q1; else on=$Q1 off=$Q0; fi
    check "$1-stream-received" at_least $IP "$3"
    check "$1-on-queue-$2" about $on $IP
    check "$1-not-on-queue-$((1 - $2))" at_most $off $MARGIN
}

# matched NAME: every packet of the stream measured last matched a filter
matched() {
    check "$1-fdir-match" about $MATCH $IP
    check "$1-no-fdir-miss" at_most $MISS $MARGIN
}

# missed NAME: no packet of the stream measured last matched a filter
missed() {
    check "$1-fdir-miss" about $MISS $IP
    check "$1-no-fdir-match" at_most $MATCH $MARGIN
}

# dropped NAME: the stream measured last got no reply and was counted on
# no queue, but the NIC saw it: it matched (the drop rule)
dropped() {
    check "$1-no-reply" sh -c "[ $RC != 0 ] && [ ! -s $STREAM ]"
    check "$1-nothing-received" at_most $IP $MARGIN
    check "$1-not-on-queue-0" at_most $Q0 $MARGIN
    check "$1-not-on-queue-1" at_most $Q1 $MARGIN
    check "$1-fdir-matched-drop" at_least $MATCH 1
}

# Streams ----------------------------------------------------------------

# next_port: PORT := the next candidate local port
next_port() {
    PORT=$((20000 + PORT_INDEX * 7919 % 10000)) PORT_INDEX=$((PORT_INDEX + 1))
}

# pick_port Q: PORT := the next candidate local port whose TCP flow from
# the host server RSS sends to queue Q (a failed check if there is none
# among 64)
pick_port() {
    local base ports i q
    for _ in 1 2 3 4; do
        base=$PORT_INDEX ports=
        for i in $(seq $base $((base + 15))); do
            ports="$ports $((20000 + i * 7919 % 10000))"
        done
        # shellcheck disable=SC2086 # one argument per port
        for q in $(rss_queue $IF $HOST "$ME" "$HOSTPORT" $ports); do
            next_port
            [ "$q" = "$1" ] && return 0
        done
        [ $PORT_INDEX = $((base + 16)) ] || break
    done
    fail "pick-port-rss-$1" "no candidate port up to index $PORT_INDEX has RSS queue $1"
    return 1
}

# tcp_stream PORT BYTES [CPU [SECONDS]]: pull BYTES from the host server
# into $STREAM from local PORT, nc pinned to CPU if given (- for none); a
# connection not made within SECONDS (default 5) fails
tcp_stream() {
    local pin=
    [ "${3:--}" = - ] || pin="taskset -c $3"
    rm -f $STREAM
    # shellcheck disable=SC2086 # $pin is a command prefix or nothing
    echo "PULL $2" | with_local_port "$1" $pin nc -w "${4:-5}" $HOST "$HOSTPORT" > $STREAM &&
        [ -s $STREAM ]
}

# udp_stream [PORT [SECONDS]]: receive UDP_BYTES over TFTP into $STREAM,
# from local PORT if given (else any), giving up after SECONDS
udp_stream() {
    if [ -n "${1:-}" ]; then
        with_local_port "$1" tftp_raw $UDP_BYTES $STREAM "${2:-30}"
    else
        tftp_raw $UDP_BYTES $STREAM
    fi
}

# tcp_lands NAME PORT Q [CPU]: a TCP stream from local PORT arrives intact,
# all on queue Q
tcp_lands() {
    measure "$1" tcp_stream "$2" $TCP_BYTES ${4:-}
    check "$1-transfer" stream_intact $STREAM $TCP_BYTES
    lands "$1" "$3" $((TCP_BYTES / 1460))
}

# udp_lands NAME Q [PORT]: a UDP stream arrives intact, all on queue Q
udp_lands() {
    measure "$1" udp_stream ${3:-}
    check "$1-transfer" stream_intact $STREAM $UDP_BYTES
    lands "$1" "$2" $((UDP_BYTES / 1400))
}

# rule NAME ARG...: ethtool -N $IF ARG... succeeds
rule() {
    local name=$1
    shift
    check "$name" ethtool -N $IF "$@"
}

# listed LOC TEXT...: `ethtool -n` lists a rule at LOC with lines
# containing each TEXT
listed() {
    local loc=$1 text rule
    rule=$(ntuple_rule $IF "$loc")
    [ -n "$rule" ] || { echo "no rule at location $loc"; return 1; }
    shift
    for text; do
        printf '%s\n' "$rule" | grep -qF "$text" || { echo "rule $loc lacks '$text'"; return 1; }
    done
}

# show_rules: one INFO line per rule, the fields it compares
show_rules() {
    ethtool -n $IF | awk '
        /^Filter:/ { if (r != "") print r; r = "rule " $2 }
        /^\t/ && !/mask: (255\.255\.255\.255|0xf+)$/ { sub(/^\t/, ""); r = r ", " $0 }
        END { if (r != "") print r }' |
        while IFS= read -r line; do info "$line"; done
}

unlisted() {  # unlisted LOC: `ethtool -n` lists no rule at LOC
    [ -z "$(ntuple_rule $IF "$1")" ] || { echo "rule $1 still listed"; return 1; }
}

# ntuple on|off: switch modes (the driver resets the device) and wait for
# the link and the gateway
ntuple() {
    ethtool -K $IF ntuple "$1" &&
        ethtool -k $IF | grep -qx "ntuple-filters: $1" &&
        wait_carrier $IF 1 10 && ping -c 2 -i 0.2 -W 2 $HOST > /dev/null
}

# Setup ------------------------------------------------------------------

check ixgbe-loads modprobe ixgbe
check ixgbe-binds pci_bound "$NIC" ixgbe
check link-and-lease net_up $IF
ME=$(ipv4_addr $IF)
info "guest address $ME, host server 10.0.2.2:$HOSTPORT"
check two-rx-queues test "$(rx_queues $IF)" = 2
for v in 0 1; do
    irq=$(awk -v n="$IF-TxRx-$v" '$NF == n { sub(/:/, "", $1); print $1 }' /proc/interrupts)
    info "$IF-TxRx-$v: IRQ $irq on CPU $(cat /proc/irq/$irq/effective_affinity_list)"
done
check atr-is-the-default sh -c "ethtool -k $IF | grep -qx 'ntuple-filters: off'"
UDP_RSS=$(rss_queue $IF $HOST "$ME")
check rss-queue-computed sh -c "[ '$UDP_RSS' = 0 ] || [ '$UDP_RSS' = 1 ]"
UDP_OTHER=$((1 - ${UDP_RSS:-0}))
info "RSS sends UDP from the host to queue $UDP_RSS (addresses only)"

# ATR (ntuple off) --------------------------------------------------------
# A pull pinned to CPU c: its SYN leaves on TX ring c (XPS), and ATR adds
# a signature filter for the replies with queue c; the ACKs leave from
# the receive interrupt of queue c, pinned to CPU c, so ATR's resampling
# of every 20th packet keeps queue c.  The port is one RSS would send to
# the other queue.
# Without the pinning the kernel may deliver both queues' interrupts to
# one CPU, and ACKs of the flow leave on the other TX ring (ATR, as on
# hardware, then moves the flow there).  Timer migration off: otherwise a
# delayed-ACK timer armed in the receive softirq of an idle CPU c moves
# to the other, busy CPU, with the same effect.

check timers-stay-on-their-cpu sysctl -qw kernel.timer_migration=0
check queue-irqs-on-their-cpus pin_queue_irqs $IF

for cpu in 0 1; do
    pick_port $((1 - cpu))
    info "atr-cpu$cpu: local port $PORT, RSS queue $((1 - cpu))"
    measure "atr-cpu$cpu" tcp_stream $PORT $ATR_BYTES $cpu
    check "atr-cpu$cpu-transfer" stream_intact $STREAM $ATR_BYTES
    lands "atr-cpu$cpu" $cpu $((ATR_BYTES / 1460))
    matched "atr-cpu$cpu"
done
# (An MSI moves to its new CPU at its next interrupt.)
info "queue interrupts on CPUs: $(queue_irq_cpus $IF)"
# UDP is never sampled by ATR: looked up, missed, spread by RSS.
udp_lands atr-udp "$UDP_RSS"
missed atr-udp
check atr-no-fdir-overflow test "$(ethtool_stat $IF fdir_overflow)" = 0

# Perfect filters (ntuple on) --------------------------------------------
# The driver has one mask for all rules, so each group of rules shares
# the fields it compares and is deleted before the next group.

check ntuple-on ntuple on
check ntuple-no-rules test "$(ntuple_rule_count $IF)" = 0

# By destination port (the guest's local port).
pick_port 0; PORT_A=$PORT
pick_port 1; PORT_B=$PORT
pick_port 0; PORT_C=$PORT
pick_port 1; PORT_MISS=$PORT
next_port; PORT_UDP=$PORT
next_port; PORT_TCP_DROP=$PORT
next_port; PORT_UDP_DROP=$PORT
rule dport-tcp-rule-added flow-type tcp4 dst-port $PORT_A action 1 loc 1
rule dport-tcp-rule2-added flow-type tcp4 dst-port $PORT_B action 0 loc 2
rule dport-udp-rule-added flow-type udp4 dst-port $PORT_UDP action $UDP_OTHER loc 3
rule dport-tcp-drop-rule-added flow-type tcp4 dst-port $PORT_TCP_DROP action -1 loc 4
rule dport-udp-drop-rule-added flow-type udp4 dst-port $PORT_UDP_DROP action -1 loc 5
show_rules
check rules-listed-5 test "$(ntuple_rule_count $IF)" = 5
check rule-1-listed listed 1 'TCP over IPv4' "Dest port: $PORT_A mask: 0x0" 'Direct to queue 1'
check rule-2-listed listed 2 'TCP over IPv4' "Dest port: $PORT_B mask: 0x0" 'Direct to queue 0'
check rule-3-listed listed 3 'UDP over IPv4' "Dest port: $PORT_UDP mask: 0x0" "Direct to queue $UDP_OTHER"
check rule-4-listed listed 4 'TCP over IPv4' "Dest port: $PORT_TCP_DROP mask: 0x0" 'Action: Drop'
check rule-5-listed listed 5 'UDP over IPv4' "Dest port: $PORT_UDP_DROP mask: 0x0" 'Action: Drop'

tcp_lands dport-tcp-to-1 $PORT_A 1
matched dport-tcp-to-1
tcp_lands dport-tcp-to-0 $PORT_B 0
matched dport-tcp-to-0
udp_lands dport-udp-to-$UDP_OTHER $UDP_OTHER $PORT_UDP
matched dport-udp-to-$UDP_OTHER
# A port no rule names: RSS, and fdir_miss.
tcp_lands dport-tcp-no-rule $PORT_MISS 1
missed dport-tcp-no-rule
# Rewriting a location replaces its rule (the driver adds the new filter
# first, then removes the old one by its own bucket).
rule rule-1-replaced flow-type tcp4 dst-port $PORT_C action 1 loc 1
check rule-1-replacement-listed listed 1 "Dest port: $PORT_C mask: 0x0" 'Direct to queue 1'
check rules-still-5 test "$(ntuple_rule_count $IF)" = 5
tcp_lands dport-tcp-replaced-rule $PORT_C 1
matched dport-tcp-replaced-rule
# Drops: the guest's SYN gets no SYN-ACK, the TFTP request no reply.
# Nothing comes back from a dropped stream: 2 s of waiting tell as much.
measure dport-tcp-drop tcp_stream $PORT_TCP_DROP $TCP_BYTES - 2
dropped dport-tcp-drop
measure dport-udp-drop udp_stream $PORT_UDP_DROP 2
dropped dport-udp-drop
for loc in 1 2 3 4 5; do
    rule "dport-rule-$loc-deleted" delete $loc
done
check dport-rules-gone test "$(ntuple_rule_count $IF)" = 0

# By source port (the host server's), TCP to queue 1, UDP to the queue
# RSS does not pick; deleting one rule returns its flows to RSS.
rule sport-tcp-rule-added flow-type tcp4 src-port "$HOSTPORT" action 1 loc 10
rule sport-udp-rule-added flow-type udp4 src-port "$HOSTPORT" action $UDP_OTHER loc 11
check sport-rules-listed-2 test "$(ntuple_rule_count $IF)" = 2
check rule-10-listed listed 10 'TCP over IPv4' "Src port: $HOSTPORT mask: 0x0" 'Direct to queue 1'
check rule-11-listed listed 11 'UDP over IPv4' "Src port: $HOSTPORT mask: 0x0" "Direct to queue $UDP_OTHER"
pick_port 0
tcp_lands sport-tcp-rss0-to-1 $PORT 1
matched sport-tcp-rss0-to-1
pick_port 1
tcp_lands sport-tcp-rss1-to-1 $PORT 1
matched sport-tcp-rss1-to-1
udp_lands sport-udp-to-$UDP_OTHER $UDP_OTHER
matched sport-udp-to-$UDP_OTHER
rule sport-tcp-rule-deleted delete 10
check sport-rules-listed-1 test "$(ntuple_rule_count $IF)" = 1
check rule-10-unlisted unlisted 10
check rule-11-still-listed listed 11 'UDP over IPv4' "Src port: $HOSTPORT mask: 0x0"
pick_port 0
tcp_lands sport-deleted-rss-to-0 $PORT 0
missed sport-deleted-rss-to-0
pick_port 1
tcp_lands sport-deleted-rss-to-1 $PORT 1
missed sport-deleted-rss-to-1
udp_lands sport-udp-rule-kept $UDP_OTHER
matched sport-udp-rule-kept
rule sport-udp-rule-deleted delete 11
udp_lands sport-udp-deleted-rss "$UDP_RSS"
missed sport-udp-deleted-rss
check sport-rules-gone test "$(ntuple_rule_count $IF)" = 0

# By address: source 10.0.2.2, destination the guest.
pick_port 0
rule addr-tcp-rule-added flow-type tcp4 src-ip $HOST dst-ip "$ME" action 1 loc 20
rule addr-udp-rule-added flow-type udp4 src-ip $HOST dst-ip "$ME" action $UDP_OTHER loc 21
check addr-rules-listed-2 test "$(ntuple_rule_count $IF)" = 2
check rule-20-listed listed 20 'TCP over IPv4' "Src IP addr: $HOST mask: 0.0.0.0" \
    "Dest IP addr: $ME mask: 0.0.0.0" 'Direct to queue 1'
check rule-21-listed listed 21 'UDP over IPv4' "Src IP addr: $HOST mask: 0.0.0.0" \
    "Dest IP addr: $ME mask: 0.0.0.0" "Direct to queue $UDP_OTHER"
tcp_lands addr-tcp-to-1 $PORT 1
matched addr-tcp-to-1
udp_lands addr-udp-to-$UDP_OTHER $UDP_OTHER
matched addr-udp-to-$UDP_OTHER
rule addr-tcp-rule-deleted delete 20
rule addr-udp-rule-deleted delete 21
check addr-rules-gone test "$(ntuple_rule_count $IF)" = 0

# Back to ATR --------------------------------------------------------------
# The reset clears the perfect-mode masks, or no signature would match.

check ntuple-off ntuple off
info "queue interrupts on CPUs after the reset: $(queue_irq_cpus $IF)"
pick_port 0
info "atr-again: local port $PORT, RSS queue 0"
measure atr-again tcp_stream $PORT $ATR_BYTES 1
check atr-again-transfer stream_intact $STREAM $ATR_BYTES
lands atr-again 1 $((ATR_BYTES / 1460))
matched atr-again
check atr-again-no-fdir-overflow test "$(ethtool_stat $IF fdir_overflow)" = 0

# Clean end ----------------------------------------------------------------

WARNINGS='WARNING|Call Trace|BUG|Tx Unit Hang|ixgbe.*([Ee]rror|[Ff]ail|Only one mask)'
check no-warnings no_warnings "$WARNINGS"
check ixgbe-unloads modprobe -r ixgbe
check netdev-gone test ! -e /sys/class/net/$IF
check no-warnings-after-unload no_warnings "$WARNINGS"
