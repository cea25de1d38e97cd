/* The client's handshake state machine, for TLS 1.3 (RFC 8446 §2, §4) and
 * TLS 1.2 (RFC 5246 §7.3 with ECDHE, RFC 8422; tickets, RFC 5077; the
 * extended master secret, RFC 7627):
 *
 *   START --ClientHello--> WAIT_SH
 *   WAIT_SH --HelloRetryRequest--> ClientHello --> WAIT_SH
 *           --ServerHello 1.3--> WAIT_EE --EncryptedExtensions-->
 *              WAIT_CERT_CR (or WAIT_FIN when resuming)
 *           --ServerHello 1.2--> C12_WAIT_CERT (or C12_WAIT_NST / CCS
 *              when the server resumes our ticket)
 *   WAIT_CERT_CR --CertificateRequest--> WAIT_CERT --Certificate-->
 *   WAIT_CV --CertificateVerify--> WAIT_FIN --Finished--> [CCS]
 *              [Certificate] Finished --> CONNECTED
 *   C12_WAIT_CERT --Certificate--> C12_WAIT_SKE --ServerKeyExchange-->
 *   C12_WAIT_SHD --ServerHelloDone--> [Certificate] ClientKeyExchange
 *              CCS Finished --> C12_WAIT_NST or C12_WAIT_CCS
 *   C12_WAIT_NST --NewSessionTicket--> C12_WAIT_CCS --CCS--> C12_WAIT_FIN
 *              --Finished--> (resumed: CCS Finished) CONNECTED
 * After the handshake, TLS 1.3 NewSessionTickets fill the session cache.
 * A CertificateRequest is answered with an empty Certificate: this
 * client has no certificate of its own. */
#include "internal.h"

#include <mirage/fiber.h>
#include <mirage/log.h>
#include <string.h>

#define FAIL(alert, msg) return tls_fail(c, alert, msg)

static uint16_t min_version(const struct tls_conn *c)
{
    return c->ccfg->o.min_version;
}

static uint16_t max_version(const struct tls_conn *c)
{
    return c->ccfg->o.max_version;
}

static bool suite_offered(const struct tls_conn *c, const struct tls_suite *s)
{
    return s && s->version >= min_version(c) && s->version <= max_version(c);
}

static void write_u16_list(struct wr *w, const uint16_t *v, size_t n)
{
    size_t m = wr_open(w, 2);
    for (size_t i = 0; i < n; i++)
        wr_u16(w, v[i]);
    wr_close(w, m, 2);
}

/* The pre_shared_key extension for the session (RFC 8446 §4.2.11), last,
 * with room for its binder: returns where the binder goes. */
static uint8_t *write_psk(struct wr *w, const struct tls_session *s)
{
    size_t hl = tls_hash_len(tls_suite_find(s->suite)->hash);
    uint32_t age_ms = (uint32_t)((mirage_now() - s->received) / 1000000u);
    wr_u16(w, TLS_EXT_PRE_SHARED_KEY);
    size_t e = wr_open(w, 2);
    size_t ids = wr_open(w, 2);
    size_t id = wr_open(w, 2);
    wr_bytes(w, s->ticket, s->ticket_len);
    wr_close(w, id, 2);
    wr_uint(w, 4, age_ms + s->age_add);
    wr_close(w, ids, 2);
    wr_u16(w, (uint16_t)(1 + hl));
    wr_u8(w, (uint8_t)hl);
    uint8_t *binder = wr_space(w, hl);
    wr_close(w, e, 2);
    return binder;
}

/* The binder, over the finished ClientHello up to the binders list and
 * what precedes it in the transcript (after a HelloRetryRequest). */
static void fill_binder(struct tls_conn *c, struct wr *w,
                        const struct tls_session *s, uint8_t *binder)
{
    enum tls_hash h = tls_suite_find(s->suite)->hash;
    size_t hl = tls_hash_len(h);
    uint8_t *hdr = c->obuf + c->msg_start;
    hdr[0] = TLS_HS_CLIENT_HELLO;
    put_u24(hdr + 1, (uint32_t)w->len);
    struct tls_hash_ctx t = h == TLS_SHA384 ? c->hs->th384 : c->hs->th256;
    tls_hash_update(&t, hdr, 4 + w->len - (2 + 1 + hl));
    uint8_t th[TLS_MAX_HASH], early[TLS_MAX_HASH], bkey[TLS_MAX_HASH],
        empty[TLS_MAX_HASH];
    tls_hash_peek(&t, th);
    tls13_early_secret(h, s->secret, early);
    tls_hash(h, "", 0, empty);
    tls_derive_secret(h, early, "res binder", empty, bkey);
    tls13_finished(h, bkey, th, binder);
}

