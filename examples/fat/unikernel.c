/* fat: lists a FAT filesystem, writes a file with a long name in a new
 * directory, reads it back, renames it and cleans up, reporting each step.
 * Exits 0 when everything held, 1 otherwise. */
#include <mirage/error.h>
#include <mirage/fs.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

#define DIR_NAME  "mirage example"
#define FILE_NAME DIR_NAME "/A file with a long name.txt"
#define RENAMED   DIR_NAME "/renamed.txt"
#define LINES     200 /* of 32 bytes: 6400 bytes, more than a cluster */

static int check(const char *what, int r)
{
    if (r != 0)
        mirage_log_err("%s: %s", what, mirage_strerror(r));
    return r;
}

static int list(struct mirage_fs *fs, const char *path)
{
    struct mirage_fs_entry *v;
    size_t n;
    int r = check("listdir", mirage_fs_listdir(fs, path, &v, &n));
    if (r)
        return r;
    mirage_log_info("%zu entries in /%s", n, path);
    for (size_t i = 0; i < n; i++) {
        uint64_t size = 0;
        char *full = malloc(strlen(path) + strlen(v[i].name) + 2);
        if (!full) {
            mirage_fs_entries_free(v, n);
            return MIRAGE_ENOMEM;
        }
        strcpy(full, path);
        if (*path)
            strcat(full, "/");
        strcat(full, v[i].name);
        if (!v[i].directory)
            mirage_fs_size(fs, full, &size);
        mirage_log_info("  %s%s %llu", v[i].name, v[i].directory ? "/" : "",
                        (unsigned long long)size);
        free(full);
    }
    mirage_fs_entries_free(v, n);
    return 0;
}

static void line(char *buf, int i)
{
    /* 32 bytes: "line NNN of the example file..\n" */
    memcpy(buf, "line 000 of the example file..\n", 32);
    buf[5] = (char)('0' + i / 100);
    buf[6] = (char)('0' + i / 10 % 10);
    buf[7] = (char)('0' + i % 10);
}

static void show_hello(struct mirage_fs *fs)
{
    char buf[256];
    size_t got;
    if (mirage_fs_read(fs, "hello.txt", 0, buf, sizeof(buf) - 1, &got) != 0)
        return;
    while (got > 0 && buf[got - 1] == '\n')
        got--;
    buf[got] = 0;
    mirage_log_info("hello.txt says: %s", buf);
}

/* Write the lines out of order (every other one first, so the second pass
 * fills holes), then read the whole file back. */
static int write_and_check(struct mirage_fs *fs)
{
    char buf[32];
    int r = check("mkdir", mirage_fs_mkdir(fs, DIR_NAME));
    if (r || (r = check("create", mirage_fs_create(fs, FILE_NAME))))
        return r;
    for (int pass = 0; pass < 2; pass++)
        for (int i = pass; i < LINES; i += 2) {
            line(buf, i);
            r = check("write", mirage_fs_write(fs, FILE_NAME, 32u * i, buf,
                                               sizeof(buf)));
            if (r)
                return r;
        }
    char *all = malloc(32 * LINES);
    size_t got;
    if (!all)
        return MIRAGE_ENOMEM;
    r = check("read", mirage_fs_read(fs, FILE_NAME, 0, all, 32 * LINES, &got));
    for (int i = 0; r == 0 && i < LINES; i++) {
        line(buf, i);
        if (got != 32 * LINES || memcmp(all + 32 * i, buf, 32) != 0) {
            mirage_log_err("line %d reads back wrong", i);
            r = MIRAGE_EIO;
        }
    }
    free(all);
    if (r == 0)
        mirage_log_info("wrote and read back %d bytes", 32 * LINES);
    return r;
}

int fat_start(struct mirage_fs *fs)
{
    struct mirage_fs_stat st;
    int r = list(fs, "");
    show_hello(fs);
    if (r == 0 && mirage_fs_stat(fs, DIR_NAME, &st) == 0) {
        mirage_log_err("/%s exists already: remove it first", DIR_NAME);
        return 1;
    }
    if (r == 0)
        r = write_and_check(fs);
    if (r == 0 &&
        (r = check("rename", mirage_fs_rename(fs, FILE_NAME, RENAMED))) == 0)
        r = list(fs, DIR_NAME);
    if (r == 0 && mirage_fs_destroy(fs, DIR_NAME) != MIRAGE_ENOTEMPTY) {
        mirage_log_err("removing a non-empty directory must fail");
        r = MIRAGE_EINVAL;
    }
    if (r == 0 && (r = check("destroy", mirage_fs_destroy(fs, RENAMED))) == 0)
        r = check("destroy dir", mirage_fs_destroy(fs, DIR_NAME));
    mirage_log_info("fat example: %s", r == 0 ? "all checks passed" : "FAILED");
    return r == 0 ? 0 : 1;
}
