/* The v4v6 IP device (mirage_ip_connect_v4v6, ip.h): one interface over
 * an IPv4 layer and an IPv6 layer, choosing by address version. */
#include <mirage/error.h>
#include <mirage/ipv6.h>
#include <stdlib.h>

struct dual {
    struct mirage_ip ip; /* first: the ops find the device from it */
    struct mirage_ip *v4, *v6;
};

static struct mirage_ip *pick(struct mirage_ip *ip,
                              const struct mirage_ipaddr *a)
{
    struct dual *d = (struct dual *)ip;
    return a->version == MIRAGE_IP_V6 ? d->v6 : d->v4;
}

static int dual_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                      const struct mirage_ipaddr *dst, uint8_t proto,
                      struct mirage_buf *payload)
{
    return mirage_ip_write(pick(ip, dst), src, dst, proto, payload);
}

static int dual_src(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                    struct mirage_ipaddr *out)
{
    return mirage_ip_src(pick(ip, dst), dst, out);
}

static size_t dual_mtu(struct mirage_ip *ip, const struct mirage_ipaddr *dst)
{
    return mirage_ip_mtu(pick(ip, dst), dst);
}

static int dual_set_proto(struct mirage_ip *ip, uint8_t proto,
                          const struct mirage_ip_proto *p)
{
    struct dual *d = (struct dual *)ip;
    int err = mirage_ip_set_proto(d->v4, proto, p);
    if (!err) {
        err = mirage_ip_set_proto(d->v6, proto, p);
        if (err)
            mirage_ip_set_proto(d->v4, proto, NULL);
    }
    return err;
}

static int dual_report(struct mirage_ip *ip, const struct mirage_ip_rx *rx,
                       const struct mirage_buf *payload,
                       enum mirage_ip_report_kind kind)
{
    return mirage_ip_report(pick(ip, &rx->src), rx, payload, kind);
}

static size_t dual_addresses(struct mirage_ip *ip, struct mirage_ipaddr *out,
                             size_t max)
{
    struct dual *d = (struct dual *)ip;
    size_t n = mirage_ip_addresses(d->v4, out, max);
    return n + mirage_ip_addresses(d->v6, out + (n < max ? n : max),
                                   n < max ? max - n : 0);
}

static const struct mirage_ip_ops dual_ops = {
    .write = dual_write,
    .src = dual_src,
    .mtu = dual_mtu,
    .set_proto = dual_set_proto,
    .report = dual_report,
    .addresses = dual_addresses,
};

int mirage_ip_connect_v4v6(struct mirage_ip **out, struct mirage_ipv4 *v4,
                           struct mirage_ipv6 *v6)
{
    if (!v4 || !v6) {
        if (!v4 && !v6)
            return MIRAGE_EINVAL;
        *out = v4 ? mirage_ipv4_ip(v4) : mirage_ipv6_ip(v6);
        return 0;
    }
    struct dual *d = calloc(1, sizeof *d);
    if (!d)
        return MIRAGE_ENOMEM;
    d->ip.ops = &dual_ops;
    d->v4 = mirage_ipv4_ip(v4);
    d->v6 = mirage_ipv6_ip(v6);
    /* Checksums are left to the interface only if both layers can; each
     * keeps its own TSO. */
    if (d->v4->offloads & d->v6->offloads & MIRAGE_NET_OFFLOAD_CSUM)
        d->ip.offloads = d->v4->offloads | d->v6->offloads;
    *out = &d->ip;
    return 0;
}

void mirage_ip_disconnect_v4v6(struct mirage_ip *ip)
{
    if (ip->ops == &dual_ops)
        free(ip);
}
