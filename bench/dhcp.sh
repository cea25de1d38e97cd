#!/usr/bin/env bash
# DHCP: time from boot to a usable lease against dnsmasq, of the test
# unikernel (build/test-images/dhcp_peer --exit-when-bound) on unix and
# spt, beside Linux's busybox udhcpc in the same run (exiting once its
# script has put the address on the interface). dnsmasq serves a bridge
# joining the unikernel's tap and a veth to udhcpc's namespace, without
# its ping check. The unikernel runs with the ARP probe of the offered
# address off and at its default (1 s), udhcpc without and with its ARP
# check (-a1000). Each figure is the median of DHCP_BENCH_RUNS (default
# 10) runs, process start to exit, after a warm-up run. Prints a Markdown table with the
# ratios against udhcpc. Needs root and /dev/net/tun; every process
# started is killed by PID and the namespaces deleted on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${DHCP_BENCH_RUNS:-10}
IMG=$ROOT/build/test-images/dhcp_peer
NS=mirage-bdhcp-$$
. "$ROOT/bench/lib/bridge.sh"
bridge_check dhcp || exit 0
TMP=$(mktemp -d /tmp/mirage-bench-dhcp.XXXXXX)
trap 'bridge_down; rm -rf "$TMP"' EXIT
bridge_up || {
    echo "dhcp: cannot set the namespaces up"
    exit 1
}
bridge_dnsmasq --dhcp-range=10.0.0.20,10.0.0.250,2m --no-ping \
    --dhcp-authoritative --port=0 --dhcp-leasefile="$TMP/leases"
cat >"$TMP/script" <<'EOF'
#!/bin/sh
[ "$1" = bound ] && ip addr add "$ip/$subnet" dev "$interface"
exit 0
EOF
chmod +x "$TMP/script"

# median_ms CMD...: the median wall time of RUNS runs of CMD, in ms (one
# decimal), after one run not counted (a bridge port loses the first frame
# after its first carrier-up); "failed" when a run fails.
median_ms() {
    local i t0 t1 times=()
    "$@" >"$TMP/run.log" 2>&1
    for ((i = 0; i < RUNS; i++)); do
        ip -n "$NS-c" addr flush dev vc 2>/dev/null
        t0=$(date +%s%N)
        "$@" >"$TMP/run.log" 2>&1 || {
            echo failed
            return
        }
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 100000)))
    done
    printf '%s\n' "${times[@]}" | sort -n |
        awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%d.%d\n", m/10, m%10}'
}

ref=$(median_ms ip netns exec "$NS-c" busybox udhcpc -i vc -q -f -n -t 5 \
    -T 1 -s "$TMP/script")
ref_a=$(median_ms ip netns exec "$NS-c" busybox udhcpc -i vc -q -f -n -t 5 \
    -T 1 -a1000 -s "$TMP/script")
uni0=$(median_ms ip netns exec "$NS" timeout 30 "$IMG" --interface=tap0 \
    --exit-when-bound --arp-probe-ms=0 --logs=quiet)
uni1=$(median_ms ip netns exec "$NS" timeout 30 "$IMG" --interface=tap0 \
    --exit-when-bound --logs=quiet)
spt0=failed spt1=failed
if [ -x "$ROOT/build/bin/mirage-spt" ] && [ -e "$IMG.spt" ]; then
    spt0=$(median_ms ip netns exec "$NS" timeout 30 \
        "$ROOT/build/bin/mirage-spt" --net:service=tap0 "$IMG.spt" \
        --interface=service --exit-when-bound --arp-probe-ms=0 --logs=quiet)
    spt1=$(median_ms ip netns exec "$NS" timeout 30 \
        "$ROOT/build/bin/mirage-spt" --net:service=tap0 "$IMG.spt" \
        --interface=service --exit-when-bound --logs=quiet)
fi
echo "| client | ARP check | boot to lease (ms, median of $RUNS) | ratio to udhcpc |"
echo "|---|---|---|---|"
echo "| busybox udhcpc | none | $ref | 1 |"
echo "| busybox udhcpc | -a1000 | $ref_a | $(bridge_ratio "$ref_a" "$ref") |"
echo "| MirageC unix | none | $uni0 | $(bridge_ratio "$uni0" "$ref") |"
echo "| MirageC unix | 1 s (default) | $uni1 | $(bridge_ratio "$uni1" "$ref_a") (to -a1000) |"
echo "| MirageC spt | none | $spt0 | $(bridge_ratio "$spt0" "$ref") |"
echo "| MirageC spt | 1 s (default) | $spt1 | $(bridge_ratio "$spt1" "$ref_a") (to -a1000) |"
