# lib/conduit: conduit_direct (conduit.h), TCP and TLS endpoints over a
# stack as flows; TLS endpoints (tls.c) only in images that ask for them.
$(eval $(call fs_lib,conduit,$(wildcard lib/conduit/*.c)))

# The hosted test on the test network (lib/testnet/module.mk's
# NET_TEST_SRCS and NET_SWITCH_OBJ, read after this file), with TCP and
# the TLS flow layer over BearSSL.
CONDUIT_TEST_SRCS := test/unit/conduit_test.c $(wildcard lib/conduit/*.c) \
	$(wildcard lib/tcp/*.c) test/unit/tcp_harness.c \
	$(filter-out lib/tls/kv.c,$(wildcard lib/tls/*.c)) \
	test/unit/tls_certgen.c
.SECONDEXPANSION:
$(eval $(call unit_test,conduit,$(CONDUIT_TEST_SRCS),-lbearssl))
$(B)/test/conduit: $$(call san_obj,$$(NET_TEST_SRCS)) $$(NET_SWITCH_OBJ)
