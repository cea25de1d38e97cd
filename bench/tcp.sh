#!/usr/bin/env bash
# TCP over tap: throughput MirageC -> Linux and Linux -> MirageC, and
# connections per second, of examples/speed built with the direct stack
# on unix and spt, each in a network namespace made for it, beside Linux
# <-> Linux over a veth pair in the same run; over IPv4 and over IPv6
# (rows ending in 6, their ratios against veth6). The Linux side is one
# Python client: it sends or receives TCP_BENCH_BYTES (default 256 MiB)
# on one connection, and opens and closes connections one after another
# for TCP_BENCH_SECONDS (default 3) seconds. Each target runs with the
# offloads its device grants (rows "unix", "unix6", "spt" ...: checksum
# and TSO on unix's tap) and, in the "-bare" rows, without any
# (--net-offload=false). Prints a Markdown table with the ratios against
# veth (veth6 for the rows of IPv6, whose label ends in 6), and the CPU
# time the serving process spent per GiB sent and received (for veth,
# Linux's server process alone: its TCP runs partly in the sender's
# context). The Linux
# client reuses its TIME_WAIT ports (tcp_tw_reuse): the connection rates
# of three rows in one namespace would otherwise run out of them. Needs
# root and /dev/net/tun; every process started is killed by PID and
# every namespace deleted on exit. With TCP_BENCH_PERF=DIR, each bulk
# transfer also runs under `perf record -a -F 999` (the whole machine,
# kernel included), written to DIR/LABEL-rx.data (Linux -> peer) and
# DIR/LABEL-tx.data, and the CPU time each process spent, split into its
# own code and the kernel's, is printed per frame of 1448 payload bytes.
# TCP_BENCH_ROUNDS=N (default 1) repeats every row N times, interleaved
# (veth, then each target, then again), and prints the medians: on a
# shared host one transfer's rate varies by half.
# With TCP_BENCH_BUSY=USEC each target also runs with --busy-poll=USEC
# (rows "unix-busy" ...: offloads on, IPv4).
# With TCP_BENCH_PEER=c the Linux end of the bulk transfers (client and
# veth server) is build/bench/tcp_peer (bench/tcp_peer.c, `make tests`)
# instead of Python, to check that the Python peer is not the limit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BYTES=${TCP_BENCH_BYTES:-268435456}
ROUNDS=${TCP_BENCH_ROUNDS:-1}
SECS=${TCP_BENCH_SECONDS:-3}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "tcp: needs root and /dev/net/tun: skipped"
    exit 0
fi
TMP=$(mktemp -d /tmp/mirage-bench-tcp.XXXXXX)
[ -n "${TCP_BENCH_PERF:-}" ] && mkdir -p "$TCP_BENCH_PERF"
NS=
# kill_all: end the processes started (PIDS, bench/lib/procs.sh); stop:
# also delete the namespaces.
. "$ROOT/bench/lib/procs.sh"
stop() {
    kill_all
    if [ -n "$NS" ]; then
        ip netns del "$NS" 2>/dev/null
        ip netns del "$NS-peer" 2>/dev/null
    fi
    NS=
}
trap 'stop; rm -rf "$TMP"' EXIT

cat >"$TMP/tcp.py" <<'PY'
import socket, sys, time

CHUNK = bytes(1 << 20)

def send(host, port, n):
    # Linux -> peer: n bytes, then wait for the peer's close.
    s = socket.create_connection((host, port), timeout=60)
    t = time.monotonic()
    view, left = memoryview(CHUNK), n
    while left:
        k = s.send(view[:min(left, len(CHUNK))])
        left -= k
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    print("%.0f" % (n / 1024 / (time.monotonic() - t)))

def recv(host, port, n):
    # peer -> Linux: read until the peer closes; check the count.
    s = socket.create_connection((host, port), timeout=60)
    t, got = time.monotonic(), 0
    buf = bytearray(1 << 20)
    while True:
        k = s.recv_into(buf)
        if not k:
            break
        got += k
    dt = time.monotonic() - t
    print("%.0f" % (got / 1024 / dt) if got == n else "short:%d" % got)

def cps(host, port, secs):
    # Connections one after another to the sink: connect, close, wait for
    # the peer's close.
    end, count = time.monotonic() + secs, 0
    while time.monotonic() < end:
        s = socket.create_connection((host, port), timeout=10)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
        s.close()
        count += 1
    print("%.0f" % (count / secs))

