# tool/: the `mirage` command (host program) and the configuration engine
# (libmirage_config.a, linked into each application's config.bin), the
# generic make rules installed beside them, and the engine's unit tests.
CONFIG_SRCS := tool/util.c tool/typ.c tool/key.c tool/impl.c \
	tool/devices.c tool/devices_net.c tool/devices_socket.c tool/eval.c \
	tool/gen_main.c tool/gen_build.c tool/describe.c tool/cli.c \
	tool/devices_block.c tool/devices_kv.c tool/devices_fs.c tool/run.c
$(eval $(call host_lib,mirage_config,$(CONFIG_SRCS)))
$(eval $(call host_prog,mirage,tool/mirage.c tool/run.c,))
$(B)/obj/host/tool/mirage.o: XCFLAGS := -DMIRAGE_VERSION='"$(VERSION)"'

# The Makefiles `mirage configure` generates include these.
$(B)/lib/mirage/unikernel.mk: mk/unikernel.mk
	@mkdir -p $(@D)
	cp $< $@
$(B)/lib/mirage/freestanding.mk: mk/freestanding.mk
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(B)/lib/mirage/unikernel.mk $(B)/lib/mirage/freestanding.mk

# Engine unit tests (hosted, ASan + UBSan).
$(foreach t,graph eval gen storage,$(eval $(call unit_test,engine_$(t),\
	test/unit/engine_$(t)_test.c test/unit/engine_app.c test/unit/test.c \
	$(CONFIG_SRCS))))
