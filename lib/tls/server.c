/* The server's handshake state machine, for TLS 1.3 (RFC 8446 §2, §4) and
 * TLS 1.2 (RFC 5246 §7.3 with ECDHE, RFC 8422; tickets, RFC 5077; the
 * extended master secret, RFC 7627):
 *
 *   WAIT_CH --ClientHello--> (TLS 1.3) HelloRetryRequest --> WAIT_CH2
 *                                      ServerHello ... Finished --> WAIT_FIN
 *                            (TLS 1.2) ServerHello Certificate
 *                                      ServerKeyExchange ServerHelloDone
 *                                      --> S12_WAIT_CKE
 *                            (TLS 1.2 ticket) ServerHello [NewSessionTicket]
 *                                      CCS Finished --> S12_WAIT_CCS
 *   WAIT_CH2 --ClientHello--> ServerHello ... Finished --> WAIT_FIN
 *   WAIT_FIN --Finished--> NewSessionTicket --> CONNECTED
 *   S12_WAIT_CKE --ClientKeyExchange--> S12_WAIT_CCS --CCS--> S12_WAIT_FIN
 *   S12_WAIT_FIN --Finished--> [NewSessionTicket] CCS Finished --> CONNECTED
 *
 * Each step checks what the client sent against what was negotiated and
 * fails with the alert RFC 8446 §6.2 names. */
#include "internal.h"

#include <mirage/fiber.h>
#include <string.h>

#define FAIL(alert, msg) return tls_fail(c, alert, msg)

/* What the ClientHello leads to, worked out before anything is sent. */
struct choice {
    uint16_t version;
    const struct tls_suite *suite;
    const struct tls_chain *chain;
    uint16_t sig_scheme;
    uint16_t group;
    const uint8_t *share; /* the client's key share for group, or NULL */
    size_t share_len;
    int psk_index; /* -1: none */
    uint8_t psk[48];
    struct tls_ticket_state ticket; /* TLS 1.2 resumption */
    bool resume12;
};

static bool list_has(struct rd list, uint16_t v)
{
    uint16_t x;
    while (rd_u16(&list, &x))
        if (x == v)
            return true;
    return false;
}

static uint16_t max_version(const struct tls_conn *c)
{
    return c->scfg->o.max_version;
}

static int pick_version(struct tls_conn *c, const struct tls_client_hello *ch,
                        uint16_t *out)
{
    uint16_t lo = c->scfg->o.min_version, hi = c->scfg->o.max_version;
    *out = 0;
    if (ch->has_versions) {
        for (uint16_t v = hi; v >= lo && v >= MIRAGE_TLS_1_2; v--)
            if (list_has(ch->versions, v)) {
                *out = v;
                break;
            }
    } else if (ch->legacy_version >= MIRAGE_TLS_1_2 && lo <= MIRAGE_TLS_1_2) {
        *out = MIRAGE_TLS_1_2;
    }
    if (!*out)
        FAIL(TLS_ALERT_PROTOCOL_VERSION, "no version in common");
    if (ch->scsv_fallback && *out < hi)
        FAIL(TLS_ALERT_INAPPROPRIATE_FALLBACK, "fallback to a lower version");
    return 0;
}

/* The first of the client's schemes (its order of preference) that our
 * key can make. */
static uint16_t pick_scheme(struct rd sigs, const struct tls_chain *ch,
                            bool tls13)
{
    uint16_t s;
    while (rd_u16(&sigs, &s))
        if (tls_sig_fits(s, ch->key.type, ch->key.ec.curve, tls13))
            return s;
    return 0;
}

/* A chain for the client with a key of the given type (TLS_KEY_NONE:
 * any) and a scheme the client accepts: among those whose names match its
 * server_name (named) or among the others. */
