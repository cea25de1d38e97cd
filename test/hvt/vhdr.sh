#!/usr/bin/env bash
# MirageC's virtio-net header on hvt (MIRAGE_EXT_NET_VHDR,
# test/hvt/guests/vhdr.c) against Linux on a tap: with the offloads
# granted, a 64 KiB-capable TCP super-frame from Linux reaches the guest
# whole with its header, and the guest's super-frame (TSO, NEEDS_CSUM)
# reaches Linux as one GSO packet whose checksum completes right; bare
# frames on the same tap, and the image as Solo5's tenders see it, on the
# plain path (test/tender/vhdr.bash). Headers the tender must refuse are
# EINVAL and send nothing; NET_OFFLOAD on a device without the header
# stops the guest. Needs root, /dev/net/tun and /dev/kvm.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/kvm.bash"
plan 8
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
finish
