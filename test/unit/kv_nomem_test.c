/* Out-of-memory behaviour of lib/kv and the ramdisk: each workload runs
 * again and again with its Nth allocation failing, N = 1, 2, ... until a
 * run needs no more allocations. Every run must end cleanly (errors, no
 * crash; AddressSanitizer checks for leaks at exit), and a failed write
 * must leave what was stored before it. */
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fake_plat.h"
#include "tar_writer.h"
#include "test.h"

/* The allocation functions, wrapped (-Wl,--wrap=...): while fail_in is
 * positive, the allocation that brings it to zero fails. */
static long fail_in;
static bool failed;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static bool inject(void)
{
    if (fail_in > 0 && --fail_in == 0) {
        failed = true;
        return true;
    }
    return false;
}
void *__wrap_malloc(size_t n)
{
    return inject() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m)
{
    return inject() ? NULL : __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n)
{
    return inject() ? NULL : __real_realloc(p, n);
}
char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *c = __wrap_malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}
char *__wrap_strdup(const char *s)
{
    return __wrap_strndup(s, strlen(s));
}

/* Run workload with the 1st, 2nd ... allocation failing until it runs
 * through; the number of runs, or 0 when a run reported a problem. */
static int each_failure(bool (*workload)(void))
{
    for (long n = 1; n < 100000; n++) {
        fail_in = n;
        failed = false;
        bool ok = workload();
        fail_in = 0;
        if (!ok) {
            printf("  the run with allocation %ld failing went wrong\n", n);
            return 0;
        }
        if (!failed)
            return (int)n;
    }
    return 0;
}

static bool good(int err)
{
    return err == 0 || err == MIRAGE_ENOMEM;
}

static bool mem_workload(void)
{
    struct mirage_kv_rw *kv;
    int err = mirage_kv_rw_connect_mem(&kv);
    if (err)
        return err == MIRAGE_ENOMEM;
    bool ok = true;
    int stored = mirage_kv_rw_set(kv, "a/b/c", "first", 5);
    ok &= good(stored);
    err = mirage_kv_rw_set(kv, "a/b/c", "second value", 12);
    ok &= good(err);
    if (stored == 0 && err == MIRAGE_ENOMEM) {
        /* The failed write left the old value. */
        long saved = fail_in;
        fail_in = 0;
        void *d;
        size_t len;
        ok &= mirage_kv_rw_get(kv, "a/b/c", &d, &len) == 0 && len == 5 &&
              memcmp(d, "first", 5) == 0;
        free(d);
        fail_in = saved;
    }
    ok &= good(mirage_kv_rw_set_partial(kv, "a/p", 10, "xy", 2));
    ok &= good(mirage_kv_rw_set_partial(kv, "a/p", 1, "z", 1));
    ok &= good(mirage_kv_rw_allocate(kv, "z/big", 4096, 1));
    for (int i = 0; i < 6; i++) {
        char key[32];
        snprintf(key, sizeof key, "many/k%d", i);
        ok &= good(mirage_kv_rw_set(kv, key, key, strlen(key)));
    }
    err = mirage_kv_rw_rename(kv, "a/b", "moved/here");
    ok &= good(err) || err == MIRAGE_ENOENT;
    err = mirage_kv_rw_rename(kv, "z/big", "many/k1");
    ok &= good(err) || err == MIRAGE_ENOENT;
    struct mirage_kv_list l;
    err = mirage_kv_rw_list(kv, "many", &l);
    ok &= good(err) || err == MIRAGE_ENOENT;
    if (!err)
        mirage_kv_list_free(&l);
    uint8_t digest[MIRAGE_KV_DIGEST_SIZE];
    ok &= good(mirage_kv_rw_digest(kv, "", digest));
    void *d;
    size_t len;
    err = mirage_kv_rw_get_partial(kv, "a/p", 0, 5, &d, &len);
    ok &= good(err) || err == MIRAGE_ENOENT;
    if (!err)
        free(d);
    err = mirage_kv_rw_remove(kv, "many");
    ok &= good(err) || err == MIRAGE_ENOENT;
    mirage_kv_rw_disconnect(kv);
    return ok;
}

