/* The DNS tests' message writer and scripted server (dns_server.h). */
#include "dns_server.h"

#include <mirage/buf.h>
#include <stdlib.h>
#include <string.h>

void dnsw_init(struct dnsw *w, uint8_t *buf, size_t cap)
{
    w->p = buf;
    w->len = 0;
    w->cap = cap;
}

void dnsw_bytes(struct dnsw *w, const void *p, size_t n)
{
    if (w->len + n > w->cap)
        abort(); /* a test wrote more than its buffer */
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

void dnsw_u8(struct dnsw *w, uint8_t v)
{
    dnsw_bytes(w, &v, 1);
}

void dnsw_u16(struct dnsw *w, uint16_t v)
{
    uint8_t b[2];
    mirage_put_be16(b, v);
    dnsw_bytes(w, b, 2);
}

void dnsw_u32(struct dnsw *w, uint32_t v)
{
    uint8_t b[4];
    mirage_put_be32(b, v);
    dnsw_bytes(w, b, 4);
}

size_t dnsw_name(struct dnsw *w, const char *text)
{
    size_t at = w->len;
    const char *s = text;
    while (*s && strcmp(s, ".") != 0) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        dnsw_u8(w, (uint8_t)n);
        dnsw_bytes(w, s, n);
        s += n + (dot ? 1 : 0);
    }
    dnsw_u8(w, 0);
    return at;
}

void dnsw_ptr(struct dnsw *w, size_t off)
{
    dnsw_u16(w, (uint16_t)(0xc000 | off));
}

void dnsw_header(struct dnsw *w, uint16_t id, uint16_t flags, uint16_t qd,
                 uint16_t an, uint16_t ns, uint16_t ar)
{
    dnsw_u16(w, id);
    dnsw_u16(w, flags);
    dnsw_u16(w, qd);
    dnsw_u16(w, an);
    dnsw_u16(w, ns);
    dnsw_u16(w, ar);
}

void dnsw_set_counts(struct dnsw *w, uint16_t an, uint16_t ns, uint16_t ar)
{
    mirage_put_be16(w->p + 6, an);
    mirage_put_be16(w->p + 8, ns);
    mirage_put_be16(w->p + 10, ar);
}

void dnsw_question(struct dnsw *w, const char *name, uint16_t type)
{
    dnsw_name(w, name);
    dnsw_u16(w, type);
    dnsw_u16(w, 1);
}

size_t dnsw_rr_begin(struct dnsw *w, const char *owner, uint16_t type,
                     uint32_t ttl)
{
    if (owner)
        dnsw_name(w, owner);
    else
        dnsw_ptr(w, 12);
    dnsw_u16(w, type);
    dnsw_u16(w, 1);
    dnsw_u32(w, ttl);
    size_t at = w->len;
    dnsw_u16(w, 0);
    return at;
}

void dnsw_rr_end(struct dnsw *w, size_t at)
{
    mirage_put_be16(w->p + at, (uint16_t)(w->len - at - 2));
}

void dnsw_a(struct dnsw *w, const char *owner, uint32_t ttl, mirage_ipv4_addr a)
{
    size_t at = dnsw_rr_begin(w, owner, 1, ttl);
    dnsw_u32(w, a);
    dnsw_rr_end(w, at);
}

void dnsw_aaaa(struct dnsw *w, const char *owner, uint32_t ttl,
               const uint8_t a[16])
{
    size_t at = dnsw_rr_begin(w, owner, 28, ttl);
    dnsw_bytes(w, a, 16);
    dnsw_rr_end(w, at);
}

void dnsw_cname(struct dnsw *w, const char *owner, uint32_t ttl,
                const char *target)
{
    size_t at = dnsw_rr_begin(w, owner, 5, ttl);
    dnsw_name(w, target);
    dnsw_rr_end(w, at);
}

void dnsw_txt(struct dnsw *w, const char *owner, uint32_t ttl,
              const uint8_t *text, size_t len)
{
    size_t at = dnsw_rr_begin(w, owner, 16, ttl);
    do {
        size_t n = len > 255 ? 255 : len;
        dnsw_u8(w, (uint8_t)n);
        dnsw_bytes(w, text, n);
        text += n;
        len -= n;
    } while (len > 0);
    dnsw_rr_end(w, at);
}

