#!/usr/bin/env bash
# Runs the FAT image fuzz target (fuzz/fat_image.c) for a bounded time
# (FUZZ_SECONDS, default 20) from a seed corpus of small FAT12 and FAT32
# images made by mkfs.fat and mcopy (long names, nested directories, a
# FAT12 root directory of 16 entries). A crash, hang, leak or sanitizer
# report fails the test.
# Skipped when clang's libFuzzer runtime is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/runner.bash"
fuzz_need_libfuzzer fuzz_fat_image
scratch
export MTOOLS_SKIP_CHECK=1
mkdir -p "$T_TMP/corpus" "$T_TMP/tree/a directory with a long name"
echo hello >"$T_TMP/tree/short.txt"
head -c 3000 /dev/zero | tr '\0' x >"$T_TMP/tree/a directory with a long name/Some File.txt"
# mtools takes the FAT type from the cluster count, so it cannot write to
# a FAT32 this small: that seed stays empty (the target writes to it).
for seed in "fat12-64:-F 12 -r 16:64:copy" "fat12-128:-F 12 -r 16:128:copy" \
    "fat32-260:-F 32 -s 1 -R 2 -f 1:260:empty"; do
    IFS=: read -r name opts kib fill <<<"$seed"
    img="$T_TMP/corpus/$name.img"
    # shellcheck disable=SC2086 # opts are several options
    if ! mkfs.fat -C $opts "$img" "$kib" >/dev/null 2>&1 ||
        { [ "$fill" = copy ] &&
            ! (cd "$T_TMP/tree" && mcopy -s -i "$img" ./* ::/); }; then
        fail fuzz_fat_image "cannot make the seed image $img"
    fi
done
fuzz_run fuzz_fat_image fat_image "$T_TMP/corpus" -max_len=266240
finish