static int client_hello(struct tls_conn *c)
{
    struct tls_hs *hs = c->hs;
    struct mirage_tls_client_config *cfg = c->ccfg;
    bool v13 = max_version(c) >= MIRAGE_TLS_1_3;
    bool v12 = min_version(c) <= MIRAGE_TLS_1_2;
    uint8_t pub[TLS_KEX_MAX_PUB];
    size_t pub_len;
    if (v13 && tls_kex_keygen(&hs->kex, hs->group, c->random, pub, &pub_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    struct tls_session *s = hs->has_offered ? &hs->offered : NULL;
    uint8_t *binder = NULL;
    struct wr w;
    tls_hs_begin(c, TLS_HS_CLIENT_HELLO, &w);
    wr_u16(&w, MIRAGE_TLS_1_2);
    wr_bytes(&w, hs->client_random, 32);
    wr_u8(&w, hs->session_id_len);
    wr_bytes(&w, hs->session_id, hs->session_id_len);
    size_t n;
    const struct tls_suite *const *pref = tls_suites_preferred(&n);
    size_t m = wr_open(&w, 2);
    for (size_t i = 0; i < n; i++)
        if (suite_offered(c, pref[i]))
            wr_u16(&w, pref[i]->id);
    wr_close(&w, m, 2);
    wr_u8(&w, 1); /* compression: null only */
    wr_u8(&w, 0);
    size_t exts = wr_open(&w, 2);
    if (c->host[0] && !hs->host_is_ip) {
        wr_u16(&w, TLS_EXT_SERVER_NAME);
        size_t e = wr_open(&w, 2), l = wr_open(&w, 2);
        wr_u8(&w, 0);
        size_t nm = wr_open(&w, 2);
        wr_bytes(&w, c->host, strlen(c->host));
        wr_close(&w, nm, 2);
        wr_close(&w, l, 2);
        wr_close(&w, e, 2);
    }
    wr_u16(&w, TLS_EXT_SUPPORTED_GROUPS);
    size_t e = wr_open(&w, 2);
    write_u16_list(&w, tls_groups, tls_n_groups);
    wr_close(&w, e, 2);
    wr_u16(&w, TLS_EXT_SIGNATURE_ALGORITHMS);
    e = wr_open(&w, 2);
    write_u16_list(&w, tls_sig_schemes, tls_n_sig_schemes);
    wr_close(&w, e, 2);
    if (cfg->n_alpn) {
        wr_u16(&w, TLS_EXT_ALPN);
        e = wr_open(&w, 2);
        tls_write_alpn_list(&w, cfg->alpn, cfg->n_alpn);
        wr_close(&w, e, 2);
    }
    if (v12) {
        wr_u16(&w, TLS_EXT_EC_POINT_FORMATS);
        wr_u16(&w, 2);
        wr_u8(&w, 1);
        wr_u8(&w, 0);
        wr_u16(&w, TLS_EXT_EXTENDED_MASTER_SECRET);
        wr_u16(&w, 0);
        wr_u16(&w, TLS_EXT_RENEGOTIATION_INFO);
        wr_u16(&w, 1);
        wr_u8(&w, 0);
        if (!cfg->o.no_resumption) {
            bool t12 = s && s->version == MIRAGE_TLS_1_2;
            wr_u16(&w, TLS_EXT_SESSION_TICKET);
            e = wr_open(&w, 2);
            wr_bytes(&w, s ? s->ticket : NULL, t12 ? s->ticket_len : 0);
            wr_close(&w, e, 2);
        }
    }
    if (v13) {
        wr_u16(&w, TLS_EXT_SUPPORTED_VERSIONS);
        e = wr_open(&w, 2);
        wr_u8(&w, v12 ? 4 : 2);
        wr_u16(&w, MIRAGE_TLS_1_3);
        if (v12)
            wr_u16(&w, MIRAGE_TLS_1_2);
        wr_close(&w, e, 2);
        if (!cfg->o.no_resumption) {
            wr_u16(&w, TLS_EXT_PSK_KEY_EXCHANGE_MODES);
            wr_u16(&w, 2);
            wr_u8(&w, 1);
            wr_u8(&w, 1); /* psk_dhe_ke */
        }
        wr_u16(&w, TLS_EXT_KEY_SHARE);
        e = wr_open(&w, 2);
        size_t shares = wr_open(&w, 2);
        wr_u16(&w, hs->group);
        size_t k = wr_open(&w, 2);
        wr_bytes(&w, pub, pub_len);
        wr_close(&w, k, 2);
        wr_close(&w, shares, 2);
        wr_close(&w, e, 2);
        if (hs->cookie_len) {
            wr_u16(&w, TLS_EXT_COOKIE);
            e = wr_open(&w, 2);
            size_t ck = wr_open(&w, 2);
            wr_bytes(&w, hs->cookie, hs->cookie_len);
            wr_close(&w, ck, 2);
            wr_close(&w, e, 2);
        }
        if (s && s->version == MIRAGE_TLS_1_3 &&
            (!c->suite || tls_suite_find(s->suite)->hash == c->suite->hash))
            binder = write_psk(&w, s);
    }
    wr_close(&w, exts, 2);
    if (binder && wr_ok(&w))
        fill_binder(c, &w, s, binder);
    c->state = TLS_C_WAIT_SH;
    return tls_hs_end(c, &w);
}

int tls_client_start(struct tls_conn *c, const char *host)
{
    struct tls_hs *hs = c->hs;
    struct mirage_tls_client_config *cfg = c->ccfg;
    uint8_t ip[16];
    if (host) {
        size_t n = strlen(host);
        if (n > TLS_MAX_HOST)
            FAIL(TLS_ALERT_INTERNAL_ERROR, "host name too long");
        memcpy(c->host, host, n + 1);
        hs->host_is_ip = x509_parse_ip(host, ip) != 0;
    }
    hs->offered_max = max_version(c);
    hs->group = TLS_GROUP_X25519;
    /* A session ID always (RFC 8446 §D.4 middlebox compatibility, and
     * to recognise a TLS 1.2 resumption). */
    hs->session_id_len = 32;
    if (mirage_random_generate(c->random, hs->client_random, 32) ||
        mirage_random_generate(c->random, hs->session_id, 32))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    hs->send_ccs = max_version(c) >= MIRAGE_TLS_1_3;
    if (!cfg->o.no_resumption && host &&
        tls_cache_find(cfg, host, &hs->offered))
        hs->has_offered = hs->offered.version >= min_version(c) &&
                          hs->offered.version <= max_version(c);
    return client_hello(c);
}

/* ---- Certificates ------------------------------------------------------ */

static int check_chain(struct tls_conn *c, const struct x509_cert *certs,
                       size_t n)
{
    struct mirage_tls_client_config *cfg = c->ccfg;
    const char *why;
    if (n == 0)
        FAIL(TLS_ALERT_DECODE_ERROR, "the server sent no certificate");
    if (!cfg->o.insecure_no_verification) {
        struct x509_policy p = {
            .anchors = cfg->anchors,
            .n_anchors = cfg->n_anchors,
            .pins = (const uint8_t(*)[32])cfg->pins,
            .n_pins = cfg->n_pins,
            .now = (int64_t)(mirage_pclock_now_ns(cfg->o.pclock) / 1000000000u),
            .host = c->host[0] ? c->host : NULL,
        };
        int err = x509_verify_server(certs, n, &p, &why);
        if (err)
            return tls_fail(c, err, why);
    }
    /* Keep the leaf's key for the signature to come. */
    const struct tls_pubkey *k = &certs[0].key;
    struct tls_pubkey *pk = &c->hs->peer_key;
    uint8_t *buf = c->hs->peer_key_buf;
    *pk = *k;
    if (k->type == TLS_KEY_RSA) {
        if (k->n_len + k->e_len > sizeof c->hs->peer_key_buf)
            FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE, "RSA key too large");
        memcpy(buf, k->n, k->n_len);
        memcpy(buf + k->n_len, k->e, k->e_len);
        pk->n = buf;
        pk->e = buf + k->n_len;
    } else {
        if (k->q_len > sizeof c->hs->peer_key_buf)
            FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE, "EC key too large");
        memcpy(buf, k->q, k->q_len);
        pk->q = buf;
    }
    return 0;
}

