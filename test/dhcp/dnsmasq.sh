#!/usr/bin/env bash
# DHCP and DNS against dnsmasq, on unix and spt: the test unikernel
# (build/test-images/dhcp_peer) gets a lease (its log names the address
# and the server; Linux can ping it), resolves through the lease's DNS
# server (A and AAAA together, CNAME, MX, SRV, TXT, a 4000-byte TXT that
# needs TCP, PTR, NXDOMAIN) and, when its main ends, releases the lease
# by itself (dnsmasq logs DHCPRELEASE). Then an offered address that Linux already answers
# ARP for is declined (dnsmasq logs DHCPDECLINE). Last, resolver_unix_system
# (build/test-images/dns_system) asks dnsmasq through the host's sockets,
# as the namespace's /etc/resolv.conf says. Skipped when not root,
# without /dev/net/tun or without dnsmasq.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/peers.bash"
PEERS_TEST=dhcp_dnsmasq
CHECKS=13 # the cases of one check
plan $((2 * CHECKS + 1 + 4))
peers_need dnsmasq ping
scratch
trap 'peers_cleanup; rm -rf "$T_TMP"' EXIT

expect_line() { # NAME LOG LINE: the log has exactly this line
    if grep -qxF -- "$3" "$2"; then pass "$1"; else
        fail "$1" "no line [$3] in: $(grep '^answer' "$2" | tr '\n' '|')"
    fi
}

check() {
    local t=$1 d=$T_TMP/$1
    mkdir -p "$d"
    if ! peers_image "$t"; then
        fail "dnsmasq_${t}_built" "the $t test image is missing (make tests)"
        skip "dnsmasq_${t}_rest" "no image" $((CHECKS - 1))
        return
    fi
    if ! peers_netns "dd$t" 10.0.0 || ! peers_dnsmasq "$d" 10.0.0 50 60; then
        fail "dnsmasq_${t}_setup" "cannot start dnsmasq: $(cat "$d/dnsmasq.out")"
        skip "dnsmasq_${t}_rest" "no dnsmasq" $((CHECKS - 1))
        peers_cleanup
        return
    fi
    local names=www.test,alias.test/A,test/MX,_sip._udp.test/SRV
    names=$names,small.test/TXT,big.test/TXT,10.0.0.77/ADDR,nope.test/A
    names=$names,www.test/AAAA
    peers_bg "$d/uni.log" "${PEERS_IMAGE[@]}" --lookup=$names --run-for=4
    local uni=$PEERS_LAST
    if ! wait_log "$d/uni.log" 'ready' 100; then
        fail "dnsmasq_${t}_lease" "no lease: $(tail -5 "$d/uni.log")"
        skip "dnsmasq_${t}_rest" "no lease" $((CHECKS - 1))
        peers_cleanup
        return
    fi
    local addr
    addr=$(sed -nE 's/.*\[dhcp\] lease (10\.0\.0\.[0-9]+)\/24 from 10\.0\.0\.1: gateway 10\.0\.0\.1, DNS 10\.0\.0\.1, lease 120 s, domain test$/\1/p' "$d/uni.log")
    if [ -n "$addr" ] && grep -q "DHCPACK(tap0) $addr" "$d/dnsmasq.log"; then
        pass "dnsmasq_${t}_lease"
    else
        fail "dnsmasq_${t}_lease" "$(grep -m1 'lease' "$d/uni.log")"
    fi
    if [ -n "$addr" ] && in_ns ping -c 1 -W 2 "$addr" >/dev/null; then
        pass "dnsmasq_${t}_reachable"
    else
        fail "dnsmasq_${t}_reachable" "ping $addr failed"
    fi
    wait_log "$d/uni.log" '^answer www.test AAAA' 100
    expect_line "dns_${t}_both_families" "$d/uni.log" \
        "answer www.test ADDRS: 10.0.0.77 2001:db8::77"
    expect_line "dns_${t}_cname" "$d/uni.log" \
        "answer alias.test A: (www.test) 10.0.0.77"
    expect_line "dns_${t}_mx" "$d/uni.log" "answer test MX: 10 mail.test"
    expect_line "dns_${t}_srv" "$d/uni.log" \
        "answer _sip._udp.test SRV: 1 2 5060 sip.test"
    expect_line "dns_${t}_txt" "$d/uni.log" \
        "answer small.test TXT: 5 bytes hello"
    expect_line "dns_${t}_txt_over_tcp" "$d/uni.log" \
        "answer big.test TXT: 4000 bytes xxxxxxxxxxxxxxxx"
    expect_line "dns_${t}_ptr" "$d/uni.log" "answer 10.0.0.77 ADDR: www.test"
    expect_line "dns_${t}_nxdomain" "$d/uni.log" \
        "answer nope.test A: error not found"
    expect_line "dns_${t}_aaaa" "$d/uni.log" \
        "answer www.test AAAA: 2001:db8::77"
    # dnsmasq answers TCP in a child process: the big TXT came that way.
    if [ "$(grep -c 'query\[TXT\] big.test' "$d/dnsmasq.log")" -ge 2 ]; then
        pass "dns_${t}_tcp_fallback"
    else
        fail "dns_${t}_tcp_fallback" "big.test was asked only once"
    fi
    wait "$uni"
    if wait_log "$d/dnsmasq.log" "DHCPRELEASE\(tap0\) $addr" 30 &&
        grep -q "\[dhcp\] released $addr to 10.0.0.1" "$d/uni.log"; then
        pass "dnsmasq_${t}_release"
    else
        fail "dnsmasq_${t}_release" "no DHCPRELEASE of $addr"
    fi
    peers_cleanup
}

