#!/usr/bin/env bash
# Runs the TCP fuzz targets (fuzz/tcp_segment.c, fuzz/tcp_input.c) for a
# bounded time each (FUZZ_SECONDS, default 20) from a seed corpus: a SYN
# with every option, a data segment with SACK blocks, and for the engine
# a SYN to its listening port followed by clock jumps and user calls. A
# crash, leak or sanitizer report fails the test. Skipped when clang's
# libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
seconds=${FUZZ_SECONDS:-20}
if [ -z "$(ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ]; then
    echo "SKIP fuzz_tcp: clang's libFuzzer runtime is not installed"
    finish
fi
scratch
mkdir -p "$T_TMP/tcp_segment" "$T_TMP/tcp_input"
python3 - "$T_TMP" <<'PY'
import struct, sys
d = sys.argv[1]
def seg(flags, opts, data=b"", sport=40000, dport=80, seq=1000, ack=0):
    opts += b"\0" * (-len(opts) % 4)
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack,
                       (20 + len(opts)) // 4 << 4, flags, 65535, 0, 0) + opts + data
syn_opts = (b"\x02\x04\x05\xb4" + b"\x04\x02\x08\x0a" + struct.pack(">II", 7, 0)
            + b"\x01\x03\x03\x07")
syn = seg(0x02, syn_opts)
data = seg(0x18, b"\x01\x01\x08\x0a" + struct.pack(">II", 8, 9) + b"\x01\x01\x05\x12"
           + struct.pack(">IIII", 3000, 4000, 5000, 6000), b"hello", seq=1001, ack=1)
open(d + "/tcp_segment/syn", "wb").write(syn)
open(d + "/tcp_segment/data", "wb").write(data)
rec = b"\x00" + struct.pack(">H", len(syn)) + syn + b"\x01\x05" + b"\x02\x03" \
    + b"\x00" + struct.pack(">H", len(data)) + data + b"\x01\xff" + b"\x02\xe0"
open(d + "/tcp_input/syn", "wb").write(rec)
PY
for t in tcp_segment tcp_input; do
    bin="$ROOT/build/fuzz/$t"
    if [ ! -x "$bin" ]; then
        fail "fuzz_$t" "missing $bin (run make tests)"
        continue
    fi
    if (cd "$T_TMP" && "$bin" -max_total_time="$seconds" -max_len=4096 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$T_TMP/$t" \
        >"$T_TMP/$t.log" 2>&1); then
        pass "fuzz_$t"
    else
        fail "fuzz_$t" "$(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$T_TMP/$t.log")"
    fi
done
finish
