/* Test guest for the virtio bindings without the runtime and without
 * devices: prints its arguments one per line (the command-line quoting
 * and the platform's words taken out), checks the heap and the boot
 * stack's guard page, the clocks, sleeping in plat_yield and entropy,
 * then exits with --status=N (default 0), or first faults as
 * --fault=pf|ud|gp|guard asks (the platform must report the exception
 * with the registers and exit 255; guard: a write to a heap page made a
 * guard page by plat_stack_guard, after one guarded and released and two
 * refused). */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(0);

#define SLEEP_NS 50000000u /* 50 ms */
#define PAGE     PLAT_PAGE_SIZE

static void fault(const char *how, volatile uint8_t *heap)
{
    if (guest_streq(how, "guard")) {
        volatile uint8_t *a = heap + 2 * PAGE, *b = heap + 3 * PAGE;
        guest_check(plat_stack_guard((void *)a, true) == PLAT_OK &&
                        plat_stack_guard((void *)a, false) == PLAT_OK,
                    "a guard page is released");
        *a = 1;
        guest_check(plat_stack_guard((void *)(b + 1), true) == PLAT_EINVAL,
                    "an unaligned guard page is refused");
        guest_check(plat_stack_guard((void *)(heap - PAGE), true) ==
                        PLAT_EINVAL,
                    "a guard page below the heap is refused");
        guest_check(plat_stack_guard((void *)b, true) == PLAT_OK,
                    "guard page set");
        *b = 1;
    }
    if (guest_streq(how, "pf")) {
        /* Beyond the 4 GiB identity map: a page fault at that address. */
        volatile uint64_t *p = (volatile uint64_t *)0x123456789000ull;
        *p = 0xdeadbeef;
    } else if (guest_streq(how, "ud")) {
        __asm__ volatile("movq $0x1122334455667788, %%rax; ud2" ::: "rax");
    } else if (guest_streq(how, "gp")) {
        /* A non-canonical address. */
        volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000ull;
        (void)*p;
    }
    guest_check(false, "the fault came back");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    int status = 0;
    const char *rest, *faulting = NULL;
    for (int i = 1; i < boot->argc; i++) {
        if (guest_prefix("--status=", boot->argv[i], &rest))
            status = (int)guest_atou(rest);
        if (guest_prefix("--fault=", boot->argv[i], &rest))
            faulting = rest;
        guest_print("arg [");
        guest_print(boot->argv[i]);
        guest_print("]\n");
    }
    guest_check(guest_streq(boot->target, "virtio"), "target is virtio");
    guest_check(boot->argv[boot->argc] == NULL, "argv ends with NULL");
    guest_check(boot->heap_size >= (1u << 20) &&
                    (uintptr_t)boot->heap % 4096 == 0,
                "heap page-aligned, 1 MiB or more");
    volatile uint8_t *heap = boot->heap;
    heap[0] = 1;
    heap[boot->heap_size - 1] = 1;
    guest_check(heap[0] == 1 && heap[boot->heap_size - 1] == 1,
                "heap writable");
    guest_check(boot->boot_stack_guard == heap + boot->heap_size,
                "the boot stack's guard page is just above the heap");
    guest_print("heap MiB ");
    guest_print_u64(boot->heap_size >> 20);
    guest_print("\n");
    if (faulting)
        fault(faulting, heap);

    guest_check(guest_check_clocks(SLEEP_NS) < 20 * SLEEP_NS,
                "yield wakes up at the deadline");
    uint8_t rnd[32] = {0};
    bool nonzero = false;
    enum plat_result r = plat_entropy(rnd, sizeof rnd);
    for (unsigned i = 0; i < sizeof rnd; i++)
        nonzero = nonzero || rnd[i] != 0;
    guest_check(r == PLAT_EUNSPEC || (r == PLAT_OK && nonzero),
                "entropy answers");
    guest_print(r == PLAT_OK ? "entropy from the CPU\n" : "no CPU entropy\n");
    plat_handle h;
    struct plat_net_info ni;
    guest_check(plat_net_acquire("service", &h, &ni) == PLAT_EINVAL,
                "no network device to acquire");
    plat_exit(status);
}
