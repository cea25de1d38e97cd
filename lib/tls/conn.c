/* The engine's core (internal.h): input records to handshake messages,
 * alerts and application data; the output buffer with its open record;
 * alerts we send; the transcript; KeyUpdate; close_notify. */
#include "internal.h"

#include <string.h>

#define NO_REC ((size_t)-1)
/* Output kept free for an alert, close_notify or KeyUpdate. */
#define CONTROL_ROOM 64

/* ---- Transcript ------------------------------------------------------- */

void tls_transcript_add(struct tls_conn *c, const void *msg, size_t len)
{
    if (!c->hs)
        return;
    if (c->hs->th256.alg != TLS_HASH_NONE)
        tls_hash_update(&c->hs->th256, msg, len);
    if (c->hs->th384.alg != TLS_HASH_NONE)
        tls_hash_update(&c->hs->th384, msg, len);
}

static struct tls_hash_ctx *transcript(struct tls_conn *c)
{
    return c->hs->th384.alg != TLS_HASH_NONE &&
                   c->hs->th256.alg == TLS_HASH_NONE
               ? &c->hs->th384
               : &c->hs->th256;
}

void tls_transcript_pick(struct tls_conn *c, enum tls_hash h)
{
    if (h == TLS_SHA384)
        c->hs->th256.alg = TLS_HASH_NONE;
    else
        c->hs->th384.alg = TLS_HASH_NONE;
}

void tls_transcript_hash(struct tls_conn *c, uint8_t *out)
{
    tls_hash_peek(transcript(c), out);
}

void tls_transcript_hrr_rewind(struct tls_conn *c)
{
    /* RFC 8446 §4.4.1: ClientHello1 becomes message_hash(Hash(CH1)). */
    struct tls_hash_ctx *t = transcript(c);
    size_t hl = tls_hash_len(t->alg);
    uint8_t msg[4 + TLS_MAX_HASH] = {TLS_HS_MESSAGE_HASH, 0, 0, (uint8_t)hl};
    tls_hash_peek(t, msg + 4);
    tls_hash_start(t, t->alg);
    tls_hash_update(t, msg, 4 + hl);
}

/* ---- Output ----------------------------------------------------------- */

void tls_out_seal(struct tls_conn *c)
{
    if (c->orec == NO_REC)
        return;
    c->otail = c->orec +
               tls_dir_seal(&c->wr, c->orec_type, c->obuf + c->orec, c->ofill);
    c->orec = NO_REC;
    c->ofill = 0;
}

static void open_record(struct tls_conn *c, uint8_t type)
{
    if (c->orec != NO_REC && c->orec_type != type)
        tls_out_seal(c);
    if (c->orec == NO_REC) {
        c->orec = c->otail;
        c->orec_type = type;
        c->ofill = 0;
    }
}

/* Where the open record's plaintext ends. */
static size_t fill_end(const struct tls_conn *c)
{
    return c->orec + TLS_HDR + tls_dir_prefix(&c->wr) + c->ofill;
}

struct wr *tls_hs_begin(struct tls_conn *c, uint8_t type, struct wr *w)
{
    open_record(c, TLS_CT_HANDSHAKE);
    size_t start = fill_end(c);
    /* Keep room to split the message into records and for an alert. */
    size_t margin =
        (c->ocap / TLS_MAX_PLAIN + 2) * TLS_REC_OVERHEAD + CONTROL_ROOM;
    size_t cap =
        c->ocap > start + 4 + margin ? c->ocap - start - 4 - margin : 0;
    c->msg_start = start;
    c->msg_type = type;
    if (cap == 0) {
        wr_init(w, c->obuf, 0);
        w->bad = true;
        return w;
    }
    wr_init(w, c->obuf + start + 4, cap);
    return w;
}

int tls_hs_end(struct tls_conn *c, struct wr *w)
{
    if (!wr_ok(w) || w->len > 0xffffff)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR,
                        "a handshake message does not fit the output buffer");
    uint8_t *hdr = c->obuf + c->msg_start;
    hdr[0] = c->msg_type;
    put_u24(hdr + 1, (uint32_t)w->len);
    tls_transcript_add(c, hdr, 4 + w->len);
    c->ofill += 4 + w->len;
    /* A message beyond one record's plaintext continues in the next:
     * move the rest up past the first record's protection and header. */
    size_t pre = tls_dir_prefix(&c->wr), suf = tls_dir_suffix(&c->wr);
    while (c->ofill > TLS_MAX_PLAIN) {
        size_t rest = c->ofill - TLS_MAX_PLAIN;
        size_t src = c->orec + TLS_HDR + pre + TLS_MAX_PLAIN;
        size_t next = src + suf;
        memmove(c->obuf + next + TLS_HDR + pre, c->obuf + src, rest);
        tls_dir_seal(&c->wr, TLS_CT_HANDSHAKE, c->obuf + c->orec,
                     TLS_MAX_PLAIN);
        c->otail = next;
        c->orec = next;
        c->ofill = rest;
    }
    return 0;
}

