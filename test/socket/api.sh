#!/usr/bin/env bash
# The socket stack's interface on loopback: build/test-images/socket_unix
# (test/socket/socket_test.c) checks every call, its deadlines and its
# error paths; each of its "ok"/"FAILED" lines becomes a PASS/FAIL.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ports.bash"
# The 147 checks of socket_test.c's api command (one case each), and 11.
plan $((147 + 11))
IMG="$ROOT/build/test-images/socket_unix"
if [ ! -x "$IMG" ]; then
    fail socket_api_built "$IMG is missing (make tests)"
    finish
fi
base=$(free_ports 15) || {
    fail socket_api_ports "no free loopback ports"
    finish
}
out=$(timeout 120 "$IMG" api "$base" 2>&1)
rc=$?
while IFS= read -r line; do
    name=socket_api_$(printf '%s' "${line#* }" | tr -c 'A-Za-z0-9\n' _)
    case $line in
    "ok "*) pass "$name" ;;
    "FAILED "*) fail "$name" "$(printf '%s\n' "$out" | grep -B1 -xF "$line" |
        head -n 1)" ;;
    esac
done <<<"$out"
expect socket_api_status 0 "$rc"
expect_match socket_api_logs_bad_ipv4 "bad IPv4 address '10.0.0.300'" "$out"
expect_match socket_api_logs_bad_ipv6 "bad IPv6 address 'fd00::zz'" "$out"
expect_match socket_api_logs_ipv4_as_ipv6 \
    "'127.0.0.1' is an IPv4 address: .* not as its IPv6 one" "$out"
expect_match socket_api_logs_ipv6_as_ipv4 \
    "'::1' is an IPv6 address: .* not as its IPv4 one" "$out"
expect_match socket_api_logs_both_only \
    "cannot be both IPv4-only and IPv6-only" "$out"

# Descriptors running out: python starts the image with 0..2 open only
# and at most 16.
base=$(free_ports 1)
out=$(timeout 60 python3 -c '
import resource, subprocess, sys
limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
sys.exit(subprocess.run(sys.argv[1:], preexec_fn=limit).returncode)
' "$IMG" starve "$base" 2>&1)
expect socket_api_starve_status 0 "$?"
expect "socket_api_starve_checks" "" "$(printf '%s\n' "$out" | grep FAILED)"
expect_match socket_api_starve_logged 'cannot accept: .*trying again' "$out"

# Every device slot taken: the poller cannot be set up.
scratch
for i in $(seq 0 62); do head -c 512 /dev/zero >"$T_TMP/$i"; done
out=$(timeout 60 "$IMG" nodev "$T_TMP" 2>&1)
expect socket_api_nodev_status 0 "$?"
expect_match socket_api_nodev_logged 'cannot set up the socket poller' "$out"
finish
