/* Parsing X.509 v1..v3 certificates (RFC 5280 §4): the fields and the
 * extensions path validation and TLS use. Unknown critical extensions,
 * signature algorithms other than RSA PKCS#1 v1.5 and ECDSA with SHA-2,
 * and keys other than RSA and ECDSA on P-256/384/521 are refused. */
#include "x509.h"

#include "alert.h"
#include "der.h"
#include "oid.h"

#define BAD(msg)                                                               \
    do {                                                                       \
        *why = msg;                                                            \
        return TLS_ALERT_BAD_CERTIFICATE;                                      \
    } while (0)
#define UNSUPPORTED(msg)                                                       \
    do {                                                                       \
        *why = msg;                                                            \
        return TLS_ALERT_UNSUPPORTED_CERTIFICATE;                              \
    } while (0)

/* A signature AlgorithmIdentifier. */
static int sig_alg(const struct der_elem *alg, struct x509_cert *c,
                   const char **why)
{
    struct rd r = alg->body;
    struct der_elem oid, params;
    if (!der_expect(&r, DER_OID, &oid))
        BAD("malformed signature algorithm");
    if (DER_OID_IS(&oid, OID_SHA256_WITH_RSA) ||
        DER_OID_IS(&oid, OID_SHA384_WITH_RSA) ||
        DER_OID_IS(&oid, OID_SHA512_WITH_RSA)) {
        c->sig_key = TLS_KEY_RSA;
        uint8_t last = oid.body.p[8];
        c->sig_hash = last == 0x0b   ? TLS_SHA256
                      : last == 0x0c ? TLS_SHA384
                                     : TLS_SHA512;
        /* parameters: NULL, or absent */
        if (rd_left(&r) &&
            (!der_expect(&r, DER_NULL, &params) || rd_left(&params.body)))
            BAD("malformed RSA signature parameters");
    } else if (DER_OID_IS(&oid, OID_ECDSA_SHA256) ||
               DER_OID_IS(&oid, OID_ECDSA_SHA384) ||
               DER_OID_IS(&oid, OID_ECDSA_SHA512)) {
        c->sig_key = TLS_KEY_EC;
        uint8_t last = oid.body.p[7];
        c->sig_hash = last == 0x02   ? TLS_SHA256
                      : last == 0x03 ? TLS_SHA384
                                     : TLS_SHA512;
    } else {
        UNSUPPORTED("unsupported signature algorithm (SHA-1, PSS or other)");
    }
    if (!rd_done(&r))
        BAD("malformed signature algorithm");
    return 0;
}

static int spki(const struct der_elem *e, struct x509_cert *c, const char **why)
{
    struct rd r = e->body, ar;
    struct der_elem alg, oid, param, bits;
    const uint8_t *kp;
    size_t klen;
    c->spki = e->raw;
    c->spki_len = e->raw_len;
    if (!der_expect(&r, DER_SEQUENCE, &alg) ||
        !der_expect(&r, DER_BIT_STRING, &bits) || !rd_done(&r) ||
        !der_bits(&bits, &kp, &klen))
        BAD("malformed public key");
    ar = alg.body;
    if (!der_expect(&ar, DER_OID, &oid))
        BAD("malformed public key algorithm");
    if (DER_OID_IS(&oid, OID_RSA_ENCRYPTION)) {
        struct rd kr, seq;
        struct der_elem s, n, ex;
        if (rd_left(&ar) &&
            (!der_expect(&ar, DER_NULL, &param) || rd_left(&param.body)))
            BAD("malformed RSA key parameters");
        rd_init(&kr, kp, klen);
        if (!der_expect(&kr, DER_SEQUENCE, &s) || !rd_done(&kr))
            BAD("malformed RSA key");
        seq = s.body;
        if (!der_expect(&seq, DER_INTEGER, &n) ||
            !der_expect(&seq, DER_INTEGER, &ex) || !rd_done(&seq) ||
            !der_uint(&n, &c->key.n, &c->key.n_len) ||
            !der_uint(&ex, &c->key.e, &c->key.e_len))
            BAD("malformed RSA key");
        c->key.type = TLS_KEY_RSA;
        unsigned bits_n = tls_pubkey_bits(&c->key);
        if (bits_n < 1024 || c->key.n_len > TLS_RSA_MAX_BYTES)
            UNSUPPORTED("RSA key size outside 1024..4096 bits");
    } else if (DER_OID_IS(&oid, OID_EC_PUBLIC_KEY)) {
        if (!der_expect(&ar, DER_OID, &param))
            UNSUPPORTED("EC key without a named curve");
        if (DER_OID_IS(&param, OID_P256))
            c->key.curve = BR_EC_secp256r1;
        else if (DER_OID_IS(&param, OID_P384))
            c->key.curve = BR_EC_secp384r1;
        else if (DER_OID_IS(&param, OID_P521))
            c->key.curve = BR_EC_secp521r1;
        else
            UNSUPPORTED("unsupported EC curve");
        if (klen < 1 || kp[0] != 4)
            UNSUPPORTED("compressed EC point");
        c->key.type = TLS_KEY_EC;
        c->key.q = kp;
        c->key.q_len = klen;
    } else {
        UNSUPPORTED("unsupported public key algorithm");
    }
    if (!rd_done(&ar))
        BAD("malformed public key algorithm");
    return 0;
}

