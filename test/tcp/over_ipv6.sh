#!/usr/bin/env bash
# The TCP suites of the test network (build/test/tcp_transfer, tcp_close,
# tcp_device, tcp_burst, tcp_offload) again over IPv6: MIRAGE_TEST_FAMILY=6 makes their
# nodes dual-stack and their connections IPv6 (test/unit/tcp_harness.c).
# Each program's plan and cases are passed on, the cases named with a
# "v6_" prefix. (tcp_hostile injects IPv4 frames and stays IPv4-only.)
. "$(dirname "$0")/../lib.sh"
status=0
for t in tcp_transfer tcp_close tcp_device tcp_burst tcp_offload; do
    bin=$ROOT/build/test/$t
    if [ ! -x "$bin" ]; then
        plan 1
        fail "v6_$t" "$bin is missing (make tests)"
        status=1
        continue
    fi
    MIRAGE_TEST_FAMILY=6 "$bin" 2>&1 |
        sed -E 's/^(PASS|FAIL|SKIP) /\1 v6_/'
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
exit $status