TEST(mem_store_survives_every_failed_allocation)
{
    CHECK(each_failure(mem_workload) > 20);
}

static struct mirage_block *tar_disk;

static bool archive_workload(void)
{
    struct mirage_kv_ro *kv;
    int err = mirage_kv_ro_connect_archive(&kv, tar_disk);
    if (err)
        return err == MIRAGE_ENOMEM;
    bool ok = true;
    void *d;
    size_t len;
    err = mirage_kv_ro_get(kv, "dir/file", &d, &len);
    ok &= good(err);
    if (!err)
        free(d);
    struct mirage_kv_list l;
    err = mirage_kv_ro_list(kv, "dir", &l);
    ok &= good(err);
    if (!err)
        mirage_kv_list_free(&l);
    uint8_t digest[MIRAGE_KV_DIGEST_SIZE];
    ok &= good(mirage_kv_ro_digest(kv, "", digest));
    mirage_kv_ro_disconnect(kv);
    return ok;
}

TEST(archive_survives_every_failed_allocation)
{
    struct tar_img t = {0};
    char records[64];
    snprintf(records, sizeof records, "%zu path=dir/from-pax\n",
             strlen("path=dir/from-pax") + 4);
    tw_pax(&t, 'x', records);
    tw_file(&t, "ignored", "pax");
    tw_file(&t, "dir/file", "contents");
    tw_header(&t, "dir/link", '1', 0, 0, "dir/file", NULL);
    tw_end(&t);
    size_t sectors = t.len / 512;
    CHECK_INT(mirage_block_ramdisk_create(&tar_disk, "tar", sectors, 512, true),
              0);
    CHECK_INT(mirage_block_write(tar_disk, 0, t.data, t.len), 0);
    tw_free(&t);
    int runs = each_failure(archive_workload);
    mirage_block_disconnect(tar_disk);
    CHECK(runs > 10);
}

static const unsigned char bytes[] = "0123456789";
static const struct mirage_crunch_file files[] = {
    {"x/y/z", bytes, bytes + 10, 0},
    {"x/w", bytes, bytes + 3, 0},
};

static bool crunch_workload(void)
{
    struct mirage_kv_ro *kv;
    int err = mirage_kv_ro_connect_crunch(&kv, files, 2);
    if (err)
        return err == MIRAGE_ENOMEM;
    struct mirage_kv_list l;
    err = mirage_kv_ro_list(kv, "x", &l);
    if (!err)
        mirage_kv_list_free(&l);
    mirage_kv_ro_disconnect(kv);
    return good(err);
}

TEST(crunch_survives_every_failed_allocation)
{
    CHECK(each_failure(crunch_workload) > 5);
}

TEST(ramdisk_write_without_memory_changes_nothing)
{
    struct mirage_block *b;
    static unsigned char buf[3 * 65536], back[3 * 65536];
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 512, 512, true), 0);
    memset(buf, 7, sizeof buf);
    fail_in = 2; /* the second of the three chunks */
    int err = mirage_block_write(b, 64, buf, sizeof buf);
    fail_in = 0;
    CHECK_INT(err, MIRAGE_ENOMEM);
    memset(back, 1, sizeof back);
    CHECK_INT(mirage_block_read(b, 64, back, sizeof back), 0);
    CHECK(back[0] == 0 && back[sizeof back - 1] == 0);
    mirage_block_disconnect(b);
    fail_in = 1;
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 8, 512, true),
              MIRAGE_ENOMEM);
    fail_in = 2;
    CHECK_INT(mirage_block_ramdisk_create(&b, "r", 8, 512, true),
              MIRAGE_ENOMEM);
    fail_in = 0;
}

int main(void)
{
    fake_console_capture(true); /* the archive's messages */
    return test_main();
}
