#!/usr/bin/env bash
# virtio-net's offloads on devices offering different sets, against the
# Linux kernel: the TCP test unikernel (test/tcp/peer.bash, which asks
# for every offload) under QEMU on a tap with the virtio-net header, its
# device's features cut down with mirage-virtio's --net-props. Each run
# moves VIRTIO_OFFLOAD_MIB (default 4) MiB each way, checked by SHA-256
# on the Linux side and byte for byte by the unikernel, and checks which
# path was taken from the device's line and the offload counters:
#   no MRG_RXBUF: GSO frames received whole into 64 KiB buffers;
#   no guest offloads (GUEST_CSUM, GUEST_TSO4/6 off): super-segments
#   sent, none received, no checksum vouched for;
#   no CSUM: nothing granted, bare frames both ways;
#   q35 (virtio-pci): every offload, renegotiated after its reset.
# (test/tcp/offload.sh covers microvm with every offload, and bare.)
. "$(dirname "$0")/../tcp/peer.bash"
MIB=1048576
BYTES=$((${VIRTIO_OFFLOAD_MIB:-4} * MIB))
# name, machine, device properties, offloads granted, then whether
# super-segments are sent and received and checksums vouched for.
RUNS=("no_mrg microvm mrg_rxbuf=off csum,tso4,tso6 yes yes yes"
    "no_guest microvm guest_csum=off,guest_tso4=off,guest_tso6=off csum,tso4,tso6 yes no no"
    "no_csum microvm csum=off none no no no"
    "pci q35 - csum,tso4,tso6 yes yes yes")
CASES=5 # per run
plan $((${#RUNS[@]} * CASES))
netns_require virtio_offload python3
scratch
trap 'stop; rm -rf "$T_TMP"' EXIT

# fits yes|no N: whether count N is above 0 (yes) or 0 (no).
fits() {
    if [ "$1" = yes ]; then [ "$2" -gt 0 ] 2>/dev/null; else [ "$2" = 0 ]; fi
}

# run NAME MACHINE PROPS GRANTED TX RX CSUM: one run's cases.
run() {
    local name=virtio_offload_$1 log="$T_TMP/$1.log" props=()
    [ "$3" = - ] || props=(--net-props:service="$3")
    TENDER_OPTS=(--machine="$2" "${props[@]}")
    peer_target virtio "$name" "$CASES" || return
    if ! peer_boot virtio "$log"; then
        boot_failed "$name" "$log" "$CASES"
        return
    fi
    pass "${name}_started"
    transfers "$name" "$log" "$BYTES"
    expect "${name}_granted" "offloads $4" \
        "$(grep -oE 'offloads [a-z0-9,]+' "$log" | head -n 1)"
    local tx rx ok bad c
    c=$(counters "$log")
    read -r tx rx ok bad <<<"${c:-x x x x}"
    if fits "$5" "$tx" && fits "$6" "$rx" && fits "$7" "$ok" && [ "$bad" = 0 ] &&
        ! grep -qE 'ERROR|dropped a frame|disabled' "$log"; then
        pass "${name}_path"
    else
        fail "${name}_path" "tx_gso rx_gso csum_ok bad_vhdr: $c, expected $5 \
$6 $7 0; $(grep -m1 -E 'ERROR|dropped|disabled' "$log")"
    fi
    stop
}

for r in "${RUNS[@]}"; do
    # shellcheck disable=SC2086
    run $r
done
finish
