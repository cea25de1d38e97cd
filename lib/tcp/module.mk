# lib/tcp: TCP (RFC 9293) over an IP device: segments and options, the
# state machine, retransmission, congestion control, SACK, timers, and
# the direct device with blocking flows.
TCP_SRCS := $(wildcard lib/tcp/*.c)
$(eval $(call fs_lib,tcp,$(TCP_SRCS)))

# Tests: the hosted ones of the pieces, and those on the test network.
# The network tests link lib/testnet/module.mk's NET_TEST_SRCS and
# NET_SWITCH_OBJ, which are read after this file: their prerequisites are
# expanded a second time.
$(eval $(call unit_test,tcp_units,test/unit/tcp_units_test.c \
	lib/tcp/segment.c lib/tcp/ranges.c lib/tcp/rto.c lib/tcp/cc.c \
	lib/tcp/isn.c lib/tcp/ring.c test/unit/test.c))
# The engine alone (no fibers), with allocations that can fail.
$(eval $(call unit_test,tcp_engine,test/unit/tcp_engine_test.c \
	$(filter-out lib/tcp/direct.c,$(TCP_SRCS)) lib/net/buf.c \
	lib/net/checksum.c lib/net/ipaddr.c lib/random/uniform.c \
	test/unit/fake_plat.c test/unit/host_plat.c test/unit/alloc_fail.c \
	test/unit/test.c,\
	-Xlinker --wrap=malloc -Xlinker --wrap=calloc -Xlinker --wrap=realloc))
TCP_NET_TESTS := tcp_transfer tcp_close tcp_hostile
.SECONDEXPANSION:
$(foreach t,$(TCP_NET_TESTS),$(eval $(call unit_test,$(t),\
	test/unit/$(t)_test.c $(TCP_SRCS) test/unit/tcp_harness.c)))
# tcp_device makes allocations fail.
$(eval $(call unit_test,tcp_device,test/unit/tcp_device_test.c \
	$(TCP_SRCS) test/unit/tcp_harness.c,-Xlinker --wrap=malloc \
	-Xlinker --wrap=calloc -Xlinker --wrap=realloc))
$(patsubst %,$(B)/test/%,$(TCP_NET_TESTS) tcp_device): \
	$$(call san_obj,$$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)

# The unikernel of the real-peer test (test/tcp/tap.sh), linked exactly as
# a unikernel is.
TCP_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,tcp net random rt)
$(B)/test-images/tcp_peer: $(call fs_obj,test/tcp/peer_image.c) $(NET_PEER_STACK_OBJ) \
		$(B)/lib/mirage/unix/start.o $(B)/lib/mirage/unix/libplat.a \
		$(TCP_PEER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(call fs_obj,test/tcp/peer_image.c) $(NET_PEER_STACK_OBJ) -Wl,--start-group \
		$(TCP_PEER_LIBS) $(B)/lib/mirage/unix/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/tcp_peer
# On spt and hvt (test/tcp/tap_solo5.sh), with test/net's manifest (one
# network device, "service").
define tcp_peer_solo5
$(B)/test-images/tcp_peer.$(1): $(call fs_obj,test/tcp/peer_image.c) $(NET_PEER_STACK_OBJ) \
		$(NET_PEER_MFT) $(B)/lib/mirage/$(1)/start.o \
		$(B)/lib/mirage/$(1)/libplat.a $(B)/lib/mirage/$(1)/link.ld \
		$(TCP_PEER_LIBS)
	@mkdir -p $$(@D)
	$(CC) $$(SOLO5_$(1)_LDFLAGS) -o $$@ $(B)/lib/mirage/$(1)/start.o \
		$(call fs_obj,test/tcp/peer_image.c) $(NET_PEER_STACK_OBJ) $(NET_PEER_MFT) \
		-Wl,--start-group $(TCP_PEER_LIBS) \
		$(B)/lib/mirage/$(1)/libplat.a -Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/tcp_peer.$(1)
endef
$(foreach t,spt hvt,$(eval $(call tcp_peer_solo5,$(t))))
