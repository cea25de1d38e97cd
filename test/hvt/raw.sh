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
plan 19
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

# MirageC's NETV: bad batches are EINVAL and send nothing (the tender sent
# exactly the good batch's 3 frames), a frame from the host comes back.
out=$(MIRAGE_HVT_STATS=1 raw_run --when ready --send service -- "$HVT" "$RAW" \
    netv)
expect hvt_raw_netv_status 0 "$?"
expect hvt_raw_netv_checks "8 ok" "$(raw_oks "$out")"
expect_match hvt_raw_netv_sent_only_the_good_batch \
    'stats: frames sent 3 received 1 bytes sent 1635 received 60$' "$out"
out=$(raw_run -- "$HVT" "$RAW" netv-block)
expect_match hvt_raw_netv_block_device \
    '^mirage-hvt: guest stopped: bad hypercall NETV: handle 3 does not take it \(rip' \
    "$out"
out=$(raw_run -- "$HVT" "$RAW" hc-9)
expect_match hvt_raw_unknown_hypercall \
    '^mirage-hvt: guest stopped: bad hypercall: unknown number 9 \(rip' "$out"
# The image as Solo5's tenders see it (its EXT1 note renamed): nothing is
# granted, so NETV is a bad hypercall as an unknown port is there.
python3 "$ROOT/test/tender/unext.py" "$RAW" "$T_TMP/raw-plain.hvt"
out=$(raw_run -- "$HVT" "$T_TMP/raw-plain.hvt" netv)
expect hvt_raw_netv_not_granted_on_the_plain_path \
    "255 FAILED NETV granted on the network devices only" \
    "$? $(grep -m1 '^FAILED' <<<"$out")"

raw_io_errors hvt_raw "$HVT" "$RAW"
finish
