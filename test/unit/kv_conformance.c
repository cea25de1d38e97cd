/* The kv_rw conformance suite (see kv_conformance.h): the semantics of
 * include/mirage/kv.h checked call by call on a fresh store per test. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <mirage/plat.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/random/sha256.h"
#include "kv_conformance.h"
#include "test.h"

#define STORE_TEST(name)                                                       \
    static void body_##name(struct mirage_kv_rw *kv);                          \
    TEST(name)                                                                 \
    {                                                                          \
        struct mirage_kv_rw *kv;                                               \
        CHECK_INT(kv_conformance_open(&kv), 0);                                \
        body_##name(kv);                                                       \
        kv_conformance_close(kv);                                              \
    }                                                                          \
    static void body_##name(struct mirage_kv_rw *kv)

#define SEC 1000000000ull

/* Whether the value under key is exactly the n bytes at want (and the
 * returned buffer is NUL-terminated). */
static bool value_is(struct mirage_kv_rw *kv, const char *key, const void *want,
                     size_t n)
{
    void *data;
    size_t len;
    if (mirage_kv_rw_get(kv, key, &data, &len) != 0)
        return false;
    bool ok =
        len == n && memcmp(data, want, n) == 0 && ((char *)data)[len] == '\0';
    free(data);
    return ok;
}

static enum mirage_kv_kind kind_of(struct mirage_kv_rw *kv, const char *key)
{
    enum mirage_kv_kind k = (enum mirage_kv_kind)99;
    if (mirage_kv_rw_exists(kv, key, &k) != 0)
        return (enum mirage_kv_kind)98;
    return k;
}

static int set_str(struct mirage_kv_rw *kv, const char *key, const char *s)
{
    return mirage_kv_rw_set(kv, key, s, strlen(s));
}

STORE_TEST(kv_empty_store)
{
    CHECK_INT(kind_of(kv, ""), MIRAGE_KV_DICTIONARY);
    CHECK_INT(kind_of(kv, "/"), MIRAGE_KV_DICTIONARY);
    CHECK_INT(kind_of(kv, "missing"), MIRAGE_KV_ABSENT);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_rw_list(kv, "", &l), 0);
    CHECK_INT(l.count, 0);
    mirage_kv_list_free(&l);
    void *data = (void *)1;
    size_t len = 7;
    CHECK_INT(mirage_kv_rw_get(kv, "missing", &data, &len), MIRAGE_ENOENT);
    CHECK(data == NULL && len == 0);
    uint64_t size;
    CHECK_INT(mirage_kv_rw_size(kv, "missing", &size), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_list(kv, "missing", &l), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_last_modified(kv, "missing", &size), MIRAGE_ENOENT);
    uint8_t d[MIRAGE_KV_DIGEST_SIZE];
    CHECK_INT(mirage_kv_rw_digest(kv, "missing", d), MIRAGE_ENOENT);
}

STORE_TEST(kv_set_get_replace)
{
    CHECK_INT(set_str(kv, "greeting", "hello"), 0);
    CHECK(value_is(kv, "greeting", "hello", 5));
    CHECK(value_is(kv, "/greeting", "hello", 5));
    CHECK_INT(kind_of(kv, "greeting"), MIRAGE_KV_VALUE);
    uint64_t size;
    CHECK_INT(mirage_kv_rw_size(kv, "greeting", &size), 0);
    CHECK_INT(size, 5);
    CHECK_INT(set_str(kv, "greeting", "a longer value"), 0);
    CHECK(value_is(kv, "greeting", "a longer value", 14));
    CHECK_INT(set_str(kv, "greeting", "hi"), 0);
    CHECK(value_is(kv, "greeting", "hi", 2));
    CHECK_INT(mirage_kv_rw_set(kv, "empty", NULL, 0), 0);
    CHECK(value_is(kv, "empty", "", 0));
    CHECK_INT(mirage_kv_rw_size(kv, "empty", &size), 0);
    CHECK_INT(size, 0);
    const unsigned char bin[] = {0, 1, 2, 0, 255};
    CHECK_INT(mirage_kv_rw_set(kv, "bin", bin, sizeof bin), 0);
    CHECK(value_is(kv, "bin", bin, sizeof bin));
}

