# plat/unix: the unix target, a Linux process on raw system calls
# (libplat.a, start.o), its target.mk for generated Makefiles, and the
# test image build/test-images/plat_unix that test/unix/plat.sh runs.
PLAT_UNIX_SRCS := $(wildcard plat/unix/*.c) plat/linux/vdso.c
$(eval $(call plat_lib,unix,$(PLAT_UNIX_SRCS),plat/unix/start.S))

# The C entry runs before the FS base (and so the canary) is set.
$(B)/obj/fs/plat/unix/boot.o: XCFLAGS := -fno-stack-protector

$(B)/lib/mirage/unix/target.mk: plat/unix/target.mk
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(B)/lib/mirage/unix/target.mk

# The test image is linked exactly as a unikernel is, with the libraries
# it uses.
include plat/unix/target.mk
PLAT_UNIX_LDFLAGS := $(TARGET_LDFLAGS)
PLAT_UNIX_TEST_LIBS := $(patsubst %,$(B)/lib/mirage/libmirage_%.a,\
	console clock random rt)
$(B)/test-images/plat_unix: $(call fs_obj,test/unix/plat_test.c) \
		$(B)/lib/mirage/unix/start.o $(B)/lib/mirage/unix/libplat.a \
		$(PLAT_UNIX_TEST_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PLAT_UNIX_LDFLAGS) -o $@ $(B)/lib/mirage/unix/start.o \
		$(call fs_obj,test/unix/plat_test.c) -Wl,--start-group \
		$(PLAT_UNIX_TEST_LIBS) $(B)/lib/mirage/unix/libplat.a \
		-Wl,--end-group -lgcc
TEST_TARGETS += $(B)/test-images/plat_unix
