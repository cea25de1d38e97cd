/* Parsing ClientHello and ServerHello (RFC 8446 §4.1.2-4.1.4, RFC 5246
 * §7.4.1) with their extensions, strictly: every vector within its
 * bounds and consumed to the end, no extension twice, pre_shared_key
 * last. What the extensions mean is decided by the state machines. */
#include "internal.h"

#include <string.h>

#define DECODE(msg)                                                            \
    do {                                                                       \
        *why = msg;                                                            \
        return TLS_ALERT_DECODE_ERROR;                                         \
    } while (0)
#define ILLEGAL(msg)                                                           \
    do {                                                                       \
        *why = msg;                                                            \
        return TLS_ALERT_ILLEGAL_PARAMETER;                                    \
    } while (0)

/* Remember extension types seen; true when this one is new. */
struct seen {
    uint16_t types[64];
    size_t n;
};
static bool first_time(struct seen *s, uint16_t type)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->types[i] == type)
            return false;
    if (s->n < sizeof s->types / sizeof *s->types)
        s->types[s->n++] = type;
    return true;
}

/* A vector of 16-bit values (suites, groups, schemes): even length. */
static bool u16_list(struct rd *r, size_t prefix, size_t min, struct rd *out)
{
    return rd_vec(r, prefix, min, 0xffff, out) && rd_left(out) % 2 == 0;
}

/* An extension with an empty body (a flag). */
static int empty(struct rd *e, const char *name, bool *flag, const char **why)
{
    if (rd_left(e)) {
        *why = name;
        return TLS_ALERT_DECODE_ERROR;
    }
    *flag = true;
    return 0;
}

/* renegotiation_info (RFC 5746 §3.2): empty in an initial handshake. */
static int reneg_info(struct rd *e, bool *flag, const char **why)
{
    struct rd x;
    if (!rd_vec(e, 1, 0, 255, &x) || !rd_done(e))
        DECODE("malformed renegotiation_info");
    if (rd_left(&x)) {
        *why = "renegotiation_info not empty in an initial handshake";
        return TLS_ALERT_HANDSHAKE_FAILURE;
    }
    *flag = true;
    return 0;
}

static int server_name(struct rd *e, struct tls_client_hello *ch,
                       const char **why)
{
    struct rd list, name;
    uint8_t type;
    if (!rd_vec(e, 2, 1, 0xffff, &list) || !rd_done(e))
        DECODE("malformed server_name");
    while (rd_left(&list)) {
        if (!rd_u8(&list, &type) || !rd_vec(&list, 2, 1, 0xffff, &name))
            DECODE("malformed server_name");
        if (type != 0)
            continue;
        if (ch->sni)
            ILLEGAL("two host names in server_name");
        size_t n = rd_left(&name);
        if (n > TLS_MAX_HOST || memchr(name.p, 0, n))
            ILLEGAL("bad host name in server_name");
        ch->sni = name.p;
        ch->sni_len = n;
    }
    return 0;
}

static int alpn_list(struct rd *e, struct rd *out, const char **why)
{
    struct rd name;
    if (!rd_vec(e, 2, 2, 0xffff, out) || !rd_done(e))
        DECODE("malformed ALPN");
    struct rd l = *out;
    while (rd_left(&l))
        if (!rd_vec(&l, 1, 1, 255, &name))
            DECODE("malformed ALPN");
    return 0;
}

static int psk(struct rd *e, struct tls_client_hello *ch, const char **why)
{
    struct rd ids, binders, x;
    uint32_t age;
    if (!rd_vec(e, 2, 7, 0xffff, &ids))
        DECODE("malformed pre_shared_key");
    ch->binders_len = rd_left(e);
    if (!rd_vec(e, 2, 33, 0xffff, &binders) || !rd_done(e))
        DECODE("malformed pre_shared_key");
    ch->psk_identities = ids;
    ch->psk_binders = binders;
    size_t n_ids = 0, n_binders = 0;
    while (rd_left(&ids)) {
        if (!rd_vec(&ids, 2, 1, 0xffff, &x) || !rd_uint(&ids, 4, &age))
            DECODE("malformed PSK identity");
        n_ids++;
    }
    while (rd_left(&binders)) {
        if (!rd_vec(&binders, 1, 32, 255, &x))
            DECODE("malformed PSK binder");
        n_binders++;
    }
    if (n_ids != n_binders)
        ILLEGAL("PSK identities and binders differ in number");
    return 0;
}

