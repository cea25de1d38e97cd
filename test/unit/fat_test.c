/* Tests of lib/fat through the mirage_fs interface, on images made by
 * mkfs.fat: files, directories, long and short names, renames, sparse
 * writes and truncation, a full disk, read-only devices, and corrupt
 * images (bad boot sectors, cyclic, out-of-range and short chains). */
#include <mirage/error.h>
#include <mirage/fs.h>
#include <stdlib.h>
#include <string.h>

#include "fat_image.h"
#include "mem_disk.h"
#include "test.h"

static int put(struct mirage_fs *fs, const char *path, const char *text)
{
    int r = mirage_fs_create(fs, path);
    return r ? r : mirage_fs_write(fs, path, 0, text, strlen(text));
}

/* The whole file as a string (static buffer), or "" on error. */
static const char *get(struct mirage_fs *fs, const char *path)
{
    static char buf[65536];
    size_t got = 0;
    if (mirage_fs_read(fs, path, 0, buf, sizeof(buf) - 1, &got) != 0)
        got = 0;
    buf[got] = 0;
    return buf;
}

/* A fresh image of the given type and size, mounted. */
static int fresh(struct mounted *m, unsigned bits, unsigned kib)
{
    char opts[32];
    snprintf(opts, sizeof(opts), "-F %u -s 1", bits);
    const char *path = make_image("fresh.img", kib, opts);
    return path ? mount_image(path, m) : -1;
}

/* fsck.fat -n on the disk's current bytes: its exit status. */
static int fsck(struct mounted *m)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/check.img", scratch_dir());
    if (mem_disk_save(m->disk, path) != 0)
        return -1;
    return run(NULL, "fsck.fat -n check.img");
}

static void basic_files(unsigned bits, unsigned kib)
{
    struct mounted m;
    CHECK_INT(fresh(&m, bits, kib), 0);
    struct mirage_fs *fs = m.fs;
    CHECK_INT(put(fs, "hello.txt", "hello, world\n"), 0);
    CHECK_STR(get(fs, "hello.txt"), "hello, world\n");
    CHECK_STR(get(fs, "/HELLO.TXT"), "hello, world\n");
    uint64_t size;
    CHECK_INT(mirage_fs_size(fs, "hello.txt", &size), 0);
    CHECK_INT(size, 13);
    struct mirage_fs_stat st;
    CHECK_INT(mirage_fs_stat(fs, "hello.txt", &st), 0);
    CHECK(!st.directory && st.size == 13 && st.mtime_ns > 0);
    CHECK_INT(mirage_fs_stat(fs, "", &st), 0);
    CHECK(st.directory);
    CHECK_INT(mirage_fs_mkdir(fs, "dir"), 0);
    CHECK_INT(mirage_fs_mkdir(fs, "dir/sub"), 0);
    CHECK_INT(put(fs, "dir/sub/deep file.txt", "deep"), 0);
    CHECK_STR(get(fs, "dir/sub/deep file.txt"), "deep");
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(fs, "/", &v, &n), 0);
    CHECK_INT(n, 2);
    CHECK_STR(v[0].name, "hello.txt");
    CHECK(!v[0].directory);
    CHECK_STR(v[1].name, "dir");
    CHECK(v[1].directory);
    mirage_fs_entries_free(v, n);
    CHECK_INT(mirage_fs_listdir(fs, "dir/sub", &v, &n), 0);
    CHECK_INT(n, 1);
    CHECK_STR(v[0].name, "deep file.txt");
    mirage_fs_entries_free(v, n);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(fat12_files)
{
    basic_files(12, 1440);
}
TEST(fat16_files)
{
    basic_files(16, 8192);
}
TEST(fat32_files)
{
    basic_files(32, 4096);
}

