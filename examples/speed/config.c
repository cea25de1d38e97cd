/* speed: a TCP source or sink on --port for throughput measurements,
 * over the stack --net picks (socket or direct). */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 5001, "The TCP port to listen on.", .docv = "PORT");
    runtime_arg *mode = runtime_arg_string(
        "mode", "sink",
        "sink: read and discard everything each connection sends; source: "
        "send --bytes bytes to each connection, then close it.",
        .docv = "MODE");
    runtime_arg *bytes = runtime_arg_int(
        "bytes", 104857600, "How many bytes a source sends per connection.",
        .docv = "N");
    impl *m = mirage_main("speed_start", typ_fn(stackv4v6_typ, job),
                          .runtime_args = args(port, mode, bytes));
    return mirage_register(
        argc, argv, "speed",
        jobs(apply(m, generic_stackv4v6(default_network()))));
}
