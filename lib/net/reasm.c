/* IPv4 reassembly (RFC 791, with RFC 5722's rule applied to IPv4 as Linux
 * does: a fragment overlapping another, other than an exact duplicate,
 * drops the whole datagram). Memory is bounded by MIRAGE_IPV4_REASM_MAX
 * datagrams and MIRAGE_IPV4_REASM_BYTES of data and bookkeeping, the
 * oldest datagram giving way to a new one; time by a net timer per
 * datagram. */
#include "ipv4_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

/* A datagram of more fragments than this is given up: no sane sender
 * needs them (65535 bytes over the smallest MTU, 68, take 1366), and
 * the cap bounds the work per fragment. */
#define MAX_FRAGS 1500

struct frag {
    struct frag *prev, *next; /* by offset */
    size_t off, len;
    uint8_t data[];
};

struct reasm_datagram {
    struct mirage_net_timer timer; /* first: the timer finds its datagram */
    struct mirage_ipv4 *v4;
    struct reasm_datagram *older, *newer;
    mirage_ipv4_addr src, dst;
    uint16_t id;
    uint8_t proto;
    struct frag *first, *last;
    size_t nfrags;
    size_t total; /* payload length, known once the last fragment came */
    bool have_total;
    size_t bytes;    /* counted in reasm.bytes */
    uint8_t hdr[60]; /* header of the fragment at offset 0 */
    size_t hdr_len;  /* 0 until that fragment came */
};