static int certificate(struct tls_conn *c, const uint8_t *body, size_t len,
                       const uint8_t *raw, size_t rlen)
{
    bool tls13 = c->version == MIRAGE_TLS_1_3;
    struct x509_cert certs[TLS_MAX_CERTS];
    size_t n;
    const char *why;
    if (tls13 && (len < 1 || body[0] != 0))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "server certificate with a context");
    int err = tls_parse_certificate(body, len, tls13, certs, &n, &why);
    if (err)
        return tls_fail(c, err, why);
    if ((err = check_chain(c, certs, n)))
        return err;
    if (!tls13 && c->hs->peer_key.type != c->suite->auth)
        FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE,
             "certificate key does not fit the cipher suite");
    tls_transcript_add(c, raw, rlen);
    c->state = tls13 ? TLS_C_WAIT_CV : TLS_C12_WAIT_SKE;
    return 0;
}

static bool scheme_offered(uint16_t s)
{
    for (size_t i = 0; i < tls_n_sig_schemes; i++)
        if (tls_sig_schemes[i] == s)
            return true;
    return false;
}

/* ---- TLS 1.3 ----------------------------------------------------------- */

static int hello_retry(struct tls_conn *c, const struct tls_server_hello *sh,
                       const uint8_t *raw, size_t rlen)
{
    struct tls_hs *hs = c->hs;
    const struct tls_suite *s = tls_suite_find(sh->suite);
    if (hs->hrr)
        FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "a second HelloRetryRequest");
    if (sh->version != MIRAGE_TLS_1_3 || max_version(c) < MIRAGE_TLS_1_3)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest not for TLS 1.3");
    if (!s || s->version != MIRAGE_TLS_1_3)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest with a bad suite");
    if (sh->session_id_len != hs->session_id_len ||
        memcmp(sh->session_id, hs->session_id, hs->session_id_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "session ID not echoed");
    if (!sh->group && !sh->cookie)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
             "a HelloRetryRequest that changes nothing");
    if (sh->group &&
        (!tls_group_supported(sh->group) || sh->group == hs->group))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest for a bad group");
    if (sh->cookie_len > sizeof hs->cookie)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "cookie too long");
    c->suite = s;
    tls_transcript_pick(c, s->hash);
    tls_transcript_hrr_rewind(c);
    tls_transcript_add(c, raw, rlen);
    hs->hrr = true;
    if (sh->group)
        hs->group = sh->group;
    memcpy(hs->cookie, sh->cookie, sh->cookie_len);
    hs->cookie_len = sh->cookie_len;
    if (hs->send_ccs)
        tls_send_ccs(c); /* before our second flight (§D.4) */
    hs->send_ccs = false;
    return client_hello(c);
}

