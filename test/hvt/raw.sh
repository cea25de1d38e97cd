#!/usr/bin/env bash
# hvt hypercalls made directly by a guest (test/hvt/guests/raw.c), so that
# every check of tender/hvt/hypercall.c on guest-controlled arguments
# runs: block offsets and lengths (misaligned, at the capacity,
# overflowing), frames longer than MTU + 14, POLL's ready set, with two
# network and two block devices in one image; offsets above 4 GiB in a
# sparse 8 GiB file; and host I/O errors during the run (a full file
# system, a tap deleted under the guest) reaching the guest as EUNSPEC,
# not as a crash. The network devices are socket pairs
# (test/tender/sockrun.py) or a tap in a namespace made here.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
hvt_require_kvm
scratch
NS=mirage-hvtraw-$$
trap 'mountpoint -q "$T_TMP/full" && umount "$T_TMP/full"; ip netns del "$NS" 2>/dev/null; rm -rf "$T_TMP"' EXIT
SOCKRUN="python3 $ROOT/test/tender/sockrun.py"
RAW="$IMAGES/raw.hvt"
truncate -s 8G "$T_TMP/storage"
truncate -s 1M "$T_TMP/backup"
DEVS=(--net:service=@service --net:extra=@extra
      --block:storage="$T_TMP/storage" --block:backup="$T_TMP/backup")

# oks OUT: the number of "ok" lines, and the FAILED ones.
oks() {
    printf '%s ok' "$(grep -c '^ok ' <<<"$1")"
    grep '^FAILED' <<<"$1" | sed 's/^/ /'
}

out=$($SOCKRUN --net service --net extra -- "$HVT" --mem=16 "${DEVS[@]}" "$RAW" block)
expect raw_block_status 0 "$?"
expect raw_block_checks "14 ok" "$(oks "$out")"
expect_match raw_block_8gib 'storage capacity 8589934592' "$out"
expect_match raw_block_at_5gib '^ok block at 5 GiB$' "$out"
expect raw_block_at_5gib_in_file "52 5f" \
    "$(od -A n -t x1 -j $((5 << 30)) -N 2 "$T_TMP/storage" | tr -d '\n' | sed 's/^ //')"
expect raw_block_file_stays_sparse yes \
    "$([ "$(du -k "$T_TMP/storage" | cut -f1)" -lt 1024 ] && echo yes)"

out=$($SOCKRUN --net service --net extra --when ready --send extra -- \
    "$HVT" --mem=16 "${DEVS[@]}" "$RAW" net)
expect raw_net_status 0 "$?"
expect raw_net_checks "10 ok" "$(oks "$out")"

# A full file system: a 64 KiB tmpfs under a 1 MiB sparse file.
mkdir "$T_TMP/full"
if mount -t tmpfs -o size=64k tmpfs "$T_TMP/full"; then
    truncate -s 1M "$T_TMP/full/disk"
    out=$($SOCKRUN --net service --net extra -- "$HVT" --mem=16 \
        --net:service=@service --net:extra=@extra \
        --block:storage="$T_TMP/full/disk" --block:backup="$T_TMP/backup" \
        "$RAW" full)
    expect raw_full_fs_status 0 "$?"
    expect_match raw_full_fs_is_eunspec '^wrote [1-9][0-9]* blocks, then EUNSPEC$' "$out"
    expect_match raw_full_fs_guest_goes_on '^ok still reads after the failed write$' "$out"
    umount "$T_TMP/full"
else
    fail raw_full_fs "cannot mount a tmpfs"
fi

# The tap deleted while the guest writes to it.
ip netns add "$NS" && ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" link set tap0 up || fail raw_tap_setup "cannot make a tap"
out=$(ip netns exec "$NS" $SOCKRUN --net extra --when sending \
    --run "ip -n $NS link del tap0" -- "$HVT" --mem=16 --net:service=tap0 \
    --net:extra=@extra --block:storage="$T_TMP/storage" \
    --block:backup="$T_TMP/backup" "$RAW" netdown)
expect raw_tap_deleted_status 0 "$?"
expect raw_tap_deleted_errors "write failed: EUNSPEC read failed: EUNSPEC" \
    "$(grep failed <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
finish
