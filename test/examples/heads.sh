#!/usr/bin/env bash
# examples/heads end to end: two fibers' lines interleave, then Finished.
. "$(dirname "$0")/common.bash"

check() {
    local out
    out=$($2 "$(image heads "$1")" 2>&1)
    expect "heads_${1}_status" 0 "$?"
    expect "heads_${1}_interleaved" "Heads Tails Heads Tails Heads Tails Finished" \
        "$(printf '%s\n' "$out" | sed -n 's/.*\[application\] //p' | xargs)"
}
for_targets heads check 2
finish
