# lib/fat: the `fat BLOCK` filesystem (include/mirage/fs.h): FAT12/16/32
# with long file names over any block device, and its hosted tests.
$(call library,fat,$(call lib_sources,fat),block rt)

# The hosted tests run the library on images made by dosfstools and check
# them with fsck.fat and mtools.
FAT_TEST_SRCS := test/unit/mem_disk.c test/unit/fat_image.c
$(call unit_test,fat,test/unit/fat_test.c $(FAT_TEST_SRCS),fat fake_plat)
$(call unit_test,fat_interop,test/unit/fat_interop.c $(FAT_TEST_SRCS),\
	fat fake_plat)
