# tender/hvt: mirage-hvt, the KVM tender for hvt images (Solo5 hvt ABI 2),
# built on the shared tender code in tender/common.
HVT_TENDER_SRCS := $(wildcard tender/hvt/*.c)
$(eval $(call host_prog,mirage-hvt,$(HVT_TENDER_SRCS),\
	$(TENDER_COMMON_LIB) -lseccomp))
$(eval $(call unit_test,hvt_guest_mem,test/unit/test.c \
	test/unit/hvt_guest_mem_test.c tender/hvt/guest_mem.c))
