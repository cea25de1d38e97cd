#!/usr/bin/env bash
# examples/noop end to end: boots, prints nothing, exits 0 on every target.
. "$(dirname "$0")/common.bash"

check() {
    local out
    out=$($2 "$(image noop "$1")" 2>&1)
    expect "noop_${1}_status" 0 "$?"
    expect "noop_${1}_silent" "" "$out"
}
for_targets noop check 2
finish
