# lib/dhcp: the DHCP client (include/mirage/dhcp.h): the message builder
# and parser (wire.c) and the RFC 2131 state machine (client.c).
DHCP_SRCS := $(wildcard lib/dhcp/*.c)
$(eval $(call fs_lib,dhcp,$(DHCP_SRCS)))

# Tests: the parser alone, and the client on the test network against a
# scripted server. The latter links lib/testnet/module.mk's NET_TEST_SRCS
# and NET_SWITCH_OBJ, read after this file: expanded a second time.
$(eval $(call unit_test,dhcp_wire,test/unit/dhcp_wire_test.c \
	lib/dhcp/wire.c lib/net/ipaddr.c lib/rt/strerror.c test/unit/test.c))
$(eval $(call unit_test,dhcp_client,test/unit/dhcp_client_test.c \
	$(DHCP_SRCS)))
.SECONDEXPANSION:
$(B)/test/dhcp_client: $$(call san_obj,$$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)
