# Network helpers for guest cases: bring an interface up through slirp's
# DHCP server and move data to and from tests/guest/hostserver.py, which
# the runner starts on the host (reachable at 10.0.2.2:$HOSTPORT).  The
# netdev_* functions at the end are the checks the two NIC driver cases
# (ixgbe, ioat-nic-driver) share.

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

# set_split IF on|off: our driver's split-headers private flag (its rings
# are rebuilt), then the carrier back
set_split() {
    ethtool --set-priv-flags "$1" split-headers "$2" && wait_carrier "$1" 1 15
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

# net_up IF: link up, carrier, a DHCP lease and one ping of the gateway
net_up() {
    ip link set "$1" up && wait_carrier "$1" && dhcp "$1" > /dev/null &&
        ping -c 1 -W 2 $HOST > /dev/null
}

# host_answers SECONDS: the host answers one of up to SECONDS echo
# requests sent a second apart; a reply that needed more than one request
# is reported (an INFO line), so that lost requests stay visible
host_answers() {
    local n
    for n in $(seq "$1"); do
        if ping -c 1 -W 1 $HOST > /dev/null; then
            [ "$n" = 1 ] || info "$HOST answered request $n of up to $1" > /dev/console
            return 0
        fi
    done
    echo "no reply from $HOST to $1 requests"
    return 1
}

# ethtool_stat IF NAME: one counter from ethtool -S
ethtool_stat() {
    ethtool -S "$1" | awk -v n="$2:" '$1 == n { print $2 }'
}

# rx_queues IF: the receive queues the stack has for IF
rx_queues() {
    ls -d "/sys/class/net/$1"/queues/rx-* | wc -l
}

# no_warnings REGEX: no kernel message matches.  Out-of-tree modules are
# unsigned; the kernel says so once, at first load, which is expected.
no_warnings() {
    ! case_dmesg | grep -v 'module verification failed' | grep -E "$1"
}

# gateway_mac: the MAC address of $HOST, from the ARP table
gateway_mac() {
    awk -v ip=$HOST '$1 == ip { print $4 }' /proc/net/arp
}

# A 1 MiB block of random data, sent N times by push.
block() {
    [ -f /tmp/block ] || dd if=/dev/urandom of=/tmp/block bs=1M count=1 2>/dev/null
}

stream_blocks() {  # stream_blocks N
    for _ in $(seq "$1"); do cat /tmp/block; done
}

# Transfers go through tcp-stream (tests/guest/tools), which writes and
# reads 256 KiB at a time; busybox's nc moves about 1 KiB per system call,
# which caps a transfer at a few MB/s whatever the NIC.
push_raw() {  # push_raw MIB: prints the host's digest
    { echo "PUSH $(($1 << 20))"; stream_blocks "$1"; } | tcp-stream $HOST "$HOSTPORT"
}

pull_raw() {  # pull_raw MIB: the data on stdout
    echo "PULL $(($1 << 20))" | tcp-stream $HOST "$HOSTPORT"
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

# in_background NAME CMD...: start CMD; its output goes to /tmp/bg-NAME,
# its exit status to /tmp/bg-NAME.rc when it ends
in_background() {
    local name=$1
    shift
    rm -f "/tmp/bg-$name.rc"
    { "$@" > "/tmp/bg-$name" 2>&1; echo $? > "/tmp/bg-$name.rc"; } &
}

# background_ok NAME [SECONDS]: what in_background NAME started ended with
# status 0, within SECONDS (default 300); its last line if not
background_ok() {
    local i
    for i in $(seq $((${2:-300} * 5))); do
        [ -f "/tmp/bg-$1.rc" ] && break
        sleep 0.2
    done
    [ "$(cat "/tmp/bg-$1.rc" 2> /dev/null)" = 0 ] && return 0
    tail -n 1 "/tmp/bg-$1"
    return 1
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

# Checks shared by the NIC driver cases -------------------------------
# Each takes the interface; the guest has 2 vCPUs, so a multiqueue driver
# uses two queue pairs.  A case calls them in this order, with its
# driver's own checks in between.

# netdev_link_checks IF: link and carrier, 10 Gb/s, a DHCP lease, the
# gateway answers, one RX queue per vCPU
netdev_link_checks() {
    local n
    check link-up ip link set "$1" up
    check carrier-within-5s wait_carrier "$1"
    check speed-10000 sh -c "ethtool $1 | grep -qx '	Speed: 10000Mb/s'"
    check dhcp-lease dhcp "$1"
    check ping-gateway ping -c 3 -i 0.2 -W 2 $HOST
    n=$(rx_queues "$1")
    info "rx queues: $n (2 vCPUs)"
    check multiqueue-2-rx-queues test "$n" = 2
}

# netdev_transfer_checks: TCP each way, SHA-256 verified: 4 MiB from the
# guest, 8 MiB to it (the 100 MiB transfers are the ixgbevf and wire
# cases')
netdev_transfer_checks() {
    check tcp-push-4MiB-verified push 4
    check tcp-pull-8MiB-verified pull 8
}

# The key of the published Toeplitz verification suite (the qtests' RSS
# vectors use it too): the NIC checks set it, so that the queue each port
# reaches is the same in every boot.  A random key could make the queue
# independent of the port (one in eight boots for eight ports aligned to
# 8, and one boot in CI whose key sent every port to one queue).
RSS_TEST_KEY=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa

# ipv4_addr IF: IF's IPv4 address, without the prefix length
ipv4_addr() {
    ip -4 addr show "$1" | awk '/ inet / { sub(/\/.*/, "", $2); print $2 }'
}

# rss_port_window IF: the first port of a window of eight local ports
# from which the host's TCP replies reach both RX queues (rss_queue); the
# candidates start 37 ports apart, so their ports differ in other bits
rss_port_window() {
    local me lo queues
    me=$(ipv4_addr "$1")
    for lo in $(seq 30001 37 30297); do
        # shellcheck disable=SC2046 # one argument per port
        queues=$(rss_queue "$1" $HOST "$me" "$HOSTPORT" $(seq $lo $((lo + 7))) | sort -u | xargs)
        [ "$queues" = "0 1" ] && { echo "$lo"; return 0; }
    done
    return 1
}

# rss_key IF: the hash key `ethtool -x` reports
rss_key() {
    ethtool -x "$1" | sed -n '/^RSS hash key:/{n;p;}'
}

# netdev_rss_checks IF: the driver takes a hash key (ethtool -X hkey), and
# RSS spreads eight concurrent flows over both RX queues.  The ephemeral
# range is narrowed to a window of eight ports that hash to both queues,
# so the eight connections use exactly those ports.
netdev_rss_checks() {
    local range=/proc/sys/net/ipv4/ip_local_port_range old_range lo
    local before0 before1 got0 got1
    info "RSS key from the driver: $(rss_key "$1")"
    check rss-key-set ethtool -X "$1" hkey $RSS_TEST_KEY
    check rss-key-reads-back test "$(rss_key "$1")" = $RSS_TEST_KEY
    lo=$(rss_port_window "$1")
    check rss-port-window-spans-both-queues test -n "$lo" || return 0
    old_range=$(cat $range)
    echo "$lo $((lo + 7))" > $range
    before0=$(ethtool_stat "$1" rx_queue_0_packets)
    before1=$(ethtool_stat "$1" rx_queue_1_packets)
    for _ in 1 2 3 4 5 6 7 8; do pull_raw 2 > /dev/null & done
    wait
    echo "$old_range" > $range
    got0=$(( $(ethtool_stat "$1" rx_queue_0_packets) - ${before0:-0} ))
    got1=$(( $(ethtool_stat "$1" rx_queue_1_packets) - ${before1:-0} ))
    info "8 flows from ports $lo-$((lo + 7)): rx_queue_0 +$got0 packets, rx_queue_1 +$got1 packets"
    check rss-flows-on-queue-0 test "$got0" -gt 0
    check rss-flows-on-queue-1 test "$got1" -gt 0
    info "interrupts: $(grep "$1" /proc/interrupts | awk '{ print $NF ":" $2 + $3 }' | xargs)"
}

# netdev_ethtool_checks IF DRIVER: ethtool -i names DRIVER, -l shows two
# combined channels, -x a 128-entry indirection table (16 rows of 8)
netdev_ethtool_checks() {
    check "ethtool-driver-$2" sh -c "ethtool -i $1 | grep -qx 'driver: $2'"
    check ethtool-channels-combined-2 sh -c "ethtool -l $1 | awk '/^Combined:/ { n++; v = \$2 } END { exit !(n == 2 && v == 2) }'"
    check ethtool-rss-table-128 sh -c "test \$(ethtool -x $1 | grep -cE '^ +[0-9]+:') = 16"
}

# netdev_down_up_checks IF: carrier and traffic come back after down/up
netdev_down_up_checks() {
    check link-down ip link set "$1" down
    check link-up-again ip link set "$1" up
    check carrier-after-down-up wait_carrier "$1"
    check ping-after-down-up ping -c 2 -i 0.2 -W 2 $HOST
}

# netdev_reload_checks CMD [ARG...]: three unload/reload cycles; CMD
# unloads the driver, loads it again and brings the interface up (net_up)
netdev_reload_checks() {
    local n
    for n in 1 2 3; do
        check "rmmod-modprobe-$n" "$@"
    done
}

# Receive steering ---------------------------------------------------

# ip_in_packets: IPv4 packets the stack has received, each segment of a
# GRO-merged packet counted once (IpExt In*Pkts, one per ECN codepoint),
# so a comparable count to what the NIC's queues saw.
ip_in_packets() {
    awk '$1 == "IpExt:" {
        if (!n) { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
        print $col["InNoECTPkts"] + $col["InECT1Pkts"] + $col["InECT0Pkts"] + $col["InCEPkts"]
    }' /proc/net/netstat
}

# with_local_port PORT CMD [ARG...]: run CMD with PORT the only free
# ephemeral port, so that a socket it connects without binding first (nc,
# tftp) gets that local port.  Not for commands that open two.  (The range
# is PORT and PORT+1 with PORT+1 reserved: a one-port range makes the
# kernel complain about its parity.)
with_local_port() {
    local range=/proc/sys/net/ipv4/ip_local_port_range
    local reserved=/proc/sys/net/ipv4/ip_local_reserved_ports
    local old_range old_reserved rc=0
    old_range=$(cat $range) old_reserved=$(cat $reserved)
    echo $(($1 + 1)) > $reserved && echo "$1 $(($1 + 1))" > $range || return 1
    shift
    "$@" || rc=$?
    echo "$old_range" > $range
    echo "$old_reserved" > $reserved
    return $rc
}

# rss_queue IF SRC-IP DST-IP [SRC-PORT DST-PORT...]: the receive queue
# RSS picks for an IPv4 packet from SRC to DST, one line per DST-PORT: the
# Toeplitz hash of the addresses (and ports: TCP; ixgbe hashes UDP by
# addresses alone unless told otherwise) with the key `ethtool -x` shows,
# its low bits indexing the indirection table shown there.
rss_queue() {
    local ifname=$1 src=$2 dst=$3 sport=${4:-}
    shift 3
    [ $# = 0 ] || shift
    ethtool -x "$ifname" | awk -v src="$src" -v dst="$dst" -v sport="$sport" -v dports="$*" '
        function push_bits(v, n,   i) {
            for (i = n - 1; i >= 0; i--) bit[nbit++] = and(rshift(v, i), 1)
        }
        function push_ip(a,   f, i) {
            split(a, f, ".")
            for (i = 1; i <= 4; i++) push_bits(f[i], 8)
        }
        function hash(   h, i, b, w) {
            h = 0
            for (i = 0; i < nbit; i++) {
                if (!bit[i]) continue
                w = 0
                for (b = 0; b < 32; b++) w = w * 2 + kbit[i + b]
                h = xor(h, w)
            }
            return h
        }
        /^ *[0-9]+:/ { for (i = 2; i <= NF; i++) table[n++] = $i; next }
        /^RSS hash key:/ { getline; nkey = split($0, key, ":"); next }
        END {
            if (!n || !nkey) exit 1
            for (i = 1; i <= nkey; i++)
                for (j = 1; j <= 2; j++) {
                    d = index("0123456789abcdef", tolower(substr(key[i], j, 1))) - 1
                    for (b = 3; b >= 0; b--) kbit[nk++] = and(rshift(d, b), 1)
                }
            push_ip(src); push_ip(dst)
            if (sport == "") { print table[hash() % n]; exit }
            push_bits(sport, 16)
            np = split(dports, port, " ")
            for (p = 1; p <= np; p++) {
                nbit = 80
                push_bits(port[p], 16)
                print table[hash() % n]
            }
        }'
}

# ntuple_rule IF LOC: the lines `ethtool -n` prints for the rule at LOC
ntuple_rule() {
    ethtool -n "$1" | awk -v loc="$2" '/^Filter: / { on = ($2 == loc) } /^$/ { on = 0 } on'
}

# ntuple_rule_count IF: the number of rules `ethtool -n` reports
ntuple_rule_count() {
    ethtool -n "$1" | awk '/^Total [0-9]+ rules/ { print $2 }'
}

# tftp_raw BYTES FILE [SECONDS]: receive BYTES of the host's stream over
# UDP (TFTP from hostserver.py) into FILE, in 1400-byte blocks (one frame
# each); give up after SECONDS (default 30)
tftp_raw() {
    rm -f "$2"
    timeout "${3:-30}" tftp -g -r "$1" -l "$2" -b 1400 $HOST "$HOSTPORT"
}

# stream_intact FILE BYTES: FILE holds the first BYTES of the host's
# stream (SHA-256 against the host's DIGEST)
stream_intact() {
    local ours theirs
    ours=$(sha256sum < "$1" | cut -d' ' -f1)
    theirs=$(echo "DIGEST $2" | nc $HOST "$HOSTPORT")
    [ -n "$theirs" ] && [ "$theirs" = "$ours" ] ||
        { echo "host digest '$theirs', ours $ours ($(wc -c < "$1") bytes)"; return 1; }
}

# Receive steering helpers -----------------------------------------------

# pin_queue_irqs IF: the interrupt of queue pair N (IF-TxRx-N) is handled
# by CPU N; fails if IF has no such interrupt
pin_queue_irqs() {
    local irq rest n=0
    while read -r irq rest; do
        [ -n "$irq" ] || continue
        echo "${rest##*-}" > "/proc/irq/${irq%:}/smp_affinity_list" || return 1
        n=$((n + 1))
    done <<EOF
$(grep -- "$1-TxRx-" /proc/interrupts)
EOF
    echo "$n queue interrupts pinned"
    [ "$n" -gt 0 ]
}

# queue_irq_cpus IF: "IF-TxRx-N:CPUS" per queue pair, the CPUs its
# interrupt is delivered to
queue_irq_cpus() {
    local irq rest
    grep -- "$1-TxRx-" /proc/interrupts | while read -r irq rest; do
        echo "${rest##* }:$(cat "/proc/irq/${irq%:}/effective_affinity_list")"
    done | xargs
}

# rx_queue_packets IF: the rx_queue_N_packets counters, queue 0 first
rx_queue_packets() {
    ethtool -S "$1" | awk '$1 ~ /^rx_queue_[0-9]+_packets:$/ {
            split($1, a, "_"); v[a[3] + 0] = $2; if (a[3] + 0 > n) n = a[3] + 0 }
        END { for (i = 0; i <= n; i++) printf "%d%s", v[i], i < n ? " " : "\n" }'
}

# rx_queue_deltas IF CMD [ARG...]: run CMD (quietly) and print how many
# packets each RX queue received meanwhile, queue 0 first; fails if CMD does
rx_queue_deltas() {
    local ifc=$1 before after
    shift
    before=$(rx_queue_packets "$ifc")
    "$@" > /dev/null 2>&1 || return 1
    after=$(rx_queue_packets "$ifc")
    echo "$before $after" | awk '{ n = NF / 2
        for (i = 1; i <= n; i++) printf "%d%s", $(n + i) - $i, i < n ? " " : "\n" }'
}

# ntuple_rules IF: how many receive filter rules ethtool -n lists
ntuple_rules() {
    ethtool -n "$1" | awk '/^Total [0-9]+ rules/ { print $2 }'
}

# ping_median N: median round trip (ms) of N back-to-back pings of the
# gateway (each sent as soon as the previous reply is in)
ping_median() {
    ping -A -c "$1" $HOST | awk -F'time=' '/time=/ { split($2, a, " "); print a[1] }' |
        sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