static void find_cn(const struct der_elem *name, struct x509_cert *c)
{
    struct rd r = name->body;
    struct der_elem rdn, atv, type, value;
    while (rd_left(&r) && der_expect(&r, DER_SET, &rdn)) {
        struct rd s = rdn.body;
        while (rd_left(&s) && der_expect(&s, DER_SEQUENCE, &atv)) {
            struct rd a = atv.body;
            if (der_expect(&a, DER_OID, &type) && der_next(&a, &value) &&
                DER_OID_IS(&type, OID_COMMON_NAME) && !c->cn) {
                c->cn = value.body.p;
                c->cn_len = rd_left(&value.body);
            }
        }
    }
}

/* A BIT STRING that may have unused bits, as keyUsage is. */
static bool key_usage(const struct der_elem *e, uint16_t *ku)
{
    size_t n = rd_left(&e->body);
    const uint8_t *p = e->body.p;
    if (e->tag != DER_BIT_STRING || n < 1 || p[0] > 7 || (n == 1 && p[0]))
        return false;
    *ku = (uint16_t)((n > 1 ? p[1] << 8 : 0) | (n > 2 ? p[2] : 0));
    return true;
}

enum ext_seen {
    SEEN_BC = 1,
    SEEN_KU = 2,
    SEEN_EKU = 4,
    SEEN_SAN = 8,
    SEEN_NC = 16,
};

static int extension(const struct der_elem *ext, struct x509_cert *c,
                     unsigned *seen, const char **why)
{
    struct rd r = ext->body, v;
    struct der_elem oid, crit, val, inner;
    bool critical = false;
    if (!der_expect(&r, DER_OID, &oid))
        BAD("malformed extension");
    if (der_peek(&r) == DER_BOOLEAN) {
        if (!der_next(&r, &crit) || rd_left(&crit.body) != 1)
            BAD("malformed extension");
        critical = crit.body.p[0] != 0;
    }
    if (!der_expect(&r, DER_OCTET_STRING, &val) || !rd_done(&r))
        BAD("malformed extension");
    v = val.body;
    unsigned bit = 0;
    if (DER_OID_IS(&oid, OID_BASIC_CONSTR)) {
        bit = SEEN_BC;
        struct rd s;
        struct der_elem b, pl;
        if (!der_expect(&v, DER_SEQUENCE, &inner) || !rd_done(&v))
            BAD("malformed basicConstraints");
        s = inner.body;
        if (der_peek(&s) == DER_BOOLEAN) {
            if (!der_next(&s, &b) || rd_left(&b.body) != 1)
                BAD("malformed basicConstraints");
            c->ca = b.body.p[0] != 0;
        }
        if (der_peek(&s) == DER_INTEGER) {
            uint32_t x;
            if (!der_next(&s, &pl) || !der_small_uint(&pl, &x) || x > 255)
                BAD("malformed pathLenConstraint");
            c->path_len = (int)x;
        }
        if (!rd_done(&s))
            BAD("malformed basicConstraints");
    } else if (DER_OID_IS(&oid, OID_KEY_USAGE)) {
        bit = SEEN_KU;
        if (!der_next(&v, &inner) || !rd_done(&v) || !key_usage(&inner, &c->ku))
            BAD("malformed keyUsage");
        c->has_ku = true;
    } else if (DER_OID_IS(&oid, OID_EXT_KEY_USAGE)) {
        bit = SEEN_EKU;
        struct der_elem p;
        if (!der_expect(&v, DER_SEQUENCE, &inner) || !rd_done(&v))
            BAD("malformed extKeyUsage");
        c->has_eku = true;
        struct rd s = inner.body;
        while (rd_left(&s)) {
            if (!der_expect(&s, DER_OID, &p))
                BAD("malformed extKeyUsage");
            if (DER_OID_IS(&p, OID_SERVER_AUTH) || DER_OID_IS(&p, OID_ANY_EKU))
                c->eku_server = true;
        }
    } else if (DER_OID_IS(&oid, OID_SUBJECT_ALT)) {
        bit = SEEN_SAN;
        struct der_elem gn;
        if (!der_expect(&v, DER_SEQUENCE, &inner) || !rd_done(&v))
            BAD("malformed subjectAltName");
        struct rd s = inner.body;
        while (rd_left(&s))
            if (!der_next(&s, &gn))
                BAD("malformed subjectAltName");
        c->san = inner.body.p;
        c->san_len = rd_left(&inner.body);
    } else if (DER_OID_IS(&oid, OID_NAME_CONSTR)) {
        bit = SEEN_NC;
        struct der_elem sub;
        if (!der_expect(&v, DER_SEQUENCE, &inner) || !rd_done(&v))
            BAD("malformed nameConstraints");
        struct rd s = inner.body;
        c->has_nc = true;
        if (der_peek(&s) == DER_CTXC(0)) {
            if (!der_next(&s, &sub))
                BAD("malformed nameConstraints");
            c->permitted = sub.body.p;
            c->permitted_len = rd_left(&sub.body);
        }
        if (der_peek(&s) == DER_CTXC(1)) {
            if (!der_next(&s, &sub))
                BAD("malformed nameConstraints");
            c->excluded = sub.body.p;
            c->excluded_len = rd_left(&sub.body);
        }
        if (!rd_done(&s))
            BAD("malformed nameConstraints");
    } else if (critical && !DER_OID_IS(&oid, OID_CERT_POLICIES) &&
               !DER_OID_IS(&oid, OID_POLICY_CONSTR) &&
               !DER_OID_IS(&oid, OID_INHIBIT_ANY) &&
               !DER_OID_IS(&oid, OID_SUBJECT_KEY_ID) &&
               !DER_OID_IS(&oid, OID_AUTH_KEY_ID)) {
        /* Policies are understood and not restricted (any policy is
         * acceptable); other critical extensions are not: path
         * validation refuses the certificate. */
        c->unknown_critical = true;
    }
    if (bit) {
        if (*seen & bit)
            BAD("repeated extension");
        *seen |= bit;
    }
    return 0;
}

