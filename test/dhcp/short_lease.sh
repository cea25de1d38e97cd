#!/usr/bin/env bash
# A 20-second lease from a second DHCP server implementation, busybox
# udhcpd, watched through renewal, rebinding and expiry (about 40 s): the
# test unikernel (build/test-images/dhcp_peer, unix) gets a lease;
# renews it at T1 (udhcpd acknowledges again); udhcpd is stopped; at the
# next T1 the client renews without answer, rebinds at T2, and at the end
# of the lease the address is removed (the client and the IPv4 layer say
# so, and Linux can no longer ping it); udhcpd comes back and the client
# gets a lease again. Skipped when not root, without /dev/net/tun or
# without busybox.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/peers.bash"
PEERS_TEST=dhcp_short_lease
plan 7
peers_need busybox ping
scratch
trap 'peers_cleanup; rm -rf "$T_TMP"' EXIT
d=$T_TMP
log=$d/uni.log
if ! peers_image unix; then
    fail dhcp_short_lease_built "the test image is missing (make tests)"
    skip_rest dhcp_short_lease "no image"
fi
peers_netns ddlease 10.0.1 || {
    fail dhcp_short_lease_setup "cannot create the namespace"
    skip_rest dhcp_short_lease "no namespace"
}
peers_udhcpd "$d" 10.0.1 20 || {
    fail dhcp_short_lease_setup "udhcpd did not start: $(cat "$d/udhcpd.log")"
    skip_rest dhcp_short_lease "no udhcpd"
}
server=$PEERS_LAST
peers_bg "$log" "${PEERS_IMAGE[@]}" --run-for=80
if wait_log "$log" '\[dhcp\] lease 10\.0\.1\.[0-9]+/24 from 10\.0\.1\.1: .*lease 20 s' 100; then
    pass dhcp_short_lease_bound
else
    fail dhcp_short_lease_bound "$(tail -3 "$log")"
    skip_rest dhcp_short_lease "no lease"
fi
addr=$(sed -nE 's/.*\[dhcp\] lease (10\.0\.1\.[0-9]+)\/24 from.*/\1/p' "$log" | head -1)
# T1 is 10 s after the request.
if wait_log "$log" "\[dhcp\] renewing $addr with 10.0.1.1" 130 &&
    wait_log "$log" "\[dhcp\] lease $addr/24 renewed by 10.0.1.1: 20 s" 20 &&
    [ "$(grep -c "sending ACK to $addr" "$d/udhcpd.log")" -ge 2 ]; then
    pass dhcp_short_lease_renewed
else
    fail dhcp_short_lease_renewed "$(tail -3 "$log")"
fi
peers_kill "$server"
# The next T1 goes unanswered; T2 at 17 s; expiry at 20 s.
if wait_log "$log" "\[dhcp\] renewing $addr" 130 2 &&
    wait_log "$log" "\[dhcp\] rebinding $addr with any server" 100; then
    pass dhcp_short_lease_rebinding
else
    fail dhcp_short_lease_rebinding "$(tail -3 "$log")"
fi
if in_ns ping -c 1 -W 2 "$addr" >/dev/null; then
    pass dhcp_short_lease_reachable_until_expiry
else
    fail dhcp_short_lease_reachable_until_expiry "ping $addr failed"
fi
if wait_log "$log" "\[dhcp\] lease of $addr from 10.0.1.1 expired" 60 &&
    wait_log "$log" "\[ipv4\] address $addr/24 removed" 10; then
    pass dhcp_short_lease_expired
else
    fail dhcp_short_lease_expired "$(tail -3 "$log")"
fi
if ! in_ns ping -c 1 -W 1 "$addr" >/dev/null; then
    pass dhcp_short_lease_unreachable_after_expiry
else
    fail dhcp_short_lease_unreachable_after_expiry "$addr still answers"
fi
peers_udhcpd "$d" 10.0.1 20 >/dev/null
if wait_log "$log" '\[dhcp\] lease 10\.0\.1\.[0-9]+/24 from 10\.0\.1\.1:' 200 2; then
    pass dhcp_short_lease_again
else
    fail dhcp_short_lease_again "$(tail -3 "$log")"
fi
finish
