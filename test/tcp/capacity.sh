#!/usr/bin/env bash
# How many connections the direct stack holds, against the Linux kernel
# (the test unikernel of test/tcp/peer.bash), on unix, spt and hvt:
#   - CAPACITY_CONNECTS (default 1000; 300 on hvt, whose guest
#     instructions this machine's KVM emulates) concurrent connects to the
#     echo port all complete and echo: past the SYN queue's 128 the
#     SYN-ACKs carry cookies (RFC 4987), and none is reset;
#   - CAPACITY_IDLE (default 10000; 200 on hvt) idle connections opened
#     by the unikernel to Linux fit in a guest of --mem=64 (on unix, whose
#     heap is the host's, its resident memory grows by less than 64 MiB)
#     and still answer, while they hold no queue memory; then one busy
#     connection gets its full 256 KiB receive queue (on hvt, whose guest
#     is too slow here to fill it, the transfer only is checked; the
#     throughput itself is measured by bench/tcp.sh).
# The allocator's heap-check mode (which walks the whole heap at every
# allocation) would make 10,000 connections take many minutes: it is off
# here. Needs root and /dev/net/tun.
. "$(dirname "$0")/peer.bash"
# Per target: the connects, then five cases about the idle connections
# and the busy one, and on unix one more (its resident memory).
plan $((3 * 6 + 1))
netns_require tcp_capacity python3
scratch
HPID=
trap '[ -n "$HPID" ] && kill "$HPID" 2>/dev/null; stop; rm -rf "$T_TMP"' EXIT
ulimit -n "$(ulimit -Hn)" # Linux holds CAPACITY_IDLE sockets

cat >"$T_TMP/peer.py" <<'PY'
import os, selectors, socket, sys, time

def connects(n):
    # n connects at once to the echo port; then each sends 4 bytes and
    # must get them back.
    socks, sel = [], selectors.DefaultSelector()
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("10.78.0.2", 5003))
        sel.register(s, selectors.EVENT_WRITE)
        socks.append(s)
    connected, pending, end = 0, n, time.monotonic() + 60
    while pending and time.monotonic() < end:
        for key, _ in sel.select(timeout=1):
            sel.unregister(key.fileobj)
            pending -= 1
            connected += key.fileobj.getsockopt(socket.SOL_SOCKET,
                                                socket.SO_ERROR) == 0
    echoed = 0
    for s in socks:
        try:
            s.setblocking(True)
            s.settimeout(60)
            s.sendall(b"ping")
            got = b""
            while len(got) < 4:
                b = s.recv(4 - len(got))
                if not b:
                    break
                got += b
            echoed += got == b"ping"
        except OSError:
            pass
    print("connected %d echoed %d of %d" % (connected, echoed, n))

def hold(n, out):
    # Accept n connections; once the file out.go exists, send a byte on
    # each and expect it back; keep them open until killed.
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("10.78.0.1", 6100))
    srv.listen(4096)
    srv.settimeout(300)
    print("listening", flush=True)
    conns = [srv.accept()[0] for _ in range(n)]
    end = time.monotonic() + 300
    while not os.path.exists(out + ".go") and time.monotonic() < end:
        time.sleep(0.1)
    for c in conns:
        c.sendall(b"x")
    ok = 0
    for c in conns:
        c.settimeout(60)
        try:
            ok += c.recv(1) == b"x"
        except OSError:
            pass
    with open(out, "w") as f:
        f.write("echoed %d of %d\n" % (ok, n))
    time.sleep(3600)

