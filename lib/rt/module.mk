# lib/rt: the runtime linked into every unikernel (libc subset, allocator,
# fibers and event loop, logs, runtime arguments, boot).
RT_SRCS := $(wildcard lib/rt/*.c lib/rt/*.S)
$(eval $(call fs_lib,rt,$(RT_SRCS)))
