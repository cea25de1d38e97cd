/* lib/dns without the network: names (text, wire, hostile compression),
 * queries, the checks of an answer against its question, reading answers
 * (every record type, CNAME chains, negative TTLs, malformed records),
 * the cache, server lists and resolv.conf, IPv6 text. */
#include "../../lib/dns/dns.h"
#include "dns_server.h"
#include "fake_plat.h"
#include "test.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>

static struct dns_name n;
static char text[DNS_NAME_TEXT_CAP];

TEST(names_from_and_to_text)
{
    CHECK_INT(dns_name_from_text("www.Example.org", &n), 0);
    CHECK_INT(n.len, 17);
    CHECK(memcmp(n.b, "\3www\7Example\3org\0", 17) == 0);
    CHECK_STR(dns_name_to_text(&n, text), "www.Example.org");
    CHECK_INT(dns_name_from_text("www.example.org.", &n), 0);
    CHECK_INT(n.len, 17);
    CHECK_INT(dns_name_from_text(".", &n), 0);
    CHECK_INT(n.len, 1);
    CHECK_STR(dns_name_to_text(&n, text), ".");
    char label[80];
    memset(label, 'a', 63);
    label[63] = '\0';
    CHECK_INT(dns_name_from_text(label, &n), 0);
    label[63] = 'a';
    label[64] = '\0';
    CHECK_INT(dns_name_from_text(label, &n), MIRAGE_EINVAL);
    /* 253 characters is the most. */
    char longest[300];
    for (int i = 0; i < 254; i++)
        longest[i] = i % 2 ? '.' : 'x';
    longest[253] = '\0';
    CHECK_INT(dns_name_from_text(longest, &n), 0);
    CHECK_INT(n.len, 255);
    longest[253] = 'y';
    longest[254] = '\0';
    CHECK_INT(dns_name_from_text(longest, &n), MIRAGE_EINVAL);
    static const char *const bad[] = {"",     "..",   ".a",    "a..b", "a b",
                                      "a\tb", "a\\b", "a.b..", NULL};
    for (int i = 0; bad[i]; i++)
        CHECK_INT(dns_name_from_text(bad[i], &n), MIRAGE_EINVAL);
    CHECK_INT(dns_name_from_text(NULL, &n), MIRAGE_EINVAL);
}

TEST(names_compare_without_case)
{
    struct dns_name a, b;
    dns_name_from_text("WWW.example.ORG", &a);
    dns_name_from_text("www.EXAMPLE.org", &b);
    CHECK(dns_name_equal(&a, &b));
    dns_name_from_text("www.example.orh", &b);
    CHECK(!dns_name_equal(&a, &b));
    dns_name_from_text("www.example", &b);
    CHECK(!dns_name_equal(&a, &b));
}

static uint8_t m[70000];
static struct dnsw w;

TEST(compressed_names_are_followed)
{
    dnsw_init(&w, m, sizeof m);
    dnsw_header(&w, 1, 0, 0, 0, 0, 0);
    size_t org = dnsw_name(&w, "example.org");
    size_t www = w.len;
    dnsw_u8(&w, 3);
    dnsw_bytes(&w, "www", 3);
    dnsw_ptr(&w, org);
    size_t two = w.len;
    dnsw_u8(&w, 1);
    dnsw_bytes(&w, "a", 1);
    dnsw_ptr(&w, www);
    size_t off = two;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), 0);
    CHECK_INT(off, w.len);
    CHECK_STR(dns_name_to_text(&n, text), "a.www.example.org");
    /* Odd bytes are written \DDD. */
    size_t odd = w.len;
    dnsw_u8(&w, 3);
    dnsw_bytes(&w, "a.\x01", 3);
    dnsw_u8(&w, 0);
    off = odd;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), 0);
    CHECK_STR(dns_name_to_text(&n, text), "a\\046\\001");
}

