#!/usr/bin/env bash
# spt's devices at the trust boundary, the seccomp filter
# (test/spt/guests/raw.c): with two network and two block devices in one
# image, a raw unaligned read inside the capacity is allowed (the filter
# bounds offsets, the bindings check alignment), a raw frame of MTU + 14
# bytes is allowed and one of MTU + 15 kills the guest (SIGSYS, 128 + 31);
# plat_yield's ready set names the device a frame came to; offsets above
# 4 GiB reach a sparse 8 GiB file; and host I/O errors during the run (a
# full file system, a tap deleted under the guest) reach the guest as
# EUNSPEC, not as a crash (test/tender/raw.bash).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
plan 13
spt_require spt_raw_built "$IMG/raw.spt"
scratch
source "$ROOT/test/tender/raw.bash"
RAW="$IMG/raw.spt"

out=$(raw_run -- "$SPT" "$RAW" block)
expect spt_raw_block_status 0 "$?"
expect spt_raw_block_checks "4 ok" "$(raw_oks "$out")"
raw_sparse spt_raw

out=$(raw_run -- "$SPT" "$RAW" frame)
expect spt_raw_frame_mtu_14 "0 1 ok" "$? $(raw_oks "$out")"
out=$(raw_run -- "$SPT" "$RAW" big-frame)
expect spt_sigsys_frame_mtu_15 "159 0 ok" "$? $(raw_oks "$out")"

out=$(raw_run --when ready --send extra -- "$SPT" "$RAW" net)
expect spt_raw_net_status 0 "$?"
expect spt_raw_net_checks "3 ok" "$(raw_oks "$out")"

raw_io_errors spt_raw "$SPT" "$RAW"
finish