static int key_shares(struct rd *e, struct tls_client_hello *ch,
                      const char **why)
{
    struct rd shares, x;
    uint16_t group;
    if (!rd_vec(e, 2, 0, 0xffff, &shares) || !rd_done(e))
        DECODE("malformed key_share");
    ch->key_shares = shares;
    struct seen groups = {.n = 0};
    while (rd_left(&shares)) {
        if (!rd_u16(&shares, &group) || !rd_vec(&shares, 2, 1, 0xffff, &x))
            DECODE("malformed key_share");
        if (!first_time(&groups, group))
            ILLEGAL("two key shares for one group");
    }
    return 0;
}

static int client_ext(uint16_t type, struct rd e, struct tls_client_hello *ch,
                      const char **why)
{
    switch (type) {
    case TLS_EXT_SERVER_NAME:
        return server_name(&e, ch, why);
    case TLS_EXT_SUPPORTED_GROUPS:
        if (!u16_list(&e, 2, 2, &ch->groups) || !rd_done(&e))
            DECODE("malformed supported_groups");
        ch->has_groups = true;
        return 0;
    case TLS_EXT_EC_POINT_FORMATS:
        if (!rd_vec(&e, 1, 1, 255, &ch->point_formats) || !rd_done(&e))
            DECODE("malformed ec_point_formats");
        ch->has_point_formats = true;
        return 0;
    case TLS_EXT_SIGNATURE_ALGORITHMS:
        if (!u16_list(&e, 2, 2, &ch->sigs) || !rd_done(&e))
            DECODE("malformed signature_algorithms");
        ch->has_sigs = true;
        return 0;
    case TLS_EXT_ALPN:
        ch->has_alpn = true;
        return alpn_list(&e, &ch->alpn, why);
    case TLS_EXT_EXTENDED_MASTER_SECRET:
        return empty(&e, "malformed extended_master_secret", &ch->ems, why);
    case TLS_EXT_SESSION_TICKET:
        ch->session_ticket = true;
        ch->ticket = e.p;
        ch->ticket_len = rd_left(&e);
        return 0;
    case TLS_EXT_PRE_SHARED_KEY:
        ch->has_psk = true;
        return psk(&e, ch, why);
    case TLS_EXT_EARLY_DATA:
        return empty(&e, "malformed early_data", &ch->early_data, why);
    case TLS_EXT_SUPPORTED_VERSIONS:
        if (!rd_vec(&e, 1, 2, 254, &ch->versions) || !rd_done(&e) ||
            rd_left(&ch->versions) % 2)
            DECODE("malformed supported_versions");
        ch->has_versions = true;
        return 0;
    case TLS_EXT_COOKIE:
        if (!rd_vec(&e, 2, 1, 0xffff, &ch->cookie) || !rd_done(&e))
            DECODE("malformed cookie");
        ch->has_cookie = true;
        return 0;
    case TLS_EXT_PSK_KEY_EXCHANGE_MODES:
        if (!rd_vec(&e, 1, 1, 255, &ch->psk_modes) || !rd_done(&e))
            DECODE("malformed psk_key_exchange_modes");
        ch->has_psk_modes = true;
        return 0;
    case TLS_EXT_KEY_SHARE:
        ch->has_key_shares = true;
        return key_shares(&e, ch, why);
    case TLS_EXT_RENEGOTIATION_INFO:
        return reneg_info(&e, &ch->reneg_info, why);
    default:
        return 0; /* unknown: ignored (RFC 8446 §4.2) */
    }
}

