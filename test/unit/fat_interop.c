/* Interoperability of lib/fat with the host's tools: trees copied into
 * mkfs.fat images by mcopy read back byte for byte, and trees lib/fat
 * writes pass fsck.fat -n and read back with mtype and mdir. */
#include <mirage/error.h>
#include <mirage/fs.h>
#include <stdlib.h>
#include <string.h>

#include "fat_image.h"
#include "test.h"

/* The tree both directions use: paths and sizes (content from
 * fill_pattern with the index as seed). */
static const struct {
    const char *path;
    size_t size;
} tree[] = {
    {"short.txt", 13},
    {"A Long File Name With Spaces.txt", 4000},
    {"empty", 0},
    {"dir/nested directory/deep.bin", 300000},
    {"dir/\xc3\x9cn\xc3\xaf"
     "c\xc3\xb6"
     "d\xc3\xa9.txt",
     777},
    {"dir/README", 1},
    {"big.bin", 1500000},
};
#define NTREE (sizeof(tree) / sizeof(tree[0]))

static unsigned char *content(size_t i)
{
    unsigned char *b = malloc(tree[i].size ? tree[i].size : 1);
    fill_pattern(b, tree[i].size, (unsigned)i + 11);
    return b;
}

/* Write the tree under scratch/src on the host. */
static int host_tree(void)
{
    if (run(NULL, "rm -rf src && mkdir -p 'src/dir/nested directory'"))
        return -1;
    for (size_t i = 0; i < NTREE; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/src/%s", scratch_dir(), tree[i].path);
        FILE *f = fopen(path, "wb");
        unsigned char *b = content(i);
        size_t put = f ? fwrite(b, 1, tree[i].size, f) : 0;
        free(b);
        if (!f || fclose(f) != 0 || put != tree[i].size)
            return -1;
    }
    return 0;
}

static void read_tool_image(unsigned bits, unsigned kib)
{
    char opts[32], name[16];
    snprintf(opts, sizeof(opts), "-F %u -s %u", bits, bits == 12 ? 2 : 1);
    snprintf(name, sizeof(name), "in%u.img", bits);
    const char *img = make_image(name, kib, opts);
    CHECK(img);
    CHECK_INT(host_tree(), 0);
    CHECK_INT(
        run(NULL, "cd src && LC_ALL=C.UTF-8 mcopy -s -i ../%s * ::/", name), 0);
    struct mounted m;
    CHECK_INT(mount_image(img, &m), 0);
    for (size_t i = 0; i < NTREE; i++) {
        unsigned char *want = content(i);
        unsigned char *got = malloc(tree[i].size + 1);
        size_t n = 0;
        int r =
            mirage_fs_read(m.fs, tree[i].path, 0, got, tree[i].size + 1, &n);
        bool same = r == 0 && n == tree[i].size && memcmp(got, want, n) == 0;
        free(want);
        free(got);
        if (!same)
            test_fail(__FILE__, __LINE__, "%s: read %d, %zu bytes",
                      tree[i].path, r, n);
        CHECK(same);
    }
    struct mirage_fs_entry *v;
    size_t n;
    CHECK_INT(mirage_fs_listdir(m.fs, "dir", &v, &n), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(v[i].name, "nested directory") == 0 && v[i].directory;
    mirage_fs_entries_free(v, n);
    CHECK(found);
    unmount_image(&m, NULL);
}

TEST(reads_mcopy_fat12)
{
    read_tool_image(12, 4000);
}
TEST(reads_mcopy_fat16)
{
    read_tool_image(16, 8192);
}
TEST(reads_mcopy_fat32)
{
    /* mtools takes the FAT type from the cluster count, so FAT32 needs at
     * least 65525 clusters. */
    read_tool_image(32, 34000);
}

/* Write the tree with lib/fat (big.bin in uneven pieces), then rename and
 * remove a little, so the tools see reused slots and freed clusters. */
static int write_tree(struct mirage_fs *fs)
{
    int r = mirage_fs_mkdir(fs, "dir");
    if (r || (r = mirage_fs_mkdir(fs, "dir/nested directory")))
        return r;
    for (size_t i = 0; i < NTREE; i++) {
        unsigned char *b = content(i);
        r = mirage_fs_create(fs, tree[i].path);
        for (size_t off = 0; r == 0 && off < tree[i].size; off += 100003) {
            size_t len =
                tree[i].size - off < 100003 ? tree[i].size - off : 100003;
            r = mirage_fs_write(fs, tree[i].path, off, b + off, len);
        }
        free(b);
        if (r)
            return r;
    }
    if ((r = mirage_fs_create(fs, "dir/to be removed with a long name")) ||
        (r = mirage_fs_write(fs, "dir/to be removed with a long name", 0,
                             "gone", 4)) ||
        (r = mirage_fs_destroy(fs, "dir/to be removed with a long name")))
        return r;
    if ((r = mirage_fs_create(fs, "old name.tmp")) ||
        (r = mirage_fs_rename(fs, "old name.tmp", "dir/renamed.txt")))
        return r;
    return mirage_fs_write(fs, "dir/renamed.txt", 0, "renamed\n", 8);
}

static void tools_read_ours(unsigned bits, unsigned kib)
{
    char opts[32], name[16];
    snprintf(opts, sizeof(opts), "-F %u -s %u", bits, bits == 12 ? 2 : 1);
    snprintf(name, sizeof(name), "out%u.img", bits);
    const char *img = make_image(name, kib, opts);
    CHECK(img);
    CHECK_INT(host_tree(), 0);
    struct mounted m;
    CHECK_INT(mount_image(img, &m), 0);
    CHECK_INT(write_tree(m.fs), 0);
    unmount_image(&m, img);
    char *out;
    int rc = run(&out, "fsck.fat -n %s", name);
    if (rc != 0)
        test_fail(__FILE__, __LINE__, "fsck.fat: %s", out);
    free(out);
    CHECK_INT(rc, 0);
    for (size_t i = 0; i < NTREE; i++) {
        rc = run(NULL,
                 "LC_ALL=C.UTF-8 mtype -i %s '::/%s' > got && "
                 "cmp got 'src/%s'",
                 name, tree[i].path, tree[i].path);
        if (rc != 0)
            test_fail(__FILE__, __LINE__, "mtype %s differs", tree[i].path);
        CHECK_INT(rc, 0);
    }
    CHECK_INT(run(&out, "LC_ALL=C.UTF-8 mdir -i %s -b -/ ::/", name), 0);
    const char *want[] = {"::/short.txt", "::/A Long File Name With Spaces.txt",
                          "::/dir/nested directory/deep.bin",
                          "::/dir/renamed.txt", "::/big.bin"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(out, want[i]))
            test_fail(__FILE__, __LINE__, "mdir lacks %s:\n%s", want[i], out);
    bool removed = !strstr(out, "to be removed");
    free(out);
    CHECK(removed);
    CHECK_INT(run(&out, "LC_ALL=C.UTF-8 mtype -i %s ::/dir/renamed.txt", name),
              0);
    CHECK_STR(out, "renamed\n");
    free(out);
}

TEST(tools_read_ours_fat12)
{
    tools_read_ours(12, 4000);
}
TEST(tools_read_ours_fat16)
{
    tools_read_ours(16, 8192);
}
TEST(tools_read_ours_fat32)
{
    tools_read_ours(32, 34000);
}

int main(void)
{
    return test_main();
}
