# lib/tls: TLS 1.3 and 1.2 (tls.h) over BearSSL's primitives: the engine
# (record layer, key schedules, handshake state machines, X.509, PEM),
# the flow layer, and their tests.
TLS_SRCS := $(wildcard lib/tls/*.c)
TLS_ENGINE_SRCS := $(filter-out lib/tls/flow.c lib/tls/kv.c,$(TLS_SRCS))
$(eval $(call fs_lib,tls,$(TLS_SRCS)))
# BearSSL's headers (Debian: /usr/include/bearssl) for freestanding code.
BEARSSL_INC := /usr/include/bearssl
$(call fs_obj,$(TLS_SRCS)): XCFLAGS += -isystem $(BEARSSL_INC)

# Hosted tests of the engine: BearSSL itself makes the keys and signs the
# certificates the tests build (test/unit/tls_certgen.c).
TLS_TEST_DEPS := $(TLS_ENGINE_SRCS) test/unit/tls_certgen.c \
	test/unit/tls_now.c lib/rt/log.c lib/rt/tm.c lib/rt/reporter.c \
	lib/rt/strerror.c test/unit/fake_plat.c test/unit/host_plat.c \
	test/unit/test.c
$(foreach t,tls_rfc8448 tls_engine tls_x509 tls_crypto,$(eval $(call unit_test,$(t),\
	test/unit/$(t)_test.c $(TLS_TEST_DEPS),-lbearssl)))

# The unikernel of the real-peer tests (test/tls/*.sh), linked exactly as a
# unikernel is, with BearSSL's static archive: on unix, and on spt with
# test/net's manifest plus the "storage" block device.
TLS_PEER_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	tls tcp net kv block clock random rt)
TLS_PEER_OBJ := $(call fs_obj,test/tls/peer_image.c) $(NET_PEER_STACK_OBJ)
$(B)/test-images/tls_peer: $(TLS_PEER_OBJ) $(B)/lib/mirage/unix/start.o \
		$(B)/lib/mirage/unix/libplat.a $(TLS_PEER_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ \
		$(B)/lib/mirage/unix/start.o $(TLS_PEER_OBJ) -Wl,--start-group \
		$(TLS_PEER_LIBS) $(B)/lib/mirage/unix/libplat.a -lbearssl \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/tls_peer
TLS_PEER_MFT := $(call fs_obj,test/tls/peer_manifest.c)
$(B)/test-images/tls_peer.spt: $(TLS_PEER_OBJ) $(TLS_PEER_MFT) \
		$(B)/lib/mirage/spt/start.o $(B)/lib/mirage/spt/libplat.a \
		$(B)/lib/mirage/spt/link.ld $(TLS_PEER_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(SOLO5_spt_LDFLAGS) -o $@ \
		$(B)/lib/mirage/spt/start.o $(TLS_PEER_OBJ) $(TLS_PEER_MFT) \
		-Wl,--start-group $(TLS_PEER_LIBS) $(B)/lib/mirage/spt/libplat.a \
		-lbearssl -Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/tls_peer.spt

# The record layer's cipher rates (bench/tls.sh runs it), a host program.
$(B)/bench/tls_record: bench/tls_record.c lib/tls/aead.c lib/tls/hkdf.c \
		lib/tls/crypto.h
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(HOST_CFLAGS) -isystem $(BEARSSL_INC) -o $@ \
		$(filter %.c,$^) -lbearssl
TEST_TARGETS += $(B)/bench/tls_record

# The flow layer over TCP on the test network (lib/testnet/module.mk's
# NET_TEST_SRCS and NET_SWITCH_OBJ, read after this file).
TLS_FLOW_TEST_SRCS := test/unit/tls_flow_test.c $(TCP_SRCS) \
	test/unit/tcp_harness.c $(filter-out lib/tls/kv.c,$(TLS_SRCS)) \
	test/unit/tls_certgen.c
$(eval $(call unit_test,tls_flow,$(TLS_FLOW_TEST_SRCS),-lbearssl))
$(B)/test/tls_flow: $$(call san_obj,$$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)
