#!/usr/bin/env bash
# examples/dns end to end against dnsmasq, in a network namespace made
# for each target (unix, spt, hvt). Configured with --dhcp=true, the
# example asks the DNS server of its DHCP lease (dnsmasq sees the
# queries come from the leased address) and prints what host(1) would:
# addresses of both families, a CNAME, NXDOMAIN (status 1). With the
# default configuration (the socket stack on unix, the static direct
# stack elsewhere) it asks the server of --resolver; without one it says
# there is no server to ask. Needs root, /dev/net/tun and dnsmasq.
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/../dhcp/peers.bash"
PEERS_TEST=examples_dns
CASES=10 # per target
plan $((3 * CASES))
peers_need dnsmasq
scratch
trap 'peers_cleanup; rm -rf "$T_TMP"' EXIT

# has NAME LOG LINE: the output has exactly this line.
has() {
    if grep -qxF -- "$3" "$2"; then pass "$1"; else
        fail "$1" "no line [$3] in: $(grep -v '^20..-' "$2" | tr '\n' '|')"
    fi
}

# ran NAME STATUS LOG LINE [REGEX]: the last run exited with STATUS and
# printed LINE (and a line matching REGEX).
ran() {
    if [ "$STATUS" = "$2" ] && grep -qxF -- "$4" "$3" &&
        grep -q -- "${5:-.}" "$3"; then
        pass "$1"
    else
        fail "$1" "status $STATUS: $(tail -n 3 "$3")"
    fi
}

# build TARGET NAME ARGS...: configure (with ARGS) and build the example
# for TARGET (case NAME); IMG is the image.
build() {
    local t=$1 name=$2 out
    shift 2
    use_example dns
    if out=$("$MIRAGE" configure -t "$t" "$@" 2>&1 && make 2>&1); then
        pass "$name"
        IMG=$PWD/$(image dns "$t")
    else
        fail "$name" "$(printf '%s' "$out" | tail -n 15)"
        return 1
    fi
}

# run LOG COMMAND...: run COMMAND in the namespace until it exits (60 s
# at most); STATUS is its exit status.
run() {
    local log=$1
    shift
    in_ns timeout 60 "$@" >"$log" 2>&1
    STATUS=$?
}

check() {
    local t=$1 d=$T_TMP/run-$1 p=examples_dns_$1
    target_usable "$t" "$p" $CASES || return
    mkdir -p "$d"
    peers_dnsmasq_up "exn$t" "$d" "$p" $CASES || return
    if build "$t" "${p}_build_dhcp" --dhcp=true; then
        peers_command "$t" "$IMG"
        run "$d/dhcp.log" "${PEERS_IMAGE[@]}" \
            --domain-name=www.test,alias.test,nope.test
        has "${p}_dhcp_a" "$d/dhcp.log" "www.test has address 10.0.0.77"
        has "${p}_dhcp_aaaa" "$d/dhcp.log" \
            "www.test has IPv6 address 2001:db8::77"
        has "${p}_dhcp_cname" "$d/dhcp.log" \
            "alias.test is an alias for www.test"
        has "${p}_dhcp_nxdomain" "$d/dhcp.log" \
            "nope.test: not found (NXDOMAIN)"
        expect "${p}_dhcp_status" 1 "$STATUS"
        local addr
        addr=$(sed -nE 's/.*\[dhcp\] lease (10\.0\.0\.[0-9]+)\/24 from 10\.0\.0\.1: .*DNS 10\.0\.0\.1,.*/\1/p' "$d/dhcp.log")
        if [ -n "$addr" ] &&
            grep -q '\[dns\] servers: from the DHCP lease' "$d/dhcp.log" &&
            grep -q "query\[A\] alias.test from $addr\$" "$d/dnsmasq.log"; then
            pass "${p}_asks_the_lease_server"
        else
            fail "${p}_asks_the_lease_server" "$(grep -E 'dhcp|dns' "$d/dhcp.log" | tail -n 3)"
        fi
    else
        skip "${p}_dhcp_rest" "no image" 6
    fi
    # The default stack: the socket stack on unix (the namespace's
    # addresses, no interface), the static direct one elsewhere.
    if build "$t" "${p}_build_static"; then
        local cmd=("$IMG")
        if [ "$t" != unix ]; then
            peers_command "$t" "$IMG"
            cmd=("${PEERS_IMAGE[@]}" --ipv4=10.0.0.2/24)
        fi
        run "$d/static.log" "${cmd[@]}" --resolver=10.0.0.1 \
            --domain-name=alias.test
        ran "${p}_resolver_argument" 0 "$d/static.log" \
            "www.test has address 10.0.0.77"
        run "$d/none.log" "${cmd[@]}" --domain-name=www.test
        ran "${p}_no_server" 1 "$d/none.log" "www.test: unreachable" \
            'no DNS server to ask about www.test'
    else
        skip "${p}_static_rest" "no image" 2
    fi
    peers_cleanup
}

for t in unix spt hvt; do
    check "$t"
done
finish