STORE_TEST(kv_nested_keys_make_dictionaries)
{
    CHECK_INT(set_str(kv, "/d//e/f/", "x"), 0);
    CHECK(value_is(kv, "d/e/f", "x", 1));
    CHECK_INT(kind_of(kv, "d"), MIRAGE_KV_DICTIONARY);
    CHECK_INT(kind_of(kv, "d/e"), MIRAGE_KV_DICTIONARY);
    CHECK_INT(set_str(kv, "d/b", "y"), 0);
    CHECK_INT(set_str(kv, "a", "z"), 0);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_rw_list(kv, "d", &l), 0);
    CHECK_INT(l.count, 2);
    CHECK_STR(l.entries[0].key, "d/b");
    CHECK_INT(l.entries[0].kind, MIRAGE_KV_VALUE);
    CHECK_STR(l.entries[1].key, "d/e");
    CHECK_INT(l.entries[1].kind, MIRAGE_KV_DICTIONARY);
    mirage_kv_list_free(&l);
    CHECK_INT(mirage_kv_rw_list(kv, "/", &l), 0);
    CHECK_INT(l.count, 2);
    CHECK_STR(l.entries[0].key, "a");
    CHECK_STR(l.entries[1].key, "d");
    mirage_kv_list_free(&l);
    CHECK_INT(mirage_kv_rw_list(kv, "d/e/", &l), 0);
    CHECK_INT(l.count, 1);
    CHECK_STR(l.entries[0].key, "d/e/f");
    mirage_kv_list_free(&l);
}

STORE_TEST(kv_write_errors)
{
    CHECK_INT(set_str(kv, "dir/v", "1"), 0);
    CHECK_INT(set_str(kv, "", "x"), MIRAGE_EISDIR);
    CHECK_INT(set_str(kv, "dir", "x"), MIRAGE_EISDIR);
    CHECK_INT(set_str(kv, "dir/v/w", "x"), MIRAGE_ENOTDIR);
    CHECK_INT(mirage_kv_rw_set_partial(kv, "dir", 0, "x", 1), MIRAGE_EISDIR);
    CHECK_INT(mirage_kv_rw_set_partial(kv, "dir/v/w", 0, "x", 1),
              MIRAGE_ENOTDIR);
    CHECK_INT(set_str(kv, "a/../b", "x"), MIRAGE_EINVAL);
    CHECK_INT(set_str(kv, "./b", "x"), MIRAGE_EINVAL);
    CHECK_INT(set_str(kv, NULL, "x"), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_set(kv, "k", NULL, 3), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_set(NULL, "k", "x", 1), MIRAGE_EINVAL);
    char seg[300];
    memset(seg, 'n', sizeof seg - 1);
    seg[sizeof seg - 1] = '\0';
    CHECK_INT(set_str(kv, seg, "x"), MIRAGE_ENAMETOOLONG);
    CHECK_INT(kind_of(kv, "b"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "k"), MIRAGE_KV_ABSENT);
    CHECK(value_is(kv, "dir/v", "1", 1));
}

STORE_TEST(kv_read_errors)
{
    CHECK_INT(set_str(kv, "dir/v", "1"), 0);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_rw_get(kv, "dir", &data, &len), MIRAGE_EISDIR);
    CHECK_INT(mirage_kv_rw_get(kv, "", &data, &len), MIRAGE_EISDIR);
    CHECK_INT(mirage_kv_rw_get(kv, "dir/v/x", &data, &len), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_get(kv, "dir/x/y", &data, &len), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_get(kv, "..", &data, &len), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_get(kv, "dir/v", NULL, &len), MIRAGE_EINVAL);
    CHECK_INT(kind_of(kv, "dir/v/x"), MIRAGE_KV_ABSENT);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_rw_list(kv, "dir/v", &l), MIRAGE_ENOTDIR);
    CHECK(l.entries == NULL && l.count == 0);
    uint64_t size;
    CHECK_INT(mirage_kv_rw_size(kv, "dir", &size), MIRAGE_EISDIR);
    enum mirage_kv_kind k;
    CHECK_INT(mirage_kv_rw_exists(kv, "a/./b", &k), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_exists(kv, "a", NULL), MIRAGE_EINVAL);
}

STORE_TEST(kv_partial_reads_and_writes)
{
    CHECK_INT(set_str(kv, "p", "0123456789"), 0);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_rw_get_partial(kv, "p", 2, 3, &data, &len), 0);
    CHECK(len == 3 && memcmp(data, "234", 3) == 0);
    free(data);
    CHECK_INT(mirage_kv_rw_get_partial(kv, "p", 8, 10, &data, &len), 0);
    CHECK(len == 2 && memcmp(data, "89", 2) == 0);
    free(data);
    CHECK_INT(mirage_kv_rw_get_partial(kv, "p", 10, 5, &data, &len), 0);
    CHECK_INT(len, 0);
    free(data);
    CHECK_INT(mirage_kv_rw_get_partial(kv, "p", 11, 1, &data, &len),
              MIRAGE_ERANGE);
    CHECK(data == NULL);
    CHECK_INT(mirage_kv_rw_set_partial(kv, "p", 4, "xy", 2), 0);
    CHECK(value_is(kv, "p", "0123xy6789", 10));
    CHECK_INT(mirage_kv_rw_set_partial(kv, "p", 12, "z", 1), 0);
    CHECK(value_is(kv, "p", "0123xy6789\0\0z", 13));
    CHECK_INT(mirage_kv_rw_set_partial(kv, "new/q", 3, "ab", 2), 0);
    CHECK(value_is(kv, "new/q", "\0\0\0ab", 5));
    CHECK_INT(mirage_kv_rw_set_partial(kv, "p", UINT64_MAX, "ab", 2),
              MIRAGE_ERANGE);
}

