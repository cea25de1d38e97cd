/* Block devices on hvt: manifest entries of type BLOCK_BASIC, one block per
 * BLOCK_WRITE or BLOCK_READ hypercall, checked here first so a bad request
 * is PLAT_EINVAL rather than a tender error. */
#include "../solo5/manifest.h"
#include "hvt.h"

#include <mirage/plat.h>

enum plat_result plat_block_acquire(const char *name, plat_handle *h,
                                    struct plat_block_info *info)
{
    const struct solo5_mft_entry *e;
    enum plat_result r =
        solo5_mft_acquire(name, SOLO5_MFT_DEV_BLOCK_BASIC, h, &e);
    if (r != PLAT_OK)
        return r;
    info->capacity = e->u.block_basic.capacity;
    info->block_size = e->u.block_basic.block_size;
    info->read_only = false;
    return PLAT_OK;
}

/* The request as a hypercall argument, or PLAT_EINVAL if it is not
 * exactly one block at a block-aligned offset within the capacity. */
static enum plat_result block_io(enum solo5_hvt_hypercall n, plat_handle h,
                                 uint64_t offset, const void *buf, size_t size)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_BLOCK_BASIC);
    if (e == NULL)
        return PLAT_EINVAL;
    uint64_t bs = e->u.block_basic.block_size;
    uint64_t cap = e->u.block_basic.capacity;
    if (bs == 0 || size != bs || offset % bs != 0 || offset >= cap ||
        cap - offset < bs)
        return PLAT_EINVAL;
    struct solo5_hvt_block_io io = {.handle = h,
                                    .offset = offset,
                                    .data = (uint64_t)(uintptr_t)buf,
                                    .len = size};
    hvt_hypercall(n, &io);
    return (enum plat_result)io.ret;
}

enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    return block_io(SOLO5_HVT_HC_BLOCK_WRITE, h, offset, buf, size);
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    return block_io(SOLO5_HVT_HC_BLOCK_READ, h, offset, buf, size);
}