TEST(hostile_compression_is_refused)
{
    dnsw_init(&w, m, sizeof m);
    dnsw_header(&w, 1, 0, 0, 0, 0, 0);
    /* A pointer to itself, and a pair pointing at each other. */
    size_t self = w.len;
    dnsw_ptr(&w, self);
    size_t off = self;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    size_t a = w.len;
    dnsw_u8(&w, 1);
    dnsw_u8(&w, 'a');
    dnsw_ptr(&w, a); /* "a" then back to "a" ... */
    off = a;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    /* Forward, out of the message, cut in the middle. */
    size_t fwd = w.len;
    dnsw_ptr(&w, fwd + 2);
    dnsw_u8(&w, 0);
    off = fwd;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    size_t out = w.len;
    dnsw_ptr(&w, 0x3fff);
    off = out;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    off = out;
    CHECK_INT(dns_name_read(m, out + 1, &off, &n), MIRAGE_EBADF);
    size_t cut = w.len;
    dnsw_u8(&w, 10);
    dnsw_bytes(&w, "abc", 3);
    off = cut;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    /* The extended label types 0x40 and 0x80. */
    size_t ext = w.len;
    dnsw_u8(&w, 0x41);
    dnsw_u8(&w, 'x');
    dnsw_u8(&w, 0);
    off = ext;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    m[ext] = 0x81;
    off = ext;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
    /* A name over 255 bytes built from a chain of pointers. */
    size_t prev = w.len;
    dnsw_u8(&w, 60);
    for (int i = 0; i < 60; i++)
        dnsw_u8(&w, 'z');
    dnsw_u8(&w, 0);
    for (int k = 0; k < 5; k++) {
        size_t here = w.len;
        dnsw_u8(&w, 60);
        for (int i = 0; i < 60; i++)
            dnsw_u8(&w, 'z');
        dnsw_ptr(&w, prev);
        prev = here;
    }
    off = prev;
    CHECK_INT(dns_name_read(m, w.len, &off, &n), MIRAGE_EBADF);
}

TEST(query_layout)
{
    uint8_t q[DNS_QUERY_MAX];
    dns_name_from_text("example.org", &n);
    size_t len = dns_query_build(q, 0xbeef, &n, MIRAGE_DNS_AAAA, true);
    CHECK_INT(len, 12 + 13 + 4 + 11);
    CHECK_INT(mirage_get_be16(q), 0xbeef);
    CHECK_INT(mirage_get_be16(q + 2), 0x0100); /* RD */
    CHECK_INT(mirage_get_be16(q + 4), 1);
    CHECK_INT(mirage_get_be16(q + 10), 1);
    CHECK(memcmp(q + 12, "\7example\3org\0", 13) == 0);
    CHECK_INT(mirage_get_be16(q + 25), 28);
    CHECK_INT(mirage_get_be16(q + 27), 1);
    CHECK_INT(q[29], 0);                      /* OPT owner: root */
    CHECK_INT(mirage_get_be16(q + 30), 41);   /* OPT */
    CHECK_INT(mirage_get_be16(q + 32), 1232); /* UDP size */
    CHECK_INT(mirage_get_be32(q + 34), 0);    /* version 0, no DO */
    len = dns_query_build(q, 1, &n, MIRAGE_DNS_A, false);
    CHECK_INT(len, 12 + 13 + 4);
    CHECK_INT(mirage_get_be16(q + 10), 0);
}

/* A reply to (example.org, type) with id 7 in m. */
static void reply_head(uint16_t flags, uint16_t type, uint16_t an, uint16_t ns)
{
    dnsw_init(&w, m, sizeof m);
    dnsw_header(&w, 7, flags, 1, an, ns, 0);
    dnsw_question(&w, "Example.ORG", type);
}