void tls_send_ccs(struct tls_conn *c)
{
    /* Never protected: TLS 1.2 sends it before its keys change, TLS 1.3
     * only for middlebox compatibility (RFC 8446 §D.4). */
    tls_out_seal(c);
    static const uint8_t ccs[6] = {TLS_CT_CCS, 3, 3, 0, 1, 1};
    memcpy(c->obuf + c->otail, ccs, sizeof ccs);
    c->otail += sizeof ccs;
}

static void send_alert(struct tls_conn *c, uint8_t level, uint8_t desc)
{
    size_t pre = tls_dir_prefix(&c->wr);
    tls_out_seal(c);
    if (c->otail + TLS_REC_OVERHEAD + 2 > c->ocap)
        return; /* cannot happen: CONTROL_ROOM is kept free */
    uint8_t *rec = c->obuf + c->otail;
    rec[TLS_HDR + pre] = level;
    rec[TLS_HDR + pre + 1] = desc;
    c->otail += tls_dir_seal(&c->wr, TLS_CT_ALERT, rec, 2);
}

int tls_fail(struct tls_conn *c, int alert, const char *why)
{
    if (c->state == TLS_FAILED)
        return c->alert_sent >= 0 ? c->alert_sent : alert;
    /* A half-written record (a flight being built) is dropped. */
    c->orec = NO_REC;
    c->ofill = 0;
    c->state = TLS_FAILED;
    c->why = why;
    c->alert_sent = alert;
    send_alert(c, 2, (uint8_t)alert);
    return alert;
}

/* The peer's fatal alert: fail without answering. */
static int peer_failed(struct tls_conn *c, int alert)
{
    c->state = TLS_FAILED;
    c->alert_rcvd = alert;
    c->why = "the peer sent a fatal alert";
    c->orec = NO_REC;
    return alert;
}

const uint8_t *tls_conn_output(struct tls_conn *c, size_t *len)
{
    tls_out_seal(c);
    *len = c->otail - c->ohead;
    return c->obuf + c->ohead;
}

void tls_conn_sent(struct tls_conn *c, size_t n)
{
    c->ohead += n;
    if (c->ohead == c->otail && c->orec == NO_REC)
        c->ohead = c->otail = 0;
}

size_t tls_conn_app_room(struct tls_conn *c)
{
    if (c->state != TLS_CONNECTED || c->sent_close)
        return 0;
    tls_out_seal(c);
    size_t need = c->otail + TLS_REC_OVERHEAD + CONTROL_ROOM;
    if (need >= c->ocap)
        return 0;
    size_t room = c->ocap - need;
    return room < TLS_MAX_PLAIN ? room : TLS_MAX_PLAIN;
}

void tls_conn_write_app(struct tls_conn *c, const void *data, size_t len)
{
    uint8_t *rec = c->obuf + c->otail;
    memcpy(rec + TLS_HDR + tls_dir_prefix(&c->wr), data, len);
    c->otail += tls_dir_seal(&c->wr, TLS_CT_APPDATA, rec, len);
}

void tls_conn_close_notify(struct tls_conn *c)
{
    if (c->sent_close || c->state == TLS_FAILED)
        return;
    c->sent_close = true;
    send_alert(c, 1, TLS_ALERT_CLOSE_NOTIFY);
}

int tls_conn_key_update(struct tls_conn *c, bool request_peer)
{
    struct wr w;
    if (c->state != TLS_CONNECTED || c->version != MIRAGE_TLS_1_3)
        return TLS_ALERT_INTERNAL_ERROR;
    wr_u8(tls_hs_begin(c, TLS_HS_KEY_UPDATE, &w), request_peer ? 1 : 0);
    int err = tls_hs_end(c, &w);
    if (err)
        return err;
    tls_out_seal(c); /* the last record under the old key */
    uint8_t secret[TLS_MAX_HASH];
    memcpy(secret, c->wr.secret, sizeof secret);
    tls13_next_traffic(c->suite->hash, secret);
    tls_dir_set13(&c->wr, c->suite, secret);
    memset(secret, 0, sizeof secret);
    return 0;
}

