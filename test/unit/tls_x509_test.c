/* X.509 for TLS (lib/tls/x509*.c, der.c): time parsing, RFC 6125 host
 * names and wildcards, IP addresses, name constraints, path building and
 * its checks (dates, CA flags, key usage, path lengths, depth, order),
 * against certificates built field by field (tls_certgen.h). */
#include "../../lib/tls/der.h"
#include "../../lib/tls/internal.h"
#include "test.h"
#include "tls_certgen.h"

#include <stdio.h>

static int64_t now(void)
{
    return (int64_t)(cg_wall_ns / 1000000000u);
}

static bool time_of(const char *text, uint8_t tag, int64_t *t)
{
    uint8_t buf[32] = {tag, (uint8_t)strlen(text)};
    memcpy(buf + 2, text, strlen(text));
    struct rd r;
    struct der_elem e;
    rd_init(&r, buf, 2 + strlen(text));
    return der_next(&r, &e) && der_time(&e, t);
}

TEST(der_times)
{
    int64_t t;
    CHECK(time_of("700101000000Z", DER_UTC_TIME, &t) && t == 0);
    CHECK(time_of("491231235959Z", DER_UTC_TIME, &t) && t == 2524607999);
    CHECK(time_of("500101000000Z", DER_UTC_TIME, &t) && t == -631152000);
    CHECK(time_of("20380119031408Z", DER_GENERALIZED_TIME, &t) &&
          t == 2147483648);
    CHECK(time_of("20240229120000Z", DER_GENERALIZED_TIME, &t));
    CHECK(!time_of("20230229120000Z", DER_GENERALIZED_TIME, &t));
    CHECK(!time_of("700132000000Z", DER_UTC_TIME, &t));
    CHECK(!time_of("7001010000Z", DER_UTC_TIME, &t));
    CHECK(!time_of("700101000000+0100", DER_UTC_TIME, &t));
    CHECK(!time_of("20380119031408.5Z", DER_GENERALIZED_TIME, &t));
}