TEST(answers_must_match_the_question)
{
    dns_name_from_text("example.org", &n);
    reply_head(0x8180, MIRAGE_DNS_A, 0, 0);
    CHECK(dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    CHECK(!dns_answers_question(m, w.len, 8, &n, MIRAGE_DNS_A));
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_AAAA));
    CHECK(!dns_answers_question(m, 11, 7, &n, MIRAGE_DNS_A));
    CHECK(!dns_answers_question(m, w.len - 1, 7, &n, MIRAGE_DNS_A));
    struct dns_name other;
    dns_name_from_text("example.com", &other);
    CHECK(!dns_answers_question(m, w.len, 7, &other, MIRAGE_DNS_A));
    reply_head(0x0100, MIRAGE_DNS_A, 0, 0); /* a query, not an answer */
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    reply_head(0x8000 | 2 << 11, MIRAGE_DNS_A, 0, 0); /* opcode STATUS */
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    reply_head(0x8180, MIRAGE_DNS_A, 0, 0);
    mirage_put_be16(m + 4, 2);
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    /* Class CHAOS. */
    reply_head(0x8180, MIRAGE_DNS_A, 0, 0);
    mirage_put_be16(m + w.len - 2, 3);
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    /* FORMERR without the question is taken; NOERROR without it not. */
    dnsw_init(&w, m, sizeof m);
    dnsw_header(&w, 7, 0x8181, 0, 0, 0, 0);
    CHECK(dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
    mirage_put_be16(m + 2, 0x8180);
    CHECK(!dns_answers_question(m, w.len, 7, &n, MIRAGE_DNS_A));
}

static struct dns_builder b;
static struct dns_result res;

static int extract(const char *q, uint16_t type)
{
    dns_name_from_text(q, &n);
    dns_builder_init(&b);
    return dns_extract(m, w.len, &n, type, MIRAGE_DNS_MAX_CNAMES, &b, &res);
}

