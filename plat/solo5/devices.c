/* plat.h's network and block device calls on the Solo5-style targets:
 * lookup in the manifest and checks, then the target's transport (see
 * devices.h). */
#include "devices.h"
#include "manifest.h"

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
    info->offloads = 0;
    return PLAT_OK;
}

/* No tender carries the virtio-net header yet: always bare frames. */
enum plat_result plat_net_acquire_offload(const char *name, uint32_t wanted,
                                          plat_handle *h,
                                          struct plat_net_info *info)
{
    (void)wanted;
    return plat_net_acquire(name, h, info);
}

/* The largest frame acquired network device e moves. */
static size_t max_frame(const struct solo5_mft_entry *e)
{
    return (size_t)e->u.net_basic.mtu + ETHERNET_HEADER;
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || len > max_frame(e))
        return PLAT_EINVAL;
    return solo5_net_send(h, e, buf, len);
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || size < max_frame(e))
        return PLAT_EINVAL;
    return solo5_net_receive(h, e, buf, size, read);
}

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

/* One block of acquired block device h at a block-aligned offset within
 * the capacity, or PLAT_EINVAL. */
static enum plat_result block_io(plat_handle h, bool write, uint64_t offset,
                                 void *buf, size_t size)
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
    return solo5_block_transfer(h, e, write, offset, buf, size);
}

enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    /* The transport only reads buf when writing. */
    return block_io(h, true, offset, (void *)(uintptr_t)buf, size);
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    return block_io(h, false, offset, buf, size);
}
