/* The stub resolver (lib/dns) on the test network against scripted
 * servers: lookups of every record type, CNAME chains, the cache and
 * negative caching with TTLs on the virtual clock, random ports and IDs,
 * spoofed answers (wrong source, port or ID), malformed answers and
 * compression loops, truncation and answers too large for the buffer
 * (TCP fallback), silent and failing servers, retries and deadlines. */
#include "dns_server.h"
#include "net_harness.h"

#include <mirage/resolver.h>
#include <mirage/tcp.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT 0
#define SRV1   1
#define SRV2   2
#define SPOOF  3
#define IP1    MIRAGE_IPV4(10, 0, 0, 1)
#define IP2    MIRAGE_IPV4(10, 0, 0, 3)

/* ---- The zone the servers serve ------------------------------------------
 */

struct behaviour {
    bool silent, servfail, no_tcp;
};
static struct behaviour beh[3];
static struct dns_server servers[3];
static struct mirage_tcp *tcp[4];
static const uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};

static void spoof(const struct dns_seen *q, const uint8_t *raw, size_t len)
{
    uint8_t buf[512];
    struct dnsw w;
    struct mirage_ipaddr to = q->src;
    /* From another address; from the server's address but port 5353;
     * from the right place with the wrong ID. Each claims 6.6.6.6. */
    for (int k = 0; k < 3; k++) {
        struct dns_seen fake = *q;
        if (k == 2)
            fake.id ^= 1;
        dnsw_init(&w, buf, sizeof buf);
        dnsw_reply(&w, &fake, raw, len, 0, 1, 0, 0);
        dnsw_a(&w, NULL, 60, MIRAGE_IPV4(6, 6, 6, 6));
        struct mirage_udp *u = node_get(k == 0 ? SPOOF : SRV1)->udp;
        mirage_udp_write(u, NULL, k == 1 ? 5353 : 53, &to, q->src_port, buf,
                         w.len);
    }
}

