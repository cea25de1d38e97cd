#!/usr/bin/env bash
# The cost of fiber stack guard pages: bench/fiber_spawn (spawn, run and
# join fibers with 64 KiB stacks, one at a time, 64 and 128 alive at once) on
# spt with the guard extension granted, beside the same image with its
# EXT1 note renamed (no guard pages: what Solo5's spt gives) as the
# reference, and on unix (guard pages by mprotect).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
SPT="$ROOT/build/bin/mirage-spt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$ROOT/bench/fiber_spawn" "$tmp/app"
cd "$tmp/app"
"$MIRAGE" configure -t spt >/dev/null && make -s >/dev/null
python3 "$ROOT/test/tender/unext.py" dist/fiber_spawn.spt "$tmp/plain.spt"
"$MIRAGE" configure -t unix >/dev/null && make -s >/dev/null
ns() { "$@" | sed -n 's/^fiber spawn+join: \([0-9]*\) ns$/\1/p'; }
for burst in 1 64 128; do
    g=$(ns "$SPT" dist/fiber_spawn.spt --burst=$burst)
    p=$(ns "$SPT" "$tmp/plain.spt" --burst=$burst)
    u=$(ns dist/fiber_spawn --burst=$burst)
    echo "burst $burst: spt no guards $p ns, spt guards $g ns (ratio $(awk "BEGIN{printf \"%.2f\", $g/$p}")), unix guards $u ns (ratio $(awk "BEGIN{printf \"%.2f\", $u/$p}"))"
done
