#!/usr/bin/env bash
# TCP with and without the checksum and segmentation offloads, against
# the Linux kernel: the test unikernel of test/tcp/peer.bash (whose netif
# asks the device for every offload, or none with --offload=false) in a
# namespace of its own, and Linux's ends in test/tcp/peer.py. Each run
# moves BYTES each way, checked by SHA-256 on the Linux side and byte for
# byte by the unikernel, and checks from the unikernel's log which path
# was taken: the device's line says which offloads were granted, and the
# offload counters after the transfers show super-segments sent and
# received (and checksums the host vouched for) exactly when they were
# granted, none otherwise; on unix with offloads the sink (view reads)
# must have kept some of Linux's super-frames whole.
#   unix, offloads on and off, MTU 1500: 100 MiB each way;
#   unix, offloads on and off, MTU 9000 on the tap: 16 MiB each way;
#   spt, offloads asked for: 16 MiB each way (spt grants what its tender
#   can carry: the path checked is the one the log reports);
#   virtio (QEMU microvm, a tap with the virtio-net header), offloads on
#   and off: 16 MiB each way (the guest is emulated: kept small);
#   unix without offloads on a tap a killed unikernel left offloads on;
#   unix from a cold boot: 30 concurrent senders of 4 MiB to the sink;
#   unix ended by SIGTERM clears its offloads: a reader that knows
#   nothing of them (test/tcp/bare_reader.py) gets whole checksums;
#   spt running an image without the extension (as Solo5's images are) on
#   a tap whose offloads a killed unikernel left on.
# TCP_OFFLOAD_FULL=1 runs the full set: 100 MiB in every run, and spt
# without offloads too. Needs root and /dev/net/tun.
. "$(dirname "$0")/peer.bash"
MIB=1048576
RUNS=("unix on 1500 100" "unix off 1500 100" "unix on 9000 16"
    "unix off 9000 16" "spt on 1500 16" "virtio on 1500 16"
    "virtio off 1500 16")
if [ -n "${TCP_OFFLOAD_FULL:-}" ]; then
    RUNS=("unix on 1500 100" "unix off 1500 100" "unix on 9000 100"
        "unix off 9000 100" "spt on 1500 100" "spt off 1500 100"
        "virtio on 1500 100" "virtio off 1500 100")
