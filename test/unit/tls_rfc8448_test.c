/* The TLS 1.3 engine against RFC 8448's example handshake traces: the key
 * schedule (§3, §4), the records both sides send, the messages through
 * our parsers, the server's RSA-PSS CertificateVerify through our
 * verifier, the PSK binder of the resumed handshake, and our server
 * answering the trace's ClientHello with the trace's ServerHello when
 * given the trace's random and key. */
#include "../../lib/tls/internal.h"
#include "rfc8448.h"
#include "test.h"
#include "tls_certgen.h"

#include <stdarg.h>
#include <stdlib.h>

#define EQ(b, ptr, len) ((b).n == (len) && memcmp((b).p, (ptr), (len)) == 0)

/* Hash of the concatenation of the hex messages given. */
static void th_of(uint8_t *out, int n, ...)
{
    struct tls_hash_ctx t;
    va_list ap;
    tls_hash_start(&t, TLS_SHA256);
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        struct blob b = cg_hex(va_arg(ap, const char *));
        tls_hash_update(&t, b.p, b.n);
    }
    va_end(ap);
    tls_hash_peek(&t, out);
}

TEST(x25519_shared_secret_of_the_trace)
{
    cg_reset();
    struct tls_kex k = {.group = TLS_GROUP_X25519, .priv_len = 32};
    memcpy(k.priv, cg_hex(RFC8448_CLIENT_PRIV).p, 32);
    uint8_t secret[TLS_KEX_MAX_SECRET];
    size_t len;
    struct blob pub = cg_hex(RFC8448_SERVER_PUB);
    CHECK(tls_kex_derive(&k, pub.p, pub.n, secret, &len));
    CHECK(EQ(cg_hex(RFC8448_ECDHE), secret, len));
    /* and from the other side */
    memcpy(k.priv, cg_hex(RFC8448_SERVER_PRIV).p, 32);
    struct blob cpub = cg_hex(RFC8448_CLIENT_PUB);
    CHECK(tls_kex_derive(&k, cpub.p, cpub.n, secret, &len));
    CHECK(EQ(cg_hex(RFC8448_ECDHE), secret, len));
}

TEST(key_schedule_1rtt)
{
    cg_reset();
    uint8_t early[32], hs[32], master[32], th[32], s[32];
    tls13_early_secret(TLS_SHA256, NULL, early);
    CHECK(EQ(cg_hex(RFC8448_EARLY), early, 32));
    struct blob ikm = cg_hex(RFC8448_ECDHE);
    tls13_next_secret(TLS_SHA256, early, ikm.p, ikm.n, hs);
    CHECK(EQ(cg_hex(RFC8448_HS_SECRET), hs, 32));
    th_of(th, 2, RFC8448_CH, RFC8448_SH);
    tls_derive_secret(TLS_SHA256, hs, "c hs traffic", th, s);
    CHECK(EQ(cg_hex(RFC8448_C_HS), s, 32));
    tls_derive_secret(TLS_SHA256, hs, "s hs traffic", th, s);
    CHECK(EQ(cg_hex(RFC8448_S_HS), s, 32));
    tls13_next_secret(TLS_SHA256, hs, NULL, 0, master);
    CHECK(EQ(cg_hex(RFC8448_MASTER), master, 32));
    th_of(th, 6, RFC8448_CH, RFC8448_SH, RFC8448_EE, RFC8448_CERT, RFC8448_CV,
          RFC8448_S_FIN);
    tls_derive_secret(TLS_SHA256, master, "c ap traffic", th, s);
    CHECK(EQ(cg_hex(RFC8448_C_AP), s, 32));
    tls_derive_secret(TLS_SHA256, master, "s ap traffic", th, s);
    CHECK(EQ(cg_hex(RFC8448_S_AP), s, 32));
    th_of(th, 7, RFC8448_CH, RFC8448_SH, RFC8448_EE, RFC8448_CERT, RFC8448_CV,
          RFC8448_S_FIN, RFC8448_C_FIN);
    tls_derive_secret(TLS_SHA256, master, "res master", th, s);
    CHECK(EQ(cg_hex(RFC8448_RES_MASTER), s, 32));
}

TEST(finished_both_sides)
{
    cg_reset();
    uint8_t th[32], fin[32];
    th_of(th, 5, RFC8448_CH, RFC8448_SH, RFC8448_EE, RFC8448_CERT, RFC8448_CV);
    tls13_finished(TLS_SHA256, cg_hex(RFC8448_S_HS).p, th, fin);
    CHECK(memcmp(cg_hex(RFC8448_S_FIN).p + 4, fin, 32) == 0);
    th_of(th, 6, RFC8448_CH, RFC8448_SH, RFC8448_EE, RFC8448_CERT, RFC8448_CV,
          RFC8448_S_FIN);
    tls13_finished(TLS_SHA256, cg_hex(RFC8448_C_HS).p, th, fin);
    CHECK(memcmp(cg_hex(RFC8448_C_FIN).p + 4, fin, 32) == 0);
}