int tls_parse_client_hello(const uint8_t *body, size_t len,
                           struct tls_client_hello *ch, const char **why)
{
    struct rd r, sid, comp, exts, e;
    uint16_t type;
    memset(ch, 0, sizeof *ch);
    rd_init(&r, body, len);
    if (!rd_u16(&r, &ch->legacy_version) || !rd_bytes(&r, 32, &ch->random) ||
        !rd_vec(&r, 1, 0, 32, &sid) || !u16_list(&r, 2, 2, &ch->suites) ||
        !rd_vec(&r, 1, 1, 255, &comp))
        DECODE("malformed ClientHello");
    ch->session_id = sid.p;
    ch->session_id_len = (uint8_t)rd_left(&sid);
    if (!memchr(comp.p, 0, rd_left(&comp)))
        ILLEGAL("ClientHello without null compression");
    ch->null_compression_only = rd_left(&comp) == 1;
    struct rd suites = ch->suites;
    uint16_t s;
    while (rd_u16(&suites, &s)) {
        if (s == TLS_SCSV_FALLBACK)
            ch->scsv_fallback = true;
        if (s == TLS_SCSV_EMPTY_RENEGOTIATION)
            ch->scsv_reneg = true;
    }
    if (!rd_left(&r))
        return 0; /* no extensions (TLS 1.2 and older) */
    if (!rd_vec(&r, 2, 0, 0xffff, &exts) || !rd_done(&r))
        DECODE("malformed ClientHello extensions");
    struct seen seen = {.n = 0};
    while (rd_left(&exts)) {
        if (!rd_u16(&exts, &type) || !rd_vec(&exts, 2, 0, 0xffff, &e))
            DECODE("malformed extension");
        if (!first_time(&seen, type))
            ILLEGAL("an extension appears twice");
        if (ch->has_psk)
            ILLEGAL("pre_shared_key is not the last extension");
        int err = client_ext(type, e, ch, why);
        if (err)
            return err;
    }
    return 0;
}

/* Bits of tls_server_hello.exts. */
enum {
    SH_VERSIONS = 1,
    SH_KEY_SHARE = 2,
    SH_PSK = 4,
    SH_COOKIE = 8,
    SH_OTHER12 = 16, /* extensions only TLS 1.2 servers send */
};