# An offered address Linux answers ARP for: declined.
decline() {
    local d=$T_TMP/decline
    mkdir -p "$d"
    if ! peers_image unix; then
        fail dhcp_decline "the unix test image is missing (make tests)"
        return
    fi
    peers_netns dddecl 10.0.0 && ip -n "$PEERS_NS" addr add 10.0.0.99/24 \
        dev tap0 || {
        fail dhcp_decline_setup "cannot create the namespace"
        return
    }
    peers_dnsmasq "$d" 10.0.0 99 99 || {
        fail dhcp_decline_setup "dnsmasq did not start"
        peers_cleanup
        return
    }
    peers_bg "$d/uni.log" "${PEERS_IMAGE[@]}"
    if wait_log "$d/uni.log" '10.0.0.99 is in use by .*: declining it to 10.0.0.1' 100 &&
        wait_log "$d/dnsmasq.log" 'DHCPDECLINE\(tap0\) 10.0.0.99' 30 &&
        ! grep -q 'address 10.0.0.99' "$d/uni.log"; then
        pass dhcp_decline
    else
        fail dhcp_decline "$(grep -E 'dhcp|ipv4' "$d/uni.log" | tail -3)"
    fi
    peers_cleanup
}

# resolver_unix_system: the servers of the host's resolv.conf.
unix_system() {
    local d=$T_TMP/system img=$ROOT/build/test-images/dns_system
    mkdir -p "$d"
    if [ ! -x "$img" ]; then
        fail dns_unix_system_built "$img is missing (make tests)"
        skip dns_unix_system_rest "no image" 3
        return
    fi
    if ! peers_netns ddsys 10.0.0 || ! peers_dnsmasq "$d" 10.0.0 50 60; then
        fail dns_unix_system_setup "cannot start dnsmasq"
        skip dns_unix_system_rest "no dnsmasq" 3
        peers_cleanup
        return
    fi
    mkdir -p "/etc/netns/$PEERS_NS"
    printf '# test\nsearch test\nnameserver 10.0.0.1\noptions timeout:2\n' \
        >"/etc/netns/$PEERS_NS/resolv.conf"
    in_ns timeout 20 "$img" --lookup=www.test/A,big.test/TXT,nope.test/A \
        >"$d/uni.log" 2>&1
    expect_line dns_unix_system_a "$d/uni.log" "answer www.test A: 10.0.0.77"
    expect_line dns_unix_system_txt_over_tcp "$d/uni.log" \
        "answer big.test TXT: 4000 bytes xxxxxxxxxxxxxxxx"
    expect_line dns_unix_system_nxdomain "$d/uni.log" \
        "answer nope.test A: error not found"
    # Without a resolv.conf: no server, said once per lookup.
    printf '# empty\n' >"/etc/netns/$PEERS_NS/resolv.conf"
    in_ns timeout 20 "$img" --lookup=www.test/A >"$d/none.log" 2>&1
    if grep -q 'answer www.test A: error' "$d/none.log" &&
        grep -q 'no DNS server to ask about www.test' "$d/none.log"; then
        pass dns_unix_system_no_server
    else
        fail dns_unix_system_no_server "$(cat "$d/none.log")"
    fi
    peers_cleanup
}

check unix
if [ -x "$ROOT/build/bin/mirage-spt" ]; then
    check spt
else
    skip dnsmasq_spt "build/bin/mirage-spt is missing" $CHECKS
fi
decline
unix_system
finish
