/* The network transport on hvt (see plat/solo5/devices.h): frames moved
 * by the NET_WRITE and NET_READ hypercalls. */
#include "../solo5/devices.h"
#include "hvt.h"

enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len)
{
    (void)e;
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = len};
    hvt_hypercall(SOLO5_HVT_HC_NET_WRITE, &io);
    return (enum plat_result)io.ret;
}

enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read)
{
    (void)e;
    struct solo5_hvt_net_io io = {
        .handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size};
    hvt_hypercall(SOLO5_HVT_HC_NET_READ, &io);
    if (io.ret == PLAT_OK)
        *read = io.len;
    return (enum plat_result)io.ret;
}
