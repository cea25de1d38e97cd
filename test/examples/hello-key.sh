#!/usr/bin/env bash
# examples/hello-key end to end: --hello='Bonjour le monde' is logged
# exactly; the default is "Hello World!"; a missing value exits 64. The
# Solo5-style tenders join their arguments into one command line that the
# guest splits with shell-like quoting, so there the value is quoted once
# more.
. "$(dirname "$0")/common.bash"
plan 1 # the default greeting; for_targets plans the rest

check() {
    local t=$1 run=$2 img out
    img=$(image hello-key "$t")
    local arg="--hello=Bonjour le monde"
    [ "$t" = unix ] || arg="--hello='Bonjour le monde'"
    out=$($run "$img" "$arg" 2>&1)
    expect "hello_key_${t}_status" 0 "$?"
    expect "hello_key_${t}_text" 4 \
        "$(printf '%s\n' "$out" | grep -c '\[application\] Bonjour le monde$')"
    out=$($run "$img" --delay=0 --logs=warning 2>&1)
    expect "hello_key_${t}_quiet" "0:" "$?:$out"
    out=$($run "$img" --busy-poll=50 --logs=warning 2>&1)
    expect "hello_key_${t}_busy_poll" "0:" "$?:$out"
    out=$($run "$img" --busy-poll=1000001 2>&1)
    expect "hello_key_${t}_busy_poll_range" "64" "$?"
    expect_match "hello_key_${t}_busy_poll_range_named" \
        "option '--busy-poll': must be 0 to 1000000" "$out"
    out=$($run "$img" --hello 2>&1)
    expect "hello_key_${t}_missing_value" 64 "$?"
    expect_match "hello_key_${t}_missing_value_names_it" "'--hello'" "$out"
    out=$($run "$img" --help 2>&1)
    expect_match "hello_key_${t}_help_section" 'APPLICATION OPTIONS' "$out"
    expect_match "hello_key_${t}_help_default" 'Hello World!' "$out"
}
for_targets hello-key check 10
# The default greeting (one run on the first usable target is enough).
use_example hello-key
"$MIRAGE" configure -t unix >/dev/null && make -s >/dev/null 2>&1
out=$(./dist/hello-key --logs='*:info' 2>&1 | head -n 1)
expect_match hello_key_default '\[application\] Hello World!$' "$out"
finish
