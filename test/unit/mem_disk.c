/* The in-memory disk of mem_disk.h (hosted). */
#include "mem_disk.h"

#include <mirage/error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mem_disk {
    struct mirage_block b;
    unsigned char *data;
    long fail_after;
    unsigned long writes;
};

static int md_read(struct mirage_block *b, uint64_t sector, void *buf,
                   size_t len)
{
    struct mem_disk *d = (struct mem_disk *)b;
    memcpy(buf, d->data + sector * b->info.sector_size, len);
    return 0;
}

static int md_write(struct mirage_block *b, uint64_t sector, const void *buf,
                    size_t len)
{
    struct mem_disk *d = (struct mem_disk *)b;
    if (d->fail_after == 0)
        return MIRAGE_EIO;
    if (d->fail_after > 0)
        d->fail_after--;
    d->writes++;
    memcpy(d->data + sector * b->info.sector_size, buf, len);
    return 0;
}

static void md_disconnect(struct mirage_block *b)
{
    struct mem_disk *d = (struct mem_disk *)b;
    free(d->data);
    free(d);
}

static const struct mirage_block_ops md_ops = {md_read, md_write,
                                               md_disconnect};

struct mirage_block *mem_disk_from(const void *data, size_t len,
                                   uint32_t sector_size, bool read_write)
{
    struct mem_disk *d = calloc(1, sizeof(*d));
    size_t sectors = (len + sector_size - 1) / sector_size;
    d->data = calloc(sectors ? sectors : 1, sector_size);
    memcpy(d->data, data, len);
    d->b.ops = &md_ops;
    d->b.name = "mem_disk";
    d->b.info = (struct mirage_block_info){sector_size, sectors, read_write};
    d->fail_after = -1;
    return &d->b;
}

struct mirage_block *mem_disk_load(const char *path, uint32_t sector_size,
                                   bool read_write)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *buf = malloc(size > 0 ? (size_t)size : 1);
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    struct mirage_block *b = NULL;
    if (got != (size_t)size || size % sector_size != 0)
        fprintf(stderr, "%s: cannot load as a disk\n", path);
    else
        b = mem_disk_from(buf, (size_t)size, sector_size, read_write);
    free(buf);
    return b;
}

int mem_disk_save(struct mirage_block *b, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t len = (size_t)(b->info.sectors * b->info.sector_size);
    size_t put = fwrite(mem_disk_data(b), 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

unsigned char *mem_disk_data(struct mirage_block *b)
{
    return ((struct mem_disk *)b)->data;
}

void mem_disk_fail_after(struct mirage_block *b, long writes)
{
    ((struct mem_disk *)b)->fail_after = writes;
}

unsigned long mem_disk_writes(struct mirage_block *b)
{
    return ((struct mem_disk *)b)->writes;
}
