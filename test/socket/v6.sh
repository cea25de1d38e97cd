#!/usr/bin/env bash
# The socket stacks over IPv6 and both families, against real Linux
# peers (test/socket/peer.py): the unikernel test/socket/app configured
# with socket_stackv6, socket_udpv6 and socket_tcpv6 ("six"), and with
# socket_stackv4v6, socket_udpv4v6 and socket_tcpv4v6 ("dual"), serves
# TCP echo, a TCP source and UDP echo and acts as a client, on loopback
# (::1, 127.0.0.1, v4-mapped peers) and between two network namespaces
# this test creates, joined by a veth pair. Transfers are checked by
# SHA-256. The runtime arguments --ipv6, --ipv4-only and --ipv6-only,
# refused peers of a family the stack does not serve, and bad addresses
# (at boot and at configure time) are checked too. Every process started
# here is killed by PID, and the namespaces deleted, on exit.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ports.bash"
plan 76
MIB8=$((8 << 20))
MIB16=$((16 << 20))
. "$(dirname "$0")/peers.bash"

# build NAME SED: the app with its config.c edited by SED, configured for
# unix and built in $T_TMP/NAME; pass NAME_builds when it is.
build() {
    local out
    cp -r "$ROOT/test/socket/app" "$T_TMP/$1"
    sed -i "$2" "$T_TMP/$1/config.c"
    if out=$(cd "$T_TMP/$1" && "$MIRAGE" configure -t unix 2>&1 &&
        make -s 2>&1); then
        pass "socket_$1_builds"
    else
        fail "socket_$1_builds" "$out"
        finish
    fi
}

# serve LOG ARGS...: start the image $IMG with ARGS (and the namespace
# prefix in $RUN, if any), logging to LOG; pass NAME when it is ready.
serve() {
    local name=$1 log=$2
    shift 2
    $RUN "$IMG" "$@" >"$log" 2>&1 &
    PIDS+=($!)
    if wait_line "$log" "ready on"; then
        pass "$name"
    else
        fail "$name" "$(cat "$log")"
    fi
}

# listening PROTO PORT: the sorted local addresses of the sockets
# listening on PORT (PROTO t or u), on one line.
listening() {
    $RUN ss -l"$1"nH "sport = :$2" | awk '{print $4}' | sort | xargs
}

# client NAME STATUS REGEX ARGS...: run the image as a client with ARGS;
# pass when it exits with STATUS and its log matches REGEX.
client() {
    local name=$1 status=$2 regex=$3 out rc
    shift 3
    out=$(timeout 60 $RUN "$IMG" --connect "$@" 2>&1)
    rc=$?
    if [ "$rc" = "$status" ] && printf '%s' "$out" | grep -Eq -- "$regex"; then
        pass "$name"
    else
        fail "$name" "status $rc, expected $status; [$out] /$regex/"
    fi
}

# sink NAME PORT ARGS...: the image sends --bytes=MIB8 to a python sink
# at PEER_HOST:PORT; pass when it arrives intact.
sink() {
    local name=$1 port=$2
    shift 2
    # The file is emptied here, not by the redirection in the background
    # job, which may come after wait_line has read the last sink's lines.
    : >"$T_TMP/sink"
    $RUN python3 "$PEER" sink "$port" "$MIB8" >"$T_TMP/sink" 2>&1 &
    PIDS+=($!)
    wait_line "$T_TMP/sink" listening
    client "${name}_status" 0 'sent: ' --peer="$PEER_HOST" --port="$port" \
        --bytes="$MIB8" "$@"
    wait_line "$T_TMP/sink" '^ok\|^bad'
    expect_match "${name}_sha256" '^ok' "$(tail -n 1 "$T_TMP/sink")"
}

# ---- socket_stackv6, socket_udpv6, socket_tcpv6 on ::1 --------------------
build six 's|stackv4v6_typ|stackv6_typ|;
    s|socket_stackv4v6()|socket_stackv6()|;
    s|socket_udpv4("127.0.0.1")|socket_udpv6("::1")|;
    s|socket_tcpv4(NULL)|socket_tcpv6(NULL)|'