STORE_TEST(kv_remove_values_and_dictionaries)
{
    CHECK_INT(set_str(kv, "v", "1"), 0);
    CHECK_INT(set_str(kv, "d/e/f", "2"), 0);
    CHECK_INT(set_str(kv, "d/g", "3"), 0);
    CHECK_INT(mirage_kv_rw_remove(kv, "v"), 0);
    CHECK_INT(kind_of(kv, "v"), MIRAGE_KV_ABSENT);
    CHECK_INT(mirage_kv_rw_remove(kv, "v"), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_remove(kv, "v/w"), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_remove(kv, "d/e"), 0);
    CHECK_INT(kind_of(kv, "d/e/f"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "d"), MIRAGE_KV_DICTIONARY);
    CHECK(value_is(kv, "d/g", "3", 1));
    CHECK_INT(mirage_kv_rw_remove(kv, "d"), 0);
    CHECK_INT(kind_of(kv, "d/g"), MIRAGE_KV_ABSENT);
    CHECK_INT(set_str(kv, "x/y", "4"), 0);
    CHECK_INT(set_str(kv, "z", "5"), 0);
    CHECK_INT(mirage_kv_rw_remove(kv, "/"), 0);
    CHECK_INT(kind_of(kv, ""), MIRAGE_KV_DICTIONARY);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_rw_list(kv, "", &l), 0);
    CHECK_INT(l.count, 0);
    mirage_kv_list_free(&l);
    CHECK_INT(set_str(kv, "again", "6"), 0);
    CHECK(value_is(kv, "again", "6", 1));
}

STORE_TEST(kv_rename)
{
    CHECK_INT(set_str(kv, "a", "one"), 0);
    CHECK_INT(mirage_kv_rw_rename(kv, "a", "n/m/b"), 0);
    CHECK_INT(kind_of(kv, "a"), MIRAGE_KV_ABSENT);
    CHECK(value_is(kv, "n/m/b", "one", 3));
    CHECK_INT(set_str(kv, "c", "two"), 0);
    CHECK_INT(mirage_kv_rw_rename(kv, "c", "n/m/b"), 0);
    CHECK(value_is(kv, "n/m/b", "two", 3));
    CHECK_INT(kind_of(kv, "c"), MIRAGE_KV_ABSENT);
    CHECK_INT(mirage_kv_rw_rename(kv, "n/m/b", "n/m/b"), 0);
    CHECK(value_is(kv, "n/m/b", "two", 3));
    /* A whole dictionary moves with its contents. */
    CHECK_INT(mirage_kv_rw_rename(kv, "n/m", "top"), 0);
    CHECK(value_is(kv, "top/b", "two", 3));
    CHECK_INT(kind_of(kv, "n/m"), MIRAGE_KV_ABSENT);
    CHECK_INT(kind_of(kv, "n"), MIRAGE_KV_DICTIONARY);
}

STORE_TEST(kv_rename_errors)
{
    CHECK_INT(set_str(kv, "v", "1"), 0);
    CHECK_INT(set_str(kv, "w", "2"), 0);
    CHECK_INT(set_str(kv, "d/x", "3"), 0);
    CHECK_INT(set_str(kv, "e/y", "4"), 0);
    CHECK_INT(mirage_kv_rw_rename(kv, "missing", "z"), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_rename(kv, "missing", "missing"), MIRAGE_ENOENT);
    CHECK_INT(mirage_kv_rw_rename(kv, "v", "d"), MIRAGE_EISDIR);
    CHECK_INT(mirage_kv_rw_rename(kv, "d", "e"), MIRAGE_EEXIST);
    CHECK_INT(mirage_kv_rw_rename(kv, "d", "w"), MIRAGE_EEXIST);
    CHECK_INT(mirage_kv_rw_rename(kv, "d", "d/sub"), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_rename(kv, "", "elsewhere"), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_rename(kv, "v", "w/z"), MIRAGE_ENOTDIR);
    CHECK_INT(mirage_kv_rw_rename(kv, "v", "../z"), MIRAGE_EINVAL);
    CHECK(value_is(kv, "v", "1", 1));
    CHECK(value_is(kv, "w", "2", 1));
    CHECK(value_is(kv, "d/x", "3", 1));
    CHECK(value_is(kv, "e/y", "4", 1));
}

