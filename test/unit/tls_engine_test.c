/* Our TLS client against our TLS server, engine to engine in memory:
 * both versions with RSA and ECDSA certificates, application data,
 * close_notify, resumption by ticket (TLS 1.3 PSK and TLS 1.2), ALPN,
 * certificates chosen by SNI, KeyUpdate, messages larger than a record,
 * certificate checks that fail with the right alert, a downgrade caught
 * by the sentinel, and bad input of every kind ending in an alert and a
 * failed state, never a crash. */
#include "../../lib/tls/internal.h"
#include "test.h"
#include "tls_certgen.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- Credentials ------------------------------------------------------- */

/* The name of the CA make_creds makes. */
static const char *ca_name = "Test CA";

struct creds {
    struct cg_key ca_key, key;
    struct blob ca, leaf;
    const char *ca_pem, *chain_pem, *key_pem;
};

/* A CA (EC) and a leaf for the names, RSA or ECDSA. */
static void make_creds(struct creds *c, bool rsa, const char *const *names,
                       const struct cg_cert_opts *leaf_opts)
{
    cg_key_ec(&c->ca_key, BR_EC_secp256r1);
    if (rsa)
        cg_key_rsa(&c->key, 2048);
    else
        cg_key_ec(&c->key, BR_EC_secp256r1);
    struct cg_cert_opts ca = cg_opts(ca_name);
    ca.ca = true;
    ca.ku = 0x0400 | 0x0200;
    c->ca = cg_cert(&ca, &c->ca_key, &c->ca_key);
    struct cg_cert_opts o = leaf_opts ? *leaf_opts : cg_opts(names[0]);
    o.issuer_cn = ca_name;
    if (!o.dns)
        o.dns = names;
    c->leaf = cg_cert(&o, &c->key, &c->ca_key);
    struct blob chain[2] = {c->leaf, c->ca};
    c->ca_pem = cg_pem("CERTIFICATE", &c->ca, 1);
    c->chain_pem = cg_pem("CERTIFICATE", chain, 2);
    c->key_pem = cg_key_pem(&c->key, !rsa);
}

static const char *const localhost[] = {"localhost", "test.example", NULL};

static struct mirage_tls_server_config *
server_cfg(const struct creds *c, uint16_t max, const char *alpn)
{
    struct mirage_tls_server_options o = {
        .random = cg_random(), .max_version = max, .alpn = alpn};
    struct mirage_tls_server_config *cfg;
    if (mirage_tls_server_config_create(&o, &cfg) ||
        mirage_tls_server_config_add(cfg, c->chain_pem, strlen(c->chain_pem),
                                     c->key_pem, strlen(c->key_pem)))
        abort();
    return cfg;
}

static struct mirage_tls_client_config *
client_cfg(const struct creds *c, uint16_t max, const char *alpn)
{
    struct mirage_tls_client_options o = {.random = cg_random(),
                                          .pclock = cg_pclock(),
                                          .max_version = max,
                                          .alpn = alpn};
    struct mirage_tls_client_config *cfg;
    if (mirage_tls_client_config_create(&o, &cfg) ||
        mirage_tls_client_config_add_anchors(cfg, c->ca_pem, strlen(c->ca_pem)))
        abort();
    return cfg;
}

/* ---- Two engines ------------------------------------------------------ */

struct side {
    struct tls_conn c;
    uint8_t *ibuf, *obuf, *hbuf, *post;
    struct tls_hs *hs;
    int err;   /* what tls_conn_process last returned */
    bool done; /* handshake_done called */
};

static void side_alloc(struct side *s, size_t ocap, size_t hcap)
{
    memset(s, 0, sizeof *s);
    s->ibuf = malloc(TLS_IBUF_SIZE);
    s->obuf = malloc(ocap);
    s->hbuf = malloc(hcap);
    s->post = malloc(TLS_POST_HBUF);
    s->hs = malloc(sizeof *s->hs);
}

