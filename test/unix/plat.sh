#!/usr/bin/env bash
# The unix platform for real: runs build/test-images/plat_unix (a unikernel
# linked like any other) and checks the console, clocks, heap, stack
# canary, block devices, yield, exit statuses, argv and, as root with
# /dev/net/tun, a tap device in a network namespace made for the test.
. "$(dirname "$0")/../lib.sh"
plan 46
P="$ROOT/build/test-images/plat_unix"
if [ ! -x "$P" ]; then
    fail plat_unix_built "$P is missing (make tests)"
    finish
fi
scratch

# run NAME ARGS...: run the image, keep its output in $OUT, and pass when
# it exits 0 with no FAILED line.
run() {
    local name=$1
    shift
    OUT=$("$P" "$@" 2>&1)
    local rc=$?
    if [ $rc -eq 0 ] && ! printf '%s\n' "$OUT" | grep -q '^FAILED'; then
        pass "$name"
    else
        fail "$name" "status $rc: $(printf '%s' "$OUT" | grep -v '^ok' | head -5)"
    fi
}

run unix_console_hello hello
expect unix_target_name "hello from unix" "$OUT"

n=$("$P" console 1000000 | wc -c)
expect unix_console_large_write $((1000000 + 18)) "$n"
expect unix_console_pattern "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk" \
    "$("$P" console 200 | sed -n 2p)"

run unix_clocks clocks
wall=$(printf '%s\n' "$OUT" | sed -n 's/^wall //p')
now=$(date +%s)
if [ -n "$wall" ] && [ $((wall - now)) -le 60 ] && [ $((now - wall)) -le 60 ]; then
    pass unix_wall_clock_is_now
else
    fail unix_wall_clock_is_now "wall [$wall], date $now"
fi

# The clocks are read through the vDSO, without system calls.
if command -v strace >/dev/null; then
    calls=$(strace -f -e trace=clock_gettime "$P" clocks 2>&1 >/dev/null |
        grep -c '^clock_gettime')
    expect unix_clocks_use_the_vdso 0 "$calls"
else
    skip unix_clocks_use_the_vdso "strace is not installed (scripts/install-deps.sh)"
fi

run unix_heap_64mib heap 64
# A limited address space gets a smaller heap, or a clear refusal.
OUT=$( (ulimit -v 200000 && "$P" heap 32) 2>&1)
expect unix_heap_under_ulimit 0 $?
OUT=$( (ulimit -v 10000 && "$P" hello) 2>&1)
expect unix_no_heap_status 255 $?
expect unix_no_heap_message "mirage: cannot map a heap" "$OUT"
run unix_stack_canary canary
OUT=$("$P" smash "$(printf '%064d' 0)" 2>&1)
expect unix_stack_smash_status 255 $?
expect_match unix_stack_smash_detected "stack smashing detected" "$OUT"
# Not before the deadline (how much later depends on the machine's load).
run unix_yield_deadline yield 300
took=$(printf '%s\n' "$OUT" | sed -n 's/^yield took \([0-9]*\) ms$/\1/p')
if [ -n "$took" ] && [ "$took" -ge 300 ]; then pass unix_yield_took; else
    fail unix_yield_took "[$OUT]"
fi
run unix_random_device random

# Block devices: a writable file of 8 blocks and a bit, a read-only one,
# and names that are not block devices.
truncate -s 4200 "$T_TMP/disk.img"
run unix_block_file block "$T_TMP/disk.img"
expect_match unix_block_capacity "^capacity 4096 block 512 ro 0" "$OUT"
expect unix_block_written_on_disk "$(printf '\001\010\017\026' | od -An -tx1)" \
    "$(dd if="$T_TMP/disk.img" bs=1 skip=512 count=4 status=none | od -An -tx1)"
run unix_block_bad_names block-bad "$T_TMP/missing.img" "$T_TMP"
# Offsets above 4 GiB in a sparse 8 GiB file.
truncate -s 8G "$T_TMP/big.img"
run unix_block_above_4gib block-high "$T_TMP/big.img"
expect unix_block_above_4gib_in_file "52 52" \
    "$(od -A n -t x1 -j $((5 << 30)) -N 2 "$T_TMP/big.img" | tr -d '\n' | sed 's/^ //')"
rm -f "$T_TMP/big.img"
# A full file system (a 64 KiB tmpfs under a 1 MiB sparse file): the
# failed write is an error code, and the unikernel goes on.
mkdir "$T_TMP/full"
if mount -t tmpfs -o size=64k tmpfs "$T_TMP/full"; then
    truncate -s 1M "$T_TMP/full/disk"
    run unix_block_full_fs block-full "$T_TMP/full/disk"
    expect_match unix_block_full_fs_is_eunspec '^wrote [1-9][0-9]* blocks, then EUNSPEC$' "$OUT"
    umount "$T_TMP/full"
else
    fail unix_block_full_fs "cannot mount a tmpfs"
    fail unix_block_full_fs_is_eunspec "cannot mount a tmpfs"
fi

