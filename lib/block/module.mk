# lib/block: block devices (include/mirage/block.h): the checked entry
# points, block_of_file over the platform's block calls, and the ramdisk.
BLOCK_SRCS := lib/block/block.c lib/block/file.c lib/block/ramdisk.c
$(eval $(call fs_lib,block,$(BLOCK_SRCS)))

$(eval $(call unit_test,block,test/unit/test.c test/unit/block_test.c \
	test/unit/fake_plat_block.c $(BLOCK_SRCS)))