static int server_hello13(struct tls_conn *c, const struct tls_server_hello *sh,
                          const struct tls_suite *s, const uint8_t *raw,
                          size_t rlen)
{
    struct tls_hs *hs = c->hs;
    uint8_t shared[TLS_KEX_MAX_SECRET], th[TLS_MAX_HASH];
    size_t shared_len;
    if (sh->session_id_len != hs->session_id_len ||
        memcmp(sh->session_id, hs->session_id, hs->session_id_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "session ID not echoed");
    if (!sh->share)
        FAIL(TLS_ALERT_MISSING_EXTENSION, "no key_share");
    if (sh->group != hs->group)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
             "key share for a group we did not send");
    if (!tls_kex_derive(&hs->kex, sh->share, sh->share_len, shared,
                        &shared_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "bad key share");
    const uint8_t *psk = NULL;
    if (sh->has_psk) {
        struct tls_session *o = hs->has_offered ? &hs->offered : NULL;
        if (!o || o->version != MIRAGE_TLS_1_3 || sh->psk_identity != 0 ||
            tls_suite_find(o->suite)->hash != s->hash)
            FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
                 "the server chose a PSK we did not offer");
        psk = o->secret;
        c->resumed = true;
    }
    c->version = MIRAGE_TLS_1_3;
    c->suite = s;
    c->group = sh->group;
    tls_transcript_pick(c, s->hash);
    tls_transcript_add(c, raw, rlen);
    enum tls_hash h = s->hash;
    tls13_early_secret(h, psk, hs->early);
    tls13_next_secret(h, hs->early, shared, shared_len, hs->handshake);
    memset(shared, 0, sizeof shared);
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->handshake, "c hs traffic", th, hs->c_hs);
    tls_derive_secret(h, hs->handshake, "s hs traffic", th, hs->s_hs);
    tls_dir_set13(&c->rd, s, hs->s_hs);
    c->rd_changed = true;
    /* From here our alerts go under the handshake key (RFC 8446 §6). */
    tls_dir_set13(&c->wr, s, hs->c_hs);
    /* A session offered but not taken is stale; one taken is used up
     * (new tickets follow). */
    if (hs->has_offered)
        tls_cache_forget(c->ccfg, &hs->offered);
    c->state = TLS_C_WAIT_EE;
    return 0;
}

/* The protocol the server chose by ALPN, which must be one we offered. */
static int take_alpn(struct tls_conn *c, const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < c->ccfg->n_alpn; i++)
        if (strlen(c->ccfg->alpn[i]) == len &&
            memcmp(c->ccfg->alpn[i], name, len) == 0) {
            memcpy(c->alpn, c->ccfg->alpn[i], len + 1);
            return 0;
        }
    FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
         "the server chose a protocol we did not offer");
}