def serve(addr, port, mode, n):
    # The Linux peer on the veth: a sink or a source like examples/speed.
    srv = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(128)
    print("listening", flush=True)
    while True:
        c, _ = srv.accept()
        if mode == "sink":
            while c.recv(1 << 20):
                pass
        else:
            view, left = memoryview(CHUNK), n
            while left:
                left -= c.send(view[:min(left, len(CHUNK))])
        c.close()

cmd, a = sys.argv[1], sys.argv[2:]
if cmd == "send": send(a[0], int(a[1]), int(a[2]))
elif cmd == "recv": recv(a[0], int(a[1]), int(a[2]))
elif cmd == "cps": cps(a[0], int(a[1]), float(a[2]))
elif cmd == "serve": serve(a[0], int(a[1]), a[2], int(a[3]))
PY
client() { ip netns exec "$NS" timeout 300 python3 "$TMP/tcp.py" "$@"; }
# The bulk transfers' Linux end: Python, or the C peer.
BULK=(python3 "$TMP/tcp.py")
if [ "${TCP_BENCH_PEER:-python}" = c ]; then
    BULK=("$ROOT/build/bench/tcp_peer")
    if [ ! -x "${BULK[0]}" ]; then
        echo "tcp: ${BULK[0]} is missing (make tests)"
        exit 1
    fi
fi

# bulk NAME ARGS...: the client's bulk transfer, under perf record when
# TCP_BENCH_PERF is set (NAME names the profile).
bulk() {
    local name=$1
    shift
    if [ -z "${TCP_BENCH_PERF:-}" ]; then
        ip netns exec "$NS" timeout 300 "${BULK[@]}" "$@"
        return
    fi
    perf record -q -a -F 999 -o "$TCP_BENCH_PERF/$name.data" -- \
        ip netns exec "$NS" timeout 300 "${BULK[@]}" "$@" \
        2>"$TMP/perf-$name.log"
}

# profile_split NAME: for the unikernel's process (or the tender's, on
# spt) and Linux's Python peer, microseconds of CPU per 1448-byte frame
# in NAME's profile (999 samples a second: one sample is about 1001 us),
# split into the process's own code and the kernel's work in its
# context: tap and socket system calls (copies, skb allocation), Linux's
# TCP/IP (the peer's, which runs in our context when we write a frame to
# the tap), and waiting (poll, timers, scheduling).
profile_split() {
    local comm
    for comm in speed.unix mirage-spt python3 tcp_peer; do
        perf report -i "$TCP_BENCH_PERF/$1.data" --comm "$comm" \
            --sort dso,sym -F sample,dso,sym --stdio 2>/dev/null |
            awk -v frames=$((BYTES / 1448)) -v name="$1 $comm" '
            /^#/ || NF < 3 { next }
            { n = $1; sym = $NF
              if ($2 !~ /kernel/) c = "own code"
              else if (sym ~ /^(tun_|tap_|_*copy_|__check_object|fdget|do_syscall|ksys_|vfs_|__x64_sys|entry_|syscall_|_*seccomp|__pi_memcpy|fput|exit_to_user|_*skb_datagram|skb_copy_datagram|_*build_skb|napi_|get_netmem|kmem_cache|__kmem|_*slab|kfree|skb_release|skb_free|_*alloc_skb|consume_skb|page_frag|__page|sock_alloc_send|netif_rx|__netif_rx|eth_type_trans|skb_set_owner|sock_wfree|_raw_spin|read_tsc|ktime_get)/)
                  c = "kernel: system calls, copies, skbs"
              else if (sym ~ /(poll|epoll|ep_|timerfd|hrtimer|schedule|finish_task|pick_next|dequeue|enqueue|update_|psi_)/)
                  c = "kernel: waiting"
              else c = "kernel: TCP/IP"
              us[c] += n * 1001; t += n * 1001 }
            END { if (t == 0) exit
                  for (c in us) printf "%s: %s %.2f us/frame\n", name, c, us[c] / frames
                  printf "%s: total %.2f us/frame\n", name, t / frames }' | sort
    done
}