TEST(every_record_type_is_read)
{
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    reply_head(0x8180, MIRAGE_DNS_A, 2, 0);
    dnsw_a(&w, NULL, 300, MIRAGE_IPV4(192, 0, 2, 1));
    dnsw_a(&w, "example.org", 200, MIRAGE_IPV4(192, 0, 2, 2));
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_ANSWER);
    CHECK_INT(res.ttl, 200);
    CHECK(res.cacheable);
    struct mirage_dns_answer *a = dns_builder_finish(&b, "q", "c", 1);
    CHECK(a && a->count == 2);
    CHECK_STR(a->rr[0].name, "Example.ORG");
    CHECK_INT(a->rr[0].addr.v4, MIRAGE_IPV4(192, 0, 2, 1));
    CHECK_INT(a->rr[1].ttl, 200);
    mirage_dns_answer_free(a);

    reply_head(0x8180, MIRAGE_DNS_AAAA, 1, 0);
    dnsw_aaaa(&w, NULL, 60, v6);
    CHECK_INT(extract("example.org", MIRAGE_DNS_AAAA), 0);
    a = dns_builder_finish(&b, "q", "c", 28);
    CHECK(a && a->count == 1 && a->rr[0].addr.version == MIRAGE_IP_V6);
    CHECK(memcmp(a->rr[0].addr.v6, v6, 16) == 0);
    mirage_dns_answer_free(a);

    reply_head(0x8180, MIRAGE_DNS_MX, 1, 0);
    size_t at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_MX, 60);
    dnsw_u16(&w, 10);
    dnsw_u8(&w, 4);
    dnsw_bytes(&w, "mail", 4);
    dnsw_ptr(&w, 12);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_MX), 0);
    a = dns_builder_finish(&b, "q", "c", 15);
    CHECK(a && a->count == 1);
    CHECK_INT(a->rr[0].priority, 10);
    CHECK_STR(a->rr[0].target, "mail.Example.ORG");
    mirage_dns_answer_free(a);

    reply_head(0x8180, MIRAGE_DNS_SRV, 1, 0);
    at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_SRV, 60);
    dnsw_u16(&w, 1);
    dnsw_u16(&w, 5);
    dnsw_u16(&w, 5060);
    dnsw_name(&w, "sip.example.org");
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_SRV), 0);
    a = dns_builder_finish(&b, "q", "c", 33);
    CHECK(a && a->count == 1);
    CHECK_INT(a->rr[0].priority, 1);
    CHECK_INT(a->rr[0].weight, 5);
    CHECK_INT(a->rr[0].port, 5060);
    CHECK_STR(a->rr[0].target, "sip.example.org");
    mirage_dns_answer_free(a);

    reply_head(0x8180, MIRAGE_DNS_TXT, 1, 0);
    uint8_t long_text[600];
    for (size_t i = 0; i < sizeof long_text; i++)
        long_text[i] = (uint8_t)('a' + i % 26);
    dnsw_txt(&w, NULL, 60, long_text, sizeof long_text);
    CHECK_INT(extract("example.org", MIRAGE_DNS_TXT), 0);
    a = dns_builder_finish(&b, "q", "c", 16);
    CHECK(a && a->count == 1);
    CHECK_INT(a->rr[0].len, sizeof long_text);
    CHECK(memcmp(a->rr[0].data, long_text, sizeof long_text) == 0);
    CHECK_INT(a->rr[0].data[sizeof long_text], 0);
    mirage_dns_answer_free(a);

    reply_head(0x8180, MIRAGE_DNS_PTR, 1, 0);
    at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_PTR, 60);
    dnsw_name(&w, "host.example.org");
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_PTR), 0);
    a = dns_builder_finish(&b, "q", "c", 12);
    CHECK(a && a->count == 1);
    CHECK_STR(a->rr[0].target, "host.example.org");
    mirage_dns_answer_free(a);

    /* An unknown type comes raw. */
    reply_head(0x8180, 99, 1, 0);
    at = dnsw_rr_begin(&w, NULL, 99, 60);
    dnsw_bytes(&w, "raw", 3);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", 99), 0);
    a = dns_builder_finish(&b, "q", "c", 99);
    CHECK(a && a->count == 1 && a->rr[0].len == 3);
    CHECK(memcmp(a->rr[0].data, "raw", 4) == 0);
    mirage_dns_answer_free(a);
}

TEST(cname_chains)
{
    /* In the answer: www -> web -> host, with the A of host. */
    reply_head(0x8180, MIRAGE_DNS_A, 3, 0);
    dnsw_a(&w, "host.example.org", 500, MIRAGE_IPV4(192, 0, 2, 9));
    dnsw_cname(&w, "web.example.org", 100, "host.example.org");
    dnsw_cname(&w, NULL, 400, "web.example.org");
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_ANSWER);
    CHECK_INT(res.cnames, 2);
    CHECK_INT(res.ttl, 100);
    CHECK_STR(dns_name_to_text(&res.canonical, text), "host.example.org");
    CHECK_INT(b.n, 1);
    dns_builder_free(&b);
    /* The chain leaves the answer: ask for its end. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    dnsw_cname(&w, NULL, 300, "elsewhere.net");
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_FOLLOW);
    CHECK_STR(dns_name_to_text(&res.canonical, text), "elsewhere.net");
    CHECK_INT(res.ttl, 300);
    /* A loop is a failure, not a hang. */
    reply_head(0x8180, MIRAGE_DNS_A, 2, 0);
    dnsw_cname(&w, "example.org", 300, "loop.example.org");
    dnsw_cname(&w, "loop.example.org", 300, "example.org");
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_FAILED);
    /* Asking for the CNAME itself gives it. */
    reply_head(0x8180, MIRAGE_DNS_CNAME, 1, 0);
    dnsw_cname(&w, NULL, 300, "web.example.org");
    CHECK_INT(extract("example.org", MIRAGE_DNS_CNAME), 0);
    CHECK_INT(res.verdict, DNS_ANSWER);
    CHECK_INT(b.n, 1);
    dns_builder_free(&b);
}