static bool zone(void *arg, const struct dns_seen *q, const uint8_t *raw,
                 size_t len, struct dnsw *w)
{
    struct behaviour *b = arg;
    if (b->silent || (b->no_tcp && q->tcp))
        return false;
    if (b->servfail) {
        dnsw_reply(w, q, raw, len, 2, 0, 0, 0);
        return true;
    }
    const char *n = q->name;
    uint16_t t = q->type;
    if (!strcmp(n, "a.test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 2, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 1));
        dnsw_a(w, NULL, 90, MIRAGE_IPV4(192, 0, 2, 2));
    } else if (!strcmp(n, "both.test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 3));
    } else if ((!strcmp(n, "both.test") || !strcmp(n, "v6.test")) &&
               t == MIRAGE_DNS_AAAA) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_aaaa(w, NULL, 60, v6a);
    } else if (!strcmp(n, "www.test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 3, 0, 0);
        dnsw_cname(w, NULL, 300, "web.test");
        dnsw_cname(w, "web.test", 300, "host.test");
        dnsw_a(w, "host.test", 300, MIRAGE_IPV4(192, 0, 2, 9));
    } else if (!strcmp(n, "far.test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_cname(w, NULL, 300, "host.test");
    } else if (!strcmp(n, "host.test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 300, MIRAGE_IPV4(192, 0, 2, 9));
    } else if (!strncmp(n, "loop", 4) && t == MIRAGE_DNS_A) {
        /* loop1 -> loop2 -> loop1 ..., one link per answer */
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_cname(w, NULL, 300, n[4] == '1' ? "loop2.test" : "loop1.test");
    } else if (!strcmp(n, "mx.test") && t == MIRAGE_DNS_MX) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        size_t at = dnsw_rr_begin(w, NULL, MIRAGE_DNS_MX, 60);
        dnsw_u16(w, 5);
        dnsw_name(w, "mail.test");
        dnsw_rr_end(w, at);
    } else if (!strcmp(n, "_sip._udp.test") && t == MIRAGE_DNS_SRV) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        size_t at = dnsw_rr_begin(w, NULL, MIRAGE_DNS_SRV, 60);
        dnsw_u16(w, 10);
        dnsw_u16(w, 20);
        dnsw_u16(w, 5060);
        dnsw_name(w, "sip.test");
        dnsw_rr_end(w, at);
    } else if (!strcmp(n, "9.2.0.192.in-addr.arpa") && t == MIRAGE_DNS_PTR) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        size_t at = dnsw_rr_begin(w, NULL, MIRAGE_DNS_PTR, 60);
        dnsw_name(w, "host.test");
        dnsw_rr_end(w, at);
    } else if ((!strcmp(n, "big.test") || !strcmp(n, "huge.test")) &&
               t == MIRAGE_DNS_TXT) {
        static uint8_t text[4000];
        for (size_t i = 0; i < sizeof text; i++)
            text[i] = (uint8_t)('A' + i % 26);
        if (!q->tcp && n[0] == 'b') {
            /* Truncated: TC and no records. */
            dnsw_reply(w, q, raw, len, 0, 0, 0, 0);
            w->p[2] |= 0x02;
        } else {
            /* huge.test: the whole answer even over UDP (ignoring the
             * EDNS size), larger than the client's buffer. */
            dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
            dnsw_txt(w, NULL, 60, text, sizeof text);
        }
    } else if (!strcmp(n, "spoof.test") && t == MIRAGE_DNS_A) {
        spoof(q, raw, len);
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 7));
    } else if (!strcmp(n, "compress.test") && b == &beh[0]) {
        /* An answer whose owner name points at itself. */
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_ptr(w, w->len);
        dnsw_u16(w, 1);
        dnsw_u16(w, 1);
        dnsw_u32(w, 60);
        dnsw_u16(w, 4);
        dnsw_u32(w, 1);
    } else if (!strcmp(n, "compress.test")) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 8));
    } else if (!strcmp(n, "formerr.test") && q->edns) {
        dnsw_reply(w, q, raw, len, 1, 0, 0, 0);
    } else if (!strcmp(n, "formerr.test")) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 5));
    } else if (!strcmp(n, "nosoa.test")) {
        dnsw_reply(w, q, raw, len, 3, 0, 0, 0);
    } else if (!strcmp(n, "v6.test") || !strcmp(n, "mx.test")) {
        /* NODATA */
        dnsw_reply(w, q, raw, len, 0, 0, 1, 0);
        dnsw_soa(w, "test", 3600, 45);
    } else if (!strncmp(n, "n", 1) && strstr(n, ".test") && t == MIRAGE_DNS_A) {
        dnsw_reply(w, q, raw, len, 0, 1, 0, 0);
        dnsw_a(w, NULL, 60, MIRAGE_IPV4(192, 0, 2, 100));
    } else {
        /* NXDOMAIN, negative TTL 30. */
        dnsw_reply(w, q, raw, len, 3, 0, 1, 0);
        dnsw_soa(w, "test", 3600, 30);
    }
    return true;
}

/* ---- Set-up --------------------------------------------------------------
 */

static void setup(void)
{
    memset(beh, 0, sizeof beh);
    for (int i = 0; i < 4; i++)
        node_add(1500);
}

static int start(void)
{
    static const char *const ips[] = {"10.0.0.2/24", "10.0.0.1/24",
                                      "10.0.0.3/24", "10.0.0.4/24"};
    for (int i = 0; i < 4; i++) {
        int err = node_connect(i, ips[i], NULL);
        if (!err)
            err =
                mirage_tcp_connect_direct(&tcp[i], node_get(i)->ip, net_random);
        if (err)
            return err;
    }
    int err = dns_server_start(&servers[0], node_get(SRV1)->udp, tcp[SRV1], 53,
                               zone, &beh[0]);
    if (!err)
        err = dns_server_start(&servers[1], node_get(SRV2)->udp, tcp[SRV2], 53,
                               zone, &beh[1]);
    return err;
}

static void stop(struct mirage_resolver *r)
{
    if (r)
        mirage_resolver_disconnect(r);
    for (int i = 0; i < 4; i++)
        mirage_tcp_disconnect_direct(tcp[i]);
}

/* A resolver (resolver_dns) of node 0's stack asking the servers of text
 * (--resolver). */
static int resolver(const char *text, struct mirage_resolver **out)
{
    static struct mirage_stack stack;
    stack =
        (struct mirage_stack){.udp = node_get(CLIENT)->udp, .tcp = tcp[CLIENT]};
    return mirage_resolver_connect_dns(out, &stack, net_random, text, NULL,
                                       NULL);
}

