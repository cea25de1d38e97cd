# mirage-spt, the seccomp tender, linked as a static PIE (libseccomp's
# archive included): no dynamic loading on every start, and still loaded
# high, above the guest's memory.
SECCOMP_A := $(shell $(CC) -print-file-name=libseccomp.a)
$(call host_prog,mirage-spt,$(addprefix tender/spt/,main.c guest.c fault.c \
	sandbox.c),$(B)/lib/mirage/libmirage_tender_common.a $(SECCOMP_A) \
	-static-pie)
