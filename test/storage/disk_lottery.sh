#!/usr/bin/env bash
# examples/disk-lottery end to end: three boots on one disk continue one
# series (the same on every target), --reset starts over, and a disk
# holding something else is refused with status 1.
. "$(dirname "$0")/storage.bash"
plan $((4 * 12 + 1))

series=()
for t in unix spt hvt virtio; do
    target_usable "$t" "lottery_$t" 12 || continue
    if ! build_example disk-lottery "$t"; then
        fail "lottery_${t}_build" "$(tail -n 15 build.log)"
        continue
    fi
    pass "lottery_${t}_build"
    img=$(image disk-lottery "$t")
    truncate -s 64K lottery.img
    all=
    for run in 1 2 3; do
        out=$(boot "$t" "$img" storage=lottery.img)
        expect "lottery_${t}_run${run}_status" 0 "$?"
        expect_match "lottery_${t}_run${run}_counts" "draw $run:" "$out"
        all="$all$out"
    done
    expect_match "lottery_${t}_history" '  before: ' "$out"
    series+=("$all")
    out=$(boot "$t" "$img" storage=lottery.img --reset --seed=7)
    expect_match "lottery_${t}_reset" 'a new series from seed 7' "$out"
    expect_match "lottery_${t}_reset_first_draw" 'draw 1:' "$out"
    printf 'garbage' | dd of=lottery.img conv=notrunc 2>/dev/null
    out=$(boot "$t" "$img" storage=lottery.img)
    expect "lottery_${t}_damaged_status" 1 "$?"
    expect_match "lottery_${t}_damaged_message" 'damaged state' "$out"
done
same_everywhere lottery_same_series "${series[@]}"
finish