TEST(errors_of_paths)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 12, 1440), 0);
    struct mirage_fs *fs = m.fs;
    CHECK_INT(put(fs, "f", "x"), 0);
    CHECK_INT(mirage_fs_create(fs, "F"), MIRAGE_EEXIST);
    CHECK_INT(mirage_fs_mkdir(fs, "f"), MIRAGE_EEXIST);
    CHECK_INT(mirage_fs_create(fs, "a//b"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "./b"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, ".."), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "a:b"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "trailing."), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "bad\xff"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "overlong \xc0\xaf"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "surrogate \xed\xa0\x80"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "cut \xe2\x98"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "big \xf4\x90\x80\x80"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "tab\there"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, ""), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_create(fs, "f/x"), MIRAGE_ENOTDIR);
    CHECK_INT(mirage_fs_create(fs, "nodir/x"), MIRAGE_ENOENT);
    CHECK_INT(mirage_fs_destroy(fs, "missing"), MIRAGE_ENOENT);
    CHECK_INT(mirage_fs_destroy(fs, "/"), MIRAGE_EINVAL);
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(fs, "f", &v, &n), MIRAGE_ENOTDIR);
    char buf[4];
    size_t got;
    CHECK_INT(mirage_fs_read(fs, "", 0, buf, 4, &got), MIRAGE_EISDIR);
    uint64_t size;
    CHECK_INT(mirage_fs_size(fs, "/", &size), MIRAGE_EISDIR);
    CHECK_INT(mirage_fs_write(fs, "/", 0, "x", 1), MIRAGE_EISDIR);
    CHECK_INT(mirage_fs_truncate(fs, "", 0), MIRAGE_EISDIR);
    CHECK_INT(mirage_fs_write(fs, "f", 0, NULL, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_write(fs, "f", 0xFFFFFFFFull, "x", 1), MIRAGE_ENOSPC);
    CHECK_INT(mirage_fs_truncate(fs, "f", 0x100000000ull), MIRAGE_ENOSPC);
    CHECK_INT(mirage_fs_read(fs, "f", 5, buf, 4, &got), 0);
    CHECK_INT(got, 0);
    /* Times: two-second steps, clamped to 1980 .. 2107. */
    struct mirage_fs_stat st;
    CHECK_INT(mirage_fs_set_mtime(fs, "f", 1600000001123456789ull), 0);
    CHECK_INT(mirage_fs_stat(fs, "f", &st), 0);
    CHECK_INT(st.mtime_ns, 1600000000000000000ull);
    CHECK_INT(mirage_fs_set_mtime(fs, "f", 0), 0);
    CHECK_INT(mirage_fs_stat(fs, "f", &st), 0);
    CHECK_INT(st.mtime_ns, 315532800000000000ull); /* 1980-01-01 */
    CHECK_INT(mirage_fs_set_mtime(fs, "", 0), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_set_mtime(fs, "nothing", 0), MIRAGE_ENOENT);
    char name[300];
    memset(name, 'n', 255);
    name[255] = 0;
    CHECK_INT(mirage_fs_create(fs, name), 0);
    CHECK_INT(mirage_fs_stat(fs, name, &(struct mirage_fs_stat){0}), 0);
    name[255] = 'n', name[256] = 0;
    CHECK_INT(mirage_fs_create(fs, name), MIRAGE_ENAMETOOLONG);
    CHECK_INT(mirage_fs_stat(fs, name, &(struct mirage_fs_stat){0}),
              MIRAGE_ENAMETOOLONG);
    CHECK_INT(mirage_fs_mkdir(fs, "d"), 0);
    CHECK_INT(put(fs, "d/x", "x"), 0);
    CHECK_INT(mirage_fs_destroy(fs, "d"), MIRAGE_ENOTEMPTY);
    CHECK_INT(mirage_fs_destroy(fs, "d/x"), 0);
    CHECK_INT(mirage_fs_destroy(fs, "d"), 0);
    CHECK_INT(mirage_fs_stat(fs, "d", &(struct mirage_fs_stat){0}),
              MIRAGE_ENOENT);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(long_and_short_names)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 16, 8192), 0);
    struct mirage_fs *fs = m.fs;
    CHECK_INT(put(fs, "longfilename one.txt", "1"), 0);
    CHECK_INT(put(fs, "longfilename two.txt", "2"), 0);
    CHECK_INT(put(fs, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83.txt", "3"), 0);
    CHECK_INT(put(fs, "emoji \xf0\x9f\x98\x80", "4"), 0);
    CHECK_INT(put(fs, "lower.txt", "5"), 0);
    CHECK_INT(put(fs, ".hidden", "6"), 0);
    /* The generated short names answer too. */
    CHECK_STR(get(fs, "LONGFI~1.TXT"), "1");
    CHECK_STR(get(fs, "longfi~2.txt"), "2");
    CHECK_STR(get(fs, "LOWER.TXT"), "5");
    CHECK_STR(get(fs, "HIDDEN~1"), "6");
    CHECK_STR(get(fs, "H\xc3\xa9LLO W\xc3\xb6RLD \xe2\x98\x83.TXT"), "3");
    CHECK_STR(get(fs, "emoji \xf0\x9f\x98\x80"), "4");
    CHECK_INT(mirage_fs_create(fs, "LONGFI~1.TXT"), MIRAGE_EEXIST);
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(fs, "", &v, &n), 0);
    CHECK_INT(n, 6);
    CHECK_STR(v[2].name, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83.txt");
    CHECK_STR(v[3].name, "emoji \xf0\x9f\x98\x80");
    mirage_fs_entries_free(v, n);
    char out[4096];
    CHECK_INT(fsck(&m), 0);
    char *listing;
    CHECK_INT(run(&listing, "mdir -i check.img -b ::/"), 0);
    snprintf(out, sizeof(out), "%s", listing);
    free(listing);
    CHECK(strstr(out, "::/longfilename one.txt"));
    CHECK(strstr(out, "::/.hidden"));
    unmount_image(&m, NULL);
}

TEST(rename)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 32, 4096), 0);
    struct mirage_fs *fs = m.fs;
    CHECK_INT(put(fs, "a", "A"), 0);
    CHECK_INT(put(fs, "b", "B"), 0);
    CHECK_INT(mirage_fs_mkdir(fs, "d"), 0);
    CHECK_INT(mirage_fs_mkdir(fs, "d/e"), 0);
    CHECK_INT(put(fs, "d/e/f", "F"), 0);
    CHECK_INT(mirage_fs_rename(fs, "a", "a"), 0);
    CHECK_INT(mirage_fs_rename(fs, "a", "A renamed"), 0);
    CHECK_STR(get(fs, "a renamed"), "A");
    CHECK_INT(mirage_fs_stat(fs, "a", &(struct mirage_fs_stat){0}),
              MIRAGE_ENOENT);
    CHECK_INT(mirage_fs_rename(fs, "a renamed", "B"), 0); /* replaces b */
    CHECK_STR(get(fs, "b"), "A");
    CHECK_INT(mirage_fs_rename(fs, "b", "d"), MIRAGE_EISDIR);
    CHECK_INT(mirage_fs_rename(fs, "d", "b"), MIRAGE_ENOTDIR);
    CHECK_INT(mirage_fs_rename(fs, "d", "d/e/inside"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_rename(fs, "/", "x"), MIRAGE_EINVAL);
    CHECK_INT(mirage_fs_rename(fs, "missing", "x"), MIRAGE_ENOENT);
    CHECK_INT(mirage_fs_rename(fs, "d/e", "moved"), 0);
    CHECK_STR(get(fs, "moved/f"), "F");
    CHECK_INT(mirage_fs_rename(fs, "moved", "d/back"), 0);
    CHECK_STR(get(fs, "d/back/f"), "F");
    CHECK_INT(mirage_fs_rename(fs, "d", "D"), 0); /* a change of case */
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(fs, "", &v, &n), 0);
    CHECK_INT(n, 2);
    CHECK_STR(v[1].name, "D");
    mirage_fs_entries_free(v, n);
    /* fsck checks the ".." entries of the moved directories. */
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(sparse_writes_and_truncate)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 12, 1440), 0);
    struct mirage_fs *fs = m.fs;
    static unsigned char data[20000], back[30000];
    fill_pattern(data, sizeof(data), 1);
    CHECK_INT(mirage_fs_create(fs, "s"), 0);
    /* A gap before the first byte reads as zeros. */
    CHECK_INT(mirage_fs_write(fs, "s", 5000, data, 3000), 0);
    size_t got;
    CHECK_INT(mirage_fs_read(fs, "s", 0, back, sizeof(back), &got), 0);
    CHECK_INT(got, 8000);
    for (size_t i = 0; i < 5000; i++)
        CHECK_INT(back[i], 0);
    CHECK(memcmp(back + 5000, data, 3000) == 0);
    /* Overwrite across cluster boundaries. */
    CHECK_INT(mirage_fs_write(fs, "s", 1000, data + 100, 6000), 0);
    CHECK_INT(mirage_fs_read(fs, "s", 1000, back, 6000, &got), 0);
    CHECK(got == 6000 && memcmp(back, data + 100, 6000) == 0);
    CHECK_INT(mirage_fs_truncate(fs, "s", 700), 0);
    CHECK_INT(mirage_fs_truncate(fs, "s", 4000), 0);
    CHECK_INT(mirage_fs_read(fs, "s", 0, back, sizeof(back), &got), 0);
    CHECK_INT(got, 4000);
    for (size_t i = 700; i < 4000; i++)
        CHECK_INT(back[i], 0);
    CHECK_INT(mirage_fs_truncate(fs, "s", 0), 0);
    CHECK_INT(mirage_fs_read(fs, "s", 0, back, 10, &got), 0);
    CHECK_INT(got, 0);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

