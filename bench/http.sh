#!/usr/bin/env bash
# HTTP: requests per second and latency of `wrk -t1 -c30 -d10s` on a
# 612-byte page, with keep-alive and with Connection: close, and the time
# of one 256 MiB download (curl), for MirageC's HTTP server
# (lib/http's server and static handler in build/test-images/http_peer,
# the site a tar archive on a block device) with the direct stack on a
# tap on unix and spt, beside nginx (Debian, 1 worker, access log off,
# the same files) over a veth pair, in the same run; HTTPS keep-alive of
# examples/static_website_tls (built here for unix and spt, the page
# compiled in) beside nginx with TLS and the same certificate. Then the
# least spt guest memory (--mem, MiB) that serves the page to 30 clients
# (HTTP and HTTPS), and where the unix unikernel spends its time under
# keep-alive load (perf).
# Prints Markdown tables with the ratios against nginx. Knobs:
# HTTP_BENCH_SECONDS (10), HTTP_BENCH_BIG_MIB (256). Needs root,
# /dev/net/tun, wrk, curl and nginx; every process started is killed by
# PID and every namespace deleted on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${HTTP_BENCH_SECONDS:-10}
BIG_MIB=${HTTP_BENCH_BIG_MIB:-256}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "http: needs root and /dev/net/tun: skipped"
    exit 0
fi
for tool in wrk curl nginx; do
    command -v $tool >/dev/null || {
        echo "http: $tool is missing (scripts/install-deps.sh bench): skipped"
        exit 0
    }
done
IMG=$ROOT/build/test-images/http_peer
for f in "$IMG" "$IMG.spt" "$ROOT/build/bin/mirage-spt"; do
    [ -x "$f" ] || {
        echo "http: $f is missing (make all tests)"
        exit 1
    }
done
TMP=$(mktemp -d /tmp/mirage-bench-http.XXXXXX)
NS=mirage-bench-http-$$
. "$ROOT/bench/lib/procs.sh"
cleanup() {
    kill_all
    ip netns del "$NS" 2>/dev/null
    ip netns del "$NS-nginx" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }

# The site: nginx's own 612-byte page, and BIG_MIB of random bytes.
mkdir -p "$TMP/site"
if [ -f /usr/share/nginx/html/index.html ] &&
    [ "$(wc -c </usr/share/nginx/html/index.html)" = 612 ]; then
    cp /usr/share/nginx/html/index.html "$TMP/site/index.html"
else
    { echo '<!DOCTYPE html>'; head -c 595 /dev/zero | tr '\0' x; echo; } >"$TMP/site/index.html"
fi
head -c $((BIG_MIB << 20)) /dev/urandom >"$TMP/site/big.bin"
tar -C "$TMP/site" -cf "$TMP/site.tar" .

# Namespaces: wrk and curl in $NS, with the unikernel's tap (10.81.0.2)
# and a veth pair to $NS-nginx (10.81.1.2).
ip netns add "$NS" && ip netns add "$NS-nginx" &&
    ip -n "$NS" link set lo up && ip -n "$NS-nginx" link set lo up &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" addr add 10.81.0.1/24 dev tap0 &&
    ip -n "$NS" link set tap0 up &&
    ip -n "$NS" link add veth-a type veth peer name veth-b netns "$NS-nginx" &&
    ip -n "$NS" addr add 10.81.1.1/24 dev veth-a &&
    ip -n "$NS" link set veth-a up &&
    ip -n "$NS-nginx" addr add 10.81.1.2/24 dev veth-b &&
    ip -n "$NS-nginx" link set veth-b up &&
    in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535" &&
    in_ns sysctl -qw net.ipv4.tcp_tw_reuse=1 || {
    echo "http: cannot set up the namespaces"
    exit 1
}

. "$ROOT/test/http/nginx.bash"
# nginx's HTTPS: the certificate and key (RSA 2048) of
# examples/static_website_tls, which the unikernels serve with.
CERT=$ROOT/examples/static_website_tls/tls
nginx_start "$NS-nginx" "$TMP/nginx" "$TMP/site" 10.81.1.2:80 \
    'listen 10.81.1.2:443 ssl;' "ssl_certificate $CERT/server.pem;" \
    "ssl_certificate_key $CERT/server.key;"