fi
CASES=5 # per run
plan $((${#RUNS[@]} * CASES + 4))
netns_require tcp_offload python3
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

# run TARGET on|off MTU MIB: one run's cases.
run() {
    local t=$1 offload=$2 mtu=$3 bytes=$(($4 * MIB))
    local name=${t}_offload_${offload}_mtu${mtu} log="$T_TMP/$1-$2-$3.log"
    peer_target "$t" "$name" "$CASES" || return
    if ! { netns && ip -n "$NS" link set tap0 mtu "$mtu"; } ||
        ! peer_boot "$t" "$log" --offload="$([ "$offload" = on ] && echo true || echo false)"; then
        boot_failed "$name" "$log" "$CASES"
        return
    fi
    pass "${name}_started"
    transfers "$name" "$log" "$bytes"
    # The path taken, from the device's line and the counters.
    local granted c kept
    granted=$(grep -oE 'offloads [a-z0-9,]+' "$log" | head -n 1)
    c=$(counters "$log")
    read -r tx rx ok bad <<<"${c:-x x x x}"
    if [ "$offload" = off ] && [ "$granted" != "offloads none" ]; then
        fail "${name}_path" "asked for none, the device says '$granted'"
    elif [ "$granted" = "offloads none" ]; then
        # Bare frames: nothing may have gone the offloaded way.
        expect "${name}_path_bare" "0 0 0 0" "$c"
    elif [ "$granted" = "offloads csum,tso4,tso6" ]; then
        # On unix, Linux's super-frames are big enough to be kept whole
        # by the sink's view reads (the emulated guests get small ones).
        kept=$(sed -n 's/.*frames kept \([0-9]*\).*/\1/p' "$log" | head -n 1)
        if [ "$tx" -gt 0 ] 2>/dev/null && [ "$rx" -gt 0 ] && [ "$ok" -gt 0 ] &&
            [ "$bad" -eq 0 ] && { [ "$t" != unix ] || [ "${kept:-0}" -gt 0 ]; }; then
            pass "${name}_path_offloaded"
        else
            fail "${name}_path_offloaded" "counters tx_gso rx_gso csum_ok bad_vhdr: $c, frames kept ${kept:-none}"
        fi
    else
        fail "${name}_path" "unexpected '$granted' (counters $c)"
    fi
    if grep -qE 'ERROR|abort|overflow' "$log"; then
        fail "${name}_clean_log" "$(grep -m1 -E 'ERROR|abort|overflow' "$log")"
    else
        pass "${name}_clean_log"
    fi
    stop
}

for r in "${RUNS[@]}"; do
    # shellcheck disable=SC2086
    run $r
done

# From a cold boot, 30 connections at once send 4 MiB each to the sink,
# which reads by views (kept frames lent in place, under one memory
# budget): every one is taken whole and checked byte for byte.
if peer_target unix unix_view_sinks_30_concurrent 1; then
    if netns && peer_boot unix "$T_TMP/sinks.log"; then
        sent=$(in_ns timeout 120 python3 "$PEER_PY" sinks "$NETNS_NET.2" 30 $((4 * MIB)) 2>&1)
        wait_log "$T_TMP/sinks.log" "sink $((4 * MIB)) bytes ok" 100 30
        expect unix_view_sinks_30_concurrent "sent 30 of 30, 30 ok, 0 bad" \
            "$sent, $(grep -c "sink $((4 * MIB)) bytes ok" "$T_TMP/sinks.log") ok, $(grep -cE 'bytes bad|ERROR' "$T_TMP/sinks.log") bad"
    else
        fail unix_view_sinks_30_concurrent "$(tail -n 3 "$T_TMP/sinks.log")"
    fi
    stop
fi

# The tap keeps the offloads its last owner set, and a killed unikernel
# cannot clear them: unix opening it without offloads clears them.
if peer_target unix unix_bare_after_killed_offload 1; then
    if netns && peer_boot unix "$T_TMP/first.log" && kill -KILL "$PID" &&
        { wait "$PID" 2>/dev/null; PID=; } &&
        peer_boot unix "$T_TMP/second.log" --offload=false; then
        linux_sends unix_bare_after_killed_offload "$T_TMP/second.log" $((4 * MIB))
    else
        fail unix_bare_after_killed_offload "$(tail -n 3 "$T_TMP"/*.log)"
    fi
    stop
fi
# Ended by SIGTERM, unix clears them itself, for a next owner that knows
# nothing of offloads (Solo5's tenders): its frames are whole.
if peer_target unix unix_sigterm_clears_offloads 1; then
    if netns && ip -n "$NS" neigh replace "$NETNS_NET.2" \
        lladdr 02:00:00:00:00:09 dev tap0 &&
        peer_boot unix "$T_TMP/term.log" && kill -TERM "$PID"; then
        wait "$PID" 2>/dev/null
        PID=
        expect unix_sigterm_clears_offloads "udp checksum ok" \
            "$(in_ns timeout 30 python3 "$ROOT/test/tcp/bare_reader.py" "$NETNS_NET.2" 2>&1)"
    else
        fail unix_sigterm_clears_offloads "$(tail -n 3 "$T_TMP"/*.log)"
    fi
    stop
fi
# A unikernel killed with its offloads on cannot clear them; the tender
# opening the tap next for an image without the extension clears them,
# or Linux would hand the guest partial checksums it drops as bad.
name=spt_plain_abi_after_killed_offload
if target_usable spt "$name" 1 && peer_target unix "$name" 1; then
    log="$T_TMP/plain.log"
    if netns && peer_boot unix "$T_TMP/killed.log" && kill -KILL "$PID" &&
        { wait "$PID" 2>/dev/null; PID=; peer_target spt "$name" 1; } &&
        python3 "$ROOT/test/tender/unext.py" "$P" "$T_TMP/plain.spt" &&
        P=$T_TMP/plain.spt && peer_boot spt "$log"; then
        linux_sends "$name" "$log" $((4 * MIB))
    else
        fail "$name" "$(tail -n 3 "$T_TMP"/*.log)"
    fi
    stop
fi
finish
