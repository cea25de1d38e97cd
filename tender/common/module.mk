# The code shared by the tenders (mirage-hvt, mirage-spt): a host library.
TENDER_COMMON_SRCS := $(addprefix tender/common/,error.c image.c elf.c \
	notes.c manifest.c options.c tap.c block.c attach.c load.c fds.c)
$(eval $(call host_lib,tender_common,$(TENDER_COMMON_SRCS)))
TENDER_COMMON_LIB := $(B)/lib/mirage/libtender_common.a
$(call host_obj,tender/common/options.c) $(call san_obj,tender/common/options.c): \
	XCFLAGS += -DMIRAGE_VERSION='"$(VERSION)"'
$(eval $(call unit_test,tender_common,test/unit/test.c \
	test/unit/tender_common_test.c $(TENDER_COMMON_SRCS)))
