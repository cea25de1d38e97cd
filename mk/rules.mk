# Build functions used by the module.mk files, and the pattern rules.
#
#   $(call lib_sources,NAME): lib/NAME/*.c and *.S but lib/NAME/config.c.
#   $(call library,NAME,SRCS,DEPS[,HOSTED_SRCS])
#       $(B)/lib/mirage/libmirage_NAME.a: freestanding, linked into
#       unikernels. DEPS names the libraries its code calls; every image or
#       test that links NAME links them too (the closure is taken). Its
#       hosted twin $(B)/san/libmirage_NAME.a (ASan + UBSan) is what unit
#       tests link: HOSTED_SRCS when given (rt leaves out its libc subset,
#       which the host's libc provides), else SRCS.
#   $(call hosted_lib,NAME,SRCS,DEPS)
#       only the hosted twin: test support (fake platforms, harnesses).
#   $(call host_lib,NAME,SRCS,DEPS)
#       $(B)/lib/mirage/libmirage_NAME.a built for the host (the tool's
#       configuration library), and its hosted twin.
#   $(call plat_lib,TARGET,SRCS,START)
#       $(B)/lib/mirage/TARGET/libplat.a and TARGET/start.o from START.
#   $(call host_prog,NAME,SRCS,LINK)
#       $(B)/bin/NAME; LINK: archives and flags.
#   $(call unit_test,NAME,SRCS,LIBS[,LDFLAGS])
#       $(B)/test/NAME (ASan + UBSan): SRCS, the test harness
#       test/unit/test.c, and the hosted twins of LIBS and what they need.
#   $(call unikernel,NAME,SRCS,LIBS,TARGETS[,MANIFEST_SRCS])
#       $(B)/test-images/NAME plus the target's suffix, for each of
#       TARGETS: SRCS linked with LIBS (and what they need) exactly as the
#       Makefiles `mirage configure` generates link an image (mk/link.mk);
#       MANIFEST_SRCS are added on targets with a Solo5 manifest.
#
# Libraries, tests and images name each other only by library name, and
# the rules of tests and images are made after every module.mk has been
# read (mk_finish, at the end of the top Makefile): the order in which
# the module.mk files are included does not matter.
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
HOSTED_LIBS :=
UNIT_TESTS :=
UNIKERNELS :=

fs_obj = $(patsubst %,$(B)/obj/fs/%.o,$(basename $(1)))
host_obj = $(patsubst %,$(B)/obj/host/%.o,$(basename $(1)))
san_obj = $(patsubst %,$(B)/obj/san/%.o,$(basename $(1)))

