#!/usr/bin/env bash
# A TLS server with 30 concurrent sessions in an 8 MiB guest: the TLS
# test unikernel on spt with --mem=8, 30 Python clients that all finish
# their handshakes (TLS 1.3, then TLS 1.2) before any of them sends its
# line, each getting its line back. Then the same again, to show that the
# first round's memory came back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tls.bash"
TLS_TARGET=spt
TLS_IMAGE="$ROOT/build/test-images/tls_peer.spt"
plan 5
tls_begin tls_memory
LOG=$T_TMP/server.log
tls_run "$LOG" "$C/creds.tar" 8
wait_log "$LOG" listening 300 || tls_setup_failed tls_memory_started "$(tail -5 "$LOG")"
pass tls_memory_started_in_8_mib

cat >"$T_TMP/many.py" <<'PY'
import socket, ssl, sys, threading
n, version = int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=sys.argv[1])
v = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
ctx.minimum_version = ctx.maximum_version = v
barrier = threading.Barrier(n, timeout=60)
ok = []
def one(i):
    try:
        s = socket.create_connection(("10.0.0.2", 4433), timeout=60)
        t = ctx.wrap_socket(s, server_hostname="tls.test")
        barrier.wait()           # every session is up at once
        line = b"session %d\n" % i
        t.sendall(line)
        got = b""
        while not got.endswith(b"\n"):
            b = t.recv(100)
            if not b:
                break
            got += b
        ok.append(got == line)
        t.close()
    except Exception as e:
        print("session", i, "failed:", e)
        barrier.abort()
threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in threads: t.start()
for t in threads: t.join()
print("echoed", sum(ok), "of", n)
PY
for round in 1 2; do
    for v in 1.3 1.2; do
        [ $round = 2 ] && [ $v = 1.2 ] && continue
        expect tls_memory_30_sessions_tls${v}_round$round "echoed 30 of 30" \
            "$(in_ns timeout 120 python3 "$T_TMP/many.py" "$C/root.pem" 30 $v 2>&1 | tail -1)"
    done
done
if grep -qE 'out of memory|abort|stack overflow|\[ERROR\]|handshake:' "$LOG"; then
    fail tls_memory_clean_log "$(grep -m1 -E 'out of memory|abort|stack overflow|\[ERROR\]|handshake:' "$LOG")"
else
    pass tls_memory_clean_log
fi
finish
