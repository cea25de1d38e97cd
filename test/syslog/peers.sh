#!/usr/bin/env bash
# syslog against real servers: the test unikernel
# (build/test-images/syslog_peer, from test/syslog/peer_image.c) on a tap
# device in a network namespace made for the test logs to
#   - socat receiving UDP datagrams: each is one exact RFC 5424 message;
#   - rsyslogd over UDP and over TCP (octet counting): every message
#     arrives with its host, application and severity, the --logs
#     threshold holding back the debug ones;
#   - rsyslogd over TCP stopped and started again while messages flow:
#     the device reconnects and the messages logged meanwhile arrive.
# Skipped when not root, without /dev/net/tun, socat or rsyslogd.
. "$(dirname "$0")/../lib.sh"
plan 7
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest syslog_peers "needs root and /dev/net/tun"
fi
for tool in ip socat rsyslogd; do
    command -v $tool >/dev/null ||
        skip_rest syslog_peers "$tool is not installed (scripts/install-deps.sh)"
done
P="$ROOT/build/test-images/syslog_peer"
if [ ! -x "$P" ]; then
    fail syslog_peer_built "$P is missing (make tests)"
    finish
fi
scratch
NS=mirage-syslog-$$
PID=
SRV=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT
ip netns add "$NS" &&
    ip -n "$NS" link set lo up &&
    ip -n "$NS" tuntap add dev tap0 mode tap &&
    ip -n "$NS" addr add 10.80.0.1/24 dev tap0 &&
    ip -n "$NS" link set tap0 up || {
    fail syslog_setup "cannot create the namespace and tap"
    finish
}

# run_image LOG ARGS...: boot the unikernel (its console in LOG).
run_image() {
    local log=$1
    shift
    ip netns exec "$NS" "$P" --interface=tap0 --ipv4=10.80.0.2/24 \
        --server=10.80.0.1 "$@" >"$log" 2>&1 &
    PID=$!
}
stop_image() {
    kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    PID=
}
# wait_for FILE REGEX [TENTHS]: until FILE has a line matching REGEX.
wait_for() {
    local i
    for ((i = 0; i < ${3:-300}; i++)); do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# socat: the datagrams as they are, one a line.
ip netns exec "$NS" socat -u UDP-RECV:5515,bind=10.80.0.1 \
    OPEN:"$T_TMP/socat.log",creat,append &
SRV=$!
sleep 0.3
run_image "$T_TMP/img1.log" --transport=udp --port=5515 --count=4 \
    --hostname=web-1
wait_for "$T_TMP/img1.log" '^done' && wait_for "$T_TMP/socat.log" 'message 3 of 4' 50
stop_image
kill "$SRV" && wait "$SRV" 2>/dev/null
SRV=
expect_match syslog_udp_rfc5424 \
    '^<14>1 [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z web-1 application - - - message 1 of 4' \
    "$(head -c 200 "$T_TMP/socat.log")"
expect syslog_udp_severities "<14>1 <12>1 <11>1" \
    "$(grep -oE '<[0-9]+>1 ' "$T_TMP/socat.log" | xargs)"

# rsyslogd, listening on UDP and TCP, one line per message.
start_rsyslog() {
    cat >"$T_TMP/rsyslog.conf" <<EOF
global(workDirectory="$T_TMP/rsyslog")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="10.80.0.1" port="5514")
input(type="imtcp" address="10.80.0.1" port="5514")
template(name="line" type="string"
         string="%protocol-version% %hostname% %app-name% %syslogseverity-text% %msg%\n")
*.* action(type="omfile" file="$T_TMP/rsyslog.log" template="line")
EOF
    mkdir -p "$T_TMP/rsyslog"
    ip netns exec "$NS" rsyslogd -n -f "$T_TMP/rsyslog.conf" \
        -i "$T_TMP/rsyslog.pid" >"$T_TMP/rsyslogd.out" 2>&1 &
    SRV=$!
    for _ in $(seq 50); do
        ip netns exec "$NS" ss -ltn | grep -q 10.80.0.1:5514 && return 0
        sleep 0.1
    done
}
stop_rsyslog() {
    kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    SRV=
}

start_rsyslog
run_image "$T_TMP/img2.log" --transport=udp --port=5514 --count=8
wait_for "$T_TMP/img2.log" '^done' && wait_for "$T_TMP/rsyslog.log" 'message 7 of 8' 50
stop_image
expect syslog_rsyslog_udp \
    "1 unikernel application info message 1 of 8|1 unikernel application warning message 2 of 8|1 unikernel application err message 3 of 8|1 unikernel application info message 5 of 8|1 unikernel application warning message 6 of 8|1 unikernel application err message 7 of 8" \
    "$(grep 'of 8' "$T_TMP/rsyslog.log" | sed 's/ *$//' | paste -sd'|')"

run_image "$T_TMP/img3.log" --transport=tcp --port=5514 --count=400 \
    --logs=debug
wait_for "$T_TMP/img3.log" '^done' && wait_for "$T_TMP/rsyslog.log" 'message 400 of 400' 50
stop_image
expect syslog_rsyslog_tcp 400 "$(grep -c 'of 400$' "$T_TMP/rsyslog.log")"
expect syslog_rsyslog_tcp_debug "1 unikernel application debug message 4 of 400" \
    "$(grep 'message 4 of 400$' "$T_TMP/rsyslog.log")"

# The server restarts while messages flow (one every 20 ms for 8 s).
run_image "$T_TMP/img4.log" --transport=tcp --port=5514 --count=400 --every=20
wait_for "$T_TMP/rsyslog.log" 'message 50 of 400'
stop_rsyslog
sleep 2
start_rsyslog
wait_for "$T_TMP/img4.log" '^done' 600
wait_for "$T_TMP/rsyslog.log" 'message 399 of 400' 100
got=$(grep -c 'of 400$' "$T_TMP/rsyslog.log")
got=$((got - 400)) # the previous run's
if grep -q 'message 399 of 400' <(tail -n 5 "$T_TMP/rsyslog.log") &&
    [ "$got" -ge 280 ]; then
    pass syslog_rsyslog_reconnect
else
    fail syslog_rsyslog_reconnect "$got of 300 non-debug messages arrived; $(cat "$T_TMP/img4.log" | tail -n 3 | xargs)"
fi
echo "  after the restart: $got of 300 messages, image: $(grep -E 'done|lost|reached' "$T_TMP/img4.log" | xargs)"
expect_match syslog_reconnect_noted 'syslog server reached again|syslog connection lost' \
    "$(cat "$T_TMP/img4.log")"
stop_image
finish
