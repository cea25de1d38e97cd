#!/usr/bin/env bash
# The IPv6 examples end to end against the Linux kernel, over a tap in a
# network namespace made for each run (Linux 2001:db8:77::1, the
# unikernel 2001:db8:77::2): examples/ping6 (Linux pings it; its log
# shows the neighbour and the echo traffic) and examples/echo with the
# direct stack and --ipv6 (UDP, and TCP checked byte for byte, over
# IPv6; IPv4 on the same port), on unix, spt and hvt; on unix, echo with
# --ipv6-only (IPv4 refused, IPv6 served) and with both --ipv4-only and
# --ipv6-only (refused at boot). Needs root and /dev/net/tun.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/netns.bash"
NETNS_NET=10.77.0
START_WAIT=200
plan $((3 * 8 + 3))
netns_require net_examples_ipv6 ping socat nc
trap 'stop; rm -rf "$T_TMP"' EXIT

# start6 TARGET IMAGE LOG ARGS...: start in a namespace whose tap0 also
# has 2001:db8:77::1/64.
start6() {
    netns && ip -n "$NS" addr add 2001:db8:77::1/64 dev tap0 nodad &&
        start "$@"
}

for t in unix spt hvt; do
    target_usable "$t" "net_examples_ipv6_$t" 8 || continue
    use_example ping6
    if ! out=$("$MIRAGE" configure -t "$t" 2>&1 && make 2>&1); then
        fail "net_ping6_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "net_ping6_${t}_rest" "not built" 3
    else
        pass "net_ping6_${t}_build"
        log=$T_TMP/ping6-$t.log
        if START_NO_IPV4=1 start6 "$t" "$PWD/$(image ping6 "$t")" "$log" \
            --ipv6=2001:db8:77::2/64; then
            # The address is usable once duplicate address detection passed.
            wait_log "$log" 'address 2001:db8:77::2$' 50
            out=$(in_ns ping -6 -c 3 -i 0.2 -W 3 2001:db8:77::2 2>&1)
            expect_match "net_ping6_${t}_answers" ' 0% packet loss' "$out"
            wait_log "$log" 'echo replies sent: 3'
            expect_match "net_ping6_${t}_logs_echo" 'echo replies sent: 3' \
                "$(cat "$log")"
            expect_match "net_ping6_${t}_logs_neighbour" \
                'neighbour 2001:db8:77::1 at [0-9a-f:]+ (REACHABLE|STALE|DELAY|PROBE)' \
                "$(cat "$log")"
        else
            fail "net_ping6_${t}_starts" "$(tail -n 5 "$log")"
            skip "net_ping6_${t}_rest" "did not start" 2
        fi
        stop
    fi

    use_example echo
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct 2>&1 &&
        make 2>&1); then
        fail "net_echo6_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "net_echo6_${t}_rest" "not built" 3
        continue
    fi
    pass "net_echo6_${t}_build"
    log=$T_TMP/echo6-$t.log
    if start6 "$t" "$PWD/$(image echo "$t")" "$log" --port=7 \
        --ipv6=2001:db8:77::2/64; then
        # Wait for duplicate address detection.
        for _ in $(seq 50); do
            in_ns ping -6 -c 1 -W 1 2001:db8:77::2 >/dev/null 2>&1 && break
            sleep 0.1
        done
        out=$(echo "udp6 echo" |
            in_ns socat -t 3 - UDP6:[2001:db8:77::2]:7)
        expect "net_echo6_${t}_udp" "udp6 echo" "$out"
        size=$([ "$t" = hvt ] && echo 65536 || echo 4194304)
        head -c "$size" /dev/urandom >"$T_TMP/data"
        in_ns timeout 60 nc -N 2001:db8:77::2 7 <"$T_TMP/data" >"$T_TMP/back"
        if cmp -s "$T_TMP/data" "$T_TMP/back"; then
            pass "net_echo6_${t}_tcp_${size}_bytes"
        else
            fail "net_echo6_${t}_tcp_${size}_bytes" \
                "got $(wc -c <"$T_TMP/back") bytes back"
        fi
        out=$(echo "and v4" | in_ns timeout 10 nc -N 10.77.0.2 7)
        expect "net_echo6_${t}_same_port_ipv4" "and v4" "$out"
    else
        fail "net_echo6_${t}_starts" "$(tail -n 5 "$log")"
        skip "net_echo6_${t}_rest" "did not start" 2
    fi
    stop
    [ "$t" = unix ] || continue
    # One family only: the stack's TCP leaves IPv4 to the IPv4 layer,
    # which refuses it (protocol unreachable: Linux's "Protocol not
    # available").
    log=$T_TMP/echo6only.log
    if start6 unix "$PWD/dist/echo" "$log" --port=7 \
        --ipv6=2001:db8:77::2/64 --ipv6-only; then
        for _ in $(seq 50); do
            in_ns ping -6 -c 1 -W 1 2001:db8:77::2 >/dev/null 2>&1 && break
            sleep 0.1
        done
        expect "net_echo6_ipv6_only_serves_ipv6" "six" \
            "$(echo six | in_ns timeout 10 nc -N 2001:db8:77::2 7)"
        expect_match "net_echo6_ipv6_only_refuses_ipv4" \
            'failed: (Protocol not available|Connection refused)' \
            "$(echo four | in_ns timeout 10 nc -v -N 10.77.0.2 7 2>&1)"
    else
        fail "net_echo6_ipv6_only_starts" "$(tail -n 5 "$log")"
        skip "net_echo6_ipv6_only_rest" "did not start"
    fi
    stop
    log=$T_TMP/echo-both-only.log
    START_WAIT=30 start6 unix "$PWD/dist/echo" "$log" --port=7 \
        --ipv4-only --ipv6-only
    expect_match "net_echo6_both_only_refused" \
        'no IP layer \(--ipv4-only and --ipv6-only together' "$(cat "$log")"
    stop
done
finish
