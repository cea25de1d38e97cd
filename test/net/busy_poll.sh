#!/usr/bin/env bash
# --busy-poll against Linux's ping flood (one request in flight): the
# test unikernel (build/test-images/net_peer*) on unix and spt answers
# every ping either way, and the process's voluntary context switches
# (/proc/PID/status: each one a sleep in ppoll or epoll_pwait) show the
# difference: about one per ping without busy polling, almost none with
# a budget longer than the gap between two pings. Skipped when not root
# or without /dev/net/tun.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.bash"
plan $((2 * 5))
netns_require net_busy_poll ping
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT
COUNT=2000
START_READY=ready

switches() { sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status"; }

# flood TARGET BUSY: boot the unikernel with --busy-poll=BUSY, flood it
# with COUNT pings; prints "LOSS SWITCHES" (ping's loss in percent, the
# voluntary context switches during the flood).
flood() {
    local t=$1 log=$T_TMP/$1-$2.log img=$ROOT/build/test-images/net_peer
    local args=(--busy-poll="$2")
    if [ "$t" != unix ]; then
        img=$img.$t
        args+=(--interface=service)
    fi
    if ! start "$t" "$img" "$log" "${args[@]}"; then
        echo "no-start 0"
        stop
        return
    fi
    # Resolve the MAC first, so that the flood is pings only.
    in_ns ping -c 1 -W 2 "$NETNS_NET.2" >/dev/null 2>&1
    local before after out
    before=$(switches "$PID")
    out=$(in_ns timeout 60 ping -q -f -c $COUNT "$NETNS_NET.2" 2>&1)
    after=$(switches "$PID")
    printf '%s %s\n' "$(printf '%s\n' "$out" | grep -o '[0-9.]*% packet loss' |
        cut -d% -f1)" $((after - before))
    stop
}

for t in unix spt; do
    if [ "$t" != unix ] && [ ! -e "$ROOT/build/test-images/net_peer.$t" ]; then
        skip_rest "net_busy_poll_$t" "net_peer.$t is missing"
    fi
    # (Command substitution: the flood's clean-up ends before the next.)
    read -r loss plain <<<"$(flood "$t" 0)"
    expect "net_busy_poll_${t}_plain_answers" 0 "$loss"
    # A sleep per ping, give or take the pings that arrived while the
    # reply was being written.
    expect "net_busy_poll_${t}_plain_sleeps" 1 $((plain > COUNT / 4))
    read -r loss busy <<<"$(flood "$t" 1000000)"
    expect "net_busy_poll_${t}_busy_answers" 0 "$loss"
    expect "net_busy_poll_${t}_busy_stays_awake" 0:1 \
        "$loss:$((busy < COUNT / 20))"
    expect "net_busy_poll_${t}_fewer_sleeps" 1 $((busy < plain))
    echo "# $t: $plain voluntary context switches for $COUNT pings," \
        "$busy with --busy-poll"
done
finish