static const struct mirage_resolver_stats *st;
#define SEEN1 (servers[0].nseen)
#define SEEN2 (servers[1].nseen)

static bool logged(const char *s)
{
    return strstr(testnet_plat_console(), s) != NULL;
}

/* ---- Tests ---------------------------------------------------------------
 */

static int lookup_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    NCHECK(logged("[dns] servers: 10.0.0.1:53"));
    st = mirage_resolver_stats(r);
    struct mirage_ipaddr a[4];
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "a.test", MIRAGE_IP_V4, a, 4,
                                           MIRAGE_FOREVER),
               2);
    NCHECK_INT(a[0].v4, MIRAGE_IPV4(192, 0, 2, 1));
    NCHECK_INT(a[1].v4, MIRAGE_IPV4(192, 0, 2, 2));
    NCHECK_INT(SEEN1, 1);
    struct dns_seen *q = &servers[0].seen[0];
    NCHECK_INT(q->type, MIRAGE_DNS_A);
    NCHECK(q->edns);
    NCHECK(q->flags & 0x0100);
    NCHECK(q->src_port >= MIRAGE_UDP_EPHEMERAL_MIN);
    NCHECK_INT(st->tx_udp, 1);
    /* The query's port is closed again. */
    NCHECK_INT(mirage_udp_unlisten(node_get(CLIENT)->udp, q->src_port),
               MIRAGE_ENOENT);
    /* Cached for the smallest TTL (60 s), the TTLs going down. */
    net_wait(MIRAGE_SEC(20));
    struct mirage_dns_answer *ans;
    NCHECK_INT(
        mirage_resolver_query(r, "A.TEST.", MIRAGE_DNS_A, MIRAGE_FOREVER, &ans),
        0);
    NCHECK(ans->cached);
    NCHECK_INT(ans->count, 2);
    NCHECK(strcmp(ans->name, "A.TEST") == 0);
    NCHECK_INT(ans->rr[0].ttl, 40);
    NCHECK_INT(ans->rr[1].ttl, 70);
    mirage_dns_answer_free(ans);
    NCHECK_INT(SEEN1, 1);
    NCHECK_INT(st->cache_hits, 1);
    net_wait(MIRAGE_SEC(40));
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "a.test", MIRAGE_IP_V4, a, 1,
                                           MIRAGE_FOREVER),
               2);
    NCHECK_INT(SEEN1, 2);
    /* Flushed: asked again. */
    mirage_resolver_flush(r);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "a.test", MIRAGE_IP_V4, a, 1,
                                           MIRAGE_FOREVER),
               2);
    NCHECK_INT(SEEN1, 3);
    stop(r);
    return 0;
}

TEST(lookup_and_cache)
{
    net_run(201, setup, lookup_body);
}

