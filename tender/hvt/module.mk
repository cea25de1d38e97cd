# tender/hvt: mirage-hvt, the KVM tender for hvt images (Solo5 hvt ABI 2),
# built on the shared tender code in tender/common.
$(call host_prog,mirage-hvt,$(wildcard tender/hvt/*.c),\
	$(B)/lib/mirage/libmirage_tender_common.a -lseccomp)
$(call unit_test,hvt_guest_mem,test/unit/hvt_guest_mem_test.c \
	tender/hvt/guest_mem.c)
