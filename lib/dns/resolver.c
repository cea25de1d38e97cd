/* The stub resolver (include/mirage/resolver.h): queries over UDP from a
 * random port with a random ID, TCP after truncation, rounds over the
 * servers, CNAME follow-ups, the cache, and the lookups built on them
 * (getaddrinfo, reverse). */
#include "dns.h"

#include <mirage/error.h>
#include <mirage/log.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_TIMEOUT  MIRAGE_SEC(1)
#define DEFAULT_ATTEMPTS 2
#define DEFAULT_CACHE    256
#define PORT_TRIES       16
#define TCP_MSG_MAX      65535

struct mirage_resolver {
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
    struct mirage_random *random;
    struct mirage_dns_server servers[MIRAGE_DNS_MAX_SERVERS];
    size_t nservers;
    mirage_resolver_servers_fn defaults;
    void *default_arg;
    uint64_t timeout;
    unsigned attempts;
    struct dns_cache *cache;
    uint64_t last_warn;
    struct mirage_resolver_stats stats;
};

/* A warning about a server, at most one a second. */
static void warn(struct mirage_resolver *r, const char *fmt, ...)
{
    uint64_t now = mirage_now();
    if (r->last_warn && now - r->last_warn < MIRAGE_SEC(1))
        return;
    r->last_warn = now;
    va_list ap;
    va_start(ap, fmt);
    mirage_log_vmsg(&dns_log, MIRAGE_LOG_WARNING, fmt, ap);
    va_end(ap);
}

static uint16_t random16(struct mirage_resolver *r)
{
    return (uint16_t)mirage_random_uniform(r->random, 65536);
}

/* ---- One try over UDP --------------------------------------------------- */

struct udp_try {
    struct mirage_resolver *r;
    const struct mirage_dns_server *srv;
    const struct dns_name *q;
    uint16_t type, id, port;
    uint8_t *buf; /* DNS_EDNS_SIZE bytes */
    size_t len;
    bool done, oversized;
    int err;
    struct mirage_waitq wq;
};

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    struct udp_try *t = arg;
    if (t->done)
        return;
    if (!mirage_ipaddr_equal(&peer->src, &t->srv->addr) ||
        peer->src_port != t->srv->port) {
        t->r->stats.rx_wrong_source++;
        return;
    }
    if (!dns_answers_question(data, len, t->id, t->q, t->type)) {
        t->r->stats.rx_mismatch++;
        return;
    }
    if (len > DNS_EDNS_SIZE) {
        t->oversized = true;
    } else {
        memcpy(t->buf, data, len);
        t->len = len;
    }
    t->done = true;
    mirage_waitq_wake_all(&t->wq);
}

static void on_udp_error(void *arg, const struct mirage_udp_peer *peer, int err)
{
    struct udp_try *t = arg;
    if (t->done || !mirage_ipaddr_equal(&peer->dst, &t->srv->addr) ||
        peer->dst_port != t->srv->port)
        return;
    t->err = err;
    t->done = true;
    mirage_waitq_wake_all(&t->wq);
}

/* Ask srv once over UDP, waiting until `until`: 0 with the answer in buf
 * (*len bytes) or *oversized; MIRAGE_ETIMEDOUT; an error of sending or
 * an ICMP error. */