main=$(cat "$T_TMP/six/mirage/main.c")
expect_match socket_stackv6_connects \
    'mirage_stack_connect_socket\(&d[0-9]+_socket_stackv6, NULL, arg_ipv6, false, true\)' "$main"
expect_match socket_udpv6_connects \
    'mirage_udp_connect_socket\(&d[0-9]+_socket_udpv6, NULL, "::1", false, true\)' "$main"
expect_match socket_tcpv6_connects \
    'mirage_tcp_connect_socket\(&d[0-9]+_socket_tcpv6, NULL, NULL, false, true\)' "$main"
IMG="$T_TMP/six/dist/sockecho"
RUN=

P=$(free_ports 3) || {
    fail socket_ports "no free ports"
    finish
}
serve socket_v6_server_ready "$T_TMP/six.log" --ipv6=::1/128 --port="$P" \
    --bytes="$MIB8"
expect socket_stackv6_binds_ipv6 "[::1]:$P" "$(listening t "$P")"
expect socket_tcpv6_binds_any_ipv6_only "[::]:$((P + 2))" \
    "$(listening t $((P + 2)))"
expect socket_udpv6_binds_its_address "[::1]:$((P + 2))" \
    "$(listening u $((P + 2)))"
export PEER_HOST=::1
peer socket_v6_echo_8mib echo "$P" "$MIB8"
peer socket_v6_source_8mib source $((P + 1)) "$MIB8"
peer socket_v6_udp_echo udp "$P"
peer socket_tcpv6_echo echo $((P + 2)) 100000
peer socket_udpv6_echo udp $((P + 2))
PEER_HOST=127.0.0.1 peer socket_v6_stack_refuses_ipv4_peer refused "$P"

Q=$(free_ports 2)
sink socket_v6_client_sends_8mib "$Q"
$RUN python3 "$PEER" udpecho "$Q" >"$T_TMP/udp" 2>&1 &
PIDS+=($!)
wait_line "$T_TMP/udp" listening
client socket_v6_client_udp 0 'udp reply: hello from MirageC' --udp \
    --peer=::1 --port="$Q"
client socket_v6_client_to_ipv4_unreachable 1 'connect: unreachable' \
    --peer=127.0.0.1 --port="$Q"

# Bad --ipv6 at boot: one clear line, status 1.
client socket_v6_bad_ipv6 1 "bad IPv6 address 'fd00::zz'" --ipv6=fd00::zz \
    --peer=::1 --port="$Q"
client socket_v6_ipv4_as_ipv6 1 "'127.0.0.1' is an IPv4 address" \
    --ipv6=127.0.0.1 --peer=::1 --port="$Q"
client socket_v6_prefix_too_long 1 "bad IPv6 address '::1/200'" \
    --ipv6=::1/200 --peer=::1 --port="$Q"
client socket_v6_foreign_address 1 'connect: invalid argument' \
    --ipv6=2001:db8::7 --peer=::1 --port="$Q"

# ---- socket_stackv4v6, socket_udpv4v6, socket_tcpv4v6 -----------------------
build dual 's|socket_udpv4("127.0.0.1")|socket_udpv4v6("127.0.0.1", "::1")|;
    s|socket_tcpv4(NULL)|socket_tcpv4v6(NULL, NULL)|'
main=$(cat "$T_TMP/dual/mirage/main.c")
expect_match socket_udpv4v6_connects \
    'mirage_udp_connect_socket\(&d[0-9]+_socket_udpv4v6, "127.0.0.1", "::1", arg_ipv4_only, arg_ipv6_only\)' "$main"
expect_match socket_tcpv4v6_connects \
    'mirage_tcp_connect_socket\(&d[0-9]+_socket_tcpv4v6, NULL, NULL, arg_ipv4_only, arg_ipv6_only\)' "$main"
IMG="$T_TMP/dual/dist/sockecho"

D=$(free_ports 3)
serve socket_dual_server_ready "$T_TMP/dual.log" --port="$D" \
    --bytes="$MIB8" --logs=application:debug
