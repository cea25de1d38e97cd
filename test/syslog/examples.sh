#!/usr/bin/env bash
# examples/syslog end to end, built by the configuration tool with the
# direct stack for each transport (--syslog-transport=udp, tcp, tls), run
# in a network namespace (test/net/netns.bash) against socat as the
# syslog server, on unix, spt and hvt:
#  - UDP: one RFC 5424 message a datagram, at the levels --logs lets
#    through (no debug by default), with the HOSTNAME of syslog_config
#    or of --syslog-hostname;
#  - TCP: RFC 6587 octet-counted frames, every one checked, debug ones
#    included with --logs=hello:debug;
#  - TLS: the same frames through socat's OPENSSL-LISTEN, the server's
#    certificate (from test/tls/tls.bash's test CA, for 10.0.0.1)
#    verified; a certificate for another address is refused, said on the
#    console, and the messages stay queued (with the TLS library's own
#    warning about it: it is logged too).
# Bad runtime arguments (no server, a malformed one, a port out of
# range) stop the image with a clear line (unix), and syslog_config's bad
# values fail configure at the device's line. On hvt the TLS cases are
# skipped, naming the function, when the guest stops at its first
# handshake because this machine's nested KVM cannot execute BearSSL's
# SSE code (DESIGN.md §11).
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/../tls/tls.bash"
# (tls.bash's in_ns is for its own namespace: netns.bash's again.)
in_ns() { ip netns exec "$NS" "$@"; }
CASES=4     # build and messages, UDP and TCP
TLS_CASES=3 # build, messages, a wrong certificate refused
plan $((3 * (CASES + TLS_CASES) + 2 + 4))

# Configure-time errors of syslog_config's values, at the device's line.
scratch
mkdir -p "$T_TMP/bad/t" && cd "$T_TMP/bad" || exit 1
cat >config.c <<'C'
#include <mirage/config.h>
int main(int argc, char **argv)
{
    impl *m = mirage_main("start", typ_fn(syslog_typ, job));
    impl *s = generic_stackv4v6(default_network());
    impl *a = syslog_udp(s, .config = syslog_config("h", .server = "10.0.0"));
    impl *b = syslog_tcp(s, .config = syslog_config("h", .port = 70000));
    impl *c = syslog_udp(s, .config = syslog_config("h", .truncate = 10));
    (void)a, (void)b, (void)c;
    return mirage_register(argc, argv, "bad", jobs(apply(m, syslog_udp(s))));
}
C
out=$("$MIRAGE" configure -t unix 2>&1)
expect_match syslog_config_bad_server \
    "config.c:6: error: syslog_udp: bad .server '10.0.0' \(expected an IPv4 or IPv6 address\)" "$out"
expect_match syslog_config_bad_port \
    "config.c:7: error: syslog_tcp: bad .port 70000 \(expected 1 to 65535\)" "$out"
expect_match syslog_config_bad_truncate \
    "config.c:8: error: syslog_udp: bad .truncate 10 \(expected 64 to 8192\)" "$out"
# The image's own check of --syslog-port.
sed -i 's/(void)a, (void)b, (void)c;//; s/impl \*[abc] = .*//' config.c
echo 'int start(struct mirage_syslog *s) { (void)s; return 0; }' >unikernel.c
if "$MIRAGE" configure -t unix >/dev/null 2>&1 && make >/dev/null 2>&1; then
    expect_match syslog_bad_port_arg "bad syslog port 70000 \(expected 1 to 65535\)" \
        "$(timeout 10 ./dist/bad --syslog=127.0.0.1 --syslog-port=70000 2>&1)"
else
    fail syslog_bad_port_arg "the image did not build: $(make 2>&1 | tail -n 5)"
fi
cd "$ROOT" || exit 1

netns_require syslog_examples socat openssl python3
SERVER=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    stop
    rm -rf "$T_TMP"
}
trap cleanup EXIT
C=$T_TMP/creds
# The test CA's credentials, and a server certificate for 10.0.0.1.
if ! tls_creds "$C" || ! (
    cd "$C" &&
        openssl req -newkey rsa:2048 -nodes -keyout syslog.key -out syslog.csr \
            -subj /CN=syslog.test &&
        printf 'subjectAltName=IP:10.0.0.1\nextendedKeyUsage=serverAuth\n' >syslog.ext &&
        openssl x509 -req -in syslog.csr -CA inter.pem -CAkey inter.key \
            -CAcreateserial -out syslog.crt -days 10 -extfile syslog.ext &&
        cat syslog.crt inter.pem >syslog.chain
) >"$T_TMP/openssl.log" 2>&1; then
    fail syslog_examples_creds "openssl: $(tail -n 3 "$T_TMP/openssl.log")"
    skip_rest syslog_examples "the setup failed"
fi
netns || {
    fail syslog_examples_setup "cannot create the namespace and tap"
    skip_rest syslog_examples "the setup failed"
}

# serve ADDRESS...: socat receiving at the socat ADDRESS into $T_TMP/got
# (emptied first) until stopped; returns once it listens.
serve() {
    : >"$T_TMP/got"
    # (ip netns exec becomes socat: $! is its process.)
    ip netns exec "$NS" socat -u "$1" "OPEN:$T_TMP/got,append" \
        2>"$T_TMP/socat.err" &
    SERVER=$!
    wait_until 50 bash -c "ip netns exec $NS ss -Hluntp | grep -q socat"
}
unserve() {
    kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    SERVER=
}