/* Files written interleaved get fragmented chains; reads at odd offsets
 * cross the fragments. */
TEST(fragmented_files)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 16, 8192), 0);
    struct mirage_fs *fs = m.fs;
    enum { CHUNK = 700, ROUNDS = 40 };
    static unsigned char data[2][CHUNK * ROUNDS], back[CHUNK * ROUNDS];
    fill_pattern(data[0], sizeof(data[0]), 7);
    fill_pattern(data[1], sizeof(data[1]), 8);
    CHECK_INT(mirage_fs_create(fs, "one"), 0);
    CHECK_INT(mirage_fs_create(fs, "two"), 0);
    for (int i = 0; i < ROUNDS; i++) {
        CHECK_INT(mirage_fs_write(fs, "one", (uint64_t)i * CHUNK,
                                  data[0] + i * CHUNK, CHUNK),
                  0);
        CHECK_INT(mirage_fs_write(fs, "two", (uint64_t)i * CHUNK,
                                  data[1] + i * CHUNK, CHUNK),
                  0);
    }
    for (size_t off = 0; off < sizeof(back); off += 3001) {
        size_t got;
        CHECK_INT(mirage_fs_read(fs, "two", off, back, 5000, &got), 0);
        size_t want = sizeof(back) - off < 5000 ? sizeof(back) - off : 5000;
        CHECK_INT(got, want);
        CHECK(memcmp(back, data[1] + off, got) == 0);
    }
    size_t got;
    CHECK_INT(mirage_fs_read(fs, "one", 0, back, sizeof(back), &got), 0);
    CHECK(got == sizeof(back) && memcmp(back, data[0], got) == 0);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(full_disk)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 12, 200), 0);
    struct mirage_fs *fs = m.fs;
    static unsigned char data[4096];
    fill_pattern(data, sizeof(data), 3);
    CHECK_INT(mirage_fs_create(fs, "big"), 0);
    uint64_t off = 0;
    int r;
    while ((r = mirage_fs_write(fs, "big", off, data, sizeof(data))) == 0)
        off += sizeof(data);
    CHECK_INT(r, MIRAGE_ENOSPC);
    uint64_t size;
    CHECK_INT(mirage_fs_size(fs, "big", &size), 0);
    CHECK_INT(size, off); /* the failed write changed nothing */
    /* Fill the last clusters, then nothing fits. */
    while (mirage_fs_write(fs, "big", off, data, 512) == 0)
        off += 512;
    CHECK_INT(mirage_fs_mkdir(fs, "dir"), MIRAGE_ENOSPC);
    CHECK_INT(mirage_fs_truncate(fs, "big", off + 4096), MIRAGE_ENOSPC);
    CHECK_INT(fsck(&m), 0);
    CHECK_INT(mirage_fs_destroy(fs, "big"), 0);
    CHECK_INT(mirage_fs_mkdir(fs, "dir"), 0);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(full_root_directory)
{
    struct mounted m;
    const char *path = make_image("root16.img", 1440, "-F 12 -r 16");
    CHECK(path);
    CHECK_INT(mount_image(path, &m), 0);
    int r = 0, made = 0;
    char name[32];
    while (r == 0 && made < 100) {
        snprintf(name, sizeof(name), "F%d", made);
        if ((r = mirage_fs_create(m.fs, name)) == 0)
            made++;
    }
    CHECK_INT(r, MIRAGE_ENOSPC);
    CHECK_INT(made, 16);
    CHECK_INT(mirage_fs_create(m.fs, "a long name that needs slots"),
              MIRAGE_ENOSPC);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(growing_directories)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 32, 4096), 0);
    char name[64];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof(name), "a rather long file name number %03d", i);
        CHECK_INT(put(m.fs, name, name), 0);
    }
    CHECK_INT(mirage_fs_mkdir(m.fs, "sub"), 0);
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "sub/file%d", i);
        CHECK_INT(put(m.fs, name, name), 0);
    }
    for (int i = 0; i < 300; i += 37) {
        snprintf(name, sizeof(name), "a rather long file name number %03d", i);
        CHECK_STR(get(m.fs, name), name);
    }
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(m.fs, "", &v, &n), 0);
    mirage_fs_entries_free(v, n);
    CHECK_INT(n, 301);
    CHECK_INT(fsck(&m), 0);
    unmount_image(&m, NULL);
}

