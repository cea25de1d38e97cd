# lib/kv_direct: direct_kv_ro / direct_kv_rw, a host directory as a store
# (unix only: it calls plat/unix/hostfs.h, which only the unix platform
# library provides). Tests: the kv_rw conformance suite and the
# confinement checks, on a scratch directory.
$(eval $(call fs_lib,kv_direct,lib/kv_direct/direct.c))

KV_DIRECT_TEST_SRCS := lib/kv_direct/direct.c plat/unix/hostfs.c \
	$(KV_SRCS) $(KV_TEST_DEPS)
$(eval $(call unit_test,kv_conformance_direct,test/unit/kv_conformance.c \
	test/unit/kv_conformance_direct.c $(KV_DIRECT_TEST_SRCS)))
$(eval $(call unit_test,kv_direct,test/unit/kv_direct_test.c \
	$(KV_DIRECT_TEST_SRCS)))
