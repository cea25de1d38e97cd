/* dns: resolves the names of --domain-name (comma-separated) with a DNS
 * stub resolver over the generic stack and prints the answers. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *names = runtime_arg_string(
        "domain-name", "robur.coop",
        "The names to resolve, separated by commas.", .docv = "NAMES");
    impl *m = mirage_main("dns_start", typ_fn(resolver_typ, job),
                          .runtime_args = args(names));
    return mirage_register(
        argc, argv, "dns",
        jobs(apply(m, resolver_dns(generic_stackv4v6(default_network())))));
}