TEST(read_only_device)
{
    const char *path = make_image("ro.img", 1440, "-F 12");
    CHECK(path);
    struct mirage_block *disk = mem_disk_load(path, 512, false);
    struct mirage_fs *fs;
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), 0);
    CHECK_INT(mirage_fs_create(fs, "x"), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_mkdir(fs, "x"), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_write(fs, "x", 0, "x", 1), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_truncate(fs, "x", 0), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_destroy(fs, "x"), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_rename(fs, "x", "y"), MIRAGE_EROFS);
    CHECK_INT(mirage_fs_set_mtime(fs, "x", 0), MIRAGE_EROFS);
    struct mirage_fs_stat st;
    CHECK_INT(mirage_fs_stat(fs, "", &st), 0);
    CHECK(st.read_only);
    mirage_fs_disconnect(fs);
    mirage_block_disconnect(disk);
}

TEST(sector_sizes)
{
    /* 4096-byte FAT sectors on a 4096-byte device and on a 512-byte one;
     * 512-byte FAT sectors on a 4096-byte device cannot work. */
    const char *big = make_image("s4k.img", 8192, "-F 12 -S 4096");
    CHECK(big);
    struct mirage_fs *fs;
    struct mirage_block *disk = mem_disk_load(big, 4096, true);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), 0);
    CHECK_INT(put(fs, "file", "four k"), 0);
    CHECK_STR(get(fs, "FILE"), "four k");
    mirage_fs_disconnect(fs);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), 0);
    CHECK_STR(get(fs, "file"), "four k");
    mirage_fs_disconnect(fs);
    mem_disk_save(disk, big);
    mirage_block_disconnect(disk);
    CHECK_INT(run(NULL, "fsck.fat -n s4k.img"), 0);
    disk = mem_disk_load(big, 512, true);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), 0);
    CHECK_STR(get(fs, "file"), "four k");
    mirage_fs_disconnect(fs);
    mirage_block_disconnect(disk);
    const char *small = make_image("s512.img", 1440, "-F 12");
    disk = mem_disk_load(small, 4096, true);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), MIRAGE_ENOTSUP);
    mirage_block_disconnect(disk);
}

