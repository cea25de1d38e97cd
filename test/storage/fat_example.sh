#!/usr/bin/env bash
# examples/fat end to end on every usable target: on a FAT16 image made by
# mkfs.fat with hello.txt copied in by mcopy, the example lists, writes,
# reads back, renames and removes, prints the same transcript everywhere
# and exits 0; fsck.fat -n finds the image clean afterwards and mdir shows
# only hello.txt. A disk that is not FAT fails with a message.
. "$(dirname "$0")/storage.bash"
plan $((4 * 8 + 1))
export MTOOLS_SKIP_CHECK=1

outputs=()
for t in unix spt hvt virtio; do
    target_usable "$t" "fat_$t" 8 || continue
    if ! build_example fat "$t"; then
        fail "fat_${t}_build" "$(tail -n 15 build.log)"
        continue
    fi
    pass "fat_${t}_build"
    mkfs.fat -C -F 16 -s 1 disk.img 8192 >/dev/null
    echo 'hello from the host' >hello.txt
    mcopy -i disk.img hello.txt ::/
    out=$(boot "$t" "$(image fat "$t")" storage=disk.img)
    expect "fat_${t}_status" 0 "$?"
    expect_match "fat_${t}_hello" 'hello.txt says: hello from the host' "$out"
    expect_match "fat_${t}_summary" 'fat example: all checks passed' "$out"
    outputs+=("$out")
    fsck.fat -n disk.img >/dev/null 2>&1
    expect "fat_${t}_fsck_clean" 0 "$?"
    expect "fat_${t}_mdir" "::/hello.txt" "$(mdir -b -i disk.img ::/)"
    # A disk of zeros is no FAT filesystem.
    rm -f disk.img
    truncate -s 1M disk.img
    out=$(boot "$t" "$(image fat "$t")" storage=disk.img)
    expect "fat_${t}_not_fat_status" 1 "$?"
    expect_match "fat_${t}_not_fat_message" 'cannot mount: no boot jump' "$out"
done
same_everywhere fat_same_output "${outputs[@]}"
finish