TEST(der_lengths_must_be_minimal)
{
    static const uint8_t ok[] = {0x04, 0x81, 0x80};
    static const uint8_t long_short[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    static const uint8_t indefinite[] = {0x30, 0x80, 0, 0};
    static const uint8_t high_tag[] = {0x1f, 0x81, 0x01, 0};
    struct rd r;
    struct der_elem e;
    uint8_t big[3 + 128];
    memcpy(big, ok, 3);
    rd_init(&r, big, sizeof big);
    CHECK(der_next(&r, &e) && rd_left(&e.body) == 128);
    rd_init(&r, long_short, sizeof long_short);
    CHECK(!der_next(&r, &e));
    rd_init(&r, indefinite, sizeof indefinite);
    CHECK(!der_next(&r, &e));
    rd_init(&r, high_tag, sizeof high_tag);
    CHECK(!der_next(&r, &e));
}

TEST(dns_names_and_wildcards)
{
    struct {
        const char *pattern, *host;
        bool match;
    } cases[] = {
        {"a.example", "a.example", true},
        {"a.example", "A.EXAMPLE.", true},
        {"a.example.", "a.example", true},
        {"a.example", "b.example", false},
        {"a.example", "x.a.example", false},
        {"*.example.com", "a.example.com", true},
        {"*.example.com", "xn--nxasmq6b.example.com", true},
        {"*.example.com", "a.b.example.com", false},
        {"*.example.com", "example.com", false},
        {"*.example.com", ".example.com", false},
        {"*.com", "a.com", false},
        {"f*.example.com", "foo.example.com", false},
        {"*o.example.com", "foo.example.com", false},
        {"a.*.example", "a.b.example", false},
        {"*", "a", false},
        {"**.example.com", "a.example.com", false},
        {"a.example", "*.example", false},
        {"", "a.example", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool got = x509_dns_match(cases[i].pattern, strlen(cases[i].pattern),
                                  cases[i].host);
        if (got != cases[i].match) {
            test_fail(__FILE__, __LINE__, "%s vs %s: %d", cases[i].pattern,
                      cases[i].host, got);
            return;
        }
    }
}

TEST(ip_literals)
{
    uint8_t ip[16];
    CHECK_INT(x509_parse_ip("10.0.0.2", ip), 4);
    CHECK(ip[0] == 10 && ip[3] == 2);
    CHECK_INT(x509_parse_ip("::1", ip), 16);
    CHECK(ip[15] == 1 && ip[0] == 0);
    CHECK_INT(x509_parse_ip("[2001:db8::8:800:200c:417a]", ip), 16);
    CHECK(ip[0] == 0x20 && ip[1] == 0x01 && ip[15] == 0x7a && ip[10] == 0x08);
    CHECK_INT(x509_parse_ip("1:2:3:4:5:6:7:8", ip), 16);
    CHECK_INT(x509_parse_ip("256.0.0.1", ip), 0);
    CHECK_INT(x509_parse_ip("1.2.3", ip), 0);
    CHECK_INT(x509_parse_ip("1.2.3.4.5", ip), 0);
    CHECK_INT(x509_parse_ip("1::2::3", ip), 0);
    CHECK_INT(x509_parse_ip("1:2:3:4:5:6:7:8:9", ip), 0);
    CHECK_INT(x509_parse_ip("a.example", ip), 0);
    CHECK_INT(x509_parse_ip("1.2.3.4a", ip), 0);
}

/* ---- Chains ----------------------------------------------------------- */

struct pki {
    struct cg_key root_key, inter_key, leaf_key;
    struct cg_cert_opts root, inter, leaf;
};

static void pki_init(struct pki *p, const char *const *names)
{
    cg_key_ec(&p->root_key, BR_EC_secp256r1);
    cg_key_ec(&p->inter_key, BR_EC_secp256r1);
    cg_key_ec(&p->leaf_key, BR_EC_secp256r1);
    p->root = cg_opts("Root");
    p->root.ca = true;
    p->inter = cg_opts("Inter");
    p->inter.issuer_cn = "Root";
    p->inter.ca = true;
    p->leaf = cg_opts("leaf");
    p->leaf.issuer_cn = "Inter";
    p->leaf.dns = names;
}

/* Build the three certificates and validate leaf + intermediate against
 * the root for host: 0 or the alert. */
static int pki_verify(struct pki *p, const char *host, const char **why)
{
    struct blob r = cg_cert(&p->root, &p->root_key, &p->root_key);
    struct blob i = cg_cert(&p->inter, &p->inter_key, &p->root_key);
    struct blob l = cg_cert(&p->leaf, &p->leaf_key, &p->inter_key);
    struct x509_cert anchor, chain[2];
    if (x509_parse(r.p, r.n, &anchor, why) ||
        x509_parse(l.p, l.n, &chain[0], why) ||
        x509_parse(i.p, i.n, &chain[1], why))
        return -1;
    struct x509_policy pol = {
        .anchors = &anchor, .n_anchors = 1, .now = now(), .host = host};
    return x509_verify_server(chain, 2, &pol, why);
}

static const char *const www[] = {"www.example.com", NULL};

TEST(a_chain_of_two_validates)
{
    cg_reset();
    struct pki p;
    const char *why;
    pki_init(&p, www);
    CHECK_INT(pki_verify(&p, "www.example.com", &why), 0);
    CHECK_INT(pki_verify(&p, "example.com", &why), TLS_ALERT_BAD_CERTIFICATE);
    CHECK_INT(pki_verify(&p, NULL, &why), 0);
}

TEST(dates_along_the_path)
{
    cg_reset();
    struct pki p;
    const char *why;
    pki_init(&p, www);
    p.inter.not_after = now() - 1;
    CHECK_INT(pki_verify(&p, "www.example.com", &why),
              TLS_ALERT_CERTIFICATE_EXPIRED);
    pki_init(&p, www);
    p.root.not_before = now() + 60;
    CHECK_INT(pki_verify(&p, "www.example.com", &why),
              TLS_ALERT_CERTIFICATE_EXPIRED);
}

TEST(ca_flags_key_usage_and_path_length)
{
    cg_reset();
    struct pki p;
    const char *why;
    pki_init(&p, www);
    p.inter.ca = false;
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
    CHECK_STR(why, "issuer is not a CA");
    pki_init(&p, www);
    p.inter.ku = 0x8000; /* digitalSignature, not keyCertSign */
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
    pki_init(&p, www);
    p.inter.ku = 0x0400;
    CHECK_INT(pki_verify(&p, NULL, &why), 0);
    pki_init(&p, www);
    p.root.path_len = 0; /* no intermediate allowed below the root */
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
    CHECK_STR(why, "path length constraint exceeded");
    pki_init(&p, www);
    p.root.path_len = 1;
    p.inter.path_len = 0;
    CHECK_INT(pki_verify(&p, NULL, &why), 0);
}

TEST(name_constraints)
{
    cg_reset();
    struct pki p;
    const char *why;
    static const char *const permitted[] = {"example.com", NULL};
    static const char *const dot[] = {".example.com", NULL};
    static const char *const excluded[] = {"secret.example.com", NULL};
    static const char *const evil[] = {"www.evil.org", NULL};
    static const char *const apex[] = {"example.com", NULL};
    static const char *const wild[] = {"*.example.com", NULL};
    pki_init(&p, www);
    p.inter.permitted = permitted;
    CHECK_INT(pki_verify(&p, NULL, &why), 0);
    pki_init(&p, evil);
    p.inter.permitted = permitted;
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
    CHECK_STR(why, "name outside the issuer's name constraints");
    pki_init(&p, apex);
    p.root.permitted = dot; /* subdomains only, on the anchor */
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
    CHECK_STR(why, "name outside the trust anchor's name constraints");
    pki_init(&p, www);
    p.inter.excluded = excluded;
    CHECK_INT(pki_verify(&p, NULL, &why), 0);
    pki_init(&p, wild); /* the wildcard covers an excluded name */
    p.inter.excluded = excluded;
    CHECK_INT(pki_verify(&p, NULL, &why), TLS_ALERT_BAD_CERTIFICATE);
}

TEST(path_building)
{
    cg_reset();
    struct pki p;
    const char *why;
    pki_init(&p, www);
    struct blob r = cg_cert(&p.root, &p.root_key, &p.root_key);
    struct blob i = cg_cert(&p.inter, &p.inter_key, &p.root_key);
    struct blob l = cg_cert(&p.leaf, &p.leaf_key, &p.inter_key);
    struct cg_key other;
    cg_key_ec(&other, BR_EC_secp256r1);
    struct cg_cert_opts oo = cg_opts("Unrelated");
    struct blob u = cg_cert(&oo, &other, &other);
    struct x509_cert anchor, c[4];
    CHECK(!x509_parse(r.p, r.n, &anchor, &why));
    CHECK(!x509_parse(l.p, l.n, &c[0], &why));
    CHECK(!x509_parse(u.p, u.n, &c[1], &why));
    CHECK(!x509_parse(i.p, i.n, &c[2], &why));
    CHECK(!x509_parse(r.p, r.n, &c[3], &why));
    struct x509_policy pol = {.anchors = &anchor, .n_anchors = 1, .now = now()};
    /* the intermediate after an unrelated certificate, the root too */
    CHECK_INT(x509_verify_server(c, 4, &pol, &why), 0);
    /* without the intermediate there is no path */
    CHECK_INT(x509_verify_server(c, 2, &pol, &why), TLS_ALERT_UNKNOWN_CA);
    /* a leaf that is itself the anchor */
    struct x509_policy self = {.anchors = &c[1], .n_anchors = 1, .now = now()};
    CHECK_INT(x509_verify_server(&c[1], 1, &self, &why), 0);
    /* pins: the intermediate's key pins the path */
    uint8_t pin[1][32];
    cg_spki_sha256(&p.inter_key, pin[0]);
    pol.pins = (const uint8_t(*)[32])pin;
    pol.n_pins = 1;
    CHECK_INT(x509_verify_server(c, 4, &pol, &why), 0);
    cg_spki_sha256(&other, pin[0]);
    CHECK_INT(x509_verify_server(c, 4, &pol, &why), TLS_ALERT_BAD_CERTIFICATE);
}

TEST(chains_longer_than_the_limit)
{
    cg_reset();
    enum { N = X509_MAX_DEPTH + 3 }; /* one intermediate too many */
    static struct cg_key keys[N];
    static char names[N][16];
    struct x509_cert c[N];
    struct blob der[N];
    const char *why;
    for (int i = 0; i < N; i++) {
        cg_key_ec(&keys[i], BR_EC_secp256r1);
        snprintf(names[i], sizeof names[i], "ca%d", i);
    }
    /* c[N-1] is the root; c[i] is signed by c[i+1]. */
    for (int i = N - 1; i >= 0; i--) {
        struct cg_cert_opts o = cg_opts(names[i]);
        o.ca = i > 0;
        o.issuer_cn = i < N - 1 ? names[i + 1] : NULL;
        der[i] = cg_cert(&o, &keys[i], &keys[i < N - 1 ? i + 1 : i]);
        CHECK(!x509_parse(der[i].p, der[i].n, &c[i], &why));
    }
    struct x509_policy pol = {
        .anchors = &c[N - 1], .n_anchors = 1, .now = now()};
    CHECK_INT(x509_verify_server(c, N - 1, &pol, &why),
              TLS_ALERT_BAD_CERTIFICATE);
    CHECK_STR(why, "certificate chain too long");
    pol.anchors = &c[4];
    CHECK_INT(x509_verify_server(c, 4, &pol, &why), 0);
}

TEST(ip_subject_alt_name)
{
    cg_reset();
    struct cg_key k;
    cg_key_ec(&k, BR_EC_secp256r1);
    struct cg_cert_opts o = cg_opts("ip");
    o.ip = "10.0.0.2";
    static const char *const n[] = {"10.0.0.3", NULL};
    o.dns = n;
    struct blob b = cg_cert(&o, &k, &k);
    struct x509_cert c;
    const char *why;
    CHECK(!x509_parse(b.p, b.n, &c, &why));
    CHECK(x509_host_matches(&c, "10.0.0.2"));
    /* an IP literal matches iPAddress entries only */
    CHECK(!x509_host_matches(&c, "10.0.0.3"));
    CHECK(!x509_host_matches(&c, "10.0.0.4"));
}

TEST(malformed_certificates_are_refused)
{
    cg_reset();
    struct cg_key k;
    cg_key_ec(&k, BR_EC_secp256r1);
    struct cg_cert_opts o = cg_opts("x");
    struct blob b = cg_cert(&o, &k, &k);
    struct x509_cert c;
    const char *why;
    uint8_t buf[1024];
    /* every truncation, and a byte changed everywhere in the header */
    for (size_t n = 0; n < b.n; n++)
        CHECK(x509_parse(b.p, n, &c, &why) != 0);
    memcpy(buf, b.p, b.n);
    buf[b.n] = 0;
    CHECK(x509_parse(buf, b.n + 1, &c, &why) != 0);
    for (size_t i = 0; i < 40; i++) {
        memcpy(buf, b.p, b.n);
        buf[i] ^= 0x80;
        int err = x509_parse(buf, b.n, &c, &why);
        if (!err) {
            /* still well formed: then the signature no longer matches */
            struct x509_policy pol = {
                .anchors = &c, .n_anchors = 1, .now = now()};
            struct x509_cert orig;
            CHECK(!x509_parse(b.p, b.n, &orig, &why));
            pol.anchors = &orig;
            CHECK(x509_verify_server(&c, 1, &pol, &why) != 0 ||
                  memcmp(c.tbs, orig.tbs, c.tbs_len) == 0);
        }
    }
}

int main(void)
{
    return test_main();
}
