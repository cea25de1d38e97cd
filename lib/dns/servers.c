/* Where the resolver's servers come from (include/mirage/resolver.h):
 * MirageOS's --resolver text, and resolv.conf text. */
#include "dns.h"

#include <mirage/error.h>
#include <mirage/log.h>
#include <string.h>

struct mirage_log_src dns_log = {"dns", "DNS resolver", -1, 0};

/* A decimal port 1..65535 in s[0..len): its value, or 0. */
static uint16_t port_of(const char *s, size_t len)
{
    unsigned v = 0;
    if (len == 0 || len > 5 || s[0] == '0')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return v <= 65535 ? (uint16_t)v : 0;
}

/* An address with an optional port, as the items of --resolver write it:
 * A.B.C.D, A.B.C.D:PORT, an IPv6 address, [IPV6], [IPV6]:PORT. */
static int addr_port(const char *s, size_t len, struct mirage_dns_server *out)
{
    char buf[64];
    const char *port = NULL;
    size_t plen = 0;
    if (len == 0 || len >= sizeof buf)
        return MIRAGE_EINVAL;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return MIRAGE_EINVAL;
        size_t alen = (size_t)(close - s - 1);
        memcpy(buf, s + 1, alen);
        buf[alen] = '\0';
        if (close + 1 < s + len) {
            if (close[1] != ':')
                return MIRAGE_EINVAL;
            port = close + 2;
            plen = (size_t)(s + len - port);
        }
        if (mirage_ipv6_parse(buf, out->addr.v6) != 0)
            return MIRAGE_EINVAL;
        out->addr.version = MIRAGE_IP_V6;
        out->addr.v4 = 0;
    } else {
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (mirage_ipaddr_parse(buf, &out->addr) != 0) {
            char *colon = strchr(buf, ':');
            if (!colon || strchr(colon + 1, ':'))
                return MIRAGE_EINVAL;
            *colon = '\0';
            port = s + (colon - buf) + 1;
            plen = len - (size_t)(colon - buf) - 1;
            if (mirage_ipv4_parse(buf, &out->addr.v4) != 0)
                return MIRAGE_EINVAL;
            out->addr = mirage_ipaddr_of_v4(out->addr.v4);
        }
    }
    out->port = MIRAGE_DNS_PORT;
    if (port && !(out->port = port_of(port, plen)))
        return MIRAGE_EINVAL;
    return 0;
}

int mirage_resolver_parse_servers(const char *text,
                                  struct mirage_dns_server *out, size_t max,
                                  size_t *n)
{
    *n = 0;
    if (!text || !*text)
        return 0;
    const char *s = text;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        struct mirage_dns_server srv = {0};
        const char *a = s;
        size_t alen = len;
        if (len >= 4 && memcmp(s, "tls:", 4) == 0) {
            mirage_log_src_err(&dns_log,
                               "--resolver item '%.*s': DNS over TLS is not "
                               "supported",
                               (int)len, s);
            return MIRAGE_EINVAL;
        }
        if (len >= 4 &&
            (memcmp(s, "udp:", 4) == 0 || memcmp(s, "tcp:", 4) == 0)) {
            srv.tcp_only = s[0] == 't';
            a += 4;
            alen -= 4;
        }
        if (addr_port(a, alen, &srv) != 0) {
            mirage_log_src_err(&dns_log,
                               "invalid --resolver item '%.*s': expected "
                               "[udp:|tcp:]ADDRESS[:PORT]",
                               (int)len, s);
            return MIRAGE_EINVAL;
        }
        if (*n == max) {
            mirage_log_src_err(&dns_log, "--resolver: more than %zu servers",
                               max);
            return MIRAGE_ENOSPC;
        }
        out[(*n)++] = srv;
        if (!end)
            return 0;
        s = end + 1;
    }
}

/* The next whitespace-separated word of the line at *p (which ends at
 * eol): its start, with *len set; NULL at the end of the line. */
static const char *word(const char **p, const char *eol, size_t *len)
{
    const char *s = *p;
    while (s < eol && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    const char *e = s;
    while (e < eol && *e != ' ' && *e != '\t' && *e != '\r')
        e++;
    *p = e;
    *len = (size_t)(e - s);
    return e > s ? s : NULL;
}

/* "NAME:N" with N in [1, max]: true with *v set. */
static bool option(const char *w, size_t len, const char *name, unsigned max,
                   unsigned *v)
{
    size_t nl = strlen(name);
    if (len <= nl + 1 || memcmp(w, name, nl) != 0 || w[nl] != ':')
        return false;
    unsigned x = 0;
    for (size_t i = nl + 1; i < len; i++) {
        if (w[i] < '0' || w[i] > '9' || x > max)
            return false;
        x = x * 10 + (unsigned)(w[i] - '0');
    }
    if (x < 1 || x > max)
        return false;
    *v = x;
    return true;
}

size_t mirage_resolver_parse_resolv_conf(const char *text,
                                         struct mirage_dns_server *out,
                                         size_t max,
                                         struct mirage_resolver_config *cfg)
{
    size_t n = 0;
    const char *line = text;
    while (line && *line) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            eol = line + strlen(line);
        const char *p = line;
        size_t len, alen;
        const char *key = word(&p, eol, &len);
        if (key && len == 10 && memcmp(key, "nameserver", 10) == 0) {
            const char *a = word(&p, eol, &alen);
            struct mirage_dns_server srv = {.port = MIRAGE_DNS_PORT};
            char buf[64];
            if (a && alen < sizeof buf && n < max) {
                memcpy(buf, a, alen);
                buf[alen] = '\0';
                if (mirage_ipaddr_parse(buf, &srv.addr) == 0)
                    out[n++] = srv;
            }
        } else if (key && len == 7 && memcmp(key, "options", 7) == 0) {
            const char *w;
            unsigned v;
            while ((w = word(&p, eol, &alen))) {
                if (option(w, alen, "timeout", 30, &v))
                    cfg->timeout_ns = MIRAGE_SEC((uint64_t)v);
                else if (option(w, alen, "attempts", 5, &v))
                    cfg->attempts = v;
            }
        }
        line = *eol ? eol + 1 : NULL;
    }
    cfg->servers = out;
    cfg->nservers = n;
    return n;
}