int x509_parse(const uint8_t *der, size_t len, struct x509_cert *c,
               const char **why)
{
    struct rd r, cr, t;
    struct der_elem cert, tbs, alg, sigv, e, tbs_alg;
    int err;
    memset(c, 0, sizeof *c);
    c->path_len = -1;
    c->der = der;
    c->der_len = len;
    rd_init(&r, der, len);
    if (!der_expect(&r, DER_SEQUENCE, &cert) || !rd_done(&r))
        BAD("malformed certificate");
    cr = cert.body;
    if (!der_expect(&cr, DER_SEQUENCE, &tbs) ||
        !der_expect(&cr, DER_SEQUENCE, &alg) ||
        !der_expect(&cr, DER_BIT_STRING, &sigv) || !rd_done(&cr) ||
        !der_bits(&sigv, &c->sig, &c->sig_len))
        BAD("malformed certificate");
    c->tbs = tbs.raw;
    c->tbs_len = tbs.raw_len;
    if ((err = sig_alg(&alg, c, why)))
        return err;

    t = tbs.body;
    uint32_t version = 0;
    if (der_peek(&t) == DER_CTXC(0)) {
        struct der_elem v, vi;
        struct rd vr;
        if (!der_next(&t, &v))
            BAD("malformed version");
        vr = v.body;
        if (!der_expect(&vr, DER_INTEGER, &vi) || !rd_done(&vr) ||
            !der_small_uint(&vi, &version) || version > 2)
            BAD("malformed version");
    }
    if (!der_expect(&t, DER_INTEGER, &e) || /* serialNumber */
        !der_expect(&t, DER_SEQUENCE, &tbs_alg))
        BAD("malformed certificate");
    if (tbs_alg.raw_len != alg.raw_len ||
        memcmp(tbs_alg.raw, alg.raw, alg.raw_len) != 0)
        BAD("signature algorithms disagree");
    if (!der_expect(&t, DER_SEQUENCE, &e))
        BAD("malformed issuer");
    c->issuer = e.raw;
    c->issuer_len = e.raw_len;
    struct der_elem validity, nb, na;
    if (!der_expect(&t, DER_SEQUENCE, &validity))
        BAD("malformed validity");
    struct rd vr = validity.body;
    if (!der_next(&vr, &nb) || !der_next(&vr, &na) || !rd_done(&vr) ||
        !der_time(&nb, &c->not_before) || !der_time(&na, &c->not_after))
        BAD("malformed validity");
    if (!der_expect(&t, DER_SEQUENCE, &e))
        BAD("malformed subject");
    c->subject = e.raw;
    c->subject_len = e.raw_len;
    find_cn(&e, c);
    if (!der_expect(&t, DER_SEQUENCE, &e))
        BAD("malformed public key");
    if ((err = spki(&e, c, why)))
        return err;
    /* issuerUniqueID [1], subjectUniqueID [2]: skipped. */
    if ((der_peek(&t) == DER_CTX(1) || der_peek(&t) == DER_CTXC(1)) &&
        !der_next(&t, &e))
        BAD("malformed issuerUniqueID");
    if ((der_peek(&t) == DER_CTX(2) || der_peek(&t) == DER_CTXC(2)) &&
        !der_next(&t, &e))
        BAD("malformed subjectUniqueID");
    if (der_peek(&t) == DER_CTXC(3)) {
        struct der_elem exts, ext;
        struct rd er;
        unsigned seen = 0;
        if (version != 2 || !der_next(&t, &e))
            BAD("malformed extensions");
        er = e.body;
        if (!der_expect(&er, DER_SEQUENCE, &exts) || !rd_done(&er) ||
            !rd_left(&exts.body))
            BAD("malformed extensions");
        er = exts.body;
        while (rd_left(&er)) {
            if (!der_expect(&er, DER_SEQUENCE, &ext))
                BAD("malformed extension");
            if ((err = extension(&ext, c, &seen, why)))
                return err;
        }
    }
    if (!rd_done(&t))
        BAD("trailing data in certificate");
    return 0;
}