TEST(negative_answers)
{
    /* NXDOMAIN with an SOA: cached for min(SOA TTL, MINIMUM). */
    reply_head(0x8183, MIRAGE_DNS_A, 0, 1);
    dnsw_soa(&w, "org", 900, 300);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_NXDOMAIN);
    CHECK_INT(res.ttl, 300);
    CHECK(res.cacheable);
    reply_head(0x8183, MIRAGE_DNS_A, 0, 1);
    dnsw_soa(&w, "org", 60, 300);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.ttl, 60);
    /* Capped at three hours. */
    reply_head(0x8183, MIRAGE_DNS_A, 0, 1);
    dnsw_soa(&w, "org", 999999, 999999);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.ttl, DNS_NEG_TTL_MAX);
    /* NODATA with an SOA; without an SOA not cached. */
    reply_head(0x8180, MIRAGE_DNS_A, 0, 1);
    dnsw_soa(&w, "example.org", 600, 120);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_NODATA);
    CHECK_INT(res.ttl, 120);
    CHECK(res.cacheable);
    reply_head(0x8180, MIRAGE_DNS_A, 0, 0);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_NODATA);
    CHECK(!res.cacheable);
    reply_head(0x8183, MIRAGE_DNS_A, 0, 0);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_NXDOMAIN);
    CHECK(!res.cacheable);
    /* A TTL with the top bit set counts as 0. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    dnsw_a(&w, NULL, 0x80000010u, MIRAGE_IPV4(192, 0, 2, 1));
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.ttl, 0);
    CHECK(!res.cacheable);
    dns_builder_free(&b);
    /* Other rcodes. */
    reply_head(0x8182, MIRAGE_DNS_A, 0, 0);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_FAILED);
    reply_head(0x8185, MIRAGE_DNS_A, 0, 0);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_FAILED);
    reply_head(0x8181, MIRAGE_DNS_A, 0, 0);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_FORMERR);
}

TEST(malformed_answers)
{
    /* An A record of 5 bytes. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    size_t at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_A, 60);
    dnsw_bytes(&w, "12345", 5);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    dns_builder_free(&b);
    /* A record running past the end, and one more counted than there. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    dnsw_a(&w, NULL, 60, 1);
    w.len -= 1;
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    reply_head(0x8180, MIRAGE_DNS_A, 2, 0);
    dnsw_a(&w, NULL, 60, 1);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    /* A CNAME whose target does not end with its rdata. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_CNAME, 60);
    dnsw_name(&w, "x.org");
    dnsw_u8(&w, 0);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    /* TXT strings that do not fill the rdata exactly; empty TXT. */
    reply_head(0x8180, MIRAGE_DNS_TXT, 1, 0);
    at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_TXT, 60);
    dnsw_u8(&w, 5);
    dnsw_bytes(&w, "abc", 3);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_TXT), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    reply_head(0x8180, MIRAGE_DNS_TXT, 1, 0);
    at = dnsw_rr_begin(&w, NULL, MIRAGE_DNS_TXT, 60);
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_TXT), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    /* A record owned by a looping name. */
    reply_head(0x8180, MIRAGE_DNS_A, 1, 0);
    size_t self = w.len;
    dnsw_ptr(&w, self);
    dnsw_u16(&w, 1);
    dnsw_u16(&w, 1);
    dnsw_u32(&w, 60);
    dnsw_u16(&w, 4);
    dnsw_u32(&w, 1);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_MALFORMED);
    /* A malformed SOA: no negative caching, still NXDOMAIN. */
    reply_head(0x8183, MIRAGE_DNS_A, 0, 1);
    at = dnsw_rr_begin(&w, "org", MIRAGE_DNS_SOA, 60);
    dnsw_name(&w, "ns");
    dnsw_rr_end(&w, at);
    CHECK_INT(extract("example.org", MIRAGE_DNS_A), 0);
    CHECK_INT(res.verdict, DNS_NXDOMAIN);
    CHECK(!res.cacheable);
}

