# mirage-spt, the seccomp tender, linked as a static PIE (libseccomp's
# archive included): no dynamic loading on every start, and still loaded
# high, above the guest's memory.
SECCOMP_A := $(shell $(CC) -print-file-name=libseccomp.a)
$(eval $(call host_prog,mirage-spt,$(addprefix tender/spt/,main.c guest.c fault.c \
	sandbox.c),$(TENDER_COMMON_LIB) $(SECCOMP_A) -static-pie))
