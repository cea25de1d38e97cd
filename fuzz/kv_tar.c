/* libFuzzer target: the archive store (lib/kv/tar.c, archive.c) on
 * arbitrary tar images. Each input is a disk (padded to whole 512-byte
 * sectors); if it indexes, every dictionary is listed (bounded depth and
 * breadth) and every value read whole, in part and hashed. Any error
 * return is fine; a crash, a hang, a leak or a sanitizer report is a bug. */
#include <mirage/block.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The library's only outside calls besides the block device. */
void mirage_log_msg(struct mirage_log_src *src, enum mirage_log_level l,
                    const char *fmt, ...)
{
    (void)src, (void)l, (void)fmt;
}
uint64_t plat_clock_wall(void)
{
    return 1700000000ull * 1000000000ull;
}

static void walk(struct mirage_kv_ro *kv, const char *key, int depth)
{
    struct mirage_kv_list l;
    uint8_t digest[MIRAGE_KV_DIGEST_SIZE];
    uint64_t n;
    if (depth > 8 || mirage_kv_ro_list(kv, key, &l) != 0)
        return;
    mirage_kv_ro_last_modified(kv, key, &n);
    for (size_t i = 0; i < l.count && i < 64; i++) {
        const char *k = l.entries[i].key;
        if (l.entries[i].kind == MIRAGE_KV_DICTIONARY) {
            walk(kv, k, depth + 1);
            continue;
        }
        void *v;
        size_t len;
        if (mirage_kv_ro_get(kv, k, &v, &len) == 0)
            free(v);
        if (mirage_kv_ro_get_partial(kv, k, 100, 1000, &v, &len) == 0)
            free(v);
        mirage_kv_ro_size(kv, k, &n);
        mirage_kv_ro_digest(kv, k, digest);
    }
    mirage_kv_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t sectors = size / 512 + 1;
    struct mirage_block *disk;
    if (mirage_block_ramdisk_create(&disk, "fuzz", sectors, 512, true) != 0)
        return 0;
    unsigned char *img = calloc(sectors, 512);
    if (!img) {
        mirage_block_disconnect(disk);
        return 0;
    }
    memcpy(img, data, size);
    mirage_block_write(disk, 0, img, sectors * 512);
    free(img);
    struct mirage_kv_ro *kv;
    if (mirage_kv_ro_connect_archive(&kv, disk) == 0) {
        uint8_t digest[MIRAGE_KV_DIGEST_SIZE];
        walk(kv, "", 0);
        mirage_kv_ro_digest(kv, "", digest);
        mirage_kv_ro_disconnect(kv);
    }
    mirage_block_disconnect(disk);
    return 0;
}
