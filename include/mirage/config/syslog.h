/* syslog (lib/syslog, entries in lib/syslog/config.c; <mirage/syslog.h>):
 * MirageOS's logs-syslog reporters, which send what the --logs
 * thresholds let through to a syslog server instead of the console.
 * Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_SYSLOG_H
#define MIRAGE_CONFIG_SYSLOG_H

/* syslog_typ: struct mirage_syslog *. */
#define syslog_typ                                                             \
    typ_new("syslog", "struct mirage_syslog *", .header = "mirage/syslog.h")

/* syslog_config(hostname, ...): MirageOS's syslog_config: the HOSTNAME
 * field of the messages, .server (an IPv4 or IPv6 address), .port
 * (default 514, 6514 for TLS) and .truncate (the length messages are
 * cut to; default 2048 over UDP, 8192 over TCP and TLS). They are the
 * defaults of the runtime arguments --syslog-hostname, --syslog and
 * --syslog-port (MirageOS's), so a server can also be given at boot; an
 * image without any fails to start, saying so. A value, given to the
 * devices' .config (without it, every default is empty); not a device,
 * so its examples are those of the devices below. */
struct mirage_syslog_settings {
    const char *hostname;
    const char *server;
    int port;
    int truncate;
};
#define syslog_config mirage_syslog_config_
#define mirage_syslog_config_(hostname_, ...)                                  \
    ((struct mirage_syslog_settings){.hostname = (hostname_), __VA_ARGS__})

/* syslog_udp(stack, ...), syslog_tcp(stack, ...): the reporter over the
 * UDP or the TCP (RFC 6587 octet counting; reconnecting with backoff,
 * messages kept in a bounded ring meanwhile and the lost ones counted)
 * of a stackv4v6. .config: a syslog_config; .clock: the timestamps'
 * pclock (default default_posix_clock()).
 * Example: syslog_udp(generic_stackv4v6(default_network()))
 * Example: syslog_tcp(generic_stackv4v6(default_network()),
 *     .config = syslog_config("www", .server = "10.0.0.1", .port = 601,
 *     .truncate = 4096), .clock = default_posix_clock())
 * syslog_tls(stack, kv, ...): as syslog_tcp under TLS, trusting the
 * anchors of ca-roots.crt in kv (a tls_client), the server's certificate
 * checked against the server's address.
 * Example: syslog_tls(generic_stackv4v6(default_network()), crunch("t"),
 *     .config = syslog_config("www", .server = "2001:db8::1")) */
struct mirage_syslog_opts {
    const char *file_;
    int line_;
    struct mirage_syslog_settings config;
    impl *clock;
};
#define MIRAGE_SYSLOG_OPTS_(...)                                               \
    (struct mirage_syslog_opts)                                                \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }
#define syslog_udp(stack, ...)                                                 \
    MIRAGE_ENTRY_(mirage_syslog_("udp", MIRAGE_SYSLOG_OPTS_(__VA_ARGS__),      \
                                 (stack), NULL))
#define syslog_tcp(stack, ...)                                                 \
    MIRAGE_ENTRY_(mirage_syslog_("tcp", MIRAGE_SYSLOG_OPTS_(__VA_ARGS__),      \
                                 (stack), NULL))
#define syslog_tls(stack, kv, ...)                                             \
    MIRAGE_ENTRY_(mirage_syslog_("tls", MIRAGE_SYSLOG_OPTS_(__VA_ARGS__),      \
                                 (stack), (kv)))

impl *mirage_syslog_(const char *transport, struct mirage_syslog_opts o,
                     impl *stack, impl *kv);

#endif
