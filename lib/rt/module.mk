# lib/rt: the runtime linked into every unikernel (libc subset, allocator,
# fibers and event loop, logs, runtime arguments, boot). Its hosted
# library, for the unit tests, leaves out the libc subset (there the
# host's libc is used; the subset is tested on its own below) and the
# boot, which the tests' own main() replaces.
RT_UNHOSTED_SRCS := $(addprefix lib/rt/,assert.c ctype.c errno.c format.c \
	fortify.c heap.c malloc.c setjmp.S ssp.c startup.c stdio.c stdlib.c \
	string.c time.c)
RT_SRCS := $(call lib_sources,rt)
$(call library,rt,$(RT_SRCS),,$(filter-out $(RT_UNHOSTED_SRCS),$(RT_SRCS)))

# scheduler tests
# The scheduler test switches stacks, which AddressSanitizer cannot follow:
# it is built with UBSan only, and with the allocator calls wrapped so that
# it can make them fail.
UBSAN_CFLAGS := $(filter-out $(SAN),$(SAN_CFLAGS)) -fsanitize=undefined \
	-fno-sanitize-recover=all
$(B)/obj/ubsan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(UBSAN_CFLAGS) -MMD -MP -c $< -o $@
$(B)/obj/ubsan/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(UBSAN_CFLAGS) -MMD -MP -c $< -o $@
SCHED_TEST_SRCS := test/unit/sched_test.c test/unit/alloc_fail.c \
	test/unit/fake_plat.c test/unit/host_plat.c test/unit/test.c \
	lib/rt/fiber.c lib/rt/loop.c lib/rt/waitq.c lib/rt/minheap.c lib/rt/startup.c \
	lib/rt/at_exit.c lib/rt/switch.S
$(B)/test/sched: $(patsubst %,$(B)/obj/ubsan/%.o,$(basename $(SCHED_TEST_SRCS)))
	@mkdir -p $(@D)
	$(CC) -fsanitize=undefined -o $@ $^ \
		-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc
TEST_TARGETS += $(B)/test/sched
$(call unit_test,args,test/unit/args_test.c,rt fake_plat,\
	-Xlinker --wrap=calloc)
$(call unit_test,log,test/unit/log_test.c,rt fake_plat,-Xlinker --wrap=malloc)
$(call unit_test,tm,test/unit/tm_test.c,rt)
$(call unit_test,at_exit,test/unit/at_exit_test.c,rt)

# libc tests
# The libc sources are built for them against our headers with their names
# prefixed (test/unit/libc_rename.h), next to the host's libc.
LIBC_T_SRCS := lib/rt/string.c lib/rt/ctype.c lib/rt/stdlib.c \
	lib/rt/stdio.c lib/rt/fortify.c lib/rt/assert.c lib/rt/ssp.c \
	lib/rt/time.c
$(call san_obj,$(LIBC_T_SRCS)): XCFLAGS += -nostdinc \
	-isystem include/mirage/libc -include test/unit/libc_rename.h \
	-fno-builtin
LIBC_T_LINK := $(LIBC_T_SRCS) lib/rt/format.c test/unit/libc_plat.c
$(call unit_test,format,test/unit/format_test.c lib/rt/format.c)
$(call unit_test,heap,test/unit/heap_test.c lib/rt/heap.c)
$(call unit_test,minheap,test/unit/minheap_test.c lib/rt/minheap.c \
	test/unit/alloc_fail.c,,-Xlinker --wrap=malloc -Xlinker --wrap=calloc \
	-Xlinker --wrap=realloc)
$(call unit_test,libc_string,test/unit/libc_string_test.c $(LIBC_T_LINK))
$(call unit_test,libc_stdlib,test/unit/libc_stdlib_test.c $(LIBC_T_LINK))
$(call unit_test,libc_stdio,test/unit/libc_stdio_test.c $(LIBC_T_LINK))
# malloc.c and errno.c define names the host's libc needs for itself, so
# they get their own prefixes.
$(call san_obj,lib/rt/malloc.c lib/rt/errno.c): XCFLAGS += -nostdinc \
	-isystem include/mirage/libc -include test/unit/libc_rename.h \
	-fno-builtin -Dmalloc=t_malloc -Dcalloc=t_calloc -Drealloc=t_realloc \
	-Dfree=t_free -Daligned_alloc=t_aligned_alloc \
	-Dposix_memalign=t_posix_memalign \
	-Dmalloc_usable_size=t_malloc_usable_size -Dstrerror=t_strerror \
	-D__errno_location=t___errno_location
$(call unit_test,libc_malloc,test/unit/libc_malloc_test.c lib/rt/malloc.c \
	lib/rt/errno.c lib/rt/heap.c $(LIBC_T_LINK))
# setjmp.S is tested in its freestanding build, its symbols renamed.
$(B)/obj/san/lib/rt/setjmp_t.o: $(B)/obj/fs/lib/rt/setjmp.o
	objcopy --redefine-sym setjmp=t_setjmp \
		--redefine-sym longjmp=t_longjmp $< $@
$(call unit_test,libc_setjmp,test/unit/libc_setjmp_test.c \
	lib/rt/setjmp_t.o)