static int negative_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    st = mirage_resolver_stats(r);
    struct mirage_dns_answer *ans;
    NCHECK_INT(mirage_resolver_query(r, "gone.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               MIRAGE_ENOENT);
    NCHECK_INT(mirage_resolver_query(r, "gone.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               MIRAGE_ENOENT);
    NCHECK_INT(SEEN1, 1);
    NCHECK_INT(st->negative_hits, 1);
    net_wait(MIRAGE_SEC(30));
    NCHECK_INT(mirage_resolver_query(r, "gone.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               MIRAGE_ENOENT);
    NCHECK_INT(SEEN1, 2);
    /* Without an SOA nothing is cached. */
    for (int i = 0; i < 2; i++)
        NCHECK_INT(mirage_resolver_query(r, "nosoa.test", MIRAGE_DNS_A,
                                         MIRAGE_FOREVER, &ans),
                   MIRAGE_ENOENT);
    NCHECK_INT(SEEN1, 4);
    /* NODATA: an empty answer, cached (45 s). */
    for (int i = 0; i < 2; i++) {
        NCHECK_INT(mirage_resolver_query(r, "v6.test", MIRAGE_DNS_A,
                                         MIRAGE_FOREVER, &ans),
                   0);
        NCHECK_INT(ans->count, 0);
        NCHECK_INT(ans->cached, i == 1);
        mirage_dns_answer_free(ans);
    }
    NCHECK_INT(SEEN1, 5);
    NCHECK_INT(st->negative_hits, 2);
    stop(r);
    return 0;
}

TEST(negative_caching)
{
    net_run(202, setup, negative_body);
}

static int families_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    struct mirage_ipaddr a[4];
    /* Both families, asked at once: IPv4 first. */
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "both.test", 0, a, 4, MIRAGE_FOREVER),
        2);
    NCHECK_INT(a[0].version, MIRAGE_IP_V4);
    NCHECK_INT(a[1].version, MIRAGE_IP_V6);
    NCHECK(memcmp(a[1].v6, v6a, 16) == 0);
    NCHECK_INT(SEEN1, 2);
    NCHECK(servers[0].seen[0].type != servers[0].seen[1].type);
    NCHECK(servers[0].seen[0].src_port != servers[0].seen[1].src_port);
    /* Only one family has an address; only IPv6 asked; max 1. */
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "v6.test", 0, a, 4, MIRAGE_FOREVER), 1);
    NCHECK_INT(a[0].version, MIRAGE_IP_V6);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "both.test", MIRAGE_IP_V6, a, 4,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(a[0].version, MIRAGE_IP_V6);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "v6.test", MIRAGE_IP_V4, a, 4,
                                           MIRAGE_FOREVER),
               MIRAGE_ENOENT);
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "gone.test", 0, a, 4, MIRAGE_FOREVER),
        MIRAGE_ENOENT);
    /* Literals and localhost need no server. */
    int before = SEEN1;
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "192.0.2.44", 0, a, 4, MIRAGE_FOREVER),
        1);
    NCHECK_INT(a[0].v4, MIRAGE_IPV4(192, 0, 2, 44));
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "2001:db8::1", MIRAGE_IP_V4, a, 4,
                                           MIRAGE_FOREVER),
               MIRAGE_ENOENT);
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "localhost", 0, a, 4, MIRAGE_FOREVER),
        2);
    NCHECK_INT(a[0].v4, MIRAGE_IPV4(127, 0, 0, 1));
    NCHECK_INT(a[1].v6[15], 1);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "db.localhost.", MIRAGE_IP_V4, a,
                                           4, MIRAGE_FOREVER),
               1);
    NCHECK_INT(SEEN1, before);
    /* Bad input. */
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "a..test", 0, a, 4, MIRAGE_FOREVER),
        MIRAGE_EINVAL);
    NCHECK_INT(
        mirage_resolver_getaddrinfo(r, "a.test", 5, a, 4, MIRAGE_FOREVER),
        MIRAGE_EINVAL);
    struct mirage_dns_answer *ans;
    NCHECK_INT(mirage_resolver_query(r, "a.test", 41, MIRAGE_FOREVER, &ans),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_resolver_query(r, "a.test", 0, MIRAGE_FOREVER, &ans),
               MIRAGE_EINVAL);
    stop(r);
    return 0;
}

TEST(address_families)
{
    net_run(203, setup, families_body);
}