int tls_parse_server_hello(const uint8_t *body, size_t len,
                           struct tls_server_hello *sh, const char **why)
{
    struct rd r, sid, exts, e, x;
    uint8_t comp;
    uint16_t type;
    memset(sh, 0, sizeof *sh);
    rd_init(&r, body, len);
    if (!rd_u16(&r, &sh->legacy_version) || !rd_bytes(&r, 32, &sh->random) ||
        !rd_vec(&r, 1, 0, 32, &sid) || !rd_u16(&r, &sh->suite) ||
        !rd_u8(&r, &comp))
        DECODE("malformed ServerHello");
    sh->session_id = sid.p;
    sh->session_id_len = (uint8_t)rd_left(&sid);
    sh->hrr = memcmp(sh->random, tls_hrr_random, 32) == 0;
    if (comp != 0)
        ILLEGAL("ServerHello with compression");
    if (!rd_left(&r))
        return 0;
    if (!rd_vec(&r, 2, 0, 0xffff, &exts) || !rd_done(&r))
        DECODE("malformed ServerHello extensions");
    struct seen seen = {.n = 0};
    while (rd_left(&exts)) {
        if (!rd_u16(&exts, &type) || !rd_vec(&exts, 2, 0, 0xffff, &e))
            DECODE("malformed extension");
        if (!first_time(&seen, type))
            ILLEGAL("an extension appears twice");
        int err = 0;
        switch (type) {
        case TLS_EXT_SUPPORTED_VERSIONS:
            if (!rd_u16(&e, &sh->version) || !rd_done(&e))
                DECODE("malformed supported_versions");
            sh->exts |= SH_VERSIONS;
            break;
        case TLS_EXT_KEY_SHARE:
            if (!rd_u16(&e, &sh->group))
                DECODE("malformed key_share");
            if (!sh->hrr) {
                if (!rd_vec(&e, 2, 1, 0xffff, &x))
                    DECODE("malformed key_share");
                sh->share = x.p;
                sh->share_len = rd_left(&x);
            }
            if (!rd_done(&e))
                DECODE("malformed key_share");
            sh->exts |= SH_KEY_SHARE;
            break;
        case TLS_EXT_PRE_SHARED_KEY:
            if (!rd_u16(&e, &sh->psk_identity) || !rd_done(&e))
                DECODE("malformed pre_shared_key");
            sh->has_psk = true;
            sh->exts |= SH_PSK;
            break;
        case TLS_EXT_COOKIE:
            if (!rd_vec(&e, 2, 1, 0xffff, &x) || !rd_done(&e))
                DECODE("malformed cookie");
            sh->cookie = x.p;
            sh->cookie_len = rd_left(&x);
            sh->exts |= SH_COOKIE;
            break;
        case TLS_EXT_EXTENDED_MASTER_SECRET:
            err = empty(&e, "malformed extended_master_secret", &sh->ems, why);
            sh->exts |= SH_OTHER12;
            break;
        case TLS_EXT_RENEGOTIATION_INFO:
            err = reneg_info(&e, &sh->reneg_info, why);
            sh->exts |= SH_OTHER12;
            break;
        case TLS_EXT_SESSION_TICKET:
            err =
                empty(&e, "malformed session_ticket", &sh->session_ticket, why);
            sh->exts |= SH_OTHER12;
            break;
        case TLS_EXT_EC_POINT_FORMATS:
            if (!rd_vec(&e, 1, 1, 255, &x) || !rd_done(&e))
                DECODE("malformed ec_point_formats");
            if (!memchr(x.p, 0, rd_left(&x)))
                ILLEGAL("no uncompressed point format");
            sh->point_formats = true;
            sh->exts |= SH_OTHER12;
            break;
        case TLS_EXT_ALPN: {
            struct rd list, name;
            if (!rd_vec(&e, 2, 2, 0xffff, &list) || !rd_done(&e) ||
                !rd_vec(&list, 1, 1, 255, &name) || !rd_done(&list))
                DECODE("malformed ALPN");
            sh->alpn = true;
            sh->alpn_name = name.p;
            sh->alpn_len = rd_left(&name);
            sh->exts |= SH_OTHER12;
            break;
        }
        case TLS_EXT_SERVER_NAME:
            if (rd_left(&e))
                DECODE("malformed server_name");
            sh->exts |= SH_OTHER12;
            break;
        default:
            *why = "the server sent an extension we did not offer";
            return TLS_ALERT_UNSUPPORTED_EXTENSION;
        }
        if (err)
            return err;
    }
    /* A TLS 1.3 ServerHello or HelloRetryRequest carries only these. */
    if (sh->version == MIRAGE_TLS_1_3 && (sh->exts & SH_OTHER12)) {
        *why = "a TLS 1.3 ServerHello with a TLS 1.2 extension";
        return TLS_ALERT_UNSUPPORTED_EXTENSION;
    }
    return 0;
}

bool tls_alpn_select(struct rd list, char names[][TLS_MAX_ALPN_LEN + 1],
                     size_t n, char *out)
{
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        struct rd l = list, name;
        size_t nl = strlen(names[i]);
        while (rd_left(&l)) {
            if (!rd_vec(&l, 1, 1, 255, &name))
                return false;
            if (rd_left(&name) == nl && memcmp(name.p, names[i], nl) == 0) {
                memcpy(out, names[i], nl + 1);
                return true;
            }
        }
    }
    return true;
}

void tls_write_alpn_list(struct wr *w, char names[][TLS_MAX_ALPN_LEN + 1],
                         size_t n)
{
    size_t m = wr_open(w, 2);
    for (size_t i = 0; i < n; i++) {
        size_t l = wr_open(w, 1);
        wr_bytes(w, names[i], strlen(names[i]));
        wr_close(w, l, 1);
    }
    wr_close(w, m, 2);
}