/* ---- The cache ---------------------------------------------------------- */

static struct mirage_dns_answer *answer_of(uint32_t ttl, size_t txt)
{
    dns_builder_init(&b);
    static uint8_t data[4096];
    struct mirage_dns_rr r = {.type = MIRAGE_DNS_A,
                              .ttl = ttl,
                              .name = "x",
                              .addr = mirage_ipaddr_of_v4(1),
                              .data = txt ? data : NULL,
                              .len = txt};
    dns_builder_add(&b, &r);
    return dns_builder_finish(&b, "x", "x", MIRAGE_DNS_A);
}

TEST(cache_honours_ttls)
{
    struct dns_cache *c = dns_cache_new(8, MIRAGE_DNS_CACHE_BYTES);
    struct mirage_dns_answer *a = answer_of(100, 0), *got;
    struct dns_name q, Q;
    dns_name_from_text("x.org", &q);
    dns_name_from_text("X.ORG", &Q);
    uint64_t t0 = MIRAGE_SEC(1000);
    dns_cache_put(c, &q, MIRAGE_DNS_A, DNS_ANSWER, a, 60, t0);
    CHECK_INT(
        dns_cache_get(c, &Q, MIRAGE_DNS_A, t0 + MIRAGE_SEC(59), "X.ORG", &got),
        DNS_ANSWER);
    CHECK(got->cached);
    CHECK_STR(got->name, "X.ORG");
    CHECK_INT(got->rr[0].ttl, 41);
    mirage_dns_answer_free(got);
    CHECK_INT(dns_cache_get(c, &q, MIRAGE_DNS_AAAA, t0, "x", &got), DNS_FAILED);
    CHECK_INT(
        dns_cache_get(c, &q, MIRAGE_DNS_A, t0 + MIRAGE_SEC(60), "x", &got),
        DNS_FAILED);
    CHECK_INT(dns_cache_entries(c), 0);
    /* Negative entries. */
    dns_cache_put(c, &q, MIRAGE_DNS_A, DNS_NXDOMAIN, NULL, 30, t0);
    CHECK_INT(
        dns_cache_get(c, &q, MIRAGE_DNS_A, t0 + MIRAGE_SEC(29), "x", &got),
        DNS_NXDOMAIN);
    CHECK_INT(
        dns_cache_get(c, &q, MIRAGE_DNS_A, t0 + MIRAGE_SEC(30), "x", &got),
        DNS_FAILED);
    /* TTL 0 keeps nothing; a new answer replaces the old. */
    dns_cache_put(c, &q, MIRAGE_DNS_A, DNS_ANSWER, a, 0, t0);
    CHECK_INT(dns_cache_entries(c), 0);
    dns_cache_put(c, &q, MIRAGE_DNS_A, DNS_NXDOMAIN, NULL, 30, t0);
    dns_cache_put(c, &q, MIRAGE_DNS_A, DNS_ANSWER, a, 30, t0);
    CHECK_INT(dns_cache_entries(c), 1);
    CHECK_INT(dns_cache_get(c, &q, MIRAGE_DNS_A, t0, "x", &got), DNS_ANSWER);
    mirage_dns_answer_free(got);
    dns_cache_flush(c);
    CHECK_INT(dns_cache_entries(c), 0);
    CHECK_INT(dns_cache_bytes(c), 0);
    mirage_dns_answer_free(a);
    dns_cache_free(c);
}

