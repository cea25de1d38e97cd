# lib/net: the network stack below TCP: buffers, addresses, checksums,
# timers, the netif device, Ethernet, ARP, IPv4 (with reassembly and
# ICMP) and UDP.
NET_SRCS := $(wildcard lib/net/*.c)
$(eval $(call fs_lib,net,$(NET_SRCS)))

# The unikernel of the real-peer test (test/net/tap.sh), linked exactly as
# a unikernel is: on unix, and with its manifest on spt and hvt.
NET_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,net random rt)
NET_PEER_STACK_OBJ := $(call fs_obj,test/net/peer_stack.c)
NET_PEER_OBJ := $(call fs_obj,test/net/peer_image.c) $(NET_PEER_STACK_OBJ)
NET_PEER_MFT := $(call fs_obj,test/net/peer_manifest.c)
$(B)/test-images/net_peer: $(NET_PEER_OBJ) $(B)/lib/mirage/unix/start.o \
		$(B)/lib/mirage/unix/libplat.a $(NET_PEER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(NET_PEER_OBJ) -Wl,--start-group $(NET_PEER_LIBS) \
		$(B)/lib/mirage/unix/libplat.a -Wl,--end-group -lgcc
define net_peer_solo5
$(B)/test-images/net_peer.$(1): $(NET_PEER_OBJ) $(NET_PEER_MFT) \
		$(B)/lib/mirage/$(1)/start.o $(B)/lib/mirage/$(1)/libplat.a \
		$(B)/lib/mirage/$(1)/link.ld $(NET_PEER_LIBS)
	@mkdir -p $$(@D)
	$(CC) $$(SOLO5_$(1)_LDFLAGS) -o $$@ $(B)/lib/mirage/$(1)/start.o \
		$(NET_PEER_OBJ) $(NET_PEER_MFT) -Wl,--start-group \
		$(NET_PEER_LIBS) $(B)/lib/mirage/$(1)/libplat.a -Wl,--end-group \
		-lgcc
TEST_TARGETS += $(B)/test-images/net_peer.$(1)
endef
$(foreach t,spt hvt,$(eval $(call net_peer_solo5,$(t))))
TEST_TARGETS += $(B)/test-images/net_peer
