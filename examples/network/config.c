/* network: a TCP server on --port (default 8080) that logs each peer and
 * what it sends, over the stack --net picks (socket or direct). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 8080, "The TCP port to listen on.", .docv = "PORT");
    impl *m = mirage_main("network_start", typ_fn(stackv4v6_typ, job),
                          .runtime_args = args(port));
    return mirage_register(
        argc, argv, "network",
        jobs(apply(m, generic_stackv4v6(default_network()))));
}
