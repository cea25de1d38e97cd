/* Answers (dns.h): the builder that packs records into one allocation,
 * and the reading of an answer message for a question: the CNAME chain,
 * the records of the type asked, the TTL to cache the verdict for (RFC
 * 2308 for negative ones), every record checked against its length. */
#include "dns.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#define NO_OFF ((size_t)-1)
/* At most this many records in one answer. */
#define MAX_RRS 1024

/* ---- The builder -------------------------------------------------------- */

void dns_builder_init(struct dns_builder *b)
{
    memset(b, 0, sizeof *b);
}

void dns_builder_free(struct dns_builder *b)
{
    free(b->rr);
    free(b->off);
    free(b->bytes);
    dns_builder_init(b);
}

/* Append len bytes (and a NUL); their offset, or NO_OFF. */
static size_t append(struct dns_builder *b, const void *p, size_t len)
{
    if (b->used + len + 1 > b->bcap) {
        size_t cap = b->bcap ? b->bcap : 256;
        while (cap < b->used + len + 1)
            cap *= 2;
        uint8_t *n = realloc(b->bytes, cap);
        if (!n) {
            b->nomem = true;
            return NO_OFF;
        }
        b->bytes = n;
        b->bcap = cap;
    }
    size_t off = b->used;
    if (len)
        memcpy(b->bytes + off, p, len);
    b->bytes[off + len] = 0;
    b->used += len + 1;
    return off;
}

static size_t append_str(struct dns_builder *b, const char *s)
{
    return s ? append(b, s, strlen(s)) : NO_OFF;
}

bool dns_builder_add(struct dns_builder *b, const struct mirage_dns_rr *rr)
{
    if (b->nomem || b->n == MAX_RRS)
        return !b->nomem;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        struct mirage_dns_rr *r = realloc(b->rr, cap * sizeof *r);
        if (r)
            b->rr = r;
        size_t(*o)[3] = r ? realloc(b->off, cap * sizeof *o) : NULL;
        if (!o) {
            b->nomem = true;
            return false;
        }
        b->off = o;
        b->cap = cap;
    }
    size_t name = append_str(b, rr->name);
    size_t target = append_str(b, rr->target);
    size_t data = rr->data ? append(b, rr->data, rr->len) : NO_OFF;
    if (b->nomem)
        return false;
    b->rr[b->n] = *rr;
    b->off[b->n][0] = name;
    b->off[b->n][1] = target;
    b->off[b->n][2] = data;
    b->n++;
    return true;
}

struct mirage_dns_answer *dns_builder_finish(struct dns_builder *b,
                                             const char *name,
                                             const char *canonical,
                                             uint16_t type)
{
    size_t noff = append_str(b, name), coff = append_str(b, canonical);
    struct mirage_dns_answer *a = NULL;
    size_t head = sizeof *a + b->n * sizeof *a->rr;
    if (!b->nomem)
        a = malloc(head + b->used);
    if (a) {
        char *bytes = (char *)a + head;
        memcpy(bytes, b->bytes, b->used);
        a->name = bytes + noff;
        a->canonical = bytes + coff;
        a->type = type;
        a->cached = false;
        a->count = b->n;
        a->rr = (struct mirage_dns_rr *)(a + 1);
        for (size_t i = 0; i < b->n; i++) {
            struct mirage_dns_rr *r = &a->rr[i];
            *r = b->rr[i];
            r->name = b->off[i][0] == NO_OFF ? NULL : bytes + b->off[i][0];
            r->target = b->off[i][1] == NO_OFF ? NULL : bytes + b->off[i][1];
            r->data = b->off[i][2] == NO_OFF
                          ? NULL
                          : (const uint8_t *)bytes + b->off[i][2];
        }
    }
    dns_builder_free(b);
    return a;
}

struct mirage_dns_answer *dns_answer_copy(const struct mirage_dns_answer *a,
                                          uint32_t age, const char *name)
{
    struct dns_builder b;
    dns_builder_init(&b);
    for (size_t i = 0; i < a->count; i++) {
        struct mirage_dns_rr r = a->rr[i];
        r.ttl = r.ttl > age ? r.ttl - age : 0;
        dns_builder_add(&b, &r);
    }
    return dns_builder_finish(&b, name ? name : a->name, a->canonical, a->type);
}

size_t dns_answer_size(const struct mirage_dns_answer *a)
{
    size_t n = sizeof *a + a->count * sizeof *a->rr;
    n += strlen(a->name) + strlen(a->canonical) + 2;
    for (size_t i = 0; i < a->count; i++) {
        const struct mirage_dns_rr *r = &a->rr[i];
        n += (r->name ? strlen(r->name) + 1 : 0) +
             (r->target ? strlen(r->target) + 1 : 0) +
             (r->data ? r->len + 1 : 0);
    }
    return n;
}

