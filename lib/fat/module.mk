# lib/fat: the `fat BLOCK` filesystem (include/mirage/fs.h): FAT12/16/32
# with long file names over any block device, and its hosted tests.
FAT_SRCS := $(addprefix lib/fat/,boot.c dir.c file.c fs.c io.c name.c \
	table.c time.c)
$(eval $(call fs_lib,fat,$(FAT_SRCS)))

# The hosted tests run the library on images made by dosfstools and check
# them with fsck.fat and mtools.
FAT_TEST_SRCS := test/unit/test.c test/unit/mem_disk.c test/unit/fat_image.c \
	lib/block/block.c lib/rt/log.c lib/rt/tm.c lib/rt/reporter.c \
	lib/rt/strerror.c test/unit/fake_plat.c test/unit/host_plat.c
$(eval $(call unit_test,fat,test/unit/fat_test.c $(FAT_TEST_SRCS) \
	$(FAT_SRCS)))
$(eval $(call unit_test,fat_interop,test/unit/fat_interop.c $(FAT_TEST_SRCS) \
	$(FAT_SRCS)))
