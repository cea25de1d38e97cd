/* TLS credentials (lib/tls, entries in lib/tls/config.c; <mirage/tls.h>):
 * a server's or a client's TLS configuration read from a kv_ro store at
 * start-up, with MirageOS's names (Tls_mirage.X509), for the
 * application or conduit_direct to make sessions with. Both link lib/tls
 * and BearSSL (Debian libbearssl-dev). Part of <mirage/config.h>;
 * include that. */
#ifndef MIRAGE_CONFIG_TLS_H
#define MIRAGE_CONFIG_TLS_H

/* tls_server_typ, tls_client_typ: struct mirage_tls_server_config * and
 * struct mirage_tls_client_config *. */
#define tls_server_typ                                                         \
    typ_new("tls_server", "struct mirage_tls_server_config *",                 \
            .header = "mirage/tls.h")
#define tls_client_typ                                                         \
    typ_new("tls_client", "struct mirage_tls_client_config *",                 \
            .header = "mirage/tls.h")

/* tls_server(kv, ...): the certificate chain server.pem and its key
 * server.key of the store kv (usually crunch("tls") or
 * generic_kv_ro("tls"): the application's tls/ directory), and NAME.pem
 * with NAME.key for each name of .names ("a.example,b.example"),
 * chosen per connection by the client's server_name. .alpn: the
 * protocols offered, in order of preference ("h2,http/1.1"; default
 * none); .random: the generator (default rng()).
 * Example: tls_server(crunch("t"))
 * Example: tls_server(generic_kv_ro("t"), .alpn = "h2,http/1.1",
 *     .names = "a.example,b.example", .random = default_random())
 * tls_client(kv, ...): trust anchors from ca-roots.crt of the store kv,
 * validity dates from .pclock (default default_posix_clock()); .alpn
 * and .random as above.
 * Example: tls_client(crunch("t"))
 * Example: tls_client(crunch("t"), .alpn = "http/1.1",
 *     .pclock = default_posix_clock()) */
struct mirage_tls_opts {
    const char *file_;
    int line_;
    const char *alpn;
    const char *names;
    impl *random, *pclock;
};
#define MIRAGE_TLS_OPTS_(...)                                                  \
    (struct mirage_tls_opts)                                                   \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
#define tls_server(kv, ...)                                                    \
    MIRAGE_ENTRY_(mirage_tls_server_(MIRAGE_TLS_OPTS_(__VA_ARGS__), (kv)))
#define tls_client(kv, ...)                                                    \
    MIRAGE_ENTRY_(mirage_tls_client_(MIRAGE_TLS_OPTS_(__VA_ARGS__), (kv)))

impl *mirage_tls_server_(struct mirage_tls_opts o, impl *kv);
impl *mirage_tls_client_(struct mirage_tls_opts o, impl *kv);
/* The BearSSL package (also used by conduit_direct's TLS). */
package *mirage_tls_bearssl_(void);

#endif
