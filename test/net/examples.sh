#!/usr/bin/env bash
# The network examples end to end, built by the configuration tool and
# run against the Linux kernel over a tap device in a network namespace
# made for each run: examples/ping (Linux pings it; its log shows the ARP
# and ICMP traffic) and examples/echo with the direct stack (UDP, and TCP
# checked byte for byte), on every target the machine can run. Also the
# network devices' configure-time errors and the Solo5 manifest. Needs
# root and /dev/net/tun for the runs.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/netns.bash"
plan $((10 + 4 * 5)) # the configure checks; ping and echo on each target

# Configure-time checks (no network needed).
scratch
mkdir -p "$T_TMP/bad" && cd "$T_TMP/bad" || exit 1
cat >config.c <<'C'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(stackv4v6_typ, job));
    impl *net = netif("bad name");
    impl *eth = etif(default_network());
    impl *ip = create_ipv4(eth, arp(eth), .config = {.network = "10.0.0.1"});
    impl *gw = create_ipv4(eth, arp(eth), .config = {"10.0.0.2/24", "10.0.0.300"});
    (void)net, (void)ip, (void)gw;
    return mirage_register(argc, argv, "bad",
        jobs(apply(m, static_ipv4v6_stack(default_network()))));
}
C
out=$("$MIRAGE" configure -t unix 2>&1)
expect net_config_errors_status 1 "$?"
expect_match net_config_bad_netif "config.c:5: error: netif: bad interface name 'bad name'" "$out"
expect_match net_config_bad_network "config.c:7: error: create_ipv4: bad network '10.0.0.1'" "$out"
expect_match net_config_bad_gateway "config.c:8: error: create_ipv4: bad gateway '10.0.0.300'" "$out"

use_example ping
out=$("$MIRAGE" configure -t spt 2>&1 && "$MIRAGE" query manifest 2>&1)
expect_match net_manifest_has_service '"name": "service", "type": "NET_BASIC"' "$out"
expect_match net_manifest_c 'SOLO5_MANIFEST\(1, SOLO5_MFT_NET\("service"\)\)' \
    "$(cat mirage/manifest.c)"
expect_match net_key_rejects_bogus "unknown value 'bogus' for key 'net'" \
    "$(use_example echo; "$MIRAGE" configure -t unix --net=bogus 2>&1)"
out=$(use_example echo && "$MIRAGE" configure -t unix 2>&1 &&
    grep -c mirage_stack_connect_socket mirage/main.c)
expect_match net_generic_auto_is_socket_on_unix '^1$' "$(printf '%s' "$out" | tail -n 1)"
out=$(use_example echo && "$MIRAGE" configure -t spt 2>&1 &&
    grep -c mirage_stack_connect_direct mirage/main.c)
expect_match net_generic_auto_is_direct_on_spt '^1$' "$(printf '%s' "$out" | tail -n 1)"
# The key the user gave is named, not the device it selects.
expect_match net_socket_stack_unix_only \
    "^config\.c:[0-9]+: error: --net=socket is unix-only: target 'spt' does not support the device it selects, socket_stackv4v6$" \
    "$(use_example echo; "$MIRAGE" configure -t spt --net=socket 2>&1)"

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest net_examples_runs "needs root and /dev/net/tun"
fi
trap 'stop; rm -rf "$T_TMP"' EXIT

for t in unix spt hvt virtio; do
    target_usable "$t" "net_examples_$t" 5 || continue
    use_example ping
    if ! out=$("$MIRAGE" configure -t "$t" 2>&1 && make 2>&1); then
        fail "net_ping_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        continue
    fi
    log=$T_TMP/ping-$t.log
    if start "$t" "$PWD/$(image ping "$t")" "$log"; then
        out=$(ip netns exec "$NS" ping -c 3 -i 0.2 -W 3 10.0.0.2 2>&1)
        expect_match "net_ping_${t}_answers" ' 0% packet loss' "$out"
        # The log is written after the last reply went out.
        wait_log "$log" 'echo replies sent: 3'
        expect_match "net_ping_${t}_logs_arp" 'ARP requests received: [0-9]+' \
            "$(cat "$log")"
        expect_match "net_ping_${t}_logs_icmp" 'echo replies sent: 3' \
            "$(cat "$log")"
    else
        fail "net_ping_${t}_starts" "$(tail -n 5 "$log")"
    fi
    stop

    use_example echo
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct 2>&1 && make 2>&1); then
        fail "net_echo_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        continue
    fi
    log=$T_TMP/echo-$t.log
    if start "$t" "$PWD/$(image echo "$t")" "$log" --port=7; then
        out=$(echo "udp echo" | ip netns exec "$NS" socat -t 3 - UDP:10.0.0.2:7)
        expect "net_echo_${t}_udp" "udp echo" "$out"
        # hvt handles about a thousand packets a second here.
        size=$([ "$t" = hvt ] && echo 65536 || echo 4194304)
        head -c "$size" /dev/urandom >"$T_TMP/data"
        ip netns exec "$NS" timeout 60 nc -N 10.0.0.2 7 <"$T_TMP/data" \
            >"$T_TMP/back"
        if cmp -s "$T_TMP/data" "$T_TMP/back"; then
            pass "net_echo_${t}_tcp_${size}_bytes"
        else
            fail "net_echo_${t}_tcp_${size}_bytes" \
                "got $(wc -c <"$T_TMP/back") bytes back"
        fi
    else
        fail "net_echo_${t}_starts" "$(tail -n 5 "$log")"
    fi
    stop
done
finish