# A fault is reported in one line, with status 255.
OUT=$("$P" fault 2>&1)
expect unix_fault_status 255 $?
expect_match unix_fault_report '^unix: fault: SIGSEGV at rip 0x[0-9a-f]+, address 0x10$' "$OUT"

cp "$T_TMP/disk.img" "$T_TMP/ro.img"
chmod 444 "$T_TMP/ro.img"
if [ "$(id -u)" -eq 0 ]; then
    # root may write anything: open it as nobody instead.
    chmod 755 "$T_TMP"
    OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$P" block-ro \
        "$T_TMP/ro.img" 2>&1)
    rc=$?
else
    OUT=$("$P" block-ro "$T_TMP/ro.img" 2>&1)
    rc=$?
fi
if [ $rc -eq 0 ] && ! printf '%s\n' "$OUT" | grep -q '^FAILED'; then
    pass unix_block_read_only
else
    fail unix_block_read_only "status $rc: $OUT"
fi

# Exit statuses and arguments.
"$P" exit 0 >/dev/null
expect unix_exit_0 0 $?
"$P" exit 42 >/dev/null
expect unix_exit_42 42 $?
"$P" abort >/dev/null
expect unix_abort_is_255 255 $?
OUT=$("$P" argv "a b" "  two  spaces " "" "tab	x")
expect unix_argv_intact "$(printf '[a b]\n[  two  spaces ]\n[]\n[tab\tx]')" "$OUT"

run unix_net_bad_names net-bad

# A tap in a namespace of our own: the kernel side sends ARP requests
# (for a datagram to an absent neighbour), the unikernel reads one; the frame the
# unikernel sends is counted by the kernel.
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null; then
    skip_rest unix_net_tap "needs root, /dev/net/tun and ip(8)"
fi
ns="mirage-plat-$$"
net_cleanup() {
    [ -n "${NET_PID:-}" ] && kill "$NET_PID" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    mountpoint -q "$T_TMP/full" && umount "$T_TMP/full"
    rm -rf "$T_TMP"
}
trap net_cleanup EXIT
ip netns add "$ns"
# No IPv6: its router and listener messages would come first.
ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null
ip -n "$ns" tuntap add dev mtap0 mode tap
ip -n "$ns" link set mtap0 up
ip -n "$ns" addr add 10.200.0.1/24 dev mtap0
# net_run NAME WANTED OFFLOADS: the unikernel asks for the offloads
# WANTED, is granted OFFLOADS, reads an ARP request and sends a frame.
net_run() {
    local rx0 rx
    rx0=$(ip netns exec "$ns" cat /sys/class/net/mtap0/statistics/rx_packets)
    ip netns exec "$ns" "$P" net mtap0 "$2" >"$T_TMP/net.out" 2>&1 &
    NET_PID=$!
    for _ in $(seq 100); do
        grep -qs '^net ready' "$T_TMP/net.out" && break
        kill -0 "$NET_PID" 2>/dev/null || break
        sleep 0.1
    done
    # A datagram to an absent neighbour makes the kernel resolve it by
    # ARP: one every half second until the unikernel has read a frame and
    # exited (it gives up after 20 s).
    for i in $(seq 200); do
        kill -0 "$NET_PID" 2>/dev/null || break
        [ $((i % 5)) -eq 1 ] &&
            ip netns exec "$ns" bash -c 'echo x >/dev/udp/10.200.0.2/9' 2>/dev/null
        sleep 0.1
    done
    wait "$NET_PID"
    local rc=$?
    NET_PID=
    OUT=$(cat "$T_TMP/net.out")
    if [ $rc -eq 0 ] && ! printf '%s\n' "$OUT" | grep -q '^FAILED'; then
        pass "$1"
    else
        fail "$1" "status $rc: $OUT"
    fi
    expect_match "${1}_mtu_offloads" "^mtu 1500 mac .* offloads $3\$" "$OUT"
    expect_match "${1}_arp_frame" \
        "frame ethertype 0806 len (4[2-9]|[5-9][0-9])" "$OUT"
    rx=$(ip netns exec "$ns" cat /sys/class/net/mtap0/statistics/rx_packets)
    expect "${1}_frame_sent" 1 $((rx - rx0))
}
net_run unix_net_tap 0 0
# Checksum and TCP segmentation offloads: frames behind a virtio-net
# header.
net_run unix_net_tap_offloads 7 7
# TSO without checksum offload: the kernel refuses it, so the tap falls
# back to bare frames.
net_run unix_net_tap_offload_fallback 2 0

# The tap deleted while the unikernel writes to it: error codes, no crash.
ip netns exec "$ns" "$P" net-down mtap0 >"$T_TMP/down.out" 2>&1 &
NET_PID=$!
for _ in $(seq 100); do
    grep -qs '^sending' "$T_TMP/down.out" && break
    sleep 0.1
done
ip -n "$ns" link del mtap0
wait "$NET_PID"
rc=$?
NET_PID=
expect unix_net_tap_deleted "0 write EUNSPEC, read EUNSPEC" \
    "$rc $(sed -n 's/^write/write/p' "$T_TMP/down.out")"
finish
