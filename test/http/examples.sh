#!/usr/bin/env bash
# examples/static_website_tls and examples/http-fetch end to end, built by
# the configuration tool with the direct stack, in a network namespace
# (test/net/netns.bash) on unix, spt and hvt.
#
# static_website_tls (its site a tar archive on unix, compiled in on spt
# and hvt): curl gets the redirect from HTTP to HTTPS, a request without
# Host is refused (400); then over HTTPS (with tls/server.pem as the
# root) the page, the redirect followed, 304 for a known ETag, 404, and
# wrk keep-alive without errors.
#
# http-fetch, against nginx in the namespace (HTTP on 8080, HTTPS on
# 8443 with a certificate for tls.test from test/tls/tls.bash's test CA,
# which the image trusts instead of Debian's roots) and dnsmasq naming
# tls.test and ec.test: a page by name through a redirect, a 404; over
# HTTPS the page, and two refusals: a certificate for another name
# (ec.test) and a self-signed one (openssl s_server).
#
# On hvt the HTTPS cases are skipped, naming the function, when the guest
# stops at its first handshake because this machine's nested KVM cannot
# execute BearSSL's SSE code (DESIGN.md §11); elsewhere they run.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/../tls/tls.bash"
# (tls.bash's in_ns is for its own namespace: netns.bash's again.)
in_ns() { ip netns exec "$NS" "$@"; }
SITE_TLS_CASES=6  # HTTPS: page, redirect followed, 304, 404, wrk, clean log
SITE_CASES=4      # build, start, redirect, no Host
FETCH_TLS_CASES=3 # HTTPS: page, wrong name, self-signed
FETCH_CASES=3     # build, by name through a redirect, 404
plan $((3 * (SITE_CASES + SITE_TLS_CASES + FETCH_CASES + FETCH_TLS_CASES)))
netns_require http_examples curl wrk nginx dnsmasq openssl sha256sum
scratch
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    stop
    rm -rf "$T_TMP"
}
trap cleanup EXIT
C=$T_TMP/creds
tls_creds "$C" || {
    fail http_examples_creds "openssl could not make the credentials"
    skip_rest http_examples "the setup failed"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

site() {
    local t=$1 wait=100 args=() img log
    [ "$t" = hvt ] && wait=1200
    use_example static_website_tls
    # unix: the site as a tar archive (the file itself is the block
    # device); spt and hvt: compiled in.
    [ "$t" = unix ] && args=(--kv_ro=archive)
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct "${args[@]}" 2>&1 &&
        make 2>&1); then
        fail "site_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        return 1
    fi
    pass "site_${t}_build"
    img=$PWD/$(image static_website_tls "$t")
    log=$T_TMP/site-$t.log
    if ! START_READY='HTTPS on port' START_WAIT=$wait start "$t" "$img" "$log"; then
        fail "site_${t}_starts" "$(tail -n 5 "$log")"
        stop
        return 1
    fi
    pass "site_${t}_starts"
    local curl=(ip netns exec "$NS" timeout 120 curl -sS --cacert tls/server.pem)
    expect "site_${t}_http_redirects" "301 https://10.0.0.2:4433/about/" \
        "$("${curl[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' \
            http://10.0.0.2:8080/about/ 2>&1)"
    expect_match "site_${t}_no_host_400" '^HTTP/1.1 400' \
        "$(printf 'GET / HTTP/1.0\r\n\r\n' |
            ip netns exec "$NS" timeout 60 nc -N 10.0.0.2 8080 2>&1)"
    # The first HTTPS request, given up as soon as the guest stops.
    "${curl[@]}" -D "$T_TMP/h" -o "$T_TMP/b" https://10.0.0.2:4433/ &
    local cpid=$! why
    while kill -0 "$cpid" 2>/dev/null && kill -0 "$PID" 2>/dev/null; do
        sleep 0.2
    done
    kill "$cpid" 2>/dev/null
    wait "$cpid" 2>/dev/null
    if [ "$t" = hvt ] && why=$(hvt_cannot "$log" "$img"); then
        skip "site_${t}_https" "the guest stopped in $why: this machine's \
KVM cannot execute BearSSL's SSE code (DESIGN.md §11)" $SITE_TLS_CASES
    else
        expect "site_${t}_https_index" "$(sha htdocs/index.html)" "$(sha "$T_TMP/b")"
        "${curl[@]}" -L -o "$T_TMP/b" http://10.0.0.2:8080/about/
        expect "site_${t}_redirect_followed" "$(sha htdocs/about/index.html)" \
            "$(sha "$T_TMP/b")"
        local etag
        etag=$(grep -i '^etag:' "$T_TMP/h" | cut -d' ' -f2 | tr -d '\r')
        expect "site_${t}_https_304" 304 "$("${curl[@]}" -o /dev/null \
            -w '%{http_code}' -H "If-None-Match: $etag" https://10.0.0.2:4433/)"
        expect "site_${t}_https_404" 404 "$("${curl[@]}" -o /dev/null \
            -w '%{http_code}' https://10.0.0.2:4433/none)"
        out=$(ip netns exec "$NS" wrk -t1 -c30 -d3s https://10.0.0.2:4433/ 2>&1)
        if grep -q 'Requests/sec' <<<"$out" &&
            ! grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
            pass "site_${t}_wrk_https"
        else
            fail "site_${t}_wrk_https" "$(tail -n 4 <<<"$out" | xargs)"
        fi
        if grep -qE 'abort|fault|ERROR' "$log"; then
            fail "site_${t}_clean_log" "$(grep -m1 -E 'abort|fault|ERROR' "$log")"
        else
            pass "site_${t}_clean_log"
        fi
    fi
    stop
}

# The peers of http-fetch, in a namespace of their own kept for the
# three targets: nginx (HTTP and HTTPS), openssl s_server (self-signed),
# dnsmasq.
fetch_peers() {
    netns || return 1
    FETCH_NS=$NS
    local s=$T_TMP/www
    mkdir -p "$s/sub"
    python3 -c "import sys; open(sys.argv[1], 'w').write('<!DOCTYPE html>\n' + 'x' * 595 + '\n')" \
        "$s/index.html"
    echo '<p>sub</p>' >"$s/sub/index.html"
    . "$ROOT/test/http/nginx.bash"
    nginx_start "$NS" "$T_TMP/nginx" "$s" 10.0.0.1:8080 \
        'listen 10.0.0.1:8443 ssl;' "ssl_certificate $C/rsa.chain;" \
        "ssl_certificate_key $C/rsa.key;" 'location = /old { return 302 /sub/; }'
    PIDS+=("$NGINX_PID")
    ip netns exec "$NS" openssl s_server -quiet -accept 10.0.0.1:8444 \
        -cert "$C/selfsigned.crt" -key "$C/selfsigned.key" -www \
        >/dev/null 2>&1 &
    PIDS+=($!)
    ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
        --interface=tap0 --bind-interfaces --no-resolv --no-hosts \
        --pid-file= --address=/tls.test/10.0.0.1 --address=/ec.test/10.0.0.1 \
        >"$T_TMP/dnsmasq.out" 2>&1 &
    PIDS+=($!)
    wait_until 100 ip netns exec "$NS" curl -s -o /dev/null \
        --cacert "$C/root.pem" --resolve tls.test:8443:10.0.0.1 \
        https://tls.test:8443/
}

fetch() {
    local t=$1 img log
    use_example http-fetch
    # Trust the test CA instead of Debian's roots.
    rm -f tls/ca-roots.crt && cp "$C/root.pem" tls/ca-roots.crt
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct 2>&1 && make 2>&1); then
        fail "fetch_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        return 1
    fi
    pass "fetch_${t}_build"
    img=$PWD/$(image http-fetch "$t")
    NS=$FETCH_NS
    log=$T_TMP/fetch-$t
    run_to_end "$t" "$img" "$log-old" --resolver=10.0.0.1 \
        --uri=http://tls.test:8080/old
    expect_match "fetch_${t}_http_by_name_redirect" \
        "http://tls.test:8080/sub/: HTTP/1.1 200 OK \(1 redirects\).*header Server: nginx.*body 11 bytes" \
        "$(tr '\n' ' ' <"$log-old")"
    run_to_end "$t" "$img" "$log-404" --resolver=10.0.0.1 \
        --uri=http://10.0.0.1:8080/none
    expect_match "fetch_${t}_http_404" "HTTP/1.1 404 Not Found \(0 redirects\)" \
        "$(cat "$log-404")"
    run_to_end "$t" "$img" "$log-https" --resolver=10.0.0.1 \
        --uri=https://tls.test:8443/index.html
    local why
    if [ "$t" = hvt ] && why=$(hvt_cannot "$log-https" "$img"); then
        skip "fetch_${t}_https" "the guest stopped in $why: this machine's \
KVM cannot execute BearSSL's SSE code (DESIGN.md §11)" $FETCH_TLS_CASES
    else
        expect_match "fetch_${t}_https" \
            "https://tls.test:8443/index.html: HTTP/1.1 200 OK.*body 612 bytes" \
            "$(tr '\n' ' ' <"$log-https")"
        run_to_end "$t" "$img" "$log-name" --resolver=10.0.0.1 \
            --uri=https://ec.test:8443/index.html
        expect_match "fetch_${t}_https_wrong_name_refused" \
            "host name does not match.*cannot fetch https://ec.test:8443/index.html: authentication failed" \
            "$(tr '\n' ' ' <"$log-name")"
        run_to_end "$t" "$img" "$log-self" --resolver=10.0.0.1 \
            --uri=https://tls.test:8444/
        expect_match "fetch_${t}_https_self_signed_refused" \
            "no path to a trust anchor.*cannot fetch https://tls.test:8444/: authentication failed" \
            "$(tr '\n' ' ' <"$log-self")"
    fi
    NS=
}

if ! fetch_peers; then
    fail http_examples_peers "nginx, s_server or dnsmasq did not start"
    skip_rest http_examples "the setup failed"
fi
NS=
for t in unix spt hvt; do
    target_usable "$t" "http_examples_$t" \
        $((SITE_CASES + SITE_TLS_CASES + FETCH_CASES + FETCH_TLS_CASES)) || continue
    site "$t"
    fetch "$t"
done
NS=$FETCH_NS
finish
