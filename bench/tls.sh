#!/usr/bin/env bash
# TLS: our server against nginx with OpenSSL (one worker) in the same
# run, the same ECDSA P-256 certificate and the same cipher
# (TLS_AES_128_GCM_SHA256; ECDHE-ECDSA-AES128-GCM-SHA256 for TLS 1.2):
#   full handshakes per second, TLS 1.3 and 1.2 (openssl s_time -new:
#     a new connection each time, with a GET of a small page);
#   resumed handshakes per second (s_time -reuse, tickets);
#   bulk throughput of a TLS_BENCH_BYTES download (default 256 MiB) with
#     curl.
# Our server is the TLS test unikernel (build/test-images/tls_peer, its
# HTTPS port 4434; `make tests` builds it) on unix and on spt, in a
# network namespace (10.0.0.2 on a tap); nginx listens on the namespace's
# side of the tap (10.0.0.1), so both are reached over the same path
# from the same clients. TLS_BENCH_SECONDS (default 5) per s_time run.
# Prints a Markdown table with the ratios against nginx. Needs root and
# /dev/net/tun; every process started is killed by PID and the namespace
# deleted on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
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
IMG="$ROOT/build/test-images/tls_peer"
if [ ! -x "$IMG" ] || [ ! -x "$IMG.spt" ]; then
    echo "tls: build the test images first (make tests)" >&2
    exit 1
fi
TMP=$(mktemp -d /tmp/mirage-bench-tls.XXXXXX)
chmod 755 "$TMP" # nginx's worker runs as nobody
NS=mirage-bench-tls-$$
PIDS=()
kill_all() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    PIDS=()
}
trap 'kill_all; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
in_ns() { ip netns exec "$NS" "$@"; }

# The certificate: ECDSA P-256, under an ECDSA CA.
(
    cd "$TMP" && mkdir -p tls www &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout ca.key -out ca.pem -days 2 -subj "/CN=bench CA" \
            -addext "basicConstraints=critical,CA:TRUE" &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout leaf.key -out leaf.csr -subj "/CN=bench.test" &&
        printf 'subjectAltName=DNS:bench.test\n' >leaf.ext &&
        openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key \
            -CAcreateserial -out leaf.pem -days 2 -extfile leaf.ext &&
        cat leaf.pem ca.pem >tls/server.pem && cp leaf.key tls/server.key &&
        cp ca.pem tls/ca-roots.crt && tar cf creds.tar tls &&
        echo "hello from nginx" >www/index.html &&
        truncate -s "$BYTES" www/big
) >"$TMP/openssl.log" 2>&1 || {
    echo "tls: openssl failed: $(tail -3 "$TMP/openssl.log")" >&2
    exit 1
}
chmod -R a+rX "$TMP/www"

ip netns add "$NS" && ip -n "$NS" link set lo up &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" addr add 10.0.0.1/24 dev tap0 &&
    ip -n "$NS" link set tap0 up || exit 1

cat >"$TMP/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $TMP;
    proxy_temp_path $TMP;
    fastcgi_temp_path $TMP;
    uwsgi_temp_path $TMP;
    scgi_temp_path $TMP;
    sendfile on;
    server {
        listen 10.0.0.1:8443 ssl;
        ssl_certificate $TMP/tls/server.pem;
        ssl_certificate_key $TMP/tls/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256;
        ssl_session_tickets on;
        root $TMP/www;
    }
}
EOF
ip netns exec "$NS" /usr/sbin/nginx -c "$TMP/nginx.conf" -p "$TMP" \
    >"$TMP/nginx.log" 2>&1 &
PIDS+=("$!")

# wait_port PORT HOST: until something answers (10 s).
wait_port() {
    local i
    for ((i = 0; i < 100; i++)); do
        in_ns bash -c "exec 3<>/dev/tcp/$2/$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

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

# bulk URL: KiB/s of a download of BYTES.
bulk() {
    in_ns curl -s -o /dev/null --cacert "$TMP/ca.pem" --tlsv1.3 \
        --tls13-ciphers TLS_AES_128_GCM_SHA256 \
        --resolve bench.test:4434:10.0.0.2 --resolve bench.test:8443:10.0.0.1 \
        -w '%{size_download} %{speed_download}\n' "$1" |
        awk -v n="$BYTES" '$1 == n { printf "%.0f", $2 / 1024 } $1 != n { print "short" }'
}

measure() { # NAME HOST:PORT URL -> a line of numbers
    local name=$1 hp=$2 url=$3
    printf '%s %s %s %s %s %s\n' "$name" "$(s_time "$hp" new 1.3)" \
        "$(s_time "$hp" new 1.2)" "$(s_time "$hp" reuse 1.3)" \
        "$(s_time "$hp" reuse 1.2)" "$(bulk "$url")"
}

wait_port 8443 10.0.0.1 || {
    echo "tls: nginx did not start: $(cat "$TMP/nginx.err")" >&2
    exit 1
}
results=$(measure nginx 10.0.0.1:8443 https://bench.test:8443/big)
for target in unix spt; do
    if [ "$target" = unix ]; then
        ip netns exec "$NS" "$IMG" --interface=tap0 --ipv4=10.0.0.2/24 \
            --storage="$TMP/creds.tar" -l warning >"$TMP/$target.log" 2>&1 &
    else
        ip netns exec "$NS" "$ROOT/build/bin/mirage-spt" --mem=64 \
            --net:service=tap0 --block:storage="$TMP/creds.tar" "$IMG.spt" \
            --interface=service --ipv4=10.0.0.2/24 --storage=storage \
            -l warning >"$TMP/$target.log" 2>&1 &
    fi
    PIDS+=("$!")
    if ! wait_port 4434 10.0.0.2; then
        echo "tls: the $target unikernel did not start: $(tail -3 "$TMP/$target.log")" >&2
        exit 1
    fi
    results+=$'\n'$(measure "$target" 10.0.0.2:4434 \
        "https://bench.test:4434/bytes/$BYTES")
    kill "${PIDS[-1]}" 2>/dev/null
    wait "${PIDS[-1]}" 2>/dev/null
    unset 'PIDS[-1]'
done

echo "| server | TLS 1.3 full/s | ratio | TLS 1.2 full/s | ratio | TLS 1.3 resumed/s | ratio | TLS 1.2 resumed/s | ratio | bulk KiB/s | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "$results" | awk '
    NR == 1 { for (i = 2; i <= 6; i++) ref[i] = $i }
    { line = "| " $1
      for (i = 2; i <= 6; i++)
          line = line " | " $i " | " (ref[i] > 0 && $i ~ /^[0-9]+$/ ? sprintf("%.2f", $i / ref[i]) : "-")
      print line " |" }'
