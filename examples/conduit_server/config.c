/* conduit_server: an HTTP server (lib/http) over TCP (--port, default
 * 8080) and TLS (--tls-port, default 8443) through conduit_direct; the
 * TLS certificate and key from tls/ (server.pem, server.key) compiled
 * into the image. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *port = runtime_arg_int(
        "port", 8080, "The TCP port to serve HTTP on.", .docv = "PORT");
    runtime_arg *tls_port = runtime_arg_int(
        "tls-port", 8443, "The TCP port to serve HTTPS on.", .docv = "PORT");
    impl *m = mirage_main("conduit_server_start",
                          typ_fn(conduit_typ, typ_fn(tls_server_typ, job)),
                          .runtime_args = args(port, tls_port),
                          .libraries = strs("http"));
    impl *stack = generic_stackv4v6(default_network());
    return mirage_register(
        argc, argv, "conduit_server",
        jobs(apply(m, conduit_direct(stack, .tls = true),
                   tls_server(crunch("tls"), .alpn = "http/1.1"))));
}
