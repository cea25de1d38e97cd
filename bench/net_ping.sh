#!/usr/bin/env bash
# Ping over tap: round-trip time and the one-in-flight flood rate (ping -f
# sends the next request when the reply arrives) of the network test
# unikernel (build/test-images/net_peer*) on unix, spt and hvt, each
# beside Linux pinging Linux over a veth pair in the same run. On hvt
# also the VM exits per ping (MIRAGE_HVT_STATS), with NETV_WAIT (one
# exit per round); as "hvt-nowait", with MIRAGE_EXT_NETV_WAIT cleared from
# the image's EXT1 note (NETV and POLL, as under a tender without it); and
# as "hvt-plain", with the note renamed (Solo5's one frame per hypercall,
# test/tender/unext.py). "unix-busy" and "spt-busy" run with
# --busy-poll=PING_BUSY_USEC (default 20000, longer than the 10 ms between
# the RTT pings): the unikernel polls the tap without blocking that long
# before it sleeps. "tap-pong" and "tap-pong-spin" are the reference for
# every row on a tap: bench/tap_pong.c, the least a process can do to
# answer pings on a tap (one read and one write per ping, answered in
# place), blocking in read or spinning. On unix and spt also the process's system calls per
# ping, by name (with perf). Needs root and /dev/net/tun.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${PING_COUNT:-5000}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "net_ping: needs root and /dev/net/tun: skipped"
    exit 0
fi
NS=
PID=
TMP=$(mktemp -d /tmp/mirage-bench-ping.XXXXXX)
stop() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    PID=
    if [ -n "$NS" ]; then
        ip netns del "$NS" 2>/dev/null
        ip netns del "$NS-peer" 2>/dev/null
    fi
    NS=
}
trap 'stop; rm -rf "$TMP"' EXIT

# measure LABEL NS ADDR: average RTT of 100 pings 10 ms apart, then the
# flood rate from ping's own count and time.
measure() {
    local out rtt ms
    out=$(ip netns exec "$2" ping -q -c 100 -i 0.01 "$3" 2>&1)
    rtt=$(printf '%s\n' "$out" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
    out=$(ip netns exec "$2" timeout 300 ping -q -f -c "$COUNT" "$3" 2>&1)
    ms=$(printf '%s\n' "$out" | sed -n 's|.*, time \([0-9]*\)ms|\1|p')
    printf '%-6s rtt %s ms, flood %s pings/s (%s)\n' "$1" "$rtt" \
        "$(awk "BEGIN{printf \"%.0f\", $COUNT * 1000 / ($ms + 1)}")" \
        "$(printf '%s\n' "$out" | grep -o '[0-9.]*% packet loss')"
}

# Linux to Linux over a veth pair.
NS=mirage-bench-veth-$$
ip netns add "$NS" && ip netns add "$NS-peer" &&
    ip -n "$NS" link add v0 type veth peer name v1 netns "$NS-peer" &&
    ip -n "$NS" addr add 10.78.0.1/24 dev v0 &&
    ip -n "$NS-peer" addr add 10.78.0.2/24 dev v1 &&
    ip -n "$NS" link set v0 up && ip -n "$NS-peer" link set v1 up &&
    measure linux "$NS" 10.78.0.2
stop

for t in tap-pong tap-pong-spin unix unix-busy spt spt-busy hvt hvt-nowait \
    hvt-plain; do
    img=$ROOT/build/test-images/net_peer
    run=("$img" --interface=tap0)
    args=(--ipv4=10.78.0.2/24 --logs=quiet)
    case $t in *-busy) args+=(--busy-poll="${PING_BUSY_USEC:-20000}") ;; esac
    if [ "${t#tap-pong}" != "$t" ]; then
        img=$ROOT/build/bench/tap_pong
        run=("$img" tap0 10.78.0.2 02:00:00:00:00:02)
        args=()
        [ "$t" = tap-pong-spin ] && args=(spin)
    elif [ "${t#hvt-}" != "$t" ]; then
        clear=()
        [ "$t" = hvt-nowait ] && clear=(--clear 16)
        python3 "$ROOT/test/tender/unext.py" "${clear[@]}" "$img.hvt" \
            "$TMP/net_peer.hvt" || continue
        img=$TMP/net_peer.hvt
    elif [ "${t%-busy}" != unix ]; then
        img=$img.${t%-busy}
    fi
    if [ "${t%-busy}" != unix ] && [ "${t#tap-pong}" = "$t" ]; then
        run=("$ROOT/build/bin/mirage-${t%-*}" --net:service=tap0 "$img"
            --interface=service)
    fi
    [ -e "$img" ] || { echo "$t: $img missing: skipped"; continue; }
    [ "${t%-*}" = hvt ] && [ ! -c /dev/kvm ] && continue
    NS=mirage-bench-$t-$$
    ip netns add "$NS" && ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" addr add 10.78.0.1/24 dev tap0 &&
        ip -n "$NS" link set tap0 up || { stop; continue; }
    MIRAGE_HVT_STATS=1 ip netns exec "$NS" "${run[@]}" "${args[@]}" \
        >"$TMP/$t.log" 2>&1 &
    PID=$!
    sleep 1
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "$t: did not start: $(tail -n 1 "$TMP/$t.log")"
        stop
        continue
    fi
    # unix and spt: the process's system calls during the pings, by name.
    SC=
    if [ "${t%%-*}" != hvt ] && command -v perf >/dev/null; then
        perf stat -x, -o "$TMP/$t.sc" -p "$PID" -e "$(printf \
            'syscalls:sys_enter_%s,' read write ppoll epoll_pwait |
            sed 's/,$//')" 2>/dev/null &
        SC=$!
    fi
    measure "$t" "$NS" 10.78.0.2
    if [ -n "$SC" ]; then
        kill -INT "$SC"
        wait "$SC"
        printf '%-6s system calls per ping: %s\n' "$t" "$(awk -F, -v n=$((COUNT + 100)) '
            $3 ~ /sys_enter_/ && $1 > 0 { sub(/.*sys_enter_/, "", $3)
                printf "%s %.2f  ", $3, $1 / n }' "$TMP/$t.sc")"
    fi
    stop
    exits=$(sed -n 's/.*stats: vm_exits \([0-9]*\) .*/\1/p' "$TMP/$t.log")
    [ -n "$exits" ] && printf '%-6s %s VM exits for %s pings: %s per ping\n' \
        "$t" "$exits" $((COUNT + 100)) \
        "$(awk "BEGIN{printf \"%.2f\", $exits / ($COUNT + 100)}")"
done