/* Mount the image at `path` after `edit` changed its boot sector. */
static int mount_edited(const char *path, void (*edit)(unsigned char *bs))
{
    struct mirage_block *disk = mem_disk_load(path, 512, true);
    if (!disk)
        return -100;
    edit(mem_disk_data(disk));
    struct mirage_fs *fs;
    int r = mirage_fs_connect_fat(&fs, disk);
    if (r == 0)
        mirage_fs_disconnect(fs);
    mirage_block_disconnect(disk);
    return r;
}

static void no_jump(unsigned char *bs)
{
    bs[0] = 0;
}
static void no_signature(unsigned char *bs)
{
    bs[511] = 0;
}
static void odd_sector_size(unsigned char *bs)
{
    bs[11] = 100, bs[12] = 0;
}
static void three_per_cluster(unsigned char *bs)
{
    bs[13] = 3;
}
static void no_reserved(unsigned char *bs)
{
    bs[14] = bs[15] = 0;
}
static void no_fats(unsigned char *bs)
{
    bs[16] = 0;
}
static void too_big(unsigned char *bs)
{
    bs[19] = 0xFF, bs[20] = 0xFF;
}
static void tiny_fat(unsigned char *bs)
{
    bs[22] = 1, bs[23] = 0;
}
static void huge_fat(unsigned char *bs)
{
    bs[22] = 0xFF, bs[23] = 0xFF;
}
static void no_fat(unsigned char *bs)
{
    bs[22] = 0, bs[23] = 0;
}
static void bad_root_cluster(unsigned char *bs)
{
    bs[44] = 0xFF, bs[45] = 0xFF, bs[46] = 0xFF, bs[47] = 0x0F;
}
static void fat32_version(unsigned char *bs)
{
    bs[42] = 1;
}
static void fat32_bad_active_fat(unsigned char *bs)
{
    bs[40] = 0x80 | 5; /* mirroring off, FAT 5 of 2 active */
}
static void fat32_no_fat(unsigned char *bs)
{
    memset(bs + 36, 0, 4);
}
static void no_clusters(unsigned char *bs)
{
    /* Sectors end one after the data start (at 33 on a 1.44 MB floppy
     * image), too few for a cluster of two. */
    bs[19] = 34, bs[20] = 0, bs[13] = 2;
}
static void one_sector_clusters(unsigned char *bs)
{
    bs[13] = 1;
}
static void huge_clusters(unsigned char *bs)
{
    bs[11] = 0, bs[12] = 0x10, bs[13] = 128; /* 4096 * 128 */
}

