/* X.509 certificates (RFC 5280) as TLS needs them: parsing, path
 * validation to trust anchors with validity dates, basic constraints, key
 * usage and name constraints; host name checks (RFC 6125) and SPKI
 * pinning. Signatures are checked with BearSSL (crypto.h). A parsed
 * certificate points into its DER bytes, which must outlive it. Nothing
 * allocates or yields.
 *
 * Results are 0 or the TLS alert (alert.h) a failure calls for, with a
 * static reason string in *why. */
#ifndef MIRAGE_TLS_X509_H
#define MIRAGE_TLS_X509_H

#include "crypto.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* keyUsage bits (RFC 5280 §4.2.1.3), as the bit string's first bytes,
 * most significant first. */
enum {
    X509_KU_DIGITAL_SIGNATURE = 0x8000,
    X509_KU_KEY_ENCIPHERMENT = 0x2000,
    X509_KU_KEY_AGREEMENT = 0x0800,
    X509_KU_KEY_CERT_SIGN = 0x0400,
};

struct x509_cert {
    const uint8_t *der, *tbs;
    size_t der_len, tbs_len;
    /* Names as their whole DER encodings, compared byte for byte. */
    const uint8_t *issuer, *subject;
    size_t issuer_len, subject_len;
    int64_t not_before, not_after; /* seconds since the epoch */
    const uint8_t *spki;           /* SubjectPublicKeyInfo, whole */
    size_t spki_len;
    struct tls_pubkey key;
    /* The issuer's signature: its algorithm and value. */
    enum tls_key_type sig_key;
    enum tls_hash sig_hash;
    const uint8_t *sig;
    size_t sig_len;
    /* Extensions. */
    bool ca;            /* basicConstraints cA */
    int path_len;       /* pathLenConstraint, -1 when absent */
    bool has_ku;        /* keyUsage present */
    uint16_t ku;        /* its bits */
    bool has_eku;       /* extKeyUsage present */
    bool eku_server;    /* serverAuth or anyExtendedKeyUsage */
    const uint8_t *san; /* subjectAltName GeneralNames contents */
    size_t san_len;
    bool has_nc;                         /* nameConstraints present */
    const uint8_t *permitted, *excluded; /* GeneralSubtrees contents */
    size_t permitted_len, excluded_len;
    bool unknown_critical; /* a critical extension we do not know */
    const uint8_t *cn;     /* the subject's first commonName, for messages */
    size_t cn_len;
};

/* Parse a certificate. One with an unknown critical extension parses
 * (a server may hold one) but fails validation. */
int x509_parse(const uint8_t *der, size_t len, struct x509_cert *c,
               const char **why);

/* What a chain must satisfy. anchors[n_anchors] are trusted (their
 * issuers are not looked at); pins[n_pins] are SHA-256 hashes of
 * SubjectPublicKeyInfo, one of which must appear in the validated path
 * when n_pins > 0. With no anchors but pins, the leaf's key must be
 * pinned and nothing else is checked but its dates. host NULL: no name
 * check. */
struct x509_policy {
    const struct x509_cert *anchors;
    size_t n_anchors;
    const uint8_t (*pins)[32];
    size_t n_pins;
    int64_t now;
    const char *host;
};
#define X509_MAX_DEPTH 8 /* intermediate certificates on a path */

/* Validate chain[0..n) (the leaf first, then certificates that may help
 * to reach an anchor, in any order) for a TLS server. */
int x509_verify_server(const struct x509_cert *chain, size_t n,
                       const struct x509_policy *p, const char **why);

/* Whether the certificate's subjectAltName covers host (a DNS name, or
 * an IPv4 or IPv6 literal), with RFC 6125's rules: DNS names compare
 * without case, a wildcard only as the whole left-most label of a name
 * with at least two more labels, and matching one label. The subject's
 * common name is not used. */
bool x509_host_matches(const struct x509_cert *c, const char *host);
/* Whether every name of c's subjectAltName lies within the name
 * constraints of ca (dNSName and iPAddress subtrees). */
bool x509_names_permitted(const struct x509_cert *ca,
                          const struct x509_cert *c);
/* Parse an IPv4 or IPv6 literal (IPv6 perhaps in brackets) into out[16]:
 * its length (4 or 16), or 0 when s is not an IP literal. */
size_t x509_parse_ip(const char *s, uint8_t *out);
/* Whether a DNS name matches a presented identifier (the wildcard rules
 * of x509_host_matches). Exposed for tests. */
bool x509_dns_match(const char *pattern, size_t plen, const char *host);

#endif
