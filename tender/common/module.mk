# The code shared by the tenders (mirage-hvt, mirage-spt): a host library.
$(call host_lib,tender_common,$(addprefix tender/common/,error.c image.c \
	elf.c notes.c manifest.c options.c tap.c block_file.c attach.c load.c \
	fds.c vhdr.c),)
$(call host_obj,tender/common/options.c) $(call san_obj,tender/common/options.c): \
	XCFLAGS += -DMIRAGE_VERSION='"$(VERSION)"'
$(call unit_test,tender_common,test/unit/tender_common_test.c,tender_common)
