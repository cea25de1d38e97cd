#!/usr/bin/env bash
# examples/block end to end on every target: the sectors read back as
# written, the four expected failures are seen, status 0, and every
# target prints the same thing.
. "$(dirname "$0")/storage.bash"
plan $((4 * 5 + 1))

outputs=()
for t in unix spt hvt virtio; do
    target_usable "$t" "block_$t" 5 || continue
    if ! build_example block "$t"; then
        fail "block_${t}_build" "$(tail -n 15 build.log)"
        continue
    fi
    pass "block_${t}_build"
    truncate -s 1M disk.img
    out=$(boot "$t" "$(image block "$t")" storage=disk.img)
    expect "block_${t}_status" 0 "$?"
    expect_match "block_${t}_summary" \
        'block: 64 sectors written and read back, 4 of 4 expected failures' \
        "$out"
    outputs+=("$out")
    # A disk too small for the test is refused with a message.
    truncate -s 2K disk.img
    out=$(boot "$t" "$(image block "$t")" storage=disk.img)
    expect "block_${t}_small_disk_status" 1 "$?"
    expect_match "block_${t}_small_disk_message" 'at least 8 sectors' "$out"
done
same_everywhere block_same_output "${outputs[@]}"
finish
