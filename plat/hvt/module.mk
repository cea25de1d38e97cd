# plat/hvt: the guest bindings for the hvt target (a KVM guest run by
# mirage-hvt or Solo5's solo5-hvt), built with the shared Solo5 guest code
# in plat/solo5. Installs libplat.a, start.o, link.ld and target.mk into
# $(B)/lib/mirage/hvt/, and links the test guests into $(B)/test-images/.
HVT_SRCS := $(filter-out plat/hvt/start.c,$(wildcard plat/hvt/*.c \
	plat/hvt/*.S)) $(wildcard plat/solo5/*.c)
$(eval $(call plat_lib,hvt,$(HVT_SRCS),plat/hvt/start.c))

HVT_DIR := $(B)/lib/mirage/hvt
$(HVT_DIR)/target.mk: plat/hvt/target.mk
	@mkdir -p $(@D)
	cp $< $@
$(HVT_DIR)/link.ld: plat/solo5/link.ld
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(HVT_DIR)/target.mk $(HVT_DIR)/link.ld

# Test guests: each test/hvt/guests/NAME.c is a whole image with its own
# manifest and its own mirage_rt_boot (no runtime; test/hvt/support has
# the little it needs), linked the way the configuration tool links a
# unikernel, with the installed target.mk.
TARGET_DIR := $(HVT_DIR)
include plat/hvt/target.mk
HVT_LDFLAGS := $(TARGET_LDFLAGS)
HVT_GUESTS := $(patsubst test/hvt/guests/%.c,$(B)/test-images/%.hvt,\
	$(wildcard test/hvt/guests/*.c))
HVT_GUEST_SUPPORT := $(call fs_obj,test/hvt/support/guest.c)
$(B)/test-images/%.hvt: $(B)/obj/fs/test/hvt/guests/%.o $(HVT_GUEST_SUPPORT) \
		$(HVT_DIR)/start.o $(HVT_DIR)/libplat.a $(HVT_DIR)/link.ld
	@mkdir -p $(@D)
	$(CC) $(HVT_LDFLAGS) -o $@ $(HVT_DIR)/start.o $< $(HVT_GUEST_SUPPORT) \
		-Wl,--start-group $(HVT_DIR)/libplat.a -Wl,--end-group -lgcc
.SECONDARY: $(patsubst $(B)/test-images/%.hvt,$(B)/obj/fs/test/hvt/guests/%.o,\
	$(HVT_GUESTS))
hvt-test-images: $(HVT_GUESTS)
.PHONY: hvt-test-images
TEST_TARGETS += $(HVT_GUESTS)
