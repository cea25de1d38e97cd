# The make rules of a Solo5-style target (hvt, spt), included by its
# module.mk: $(eval $(call solo5_target,T)) builds $(B)/lib/mirage/T/
# libplat.a (every .c and .S in plat/T but start.c, and the shared guest
# code in plat/solo5) and start.o (from plat/T/start.c), installs
# plat/T/target.mk and plat/solo5/link.ld beside them, and links the test
# guests: each test/T/guests/NAME.c is a whole image with its own manifest
# and its own mirage_rt_boot (no runtime; test/tender/guest.c has the
# little it needs), linked into $(B)/test-images/NAME.T the way the
# configuration tool links a unikernel, with the installed target.mk;
# `make T-test-images` builds them.
define solo5_target
$(call plat_lib,$(1),$(filter-out plat/$(1)/start.c,$(wildcard \
	plat/$(1)/*.c plat/$(1)/*.S)) $(wildcard plat/solo5/*.c),\
	plat/$(1)/start.c)

$(B)/lib/mirage/$(1)/target.mk: plat/$(1)/target.mk
	@mkdir -p $$(@D)
	cp $$< $$@
$(B)/lib/mirage/$(1)/link.ld: plat/solo5/link.ld
	@mkdir -p $$(@D)
	cp $$< $$@
ALL_TARGETS += $(B)/lib/mirage/$(1)/target.mk $(B)/lib/mirage/$(1)/link.ld

TARGET_DIR := $(B)/lib/mirage/$(1)
include plat/$(1)/target.mk
SOLO5_$(1)_LDFLAGS := $$(TARGET_LDFLAGS)
SOLO5_$(1)_GUESTS := $(patsubst test/$(1)/guests/%.c,$(B)/test-images/%.$(1),\
	$(wildcard test/$(1)/guests/*.c))
$(B)/test-images/%.$(1): $(B)/obj/fs/test/$(1)/guests/%.o \
		$(call fs_obj,test/tender/guest.c) \
		$(B)/lib/mirage/$(1)/start.o $(B)/lib/mirage/$(1)/libplat.a \
		$(B)/lib/mirage/$(1)/link.ld
	@mkdir -p $$(@D)
	$(CC) $$(SOLO5_$(1)_LDFLAGS) -o $$@ $(B)/lib/mirage/$(1)/start.o $$< \
		$(call fs_obj,test/tender/guest.c) -Wl,--start-group \
		$(B)/lib/mirage/$(1)/libplat.a -Wl,--end-group -lgcc
.SECONDARY: $$(patsubst $(B)/test-images/%.$(1),\
	$(B)/obj/fs/test/$(1)/guests/%.o,$$(SOLO5_$(1)_GUESTS))
$(1)-test-images: $$(SOLO5_$(1)_GUESTS)
.PHONY: $(1)-test-images
TEST_TARGETS += $$(SOLO5_$(1)_GUESTS)
endef
