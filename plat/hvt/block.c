/* The block transport on hvt (see plat/solo5/devices.h): one block per
 * BLOCK_WRITE or BLOCK_READ hypercall. The request was checked before, so
 * a bad one is PLAT_EINVAL rather than a tender error. */
#include "../solo5/devices.h"
#include "hvt.h"

enum plat_result solo5_block_transfer(plat_handle h,
                                      const struct solo5_mft_entry *e,
                                      bool write, uint64_t offset, void *buf,
                                      size_t size)
{
    (void)e;
    struct solo5_hvt_block_io io = {.handle = h,
                                    .offset = offset,
                                    .data = (uint64_t)(uintptr_t)buf,
                                    .len = size};
    hvt_hypercall(write ? SOLO5_HVT_HC_BLOCK_WRITE : SOLO5_HVT_HC_BLOCK_READ,
                  &io);
    return (enum plat_result)io.ret;
}
