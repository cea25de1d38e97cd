/* IP and MAC addresses (include/mirage/ipaddr.h): parsing, formatting,
 * prefixes. */
#include <mirage/buf.h>
#include <mirage/error.h>
#include <mirage/ipaddr.h>
#include <string.h>

bool mirage_ipaddr_equal(const struct mirage_ipaddr *a,
                         const struct mirage_ipaddr *b)
{
    if (a->version != b->version)
        return false;
    if (a->version == MIRAGE_IP_V4)
        return a->v4 == b->v4;
    return memcmp(a->v6, b->v6, sizeof a->v6) == 0;
}

mirage_ipv4_addr mirage_ipv4_netmask(unsigned bits)
{
    if (bits == 0)
        return 0;
    if (bits >= 32)
        return 0xffffffffu;
    return ~((1u << (32 - bits)) - 1);
}

bool mirage_ipv4_prefix_mem(const struct mirage_ipv4_prefix *p,
                            mirage_ipv4_addr a)
{
    mirage_ipv4_addr m = mirage_ipv4_netmask(p->bits);
    return (a & m) == (p->addr & m);
}

/* A decimal number of at most `max`, without sign or leading zeros, at
 * s. Returns the position after it, or NULL. */
static const char *parse_dec(const char *s, unsigned max, unsigned *out)
{
    if (*s < '0' || *s > '9')
        return NULL;
    if (*s == '0' && s[1] >= '0' && s[1] <= '9')
        return NULL;
    unsigned v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > max)
            return NULL;
        s++;
    }
    *out = v;
    return s;
}

/* Parse the address at s; returns the position after it or NULL. */
static const char *parse_v4(const char *s, mirage_ipv4_addr *out)
{
    mirage_ipv4_addr a = 0;
    for (int i = 0; i < 4; i++) {
        unsigned part;
        if (i > 0 && *s++ != '.')
            return NULL;
        s = parse_dec(s, 255, &part);
        if (!s)
            return NULL;
        a = a << 8 | part;
    }
    *out = a;
    return s;
}

int mirage_ipv4_parse(const char *s, mirage_ipv4_addr *out)
{
    mirage_ipv4_addr a;
    const char *end = s ? parse_v4(s, &a) : NULL;
    if (!end || *end)
        return MIRAGE_EINVAL;
    *out = a;
    return 0;
}

int mirage_ipv4_prefix_parse(const char *s, struct mirage_ipv4_prefix *out)
{
    mirage_ipv4_addr a;
    unsigned bits;
    const char *end = s ? parse_v4(s, &a) : NULL;
    if (!end || *end != '/')
        return MIRAGE_EINVAL;
    end = parse_dec(end + 1, 32, &bits);
    if (!end || *end)
        return MIRAGE_EINVAL;
    out->addr = a;
    out->bits = bits;
    return 0;
}

/* IPv6 text (RFC 4291 2.2): eight groups of 1 to 4 hex digits separated
 * by ':', at most one "::" standing for one or more zero groups, and the
 * last 32 bits optionally in dotted-quad form. */
int mirage_ipv6_parse(const char *s, uint8_t out[16])
{
    uint8_t a[16] = {0};
    int n = 0, gap = -1; /* groups written; where "::" stands */
    if (!s)
        return MIRAGE_EINVAL;
    if (s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
    } else if (s[0] == ':') {
        return MIRAGE_EINVAL;
    }
    while (*s) {
        if (n == 8)
            return MIRAGE_EINVAL;
        mirage_ipv4_addr v4;
        const char *end = n <= 6 ? parse_v4(s, &v4) : NULL;
        if (end && *end == '\0') {
            mirage_put_be32(a + 2 * n, v4);
            n += 2;
            s = end;
            break;
        }
        unsigned g = 0, digits = 0;
        for (;; s++, digits++) {
            unsigned d;
            if (*s >= '0' && *s <= '9')
                d = (unsigned)(*s - '0');
            else if (*s >= 'a' && *s <= 'f')
                d = (unsigned)(*s - 'a' + 10);
            else if (*s >= 'A' && *s <= 'F')
                d = (unsigned)(*s - 'A' + 10);
            else
                break;
            g = g << 4 | d;
        }
        if (digits == 0 || digits > 4)
            return MIRAGE_EINVAL;
        mirage_put_be16(a + 2 * n++, (uint16_t)g);
        if (*s == '\0')
            break;
        if (*s != ':')
            return MIRAGE_EINVAL;
        s++;
        if (*s == ':') {
            if (gap >= 0)
                return MIRAGE_EINVAL;
            gap = n;
            s++;
        } else if (*s == '\0') {
            return MIRAGE_EINVAL; /* a trailing single ':' */
        }
    }
    if (n > 8 || (gap < 0 && n != 8) || (gap >= 0 && n == 8))
        return MIRAGE_EINVAL;
    if (gap >= 0) {
        int tail = n - gap;
        memmove(a + 16 - 2 * tail, a + 2 * gap, (size_t)(2 * tail));
        memset(a + 2 * gap, 0, (size_t)(16 - 2 * n));
    }
    memcpy(out, a, 16);
    return 0;
}

int mirage_ipaddr_parse(const char *s, struct mirage_ipaddr *out)
{
    struct mirage_ipaddr a = {0};
    if (mirage_ipv4_parse(s, &a.v4) == 0) {
        a.version = MIRAGE_IP_V4;
    } else if (mirage_ipv6_parse(s, a.v6) == 0) {
        a.version = MIRAGE_IP_V6;
    } else {
        return MIRAGE_EINVAL;
    }
    *out = a;
    return 0;
}

/* Append the decimal form of v (< 1000) at p; returns the end. */
static char *put_dec(char *p, unsigned v)
{
    if (v >= 100)
        *p++ = (char)('0' + v / 100);
    if (v >= 10)
        *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

char *mirage_ipv4_to_string(mirage_ipv4_addr a, char *buf)
{
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = put_dec(p, (a >> shift) & 0xff);
        if (shift)
            *p++ = '.';
    }
    *p = '\0';
    return buf;
}

static const char hex[] = "0123456789abcdef";

char *mirage_ipaddr_to_string(const struct mirage_ipaddr *a, char *buf)
{
    if (a->version == MIRAGE_IP_V4)
        return mirage_ipv4_to_string(a->v4, buf);
    /* IPv6 as RFC 5952 4 writes it: lower-case hex groups without
     * leading zeros, the longest run of two or more zero groups (the
     * first of equal ones) as "::". */
    unsigned g[8];
    int best = -1, best_len = 1;
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a->v6[2 * i] << 8 | a->v6[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    char *p = buf;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *p++ = ':';
            if (i == 0)
                *p++ = ':';
            i += best_len - 1;
            continue;
        }
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (g[i] >> shift) & 15;
            if (d || started || shift == 0) {
                *p++ = hex[d];
                started = true;
            }
        }
        if (i < 7)
            *p++ = ':';
    }
    *p = '\0';
    return buf;
}

char *mirage_mac_to_string(const uint8_t mac[6], char *buf)
{
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        *p++ = hex[mac[i] >> 4];
        *p++ = hex[mac[i] & 15];
        if (i < 5)
            *p++ = ':';
    }
    *p = '\0';
    return buf;
}
