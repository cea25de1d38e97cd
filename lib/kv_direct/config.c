/* The host directory stores' catalogue entries
 * (<mirage/config/kv_direct.h>): the connect functions of <mirage/kv.h>
 * in libmirage_kv_direct.a, which calls the unix-only host files of
 * <mirage/hostfs.h>; so the devices support the unix target alone. */
#include <mirage/config.h>

/* A store of type t over the host directory dir (unix only). */
static impl *host_directory(const char *name, typ *t, const char *kind,
                            const char *dir)
{
    if (!dir || !*dir)
        return mirage_fail("%s needs a directory", name);
    return impl(name, t,
                .connect = mirage_printf("mirage_%s_connect_direct(&$out, %s)",
                                         kind, mirage_cstr(dir)),
                .headers = strs("mirage/kv.h"), .libraries = strs("kv_direct"),
                .targets = strs("unix"));
}

impl *mirage_direct_kv_ro_(const char *dir)
{
    impl *direct = host_directory("direct_kv_ro", kv_ro_typ, "kv_ro", dir);
    return match_impl(key_value(target_key), crunch(dir),
                      match_case("unix", direct));
}

impl *mirage_direct_kv_rw_(const char *dir)
{
    return host_directory("direct_kv_rw", kv_rw_typ, "kv_rw", dir);
}
