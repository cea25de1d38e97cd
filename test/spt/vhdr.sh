#!/usr/bin/env bash
# MirageC's virtio-net header on spt (MIRAGE_EXT_NET_VHDR,
# test/spt/guests/vhdr.c) against Linux on a tap: with the offloads
# granted, a 64 KiB-capable TCP super-frame from Linux reaches the guest
# whole with its header, and the guest's super-frame (TSO, NEEDS_CSUM)
# reaches Linux as one GSO packet whose checksum completes right; bare
# frames on the same tap (readv/writev), and the image as Solo5's tenders
# see it, on the plain path (test/tender/vhdr.bash). A header the kernel
# refuses is an error the guest survives; TUNSETOFFLOAD of an offload
# not granted is killed by the seccomp filter (SIGSYS, 128 + 31).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/spt.bash"
plan 6
spt_require spt_vhdr_built "$IMG/vhdr.spt"
scratch
source "$ROOT/test/tender/vhdr.bash"
[ -n "$VHDR_NS" ] || skip_rest spt_vhdr "cannot make a namespace with a tap"

vhdr_exchanges spt_vhdr "$SPT" "$IMG/vhdr.spt"

out=$(vhdr_run - "$SPT" "$IMG/vhdr.spt" bad)
expect spt_vhdr_bad_header "159 3 ok, 0 peer ok" "$? $(vhdr_counts "$out")"
finish
