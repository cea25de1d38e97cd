/* Interoperability: archives written by GNU tar in each of its formats
 * (gnu, oldgnu, posix/pax, ustar), with nested directories, long names,
 * an empty file, a hard link and a large file, read back through the
 * archive store byte for byte. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

struct file {
    const char *path;
    size_t size;
};

/* Long enough for GNU 'L' records (over 100 bytes) but within ustar's
 * 155 + 100 prefix split. */
#define LONG_DIR                                                               \
    "a-directory-name-that-is-quite-long/and-another-one-below-it-too/"        \
    "third-level"
#define LONG_FILE "a-file-name-long-enough-to-need-a-long-name-record.txt"

static const struct file files[] = {
    {"top.txt", 11},
    {"empty", 0},
    {"dir/sub/nested.bin", 4097},
    {"dir/sub/other", 100},
    {LONG_DIR "/" LONG_FILE, 777},
    {"big/large.bin", 1536 * 1024 + 3},
};
#define NFILES (sizeof files / sizeof *files)

static char root[64];

static unsigned char byte_of(size_t file, size_t i)
{
    return (unsigned char)((i * 2654435761u >> 13) + file * 7);
}

static bool write_tree(void)
{
    strcpy(root, "/tmp/mirage-kv-gnu-tar-XXXXXX");
    if (!mkdtemp(root))
        return false;
    for (size_t f = 0; f < NFILES; f++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tree/%s", root, files[f].path);
        for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
        FILE *out = fopen(path, "wb");
        if (!out)
            return false;
        for (size_t i = 0; i < files[f].size; i++)
            fputc(byte_of(f, i), out);
        fclose(out);
    }
    char from[512], to[512];
    snprintf(from, sizeof from, "%s/tree/top.txt", root);
    snprintf(to, sizeof to, "%s/tree/dir/hardlink", root);
    return link(from, to) == 0;
}

static void remove_tree(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
}

/* Make the archive with GNU tar in this format and connect a store to a
 * ramdisk holding it. */
static int open_tar(const char *format, struct mirage_block **disk,
                    struct mirage_kv_ro **kv)
{
    char cmd[512], path[128];
    snprintf(path, sizeof path, "%s/%s.tar", root, format);
    snprintf(cmd, sizeof cmd, "tar --format=%s -cf '%s' -C '%s/tree' .", format,
             path, root);
    if (system(cmd) != 0)
        return -100;
    FILE *in = fopen(path, "rb");
    if (!in)
        return -101;
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    rewind(in);
    size_t sectors = ((size_t)size + 511) / 512;
    unsigned char *buf = calloc(sectors, 512);
    size_t got = fread(buf, 1, (size_t)size, in);
    fclose(in);
    int err = got == (size_t)size ? 0 : -102;
    if (!err)
        err = mirage_block_ramdisk_create(disk, format, sectors, 512, true);
    if (!err)
        err = mirage_block_write(*disk, 0, buf, sectors * 512);
    free(buf);
    if (!err)
        err = mirage_kv_ro_connect_archive(kv, *disk);
    return err;
}

static bool same_as_tree(struct mirage_kv_ro *kv)
{
    for (size_t f = 0; f < NFILES; f++) {
        void *data;
        size_t len;
        if (mirage_kv_ro_get(kv, files[f].path, &data, &len) != 0) {
            printf("  missing %s\n", files[f].path);
            return false;
        }
        bool ok = len == files[f].size;
        for (size_t i = 0; ok && i < len; i++)
            ok = ((unsigned char *)data)[i] == byte_of(f, i);
        free(data);
        if (!ok) {
            printf("  wrong content for %s\n", files[f].path);
            return false;
        }
    }
    void *data;
    size_t len;
    if (mirage_kv_ro_get(kv, "dir/hardlink", &data, &len) != 0)
        return false;
    bool ok = len == files[0].size && data &&
              ((unsigned char *)data)[3] == byte_of(0, 3);
    free(data);
    return ok;
}

static bool root_lists_tree(struct mirage_kv_ro *kv)
{
    struct mirage_kv_list l;
    if (mirage_kv_ro_list(kv, "", &l) != 0)
        return false;
    static const char *want[] = {"a-directory-name-that-is-quite-long", "big",
                                 "dir", "empty", "top.txt"};
    bool ok = l.count == 5;
    for (size_t i = 0; ok && i < 5; i++)
        ok = strcmp(l.entries[i].key, want[i]) == 0;
    mirage_kv_list_free(&l);
    return ok;
}

static void check_format(const char *format)
{
    struct mirage_block *disk = NULL;
    struct mirage_kv_ro *kv = NULL;
    int err = open_tar(format, &disk, &kv);
    if (err)
        test_fail(__FILE__, __LINE__, "%s archive: error %d", format, err);
    else if (!same_as_tree(kv))
        test_fail(__FILE__, __LINE__, "%s archive: contents differ", format);
    else if (!root_lists_tree(kv))
        test_fail(__FILE__, __LINE__, "%s archive: wrong listing", format);
    mirage_kv_ro_disconnect(kv);
    mirage_block_disconnect(disk);
}

TEST(gnu_tar_gnu_format)
{
    check_format("gnu");
}
TEST(gnu_tar_oldgnu_format)
{
    check_format("oldgnu");
}
TEST(gnu_tar_pax_format)
{
    check_format("posix");
}
TEST(gnu_tar_ustar_format)
{
    check_format("ustar");
}

int main(void)
{
    if (!write_tree()) {
        printf("FAIL gnu_tar_setup: cannot write the tree under /tmp\n");
        remove_tree();
        return 1;
    }
    int r = test_main();
    remove_tree();
    return r;
}
