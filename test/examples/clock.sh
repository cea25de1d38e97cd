#!/usr/bin/env bash
# examples/clock end to end: tells the time --count times, the time since
# boot growing; a negative count fails.
. "$(dirname "$0")/common.bash"

check() {
    local img out
    img=$(image clock "$1")
    out=$($2 "$img" --count=2 2>&1)
    expect "clock_${1}_status" 0 "$?"
    expect "clock_${1}_lines" 2 "$(printf '%s\n' "$out" |
        grep -cE 'The time is now [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}-00:00 \([0-9]+\.[0-9]{3} s since boot\)$')"
    expect_match "clock_${1}_elapsed" '\(1\.[0-9]{3} s since boot\)' "$out"
    out=$($2 "$img" --count=-1 2>&1)
    expect "clock_${1}_negative_count" 1 "$?"
    expect_match "clock_${1}_negative_count_message" 'must not be negative' \
        "$out"
}
for_targets clock check 5
finish
