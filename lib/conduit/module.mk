# lib/conduit: conduit_direct (conduit.h), TCP and TLS endpoints over a
# stack as flows; TLS endpoints (tls.c) only in images that ask for them,
# so the library needs tls only when its tls.c is linked.
$(call library,conduit,$(call lib_sources,conduit),tcp rt)

# The hosted test on the test network, with TCP and the TLS flow layer.
$(call unit_test,conduit,test/unit/conduit_test.c test/unit/tls_certgen.c \
	test/unit/tcp_harness.c,conduit tls tcp testnet)
