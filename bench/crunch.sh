#!/usr/bin/env bash
# crunch at scale: `mirage configure && make` time and image size of a
# unix unikernel embedding a 20 MiB directory (160 files of 128 KiB), each
# beside the same unikernel embedding an empty directory in the same run;
# and the image's own count of what it holds.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRAGE="$ROOT/build/bin/mirage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build DIR: configure and build the app in DIR; prints milliseconds.
build() {
    cd "$1"
    local s e
    s=$(date +%s%N)
    "$MIRAGE" configure -t unix >/dev/null
    make -s >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
}

for app in full empty; do
    cp -r "$ROOT/bench/crunch_size" "$tmp/$app"
    mkdir "$tmp/$app/data"
done
for i in $(seq 1 160); do
    head -c $((128 << 10)) /dev/urandom >"$tmp/full/data/file$i.bin"
done
mkdir "$tmp/full/data/sub"
echo nested >"$tmp/full/data/sub/n.txt"

ms_empty=$(build "$tmp/empty")
ms_full=$(build "$tmp/full")
size_empty=$(stat -c %s "$tmp/empty/dist/crunch_size")
size_full=$(stat -c %s "$tmp/full/dist/crunch_size")
data=$(find "$tmp/full/data" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
echo "crunch of 20 MiB: configure + make $ms_full ms; empty directory:" \
    "$ms_empty ms; ratio $(awk "BEGIN{printf \"%.2f\", $ms_full/$ms_empty}")"
echo "image size: $size_full bytes with 20 MiB ($data bytes of files);" \
    "$size_empty bytes empty; overhead $((size_full - size_empty - data))" \
    "bytes"
echo "image says: $("$tmp/full/dist/crunch_size" 2>&1 | sed -n 's/.*crunch_size: //p')"