static void server_side(struct side *s, struct mirage_tls_server_config *cfg)
{
    size_t ocap = tls_conn_obuf_size(cfg);
    side_alloc(s, ocap, TLS_SERVER_HBUF);
    tls_conn_init_server(&s->c, cfg, s->hs, s->ibuf, TLS_IBUF_SIZE, s->obuf,
                         ocap, s->hbuf, TLS_SERVER_HBUF);
}

static int client_side(struct side *s, struct mirage_tls_client_config *cfg,
                       const char *host)
{
    side_alloc(s, TLS_CLIENT_OBUF, TLS_CLIENT_HBUF);
    return tls_conn_init_client(&s->c, cfg, host, s->hs, s->ibuf, TLS_IBUF_SIZE,
                                s->obuf, TLS_CLIENT_OBUF, s->hbuf,
                                TLS_CLIENT_HBUF);
}

static void side_free(struct side *s)
{
    tls_conn_wipe(&s->c);
    free(s->ibuf);
    free(s->obuf);
    free(s->hbuf);
    free(s->post);
    free(s->hs);
}

/* A hook that may change bytes in flight (returns their new length). */
typedef size_t (*tamper_fn)(uint8_t *p, size_t len, void *arg);

/* Move from's output into to's input and let to process it: true when
 * bytes moved. */
static bool transfer(struct side *from, struct side *to, tamper_fn t, void *arg)
{
    size_t len, space;
    const uint8_t *out = tls_conn_output(&from->c, &len);
    if (len == 0)
        return false;
    uint8_t *in = tls_conn_input_space(&to->c, &space);
    size_t n = len < space ? len : space;
    memcpy(in, out, n);
    tls_conn_sent(&from->c, n);
    if (t)
        n = t(in, n, arg);
    tls_conn_received(&to->c, n);
    to->err = tls_conn_process(&to->c);
    if (tls_conn_connected(&to->c) && !to->done && to->c.hs) {
        tls_conn_handshake_done(&to->c, to->post, TLS_POST_HBUF);
        to->done = true;
    }
    return true;
}

/* Exchange until neither side has anything to say. */
static void run(struct side *cl, struct side *sv, tamper_fn to_server,
                tamper_fn to_client, void *arg)
{
    for (int i = 0; i < 64; i++) {
        bool a = transfer(cl, sv, to_server, arg);
        bool b = transfer(sv, cl, to_client, arg);
        if (!a && !b)
            return;
    }
}

/* Application data from a to b. */
static bool send_data(struct side *a, struct side *b, const void *data,
                      size_t len)
{
    const uint8_t *p = data;
    size_t got = 0;
    uint8_t *seen = malloc(len + 1);
    while (got < len) {
        size_t room = tls_conn_app_room(&a->c);
        size_t n = len - (p - (const uint8_t *)data);
        if (n > room)
            n = room;
        if (n) {
            tls_conn_write_app(&a->c, p, n);
            p += n;
        }
        if (!transfer(a, b, NULL, NULL) && !b->c.app_len) {
            free(seen);
            return false;
        }
        while (b->c.app_len) {
            memcpy(seen + got, b->c.app, b->c.app_len);
            got += b->c.app_len;
            b->c.app_len = 0;
            b->err = tls_conn_process(&b->c);
        }
    }
    bool same = memcmp(seen, data, len) == 0;
    free(seen);
    return same;
}

/* ---- Pairs -------------------------------------------------------------- */

/* Our client and server, their configurations and engines. */
struct pair {
    struct creds cr;
    struct mirage_tls_server_config *scfg;
    struct mirage_tls_client_config *ccfg;
    struct side cl, sv;
};

/* Fresh credentials (an RSA or ECDSA leaf for localhost and test.example,
 * or with leaf's options) and configurations of both sides. */
static void pair_init(struct pair *p, bool rsa, const struct cg_cert_opts *leaf,
                      uint16_t server_max, const char *server_alpn,
                      const char *client_alpn)
{
    cg_reset();
    make_creds(&p->cr, rsa, localhost, leaf);
    p->scfg = server_cfg(&p->cr, server_max, server_alpn);
    p->ccfg = client_cfg(&p->cr, 0, client_alpn);
}

