/* plat_block_* over one in-memory device for the block tests; checks
 * requests as strictly as plat.h says the platforms do. */
#include "fake_plat_block.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long fake_block_fail_at;
bool fake_block_acquire_fails;

static char dev_name[256];
static unsigned char *dev_data;
static struct plat_block_info dev_info;
static unsigned long calls;

static void release(void)
{
    free(dev_data);
    dev_data = NULL;
}

void fake_block_setup(const char *name, uint64_t capacity, uint64_t block_size,
                      bool read_only)
{
    static bool registered;
    if (!registered) {
        atexit(release);
        registered = true;
    }
    free(dev_data);
    dev_data = calloc(1, capacity ? capacity : 1);
    snprintf(dev_name, sizeof dev_name, "%s", name);
    dev_info = (struct plat_block_info){capacity, block_size, read_only};
    calls = 0;
    fake_block_fail_at = 0;
    fake_block_acquire_fails = false;
}

unsigned char *fake_block_data(void)
{
    return dev_data;
}

enum plat_result plat_block_acquire(const char *name, plat_handle *h,
                                    struct plat_block_info *info)
{
    if (fake_block_acquire_fails)
        return PLAT_EUNSPEC;
    if (!dev_data || strcmp(name, dev_name) != 0)
        return PLAT_EINVAL;
    *h = 7;
    *info = dev_info;
    return PLAT_OK;
}

static bool bad(plat_handle h, uint64_t offset, size_t size)
{
    return h != 7 || size != dev_info.block_size ||
           offset % dev_info.block_size != 0 || offset >= dev_info.capacity ||
           dev_info.capacity - offset < size;
}

enum plat_result plat_block_write(plat_handle h, uint64_t offset,
                                  const void *buf, size_t size)
{
    if (bad(h, offset, size) || dev_info.read_only)
        return PLAT_EINVAL;
    if (++calls == fake_block_fail_at)
        return PLAT_EUNSPEC;
    memcpy(dev_data + offset, buf, size);
    return PLAT_OK;
}

enum plat_result plat_block_read(plat_handle h, uint64_t offset, void *buf,
                                 size_t size)
{
    if (bad(h, offset, size))
        return PLAT_EINVAL;
    if (++calls == fake_block_fail_at)
        return PLAT_EUNSPEC;
    memcpy(buf, dev_data + offset, size);
    return PLAT_OK;
}
