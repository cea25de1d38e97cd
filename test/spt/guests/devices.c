/* Test guest with two devices, network "service" and block "storage":
 * acquires both and exits 0. For the tenders' attach checks and the
 * manifest tests (entries to corrupt). */
#include "../../tender/guest.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>

SOLO5_MANIFEST(2, SOLO5_MFT_NET("service"), SOLO5_MFT_BLOCK("storage"));

_Noreturn void mirage_rt_boot(const struct plat_boot *b)
{
    (void)b;
    plat_handle n, k;
    struct plat_net_info ni;
    struct plat_block_info bi;
    if (plat_net_acquire("service", &n, &ni) != PLAT_OK ||
        plat_block_acquire("storage", &k, &bi) != PLAT_OK || n != 1 || k != 2) {
        guest_print("devices: acquire failed\n");
        plat_exit(1);
    }
    guest_print("devices ok\n");
    plat_exit(0);
}