static void destroy(struct mirage_ipv4 *v4, struct reasm_datagram *d)
{
    struct reasm *r = &v4->reasm;
    if (d->older)
        d->older->newer = d->newer;
    else
        r->oldest = d->newer;
    if (d->newer)
        d->newer->older = d->older;
    else
        r->newest = d->older;
    r->count--;
    r->bytes -= d->bytes;
    mirage_net_timer_cancel(&d->timer);
    for (struct frag *f = d->first, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    free(d);
}

static void give_up(struct mirage_ipv4 *v4, struct reasm_datagram *d)
{
    v4->ip.stats.reasm_dropped++;
    destroy(v4, d);
}

/* Time is up: when the first fragment came, its sender learns it with a
 * "fragment reassembly time exceeded" (RFC 792, as Linux does). */
static void on_timeout(struct mirage_net_timer *t)
{
    struct reasm_datagram *d = (struct reasm_datagram *)t;
    if (d->hdr_len && d->first && d->first->off == 0) {
        struct mirage_ip_rx rx = {
            .src = mirage_ipaddr_of_v4(d->src),
            .dst = mirage_ipaddr_of_v4(d->dst),
            .proto = d->proto,
            .broadcast = d->dst != d->v4->cfg.cidr.addr,
            .hdr = d->hdr,
            .hdr_len = d->hdr_len,
        };
        icmp_send_error(d->v4, &rx, d->first->data, d->first->len,
                        ICMP_TIME_EXCEEDED, ICMP_CODE_REASSEMBLY);
    }
    give_up(d->v4, d);
}

/* Make room for `need` more bytes (and one more datagram when
 * new_datagram) by giving up the oldest datagrams other than keep. */
static bool make_room(struct mirage_ipv4 *v4, size_t need, bool new_datagram,
                      struct reasm_datagram *keep)
{
    struct reasm *r = &v4->reasm;
    if (need > MIRAGE_IPV4_REASM_BYTES)
        return false;
    while (r->bytes + need > MIRAGE_IPV4_REASM_BYTES ||
           (new_datagram && r->count >= MIRAGE_IPV4_REASM_MAX)) {
        struct reasm_datagram *victim = r->oldest;
        if (victim == keep)
            victim = victim->newer;
        if (!victim)
            return false;
        give_up(v4, victim);
    }
    return true;
}

static struct reasm_datagram *find_or_create(struct mirage_ipv4 *v4,
                                             const struct ipv4_hdr *h)
{
    struct reasm *r = &v4->reasm;
    for (struct reasm_datagram *d = r->newest; d; d = d->older)
        if (d->id == h->id && d->src == h->src && d->dst == h->dst &&
            d->proto == h->proto)
            return d;
    if (!make_room(v4, sizeof(struct reasm_datagram), true, NULL))
        return NULL;
    struct reasm_datagram *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    mirage_net_timer_init(&d->timer, on_timeout);
    if (mirage_net_timer_set(&d->timer,
                             mirage_now() + MIRAGE_IPV4_REASM_TIMEOUT)) {
        free(d);
        return NULL;
    }
    d->v4 = v4;
    d->src = h->src;
    d->dst = h->dst;
    d->id = h->id;
    d->proto = h->proto;
    d->bytes = sizeof *d;
    d->older = r->newest;
    if (r->newest)
        r->newest->newer = d;
    else
        r->oldest = d;
    r->newest = d;
    r->count++;
    r->bytes += d->bytes;
    return d;
}

/* Whether the fragments cover [0, total) without a hole. */
static bool complete(const struct reasm_datagram *d)
{
    if (!d->have_total || d->hdr_len == 0)
        return false;
    size_t end = 0;
    for (const struct frag *f = d->first; f; f = f->next) {
        if (f->off != end)
            return false;
        end += f->len;
    }
    return end == d->total;
}

struct mirage_buf *reasm_add(struct mirage_ipv4 *v4, const struct ipv4_hdr *h,
                             const uint8_t *raw, const uint8_t *payload,
                             size_t len, uint8_t hdr_out[60], size_t *hdr_len)
{
    size_t off = h->frag_off, end = off + len;
    /* Every fragment but the last holds a multiple of 8 bytes, none is
     * empty, and the datagram fits in 65535 bytes. */
    if (len == 0 || (h->more_frags && len % 8 != 0) ||
        end + h->hdr_len > 65535) {
        v4->ip.stats.rx_malformed++;
        return NULL;
    }
    struct reasm_datagram *d = find_or_create(v4, h);
    if (!d) {
        v4->ip.stats.reasm_dropped++;
        return NULL;
    }
    if (!h->more_frags) {
        if ((d->have_total && d->total != end) ||
            (d->last && d->last->off + d->last->len > end)) {
            give_up(v4, d);
            return NULL;
        }
        d->have_total = true;
        d->total = end;
    } else if (d->have_total && end > d->total) {
        give_up(v4, d);
        return NULL;
    }
    /* Find the fragment to insert after, scanning from the end (fragments
     * mostly come in order). */
    struct frag *after = d->last;
    while (after && after->off > off)
        after = after->prev;
    if (after && after->off == off && after->len == len)
        return NULL; /* an exact duplicate */
    struct frag *before = after ? after->next : d->first;
    if ((after && after->off + after->len > off) ||
        (before && before->off < end) || d->nfrags == MAX_FRAGS) {
        give_up(v4, d);
        return NULL;
    }
    size_t need = sizeof(struct frag) + len;
    if (!make_room(v4, need, false, d)) {
        give_up(v4, d);
        return NULL;
    }
    struct frag *f = malloc(need);
    if (!f) {
        give_up(v4, d);
        return NULL;
    }
    f->off = off;
    f->len = len;
    memcpy(f->data, payload, len);
    f->prev = after;
    f->next = before;
    if (after)
        after->next = f;
    else
        d->first = f;
    if (before)
        before->prev = f;
    else
        d->last = f;
    d->nfrags++;
    d->bytes += need;
    v4->reasm.bytes += need;
    if (off == 0) {
        memcpy(d->hdr, raw, h->hdr_len);
        d->hdr_len = h->hdr_len;
    }
    if (!complete(d))
        return NULL;
    struct mirage_buf *b = mirage_buf_alloc(d->total);
    if (!b) {
        give_up(v4, d);
        return NULL;
    }
    for (const struct frag *p = d->first; p; p = p->next)
        memcpy(b->data + p->off, p->data, p->len);
    memcpy(hdr_out, d->hdr, d->hdr_len);
    *hdr_len = d->hdr_len;
    v4->ip.stats.reasm_ok++;
    destroy(v4, d);
    return b;
}

void reasm_clear(struct mirage_ipv4 *v4)
{
    while (v4->reasm.oldest)
        destroy(v4, v4->reasm.oldest);
}
