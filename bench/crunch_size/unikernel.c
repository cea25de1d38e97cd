/* crunch_size: prints how many values the top dictionary of the crunched
 * directory holds and their total size, so the benchmark can check the
 * image carries the whole directory. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <mirage/log.h>

int crunch_size_start(struct mirage_kv_ro *kv)
{
    struct mirage_kv_list l;
    int r = mirage_kv_ro_list(kv, "", &l);
    if (r != 0) {
        mirage_log_err("list: %s", mirage_strerror(r));
        return 1;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < l.count && r == 0; i++) {
        uint64_t size = 0;
        if (l.entries[i].kind == MIRAGE_KV_VALUE)
            r = mirage_kv_ro_size(kv, l.entries[i].key, &size);
        total += size;
    }
    mirage_log_app("crunch_size: %zu entries, %llu bytes", l.count,
                   (unsigned long long)total);
    mirage_kv_list_free(&l);
    return r == 0 ? 0 : 1;
}
