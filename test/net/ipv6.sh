#!/usr/bin/env bash
# IPv6 against the Linux kernel's: the test unikernel of test/net/tap.sh
# (build/test-images/net_peer*, --ipv6) on unix, spt and hvt, each on a
# tap device in a network namespace made for it (Linux 2001:db8:77::1,
# the unikernel 2001:db8:77::2). Checks neighbour discovery both ways,
# ping6 both ways (small and fragmented, global and link-local), UDP echo
# (small and fragmented), UDP from the unikernel to Linux, a port
# unreachable for a closed port; then SLAAC: the unikernel without an
# address takes one from radvd's router advertisements and answers on
# it. Skipped when not root, without /dev/net/tun or the tools; a target
# that cannot run here is skipped.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/netns.bash"
NETNS_NET=10.77.0
START_READY=ready
START_WAIT=200
CASES=14
plan $((3 * CASES))
netns_require net_ipv6 ping socat python3 radvd
scratch
RPID=
cleanup() {
    [ -n "$RPID" ] && kill "$RPID" 2>/dev/null && wait "$RPID" 2>/dev/null
    RPID=
    stop
}
trap 'cleanup; rm -rf "$T_TMP"' EXIT

# image TARGET: set P and PEER_ARGS for the target's net_peer image.
peer_image() {
    PEER_ARGS=()
    if [ "$1" = unix ]; then
        P="$ROOT/build/test-images/net_peer"
    else
        P="$ROOT/build/test-images/net_peer.$1"
        PEER_ARGS=(--interface=service)
    fi
    [ -x "$P" ]
}

# netns6: the namespace, its tap0 with 2001:db8:77::1/64 too.
netns6() {
    netns && ip -n "$NS" addr add 2001:db8:77::1/64 dev tap0 nodad
}

# A UDP datagram of size bytes to [addr]:port from Linux; prints what
# comes back, "refused" for a port unreachable, "timeout" for nothing.
cat >"$T_TMP/udp.py" <<'PY'
import socket, sys
addr, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(3)
s.connect((addr, port))
data = bytes((i * 7) & 0xff for i in range(size))
try:
    s.send(data)
    got = s.recv(65536)
    print("echoed" if got == data else "differ %d" % len(got))
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
PY