/* Open a record with a direction keyed from secret at sequence seq, then
 * seal its plaintext again at the same sequence: both must match. */
static int record_round_trip(const char *secret, uint64_t seq, const char *rec,
                             uint8_t want_type, const struct blob *want_plain)
{
    struct tls_dir d;
    memset(&d, 0, sizeof d);
    tls_dir_set13(&d, tls_suite_find(0x1301), cg_hex(secret).p);
    d.seq = seq;
    struct blob r = cg_hex(rec);
    uint8_t *buf = cg_alloc(r.n + 64);
    memcpy(buf, r.p, r.n);
    uint8_t type, *plain;
    size_t plen;
    if (tls_dir_open(&d, buf, r.n - 5, &type, &plain, &plen))
        return 1;
    if (type != want_type || d.seq != seq + 1)
        return 2;
    if (want_plain &&
        (plen != want_plain->n || memcmp(plain, want_plain->p, plen)))
        return 3;
    uint8_t *out = cg_alloc(r.n + 64);
    memcpy(out + 5, plain, plen);
    d.seq = seq;
    if (tls_dir_seal(&d, type, out, plen) != r.n || memcmp(out, r.p, r.n))
        return 4;
    /* At another sequence number the record does not authenticate. */
    memcpy(buf, r.p, r.n);
    d.seq = seq + 1;
    if (tls_dir_open(&d, buf, r.n - 5, &type, &plain, &plen) !=
        TLS_ALERT_BAD_RECORD_MAC)
        return 5;
    return 0;
}

TEST(records_of_the_trace)
{
    cg_reset();
    uint8_t data[50];
    for (int i = 0; i < 50; i++)
        data[i] = (uint8_t)i;
    struct blob app = {data, 50}, flight;
    struct blob parts[4] = {cg_hex(RFC8448_EE), cg_hex(RFC8448_CERT),
                            cg_hex(RFC8448_CV), cg_hex(RFC8448_S_FIN)};
    uint8_t *f = cg_alloc(1024);
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        memcpy(f + n, parts[i].p, parts[i].n);
        n += parts[i].n;
    }
    flight = (struct blob){f, n};
    CHECK_INT(record_round_trip(RFC8448_S_HS, 0, RFC8448_S_FLIGHT_REC,
                                TLS_CT_HANDSHAKE, &flight),
              0);
    struct blob cfin = cg_hex(RFC8448_C_FIN);
    CHECK_INT(record_round_trip(RFC8448_C_HS, 0, RFC8448_C_FIN_REC,
                                TLS_CT_HANDSHAKE, &cfin),
              0);
    CHECK_INT(record_round_trip(RFC8448_C_AP, 0, RFC8448_C_APP_REC,
                                TLS_CT_APPDATA, &app),
              0);
    CHECK_INT(record_round_trip(RFC8448_S_AP, 1, RFC8448_S_APP_REC,
                                TLS_CT_APPDATA, &app),
              0);
    /* The derived IVs are the trace's. */
    struct tls_dir d;
    memset(&d, 0, sizeof d);
    tls_dir_set13(&d, tls_suite_find(0x1301), cg_hex(RFC8448_S_HS).p);
    CHECK(EQ(cg_hex(RFC8448_S_HS_IV), d.iv, 12));
    tls_dir_set13(&d, tls_suite_find(0x1301), cg_hex(RFC8448_S_AP).p);
    CHECK(EQ(cg_hex(RFC8448_S_AP_IV), d.iv, 12));
}

TEST(a_flipped_bit_fails_the_record)
{
    cg_reset();
    struct blob r = cg_hex(RFC8448_C_APP_REC);
    for (size_t bit = 0; bit < (r.n - 5) * 8; bit += 37) {
        struct tls_dir d;
        memset(&d, 0, sizeof d);
        tls_dir_set13(&d, tls_suite_find(0x1301), cg_hex(RFC8448_C_AP).p);
        uint8_t buf[128], type, *plain;
        size_t plen;
        memcpy(buf, r.p, r.n);
        buf[5 + bit / 8] ^= (uint8_t)(1 << (bit % 8));
        CHECK_INT(tls_dir_open(&d, buf, r.n - 5, &type, &plain, &plen),
                  TLS_ALERT_BAD_RECORD_MAC);
    }
}

