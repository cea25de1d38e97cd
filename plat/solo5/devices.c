/* plat.h's network and block device calls on the Solo5-style targets:
 * lookup in the manifest and checks, then the target's transport (see
 * devices.h). */
#include "devices.h"
#include "ext.h"
#include "manifest.h"

_Static_assert(PLAT_NET_OFFLOAD_CSUM == MIRAGE_NET_OFFLOAD_CSUM &&
                   PLAT_NET_OFFLOAD_TSO4 == MIRAGE_NET_OFFLOAD_TSO4 &&
                   PLAT_NET_OFFLOAD_TSO6 == MIRAGE_NET_OFFLOAD_TSO6 &&
                   PLAT_NET_GSO_MAX == MIRAGE_NET_GSO_MAX,
               "plat.h's offloads are the ABI's");

/* The offloads each network device was switched to, by handle. */
static uint8_t net_on[SOLO5_MFT_MAX_ENTRIES];

uint32_t solo5_net_offloads(plat_handle h)
{
    return h < SOLO5_MFT_MAX_ENTRIES ? net_on[h] : 0;
}

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

/* Offloads where the tender granted MIRAGE_EXT_NET_VHDR for the device
 * (the tap takes them): switched to those of `wanted` it can take;
 * anywhere else, or if switching fails, bare frames. */
enum plat_result plat_net_acquire_offload(const char *name, uint32_t wanted,
                                          plat_handle *h,
                                          struct plat_net_info *info)
{
    enum plat_result r = plat_net_acquire(name, h, info);
    if (r != PLAT_OK || !solo5_ext_granted(MIRAGE_EXT_NET_VHDR) ||
        *h >= SOLO5_MFT_MAX_ENTRIES)
        return r;
    uint32_t s = wanted & solo5_ext.net_vhdr[*h];
    if (!(s & MIRAGE_NET_OFFLOAD_CSUM)) /* TSO needs it */
        return PLAT_OK;
    if (solo5_net_offload(*h, solo5_mft_device(*h, SOLO5_MFT_DEV_NET_BASIC),
                          s) == PLAT_OK) {
        net_on[*h] = (uint8_t)s;
        info->offloads = s;
    }
    return PLAT_OK;
}

/* The largest frame acquired network device h (entry e) moves, its
 * virtio-net header included if it has one. */
static size_t max_frame(plat_handle h, const struct solo5_mft_entry *e)
{
    return mirage_net_frame_max(e->u.net_basic.mtu, solo5_net_offloads(h));
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || len > max_frame(h, e))
        return PLAT_EINVAL;
    return solo5_net_send(h, e, buf, len);
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    const struct solo5_mft_entry *e =
        solo5_mft_device(h, SOLO5_MFT_DEV_NET_BASIC);
    if (e == NULL || size < max_frame(h, e))
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