static const struct tls_chain *pick_chain(struct tls_conn *c,
                                          const struct tls_client_hello *ch,
                                          enum tls_key_type type, bool tls13,
                                          bool named, uint16_t *scheme)
{
    const struct mirage_tls_server_config *cfg = c->scfg;
    for (size_t i = 0; i < cfg->n_chains; i++) {
        const struct tls_chain *chn = cfg->chains[i];
        bool match = c->host[0] && x509_host_matches(&chn->leaf, c->host);
        if (match != named || (type != TLS_KEY_NONE && chn->key.type != type))
            continue;
        uint16_t s = pick_scheme(ch->sigs, chn, tls13);
        if (s) {
            *scheme = s;
            return chn;
        }
    }
    return NULL;
}

static bool client_offers(const struct tls_client_hello *ch, uint16_t suite)
{
    return list_has(ch->suites, suite);
}

/* TLS 1.3: the group, and the client's share for it if it sent one. */
static int pick_group13(struct tls_conn *c, const struct tls_client_hello *ch,
                        struct choice *k)
{
    if (!ch->has_groups || !ch->has_key_shares)
        FAIL(TLS_ALERT_MISSING_EXTENSION, "no supported_groups or key_share");
    for (size_t i = 0; i < tls_n_groups; i++) {
        struct rd shares = ch->key_shares, x;
        uint16_t g;
        while (rd_u16(&shares, &g) && rd_vec(&shares, 2, 1, 0xffff, &x))
            if (g == tls_groups[i]) {
                k->group = g;
                k->share = x.p;
                k->share_len = rd_left(&x);
                return 0;
            }
    }
    for (size_t i = 0; i < tls_n_groups; i++)
        if (list_has(ch->groups, tls_groups[i])) {
            k->group = tls_groups[i];
            return 0;
        }
    FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no key exchange group in common");
}

/* TLS 1.3 resumption: the first identity whose ticket we sealed and whose
 * binder proves the client holds its PSK. */
static int pick_psk(struct tls_conn *c, const struct tls_client_hello *ch,
                    const uint8_t *raw, size_t rlen, struct choice *k)
{
    k->psk_index = -1;
    if (!ch->has_psk)
        return 0;
    if (!ch->has_psk_modes)
        FAIL(TLS_ALERT_MISSING_EXTENSION, "pre_shared_key without modes");
    if (c->scfg->o.no_tickets ||
        !memchr(ch->psk_modes.p, 1, rd_left(&ch->psk_modes)))
        return 0; /* psk_dhe_ke only */
    enum tls_hash h = k->suite->hash;
    size_t hl = tls_hash_len(h);
    struct rd ids = ch->psk_identities, binders = ch->psk_binders, id, b;
    uint32_t age;
    for (int i = 0; rd_vec(&ids, 2, 1, 0xffff, &id) && rd_uint(&ids, 4, &age) &&
                    rd_vec(&binders, 1, 32, 255, &b);
         i++) {
        struct tls_ticket_state st;
        if (!tls_ticket_open(c->scfg, id.p, rd_left(&id), &st) ||
            st.version != MIRAGE_TLS_1_3 || tls_suite_find(st.suite)->hash != h)
            continue;
        /* binder = HMAC(finished_key(binder_key), Hash(truncated CH)),
         * with what precedes this ClientHello (after a HelloRetryRequest). */
        uint8_t early[TLS_MAX_HASH], bkey[TLS_MAX_HASH], th[TLS_MAX_HASH],
            want[TLS_MAX_HASH], empty[TLS_MAX_HASH];
        tls13_early_secret(h, st.secret, early);
        tls_hash(h, "", 0, empty);
        tls_derive_secret(h, early, "res binder", empty, bkey);
        struct tls_hash_ctx t = h == TLS_SHA384 ? c->hs->th384 : c->hs->th256;
        tls_hash_update(&t, raw, rlen - ch->binders_len);
        tls_hash_peek(&t, th);
        tls13_finished(h, bkey, th, want);
        if (rd_left(&b) != hl || !tls_ct_equal(want, b.p, hl))
            FAIL(TLS_ALERT_DECRYPT_ERROR, "PSK binder does not verify");
        k->psk_index = i;
        memcpy(k->psk, st.secret, hl);
        return 0;
    }
    return 0;
}

