#!/usr/bin/env bash
# examples/timeout end to end: the 500 ms deadline wins over an operation
# of 1 to 2 s.
. "$(dirname "$0")/common.bash"

check() {
    local out
    out=$($2 "$(image timeout "$1")" 2>&1)
    expect "timeout_${1}_status" 0 "$?"
    expect_match "timeout_${1}_wins" \
        'Timeout: the operation \(1[0-9]{3} ms\) did not finish within 500 ms' \
        "$out"
}
for_targets timeout check 2
finish
