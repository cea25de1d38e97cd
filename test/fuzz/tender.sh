#!/usr/bin/env bash
# Runs the tenders' fuzz targets (fuzz/tender_*.c) for a bounded time
# (FUZZ_SECONDS, default 20) from a seed corpus: the spt test images for
# the image checks, their manifests for the manifest validator. A crash,
# leak or sanitizer report fails the test. Skipped when clang's libFuzzer
# runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_tender
IMG="$ROOT/build/test-images"
scratch
mkdir -p "$T_TMP/tender_elf" "$T_TMP/tender_manifest"
cp "$IMG"/*.spt "$T_TMP/tender_elf/" 2>/dev/null
for f in "$IMG"/*.spt; do
    [ -e "$f" ] || continue
    # The manifest: the MFT1 note's content after its 24-byte head.
    python3 - "$f" "$T_TMP/tender_manifest/$(basename "$f")" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", b, 32)
phnum, = struct.unpack_from("<H", b, 56)
for i in range(phnum):
    p = phoff + 56 * i
    ptype, = struct.unpack_from("<I", b, p)
    off, = struct.unpack_from("<Q", b, p + 8)
    namesz, descsz, ntype = struct.unpack_from("<III", b, off)
    if ptype == 4 and ntype == 0x3154464D and b[off + 12:off + 17] == b"Solo5":
        open(sys.argv[2], "wb").write(b[off + 24:off + 20 + descsz])
PY
done
for t in tender_elf tender_manifest; do
    fuzz_run "fuzz_$t" "$t" "$T_TMP/$t"
done
finish
