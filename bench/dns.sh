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
NS=mirage-bdns-$$
. "$ROOT/bench/lib/bridge.sh"
bridge_check dns || exit 0
TMP=$(mktemp -d /tmp/mirage-bench-dns.XXXXXX)
trap 'bridge_down; rm -rf "$TMP"' EXIT
bridge_up 10.0.0.3 || {
    echo "dns: cannot set the namespaces up"
    exit 1
}
mkdir -p "/etc/netns/$NS-c"
echo "nameserver 10.0.0.1" >"/etc/netns/$NS-c/resolv.conf"
bridge_dnsmasq --local=/test/ --address=/bench.test/10.0.0.9 --local-ttl=300

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
echo "| resolver | cold lookups/s | ratio | cached lookups/s | ratio |"
echo "|---|---|---|---|---|"
echo "| Linux glibc getaddrinfo (no cache) | $ref_cold | 1 | $ref_cached | 1 |"
echo "| MirageC unix | $uni_cold | $(bridge_ratio "$uni_cold" "$ref_cold") | $uni_cached | $(bridge_ratio "$uni_cached" "$ref_cached") |"
echo "| MirageC spt | $spt_cold | $(bridge_ratio "$spt_cold" "$ref_cold") | $spt_cached | $(bridge_ratio "$spt_cached" "$ref_cached") |"