int tls_handle_key_update(struct tls_conn *c, const uint8_t *body, size_t len)
{
    if (len != 1)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, "malformed KeyUpdate");
    if (body[0] > 1)
        return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                        "bad KeyUpdate request");
    uint8_t secret[TLS_MAX_HASH];
    memcpy(secret, c->rd.secret, sizeof secret);
    tls13_next_traffic(c->suite->hash, secret);
    tls_dir_set13(&c->rd, c->suite, secret);
    memset(secret, 0, sizeof secret);
    c->rd_changed = true;
    c->key_updates++;
    /* update_requested: answer before our next application data. */
    if (body[0] == 1 && !c->sent_close)
        return tls_conn_key_update(c, false);
    return 0;
}

/* ---- Input ------------------------------------------------------------ */

uint8_t *tls_conn_input_space(struct tls_conn *c, size_t *space)
{
    if (c->app_len == 0 && c->ihead > 0) {
        memmove(c->ibuf, c->ibuf + c->ihead, c->itail - c->ihead);
        c->itail -= c->ihead;
        c->ihead = 0;
    }
    *space = c->icap - c->itail;
    return c->ibuf + c->itail;
}

void tls_conn_received(struct tls_conn *c, size_t n)
{
    c->itail += n;
}

int tls_dispatch(struct tls_conn *c, const struct tls_transition *t, size_t n,
                 uint8_t type, const uint8_t *body, size_t len,
                 const uint8_t *raw, size_t rlen)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].state == c->state && t[i].type == type)
            return t[i].handle(c, body, len, raw, rlen);
    return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                    "unexpected handshake message");
}

/* Handshake messages after the handshake. */
static int post_handshake(struct tls_conn *c, uint8_t type, const uint8_t *body,
                          size_t len, const uint8_t *raw, size_t rlen)
{
    if (c->version == MIRAGE_TLS_1_3) {
        if (type == TLS_HS_KEY_UPDATE)
            return tls_handle_key_update(c, body, len);
        if (type == TLS_HS_NEW_SESSION_TICKET && !c->server)
            return tls_client_handle(c, type, body, len, raw, rlen);
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                        "unexpected handshake message after the handshake");
    }
    /* TLS 1.2: renegotiation is refused. */
    if ((type == TLS_HS_HELLO_REQUEST && !c->server && len == 0) ||
        (type == TLS_HS_CLIENT_HELLO && c->server))
        return tls_fail(c, TLS_ALERT_NO_RENEGOTIATION,
                        "renegotiation is not supported");
    return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                    "unexpected handshake message after the handshake");
}

static int handshake_bytes(struct tls_conn *c, const uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t n = c->hcap - c->hlen < len ? c->hcap - c->hlen : len;
        if (n == 0)
            return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                            "handshake message too large");
        memcpy(c->hbuf + c->hlen, p, n);
        c->hlen += n;
        p += n;
        len -= n;
        size_t pos = 0;
        while (c->hlen - pos >= 4) {
            uint8_t *m = c->hbuf + pos;
            size_t mlen = get_u24(m + 1);
            if (mlen > c->hcap - 4)
                return tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                                "handshake message too large");
            if (c->hlen - pos < 4 + mlen)
                break;
            c->rd_changed = false;
            int err =
                c->state == TLS_CONNECTED
                    ? post_handshake(c, m[0], m + 4, mlen, m, 4 + mlen)
                : c->server
                    ? tls_server_handle(c, m[0], m + 4, mlen, m, 4 + mlen)
                    : tls_client_handle(c, m[0], m + 4, mlen, m, 4 + mlen);
            if (err)
                return err;
            pos += 4 + mlen;
            /* RFC 8446 §5.1: no message may span a key change. */
            if (c->rd_changed && (pos < c->hlen || len > 0))
                return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                                "handshake data after a key change");
        }
        memmove(c->hbuf, c->hbuf + pos, c->hlen - pos);
        c->hlen -= pos;
    }
    return 0;
}

