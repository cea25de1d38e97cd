/* block_of_file: a block device over the platform's block calls
 * (plat_block_*), which move one platform block at a time. The sector
 * size is the platform's block size, so a multi-sector request is a loop
 * of single-block calls. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

struct file_block {
    struct mirage_block b;
    plat_handle h;
    char *name;
};

static int file_read(struct mirage_block *b, uint64_t sector, void *buf,
                     size_t len)
{
    struct file_block *f = (struct file_block *)b;
    uint32_t ss = b->info.sector_size;
    unsigned char *p = buf;
    for (size_t done = 0; done < len; done += ss, sector++)
        if (plat_block_read(f->h, sector * ss, p + done, ss) != PLAT_OK)
            return MIRAGE_EIO;
    return 0;
}

static int file_write(struct mirage_block *b, uint64_t sector, const void *buf,
                      size_t len)
{
    struct file_block *f = (struct file_block *)b;
    uint32_t ss = b->info.sector_size;
    const unsigned char *p = buf;
    for (size_t done = 0; done < len; done += ss, sector++)
        if (plat_block_write(f->h, sector * ss, p + done, ss) != PLAT_OK)
            return MIRAGE_EIO;
    return 0;
}

/* The platform has no call to release a handle: the device stays
 * acquired, only our memory goes. */
static void file_disconnect(struct mirage_block *b)
{
    struct file_block *f = (struct file_block *)b;
    free(f->name);
    free(f);
}

static const struct mirage_block_ops file_ops = {
    .read = file_read,
    .write = file_write,
    .disconnect = file_disconnect,
};

int mirage_block_connect_file(struct mirage_block **out, const char *name)
{
    if (!out || !name || !*name)
        return MIRAGE_EINVAL;
    *out = NULL;
    struct file_block *f = calloc(1, sizeof *f);
    char *copy = strdup(name);
    if (!f || !copy) {
        free(f);
        free(copy);
        return MIRAGE_ENOMEM;
    }
    struct plat_block_info info;
    enum plat_result r = plat_block_acquire(name, &f->h, &info);
    if (r != PLAT_OK || info.block_size < 512 || info.block_size > 65536 ||
        (info.block_size & (info.block_size - 1)) != 0) {
        free(f);
        free(copy);
        return r == PLAT_EINVAL ? MIRAGE_ENOENT : MIRAGE_EIO;
    }
    f->name = copy;
    f->b = (struct mirage_block){
        .ops = &file_ops,
        .name = copy,
        .info =
            {
                .sector_size = (uint32_t)info.block_size,
                .sectors = info.capacity / info.block_size,
                .read_write = !info.read_only,
            },
    };
    *out = &f->b;
    return 0;
}