PIDS+=("$NGINX_PID")
for _ in $(seq 50); do
    in_ns curl -s -m 1 -o /dev/null http://10.81.1.2/ && break
    sleep 0.1
done

# start_server URL COMMAND...: run COMMAND in $NS (its log in
# $TMP/img.log, its PID in UPID); 0 once URL answers.
start_server() {
    local url=$1
    shift
    # (ip netns exec becomes the command: $! is its process.)
    ip netns exec "$NS" "$@" >"$TMP/img.log" 2>&1 &
    UPID=$!
    PIDS+=($UPID)
    for _ in $(seq 100); do
        in_ns curl -sk -m 1 -o /dev/null "$url" && return 0
        kill -0 "$UPID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# start_unikernel unix|spt [MEM]: boot the server; 0 once it answers.
start_unikernel() {
    if [ "$1" = unix ]; then
        start_server http://10.81.0.2/ "$IMG" --interface=tap0 \
            --ipv4=10.81.0.2/24 --block="$TMP/site.tar" --logs=warning
    else
        start_server http://10.81.0.2/ "$ROOT/build/bin/mirage-spt" \
            --mem="${2:-64}" --net:service=tap0 --block:storage="$TMP/site.tar" \
            "$IMG.spt" --ipv4=10.81.0.2/24 --logs=warning
    fi
}

# start_site unix|spt [MEM]: boot examples/static_website_tls (built in
# $TMP/swt-TARGET); 0 once it answers over HTTPS.
start_site() {
    local d=$TMP/swt-$1
    if [ "$1" = unix ]; then
        start_server https://10.81.0.2:4433/ "$d/dist/static_website_tls" \
            --interface=tap0 --ipv4=10.81.0.2/24 --logs=warning
    else
        start_server https://10.81.0.2:4433/ "$ROOT/build/bin/mirage-spt" \
            --mem="${2:-64}" --net:service=tap0 \
            "$d/dist/static_website_tls.spt" --ipv4=10.81.0.2/24 --logs=warning
    fi
}

# bench_wrk NAME URL [wrk options]: "req/s p50 p90 p99 errors".
bench_wrk() {
    local out
    out=$(in_ns wrk -t1 -c30 -d${SECS}s --latency "${@:3}" "$2" 2>&1)
    printf '%s\n' "$out" >"$TMP/wrk-$1.txt"
    printf '%s\n' "$out" | awk '
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
        /Socket errors|Non-2xx/ { err = err $0 }
        END { printf "%d %s %s %s %s\n", rps, p50, p90, p99, (err ? "errors" : "ok") }'
}

# download URL: MiB/s of one BIG_MIB download.
download() {
    in_ns curl -s -m 300 -o /dev/null -w '%{speed_download}' "$1" |
        awk '{ printf "%.0f", $1 / 1048576 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

declare -A KA CL DL HS
KA[nginx]=$(bench_wrk nginx-ka http://10.81.1.2/)
CL[nginx]=$(bench_wrk nginx-close http://10.81.1.2/ -H 'Connection: close')
DL[nginx]=$(download http://10.81.1.2/big.bin)
HS[nginx]=$(bench_wrk nginx-https https://10.81.1.2/)
PERF=
for t in unix spt; do
    if ! start_unikernel $t; then
        echo "http: the $t unikernel did not start: $(tail -n 3 "$TMP/img.log")"
        kill_all
        continue
    fi
    KA[$t]=$(bench_wrk $t-ka http://10.81.0.2/)
    if [ $t = unix ] && command -v perf >/dev/null; then
        # Where the unikernel's time goes under keep-alive load.
        in_ns wrk -t1 -c30 -d6s http://10.81.0.2/ >/dev/null 2>&1 &
        w=$!
        sleep 1
        perf record -q -o "$TMP/perf.data" -p "$UPID" -- sleep 4 >/dev/null 2>&1
        wait $w
        PERF=$(perf report -q -i "$TMP/perf.data" --stdio --sort symbol 2>/dev/null |
            grep -v '^$' | head -n 12)
    fi
    CL[$t]=$(bench_wrk $t-close http://10.81.0.2/ -H 'Connection: close')
    DL[$t]=$(download http://10.81.0.2/big.bin)
    kill "$UPID" 2>/dev/null
    wait "$UPID" 2>/dev/null
done

# HTTPS keep-alive: examples/static_website_tls, built here for unix and
# spt with the direct stack and the same page compiled in (crunch).
for t in unix spt; do
    d=$TMP/swt-$t
    cp -r "$ROOT/examples/static_website_tls" "$d"
    rm -rf "$d/htdocs" "$d/mirage" "$d/dist" "$d/Makefile"
    mkdir -p "$d/htdocs" && cp "$TMP/site/index.html" "$d/htdocs/"
    if ! (cd "$d" && "$ROOT/build/bin/mirage" configure -t $t --net=direct &&
        make) >"$TMP/swt-$t.log" 2>&1; then
        echo "http: static_website_tls did not build for $t: $(tail -n 3 "$TMP/swt-$t.log")"
        continue
    fi
    if ! start_site $t; then
        echo "http: static_website_tls on $t did not start: $(tail -n 3 "$TMP/img.log")"
        kill_all
        continue
    fi
    HS[$t]=$(bench_wrk $t-https https://10.81.0.2:4433/)
    kill "$UPID" 2>/dev/null
    wait "$UPID" 2>/dev/null
done

# cells RESULT NGINX-RESULT: a table's "req/s | ratio | p50 / p90 / p99"
# for a bench_wrk result, with the ratio to nginx's.
cells() {
    local rps p50 p90 p99 err
    read -r rps p50 p90 p99 err <<<"$1"
    echo "$rps$([ "$err" = ok ] || echo " ($err)") | $(ratio "$rps" "${2%% *}") | $p50 / $p90 / $p99"
}

echo "### wrk -t1 -c30 -d${SECS}s on the 612-byte page (latency p50 / p90 / p99)"
echo
echo "| server | keep-alive req/s | ratio | latency | Connection: close req/s | ratio | latency |"
echo "|---|---|---|---|---|---|---|"
for t in nginx unix spt; do
    [ -n "${KA[$t]:-}" ] || continue
    name="MirageC $t (tap)"
    [ $t = nginx ] && name="nginx (veth)"
    echo "| $name | $(cells "${KA[$t]}" "${KA[nginx]}") | $(cells "${CL[$t]}" "${CL[nginx]}") |"
done
echo
echo "### HTTPS keep-alive, wrk -t1 -c30 -d${SECS}s on the same page (static_website_tls; nginx with the same RSA 2048 certificate)"
echo
echo "| server | req/s | ratio | latency p50 / p90 / p99 |"
echo "|---|---|---|---|"
for t in nginx unix spt; do
    [ -n "${HS[$t]:-}" ] || continue
    name="static_website_tls $t (tap)"
    [ $t = nginx ] && name="nginx (veth)"
    echo "| $name | $(cells "${HS[$t]}" "${HS[nginx]}") |"
done
echo
echo "### One ${BIG_MIB} MiB download (curl)"
echo
echo "| server | MiB/s | ratio |"
echo "|---|---|---|"
for t in nginx unix spt; do
    [ -n "${DL[$t]:-}" ] || continue
    echo "| $t | ${DL[$t]} | $(ratio "${DL[$t]}" "${DL[nginx]}") |"
done

# least_memory START URL: LEAST, the least spt memory (MiB) with which
# `START spt MEM` serves URL to 30 clients (3 s of wrk, no error), or
# nothing.
least_memory() {
    local mem r
    LEAST=
    for mem in 2 3 4 6 8 12 16 24 32 64; do
        kill_all
        if "$1" spt $mem; then
            r=$(SECS=3 bench_wrk spt-mem-$mem "$2")
            if [ "${r%% *}" -gt 0 ] && [ "${r##* }" = ok ]; then
                LEAST=$mem
                return
            fi
        fi
    done
}
least_memory start_unikernel http://10.81.0.2/
MIN=$LEAST
MIN_TLS=
if [ -x "$TMP/swt-spt/dist/static_website_tls.spt" ]; then
    least_memory start_site https://10.81.0.2:4433/
    MIN_TLS=$LEAST
fi
kill_all
echo
echo "Least spt guest memory serving the page to 30 clients: ${MIN:-none up to 64} MiB (HTTP, http_peer), ${MIN_TLS:-none up to 64} MiB (HTTPS, static_website_tls)"
if [ -n "$PERF" ]; then
    echo
    echo "unix unikernel under keep-alive load (perf, by symbol):"
    echo
    printf '%s\n' "$PERF" | sed 's/^/    /'
fi