TEST(client_hello_parses)
{
    cg_reset();
    struct blob ch = cg_hex(RFC8448_CH);
    struct tls_client_hello p;
    const char *why;
    CHECK_INT(tls_parse_client_hello(ch.p + 4, ch.n - 4, &p, &why), 0);
    CHECK(p.sni_len == 6 && memcmp(p.sni, "server", 6) == 0);
    CHECK(p.has_groups && p.has_sigs && p.has_key_shares && p.has_versions);
    CHECK(p.has_psk_modes && !p.has_psk && p.session_ticket && p.reneg_info);
    CHECK_INT(rd_left(&p.suites), 6);
    CHECK_INT(rd_left(&p.sigs), 30);
    CHECK(p.null_compression_only);
    /* A truncation anywhere is a decode_error, never a crash, but at the
     * end of the compression methods: a ClientHello without extensions. */
    for (size_t n = 0; n < ch.n - 4; n++)
        CHECK((tls_parse_client_hello(ch.p + 4, n, &p, &why) == 0) ==
              (n == 2 + 32 + 1 + 2 + 6 + 1 + 1));
}

TEST(server_hello_parses)
{
    cg_reset();
    struct blob sh = cg_hex(RFC8448_SH);
    struct tls_server_hello p;
    const char *why;
    CHECK_INT(tls_parse_server_hello(sh.p + 4, sh.n - 4, &p, &why), 0);
    CHECK_INT(p.suite, 0x1301);
    CHECK_INT(p.version, MIRAGE_TLS_1_3);
    CHECK_INT(p.group, TLS_GROUP_X25519);
    CHECK(p.share_len == 32 &&
          memcmp(p.share, cg_hex(RFC8448_SERVER_PUB).p, 32) == 0);
    CHECK(!p.hrr && !p.has_psk);
}

TEST(certificate_and_rsa_pss_certificate_verify)
{
    cg_reset();
    struct blob cert = cg_hex(RFC8448_CERT), cv = cg_hex(RFC8448_CV);
    struct x509_cert certs[TLS_MAX_CERTS];
    size_t n;
    const char *why;
    CHECK_INT(
        tls_parse_certificate(cert.p + 4, cert.n - 4, true, certs, &n, &why),
        0);
    CHECK_INT(n, 1);
    CHECK(certs[0].cn_len == 3 && memcmp(certs[0].cn, "rsa", 3) == 0);
    CHECK_INT(tls_pubkey_bits(&certs[0].key), 1024);
    /* The certificate is self-signed: its signature verifies. */
    struct x509_policy p = {
        .anchors = certs, .n_anchors = 1, .now = 1600000000, .host = NULL};
    CHECK_INT(x509_verify_server(certs, 1, &p, &why), 0);
    /* CertificateVerify: rsa_pss_rsae_sha256 over RFC8448_CH..Certificate. */
    uint8_t th[32], content[200];
    th_of(th, 4, RFC8448_CH, RFC8448_SH, RFC8448_EE, RFC8448_CERT);
    size_t len = tls13_cv_content(true, th, 32, content);
    CHECK_INT(get_u16(cv.p + 4), TLS_SIG_RSA_PSS_RSAE_SHA256);
    CHECK(tls_verify(0x0804, &certs[0].key, content, len, cv.p + 8, cv.n - 8));
    /* Not as a client's signature, not with another transcript. */
    len = tls13_cv_content(false, th, 32, content);
    CHECK(!tls_verify(0x0804, &certs[0].key, content, len, cv.p + 8, cv.n - 8));
    th_of(th, 3, RFC8448_CH, RFC8448_SH, RFC8448_EE);
    len = tls13_cv_content(true, th, 32, content);
    CHECK(!tls_verify(0x0804, &certs[0].key, content, len, cv.p + 8, cv.n - 8));
}

