# lib/kv: key-value stores (include/mirage/kv.h): the checked entry
# points, kv_rw_mem, crunch, and archive (tar on a block device), all on
# one in-memory tree; SHA-256 comes from lib/random. Tests: the kv_rw
# conformance suite against kv_rw_mem, and the tar reader against crafted
# archives and GNU tar's.
$(call library,kv,$(call lib_sources,kv),block random rt)

$(call unit_test,kv_conformance_mem,test/unit/kv_conformance.c \
	test/unit/kv_conformance_mem.c,kv fake_plat)
$(call unit_test,kv_store,test/unit/kv_store_test.c,kv fake_plat)
$(call unit_test,kv_tar,test/unit/kv_tar_test.c test/unit/tar_writer.c,\
	kv fake_plat)
$(call unit_test,kv_gnu_tar,test/unit/kv_gnu_tar_test.c,kv fake_plat)
# Allocation failures are injected by wrapping the allocator.
$(call unit_test,kv_nomem,test/unit/kv_nomem_test.c test/unit/tar_writer.c,\
	kv fake_plat,$(patsubst %,-Xlinker --wrap=%,malloc calloc realloc \
	strdup strndup))
