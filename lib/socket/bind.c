/* The addresses of the socket devices (<mirage/socket.h>): the runtime
 * arguments' text made into the families a device serves and the
 * address each binds to, and the address forms host sockets take. */
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#include "poller.h"

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4_mapped(const uint8_t a[16])
{
    return memcmp(a, v4_mapped, sizeof(v4_mapped)) == 0;
}

/* text is "A.B.C.D" or "A.B.C.D/N"; NULL or "": any. 0 or
 * MIRAGE_EINVAL after logging why. */
static int parse_v4(const char *text, struct mirage_ipaddr *out)
{
    struct mirage_ipv4_prefix p;
    uint8_t v6[16];
    *out = mirage_ipaddr_of_v4(MIRAGE_IPV4_ANY);
    if (!text || !*text || mirage_ipv4_parse(text, &out->v4) == 0)
        return 0;
    if (mirage_ipv4_prefix_parse(text, &p) == 0) {
        out->v4 = p.addr;
        return 0;
    }
    char addr[MIRAGE_IPADDR_STRLEN];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n < sizeof(addr)) {
        memcpy(addr, text, n);
        addr[n] = '\0';
        if (mirage_ipv6_parse(addr, v6) == 0) {
            mirage_log_src_err(&sock_log,
                               "'%s' is an IPv6 address: the socket stack "
                               "takes it as its IPv6 address (--ipv6), not "
                               "as its IPv4 one",
                               text);
            return MIRAGE_EINVAL;
        }
    }
    mirage_log_src_err(&sock_log,
                       "bad IPv4 address '%s' for the socket stack "
                       "(expected A.B.C.D or A.B.C.D/N)",
                       text);
    return MIRAGE_EINVAL;
}

/* text is an IPv6 address, optionally followed by "/N" (0..128, ignored);
 * NULL or "": any. 0 or MIRAGE_EINVAL after logging why. */
static int parse_v6(const char *text, struct mirage_ipaddr *out)
{
    *out = (struct mirage_ipaddr){.version = MIRAGE_IP_V6};
    if (!text || !*text)
        return 0;
    char addr[MIRAGE_IPADDR_STRLEN];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    bool ok = n < sizeof(addr);
    if (ok) {
        memcpy(addr, text, n);
        addr[n] = '\0';
    }
    if (ok && slash) {
        char *end;
        const char *bits = slash + 1;
        unsigned long v = strtoul(bits, &end, 10);
        ok = *bits >= '0' && *bits <= '9' && !*end && v <= 128 &&
             (bits[0] != '0' || !bits[1]);
    }
    mirage_ipv4_addr v4;
    if (ok && mirage_ipv4_parse(addr, &v4) == 0) {
        mirage_log_src_err(&sock_log,
                           "'%s' is an IPv4 address: the socket stack takes "
                           "it as its IPv4 address (--ipv4), not as its IPv6 "
                           "one",
                           text);
        return MIRAGE_EINVAL;
    }
    ok = ok && mirage_ipv6_parse(addr, out->v6) == 0;
    if (ok && is_v4_mapped(out->v6)) {
        mirage_log_src_err(&sock_log,
                           "'%s' is an IPv4-mapped address: give the socket "
                           "stack its IPv4 address (--ipv4) instead",
                           text);
        return MIRAGE_EINVAL;
    }
    if (!ok) {
        mirage_log_src_err(&sock_log,
                           "bad IPv6 address '%s' for the socket stack "
                           "(expected an IPv6 address such as fd00::2, "
                           "optionally with /N, N at most 128)",
                           text);
        return MIRAGE_EINVAL;
    }
    return 0;
}

int sock_device_start(const char *ipv4, const char *ipv6, bool ipv4_only,
                      bool ipv6_only, struct sock_bind *bind)
{
    struct sock_bind b = {.v4 = !ipv6_only, .v6 = !ipv4_only};
    if (ipv4_only && ipv6_only) {
        mirage_log_src_err(&sock_log,
                           "the socket stack cannot be both IPv4-only and "
                           "IPv6-only (--ipv4-only and --ipv6-only)");
        return MIRAGE_EINVAL;
    }
    int err = parse_v4(ipv4, &b.ip4);
    if (!err)
        err = parse_v6(ipv6, &b.ip6);
    if (!err)
        err = sock_poller_start();
    if (!err)
        *bind = b;
    return err;
}

bool sock_addr_any(const struct mirage_ipaddr *a)
{
    static const uint8_t zero[16];
    return a->version == MIRAGE_IP_V4 ? a->v4 == MIRAGE_IPV4_ANY
                                      : memcmp(a->v6, zero, 16) == 0;
}

size_t sock_bind_listeners(const struct sock_bind *b,
                           enum hostsock_family family[2],
                           struct mirage_ipaddr addr[2])
{
    size_t n = 0;
    if (b->v4 && b->v6 && sock_addr_any(&b->ip4) && sock_addr_any(&b->ip6)) {
        family[n] = HOSTSOCK_INET6_DUAL;
        addr[n++] = b->ip6;
        return n;
    }
    if (b->v4) {
        family[n] = HOSTSOCK_INET;
        addr[n++] = b->ip4;
    }
    if (b->v6) {
        family[n] = HOSTSOCK_INET6;
        addr[n++] = b->ip6;
    }
    return n;
}

int sock_bind_check(const struct sock_bind *b, struct mirage_ipaddr *a)
{
    if (!a)
        return MIRAGE_EINVAL;
    if (a->version == MIRAGE_IP_V6 && is_v4_mapped(a->v6))
        *a = mirage_ipaddr_of_v4((mirage_ipv4_addr)a->v6[12] << 24 |
                                 (mirage_ipv4_addr)a->v6[13] << 16 |
                                 (mirage_ipv4_addr)a->v6[14] << 8 | a->v6[15]);
    if (a->version == MIRAGE_IP_V4)
        return b->v4 ? 0 : MIRAGE_EUNREACH;
    if (a->version == MIRAGE_IP_V6)
        return b->v6 ? 0 : MIRAGE_EUNREACH;
    return MIRAGE_EINVAL;
}

const struct mirage_ipaddr *sock_bind_addr(const struct sock_bind *b,
                                           const struct mirage_ipaddr *a)
{
    return a->version == MIRAGE_IP_V6 ? &b->ip6 : &b->ip4;
}

struct hostsock_addr sock_addr_for(enum hostsock_family family,
                                   const struct mirage_ipaddr *a, uint16_t port)
{
    struct hostsock_addr h = {.ip = *a, .port = port};
    if (family == HOSTSOCK_INET6_DUAL && a->version == MIRAGE_IP_V4) {
        h.ip = (struct mirage_ipaddr){.version = MIRAGE_IP_V6};
        memcpy(h.ip.v6, v4_mapped, sizeof(v4_mapped));
        for (int i = 0; i < 4; i++)
            h.ip.v6[12 + i] = (uint8_t)(a->v4 >> (24 - 8 * i));
    }
    return h;
}
