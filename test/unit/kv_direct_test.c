/* Tests of direct_kv_ro/rw and plat/unix/hostfs.c beyond the conformance
 * suite: confinement under the root (symbolic links, special files, bad
 * paths), live reads of host changes, and connect errors. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include <mirage/hostfs.h>

static char dir[64];

/* A scratch directory holding "file" ("data"), "sub/inner", a symbolic
 * link "escape" to /etc, "loop" to its own directory, "passwd" to
 * /etc/passwd and a FIFO "fifo". */
static void make_dir(void)
{
    strcpy(dir, "/tmp/mirage-kv-confine-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char p[128], q[128];
    snprintf(p, sizeof p, "%s/file", dir);
    FILE *f = fopen(p, "w");
    fputs("data", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/sub/inner", dir);
    f = fopen(p, "w");
    fclose(f);
    snprintf(p, sizeof p, "%s/escape", dir);
    if (symlink("/etc", p) != 0)
        abort();
    snprintf(p, sizeof p, "%s/passwd", dir);
    if (symlink("/etc/passwd", p) != 0)
        abort();
    snprintf(p, sizeof p, "%s/loop", dir);
    snprintf(q, sizeof q, "%s/sub", dir);
    if (symlink(q, p) != 0)
        abort();
    snprintf(p, sizeof p, "%s/fifo", dir);
    if (mkfifo(p, 0644) != 0)
        abort();
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static enum mirage_kv_kind kind_of(struct mirage_kv_ro *kv, const char *key)
{
    enum mirage_kv_kind k;
    return mirage_kv_ro_exists(kv, key, &k) ? (enum mirage_kv_kind)99 : k;
}

TEST(direct_links_and_special_files_are_invisible)
{
    make_dir();
    struct mirage_kv_ro *kv;
    CHECK_INT(mirage_kv_ro_connect_direct(&kv, dir), 0);
    CHECK_INT(kind_of(kv, "file"), MIRAGE_KV_VALUE);
    CHECK_INT(kind_of(kv, "escape"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "escape/passwd"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "passwd"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "loop/inner"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "fifo"), MIRAGE_KV_ABSENT);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_ro_get(kv, "escape/passwd", &data, &len),
              MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_ro_get(kv, "passwd", &data, &len), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_ro_get(kv, "fifo", &data, &len), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_ro_get(kv, "../etc/passwd", &data, &len),
              MIRAGE_EINVAL);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_ro_list(kv, "", &l), 0);
    CHECK_INT(l.count, 2);
    CHECK_STR(l.entries[0].key, "file");
    CHECK_STR(l.entries[1].key, "sub");
    mirage_kv_list_free(&l);
    CHECK_INT(mirage_kv_ro_list(kv, "escape", &l), MIRAGE_ENOENT);
    mirage_kv_ro_disconnect(kv);
    remove_dir();
}

TEST(direct_writes_do_not_follow_links)
{
    make_dir();
    struct mirage_kv_rw *kv;
    CHECK_INT(mirage_kv_rw_connect_direct(&kv, dir), 0);
    CHECK_INT(mirage_kv_rw_set(kv, "passwd", "x", 1), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_set(kv, "escape/new", "x", 1), MIRAGE_ENOTDIR);
    CHECK_INT(mirage_kv_rw_remove(kv, "escape"), MIRAGE_ENOENT);
    CHECK_INT(access("/etc/new", F_OK), -1);
    /* Removing the root empties it but leaves links alone. */
    CHECK_INT(mirage_kv_rw_remove(kv, ""), 0);
    char p[128];
    snprintf(p, sizeof p, "%s/escape", dir);
    struct stat st;
    CHECK_INT(lstat(p, &st), 0);
    snprintf(p, sizeof p, "%s/file", dir);
    CHECK_INT(access(p, F_OK), -1);
    mirage_kv_rw_disconnect(kv);
    remove_dir();
}

TEST(direct_reads_host_changes_live)
{
    make_dir();
    struct mirage_kv_ro *kv;
    CHECK_INT(mirage_kv_ro_connect_direct(&kv, dir), 0);
    char p[128];
    snprintf(p, sizeof p, "%s/later", dir);
    CHECK_INT(kind_of(kv, "later"), MIRAGE_KV_ABSENT);
    FILE *f = fopen(p, "w");
    fputs("new\n", f);
    fclose(f);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_ro_get(kv, "later", &data, &len), 0);
    CHECK(len == 4 && memcmp(data, "new\n", 4) == 0);
    free(data);
    uint64_t ns;
    CHECK_INT(mirage_kv_ro_last_modified(kv, "", &ns), 0);
    CHECK(ns > 0);
    mirage_kv_ro_disconnect(kv);
    remove_dir();
}

TEST(direct_connect_errors)
{
    make_dir();
    struct mirage_kv_ro *kv = (struct mirage_kv_ro *)1;
    struct mirage_kv_rw *rw = (struct mirage_kv_rw *)1;
    CHECK_INT(mirage_kv_ro_connect_direct(&kv, "/nonexistent/dir"),
              MIRAGE_ENOENT);
    CHECK(kv == NULL);
    char p[128];
    snprintf(p, sizeof p, "%s/file", dir);
    CHECK_INT(mirage_kv_rw_connect_direct(&rw, p), MIRAGE_ENOTDIR);
    CHECK(rw == NULL);
    CHECK_INT(mirage_kv_ro_connect_direct(&kv, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_direct(&kv, ""), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_direct(NULL, dir), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_connect_direct(NULL, dir), MIRAGE_EINVAL);
    remove_dir();
}

TEST(hostfs_rejects_bad_paths)
{
    make_dir();
    int root;
    CHECK_INT(hostfs_root_open(dir, &root), 0);
    struct hostfs_stat st;
    static const char *bad[] = {"/file", "file/", "a//b",
                                "..",    "sub/.", "sub/../file"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_INT(hostfs_stat(root, bad[i], &st), MIRAGE_EINVAL);
    char seg[300];
    memset(seg, 's', sizeof seg - 1);
    seg[sizeof seg - 1] = '\0';
    CHECK_INT(hostfs_stat(root, seg, &st), MIRAGE_ENAMETOOLONG);
    CHECK_INT(hostfs_stat(root, "", &st), 0);
    CHECK(st.is_dir);
    CHECK_INT(hostfs_remove(root, "", true), MIRAGE_EINVAL);
    CHECK_INT(hostfs_rename(root, "", "x"), MIRAGE_EINVAL);
    CHECK_INT(hostfs_mkdir(root, "sub"), MIRAGE_EEXIST);
    CHECK_INT(hostfs_remove(root, "sub", true), MIRAGE_ENOTEMPTY);
    CHECK_INT(hostfs_create(root, "file", 1, 0), MIRAGE_EEXIST);
    size_t got;
    char buf[8];
    CHECK_INT(hostfs_read(root, "sub", 0, buf, 8, &got), MIRAGE_EISDIR);
    CHECK_INT(hostfs_read(root, "file", 2, buf, 8, &got), 0);
    CHECK_INT(got, 2);
    CHECK_INT(hostfs_root_open(NULL, &root), MIRAGE_EINVAL);
    hostfs_root_close(root);
    remove_dir();
}

int main(void)
{
    return test_main();
}
