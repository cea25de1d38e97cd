/* Network devices on spt: manifest entries of type NET_BASIC whose tap
 * descriptor (non-blocking) the guest reads and writes directly. */
#include "../solo5/manifest.h"
#include "spt.h"

#include <mirage/plat.h>

#define ETHERNET_HEADER 14

enum plat_result plat_net_acquire(const char *name, plat_handle *h,
                                  struct plat_net_info *info)
{
    const struct solo5_mft_entry *e;
    enum plat_result r =
        solo5_mft_acquire(name, SOLO5_MFT_DEV_NET_BASIC, h, &e);
    if (r != PLAT_OK)
        return r;
    for (int i = 0; i < 6; i++)
        info->mac[i] = e->u.net_basic.mac[i];
    info->mtu = e->u.net_basic.mtu;
    return PLAT_OK;
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || len > (size_t)e->u.net_basic.mtu + ETHERNET_HEADER)
        return PLAT_EINVAL;
    long n;
    do
        n = linux_syscall3(LINUX_SYS_write, e->b.hostfd, buf, len);
    while (n == -LINUX_EINTR);
    return n == (long)len ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || size < (size_t)e->u.net_basic.mtu + ETHERNET_HEADER)
        return PLAT_EINVAL;
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
