# hvt: well-behaved guests run under mirage-hvt with the right output and
# exit status: arguments with shell-like quoting, clocks, sleeping, memory
# sizes, block devices, the counters, and the sandbox being in force.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
source "$(dirname "$0")/../tender/sandbox.bash"
plan 37
hvt_require_kvm
scratch

run_hvt "$IMAGES/halt.hvt"
expect "halt exits 0 silently" "0:" "$RC:$OUT"
expect_match "image carries the Solo5 interpreter" \
    'Requesting program interpreter: /nonexistent/solo5/' \
    "$(readelf -lW "$IMAGES/halt.hvt")"
"$IMAGES/halt.hvt" 2>/dev/null
expect "the host refuses to execute the image" 127 "$?"

run_hvt "$IMAGES/hello.hvt" "--hello='Hello, world'" 'a"b c"\ d' --status=7
expect "hello exit status" 7 "$RC"
expect_match "single quotes keep one argument" \
    '^arg \[--hello=Hello, world\]$' "$(printf '%s\n' "$OUT" | sed -n 1p)"
expect "double quotes and backslash join" "arg [ab c d]" \
    "$(printf '%s\n' "$OUT" | sed -n 2p)"
expect "hello checks all pass" "" "$(printf '%s\n' "$OUT" | grep FAILED)"
expect "hello ran every check" 11 "$(printf '%s\n' "$OUT" | grep -c '^ok ')"
expect "entropy from the CPU's RDRAND or RDSEED, as CPUID says" \
    "entropy $(cpu_entropy)" "$(printf '%s\n' "$OUT" | grep '^entropy')"

run_hvt "$IMAGES/hello.hvt" "it's"
expect "unterminated quote exits 64" 64 "$RC"
expect_match "unterminated quote message" \
    '^hvt: command line: unterminated quote$' "$OUT"

run_hvt --mem=4 "$IMAGES/hello.hvt"
expect "4 MiB guest runs" 0 "$RC"
run_hvt --mem=2 "$IMAGES/hello.hvt"
expect "2 MiB guest runs" 0 "$RC"
run_hvt --mem=3 "$IMAGES/big.hvt"
expect "--mem rounds down to 2 MiB, too small for a heap" \
    "255:hvt: memory: no room for the heap" "$RC:$OUT"
run_hvt --mem=4 "$IMAGES/big.hvt"
expect "the big guest runs in 4 MiB" "0:big ok" "$RC:$OUT"
run_hvt --mem=1 "$IMAGES/halt.hvt"
expect "--mem below 2 MiB refused" \
    "1:mirage-hvt: --mem: hvt guests have 2 to 4096 MiB" "$RC:$OUT"
run_hvt --mem=4098 "$IMAGES/halt.hvt"
expect "--mem above 4 GiB refused" \
    "1:mirage-hvt: --mem: hvt guests have 2 to 4096 MiB" "$RC:$OUT"
run_hvt --mem=4096 "$IMAGES/halt.hvt"
expect "4 GiB guest runs" 0 "$RC"

OUT=$(MIRAGE_HVT_STATS=1 timeout 60 "$HVT" "$IMAGES/halt.hvt" 2>&1)
expect_match "MIRAGE_HVT_STATS prints the counters" \
    '^mirage-hvt: stats: vm_exits 2 hypercalls 2 \(walltime 1 .* halt 1\)$' \
    "$OUT"
OUT=$(MIRAGE_HVT_STATS=instructions timeout 60 "$HVT" "$IMAGES/halt.hvt" 2>&1)
expect_match "MIRAGE_HVT_STATS=instructions counts guest instructions" \
    '^mirage-hvt: stats: guest instructions [1-9][0-9]+$' "$OUT"
expect_match "single-stepping leaves the exit count alone" \
    '^mirage-hvt: stats: vm_exits 2 hypercalls 2 ' "$OUT"

# Block devices: a file whose size is a multiple of the sector size.
truncate -s 1M "$T_TMP/disk"
run_hvt --net:service=@3 --block:storage="$T_TMP/disk" \
    "$IMAGES/devices.hvt" block 3<>/dev/null
expect "block guest passes (512-byte sectors)" 0 "$RC"
expect_match "block guest sees the capacity" \
    'block capacity 1048576 block size 512' "$OUT"
expect "block write reached the file" " 01 08 0f 16" \
    "$(od -A n -t x1 -j $((1048576 - 512)) -N 4 "$T_TMP/disk")"
run_hvt --net:service=@3 --block:storage="$T_TMP/disk" \
    --block-sector-size:storage=4096 "$IMAGES/devices.hvt" block 3<>/dev/null
expect "block guest passes (4096-byte sectors)" 0 "$RC"
expect_match "block size from --block-sector-size" 'block size 4096' "$OUT"

# The sandbox is in force while the guest runs.
"$HVT" "$IMAGES/hello.hvt" --sleep-ms=20000 >/dev/null 2>&1 &
pid=$!
seccomp=$(seccomp_mode "$pid")
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
expect "seccomp filter installed while the guest runs" 2 "$seccomp"

run_hvt --help
expect "--help exits 0" 0 "$RC"
for opt in --mem= --net: --net-mac: --block: --block-sector-size: --help \
    --version MIRAGE_HVT_STATS; do
    expect_match "--help documents $opt" "$opt" "$OUT"
done
run_hvt --version
expect_match "--version" '^mirage-hvt [0-9]+\.[0-9]+\.[0-9]+$' "$OUT"
finish
