/* Test guest (hvt and spt) whose image has 896 KiB of zeroed data: loaded
 * at 1 MiB, it fits in 2 MiB of guest memory but leaves no room for the
 * boot stack (128 KiB) and a heap, which the platform must say in one
 * line before stopping with 255; with more memory it prints "big ok" and
 * exits 0. */
#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdint.h>

#include "guest.h"

SOLO5_MANIFEST(0);

static volatile uint8_t ballast[896u * 1024u];

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    (void)boot;
    ballast[sizeof ballast - 1] = 1;
    guest_print("big ok\n");
    plat_exit(0);
}