static int alert(struct tls_conn *c, const uint8_t *p, size_t len)
{
    if (len != 2)
        return tls_fail(c, TLS_ALERT_DECODE_ERROR, "malformed alert");
    uint8_t level = p[0], desc = p[1];
    if (desc == TLS_ALERT_CLOSE_NOTIFY) {
        c->peer_closed = true;
        c->alert_rcvd = desc;
        if (c->state != TLS_CONNECTED) {
            c->state = TLS_FAILED;
            c->why = "the peer closed during the handshake";
            return TLS_ALERT_CLOSE_NOTIFY;
        }
        return 0;
    }
    if (desc == TLS_ALERT_USER_CANCELED ||
        (level == 1 && c->version != MIRAGE_TLS_1_3 &&
         desc == TLS_ALERT_NO_RENEGOTIATION))
        return 0; /* warnings: a close_notify or nothing follows */
    return peer_failed(c, desc);
}

/* A ChangeCipherSpec record (the whole of it, unprotected). */
static int ccs(struct tls_conn *c, const uint8_t *p, size_t len)
{
    if (len != 1 || p[0] != 1)
        return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                        "malformed ChangeCipherSpec");
    if (c->version == MIRAGE_TLS_1_2 &&
        (c->state == TLS_S12_WAIT_CCS || c->state == TLS_C12_WAIT_CCS)) {
        if (c->hlen)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                            "ChangeCipherSpec inside a handshake message");
        tls12_keys(c, false);
        c->state =
            c->state == TLS_S12_WAIT_CCS ? TLS_S12_WAIT_FIN : TLS_C12_WAIT_FIN;
        return 0;
    }
    /* TLS 1.3 (or the client before it knows): dropped during the
     * handshake (RFC 8446 §5), counted as an empty record. */
    bool hs13 = c->version != MIRAGE_TLS_1_2 && c->state != TLS_CONNECTED &&
                c->state != TLS_S_WAIT_CH && c->state != TLS_C_START;
    if (hs13 && ++c->empty_records <= TLS_MAX_EMPTY)
        return 0;
    return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                    "unexpected ChangeCipherSpec");
}

/* 0-RTT data we refused (RFC 8446 §4.2.10) is skipped, up to a limit:
 * after a HelloRetryRequest every application_data record, after a
 * ServerHello those that the handshake key does not open. */
static bool early_skippable(struct tls_conn *c, uint8_t ctype, size_t blen)
{
    return c->server && c->hs && c->hs->early_offered &&
           ctype == TLS_CT_APPDATA && blen <= c->early_skip;
}

int tls_conn_process(struct tls_conn *c)
{
    while (c->state != TLS_FAILED && c->app_len == 0 && !c->peer_closed) {
        size_t avail = c->itail - c->ihead;
        if (avail < TLS_HDR)
            return 0;
        uint8_t *rec = c->ibuf + c->ihead;
        uint8_t ctype = rec[0];
        size_t blen = get_u16(rec + 3);
        if (ctype < TLS_CT_CCS || ctype > TLS_CT_APPDATA)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                            "not a TLS record");
        if (rec[1] != 3)
            return tls_fail(c, TLS_ALERT_PROTOCOL_VERSION,
                            "bad record version");
        if (blen > TLS_MAX_CIPHER)
            return tls_fail(c, TLS_ALERT_RECORD_OVERFLOW, "record too long");
        if (avail < TLS_HDR + blen)
            return 0;
        c->ihead += TLS_HDR + blen;
        if (ctype == TLS_CT_CCS &&
            (!c->rd.on || c->rd.version == MIRAGE_TLS_1_3)) {
            int err = ccs(c, rec + TLS_HDR, blen);
            if (err)
                return err;
            continue;
        }
        if (c->state == TLS_S_WAIT_CH2 && early_skippable(c, ctype, blen)) {
            c->early_skip -= (uint32_t)blen;
            continue;
        }
        if (!c->rd.on && ctype == TLS_CT_APPDATA)
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                            "application data before the handshake");
        uint8_t type, *plain;
        size_t plen;
        int err = tls_dir_open(&c->rd, rec, blen, &type, &plain, &plen);
        if (err && c->state == TLS_S_WAIT_FIN &&
            early_skippable(c, ctype, blen)) {
            c->early_skip -= (uint32_t)blen;
            continue;
        }
        if (err)
            return tls_fail(c, err,
                            err == TLS_ALERT_BAD_RECORD_MAC
                                ? "a record did not authenticate"
                            : err == TLS_ALERT_RECORD_OVERFLOW
                                ? "record too long"
                                : "bad record");
        if (plen == 0) {
            if (type != TLS_CT_APPDATA)
                return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                                "empty record");
            if (++c->empty_records > TLS_MAX_EMPTY)
                return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                                "too many empty records");
        } else if (type != TLS_CT_CCS) {
            c->empty_records = 0;
        }
        switch (type) {
        case TLS_CT_ALERT:
            err = alert(c, plain, plen);
            break;
        case TLS_CT_HANDSHAKE:
            err = handshake_bytes(c, plain, plen);
            break;
        case TLS_CT_APPDATA:
            if (c->state != TLS_CONNECTED)
                return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                                "application data during the handshake");
            c->app = plain;
            c->app_len = plen;
            break;
        default:
            return tls_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                            "unexpected record type");
        }
        if (err)
            return err;
    }
    return c->state == TLS_FAILED
               ? (c->alert_sent >= 0 ? c->alert_sent : c->alert_rcvd)
               : 0;
}

