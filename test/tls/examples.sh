#!/usr/bin/env bash
# examples/tls-echo and examples/conduit_server end to end, built by the
# configuration tool: on unix over the host's sockets (the default stack;
# no root needed), then with the direct stack in a network namespace
# (test/net/netns.bash) on unix, spt and hvt. tls-echo: Python's ssl
# (TLS 1.3 and 1.2) and openssl s_client (the certificate of tls/
# verified) get their line back, and plain text on the TLS port only
# costs that connection. conduit_server: curl gets the greeting over
# HTTP and over HTTPS (TLS 1.3 and 1.2) from one handler. On this
# development machine hvt stops at the first handshake (its nested KVM
# cannot execute the SSE instructions in Debian's BearSSL, DESIGN.md
# §11): the hvt TLS cases are then skipped, naming the function it stopped
# in; conduit_server still serves plain HTTP there.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/../net/netns.bash"
. "$(dirname "$0")/../socket/ports.bash"
ECHO_CASES=6    # build, start, Python 1.3 and 1.2, s_client, plain text
CONDUIT_CASES=5 # build, start, HTTP, HTTPS 1.3 and 1.2
plan $((6 + 3 * (ECHO_CASES + CONDUIT_CASES)))

# Configure-time errors of the TLS devices, at the combinator's line.
scratch
mkdir -p "$T_TMP/bad/t" && cd "$T_TMP/bad" || exit 1
cat >config.c <<'C'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(tls_server_typ, job));
    impl *a = tls_server(crunch("t"), .alpn = "h2,,http/1.1");
    impl *b = tls_server(crunch("t"), .names = "a.example b.example");
    impl *c = tls_server(crunch("t"), .pclock = default_posix_clock());
    impl *d = tls_client(crunch("t"), .names = "a.example");
    (void)a, (void)b, (void)c, (void)d;
    return mirage_register(argc, argv, "bad",
                           jobs(apply(m, tls_server(crunch("t")))));
}
C
out=$("$MIRAGE" configure -t unix 2>&1)
expect_match tls_config_bad_alpn "config.c:5: error: tls_server: bad .alpn 'h2,,http/1.1'" "$out"
expect_match tls_config_bad_names "config.c:6: error: tls_server: bad .names" "$out"
expect_match tls_config_server_pclock "config.c:7: error: tls_server: .pclock is for tls_client" "$out"
expect_match tls_config_client_names "config.c:8: error: tls_client: .names is for tls_server" "$out"

# py_echo HOST PORT VERSION CAFILE [NETNS]: the line Python's ssl gets
# back from a TLS echo server, or its error.
py_echo() {
    local run=()
    [ -n "${5:-}" ] && run=(ip netns exec "$5")
    "${run[@]}" timeout 60 python3 - "$@" <<'PY' 2>&1 | tail -1
import socket, ssl, sys
host, port, version, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=cafile)
v = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
ctx.minimum_version = ctx.maximum_version = v
with socket.create_connection((host, port), timeout=50) as raw:
    with ctx.wrap_socket(raw, server_hostname=host) as s:
        s.sendall(b"echo over TLS %s\n" % version.encode())
        got = b""
        while not got.endswith(b"\n"):
            b = s.recv(100)
            if not b:
                break
            got += b
        print(s.version(), got.decode().strip())
        s.unwrap()
PY
}

# Over the host's sockets (unix, no namespace): a port of its own.
use_example tls-echo
port=$(free_ports 1)
if ! out=$("$MIRAGE" configure -t unix 2>&1 && make 2>&1); then
    fail tls_echo_unix_socket_build "$(printf '%s' "$out" | tail -n 15)"
    skip tls_echo_unix_socket_echo "the build failed"
else
    pass tls_echo_unix_socket_build
    ./dist/tls-echo --port=$port >"$T_TMP/socket.log" 2>&1 &
    PID=$!
    wait_log "$T_TMP/socket.log" 'TLS echo on port'
    expect tls_echo_unix_socket_echo "TLSv1.3 echo over TLS 1.3" \
        "$(py_echo 127.0.0.1 $port 1.3 "$PWD/tls/server.pem")"
    stop
fi

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest tls_examples_direct "needs root and /dev/net/tun"
fi
trap 'stop; rm -rf "$T_TMP"' EXIT

