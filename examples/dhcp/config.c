/* dhcp: a DHCP client that gets a lease, logs it, and keeps it, logging
 * what happens to it (renewals, rebinding, a lost lease), until
 * --renewals renewals (0: for ever). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *renewals = runtime_arg_int(
        "renewals", 0,
        "Stop after this many renewals, giving the lease back (0: never "
        "stop).",
        .docv = "N");
    impl *net = default_network();
    impl *eth = etif(net);
    impl *a = arp(eth);
    impl *m = mirage_main("dhcp_start", typ_fn(dhcp_typ, typ_fn(ipv4_typ, job)),
                          .runtime_args = args(renewals));
    return mirage_register(
        argc, argv, "dhcp",
        jobs(apply(m, dhcp_client(eth, a), ipv4_of_dhcp(net, eth, a))));
}
