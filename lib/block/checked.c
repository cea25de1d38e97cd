/* The block interface's checked entry points (include/mirage/block.h):
 * every request is validated here, once, before it reaches a driver. */
#include <mirage/block.h>
#include <mirage/error.h>

/* 0 if [sector, sector + len / sector_size) is a whole-sector range inside
 * the device, else MIRAGE_ERANGE (MIRAGE_EINVAL for a NULL buffer). */
static int check_request(const struct mirage_block *b, uint64_t sector,
                         const void *buf, size_t len)
{
    if (!buf)
        return MIRAGE_EINVAL;
    uint32_t ss = b->info.sector_size;
    if (len == 0 || len % ss != 0)
        return MIRAGE_ERANGE;
    uint64_t count = len / ss;
    if (sector >= b->info.sectors || b->info.sectors - sector < count)
        return MIRAGE_ERANGE;
    return 0;
}

int mirage_block_read(struct mirage_block *b, uint64_t sector, void *buf,
                      size_t len)
{
    if (!b)
        return MIRAGE_EINVAL;
    int r = check_request(b, sector, buf, len);
    return r ? r : b->ops->read(b, sector, buf, len);
}

int mirage_block_write(struct mirage_block *b, uint64_t sector, const void *buf,
                       size_t len)
{
    if (!b)
        return MIRAGE_EINVAL;
    int r = check_request(b, sector, buf, len);
    if (r)
        return r;
    if (!b->info.read_write)
        return MIRAGE_EROFS;
    return b->ops->write(b, sector, buf, len);
}

void mirage_block_disconnect(struct mirage_block *b)
{
    if (b)
        b->ops->disconnect(b);
}
