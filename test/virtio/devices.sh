#!/usr/bin/env bash
# virtio: two network and two block devices in one image, on QEMU microvm
# (virtio-mmio) and q35 (virtio-pci), given to the manifest's names by
# the command line in either order: each disk gets its own name written
# at its last block, each NIC answers raw frames from its own tap (in a
# network namespace made for the test) with its own name. Then, on q35,
# the block example on virtio-blk and the echo example over virtio-net
# against Linux.
source "$(dirname "$0")/virtio.bash"
source "$(dirname "$0")/../net/netns.bash"
plan $((4 * 5 + 2 + 3 + 4))
virtio_require_qemu virtio_devices
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    skip_rest virtio_devices "needs root and /dev/net/tun"
fi
scratch
NS2=
cleanup() {
    stop
    [ -n "$NS2" ] && ip netns del "$NS2" 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT

NS2=mirage-virtio-dev-$$
ip netns add "$NS2"
for tap in tapa tapb; do
    ip -n "$NS2" tuntap add dev $tap mode tap && ip -n "$NS2" link set $tap up
done

# run_devices MACHINE NET_ORDER: boot the devices guest with net0 on tapa
# and net1 on tapb (options in the order given), disks of 1 and 2 MiB.
run_devices() {
    local m=$1 order=$2 log="$T_TMP/dev-$1-$2.log" opts pid
    truncate -s 0 "$T_TMP/d0" "$T_TMP/d1"
    truncate -s 1M "$T_TMP/d0"
    truncate -s 2M "$T_TMP/d1"
    local n0=(--net:net0=tapa --net-mac:net0=52:54:00:00:00:a0)
    local n1=(--net:net1=tapb --net-mac:net1=52:54:00:00:00:b1)
    if [ "$order" = forward ]; then opts=("${n0[@]}" "${n1[@]}"); else
        opts=("${n1[@]}" "${n0[@]}"); fi
    ip netns exec "$NS2" timeout 120 "$VIRTIO" --accel="$ACCEL" \
        --machine="$m" "${opts[@]}" --block:disk1="$T_TMP/d1" \
        --block:disk0="$T_TMP/d0" "$IMAGES/devices.virtio" >"$log" 2>&1 &
    pid=$!
    if ! wait_log "$log" '^answering$' 300; then
        fail "${m}_${order}: devices guest ready" "$(cat "$log")"
        skip "${m}_${order}" "the guest did not start" 4
        kill "$pid" 2>/dev/null
        wait "$pid"
        return
    fi
    local talk
    talk=$(ip netns exec "$NS2" python3 "$ROOT/test/virtio/ethertest.py" \
        tapa=52:54:00:00:00:a0=net0 tapb=52:54:00:00:00:b1=net1)
    talk=$(printf '%s\n' "$talk" | paste -sd'|')
    if [ "$talk" = "tapa net0 ok|tapb net1 ok" ]; then
        pass "${m}_${order}: each NIC answers as itself"
    else
        kill "$pid" 2>/dev/null
        fail "${m}_${order}: each NIC answers as itself" \
            "[$talk], the guest said: $(grep -v '^answering' "$log" | tail -n 6)"
    fi
    wait "$pid"
    expect "${m}_${order}: status" 0 "$?"
    local out
    out=$(grep -E '^(disk|net)[01] ' "$log" | grep -v answered)
    expect "${m}_${order}: devices by name" \
        "disk0 capacity 1048576 block 512|disk1 capacity 2097152 block 512|net0 mac 52:54:00:00:00:a0 mtu 1500|net1 mac 52:54:00:00:00:b1 mtu 1500" \
        "$(printf '%s\n' "$out" | paste -sd'|')"
    expect "${m}_${order}: disk0 written at its end" disk0 \
        "$(tail -c 512 "$T_TMP/d0" | head -c 5)"
    expect "${m}_${order}: disk1 written at its end" disk1 \
        "$(tail -c 512 "$T_TMP/d1" | head -c 5)"
}
for m in microvm q35; do
    run_devices $m forward
    run_devices $m reverse
done

# Devices the manifest needs but the machine lacks.
run_virtio --net:net0=tapa "$IMAGES/devices.virtio"
expect "a missing device exits 1" 1 "$RC"
expect_match "a missing device is named" \
    "^virtio: (net 'net0'|net 'net1'|block 'disk0').*no virtio-(net|blk) device left for it" \
    "$OUT"

# The block example on virtio-blk over PCI.
use_example block
"$MIRAGE" configure -t virtio >build.log 2>&1 && make >>build.log 2>&1
expect "block example builds" 0 "$?"
truncate -s 1M disk.img
run_virtio --machine=q35 --block:storage=disk.img dist/block.virtio
expect "block example on q35: status" 0 "$RC"
expect_match "block example on q35: summary" \
    'block: 64 sectors written and read back, 4 of 4 expected failures' "$OUT"

# The echo example over virtio-net on PCI, against Linux.
use_example echo
"$MIRAGE" configure -t virtio --net=direct >build.log 2>&1 &&
    make >>build.log 2>&1
expect "echo example builds" 0 "$?"
if MIRAGE_VIRTIO_MACHINE=q35 start virtio "$PWD/dist/echo.virtio" \
    "$T_TMP/echo.log" --port=7; then
    head -c 1000000 /dev/urandom >"$T_TMP/payload"
    got=$(ip netns exec "$NS" timeout 60 nc -N 10.0.0.2 7 <"$T_TMP/payload" |
        sha256sum)
    expect "echo example on q35: 1000000 bytes back over TCP" \
        "$(sha256sum <"$T_TMP/payload")" "$got"
    # virtio-pci negotiates the offloads again after a reset, as mmio.
    expect_match "echo example on q35: offloads on virtio-pci" \
        "MTU 1500, offloads csum,tso4,tso6" "$(cat "$T_TMP/echo.log")"
    out=$(echo "udp echo" | ip netns exec "$NS" socat -t 3 - UDP:10.0.0.2:7)
    expect "echo example on q35: UDP" "udp echo" "$out"
else
    fail "echo example on q35 starts" "$(cat "$T_TMP/echo.log")"
    skip "echo example on q35" "the example did not start" 2
fi
finish
