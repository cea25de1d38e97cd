#!/usr/bin/env bash
# A network device through mirage-spt: in a network namespace made for the
# test, a guest on a tap answers ARP and echoes UDP datagrams sent by the
# host. Needs root (namespaces, taps) and socat; skipped otherwise.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
plan 9
if [ "$(id -u)" -ne 0 ] || ! command -v socat >/dev/null; then
    skip_rest spt_tap "needs root and socat"
fi
spt_require spt_tap_built "$IMG/net.spt"
scratch
ns="mirage-spt-$$"
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT
in_ns() { ip netns exec "$ns" "$@"; }
# guest_ready: wait (up to 10 s) until the guest has printed its MAC
# address: it holds the tap then (before, the tap has no carrier and the
# host drops what it sends) and reads it next.
guest_ready() {
    wait_until 100 grep -q '^mac ' "$T_TMP/out"
}
# Each guest's output goes to $T_TMP/out: it is emptied before a guest
# starts in the background (the job's own redirection may come after
# guest_ready has read the last guest's "mac" line).
# echo_once WORD: send WORD to the guest just started in the background
# (it answers one datagram); ECHOED is then its status and the echo.
echo_once() {
    local r
    pid=$!
    guest_ready
    r=$(echo "$1" | in_ns timeout 10 socat -t 5 - UDP:10.99.0.2:7)
    wait "$pid"
    ECHOED="$? $r"
    pid=
}
ip netns add "$ns" &&
    in_ns ip link set lo up &&
    in_ns ip tuntap add dev tap0 mode tap &&
    in_ns ip addr add 10.99.0.1/24 dev tap0 &&
    in_ns ip link set tap0 up ||
    { fail spt_tap_setup "cannot create the namespace and tap"; finish; }

: >"$T_TMP/out"
in_ns "$SPT" --net:service=tap0 --net-mac:service=02:00:00:00:00:2a \
    "$IMG/net.spt" 10.99.0.2 2 >"$T_TMP/out" 2>&1 &
pid=$!
guest_ready
r1=$(echo hello | in_ns timeout 10 socat -t 5 - UDP:10.99.0.2:7)
# (The neighbour entry goes when the tap loses its carrier at exit.)
arp=$(in_ns ip neigh show 10.99.0.2)
r2=$(echo again | in_ns timeout 10 socat -t 5 - UDP:10.99.0.2:7)
wait "$pid"
rc=$?
pid=
expect spt_tap_echo "hello again" "$r1 $r2"
expect spt_tap_status 0 $rc
expect spt_tap_guest_output "mac 02:00:00:00:00:2a mtu 1500
net ok" "$(cat "$T_TMP/out")"
expect_match spt_tap_arp '02:00:00:00:00:2a' "$arp"

# Without --net-mac: a random, locally administered unicast address; the
# MTU is the interface's.
in_ns ip link set tap0 mtu 1400
in_ns "$SPT" --net:service=tap0 "$IMG/net.spt" 10.99.0.2 0 >"$T_TMP/out" 2>&1
expect spt_tap_status_random_mac 0 $?
expect_match spt_tap_random_mac '^mac .[26ae]:..:..:..:..:.. mtu 1400$' \
    "$(head -n 1 "$T_TMP/out")"

# The tap by descriptor (--net:NAME=@FD), opened by the parent.
: >"$T_TMP/out"
in_ns python3 -c '
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tap0", IFF_TAP | IFF_NO_PI))
os.set_inheritable(fd, True)
os.execv(sys.argv[1], [sys.argv[1], "--net:service=@%d" % fd] + sys.argv[2:])
' "$SPT" "$IMG/net.spt" 10.99.0.2 1 >"$T_TMP/out" 2>&1 &
echo_once byfd
expect spt_tap_by_fd "0 byfd" "$ECHOED"

# The guest built without MirageC's extensions (no EXT1 note: a
# Solo5-ABI image) answers the same way.
: >"$T_TMP/out"
in_ns "$SPT" --net:service=tap0 "$IMG/net-plain.spt" 10.99.0.2 1 \
    >"$T_TMP/out" 2>&1 &
echo_once plain
expect spt_tap_plain_abi_image "0 plain no" "$ECHOED $(readelf -n \
    "$IMG/net-plain.spt" 2>/dev/null | grep -q MirageC && echo yes || echo no)"

out=$("$SPT" --net:service=@9 "$IMG/net.spt" 10.99.0.2 0 2>&1)
expect spt_tap_bad_fd "1 mirage-spt: tap @9: not an open descriptor above 2" \
    "$? $out"
finish
