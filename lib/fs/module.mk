# lib/fs: stores over any filesystem (include/mirage/fs.h): kv_ro_of_fs and
# the kv_rw over a filesystem.
$(call library,fs,$(call lib_sources,fs),kv rt)

# The kv_rw conformance suite over FAT, and the adapters' own tests.
KV_FS_TEST_SRCS := test/unit/mem_disk.c test/unit/fat_image.c
$(call unit_test,kv_conformance_fat,test/unit/kv_conformance.c \
	test/unit/kv_conformance_fat.c $(KV_FS_TEST_SRCS),fs fat fake_plat)
$(call unit_test,kv_fs,test/unit/kv_fs_test.c $(KV_FS_TEST_SRCS),\
	fs fat fake_plat)
