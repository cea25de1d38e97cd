/* Tests of lib/kv beyond the kv_rw conformance suite: key
 * normalisation, listings, the crunch store and argument checks. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static int norm(const char *key, char *out)
{
    return mirage_kv_key_normalise(key, out, MIRAGE_KV_KEY_MAX + 1);
}

TEST(keys_normalise)
{
    char out[MIRAGE_KV_KEY_MAX + 1];
    CHECK_INT(norm("a/b/c", out), 0);
    CHECK_STR(out, "a/b/c");
    CHECK_INT(norm("//a///b/", out), 0);
    CHECK_STR(out, "a/b");
    CHECK_INT(norm("", out), 0);
    CHECK_STR(out, "");
    CHECK_INT(norm("///", out), 0);
    CHECK_STR(out, "");
    CHECK_INT(norm("a/.hidden/..x/x..", out), 0);
    CHECK_STR(out, "a/.hidden/..x/x..");
    CHECK_INT(norm("a/./b", out), MIRAGE_EINVAL);
    CHECK_INT(norm("..", out), MIRAGE_EINVAL);
    CHECK_INT(norm("a/..", out), MIRAGE_EINVAL);
    CHECK_INT(norm(NULL, out), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_key_normalise("abc", out, 3), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_key_normalise("abc", out, 4), 0);
    CHECK_INT(mirage_kv_key_normalise("abc", NULL, 4), MIRAGE_EINVAL);
}

TEST(keys_have_length_limits)
{
    static char key[3 * MIRAGE_KV_KEY_MAX], out[MIRAGE_KV_KEY_MAX + 1];
    memset(key, 'k', MIRAGE_KV_SEGMENT_MAX);
    CHECK_INT(norm(key, out), 0);
    key[MIRAGE_KV_SEGMENT_MAX] = 'k';
    CHECK_INT(norm(key, out), MIRAGE_ENAMETOOLONG);
    /* 16 segments of 255 bytes: 4095 bytes with their separators. */
    memset(key, 0, sizeof key);
    for (int i = 0; i < 16; i++) {
        memset(key + i * 256, 'k', 255);
        key[i * 256 + 255] = '/';
    }
    CHECK_INT(norm(key, out), 0);
    CHECK_INT(strlen(out), MIRAGE_KV_KEY_MAX);
    strcat(key, "x");
    CHECK_INT(norm(key, out), MIRAGE_ENAMETOOLONG);
    /* Slashes do not count: a long key may normalise to a short one. */
    memset(key, '/', sizeof key - 2);
    key[sizeof key - 2] = 'z';
    CHECK_INT(norm(key, out), 0);
    CHECK_STR(out, "z");
}

static const unsigned char index_html[] = "<h1>crunched</h1>\n";
static const unsigned char secret[] = "foo\n";
#define BYTES(a) (a), (a) + sizeof(a) - 1
static const struct mirage_crunch_file table[] = {
    {"index.html", BYTES(index_html), 1000000000ull},
    {"secret", BYTES(secret), 2000000000ull},
    {"img/logo.png", secret, secret + 2, 3000000000ull},
    {"img/x/deep", secret, secret + 1, 500},
};
MIRAGE_CRUNCH_TABLE("site", table);

TEST(crunch_serves_its_table)
{
    struct mirage_kv_ro *kv;
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, table, 4), 0);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_ro_get(kv, "secret", &data, &len), 0);
    CHECK(len == 4 && memcmp(data, "foo\n", 4) == 0);
    free(data);
    CHECK_INT(mirage_kv_ro_get_partial(kv, "/index.html", 4, 8, &data, &len),
              0);
    CHECK(len == 8 && memcmp(data, "crunched", 8) == 0);
    free(data);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_ro_list(kv, "", &l), 0);
    CHECK_INT(l.count, 3);
    CHECK_STR(l.entries[0].key, "img");
    CHECK_INT(l.entries[0].kind, MIRAGE_KV_DICTIONARY);
    CHECK_STR(l.entries[1].key, "index.html");
    mirage_kv_list_free(&l);
    mirage_kv_list_free(&l); /* freeing twice is harmless */
    mirage_kv_list_free(NULL);
    uint64_t t;
    CHECK_INT(mirage_kv_ro_last_modified(kv, "img", &t), 0);
    CHECK_INT(t, 3000000000ull);
    CHECK_INT(mirage_kv_ro_size(kv, "img/logo.png", &t), 0);
    CHECK_INT(t, 2);
    uint8_t d[32];
    CHECK_INT(mirage_kv_ro_digest(kv, "img", d), 0);
    mirage_kv_ro_disconnect(kv);
    mirage_kv_ro_disconnect(NULL);
}