static int try_udp(struct mirage_resolver *r,
                   const struct mirage_dns_server *srv,
                   const struct dns_name *q, uint16_t type, bool edns,
                   uint64_t until, uint8_t *buf, size_t *len, bool *oversized)
{
    struct udp_try t = {.r = r, .srv = srv, .q = q, .type = type, .buf = buf};
    mirage_waitq_init(&t.wq);
    t.id = random16(r);
    int err = MIRAGE_EINUSE;
    for (int i = 0; i < PORT_TRIES && err == MIRAGE_EINUSE; i++) {
        t.port = (uint16_t)(MIRAGE_UDP_EPHEMERAL_MIN +
                            mirage_random_uniform(
                                r->random, 65536 - MIRAGE_UDP_EPHEMERAL_MIN));
        err = mirage_udp_listen(r->udp, t.port, on_udp, on_udp_error, &t);
    }
    if (err)
        return err;
    uint8_t query[DNS_QUERY_MAX];
    size_t qlen = dns_query_build(query, t.id, q, type, edns);
    r->stats.tx_udp++;
    err = mirage_udp_write(r->udp, NULL, t.port, &srv->addr, srv->port, query,
                           qlen);
    while (!err && !t.done)
        err = mirage_waitq_wait(&t.wq, until);
    mirage_udp_unlisten(r->udp, t.port);
    if (!err)
        err = t.err;
    *len = t.len;
    *oversized = t.oversized;
    return err;
}

/* ---- One try over TCP (RFC 7766) ---------------------------------------- */

static long read_full(struct mirage_tcp_flow *f, uint8_t *p, size_t len,
                      uint64_t until)
{
    size_t got = 0;
    while (got < len) {
        long n = mirage_tcp_read(f, p + got, len - got, until);
        if (n <= 0)
            return n < 0 ? n : MIRAGE_EBADF; /* the stream ended early */
        got += (size_t)n;
    }
    return 0;
}

/* Ask srv once over TCP: 0 with the answer in buf (TCP_MSG_MAX bytes),
 * *len bytes; MIRAGE_EBADF when it is not an answer to the question; the
 * connection's errors. */
static int try_tcp(struct mirage_resolver *r,
                   const struct mirage_dns_server *srv,
                   const struct dns_name *q, uint16_t type, uint64_t until,
                   uint8_t *buf, size_t *len)
{
    if (!r->tcp)
        return MIRAGE_ENOTSUP;
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(r->tcp, &srv->addr, srv->port, until, &f);
    if (err)
        return err;
    uint16_t id = random16(r);
    uint8_t query[2 + DNS_QUERY_MAX];
    size_t qlen = dns_query_build(query + 2, id, q, type, true);
    mirage_put_be16(query, (uint16_t)qlen);
    r->stats.tx_tcp++;
    long n = mirage_tcp_write(f, query, qlen + 2, until);
    uint8_t hdr[2] = {0};
    if (n >= 0)
        n = read_full(f, hdr, 2, until);
    size_t mlen = mirage_get_be16(hdr);
    if (n >= 0)
        n = read_full(f, buf, mlen, until);
    mirage_tcp_close(f);
    if (n < 0)
        return (int)n;
    if (!dns_answers_question(buf, mlen, id, q, type)) {
        r->stats.rx_mismatch++;
        return MIRAGE_EBADF;
    }
    *len = mlen;
    return 0;
}

/* ---- Asking the servers ------------------------------------------------- */

/* The servers to ask now: the configured ones, else the default source's
 * (a DHCP lease's). */
static size_t servers_now(struct mirage_resolver *r,
                          struct mirage_dns_server *out)
{
    if (r->nservers) {
        memcpy(out, r->servers, r->nservers * sizeof *out);
        return r->nservers;
    }
    if (!r->defaults)
        return 0;
    struct mirage_ipaddr a[MIRAGE_DNS_MAX_SERVERS];
    size_t n = r->defaults(r->default_arg, a, MIRAGE_DNS_MAX_SERVERS);
    if (n > MIRAGE_DNS_MAX_SERVERS)
        n = MIRAGE_DNS_MAX_SERVERS;
    for (size_t i = 0; i < n; i++)
        out[i] = (struct mirage_dns_server){a[i], MIRAGE_DNS_PORT, false};
    return n;
}

/* How a query went wrong, worst first: what ask() returns when no server
 * gave a verdict. */
struct failures {
    bool timeout, failed, malformed, unreachable;
};