# frames: the octet-counted frames (RFC 6587 3.4.1) of $T_TMP/got, one a
# line, or "bad framing at BYTE".
frames() {
    python3 - "$T_TMP/got" <<'PY'
import re, sys
data, i, out = open(sys.argv[1], 'rb').read(), 0, []
while i < len(data):
    m = re.match(rb'([1-9][0-9]*) ', data[i:])
    if not m or i + m.end() + int(m.group(1)) > len(data):
        print("bad framing at", i)
        sys.exit()
    i += m.end()
    out.append(data[i:i + int(m.group(1))].decode())
    i += int(m.group(1))
print("\n".join(out))
PY
}

# want LEVELS HOST: the messages 3 rounds give at these severities (PRI
# 8 + severity: debug 15, info 14, warning 12, error 11), as
# "<PRI>1 HOST hello MSG" lines.
want() {
    local r p
    for r in 1 2 3; do
        for p in $1; do
            case $p in
            15) echo "<15>1 $2 hello round $r: a debug message" ;;
            14) echo "<14>1 $2 hello round $r: hello, syslog" ;;
            12) echo "<12>1 $2 hello round $r: a warning" ;;
            11) echo "<11>1 $2 hello round $r: an error" ;;
            esac
        done
    done
}
# The stack's own info lines (an IPv6 address assigned once DAD ends, at
# a time that varies) are kept out of the comparison by --logs.
QUIET_STACK='*:warning,application:info,hello:info'
# (The timestamp and the - - - of RFC 5424 dropped, to compare.)
strip() { sed -E 's/^(<[0-9]+>1) [^ ]+ ([^ ]+) ([^ ]+) - - - /\1 \2 \3 /'; }

build() {
    use_example syslog
    [ "$2" = tls ] && rm -f tls/ca-roots.crt && cp "$C/root.pem" tls/ca-roots.crt
    if ! out=$("$MIRAGE" configure -t "$1" --net=direct \
        --syslog-transport="$2" 2>&1 && make 2>&1); then
        fail "syslog_example_${1}_${2}_build" "$(printf '%s' "$out" | tail -n 15)"
        return 1
    fi
    pass "syslog_example_${1}_${2}_build"
    IMG=$PWD/$(image syslog "$1")
}

for t in unix spt hvt; do
    n=$((CASES + TLS_CASES))
    [ $t = unix ] && n=$((n + 2))
    target_usable "$t" "syslog_examples_$t" $n || continue
    log=$T_TMP/$t.log
    # UDP: datagrams are not octet-counted; socat appends them, each
    # ending with the next "<PRI>1 ".
    if build $t udp; then
        serve UDP-RECV:514,bind=10.0.0.1
        run_to_end $t "$IMG" "$log" --syslog=10.0.0.1 --count=3 \
            --syslog-hostname=www.test --logs="$QUIET_STACK"
        wait_until 50 test "$(grep -o '<1[0-9]>1 ' "$T_TMP/got" | wc -l)" -ge 9
        unserve
        expect "syslog_example_${t}_udp_messages" \
            "$(want "14 12 11" www.test) sent 9" \
            "$(sed -E 's/(<1[0-9]>1 )/\n\1/g' "$T_TMP/got" | sed 1d | strip) $(
                grep -o 'sent [0-9]*' "$log")"
        if [ $t = unix ]; then
            run_to_end $t "$IMG" "$log"
            expect_match syslog_example_no_server \
                "no syslog server given \(--syslog=ADDRESS\)" "$(cat "$log")"
            run_to_end $t "$IMG" "$log" --syslog=10.0.0.300
            expect_match syslog_example_bad_server \
                "bad syslog server '10.0.0.300' \(expected an IP address\)" "$(cat "$log")"
        fi
    fi
    # TCP, debug messages included.
    if build $t tcp; then
        serve TCP-LISTEN:514,bind=10.0.0.1,reuseaddr
        run_to_end $t "$IMG" "$log" --syslog=10.0.0.1 --count=3 \
            --logs='*:warning,application:info,hello:debug'
        unserve
        expect "syslog_example_${t}_tcp_octet_counted" \
            "$(want "15 14 12 11" mirage) sent 12" "$(frames | strip) $(
                grep -o 'sent [0-9]*' "$log")"
    fi
    # TLS: verified against the test CA; then a certificate for
    # 10.0.0.2, not the server's address, is refused.
    if build $t tls; then
        serve "OPENSSL-LISTEN:6514,bind=10.0.0.1,reuseaddr,cert=$C/syslog.chain,key=$C/syslog.key,verify=0"
        run_to_end $t "$IMG" "$log" --syslog=10.0.0.1 --count=3 \
            --logs="$QUIET_STACK"
        unserve
        if [ $t = hvt ] && why=$(hvt_cannot "$log" "$IMG"); then
            skip "syslog_example_${t}_tls" "the guest stopped in $why: this \
machine's KVM cannot execute BearSSL's SSE code (DESIGN.md §11)" $((TLS_CASES - 1))
            continue
        fi
        expect "syslog_example_${t}_tls_messages" \
            "$(want "14 12 11" mirage) sent 9" "$(frames | strip) $(
                grep -o 'sent [0-9]*' "$log")"
        serve "OPENSSL-LISTEN:6514,bind=10.0.0.1,reuseaddr,cert=$C/rsa.chain,key=$C/rsa.key,verify=0"
        run_to_end $t "$IMG" "$log" --syslog=10.0.0.1 --count=3
        unserve
        expect_match "syslog_example_${t}_tls_wrong_certificate" \
            "cannot reach the syslog server: authentication failed; retrying.*[0-9]+ messages still queued after 10 s \(sent 0, dropped 0\) +0$" \
            "$(tr '\n' ' ' <"$log") $(wc -c <"$T_TMP/got")"
    fi
done
finish
