# Compiler flags. FS_* is freestanding code linked into unikernels
# (mk/freestanding.mk); HOST_* is code that runs on the host (the tool, the
# tenders); SAN_* is host code built with sanitizers for the unit tests.
CC := gcc
AR := ar
WARN := -Wall -Wextra -Werror -Wno-missing-field-initializers
# Paths in debug info and __FILE__ are made relative, so images are
# reproducible wherever the tree lives.
REPRO := -ffile-prefix-map=$(CURDIR)/=

MIRAGE_INC := include
include mk/freestanding.mk
FS_CFLAGS += $(REPRO)
FS_ASFLAGS += $(REPRO)

HOST_CFLAGS := -std=c11 -O2 -g $(WARN) $(REPRO) -D_GNU_SOURCE -Iinclude
HOST_LDFLAGS :=

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_CFLAGS := -std=c11 -O1 -g $(WARN) -D_GNU_SOURCE -Iinclude $(SAN) \
	-fno-omit-frame-pointer
SAN_LDFLAGS := $(SAN)