static int failure_error(const struct failures *f)
{
    if (f->timeout)
        return MIRAGE_ETIMEDOUT;
    if (f->failed)
        return MIRAGE_EIO;
    if (f->malformed)
        return MIRAGE_EBADF;
    return MIRAGE_EUNREACH;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Ask the servers about (q, type) until one gives a verdict (records go
 * to b): 0 with *res, or an error. */
static int ask(struct mirage_resolver *r, const struct dns_name *q,
               uint16_t type, unsigned max_cnames, uint64_t deadline,
               struct dns_builder *b, struct dns_result *res)
{
    struct mirage_dns_server list[MIRAGE_DNS_MAX_SERVERS];
    size_t n = servers_now(r, list);
    char name[DNS_NAME_TEXT_CAP], srv[MIRAGE_IPADDR_STRLEN];
    dns_name_to_text(q, name);
    if (n == 0) {
        mirage_log_src_err(&dns_log,
                           "no DNS server to ask about %s: give --resolver "
                           "or use DHCP",
                           name);
        return MIRAGE_EUNREACH;
    }
    bool skip[MIRAGE_DNS_MAX_SERVERS] = {0};
    bool plain[MIRAGE_DNS_MAX_SERVERS] = {0}; /* no EDNS for this one */
    struct failures fails = {0};
    uint8_t *udp_buf = malloc(DNS_EDNS_SIZE), *tcp_buf = NULL;
    if (!udp_buf)
        return MIRAGE_ENOMEM;
    int err = 0;
    uint64_t wait = r->timeout;
    for (unsigned round = 0; round < r->attempts; round++, wait *= 2) {
        for (size_t i = 0; i < n; i++) {
            if (skip[i])
                continue;
            uint64_t now = mirage_now();
            if (now >= deadline) {
                err = MIRAGE_ETIMEDOUT;
                goto out;
            }
            uint64_t until = min64(now + wait, deadline);
            const struct mirage_dns_server *s = &list[i];
            mirage_ipaddr_to_string(&s->addr, srv);
            mirage_log_src_debug(&dns_log, "asking %s:%u about %s (type %u)",
                                 srv, s->port, name, type);
            uint8_t *msg = udp_buf;
            size_t len = 0;
            bool big = false;
            int e = 0;
            if (!s->tcp_only)
                e = try_udp(r, s, q, type, !plain[i], until, udp_buf, &len,
                            &big);
            if (!e && (s->tcp_only || big ||
                       (mirage_get_be16(udp_buf + 2) & DNS_FLAG_TC))) {
                if (!s->tcp_only)
                    r->stats.truncated++;
                if (!tcp_buf && !(tcp_buf = malloc(TCP_MSG_MAX))) {
                    err = MIRAGE_ENOMEM;
                    goto out;
                }
                msg = tcp_buf;
                e = try_tcp(r, s, q, type, min64(mirage_now() + wait, deadline),
                            tcp_buf, &len);
            }
            if (e == MIRAGE_ETIMEDOUT) {
                r->stats.timeouts++;
                fails.timeout = true;
                continue;
            }
            if (e == MIRAGE_ENOMEM) {
                err = e;
                goto out;
            }
            if (e) {
                if (e == MIRAGE_EBADF)
                    fails.malformed = true;
                else if (e == MIRAGE_ENOTSUP)
                    fails.failed = true;
                else
                    fails.unreachable = true;
                warn(r, "cannot ask %s:%u about %s: %s", srv, s->port, name,
                     e == MIRAGE_ENOTSUP ? "truncated answer and no TCP"
                                         : mirage_strerror(e));
                skip[i] = true;
                continue;
            }
            size_t n0 = b->n, u0 = b->used;
            e = dns_extract(msg, len, q, type, max_cnames, b, res);
            if (e) {
                err = e;
                goto out;
            }
            switch (res->verdict) {
            case DNS_MALFORMED:
                b->n = n0;
                b->used = u0;
                r->stats.rx_malformed++;
                fails.malformed = true;
                skip[i] = true;
                warn(r, "malformed answer from %s:%u about %s", srv, s->port,
                     name);
                break;
            case DNS_FORMERR:
                if (!plain[i] && !s->tcp_only) {
                    plain[i] = true; /* ask again without EDNS */
                    i--;
                    break;
                }
                /* fall through */
            case DNS_FAILED:
                r->stats.server_failures++;
                fails.failed = true;
                skip[i] = true;
                warn(r, "%s:%u failed to answer about %s (rcode %u)", srv,
                     s->port, name, mirage_get_be16(msg + 2) & 15u);
                break;
            default:
                goto out;
            }
        }
    }
    err = failure_error(&fails);
out:
    free(udp_buf);
    free(tcp_buf);
    return err;
}

/* ---- Queries ------------------------------------------------------------ */

int mirage_resolver_query(struct mirage_resolver *r, const char *name,
                          uint16_t type, uint64_t deadline,
                          struct mirage_dns_answer **out)
{
    struct dns_name q;
    if (type == 0 || type == DNS_TYPE_OPT || type == 251 || type == 252 ||
        dns_name_from_text(name, &q) != 0)
        return MIRAGE_EINVAL;
    /* The name as asked, without its final '.' (the root stays "."). */
    char asked[DNS_NAME_TEXT_CAP];
    snprintf(asked, sizeof asked, "%s", name);
    size_t al = strlen(asked);
    if (al > 1 && asked[al - 1] == '.')
        asked[al - 1] = '\0';
    r->stats.queries++;
    enum dns_verdict v =
        dns_cache_get(r->cache, &q, type, mirage_now(), asked, out);
    if (v != DNS_FAILED) {
        r->stats.cache_hits++;
        if (v != DNS_ANSWER || (*out)->count == 0)
            r->stats.negative_hits++;
        return v == DNS_NXDOMAIN ? MIRAGE_ENOENT : 0;
    }
    struct dns_builder b;
    dns_builder_init(&b);
    struct dns_name cur = q;
    struct dns_result res;
    uint32_t ttl = DNS_TTL_MAX;
    bool cacheable = true;
    unsigned links = 0;
    for (;;) {
        int err = ask(r, &cur, type, MIRAGE_DNS_MAX_CNAMES - links, deadline,
                      &b, &res);
        if (err) {
            dns_builder_free(&b);
            return err;
        }
        links += res.cnames;
        if (res.ttl < ttl)
            ttl = res.ttl;
        cacheable = cacheable && res.cacheable;
        if (res.verdict != DNS_FOLLOW)
            break;
        if (links >= MIRAGE_DNS_MAX_CNAMES) {
            dns_builder_free(&b);
            warn(r, "CNAME chain of %s longer than %d links", asked,
                 MIRAGE_DNS_MAX_CNAMES);
            return MIRAGE_EIO;
        }
        cur = res.canonical;
    }
    if (res.verdict == DNS_NXDOMAIN) {
        dns_builder_free(&b);
        if (cacheable)
            dns_cache_put(r->cache, &q, type, DNS_NXDOMAIN, NULL, ttl,
                          mirage_now());
        return MIRAGE_ENOENT;
    }
    char canonical[DNS_NAME_TEXT_CAP];
    dns_name_to_text(&res.canonical, canonical);
    struct mirage_dns_answer *a =
        dns_builder_finish(&b, asked, canonical, type);
    if (!a)
        return MIRAGE_ENOMEM;
    if (cacheable)
        dns_cache_put(r->cache, &q, type, DNS_ANSWER, a, ttl, mirage_now());
    *out = a;
    return 0;
}

/* ---- Lookups ------------------------------------------------------------ */

/* A query run in a fiber of its own (getaddrinfo's AAAA). */
struct job {
    struct mirage_resolver *r;
    const char *host;
    uint16_t type;
    uint64_t deadline;
    struct mirage_dns_answer *answer;
    int err;
};

static int run_job(void *arg)
{
    struct job *j = arg;
    j->err =
        mirage_resolver_query(j->r, j->host, j->type, j->deadline, &j->answer);
    return 0;
}

/* Whether host is "localhost" or a name under it (RFC 6761 6.3). */
static bool is_localhost(const char *host)
{
    size_t n = strlen(host);
    if (n && host[n - 1] == '.')
        n--;
    return n >= 9 && strncasecmp(host + n - 9, "localhost", 9) == 0 &&
           (n == 9 || host[n - 10] == '.');
}

static size_t add_addrs(const struct mirage_dns_answer *a,
                        struct mirage_ipaddr *out, size_t max, size_t k)
{
    for (size_t i = 0; a && i < a->count; i++) {
        if (k < max)
            out[k] = a->rr[i].addr;
        k++;
    }
    return k;
}

long mirage_resolver_getaddrinfo(struct mirage_resolver *r, const char *host,
                                 int family, struct mirage_ipaddr *out,
                                 size_t max, uint64_t deadline)
{
    bool v4 = family == 0 || family == MIRAGE_IP_V4;
    bool v6 = family == 0 || family == MIRAGE_IP_V6;
    if (!host || !(v4 || v6))
        return MIRAGE_EINVAL;
    struct mirage_ipaddr lit;
    if (mirage_ipaddr_parse(host, &lit) == 0) {
        if ((lit.version == MIRAGE_IP_V4 && !v4) ||
            (lit.version == MIRAGE_IP_V6 && !v6))
            return MIRAGE_ENOENT;
        if (max)
            out[0] = lit;
        return 1;
    }
    if (is_localhost(host)) {
        size_t k = 0;
        struct mirage_ipaddr lo6 = {.version = MIRAGE_IP_V6, .v6 = {[15] = 1}};
        if (v4 && k < max)
            out[k] = mirage_ipaddr_of_v4(MIRAGE_IPV4(127, 0, 0, 1));
        k += v4;
        if (v6 && k < max)
            out[k] = lo6;
        return (long)(k + v6);
    }
    struct job a = {r, host, MIRAGE_DNS_A, deadline, NULL, MIRAGE_ENOENT};
    struct job aaaa = {r, host, MIRAGE_DNS_AAAA, deadline, NULL, MIRAGE_ENOENT};
    struct mirage_fiber *f = NULL;
    if (v6 && v4)
        f = mirage_fiber_spawn(run_job, &aaaa, 0);
    if (v4)
        run_job(&a);
    if (f)
        mirage_fiber_join(f);
    else if (v6)
        run_job(&aaaa);
    size_t k = add_addrs(a.answer, out, max, 0);
    k = add_addrs(aaaa.answer, out, max, k);
    mirage_dns_answer_free(a.answer);
    mirage_dns_answer_free(aaaa.answer);
    if (k)
        return (long)k;
    /* Nothing: "no such name/address" only when every family said so. */
    if (a.err && a.err != MIRAGE_ENOENT)
        return a.err;
    if (aaaa.err && aaaa.err != MIRAGE_ENOENT)
        return aaaa.err;
    return MIRAGE_ENOENT;
}

int mirage_resolver_reverse(struct mirage_resolver *r,
                            const struct mirage_ipaddr *addr, char *name,
                            size_t len, uint64_t deadline)
{
    char q[80];
    char *p = q;
    if (addr->version == MIRAGE_IP_V4) {
        for (int i = 0; i < 4; i++)
            p += sprintf(p, "%u.", (unsigned)(addr->v4 >> (8 * i)) & 0xff);
        strcpy(p, "in-addr.arpa");
    } else {
        static const char hex[] = "0123456789abcdef";
        for (int i = 15; i >= 0; i--) {
            *p++ = hex[addr->v6[i] & 15];
            *p++ = '.';
            *p++ = hex[addr->v6[i] >> 4];
            *p++ = '.';
        }
        strcpy(p, "ip6.arpa");
    }
    struct mirage_dns_answer *a;
    int err = mirage_resolver_query(r, q, MIRAGE_DNS_PTR, deadline, &a);
    if (err)
        return err;
    if (a->count == 0)
        err = MIRAGE_ENOENT;
    else if (strlen(a->rr[0].target) >= len)
        err = MIRAGE_ENOSPC;
    else
        strcpy(name, a->rr[0].target);
    mirage_dns_answer_free(a);
    return err;
}

/* ---- The device --------------------------------------------------------- */

int mirage_resolver_connect_config(struct mirage_resolver **out,
                                   struct mirage_udp *udp,
                                   struct mirage_tcp *tcp,
                                   struct mirage_random *random,
                                   const struct mirage_resolver_config *cfg)
{
    static const struct mirage_resolver_config none = {0};
    if (!cfg)
        cfg = &none;
    if (cfg->nservers > MIRAGE_DNS_MAX_SERVERS)
        return MIRAGE_EINVAL;
    for (size_t i = 0; i < cfg->nservers; i++)
        if (cfg->servers[i].port == 0)
            return MIRAGE_EINVAL;
    struct mirage_resolver *r = calloc(1, sizeof *r);
    if (!r)
        return MIRAGE_ENOMEM;
    r->cache = dns_cache_new(cfg->cache_size ? cfg->cache_size : DEFAULT_CACHE,
                             MIRAGE_DNS_CACHE_BYTES);
    if (!r->cache) {
        free(r);
        return MIRAGE_ENOMEM;
    }
    r->udp = udp;
    r->tcp = tcp;
    r->random = random;
    if (cfg->nservers)
        memcpy(r->servers, cfg->servers, cfg->nservers * sizeof *r->servers);
    r->nservers = cfg->nservers;
    r->defaults = cfg->default_servers;
    r->default_arg = cfg->default_arg;
    r->timeout = cfg->timeout_ns ? cfg->timeout_ns : DEFAULT_TIMEOUT;
    r->attempts = cfg->attempts ? cfg->attempts : DEFAULT_ATTEMPTS;
    char list[MIRAGE_DNS_MAX_SERVERS * (MIRAGE_IPADDR_STRLEN + 12)];
    size_t k = 0;
    list[0] = '\0';
    for (size_t i = 0; i < r->nservers; i++) {
        char a[MIRAGE_IPADDR_STRLEN];
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s%s:%u",
                              i ? ", " : "",
                              r->servers[i].tcp_only ? "tcp:" : "",
                              mirage_ipaddr_to_string(&r->servers[i].addr, a),
                              r->servers[i].port);
    }
    mirage_log_src_info(&dns_log, "servers: %s",
                        r->nservers   ? list
                        : r->defaults ? "from the DHCP lease"
                                      : "none");
    *out = r;
    return 0;
}

int mirage_resolver_connect_dns(struct mirage_resolver **out,
                                struct mirage_stack *stack,
                                struct mirage_random *random,
                                const char *servers,
                                mirage_resolver_servers_fn defaults,
                                void *default_arg)
{
    struct mirage_dns_server s[MIRAGE_DNS_MAX_SERVERS];
    struct mirage_resolver_config cfg = {
        .servers = s, .default_servers = defaults, .default_arg = default_arg};
    int err = mirage_resolver_parse_servers(servers, s, MIRAGE_DNS_MAX_SERVERS,
                                            &cfg.nservers);
    if (err)
        return err == MIRAGE_ENOSPC ? MIRAGE_EINVAL : err;
    return mirage_resolver_connect_config(out, stack->udp, stack->tcp, random,
                                          &cfg);
}

const struct mirage_resolver_stats *
mirage_resolver_stats(const struct mirage_resolver *r)
{
    return &r->stats;
}

void mirage_resolver_flush(struct mirage_resolver *r)
{
    dns_cache_flush(r->cache);
}

void mirage_resolver_disconnect(struct mirage_resolver *r)
{
    dns_cache_free(r->cache);
    free(r);
}