TEST(cache_is_bounded)
{
    struct dns_cache *c = dns_cache_new(4, 20000);
    struct mirage_dns_answer *a = answer_of(100, 0),
                             *big = answer_of(100, 4000);
    struct mirage_dns_answer *got;
    struct dns_name q[6];
    char name[3] = "n0";
    for (int i = 0; i < 6; i++) {
        name[1] = (char)('0' + i);
        dns_name_from_text(name, &q[i]);
    }
    for (int i = 0; i < 4; i++)
        dns_cache_put(c, &q[i], 1, DNS_ANSWER, a, 60, 0);
    /* n0 is used: n1 is the least recently used and goes first. */
    CHECK_INT(dns_cache_get(c, &q[0], 1, 0, "n0", &got), DNS_ANSWER);
    mirage_dns_answer_free(got);
    dns_cache_put(c, &q[4], 1, DNS_ANSWER, a, 60, 0);
    CHECK_INT(dns_cache_entries(c), 4);
    CHECK_INT(dns_cache_get(c, &q[1], 1, 0, "n1", &got), DNS_FAILED);
    CHECK_INT(dns_cache_get(c, &q[0], 1, 0, "n0", &got), DNS_ANSWER);
    mirage_dns_answer_free(got);
    /* Bytes: big answers push the others out. */
    for (int i = 0; i < 6; i++)
        dns_cache_put(c, &q[i], 28, DNS_ANSWER, big, 60, 0);
    CHECK(dns_cache_bytes(c) <= 20000);
    CHECK(dns_cache_entries(c) < 6);
    /* One answer larger than the whole cache is not kept. */
    struct dns_cache *tiny = dns_cache_new(4, 1000);
    dns_cache_put(tiny, &q[0], 1, DNS_ANSWER, big, 60, 0);
    CHECK_INT(dns_cache_entries(tiny), 0);
    dns_cache_free(tiny);
    mirage_dns_answer_free(a);
    mirage_dns_answer_free(big);
    dns_cache_free(c);
}

/* ---- Servers ------------------------------------------------------------ */

TEST(resolver_argument)
{
    struct mirage_dns_server s[4];
    size_t n;
    CHECK_INT(
        mirage_resolver_parse_servers(
            "10.0.0.1,tcp:10.0.0.2:5353,udp:[2001:db8::1]:54,::1", s, 4, &n),
        0);
    CHECK_INT(n, 4);
    CHECK_INT(s[0].addr.v4, MIRAGE_IPV4(10, 0, 0, 1));
    CHECK_INT(s[0].port, 53);
    CHECK(!s[0].tcp_only);
    CHECK_INT(s[1].port, 5353);
    CHECK(s[1].tcp_only);
    CHECK_INT(s[2].addr.version, MIRAGE_IP_V6);
    CHECK_INT(s[2].addr.v6[0], 0x20);
    CHECK_INT(s[2].addr.v6[15], 1);
    CHECK_INT(s[2].port, 54);
    CHECK_INT(s[3].addr.version, MIRAGE_IP_V6);
    CHECK_INT(s[3].port, 53);
    CHECK_INT(mirage_resolver_parse_servers("", s, 4, &n), 0);
    CHECK_INT(n, 0);
    CHECK_INT(mirage_resolver_parse_servers(NULL, s, 4, &n), 0);
    fake_console_capture(true);
    static const char *const bad[] = {
        "x",          "10.0.0.1:0",  "10.0.0.1:65536",
        "10.0.0.1,",  "tls:1.1.1.1", "[::1",
        "[::1]x",     "udp:",        "10.0.0.1:5:3",
        "10.0.0.256", "1.2.3.4:053", NULL};
    for (int i = 0; bad[i]; i++)
        CHECK_INT(mirage_resolver_parse_servers(bad[i], s, 4, &n),
                  MIRAGE_EINVAL);
    CHECK_INT(mirage_resolver_parse_servers("1.1.1.1,2.2.2.2", s, 1, &n),
              MIRAGE_ENOSPC);
    fake_console_capture(false);
    CHECK(strstr(fake_console_text(), "invalid --resolver item 'x'"));
    CHECK(strstr(fake_console_text(),
                 "--resolver item 'tls:1.1.1.1': DNS over TLS is not "
                 "supported"));
}

