/* ping6: an IPv6 stack that answers neighbour discovery and ICMPv6 echo
 * requests, and logs its neighbours and what it answers. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("ping6_start", typ_fn(stackv6_typ, job));
    return mirage_register(
        argc, argv, "ping6",
        jobs(apply(m, static_ipv6_stack(default_network()))));
}
