/* The stores over a filesystem (<mirage/config/fs.h>): the connect
 * functions of <mirage/fs.h> in libmirage_fs.a, functors from a
 * filesystem to a store. */
#include <mirage/config.h>

static impl *store_of_fs(const char *name, typ *t, const char *kind, impl *fs)
{
    return apply(
        impl(name, typ_fn(fs_typ, t),
             .connect = mirage_printf("mirage_%s_connect_fs(&$out, $fs)", kind),
             .headers = strs("mirage/fs.h"), .libraries = strs("fs")),
        fs);
}

impl *mirage_kv_ro_of_fs_(impl *fs)
{
    return store_of_fs("kv_ro_of_fs", kv_ro_typ, "kv_ro", fs);
}

impl *mirage_kv_rw_of_fs_(impl *fs)
{
    return store_of_fs("kv_rw_of_fs", kv_rw_typ, "kv_rw", fs);
}
