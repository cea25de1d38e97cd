#!/usr/bin/env bash
# The HTTP real-peer checks of test/http/peers.sh on spt and hvt: the same
# script, the test unikernel running under mirage-spt / mirage-hvt. A
# target whose tender or image is not built, or hvt without a usable
# /dev/kvm, is skipped with a SKIP line.
. "$(dirname "$0")/../lib.sh"
for t in spt hvt; do
    if [ ! -x "$ROOT/build/bin/mirage-$t" ]; then
        echo "SKIP http_$t: the $t tender is not built"
        continue
    fi
    if [ "$t" = hvt ] && ! [ -r /dev/kvm -a -w /dev/kvm ]; then
        echo "SKIP http_hvt: /dev/kvm is not usable"
        continue
    fi
    HTTP_PEER_TARGET=$t bash "$(dirname "$0")/peers.sh" || T_FAILED=1
done
finish
