#!/usr/bin/env bash
# Runs the DNS message reader's fuzz target (fuzz/dns_message.c) for a
# bounded time (FUZZ_SECONDS, default 20) from seeds: an answer with a
# CNAME chain and compressed names, an NXDOMAIN with an SOA, and answers
# with MX, SRV, TXT and AAAA records. A crash, hang, leak or sanitizer
# report fails the test. Skipped when clang's libFuzzer runtime is
# missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_dns_message
scratch
mkdir -p "$T_TMP/corpus"
python3 - "$T_TMP/corpus" <<'PY'
import os, struct, sys
d = sys.argv[1]
def name(s):
    return b"".join(bytes([len(l)]) + l.encode() for l in s.split(".") if l) + b"\0"
def msg(qname, qtype, rcode, an, ns=b"", nan=0, nns=0):
    h = struct.pack("!HHHHHH", 7, 0x8180 | rcode, 1, nan, nns, 0)
    return h + name(qname) + struct.pack("!HH", qtype, 1) + an + ns
def rr(owner, t, data, ttl=60):
    return owner + struct.pack("!HHIH", t, 1, ttl, len(data)) + data
q = b"\xc0\x0c"
seeds = {
    "cname": msg("www.example.org", 1, 0,
                 rr(q, 5, b"\3web\xc0\x10") + rr(b"\3web\xc0\x10", 1, bytes([192, 0, 2, 1])),
                 nan=2),
    "nxdomain": msg("gone.example.org", 1, 3, b"",
                    rr(b"\xc0\x11", 6, name("ns.example.org") + name("admin.example.org")
                       + struct.pack("!IIIII", 1, 2, 3, 4, 300)), nns=1),
    "types": msg("example.org", 15, 0,
                 rr(q, 15, b"\0\x0a\4mail\xc0\x0c") + rr(q, 33, b"\0\1\0\2\x13\xc4" + name("sip.example.org"))
                 + rr(q, 16, b"\5hello\5world") + rr(q, 28, bytes(16)), nan=4),
}
for n, m in seeds.items():
    with open(os.path.join(d, n), "wb") as f:
        f.write(m)
PY
fuzz_run fuzz_dns_message dns_message "$T_TMP/corpus" -max_len=4096
finish