/* New engines (the client's for host) and, for pair_connect, their
 * handshake. */
static void pair_start(struct pair *p, const char *host)
{
    server_side(&p->sv, p->scfg);
    client_side(&p->cl, p->ccfg, host);
}

static void pair_connect(struct pair *p, const char *host)
{
    pair_start(p, host);
    run(&p->cl, &p->sv, NULL, NULL, NULL);
}

/* The engines' end; pair_free frees the configurations too. */
static void pair_end(struct pair *p)
{
    side_free(&p->cl);
    side_free(&p->sv);
}

static void pair_free(struct pair *p)
{
    pair_end(p);
    mirage_tls_server_config_free(p->scfg);
    mirage_tls_client_config_free(p->ccfg);
}

/* ---- Full handshakes ---------------------------------------------------- */

static void handshake_case(bool rsa, uint16_t max, uint16_t want_version)
{
    struct pair p;
    pair_init(&p, rsa, NULL, max, NULL, NULL);
    pair_connect(&p, "localhost");
    CHECK_INT(p.cl.err, 0);
    CHECK_INT(p.sv.err, 0);
    CHECK(tls_conn_connected(&p.cl.c) && tls_conn_connected(&p.sv.c));
    CHECK_INT(p.cl.c.version, want_version);
    CHECK_INT(p.sv.c.version, want_version);
    CHECK(p.cl.c.suite == p.sv.c.suite);
    CHECK(p.cl.c.suite->auth == TLS_KEY_NONE ||
          p.cl.c.suite->auth == (rsa ? TLS_KEY_RSA : TLS_KEY_EC));
    CHECK_INT(p.cl.c.sig_scheme, p.sv.c.sig_scheme);
    CHECK(!p.cl.c.resumed && !p.sv.c.resumed);
    CHECK_STR(p.sv.c.host, "localhost");
    /* Data both ways, in several records. */
    static uint8_t big[100000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    CHECK(send_data(&p.cl, &p.sv, big, sizeof big));
    CHECK(send_data(&p.sv, &p.cl, big, 1));
    CHECK(send_data(&p.sv, &p.cl, big, sizeof big));
    /* close_notify ends the stream cleanly. */
    tls_conn_close_notify(&p.cl.c);
    transfer(&p.cl, &p.sv, NULL, NULL);
    CHECK(p.sv.c.peer_closed);
    CHECK_INT(p.sv.err, 0);
    CHECK_INT(tls_conn_eof(&p.sv.c), 0);
    pair_free(&p);
}

TEST(tls13_ecdsa)
{
    handshake_case(false, 0, MIRAGE_TLS_1_3);
}
TEST(tls13_rsa_pss)
{
    handshake_case(true, 0, MIRAGE_TLS_1_3);
}
TEST(tls12_ecdsa)
{
    handshake_case(false, MIRAGE_TLS_1_2, MIRAGE_TLS_1_2);
}
TEST(tls12_rsa)
{
    handshake_case(true, MIRAGE_TLS_1_2, MIRAGE_TLS_1_2);
}

/* ---- Resumption --------------------------------------------------------- */

static void resumption_case(uint16_t max)
{
    struct pair p;
    pair_init(&p, false, NULL, max, NULL, NULL);
    for (int round = 0; round < 3; round++) {
        pair_connect(&p, "localhost");
        CHECK(tls_conn_connected(&p.cl.c) && tls_conn_connected(&p.sv.c));
        CHECK_INT(p.cl.c.resumed, round > 0);
        CHECK_INT(p.sv.c.resumed, round > 0);
        CHECK(send_data(&p.cl, &p.sv, "ping", 4));
        /* the client reads the ticket */
        CHECK(send_data(&p.sv, &p.cl, "pong", 4));
        pair_end(&p);
        if (round == 1)
            cg_now_ns += MIRAGE_SEC(1);
    }
    /* A rotated key still opens the previous tickets, not older ones. */
    CHECK_INT(mirage_tls_server_config_rotate_ticket_key(p.scfg), 0);
    CHECK_INT(mirage_tls_server_config_rotate_ticket_key(p.scfg), 0);
    pair_connect(&p, "localhost");
    CHECK(tls_conn_connected(&p.cl.c) && tls_conn_connected(&p.sv.c));
    CHECK(!p.cl.c.resumed);
    pair_free(&p);
}

TEST(tls13_psk_resumption)
{
    resumption_case(0);
}
TEST(tls12_ticket_resumption)
{
    resumption_case(MIRAGE_TLS_1_2);
}

TEST(expired_ticket_is_a_full_handshake)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    pair_connect(&p, "localhost");
    CHECK(send_data(&p.sv, &p.cl, "x", 1));
    pair_end(&p);
    cg_now_ns += MIRAGE_SEC(7201);
    pair_connect(&p, "localhost");
    CHECK(tls_conn_connected(&p.cl.c) && !p.cl.c.resumed && !p.sv.c.resumed);
    pair_free(&p);
}

