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
