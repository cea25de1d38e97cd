#!/usr/bin/env bash
# The storage devices' configuration: generic_block with --block=ramdisk
# runs the block example in memory; --block and --kv_ro reject unknown
# values; crunch of a missing directory, and a block device name that
# Solo5 cannot carry, are configure-time errors naming config.c.
. "$(dirname "$0")/storage.bash"
plan $((2 * 6 + 4 + 2))

for t in unix spt; do
    target_usable "$t" "ramdisk_$t" 6 || continue
    use_example block
    cat >config.c <<'CONF'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("block_start", typ_fn(block_typ, job));
    return mirage_register(argc, argv, "block",
                           jobs(apply(m, generic_block("storage"))));
}
CONF
    if ! { "$MIRAGE" configure -t "$t" --block=ramdisk >build.log 2>&1 &&
        make >>build.log 2>&1; }; then
        fail "ramdisk_${t}_build" "$(tail -n 15 build.log)"
        continue
    fi
    pass "ramdisk_${t}_build"
    out=$(boot "$t" "$(image block "$t")" "")
    expect "ramdisk_${t}_status" 0 "$?"
    expect_match "ramdisk_${t}_sectors" 'sectors: 65536, sector size: 512' \
        "$out"
    expect_match "ramdisk_${t}_summary" '4 of 4 expected failures' "$out"
    out=$("$MIRAGE" configure -t "$t" --block=floppy 2>&1)
    expect "block_key_${t}_bad_value_status" 1 "$?"
    expect_match "block_key_${t}_bad_value_message" "floppy" "$out"
done

target_usable unix kv_ro_key 4 && {
    use_example kv_ro
    out=$("$MIRAGE" configure -t unix --kv_ro=tape 2>&1)
    expect kv_ro_key_bad_value_status 1 "$?"
    expect_match kv_ro_key_bad_value_message "tape" "$out"
    sed -i 's/generic_kv_ro("t")/crunch("missing")/' config.c
    out=$("$MIRAGE" configure -t unix 2>&1)
    expect crunch_missing_dir_status 1 "$?"
    expect_match crunch_missing_dir_message \
        '^config\.c:[0-9]+: error: crunch: cannot open directory missing: No such file or directory$' \
        "$(printf '%s' "$out" | head -n 1)"
}

target_usable spt solo5_block_name 2 && {
    use_example block
    sed -i 's/block_of_file("storage")/block_of_file("disk.img")/' config.c
    out=$("$MIRAGE" configure -t spt 2>&1)
    expect solo5_block_name_status 1 "$?"
    expect_match solo5_block_name_message \
        "config.c:[0-9]+: error: device 'block_of_file': 'disk.img' is not a device name on target 'spt'" \
        "$out"
}
finish