STORE_TEST(kv_allocate)
{
    uint64_t when = 1600000000ull * SEC;
    CHECK_INT(mirage_kv_rw_allocate(kv, "big/zero", 5000, when), 0);
    uint64_t size, t;
    CHECK_INT(mirage_kv_rw_size(kv, "big/zero", &size), 0);
    CHECK_INT(size, 5000);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_rw_get_partial(kv, "big/zero", 4990, 100, &data, &len),
              0);
    CHECK(len == 10 && memcmp(data, "\0\0\0\0\0\0\0\0\0\0", 10) == 0);
    free(data);
    CHECK_INT(mirage_kv_rw_last_modified(kv, "big/zero", &t), 0);
    CHECK(t + 2 * SEC >= when && t <= when + 2 * SEC);
    CHECK_INT(mirage_kv_rw_allocate(kv, "big/zero", 1, MIRAGE_KV_NOW),
              MIRAGE_EEXIST);
    CHECK_INT(mirage_kv_rw_allocate(kv, "big", 1, MIRAGE_KV_NOW),
              MIRAGE_EEXIST);
    CHECK_INT(mirage_kv_rw_allocate(kv, "now", 0, MIRAGE_KV_NOW), 0);
    CHECK(value_is(kv, "now", "", 0));
}

STORE_TEST(kv_last_modified)
{
    uint64_t before = plat_clock_wall();
    CHECK_INT(set_str(kv, "d/v", "1"), 0);
    uint64_t t, td;
    CHECK_INT(mirage_kv_rw_last_modified(kv, "d/v", &t), 0);
    CHECK(t + 2 * SEC >= before && t <= plat_clock_wall() + 2 * SEC);
    CHECK_INT(mirage_kv_rw_last_modified(kv, "d", &td), 0);
    CHECK(td + 2 * SEC >= t);
}

STORE_TEST(kv_digests)
{
    static const uint8_t abc[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint8_t d[MIRAGE_KV_DIGEST_SIZE], e[MIRAGE_KV_DIGEST_SIZE];
    CHECK_INT(set_str(kv, "h", "abc"), 0);
    CHECK_INT(mirage_kv_rw_digest(kv, "h", d), 0);
    CHECK(memcmp(d, abc, 32) == 0);
    CHECK_INT(set_str(kv, "one/x", "abc"), 0);
    CHECK_INT(set_str(kv, "one/y/z", "def"), 0);
    CHECK_INT(set_str(kv, "two/x", "abc"), 0);
    CHECK_INT(set_str(kv, "two/y/z", "def"), 0);
    CHECK_INT(mirage_kv_rw_digest(kv, "one", d), 0);
    CHECK_INT(mirage_kv_rw_digest(kv, "two", e), 0);
    CHECK(memcmp(d, e, 32) == 0);
    CHECK_INT(set_str(kv, "two/y/z", "deg"), 0);
    CHECK_INT(mirage_kv_rw_digest(kv, "two", e), 0);
    CHECK(memcmp(d, e, 32) != 0);
    CHECK_INT(mirage_kv_rw_digest(kv, "", e), 0);
}

STORE_TEST(kv_large_value)
{
    size_t n = 300 * 1024 + 17;
    unsigned char *big = malloc(n);
    CHECK(big != NULL);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 131 + (i >> 9));
    int err = mirage_kv_rw_set(kv, "blob/data.bin", big, n);
    bool same = err == 0 && value_is(kv, "blob/data.bin", big, n);
    void *data = NULL;
    size_t len = 0;
    if (same)
        err = mirage_kv_rw_get_partial(kv, "blob/data.bin", 70000, 100000,
                                       &data, &len);
    same = same && err == 0 && len == 100000 &&
           memcmp(data, big + 70000, len) == 0;
    free(data);
    uint8_t want[32], got[32];
    sha256(big, n, want);
    free(big);
    CHECK(same);
    CHECK_INT(mirage_kv_rw_digest(kv, "blob/data.bin", got), 0);
    CHECK(memcmp(want, got, 32) == 0);
}

STORE_TEST(kv_many_entries_sorted)
{
    for (int i = 49; i >= 0; i--) {
        char key[32], val[16];
        snprintf(key, sizeof key, "many/item%02d", i);
        snprintf(val, sizeof val, "%d", i * i);
        CHECK_INT(set_str(kv, key, val), 0);
    }
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_rw_list(kv, "many", &l), 0);
    CHECK_INT(l.count, 50);
    bool ok = true;
    for (size_t i = 0; i < l.count; i++) {
        char key[32];
        snprintf(key, sizeof key, "many/item%02zu", i);
        ok = ok && strcmp(l.entries[i].key, key) == 0 &&
             l.entries[i].kind == MIRAGE_KV_VALUE;
    }
    mirage_kv_list_free(&l);
    CHECK(ok);
    CHECK(value_is(kv, "many/item07", "49", 2));
}
