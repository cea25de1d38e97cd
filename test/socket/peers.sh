#!/usr/bin/env bash
# The socket stack against real Linux peers on 127.0.0.1: the unikernel
# test/socket/app (socket_stackv4v6, configured and built with the mirage
# tool for unix) serves TCP echo, a TCP source and UDP echo, and acts as a
# client; test/socket/peer.py and nc are the peers. Transfers are checked
# by SHA-256. Configuring the socket devices for another target, or with
# a bad address, is an error. Every process started here is killed by
# PID on exit.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ports.bash"
plan 42
MIB8=$((8 << 20))
. "$(dirname "$0")/peers.bash"

cp -r "$ROOT/test/socket/app" "$T_TMP/sockecho"
cd "$T_TMP/sockecho" || exit 1
if out=$("$MIRAGE" configure -t unix 2>&1) && out=$(make -s 2>&1); then
    pass socket_app_builds
else
    fail socket_app_builds "$out"
    finish
fi
expect_match socket_app_connects_the_stack \
    'mirage_stack_connect_socket\(&d[0-9]+_socket_stackv4v6, arg_ipv4, arg_ipv6, arg_ipv4_only, arg_ipv6_only\)' "$(cat mirage/main.c)"
expect_match socket_app_connects_udpv4 \
    'mirage_udp_connect_socket\(&d[0-9]+_socket_udpv4, "127.0.0.1", NULL, true, false\)' "$(cat mirage/main.c)"
expect_match socket_app_connects_tcpv4 \
    'mirage_tcp_connect_socket\(&d[0-9]+_socket_tcpv4, NULL, NULL, true, false\)' "$(cat mirage/main.c)"

# ---- The unikernel as a server ------------------------------------------
P=$(free_ports 3) || {
    fail socket_ports "no free loopback ports"
    finish
}
./dist/sockecho --ipv4=127.0.0.1/8 --port="$P" --bytes="$MIB8" \
    >"$T_TMP/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
if wait_line "$T_TMP/server.log" "ready on $P"; then
    pass socket_server_ready
else
    fail socket_server_ready "$(cat "$T_TMP/server.log")"
    finish
fi
# --ipv4 is the address the IPv4 sockets bind to; without --ipv6, the
# v4v6 stack's IPv6 sockets (IPv6-only) bind to any address.
expect socket_server_binds_ipv4 "127.0.0.1:$P [::]:$P" \
    "$(ss -ltnH "sport = :$P" | awk '{print $4}' | sort | xargs)"

# socket_udpv4("127.0.0.1") and socket_tcpv4(NULL) serve PORT+2.
expect socket_tcpv4_binds_any "0.0.0.0:$((P + 2))" \
    "$(ss -ltnH "sport = :$((P + 2))" | awk '{print $4}')"
expect socket_udpv4_binds_its_address "127.0.0.1:$((P + 2))" \
    "$(ss -lunH "sport = :$((P + 2))" | awk '{print $4}')"
peer socket_tcpv4_echo echo $((P + 2)) 100000
peer socket_udpv4_echo udp $((P + 2))

peer socket_echo_16mib_python_closes_first echo "$P" $((16 << 20))
head -c $((4 << 20)) /dev/urandom >"$T_TMP/in"
timeout 60 nc -N 127.0.0.1 "$P" <"$T_TMP/in" >"$T_TMP/out"
expect socket_echo_4mib_nc "$(sha256sum <"$T_TMP/in")" \
    "$(sha256sum <"$T_TMP/out")"
peer socket_source_8mib_mirage_closes_first source $((P + 1)) "$MIB8"
timeout 60 nc -d 127.0.0.1 $((P + 1)) >"$T_TMP/src"
expect socket_source_8mib_nc "$MIB8" "$(wc -c <"$T_TMP/src")"
peer socket_200_concurrent_connections many "$P" 200
peer socket_udp_echo_python udp "$P"
peer socket_memory_flat_over_10000_connections churn "$P" 10000 "$SERVER"
expect socket_udp_echo_nc "hello" \
    "$(printf hello | timeout 10 nc -u -w1 127.0.0.1 "$P")"
if kill -0 "$SERVER" 2>/dev/null; then
    pass socket_server_survives
else
    fail socket_server_survives "$(tail -n 5 "$T_TMP/server.log")"
fi
expect socket_server_no_warnings "" \
    "$(grep -E 'WARNING|ERROR' "$T_TMP/server.log")"

