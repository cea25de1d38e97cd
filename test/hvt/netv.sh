#!/usr/bin/env bash
# hvt's batched network path (NETV, MIRAGE_EXT_NET_VEC) end to end:
# examples/echo with the direct stack on a tap echoes HVT_NETV_MIB
# (default 4; `HVT_NETV_MIB=16` is the full check, about 6 minutes where
# KVM emulates guest instructions) MiB of random bytes from Linux,
# checked by SHA-256 both ways, and the tender's counters show NETV carrying the frames with
# fewer VM exits than frames, and NETV_WAIT serving the waits. The same
# image with MIRAGE_EXT_NETV_WAIT cleared from its note (what a tender
# without it grants) echoes with NETV and POLL. With its EXT1 note renamed
# (test/tender/unext.py: what Solo5's tenders see, and what ours see of an
# image without the extension) echoes on the plain path, NET_READ and
# NET_WRITE. Needs root, /dev/net/tun and /dev/kvm.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/../net/netns.bash"
source "$(dirname "$0")/kvm.bash"
plan 9
hvt_require_kvm
netns_require hvt_netv nc sha256sum
MIB=${HVT_NETV_MIB:-4}
trap 'stop; rm -rf "$T_TMP"' EXIT

use_example echo
if ! out=$("$MIRAGE" configure -t hvt --net=direct 2>&1 && make 2>&1); then
    fail hvt_netv_build "$(printf '%s' "$out" | tail -n 15)"
    skip_rest hvt_netv "the echo image did not build"
fi
pass hvt_netv_build
python3 "$ROOT/test/tender/unext.py" dist/echo.hvt "$T_TMP/echo-plain.hvt"
python3 "$ROOT/test/tender/unext.py" --clear 16 dist/echo.hvt \
    "$T_TMP/echo-nowait.hvt"

# echo_run NAME IMAGE BYTES: boot IMAGE with the counters on, echo BYTES
# random bytes through it, stop it; the log is in $T_TMP/NAME.log.
echo_run() {
    local name=$1 log=$T_TMP/$1.log
    head -c "$3" /dev/urandom >"$T_TMP/$name.data"
    if ! MIRAGE_HVT_STATS=1 start hvt "$2" "$log" --port=7; then
        fail "${name}_starts" "$(tail -n 3 "$log")"
        return 1
    fi
    in_ns timeout 900 nc -N 10.0.0.2 7 <"$T_TMP/$name.data" \
        >"$T_TMP/$name.back"
    stop # SIGTERM: the tender prints its counters
    expect "${name}_echoes_${3}_bytes" \
        "$(sha256sum <"$T_TMP/$name.data")" "$(sha256sum <"$T_TMP/$name.back")"
}

# counter LOG NAME: a hypercall count from the tender's stats line.
counter() {
    sed -n "s/.*stats: vm_exits.* $2 \([0-9]*\).*/\1/p" "$1"
}

# exits NAME LABEL: print the run's VM exits per MiB moved (and what they
# were); the check that frames were batched: fewer exits than half the
# frames.
exits() {
    local log=$T_TMP/$1.log label=$2 exits frames
    exits=$(sed -n 's/.*stats: vm_exits \([0-9]*\) .*/\1/p' "$log")
    frames=$(sed -n 's/.*stats: frames sent \([0-9]*\) received \([0-9]*\).*/\1 \2/p' "$log")
    set -- $frames
    echo "hvt $label: ${MIB} MiB echoed, $exits VM exits, $1 frames sent," \
        "$2 received: $((exits / (2 * MIB))) exits per MiB moved"
    grep -o 'hypercalls.*' "$log"
    [ -n "$exits" ] && [ $((2 * exits)) -lt $(($1 + $2)) ]
}

if echo_run hvt_netv "$PWD/dist/echo.hvt" $((MIB << 20)); then
    log=$T_TMP/hvt_netv.log
    # No POLL: NETV_WAIT waits. (NET_READ and NET_WRITE may carry a few
    # TSO super-frames over 16 KiB, which plat/hvt moves without a copy.)
    expect hvt_netv_wait_replaces_poll 0 "$(counter "$log" poll)"
    if exits hvt_netv NETV_WAIT && [ "$(counter "$log" netv_wait)" -gt 0 ]; then
        pass hvt_netv_batches_frames
    else
        fail hvt_netv_batches_frames "$(grep stats "$log")"
    fi
else
    skip hvt_netv "the echo server did not start" 2
fi

if echo_run hvt_nowait "$T_TMP/echo-nowait.hvt" $((MIB << 20)); then
    log=$T_TMP/hvt_nowait.log
    if exits hvt_nowait "NETV and POLL" && [ "$(counter "$log" poll)" -gt 0 ] &&
        [ "$(counter "$log" netv_wait)" = 0 ]; then
        pass hvt_nowait_batches_frames_and_polls
    else
        fail hvt_nowait_batches_frames_and_polls "$(grep stats "$log")"
    fi
else
    skip hvt_nowait "the echo server without NETV_WAIT did not start" 1
fi

if echo_run hvt_plain "$T_TMP/echo-plain.hvt" 262144; then
    log=$T_TMP/hvt_plain.log
    expect hvt_plain_netv_unused 0 "$(counter "$log" netv)"
    reads=$(counter "$log" net_read)
    if [ "${reads:-0}" -gt 0 ] && [ "$(counter "$log" net_write)" -gt 0 ]; then
        pass hvt_plain_uses_net_read_and_write
    else
        fail hvt_plain_uses_net_read_and_write "$(grep stats "$log")"
    fi
else
    skip hvt_plain "the plain echo server did not start" 2
fi
finish