TEST(crunch_rejects_bad_tables)
{
    struct mirage_kv_ro *kv = (struct mirage_kv_ro *)1;
    static const struct mirage_crunch_file unnormal[] = {
        {"/a", BYTES(secret), 0}};
    static const struct mirage_crunch_file dup[] = {{"a", BYTES(secret), 0},
                                                    {"a", BYTES(secret), 0}};
    static const struct mirage_crunch_file under[] = {
        {"a", BYTES(secret), 0}, {"a/b", BYTES(secret), 0}};
    static const struct mirage_crunch_file dir[] = {{"a/b", BYTES(secret), 0},
                                                    {"a", BYTES(secret), 0}};
    static const struct mirage_crunch_file root[] = {{"", BYTES(secret), 0}};
    static const struct mirage_crunch_file dots[] = {
        {"a/../b", BYTES(secret), 0}};
    static const struct mirage_crunch_file backwards[] = {
        {"a", secret + 1, secret, 0}};
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, unnormal, 1), MIRAGE_EINVAL);
    CHECK(kv == NULL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, dup, 2), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, under, 2), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, dir, 2), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, root, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, dots, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, backwards, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, NULL, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(NULL, table, 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch(&kv, NULL, 0), 0);
    mirage_kv_ro_disconnect(kv);
}

TEST(crunch_tables_are_found_by_name)
{
    struct mirage_kv_ro *kv;
    CHECK_INT(mirage_kv_ro_connect_crunch_named(&kv, "site"), 0);
    uint64_t size;
    CHECK_INT(mirage_kv_ro_size(kv, "index.html", &size), 0);
    CHECK_INT(size, sizeof index_html - 1);
    mirage_kv_ro_disconnect(kv);
    CHECK_INT(mirage_kv_ro_connect_crunch_named(&kv, "other"), MIRAGE_ENOENT);
    CHECK(kv == NULL);
    CHECK_INT(mirage_kv_ro_connect_crunch_named(&kv, NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_crunch_named(NULL, "site"), MIRAGE_EINVAL);
}

TEST(calls_check_their_arguments)
{
    void *data = (void *)1;
    size_t len = 1;
    uint64_t n = 1;
    enum mirage_kv_kind k = MIRAGE_KV_VALUE;
    struct mirage_kv_list l = {(struct mirage_kv_entry *)1, 1};
    uint8_t d[32];
    CHECK_INT(mirage_kv_ro_get(NULL, "a", &data, &len), MIRAGE_EINVAL);
    CHECK(data == NULL && len == 0);
    CHECK_INT(mirage_kv_ro_get_partial(NULL, "a", 0, 1, &data, &len),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_exists(NULL, "a", &k), MIRAGE_EINVAL);
    CHECK_INT(k, MIRAGE_KV_ABSENT);
    CHECK_INT(mirage_kv_ro_list(NULL, "a", &l), MIRAGE_EINVAL);
    CHECK(l.entries == NULL && l.count == 0);
    CHECK_INT(mirage_kv_ro_last_modified(NULL, "a", &n), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_size(NULL, "a", &n), MIRAGE_EINVAL);
    CHECK_INT(n, 0);
    CHECK_INT(mirage_kv_ro_digest(NULL, "a", d), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_remove(NULL, "a"), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_rename(NULL, "a", "b"), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_allocate(NULL, "a", 1, 0), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_set_partial(NULL, "a", 0, "x", 1), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_connect_mem(NULL), MIRAGE_EINVAL);
    struct mirage_kv_rw *kv;
    CHECK_INT(mirage_kv_rw_connect_mem(&kv), 0);
    CHECK_INT(mirage_kv_rw_rename(kv, "a", NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_digest(kv, "a", NULL), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_rw_allocate(kv, "huge", UINT64_MAX, 0), MIRAGE_ENOMEM);
    CHECK_INT(mirage_kv_rw_set_partial(kv, "huge", UINT64_MAX - 10, "x", 1),
              MIRAGE_ENOMEM);
    mirage_kv_rw_disconnect(kv);
}

/* Huge requests must come back as MIRAGE_ENOMEM, not abort the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

int main(void)
{
    return test_main();
}
