/* HTTP's catalogue entries (<mirage/config/http.h>): the connect
 * functions of <mirage/http.h>'s devices, in libmirage_http.a with
 * lib/conduit. */
#include <mirage/config.h>

impl *mirage_http_server_(const char *name, impl *conduit)
{
    impl *f =
        impl(mirage_printf("%s_server", name), typ_fn(conduit_typ, http_typ),
             .connect =
                 mirage_printf("mirage_http_connect_%s(&$out, $conduit)", name),
             .headers = strs("mirage/http.h", "mirage/conduit.h"),
             .libraries = strs("http"));
    return apply(f, conduit);
}

impl *mirage_cohttp_client_(struct mirage_http_client_opts o, impl *resolver,
                            impl *conduit)
{
    typ *t = typ_fn(resolver_typ, typ_fn(conduit_typ, http_client_typ));
    impl *f;
    if (o.tls)
        f = impl("cohttp_client", t,
                 .connect = "mirage_http_client_connect_cohttp(&$out, "
                            "$resolver, $conduit, $tls_client)",
                 .headers = strs("mirage/http.h", "mirage/conduit.h"),
                 .libraries = strs("http"), .extra_deps = deps(o.tls));
    else
        f = impl("cohttp_client", t,
                 .connect = "mirage_http_client_connect_cohttp(&$out, "
                            "$resolver, $conduit, NULL)",
                 .headers = strs("mirage/http.h", "mirage/conduit.h"),
                 .libraries = strs("http"));
    return apply(f, resolver, conduit);
}
