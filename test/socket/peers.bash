# Sourced by the socket tests against Linux peers (peers.sh, v6.sh) after
# lib.sh: a scratch directory, the processes (PIDS) and network
# namespaces (NAMESPACES) the test starts, killed by PID and deleted on
# exit, and helpers for the peer programs.
PEER="$ROOT/test/socket/peer.py"
scratch
PIDS=()
RUN=
NAMESPACES=()
cleanup() {
    exec 3>&- 2>/dev/null
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    for n in "${NAMESPACES[@]}"; do
        ip netns del "$n" 2>/dev/null
    done
    rm -rf "$T_TMP"
}
trap cleanup EXIT

# wait_line FILE TEXT: wait up to 10 s for TEXT to appear in FILE.
wait_line() {
    for _ in $(seq 100); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# peer NAME ARGS...: run peer.py with ARGS (its address in PEER_HOST);
# pass when it prints "ok". RUN (if set) prefixes the command, such as
# "ip netns exec NS".
peer() {
    local name=$1 out
    shift
    out=$(timeout 120 $RUN python3 "$PEER" "$@" 2>&1)
    expect_match "$name" '^ok' "$out"
}