# echo_cases: tls-echo's cases once it runs on $t: Python and s_client
# get their line back, and plain text on its port costs only that
# connection.
echo_cases() {
    local out
    expect "tls_echo_${t}_python_tls13" "TLSv1.3 echo over TLS 1.3" "$got"
    expect "tls_echo_${t}_python_tls12" "TLSv1.2 echo over TLS 1.2" \
        "$(py_echo 10.0.0.2 4433 1.2 "$PWD/tls/server.pem" "$NS")"
    out=$( (echo "from s_client"; sleep 2) | ip netns exec "$NS" \
        timeout 30 openssl s_client -connect 10.0.0.2:4433 \
        -CAfile tls/server.pem -verify_return_error 2>&1)
    if [[ $out == *"Verify return code: 0 (ok)"* ]] &&
        grep -qx 'from s_client' <<<"$out"; then
        pass "tls_echo_${t}_s_client_verified"
    else
        fail "tls_echo_${t}_s_client_verified" "$(tail -n 5 <<<"$out")"
    fi
    printf 'GET / HTTP/1.0\r\n\r\n' | ip netns exec "$NS" \
        timeout 10 nc -N 10.0.0.2 4433 >/dev/null 2>&1
    expect "tls_echo_${t}_plain_text_refused" "TLSv1.3 echo over TLS 1.3" \
        "$(py_echo 10.0.0.2 4433 1.3 "$PWD/tls/server.pem" "$NS")"
}

# conduit_cases: conduit_server on $t: HTTP always, HTTPS unless $no_tls
# says why this target cannot run TLS here.
conduit_cases() {
    local out log curl
    use_example conduit_server
    if ! out=$("$MIRAGE" configure -t $t --net=direct 2>&1 && make 2>&1); then
        fail "conduit_server_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "conduit_server_${t}_runs" "the build failed" \
            $((CONDUIT_CASES - 1))
        return
    fi
    pass "conduit_server_${t}_build"
    log=$T_TMP/conduit-$t.log
    if ! START_READY='HTTPS on port' START_WAIT=$wait start $t \
        "$PWD/$(image conduit_server $t)" "$log"; then
        fail "conduit_server_${t}_starts" "$(tail -n 5 "$log")"
        skip "conduit_server_${t}_runs" "it did not start" \
            $((CONDUIT_CASES - 2))
        stop
        return
    fi
    pass "conduit_server_${t}_starts"
    curl=(ip netns exec "$NS" timeout 60 curl -sS --cacert tls/server.pem)
    expect "conduit_server_${t}_http" "Hello from MirageC over HTTP" \
        "$("${curl[@]}" http://10.0.0.2:8080/ 2>&1)"
    if [ -n "$no_tls" ]; then
        skip "conduit_server_${t}_https" "$no_tls" 2
    else
        expect "conduit_server_${t}_https_tls13" \
            "Hello from MirageC over HTTPS" \
            "$("${curl[@]}" --tlsv1.3 https://10.0.0.2:8443/ 2>&1)"
        expect "conduit_server_${t}_https_tls12" \
            "Hello from MirageC over HTTPS" \
            "$("${curl[@]}" --tlsv1.2 --tls-max 1.2 https://10.0.0.2:8443/ 2>&1)"
    fi
    stop
}

for t in unix spt hvt; do
    target_usable "$t" "tls_examples_$t" $((ECHO_CASES + CONDUIT_CASES)) ||
        continue
    wait=100
    [ $t = hvt ] && wait=1200 # every guest instruction is emulated here
    no_tls= # why this target cannot run TLS here, once known
    # tls-echo
    use_example tls-echo
    if ! out=$("$MIRAGE" configure -t $t --net=direct 2>&1 && make 2>&1); then
        fail "tls_echo_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        skip "tls_echo_${t}_runs" "the build failed" $((ECHO_CASES - 1))
    else
        pass "tls_echo_${t}_build"
        img=$PWD/$(image tls-echo $t)
        log=$T_TMP/echo-$t.log
        # (loading the key takes seconds of emulated instructions on hvt)
        if ! START_READY='TLS echo on port' START_WAIT=$wait start $t "$img" \
            "$log"; then
            fail "tls_echo_${t}_starts" "$(tail -n 5 "$log")"
            skip "tls_echo_${t}_runs" "it did not start" $((ECHO_CASES - 2))
        else
            pass "tls_echo_${t}_starts"
            got=$(py_echo 10.0.0.2 4433 1.3 "$PWD/tls/server.pem" "$NS")
            if [ $t = hvt ] && why=$(hvt_cannot "$log" "$img"); then
                no_tls="the guest stopped in $why: this machine's KVM \
cannot execute BearSSL's SSE code (DESIGN.md §11)"
                skip "tls_echo_${t}_runs" "$no_tls" $((ECHO_CASES - 2))
            else
                echo_cases
            fi
        fi
        stop
    fi
    conduit_cases
done
finish
