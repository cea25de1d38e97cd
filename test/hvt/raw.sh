#!/usr/bin/env bash
# hvt hypercalls made directly by a guest (test/hvt/guests/raw.c), so that
# every check of tender/hvt/hypercall.c on guest-controlled arguments
# runs: block offsets and lengths (misaligned, at the capacity,
# overflowing), frames longer than MTU + 14, POLL's ready set, with two
# network and two block devices in one image; offsets above 4 GiB in a
# sparse 8 GiB file; and host I/O errors during the run (a full file
# system, a tap deleted under the guest) reaching the guest as EUNSPEC,
# not as a crash (test/tender/raw.bash); MirageC's NETV and NETV_WAIT,
# every request the tender must refuse, and both as a tender that grants
# neither or only NETV sees them.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 34
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

# MirageC's NETV_WAIT: the time-out checked, NETV's results per record,
# POLL's ready set (a frame for a device no record names, one that comes
# while waiting), and the frames sent: the good batch's 3 and extra's 1.
out=$(MIRAGE_HVT_STATS=1 raw_run --when ready --send extra \
    --when again --send-late service -- "$HVT" "$RAW" netv-wait)
expect hvt_raw_netv_wait_status 0 "$?"
expect hvt_raw_netv_wait_checks "10 ok" "$(raw_oks "$out")"
expect_match hvt_raw_netv_wait_sent_the_good_frames \
    'stats: frames sent 4 received 2 bytes sent 1695 received 120$' "$out"
# netv_wait_bad WHAT REGEX: the bad NETV_WAIT WHAT stops the guest with
# one line matching REGEX.
netv_wait_bad() {
    local out
    out=$(raw_run -- "$HVT" "$RAW" netv-wait-bad "$1")
    expect_match "hvt_raw_netv_wait_bad_$1" \
        "^mirage-hvt: guest stopped: bad hypercall NETV_WAIT: $2 \\(rip [^)]*\\)\$" \
        "$(printf '%s:%s' "$?" "$out" | sed -n 's/^255://p')"
}
W='writable guest memory'
netv_wait_bad block 'handle 3 does not take it'
netv_wait_bad twice 'handle 1 twice'
netv_wait_bad count '64 records \(at most 63\)'
netv_wait_bad records "buffer at 0xfffff000 of 72 bytes is not in $W"
netv_wait_bad records-ro "buffer at 0x[0-9a-f]+ of 72 bytes is not in $W"
netv_wait_bad area "buffer at 0x[0-9a-f]+ of [0-9]+ bytes is not in $W"
netv_wait_bad arg-ro "argument at 0x[0-9a-f]+ is not in $W"
# As a tender that grants NETV but not NETV_WAIT sees the image (the
# feature cleared from its note), and as Solo5's (no note): NETV_WAIT is a
# bad hypercall; NETV still works under the first.
python3 "$ROOT/test/tender/unext.py" --clear 16 "$RAW" "$T_TMP/raw-nowait.hvt"
out=$(raw_run --when ready --send service -- "$HVT" "$T_TMP/raw-nowait.hvt" netv)
expect hvt_raw_netv_without_wait "0 8 ok" "$? $(raw_oks "$out")"
for t in nowait plain; do
    out=$(raw_run -- "$HVT" "$T_TMP/raw-$t.hvt" netv-wait)
    expect "hvt_raw_netv_wait_not_granted_$t" \
        "255 FAILED NETV_WAIT granted" "$? $(grep -m1 '^FAILED' <<<"$out")"
    expect_match "hvt_raw_netv_wait_not_granted_${t}_stops" \
        '^mirage-hvt: guest stopped: bad hypercall NETV_WAIT: not granted to this image \(rip' \
        "$out"
done

raw_io_errors hvt_raw "$HVT" "$RAW"
finish