# The sources of lib/NAME/: its .c and .S files but its catalogue entries
# (lib/NAME/config.c, host code compiled into the tool's configuration
# library).
lib_sources = $(filter-out lib/$(1)/config.c,$(sort $(wildcard \
	lib/$(1)/*.c lib/$(1)/*.S)))

# The libraries NAMES need, NAMES included (the dependency graph is
# acyclic).
lib_closure = $(sort $(1) $(if $(strip $(1)),$(call lib_closure,$(sort \
	$(foreach l,$(1),$(LIB_$(l)_DEPS))))))
san_archives = $(patsubst %,$(B)/san/libmirage_%.a,$(call lib_closure,$(1)))
lib_ldflags = $(sort $(foreach l,$(call lib_closure,$(1)),$(LIB_$(l)_LDFLAGS)))
fs_archives = $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	$(call lib_closure,$(1)))

# An archive is rebuilt when its list of objects changes, not only when
# an object does: $(B)/obj/lists/ARCHIVE holds the list, rewritten (while
# the makefiles are read) only when it differs.
list_file = $(patsubst $(B)/%,$(B)/obj/lists/%,$(1))
objs_file = $(shell mkdir -p $(dir $(call list_file,$(1))))$(if $(filter-out \
	$(file <$(call list_file,$(1))),$(2))$(filter-out $(2),$(file \
	<$(call list_file,$(1)))),$(file >$(call list_file,$(1)),$(2)))$(call \
	list_file,$(1))
define archive_rule
$(1): $(2) $(call objs_file,$(1),$(2))
	@mkdir -p $$(@D)
	$(call say,AR,$$@)rm -f $$@ && $(AR) rcD $$@ $(2)
endef

library = $(eval $(call library_rules,$(1),$(2),$(3),$(if $(4),$(4),$(2))))
define library_rules
$(call archive_rule,$(B)/lib/mirage/libmirage_$(1).a,$(call fs_obj,$(2)))
ALL_TARGETS += $(B)/lib/mirage/libmirage_$(1).a
FS_LIBS += $(1)
$(call hosted_lib_rules,$(1),$(4),$(3))
endef

hosted_lib = $(eval $(call hosted_lib_rules,$(1),$(2),$(3)))
define hosted_lib_rules
$(call archive_rule,$(B)/san/libmirage_$(1).a,$(call san_obj,$(2)))
LIB_$(1)_DEPS := $(3)
HOSTED_LIBS += $(1)
endef

host_lib = $(eval $(call host_lib_rules,$(1),$(2),$(3)))
define host_lib_rules
$(call archive_rule,$(B)/lib/mirage/libmirage_$(1).a,$(call host_obj,$(2)))
ALL_TARGETS += $(B)/lib/mirage/libmirage_$(1).a
$(call hosted_lib_rules,$(1),$(2),$(3))
endef

plat_lib = $(eval $(call plat_lib_rules,$(1),$(2),$(3)))
define plat_lib_rules
$(call archive_rule,$(B)/lib/mirage/$(1)/libplat.a,$(call fs_obj,$(2)))
$(B)/lib/mirage/$(1)/start.o: $(call fs_obj,$(3))
	@mkdir -p $$(@D)
	$(call say,CP,$$@)cp $$< $$@
ALL_TARGETS += $(B)/lib/mirage/$(1)/libplat.a $(B)/lib/mirage/$(1)/start.o
endef

host_prog = $(eval $(call host_prog_rules,$(1),$(2),$(3)))
define host_prog_rules
$(B)/bin/$(1): $(call host_obj,$(2)) $(filter %.a,$(3))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(CC) $(HOST_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(3)
ALL_TARGETS += $(B)/bin/$(1)
endef

# Tests and images are recorded now and get their rules in mk_finish.
unit_test = $(eval UNIT_TESTS += $(1))$(eval UT_$(1)_SRCS := $(2) \
	test/unit/test.c)$(eval UT_$(1)_LIBS := $(3))$(eval UT_$(1)_LDFLAGS := $(4))
unikernel = $(eval UNIKERNELS += $(1))$(eval UK_$(1)_SRCS := $(2))$(eval \
	UK_$(1)_LIBS := $(3))$(eval UK_$(1)_TARGETS := $(4))$(eval \
	UK_$(1)_MANIFEST := $(5))

define unit_test_rule
$(B)/test/$(1): $(call san_obj,$(UT_$(1)_SRCS)) $(call san_archives,$(UT_$(1)_LIBS))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(CC) $(SAN_LDFLAGS) -o $$@ $(call san_obj,$(UT_$(1)_SRCS)) \
		-Wl,--start-group $(call san_archives,$(UT_$(1)_LIBS)) \
		-Wl,--end-group $(UT_$(1)_LDFLAGS) $(call lib_ldflags,$(UT_$(1)_LIBS))
TEST_TARGETS += $(B)/test/$(1)
endef

# $(call unikernel_rule,NAME,TARGET)
define unikernel_rule
$(B)/test-images/$(1)$(TARGET_SUFFIX_$(2)): $(call fs_obj,$(UK_$(1)_SRCS) \
		$(if $(TARGET_MANIFEST_$(2)),$(UK_$(1)_MANIFEST))) \
		$(call fs_archives,$(UK_$(1)_LIBS)) \
		$(call target_files,$(2))
	@mkdir -p $$(@D)
	$(call say,LD,$$@)$(call mirage_link,$$@,$(2),$(call fs_obj,\
		$(UK_$(1)_SRCS) $(if $(TARGET_MANIFEST_$(2)),$(UK_$(1)_MANIFEST))),\
		$(call fs_archives,$(UK_$(1)_LIBS)),$(call lib_ldflags,$(UK_$(1)_LIBS)))
TEST_TARGETS += $(B)/test-images/$(1)$(TARGET_SUFFIX_$(2))
endef

# $(call install_file,SRC,DEST): DEST is a copy of SRC (built with all).
install_file = $(eval $(call install_file_rule,$(1),$(2)))
define install_file_rule
$(2): $(1)
	@mkdir -p $$(@D)
	$(call say,CP,$$@)cp $$< $$@
ALL_TARGETS += $(2)
endef

# The libraries' dependencies, read by the tool to link an image with
# exactly what its devices need: one line per library, its name then the
# names of the libraries it needs.
define libraries_rule
$(B)/lib/mirage/libraries: $(filter %.mk Makefile,$(MAKEFILE_LIST))
	@mkdir -p $$(@D)
	$(call say,GEN,$$@)printf '%s\n' $(foreach l,$(sort $(FS_LIBS)),\
		'$(strip $(l) $(LIB_$(l)_DEPS))') >$$@
ALL_TARGETS += $(B)/lib/mirage/libraries
endef

# The rules of what was recorded; the top Makefile expands it last.
mk_finish = $(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))$(foreach \
	u,$(UNIKERNELS),$(foreach t,$(UK_$(u)_TARGETS),$(eval $(call \
	unikernel_rule,$(u),$(t)))))$(eval $(libraries_rule))

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
$(B)/obj/san/%.o: %.S
	@mkdir -p $(@D)
	$(call say,TESTAS,$<)$(CC) $(SAN_CFLAGS) $(XCFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
