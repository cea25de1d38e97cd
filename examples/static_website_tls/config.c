/* static_website_tls: a static web site (the files of htdocs/, compiled
 * in with crunch, or from a tar archive with --kv_ro=archive) over HTTPS
 * on --https-port (4433), with the certificate and key of tls/
 * (--certs-kv_ro chooses that store alike), and plain HTTP on --http-port
 * (8080) redirecting every request to HTTPS. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *http_port =
        runtime_arg_int("http-port", 8080,
                        "The TCP port to answer HTTP on, redirecting to HTTPS.",
                        .docv = "PORT");
    runtime_arg *https_port = runtime_arg_int(
        "https-port", 4433, "The TCP port to serve HTTPS on.", .docv = "PORT");
    impl *m = mirage_main(
        "static_website_start",
        typ_fn(kv_ro_typ, typ_fn(tls_server_typ, typ_fn(http_typ, job))),
        .runtime_args = args(http_port, https_port));
    impl *stack = generic_stackv4v6(default_network());
    impl *data = generic_kv_ro("htdocs");
    impl *certs =
        tls_server(generic_kv_ro("tls", .group = "certs"), .alpn = "http/1.1");
    impl *http = cohttp_server(conduit_direct(stack, .tls = true));
    return mirage_register(argc, argv, "static_website_tls",
                           jobs(apply(m, data, certs, http)));
}
