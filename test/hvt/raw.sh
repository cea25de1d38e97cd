#!/usr/bin/env bash
# hvt hypercalls made directly by a guest (test/hvt/guests/raw.c), so that
# every check of tender/hvt/hypercall.c on guest-controlled arguments
# runs: block offsets and lengths (misaligned, at the capacity,
# overflowing), frames longer than MTU + 14, POLL's ready set, with two
# network and two block devices in one image; offsets above 4 GiB in a
# sparse 8 GiB file; and host I/O errors during the run (a full file
# system, a tap deleted under the guest) reaching the guest as EUNSPEC,
# not as a crash (test/tender/raw.bash).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 13
hvt_require_kvm
scratch
source "$ROOT/test/tender/raw.bash"
RAW="$IMAGES/raw.hvt"

out=$(raw_run -- "$HVT" "$RAW" block)
expect hvt_raw_block_status 0 "$?"
expect hvt_raw_block_checks "14 ok" "$(raw_oks "$out")"
expect_match hvt_raw_block_8gib 'storage capacity 8589934592' "$out"
expect_match hvt_raw_block_at_5gib '^ok block at 5 GiB$' "$out"
raw_sparse hvt_raw

out=$(raw_run --when ready --send extra -- "$HVT" "$RAW" net)
expect hvt_raw_net_status 0 "$?"
expect hvt_raw_net_checks "10 ok" "$(raw_oks "$out")"

raw_io_errors hvt_raw "$HVT" "$RAW"
finish
