/* Names in certificates: matching a host against subjectAltName (RFC
 * 6125 §6.4) and checking a certificate's names against a CA's name
 * constraints (RFC 5280 §4.2.1.10) for dNSName and iPAddress. */
#include "x509.h"

#include "der.h"

#include <strings.h>

#define GN_DNS 0x82 /* [2] dNSName, IA5String */
#define GN_IP  0x87 /* [7] iPAddress, OCTET STRING */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

/* host without a trailing dot. */
static size_t host_len(const char *host)
{
    size_t n = strlen(host);
    return n && host[n - 1] == '.' ? n - 1 : n;
}

static bool has_dot(const char *p, size_t n)
{
    return memchr(p, '.', n) != NULL;
}

bool x509_dns_match(const char *pattern, size_t plen, const char *host)
{
    size_t hlen = host_len(host);
    if (plen && pattern[plen - 1] == '.')
        plen--;
    if (!plen || !hlen || memchr(host, '*', hlen))
        return false;
    if (pattern[0] != '*')
        return !memchr(pattern, '*', plen) && plen == hlen &&
               ieq(pattern, host, hlen);
    /* "*.rest": the wildcard is the whole left-most label, rest has two
     * labels at least, and * stands for exactly one non-empty label. */
    if (plen < 2 || pattern[1] != '.')
        return false;
    const char *rest = pattern + 2;
    size_t rlen = plen - 2;
    if (memchr(rest, '*', rlen) || !has_dot(rest, rlen))
        return false;
    const char *dot = memchr(host, '.', hlen);
    if (!dot || dot == host)
        return false;
    size_t tail = hlen - (size_t)(dot + 1 - host);
    return tail == rlen && ieq(dot + 1, rest, rlen);
}

/* Parse an IPv4 dotted quad or an IPv6 literal (RFC 4291 §2.2 text forms
 * with "::", optionally in brackets). Returns the length (4, 16) or 0. */
size_t x509_parse_ip(const char *s, uint8_t *out)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        s++, n -= 2;
    if (!memchr(s, ':', n)) {
        unsigned part = 0, parts = 0, digits = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || s[i] == '.') {
                if (!digits || part > 255 || parts == 4)
                    return 0;
                out[parts++] = (uint8_t)part;
                part = digits = 0;
            } else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
                part = part * 10 + (unsigned)(s[i] - '0');
                digits++;
            } else {
                return 0;
            }
        }
        return parts == 4 ? 4 : 0;
    }
    uint16_t w[8];
    int count = 0, gap = -1;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < n) {
        unsigned v = 0, digits = 0;
        while (i < n && digits < 4) {
            char c = lower(s[i]);
            unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                                : 16;
            if (d == 16)
                break;
            v = v << 4 | d;
            digits++;
            i++;
        }
        if (!digits || count == 8)
            return 0;
        w[count++] = (uint16_t)v;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = count;
            i++;
        } else if (i == n) {
            return 0;
        }
    }
    if (gap < 0 ? count != 8 : count > 7)
        return 0;
    int fill = 8 - count;
    for (int k = 0, o = 0; k < 8; k++) {
        uint16_t v;
        if (gap >= 0 && k >= gap && k < gap + fill)
            v = 0;
        else
            v = w[o++];
        out[2 * k] = (uint8_t)(v >> 8);
        out[2 * k + 1] = (uint8_t)v;
    }
    return 16;
}

bool x509_host_matches(const struct x509_cert *c, const char *host)
{
    uint8_t ip[16];
    size_t iplen = x509_parse_ip(host, ip);
    struct rd r;
    struct der_elem gn;
    rd_init(&r, c->san, c->san_len);
    while (rd_left(&r) && der_next(&r, &gn)) {
        size_t n = rd_left(&gn.body);
        if (iplen && gn.tag == GN_IP && n == iplen &&
            memcmp(gn.body.p, ip, n) == 0)
            return true;
        if (!iplen && gn.tag == GN_DNS &&
            x509_dns_match((const char *)gn.body.p, n, host))
            return true;
    }
    return false;
}

/* Whether DNS name n[nlen] lies in the subtree of constraint c[clen]:
 * "example.com" covers itself and its subdomains, ".example.com" only
 * subdomains, "" everything. */
static bool dns_within(const char *n, size_t nlen, const char *c, size_t clen)
{
    if (clen == 0)
        return true;
    if (c[0] == '.')
        return nlen > clen && ieq(n + nlen - clen, c, clen);
    if (nlen == clen)
        return ieq(n, c, clen);
    return nlen > clen && n[nlen - clen - 1] == '.' &&
           ieq(n + nlen - clen, c, clen);
}

/* Whether a presented DNS name (perhaps "*.rest") may stand for some
 * name inside the subtree of c: the excluded-subtree test. */
static bool dns_may_enter(const char *n, size_t nlen, const char *c,
                          size_t clen)
{
    if (dns_within(n, nlen, c, clen))
        return true;
    if (nlen < 2 || n[0] != '*' || n[1] != '.')
        return false;
    /* "*.rest" covers every one-label child of rest: does one of them
     * lie in c's subtree? Yes when c is such a child or below one. */
    const char *base = c[0] == '.' ? c + 1 : c;
    size_t blen = c[0] == '.' ? clen - 1 : clen;
    return dns_within(base, blen, n + 1, nlen - 1);
}

static bool ip_within(const uint8_t *ip, size_t len, const uint8_t *c,
                      size_t clen)
{
    if (clen != 2 * len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((ip[i] & c[len + i]) != (c[i] & c[len + i]))
            return false;
    return true;
}

/* Scan the subtrees for the given GeneralName kind: *any set when one
 * of that kind exists, return true when name matches one. */
static bool subtrees_match(const uint8_t *t, size_t tlen, uint8_t kind,
                           const uint8_t *name, size_t nlen, bool wildcard_in,
                           bool *any)
{
    struct rd r, s;
    struct der_elem sub, base;
    rd_init(&r, t, tlen);
    while (rd_left(&r) && der_expect(&r, DER_SEQUENCE, &sub)) {
        s = sub.body;
        if (!der_next(&s, &base) || base.tag != kind)
            continue;
        *any = true;
        const uint8_t *c = base.body.p;
        size_t clen = rd_left(&base.body);
        bool hit;
        if (kind == GN_IP)
            hit = ip_within(name, nlen, c, clen);
        else if (wildcard_in)
            hit =
                dns_may_enter((const char *)name, nlen, (const char *)c, clen);
        else
            hit = dns_within((const char *)name, nlen, (const char *)c, clen);
        if (hit)
            return true;
    }
    return false;
}

bool x509_names_permitted(const struct x509_cert *ca, const struct x509_cert *c)
{
    struct rd r;
    struct der_elem gn;
    if (!ca->has_nc)
        return true;
    rd_init(&r, c->san, c->san_len);
    while (rd_left(&r) && der_next(&r, &gn)) {
        if (gn.tag != GN_DNS && gn.tag != GN_IP)
            continue;
        const uint8_t *name = gn.body.p;
        size_t nlen = rd_left(&gn.body);
        bool any = false;
        if (subtrees_match(ca->excluded, ca->excluded_len, gn.tag, name, nlen,
                           true, &any))
            return false;
        any = false;
        if (!subtrees_match(ca->permitted, ca->permitted_len, gn.tag, name,
                            nlen, false, &any) &&
            any)
            return false;
    }
    return true;
}