TEST(bad_boot_sectors)
{
    const char *p12 = make_image("boot12.img", 1440, "-F 12");
    const char *p32 = make_image("boot32.img", 4096, "-F 32");
    CHECK(p12 && p32);
    CHECK_INT(mount_edited(p12, no_jump), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, no_signature), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, odd_sector_size), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, three_per_cluster), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, no_reserved), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, no_fats), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, too_big), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, tiny_fat), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, no_fat), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, huge_fat), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, huge_clusters), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p32, bad_root_cluster), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p32, fat32_version), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p32, fat32_bad_active_fat), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p32, fat32_no_fat), MIRAGE_EBADF);
    CHECK_INT(mount_edited(p12, no_clusters), MIRAGE_EBADF);
    /* Twice the clusters of a 40 MB FAT16 image: too many for FAT16. */
    const char *p16 = make_image("boot16.img", 40000, "-F 16 -s 2");
    CHECK(p16);
    CHECK_INT(mount_edited(p16, one_sector_clusters), MIRAGE_EBADF);
    /* An all-zero disk, an empty one, and a truncated image. */
    static unsigned char zeros[65536];
    struct mirage_block *disk = mem_disk_from(zeros, sizeof(zeros), 512, true);
    struct mirage_fs *fs;
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), MIRAGE_EBADF);
    mirage_block_disconnect(disk);
    disk = mem_disk_from(zeros, 0, 512, true);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), MIRAGE_EBADF);
    mirage_block_disconnect(disk);
    struct mirage_block *full = mem_disk_load(p12, 512, true);
    disk = mem_disk_from(mem_disk_data(full), 8192, 512, true);
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), MIRAGE_EBADF);
    mirage_block_disconnect(disk);
    mirage_block_disconnect(full);
    CHECK_INT(mirage_fs_connect_fat(NULL, NULL), MIRAGE_EINVAL);
}

/* FAT32 with mirroring off uses and writes only the active FAT. */
TEST(fat32_active_fat)
{
    const char *path = make_image("active.img", 4096, "-F 32");
    CHECK(path);
    struct mirage_block *disk = mem_disk_load(path, 512, true);
    unsigned char *d = mem_disk_data(disk);
    d[40] = 0x81; /* mirroring off, FAT 1 active */
    unsigned reserved = d[14] | d[15] << 8;
    unsigned fatsz = d[36] | d[37] << 8 | d[38] << 16 | (unsigned)d[39] << 24;
    unsigned char *fat0 = d + reserved * 512, *fat1 = fat0 + fatsz * 512;
    unsigned char before[512];
    memcpy(before, fat0, sizeof(before));
    struct mirage_fs *fs;
    CHECK_INT(mirage_fs_connect_fat(&fs, disk), 0);
    CHECK_INT(put(fs, "file", "data"), 0);
    CHECK_STR(get(fs, "file"), "data");
    mirage_fs_disconnect(fs);
    CHECK(memcmp(fat0, before, sizeof(before)) == 0);
    CHECK(memcmp(fat1, before, sizeof(before)) != 0);
    mirage_block_disconnect(disk);
}

/* FAT16 image access for the corruption tests: entry c of the first FAT,
 * and the root directory's first short entry. */
static unsigned char *fat16_entry(struct mounted *m, unsigned c)
{
    unsigned char *d = mem_disk_data(m->disk);
    unsigned reserved = d[14] | d[15] << 8;
    return d + reserved * 512 + 2 * c;
}

static unsigned first_cluster(struct mounted *m, const char *name)
{
    /* The root directory follows the FATs. */
    unsigned char *d = mem_disk_data(m->disk);
    unsigned reserved = d[14] | d[15] << 8, fatsz = d[22] | d[23] << 8;
    unsigned char *e = d + (reserved + d[16] * fatsz) * 512;
    for (int i = 0; i < 512; i++, e += 32)
        if (memcmp(e, name, 11) == 0)
            return e[26] | e[27] << 8;
    return 0;
}

