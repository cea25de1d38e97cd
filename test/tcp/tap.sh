#!/usr/bin/env bash
# TCP against the Linux kernel's: a unikernel on unix
# (build/test-images/tcp_peer, from test/tcp/peer_image.c) on a tap device
# in a network namespace made for the test. Python and nc transfer
# TCP_PEER_BYTES (default 100 MiB) each way, checked by SHA-256 on the
# Linux side and byte for byte by the unikernel; 200 concurrent echo
# connections; Linux closing first and MirageC closing first; MirageC
# connecting to Linux; a connection to a closed port refused both ways;
# memory flat over 100,000 short connections (120,000: each side closing
# first). Skipped when not root or without /dev/net/tun.
# With TCP_TAP_TARGET=spt or hvt (test/tcp/tap_solo5.sh) the same image
# runs under that tender (build/test-images/tcp_peer.TARGET) and the
# checks are the same but for the memory one (the guest's memory is
# fixed); hvt moves 1 MiB each way and opens 20 concurrent connections,
# as this machine's KVM emulates guest instructions.
# With TCP_TAP_FAMILY=6 (test/tcp/tap6.sh) the unikernel serves IPv6 too
# (2001:db8:78::2 behind Linux's 2001:db8:78::1) and every connection is
# IPv6; the memory checks stay IPv4's.
. "$(dirname "$0")/../lib.sh"
TARGET=${TCP_TAP_TARGET:-unix}
FAMILY=${TCP_TAP_FAMILY:-4}
LINUX=10.78.0.1
MIRAGE_IP=10.78.0.2
SIX=()
if [ "$FAMILY" = 6 ]; then
    LINUX=2001:db8:78::1
    MIRAGE_IP=2001:db8:78::2
    SIX=(--ipv6=2001:db8:78::2/64)
fi
# The address as a host in the unikernel's IP:PORT arguments.
if [ "$FAMILY" = 6 ]; then PEER_HOST="[$LINUX]"; else PEER_HOST=$LINUX; fi
case $TARGET in
unix)
    P="$ROOT/build/test-images/tcp_peer"
    RUN=("$P" --interface=tap0)
    PRE=tcp
    ;;
spt | hvt)
    P="$ROOT/build/test-images/tcp_peer.$TARGET"
    RUN=("$ROOT/build/bin/mirage-$TARGET" --net:service=tap0 "$P"
        --interface=service)
    PRE=tcp_$TARGET
    ;;
*)
    fail tcp_tap_target "unknown TCP_TAP_TARGET '$TARGET'"
    finish
    ;;
esac
[ "$FAMILY" = 6 ] && PRE=${PRE}6
if [ "$TARGET" = hvt ]; then
    BYTES=${TCP_PEER_BYTES:-1048576}
    CONNS=20
else
    BYTES=${TCP_PEER_BYTES:-104857600}
    CONNS=200
fi
# Eleven cases, and four more on unix over IPv4 (many short connections).
CHURN=
[ "$TARGET" = unix ] && [ "$FAMILY" = 4 ] && CHURN=1
if [ -n "$CHURN" ]; then plan 15; else plan 11; fi
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest "${TARGET}_tcp_tap" "needs root and /dev/net/tun"
fi
for tool in ip nc python3; do
    if ! command -v $tool >/dev/null; then
        skip_rest "${TARGET}_tcp_tap" "$tool is not installed (scripts/install-deps.sh)"
    fi
done
if [ ! -x "$P" ]; then
    fail tcp_peer_built "$P is missing (make tests)"
    finish
fi
scratch
NS=mirage-tcp-$TARGET-$$
PID=
LPID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$LPID" ] && kill "$LPID" 2>/dev/null && wait "$LPID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }

ip netns add "$NS" &&
    ip -n "$NS" link set lo up &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" addr add 10.78.0.1/24 dev tap0 &&
    ip -n "$NS" addr add 2001:db8:78::1/64 dev tap0 nodad &&
    ip -n "$NS" link set tap0 up &&
    in_ns sysctl -qw net.ipv4.tcp_tw_reuse=1 &&
    in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535" || {
    fail ${PRE}_tap_setup "cannot create the namespace and tap"
    finish
}

PEER_PY="$(dirname "$0")/peer.py"
py() { in_ns timeout 120 python3 "$PEER_PY" "$@"; }

