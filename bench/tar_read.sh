#!/usr/bin/env bash
# Sequential read throughput of a 64 MiB file from a tar archive (made by
# GNU tar) through the archive store, by the bench/tar_read unikernel, on
# spt when it is usable here and on unix, each beside `cat` of the same
# file on the host in the same run (page cache warm for both).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/data"
head -c $((64 << 20)) /dev/urandom >"$tmp/data/big.bin"
tar --format=gnu -cf "$tmp/disk.img" -C "$tmp/data" big.bin
cat "$tmp/data/big.bin" "$tmp/disk.img" >/dev/null # warm the page cache

# Host reference: best of three.
host=0
for _ in 1 2 3; do
    s=$(date +%s%N)
    cat "$tmp/data/big.bin" >/dev/null
    e=$(date +%s%N)
    kib=$(((64 << 20) / 1024 * 1000000000 / (e - s)))
    [ "$kib" -gt "$host" ] && host=$kib
done

for t in unix spt; do
    [ -f "$ROOT/build/lib/mirage/$t/target.mk" ] || continue
    rm -rf "$tmp/app"
    cp -r "$ROOT/bench/tar_read" "$tmp/app"
    cd "$tmp/app"
    "$MIRAGE" configure -t "$t" >/dev/null
    make -s >/dev/null
    if [ "$t" = unix ]; then
        cp "$tmp/disk.img" disk.img
        run=(./dist/tar_read)
    else
        run=("$ROOT/build/bin/mirage-$t" --block:storage="$tmp/disk.img"
            dist/tar_read.$t)
    fi
    best=0
    for _ in 1 2 3; do
        line=$("${run[@]}" 2>&1 | grep 'tar_read:')
        kib=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) KiB\/s.*/\1/p')
        [ "${kib:-0}" -gt "$best" ] && best=$kib
    done
    echo "64 MiB from tar on $t: $best KiB/s; cat on the host: $host KiB/s;" \
        "ratio $(awk "BEGIN{printf \"%.3f\", $best/$host}")"
done
