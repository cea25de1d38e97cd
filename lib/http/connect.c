/* The client's connectors (http.h): TCP to an IPv4 literal; TCP to the
 * addresses a DNS resolver gives for a name, tried in turn; and
 * cohttp_client's, the same through a conduit, with TLS for https. */
#include <mirage/conduit.h>
#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/ipaddr.h>
#include <mirage/resolver.h>
#include <stdlib.h>

/* Connect to one address; 0 with *out set, or the TCP error. */
static int tcp_to(struct mirage_tcp *tcp, const struct mirage_ipaddr *dst,
                  uint16_t port, uint64_t deadline, struct mirage_flow **out)
{
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(tcp, dst, port, deadline, &f);
    if (!err)
        *out = &f->flow;
    return err;
}

int mirage_http_tcp_connector(void *arg, bool tls, const char *host,
                              uint16_t port, uint64_t deadline,
                              struct mirage_flow **out)
{
    mirage_ipv4_addr a;
    if (tls || mirage_ipv4_parse(host, &a) != 0)
        return MIRAGE_ENOTSUP;
    struct mirage_ipaddr dst = mirage_ipaddr_of_v4(a);
    return tcp_to(arg, &dst, port, deadline, out);
}

/* Resolve host's IPv4 addresses into addrs[0..8): their count or the
 * resolver's error. May yield. */
static long resolve(struct mirage_resolver *r, const char *host,
                    uint64_t deadline, struct mirage_ipaddr addrs[8])
{
    long n =
        mirage_resolver_getaddrinfo(r, host, MIRAGE_IP_V4, addrs, 8, deadline);
    return n > 8 ? 8 : n;
}

int mirage_http_dns_connector(void *arg, bool tls, const char *host,
                              uint16_t port, uint64_t deadline,
                              struct mirage_flow **out)
{
    struct mirage_http_dns *d = arg;
    if (tls)
        return MIRAGE_ENOTSUP;
    struct mirage_ipaddr addrs[8];
    long n = resolve(d->resolver, host, deadline, addrs);
    if (n < 0)
        return (int)n;
    int err = MIRAGE_EUNREACH;
    for (long i = 0; i < n; i++)
        if ((err = tcp_to(d->tcp, &addrs[i], port, deadline, out)) == 0)
            break;
    return err;
}

/* cohttp_client's connector argument. */
struct conduit_connector {
    struct mirage_resolver *resolver;
    struct mirage_conduit *conduit;
    struct mirage_tls_client_config *tls;
};

static int conduit_connector(void *arg, bool tls, const char *host,
                             uint16_t port, uint64_t deadline,
                             struct mirage_flow **out)
{
    struct conduit_connector *c = arg;
    if (tls && !c->tls)
        return MIRAGE_ENOTSUP;
    struct mirage_ipaddr addrs[8];
    long n = resolve(c->resolver, host, deadline, addrs);
    if (n < 0)
        return (int)n;
    struct mirage_conduit_client to = {
        .kind = tls ? MIRAGE_CONDUIT_TLS : MIRAGE_CONDUIT_TCP,
        .port = port,
        .tls = tls ? c->tls : NULL,
        .host = host,
    };
    int err = MIRAGE_EUNREACH;
    for (long i = 0; i < n; i++) {
        to.addr = addrs[i];
        if ((err = mirage_conduit_connect(c->conduit, &to, deadline, out)) == 0)
            break;
    }
    return err;
}

int mirage_http_client_connect_cohttp(struct mirage_http_client **out,
                                      struct mirage_resolver *resolver,
                                      struct mirage_conduit *conduit,
                                      struct mirage_tls_client_config *tls)
{
    /* The device lives as long as the image: its connector's state is
     * never freed. */
    struct conduit_connector *c = malloc(sizeof *c);
    if (!c)
        return MIRAGE_ENOMEM;
    *c = (struct conduit_connector){resolver, conduit, tls};
    int err = mirage_http_client_create(conduit_connector, c, NULL, out);
    if (err)
        free(c);
    return err;
}
