#!/usr/bin/env bash
# TLS: our server against nginx with OpenSSL (one worker) in the same
# run, the same ECDSA P-256 certificate and the same cipher
# (TLS_AES_128_GCM_SHA256; ECDHE-ECDSA-AES128-GCM-SHA256 for TLS 1.2):
#   full handshakes per second, TLS 1.3 and 1.2 (openssl s_time -new:
#     a new connection each time, with a GET of a small page);
#   resumed handshakes per second (s_time -reuse, tickets);
#   bulk throughput of a TLS_BENCH_BYTES download (default 256 MiB) with
#     curl, and of the same download over plain TCP (HTTP), which shows
#     what the transport allows each server: nginx is reached locally,
#     ours through the tap.
# Our server is the TLS test unikernel (build/test-images/tls_peer, its
# HTTPS port 4434; `make tests` builds it) on unix and on spt, in a
# network namespace (10.0.0.2 on a tap) set up by test/tls/tls.bash;
# nginx listens on the namespace's side of the tap (10.0.0.1), so the
# clients (openssl s_time, curl) reach nginx locally and our server
# through the tap. TLS_BENCH_SECONDS (default 5) per s_time run. Prints
# a Markdown table with the ratios against nginx; then the record layer's
# cipher rates (build/bench/tls_record: 16 KiB records through
# lib/tls/aead.c) against `openssl speed -evp` on the same record size. Needs root and
# /dev/net/tun; every process started is killed by PID and the namespace
# deleted on exit.
. "$(dirname "$0")/../test/lib.sh"
. "$(dirname "$0")/../test/tls/tls.bash"
BYTES=${TLS_BENCH_BYTES:-268435456}
SECS=${TLS_BENCH_SECONDS:-5}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "tls: needs root and /dev/net/tun: skipped"
    exit 0
fi
for t in openssl curl nginx; do
    if ! command -v $t >/dev/null && [ ! -x /usr/sbin/$t ]; then
        echo "tls: $t is not installed (scripts/install-deps.sh bench): skipped"
        exit 0
    fi
done
RECORD_BENCH="$ROOT/build/bench/tls_record"
if [ ! -x "$TLS_IMAGE" ] || [ ! -x "$TLS_IMAGE.spt" ] || [ ! -x "$RECORD_BENCH" ]; then
    echo "tls: build the test images first (make tests)" >&2
    exit 1
fi
scratch
trap tls_cleanup EXIT
C=$T_TMP/c
B=$T_TMP/bench
# The certificate: tls_creds' ECDSA P-256 leaf (ec.test) with its ECDSA
# intermediate, served by both.
tls_creds "$C" || {
    echo "tls: openssl failed: $(tail -3 "$C/openssl.log")" >&2
    exit 1
}
mkdir -p "$B/tls" "$B/www"
cp "$C/ec.chain" "$B/tls/server.pem" && cp "$C/ec.key" "$B/tls/server.key" &&
    tar cf "$B/creds.tar" -C "$B/tls" . || exit 1
echo "hello from nginx" >"$B/www/index.html"
truncate -s "$BYTES" "$B/www/big"
chmod 755 "$T_TMP" # nginx's worker runs as nobody
chmod -R a+rX "$B"
tls_netns || exit 1

cat >"$B/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $B/nginx.pid;
error_log $B/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $B;
    proxy_temp_path $B;
    fastcgi_temp_path $B;
    uwsgi_temp_path $B;
    scgi_temp_path $B;
    sendfile on;
    server {
        listen 10.0.0.1:8443 ssl;
        listen 10.0.0.1:8080;
        ssl_certificate $B/tls/server.pem;
        ssl_certificate_key $B/tls/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256;
        ssl_session_tickets on;
        root $B/www;
    }
}
CONF
tls_bg "$B/nginx.log" /usr/sbin/nginx -c "$B/nginx.conf" -p "$B"