static int encrypted_extensions(struct tls_conn *c, const uint8_t *body,
                                size_t len, const uint8_t *raw, size_t rlen)
{
    struct rd r, exts, e, list, name;
    uint16_t type;
    uint32_t seen = 0;
    rd_init(&r, body, len);
    if (!rd_vec(&r, 2, 0, 0xffff, &exts) || !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed EncryptedExtensions");
    while (rd_left(&exts)) {
        if (!rd_u16(&exts, &type) || !rd_vec(&exts, 2, 0, 0xffff, &e))
            FAIL(TLS_ALERT_DECODE_ERROR, "malformed EncryptedExtensions");
        uint32_t bit = type == TLS_EXT_SERVER_NAME        ? 1
                       : type == TLS_EXT_SUPPORTED_GROUPS ? 2
                       : type == TLS_EXT_ALPN             ? 4
                                                          : 0;
        if (!bit || (bit == 4 && !c->ccfg->n_alpn))
            FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION,
                 "the server sent an extension we did not offer");
        if (seen & bit)
            FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "an extension appears twice");
        seen |= bit;
        if (bit == 4) {
            if (!rd_vec(&e, 2, 2, 0xffff, &list) || !rd_done(&e) ||
                !rd_vec(&list, 1, 1, 255, &name) || !rd_done(&list))
                FAIL(TLS_ALERT_DECODE_ERROR, "malformed ALPN");
            int err = take_alpn(c, name.p, rd_left(&name));
            if (err)
                return err;
        }
    }
    tls_transcript_add(c, raw, rlen);
    c->state = c->resumed ? TLS_C_WAIT_FIN : TLS_C_WAIT_CERT_CR;
    return 0;
}

static int certificate_request13(struct tls_conn *c, const uint8_t *body,
                                 size_t len, const uint8_t *raw, size_t rlen)
{
    struct rd r, ctx, exts;
    rd_init(&r, body, len);
    if (!rd_vec(&r, 1, 0, 255, &ctx) || !rd_vec(&r, 2, 2, 0xffff, &exts) ||
        !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed CertificateRequest");
    memcpy(c->hs->hrr_cr_ctx, ctx.p, rd_left(&ctx));
    c->hs->hrr_cr_ctx_len = rd_left(&ctx);
    c->hs->cert_requested = true;
    tls_transcript_add(c, raw, rlen);
    c->state = TLS_C_WAIT_CERT;
    return 0;
}

static int certificate_verify13(struct tls_conn *c, const uint8_t *body,
                                size_t len, const uint8_t *raw, size_t rlen)
{
    struct rd r, sig;
    uint16_t scheme;
    rd_init(&r, body, len);
    if (!rd_u16(&r, &scheme) || !rd_vec(&r, 2, 1, 0xffff, &sig) || !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed CertificateVerify");
    const struct tls_pubkey *pk = &c->hs->peer_key;
    if (!scheme_offered(scheme) ||
        !tls_sig_fits(scheme, pk->type, pk->curve, true))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "signature scheme not offered");
    uint8_t th[TLS_MAX_HASH], content[64 + 34 + TLS_MAX_HASH];
    tls_transcript_hash(c, th);
    size_t n =
        tls13_cv_content(true, th, tls_hash_len(c->suite->hash), content);
    if (!tls_verify(scheme, pk, content, n, sig.p, rd_left(&sig)))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "the server's signature does not verify");
    c->sig_scheme = scheme;
    tls_transcript_add(c, raw, rlen);
    c->state = TLS_C_WAIT_FIN;
    return 0;
}

