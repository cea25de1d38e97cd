# plat/unix: the unix target, a Linux process on raw system calls
# (libplat.a, start.o; its target.mk is read by mk/targets.mk), and the
# test image build/test-images/plat_unix that test/unix/plat.sh runs.
$(call plat_lib,unix,$(wildcard plat/unix/*.c) plat/linux/vdso.c,\
	plat/unix/start.S)

# The C entry runs before the FS base (and so the canary) is set.
$(B)/obj/fs/plat/unix/boot.o: XCFLAGS := -fno-stack-protector

$(call unikernel,plat_unix,test/unix/plat_test.c,console clock random,unix)
