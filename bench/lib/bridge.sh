# Sourced by the DHCP and DNS benchmarks (bench/dhcp.sh, bench/dns.sh):
# the network they run on, and its clean-up. bridge_up makes namespace NS
# with a bridge br0 at 10.0.0.1/24 joining tap0 (for the unikernel) and a
# veth to namespace NS-c (the Linux client's end, vc, with CLIENT_IP when
# given, else no address), after checking root, /dev/net/tun, dnsmasq and
# the test unikernel (IMG). Its processes are started with bridge_bg and
# killed by PID, and both namespaces and their /etc/netns entries deleted,
# by bridge_down (the caller's EXIT trap). Needs ROOT, NS, IMG and TMP.
BRIDGE_PIDS=()

# bridge_check NAME: 0 when the benchmark can run; else prints why and
# returns 1 (an error only when the test image is missing).
bridge_check() {
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
        echo "$1: needs root and /dev/net/tun: skipped"
        return 1
    fi
    local t
    for t in dnsmasq busybox; do
        command -v $t >/dev/null || {
            echo "$1: $t is missing (scripts/install-deps.sh): skipped"
            return 1
        }
    done
    [ -x "$IMG" ] || {
        echo "$1: $IMG is missing (make tests)"
        exit 1
    }
}

bridge_up() {
    ip netns add "$NS" && ip netns add "$NS-c" &&
        ip -n "$NS" link set lo up &&
        ip -n "$NS" link add br0 type bridge &&
        ip -n "$NS" addr add 10.0.0.1/24 dev br0 &&
        ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" link set tap0 master br0 &&
        ip -n "$NS" link add vs type veth peer name vc netns "$NS-c" &&
        ip -n "$NS" link set vs master br0 &&
        ip -n "$NS" link set br0 up && ip -n "$NS" link set tap0 up &&
        ip -n "$NS" link set vs up && ip -n "$NS-c" link set vc up &&
        ip -n "$NS-c" link set lo up &&
        { [ -z "${1:-}" ] || ip -n "$NS-c" addr add "$1/24" dev vc; }
}

# bridge_bg LOG CMD...: run CMD in the background (remembered), output to
# LOG.
bridge_bg() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    BRIDGE_PIDS+=($!)
}

# bridge_dnsmasq OPTION...: dnsmasq on br0 with the options, logging to
# TMP/dnsmasq.log; waits until it has started.
bridge_dnsmasq() {
    bridge_bg "$TMP/dnsmasq.out" ip netns exec "$NS" dnsmasq \
        --keep-in-foreground --conf-file=/dev/null --interface=br0 \
        --bind-interfaces --no-resolv --no-hosts --pid-file= \
        --log-facility="$TMP/dnsmasq.log" "$@"
    for _ in $(seq 50); do
        grep -q 'started' "$TMP/dnsmasq.log" 2>/dev/null && return
        sleep 0.1
    done
}

bridge_down() {
    local p
    for p in "${BRIDGE_PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    ip netns del "$NS" 2>/dev/null
    ip netns del "$NS-c" 2>/dev/null
    rm -rf "/etc/netns/$NS-c"
}

# bridge_ratio A B: A / B to two decimals, "-" when either is missing.
bridge_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }'
}
