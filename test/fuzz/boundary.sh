#!/usr/bin/env bash
# Runs the fuzz targets of the trust boundary and the command lines for a
# bounded time (FUZZ_SECONDS, default 20) from small seeds made here:
# mirage-hvt's hypercall handler with guest-controlled arguments
# (fuzz/hvt_hypercall.c), the tenders' option parser
# (fuzz/tender_options.c), the Solo5 command-line splitter
# (fuzz/solo5_cmdline.c) and the runtime-argument parser (fuzz/rt_args.c).
# A crash, leak, failed check or sanitizer report fails the test.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_boundary
scratch
for t in hvt_hypercall tender_options solo5_cmdline rt_args; do
    mkdir -p "$T_TMP/$t"
done
printf '%s\0' --mem=64 --net:service=tap0 --net-mac:service=02:00:00:00:00:01 \
    --block:storage=/tmp/disk --block-sector-size:storage=4096 \
    --dumpcore=/tmp img --hello=world >"$T_TMP/tender_options/devices"
printf '%s\0' -- --img a >"$T_TMP/tender_options/image"
printf '\010%s' "--hello='Bonjour le monde' \"a \\\"b\\\"\" c\\ d" \
    >"$T_TMP/solo5_cmdline/quotes"
printf '%s\0' --ipv4=10.0.0.2/24 -p 80 --verbose --name=abc -l debug \
    >"$T_TMP/rt_args/table"
printf '%s\0' --help=plain >"$T_TMP/rt_args/help"
# hvt: records (call, address, length, bytes): a POLL, a PUTS of 4 bytes
# and a BLOCK_READ of block 1 into writable memory, all at 0x102000.
python3 - "$T_TMP/hvt_hypercall/calls" <<'PY'
import struct, sys
at = 0x102000
def rec(nr, arg):
    return struct.pack("<BIB", nr - 1, at, len(arg)) + arg
poll = struct.pack("<QQi4x", 1000, 0, 0)
puts = struct.pack("<QQ", at + 16, 4)
block = struct.pack("<QQQQi4x", 2, 512, at + 64, 512, 0)
open(sys.argv[1], "wb").write(rec(3, poll) + rec(2, puts) + rec(5, block))
PY
for t in hvt_hypercall tender_options solo5_cmdline rt_args; do
    fuzz_run "fuzz_$t" "$t" "$T_TMP/$t"
done
finish
