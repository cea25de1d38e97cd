#!/usr/bin/env bash
# A fiber stack overflow is reported, never silent, on every target: the
# runtime names the fiber ("fiber stack overflow in fiber N "NAME" ...",
# from the guard page below its stack), the platform or tender reports
# the fault in one line, and the unikernel exits 255. The unikernel is
# test/fault/app: a fiber with 100 KB on its 64 KiB stack, and a TCP
# listen handler that keeps a 100 KB buffer on its stack and is sent a
# 60 KB request (unix: host sockets, the case that used to hang; spt,
# hvt and virtio (QEMU microvm, see tender/virtio/mirage-virtio): the
# direct stack over a tap in a namespace). With a stack chosen large
# enough (mirage_tcp_listen_stack) the same handler serves the request;
# the start function returned long before, the listener kept the
# unikernel running, and unlistening ends it with status 0.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/../net/netns.bash"
. "$(dirname "$0")/../socket/ports.bash"
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

PORT=$(free_ports 1)
OVERFLOW='^fiber stack overflow in fiber [0-9]+ "NAME" \(entry 0x[0-9a-f]+, stack size 65536\)$'

# The platform's or tender's one-line fault report.
fault_line() {
    case $1 in
    unix) echo '^unix: fault: SIGSEGV at rip 0x[0-9a-f]+, address 0x[0-9a-f]+$' ;;
    spt) echo '^mirage-spt: guest fault: SIGSEGV at rip 0x[0-9a-f]+, address 0x[0-9a-f]+$' ;;
    hvt) echo '^mirage-hvt: guest fault: #PF page fault \(error 0x[0-9a-f]+\) at rip 0x[0-9a-f]+, address 0x[0-9a-f]+$' ;;
    virtio) echo '^virtio: guest exception: #PF page fault, error 0x[0-9a-f]+, rip 0x[0-9a-f]+, cr2 0x[0-9a-f]+$' ;;
    esac
}

# wait_exit: wait (up to 60 s) for the unikernel started by `start` to
# end by itself; RC is its status (or "running").
wait_exit() {
    local i
    RC=running
    for ((i = 0; i < 600; i++)); do
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    if ! kill -0 "$PID" 2>/dev/null; then
        wait "$PID"
        RC=$?
        PID=
    fi
}

# nc_to TARGET: the command that connects to the unikernel's port (nc,
# under a 30 s limit; `ip netns exec` becomes the timeout process).
nc_to() {
    if [ "$1" = unix ]; then
        echo "timeout 30 nc -N 127.0.0.1 $PORT"
    else
        echo "ip netns exec $NS timeout 30 nc -N 10.0.0.2 $PORT"
    fi
}

# send TARGET BYTES: send BYTES zero bytes to the unikernel's port, shut
# the sending side down, and print the answer.
send() {
    head -c "$2" /dev/zero >"$T_TMP/request"
    $(nc_to "$1") <"$T_TMP/request" 2>/dev/null
}

# serve TARGET IMAGE MODE: boot the unikernel listening on PORT.
serve() {
    local log=$T_TMP/log-$1-$3
    : >"$log"
    if [ "$1" = unix ]; then
        "$2" --mode="$3" --port="$PORT" >"$log" 2>&1 &
        PID=$!
        wait_log "$log" listening
    else
        start "$1" "$2" "$log" --mode="$3" --port="$PORT"
    fi
}

check() {
    local t=$1 img out log sender
    img=$(image overflow "$t")
    # A fiber overflows its stack.
    if [ "$t" = unix ]; then
        out=$(timeout 60 "$img" --mode=fiber 2>&1)
        RC=$?
    else
        : >"$T_TMP/log-$t-fiber"
        START_READY=overflowing start "$t" "$img" "$T_TMP/log-$t-fiber" \
            --mode=fiber
        wait_exit
        out=$(cat "$T_TMP/log-$t-fiber")
    fi
    expect "overflow_${t}_fiber_status" 255 "$RC"
    expect_match "overflow_${t}_fiber_named" "${OVERFLOW/NAME/deep}" "$out"
    expect_match "overflow_${t}_fiber_fault_line" "$(fault_line "$t")" "$out"
    stop

    # A listen handler with 100 KB on its stack, sent 60 KB.
    if serve "$t" "$img" tcp; then
        # In the background: a guest that dies mid-connection never closes
        # it, so nc is stopped once the unikernel has ended.
        head -c 61440 /dev/zero >"$T_TMP/request"
        $(nc_to "$t") <"$T_TMP/request" >/dev/null 2>&1 &
        sender=$!
        wait_exit
        kill "$sender" 2>/dev/null
        wait "$sender" 2>/dev/null
        log=$(cat "$T_TMP/log-$t-tcp")
        expect "overflow_${t}_handler_status" 255 "$RC"
        expect_match "overflow_${t}_handler_named" \
            "${OVERFLOW/NAME/tcp port $PORT}" "$log"
        expect_match "overflow_${t}_handler_fault_line" "$(fault_line "$t")" \
            "$log"
    else
        for c in status named fault_line; do
            fail "overflow_${t}_handler_$c" "did not listen: $(cat "$T_TMP/log-$t-tcp")"
        done
    fi
    stop

    # The same handler on a 256 KiB stack serves the request; then it
    # unlistens and the unikernel ends on its own.
    if serve "$t" "$img" tcp-big; then
        out=$(send "$t" 61440)
        expect "overflow_${t}_big_stack_served" "read 61440" "$out"
        wait_exit
        expect "overflow_${t}_exits_when_unlistened" 0 "$RC"
    else
        for c in big_stack_served exits_when_unlistened; do
            fail "overflow_${t}_$c" "did not listen: $(cat "$T_TMP/log-$t-tcp-big")"
        done
    fi
    stop
}

# Per target: the build, then 3 + 3 + 2 cases.
plan 36
for t in unix spt hvt virtio; do
    target_usable "$t" "overflow_$t" 9 || continue
    rm -rf "$T_TMP/app"
    cp -r "$ROOT/test/fault/app" "$T_TMP/app"
    cd "$T_TMP/app" || exit 1
    net=
    [ "$t" = unix ] && net=--net=socket
    if ! out=$("$MIRAGE" configure -t "$t" $net 2>&1 && make 2>&1); then
        fail "overflow_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        for c in fiber_status fiber_named fiber_fault_line handler_status \
            handler_named handler_fault_line big_stack_served \
            exits_when_unlistened; do
            fail "overflow_${t}_$c" "the image did not build"
        done
        continue
    fi
    pass "overflow_${t}_build"
    check "$t"
done
finish