static int server_finished13(struct tls_conn *c, const uint8_t *body,
                             size_t len, const uint8_t *raw, size_t rlen)
{
    struct tls_hs *hs = c->hs;
    enum tls_hash h = c->suite->hash;
    size_t hl = tls_hash_len(h);
    uint8_t th[TLS_MAX_HASH], want[TLS_MAX_HASH], s_ap[TLS_MAX_HASH];
    tls_transcript_hash(c, th);
    tls13_finished(h, hs->s_hs, th, want);
    if (len != hl || !tls_ct_equal(want, body, hl))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "server Finished does not verify");
    tls_transcript_add(c, raw, rlen);
    tls13_next_secret(h, hs->handshake, NULL, 0, hs->master);
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->master, "c ap traffic", th, hs->c_ap);
    tls_derive_secret(h, hs->master, "s ap traffic", th, s_ap);
    tls_dir_set13(&c->rd, c->suite, s_ap);
    memset(s_ap, 0, sizeof s_ap);
    c->rd_changed = true;
    /* Our second flight, after the compatibility CCS (§D.4). */
    if (hs->send_ccs)
        tls_send_ccs(c);
    struct wr w;
    int err;
    if (hs->cert_requested) {
        tls_hs_begin(c, TLS_HS_CERTIFICATE, &w);
        wr_u8(&w, (uint8_t)hs->hrr_cr_ctx_len);
        wr_bytes(&w, hs->hrr_cr_ctx, hs->hrr_cr_ctx_len);
        wr_uint(&w, 3, 0);
        if ((err = tls_hs_end(c, &w)))
            return err;
    }
    tls_transcript_hash(c, th);
    tls13_finished(h, hs->c_hs, th, want);
    tls_hs_begin(c, TLS_HS_FINISHED, &w);
    wr_bytes(&w, want, hl);
    if ((err = tls_hs_end(c, &w)))
        return err;
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->master, "res master", th, c->res_master);
    tls_out_seal(c);
    tls_dir_set13(&c->wr, c->suite, hs->c_ap);
    c->state = TLS_CONNECTED;
    return 0;
}

static int new_session_ticket13(struct tls_conn *c, const uint8_t *body,
                                size_t len, const uint8_t *raw, size_t rlen)
{
    (void)raw, (void)rlen; /* after the handshake: no transcript */
    struct rd r, nonce, ticket, exts;
    uint32_t lifetime, age_add;
    rd_init(&r, body, len);
    if (!rd_uint(&r, 4, &lifetime) || !rd_uint(&r, 4, &age_add) ||
        !rd_vec(&r, 1, 0, 255, &nonce) || !rd_vec(&r, 2, 1, 0xffff, &ticket) ||
        !rd_vec(&r, 2, 0, 0xfffe, &exts) || !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed NewSessionTicket");
    if (lifetime > 604800)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "ticket lifetime beyond 7 days");
    if (c->ccfg->o.no_resumption || !c->host[0] || lifetime == 0 ||
        rd_left(&ticket) > TLS_TICKET_MAX)
        return 0;
    struct tls_session s;
    memset(&s, 0, sizeof s);
    memcpy(s.host, c->host, sizeof s.host);
    s.version = MIRAGE_TLS_1_3;
    s.suite = c->suite->id;
    tls13_ticket_psk(c->suite->hash, c->res_master, nonce.p, rd_left(&nonce),
                     s.secret);
    memcpy(s.ticket, ticket.p, rd_left(&ticket));
    s.ticket_len = rd_left(&ticket);
    s.lifetime_s = lifetime;
    s.age_add = age_add;
    s.received = mirage_now();
    tls_cache_store(c->ccfg, &s);
    return 0;
}

/* ---- TLS 1.2 ----------------------------------------------------------- */

static int server_hello12(struct tls_conn *c, const struct tls_server_hello *sh,
                          const struct tls_suite *s, const uint8_t *raw,
                          size_t rlen)
{
    struct tls_hs *hs = c->hs;
    if (sh->session_ticket && c->ccfg->o.no_resumption)
        FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION,
             "session_ticket we did not offer");
    int err;
    if (sh->alpn && (err = take_alpn(c, sh->alpn_name, sh->alpn_len)))
        return err;
    c->version = MIRAGE_TLS_1_2;
    c->suite = s;
    memcpy(hs->server_random, sh->random, 32);
    tls_transcript_pick(c, s->hash);
    tls_transcript_add(c, raw, rlen);
    hs->ticket_ext = sh->session_ticket;
    struct tls_session *o = hs->has_offered ? &hs->offered : NULL;
    if (o && o->version == MIRAGE_TLS_1_2 && sh->session_id_len &&
        sh->session_id_len == hs->session_id_len &&
        memcmp(sh->session_id, hs->session_id, hs->session_id_len) == 0) {
        /* The server resumes our ticket's session. */
        if (o->suite != s->id)
            FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
                 "resumed with another cipher suite");
        if (o->ems != sh->ems)
            FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                 "extended master secret differs from the session's");
        c->ems = o->ems;
        memcpy(c->master12, o->secret, 48);
        c->resumed = true;
        c->state = sh->session_ticket ? TLS_C12_WAIT_NST : TLS_C12_WAIT_CCS;
        return 0;
    }
    if (o)
        tls_cache_forget(c->ccfg, o);
    hs->has_offered = false;
    c->ems = sh->ems;
    c->state = TLS_C12_WAIT_CERT;
    return 0;
}

