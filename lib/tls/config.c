/* TLS's catalogue entries (<mirage/config/tls.h>): the connect functions
 * of <mirage/tls.h>, mirage_tls_server_connect_kv and
 * mirage_tls_client_connect_kv, in libmirage_tls.a with BearSSL's
 * archive. */
#include <mirage/config.h>

#include <string.h>

package *mirage_tls_bearssl_(void)
{
    return package("libbearssl-dev", .libs = strs("-lbearssl"));
}

/* A comma-separated list of 1 to 8 items of letters, digits, '.', '-',
 * '/' and '_' (ALPN protocol names and host names alike), each at most
 * max long; NULL is fine. */
static bool good_list(const char *s, size_t max)
{
    if (!s)
        return true;
    size_t items = 0;
    for (const char *p = s;; p++) {
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-/_");
        if (n == 0 || n > max || ++items > 8)
            return false;
        p += n;
        if (*p == 0)
            return true;
        if (*p != ',')
            return false;
    }
}

static const char *check(const char *what, const struct mirage_tls_opts *o)
{
    if (!good_list(o->alpn, 32))
        return mirage_printf("%s: bad .alpn '%s' (expected protocol names "
                             "separated by commas, such as \"h2,http/1.1\")",
                             what, o->alpn);
    if (!good_list(o->names, 253))
        return mirage_printf("%s: bad .names '%s' (expected host names "
                             "separated by commas)",
                             what, o->names);
    return NULL;
}

impl *mirage_tls_server_(struct mirage_tls_opts o, impl *kv)
{
    const char *why = check("tls_server", &o);
    if (why)
        return mirage_fail("%s", why);
    if (o.pclock)
        return mirage_fail("tls_server: .pclock is for tls_client");
    impl *random = o.random ? o.random : rng();
    impl *f =
        impl("tls_server", typ_fn(kv_ro_typ, tls_server_typ),
             .connect = mirage_printf(
                 "mirage_tls_server_connect_kv(&$out, $kv_ro, $random, %s, %s)",
                 mirage_cstr(o.alpn ? o.alpn : ""),
                 mirage_cstr(o.names ? o.names : "")),
             .headers = strs("mirage/tls.h"), .libraries = strs("tls"),
             .packages = packages(mirage_tls_bearssl_()),
             .extra_deps = deps(random));
    return apply(f, kv);
}

impl *mirage_tls_client_(struct mirage_tls_opts o, impl *kv)
{
    const char *why = check("tls_client", &o);
    if (why)
        return mirage_fail("%s", why);
    if (o.names)
        return mirage_fail("tls_client: .names is for tls_server");
    impl *random = o.random ? o.random : rng();
    impl *pclock = o.pclock ? o.pclock : default_posix_clock();
    impl *f =
        impl("tls_client", typ_fn(kv_ro_typ, tls_client_typ),
             .connect = mirage_printf("mirage_tls_client_connect_kv(&$out, "
                                      "$kv_ro, $random, $pclock, %s)",
                                      mirage_cstr(o.alpn ? o.alpn : "")),
             .headers = strs("mirage/tls.h"), .libraries = strs("tls"),
             .packages = packages(mirage_tls_bearssl_()),
             .extra_deps = deps(random, pclock));
    return apply(f, kv);
}
