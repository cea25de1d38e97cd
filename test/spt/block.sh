#!/usr/bin/env bash
# Block I/O through mirage-spt: a guest writes every block of a file and
# reads it back, with the default and a larger sector size; the host sees
# what it wrote.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
plan 4
spt_require spt_block_built "$IMG/block.spt"
scratch
disk="$T_TMP/disk"

truncate -s 16384 "$disk"
out=$("$SPT" --block:storage="$disk" "$IMG/block.spt" rw 2>&1)
expect spt_block_rw_512 "0 capacity 16384 block 512
block ok" "$? $out"
# Block i is full of 'A' + i.
expect spt_block_host_view "AAB" "$(head -c 1 "$disk")$(dd if="$disk" bs=1 \
    skip=511 count=2 status=none)"

out=$("$SPT" --block:storage="$disk" --block-sector-size:storage=4096 \
    "$IMG/block.spt" rw 2>&1)
expect spt_block_rw_4096 "0 capacity 16384 block 4096
block ok" "$? $out"
expect spt_block_host_view_4096 "AB" "$(dd if="$disk" bs=1 skip=4095 count=2 \
    status=none)"
finish
