/* Reporting guest faults: the spt guest runs in this process, so its
 * faults are this process's fault signals. The handler, installed before
 * the sandbox on a stack of its own, calls the guest's fault hook when
 * the guest registered one (MIRAGE_EXT_FAULTS: the guest names an
 * overflowed fiber), then prints one line on stderr
 *   mirage-spt: guest fault: SIGSEGV at rip 0x..., address 0x...
 * and exits with status 255, instead of the silent death by signal of
 * Solo5's spt. It runs under the seccomp filter with the guest's thread
 * pointer, so it makes raw system calls only (write, exit_group) and
 * never touches glibc (errno lives behind the thread pointer); the line
 * is the unix platform's (plat/linux/fault.h). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "../../plat/linux/fault.h"
#include "spt.h"

#define ALT_STACK_SIZE (256 * 1024)
#define EXIT_FAULT     255

static const struct mirage_ext *guest_ext;

static void put(const char *s, size_t n)
{
    while (n > 0) {
        long w = linux_syscall3(LINUX_SYS_write, 2, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static _Noreturn void leave(void)
{
    for (;;)
        linux_syscall1(LINUX_SYS_exit_group, EXIT_FAULT);
}

__attribute__((no_stack_protector)) static void on_fault(int sig, siginfo_t *si,
                                                         void *ctx)
{
    static volatile int depth;
    if (depth++ > 0) {
        static const char msg[] = ": guest fault while reporting one\n";
        put(tender_name, strlen(tender_name));
        put(msg, sizeof msg - 1);
        leave();
    }
    const ucontext_t *uc = ctx;
    uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
    if (guest_ext && guest_ext->fault_hook && (sig == SIGSEGV || sig == SIGBUS))
        ((void (*)(uint64_t))(uintptr_t)guest_ext->fault_hook)(addr);
    char prefix[64], line[LINUX_FAULT_LINE_MAX];
    size_t n = linux_fault_put(prefix, 0, tender_name);
    n = linux_fault_put(prefix, n, ": guest fault");
    prefix[n] = '\0';
    put(line, linux_fault_line(line, prefix, sig, rip, addr));
    leave();
}

int spt_fault_init(const struct spt_guest *g, char *err)
{
    if (g->granted & MIRAGE_EXT_FAULTS)
        guest_ext = (const struct mirage_ext *)(uintptr_t)g->ext_record;
    void *stack = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        return tender_errf(err, "cannot map the fault handler's stack");
    stack_t ss = {.ss_sp = stack, .ss_size = ALT_STACK_SIZE};
    if (sigaltstack(&ss, NULL) < 0)
        return tender_errf(err, "sigaltstack failed");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], &sa, NULL) < 0)
            return tender_errf(err, "cannot install the fault handler");
    return 0;
}