# wait_ready LOG ADDR: until LOG says listening and ADDR answers a ping
# (an IPv6 address is usable once duplicate address detection passed;
# 10 s at most).
wait_ready() {
    local i
    for ((i = 0; i < 100; i++)); do
        grep -qs listening "$1" &&
            ip netns exec "$NS" ping -c 1 -W 1 "$2" >/dev/null 2>&1 &&
            return 0
        sleep 0.1
    done
    echo "not ready: $(tail -n 3 "$1")" >&2
    return 1
}

# served_cpu: the CPU time (user and system, in ticks of 10 ms) the
# serving process has used: the unikernel (or spt's tender with its
# guest, or the veth row's Linux server), the child of timeout, the last
# process started. cpu_per_gib TICKS: the milliseconds it used since it
# had used TICKS, per GiB of the transfer ("-" when unknown). The CPU a
# transfer costs varies much less than its rate on a shared host.
served_cpu() {
    local pid
    pid=$(pgrep -P "${PIDS[-1]}" | head -n 1)
    awk '{ print $14 + $15 }' "/proc/${pid:-0}/stat" 2>/dev/null
}
cpu_per_gib() {
    local now
    now=$(served_cpu)
    if [ -n "$1" ] && [ -n "$now" ]; then
        echo $(((now - $1) * 10 * 1073741824 / BYTES))
    else
        echo -
    fi
}

# measure LABEL ADDR START: START PORT MODE LOG boots a sink or source on
# PORT (one at a time: a tap has one reader); prints one table row
# (KiB/s each way, connections/s).
measure() {
    local label=$1 addr=$2 start=$3 tx=fail rx=fail cps=fail c0
    local txcpu=- rxcpu=-
    if "$start" 5001 sink "$TMP/$label-sink.log" &&
        wait_ready "$TMP/$label-sink.log" "$addr"; then
        c0=$(served_cpu)
        rx=$(bulk "$label-rx" send "$addr" 5001 "$BYTES") || rx=fail
        rxcpu=$(cpu_per_gib "$c0")
        cps=$(client cps "$addr" 5001 "$SECS") || cps=fail
    fi
    kill_all
    if "$start" 5002 source "$TMP/$label-source.log" &&
        wait_ready "$TMP/$label-source.log" "$addr"; then
        c0=$(served_cpu)
        tx=$(bulk "$label-tx" recv "$addr" 5002 "$BYTES") || tx=fail
        txcpu=$(cpu_per_gib "$c0")
    fi
    kill_all
    echo "$label $tx $rx $cps $txcpu $rxcpu"
    if [ -n "${TCP_BENCH_PERF:-}" ]; then
        profile_split "$label-rx" >&2
        profile_split "$label-tx" >&2
    fi
}

# The veth peer serves on SERVE_ADDR.
start_veth() {
    ip netns exec "$NS-peer" timeout 600 "${BULK[@]}" serve \
        "$SERVE_ADDR" "$1" "$2" "$BYTES" >"$3" 2>&1 &
    PIDS+=($!)
}
start_mirage() {
    local run=("${RUN[@]}" --ipv4=10.79.0.2/24 --ipv6=2001:db8:79::2/64
        --port="$1" --mode="$2" --bytes="$BYTES" "${EXTRA[@]}")
    ip netns exec "$NS" timeout 600 "${run[@]}" >"$3" 2>&1 &
    PIDS+=($!)
}

rows=()
for ((round = 1; round <= ROUNDS; round++)); do
NS=mirage-bench-tcp-veth-$$
if ip netns add "$NS" && ip netns add "$NS-peer" &&
    ip -n "$NS" link add v0 type veth peer name v1 netns "$NS-peer" &&
    ip -n "$NS" addr add 10.79.0.1/24 dev v0 &&
    ip -n "$NS-peer" addr add 10.79.0.2/24 dev v1 &&
    ip -n "$NS" addr add 2001:db8:79::1/64 dev v0 nodad &&
    ip -n "$NS-peer" addr add 2001:db8:79::2/64 dev v1 nodad &&
    ip -n "$NS" link set v0 up && ip -n "$NS-peer" link set v1 up &&
    ip -n "$NS-peer" link set lo up &&
    ip netns exec "$NS" sysctl -qw net.ipv4.tcp_tw_reuse=1; then
    SERVE_ADDR=10.79.0.2
    rows+=("$(measure veth 10.79.0.2 start_veth)")
    SERVE_ADDR=2001:db8:79::2
    rows+=("$(measure veth6 2001:db8:79::2 start_veth)")
fi
stop