TEST(resolv_conf)
{
    struct mirage_dns_server s[3];
    struct mirage_resolver_config cfg = {0};
    const char *text = "# generated\n"
                       "search example.org\n"
                       "nameserver 10.0.0.1\n"
                       "nameserver   fe80::1  \n"
                       "nameserver bogus\n"
                       "options ndots:2 timeout:3 attempts:4 rotate\n"
                       "nameserver 10.0.0.2\r\n"
                       "nameserver 10.0.0.3\n";
    CHECK_INT(mirage_resolver_parse_resolv_conf(text, s, 3, &cfg), 3);
    CHECK(cfg.servers == s);
    CHECK_INT(cfg.nservers, 3);
    CHECK_INT(s[0].addr.v4, MIRAGE_IPV4(10, 0, 0, 1));
    CHECK_INT(s[0].port, 53);
    CHECK_INT(s[1].addr.version, MIRAGE_IP_V6);
    CHECK_INT(s[2].addr.v4, MIRAGE_IPV4(10, 0, 0, 2));
    CHECK_INT(cfg.timeout_ns, MIRAGE_SEC(3));
    CHECK_INT(cfg.attempts, 4);
    cfg = (struct mirage_resolver_config){0};
    CHECK_INT(mirage_resolver_parse_resolv_conf("options timeout:99 "
                                                "attempts:0\n",
                                                s, 3, &cfg),
              0);
    CHECK_INT(cfg.timeout_ns, 0);
    CHECK_INT(cfg.attempts, 0);
    CHECK_INT(mirage_resolver_parse_resolv_conf("", s, 3, &cfg), 0);
}

TEST(ipv6_text)
{
    uint8_t a[16];
    static const struct {
        const char *text;
        uint8_t first, last;
    } good[] = {
        {"::", 0, 0},
        {"::1", 0, 1},
        {"1::", 0, 0},
        {"2001:db8::ff", 0x20, 0xff},
        {"1:2:3:4:5:6:7:8", 0, 8},
        {"::ffff:192.0.2.1", 0, 1},
        {"FE80:0:0:0:0:0:0:A", 0xfe, 0xa},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK_INT(mirage_ipv6_parse(good[i].text, a), 0);
        CHECK_INT(a[0], good[i].first);
        CHECK_INT(a[15], good[i].last);
    }
    CHECK_INT(mirage_ipv6_parse("::ffff:192.0.2.1", a), 0);
    CHECK_INT(a[10], 0xff);
    CHECK_INT(a[12], 192);
    CHECK_INT(mirage_ipv6_parse("1::2:3", a), 0);
    CHECK_INT(a[1], 1);
    CHECK_INT(a[13], 2);
    CHECK_INT(a[2], 0);
    static const char *const bad[] = {"",
                                      ":",
                                      ":::",
                                      "1:2:3:4:5:6:7:8:9",
                                      "1::2::3",
                                      "12345::",
                                      "1:2:3:4:5:6:7",
                                      "1::2:3:4:5:6:7:8",
                                      "1:",
                                      ":1",
                                      "g::",
                                      "::1.2.3",
                                      "1.2.3.4",
                                      "1:2:3:4:5:6:7:1.2.3.4",
                                      NULL};
    for (int i = 0; bad[i]; i++)
        CHECK_INT(mirage_ipv6_parse(bad[i], a), MIRAGE_EINVAL);
    struct mirage_ipaddr x;
    CHECK_INT(mirage_ipaddr_parse("10.1.2.3", &x), 0);
    CHECK_INT(x.version, MIRAGE_IP_V4);
    CHECK_INT(mirage_ipaddr_parse("::2", &x), 0);
    CHECK_INT(x.version, MIRAGE_IP_V6);
    CHECK_INT(mirage_ipaddr_parse("nope", &x), MIRAGE_EINVAL);
}

int main(void)
{
    return test_main();
}
