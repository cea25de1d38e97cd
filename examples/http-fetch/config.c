/* http-fetch: fetch the URL of --uri at boot with cohttp_client (names
 * through resolver_dns, HTTPS through conduit_direct with TLS, trusting
 * the roots of tls/ca-roots.crt) and print the status, the header fields
 * and the body's length. */
#include <mirage/config.h>

int main(int argc, char **argv)
{
    runtime_arg *uri =
        runtime_arg_string("uri", "http://mirage.io/",
                           "The URL to fetch (http or https).", .docv = "URL");
    impl *m = mirage_main("http_fetch_start", typ_fn(http_client_typ, job),
                          .runtime_args = args(uri));
    impl *stack = generic_stackv4v6(default_network());
    impl *client =
        cohttp_client(resolver_dns(stack), conduit_direct(stack, .tls = true),
                      .tls = tls_client(generic_kv_ro("tls")));
    return mirage_register(argc, argv, "http-fetch", jobs(apply(m, client)));
}
