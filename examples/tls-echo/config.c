/* tls-echo: a TLS echo server on --port (default 4433), its certificate
 * and key from tls/ (server.pem, server.key) compiled into the image. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 4433, "The TCP port to serve TLS on.", .docv = "PORT");
    impl *m = mirage_main("tls_echo_start",
                          typ_fn(stackv4v6_typ, typ_fn(tls_server_typ, job)),
                          .runtime_args = args(port));
    return mirage_register(argc, argv, "tls-echo",
                           jobs(apply(m, generic_stackv4v6(default_network()),
                                      tls_server(crunch("tls")))));
}
