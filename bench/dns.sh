#!/usr/bin/env bash
# DNS: lookups per second of the stub resolver (lib/dns) in the test
# unikernel (build/test-images/dhcp_peer --bench N) on unix and spt
# against dnsmasq, cold (N distinct names, each asked of the server) and
# cached (one name N times), beside Linux in the same run: glibc's
# getaddrinfo (called from Python) in a namespace joined to dnsmasq's by
# a veth, with that namespace's resolv.conf naming dnsmasq. glibc has no
# cache, so every Linux lookup asks the server. N is DNS_BENCH_LOOKUPS
# (default 2000). Prints a Markdown table with the ratios against Linux.
# Needs root and /dev/net/tun; every process started is killed by PID,
# the namespaces and their /etc/netns entry deleted on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${DNS_BENCH_LOOKUPS:-2000}
IMG=$ROOT/build/test-images/dhcp_peer
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "dns: needs root and /dev/net/tun: skipped"
    exit 0
fi
command -v dnsmasq >/dev/null || {
    echo "dns: dnsmasq is missing (scripts/install-deps.sh): skipped"
    exit 0
}
[ -x "$IMG" ] || {
    echo "dns: $IMG is missing (make tests)"
    exit 1
}
TMP=$(mktemp -d /tmp/mirage-bench-dns.XXXXXX)
NS=mirage-bdns-$$
DNSMASQ=
stop() {
    if [ -n "$DNSMASQ" ]; then
        kill "$DNSMASQ" 2>/dev/null
        wait "$DNSMASQ" 2>/dev/null
    fi
    ip netns del "$NS" 2>/dev/null
    ip netns del "$NS-c" 2>/dev/null
    rm -rf "/etc/netns/$NS-c"
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
    ip -n "$NS-c" addr add 10.0.0.3/24 dev vc &&
    ip -n "$NS-c" link set lo up || {
    echo "dns: cannot set the namespaces up"
    exit 1
}
mkdir -p "/etc/netns/$NS-c"
echo "nameserver 10.0.0.1" >"/etc/netns/$NS-c/resolv.conf"
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --interface=br0 --bind-interfaces --no-resolv --no-hosts \
    --local=/test/ --address=/bench.test/10.0.0.9 --local-ttl=300 \
    --pid-file= \
    --log-facility="$TMP/dnsmasq.log" >"$TMP/dnsmasq.out" 2>&1 &
DNSMASQ=$!
for _ in $(seq 50); do
    grep -q 'started' "$TMP/dnsmasq.log" 2>/dev/null && break
    sleep 0.1
done

cat >"$TMP/ref.py" <<'PY'
import socket, sys, time
n = int(sys.argv[1])
for cached in (0, 1):
    t = time.monotonic()
    for i in range(n):
        name = "i0.bench.test" if cached else "r%d.bench.test" % (i + 1)
        socket.getaddrinfo(name, None, socket.AF_INET, socket.SOCK_DGRAM)
    print("cached" if cached else "cold", int(n / (time.monotonic() - t)))
PY
ip netns exec "$NS-c" python3 "$TMP/ref.py" "$N" >"$TMP/ref.out"
ref_cold=$(awk '/cold/ {print $2}' "$TMP/ref.out")
ref_cached=$(awk '/cached/ {print $2}' "$TMP/ref.out")

# rates TARGET CMD...: the unikernel's "bench" lines -> "cold cached".
rates() {
    "$@" --ipv4=10.0.0.2/24 --resolver=10.0.0.1 --bench="$N" --logs=quiet \
        >"$TMP/uni.out" 2>&1
    echo "$(awk '/^bench cold/ {print $(NF-1)}' "$TMP/uni.out")" \
        "$(awk '/^bench cached/ {print $(NF-1)}' "$TMP/uni.out")"
}
read -r uni_cold uni_cached < <(rates ip netns exec "$NS" "$IMG" \
    --interface=tap0)
spt_cold=- spt_cached=-
if [ -x "$ROOT/build/bin/mirage-spt" ] && [ -e "$IMG.spt" ]; then
    read -r spt_cold spt_cached < <(rates ip netns exec "$NS" \
        "$ROOT/build/bin/mirage-spt" --net:service=tap0 "$IMG.spt" \
        --interface=service)
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
echo "| resolver | cold lookups/s | ratio | cached lookups/s | ratio |"
echo "|---|---|---|---|---|"
echo "| Linux glibc getaddrinfo (no cache) | $ref_cold | 1 | $ref_cached | 1 |"
echo "| MirageC unix | $uni_cold | $(ratio "$uni_cold" "$ref_cold") | $uni_cached | $(ratio "$uni_cached" "$ref_cached") |"
echo "| MirageC spt | $spt_cold | $(ratio "$spt_cold" "$ref_cold") | $spt_cached | $(ratio "$spt_cached" "$ref_cached") |"
