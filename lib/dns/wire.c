/* DNS messages on the wire (dns.h): names from and to text, the defensive
 * name reader (compression pointers must go strictly backwards: loops are
 * impossible), headers, questions, records, queries. */
#include "dns.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <string.h>

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

int dns_name_from_text(const char *text, struct dns_name *out)
{
    if (!text || !*text)
        return MIRAGE_EINVAL;
    size_t tl = strlen(text);
    if (tl == 1 && text[0] == '.') {
        out->b[0] = 0;
        out->len = 1;
        return 0;
    }
    if (text[tl - 1] == '.')
        tl--;
    if (tl == 0 || tl > DNS_TEXT_MAX)
        return MIRAGE_EINVAL;
    struct dns_name n;
    size_t len = 0, label = 0; /* where the current label's length goes */
    n.b[len++] = 0;
    for (size_t i = 0; i <= tl; i++) {
        char c = i < tl ? text[i] : '.';
        if (c == '.') {
            size_t llen = len - label - 1;
            if (llen == 0 || llen > DNS_LABEL_MAX)
                return MIRAGE_EINVAL;
            n.b[label] = (uint8_t)llen;
            label = len;
            n.b[len++] = 0;
            continue;
        }
        if (c <= ' ' || c > '~' || c == '\\')
            return MIRAGE_EINVAL;
        n.b[len++] = (uint8_t)c;
    }
    n.len = len;
    *out = n;
    return 0;
}

static bool plain(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

char *dns_name_to_text(const struct dns_name *n, char buf[DNS_NAME_TEXT_CAP])
{
    char *p = buf;
    size_t i = 0;
    if (n->len <= 1) {
        strcpy(buf, ".");
        return buf;
    }
    while (i < n->len && n->b[i] != 0) {
        size_t llen = n->b[i++];
        if (p != buf)
            *p++ = '.';
        for (size_t k = 0; k < llen && i < n->len; k++, i++) {
            uint8_t c = n->b[i];
            if (plain(c)) {
                *p++ = (char)c;
            } else {
                *p++ = '\\';
                *p++ = (char)('0' + c / 100);
                *p++ = (char)('0' + c / 10 % 10);
                *p++ = (char)('0' + c % 10);
            }
        }
    }
    *p = '\0';
    return buf;
}

bool dns_name_equal(const struct dns_name *a, const struct dns_name *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (lower(a->b[i]) != lower(b->b[i]))
            return false;
    return true;
}

int dns_name_read(const uint8_t *msg, size_t len, size_t *off,
                  struct dns_name *out)
{
    size_t pos = *off, low = *off, end = 0, n = 0;
    bool jumped = false;
    for (;;) {
        if (pos >= len)
            return MIRAGE_EBADF;
        uint8_t c = msg[pos];
        if ((c & 0xc0) == 0xc0) {
            if (pos + 1 >= len)
                return MIRAGE_EBADF;
            size_t ptr = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
            /* Each jump lands before every byte read so far: the walk
             * cannot loop. */
            if (ptr >= low)
                return MIRAGE_EBADF;
            if (!jumped)
                end = pos + 2;
            jumped = true;
            low = pos = ptr;
            continue;
        }
        if (c & 0xc0) /* the obsolete extended label types */
            return MIRAGE_EBADF;
        if (n + 1 + c > DNS_NAME_MAX || pos + 1 + c > len)
            return MIRAGE_EBADF;
        memcpy(out->b + n, msg + pos, 1 + (size_t)c);
        n += 1 + (size_t)c;
        pos += 1 + (size_t)c;
        if (c == 0)
            break;
    }
    out->len = n;
    *off = jumped ? end : pos;
    return 0;
}

int dns_header_read(const uint8_t *msg, size_t len, struct dns_header *h)
{
    if (len < DNS_HDR_LEN)
        return MIRAGE_EBADF;
    h->id = mirage_get_be16(msg);
    h->flags = mirage_get_be16(msg + 2);
    h->qdcount = mirage_get_be16(msg + 4);
    h->ancount = mirage_get_be16(msg + 6);
    h->nscount = mirage_get_be16(msg + 8);
    h->arcount = mirage_get_be16(msg + 10);
    return 0;
}

int dns_question_read(const uint8_t *msg, size_t len, size_t *off,
                      struct dns_name *name, uint16_t *type, uint16_t *cls)
{
    size_t o = *off;
    if (dns_name_read(msg, len, &o, name) != 0 || o + 4 > len)
        return MIRAGE_EBADF;
    *type = mirage_get_be16(msg + o);
    *cls = mirage_get_be16(msg + o + 2);
    *off = o + 4;
    return 0;
}

int dns_rr_read(const uint8_t *msg, size_t len, size_t *off, struct dns_rr *rr)
{
    size_t o = *off;
    if (dns_name_read(msg, len, &o, &rr->name) != 0 || o + 10 > len)
        return MIRAGE_EBADF;
    rr->type = mirage_get_be16(msg + o);
    rr->cls = mirage_get_be16(msg + o + 2);
    rr->ttl = mirage_get_be32(msg + o + 4);
    rr->rdlen = mirage_get_be16(msg + o + 8);
    rr->rdata = o + 10;
    if (rr->rdata + rr->rdlen > len)
        return MIRAGE_EBADF;
    *off = rr->rdata + rr->rdlen;
    return 0;
}

size_t dns_query_build(uint8_t buf[DNS_QUERY_MAX], uint16_t id,
                       const struct dns_name *q, uint16_t type, bool edns)
{
    memset(buf, 0, DNS_HDR_LEN);
    mirage_put_be16(buf, id);
    mirage_put_be16(buf + 2, DNS_FLAG_RD);
    mirage_put_be16(buf + 4, 1);
    mirage_put_be16(buf + 10, edns ? 1 : 0);
    uint8_t *p = buf + DNS_HDR_LEN;
    memcpy(p, q->b, q->len);
    p += q->len;
    mirage_put_be16(p, type);
    mirage_put_be16(p + 2, DNS_CLASS_IN);
    p += 4;
    if (edns) {
        /* OPT (RFC 6891 6.1.2): root owner, our UDP size as the class,
         * extended rcode, version 0 and no flags in the TTL, no data. */
        *p++ = 0;
        mirage_put_be16(p, DNS_TYPE_OPT);
        mirage_put_be16(p + 2, DNS_EDNS_SIZE);
        mirage_put_be32(p + 4, 0);
        mirage_put_be16(p + 8, 0);
        p += 10;
    }
    return (size_t)(p - buf);
}

bool dns_answers_question(const uint8_t *msg, size_t len, uint16_t id,
                          const struct dns_name *q, uint16_t type)
{
    struct dns_header h;
    if (dns_header_read(msg, len, &h) != 0 || h.id != id ||
        !(h.flags & DNS_FLAG_QR) || ((h.flags >> 11) & 15) != 0)
        return false;
    /* Some servers do not repeat the question they could not parse. */
    if (h.qdcount == 0)
        return (h.flags & 15) == DNS_RCODE_FORMERR;
    if (h.qdcount != 1)
        return false;
    size_t off = DNS_HDR_LEN;
    struct dns_name name;
    uint16_t qtype, qcls;
    return dns_question_read(msg, len, &off, &name, &qtype, &qcls) == 0 &&
           qtype == type && qcls == DNS_CLASS_IN && dns_name_equal(&name, q);
}
