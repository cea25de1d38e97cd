# The make rules of a Solo5-style target (hvt, spt, virtio), included by
# its module.mk: $(call solo5_target,T) builds $(B)/lib/mirage/T/libplat.a
# (every .c and .S in plat/T but start.c, and the shared guest code in
# plat/solo5), start.o (from plat/T/start.c) and link.ld (plat/T's own if
# it has one, else plat/solo5's), and links the test guests: each
# test/T/guests/NAME.c is a whole image with its own manifest and its own
# mirage_rt_boot (no runtime; test/tender/guest.c has the little it
# needs), linked into $(B)/test-images/NAME.T the way every image is
# (mk/link.mk); `make T-test-images` builds them.
solo5_target = $(eval $(call solo5_target_rules,$(1)))
define solo5_target_rules
$(call plat_lib,$(1),$(filter-out plat/$(1)/start.c,$(wildcard \
	plat/$(1)/*.c plat/$(1)/*.S)) $(wildcard plat/solo5/*.c),\
	plat/$(1)/start.c)
$(call install_file,$(firstword $(wildcard plat/$(1)/link.ld) \
	plat/solo5/link.ld),$(B)/lib/mirage/$(1)/link.ld)

SOLO5_$(1)_GUESTS := $(patsubst test/$(1)/guests/%.c,$(B)/test-images/%.$(1),\
	$(wildcard test/$(1)/guests/*.c))
$(B)/test-images/%.$(1): $(B)/obj/fs/test/$(1)/guests/%.o \
		$(call fs_obj,test/tender/guest.c) $(call target_files,$(1))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(call mirage_link,$$@,$(1),$$< \
		$(call fs_obj,test/tender/guest.c))
.SECONDARY: $$(patsubst $(B)/test-images/%.$(1),\
	$(B)/obj/fs/test/$(1)/guests/%.o,$$(SOLO5_$(1)_GUESTS))
$(1)-test-images: $$(SOLO5_$(1)_GUESTS)
.PHONY: $(1)-test-images
TEST_TARGETS += $$(SOLO5_$(1)_GUESTS)
endef

# $(call solo5_plain_guest,T,NAME): the test guest test/T/guests/NAME.c
# also linked as an image built without MirageC's extensions (Solo5's
# plain ABI: no EXT1 note), $(B)/test-images/NAME-plain.T, with a start.o
# compiled with MIRAGE_SOLO5_PLAIN_ABI in $(B)/lib/mirage-plain/T/ (beside
# copies of the target's libplat.a and link.ld): the image the tests run
# to check that our tenders serve Solo5's images.
solo5_plain_guest = $(eval $(call solo5_plain_guest_rules,$(1),$(2)))
define solo5_plain_guest_rules
$(B)/obj/plain/$(1)/start.o: plat/$(1)/start.c
	@mkdir -p $$(@D)
	$(call say,CC,$$@)$(CC) $(FS_CFLAGS) -DMIRAGE_SOLO5_PLAIN_ABI -MMD -MP \
		-c $$< -o $$@
$(B)/lib/mirage-plain/$(1)/start.o: $(B)/obj/plain/$(1)/start.o
$(B)/lib/mirage-plain/$(1)/libplat.a: $(B)/lib/mirage/$(1)/libplat.a
$(B)/lib/mirage-plain/$(1)/link.ld: $(B)/lib/mirage/$(1)/link.ld
$(addprefix $(B)/lib/mirage-plain/$(1)/,start.o libplat.a link.ld):
	@mkdir -p $$(@D)
	cp $$< $$@
$(B)/test-images/$(2)-plain.$(1): MIRAGE_LIBDIR := $(B)/lib/mirage-plain
$(B)/test-images/$(2)-plain.$(1): $(B)/obj/fs/test/$(1)/guests/$(2).o \
		$(call fs_obj,test/tender/guest.c) \
		$(addprefix $(B)/lib/mirage-plain/$(1)/,start.o libplat.a link.ld)
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$$(call mirage_link,$$@,$(1),$$< \
		$(call fs_obj,test/tender/guest.c))
$(1)-test-images: $(B)/test-images/$(2)-plain.$(1)
TEST_TARGETS += $(B)/test-images/$(2)-plain.$(1)
endef