void mirage_dns_answer_free(struct mirage_dns_answer *a)
{
    free(a);
}

/* ---- Reading answers ---------------------------------------------------- */

/* RFC 2181 8: a TTL with the top bit set counts as 0. */
static uint32_t ttl_of(uint32_t t)
{
    return t & 0x80000000u ? 0 : t;
}

/* A name inside rdata that must end exactly at the record's end (after
 * `fixed` bytes of other fields). */
static int rdata_name(const uint8_t *msg, size_t len, const struct dns_rr *rr,
                      size_t fixed, struct dns_name *out)
{
    size_t off = rr->rdata + fixed;
    if (fixed > rr->rdlen || dns_name_read(msg, len, &off, out) != 0 ||
        off != rr->rdata + rr->rdlen)
        return MIRAGE_EBADF;
    return 0;
}

/* Decode rr (whose owner text is owner) into r, with text storage in tbuf
 * and TXT strings joined into *txt (allocated; freed by the caller).
 * MIRAGE_EBADF when the rdata does not fit its type; MIRAGE_ENOMEM. */
static int decode(const uint8_t *msg, size_t len, const struct dns_rr *rr,
                  const char *owner, struct mirage_dns_rr *r,
                  char tbuf[DNS_NAME_TEXT_CAP], uint8_t **txt)
{
    const uint8_t *d = msg + rr->rdata;
    struct dns_name n;
    *r = (struct mirage_dns_rr){
        .type = rr->type, .ttl = ttl_of(rr->ttl), .name = owner};
    switch (rr->type) {
    case MIRAGE_DNS_A:
        if (rr->rdlen != 4)
            return MIRAGE_EBADF;
        r->addr = mirage_ipaddr_of_v4(mirage_get_be32(d));
        return 0;
    case MIRAGE_DNS_AAAA:
        if (rr->rdlen != 16)
            return MIRAGE_EBADF;
        r->addr.version = MIRAGE_IP_V6;
        memcpy(r->addr.v6, d, 16);
        return 0;
    case MIRAGE_DNS_CNAME:
    case MIRAGE_DNS_PTR:
    case MIRAGE_DNS_NS:
        if (rdata_name(msg, len, rr, 0, &n) != 0)
            return MIRAGE_EBADF;
        r->target = dns_name_to_text(&n, tbuf);
        return 0;
    case MIRAGE_DNS_MX:
        if (rdata_name(msg, len, rr, 2, &n) != 0)
            return MIRAGE_EBADF;
        r->priority = mirage_get_be16(d);
        r->target = dns_name_to_text(&n, tbuf);
        return 0;
    case MIRAGE_DNS_SRV:
        if (rdata_name(msg, len, rr, 6, &n) != 0)
            return MIRAGE_EBADF;
        r->priority = mirage_get_be16(d);
        r->weight = mirage_get_be16(d + 2);
        r->port = mirage_get_be16(d + 4);
        r->target = dns_name_to_text(&n, tbuf);
        return 0;
    case MIRAGE_DNS_TXT: {
        /* One or more <length><bytes> strings, exactly filling rdata. */
        uint8_t *t = malloc(rr->rdlen ? rr->rdlen : 1);
        if (!t)
            return MIRAGE_ENOMEM;
        size_t i = 0, k = 0;
        while (i < rr->rdlen) {
            size_t sl = d[i];
            if (i + 1 + sl > rr->rdlen) {
                free(t);
                return MIRAGE_EBADF;
            }
            memcpy(t + k, d + i + 1, sl);
            k += sl;
            i += 1 + sl;
        }
        if (rr->rdlen == 0) {
            free(t);
            return MIRAGE_EBADF;
        }
        *txt = t;
        r->data = t;
        r->len = k;
        return 0;
    }
    default:
        r->data = d;
        r->len = rr->rdlen;
        return 0;
    }
}

/* The negative TTL of an answer (RFC 2308 5): from an SOA in the
 * authority section, min(its TTL, its MINIMUM). false when there is none
 * (or it is malformed). */
static bool negative_ttl(const uint8_t *msg, size_t len, size_t off,
                         unsigned nscount, uint32_t *ttl)
{
    for (unsigned i = 0; i < nscount; i++) {
        struct dns_rr rr;
        if (dns_rr_read(msg, len, &off, &rr) != 0)
            return false;
        if (rr.type != MIRAGE_DNS_SOA || rr.cls != DNS_CLASS_IN)
            continue;
        struct dns_name mname, rname;
        size_t o = rr.rdata;
        if (dns_name_read(msg, len, &o, &mname) != 0 ||
            dns_name_read(msg, len, &o, &rname) != 0 ||
            o + 20 != rr.rdata + rr.rdlen)
            return false;
        uint32_t minimum = ttl_of(mirage_get_be32(msg + o + 16));
        uint32_t t = ttl_of(rr.ttl);
        *ttl = t < minimum ? t : minimum;
        return true;
    }
    return false;
}

