# lib/tls: TLS 1.3 and 1.2 (tls.h) over BearSSL's primitives: the engine
# (record layer, key schedules, handshake state machines, X.509, PEM),
# the flow layer, credentials from a kv_ro store, and their tests.
$(call library,tls,$(call lib_sources,tls),kv random rt)
# BearSSL (Debian libbearssl-dev): its headers for the freestanding
# objects (the hosted ones find them in /usr/include), its static archive
# for every test and image that links tls (the catalogue entries name the
# package for applications).
$(call fs_obj,$(call lib_sources,tls)): XCFLAGS += -isystem /usr/include/bearssl
LIB_tls_LDFLAGS := -lbearssl

# Hosted tests of the engine: BearSSL itself makes the keys and signs the
# certificates the tests build (test/unit/tls_certgen.c); tls_now.c is the
# engine's settable clock.
$(foreach t,tls_rfc8448 tls_engine tls_x509 tls_crypto,$(call unit_test,$(t),\
	test/unit/$(t)_test.c test/unit/tls_certgen.c test/unit/tls_now.c,\
	tls fake_plat))
# The flow layer over TCP on the test network.
$(call unit_test,tls_flow,test/unit/tls_flow_test.c test/unit/tls_certgen.c \
	test/unit/tcp_harness.c,tls tcp testnet)

# The unikernel of the real-peer tests (test/tls/*.sh) and bench/tls.sh,
# with its manifest (network "service", block "storage") on spt.
$(call unikernel,tls_peer,test/tls/peer_image.c test/net/peer_stack.c,\
	tls tcp block clock,unix spt,test/tls/peer_manifest.c)

# The record layer's cipher rates (bench/tls.sh runs it), a host program.
$(B)/bench/tls_record: bench/tls_record.c lib/tls/aead.c lib/tls/hkdf.c \
		lib/tls/crypto.h
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(HOST_CFLAGS) -isystem /usr/include/bearssl \
		-o $@ $(filter %.c,$^) -lbearssl
TEST_TARGETS += $(B)/bench/tls_record