/* ---- ALPN and SNI ------------------------------------------------------- */

static int alpn_case(const char *server, const char *client, char *agreed)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, server, client);
    pair_connect(&p, "localhost");
    int r = tls_conn_connected(&p.cl.c) ? 0 : p.cl.c.alert_rcvd;
    strcpy(agreed, p.cl.c.alpn);
    if (strcmp(p.cl.c.alpn, p.sv.c.alpn) != 0)
        r = -1;
    pair_free(&p);
    return r;
}

TEST(alpn_negotiation)
{
    char a[64];
    CHECK_INT(alpn_case("h2,http/1.1", "http/1.1,h2", a), 0);
    CHECK_STR(a, "h2"); /* the server's preference */
    CHECK_INT(alpn_case("h2,http/1.1", "http/1.1", a), 0);
    CHECK_STR(a, "http/1.1");
    CHECK_INT(alpn_case(NULL, "http/1.1", a), 0);
    CHECK_STR(a, "");
    CHECK_INT(alpn_case("h2", NULL, a), 0);
    CHECK_STR(a, "");
    CHECK_INT(alpn_case("h2", "spdy/3", a), TLS_ALERT_NO_APPLICATION_PROTOCOL);
}

TEST(sni_chooses_the_certificate)
{
    struct pair p;
    struct creds b;
    static const char *const bn[] = {"b.example", NULL};
    pair_init(&p, false, NULL, 0, NULL, NULL); /* localhost, ECDSA */
    make_creds(&b, true, bn, NULL);            /* b.example, RSA */
    CHECK_INT(mirage_tls_server_config_add(p.scfg, b.chain_pem,
                                           strlen(b.chain_pem), b.key_pem,
                                           strlen(b.key_pem)),
              0);
    CHECK_INT(mirage_tls_client_config_add_anchors(p.ccfg, b.ca_pem,
                                                   strlen(b.ca_pem)),
              0);
    const char *hosts[] = {"b.example", "localhost"};
    for (int i = 0; i < 2; i++) {
        pair_connect(&p, hosts[i]);
        CHECK(tls_conn_connected(&p.cl.c));
        /* b.example has the RSA key (PSS), localhost the ECDSA one. */
        CHECK_INT(p.sv.c.sig_scheme >> 8, i == 0 ? 8 : 4);
        pair_end(&p);
    }
    mirage_tls_server_config_free(p.scfg);
    mirage_tls_client_config_free(p.ccfg);
}

/* ---- Certificate checks ------------------------------------------------- */

enum pin { NO_PIN, LEAF_PIN, CA_PIN, WRONG_PIN };

/* Connect to a server with the given leaf; return the alert the client
 * sent (0: connected). */
