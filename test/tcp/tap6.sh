#!/usr/bin/env bash
# The TCP real-peer checks of test/tcp/tap.sh over IPv6 (TCP_TAP_FAMILY=6)
# on unix, spt and hvt: transfers of 100 MiB each way (1 MiB on hvt)
# checked by SHA-256 and by the unikernel, echo, concurrent connections,
# refused connections both ways. A target whose tender is not built, or
# hvt without a usable /dev/kvm, is skipped. One case per target (the
# script's status), besides the script's own.
. "$(dirname "$0")/../lib.sh"
plan 3
for t in unix spt hvt; do
    if [ "$t" != unix ] && [ ! -x "$ROOT/build/bin/mirage-$t" ]; then
        skip "${t}_tcp6_tap_run" "the $t tender is not built"
        continue
    fi
    if [ "$t" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        skip "${t}_tcp6_tap_run" "/dev/kvm is not usable"
        continue
    fi
    TCP_TAP_FAMILY=6 TCP_TAP_TARGET=$t bash "$(dirname "$0")/tap.sh"
    expect "${t}_tcp6_tap_run" 0 "$?"
done
finish
