# Flags for freestanding code: everything linked into a unikernel (the
# runtime, the libraries, the platforms and the application). Used by the
# tree's own build (mk/flags.mk) and installed as lib/mirage/freestanding.mk
# for the Makefiles `mirage configure` generates. Set MIRAGE_INC to the
# include directory before including this file.
FS_WARN := -Wall -Wextra -Werror -Wno-missing-field-initializers
FS_CFLAGS := -std=c11 -O2 -g $(FS_WARN) -ffreestanding -nostdinc \
	-isystem $(MIRAGE_INC)/mirage/libc -I$(MIRAGE_INC) \
	-fno-pie -fno-pic -mno-red-zone -mgeneral-regs-only \
	-fstack-protector-strong -fstack-clash-protection -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fno-common
FS_ASFLAGS := $(filter-out -std=c11,$(FS_CFLAGS))
