/* Faults and stack guards on unix: guard pages are mprotect'ed pages of
 * the heap, and the synchronous fault signals (SIGSEGV, SIGBUS, SIGILL,
 * SIGFPE, SIGTRAP) run a handler on a stack of its own that lets the
 * runtime name an overflowed fiber, prints one line
 *   unix: fault: SIGSEGV at rip 0x..., address 0x...
 * and exits with status 255 instead of dying silently. */
#include <mirage/plat.h>

#include "../linux/fault.h"
#include "../linux/syscall.h"
#include "unix.h"

#define ALT_STACK_SIZE (64 * 1024)

static unsigned char alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));

enum plat_result plat_stack_guard(void *page, bool guard)
{
    long prot = guard ? LINUX_PROT_NONE : LINUX_PROT_READ | LINUX_PROT_WRITE;
    if ((uintptr_t)page & (PLAT_PAGE_SIZE - 1))
        return PLAT_EINVAL;
    return linux_syscall3(LINUX_SYS_mprotect, page, PLAT_PAGE_SIZE, prot) == 0
               ? PLAT_OK
               : PLAT_EUNSPEC;
}

/* No canary: the fault may come from a broken thread pointer. A fault
 * while reporting one (SA_NODEFER lets it in) stops at once. */
__attribute__((no_stack_protector)) static void on_fault(int sig, void *info,
                                                         void *uc)
{
    static volatile int reporting;
    if (reporting++)
        plat_exit(255);
    uint64_t addr, rip;
    __builtin_memcpy(&addr, (char *)info + LINUX_SIGINFO_ADDR_OFFSET,
                     sizeof addr);
    __builtin_memcpy(&rip, (char *)uc + LINUX_UCONTEXT_RIP_OFFSET, sizeof rip);
    if (sig == LINUX_SIGSEGV || sig == LINUX_SIGBUS)
        mirage_rt_stack_fault(addr);
    char line[LINUX_FAULT_LINE_MAX];
    plat_console_write(line,
                       linux_fault_line(line, "unix: fault", sig, rip, addr));
    plat_exit(255);
}

void unix_fault_init(void)
{
    struct linux_stack ss = {.sp = alt_stack, .size = sizeof alt_stack};
    static const int sigs[] = {LINUX_SIGSEGV, LINUX_SIGBUS, LINUX_SIGILL,
                               LINUX_SIGFPE, LINUX_SIGTRAP};
    struct linux_sigaction sa = {
        .handler = on_fault,
        .flags = LINUX_SA_SIGINFO | LINUX_SA_ONSTACK | LINUX_SA_NODEFER |
                 LINUX_SA_RESTORER,
        .restorer = unix_sigreturn,
    };
    long r = linux_syscall2(LINUX_SYS_sigaltstack, &ss, 0);
    for (unsigned i = 0; r == 0 && i < sizeof sigs / sizeof sigs[0]; i++)
        r = linux_syscall4(LINUX_SYS_rt_sigaction, sigs[i], &sa, 0,
                           sizeof sa.mask);
    static const char msg[] = "unix: cannot install the fault handler: "
                              "faults will not be reported\n";
    if (r != 0)
        plat_console_write(msg, sizeof msg - 1);
}
