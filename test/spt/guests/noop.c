/* Test guest: does nothing and exits 0 (the benchmark's trivial guest). */
#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(0);

_Noreturn void mirage_rt_boot(const struct plat_boot *boot)
{
    (void)boot;
    plat_exit(0);
}