static int choose13(struct tls_conn *c, const struct tls_client_hello *ch,
                    const uint8_t *raw, size_t rlen, struct choice *k)
{
    size_t n;
    const struct tls_suite *const *pref = tls_suites_preferred(&n);
    for (size_t i = 0; i < n && !k->suite; i++)
        if (pref[i]->version == MIRAGE_TLS_1_3 &&
            client_offers(ch, pref[i]->id))
            k->suite = pref[i];
    if (!k->suite)
        FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no cipher suite in common");
    if (c->hs->hrr && k->suite != c->suite)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "cipher suite changed after retry");
    int err = pick_group13(c, ch, k);
    if (err)
        return err;
    if (c->hs->hrr && (k->group != c->hs->group || !k->share))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "no key share for the retried group");
    if ((err = pick_psk(c, ch, raw, rlen, k)))
        return err;
    if (k->psk_index < 0) {
        if (!ch->has_sigs)
            FAIL(TLS_ALERT_MISSING_EXTENSION, "no signature_algorithms");
        k->chain = pick_chain(c, ch, TLS_KEY_NONE, true, true, &k->sig_scheme);
        if (!k->chain)
            k->chain =
                pick_chain(c, ch, TLS_KEY_NONE, true, false, &k->sig_scheme);
        if (!k->chain)
            FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                 "no certificate for the client's signature algorithms");
    }
    return 0;
}

static int choose12(struct tls_conn *c, const struct tls_client_hello *ch,
                    struct choice *k)
{
    if (ch->has_point_formats &&
        !memchr(ch->point_formats.p, 0, rd_left(&ch->point_formats)))
        FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no uncompressed point format");
    /* A ticket of ours, for a suite the client still offers, resumes. */
    if (ch->session_ticket && ch->ticket_len && ch->session_id_len &&
        !c->scfg->o.no_tickets &&
        tls_ticket_open(c->scfg, ch->ticket, ch->ticket_len, &k->ticket) &&
        k->ticket.version == MIRAGE_TLS_1_2 &&
        client_offers(ch, k->ticket.suite)) {
        /* RFC 7627 §5.3: a session with EMS resumes only with it. */
        if (k->ticket.ems && !ch->ems)
            FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                 "resuming an extended-master-secret session without it");
        if (k->ticket.ems == ch->ems) {
            k->resume12 = true;
            k->suite = tls_suite_find(k->ticket.suite);
            return 0;
        }
    }
    if (!ch->has_sigs)
        FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
             "no signature_algorithms (SHA-1 is not supported)");
    /* A chain named by server_name first, whatever the suite; then the
     * others, each suite in our order. */
    size_t n;
    const struct tls_suite *const *pref = tls_suites_preferred(&n);
    for (int named = 1; named >= 0 && !k->suite; named--)
        for (size_t i = 0; i < n && !k->suite; i++) {
            if (pref[i]->version != MIRAGE_TLS_1_2 ||
                !client_offers(ch, pref[i]->id))
                continue;
            k->chain =
                pick_chain(c, ch, pref[i]->auth, false, named, &k->sig_scheme);
            if (k->chain)
                k->suite = pref[i];
        }
    if (!k->suite)
        FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no cipher suite in common");
    /* Without supported_groups, P-256 is assumed (RFC 8422 §4). */
    k->group = ch->has_groups ? 0 : TLS_GROUP_SECP256R1;
    for (size_t i = 0; i < tls_n_groups && !k->group; i++)
        if (list_has(ch->groups, tls_groups[i]))
            k->group = tls_groups[i];
    if (!k->group)
        FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no curve in common");
    return 0;
}

/* ---- Messages we send ------------------------------------------------- */

static int random_bytes(struct tls_conn *c, void *p, size_t n)
{
    if (mirage_random_generate(c->random, p, n))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    return 0;
}

