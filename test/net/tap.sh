#!/usr/bin/env bash
# The network stack against the Linux kernel's: the test unikernel
# (build/test-images/net_peer*) on unix, spt and hvt, each on a tap device
# in a network namespace made for it. Checks ARP both ways, ping both
# ways, UDP echo (small, and fragmented both ways), UDP from the unikernel
# to Linux, and a port unreachable for a closed port. Skipped when not
# root or without /dev/net/tun; hvt also without /dev/kvm.
. "$(dirname "$0")/../lib.sh"
plan $((3 * 10)) # check on each target
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest net_tap "needs root and /dev/net/tun"
fi
for tool in ip ping socat python3; do
    if ! command -v $tool >/dev/null; then
        skip_rest net_tap "$tool is not installed (scripts/install-deps.sh)"
    fi
done
scratch
NS=
PID=
cleanup() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    PID=
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    NS=
}
trap 'cleanup; rm -rf "$T_TMP"' EXIT
in_ns() { ip netns exec "$NS" "$@"; }

# check TARGET: start the unikernel for TARGET and run the checks.
check() {
    local t=$1 img run
    case $t in
    unix)
        img=$ROOT/build/test-images/net_peer
        run=("$img" --interface=tap0)
        ;;
    *)
        img=$ROOT/build/test-images/net_peer.$t
        run=("$ROOT/build/bin/mirage-$t" --net:service=tap0 "$img"
            --interface=service)
        ;;
    esac
    if [ ! -e "$img" ]; then
        fail "net_${t}_built" "$img is missing (make tests)"
        return
    fi
    NS=mirage-net-$t-$$
    ip netns add "$NS" &&
        ip -n "$NS" link set lo up &&
        ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" addr add 10.77.0.1/24 dev tap0 &&
        ip -n "$NS" link set tap0 up || {
        fail "net_${t}_setup" "cannot create the namespace and tap"
        cleanup
        return
    }
    local log=$T_TMP/$t.log
    ip netns exec "$NS" "${run[@]}" --ipv4=10.77.0.2/24 --peer=10.77.0.1 \
        -l 'icmp:debug' >"$log" 2>&1 &
    PID=$!
    for _ in $(seq 100); do
        grep -q ready "$log" && break
        sleep 0.1
    done
    expect_match "net_${t}_started" 'ready' "$(cat "$log")"

    # Linux pings us (resolving our MAC first).
    local out
    out=$(in_ns ping -c 3 -i 0.2 -W 2 10.77.0.2 2>&1)
    expect_match "net_${t}_linux_pings_mirage" ' 0% packet loss' "$out"
    expect_match "net_${t}_linux_resolved_us" 'lladdr [0-9a-f:]+ ' \
        "$(ip -n "$NS" neigh show 10.77.0.2)"
    expect_match "net_${t}_ping_logged" 'echo request from 10.77.0.1' \
        "$(cat "$log")"
    # A large ping is fragmented both ways (reassembled on each side).
    out=$(in_ns ping -c 2 -i 0.2 -W 2 -s 3000 10.77.0.2 2>&1)
    expect_match "net_${t}_ping_fragmented" ' 0% packet loss' "$out"

    # We ping Linux (resolving its MAC first).
    for _ in $(seq 50); do
        grep -q 'echo reply from' "$log" && break
        sleep 0.1
    done
    expect_match "net_${t}_mirage_pings_linux" 'echo reply from 10.77.0.1' \
        "$(cat "$log")"

    # UDP echo, small and fragmented (4000 bytes over MTU 1500).
    out=$(echo "udp echo" | in_ns socat -t 2 - UDP:10.77.0.2:7)
    expect "net_${t}_udp_echo" "udp echo" "$out"
    head -c 4000 /dev/urandom >"$T_TMP/big"
    in_ns socat -t 2 - UDP:10.77.0.2:7 <"$T_TMP/big" >"$T_TMP/big.back"
    if cmp -s "$T_TMP/big" "$T_TMP/big.back"; then
        pass "net_${t}_udp_echo_fragmented"
    else
        fail "net_${t}_udp_echo_fragmented" \
            "got $(wc -c <"$T_TMP/big.back") bytes back"
    fi

    # The unikernel sends to Linux.
    out=$(timeout 5 ip netns exec "$NS" socat -u UDP-RECV:5555 - \
        2>/dev/null | head -n 1)
    expect_match "net_${t}_udp_mirage_to_linux" '^hello [0-9]+ from mirage$' \
        "$out"

    # A closed port answers with ICMP port unreachable.
    out=$(in_ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("10.77.0.2", 9))
s.send(b"x")
s.settimeout(3)
try:
    s.recv(10)
    print("answered")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
')
    expect "net_${t}_udp_closed_port_refused" refused "$out"
    cleanup
}

check unix
check spt
if [ -c /dev/kvm ]; then
    check hvt
else
    skip net_hvt "no /dev/kvm" 10
fi
finish
