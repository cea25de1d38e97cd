#!/usr/bin/env bash
# MirageC's virtio-net header on hvt (MIRAGE_EXT_NET_VHDR,
# test/hvt/guests/vhdr.c) against Linux on a tap: with the offloads
# granted, a 64 KiB-capable TCP super-frame from Linux reaches the guest
# whole with its header, and the guest's super-frame (TSO, NEEDS_CSUM)
# reaches Linux as one GSO packet whose checksum completes right; bare
# frames on the same tap, and the image as Solo5's tenders see it, on the
# plain path (test/tender/vhdr.bash). Headers the tender must refuse are
# EINVAL and send nothing; NET_OFFLOAD on a device without the header
# stops the guest. HVT_VHDR_MIB (default 2; 16 for the full check) MiB
# move each way as 64000-byte super-frames, with at most 32 VM exits per
# MiB. Needs root, /dev/net/tun and /dev/kvm.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 12
hvt_require_kvm
scratch
source "$ROOT/test/tender/vhdr.bash"
[ -n "$VHDR_NS" ] || skip_rest hvt_vhdr "cannot make a namespace with a tap"
IMAGE="$IMAGES/vhdr.hvt"

vhdr_exchanges hvt_vhdr "$HVT" "$IMAGE"

out=$(MIRAGE_HVT_STATS=1 vhdr_run - "$HVT" "$IMAGE" bad)
expect hvt_vhdr_bad_headers "0 11 ok, 0 peer ok" "$? $(vhdr_counts "$out")"
# Only the good batch's 3 frames of 72 bytes left.
expect_match hvt_vhdr_bad_headers_send_nothing \
    'stats: frames sent 3 received [0-9]* bytes sent 216 ' "$out"
out=$(vhdr_run - "$HVT" "$IMAGE" extra)
expect_match hvt_vhdr_offload_without_header \
    '^mirage-hvt: guest stopped: bad hypercall NET_OFFLOAD: handle 2 does not take it \(rip' \
    "$out"

MIB=${HVT_VHDR_MIB:-2}
# exits_per_mib NAME OUT: the whole run (boot, console and halt
# included) made at most 32 VM exits per MiB moved, the goal for bulk
# transfers.
exits_per_mib() {
    local exits
    exits=$(sed -n 's/.*stats: vm_exits \([0-9]*\) .*/\1/p' <<<"$2")
    echo "hvt vhdr: $exits VM exits for $MIB MiB"
    if [ -n "$exits" ] && [ "$exits" -le $((32 * MIB)) ]; then
        pass "$1"
    else
        fail "$1" "${exits:-no} exits for $MIB MiB"
    fi
}

frames=$(((MIB << 20) / 64000 + 1))
out=$(MIRAGE_HVT_STATS=1 vhdr_run - "$HVT" "$IMAGE" send 7 "$MIB")
expect hvt_vhdr_bulk_send "0 sent $((frames * 64000)) bytes in $frames frames" \
    "$? $(grep '^sent' <<<"$out")"
exits_per_mib hvt_vhdr_bulk_send_exits "$out"
out=$(MIRAGE_HVT_STATS=1 vhdr_run "blast-gso $MIB" "$HVT" "$IMAGE" receive 7 "$MIB")
expect hvt_vhdr_bulk_receive "0 received $((frames * 64000)) bytes in $frames frames" \
    "$? $(grep '^received' <<<"$out")"
exits_per_mib hvt_vhdr_bulk_receive_exits "$out"
finish