static int cert_case(const struct cg_cert_opts *leaf, const char *host,
                     enum pin pin, bool anchors)
{
    struct pair p;
    pair_init(&p, false, leaf, 0, NULL, NULL);
    mirage_tls_client_config_free(p.ccfg);
    struct mirage_tls_client_options o = {.random = cg_random(),
                                          .pclock = cg_pclock()};
    mirage_tls_client_config_create(&o, &p.ccfg);
    if (anchors)
        mirage_tls_client_config_add_anchors(p.ccfg, p.cr.ca_pem,
                                             strlen(p.cr.ca_pem));
    uint8_t h[32] = {1};
    if (pin == LEAF_PIN)
        cg_spki_sha256(&p.cr.key, h);
    if (pin == CA_PIN)
        cg_spki_sha256(&p.cr.ca_key, h);
    if (pin != NO_PIN)
        mirage_tls_client_config_add_pin(p.ccfg, h);
    pair_connect(&p, host);
    int r = tls_conn_connected(&p.cl.c) ? 0 : p.cl.c.alert_sent;
    /* The server saw the client's alert. */
    if (r && p.sv.c.alert_rcvd != r)
        r = -1;
    pair_free(&p);
    return r;
}

TEST(certificate_checks)
{
    struct cg_cert_opts o = cg_opts("localhost");
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true), 0);
    CHECK_INT(cert_case(&o, "TEST.example.", NO_PIN, true), 0);
    CHECK_INT(cert_case(&o, "other.example", NO_PIN, true),
              TLS_ALERT_BAD_CERTIFICATE);
    o.not_after = (int64_t)(cg_wall_ns / 1000000000u) - 10;
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_CERTIFICATE_EXPIRED);
    o = cg_opts("localhost");
    o.not_before = (int64_t)(cg_wall_ns / 1000000000u) + 3600;
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_CERTIFICATE_EXPIRED);
    o = cg_opts("localhost");
    o.eku = 2;
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_BAD_CERTIFICATE);
    o = cg_opts("localhost");
    o.ku = 0x2000; /* keyEncipherment only */
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_BAD_CERTIFICATE);
    o = cg_opts("localhost");
    o.bad_signature = true;
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_BAD_CERTIFICATE);
    o = cg_opts("localhost");
    o.unknown_critical = true;
    CHECK_INT(cert_case(&o, "localhost", NO_PIN, true),
              TLS_ALERT_UNSUPPORTED_CERTIFICATE);
}

TEST(unknown_ca)
{
    struct pair p;
    struct creds other;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    ca_name = "Another CA";
    make_creds(&other, false, localhost, NULL);
    ca_name = "Test CA";
    mirage_tls_client_config_free(p.ccfg);
    p.ccfg = client_cfg(&other, 0, NULL);
    pair_connect(&p, "localhost");
    CHECK(p.cl.c.state == TLS_FAILED && p.sv.c.state == TLS_FAILED);
    CHECK_INT(p.cl.c.alert_sent, TLS_ALERT_UNKNOWN_CA);
    CHECK_INT(p.sv.c.alert_rcvd, TLS_ALERT_UNKNOWN_CA);
    pair_free(&p);
}

TEST(pins)
{
    struct cg_cert_opts o = cg_opts("localhost");
    /* With anchors, the pin may be any key of the path. */
    CHECK_INT(cert_case(&o, "localhost", LEAF_PIN, true), 0);
    CHECK_INT(cert_case(&o, "localhost", CA_PIN, true), 0);
    CHECK_INT(cert_case(&o, "localhost", WRONG_PIN, true),
              TLS_ALERT_BAD_CERTIFICATE);
    /* Without anchors, only the server's own key. */
    CHECK_INT(cert_case(&o, "localhost", LEAF_PIN, false), 0);
    CHECK_INT(cert_case(&o, "localhost", CA_PIN, false),
              TLS_ALERT_BAD_CERTIFICATE);
    CHECK_INT(cert_case(&o, "localhost", WRONG_PIN, false),
              TLS_ALERT_BAD_CERTIFICATE);
    /* and the name is still checked */
    CHECK_INT(cert_case(&o, "elsewhere", LEAF_PIN, false),
              TLS_ALERT_BAD_CERTIFICATE);
}