check() {
    local t=$1 log out ll
    if ! peer_image "$t"; then
        skip "net_ipv6_$t" "$P is missing (make tests)" "$CASES"
        return
    fi
    netns6 || {
        fail "net_ipv6_${t}_setup" "cannot create the namespace"
        return
    }
    ip netns exec "$NS" socat -u UDP6-RECV:5555 \
        "OPEN:$T_TMP/got-$t,creat,append" &
    local spid=$!
    log=$T_TMP/$t.log
    if ! start "$t" "$P" "$log" "${PEER_ARGS[@]}" --ipv4=10.77.0.2/24 \
        --ipv6=2001:db8:77::2/64 --peer6=2001:db8:77::1 \
        -l 'icmpv6:debug'; then
        fail "net_ipv6_${t}_started" "$(tail -n 5 "$log")"
        kill "$spid" 2>/dev/null
        stop
        skip "net_ipv6_${t}_rest" "did not start" $((CASES - 1))
        return
    fi
    pass "net_ipv6_${t}_started"
    # Linux pings us (resolving our MAC by neighbour discovery first).
    out=$(in_ns ping -6 -c 3 -i 0.2 -W 2 2001:db8:77::2 2>&1)
    expect_match "net_ipv6_${t}_linux_pings_mirage" ' 0% packet loss' "$out"
    expect_match "net_ipv6_${t}_linux_resolved_us" 'lladdr [0-9a-f:]+ ' \
        "$(ip -n "$NS" -6 neigh show 2001:db8:77::2)"
    expect_match "net_ipv6_${t}_ping_logged" 'echo request from 2001:db8:77::1' \
        "$(cat "$log")"
    # We ping Linux (resolving its MAC first).
    wait_log "$log" 'echo reply from 2001:db8:77::1' 50
    expect_match "net_ipv6_${t}_mirage_pings_linux" \
        'echo reply from 2001:db8:77::1' "$(cat "$log")"
    # Large pings are fragmented both ways (reassembled on each side).
    out=$(in_ns ping -6 -c 2 -i 0.2 -W 2 -s 3000 2001:db8:77::2 2>&1)
    expect_match "net_ipv6_${t}_fragmented_ping" ' 0% packet loss' "$out"
    # The link-local address answers too.
    ll=$(grep -oE 'ipv6 address fe80::[0-9a-f:]+' "$log" | head -n 1)
    ll=${ll#ipv6 address }
    out=$(in_ns ping -6 -c 2 -i 0.2 -W 2 "$ll%tap0" 2>&1)
    expect_match "net_ipv6_${t}_link_local_ping" ' 0% packet loss' "$out"
    # UDP echo over IPv6, small and fragmented; a closed port refuses.
    expect "net_ipv6_${t}_udp_echo" echoed \
        "$(in_ns python3 "$T_TMP/udp.py" 2001:db8:77::2 7 100)"
    expect "net_ipv6_${t}_udp_fragmented_echo" echoed \
        "$(in_ns python3 "$T_TMP/udp.py" 2001:db8:77::2 7 4000)"
    expect "net_ipv6_${t}_udp_port_unreachable" refused \
        "$(in_ns python3 "$T_TMP/udp.py" 2001:db8:77::2 9999 10)"
    # The unikernel's datagrams to Linux arrived.
    expect_match "net_ipv6_${t}_udp_to_linux" 'hello [0-9]+ from mirage' \
        "$(cat "$T_TMP/got-$t" 2>/dev/null)"
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
    stop

    # SLAAC: radvd advertises 2001:db8:78::/64; the unikernel has no
    # static IPv6 address and takes one from the advertisement.
    netns6 || {
        fail "net_ipv6_${t}_slaac_setup" "cannot create the namespace"
        return
    }
    # The router's own address in the prefix it advertises.
    ip -n "$NS" addr add 2001:db8:78::1/64 dev tap0 nodad
    in_ns sysctl -qw net.ipv6.conf.all.forwarding=1
    cat >"$T_TMP/radvd.conf" <<EOF
interface tap0 {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    prefix 2001:db8:78::/64 { AdvOnLink on; AdvAutonomous on; };
};
EOF
    # (ip netns exec becomes radvd: $RPID is its process.)
    ip netns exec "$NS" radvd -n -C "$T_TMP/radvd.conf" \
        -p "$T_TMP/radvd-$t.pid" -m stderr >"$T_TMP/radvd-$t.log" 2>&1 &
    RPID=$!
    log=$T_TMP/$t-slaac.log
    if start "$t" "$P" "$log" "${PEER_ARGS[@]}" --ipv4=10.77.0.2/24 \
        --ipv6=auto; then
        local a
        a=$(grep -oE 'autoconfigured address 2001:db8:78:[0-9a-f:]+' "$log" |
            head -n 1)
        a=${a#autoconfigured address }
        expect_match "net_ipv6_${t}_slaac_address" '^2001:db8:78:' "$a"
        out=$(in_ns ping -6 -c 2 -i 0.2 -W 2 "${a:-2001:db8:78::}" 2>&1)
        expect_match "net_ipv6_${t}_slaac_ping" ' 0% packet loss' "$out"
        expect_match "net_ipv6_${t}_default_router" 'default router fe80::' \
            "$(cat "$log")"
    else
        fail "net_ipv6_${t}_slaac_started" "$(tail -n 5 "$log")"
        skip "net_ipv6_${t}_slaac_rest" "did not start" 2
    fi
    kill "$RPID" 2>/dev/null
    wait "$RPID" 2>/dev/null
    RPID=
    stop
}

for t in unix spt hvt; do
    target_usable "$t" "net_ipv6_$t" "$CASES" || continue
    check "$t"
done
finish
