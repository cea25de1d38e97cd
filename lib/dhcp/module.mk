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
	$(DHCP_SRCS) lib/rt/at_exit.c))
.SECONDEXPANSION:
$(B)/test/dhcp_client: $$(call san_obj,$$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)

# The unikernel of the DHCP and DNS real-peer tests (test/dhcp/) and
# benchmarks, linked exactly as a unikernel is, on unix and spt (with
# test/net's one-device manifest).
DHCP_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	dhcp dns stack tcp net random rt)
DHCP_PEER_OBJ := $(call fs_obj,test/dhcp/peer_image.c test/dhcp/lookups.c \
	test/net/peer_stack.c)
$(B)/test-images/dhcp_peer: $(DHCP_PEER_OBJ) $(B)/lib/mirage/unix/start.o \
		$(B)/lib/mirage/unix/libplat.a $(DHCP_PEER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(DHCP_PEER_OBJ) -Wl,--start-group $(DHCP_PEER_LIBS) \
		$(B)/lib/mirage/unix/libplat.a -Wl,--end-group -lgcc
$(B)/test-images/dhcp_peer.spt: $(DHCP_PEER_OBJ) \
		$(call fs_obj,test/net/peer_manifest.c) \
		$(B)/lib/mirage/spt/start.o $(B)/lib/mirage/spt/libplat.a \
		$(B)/lib/mirage/spt/link.ld $(DHCP_PEER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(SOLO5_spt_LDFLAGS) -o $@ $(B)/lib/mirage/spt/start.o \
		$(DHCP_PEER_OBJ) $(call fs_obj,test/net/peer_manifest.c) \
		-Wl,--start-group $(DHCP_PEER_LIBS) $(B)/lib/mirage/spt/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/dhcp_peer $(B)/test-images/dhcp_peer.spt
