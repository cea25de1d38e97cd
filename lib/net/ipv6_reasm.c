/* IPv6 reassembly (RFC 8200 4.5): fragments are copied into one buffer
 * per datagram with the ranges received kept sorted; overlapping
 * fragments drop the datagram (RFC 5722), and so do inconsistent
 * lengths. Memory is bounded by MIRAGE_IPV6_REASM_MAX datagrams and
 * MIRAGE_IPV6_REASM_BYTES held (the oldest giving way), time by
 * MIRAGE_IPV6_REASM_TIMEOUT (served by the layer's timer). */
#include "ipv6_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

#define HDR        MIRAGE_IPV6_HDR_LEN
#define MAX_PIECES 64 /* a 64 KiB datagram over 1280-byte links takes 54 */

struct range {
    size_t off, len;
};

struct reasm6_datagram {
    struct reasm6_datagram *older, *newer;
    uint8_t src[16], dst[16];
    uint32_t id;
    uint64_t deadline;
    uint8_t *data; /* the fragmentable part, cap bytes */
    size_t cap;
    size_t total; /* known once the last fragment came */
    bool have_total, have_first;
    uint8_t hdr[HDR]; /* of the first fragment */
    uint8_t proto;    /* next header of the first fragment's fragment hdr */
    struct range ranges[MAX_PIECES];
    size_t nranges;
};

static size_t held(const struct reasm6_datagram *d)
{
    return sizeof *d + d->cap;
}

static void destroy(struct mirage_ipv6 *v6, struct reasm6_datagram *d)
{
    if (d->older)
        d->older->newer = d->newer;
    else
        v6->reasm_oldest = d->newer;
    if (d->newer)
        d->newer->older = d->older;
    else
        v6->reasm_newest = d->older;
    v6->reasm_count--;
    v6->reasm_bytes -= held(d);
    free(d->data);
    free(d);
}

static void give_up(struct mirage_ipv6 *v6, struct reasm6_datagram *d)
{
    v6->ip.stats.reasm_dropped++;
    destroy(v6, d);
}

static struct reasm6_datagram *find(struct mirage_ipv6 *v6, const uint8_t *pkt,
                                    uint32_t id)
{
    for (struct reasm6_datagram *d = v6->reasm_oldest; d; d = d->newer)
        if (d->id == id && memcmp(d->src, pkt + 8, 16) == 0 &&
            memcmp(d->dst, pkt + 24, 16) == 0)
            return d;
    return NULL;
}

static struct reasm6_datagram *create(struct mirage_ipv6 *v6,
                                      const uint8_t *pkt, uint32_t id)
{
    if (v6->reasm_count == MIRAGE_IPV6_REASM_MAX)
        give_up(v6, v6->reasm_oldest);
    struct reasm6_datagram *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    memcpy(d->src, pkt + 8, 16);
    memcpy(d->dst, pkt + 24, 16);
    d->id = id;
    d->deadline = mirage_now() + MIRAGE_IPV6_REASM_TIMEOUT;
    d->older = v6->reasm_newest;
    if (d->older)
        d->older->newer = d;
    else
        v6->reasm_oldest = d;
    v6->reasm_newest = d;
    v6->reasm_count++;
    v6->reasm_bytes += held(d);
    nd_schedule(v6);
    return d;
}

/* Make room for `end` bytes of data: false when the bound forbids it. */
static bool grow(struct mirage_ipv6 *v6, struct reasm6_datagram *d, size_t end)
{
    if (end <= d->cap)
        return true;
    size_t cap = d->cap ? d->cap : 4096;
    while (cap < end)
        cap *= 2;
    if (cap > 65535)
        cap = 65535;
    size_t more = cap - d->cap;
    while (v6->reasm_bytes + more > MIRAGE_IPV6_REASM_BYTES &&
           v6->reasm_oldest != d)
        give_up(v6, v6->reasm_oldest);
    if (v6->reasm_bytes + more > MIRAGE_IPV6_REASM_BYTES)
        return false;
    uint8_t *p = realloc(d->data, cap);
    if (!p)
        return false;
    d->data = p;
    d->cap = cap;
    v6->reasm_bytes += more;
    return true;
}

/* Insert [off, off + len) in the sorted ranges: false on an overlap or
 * when the datagram has too many pieces. */
static bool insert(struct reasm6_datagram *d, size_t off, size_t len)
{
    size_t i = 0;
    while (i < d->nranges && d->ranges[i].off < off)
        i++;
    if ((i > 0 && d->ranges[i - 1].off + d->ranges[i - 1].len > off) ||
        (i < d->nranges && off + len > d->ranges[i].off) ||
        d->nranges == MAX_PIECES)
        return false;
    memmove(&d->ranges[i + 1], &d->ranges[i],
            (d->nranges - i) * sizeof d->ranges[0]);
    d->ranges[i] = (struct range){off, len};
    d->nranges++;
    return true;
}

