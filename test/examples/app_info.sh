#!/usr/bin/env bash
# examples/app_info end to end: the configuration is readable at run time,
# and lists exactly the libraries the image links.
. "$(dirname "$0")/common.bash"

check() {
    local out
    out=$($2 "$(image app_info "$1")" 2>&1)
    expect "app_info_${1}_status" 0 "$?"
    expect_match "app_info_${1}_name" '^name: app_info$' "$out"
    expect_match "app_info_${1}_target" "target: $1\$" "$out"
    expect_match "app_info_${1}_args" "configured with: configure --target=$1" \
        "$out"
    # Exactly the libraries of its devices: the console's and the runtime.
    expect "app_info_${1}_libraries" "mirage_console mirage_rt" \
        "$(printf '%s\n' "$out" | sed -n 's/.*library: //p' | xargs)"
    expect_match "app_info_${1}_keys" "key: target=$1" "$out"
}
for_targets app_info check 6
finish
