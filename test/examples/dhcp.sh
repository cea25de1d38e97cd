#!/usr/bin/env bash
# examples/dhcp end to end against dnsmasq, in a network namespace made
# for each target (unix, spt, hvt): the example logs the lease it got
# (the address dnsmasq acknowledged, and dnsmasq as the server), Linux
# pings it, it renews the lease twice at the T1 dnsmasq gives (4 s),
# then gives it back (dnsmasq logs DHCPRELEASE) and exits 0. Needs root,
# /dev/net/tun and dnsmasq.
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/../dhcp/peers.bash"
PEERS_TEST=examples_dhcp
CASES=5 # per target
plan $((3 * CASES))
peers_need dnsmasq ping
scratch
trap 'peers_cleanup; rm -rf "$T_TMP"' EXIT

run() {
    local t=$1 d=$T_TMP/run-$1 out
    target_usable "$t" "examples_dhcp_$t" $CASES || return
    use_example dhcp
    if ! out=$("$MIRAGE" configure -t "$t" 2>&1 && make 2>&1); then
        fail "examples_dhcp_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "examples_dhcp_${t}_rest" "no image" $((CASES - 1))
        return
    fi
    pass "examples_dhcp_${t}_build"
    mkdir -p "$d"
    peers_dnsmasq_up "exd$t" "$d" "examples_dhcp_$t" $((CASES - 1)) \
        --dhcp-option=option:T1,4 --dhcp-option=option:T2,100 || return
    local log=$d/uni.log uni addr
    peers_command "$t" "$PWD/$(image dhcp "$t")"
    peers_bg "$log" "${PEERS_IMAGE[@]}" --renewals=2
    uni=$PEERS_LAST
    wait_log "$log" '\[application\] bound: ' 300
    addr=$(sed -nE 's/.*\[application\] bound: (10\.0\.0\.[0-9]+)\/24 \(gateway 10\.0\.0\.1\) from 10\.0\.0\.1, lease 120 s, renewing in [0-9]+ s$/\1/p' \
        "$log" | head -n 1)
    if [ -n "$addr" ] && grep -q "DHCPACK(tap0) $addr " "$d/dnsmasq.log" &&
        grep -q "\[dhcp\] lease $addr/24 from 10.0.0.1: gateway 10.0.0.1, DNS 10.0.0.1" "$log"; then
        pass "examples_dhcp_${t}_logs_the_lease"
    else
        fail "examples_dhcp_${t}_logs_the_lease" "$(tail -n 5 "$log")"
    fi
    if [ -n "$addr" ] && in_ns ping -c 1 -W 5 "$addr" >/dev/null; then
        pass "examples_dhcp_${t}_answers_ping"
    else
        fail "examples_dhcp_${t}_answers_ping" "ping ${addr:-(no address)} failed"
    fi
    # Two renewals (T1 is 4 s after each request), each acknowledged.
    if wait_log "$log" "\[dhcp\] lease $addr/24 renewed by 10.0.0.1: 120 s" 200 2 &&
        wait_log "$log" '\[application\] renewing: ' 10 2 &&
        [ "$(grep -c "DHCPACK(tap0) $addr " "$d/dnsmasq.log")" -ge 3 ]; then
        pass "examples_dhcp_${t}_renews"
    else
        fail "examples_dhcp_${t}_renews" "$(grep -E 'dhcp|application' "$log" | tail -n 4)"
    fi
    wait_until 200 eval '! kill -0 "$uni" 2>/dev/null'
    local status=timeout
    kill -0 "$uni" 2>/dev/null || {
        wait "$uni"
        status=$?
    }
    if [ "$status" = 0 ] &&
        grep -q '\[application\] renewed 2 times: giving the lease back' "$log" &&
        wait_log "$d/dnsmasq.log" "DHCPRELEASE\(tap0\) $addr " 30; then
        pass "examples_dhcp_${t}_releases_and_exits"
    else
        fail "examples_dhcp_${t}_releases_and_exits" \
            "status $status: $(tail -n 3 "$log")"
    fi
    peers_cleanup
}

for t in unix spt hvt; do
    run "$t"
done
finish
