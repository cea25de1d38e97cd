#!/usr/bin/env bash
# Runs each network parser's libFuzzer target (build/fuzz/net_*) for a
# bounded time (FUZZ_SECONDS, default 10) from a small seed corpus of
# valid packets. A crash, leak, hang or sanitizer report fails the test.
# Skipped when clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
seconds=${FUZZ_SECONDS:-10}
if [ -z "$(ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
    echo "SKIP net_fuzz: clang's libFuzzer runtime is not installed"
    finish
fi
scratch
# Seeds: one record (2-byte length, then the bytes) of each kind, in the
# form each target expects.
python3 - "$T_TMP" <<'PY'
import os, struct, sys
d = sys.argv[1]
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
peer, us = bytes([10, 0, 0, 99]), bytes([10, 0, 0, 3])
def ip(proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag,
                    64, proto, 0, peer, us)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
def udp(port, data):
    u = struct.pack("!HHHH", 7, port, 8 + len(data), 0) + data
    ph = peer + us + struct.pack("!BBH", 0, 17, len(u))
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
def icmp(t, code, body):
    m = struct.pack("!BBHI", t, code, 0, 0) + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x800, 6, 4, 1, b"\2\0\0\0\0\x63",
                  peer, b"\0" * 6, us)
eth = b"\2\0\0\0\0\3" + b"\2\0\0\0\0\x63"
dgram = udp(9, b"z" * 2000)
frags = [ip(17, dgram[:1480], 5, 0x2000), ip(17, dgram[1480:], 5, 185)]
seeds = {
    "net_ethernet": [eth + b"\x08\x06" + arp, eth + b"\x08\x00" + ip(17, udp(7, b"hi"))],
    "net_arp": [arp],
    "net_ipv4": [ip(17, udp(9, b"hello")), ip(1, icmp(8, 0, b"ping"))] + frags,
    "net_icmp": [icmp(8, 0, b"abcdefgh"),
                 icmp(3, 3, ip(17, udp(53, b"q"))[:28])],
    "net_udp": [udp(7, b"hello"), udp(53, b"closed")],
}
for name, recs in seeds.items():
    os.makedirs(os.path.join(d, name))
    for i, r in enumerate(recs):
        with open(os.path.join(d, name, "seed%d" % i), "wb") as f:
            f.write(struct.pack("!H", len(r)) + r)
    with open(os.path.join(d, name, "all"), "wb") as f:
        for r in recs:
            f.write(struct.pack("!H", len(r)) + r)
PY
for t in net_ethernet net_arp net_ipv4 net_icmp net_udp; do
    bin="$ROOT/build/fuzz/$t"
    if [ ! -x "$bin" ]; then
        fail "fuzz_$t" "missing $bin (run make tests)"
        continue
    fi
    if (cd "$T_TMP" && "$bin" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=0 "$T_TMP/$t" \
        >"$T_TMP/$t.log" 2>&1); then
        pass "fuzz_$t"
    else
        fail "fuzz_$t" "$(grep -m1 -E 'ERROR|SUMMARY' "$T_TMP/$t.log")"
    fi
done
finish