TEST(resumption_psk_and_binder)
{
    cg_reset();
    uint8_t psk[32], early[32], bkey[32], th[32], empty[32], binder[32];
    static const uint8_t nonce[2] = {0, 0};
    tls13_ticket_psk(TLS_SHA256, cg_hex(RFC8448_RES_MASTER).p, nonce, 2, psk);
    CHECK(EQ(cg_hex(RFC8448_TICKET_PSK), psk, 32));
    tls13_early_secret(TLS_SHA256, psk, early);
    CHECK(EQ(cg_hex(RFC8448_RES_EARLY), early, 32));
    tls_hash(TLS_SHA256, "", 0, empty);
    tls_derive_secret(TLS_SHA256, early, "res binder", empty, bkey);
    CHECK(EQ(cg_hex(RFC8448_BINDER_KEY), bkey, 32));
    struct blob ch = cg_hex(RFC8448_RES_CH);
    struct tls_client_hello p;
    const char *why;
    CHECK_INT(tls_parse_client_hello(ch.p + 4, ch.n - 4, &p, &why), 0);
    CHECK(p.has_psk && p.early_data);
    CHECK_INT(p.binders_len, 2 + 1 + 32);
    tls_hash(TLS_SHA256, ch.p, ch.n - p.binders_len, th);
    CHECK(EQ(cg_hex(RFC8448_BINDER_HASH), th, 32));
    tls13_finished(TLS_SHA256, bkey, th, binder);
    CHECK(EQ(cg_hex(RFC8448_BINDER), binder, 32));
}

/* Our server, given the trace's server random and X25519 key, answers
 * the trace's ClientHello with the trace's ServerHello, and its flight is
 * protected with the trace's server handshake key. */
TEST(our_server_answers_the_trace)
{
    cg_reset();
    struct cg_key k;
    cg_key_ec(&k, BR_EC_secp256r1);
    struct cg_cert_opts o = cg_opts("trace");
    struct blob der = cg_cert(&o, &k, &k);
    const char *pem = cg_pem("CERTIFICATE", &der, 1),
               *key = cg_key_pem(&k, true);
    struct mirage_tls_server_options so = {.random = cg_random()};
    struct mirage_tls_server_config *cfg;
    CHECK_INT(mirage_tls_server_config_create(&so, &cfg), 0);
    CHECK_INT(
        mirage_tls_server_config_add(cfg, pem, strlen(pem), key, strlen(key)),
        0);
    struct blob sh = cg_hex(RFC8448_SH), priv = cg_hex(RFC8448_SERVER_PRIV);
    uint8_t script[64];
    memcpy(script, sh.p + 6, 32); /* the server random */
    memcpy(script + 32, priv.p, 32);
    cg_random_script(script, 64);

    size_t ocap = tls_conn_obuf_size(cfg);
    uint8_t *ibuf = malloc(TLS_IBUF_SIZE), *obuf = malloc(ocap),
            *hbuf = malloc(TLS_SERVER_HBUF);
    struct tls_hs *hs = malloc(sizeof *hs);
    struct tls_conn c;
    tls_conn_init_server(&c, cfg, hs, ibuf, TLS_IBUF_SIZE, obuf, ocap, hbuf,
                         TLS_SERVER_HBUF);
    struct blob ch = cg_hex(RFC8448_CH);
    size_t space;
    uint8_t *in = tls_conn_input_space(&c, &space);
    in[0] = 22, in[1] = 3, in[2] = 1, in[3] = 0, in[4] = (uint8_t)ch.n;
    memcpy(in + 5, ch.p, ch.n);
    tls_conn_received(&c, 5 + ch.n);
    int err = tls_conn_process(&c);
    size_t len;
    const uint8_t *out = tls_conn_output(&c, &len);
    bool aes_first = br_aes_x86ni_ctr_get_vtable() != NULL;
    if (!err && aes_first) {
        /* The ServerHello record, byte for byte. */
        CHECK(len > 5 + sh.n);
        CHECK(memcmp(out, "\x16\x03\x03\x00\x5a", 5) == 0);
        CHECK(memcmp(out + 5, sh.p, sh.n) == 0);
        /* The next record opens with the trace's server handshake key. */
        struct tls_dir d;
        memset(&d, 0, sizeof d);
        tls_dir_set13(&d, tls_suite_find(0x1301), cg_hex(RFC8448_S_HS).p);
        uint8_t *rec = (uint8_t *)out + 5 + sh.n, type, *plain;
        size_t plen;
        CHECK_INT(tls_dir_open(&d, rec, get_u16(rec + 3), &type, &plain, &plen),
                  0);
        CHECK_INT(type, TLS_CT_HANDSHAKE);
        CHECK_INT(plain[0], TLS_HS_ENCRYPTED_EXTENSIONS);
    } else if (!err) {
        /* Without AES-NI we prefer ChaCha20: only the suite differs. */
        CHECK(memcmp(out + 5, sh.p, 39) == 0);
        CHECK_INT(get_u16(out + 5 + 39), 0x1303);
    }
    CHECK_INT(err, 0);
    CHECK_INT(c.state, TLS_S_WAIT_FIN);
    tls_conn_wipe(&c);
    free(ibuf);
    free(obuf);
    free(hbuf);
    free(hs);
    mirage_tls_server_config_free(cfg);
}

int main(void)
{
    return test_main();
}
