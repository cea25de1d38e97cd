# plat/spt: the guest bindings for the spt target (a seccomp-sandboxed
# process run by mirage-spt or Solo5's solo5-spt), built with the shared
# Solo5 guest code in plat/solo5. Installs libplat.a, start.o, link.ld and
# target.mk into $(B)/lib/mirage/spt/, and links the test guests into
# $(B)/test-images/.
SPT_SRCS := $(filter-out plat/spt/start.c,$(wildcard plat/spt/*.c)) \
	$(wildcard plat/solo5/*.c)
$(eval $(call plat_lib,spt,$(SPT_SRCS),plat/spt/start.c))

SPT_DIR := $(B)/lib/mirage/spt
$(SPT_DIR)/target.mk: plat/spt/target.mk
	@mkdir -p $(@D)
	cp $< $@
$(SPT_DIR)/link.ld: plat/solo5/link.ld
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(SPT_DIR)/target.mk $(SPT_DIR)/link.ld

# Test guests: each test/spt/guests/NAME.c is a whole image with its own
# manifest and its own mirage_rt_boot (no runtime; test/spt/support has
# the little it needs), linked the way the configuration tool links a
# unikernel, with the installed target.mk.
TARGET_DIR := $(SPT_DIR)
include plat/spt/target.mk
SPT_LDFLAGS := $(TARGET_LDFLAGS)
SPT_GUESTS := $(patsubst test/spt/guests/%.c,$(B)/test-images/%.spt,\
	$(wildcard test/spt/guests/*.c))
SPT_GUEST_SUPPORT := $(call fs_obj,test/spt/support/guest.c)
$(B)/test-images/%.spt: $(B)/obj/fs/test/spt/guests/%.o $(SPT_GUEST_SUPPORT) \
		$(SPT_DIR)/start.o $(SPT_DIR)/libplat.a $(SPT_DIR)/link.ld
	@mkdir -p $(@D)
	$(CC) $(SPT_LDFLAGS) -o $@ $(SPT_DIR)/start.o $< $(SPT_GUEST_SUPPORT) \
		-Wl,--start-group $(SPT_DIR)/libplat.a -Wl,--end-group -lgcc
spt-test-images: $(SPT_GUESTS)
.PHONY: spt-test-images
TEST_TARGETS += $(SPT_GUESTS)
