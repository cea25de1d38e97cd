/* Conduit's catalogue entry (<mirage/config/conduit.h>): the connect
 * functions of <mirage/conduit.h> in libmirage_conduit.a, the TLS one
 * with lib/tls and BearSSL. */
#include <mirage/config.h>

impl *mirage_conduit_direct_(struct mirage_conduit_opts o, impl *stack)
{
    impl *f;
    if (o.tls)
        f = impl("conduit_direct", typ_fn(stackv4v6_typ, conduit_typ),
                 .connect =
                     "mirage_conduit_connect_direct_tls(&$out, $stackv4v6)",
                 .headers = strs("mirage/conduit.h"),
                 .libraries = strs("conduit", "tls"),
                 .packages = packages(mirage_tls_bearssl_()));
    else
        f = impl("conduit_direct", typ_fn(stackv4v6_typ, conduit_typ),
                 .connect = "mirage_conduit_connect_direct(&$out, $stackv4v6)",
                 .headers = strs("mirage/conduit.h"),
                 .libraries = strs("conduit"));
    return apply(f, stack);
}