/* ServerHello (or HelloRetryRequest when hrr). */
static int server_hello13(struct tls_conn *c, const struct choice *k,
                          const uint8_t *pub, size_t pub_len, bool hrr)
{
    struct wr w;
    tls_hs_begin(c, TLS_HS_SERVER_HELLO, &w);
    wr_u16(&w, MIRAGE_TLS_1_2);
    wr_bytes(&w, hrr ? tls_hrr_random : c->hs->server_random, 32);
    wr_u8(&w, c->hs->session_id_len);
    wr_bytes(&w, c->hs->session_id, c->hs->session_id_len);
    wr_u16(&w, k->suite->id);
    wr_u8(&w, 0);
    size_t exts = wr_open(&w, 2);
    wr_u16(&w, TLS_EXT_KEY_SHARE);
    size_t e = wr_open(&w, 2);
    wr_u16(&w, k->group);
    if (!hrr) {
        size_t s = wr_open(&w, 2);
        wr_bytes(&w, pub, pub_len);
        wr_close(&w, s, 2);
    }
    wr_close(&w, e, 2);
    wr_u16(&w, TLS_EXT_SUPPORTED_VERSIONS);
    wr_u16(&w, 2);
    wr_u16(&w, MIRAGE_TLS_1_3);
    if (!hrr && k->psk_index >= 0) {
        wr_u16(&w, TLS_EXT_PRE_SHARED_KEY);
        wr_u16(&w, 2);
        wr_u16(&w, (uint16_t)k->psk_index);
    }
    wr_close(&w, exts, 2);
    return tls_hs_end(c, &w);
}

static int encrypted_extensions(struct tls_conn *c, bool sni_used)
{
    struct wr w;
    tls_hs_begin(c, TLS_HS_ENCRYPTED_EXTENSIONS, &w);
    size_t exts = wr_open(&w, 2);
    if (c->alpn[0]) {
        char one[1][TLS_MAX_ALPN_LEN + 1];
        memcpy(one[0], c->alpn, sizeof one[0]);
        wr_u16(&w, TLS_EXT_ALPN);
        size_t e = wr_open(&w, 2);
        tls_write_alpn_list(&w, one, 1);
        wr_close(&w, e, 2);
    }
    if (sni_used) {
        wr_u16(&w, TLS_EXT_SERVER_NAME);
        wr_u16(&w, 0);
    }
    wr_close(&w, exts, 2);
    return tls_hs_end(c, &w);
}