/* A FAT16 image with FILE (4 clusters) and DIR (a directory), remounted
 * after edit changed it; the result of reading FILE whole (or listing DIR
 * when list is set). */
static int corrupt(void (*edit)(struct mounted *m), bool list)
{
    struct mounted m;
    if (fresh(&m, 16, 8192) != 0)
        return -100;
    static unsigned char data[2048];
    fill_pattern(data, sizeof(data), 5);
    if (mirage_fs_create(m.fs, "FILE") ||
        mirage_fs_write(m.fs, "FILE", 0, data, sizeof(data)) ||
        mirage_fs_mkdir(m.fs, "DIR"))
        return -101;
    mirage_fs_disconnect(m.fs);
    edit(&m);
    int r = mirage_fs_connect_fat(&m.fs, m.disk);
    if (r == 0) {
        size_t got, n;
        struct mirage_fs_entry *v;
        if (list) {
            r = mirage_fs_listdir(m.fs, "DIR", &v, &n);
            if (r == 0)
                mirage_fs_entries_free(v, n);
        } else {
            r = mirage_fs_read(m.fs, "FILE", 0, data, sizeof(data), &got);
        }
        /* Writing and removing must fail cleanly too. */
        int w = mirage_fs_write(m.fs, list ? "DIR/x" : "FILE", 4096, "x", 1);
        int d = mirage_fs_destroy(m.fs, list ? "DIR" : "FILE");
        if (r == MIRAGE_EBADF && (w == 0 || (d != 0 && d != MIRAGE_EBADF)))
            r = -102;
    }
    unmount_image(&m, NULL);
    return r;
}

static void cycle(struct mounted *m)
{
    unsigned c = first_cluster(m, "FILE       ");
    /* The third cluster links back to the first. */
    unsigned char *e = fat16_entry(m, c + 2);
    e[0] = (unsigned char)c, e[1] = (unsigned char)(c >> 8);
}
static void out_of_range(struct mounted *m)
{
    unsigned c = first_cluster(m, "FILE       ");
    unsigned char *e = fat16_entry(m, c + 1);
    e[0] = 0xF0, e[1] = 0xFF; /* beyond the last cluster */
}
static void free_in_chain(struct mounted *m)
{
    unsigned c = first_cluster(m, "FILE       ");
    unsigned char *e = fat16_entry(m, c + 1);
    e[0] = e[1] = 0;
}
static void short_chain(struct mounted *m)
{
    unsigned c = first_cluster(m, "FILE       ");
    unsigned char *e = fat16_entry(m, c + 1);
    e[0] = e[1] = 0xFF;
}
static void dir_cycle(struct mounted *m)
{
    unsigned c = first_cluster(m, "DIR        ");
    unsigned char *e = fat16_entry(m, c);
    e[0] = (unsigned char)c, e[1] = (unsigned char)(c >> 8);
}
static void first_out_of_range(struct mounted *m)
{
    unsigned char *d = mem_disk_data(m->disk);
    unsigned reserved = d[14] | d[15] << 8, fatsz = d[22] | d[23] << 8;
    unsigned char *e = d + (reserved + d[16] * fatsz) * 512;
    for (int i = 0; i < 16; i++, e += 32)
        if (memcmp(e, "DIR        ", 11) == 0)
            e[26] = e[27] = 0xFF;
}

/* Long-name entries whose checksum does not match their short entry are
 * ignored: the entry shows its short name. */
TEST(long_name_checksum)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 16, 8192), 0);
    CHECK_INT(put(m.fs, "a long name.txt", "x"), 0);
    mirage_fs_disconnect(m.fs);
    unsigned char *d = mem_disk_data(m.disk);
    unsigned reserved = d[14] | d[15] << 8, fatsz = d[22] | d[23] << 8;
    unsigned char *root = d + (reserved + d[16] * fatsz) * 512;
    CHECK_INT(root[11], 0x0F); /* the first slot is a long-name entry */
    root[13] ^= 0x55;
    CHECK_INT(mirage_fs_connect_fat(&m.fs, m.disk), 0);
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(m.fs, "", &v, &n), 0);
    CHECK_INT(n, 1);
    CHECK_STR(v[0].name, "ALONGN~1.TXT");
    mirage_fs_entries_free(v, n);
    CHECK_INT(
        mirage_fs_stat(m.fs, "a long name.txt", &(struct mirage_fs_stat){0}),
        MIRAGE_ENOENT);
    CHECK_STR(get(m.fs, "alongn~1.txt"), "x");
    unmount_image(&m, NULL);
}

