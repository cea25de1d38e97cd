#!/usr/bin/env bash
# The smallest guest memory the examples need on the Solo5-style targets
# (spt and hvt): hello and noop run with --mem=2 (the image, the boot
# stack, the main fiber's stack and the heap fit in 2 MiB), and the echo
# server with the direct stack serves UDP and TCP with --mem=4. --mem=1
# cannot hold an image linked at 1 MiB: the tender refuses it in one line
# (status 1).
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/../net/netns.bash"
plan $((2 * 7))
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

for t in spt hvt; do
    target_usable "$t" "min_memory_$t" 7 || continue
    run=$(target_runner "$t")
    use_example noop
    "$MIRAGE" configure -t "$t" >/dev/null 2>&1 && make -s >/dev/null 2>&1
    out=$($run --mem=2 "$(image noop "$t")" 2>&1)
    expect "min_memory_${t}_noop_2mib" "0" "$?"
    out=$($run --mem=1 "$(image noop "$t")" 2>&1)
    expect "min_memory_${t}_noop_1mib_fails" "1" "$?"
    expect_match "min_memory_${t}_noop_1mib_says_why" \
        "^mirage-$t: .*(does not fit in 1 MiB of memory|hvt guests have 2 to)" \
        "$out"

    use_example hello
    "$MIRAGE" configure -t "$t" >/dev/null 2>&1 && make -s >/dev/null 2>&1
    out=$($run --mem=2 "$(image hello "$t")" 2>&1)
    expect "min_memory_${t}_hello_2mib" "0 4" \
        "$? $(printf '%s\n' "$out" | grep -c '\[application\] hello$')"

    # The echo server with 4 MiB: UDP, then 64 KiB of TCP byte for byte.
    if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
        skip "min_memory_${t}_echo" "needs root and /dev/net/tun" 3
        continue
    fi
    use_example echo
    "$MIRAGE" configure -t "$t" --net=direct >/dev/null 2>&1 &&
        make -s >/dev/null 2>&1
    TENDER_OPTS=(--mem=4)
    log=$T_TMP/echo-$t.log
    if start "$t" "$PWD/$(image echo "$t")" "$log" --port=7; then
        pass "min_memory_${t}_echo_4mib_starts"
        out=$(echo "udp echo" | in_ns socat -t 3 - UDP:10.0.0.2:7)
        expect "min_memory_${t}_echo_4mib_udp" "udp echo" "$out"
        head -c 65536 /dev/urandom >"$T_TMP/data"
        in_ns timeout 60 nc -N 10.0.0.2 7 <"$T_TMP/data" >"$T_TMP/back"
        if cmp -s "$T_TMP/data" "$T_TMP/back"; then
            pass "min_memory_${t}_echo_4mib_tcp"
        else
            fail "min_memory_${t}_echo_4mib_tcp" \
                "got $(wc -c <"$T_TMP/back") bytes back"
        fi
    else
        fail "min_memory_${t}_echo_4mib_starts" "$(tail -n 3 "$log")"
        skip "min_memory_${t}_echo" "the echo server did not start" 2
    fi
    stop
done
finish
