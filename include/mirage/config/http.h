/* HTTP (lib/http, entries in lib/http/config.c; <mirage/http.h>): the
 * HTTP/1.1 server over a conduit, under MirageOS's two names, and the
 * client over a resolver and a conduit. Part of <mirage/config.h>;
 * include that. */
#ifndef MIRAGE_CONFIG_HTTP_H
#define MIRAGE_CONFIG_HTTP_H

/* http_typ: struct mirage_http *, a server factory over a conduit
 * (mirage_http_listen). http_client_typ: struct mirage_http_client *. */
#define http_typ                                                               \
    typ_new("http", "struct mirage_http *", .header = "mirage/http.h")
#define http_client_typ                                                        \
    typ_new("http_client", "struct mirage_http_client *",                      \
            .header = "mirage/http.h")

/* cohttp_server(conduit), httpaf_server(conduit): MirageOS's two HTTP
 * servers; here both give lib/http's server (pipelining, keep-alive,
 * limits and timeouts of <mirage/http.h>), serving the conduit's TCP and,
 * with conduit_direct(..., .tls = true), TLS endpoints.
 * Example: cohttp_server(conduit_direct(generic_stackv4v6(default_network())))
 * Example: httpaf_server(
 *     conduit_direct(generic_stackv4v6(default_network()), .tls = true)) */
#define cohttp_server(conduit)                                                 \
    MIRAGE_ENTRY_(mirage_http_server_("cohttp", (conduit)))
#define httpaf_server(conduit)                                                 \
    MIRAGE_ENTRY_(mirage_http_server_("httpaf", (conduit)))

/* cohttp_client(resolver, conduit, ...): an HTTP/1.1 client (GET, POST
 * and any method; redirects followed up to 5; Content-Length, chunked and
 * close-delimited bodies) reaching names through resolver and hosts
 * through conduit. https URLs need .tls, a tls_client device (the trust
 * anchors; certificates are verified and names checked), and a conduit
 * made with .tls = true; without .tls they fail with MIRAGE_ENOTSUP.
 * Example: cohttp_client(resolver_dns(generic_stackv4v6(default_network())),
 *     conduit_direct(generic_stackv4v6(default_network())))
 * Example: cohttp_client(resolver_dns(generic_stackv4v6(default_network())),
 *     conduit_direct(generic_stackv4v6(default_network()), .tls = true),
 *     .tls = tls_client(crunch("t"))) */
struct mirage_http_client_opts {
    const char *file_;
    int line_;
    impl *tls;
};
#define cohttp_client(resolver, conduit, ...)                                  \
    MIRAGE_ENTRY_(mirage_cohttp_client_(                                       \
        (struct mirage_http_client_opts){                                      \
            .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__},                \
        (resolver), (conduit)))

impl *mirage_http_server_(const char *name, impl *conduit);
impl *mirage_cohttp_client_(struct mirage_http_client_opts o, impl *resolver,
                            impl *conduit);

#endif
