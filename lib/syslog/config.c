/* syslog's catalogue entries (<mirage/config/syslog.h>): the connect
 * functions of <mirage/syslog.h> in libmirage_syslog.a, syslog_tls's with
 * lib/tls and BearSSL. */
#include <mirage/config.h>

#include <arpa/inet.h>
#include <string.h>

/* Why the settings are wrong, or NULL. */
static const char *check(const char *what,
                         const struct mirage_syslog_settings *c)
{
    unsigned char a[16];
    if (c->server && inet_pton(AF_INET, c->server, a) != 1 &&
        inet_pton(AF_INET6, c->server, a) != 1)
        return mirage_printf("%s: bad .server '%s' (expected an IPv4 or "
                             "IPv6 address)",
                             what, c->server);
    if (c->port < 0 || c->port > 65535)
        return mirage_printf("%s: bad .port %d (expected 1 to 65535)", what,
                             c->port);
    if (c->truncate && (c->truncate < 64 || c->truncate > 8192))
        return mirage_printf("%s: bad .truncate %d (expected 64 to 8192)", what,
                             c->truncate);
    if (c->hostname && strlen(c->hostname) > 255)
        return mirage_printf("%s: the hostname is longer than 255 bytes", what);
    return NULL;
}

impl *mirage_syslog_(const char *transport, struct mirage_syslog_opts o,
                     impl *stack, impl *kv)
{
    const char *what = mirage_printf("syslog_%s", transport);
    const char *why = check(what, &o.config);
    if (why)
        return mirage_fail("%s", why);
    const struct mirage_syslog_settings *c = &o.config;
    runtime_arg *server = runtime_arg_string(
        "syslog", c->server ? c->server : "",
        "The syslog server to send log messages to (an IPv4 or IPv6 "
        "address).",
        .docv = "ADDRESS", .section = "LOGGING OPTIONS");
    runtime_arg *port =
        runtime_arg_int("syslog-port", c->port,
                        "The syslog server's port (0: 514, or 6514 over TLS).",
                        .docv = "PORT", .section = "LOGGING OPTIONS");
    runtime_arg *hostname =
        runtime_arg_string("syslog-hostname", c->hostname ? c->hostname : "",
                           "The HOSTNAME field of the syslog messages.",
                           .docv = "NAME", .section = "LOGGING OPTIONS");
    const char *config = mirage_printf(
        "&(struct mirage_syslog_config){.hostname = ${syslog-hostname}, "
        ".server_text = ${syslog}, .port = (int)${syslog-port}, "
        ".truncate = %d}",
        c->truncate);
    impl *clock = o.clock ? o.clock : default_posix_clock();
    bool tls = strcmp(transport, "tls") == 0;
    typ *t = tls ? typ_fn(stackv4v6_typ, typ_fn(tls_client_typ, syslog_typ))
                 : typ_fn(stackv4v6_typ, syslog_typ);
    impl *f = impl(
        what, t,
        .connect = mirage_printf(
            "mirage_syslog_connect_%s(&$out, $stackv4v6, $pclock, %s%s)",
            transport, tls ? "$tls_client, " : "", config),
        .headers = strs("mirage/syslog.h"),
        .libraries = tls ? strs("syslog", "tls") : strs("syslog"),
        .packages = tls ? packages(mirage_tls_bearssl_()) : (package_list){0},
        .runtime_args = args(server, port, hostname),
        .extra_deps = deps(clock));
    return tls ? apply(f, stack, tls_client(kv)) : apply(f, stack);
}
