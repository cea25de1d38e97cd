/* Host entropy on unix: the kernel's getrandom(). */
#include <mirage/plat.h>

#include "../linux/syscall.h"

enum plat_result plat_entropy(void *buf, size_t len)
{
    unsigned char *p = buf;
    if (!p && len > 0)
        return PLAT_EINVAL;
    while (len > 0) {
        long n = linux_syscall3(LINUX_SYS_getrandom, p, len, 0);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n != -LINUX_EINTR) {
            return PLAT_EUNSPEC; /* e.g. ENOSYS on kernels before 3.17 */
        }
    }
    return PLAT_OK;
}
