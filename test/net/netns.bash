# Helpers for the network tests against the Linux kernel (sourced, not
# run by test/run): boot one unikernel at a time in a network namespace
# made for it, whose tap0 is NETNS_NET.1/24 and the unikernel
# NETNS_NET.2 (NETNS_NET: 10.0.0 unless the caller sets another). The
# caller runs `stop` from its EXIT trap so no process or namespace
# outlives the test.
NS=
PID=
NETNS_NET=${NETNS_NET:-10.0.0}
# What the unikernel's log says once it serves, and how long start waits
# for it (tenths of a second).
START_READY=${START_READY:-'answering|echoing|listening'}
START_WAIT=${START_WAIT:-100}
# Options for the spt or hvt tender (such as --mem=64).
TENDER_OPTS=()

# stop: kill the running unikernel (by PID) and delete its namespace.
stop() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    PID=
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    NS=
}

# wait_log LOG REGEX [TENTHS [COUNT]]: wait until COUNT (default 1)
# lines of LOG match REGEX (default limit 10 s); non-zero when they do
# not in time.
wait_log() {
    local i n
    for ((i = 0; i < ${3:-100}; i++)); do
        n=$(grep -cE -- "$2" "$1" 2>/dev/null)
        [ "${n:-0}" -ge "${4:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

in_ns() { ip netns exec "$NS" "$@"; }

# netns_require NAME TOOL...: skip the rest of the test (NAME) unless it
# runs as root with /dev/net/tun and every TOOL.
netns_require() {
    local name=$1 tool
    shift
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
        skip_rest "$name" "needs root and /dev/net/tun"
    fi
    for tool in ip "$@"; do
        command -v "$tool" >/dev/null ||
            skip_rest "$name" "$tool is not installed (scripts/install-deps.sh)"
    done
}

# netns: a new namespace NS with tap0 at NETNS_NET.1/24 (Linux allowed
# to reuse TIME_WAIT ports and to take them from 1024 on); non-zero when
# it cannot be made.
netns() {
    NS=mirage-net-$$-$((++NETNS_COUNT))
    ip netns add "$NS" && ip -n "$NS" link set lo up &&
        ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" addr add "$NETNS_NET.1/24" dev tap0 &&
        ip -n "$NS" link set tap0 up &&
        in_ns sysctl -qw net.ipv4.tcp_tw_reuse=1 &&
        in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
}
NETNS_COUNT=0

# start TARGET IMAGE LOG ARGS...: boot IMAGE (ARGS appended; LOG must be
# a new file: an old one could show a readiness line) in a new namespace
# (or in NS, when the caller made it with netns); succeed once its log
# matches START_READY (within START_WAIT), fail as soon as it ends.
start() {
    local t=$1 img=$2 log=$3 i
    shift 3
    [ -n "$NS" ] || netns || return 1
    # (ip netns exec becomes the unikernel: $! is its process.)
    # (START_NO_IPV4 set: no --ipv4, for an image without IPv4.)
    local v4=(--ipv4="$NETNS_NET.2/24")
    [ -n "${START_NO_IPV4:-}" ] && v4=()
    if [ "$t" = unix ]; then
        ip netns exec "$NS" "$img" --interface=tap0 "${v4[@]}" "$@" \
            >"$log" 2>&1 &
    else
        ip netns exec "$NS" "$ROOT/build/bin/mirage-$t" "${TENDER_OPTS[@]}" \
            --net:service=tap0 "$img" "${v4[@]}" "$@" >"$log" 2>&1 &
    fi
    PID=$!
    for ((i = 0; i < START_WAIT; i++)); do
        grep -qsE -- "$START_READY" "$log" && return 0
        kill -0 "$PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# run_to_end TARGET IMAGE LOG ARGS...: boot IMAGE (ARGS appended) in NS,
# which the caller made with netns, and wait for it to end (at most 60 s;
# 300 s on hvt, whose guest instructions this machine emulates).
run_to_end() {
    local t=$1 img=$2 log=$3
    shift 3
    if [ "$t" = unix ]; then
        ip netns exec "$NS" timeout 60 "$img" --interface=tap0 \
            --ipv4="$NETNS_NET.2/24" "$@" >"$log" 2>&1
    else
        ip netns exec "$NS" timeout 300 "$ROOT/build/bin/mirage-$t" \
            "${TENDER_OPTS[@]}" --net:service=tap0 "$img" \
            --ipv4="$NETNS_NET.2/24" "$@" >"$log" 2>&1
    fi
}
