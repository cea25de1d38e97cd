#!/usr/bin/env bash
# examples/network and examples/speed end to end, built by the
# configuration tool: on unix with the host's sockets (--net=socket, on
# 127.0.0.1), then with the direct stack against the Linux kernel over a
# tap device in a network namespace made for each run, on every target
# the machine can run. network must log each peer and what it read
# (three connections at once); speed must take in everything a sink is
# sent and send exactly --bytes as a source; bad arguments must stop
# them with a clear error. The direct runs need root and /dev/net/tun.
. "$(dirname "$0")/../examples/common.bash"
. "$(dirname "$0")/netns.bash"
. "$(dirname "$0")/../socket/ports.bash"
plan $((11 + 4 * 6)) # the socket stack on unix; the direct runs per target
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

# The client side: nothing for the socket stack, the namespace for tap.
CLIENT=()

# check_network NAME LOG HOST PORT: three clients at once each send a
# line and close; the log must show every peer and its six bytes.
check_network() {
    local name=$1 log=$2 host=$3 port=$4 i pids=()
    for i in 1 2 3; do
        printf 'hello%s\n' "$i" |
            "${CLIENT[@]}" timeout 20 nc -N "$host" "$port" >/dev/null &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i"; done
    if wait_log "$log" 'closing connection from .* after 7 bytes' 200 3; then
        pass "${name}_three_peers_read_until_eof"
    else
        fail "${name}_three_peers_read_until_eof" "$(tail -n 8 "$log")"
    fi
    expect_match "${name}_logs_peer" "new TCP connection from $CLIENT_ADDR:[0-9]+" \
        "$(cat "$log")"
    expect_match "${name}_logs_reads" "read 7 bytes from $CLIENT_ADDR:[0-9]+" \
        "$(cat "$log")"
}

# check_sink NAME LOG HOST PORT SIZE: SIZE random bytes sent to a sink
# are all counted by it.
check_sink() {
    local name=$1 log=$2 host=$3 port=$4 size=$5
    head -c "$size" /dev/urandom |
        "${CLIENT[@]}" timeout 60 nc -N "$host" "$port" >/dev/null
    if wait_log "$log" "sink: $CLIENT_ADDR:[0-9]+ sent $size bytes" 100; then
        pass "${name}_sink_${size}_bytes"
    else
        fail "${name}_sink_${size}_bytes" "$(tail -n 3 "$log")"
    fi
}

# check_source NAME LOG HOST PORT SIZE: a source started with
# --bytes=SIZE sends exactly that many bytes, then closes.
check_source() {
    local name=$1 log=$2 host=$3 port=$4 size=$5 got
    got=$("${CLIENT[@]}" timeout 60 nc -d "$host" "$port" </dev/null | wc -c)
    expect "${name}_source_${size}_bytes" "$size" "$got"
    if wait_log "$log" "source: sent $size bytes to $CLIENT_ADDR:[0-9]+" 100; then
        pass "${name}_source_logs_count"
    else
        fail "${name}_source_logs_count" "$(tail -n 3 "$log")"
    fi
}

# The socket stack on unix, on a port free on the host.
if target_usable unix network_speed_socket 11; then
    PORT=$(free_ports 1)
    CLIENT_ADDR=127\\.0\\.0\\.1
    use_example speed
    if out=$("$MIRAGE" configure -t unix --net=socket 2>&1 && make 2>&1); then
        speed=$PWD/dist/speed
        out=$(timeout 10 "$speed" --mode=bogus 2>&1)
        expect speed_bad_mode_status 1 "$?"
        expect_match speed_bad_mode_message \
            "--mode must be sink or source, not 'bogus'" "$out"
        out=$(timeout 10 "$speed" --bytes=-1 2>&1)
        expect_match speed_negative_bytes \
            "--bytes must not be negative, not -1" "$out"
        out=$(timeout 10 "$speed" --port=70000 2>&1)
        expect_match speed_bad_port "--port must be 1 to 65535, not 70000" "$out"
        log=$T_TMP/speed-socket.log
        timeout 120 "$speed" --port="$PORT" >"$log" 2>&1 &
        PID=$!
        if wait_log "$log" 'listening'; then
            check_sink speed_socket "$log" 127.0.0.1 "$PORT" 16777216
        else
            fail speed_socket_starts "$(tail -n 5 "$log")"
        fi
        stop
        log=$T_TMP/speed-socket-source.log
        timeout 120 "$speed" --port="$PORT" --mode=source --bytes=16777216 \
            >"$log" 2>&1 &
        PID=$!
        if wait_log "$log" 'listening'; then
            check_source speed_socket "$log" 127.0.0.1 "$PORT" 16777216
        else
            fail speed_socket_source_starts "$(tail -n 5 "$log")"
        fi
        stop
    else
        fail speed_socket_build "$(printf '%s' "$out" | tail -n 15)"
    fi
    use_example network
    if out=$("$MIRAGE" configure -t unix --net=socket 2>&1 && make 2>&1); then
        out=$(timeout 10 ./dist/network --port=0 2>&1)
        expect_match network_bad_port "--port must be 1 to 65535, not 0" "$out"
        log=$T_TMP/network-socket.log
        timeout 120 ./dist/network --port="$PORT" >"$log" 2>&1 &
        PID=$!
        if wait_log "$log" 'listening'; then
            check_network network_socket "$log" 127.0.0.1 "$PORT"
        else
            fail network_socket_starts "$(tail -n 5 "$log")"
        fi
        stop
    else
        fail network_socket_build "$(printf '%s' "$out" | tail -n 15)"
    fi
fi

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest network_speed_direct "needs root and /dev/net/tun"
fi
CLIENT_ADDR=10\\.0\\.0\\.1
for t in unix spt hvt virtio; do
    target_usable "$t" "network_speed_$t" 6 || continue
    # hvt handles about a thousand packets a second here.
    size=$([ "$t" = hvt ] && echo 1048576 || echo 16777216)
    use_example network
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct 2>&1 && make 2>&1); then
        fail "network_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        continue
    fi
    log=$T_TMP/network-$t.log
    if start "$t" "$PWD/$(image network "$t")" "$log"; then
        CLIENT=(ip netns exec "$NS")
        check_network "network_$t" "$log" 10.0.0.2 8080
    else
        fail "network_${t}_starts" "$(tail -n 5 "$log")"
    fi
    stop
    use_example speed
    if ! out=$("$MIRAGE" configure -t "$t" --net=direct 2>&1 && make 2>&1); then
        fail "speed_${t}_build" "$(printf '%s' "$out" | tail -n 15)"
        continue
    fi
    log=$T_TMP/speed-$t.log
    if start "$t" "$PWD/$(image speed "$t")" "$log"; then
        CLIENT=(ip netns exec "$NS")
        check_sink "speed_$t" "$log" 10.0.0.2 5001 "$size"
    else
        fail "speed_${t}_starts" "$(tail -n 5 "$log")"
    fi
    stop
    log=$T_TMP/speed-$t-source.log
    if start "$t" "$PWD/$(image speed "$t")" "$log" --mode=source \
        --bytes="$size"; then
        CLIENT=(ip netns exec "$NS")
        check_source "speed_$t" "$log" 10.0.0.2 5001 "$size"
    else
        fail "speed_${t}_source_starts" "$(tail -n 5 "$log")"
    fi
    stop
done
finish
