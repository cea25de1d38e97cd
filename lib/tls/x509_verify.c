/* Certification path validation for TLS servers (RFC 5280 §6, reduced to
 * what TLS needs): build a path from the leaf through the certificates
 * the peer sent to a trust anchor, checking each signature with the
 * issuer's key, every certificate's validity dates, CA basic constraints
 * and path lengths, keyCertSign, name constraints, the leaf's key usage
 * and extended key usage, the host name, and SPKI pins. */
#include "x509.h"

#include "alert.h"

#define FAIL(alert, msg)                                                       \
    do {                                                                       \
        *why = msg;                                                            \
        return alert;                                                          \
    } while (0)

static bool same_name(const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* Whether issuer's key made c's signature. */
static bool signed_by(const struct x509_cert *c, const struct x509_cert *issuer)
{
    uint8_t digest[TLS_MAX_HASH];
    if (issuer->key.type != c->sig_key)
        return false;
    tls_hash(c->sig_hash, c->tbs, c->tbs_len, digest);
    return tls_verify_hashed(&issuer->key, c->sig_hash, digest, c->sig,
                             c->sig_len);
}

static bool in_date(const struct x509_cert *c, int64_t now)
{
    return now >= c->not_before && now <= c->not_after;
}

static bool pinned(const struct x509_cert *c, const struct x509_policy *p)
{
    uint8_t h[32];
    tls_hash(TLS_SHA256, c->spki, c->spki_len, h);
    for (size_t i = 0; i < p->n_pins; i++)
        if (tls_ct_equal(h, p->pins[i], 32))
            return true;
    return false;
}

int x509_verify_server(const struct x509_cert *chain, size_t n,
                       const struct x509_policy *p, const char **why)
{
    const struct x509_cert *leaf = &chain[0];
    if (n == 0)
        FAIL(TLS_ALERT_BAD_CERTIFICATE, "no certificate");
    if (!in_date(leaf, p->now))
        FAIL(TLS_ALERT_CERTIFICATE_EXPIRED, p->now < leaf->not_before
                                                ? "certificate not yet valid"
                                                : "certificate expired");
    if (leaf->unknown_critical)
        FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE, "unknown critical extension");
    if (leaf->has_ku && !(leaf->ku & X509_KU_DIGITAL_SIGNATURE))
        FAIL(TLS_ALERT_BAD_CERTIFICATE, "key usage excludes signatures");
    if (leaf->has_eku && !leaf->eku_server)
        FAIL(TLS_ALERT_BAD_CERTIFICATE,
             "extended key usage excludes server authentication");
    if (p->host && !x509_host_matches(leaf, p->host))
        FAIL(TLS_ALERT_BAD_CERTIFICATE, "host name does not match");
    if (p->n_anchors == 0) {
        if (p->n_pins && pinned(leaf, p))
            return 0;
        FAIL(TLS_ALERT_BAD_CERTIFICATE, "server key is not pinned");
    }

    /* Build the path: path[0] is the leaf, path[depth] the last
     * certificate, `anchor` the trust anchor that signed it. */
    const struct x509_cert *path[X509_MAX_DEPTH + 1];
    const struct x509_cert *anchor = NULL;
    bool used[X509_MAX_DEPTH * 4] = {false};
    size_t depth = 0;
    bool bad_sig = false;
    path[0] = leaf;
    for (;;) {
        const struct x509_cert *cur = path[depth];
        for (size_t a = 0; a < p->n_anchors && !anchor; a++) {
            const struct x509_cert *an = &p->anchors[a];
            if (cur->der_len == an->der_len &&
                memcmp(cur->der, an->der, an->der_len) == 0) {
                /* The certificate is itself trusted. */
                anchor = an;
                depth--;
            } else if (same_name(an->subject, an->subject_len, cur->issuer,
                                 cur->issuer_len)) {
                if (signed_by(cur, an))
                    anchor = an;
                else
                    bad_sig = true;
            }
        }
        if (anchor)
            break;
        if (depth == X509_MAX_DEPTH)
            FAIL(TLS_ALERT_BAD_CERTIFICATE, "certificate chain too long");
        const struct x509_cert *next = NULL;
        for (size_t i = 1; i < n && i < sizeof used && !next; i++) {
            const struct x509_cert *c = &chain[i];
            if (used[i] || !same_name(c->subject, c->subject_len, cur->issuer,
                                      cur->issuer_len))
                continue;
            if (signed_by(cur, c)) {
                next = c;
                used[i] = true;
            } else {
                bad_sig = true;
            }
        }
        if (!next)
            FAIL(bad_sig ? TLS_ALERT_BAD_CERTIFICATE : TLS_ALERT_UNKNOWN_CA,
                 bad_sig ? "certificate signature does not verify"
                         : "no path to a trust anchor");
        path[++depth] = next;
    }
    /* depth is now the index of the last certificate below the anchor
     * (SIZE_MAX when the leaf itself is an anchor: nothing to check). */
    size_t len = depth + 1;
    if (!in_date(anchor, p->now))
        FAIL(TLS_ALERT_CERTIFICATE_EXPIRED, "trust anchor expired");
    if (anchor->has_ku && len > 0 && !(anchor->ku & X509_KU_KEY_CERT_SIGN))
        FAIL(TLS_ALERT_BAD_CERTIFICATE,
             "trust anchor may not sign certificates");
    if (anchor->path_len >= 0 && len > 0 && (size_t)anchor->path_len < len - 1)
        FAIL(TLS_ALERT_BAD_CERTIFICATE, "path length constraint exceeded");
    if (anchor->unknown_critical)
        FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE, "unknown critical extension");
    for (size_t i = 1; i < len; i++) {
        const struct x509_cert *ca = path[i];
        if (ca->unknown_critical)
            FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE,
                 "unknown critical extension");
        if (!in_date(ca, p->now))
            FAIL(TLS_ALERT_CERTIFICATE_EXPIRED,
                 "intermediate certificate expired");
        if (!ca->ca)
            FAIL(TLS_ALERT_BAD_CERTIFICATE, "issuer is not a CA");
        if (ca->has_ku && !(ca->ku & X509_KU_KEY_CERT_SIGN))
            FAIL(TLS_ALERT_BAD_CERTIFICATE, "issuer may not sign certificates");
        if (ca->path_len >= 0 && (size_t)ca->path_len < i - 1)
            FAIL(TLS_ALERT_BAD_CERTIFICATE, "path length constraint exceeded");
        for (size_t j = 0; j < i; j++)
            if (!x509_names_permitted(ca, path[j]))
                FAIL(TLS_ALERT_BAD_CERTIFICATE,
                     "name outside the issuer's name constraints");
    }
    for (size_t j = 0; j < len; j++)
        if (!x509_names_permitted(anchor, path[j]))
            FAIL(TLS_ALERT_BAD_CERTIFICATE,
                 "name outside the trust anchor's name constraints");
    if (p->n_pins) {
        bool ok = pinned(anchor, p);
        for (size_t j = 0; j < len && !ok; j++)
            ok = pinned(path[j], p);
        if (!ok)
            FAIL(TLS_ALERT_BAD_CERTIFICATE, "no pinned key in the chain");
    }
    return 0;
}
