#!/usr/bin/env bash
# Sequential read throughput of a 64 MiB file from a FAT32 image (made by
# mkfs.fat + mcopy) by the bench/fat_read unikernel, on spt when it is
# usable here and on unix, each beside `cat` of the same file on the host
# in the same run (page cache warm for both).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

head -c $((64 << 20)) /dev/urandom >"$tmp/big.bin"
mkfs.fat -C -F 32 "$tmp/disk.img" $((80 * 1024)) >/dev/null
mcopy -i "$tmp/disk.img" "$tmp/big.bin" ::/big.bin
cat "$tmp/big.bin" "$tmp/disk.img" >/dev/null # warm the page cache

# Host reference: best of three.
host=0
for _ in 1 2 3; do
    s=$(date +%s%N)
    cat "$tmp/big.bin" >/dev/null
    e=$(date +%s%N)
    kib=$(((64 << 20) / 1024 * 1000000000 / (e - s)))
    [ "$kib" -gt "$host" ] && host=$kib
done

for t in unix spt; do
    [ -f "$ROOT/build/lib/mirage/$t/target.mk" ] || continue
    rm -rf "$tmp/app"
    cp -r "$ROOT/bench/fat_read" "$tmp/app"
    cd "$tmp/app"
    "$MIRAGE" configure -t "$t" >/dev/null
    make -s >/dev/null
    if [ "$t" = unix ]; then
        cp "$tmp/disk.img" disk.img
        run=(./dist/fat_read)
    else
        run=("$ROOT/build/bin/mirage-$t" --block:storage="$tmp/disk.img"
            dist/fat_read.$t)
    fi
    best=0
    for _ in 1 2 3; do
        out=$("${run[@]}" 2>&1 || true)
        kib=$(printf '%s' "$out" | sed -n 's/.*fat_read: .* \([0-9]*\) KiB\/s.*/\1/p')
        if [ -z "$kib" ]; then
            echo "fat_read on $t did not run: $(printf '%s' "$out" | tail -n 1)"
            continue 2
        fi
        [ "$kib" -gt "$best" ] && best=$kib
    done
    echo "64 MiB from FAT on $t: $best KiB/s; cat on the host: $host KiB/s;" \
        "ratio $(awk "BEGIN{printf \"%.3f\", $best/$host}")"
done