static int server_key_exchange(struct tls_conn *c, const uint8_t *body,
                               size_t len, const uint8_t *raw, size_t rlen)
{
    struct tls_hs *hs = c->hs;
    struct rd r, point, sig;
    uint8_t curve_type;
    uint16_t group, scheme;
    rd_init(&r, body, len);
    if (!rd_u8(&r, &curve_type) || !rd_u16(&r, &group) ||
        !rd_vec(&r, 1, 1, 255, &point))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed ServerKeyExchange");
    size_t params_len = len - rd_left(&r);
    if (!rd_u16(&r, &scheme) || !rd_vec(&r, 2, 1, 0xffff, &sig) || !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed ServerKeyExchange");
    if (curve_type != 3 || !tls_group_supported(group))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "a curve we did not offer");
    const struct tls_pubkey *pk = &hs->peer_key;
    if (!scheme_offered(scheme) ||
        !tls_sig_fits(scheme, pk->type, pk->curve, false))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "signature scheme not offered");
    /* The signature covers both randoms and the parameters. */
    uint8_t signed_data[64 + 4 + 255];
    memcpy(signed_data, hs->client_random, 32);
    memcpy(signed_data + 32, hs->server_random, 32);
    memcpy(signed_data + 64, body, params_len);
    if (!tls_verify(scheme, pk, signed_data, 64 + params_len, sig.p,
                    rd_left(&sig)))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "the server's signature does not verify");
    if (tls_kex_keygen(&hs->kex, group, c->random, hs->pub, &hs->pub_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    if (!tls_kex_derive(&hs->kex, point.p, rd_left(&point), hs->pms,
                        &hs->pms_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "bad ECDHE public value");
    c->group = group;
    c->sig_scheme = scheme;
    tls_transcript_add(c, raw, rlen);
    c->state = TLS_C12_WAIT_SHD;
    return 0;
}

static int certificate_request12(struct tls_conn *c, const uint8_t *body,
                                 size_t len, const uint8_t *raw, size_t rlen)
{
    (void)body, (void)len;
    if (c->hs->cert_requested)
        FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "a second CertificateRequest");
    c->hs->cert_requested = true;
    tls_transcript_add(c, raw, rlen);
    return 0;
}

static int server_hello_done(struct tls_conn *c, const uint8_t *body,
                             size_t len, const uint8_t *raw, size_t rlen)
{
    (void)body;
    struct tls_hs *hs = c->hs;
    struct wr w;
    int err;
    if (len != 0)
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed ServerHelloDone");
    tls_transcript_add(c, raw, rlen);
    if (hs->cert_requested) {
        tls_hs_begin(c, TLS_HS_CERTIFICATE, &w);
        wr_uint(&w, 3, 0);
        if ((err = tls_hs_end(c, &w)))
            return err;
    }
    tls_hs_begin(c, TLS_HS_CLIENT_KEY_EXCHANGE, &w);
    wr_u8(&w, (uint8_t)hs->pub_len);
    wr_bytes(&w, hs->pub, hs->pub_len);
    if ((err = tls_hs_end(c, &w)))
        return err;
    tls12_master(c, hs->pms, hs->pms_len);
    memset(hs->pms, 0, sizeof hs->pms);
    if ((err = tls12_send_finished(c)))
        return err;
    c->state = hs->ticket_ext ? TLS_C12_WAIT_NST : TLS_C12_WAIT_CCS;
    return 0;
}

static int new_session_ticket12(struct tls_conn *c, const uint8_t *body,
                                size_t len, const uint8_t *raw, size_t rlen)
{
    struct rd r, ticket;
    uint32_t lifetime;
    rd_init(&r, body, len);
    if (!rd_uint(&r, 4, &lifetime) || !rd_vec(&r, 2, 0, 0xffff, &ticket) ||
        !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed NewSessionTicket");
    tls_transcript_add(c, raw, rlen);
    c->state = TLS_C12_WAIT_CCS;
    if (!c->host[0] || rd_left(&ticket) == 0 ||
        rd_left(&ticket) > TLS_TICKET_MAX)
        return 0;
    struct tls_session s;
    memset(&s, 0, sizeof s);
    memcpy(s.host, c->host, sizeof s.host);
    s.version = MIRAGE_TLS_1_2;
    s.suite = c->suite->id;
    memcpy(s.secret, c->master12, 48);
    memcpy(s.ticket, ticket.p, rd_left(&ticket));
    s.ticket_len = rd_left(&ticket);
    s.lifetime_s = lifetime ? lifetime : 7200;
    s.received = mirage_now();
    s.ems = c->ems;
    if (c->hs->has_offered) /* replaced by the renewed one */
        tls_cache_forget(c->ccfg, &c->hs->offered);
    c->hs->has_offered = false;
    tls_cache_store(c->ccfg, &s);
    return 0;
}

static int server_finished12(struct tls_conn *c, const uint8_t *body,
                             size_t len, const uint8_t *raw, size_t rlen)
{
    uint8_t want[12];
    tls12_finished(c, true, want);
    if (len != 12 || !tls_ct_equal(want, body, 12))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "server Finished does not verify");
    tls_transcript_add(c, raw, rlen);
    if (c->resumed) {
        int err = tls12_send_finished(c);
        if (err)
            return err;
    }
    c->state = TLS_CONNECTED;
    return 0;
}

/* ---- ServerHello -------------------------------------------------------- */

static int server_hello(struct tls_conn *c, const uint8_t *body, size_t len,
                        const uint8_t *raw, size_t rlen)
{
    struct tls_server_hello sh;
    const char *why;
    int err = tls_parse_server_hello(body, len, &sh, &why);
    if (err)
        return tls_fail(c, err, why);
    if (sh.hrr)
        return hello_retry(c, &sh, raw, rlen);
    uint16_t v = sh.version ? sh.version : sh.legacy_version;
    if (sh.version &&
        (sh.version != MIRAGE_TLS_1_3 || max_version(c) < MIRAGE_TLS_1_3))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
             "the server chose a version we did not offer");
    if (v < min_version(c) || v > max_version(c) ||
        (v == MIRAGE_TLS_1_3 && !sh.version))
        FAIL(TLS_ALERT_PROTOCOL_VERSION, "no version in common");
    if (v == MIRAGE_TLS_1_2 && max_version(c) >= MIRAGE_TLS_1_3 &&
        (memcmp(sh.random + 24, tls_downgrade_12, 8) == 0 ||
         memcmp(sh.random + 24, tls_downgrade_11, 8) == 0))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "downgrade from TLS 1.3 detected");
    const struct tls_suite *s = tls_suite_find(sh.suite);
    if (!s || s->version != v || !suite_offered(c, s))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "a cipher suite we did not offer");
    if (c->hs->hrr && (v != MIRAGE_TLS_1_3 || s != c->suite))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello differs from the retry");
    if (v == MIRAGE_TLS_1_3)
        return server_hello13(c, &sh, s, raw, rlen);
    if (sh.has_psk || sh.share || sh.cookie)
        FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION, "a TLS 1.3 extension in TLS 1.2");
    return server_hello12(c, &sh, s, raw, rlen);
}