# s_time HOST:PORT MODE VERSION: handshakes per second.
s_time() {
    local v=$3 c
    if [ "$v" = 1.3 ]; then
        c=(-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256)
    else
        c=(-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256)
    fi
    in_ns openssl s_time -connect "$1" "-$2" -time "$SECS" -www / "${c[@]}" \
        2>/dev/null | awk '/connections in [0-9]+ real seconds/ {
            printf "%.0f", $1 / $4 }'
}

# bulk URL: KiB/s of a download of BYTES (https or http).
bulk() {
    in_ns curl -s -o /dev/null --cacert "$C/root.pem" --tlsv1.3 \
        --tls13-ciphers TLS_AES_128_GCM_SHA256 \
        --resolve ec.test:4434:10.0.0.2 --resolve ec.test:8443:10.0.0.1 \
        -w '%{size_download} %{speed_download}\n' "$1" |
        awk -v n="$BYTES" '$1 == n { printf "%.0f", $2 / 1024 } $1 != n { print "short" }'
}

measure() { # NAME HOST:PORT TLS-URL PLAIN-URL -> a line of numbers
    local name=$1 hp=$2
    printf '%s %s %s %s %s %s %s\n' "$name" "$(s_time "$hp" new 1.3)" \
        "$(s_time "$hp" new 1.2)" "$(s_time "$hp" reuse 1.3)" \
        "$(s_time "$hp" reuse 1.2)" "$(bulk "$3")" "$(bulk "$4")"
}

tls_wait_port 10.0.0.1 8443 || {
    echo "tls: nginx did not start: $(cat "$B/nginx.err")" >&2
    exit 1
}
results=$(measure nginx 10.0.0.1:8443 https://ec.test:8443/big \
    http://10.0.0.1:8080/big)
for target in unix spt; do
    TLS_TARGET=$target
    TLS_IMAGE="$ROOT/build/test-images/tls_peer"
    [ $target = spt ] && TLS_IMAGE+=.spt
    tls_run "$B/$target.log" "$B/creds.tar" 64 -l warning
    if ! tls_wait_port 10.0.0.2 4434; then
        echo "tls: the $target unikernel did not start: $(tail -3 "$B/$target.log")" >&2
        exit 1
    fi
    results+=$'\n'$(measure "$target" 10.0.0.2:4434 \
        "https://ec.test:4434/bytes/$BYTES" "http://10.0.0.2:4435/bytes/$BYTES")
    kill "$UNIKERNEL" 2>/dev/null
    wait "$UNIKERNEL" 2>/dev/null
done

echo "| server | TLS 1.3 full/s | ratio | TLS 1.2 full/s | ratio | TLS 1.3 resumed/s | ratio | TLS 1.2 resumed/s | ratio | bulk KiB/s | ratio | plain TCP KiB/s | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "$results" | awk '
    NR == 1 { for (i = 2; i <= 7; i++) ref[i] = $i }
    { line = "| " $1
      for (i = 2; i <= 7; i++)
          line = line " | " $i " | " (ref[i] > 0 && $i ~ /^[0-9]+$/ ? sprintf("%.2f", $i / ref[i]) : "-")
      print line " |" }'

echo
echo "| cipher, 16 KiB records | ours, seal MB/s | open MB/s | OpenSSL, encrypt MB/s | ratio (seal) |"
echo "|---|---|---|---|---|"
"$RECORD_BENCH" | while IFS= read -r line; do
    name=${line%%:*}
    seal=$(printf '%s\n' "$line" | sed -n 's/.*seal \([0-9]*\) MB.*/\1/p')
    open=$(printf '%s\n' "$line" | sed -n 's/.*open \([0-9]*\) MB.*/\1/p')
    evp=$(printf '%s' "$name" | tr 'A-Z' 'a-z')
    ref=$(openssl speed -evp "$evp" -bytes 16384 -seconds 1 2>/dev/null |
        awk 'END { sub(/k$/, "", $NF); printf "%.0f", $NF * 1000 / 1e6 }')
    echo "| $name | $seal | $open | $ref | $(awk -v a="$seal" -v b="$ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }') |"
done
