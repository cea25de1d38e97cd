/* Private keys (pem.h): PKCS#1 RSAPrivateKey (RFC 8017 §A.1.2), SEC 1
 * ECPrivateKey (RFC 5915) and PKCS#8 PrivateKeyInfo (RFC 5208) around
 * either, into BearSSL's key structures. */
#include "der.h"
#include "oid.h"
#include "pem.h"

#include <mirage/error.h>
#include <string.h>

static int curve_oid(const struct der_elem *e)
{
    if (DER_OID_IS(e, OID_P256))
        return BR_EC_secp256r1;
    if (DER_OID_IS(e, OID_P384))
        return BR_EC_secp384r1;
    if (DER_OID_IS(e, OID_P521))
        return BR_EC_secp521r1;
    return 0;
}

/* Copy an INTEGER's magnitude into k->buf at *off. */
static bool take(struct rd *r, struct tls_privkey *k, size_t *off,
                 unsigned char **p, size_t *len, size_t max)
{
    struct der_elem e;
    const uint8_t *v;
    size_t n;
    if (!der_expect(r, DER_INTEGER, &e) || !der_uint(&e, &v, &n) || n > max ||
        *off + n > sizeof k->buf)
        return false;
    memcpy(k->buf + *off, v, n);
    *p = k->buf + *off;
    *len = n;
    *off += n;
    return true;
}

static int rsa_key(struct rd r, struct tls_privkey *k)
{
    struct der_elem e, n, ex;
    uint32_t version;
    const uint8_t *nv, *ev;
    size_t nlen, elen, off = 0;
    if (!der_expect(&r, DER_INTEGER, &e) || !der_small_uint(&e, &version) ||
        version != 0 || !der_expect(&r, DER_INTEGER, &n) ||
        !der_uint(&n, &nv, &nlen) || !der_expect(&r, DER_INTEGER, &ex) ||
        !der_uint(&ex, &ev, &elen) || !der_expect(&r, DER_INTEGER, &e))
        return MIRAGE_EBADF; /* ^ d, not used: BearSSL works with CRT */
    if (nlen > TLS_RSA_MAX_BYTES || elen > 8)
        return MIRAGE_ENOTSUP;
    br_rsa_private_key *sk = &k->rsa;
    size_t half = TLS_RSA_MAX_BYTES / 2 + 1;
    if (!take(&r, k, &off, &sk->p, &sk->plen, half) ||
        !take(&r, k, &off, &sk->q, &sk->qlen, half) ||
        !take(&r, k, &off, &sk->dp, &sk->dplen, half) ||
        !take(&r, k, &off, &sk->dq, &sk->dqlen, half) ||
        !take(&r, k, &off, &sk->iq, &sk->iqlen, half) || !rd_done(&r))
        return MIRAGE_EBADF;
    struct tls_pubkey pub = {.type = TLS_KEY_RSA, .n = nv, .n_len = nlen};
    sk->n_bitlen = tls_pubkey_bits(&pub);
    if (sk->n_bitlen < 1024)
        return MIRAGE_ENOTSUP;
    memcpy(k->pub, nv, nlen);
    memcpy(k->pub + nlen, ev, elen);
    k->n_len = nlen;
    k->e_len = elen;
    k->type = TLS_KEY_RSA;
    return 0;
}

/* ECPrivateKey; curve 0: it must name its curve itself. */
static int ec_key(struct rd r, int curve, struct tls_privkey *k)
{
    struct der_elem e, x, param;
    uint32_t version;
    if (!der_expect(&r, DER_INTEGER, &e) || !der_small_uint(&e, &version) ||
        version != 1 || !der_expect(&r, DER_OCTET_STRING, &x))
        return MIRAGE_EBADF;
    if (der_peek(&r) == DER_CTXC(0)) {
        struct rd pr;
        if (!der_next(&r, &e))
            return MIRAGE_EBADF;
        pr = e.body;
        if (!der_expect(&pr, DER_OID, &param))
            return MIRAGE_EBADF;
        int named = curve_oid(&param);
        if (!named)
            return MIRAGE_ENOTSUP;
        if (curve && curve != named)
            return MIRAGE_EBADF;
        curve = named;
    }
    if (der_peek(&r) == DER_CTXC(1) && !der_next(&r, &e))
        return MIRAGE_EBADF; /* publicKey: recomputed below */
    if (!rd_done(&r))
        return MIRAGE_EBADF;
    if (!curve)
        return MIRAGE_ENOTSUP;
    size_t xlen = rd_left(&x.body);
    if (xlen == 0 || xlen > 66)
        return MIRAGE_EBADF;
    memcpy(k->buf, x.body.p, xlen);
    k->ec.curve = curve;
    k->ec.x = k->buf;
    k->ec.xlen = xlen;
    k->q_len = br_ec_compute_pub(br_ec_get_default(), NULL, k->pub, &k->ec);
    if (!k->q_len)
        return MIRAGE_EBADF;
    k->type = TLS_KEY_EC;
    return 0;
}

static int pkcs8(struct rd r, struct tls_privkey *k)
{
    struct der_elem e, alg, oid, param, inner, seq;
    uint32_t version;
    struct rd ar, ir;
    if (!der_expect(&r, DER_INTEGER, &e) || !der_small_uint(&e, &version) ||
        version > 1 || !der_expect(&r, DER_SEQUENCE, &alg) ||
        !der_expect(&r, DER_OCTET_STRING, &inner))
        return MIRAGE_EBADF;
    /* Attributes and a v2 public key may follow: ignored. */
    ar = alg.body;
    if (!der_expect(&ar, DER_OID, &oid))
        return MIRAGE_EBADF;
    ir = inner.body;
    if (!der_expect(&ir, DER_SEQUENCE, &seq) || !rd_done(&ir))
        return MIRAGE_EBADF;
    if (DER_OID_IS(&oid, OID_RSA_ENCRYPTION))
        return rsa_key(seq.body, k);
    if (DER_OID_IS(&oid, OID_EC_PUBLIC_KEY)) {
        if (!der_expect(&ar, DER_OID, &param))
            return MIRAGE_EBADF;
        int curve = curve_oid(&param);
        return curve ? ec_key(seq.body, curve, k) : MIRAGE_ENOTSUP;
    }
    return MIRAGE_ENOTSUP;
}

int tls_key_parse(const char *label, const uint8_t *der, size_t len,
                  struct tls_privkey *k)
{
    struct rd r;
    struct der_elem seq;
    memset(k, 0, sizeof *k);
    rd_init(&r, der, len);
    if (!der_expect(&r, DER_SEQUENCE, &seq) || !rd_done(&r))
        return MIRAGE_EBADF;
    int err;
    if (strcmp(label, "RSA PRIVATE KEY") == 0)
        err = rsa_key(seq.body, k);
    else if (strcmp(label, "EC PRIVATE KEY") == 0)
        err = ec_key(seq.body, 0, k);
    else if (strcmp(label, "PRIVATE KEY") == 0)
        err = pkcs8(seq.body, k);
    else
        err = MIRAGE_ENOTSUP;
    if (err)
        memset(k, 0, sizeof *k);
    return err;
}

void tls_key_public(const struct tls_privkey *k, struct tls_pubkey *pub)
{
    memset(pub, 0, sizeof *pub);
    pub->type = k->type;
    if (k->type == TLS_KEY_RSA) {
        pub->n = k->pub;
        pub->n_len = k->n_len;
        pub->e = k->pub + k->n_len;
        pub->e_len = k->e_len;
    } else {
        pub->curve = k->ec.curve;
        pub->q = k->pub;
        pub->q_len = k->q_len;
    }
}
