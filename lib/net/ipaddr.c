/* IP and MAC addresses (include/mirage/ipaddr.h): parsing, formatting,
 * prefixes. */
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
    /* IPv6: eight groups of hex, without zero compression. */
    char *p = buf;
    for (int i = 0; i < 16; i += 2) {
        unsigned g = (unsigned)a->v6[i] << 8 | a->v6[i + 1];
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (g >> shift) & 15;
            if (d || started || shift == 0) {
                *p++ = hex[d];
                started = true;
            }
        }
        if (i < 14)
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
