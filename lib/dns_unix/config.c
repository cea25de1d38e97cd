/* resolver_unix_system's catalogue entry (<mirage/config/dns_unix.h>):
 * mirage_resolver_connect_unix_system of <mirage/resolver.h> in
 * libmirage_dns_unix.a, over the host's files and sockets: unix only. */
#include <mirage/config.h>

impl *mirage_resolver_unix_system_(void)
{
    return impl("resolver_unix_system", resolver_typ,
                .connect = "mirage_resolver_connect_unix_system(&$out)",
                .headers = strs("mirage/resolver.h"),
                .libraries = strs("dns_unix"), .targets = strs("unix"));
}
