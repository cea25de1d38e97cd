#!/usr/bin/env bash
# The TCP real-peer checks of test/tcp/tap.sh on spt and hvt: the same
# script, the test unikernel running under mirage-spt / mirage-hvt (hvt
# with 1 MiB transfers and 20 connections). UDP both ways on these
# targets is test/net/tap.sh's. A target whose tender or image is not
# built, or hvt without a usable /dev/kvm, is skipped with a note.
. "$(dirname "$0")/../lib.sh"
for t in spt hvt; do
    if [ ! -x "$ROOT/build/bin/mirage-$t" ]; then
        echo "note: the $t tender is not built: skipped"
        continue
    fi
    if [ "$t" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        echo "note: /dev/kvm is not usable: hvt skipped"
        continue
    fi
    TCP_TAP_TARGET=$t bash "$(dirname "$0")/tap.sh" || T_FAILED=1
done
finish
