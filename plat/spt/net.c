/* The network transport on spt (see plat/solo5/devices.h): the guest
 * reads and writes the device's tap descriptor (non-blocking) directly. */
#include "../solo5/devices.h"
#include "spt.h"

enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len)
{
    (void)h;
    long n;
    do
        n = linux_syscall3(LINUX_SYS_write, e->b.hostfd, buf, len);
    while (n == -LINUX_EINTR);
    return n == (long)len ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read)
{
    (void)h;
    long n;
    do
        n = linux_syscall3(LINUX_SYS_read, e->b.hostfd, buf, size);
    while (n == -LINUX_EINTR);
    if (n == -LINUX_EAGAIN)
        return PLAT_AGAIN;
    if (n < 0)
        return PLAT_EUNSPEC;
    *read = (size_t)n;
    return PLAT_OK;
}
