#!/usr/bin/env bash
# Our TLS server against real clients, on the target TLS_TARGET (unix by
# default; test/tls/server_spt.sh runs it on spt): the test unikernel in
# a network namespace with credentials made by openssl (tls.bash), and
#   openssl s_client: TLS 1.3 with each of our three suites, TLS 1.2 with
#     each of our six, -servername choosing the ECDSA chain, -alpn (and
#     no protocol in common), -sess_out/-sess_in resumption on both
#     versions, KeyUpdate, a HelloRetryRequest (-groups ffdhe2048:P-256);
#   curl --tlsv1.3 and --tlsv1.2 --cacert;
#   Python's ssl module on both versions, with resumption;
#   bad peers, each answered with an alert and a closed connection, the
#     server going on: plain HTTP instead of TLS, an oversized record, a
#     truncated handshake, a client offering only TLS 1.1, and a record
#     whose MAC fails (a proxy flips a bit of s_client's data).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tls.bash"
plan 34
tls_begin tls_server
LOG=$T_TMP/server.log
tls_run "$LOG" "$C/creds.tar" 64 --names=ec.test --alpn=http/1.1,h2
wait_log "$LOG" listening 300 || tls_setup_failed ${P}_started "$(tail -5 "$LOG")"
pass ${P}_started

# s_client ARGS...: a line through the echo port; prints s_client's
# output (stdin "ping").
s_client() {
    echo ping | in_ns timeout 20 openssl s_client -connect 10.0.0.2:4433 \
        -CAfile "$C/root.pem" -ign_eof "$@" 2>&1
}
# expect_session NAME OUTPUT VERSION CIPHER: a verified session of that
# version and cipher, and the line echoed.
expect_session() {
    if printf '%s' "$2" | grep -q "Verification: OK" &&
        printf '%s' "$2" | grep -q "$3, Cipher is $4" &&
        printf '%s' "$2" | grep -q '^ping'; then
        pass "$1"
    else
        fail "$1" "$(printf '%s' "$2" | grep -E 'Cipher is|error|alert|Verif' | head -3)"
    fi
}

for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 \
    TLS_CHACHA20_POLY1305_SHA256; do
    expect_session ${P}_openssl_tls13_$s \
        "$(s_client -tls1_3 -ciphersuites $s -servername tls.test)" \
        "New, TLSv1.3" $s
done
for s in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 \
    ECDHE-ECDSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-GCM-SHA256 \
    ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
    expect_session ${P}_openssl_tls12_$s "$(s_client -tls1_2 -cipher $s)" \
        "New, TLSv1.2" $s
done

# SNI: ec.test gets the ECDSA chain, tls.test the RSA one.
out=$(s_client -tls1_3 -servername ec.test)
expect_match ${P}_sni_ecdsa_chain "Peer signature type: ECDSA" "$out"
expect_match ${P}_sni_logged "sni=ec.test" "$(cat "$LOG")"
out=$(s_client -tls1_3 -servername tls.test)
expect_match ${P}_sni_rsa_chain "Peer signature type: RSA-PSS" "$out"

# ALPN: the server's preference among the client's; none in common is
# the no_application_protocol alert.
expect_match ${P}_alpn_h2 "ALPN protocol: h2" "$(s_client -alpn h2)"
expect_match ${P}_alpn_preference "ALPN protocol: http/1.1" \
    "$(s_client -alpn h2,http/1.1)"
expect_match ${P}_alpn_none_in_common "no application protocol" \
    "$(s_client -alpn spdy/3)"

# Resumption with the tickets we issue.
for v in 1_3 1_2; do
    s_client -tls$v -sess_out "$T_TMP/sess$v" >/dev/null
    out=$(s_client -tls$v -sess_in "$T_TMP/sess$v")
    expect_match ${P}_openssl_resumed_tls$v "Reused, TLSv1.${v#1_}" "$out"
done

# KeyUpdate asked for by the client (s_client's K command), then data.
out=$( (
    sleep 1
    echo K
    sleep 1
    echo ping
    sleep 1
) | in_ns timeout 20 openssl s_client -connect 10.0.0.2:4433 \
    -CAfile "$C/root.pem" 2>&1)
expect_match ${P}_key_update_echo "^ping" "$out"
wait_log "$LOG" "1 key updates"
expect_match ${P}_key_update_seen "session: 1 key updates" "$(cat "$LOG")"

# A HelloRetryRequest: the client's only key share is for ffdhe2048.
out=$(s_client -tls1_3 -groups ffdhe2048:P-256)
expect_session ${P}_hello_retry "$out" "New, TLSv1.3" TLS_AES_128_GCM_SHA256
expect_match ${P}_hello_retry_group "group=P-256" "$(cat "$LOG")"