/* The transitions of the state diagram at the top of this file. */
static const struct tls_transition machine[] = {
    {TLS_C_WAIT_SH, TLS_HS_SERVER_HELLO, server_hello},
    {TLS_C_WAIT_EE, TLS_HS_ENCRYPTED_EXTENSIONS, encrypted_extensions},
    {TLS_C_WAIT_CERT_CR, TLS_HS_CERTIFICATE_REQUEST, certificate_request13},
    {TLS_C_WAIT_CERT_CR, TLS_HS_CERTIFICATE, certificate},
    {TLS_C_WAIT_CERT, TLS_HS_CERTIFICATE, certificate},
    {TLS_C_WAIT_CV, TLS_HS_CERTIFICATE_VERIFY, certificate_verify13},
    {TLS_C_WAIT_FIN, TLS_HS_FINISHED, server_finished13},
    {TLS_C12_WAIT_CERT, TLS_HS_CERTIFICATE, certificate},
    {TLS_C12_WAIT_SKE, TLS_HS_SERVER_KEY_EXCHANGE, server_key_exchange},
    {TLS_C12_WAIT_SHD, TLS_HS_CERTIFICATE_REQUEST, certificate_request12},
    {TLS_C12_WAIT_SHD, TLS_HS_SERVER_HELLO_DONE, server_hello_done},
    {TLS_C12_WAIT_NST, TLS_HS_NEW_SESSION_TICKET, new_session_ticket12},
    {TLS_C12_WAIT_FIN, TLS_HS_FINISHED, server_finished12},
    {TLS_CONNECTED, TLS_HS_NEW_SESSION_TICKET, new_session_ticket13},
};

int tls_client_handle(struct tls_conn *c, uint8_t type, const uint8_t *body,
                      size_t len, const uint8_t *raw, size_t rlen)
{
    return tls_dispatch(c, machine, sizeof machine / sizeof *machine, type,
                        body, len, raw, rlen);
}
