/* The client's connectors (http.h): TCP to an IPv4 literal, or to the
 * addresses a DNS resolver gives for a name, tried in turn. */
#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/ipaddr.h>
#include <mirage/resolver.h>

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

int mirage_http_dns_connector(void *arg, bool tls, const char *host,
                              uint16_t port, uint64_t deadline,
                              struct mirage_flow **out)
{
    struct mirage_http_dns *d = arg;
    if (tls)
        return MIRAGE_ENOTSUP;
    struct mirage_ipaddr addrs[8];
    long n = mirage_resolver_getaddrinfo(d->resolver, host, MIRAGE_IP_V4, addrs,
                                         8, deadline);
    if (n < 0)
        return (int)n;
    int err = MIRAGE_EUNREACH;
    for (long i = 0; i < n && i < 8; i++)
        if ((err = tcp_to(d->tcp, &addrs[i], port, deadline, out)) == 0)
            break;
    return err;
}