# curl and Python.
for v in "--tlsv1.3" "--tlsv1.2 --tls-max 1.2"; do
    out=$(in_ns timeout 20 curl -sS $v --cacert "$C/root.pem" \
        --resolve tls.test:4434:10.0.0.2 https://tls.test:4434/ 2>&1)
    expect ${P}_curl_${v:2:7} "hello from mirage" "$out"
done
cat >"$T_TMP/py.py" <<'PY'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
for v in (ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2):
    ctx.minimum_version = ctx.maximum_version = v
    sess = None
    for i in range(2):
        with socket.create_connection(("10.0.0.2", 4433), timeout=20) as s:
            with ctx.wrap_socket(s, server_hostname="tls.test",
                                 session=sess) as t:
                t.sendall(b"hello python\n")
                data = t.recv(100)
                print(t.version(), t.session_reused, data.decode().strip())
                sess = t.session
PY
expect ${P}_python "TLSv1.3 False hello python
TLSv1.3 True hello python
TLSv1.2 False hello python
TLSv1.2 True hello python" "$(in_ns timeout 60 python3 "$T_TMP/py.py" "$C/root.pem" 2>&1)"

# Bad peers. raw.py MODE: send something and print what comes back.
cat >"$T_TMP/raw.py" <<'PY'
import socket, ssl, sys
mode = sys.argv[1]
s = socket.create_connection(("10.0.0.2", 4433), timeout=20)
if mode == "http":
    s.sendall(b"GET / HTTP/1.1\r\nHost: tls.test\r\n\r\n")
elif mode == "oversized":
    s.sendall(b"\x16\x03\x01\x41\x01" + b"\x01" * 100)
elif mode == "truncated":
    # the start of a real ClientHello, then the end of the stream
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = ctx.wrap_bio(inb, outb, server_hostname="tls.test")
    try:
        o.do_handshake()
    except ssl.SSLWantReadError:
        pass
    s.sendall(outb.read()[:60])
    s.shutdown(socket.SHUT_WR)
elif mode == "tls11":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT@SECLEVEL=0")
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        ctx.wrap_socket(s, server_hostname="tls.test")
        print("connected")
    except ssl.SSLError as e:
        print("refused", e.reason)
    sys.exit(0)
got = b""
while True:
    b = s.recv(1000)
    if not b:
        break
    got += b
print(got.hex())
PY
raw() { in_ns timeout 30 python3 "$T_TMP/raw.py" "$@" 2>&1; }
# A fatal alert record: unexpected_message (10), record_overflow (22).
expect ${P}_plain_http_alert "1503030002020a" "$(raw http)"
expect ${P}_oversized_record_alert "15030300020216" "$(raw oversized)"
expect ${P}_truncated_handshake_closed "" "$(raw truncated)"
expect_match ${P}_truncated_handshake_logged "closed during the handshake" \
    "$(cat "$LOG")"
expect_match ${P}_tls11_client_refused "refused .*(PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS)" \
    "$(raw tls11)"

# A record whose MAC fails: a proxy flips one bit of the client's second
# protected record (its first application data) on its way.
cat >"$T_TMP/proxy.py" <<'PY'
import socket, threading
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.0.0.1", 9443))
srv.listen(1)
print("listening", flush=True)
c, _ = srv.accept()
u = socket.create_connection(("10.0.0.2", 4433))
def down():
    while True:
        b = u.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()
threading.Thread(target=down).start()
buf, seen = b"", 0
while True:
    b = c.recv(65536)
    if not b:
        break
    buf += b
    while len(buf) >= 5 and len(buf) >= 5 + int.from_bytes(buf[3:5], "big"):
        n = 5 + int.from_bytes(buf[3:5], "big")
        rec = bytearray(buf[:n])
        buf = buf[n:]
        if rec[0] == 0x17:
            seen += 1
            if seen == 2:
                rec[-1] ^= 0x01
        u.sendall(bytes(rec))
u.shutdown(socket.SHUT_WR)
PY
tls_bg "$T_TMP/proxy.log" timeout 30 python3 "$T_TMP/proxy.py"
wait_log "$T_TMP/proxy.log" listening
out=$( (
    sleep 1
    echo ping
    sleep 2
) | in_ns timeout 20 openssl s_client -connect 10.0.0.1:9443 -tls1_3 \
    -CAfile "$C/root.pem" -servername tls.test 2>&1)
expect_match ${P}_bad_mac_alert_received "bad record mac" "$out"
expect_match ${P}_bad_mac_logged "did not authenticate, sent alert bad_record_mac" \
    "$(cat "$LOG")"

# After all that the server still serves.
expect_session ${P}_still_serving "$(s_client -tls1_3)" "New, TLSv1.3" \
    TLS_AES_128_GCM_SHA256
if grep -qE 'abort|stack overflow|\[ERROR\]|fault' "$LOG"; then
    fail ${P}_clean_log "$(grep -m1 -E 'abort|stack overflow|\[ERROR\]|fault' "$LOG")"
else
    pass ${P}_clean_log
fi
finish