# A server short of descriptors keeps the connections waiting and serves
# them as descriptors free up.
R=$(free_ports 3)
(ulimit -n 24 && exec ./dist/sockecho --ipv4=127.0.0.1/8 --port="$R") \
    >"$T_TMP/starved.log" 2>&1 &
PIDS+=($!)
wait_line "$T_TMP/starved.log" "ready on $R"
peer socket_starved_server_serves_all many "$R" 60
expect_match socket_starved_server_warns 'cannot accept: .*trying again' \
    "$(cat "$T_TMP/starved.log")"

# ---- The unikernel as a client ------------------------------------------
Q=$(free_ports 2)
python3 "$PEER" sink "$Q" "$MIB8" >"$T_TMP/sink" 2>&1 &
PIDS+=($!)
wait_line "$T_TMP/sink" listening
out=$(timeout 60 ./dist/sockecho --connect --port="$Q" --bytes="$MIB8" 2>&1)
expect socket_client_sends_8mib_status 0 "$?"
wait_line "$T_TMP/sink" '^ok\|^bad'
expect_match socket_client_sends_8mib_sha256 '^ok' "$(tail -n 1 "$T_TMP/sink")"

out=$(timeout 60 ./dist/sockecho --connect --port="$Q" 2>&1)
expect socket_client_refused_status 1 "$?"
expect_match socket_client_refused 'connect: connection refused' "$out"

mkfifo "$T_TMP/hold"
python3 "$PEER" full "$Q" <"$T_TMP/hold" >"$T_TMP/full" 2>&1 &
PIDS+=($!)
exec 3>"$T_TMP/hold"
wait_line "$T_TMP/full" listening
out=$(timeout 60 ./dist/sockecho --connect --port="$Q" --timeout-ms=500 2>&1)
expect socket_client_deadline_status 1 "$?"
expect_match socket_client_deadline 'connect: timed out' "$out"
exec 3>&-
wait_line "$T_TMP/full" '^ok\|^bad'
expect_match socket_full_queue_held '^ok' "$(tail -n 1 "$T_TMP/full")"

python3 "$PEER" udpecho "$Q" >"$T_TMP/udp" 2>&1 &
PIDS+=($!)
wait_line "$T_TMP/udp" listening
out=$(timeout 60 ./dist/sockecho --connect --udp --port="$Q" 2>&1)
expect socket_client_udp_status 0 "$?"
expect_match socket_client_udp_reply 'udp reply: hello from MirageC' "$out"
wait_line "$T_TMP/udp" '^ok'
expect socket_client_udp_seen_by_linux \
    "ok udp from port $((Q + 1)): hello from MirageC" "$(tail -n 1 "$T_TMP/udp")"

# ---- Bad addresses and other targets --------------------------------------
out=$(timeout 10 ./dist/sockecho --ipv4=10.0.0.300/24 2>&1)
expect socket_bad_ipv4_status 1 "$?"
expect_match socket_bad_ipv4_named "bad IPv4 address '10.0.0.300/24'" "$out"

cp -r "$ROOT/test/socket/app" "$T_TMP/other"
cd "$T_TMP/other" || exit 1
out=$("$MIRAGE" configure -t hvt 2>&1)
expect socket_other_target_status 1 "$?"
expect_match socket_other_target_rejected \
    "device 'socket_stackv4v6' is not supported on target 'hvt'" "$out"
# .group names the runtime argument; a name it cannot have is an error.
sed -i 's|socket_stackv4v6()|socket_stackv4v6(.group = "lan")|' config.c
out=$("$MIRAGE" configure -t unix 2>&1)
expect socket_group_status 0 "$?"
expect_match socket_group_names_the_argument \
    'mirage_stack_connect_socket\(&d[0-9]+_socket_stackv4v6, arg_lan_ipv4, arg_lan_ipv6, arg_lan_ipv4_only, arg_lan_ipv6_only\)' "$(cat mirage/main.c)"
sed -i 's|.group = "lan"|.group = "L A N"|' config.c
out=$("$MIRAGE" configure -t unix 2>&1)
expect socket_bad_group_status 1 "$?"
expect_match socket_bad_group "invalid runtime argument name 'L A N-ipv4'" \
    "$out"
sed -i 's|.group = "L A N"|.group = "lan"|' config.c
sed -i 's|^    return mirage_register|    socket_udpv4("1.2.3.300");\n&|' config.c
out=$("$MIRAGE" configure -t unix 2>&1)
expect socket_bad_udp_address_status 1 "$?"
expect_match socket_bad_udp_address \
    "config.c:[0-9]+: error: socket_udpv4: bad IPv4 address '1.2.3.300'" "$out"
finish