void dnsw_soa(struct dnsw *w, const char *owner, uint32_t ttl, uint32_t minimum)
{
    size_t at = dnsw_rr_begin(w, owner, 6, ttl);
    dnsw_name(w, "ns.test");
    dnsw_name(w, "admin.test");
    dnsw_u32(w, 1);    /* serial */
    dnsw_u32(w, 3600); /* refresh */
    dnsw_u32(w, 600);  /* retry */
    dnsw_u32(w, 86400);
    dnsw_u32(w, minimum);
    dnsw_rr_end(w, at);
}

void dnsw_reply(struct dnsw *w, const struct dns_seen *q, const uint8_t *raw,
                size_t len, unsigned rcode, uint16_t an, uint16_t ns,
                uint16_t ar)
{
    dnsw_header(w, q->id, (uint16_t)(0x8180 | rcode), 1, an, ns, ar);
    /* The question as the query wrote it: from 12 to the end of its
     * name, then type and class. */
    size_t end = 12;
    while (end < len && raw[end] != 0)
        end += 1 + (size_t)raw[end];
    dnsw_bytes(w, raw + 12, end + 5 - 12);
}

/* Parse a query: false when it is not one. */
static bool read_query(const uint8_t *p, size_t len, struct dns_seen *q)
{
    if (len < 17)
        return false;
    q->id = mirage_get_be16(p);
    q->flags = mirage_get_be16(p + 2);
    size_t i = 12, k = 0;
    while (i < len && p[i] != 0) {
        size_t n = p[i];
        if (i + 1 + n > len || k + n + 2 > sizeof q->name)
            return false;
        if (k)
            q->name[k++] = '.';
        memcpy(q->name + k, p + i + 1, n);
        k += n;
        i += 1 + n;
    }
    q->name[k] = '\0';
    if (i + 5 > len)
        return false;
    q->type = mirage_get_be16(p + i + 1);
    q->edns = mirage_get_be16(p + 10) > 0;
    return true;
}

static uint8_t reply_buf[70000];

/* Record q and build the reply: its length, or 0 for none. */
static size_t serve(struct dns_server *s, struct dns_seen *q, const uint8_t *p,
                    size_t len)
{
    if (s->nseen < DNS_SEEN_MAX)
        s->seen[s->nseen++] = *q;
    struct dnsw w;
    dnsw_init(&w, reply_buf, sizeof reply_buf);
    if (!s->handler(s->arg, q, p, len, &w))
        return 0;
    return w.len;
}

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *p, size_t len)
{
    struct dns_server *s = arg;
    struct dns_seen q = {.src = peer->src, .src_port = peer->src_port};
    if (!read_query(p, len, &q))
        return;
    size_t n = serve(s, &q, p, len);
    if (n)
        mirage_udp_write(s->udp, &peer->dst, s->port, &peer->src,
                         peer->src_port, reply_buf, n);
}

static int on_tcp(void *arg, struct mirage_tcp_flow *f)
{
    struct dns_server *s = arg;
    uint8_t hdr[2], msg[600];
    long got = 0;
    while (got < 2) {
        long n =
            mirage_tcp_read(f, hdr + got, (size_t)(2 - got), MIRAGE_FOREVER);
        if (n <= 0)
            return 0;
        got += n;
    }
    size_t len = mirage_get_be16(hdr);
    if (len > sizeof msg)
        return 0;
    got = 0;
    while ((size_t)got < len) {
        long n =
            mirage_tcp_read(f, msg + got, len - (size_t)got, MIRAGE_FOREVER);
        if (n <= 0)
            return 0;
        got += n;
    }
    struct dns_seen q = {.tcp = true};
    mirage_tcp_endpoints(f, NULL, NULL, &q.src, &q.src_port);
    if (!read_query(msg, len, &q))
        return 0;
    size_t n = serve(s, &q, msg, len);
    if (n) {
        mirage_put_be16(hdr, (uint16_t)n);
        mirage_tcp_write(f, hdr, 2, MIRAGE_FOREVER);
        mirage_tcp_write(f, reply_buf, n, MIRAGE_FOREVER);
    }
    mirage_tcp_close(f);
    return 0;
}

int dns_server_start(struct dns_server *s, struct mirage_udp *udp,
                     struct mirage_tcp *tcp, uint16_t port, dns_handler h,
                     void *arg)
{
    *s =
        (struct dns_server){.udp = udp, .handler = h, .arg = arg, .port = port};
    int err = mirage_udp_listen(udp, port, on_udp, NULL, s);
    if (!err && tcp)
        err = mirage_tcp_listen(tcp, port, NULL, on_tcp, s);
    return err;
}
