#!/usr/bin/env bash
# examples/noop end to end: boots, prints nothing, exits 0.
. "$(dirname "$0")/common.bash"

check() {
    local out
    out=$($2 "$(image noop "$1")" 2>&1)
    expect "noop_${1}_status" 0 "$?"
    if [ "$1" = unix ]; then expect "noop_${1}_silent" "" "$out"; fi
}
for_targets noop check
finish
