#!/usr/bin/env bash
# The HTTP real-peer checks of test/http/peers.sh on spt and hvt: the same
# script (which declares its own plan), the test unikernel running under
# mirage-spt / mirage-hvt. hvt without a usable /dev/kvm is skipped (the
# 31 cases its run would have).
. "$(dirname "$0")/../lib.sh"
for t in spt hvt; do
    if [ "$t" = hvt ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
        plan 31
        skip http_hvt "/dev/kvm is not usable" 31
        continue
    fi
    HTTP_PEER_TARGET=$t bash "$(dirname "$0")/peers.sh" || T_FAILED=1
done
finish
