/* The unix platform's C entry: from the initial process stack, set the
 * thread pointer to a TCB holding the stack-protector canary, map the heap
 * and a boot stack with a guard page below it, install the fault handler,
 * initialise the clocks and hand the boot record to the runtime on the
 * boot stack.
 *
 * Compiled with -fno-stack-protector (see module.mk): this code runs before
 * the FS base points anywhere, so it must not read %fs:0x28. */
#include <stddef.h>
#include <stdint.h>

#include "../linux/syscall.h"
#include "unix.h"

/* The thread control block %fs points at: a self pointer at offset 0 (as
 * the x86_64 TLS ABI has it) and the canary at 0x28, where code compiled
 * with -fstack-protector reads it. */
struct unix_tcb {
    struct unix_tcb *self;
    uint64_t reserved[4];
    uint64_t stack_guard;
};
_Static_assert(offsetof(struct unix_tcb, stack_guard) == 0x28,
               "the canary lives at %fs:0x28");

static struct unix_tcb tcb __attribute__((aligned(64)));

/* The heap is reserved, not committed: the kernel backs pages on first
 * touch. Smaller sizes are tried when the address space is limited. */
#define UNIX_HEAP_MAX (1ul << 30)
#define UNIX_HEAP_MIN (16ul << 20)
/* The boot stack, where the event loop runs (as on the Solo5 targets). */
#define UNIX_BOOT_STACK (1ul << 20)

_Noreturn void unix_start(long *sp);

static _Noreturn void boot_fail(const char *msg, size_t len)
{
    plat_console_write(msg, len);
    plat_exit(255);
}

static void set_canary(const unsigned char *random16)
{
    uint64_t guard = 0;
    if (random16) {
        for (int i = 0; i < 8; i++)
            guard |= (uint64_t)random16[i] << (8 * i);
    }
    /* A zero low byte stops string functions from reading or writing past
     * the canary; the other bytes must keep it non-zero. */
    guard &= ~(uint64_t)0xff;
    if (guard == 0)
        guard = 0x5a17c0de00ull; /* only if the kernel gave no AT_RANDOM */
    tcb.self = &tcb;
    tcb.stack_guard = guard;
    if (linux_syscall2(LINUX_SYS_arch_prctl, LINUX_ARCH_SET_FS, &tcb) != 0) {
        static const char msg[] = "mirage: cannot set the FS base\n";
        boot_fail(msg, sizeof msg - 1);
    }
}

/* Reserve size bytes of zeroed memory (committed on first touch); NULL
 * when the kernel refuses. */
static void *map(size_t size)
{
    long p = linux_syscall6(
        LINUX_SYS_mmap, 0, (long)size, LINUX_PROT_READ | LINUX_PROT_WRITE,
        LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_NORESERVE, -1, 0);
    return p >= 0 || p < -4095 ? (void *)p : NULL; /* -4095..-1: -errno */
}

static void map_heap(void **heap, size_t *size)
{
    for (size_t sz = UNIX_HEAP_MAX; sz >= UNIX_HEAP_MIN; sz /= 2) {
        if ((*heap = map(sz)) != NULL) {
            *size = sz;
            return;
        }
    }
    static const char msg[] = "mirage: cannot map a heap\n";
    boot_fail(msg, sizeof msg - 1);
}

/* The boot stack: its guard page, then UNIX_BOOT_STACK bytes. */
static unsigned char *map_boot_stack(void)
{
    unsigned char *p = map(PLAT_PAGE_SIZE + UNIX_BOOT_STACK);
    if (p == NULL || plat_stack_guard(p, true) != PLAT_OK) {
        static const char msg[] = "mirage: cannot map the boot stack\n";
        boot_fail(msg, sizeof msg - 1);
    }
    return p;
}

/* Call mirage_rt_boot(boot) on the stack whose top is `top`. */
static _Noreturn void boot_on(unsigned char *top, const struct plat_boot *boot)
{
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "xorl %%ebp, %%ebp\n\t"
                     "call mirage_rt_boot\n\t"
                     "ud2"
                     :
                     : "r"(top), "D"(boot)
                     : "memory");
    __builtin_unreachable();
}

_Noreturn void unix_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    while (*envp)
        envp++;
    const unsigned char *random16 = NULL;
    const void *vdso = NULL;
    for (const uint64_t *aux = (const uint64_t *)(envp + 1);
         aux[0] != LINUX_AT_NULL; aux += 2) {
        if (aux[0] == LINUX_AT_RANDOM)
            random16 = (const unsigned char *)aux[1];
        else if (aux[0] == LINUX_AT_SYSINFO_EHDR)
            vdso = (const void *)aux[1];
    }

    set_canary(random16);
    unix_clock_init(vdso);

    unix_fault_init();

    static struct plat_boot boot;
    boot = (struct plat_boot){.argc = argc, .argv = argv, .target = "unix"};
    map_heap(&boot.heap, &boot.heap_size);
    unsigned char *stack = map_boot_stack();
    boot.boot_stack_guard = stack;
    boot_on(stack + PLAT_PAGE_SIZE + UNIX_BOOT_STACK, &boot);
}
