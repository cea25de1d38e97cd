#!/usr/bin/env bash
# Our TLS client against real servers, on TLS_TARGET (unix by default;
# test/tls/client_spt.sh runs it on spt): the test unikernel as a client
# (tls.bash) of
#   nginx with TLS (ECDSA chain): TLS 1.3 and 1.2, resumption;
#   openssl s_server -www (RSA chain): TLS 1.3 and 1.2, resumption,
#     ALPN, a HelloRetryRequest (-groups P-256), a CertificateRequest,
#     SPKI pins (right and wrong);
#   and servers it must refuse with the right alert: an expired
#   certificate, the wrong host name, an unknown CA (self-signed), a
#   server offering only TLS 1.1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tls.bash"
plan 28
tls_begin tls_client

# client NAME ARGS...: run the unikernel as a client, output in
# $T_TMP/NAME.log, printed.
client() {
    local name=$1
    shift
    tls_client "$T_TMP/$name.log" "$C/creds.tar" "$@"
    cat "$T_TMP/$name.log"
}

# nginx, one worker, ECDSA chain, on 10.0.0.1:8444.
mkdir -p "$T_TMP/nginx/www"
echo "hello from nginx" >"$T_TMP/nginx/www/index.html"
chmod 755 "$T_TMP" "$T_TMP/nginx" "$T_TMP/nginx/www" # nginx's worker is nobody
cat >"$T_TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $T_TMP/nginx/nginx.pid;
error_log $T_TMP/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T_TMP/nginx;
    proxy_temp_path $T_TMP/nginx;
    fastcgi_temp_path $T_TMP/nginx;
    uwsgi_temp_path $T_TMP/nginx;
    scgi_temp_path $T_TMP/nginx;
    server {
        listen 10.0.0.1:8444 ssl;
        server_name ec.test;
        ssl_certificate $C/ec.chain;
        ssl_certificate_key $C/ec.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_tickets on;
        root $T_TMP/nginx/www;
    }
}
EOF
tls_bg "$T_TMP/nginx/out.log" /usr/sbin/nginx -c "$T_TMP/nginx/nginx.conf" -p "$T_TMP/nginx"
tls_wait_port 10.0.0.1 8444 ||
    tls_setup_failed ${P}_nginx_started "$(cat "$T_TMP/nginx/error.log")"
for v in 1.3 1.2; do
    out=$(client nginx$v --connect=10.0.0.1:8444 --host=ec.test \
        --max-version=$v --connections=2)
    expect_match ${P}_nginx_tls$v "client: TLS$v .*resumed=no" "$out"
    expect_match ${P}_nginx_tls${v}_resumed "client: TLS$v .*resumed=yes" "$out"
    expect_match ${P}_nginx_tls${v}_data "got [0-9]+ bytes: HTTP/1.1 200 OK" "$out"
    expect_match ${P}_nginx_tls${v}_clean "client: done, 0 failed" "$out"
done

# s_server PORT ARGS...: openssl's server on 10.0.0.1:PORT with the RSA
# chain by default.
s_server() {
    local port=$1
    shift
    tls_bg "$T_TMP/s_server$port.log" openssl s_server \
        -accept 10.0.0.1:$port -www -quiet "$@"
    tls_wait_port 10.0.0.1 $port
}
s_server 8443 -cert "$C/rsa.crt" -cert_chain "$C/inter.pem" \
    -key "$C/rsa.key" -alpn http/1.1
for v in 1.3 1.2; do
    out=$(client s_server$v --connect=10.0.0.1:8443 --host=tls.test \
        --max-version=$v --connections=2 --alpn=h2,http/1.1)
    expect_match ${P}_openssl_tls$v "client: TLS$v .*resumed=no alpn=http/1.1" "$out"
    expect_match ${P}_openssl_tls${v}_resumed "client: TLS$v .*resumed=yes" "$out"
    expect_match ${P}_openssl_tls${v}_data "got [0-9]+ bytes: HTTP/1.0 200 ok" "$out"
done
# KeyUpdate from our side, then the request.
out=$(client keyupdate --connect=10.0.0.1:8443 --host=tls.test --key-update)
expect_match ${P}_key_update "got [0-9]+ bytes: HTTP/1.0 200 ok" "$out"
# Pins: the leaf's key, the root's key, a wrong one.
pin=$(tls_spki_pin "$C/rsa.crt")
expect_match ${P}_pin_leaf "client: done, 0 failed" \
    "$(client pin --connect=10.0.0.1:8443 --host=tls.test --pin=$pin)"
expect_match ${P}_pin_root "client: done, 0 failed" \
    "$(client pinr --connect=10.0.0.1:8443 --host=tls.test \
        --pin=$(tls_spki_pin "$C/root.pem"))"
out=$(client pinw --connect=10.0.0.1:8443 --host=tls.test --pin=$(printf '%064d' 7))
expect_match ${P}_pin_wrong "no pinned key in the chain, sent alert bad_certificate" "$out"
expect_match ${P}_pin_wrong_error "client: failed: authentication failed" "$out"
# Host names: an IP literal in the subjectAltName is fine, another name
# is not.
expect_match ${P}_wrong_host "host name does not match, sent alert bad_certificate" \
    "$(client host --connect=10.0.0.1:8443 --host=other.test)"

# A HelloRetryRequest (the server wants P-256, we sent x25519) and a
# CertificateRequest (we answer with no certificate).
s_server 8445 -cert "$C/rsa.crt" -cert_chain "$C/inter.pem" \
    -key "$C/rsa.key" -groups P-256 -verify 1
out=$(client hrr --connect=10.0.0.1:8445 --host=tls.test)
expect_match ${P}_hello_retry "client: TLS1.3 .*group=P-256" "$out"
expect_match ${P}_certificate_request "got [0-9]+ bytes: HTTP/1.0 200 ok" "$out"
out=$(client cr12 --connect=10.0.0.1:8445 --host=tls.test --max-version=1.2)
expect_match ${P}_certificate_request_tls12 "got [0-9]+ bytes: HTTP/1.0 200 ok" "$out"

# Refusals: each logs the alert sent and fails the connection.
s_server 8446 -cert "$C/expired.crt" -cert_chain "$C/inter.pem" \
    -key "$C/expired.key"
out=$(client expired --connect=10.0.0.1:8446 --host=tls.test)
expect_match ${P}_expired "certificate expired, sent alert certificate_expired" "$out"
expect_match ${P}_expired_error "client: failed: authentication failed" "$out"
s_server 8447 -cert "$C/selfsigned.crt" -key "$C/selfsigned.key"
out=$(client unknown --connect=10.0.0.1:8447 --host=tls.test)
expect_match ${P}_unknown_ca "no path to a trust anchor, sent alert unknown_ca" "$out"
s_server 8448 -cert "$C/rsa.crt" -cert_chain "$C/inter.pem" \
    -key "$C/rsa.key" -tls1_1 -cipher DEFAULT@SECLEVEL=0
out=$(client tls11 --connect=10.0.0.1:8448 --host=tls.test)
expect_match ${P}_tls11_server "protocol_version" "$out"
expect_match ${P}_tls11_server_error "client: failed: protocol error" "$out"
finish
