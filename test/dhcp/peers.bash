# Helpers for the DHCP and DNS real-peer tests and benchmarks (sourced
# after test/lib.sh, not run by test/run): a network namespace with a tap
# device whose Linux side is SUBNET.1/24, dnsmasq or busybox udhcpd
# serving it, and the test unikernel (build/test-images/dhcp_peer) or
# another image on it;
# processes in the namespace read /etc/netns/NAMESPACE/resolv.conf (ip
# netns exec mounts it over /etc/resolv.conf) when a test writes one.
# Everything is started in the background and remembered, and
# peers_cleanup (the caller's EXIT trap) stops it all by process id and
# deletes the namespace.
PEERS_NS=
PEERS_PIDS=()

# peers_need TOOL...: skip every planned case (and finish) unless root,
# /dev/net/tun and the tools are there.
peers_need() {
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
        skip_rest "$PEERS_TEST" "needs root and /dev/net/tun"
    fi
    local t
    for t in ip "$@"; do
        command -v "$t" >/dev/null ||
            skip_rest "$PEERS_TEST" "$t is not installed (scripts/install-deps.sh)"
    done
}

# peers_netns NAME SUBNET: make the namespace mirage-NAME-PID with tap0
# at SUBNET.1/24 (SUBNET like 10.0.0).
peers_netns() {
    PEERS_NS=mirage-$1-$$
    ip netns add "$PEERS_NS" &&
        ip -n "$PEERS_NS" link set lo up &&
        ip -n "$PEERS_NS" tuntap add dev tap0 mode tap &&
        ip -n "$PEERS_NS" addr add "$2.1/24" dev tap0 &&
        ip -n "$PEERS_NS" link set tap0 up
}

in_ns() { ip netns exec "$PEERS_NS" "$@"; }

# peers_bg LOG CMD...: run CMD in the namespace in the background, output
# to LOG; its pid is remembered (and in PEERS_LAST).
peers_bg() {
    local log=$1
    shift
    ip netns exec "$PEERS_NS" "$@" >"$log" 2>&1 &
    PEERS_LAST=$!
    PEERS_PIDS+=("$PEERS_LAST")
}

# peers_kill PID: stop one process started by peers_bg.
peers_kill() {
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

peers_cleanup() {
    local p
    for p in "${PEERS_PIDS[@]}"; do
        peers_kill "$p"
    done
    PEERS_PIDS=()
    if [ -n "$PEERS_NS" ]; then
        ip netns del "$PEERS_NS" 2>/dev/null
        rm -rf "/etc/netns/$PEERS_NS"
    fi
    PEERS_NS=
}

# wait_log LOG REGEX [TENTHS [COUNT]]: wait until COUNT (default 1) lines
# of LOG match REGEX (default limit 10 s); non-zero when they do not.
wait_log() {
    local i n
    for ((i = 0; i < ${3:-100}; i++)); do
        n=$(grep -cE -- "$2" "$1" 2>/dev/null)
        [ "${n:-0}" -ge "${4:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

# peers_dnsmasq DIR SUBNET RANGE_FIRST RANGE_LAST [OPTION...]: dnsmasq on
# tap0 as DHCP server (leases of RANGE on SUBNET, no ping check) and DNS
# server authoritative for .test: www.test (A and AAAA), alias.test
# (CNAME), MX and SRV records, small.test and big.test (a TXT record of
# 4000 bytes: larger than one UDP answer), a PTR for www.test's address,
# and any name under bench.test. Logs to DIR/dnsmasq.log; waits until it
# has started.
peers_dnsmasq() {
    local dir=$1 net=$2 first=$3 last=$4
    shift 4
    local big
    big=$(printf 'x%.0s' $(seq 250))
    big=$(printf "$big,%.0s" $(seq 16))
    peers_bg "$dir/dnsmasq.out" dnsmasq --keep-in-foreground \
        --conf-file=/dev/null --interface=tap0 --bind-interfaces \
        --dhcp-range="$net.$first,$net.$last,2m" --no-ping \
        --dhcp-authoritative --no-resolv --no-hosts \
        --dhcp-leasefile="$dir/leases" --pid-file= \
        --log-dhcp --log-queries --log-facility="$dir/dnsmasq.log" \
        --local=/test/ --domain=test \
        --host-record=www.test,"$net.77",2001:db8::77 \
        --cname=alias.test,www.test --mx-host=test,mail.test,10 \
        --srv-host=_sip._udp.test,sip.test,5060,1,2 \
        --txt-record=small.test,hello --txt-record=big.test,"${big%,}" \
        --ptr-record="77.$(echo "$net" | awk -F. '{print $3"."$2"."$1}').in-addr.arpa,www.test" \
        --address=/bench.test/"$net.9" "$@"
    wait_log "$dir/dnsmasq.log" 'dnsmasq-dhcp.*IP range'
}

# peers_dnsmasq_up NAME DIR CASE CASES [OPTION...]: the namespace NAME
# (peers_netns, 10.0.0) with dnsmasq on it (peers_dnsmasq DIR, leases of
# .50 to .60, the OPTIONs); when they cannot start, fails CASE_setup and
# skips the CASES - 1 cases left as CASE_rest, cleans up and returns 1.
peers_dnsmasq_up() {
    local name=$1 dir=$2 c=$3 n=$4
    shift 4
    peers_netns "$name" 10.0.0 && peers_dnsmasq "$dir" 10.0.0 50 60 "$@" &&
        return 0
    fail "${c}_setup" "cannot start dnsmasq: $(cat "$dir/dnsmasq.out" 2>&1)"
    skip "${c}_rest" "no dnsmasq" $((n - 1))
    peers_cleanup
    return 1
}

# peers_udhcpd DIR SUBNET LEASE: busybox udhcpd on tap0 giving leases of
# LEASE seconds from SUBNET.50-60, logging to DIR/udhcpd.log.
peers_udhcpd() {
    local dir=$1 net=$2 lease=$3
    cat >"$dir/udhcpd.conf" <<EOF
start $net.50
end $net.60
interface tap0
max_leases 11
lease_file $dir/udhcpd.leases
min_lease 10
option subnet 255.255.255.0
option router $net.1
option dns $net.1
option lease $lease
EOF
    touch "$dir/udhcpd.leases"
    peers_bg "$dir/udhcpd.log" busybox udhcpd -f "$dir/udhcpd.conf"
    wait_log "$dir/udhcpd.log" 'started'
}

# peers_command TARGET IMAGE: the command that runs IMAGE, built for
# TARGET (unix, spt or hvt), on tap0, in PEERS_IMAGE (an array).
peers_command() {
    case $1 in
    unix) PEERS_IMAGE=("$2" --interface=tap0) ;;
    *) PEERS_IMAGE=("$ROOT/build/bin/mirage-$1" --net:service=tap0 "$2") ;;
    esac
}

# peers_image TARGET: the command that runs the test unikernel on TARGET
# (unix or spt) on tap0, in PEERS_IMAGE; false when missing.
peers_image() {
    local img=$ROOT/build/test-images/dhcp_peer
    [ "$1" = unix ] || img=$img.$1
    peers_command "$1" "$img"
    [ "$1" = unix ] || PEERS_IMAGE+=(--interface=service)
    [ -e "$img" ]
}