/* ---- KeyUpdate, big messages, versions ------------------------------------
 */

TEST(key_update_both_ways)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    pair_connect(&p, "localhost");
    CHECK(tls_conn_connected(&p.cl.c));
    for (int i = 0; i < 3; i++) {
        CHECK_INT(tls_conn_key_update(&p.cl.c, true), 0);
        CHECK(send_data(&p.cl, &p.sv, "after", 5));
        CHECK_INT((int)p.sv.c.key_updates, i + 1);
        /* The server answered with its own update. */
        CHECK(send_data(&p.sv, &p.cl, "reply", 5));
        CHECK_INT((int)p.cl.c.key_updates, i + 1);
    }
    CHECK_INT(tls_conn_key_update(&p.sv.c, false), 0);
    CHECK(send_data(&p.sv, &p.cl, "x", 1));
    CHECK(send_data(&p.cl, &p.sv, "y", 1));
    pair_free(&p);
}

TEST(certificate_message_larger_than_a_record)
{
    static const char *names[700];
    static char buf[700][40];
    for (int i = 0; i < 699; i++) {
        snprintf(buf[i], sizeof buf[i], "host-number-%04d.some.long.example",
                 i % 1000);
        names[i] = buf[i];
    }
    names[699] = NULL;
    struct cg_cert_opts o = cg_opts("big");
    o.dns = names;
    for (int v = 0; v < 2; v++) {
        struct pair p;
        pair_init(&p, false, &o, v ? MIRAGE_TLS_1_2 : 0, NULL, NULL);
        CHECK(p.cr.leaf.n > TLS_MAX_PLAIN);
        pair_connect(&p, "host-number-0698.some.long.example");
        CHECK_INT(p.cl.err, 0);
        CHECK(tls_conn_connected(&p.cl.c) && tls_conn_connected(&p.sv.c));
        pair_free(&p);
    }
}

/* Remove supported_versions from a ClientHello record in flight, as an
 * attacker forcing TLS 1.2 would. */
static size_t strip_versions(uint8_t *p, size_t len, void *arg)
{
    int *done = arg;
    if (*done || p[0] != TLS_CT_HANDSHAKE || p[5] != TLS_HS_CLIENT_HELLO)
        return len;
    *done = 1;
    uint8_t *body = p + 9;
    size_t pos = 2 + 32;
    pos += 1 + body[pos];
    pos += 2 + get_u16(body + pos);
    pos += 1 + body[pos];
    size_t exts = pos + 2, end = exts + get_u16(body + pos);
    for (size_t e = exts; e < end;) {
        size_t elen = 4 + get_u16(body + e + 2);
        if (get_u16(body + e) == TLS_EXT_SUPPORTED_VERSIONS) {
            memmove(body + e, body + e + elen, len - 9 - e - elen);
            put_u16(body + pos, (uint16_t)(get_u16(body + pos) - elen));
            put_u24(p + 6, get_u24(p + 6) - (uint32_t)elen);
            put_u16(p + 3, (uint16_t)(get_u16(p + 3) - elen));
            return len - elen;
        }
        e += elen;
    }
    return len;
}

TEST(downgrade_sentinel_detected)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    pair_start(&p, "localhost");
    int done = 0;
    run(&p.cl, &p.sv, strip_versions, NULL, &done);
    CHECK(done);
    CHECK_INT(p.sv.c.version, MIRAGE_TLS_1_2);
    CHECK_INT(p.cl.c.state, TLS_FAILED);
    CHECK_INT(p.cl.c.alert_sent, TLS_ALERT_ILLEGAL_PARAMETER);
    pair_free(&p);
}

