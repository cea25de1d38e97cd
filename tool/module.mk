# tool/: the `mirage` command (host program) and the configuration engine,
# libmirage_config.a, linked into each application's config.bin: the
# engine, the targets' data generated from plat/*/target.mk, and the
# device catalogue, every library's lib/NAME/config.c (the tool itself
# names no device). Also the make files installed for the generated
# Makefiles, and the engine's unit tests.
CONFIG_SRCS := $(filter-out tool/mirage.c,$(wildcard tool/*.c)) \
	$(B)/gen/targets.c $(wildcard lib/*/config.c)
$(call host_lib,config,$(CONFIG_SRCS),)
$(call host_prog,mirage,tool/mirage.c tool/run.c tool/commands.c \
	tool/appdir.c,)
$(B)/obj/host/tool/mirage.o: XCFLAGS := -DMIRAGE_VERSION='"$(VERSION)"'

# The Makefiles `mirage configure` generates include these.
$(foreach f,unikernel.mk freestanding.mk link.mk,\
	$(call install_file,mk/$(f),$(B)/lib/mirage/$(f)))

# Engine unit tests (hosted, ASan + UBSan).
$(foreach t,graph eval gen storage,$(call unit_test,engine_$(t),\
	test/unit/engine_$(t)_test.c test/unit/engine_app.c,config))
