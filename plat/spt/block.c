/* Block devices on spt: manifest entries of type BLOCK_BASIC, one block
 * per pread64/pwrite64 on the backing file, checked here first (the
 * filter kills anything else) so a bad request is PLAT_EINVAL. */
#include "../solo5/manifest.h"
#include "spt.h"

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

static enum plat_result block_io(long call, plat_handle h, uint64_t offset,
                                 const void *buf, size_t size)
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
    long n;
    do
        n = linux_syscall4(call, e->b.hostfd, buf, size, offset);
    while (n == -LINUX_EINTR);
    return n == (long)size ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    return block_io(LINUX_SYS_pwrite64, h, offset, buf, size);
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    return block_io(LINUX_SYS_pread64, h, offset, buf, size);
}
