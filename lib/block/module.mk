# lib/block: block devices (include/mirage/block.h): the checked entry
# points, block_of_file over the platform's block calls, and the ramdisk.
$(call library,block,$(call lib_sources,block),rt)

$(call unit_test,block,test/unit/block_test.c test/unit/fake_plat_block.c,\
	block)