TEST(version_ranges)
{
    /* a TLS 1.3-only client and a TLS 1.2-only server */
    struct pair p;
    pair_init(&p, false, NULL, MIRAGE_TLS_1_2, NULL, NULL);
    mirage_tls_client_config_free(p.ccfg);
    struct mirage_tls_client_options o = {.random = cg_random(),
                                          .pclock = cg_pclock(),
                                          .min_version = MIRAGE_TLS_1_3};
    CHECK_INT(mirage_tls_client_config_create(&o, &p.ccfg), 0);
    mirage_tls_client_config_add_anchors(p.ccfg, p.cr.ca_pem,
                                         strlen(p.cr.ca_pem));
    pair_connect(&p, "localhost");
    CHECK_INT(p.sv.c.alert_sent, TLS_ALERT_PROTOCOL_VERSION);
    CHECK_INT(p.cl.c.alert_rcvd, TLS_ALERT_PROTOCOL_VERSION);
    pair_free(&p);
    struct mirage_tls_client_config *c;
    o.min_version = MIRAGE_TLS_1_3;
    o.max_version = MIRAGE_TLS_1_2;
    CHECK_INT(mirage_tls_client_config_create(&o, &c), MIRAGE_EINVAL);
}

/* ---- Bad input ---------------------------------------------------------- */

/* Feed raw bytes to a fresh server: the alert it sends. */
static int server_gets(const void *bytes, size_t len, bool eof)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    pair_start(&p, "localhost");
    size_t space;
    uint8_t *in = tls_conn_input_space(&p.sv.c, &space);
    memcpy(in, bytes, len < space ? len : space);
    tls_conn_received(&p.sv.c, len < space ? len : space);
    int r = tls_conn_process(&p.sv.c);
    if (!r && eof)
        r = tls_conn_eof(&p.sv.c);
    if (p.sv.c.state != TLS_FAILED && r)
        r = -1;
    pair_free(&p);
    return r;
}

TEST(garbage_and_oversized_records)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK_INT(server_gets(http, sizeof http - 1, false),
              TLS_ALERT_UNEXPECTED_MESSAGE);
    static const uint8_t big[5] = {22, 3, 1, 0x41, 0x01};
    CHECK_INT(server_gets(big, 5, false), TLS_ALERT_RECORD_OVERFLOW);
    static const uint8_t plain_big[5 + 16385] = {22, 3, 1, 0x40, 0x01};
    CHECK_INT(server_gets(plain_big, sizeof plain_big, false),
              TLS_ALERT_RECORD_OVERFLOW);
    static const uint8_t empty[5] = {22, 3, 1, 0, 0};
    CHECK_INT(server_gets(empty, 5, false), TLS_ALERT_UNEXPECTED_MESSAGE);
    static const uint8_t appdata[8] = {23, 3, 3, 0, 3, 1, 2, 3};
    CHECK_INT(server_gets(appdata, 8, false), TLS_ALERT_UNEXPECTED_MESSAGE);
    static const uint8_t sslv2[8] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0, 0x15, 0};
    CHECK(server_gets(sslv2, 8, false) > 0);
    static const uint8_t not_ch[9] = {22, 3, 3, 0, 4, 2, 0, 0, 0};
    CHECK_INT(server_gets(not_ch, 9, false), TLS_ALERT_UNEXPECTED_MESSAGE);
    static const uint8_t short_ch[9] = {22, 3, 3, 0, 4, 1, 0, 0, 0};
    CHECK_INT(server_gets(short_ch, 9, false), TLS_ALERT_DECODE_ERROR);
    static const uint8_t alert[7] = {21, 3, 3, 0, 2, 2, 40};
    CHECK_INT(server_gets(alert, 7, false), 40);
}

TEST(truncated_handshake)
{
    struct pair p;
    pair_init(&p, false, NULL, 0, NULL, NULL);
    pair_start(&p, "localhost");
    size_t len;
    const uint8_t *out = tls_conn_output(&p.cl.c, &len);
    uint8_t ch[4096];
    memcpy(ch, out, len);
    pair_free(&p);
    for (size_t cut = 0; cut < len; cut += 7) {
        int r = server_gets(ch, cut, true);
        CHECK(r > 0 || r == TLS_ALERT_CLOSE_NOTIFY);
    }
}