int tls_conn_eof(struct tls_conn *c)
{
    if (c->peer_closed)
        return 0;
    if (c->state == TLS_FAILED)
        return c->alert_sent >= 0 ? c->alert_sent : c->alert_rcvd;
    /* Ended without close_notify: a truncation. No alert can reach the
     * peer; the state records it. */
    c->why = c->state == TLS_CONNECTED
                 ? "the peer closed without close_notify"
                 : "the connection closed during the handshake";
    c->state = TLS_FAILED;
    c->alert_sent = TLS_ALERT_CLOSE_NOTIFY;
    return TLS_ALERT_CLOSE_NOTIFY;
}

/* ---- Setting up ------------------------------------------------------- */

static void init_common(struct tls_conn *c, struct tls_hs *hs, uint8_t *ibuf,
                        size_t icap, uint8_t *obuf, size_t ocap, uint8_t *hbuf,
                        size_t hcap)
{
    memset(c, 0, sizeof *c);
    memset(hs, 0, sizeof *hs);
    c->hs = hs;
    c->ibuf = ibuf;
    c->icap = icap;
    c->obuf = obuf;
    c->ocap = ocap;
    c->hbuf = hbuf;
    c->hcap = hcap;
    c->orec = NO_REC;
    c->alert_sent = c->alert_rcvd = -1;
    tls_hash_start(&hs->th256, TLS_SHA256);
    tls_hash_start(&hs->th384, TLS_SHA384);
}

void tls_conn_init_server(struct tls_conn *c,
                          struct mirage_tls_server_config *cfg,
                          struct tls_hs *hs, uint8_t *ibuf, size_t icap,
                          uint8_t *obuf, size_t ocap, uint8_t *hbuf,
                          size_t hcap)
{
    init_common(c, hs, ibuf, icap, obuf, ocap, hbuf, hcap);
    c->server = true;
    c->scfg = cfg;
    c->random = cfg->o.random;
    c->state = TLS_S_WAIT_CH;
    c->early_skip = TLS_EARLY_SKIP;
}

int tls_conn_init_client(struct tls_conn *c,
                         struct mirage_tls_client_config *cfg, const char *host,
                         struct tls_hs *hs, uint8_t *ibuf, size_t icap,
                         uint8_t *obuf, size_t ocap, uint8_t *hbuf, size_t hcap)
{
    init_common(c, hs, ibuf, icap, obuf, ocap, hbuf, hcap);
    c->ccfg = cfg;
    c->random = cfg->o.random;
    c->state = TLS_C_START;
    return tls_client_start(c, host);
}

size_t tls_conn_obuf_size(const struct mirage_tls_server_config *cfg)
{
    size_t flight = cfg->max_chain + 8192;
    size_t rec = TLS_MAX_PLAIN + 2048;
    return flight > rec ? flight : rec;
}

void tls_conn_handshake_done(struct tls_conn *c, uint8_t *hbuf, size_t hcap)
{
    if (c->hs) {
        tls_kex_wipe(&c->hs->kex);
        volatile uint8_t *p = (volatile uint8_t *)c->hs;
        for (size_t i = 0; i < sizeof *c->hs; i++)
            p[i] = 0;
        c->hs = NULL;
    }
    if (c->hlen > hcap) {
        tls_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, "handshake message too large");
        c->hlen = 0;
    }
    memcpy(hbuf, c->hbuf, c->hlen);
    c->hbuf = hbuf;
    c->hcap = hcap;
}

void tls_conn_wipe(struct tls_conn *c)
{
    tls_dir_wipe(&c->rd);
    tls_dir_wipe(&c->wr);
    volatile uint8_t *p = c->res_master;
    for (size_t i = 0; i < sizeof c->res_master; i++)
        p[i] = 0;
    p = c->master12;
    for (size_t i = 0; i < sizeof c->master12; i++)
        p[i] = 0;
}