expect socket_dual_one_socket_for_both "*:$D" "$(listening t "$D")"
expect socket_udpv4v6_binds_both "127.0.0.1:$((D + 2)) [::1]:$((D + 2))" \
    "$(listening u $((D + 2)))"
expect socket_tcpv4v6_one_dual_socket "*:$((D + 2))" \
    "$(listening t $((D + 2)))"
PEER_HOST=127.0.0.1 peer socket_dual_ipv4_echo_8mib echo "$D" "$MIB8"
PEER_HOST=::1 peer socket_dual_ipv6_echo_8mib echo "$D" "$MIB8"
PEER_HOST=::ffff:127.0.0.1 peer socket_dual_v4_mapped_echo echo "$D" 100000
PEER_HOST=::1 peer socket_dual_ipv6_source source $((D + 1)) "$MIB8"
PEER_HOST=127.0.0.1 peer socket_dual_ipv4_udp udp "$D"
PEER_HOST=::1 peer socket_dual_ipv6_udp udp "$D"
PEER_HOST=::ffff:127.0.0.1 peer socket_dual_v4_mapped_udp udp "$D"
PEER_HOST=127.0.0.1 peer socket_udpv4v6_ipv4 udp $((D + 2))
PEER_HOST=::1 peer socket_udpv4v6_ipv6 udp $((D + 2))
PEER_HOST=::1 peer socket_tcpv4v6_ipv6 echo $((D + 2)) 100000
PEER_HOST=127.0.0.1 peer socket_tcpv4v6_ipv4 echo $((D + 2)) 100000
# v4-mapped peers are IPv4 to the application; IPv6 ones are IPv6.
log=$(cat "$T_TMP/dual.log")
expect_match socket_dual_mapped_peer_seen_as_ipv4 'echo for 127\.0\.0\.1 port' \
    "$log"
expect_match socket_dual_ipv6_peer_seen_as_ipv6 'echo for ::1 port' \
    "$log"
expect socket_dual_never_shows_mapped "" "$(grep -i ffff <<<"$log")"

PEER_HOST=::1 sink socket_dual_client_ipv6 "$Q"
PEER_HOST=127.0.0.1 sink socket_dual_client_ipv4 "$Q"

# --ipv4-only, --ipv6-only, both, and one address per family.
E=$(free_ports 3)
serve socket_ipv4_only_ready "$T_TMP/only4.log" --ipv4-only --port="$E"
expect socket_ipv4_only_binds_ipv4 "0.0.0.0:$E" "$(listening t "$E")"
PEER_HOST=::1 peer socket_ipv4_only_refuses_ipv6_peer refused "$E"
PEER_HOST=127.0.0.1 peer socket_ipv4_only_serves_ipv4 echo "$E" 100000
client socket_ipv4_only_client_to_ipv6 1 'connect: unreachable' \
    --ipv4-only --peer=::1 --port="$E"
F=$(free_ports 3)
serve socket_ipv6_only_ready "$T_TMP/only6.log" --ipv6-only --port="$F"
expect socket_ipv6_only_binds_ipv6 "[::]:$F" "$(listening t "$F")"
PEER_HOST=127.0.0.1 peer socket_ipv6_only_refuses_ipv4_peer refused "$F"
PEER_HOST=::1 peer socket_ipv6_only_serves_ipv6 echo "$F" 100000
client socket_both_only 1 'cannot be both IPv4-only and IPv6-only' \
    --ipv4-only --ipv6-only --port="$F"
G=$(free_ports 3)
serve socket_two_addresses_ready "$T_TMP/two.log" --ipv4=127.0.0.1/8 \
    --ipv6=::1 --port="$G"
expect socket_two_addresses_two_sockets "127.0.0.1:$G [::1]:$G" \
    "$(listening t "$G")"
client socket_dual_ipv6_as_ipv4 1 "'::1' is an IPv6 address" --ipv4=::1 \
    --port="$G"

