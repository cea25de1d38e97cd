/* Test guest without devices: its first argument says what to do.
 *   args A B ...   print each argument on its own line, then the target
 *   exit N         exit with status N
 *   clocks         check both clocks and sleep 20 ms through plat_yield
 *   sleep MS       sleep MS milliseconds, then exit 0
 *   heap           check the heap lies between the image and the stack
 *   entropy        print whether plat_entropy has a source ("entropy
 *                  yes" or "entropy no") and, if so, whether two draws
 *                  came back filled and different ("entropy fresh")
 *   abort          plat_abort (status 255)
 *   fault          write to the read-only text (reported, status 255)
 *   guard          print whether the boot stack has a guard page right
 *                  above the heap and whether plat_stack_guard works; if
 *                  it does, guard a heap page and touch it
 *   open|socket|mmap|write0|fork|mprotect-exec|mprotect-high
 *                  make that forbidden system call (killed by SIGSYS) */
#include "../../../plat/linux/syscall.h"
#include "../../tender/guest.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(0);

#define LINUX_SYS_fork 57
#define NS_PER_MS      1000000ull

extern char _end[];

static void forbidden(const char *what)
{
    static const char path[] = "/etc/passwd";
    if (guest_streq(what, "open"))
        linux_syscall3(LINUX_SYS_open, path, 0, 0);
    else if (guest_streq(what, "socket"))
        linux_syscall3(LINUX_SYS_socket, 2, 1, 0);
    else if (guest_streq(what, "mmap"))
        linux_syscall6(LINUX_SYS_mmap, 0, 4096, 3, 0x22, -1, 0);
    else if (guest_streq(what, "write0"))
        linux_syscall3(LINUX_SYS_write, 0, "x\n", 2);
    else if (guest_streq(what, "mprotect-exec"))
        linux_syscall3(LINUX_SYS_mprotect, 0x200000, 4096, 5);
    else if (guest_streq(what, "mprotect-high"))
        linux_syscall3(LINUX_SYS_mprotect, 1ull << 40, 4096, 0);
    else if (guest_streq(what, "fork"))
        linux_syscall0(LINUX_SYS_fork);
    else
        return;
    guest_print("probe: the sandbox allowed ");
    guest_print(what);
    guest_print("\n");
    plat_exit(1);
}

/* Sleep until the monotonic clock reaches deadline, whatever wakes yield
 * early; *ready is the last ready set. */
/* Two 32-byte draws: true when both came back filled (not all zeros)
 * and different from each other. */
static bool fresh_entropy(void)
{
    uint8_t a[32] = {0}, b[32] = {0};
    if (plat_entropy(a, sizeof a) != PLAT_OK ||
        plat_entropy(b, sizeof b) != PLAT_OK)
        return false;
    uint8_t any = 0, diff = 0;
    for (size_t i = 0; i < sizeof a; i++) {
        any |= a[i] | b[i];
        diff |= a[i] ^ b[i];
    }
    return any && diff;
}

static void sleep_until(uint64_t deadline, plat_handle_set *ready)
{
    while (plat_clock_monotonic() < deadline)
        plat_yield(deadline, ready);
}

static int clocks(void)
{
    uint64_t wall = plat_clock_wall();
    uint64_t t0 = plat_clock_monotonic();
    plat_handle_set ready = 1;
    sleep_until(t0 + 20 * NS_PER_MS, &ready);
    uint64_t t1 = plat_clock_monotonic();
    /* After 2020 and a monotonic step of at least the sleep. */
    if (wall < 1577836800ull * 1000000000ull || t1 - t0 < 20 * NS_PER_MS ||
        ready != 0)
        return 1;
    /* A deadline in the past returns at once. */
    plat_yield(0, &ready);
    guest_print("clocks ok\n");
    return 0;
}

static int guard(const struct plat_boot *b)
{
    char *page = b->heap;
    bool above_heap = b->boot_stack_guard == page + b->heap_size;
    guest_print(above_heap ? "boot guard yes\n" : "boot guard no\n");
    if (plat_stack_guard(page, true) != PLAT_OK) {
        guest_print("guard no\n");
        return 0;
    }
    guest_print("guard yes\n");
    *(volatile char *)page = 1;
    return 1;
}

static int heap(const struct plat_boot *b)
{
    uintptr_t h = (uintptr_t)b->heap;
    uintptr_t stack = (uintptr_t)&h;
    if (h < (uintptr_t)_end || h % 4096 != 0 || h + b->heap_size > stack)
        return 1;
    /* The heap is usable memory. */
    volatile char *p = b->heap;
    p[0] = 1;
    p[b->heap_size - 1] = 2;
    guest_print("heap ok\n");
    return 0;
}

_Noreturn void mirage_rt_boot(const struct plat_boot *b)
{
    const char *cmd = b->argc > 1 ? b->argv[1] : "";
    int status = 0;
    if (guest_streq(cmd, "args")) {
        for (int i = 2; i < b->argc; i++) {
            guest_print(b->argv[i]);
            guest_print("\n");
        }
        guest_print(b->target);
        guest_print("\n");
    } else if (guest_streq(cmd, "exit") && b->argc > 2) {
        status = (int)guest_atou(b->argv[2]);
    } else if (guest_streq(cmd, "sleep") && b->argc > 2) {
        plat_handle_set ready;
        sleep_until(plat_clock_monotonic() + guest_atou(b->argv[2]) * NS_PER_MS,
                    &ready);
    } else if (guest_streq(cmd, "clocks")) {
        status = clocks();
    } else if (guest_streq(cmd, "guard")) {
        status = guard(b);
    } else if (guest_streq(cmd, "heap")) {
        status = heap(b);
    } else if (guest_streq(cmd, "entropy")) {
        uint64_t v;
        if (plat_entropy(&v, sizeof v) != PLAT_OK)
            guest_print("entropy no\n");
        else
            guest_print(fresh_entropy() ? "entropy yes\nentropy fresh\n"
                                        : "entropy yes\nentropy stale\n");
    } else if (guest_streq(cmd, "abort")) {
        plat_abort();
    } else if (guest_streq(cmd, "fault")) {
        *(volatile char *)(uintptr_t)&mirage_rt_boot = 0;
    } else {
        forbidden(cmd);
        guest_print("probe: unknown command\n");
        status = 2;
    }
    plat_exit(status);
}
