/* Test guest for the virtio bindings without the runtime and without
 * devices: prints its arguments one per line (the command-line quoting
 * and the platform's words taken out), checks the heap, the clocks,
 * sleeping in plat_yield and entropy, then exits with --status=N (default
 * 0), or first faults as --fault=pf|ud|gp|guard asks (the platform must
 * report the exception with the registers and exit 255; guard: a write
 * to a heap page made a guard page, after one guarded and released). */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(0);

/* plat/virtio/paging.c */
int virtio_guard_page(uintptr_t page, bool guard);

#define SLEEP_NS 50000000u /* 50 ms */

static bool prefix(const char *p, const char *s, const char **rest)
{
    while (*p != '\0' && *p == *s) {
        p++;
        s++;
    }
    *rest = s;
    return *p == '\0';
}

static void check(bool ok, const char *what)
{
    guest_print(ok ? "ok " : "FAILED ");
    guest_print(what);
    guest_print("\n");
}

static void fault(const char *how, volatile uint8_t *heap)
{
    if (guest_streq(how, "guard")) {
        volatile uint8_t *a = heap + 8192, *b = heap + 3 * 4096;
        check(virtio_guard_page((uintptr_t)a, true) == 0 &&
                  virtio_guard_page((uintptr_t)a, false) == 0,
              "a guard page is released");
        *a = 1;
        check(virtio_guard_page((uintptr_t)b + 1, true) == -1,
              "an unaligned guard page is refused");
        check(virtio_guard_page((uintptr_t)b, true) == 0, "guard page set");
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
    check(false, "the fault came back");
}

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    int status = 0;
    const char *rest, *faulting = NULL;
    for (int i = 1; i < boot->argc; i++) {
        if (prefix("--status=", boot->argv[i], &rest))
            status = (int)guest_atou(rest);
        if (prefix("--fault=", boot->argv[i], &rest))
            faulting = rest;
        guest_print("arg [");
        guest_print(boot->argv[i]);
        guest_print("]\n");
    }
    check(guest_streq(boot->target, "virtio"), "target is virtio");
    check(boot->argv[boot->argc] == NULL, "argv ends with NULL");
    check(boot->heap_size >= (1u << 20) && (uintptr_t)boot->heap % 4096 == 0,
          "heap page-aligned, 1 MiB or more");
    volatile uint8_t *heap = boot->heap;
    heap[0] = 1;
    heap[boot->heap_size - 1] = 1;
    check(heap[0] == 1 && heap[boot->heap_size - 1] == 1, "heap writable");
    guest_print("heap MiB ");
    guest_print_u64(boot->heap_size >> 20);
    guest_print("\n");
    if (faulting)
        fault(faulting, heap);

    uint64_t wall = plat_clock_wall();
    /* 2020-01-01 .. 2100-01-01 */
    check(wall > 1577836800ull * 1000000000u &&
              wall < 4102444800ull * 1000000000u,
          "wall clock plausible");
    uint64_t t0 = plat_clock_monotonic();
    plat_handle_set ready = 1;
    plat_yield(t0 + SLEEP_NS, &ready);
    uint64_t t1 = plat_clock_monotonic();
    check(ready == 0, "yield without devices reports nothing ready");
    check(t1 - t0 >= SLEEP_NS && t1 - t0 < 20 * SLEEP_NS,
          "yield sleeps until the deadline");
    check(plat_clock_wall() - wall >= SLEEP_NS,
          "wall clock advances with monotonic");
    uint8_t rnd[32] = {0};
    bool nonzero = false;
    enum plat_result r = plat_entropy(rnd, sizeof rnd);
    for (unsigned i = 0; i < sizeof rnd; i++)
        nonzero = nonzero || rnd[i] != 0;
    check(r == PLAT_EUNSPEC || (r == PLAT_OK && nonzero), "entropy answers");
    guest_print(r == PLAT_OK ? "entropy from the CPU\n" : "no CPU entropy\n");
    plat_handle h;
    struct plat_net_info ni;
    check(plat_net_acquire("service", &h, &ni) == PLAT_EINVAL,
          "no network device to acquire");
    plat_exit(status);
}