def send(n):
    s = socket.create_connection(("10.78.0.2", 5001), timeout=60)
    block = bytearray(65521)
    x = 1
    for i in range(len(block)):
        x = (x * 1103515245 + 12345) & 0xffffffff
        block[i] = (x >> 16) & 0xff
    data = (bytes(block) * (n // len(block) + 1))[:n]
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    print("sent")

cmd, a = sys.argv[1], sys.argv[2:]
if cmd == "connects": connects(int(a[0]))
elif cmd == "hold": hold(int(a[0]), a[1])
elif cmd == "send": send(int(a[0]))
PY
py() { in_ns timeout 300 python3 "$T_TMP/peer.py" "$@"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }

for t in unix spt hvt; do
    cases=6
    [ "$t" = unix ] && cases=7
    peer_target "$t" "tcp_${t}_capacity" "$cases" || continue
    if [ "$t" = hvt ]; then
        conns=${CAPACITY_CONNECTS_HVT:-300} idle=${CAPACITY_IDLE_HVT:-200}
    else
        conns=${CAPACITY_CONNECTS:-1000} idle=${CAPACITY_IDLE:-10000}
    fi

    # Concurrent connects.
    log=$T_TMP/$t-connects.log
    TENDER_OPTS=()
    if peer_boot "$t" "$log"; then
        out=$(py connects "$conns" 2>&1)
    else
        out="the unikernel did not start: $(tail -n 3 "$log")"
    fi
    expect "tcp_${t}_${conns}_concurrent_connects" \
        "connected $conns echoed $conns of $conns" "$out"
    stop

    # Idle connections in 64 MiB (Linux listens first, in the namespace
    # that peer_boot then uses), then a busy one.
    log=$T_TMP/$t-idle.log
    rm -f "$T_TMP/held" "$T_TMP/held.go" "$T_TMP/hold.log"
    TENDER_OPTS=(--mem=64)
    before= after=
    if netns; then
        ip netns exec "$NS" timeout 900 python3 "$T_TMP/peer.py" hold "$idle" \
            "$T_TMP/held" >"$T_TMP/hold.log" 2>&1 &
        HPID=$!
        wait_log "$T_TMP/hold.log" listening
        if peer_boot "$t" "$log" --idle="10.78.0.1:6100:$idle"; then
            [ "$t" = unix ] && before=$(rss)
            wait_log "$log" "idle [0-9]+ open|idle: " 3000
        fi
    fi
    expect_match "tcp_${t}_${idle}_idle_connections_in_64_MiB" \
        "idle $idle open, queue memory 0" "$(grep -a 'idle' "$log" 2>&1)"
    touch "$T_TMP/held.go"
    wait_log "$T_TMP/held" echoed 1200
    expect "tcp_${t}_${idle}_idle_connections_answer" "echoed $idle of $idle" \
        "$(cat "$T_TMP/held" 2>&1)"
    if [ "$t" = unix ]; then
        [ -n "$PID" ] && after=$(rss)
        if [ -n "$before" ] && [ -n "$after" ] &&
            [ $((after - before)) -lt 65536 ]; then
            pass "tcp_unix_${idle}_idle_connections_resident_under_64_MiB"
        else
            fail "tcp_unix_${idle}_idle_connections_resident_under_64_MiB" \
                "RSS [$before] kB before, [$after] kB after"
        fi
    fi
    bytes=$((64 << 20)) full=$((256 << 10))
    [ "$t" = hvt ] && bytes=$((256 << 10)) full=0
    expect "tcp_${t}_busy_beside_idle_sent" sent "$(py send "$bytes" 2>&1)"
    wait_log "$log" "sink $bytes" 300
    line=$(grep -a "sink $bytes" "$log")
    peak=$(printf '%s' "$line" | sed -n 's/.*queue memory peak \([0-9]*\).*/\1/p')
    if printf '%s' "$line" | grep -q "bytes ok" && [ -n "$peak" ] &&
        [ "$peak" -ge "$full" ]; then
        pass "tcp_${t}_busy_beside_idle_gets_its_full_queue"
    else
        fail "tcp_${t}_busy_beside_idle_gets_its_full_queue" "[$line]"
    fi
    if grep -qaE 'ERROR|abort|overflow' "$log"; then
        fail "tcp_${t}_capacity_clean_log" "$(grep -a -m1 -E 'ERROR|abort|overflow' "$log")"
    else
        pass "tcp_${t}_capacity_clean_log"
    fi
    if [ -n "$HPID" ]; then
        kill "$HPID" 2>/dev/null
        wait "$HPID" 2>/dev/null
    fi
    HPID=
    stop
done
finish