# Linux listens for the unikernel's push; port 6001 stays closed.
in_ns timeout 120 python3 "$PEER_PY" listen "$LINUX" 6000 "$BYTES" \
    "$T_TMP/pushed" >"$T_TMP/listen.log" 2>&1 &
LPID=$!
for _ in $(seq 50); do
    grep -q listening "$T_TMP/listen.log" && break
    sleep 0.1
done
# (ip netns exec becomes the unikernel: $PID is its process.)
ip netns exec "$NS" "${RUN[@]}" --ipv4=10.78.0.2/24 "${SIX[@]}" \
    --push="$PEER_HOST:6000:$BYTES" --probe="$PEER_HOST:6001" \
    >"$T_TMP/log" 2>&1 &
PID=$!
for _ in $(seq 300); do
    grep -qs ready "$T_TMP/log" && break
    sleep 0.1
done
expect_match ${PRE}_tap_started 'ready' "$(cat "$T_TMP/log")"

# MirageC connected to Linux and sent the pattern (MirageC closing first).
wait "$LPID"
LPID=
expect_match ${PRE}_mirage_to_linux_push "push $BYTES bytes ok" "$(cat "$T_TMP/log")"
expect ${PRE}_mirage_to_linux_sha256 "pushed $BYTES match" "$(cat "$T_TMP/pushed" 2>&1)"
# A closed Linux port answers the unikernel's SYN with a RST.
expect_match ${PRE}_mirage_refused 'probe: connection refused' "$(cat "$T_TMP/log")"

# Python sends to the unikernel (Linux closes first).
expect ${PRE}_linux_to_mirage_python "sent $BYTES eof" "$(py send "$MIRAGE_IP" "$BYTES" 2>&1)"
for _ in $(seq 50); do
    grep -q "sink $BYTES" "$T_TMP/log" && break
    sleep 0.1
done
expect_match ${PRE}_linux_to_mirage_checked "sink $BYTES bytes ok" "$(cat "$T_TMP/log")"

# The unikernel sends to Python and closes first.
expect ${PRE}_mirage_to_linux_python "received $BYTES match" \
    "$(py receive "$MIRAGE_IP" "$BYTES" 2>&1)"

# nc both ways through the echo port: what comes back is what went.
py file "$BYTES" "$T_TMP/data"
in_ns timeout 120 nc -N "$MIRAGE_IP" 5003 <"$T_TMP/data" >"$T_TMP/echoed"
expect ${PRE}_nc_echo_sha256 "$(sha256sum <"$T_TMP/data")" "$(sha256sum <"$T_TMP/echoed")"

# CONNS connections at once.
expect ${PRE}_concurrent_$CONNS "echoed $CONNS of $CONNS" \
    "$(py concurrent "$MIRAGE_IP" $CONNS 20000 2>&1)"

# A closed port of the unikernel answers with a RST.
expect ${PRE}_linux_refused "refused" "$(py refused "$MIRAGE_IP" 6666 2>&1)"

# Many short connections (unix only: a Solo5 guest's memory is fixed, so
# the host cannot watch it grow): after a first round fills the unikernel's
# TIME_WAIT list (it closes first on port 5002), its memory stays flat.
if [ -n "$CHURN" ]; then
    rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }
    expect tcp_churn_warm_up "churned 10000 bad 0" "$(py churn 10.78.0.2 10000 5002 2>&1)"
    before=$(rss)
    expect tcp_churn_linux_closes "churned 100000 bad 0" \
        "$(in_ns timeout 600 python3 "$PEER_PY" churn 10.78.0.2 100000 5003 2>&1)"
    expect tcp_churn_mirage_closes "churned 20000 bad 0" \
        "$(py churn 10.78.0.2 20000 5002 2>&1)"
    after=$(rss)
    if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -le 1024 ]; then
        pass tcp_churn_memory_flat
    else
        fail tcp_churn_memory_flat "RSS $before kB before, $after kB after"
    fi
fi

if grep -qE 'ERROR|abort|overflow' "$T_TMP/log"; then
    fail ${PRE}_tap_clean_log "$(grep -m1 -E 'ERROR|abort|overflow' "$T_TMP/log")"
else
    pass ${PRE}_tap_clean_log
fi
finish
