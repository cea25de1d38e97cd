/* Network devices on hvt: manifest entries of type NET_BASIC, frames moved
 * by the NET_WRITE and NET_READ hypercalls. */
#include "../solo5/manifest.h"
#include "hvt.h"

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
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = len};
    hvt_hypercall(SOLO5_HVT_HC_NET_WRITE, &io);
    return (enum plat_result)io.ret;
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || size < (size_t)e->u.net_basic.mtu + ETHERNET_HEADER)
        return PLAT_EINVAL;
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size};
    hvt_hypercall(SOLO5_HVT_HC_NET_READ, &io);
    if (io.ret == PLAT_OK)
        *read = io.len;
    return (enum plat_result)io.ret;
}