/* Twenty long-name slots spell 260 units, more than a name may hold: the
 * entry shows its short name. */
TEST(overlong_long_name)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 16, 8192), 0);
    mirage_fs_disconnect(m.fs);
    unsigned char *d = mem_disk_data(m.disk);
    unsigned reserved = d[14] | d[15] << 8, fatsz = d[22] | d[23] << 8;
    unsigned char *root = d + (reserved + d[16] * fatsz) * 512;
    static const unsigned char sn[11] = "OVERLONGTXT";
    unsigned char sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (unsigned char)(((sum & 1) << 7) + (sum >> 1) + sn[i]);
    static const int at[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    for (int k = 0; k < 20; k++) {
        unsigned char *e = root + 32 * k;
        memset(e, 0, 32);
        e[0] = (unsigned char)((20 - k) | (k == 0 ? 0x40 : 0));
        e[11] = 0x0F;
        e[13] = sum;
        for (int c = 0; c < 13; c++)
            e[at[c]] = 'a';
    }
    memcpy(root + 32 * 20, sn, 11);
    root[32 * 20 + 11] = 0x20;
    CHECK_INT(mirage_fs_connect_fat(&m.fs, m.disk), 0);
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(m.fs, "", &v, &n), 0);
    CHECK_INT(n, 1);
    CHECK_STR(v[0].name, "OVERLONG.TXT");
    mirage_fs_entries_free(v, n);
    unmount_image(&m, NULL);
}

/* DIR's first sector without "." and "..": moving it elsewhere fails
 * before anything changes. */
static void no_dot_entries(struct mounted *m)
{
    unsigned c = first_cluster(m, "DIR        ");
    unsigned char *d = mem_disk_data(m->disk);
    unsigned reserved = d[14] | d[15] << 8, fatsz = d[22] | d[23] << 8;
    unsigned root_entries = d[17] | d[18] << 8;
    unsigned data = reserved + d[16] * fatsz + root_entries * 32 / 512;
    memset(d + (data + c - 2) * 512, 0, 64);
}

TEST(directory_without_dotdot)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 16, 8192), 0);
    CHECK_INT(mirage_fs_mkdir(m.fs, "DIR"), 0);
    CHECK_INT(mirage_fs_mkdir(m.fs, "OTHER"), 0);
    mirage_fs_disconnect(m.fs);
    no_dot_entries(&m);
    CHECK_INT(mirage_fs_connect_fat(&m.fs, m.disk), 0);
    CHECK_INT(mirage_fs_rename(m.fs, "DIR", "OTHER/DIR"), MIRAGE_EBADF);
    CHECK_INT(mirage_fs_stat(m.fs, "DIR", &(struct mirage_fs_stat){0}), 0);
    CHECK_INT(mirage_fs_rename(m.fs, "DIR", "NEWNAME"), 0);
    unmount_image(&m, NULL);
}

TEST(corrupt_chains)
{
    CHECK_INT(corrupt(cycle, false), MIRAGE_EBADF);
    CHECK_INT(corrupt(out_of_range, false), MIRAGE_EBADF);
    CHECK_INT(corrupt(free_in_chain, false), MIRAGE_EBADF);
    CHECK_INT(corrupt(short_chain, false), MIRAGE_EBADF);
    CHECK_INT(corrupt(dir_cycle, true), MIRAGE_EBADF);
    CHECK_INT(corrupt(first_out_of_range, true), MIRAGE_EBADF);
}

TEST(device_failures)
{
    struct mounted m;
    CHECK_INT(fresh(&m, 12, 1440), 0);
    mem_disk_fail_after(m.disk, 0);
    CHECK_INT(put(m.fs, "x", "x"), MIRAGE_EIO);
    CHECK_INT(mirage_fs_mkdir(m.fs, "d"), MIRAGE_EIO);
    mem_disk_fail_after(m.disk, -1);
    CHECK_INT(mirage_fs_mkdir(m.fs, "d"), 0);
    mem_disk_fail_after(m.disk, 1);
    CHECK_INT(mirage_fs_rename(m.fs, "d", "a longer name for d"), MIRAGE_EIO);
    unmount_image(&m, NULL);
}

int main(void)
{
    return test_main();
}
