#!/usr/bin/env bash
# Runs the DHCP parser's fuzz target (fuzz/dhcp_parse.c) for a bounded
# time (FUZZ_SECONDS, default 20) from seeds: an OFFER with every option
# the client reads, an ACK using option overload, and one with long
# (concatenated) options. A crash or sanitizer report fails the test.
# Skipped when clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_dhcp_parse
scratch
mkdir -p "$T_TMP/corpus"
python3 - "$T_TMP/corpus" <<'PY'
import os, struct, sys
d = sys.argv[1]
def msg(opts, file=b"", sname=b""):
    fixed = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, 0x1234, 0,
                        0x8000, bytes(4), bytes([10, 0, 0, 50]), bytes(4),
                        bytes(4), bytes([2, 0, 0, 0, 0, 1]) + bytes(10),
                        sname.ljust(64, b"\0"), file.ljust(128, b"\0"))
    return fixed + bytes([99, 130, 83, 99]) + opts + b"\xff"
def o(code, val):
    return bytes([code, len(val)]) + val
ip = lambda *a: bytes(a)
seeds = {
    "offer": msg(o(53, b"\2") + o(54, ip(10, 0, 0, 1)) + o(51, struct.pack("!I", 20))
                 + o(1, ip(255, 255, 255, 0)) + o(3, ip(10, 0, 0, 1))
                 + o(6, ip(10, 0, 0, 1) + ip(10, 0, 0, 2)) + o(26, b"\5\xdc")
                 + o(12, b"uni") + o(15, b"example.org") + o(58, struct.pack("!I", 10))
                 + o(59, struct.pack("!I", 17)) + o(56, b"hello")),
    "overload": msg(o(53, b"\5") + o(52, b"\3"),
                    file=o(54, ip(10, 0, 0, 1)) + o(51, b"\0\0\0\x78") + b"\xff",
                    sname=o(6, ip(10, 0, 0, 9)) + b"\xff"),
    "long": msg(o(53, b"\5") + o(15, b"a" * 200) + o(15, b"b" * 100)
                + o(6, ip(10, 0, 0, 1)) + o(6, ip(10, 0, 0, 2))),
}
for name, m in seeds.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(m)
PY
fuzz_run fuzz_dhcp_parse dhcp_parse "$T_TMP/corpus" -max_len=2048
finish
