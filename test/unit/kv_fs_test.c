/* Tests of the stores over a filesystem (lib/fs) beyond the conformance
 * suite: kv_ro_of_fs on an image written by mtools, and what a full disk
 * leaves behind. */
#include <mirage/error.h>
#include <mirage/fs.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/random/sha256.h"
#include "fat_image.h"
#include "test.h"

TEST(kv_ro_of_fs_reads_mtools_image)
{
    const char *img = make_image("ro.img", 1440, "-F 12");
    CHECK(img);
    CHECK_INT(run(NULL, "mkdir -p t/sub && printf 'foo\\n' > t/secret && "
                        "printf 'nested' > 't/sub/Nested Value.txt' && "
                        "cd t && mcopy -s -i ../ro.img * ::/"),
              0);
    struct mounted m;
    CHECK_INT(mount_image(img, &m), 0);
    struct mirage_kv_ro *kv;
    CHECK_INT(mirage_kv_ro_connect_fs(&kv, m.fs), 0);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_ro_get(kv, "secret", &data, &len), 0);
    CHECK(len == 4 && memcmp(data, "foo\n", 4) == 0);
    free(data);
    CHECK_INT(mirage_kv_ro_get(kv, "/sub/Nested Value.txt", &data, &len), 0);
    CHECK_STR(data, "nested");
    free(data);
    uint8_t d[MIRAGE_KV_DIGEST_SIZE], want[SHA256_SIZE];
    CHECK_INT(mirage_kv_ro_digest(kv, "secret", d), 0);
    sha256("foo\n", 4, want);
    CHECK(memcmp(d, want, sizeof(want)) == 0);
    struct mirage_kv_list l;
    CHECK_INT(mirage_kv_ro_list(kv, "", &l), 0);
    CHECK_INT(l.count, 2);
    CHECK_STR(l.entries[0].key, "secret");
    CHECK_STR(l.entries[1].key, "sub");
    CHECK_INT(l.entries[1].kind, MIRAGE_KV_DICTIONARY);
    mirage_kv_list_free(&l);
    CHECK_INT(mirage_kv_ro_get(kv, "bad:name", &data, &len), MIRAGE_EINVAL);
    CHECK_INT(mirage_kv_ro_connect_fs(NULL, m.fs), MIRAGE_EINVAL);
    struct mirage_kv_rw *rw;
    CHECK_INT(mirage_kv_rw_connect_fs(&rw, NULL), MIRAGE_EINVAL);
    mirage_kv_ro_disconnect(kv);
    unmount_image(&m, NULL);
}

TEST(full_disk_keeps_old_values)
{
    const char *img = make_image("small.img", 200, "-F 12");
    CHECK(img);
    struct mounted m;
    CHECK_INT(mount_image(img, &m), 0);
    struct mirage_kv_rw *kv;
    CHECK_INT(mirage_kv_rw_connect_fs(&kv, m.fs), 0);
    CHECK_INT(mirage_kv_rw_set(kv, "keep", "old", 3), 0);
    static char big[400000];
    CHECK_INT(mirage_kv_rw_set(kv, "keep", big, sizeof(big)), MIRAGE_ENOSPC);
    void *data;
    size_t len;
    CHECK_INT(mirage_kv_rw_get(kv, "keep", &data, &len), 0);
    CHECK(len == 3 && memcmp(data, "old", 3) == 0);
    free(data);
    /* A failed write under new dictionaries leaves none of them. */
    CHECK_INT(mirage_kv_rw_set(kv, "a/b/c", big, sizeof(big)), MIRAGE_ENOSPC);
    enum mirage_kv_kind kind;
    CHECK_INT(mirage_kv_rw_exists(kv, "a", &kind), 0);
    CHECK_INT(kind, MIRAGE_KV_ABSENT);
    CHECK_INT(mirage_kv_rw_allocate(kv, "x/y", sizeof(big), MIRAGE_KV_NOW),
              MIRAGE_ENOSPC);
    CHECK_INT(mirage_kv_rw_exists(kv, "x", &kind), 0);
    CHECK_INT(kind, MIRAGE_KV_ABSENT);
    mirage_kv_rw_disconnect(kv);
    unmount_image(&m, img);
    CHECK_INT(run(NULL, "fsck.fat -n small.img"), 0);
}

int main(void)
{
    return test_main();
}