# ---- Configure-time addresses and targets ---------------------------------
cd "$T_TMP/dual" || exit 1
configure_with() {
    sed -i "s|^    return mirage_register|    $1;\n&|" config.c
    out=$("$MIRAGE" configure -t unix 2>&1)
    rc=$?
    sed -i "/^    $1;\$/d" config.c
}
configure_with 'socket_udpv6("127.0.0.1")'
expect socket_udpv6_ipv4_address_status 1 "$rc"
expect_match socket_udpv6_ipv4_address \
    "config.c:[0-9]+: error: socket_udpv6: '127.0.0.1' is an IPv4 address where an IPv6 one is expected" "$out"
configure_with 'socket_tcpv4v6("::1", NULL)'
expect_match socket_tcpv4v6_ipv6_as_ipv4 \
    "config.c:[0-9]+: error: socket_tcpv4v6: '::1' is an IPv6 address where an IPv4 one is expected" "$out"
configure_with 'socket_udpv4v6(NULL, "fd00::zz")'
expect_match socket_udpv4v6_bad_ipv6 \
    "config.c:[0-9]+: error: socket_udpv4v6: bad IPv6 address 'fd00::zz'" "$out"
configure_with 'socket_tcpv6("::ffff:10.0.0.1")'
expect_match socket_tcpv6_v4_mapped \
    "config.c:[0-9]+: error: socket_tcpv6: '::ffff:10.0.0.1' is an IPv4-mapped address" "$out"
cd "$T_TMP/six" || exit 1
out=$("$MIRAGE" configure -t hvt 2>&1)
expect_match socket_stackv6_unix_only \
    "device 'socket_stackv6' is not supported on target 'hvt'" "$out"

# ---- Between two network namespaces --------------------------------------
A=s6a$$
B=s6b$$
NAMESPACES+=("$A" "$B")
if ! { ip netns add "$A" && ip netns add "$B" &&
    ip link add "v$A" netns "$A" type veth peer name "v$B" netns "$B" &&
    ip -n "$A" link set lo up && ip -n "$B" link set lo up &&
    ip -n "$A" addr add 10.66.0.1/24 dev "v$A" &&
    ip -n "$B" addr add 10.66.0.2/24 dev "v$B" &&
    ip -n "$A" addr add fd66::1/64 dev "v$A" nodad &&
    ip -n "$B" addr add fd66::2/64 dev "v$B" nodad &&
    ip -n "$A" link set "v$A" up && ip -n "$B" link set "v$B" up; }; then
    fail socket_netns "cannot set up the namespaces"
    finish
fi
RUN="ip netns exec $A"
N=40000
serve socket_netns_server_ready "$T_TMP/ns.log" --ipv6=fd66::1/64 \
    --port="$N" --bytes="$MIB16"
expect socket_netns_binds "0.0.0.0:$N [fd66::1]:$N" "$(listening t "$N")"
RUN="ip netns exec $B"
PEER_HOST=fd66::1 peer socket_netns_ipv6_echo_16mib echo "$N" "$MIB16"
PEER_HOST=fd66::1 peer socket_netns_ipv6_source_16mib source $((N + 1)) \
    "$MIB16"
PEER_HOST=10.66.0.1 peer socket_netns_ipv4_echo_16mib echo "$N" "$MIB16"
PEER_HOST=fd66::1 peer socket_netns_ipv6_udp udp "$N"
PEER_HOST=fd66::2 $RUN python3 "$PEER" sink $((N + 5)) "$MIB16" \
    >"$T_TMP/nsink" 2>&1 &
PIDS+=($!)
wait_line "$T_TMP/nsink" listening
out=$(timeout 60 ip netns exec "$A" "$IMG" --connect --peer=fd66::2 \
    --port=$((N + 5)) --bytes="$MIB16" 2>&1)
expect socket_netns_client_status 0 "$?"
wait_line "$T_TMP/nsink" '^ok\|^bad'
expect_match socket_netns_client_16mib_sha256 '^ok' \
    "$(tail -n 1 "$T_TMP/nsink")"
RUN="ip netns exec $A"
serve socket_netns_ipv4_only_ready "$T_TMP/ns4.log" --ipv4-only \
    --port=$((N + 10))
RUN="ip netns exec $B"
PEER_HOST=fd66::1 peer socket_netns_ipv6_peer_refused_by_ipv4_only refused \
    $((N + 10))
finish
