/* libFuzzer target: lib/fat on arbitrary disk images. Each input is a
 * disk (padded to whole 512-byte sectors); if it mounts, the tree is
 * walked (bounded depth and breadth), every file read, and a few writes,
 * renames and removals tried. Any error return is fine; a crash, a hang,
 * a leak or a sanitizer report is a bug. */
#include <mirage/block.h>
#include <mirage/fs.h>
#include <mirage/log.h>
#include <mirage/plat.h>
#include <stdio.h>
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

static char buf[65536];

static void walk(struct mirage_fs *fs, const char *path, int depth)
{
    struct mirage_fs_entry *v;
    size_t n;
    if (depth > 6 || mirage_fs_listdir(fs, path, &v, &n) != 0)
        return;
    for (size_t i = 0; i < n && i < 32; i++) {
        char child[1024];
        snprintf(child, sizeof(child), "%s/%s", path, v[i].name);
        struct mirage_fs_stat st;
        size_t got;
        mirage_fs_stat(fs, child, &st);
        if (v[i].directory)
            walk(fs, child, depth + 1);
        else
            mirage_fs_read(fs, child, 0, buf, sizeof(buf), &got);
    }
    mirage_fs_entries_free(v, n);
}

static void change(struct mirage_fs *fs)
{
    memset(buf, 'x', 5000);
    mirage_fs_create(fs, "a fuzzed long name.txt");
    mirage_fs_write(fs, "a fuzzed long name.txt", 100, buf, 5000);
    mirage_fs_mkdir(fs, "DIR");
    mirage_fs_rename(fs, "a fuzzed long name.txt", "DIR/moved");
    mirage_fs_truncate(fs, "DIR/moved", 10);
    mirage_fs_destroy(fs, "DIR/moved");
    mirage_fs_destroy(fs, "DIR");
    struct mirage_fs_entry *v;
    size_t n;
    if (mirage_fs_listdir(fs, "", &v, &n) == 0 && n > 0) {
        char path[1024];
        snprintf(path, sizeof(path), "%s", v[0].name);
        mirage_fs_write(fs, path, 0, buf, 700);
        mirage_fs_rename(fs, path, "renamed");
        mirage_fs_destroy(fs, "renamed");
    }
    if (n > 0)
        mirage_fs_entries_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t sectors = (size + 511) / 512;
    struct mirage_block *b;
    if (sectors == 0 ||
        mirage_block_ramdisk_create(&b, "fuzz", sectors, 512, true) != 0)
        return 0;
    uint8_t *copy = calloc(sectors, 512);
    memcpy(copy, data, size);
    mirage_block_write(b, 0, copy, sectors * 512);
    free(copy);
    struct mirage_fs *fs;
    if (mirage_fs_connect_fat(&fs, b) == 0) {
        walk(fs, "", 0);
        change(fs);
        walk(fs, "", 0);
        mirage_fs_disconnect(fs);
    }
    mirage_block_disconnect(b);
    return 0;
}