int dns_extract(const uint8_t *msg, size_t len, const struct dns_name *q,
                uint16_t qtype, unsigned max_cnames, struct dns_builder *b,
                struct dns_result *res)
{
    struct dns_header h;
    *res = (struct dns_result){.verdict = DNS_MALFORMED, .canonical = *q};
    if (dns_header_read(msg, len, &h) != 0)
        return 0;
    unsigned rcode = h.flags & 15;
    if (rcode == DNS_RCODE_FORMERR) {
        res->verdict = DNS_FORMERR;
        return 0;
    }
    if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN) {
        res->verdict = DNS_FAILED;
        return 0;
    }
    /* Skip the question; check every record of the three sections fits
     * before believing any of them. */
    size_t off = DNS_HDR_LEN;
    for (unsigned i = 0; i < h.qdcount; i++) {
        struct dns_name n;
        uint16_t t, c;
        if (dns_question_read(msg, len, &off, &n, &t, &c) != 0)
            return 0;
    }
    size_t answers = off;
    size_t total = (size_t)h.ancount + h.nscount + h.arcount;
    size_t authority = 0;
    for (size_t i = 0; i < total; i++) {
        struct dns_rr rr;
        if (i == h.ancount)
            authority = off;
        if (dns_rr_read(msg, len, &off, &rr) != 0)
            return 0;
    }
    if (h.ancount == total)
        authority = off;

    /* Follow the chain from q through the answer section. */
    struct dns_name name = *q;
    uint32_t ttl = DNS_TTL_MAX;
    bool found = false;
    char owner[DNS_NAME_TEXT_CAP], tbuf[DNS_NAME_TEXT_CAP];
    for (;;) {
        bool cname = false;
        struct dns_name next;
        off = answers;
        for (unsigned i = 0; i < h.ancount; i++) {
            struct dns_rr rr;
            dns_rr_read(msg, len, &off, &rr);
            if (rr.cls != DNS_CLASS_IN || !dns_name_equal(&rr.name, &name))
                continue;
            if (rr.type == qtype) {
                struct mirage_dns_rr r;
                uint8_t *txt = NULL;
                int err =
                    decode(msg, len, &rr, dns_name_to_text(&rr.name, owner), &r,
                           tbuf, &txt);
                if (err == MIRAGE_ENOMEM)
                    return err;
                if (err) {
                    res->verdict = DNS_MALFORMED;
                    return 0;
                }
                bool ok = dns_builder_add(b, &r);
                free(txt);
                if (!ok)
                    return MIRAGE_ENOMEM;
                if (r.ttl < ttl)
                    ttl = r.ttl;
                found = true;
            } else if (rr.type == MIRAGE_DNS_CNAME && !cname) {
                if (rdata_name(msg, len, &rr, 0, &next) != 0) {
                    res->verdict = DNS_MALFORMED;
                    return 0;
                }
                if (ttl_of(rr.ttl) < ttl)
                    ttl = ttl_of(rr.ttl);
                cname = true;
            }
        }
        res->canonical = name;
        if (found || !cname)
            break;
        if (res->cnames == max_cnames) {
            /* A chain too long (or a loop): as a server failure. */
            res->verdict = DNS_FAILED;
            return 0;
        }
        res->cnames++;
        name = next;
    }
    if (found) {
        res->verdict = DNS_ANSWER;
        res->ttl = ttl;
        res->cacheable = ttl > 0;
        return 0;
    }
    uint32_t neg;
    bool soa = negative_ttl(msg, len, authority, h.nscount, &neg);
    if (rcode == DNS_RCODE_NXDOMAIN) {
        res->verdict = DNS_NXDOMAIN;
    } else if (res->cnames > 0 && !soa) {
        /* The chain leaves this answer: ask for its end. */
        res->verdict = DNS_FOLLOW;
        res->ttl = ttl;
        res->cacheable = ttl > 0;
        return 0;
    } else {
        res->verdict = DNS_NODATA;
    }
    if (soa) {
        if (neg > DNS_NEG_TTL_MAX)
            neg = DNS_NEG_TTL_MAX;
        res->ttl = neg < ttl ? neg : ttl;
        res->cacheable = res->ttl > 0;
    }
    return 0;
}
