# lib/kv: key-value stores (include/mirage/kv.h): the checked entry
# points, kv_rw_mem, crunch, and archive (tar on a block device), all on
# one in-memory tree; SHA-256 comes from lib/random. Tests: the kv_rw
# conformance suite against kv_rw_mem, and the tar reader against crafted
# archives and GNU tar's.
KV_SRCS := lib/kv/key.c lib/kv/list.c lib/kv/ro.c lib/kv/digest.c \
	lib/kv/tree.c lib/kv/mem.c lib/kv/crunch.c lib/kv/tar.c \
	lib/kv/archive.c
$(eval $(call fs_lib,kv,$(KV_SRCS)))

# What a hosted test of the stores links besides them: SHA-256, the block
# devices, the log and the fake platform.
KV_TEST_DEPS := lib/random/sha256.c $(BLOCK_SRCS) lib/rt/log.c lib/rt/tm.c \
	lib/rt/reporter.c lib/rt/strerror.c test/unit/fake_plat.c \
	test/unit/host_plat.c test/unit/test.c
$(eval $(call unit_test,kv_conformance_mem,test/unit/kv_conformance.c \
	test/unit/kv_conformance_mem.c $(KV_SRCS) $(KV_TEST_DEPS)))
$(eval $(call unit_test,kv_store,test/unit/kv_store_test.c $(KV_SRCS) \
	$(KV_TEST_DEPS)))
$(eval $(call unit_test,kv_tar,test/unit/kv_tar_test.c \
	test/unit/tar_writer.c $(KV_SRCS) $(KV_TEST_DEPS)))
$(eval $(call unit_test,kv_gnu_tar,test/unit/kv_gnu_tar_test.c \
	$(KV_SRCS) $(KV_TEST_DEPS)))
# Allocation failures are injected by wrapping the allocator.
KV_WRAP := $(patsubst %,-Xlinker --wrap=%,malloc calloc realloc strdup strndup)
$(eval $(call unit_test,kv_nomem,test/unit/kv_nomem_test.c \
	test/unit/tar_writer.c $(KV_SRCS) $(KV_TEST_DEPS),$(KV_WRAP)))