static int types_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    struct mirage_dns_answer *ans;
    /* A chain inside one answer. */
    NCHECK_INT(mirage_resolver_query(r, "www.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK(strcmp(ans->canonical, "host.test") == 0);
    NCHECK_INT(ans->count, 1);
    NCHECK_INT(ans->rr[0].addr.v4, MIRAGE_IPV4(192, 0, 2, 9));
    mirage_dns_answer_free(ans);
    NCHECK_INT(SEEN1, 1);
    /* A chain leaving the answer: asked again for its end. */
    NCHECK_INT(mirage_resolver_query(r, "far.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK(strcmp(ans->name, "far.test") == 0);
    NCHECK(strcmp(ans->canonical, "host.test") == 0);
    NCHECK_INT(ans->count, 1);
    mirage_dns_answer_free(ans);
    NCHECK_INT(SEEN1, 3);
    NCHECK(strcmp(servers[0].seen[2].name, "host.test") == 0);
    /* A loop across answers ends. */
    NCHECK_INT(mirage_resolver_query(r, "loop1.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               MIRAGE_EIO);
    NCHECK(logged("CNAME chain of loop1.test longer than 8 links"));
    /* MX, SRV, PTR. */
    NCHECK_INT(mirage_resolver_query(r, "mx.test", MIRAGE_DNS_MX,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK(ans->count == 1 && ans->rr[0].priority == 5);
    NCHECK(strcmp(ans->rr[0].target, "mail.test") == 0);
    mirage_dns_answer_free(ans);
    NCHECK_INT(mirage_resolver_query(r, "_sip._udp.test", MIRAGE_DNS_SRV,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK(ans->count == 1 && ans->rr[0].port == 5060 &&
           ans->rr[0].weight == 20 && ans->rr[0].priority == 10);
    NCHECK(strcmp(ans->rr[0].target, "sip.test") == 0);
    mirage_dns_answer_free(ans);
    char name[64];
    struct mirage_ipaddr addr = mirage_ipaddr_of_v4(MIRAGE_IPV4(192, 0, 2, 9));
    NCHECK_INT(
        mirage_resolver_reverse(r, &addr, name, sizeof name, MIRAGE_FOREVER),
        0);
    NCHECK(strcmp(name, "host.test") == 0);
    NCHECK_INT(mirage_resolver_reverse(r, &addr, name, 5, MIRAGE_FOREVER),
               MIRAGE_ENOSPC);
    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    memcpy(v6.v6, v6a, 16);
    NCHECK_INT(
        mirage_resolver_reverse(r, &v6, name, sizeof name, MIRAGE_FOREVER),
        MIRAGE_ENOENT);
    NCHECK(strcmp(servers[0].seen[SEEN1 - 1].name,
                  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1."
                  "0.0.2.ip6.arpa") == 0);
    stop(r);
    return 0;
}

TEST(record_types_and_cname_chains)
{
    net_run(204, setup, types_body);
}

static int tcp_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    st = mirage_resolver_stats(r);
    struct mirage_dns_answer *ans;
    /* Truncated over UDP: asked again over TCP. */
    NCHECK_INT(mirage_resolver_query(r, "big.test", MIRAGE_DNS_TXT,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK_INT(ans->count, 1);
    NCHECK_INT(ans->rr[0].len, 4000);
    NCHECK_INT(ans->rr[0].data[3999], 'A' + 3999 % 26);
    mirage_dns_answer_free(ans);
    NCHECK_INT(SEEN1, 2);
    NCHECK(!servers[0].seen[0].tcp);
    NCHECK(servers[0].seen[1].tcp);
    NCHECK_INT(st->truncated, 1);
    NCHECK_INT(st->tx_tcp, 1);
    /* Larger than the buffer over UDP: TCP too. */
    NCHECK_INT(mirage_resolver_query(r, "huge.test", MIRAGE_DNS_TXT,
                                     MIRAGE_FOREVER, &ans),
               0);
    NCHECK_INT(ans->rr[0].len, 4000);
    mirage_dns_answer_free(ans);
    NCHECK_INT(st->truncated, 2);
    NCHECK(servers[0].seen[SEEN1 - 1].tcp);
    /* A TCP-only server. */
    mirage_resolver_disconnect(r);
    NCHECK_INT(resolver("tcp:10.0.0.1", &r), 0);
    st = mirage_resolver_stats(r);
    NCHECK_INT(mirage_resolver_query(r, "host.test", MIRAGE_DNS_A,
                                     MIRAGE_FOREVER, &ans),
               0);
    mirage_dns_answer_free(ans);
    NCHECK(servers[0].seen[SEEN1 - 1].tcp);
    NCHECK_INT(st->tx_udp, 0);
    NCHECK_INT(st->truncated, 0);
    /* Truncated and no TCP answer: the next server. */
    mirage_resolver_disconnect(r);
    NCHECK_INT(resolver("10.0.0.1,10.0.0.3", &r), 0);
    beh[0].no_tcp = true;
    NCHECK_INT(mirage_resolver_query(r, "big.test", MIRAGE_DNS_TXT,
                                     mirage_now() + MIRAGE_SEC(10), &ans),
               0);
    mirage_dns_answer_free(ans);
    NCHECK(servers[1].seen[SEEN2 - 1].tcp);
    stop(r);
    return 0;
}

TEST(tcp_fallback)
{
    net_run(205, setup, tcp_body);
}

static int random_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    char name[32];
    struct mirage_ipaddr a;
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "n%d.test", i);
        NCHECK_INT(mirage_resolver_getaddrinfo(r, name, MIRAGE_IP_V4, &a, 1,
                                               MIRAGE_FOREVER),
                   1);
    }
    NCHECK_INT(SEEN1, 40);
    /* Ports and IDs: spread, not counting up. */
    int same_port = 0, same_id = 0, steps = 0;
    for (int i = 0; i < 40; i++) {
        for (int j = 0; j < i; j++) {
            same_port +=
                servers[0].seen[i].src_port == servers[0].seen[j].src_port;
            same_id += servers[0].seen[i].id == servers[0].seen[j].id;
        }
        if (i)
            steps += servers[0].seen[i].id == servers[0].seen[i - 1].id + 1;
        NCHECK(servers[0].seen[i].src_port >= MIRAGE_UDP_EPHEMERAL_MIN);
    }
    NCHECK(same_port <= 1);
    NCHECK(same_id <= 1);
    NCHECK(steps <= 1);
    stop(r);
    return 0;
}

TEST(random_ports_and_ids)
{
    net_run(206, setup, random_body);
}

static int spoof_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    st = mirage_resolver_stats(r);
    /* (the spoofer knows the client's MAC, so its answer comes first) */
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_query(node_get(SPOOF)->arp, MIRAGE_IPV4(10, 0, 0, 2),
                                mac, MIRAGE_FOREVER),
               0);
    struct mirage_ipaddr a;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "spoof.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(a.v4, MIRAGE_IPV4(192, 0, 2, 7));
    NCHECK_INT(st->rx_wrong_source, 2);
    NCHECK_INT(st->rx_mismatch, 1);
    /* A loop in a name compression: the next server is asked. */
    mirage_resolver_disconnect(r);
    NCHECK_INT(resolver("10.0.0.1,10.0.0.3", &r), 0);
    st = mirage_resolver_stats(r);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "compress.test", MIRAGE_IP_V4, &a,
                                           1, MIRAGE_FOREVER),
               1);
    NCHECK_INT(a.v4, MIRAGE_IPV4(192, 0, 2, 8));
    NCHECK_INT(st->rx_malformed, 1);
    NCHECK(logged("[dns] malformed answer from 10.0.0.1:53 about "
                  "compress.test"));
    /* Only malformed answers: MIRAGE_EBADF. */
    mirage_resolver_disconnect(r);
    NCHECK_INT(resolver("10.0.0.1", &r), 0);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "compress.test", MIRAGE_IP_V4, &a,
                                           1, MIRAGE_FOREVER),
               MIRAGE_EBADF);
    stop(r);
    return 0;
}

TEST(spoofed_and_malformed_answers)
{
    net_run(207, setup, spoof_body);
}

static int failover_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    NCHECK_INT(resolver("10.0.0.1,10.0.0.3", &r), 0);
    st = mirage_resolver_stats(r);
    struct mirage_ipaddr a;
    /* Silent first server: after 1 s, the second. */
    beh[0].silent = true;
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "host.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(mirage_now() - t0, MIRAGE_SEC(1));
    NCHECK_INT(st->timeouts, 1);
    /* Failing first server: the second at once. */
    beh[0] = (struct behaviour){.servfail = true};
    t0 = mirage_now();
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "a.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               2);
    NCHECK_INT(mirage_now() - t0, 0);
    NCHECK_INT(st->server_failures, 1);
    /* Everyone silent: two rounds, 1 s then 2 s per server. */
    beh[0] = (struct behaviour){.silent = true};
    beh[1] = (struct behaviour){.silent = true};
    t0 = mirage_now();
    int n1 = SEEN1;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n1.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               MIRAGE_ETIMEDOUT);
    NCHECK_INT(mirage_now() - t0, MIRAGE_SEC(6));
    NCHECK_INT(SEEN1 - n1, 2);
    /* The caller's deadline comes first. */
    t0 = mirage_now();
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n2.test", MIRAGE_IP_V4, &a, 1,
                                           t0 + MIRAGE_MSEC(500)),
               MIRAGE_ETIMEDOUT);
    NCHECK_INT(mirage_now() - t0, MIRAGE_MSEC(500));
    /* Everyone failing: MIRAGE_EIO. */
    beh[0] = (struct behaviour){.servfail = true};
    beh[1] = (struct behaviour){.servfail = true};
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n3.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               MIRAGE_EIO);
    NCHECK(logged("[dns] 10.0.0.1:53 failed to answer about n"));
    /* FORMERR to EDNS: asked again without it. */
    beh[0] = (struct behaviour){0};
    beh[1] = (struct behaviour){0};
    n1 = SEEN1;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "formerr.test", MIRAGE_IP_V4, &a,
                                           1, MIRAGE_FOREVER),
               1);
    NCHECK_INT(a.v4, MIRAGE_IPV4(192, 0, 2, 5));
    NCHECK_INT(SEEN1 - n1, 2);
    NCHECK(!servers[0].seen[SEEN1 - 1].edns);
    mirage_resolver_disconnect(r);
    /* An IPv6 server this stack cannot reach, and a closed port (ICMP port
     * unreachable): both skipped at once. */
    NCHECK_INT(resolver("[2001:db8::53],10.0.0.4,10.0.0.1", &r), 0);
    t0 = mirage_now();
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n4.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK(mirage_now() - t0 < MIRAGE_MSEC(10));
    stop(r);
    return 0;
}