# Build examples/speed with the direct stack for each target
# (TCP_BENCH_TARGETS, default unix and spt; virtio runs under mirage-virtio).
for t in ${TCP_BENCH_TARGETS:-unix spt}; do
    if [ ! -f "$ROOT/build/lib/mirage/$t/target.mk" ]; then
        echo "$t: target not installed: skipped"
        continue
    fi
    # Profiles need the image where it ran. Built in the first round.
    img=${TCP_BENCH_PERF:-$TMP}/speed.$t
    if [ "$round" = 1 ]; then
        rm -rf "$TMP/speed" && cp -r "$ROOT/examples/speed" "$TMP/speed"
        if ! (cd "$TMP/speed" && "$ROOT/build/bin/mirage" configure -t "$t" \
            --net=direct && make) >"$TMP/build-$t.log" 2>&1; then
            echo "$t: build failed: $(tail -n 5 "$TMP/build-$t.log")"
            continue
        fi
        cp "$TMP/speed/dist/speed$([ "$t" = unix ] || echo ".$t")" "$img"
    fi
    [ -f "$img" ] || continue
    if [ "$t" = unix ]; then
        RUN=("$img" --interface=tap0)
    else
        RUN=("$ROOT/build/bin/mirage-$t" --net:service=tap0 "$img")
    fi
    NS=mirage-bench-tcp-$t-$$
    if ip netns add "$NS" && ip -n "$NS" tuntap add dev tap0 mode tap &&
        ip -n "$NS" addr add 10.79.0.1/24 dev tap0 &&
        ip -n "$NS" addr add 2001:db8:79::1/64 dev tap0 nodad &&
        ip -n "$NS" link set tap0 up &&
        ip netns exec "$NS" sysctl -qw net.ipv4.tcp_tw_reuse=1; then
        EXTRA=()
        rows+=("$(measure "$t" 10.79.0.2 start_mirage)")
        rows+=("$(measure "${t}6" 2001:db8:79::2 start_mirage)")
        EXTRA=(--net-offload=false)
        rows+=("$(measure "$t-bare" 10.79.0.2 start_mirage)")
        if [ -n "${TCP_BENCH_BUSY:-}" ]; then
            EXTRA=(--busy-poll="$TCP_BENCH_BUSY")
            rows+=("$(measure "$t-busy" 10.79.0.2 start_mirage)")
        fi
    fi
    stop
done
done

# The table, with each throughput's and rate's ratio to veth's (of the
# same round; with several rounds, the medians of the values and of the
# ratios).
printf '%s\n' "${rows[@]}" | awk -v bytes="$BYTES" -v rounds="$ROUNDS" '
    function num(x) { return x ~ /^[0-9]+$/ }
    function median(list,    v, n, i, j, t) {
        n = split(list, v, " ")
        if (n == 0) return "-"
        for (i = 1; i <= n; i++)
            for (j = i + 1; j <= n; j++)
                if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    $1 == "veth" { ref[0, 2] = $2; ref[0, 3] = $3; ref[0, 4] = $4 }
    $1 == "veth6" { ref[6, 2] = $2; ref[6, 3] = $3; ref[6, 4] = $4 }
    {
        if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
        v6 = $1 ~ /6$/ ? 6 : 0
        for (k = 2; k <= 6; k++) {
            if (!num($k)) continue
            val[$1, k] = val[$1, k] " " $k
            if (ref[v6, k] > 0)
                rat[$1, k] = rat[$1, k] " " ($k / ref[v6, k])
        }
    }
    END {
        printf "%d bytes per transfer", bytes
        if (rounds > 1) printf ", medians of %d rounds", rounds
        printf "\n\n"
        print "| path | peer -> Linux KiB/s | ratio | Linux -> peer KiB/s | ratio | connections/s | ratio | CPU ms/GiB sending | receiving |"
        print "|---|---|---|---|---|---|---|---|---|"
        for (i = 1; i <= n; i++) {
            l = order[i]
            printf "| %s", l
            for (k = 2; k <= 4; k++) {
                m = median(val[l, k]); r = median(rat[l, k])
                printf " | %s | %s", m == "-" ? "fail" : sprintf("%.0f", m),
                    r == "-" ? "-" : sprintf("%.2f", r)
            }
            for (k = 5; k <= 6; k++) {
                m = median(val[l, k])
                printf " | %s", m == "-" ? "-" : sprintf("%.0f", m)
            }
            print " |"
        }
    }'
