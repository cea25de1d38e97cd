# lib/syslog: the syslog reporter devices (include/mirage/syslog.h):
# RFC 5424 messages over UDP, or octet-counted over TCP, from a bounded
# ring a fiber drains.
SYSLOG_SRCS := $(wildcard lib/syslog/*.c)
$(eval $(call fs_lib,syslog,$(SYSLOG_SRCS)))

# Tests: formatting and the ring, then both transports on the test
# network (lib/tcp/module.mk and lib/testnet/module.mk are read after
# this file: their sources are expanded a second time).
$(eval $(call unit_test,syslog,test/unit/syslog_test.c \
	test/unit/tcp_harness.c $(SYSLOG_SRCS)))
$(B)/test/syslog: $$(call san_obj,$$(TCP_SRCS) $$(NET_TEST_SRCS)) \
	$$(NET_SWITCH_OBJ)

# The unikernel of the real-peer test (test/syslog/peers.sh), on unix.
SYSLOG_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	syslog tcp net random rt)
SYSLOG_PEER_OBJ := $(call fs_obj,test/syslog/peer_image.c \
	test/net/peer_stack.c)
$(B)/test-images/syslog_peer: $(SYSLOG_PEER_OBJ) \
		$(B)/lib/mirage/unix/start.o $(B)/lib/mirage/unix/libplat.a \
		$(SYSLOG_PEER_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ \
		$(B)/lib/mirage/unix/start.o $(SYSLOG_PEER_OBJ) -Wl,--start-group \
		$(SYSLOG_PEER_LIBS) $(B)/lib/mirage/unix/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/syslog_peer