static bool complete(const struct reasm6_datagram *d)
{
    if (!d->have_total || !d->have_first)
        return false;
    size_t at = 0;
    for (size_t i = 0; i < d->nranges; i++) {
        if (d->ranges[i].off != at)
            return false;
        at += d->ranges[i].len;
    }
    return at == d->total;
}

/* A new packet of the IPv6 header (payload length, next header fixed)
 * and data. */
static struct mirage_buf *packet(const uint8_t hdr[HDR], uint8_t proto,
                                 const uint8_t *data, size_t len)
{
    struct mirage_buf *b = mirage_buf_alloc(HDR + len);
    if (!b)
        return NULL;
    memcpy(b->data, hdr, HDR);
    mirage_put_be16(b->data + 4, (uint16_t)len);
    b->data[6] = proto;
    memcpy(b->data + HDR, data, len);
    return b;
}

struct mirage_buf *reasm6_add(struct mirage_ipv6 *v6, struct mirage_buf *b,
                              size_t frag_off, size_t *upper, uint8_t *proto)
{
    const uint8_t *p = b->data, *fh = p + frag_off;
    uint16_t offw = mirage_get_be16(fh + 2);
    size_t off = offw & ~7u, n = b->len - frag_off - 8;
    bool more = offw & 1;
    uint32_t id = mirage_get_be32(fh + 4);
    const uint8_t *data = fh + 8;
    *upper = HDR;
    *proto = fh[0];
    if (!more && off == 0) /* an atomic fragment (RFC 6946) */
        return packet(p, fh[0], data, n);
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v6(p + 8),
        .dst = mirage_ipaddr_of_v6(p + 24),
        .hdr = p,
        .hdr_len = b->len,
    };
    if ((more && (n == 0 || n % 8 != 0)) || off + n > 65535) {
        /* RFC 8200 4.5: a parameter problem pointing at the payload
         * length or the fragment offset. */
        v6->ip.stats.rx_malformed++;
        icmpv6_send_error(v6, &rx, NULL, 0, ICMPV6_PARAM_PROB, 0,
                          off + n > 65535 ? (uint32_t)frag_off + 2 : 4);
        return NULL;
    }
    struct reasm6_datagram *d = find(v6, p, id);
    if (!d && !(d = create(v6, p, id))) {
        v6->ip.stats.reasm_dropped++;
        return NULL;
    }
    bool bad = (!more && d->have_total && d->total != off + n) ||
               (d->have_total && off + n > d->total) ||
               (!more && d->nranges &&
                d->ranges[d->nranges - 1].off + d->ranges[d->nranges - 1].len >
                    off + n);
    if (bad || !grow(v6, d, off + n) || !insert(d, off, n)) {
        give_up(v6, d);
        return NULL;
    }
    memcpy(d->data + off, data, n);
    if (!more) {
        d->total = off + n;
        d->have_total = true;
    }
    if (off == 0) {
        memcpy(d->hdr, p, HDR);
        d->proto = fh[0];
        d->have_first = true;
    }
    if (!complete(d))
        return NULL;
    struct mirage_buf *whole = packet(d->hdr, d->proto, d->data, d->total);
    *proto = d->proto;
    v6->ip.stats.reasm_ok++;
    destroy(v6, d);
    return whole;
}

void reasm6_expire(struct mirage_ipv6 *v6, uint64_t now)
{
    struct reasm6_datagram *d;
    while ((d = v6->reasm_oldest) && d->deadline <= now) {
        if (d->have_first) {
            /* "Fragment reassembly time exceeded" (RFC 8200 4.5). */
            struct mirage_ip_rx rx = {
                .src = mirage_ipaddr_of_v6(d->src),
                .dst = mirage_ipaddr_of_v6(d->dst),
                .broadcast = ip6_is_multicast(d->dst),
                .hdr = d->hdr,
                .hdr_len = HDR,
            };
            size_t len = d->nranges ? d->ranges[0].len : 0;
            icmpv6_send_error(v6, &rx, d->data, len, ICMPV6_TIME_EXCEED, 1, 0);
        }
        give_up(v6, d);
    }
}

uint64_t reasm6_next_deadline(const struct mirage_ipv6 *v6)
{
    return v6->reasm_oldest ? v6->reasm_oldest->deadline : UINT64_MAX;
}

void reasm6_clear(struct mirage_ipv6 *v6)
{
    while (v6->reasm_oldest)
        destroy(v6, v6->reasm_oldest);
}
