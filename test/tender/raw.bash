# Shared by test/hvt/raw.sh and test/spt/raw.sh (sourced after test/lib.sh
# with T_TMP made; not a test itself): running a tender's "raw" test guest
# (two network devices "service" and "extra", two block devices "storage"
# and "backup") with socket pairs as its network devices
# (test/tender/sockrun.py), a sparse 8 GiB "storage", a full file system
# under it, or a tap deleted under it. Each function prints the guest's
# output and returns the tender's status.
SOCKRUN="python3 $ROOT/test/tender/sockrun.py"
RAW_NS=mirage-raw-$$
truncate -s 8G "$T_TMP/storage"
truncate -s 1M "$T_TMP/backup"
trap 'mountpoint -q "$T_TMP/full" && umount "$T_TMP/full"
ip netns del "$RAW_NS" 2>/dev/null; rm -rf "$T_TMP"' EXIT

# raw_run [SOCKRUN OPTIONS] -- TENDER IMAGE ARGS...: the socket pairs
# "service" and "extra" and the block files.
raw_run() {
    local opts=()
    while [ "$1" != -- ]; do
        opts+=("$1")
        shift
    done
    local tender=$2 image=$3
    shift 3
    $SOCKRUN --net service --net extra "${opts[@]}" -- "$tender" --mem=16 \
        --net:service=@service --net:extra=@extra \
        --block:storage="${RAW_STORAGE:-$T_TMP/storage}" \
        --block:backup="$T_TMP/backup" "$image" "$@"
}

# raw_full TENDER IMAGE: "full" with "storage" a 1 MiB sparse file on a
# 64 KiB tmpfs.
raw_full() {
    mkdir -p "$T_TMP/full"
    mount -t tmpfs -o size=64k tmpfs "$T_TMP/full" || return 99
    truncate -s 1M "$T_TMP/full/disk"
    RAW_STORAGE=$T_TMP/full/disk raw_run -- "$1" "$2" full
    local rc=$?
    umount "$T_TMP/full"
    return $rc
}

# raw_netdown TENDER IMAGE: "netdown" with "service" a tap in a namespace
# that is deleted once the guest says it is sending.
raw_netdown() {
    ip netns add "$RAW_NS" && ip -n "$RAW_NS" tuntap add dev tap0 mode tap &&
        ip -n "$RAW_NS" link set tap0 up || return 99
    ip netns exec "$RAW_NS" $SOCKRUN --net extra --when sending \
        --run "ip -n $RAW_NS link del tap0" -- "$1" --mem=16 \
        --net:service=tap0 --net:extra=@extra \
        --block:storage="$T_TMP/storage" --block:backup="$T_TMP/backup" \
        "$2" netdown
    local rc=$?
    ip netns del "$RAW_NS"
    return $rc
}

# raw_oks OUT: the number of "ok" lines, and the FAILED ones.
raw_oks() {
    printf '%s ok' "$(grep -c '^ok ' <<<"$1")"
    grep '^FAILED' <<<"$1" | sed 's/^/ /'
}

# raw_io_errors NAME TENDER IMAGE: the full file system and the deleted
# tap reach the guest as EUNSPEC, and it carries on.
raw_io_errors() {
    local out
    out=$(raw_full "$2" "$3")
    expect "${1}_full_fs_status" 0 "$?"
    expect_match "${1}_full_fs_is_eunspec" '^wrote [1-9][0-9]* blocks, then EUNSPEC$' "$out"
    expect_match "${1}_full_fs_guest_goes_on" '^ok still reads after the failed write$' "$out"
    out=$(raw_netdown "$2" "$3")
    expect "${1}_tap_deleted_status" 0 "$?"
    expect "${1}_tap_deleted_errors" "write failed: EUNSPEC read failed: EUNSPEC" \
        "$(grep failed <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
}

# raw_sparse NAME: offsets above 4 GiB went into the sparse 8 GiB file
# ("block at 5 GiB" wrote 0x52 0x5f there) and it stayed sparse.
raw_sparse() {
    expect "${1}_block_at_5gib_in_file" "52 5f" \
        "$(od -A n -t x1 -j $((5 << 30)) -N 2 "$T_TMP/storage" | tr -d '\n' | sed 's/^ //')"
    expect "${1}_block_file_stays_sparse" yes \
        "$([ "$(du -k "$T_TMP/storage" | cut -f1)" -lt 1024 ] && echo yes)"
}
