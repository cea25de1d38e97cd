/* kv_ro: checks that the key "secret" holds "foo\n" and that the store
 * lists it. Exits 0 when it does, 1 otherwise. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

int kv_ro_start(struct mirage_kv_ro *kv)
{
    void *data;
    size_t len;
    int err = mirage_kv_ro_get(kv, "secret", &data, &len);
    if (err) {
        mirage_log_err("cannot read 'secret': %s", mirage_strerror(err));
        return 1;
    }
    bool same = len == 4 && memcmp(data, "foo\n", 4) == 0;
    free(data);
    if (!same) {
        mirage_log_err("'secret' does not hold \"foo\\n\"");
        return 1;
    }
    struct mirage_kv_list l;
    err = mirage_kv_ro_list(kv, "", &l);
    bool listed = false;
    for (size_t i = 0; !err && i < l.count; i++)
        listed |= strcmp(l.entries[i].key, "secret") == 0 &&
                  l.entries[i].kind == MIRAGE_KV_VALUE;
    mirage_kv_list_free(&l);
    if (!listed) {
        mirage_log_err("the store does not list 'secret'");
        return 1;
    }
    mirage_log_app("kv_ro: 'secret' holds \"foo\\n\"");
    return 0;
}
