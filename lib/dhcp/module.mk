# lib/dhcp: the DHCP client (include/mirage/dhcp.h): the message builder
# and parser (wire.c), the RFC 2131 state machine (client.c), and the
# lease as the DNS servers of a direct stack over it (stack.c).
$(call library,dhcp,$(call lib_sources,dhcp),net random rt)

# Tests: the parser alone, and the client (and a direct stack over it) on
# the test network against a scripted server.
$(call unit_test,dhcp_wire,test/unit/dhcp_wire_test.c,dhcp)
$(call unit_test,dhcp_client,test/unit/dhcp_client_test.c,dhcp stack testnet)

# The unikernel of the DHCP and DNS real-peer tests (test/dhcp/) and
# benchmarks, on unix and spt (with test/net's one-device manifest).
$(call unikernel,dhcp_peer,test/dhcp/peer_image.c test/dhcp/lookups.c \
	test/net/peer_stack.c,dhcp dns stack,unix spt,test/net/peer_manifest.c)