static int certificate_verify13(struct tls_conn *c, const struct choice *k)
{
    uint8_t th[TLS_MAX_HASH], content[64 + 34 + TLS_MAX_HASH], sig[TLS_MAX_SIG];
    size_t sig_len;
    tls_transcript_hash(c, th);
    size_t n =
        tls13_cv_content(true, th, tls_hash_len(k->suite->hash), content);
    if (tls_sign(k->sig_scheme, &k->chain->key, c->random, content, n, sig,
                 &sig_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "signing failed");
    struct wr w;
    tls_hs_begin(c, TLS_HS_CERTIFICATE_VERIFY, &w);
    wr_u16(&w, k->sig_scheme);
    wr_u16(&w, (uint16_t)sig_len);
    wr_bytes(&w, sig, sig_len);
    return tls_hs_end(c, &w);
}

static int finished13(struct tls_conn *c, const uint8_t *base)
{
    uint8_t th[TLS_MAX_HASH], fin[TLS_MAX_HASH];
    enum tls_hash h = c->suite->hash;
    tls_transcript_hash(c, th);
    tls13_finished(h, base, th, fin);
    struct wr w;
    tls_hs_begin(c, TLS_HS_FINISHED, &w);
    wr_bytes(&w, fin, tls_hash_len(h));
    return tls_hs_end(c, &w);
}

/* The rest of the TLS 1.3 first flight, after ClientHello(s). */
static int flight13(struct tls_conn *c, const struct tls_client_hello *ch,
                    struct choice *k)
{
    struct tls_hs *hs = c->hs;
    enum tls_hash h = k->suite->hash;
    uint8_t pub[TLS_KEX_MAX_PUB], shared[TLS_KEX_MAX_SECRET], th[TLS_MAX_HASH];
    size_t pub_len, shared_len;
    int err;
    if ((err = random_bytes(c, hs->server_random, 32)))
        return err;
    if (tls_kex_keygen(&hs->kex, k->group, c->random, pub, &pub_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    if (!tls_kex_derive(&hs->kex, k->share, k->share_len, shared, &shared_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "bad key share");
    c->group = k->group;
    if ((err = server_hello13(c, k, pub, pub_len, false)))
        return err;
    if (hs->send_ccs && !hs->hrr)
        tls_send_ccs(c);
    /* Handshake secrets, from the transcript through ServerHello. */
    tls13_early_secret(h, k->psk_index >= 0 ? k->psk : NULL, hs->early);
    tls13_next_secret(h, hs->early, shared, shared_len, hs->handshake);
    memset(shared, 0, sizeof shared);
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->handshake, "c hs traffic", th, hs->c_hs);
    tls_derive_secret(h, hs->handshake, "s hs traffic", th, hs->s_hs);
    tls_out_seal(c);
    tls_dir_set13(&c->wr, k->suite, hs->s_hs);
    tls_dir_set13(&c->rd, k->suite, hs->c_hs);
    if ((err = encrypted_extensions(
             c, ch->sni && k->chain && c->host[0] &&
                    x509_host_matches(&k->chain->leaf, c->host))))
        return err;
    if (k->psk_index < 0) {
        struct wr w;
        tls_write_certificate(tls_hs_begin(c, TLS_HS_CERTIFICATE, &w), k->chain,
                              true);
        if ((err = tls_hs_end(c, &w)) || (err = certificate_verify13(c, k)))
            return err;
        c->sig_scheme = k->sig_scheme;
    }
    if ((err = finished13(c, hs->s_hs)))
        return err;
    /* Application secrets, from the transcript through our Finished. */
    tls13_next_secret(h, hs->handshake, NULL, 0, hs->master);
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->master, "c ap traffic", th, hs->c_ap);
    uint8_t s_ap[TLS_MAX_HASH];
    tls_derive_secret(h, hs->master, "s ap traffic", th, s_ap);
    tls_out_seal(c);
    tls_dir_set13(&c->wr, k->suite, s_ap);
    memset(s_ap, 0, sizeof s_ap);
    c->resumed = k->psk_index >= 0;
    c->state = TLS_S_WAIT_FIN;
    return 0;
}

static int hello_retry(struct tls_conn *c, const struct tls_client_hello *ch,
                       const uint8_t *raw, size_t rlen, struct choice *k)
{
    (void)ch;
    tls_transcript_pick(c, k->suite->hash);
    tls_transcript_add(c, raw, rlen);
    tls_transcript_hrr_rewind(c);
    c->suite = k->suite;
    c->hs->group = k->group;
    c->hs->hrr = true;
    int err = server_hello13(c, k, NULL, 0, true);
    if (err)
        return err;
    if (c->hs->send_ccs)
        tls_send_ccs(c);
    c->state = TLS_S_WAIT_CH2;
    return 0;
}

/* ---- TLS 1.2 ---------------------------------------------------------- */

static void extensions12(struct tls_conn *c, struct wr *w,
                         const struct tls_client_hello *ch, bool ticket)
{
    size_t exts = wr_open(w, 2);
    if (ch->reneg_info || ch->scsv_reneg) {
        wr_u16(w, TLS_EXT_RENEGOTIATION_INFO);
        wr_u16(w, 1);
        wr_u8(w, 0);
    }
    if (c->ems) {
        wr_u16(w, TLS_EXT_EXTENDED_MASTER_SECRET);
        wr_u16(w, 0);
    }
    if (ticket) {
        wr_u16(w, TLS_EXT_SESSION_TICKET);
        wr_u16(w, 0);
    }
    if (ch->has_point_formats) {
        wr_u16(w, TLS_EXT_EC_POINT_FORMATS);
        wr_u16(w, 2);
        wr_u8(w, 1);
        wr_u8(w, 0);
    }
    if (c->alpn[0]) {
        char one[1][TLS_MAX_ALPN_LEN + 1];
        memcpy(one[0], c->alpn, sizeof one[0]);
        wr_u16(w, TLS_EXT_ALPN);
        size_t e = wr_open(w, 2);
        tls_write_alpn_list(w, one, 1);
        wr_close(w, e, 2);
    }
    wr_close(w, exts, 2);
}

static int server_hello12(struct tls_conn *c, const struct tls_client_hello *ch,
                          const struct choice *k, bool ticket)
{
    struct tls_hs *hs = c->hs;
    int err = random_bytes(c, hs->server_random, 32);
    if (err)
        return err;
    if (max_version(c) >= MIRAGE_TLS_1_3)
        memcpy(hs->server_random + 24, tls_downgrade_12, 8);
    /* Resuming echoes the client's session ID (RFC 5077 §3.4); a new
     * session has none: it lives only in its ticket. */
    hs->session_id_len = k->resume12 ? ch->session_id_len : 0;
    memcpy(hs->session_id, ch->session_id, hs->session_id_len);
    struct wr w;
    tls_hs_begin(c, TLS_HS_SERVER_HELLO, &w);
    wr_u16(&w, MIRAGE_TLS_1_2);
    wr_bytes(&w, hs->server_random, 32);
    wr_u8(&w, hs->session_id_len);
    wr_bytes(&w, hs->session_id, hs->session_id_len);
    wr_u16(&w, k->suite->id);
    wr_u8(&w, 0);
    extensions12(c, &w, ch, ticket);
    return tls_hs_end(c, &w);
}

static int server_key_exchange(struct tls_conn *c, const struct choice *k)
{
    struct tls_hs *hs = c->hs;
    uint8_t pub[TLS_KEX_MAX_PUB], sig[TLS_MAX_SIG];
    uint8_t signed_data[64 + 4 + TLS_KEX_MAX_PUB];
    size_t pub_len, sig_len;
    if (tls_kex_keygen(&hs->kex, k->group, c->random, pub, &pub_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    /* ServerECDHParams: named_curve(3), the curve, the point. */
    uint8_t *params = signed_data + 64;
    params[0] = 3;
    put_u16(params + 1, k->group);
    params[3] = (uint8_t)pub_len;
    memcpy(params + 4, pub, pub_len);
    memcpy(signed_data, hs->client_random, 32);
    memcpy(signed_data + 32, hs->server_random, 32);
    if (tls_sign(k->sig_scheme, &k->chain->key, c->random, signed_data,
                 64 + 4 + pub_len, sig, &sig_len))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "signing failed");
    struct wr w;
    tls_hs_begin(c, TLS_HS_SERVER_KEY_EXCHANGE, &w);
    wr_bytes(&w, params, 4 + pub_len);
    wr_u16(&w, k->sig_scheme);
    wr_u16(&w, (uint16_t)sig_len);
    wr_bytes(&w, sig, sig_len);
    return tls_hs_end(c, &w);
}

/* A NewSessionTicket for the session's state: RFC 5077's form in TLS
 * 1.2; in TLS 1.3 with the ticket's age_add and nonce (RFC 8446 §4.6.1)
 * and no extensions (no early data). */
static int new_session_ticket(struct tls_conn *c, struct tls_ticket_state *st,
                              uint8_t nonce)
{
    uint8_t t[TLS_TICKET_SEALED];
    st->suite = c->suite->id;
    st->issued = mirage_now();
    st->lifetime_s = c->scfg->o.ticket_lifetime_s;
    if (tls_ticket_seal(c->scfg, st, t))
        FAIL(TLS_ALERT_INTERNAL_ERROR, "the random device failed");
    struct wr w;
    tls_hs_begin(c, TLS_HS_NEW_SESSION_TICKET, &w);
    wr_uint(&w, 4, st->lifetime_s);
    if (st->version == MIRAGE_TLS_1_3) {
        wr_uint(&w, 4, st->age_add);
        wr_u8(&w, 1);
        wr_u8(&w, nonce);
    }
    wr_u16(&w, sizeof t);
    wr_bytes(&w, t, sizeof t);
    if (st->version == MIRAGE_TLS_1_3)
        wr_u16(&w, 0);
    return tls_hs_end(c, &w);
}

static int new_session_ticket12(struct tls_conn *c)
{
    struct tls_ticket_state st = {.version = MIRAGE_TLS_1_2, .ems = c->ems};
    memcpy(st.secret, c->master12, 48);
    return new_session_ticket(c, &st, 0);
}

static int hello12(struct tls_conn *c, const struct tls_client_hello *ch,
                   const uint8_t *raw, size_t rlen, struct choice *k)
{
    int err;
    c->suite = k->suite;
    tls_transcript_pick(c, k->suite->hash);
    tls_transcript_add(c, raw, rlen);
    c->ems = ch->ems;
    bool ticket = ch->session_ticket && !c->scfg->o.no_tickets;
    c->hs->ticket_ext = ticket;
    if (k->resume12) {
        c->ems = k->ticket.ems;
        memcpy(c->master12, k->ticket.secret, 48);
        c->resumed = true;
        if ((err = server_hello12(c, ch, k, ticket)) ||
            (ticket && (err = new_session_ticket12(c))) ||
            (err = tls12_send_finished(c)))
            return err;
        c->state = TLS_S12_WAIT_CCS;
        return 0;
    }
    if ((err = server_hello12(c, ch, k, ticket)))
        return err;
    struct wr w;
    tls_write_certificate(tls_hs_begin(c, TLS_HS_CERTIFICATE, &w), k->chain,
                          false);
    if ((err = tls_hs_end(c, &w)) || (err = server_key_exchange(c, k)))
        return err;
    tls_hs_begin(c, TLS_HS_SERVER_HELLO_DONE, &w);
    if ((err = tls_hs_end(c, &w)))
        return err;
    c->group = k->group;
    c->sig_scheme = k->sig_scheme;
    c->state = TLS_S12_WAIT_CKE;
    return 0;
}

static int client_key_exchange(struct tls_conn *c, const uint8_t *body,
                               size_t len, const uint8_t *raw, size_t rlen)
{
    struct rd r, point;
    uint8_t pms[TLS_KEX_MAX_SECRET];
    size_t pms_len;
    rd_init(&r, body, len);
    if (!rd_vec(&r, 1, 1, 255, &point) || !rd_done(&r))
        FAIL(TLS_ALERT_DECODE_ERROR, "malformed ClientKeyExchange");
    if (!tls_kex_derive(&c->hs->kex, point.p, rd_left(&point), pms, &pms_len))
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "bad ECDHE public value");
    tls_transcript_add(c, raw, rlen);
    tls12_master(c, pms, pms_len);
    memset(pms, 0, sizeof pms);
    c->state = TLS_S12_WAIT_CCS;
    return 0;
}

static int client_finished12(struct tls_conn *c, const uint8_t *body,
                             size_t len, const uint8_t *raw, size_t rlen)
{
    uint8_t want[12];
    tls12_finished(c, false, want);
    if (len != 12 || !tls_ct_equal(want, body, 12))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "client Finished does not verify");
    tls_transcript_add(c, raw, rlen);
    if (!c->resumed) {
        int err;
        if ((c->hs->ticket_ext && (err = new_session_ticket12(c))) ||
            (err = tls12_send_finished(c)))
            return err;
    }
    c->state = TLS_CONNECTED;
    return 0;
}

/* ---- TLS 1.3 after the client's Finished ------------------------------ */

static int new_session_ticket13(struct tls_conn *c)
{
    uint8_t nonce = c->ticket_nonce++;
    struct tls_ticket_state st = {.version = MIRAGE_TLS_1_3};
    int err = random_bytes(c, &st.age_add, sizeof st.age_add);
    if (err)
        return err;
    tls13_ticket_psk(c->suite->hash, c->res_master, &nonce, 1, st.secret);
    return new_session_ticket(c, &st, nonce);
}

static int client_finished13(struct tls_conn *c, const uint8_t *body,
                             size_t len, const uint8_t *raw, size_t rlen)
{
    struct tls_hs *hs = c->hs;
    enum tls_hash h = c->suite->hash;
    size_t hl = tls_hash_len(h);
    uint8_t th[TLS_MAX_HASH], want[TLS_MAX_HASH];
    tls_transcript_hash(c, th);
    tls13_finished(h, hs->c_hs, th, want);
    if (len != hl || !tls_ct_equal(want, body, hl))
        FAIL(TLS_ALERT_DECRYPT_ERROR, "client Finished does not verify");
    tls_transcript_add(c, raw, rlen);
    tls_transcript_hash(c, th);
    tls_derive_secret(h, hs->master, "res master", th, c->res_master);
    tls_dir_set13(&c->rd, c->suite, hs->c_ap);
    c->rd_changed = true;
    c->state = TLS_CONNECTED;
    if (!c->scfg->o.no_tickets) {
        int err = new_session_ticket13(c);
        if (err)
            return err;
    }
    return 0;
}

/* ---- ClientHello ------------------------------------------------------ */

static int client_hello(struct tls_conn *c, const uint8_t *body, size_t len,
                        const uint8_t *raw, size_t rlen)
{
    struct tls_client_hello ch;
    struct tls_hs *hs = c->hs;
    const char *why;
    int err = tls_parse_client_hello(body, len, &ch, &why);
    if (err)
        return tls_fail(c, err, why);
    struct choice k;
    memset(&k, 0, sizeof k);
    k.psk_index = -1;
    if ((err = pick_version(c, &ch, &k.version)))
        return err;
    if (hs->hrr && k.version != MIRAGE_TLS_1_3)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "version changed after retry");
    if (hs->hrr && ch.early_data)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "early data after a retry");
    if (k.version == MIRAGE_TLS_1_3 && !ch.null_compression_only)
        FAIL(TLS_ALERT_ILLEGAL_PARAMETER,
             "TLS 1.3 ClientHello with compression");
    if (ch.sni) {
        memcpy(c->host, ch.sni, ch.sni_len);
        c->host[ch.sni_len] = 0;
    }
    if (!hs->hrr) {
        memcpy(hs->client_random, ch.random, 32);
        hs->session_id_len = ch.session_id_len;
        memcpy(hs->session_id, ch.session_id, ch.session_id_len);
        hs->send_ccs = ch.session_id_len > 0;
        hs->early_offered = ch.early_data;
    }
    /* ALPN: ours first in our order; none in common is fatal. */
    c->alpn[0] = 0;
    if (c->scfg->n_alpn && ch.has_alpn) {
        if (!tls_alpn_select(ch.alpn, c->scfg->alpn, c->scfg->n_alpn, c->alpn))
            FAIL(TLS_ALERT_DECODE_ERROR, "malformed ALPN");
        if (!c->alpn[0])
            FAIL(TLS_ALERT_NO_APPLICATION_PROTOCOL, "no protocol in common");
    }
    c->version = k.version;
    if (k.version == MIRAGE_TLS_1_2) {
        if ((err = choose12(c, &ch, &k)))
            return err;
        return hello12(c, &ch, raw, rlen, &k);
    }
    if ((err = choose13(c, &ch, raw, rlen, &k)))
        return err;
    if (!k.share)
        return hello_retry(c, &ch, raw, rlen, &k);
    c->suite = k.suite;
    tls_transcript_pick(c, k.suite->hash);
    tls_transcript_add(c, raw, rlen);
    return flight13(c, &ch, &k);
}

/* The transitions of the state diagram at the top of this file. */
static const struct tls_transition machine[] = {
    {TLS_S_WAIT_CH, TLS_HS_CLIENT_HELLO, client_hello},
    {TLS_S_WAIT_CH2, TLS_HS_CLIENT_HELLO, client_hello},
    {TLS_S_WAIT_FIN, TLS_HS_FINISHED, client_finished13},
    {TLS_S12_WAIT_CKE, TLS_HS_CLIENT_KEY_EXCHANGE, client_key_exchange},
    {TLS_S12_WAIT_FIN, TLS_HS_FINISHED, client_finished12},
};

int tls_server_handle(struct tls_conn *c, uint8_t type, const uint8_t *body,
                      size_t len, const uint8_t *raw, size_t rlen)
{
    return tls_dispatch(c, machine, sizeof machine / sizeof *machine, type,
                        body, len, raw, rlen);
}
