# lib/fs: stores over any filesystem (include/mirage/fs.h): kv_ro_of_fs and
# the kv_rw over a filesystem.
$(eval $(call fs_lib,fs,lib/fs/kv_of_fs.c))

# The kv_rw conformance suite over FAT, and the adapters' own tests. They
# link the kv interface's entry points (lib/kv is included after this file,
# so they are named here).
KV_FS_TEST_SRCS := lib/fs/kv_of_fs.c $(FAT_SRCS) \
	$(addprefix lib/kv/,key.c list.c ro.c digest.c) \
	lib/random/sha256.c test/unit/mem_disk.c test/unit/fat_image.c \
	lib/block/block.c lib/rt/log.c lib/rt/tm.c lib/rt/reporter.c \
	lib/rt/strerror.c test/unit/fake_plat.c test/unit/host_plat.c \
	test/unit/test.c
$(eval $(call unit_test,kv_conformance_fat,test/unit/kv_conformance.c \
	test/unit/kv_conformance_fat.c $(KV_FS_TEST_SRCS)))
$(eval $(call unit_test,kv_fs,test/unit/kv_fs_test.c $(KV_FS_TEST_SRCS)))
