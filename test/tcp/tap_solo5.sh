#!/usr/bin/env bash
# The TCP real-peer checks of test/tcp/tap.sh on spt and hvt: the same
# script, the test unikernel running under mirage-spt / mirage-hvt (hvt
# with 1 MiB transfers and 20 connections). UDP both ways on these
# targets is test/net/tap.sh's. A target whose tender is not built, or
# hvt without a usable /dev/kvm, is skipped. One case per target (the
# script's status), besides the script's own.
. "$(dirname "$0")/../lib.sh"
plan 2
for t in spt hvt; do
    if [ ! -x "$ROOT/build/bin/mirage-$t" ]; then
        skip "${t}_tcp_tap_run" "the $t tender is not built"
        continue
    fi
    if [ "$t" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        skip "${t}_tcp_tap_run" "/dev/kvm is not usable"
        continue
    fi
    TCP_TAP_TARGET=$t bash "$(dirname "$0")/tap.sh"
    expect "${t}_tcp_tap_run" 0 "$?"
done
finish