/* Flip one bit of the n-th record after the handshake. */
static size_t flip(uint8_t *p, size_t len, void *arg)
{
    int *n = arg;
    if (*n >= 0 && (size_t)*n < len)
        p[*n] ^= 0x40;
    *n = -1;
    return len;
}

TEST(tampered_record_is_bad_record_mac)
{
    for (int v = 0; v < 2; v++) {
        struct pair p;
        pair_init(&p, false, NULL, v ? MIRAGE_TLS_1_2 : 0, NULL, NULL);
        pair_connect(&p, "localhost");
        CHECK(tls_conn_connected(&p.sv.c));
        tls_conn_write_app(&p.cl.c, "secret", 6);
        int at = 12;
        transfer(&p.cl, &p.sv, flip, &at);
        CHECK_INT(p.sv.err, TLS_ALERT_BAD_RECORD_MAC);
        CHECK_INT(p.sv.c.state, TLS_FAILED);
        /* and the client hears of it */
        transfer(&p.sv, &p.cl, NULL, NULL);
        CHECK_INT(p.cl.c.alert_rcvd, TLS_ALERT_BAD_RECORD_MAC);
        pair_free(&p);
    }
}

TEST(renegotiation_refused)
{
    struct pair p;
    pair_init(&p, false, NULL, MIRAGE_TLS_1_2, NULL, NULL);
    pair_connect(&p, "localhost");
    CHECK(tls_conn_connected(&p.sv.c));
    /* A ClientHello under the session's keys. */
    struct wr w;
    tls_hs_begin(&p.cl.c, TLS_HS_CLIENT_HELLO, &w);
    wr_u16(&w, MIRAGE_TLS_1_2);
    CHECK_INT(tls_hs_end(&p.cl.c, &w), 0);
    transfer(&p.cl, &p.sv, NULL, NULL);
    CHECK_INT(p.sv.err, TLS_ALERT_NO_RENEGOTIATION);
    pair_free(&p);
}

TEST(configuration_errors)
{
    cg_reset();
    struct creds a, b;
    make_creds(&a, false, localhost, NULL);
    make_creds(&b, true, localhost, NULL);
    struct mirage_tls_server_options o = {.random = cg_random()};
    struct mirage_tls_server_config *cfg;
    CHECK_INT(mirage_tls_server_config_create(&o, &cfg), 0);
    /* a key that is not the certificate's */
    CHECK_INT(mirage_tls_server_config_add(cfg, a.chain_pem,
                                           strlen(a.chain_pem), b.key_pem,
                                           strlen(b.key_pem)),
              MIRAGE_EBADF);
    CHECK_INT(mirage_tls_server_config_add(cfg, "junk", 4, a.key_pem,
                                           strlen(a.key_pem)),
              MIRAGE_EBADF);
    CHECK_INT(mirage_tls_server_config_add(cfg, a.chain_pem,
                                           strlen(a.chain_pem), "junk", 4),
              MIRAGE_EBADF);
    /* both key forms are read */
    const char *trad = cg_key_pem(&a.key, false);
    CHECK_INT(mirage_tls_server_config_add(
                  cfg, a.chain_pem, strlen(a.chain_pem), trad, strlen(trad)),
              0);
    const char *rsa8 = cg_key_pem(&b.key, true);
    CHECK_INT(mirage_tls_server_config_add(
                  cfg, b.chain_pem, strlen(b.chain_pem), rsa8, strlen(rsa8)),
              0);
    mirage_tls_server_config_free(cfg);
    o.alpn = "h2,,x";
    CHECK_INT(mirage_tls_server_config_create(&o, &cfg), MIRAGE_EINVAL);
    o.alpn = NULL;
    o.min_version = 0x0302;
    CHECK_INT(mirage_tls_server_config_create(&o, &cfg), MIRAGE_EINVAL);
    o.min_version = 0;
    o.random = NULL;
    CHECK_INT(mirage_tls_server_config_create(&o, &cfg), MIRAGE_EINVAL);
}

int main(void)
{
    return test_main();
}
