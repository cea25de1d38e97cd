/* ping: a stack that answers ARP and ICMP echo requests and logs what it
 * sees. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    impl *m = mirage_main("ping_start", typ_fn(stackv4v6_typ, job));
    return mirage_register(
        argc, argv, "ping",
        jobs(apply(m, static_ipv4v6_stack(default_network()))));
}
