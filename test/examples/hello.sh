#!/usr/bin/env bash
# examples/hello end to end: four timestamped "hello" lines about one
# second apart and status 0; --help exits 63; --logs=bogus exits 64 naming
# --logs.
. "$(dirname "$0")/common.bash"

check() {
    local t=$1 run=$2 img out rc start end
    img=$(image hello "$t")
    start=$(date +%s%N)
    out=$($run "$img" 2>&1)
    rc=$?
    end=$(date +%s%N)
    expect "hello_${t}_status" 0 "$rc"
    expect "hello_${t}_lines" 4 "$(printf '%s\n' "$out" | grep -cE \
        '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-00:00: \[INFO\] \[application\] hello$')"
    local ms=$(((end - start) / 1000000))
    if [ "$ms" -ge 2900 ] && [ "$ms" -lt 30000 ]; then
        pass "hello_${t}_one_second_apart"
    else
        fail "hello_${t}_one_second_apart" "took $ms ms"
    fi
    out=$($run "$img" --help 2>&1)
    expect "hello_${t}_help_status" 63 "$?"
    expect_match "hello_${t}_help_lists_logs" '--logs=LEVEL' "$out"
    out=$($run "$img" --logs=bogus 2>&1)
    expect "hello_${t}_bad_logs_status" 64 "$?"
    expect_match "hello_${t}_bad_logs_names_it" "option '--logs'" "$out"
}
for_targets hello check 7
finish
