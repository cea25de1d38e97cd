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
$(foreach t,tls_rfc8448,$(eval $(call unit_test,$(t),\
	test/unit/$(t)_test.c $(TLS_TEST_DEPS),-lbearssl)))
