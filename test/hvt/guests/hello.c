/* Test guest exercising the hvt bindings without the runtime: prints its
 * arguments one per line (checks the command-line quoting), checks that
 * the clocks advance and agree, sleeps with plat_yield, asks for entropy
 * (printing whether there is a source), and exits with the status given
 * as --status=N (default 0), after sleeping --sleep-ms=N more
 * milliseconds if given. Declares no devices, so acquiring one must
 * fail. */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "../../tender/guest.h"

SOLO5_MANIFEST(0);

#define SLEEP_NS 20000000u /* 20 ms */

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    int status = 0;
    uint64_t sleep_ms = 0;
    for (int i = 1; i < boot->argc; i++) {
        const char *rest;
        if (guest_prefix("--status=", boot->argv[i], &rest))
            status = (int)guest_atou(rest);
        if (guest_prefix("--sleep-ms=", boot->argv[i], &rest))
            sleep_ms = guest_atou(rest);
        guest_print("arg [");
        guest_print(boot->argv[i]);
        guest_print("]\n");
    }
    guest_check(boot->argv[boot->argc] == NULL, "argv ends with NULL");
    guest_check(boot->heap_size > 0 && (uintptr_t)boot->heap % 4096 == 0,
                "heap page-aligned and not empty");
    /* The heap is ours: the first and last bytes are writable. */
    volatile uint8_t *heap = boot->heap;
    heap[0] = 1;
    heap[boot->heap_size - 1] = 1;
    guest_check(heap[0] == 1 && heap[boot->heap_size - 1] == 1,
                "heap writable");

    guest_check_clocks(SLEEP_NS);

    /* Entropy: "entropy yes" or "entropy no" (the test knows which the
     * CPU must give); with a source, two draws come back filled and
     * different. */
    uint8_t rnd[16] = {0}, rnd2[16] = {0};
    enum plat_result r = plat_entropy(rnd, sizeof(rnd));
    guest_print(r == PLAT_OK ? "entropy yes\n" : "entropy no\n");
    if (r == PLAT_OK) {
        uint8_t any = 0, diff = 0;
        r = plat_entropy(rnd2, sizeof(rnd2));
        for (size_t i = 0; i < sizeof(rnd); i++) {
            any |= rnd[i] | rnd2[i];
            diff |= rnd[i] ^ rnd2[i];
        }
        guest_check(r == PLAT_OK && any && diff,
                    "entropy draws filled and different");
    } else {
        guest_check(r == PLAT_EUNSPEC, "no entropy source: PLAT_EUNSPEC");
    }

    plat_handle h;
    struct plat_net_info ni;
    struct plat_block_info bi;
    guest_check(plat_net_acquire("service", &h, &ni) == PLAT_EINVAL,
                "undeclared net device refused");
    guest_check(plat_block_acquire("storage", &h, &bi) == PLAT_EINVAL,
                "undeclared block device refused");
    guest_check(plat_net_write(1, rnd, 1) == PLAT_EINVAL,
                "write on an unacquired handle refused");
    uint64_t until = plat_clock_monotonic() + sleep_ms * 1000000u;
    plat_handle_set ready;
    while (plat_clock_monotonic() < until)
        plat_yield(until, &ready);
    plat_exit(status);
}