TEST(silent_and_failing_servers)
{
    net_run(208, setup, failover_body);
}

/* The default source, as a DHCP lease would give it. */
static int lease_servers;
static size_t from_lease(void *arg, struct mirage_ipaddr *out, size_t max)
{
    (void)arg;
    if (lease_servers == 0 || max == 0)
        return 0;
    out[0] = mirage_ipaddr_of_v4(lease_servers == 1 ? IP1 : IP2);
    return 1;
}

static int defaults_body(void)
{
    struct mirage_resolver *r;
    NCHECK_INT(start(), 0);
    /* No server at all. */
    NCHECK_INT(mirage_resolver_connect_config(&r, node_get(CLIENT)->udp,
                                              tcp[CLIENT], net_random, NULL),
               0);
    NCHECK(logged("[dns] servers: none"));
    struct mirage_ipaddr a;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "host.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               MIRAGE_EUNREACH);
    NCHECK(logged("[dns] no DNS server to ask about host.test: give "
                  "--resolver or use DHCP"));
    mirage_resolver_disconnect(r);
    /* Servers from the lease, read at each query. */
    struct mirage_resolver_config cfg = {.default_servers = from_lease};
    NCHECK_INT(mirage_resolver_connect_config(&r, node_get(CLIENT)->udp,
                                              tcp[CLIENT], net_random, &cfg),
               0);
    NCHECK(logged("[dns] servers: from the DHCP lease"));
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "host.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               MIRAGE_EUNREACH);
    lease_servers = 1;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "host.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(SEEN1, 1);
    lease_servers = 2;
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n5.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(SEEN2, 1);
    mirage_resolver_disconnect(r);
    /* Configured servers win over the lease. */
    struct mirage_dns_server s = {mirage_ipaddr_of_v4(IP1), 53, false};
    cfg.servers = &s;
    cfg.nservers = 1;
    NCHECK_INT(mirage_resolver_connect_config(&r, node_get(CLIENT)->udp,
                                              tcp[CLIENT], net_random, &cfg),
               0);
    NCHECK_INT(mirage_resolver_getaddrinfo(r, "n6.test", MIRAGE_IP_V4, &a, 1,
                                           MIRAGE_FOREVER),
               1);
    NCHECK_INT(SEEN1, 2);
    mirage_resolver_disconnect(r);
    /* Bad configurations. */
    NCHECK_INT(resolver("10.0.0.1,bogus", &r), MIRAGE_EINVAL);
    NCHECK(logged("invalid --resolver item 'bogus'"));
    NCHECK_INT(resolver("1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,"
                        "1.0.0.7,1.0.0.8,1.0.0.9",
                        &r),
               MIRAGE_EINVAL);
    NCHECK(logged("--resolver: more than 8 servers"));
    cfg.nservers = MIRAGE_DNS_MAX_SERVERS + 1;
    NCHECK_INT(mirage_resolver_connect_config(&r, node_get(CLIENT)->udp,
                                              tcp[CLIENT], net_random, &cfg),
               MIRAGE_EINVAL);
    s.port = 0;
    cfg.nservers = 1;
    NCHECK_INT(mirage_resolver_connect_config(&r, node_get(CLIENT)->udp,
                                              tcp[CLIENT], net_random, &cfg),
               MIRAGE_EINVAL);
    stop(NULL);
    lease_servers = 0;
    return 0;
}

TEST(default_servers)
{
    net_run(209, setup, defaults_body);
}

int main(void)
{
    return test_main();
}
