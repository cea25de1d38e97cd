#!/usr/bin/env bash
# A unikernel configured with generic_stackv4v6 and --dhcp=true is
# reachable before its start function runs, and logs its lease: the
# application below holds its start function behind a device connected
# after the stack (a gate that opens when a datagram reaches UDP port 9).
# With dnsmasq as the DHCP server, on unix, spt and hvt: the log names
# the address dnsmasq acknowledged and dnsmasq as the server; Linux pings
# that address while the start function has not run; a datagram opens
# the gate, the start function runs (after the lease in the log) and
# returns, and the lease is given back. Needs root, /dev/net/tun and
# dnsmasq.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/peers.bash"
PEERS_TEST=dhcp_reachable
CASES=5 # per target
plan $((3 * CASES))
peers_need dnsmasq ping socat
scratch
trap 'peers_cleanup; rm -rf "$T_TMP"' EXIT

app=$T_TMP/reach
mkdir -p "$app"
cat >"$app/config.c" <<'C'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *stack = generic_stackv4v6(default_network());
    impl *gate = mirage_main("gate_connect",
                             typ_fn(stackv4v6_typ, typ_new("gate", "struct gate *")));
    impl *m = mirage_main("reach_start",
                          typ_fn(typ_new("gate", "struct gate *"),
                                 typ_fn(stackv4v6_typ, job)));
    return mirage_register(argc, argv, "reach",
                           jobs(apply(m, apply(gate, stack), stack)));
}
C
cat >"$app/unikernel.c" <<'C'
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <mirage/udp.h>
#include <stdbool.h>

struct gate {
    bool open;
    struct mirage_waitq opened;
};
static struct gate gate;

static void on_datagram(void *arg, const struct mirage_udp_peer *peer,
                        const uint8_t *data, size_t len)
{
    struct gate *g = arg;
    (void)peer, (void)data, (void)len;
    g->open = true;
    mirage_waitq_wake_all(&g->opened);
}

/* Connected after the stack, before the start function: returns once a
 * datagram reaches UDP port 9. */
int gate_connect(struct gate **out, struct mirage_stack *s)
{
    mirage_waitq_init(&gate.opened);
    int err = mirage_udp_listen(s->udp, 9, on_datagram, NULL, &gate);
    if (err)
        return err;
    mirage_log_info("gate: waiting for a datagram on UDP port 9");
    while (!gate.open)
        mirage_waitq_wait(&gate.opened, MIRAGE_FOREVER);
    mirage_udp_unlisten(s->udp, 9);
    *out = &gate;
    return 0;
}

int reach_start(struct gate *g, struct mirage_stack *s)
{
    char a[MIRAGE_IPV4_STRLEN];
    mirage_log_info("start function runs, gate %s, address %s",
                    g->open ? "open" : "closed",
                    mirage_ipv4_to_string(mirage_ipv4_config(s->ipv4)->cidr.addr, a));
    return 0;
}
C

run() {
    local t=$1 d=$T_TMP/run-$1 p=dhcp_reachable_$1 out
    target_usable "$t" "$p" $CASES || return
    cd "$app" || return
    if ! out=$("$MIRAGE" configure -t "$t" --dhcp=true 2>&1 && make 2>&1); then
        fail "${p}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "${p}_rest" "no image" $((CASES - 1))
        return
    fi
    pass "${p}_build"
    mkdir -p "$d"
    peers_dnsmasq_up "drc$t" "$d" "$p" $((CASES - 1)) || return
    local log=$d/uni.log uni addr
    peers_command "$t" "$app/$(image reach "$t")"
    peers_bg "$log" "${PEERS_IMAGE[@]}"
    uni=$PEERS_LAST
    wait_log "$log" 'gate: waiting' 300
    addr=$(sed -nE 's/.*\[dhcp\] lease (10\.0\.0\.[0-9]+)\/24 from 10\.0\.0\.1: gateway 10\.0\.0\.1, DNS 10\.0\.0\.1, lease 120 s, domain test$/\1/p' "$log")
    if [ -n "$addr" ] && grep -q "DHCPACK(tap0) $addr " "$d/dnsmasq.log"; then
        pass "${p}_logs_the_lease"
    else
        fail "${p}_logs_the_lease" "$(grep -E 'dhcp|ipv4' "$log" | tail -n 3)"
    fi
    if [ -n "$addr" ] && in_ns ping -c 1 -W 5 "$addr" >/dev/null &&
        grep -q 'gate: waiting' "$log" && ! grep -q 'start function' "$log"; then
        pass "${p}_answers_ping_before_start"
    else
        fail "${p}_answers_ping_before_start" \
            "ping ${addr:-(no address)}: $(tail -n 3 "$log")"
    fi
    [ -n "$addr" ] && echo go | in_ns socat -u - "UDP:$addr:9"
    local leased started
    if wait_log "$log" "start function runs, gate open, address $addr\$" 100; then
        leased=$(grep -n '\[dhcp\] lease ' "$log" | head -n 1 | cut -d: -f1)
        started=$(grep -n 'start function runs' "$log" | cut -d: -f1)
    fi
    if [ -n "${leased:-}" ] && [ "$leased" -lt "$started" ]; then
        pass "${p}_start_runs_after_the_lease"
    else
        fail "${p}_start_runs_after_the_lease" "$(tail -n 3 "$log")"
    fi
    wait_until 100 eval '! kill -0 "$uni" 2>/dev/null'
    if ! kill -0 "$uni" 2>/dev/null && wait "$uni" &&
        wait_log "$d/dnsmasq.log" "DHCPRELEASE\(tap0\) $addr " 30; then
        pass "${p}_exits_and_releases"
    else
        fail "${p}_exits_and_releases" "$(tail -n 3 "$log")"
    fi
    peers_cleanup
}

for t in unix spt hvt; do
    run "$t"
done
finish
