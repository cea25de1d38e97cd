#!/usr/bin/env bash
# Sequential read throughput of a 64 MiB file from a FAT32 image (made by
# mkfs.fat + mcopy) by the bench/fat_read unikernel, on spt when it is
# usable here and on unix, each beside `cat` of the same file on the host
# in the same run (page cache warm for both).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib/read_throughput.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

head -c $((64 << 20)) /dev/urandom >"$tmp/big.bin"
mkfs.fat -C -F 32 "$tmp/disk.img" $((80 * 1024)) >/dev/null
mcopy -i "$tmp/disk.img" "$tmp/big.bin" ::/big.bin
read_throughput fat_read FAT "$tmp/big.bin" "$tmp/disk.img"
