#!/usr/bin/env bash
# Sequential read throughput of a 64 MiB file from a tar archive (made by
# GNU tar) through the archive store, by the bench/tar_read unikernel, on
# spt when it is usable here and on unix, each beside `cat` of the same
# file on the host in the same run (page cache warm for both).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib/read_throughput.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/data"
head -c $((64 << 20)) /dev/urandom >"$tmp/data/big.bin"
tar --format=gnu -cf "$tmp/disk.img" -C "$tmp/data" big.bin
read_throughput tar_read tar "$tmp/data/big.bin" "$tmp/disk.img"
