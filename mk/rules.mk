# Build functions used by the module.mk files, and the pattern rules.
#
#   $(call fs_lib,NAME,SRCS)            -> $(B)/lib/mirage/libmirage_NAME.a
#   $(call plat_lib,TARGET,SRCS,START)  -> $(B)/lib/mirage/TARGET/libplat.a
#                                          and TARGET/start.o from START
#   $(call host_lib,NAME,SRCS)          -> $(B)/lib/mirage/libNAME.a
#   $(call host_prog,NAME,SRCS,LIBS)    -> $(B)/bin/NAME
#   $(call unit_test,NAME,SRCS,LIBS)    -> $(B)/test/NAME (ASan + UBSan)
#
# Object files mirror the source tree under $(B)/obj/{fs,host,san}/.
# Commands print one short line each; `make V=1` prints them in full.
ifeq ($(V),1)
say :=
else
say = @printf '  %-6s %s\n' $(1) $(2);
endif
ALL_TARGETS :=
TEST_TARGETS :=
FS_LIBS :=
PLATS :=

fs_obj = $(patsubst %,$(B)/obj/fs/%.o,$(basename $(1)))
host_obj = $(patsubst %,$(B)/obj/host/%.o,$(basename $(1)))
san_obj = $(patsubst %,$(B)/obj/san/%.o,$(basename $(1)))

define fs_lib
$(B)/lib/mirage/libmirage_$(1).a: $(call fs_obj,$(2))
	@mkdir -p $$(@D)
	$(call say,AR,$$@)rm -f $$@ && $(AR) rcD $$@ $$^
ALL_TARGETS += $(B)/lib/mirage/libmirage_$(1).a
FS_LIBS += $(1)
endef

define plat_lib
$(B)/lib/mirage/$(1)/libplat.a: $(call fs_obj,$(2))
	@mkdir -p $$(@D)
	$(call say,AR,$$@)rm -f $$@ && $(AR) rcD $$@ $$^
$(B)/lib/mirage/$(1)/start.o: $(call fs_obj,$(3))
	@mkdir -p $$(@D)
	$(call say,CP,$$@)cp $$< $$@
ALL_TARGETS += $(B)/lib/mirage/$(1)/libplat.a $(B)/lib/mirage/$(1)/start.o
PLATS += $(1)
endef

define host_lib
$(B)/lib/mirage/lib$(1).a: $(call host_obj,$(2))
	@mkdir -p $$(@D)
	$(call say,AR,$$@)rm -f $$@ && $(AR) rcD $$@ $$^
ALL_TARGETS += $(B)/lib/mirage/lib$(1).a
endef

define host_prog
$(B)/bin/$(1): $(call host_obj,$(2)) $(filter %.a,$(3))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(CC) $(HOST_LDFLAGS) -o $$@ $$(filter %.o %.a,$$^) $(filter-out %.a,$(3))
ALL_TARGETS += $(B)/bin/$(1)
endef

define unit_test
$(B)/test/$(1): $(call san_obj,$(2))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(CC) $(SAN_LDFLAGS) -o $$@ $$^ $(3)
TEST_TARGETS += $(B)/test/$(1)
endef

$(B)/obj/fs/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(FS_CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@
$(B)/obj/fs/%.o: %.S
	@mkdir -p $(@D)
	$(call say,AS,$<)$(CC) $(FS_ASFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@
$(B)/obj/host/%.o: %.c
	@mkdir -p $(@D)
	$(call say,HOSTCC,$<)$(CC) $(HOST_CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@
$(B)/obj/san/%.o: %.c
	@mkdir -p $(@D)
	$(call say,TESTCC,$<)$(CC) $(SAN_CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
