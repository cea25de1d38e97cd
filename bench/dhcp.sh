#!/usr/bin/env bash
# DHCP: time from boot to a usable lease against dnsmasq, of the test
# unikernel (build/test-images/dhcp_peer --exit-when-bound) on unix and
# spt, beside Linux's busybox udhcpc in the same run (exiting once its
# script has put the address on the interface). dnsmasq serves a bridge
# joining the unikernel's tap and a veth to udhcpc's namespace, without
# its ping check. The unikernel runs with the ARP probe of the offered
# address off and at its default (1 s), udhcpc without and with its ARP
# check (-a1000). Each figure is the median of DHCP_BENCH_RUNS (default
# 10) runs, process start to exit. Prints a Markdown table with the
# ratios against udhcpc. Needs root and /dev/net/tun; every process
# started is killed by PID and the namespaces deleted on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${DHCP_BENCH_RUNS:-10}
IMG=$ROOT/build/test-images/dhcp_peer
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "dhcp: needs root and /dev/net/tun: skipped"
    exit 0
fi
for t in dnsmasq busybox; do
    command -v $t >/dev/null || {
        echo "dhcp: $t is missing (scripts/install-deps.sh): skipped"
        exit 0
    }
done
[ -x "$IMG" ] || {
    echo "dhcp: $IMG is missing (make tests)"
    exit 1
}
TMP=$(mktemp -d /tmp/mirage-bench-dhcp.XXXXXX)
NS=mirage-bdhcp-$$
DNSMASQ=
stop() {
    if [ -n "$DNSMASQ" ]; then
        kill "$DNSMASQ" 2>/dev/null
        wait "$DNSMASQ" 2>/dev/null
    fi
    ip netns del "$NS" 2>/dev/null
    ip netns del "$NS-c" 2>/dev/null
}
trap 'stop; rm -rf "$TMP"' EXIT

ip netns add "$NS" && ip netns add "$NS-c" &&
    ip -n "$NS" link set lo up &&
    ip -n "$NS" link add br0 type bridge &&
    ip -n "$NS" addr add 10.0.0.1/24 dev br0 &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" link set tap0 master br0 &&
    ip -n "$NS" link add vs type veth peer name vc netns "$NS-c" &&
    ip -n "$NS" link set vs master br0 &&
    ip -n "$NS" link set br0 up && ip -n "$NS" link set tap0 up &&
    ip -n "$NS" link set vs up && ip -n "$NS-c" link set vc up &&
    ip -n "$NS-c" link set lo up || {
    echo "dhcp: cannot set the namespaces up"
    exit 1
}
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --interface=br0 --bind-interfaces --dhcp-range=10.0.0.20,10.0.0.250,2m \
    --no-ping --dhcp-authoritative --no-resolv --no-hosts --port=0 \
    --dhcp-leasefile="$TMP/leases" --pid-file= \
    --log-facility="$TMP/dnsmasq.log" >"$TMP/dnsmasq.out" 2>&1 &
DNSMASQ=$!
for _ in $(seq 50); do
    grep -q 'IP range' "$TMP/dnsmasq.log" 2>/dev/null && break
    sleep 0.1
done
cat >"$TMP/script" <<'EOF'
#!/bin/sh
[ "$1" = bound ] && ip addr add "$ip/$subnet" dev "$interface"
exit 0
EOF
chmod +x "$TMP/script"

# median_ms CMD...: the median wall time of RUNS runs of CMD, in ms (one
# decimal); "failed" when a run fails.
median_ms() {
    local i t0 t1 times=()
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
echo "| client | ARP check | boot to lease (ms, median of $RUNS) | ratio to udhcpc |"
echo "|---|---|---|---|"
echo "| busybox udhcpc | none | $ref | 1 |"
echo "| busybox udhcpc | -a1000 | $ref_a | $(ratio "$ref_a" "$ref") |"
echo "| MirageC unix | none | $uni0 | $(ratio "$uni0" "$ref") |"
echo "| MirageC unix | 1 s (default) | $uni1 | $(ratio "$uni1" "$ref_a") (to -a1000) |"
echo "| MirageC spt | none | $spt0 | $(ratio "$spt0" "$ref") |"
echo "| MirageC spt | 1 s (default) | $spt1 | $(ratio "$spt1" "$ref_a") (to -a1000) |"
