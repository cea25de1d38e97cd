# Helpers for the network example tests (sourced, not run by test/run):
# boot one unikernel at a time in a network namespace made for it, whose
# tap0 is 10.0.0.1/24 and the unikernel 10.0.0.2. The caller runs `stop`
# from its EXIT trap so no process or namespace outlives the test.
NS=
PID=

# stop: kill the running unikernel (by PID) and delete its namespace.
stop() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    PID=
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    NS=
}

# wait_log LOG REGEX [TENTHS [COUNT]]: wait until COUNT (default 1)
# lines of LOG match REGEX (default limit 10 s); non-zero when they do
# not in time.
wait_log() {
    local i
    for ((i = 0; i < ${3:-100}; i++)); do
        [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "${4:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}

# start TARGET IMAGE LOG ARGS...: boot IMAGE (ARGS appended; LOG must be
# a new file: an old one could show a readiness line) in a new
# namespace; succeed once its log says it is answering, echoing or
# listening (within 10 s; START_READY, if set, is the regex to wait for).
start() {
    local t=$1 img=$2 log=$3
    shift 3
    NS=mirage-netex-$t-$$
    ip netns add "$NS" && ip -n "$NS" link set lo up &&
        ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" addr add 10.0.0.1/24 dev tap0 &&
        ip -n "$NS" link set tap0 up || return 1
    if [ "$t" = unix ]; then
        ip netns exec "$NS" "$img" --interface=tap0 --ipv4=10.0.0.2/24 "$@" \
            >"$log" 2>&1 &
    else
        ip netns exec "$NS" "$ROOT/build/bin/mirage-$t" --net:service=tap0 \
            "$img" --ipv4=10.0.0.2/24 "$@" >"$log" 2>&1 &
    fi
    PID=$!
    wait_log "$log" "${START_READY:-answering|echoing|listening}"
}
