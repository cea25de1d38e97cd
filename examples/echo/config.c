/* echo: a TCP and UDP echo server on --port (default 7). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 7, "The TCP and UDP port to echo on.", .docv = "PORT");
    impl *m = mirage_main("echo_start", typ_fn(stackv4v6_typ, job),
                          .runtime_args = args(port));
    return mirage_register(
        argc, argv, "echo",
        jobs(apply(m, generic_stackv4v6(default_network()))));
}
