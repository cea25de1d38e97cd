/* ramdisk: a block device in memory. Storage is kept in 64 KiB chunks
 * allocated when first written, so a large disk costs nothing until used
 * and unwritten sectors read as zeros. Disks made by connect_ramdisk are
 * shared by name and live until exit. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE        65536u
#define RAMDISK_MAX_BYTES (1ull << 40)

struct ramdisk {
    struct mirage_block b;
    unsigned char **chunks; /* NULL entries read as zeros */
    size_t nchunks;
    char *name;
    bool shared;
    struct ramdisk *next; /* in the list of shared disks */
};

static struct ramdisk *shared_disks;

static int ram_read(struct mirage_block *b, uint64_t sector, void *buf,
                    size_t len)
{
    struct ramdisk *r = (struct ramdisk *)b;
    uint64_t pos = sector * b->info.sector_size;
    unsigned char *p = buf;
    while (len > 0) {
        size_t off = (size_t)(pos % CHUNK_SIZE);
        size_t n = CHUNK_SIZE - off < len ? CHUNK_SIZE - off : len;
        const unsigned char *c = r->chunks[pos / CHUNK_SIZE];
        if (c)
            memcpy(p, c + off, n);
        else
            memset(p, 0, n);
        p += n;
        pos += n;
        len -= n;
    }
    return 0;
}

/* Chunks are allocated before anything is copied, so running out of
 * memory leaves the disk unchanged. */
static int ram_write(struct mirage_block *b, uint64_t sector, const void *buf,
                     size_t len)
{
    struct ramdisk *r = (struct ramdisk *)b;
    uint64_t pos = sector * b->info.sector_size;
    for (uint64_t c = pos / CHUNK_SIZE; c <= (pos + len - 1) / CHUNK_SIZE;
         c++) {
        if (!r->chunks[c] && !(r->chunks[c] = calloc(1, CHUNK_SIZE)))
            return MIRAGE_ENOMEM;
    }
    const unsigned char *p = buf;
    while (len > 0) {
        size_t off = (size_t)(pos % CHUNK_SIZE);
        size_t n = CHUNK_SIZE - off < len ? CHUNK_SIZE - off : len;
        memcpy(r->chunks[pos / CHUNK_SIZE] + off, p, n);
        p += n;
        pos += n;
        len -= n;
    }
    return 0;
}

static void ram_disconnect(struct mirage_block *b)
{
    struct ramdisk *r = (struct ramdisk *)b;
    if (r->shared) {
        struct ramdisk **p = &shared_disks;
        while (*p != r)
            p = &(*p)->next;
        *p = r->next;
    }
    for (size_t i = 0; i < r->nchunks; i++)
        free(r->chunks[i]);
    free(r->chunks);
    free(r->name);
    free(r);
}

static const struct mirage_block_ops ram_ops = {
    .read = ram_read,
    .write = ram_write,
    .disconnect = ram_disconnect,
};

int mirage_block_ramdisk_create(struct mirage_block **out, const char *name,
                                uint64_t sectors, uint32_t sector_size,
                                bool read_write)
{
    if (!out)
        return MIRAGE_EINVAL;
    *out = NULL;
    if (!name || !*name || sectors == 0 || sector_size < 512 ||
        sector_size > CHUNK_SIZE || (sector_size & (sector_size - 1)) != 0 ||
        sectors > RAMDISK_MAX_BYTES / sector_size)
        return MIRAGE_EINVAL;
    uint64_t bytes = sectors * sector_size;
    uint64_t nchunks = bytes / CHUNK_SIZE + (bytes % CHUNK_SIZE != 0);
    struct ramdisk *r = calloc(1, sizeof *r);
    if (!r)
        return MIRAGE_ENOMEM;
    r->chunks = calloc((size_t)nchunks, sizeof *r->chunks);
    r->name = strdup(name);
    if (!r->chunks || !r->name) {
        free(r->chunks);
        free(r->name);
        free(r);
        return MIRAGE_ENOMEM;
    }
    r->nchunks = (size_t)nchunks;
    r->b = (struct mirage_block){
        .ops = &ram_ops,
        .name = r->name,
        .info = {.sector_size = sector_size,
                 .sectors = sectors,
                 .read_write = read_write},
    };
    *out = &r->b;
    return 0;
}

int mirage_block_connect_ramdisk(struct mirage_block **out, const char *name,
                                 uint64_t sectors)
{
    if (!out || !name)
        return MIRAGE_EINVAL;
    for (struct ramdisk *r = shared_disks; r; r = r->next) {
        if (strcmp(r->name, name) == 0) {
            *out = &r->b;
            return 0;
        }
    }
    int err = mirage_block_ramdisk_create(out, name, sectors, 512, true);
    if (err)
        return err;
    struct ramdisk *r = (struct ramdisk *)*out;
    r->shared = true;
    r->next = shared_disks;
    shared_disks = r;
    return 0;
}
