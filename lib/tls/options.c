/* Server and client configurations (tls.h): options, certificate chains
 * and keys from PEM, trust anchors and pins, ALPN lists. */
#include "internal.h"
#include "pem.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

int tls_alpn_parse(const char *list, char names[][TLS_MAX_ALPN_LEN + 1],
                   size_t *n)
{
    *n = 0;
    if (!list)
        return 0;
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0 || len > TLS_MAX_ALPN_LEN || *n == TLS_MAX_ALPN)
            return MIRAGE_EINVAL;
        memcpy(names[*n], p, len);
        names[(*n)++][len] = 0;
        if (!end)
            return 0;
        p = end + 1;
    }
}

/* The options both sides have: the version range (0: the defaults) and
 * the ALPN list. 0 or MIRAGE_EINVAL. */
static int common_options(uint16_t *lo, uint16_t *hi, const char *alpn,
                          char names[][TLS_MAX_ALPN_LEN + 1], size_t *n)
{
    if (!*lo)
        *lo = MIRAGE_TLS_1_2;
    if (!*hi)
        *hi = MIRAGE_TLS_1_3;
    if (*lo < MIRAGE_TLS_1_2 || *hi > MIRAGE_TLS_1_3 || *lo > *hi)
        return MIRAGE_EINVAL;
    return tls_alpn_parse(alpn, names, n);
}

/* Decode every CERTIFICATE block of pem into one buffer: *der (malloc'd)
 * with the offsets and lengths of n certificates (at most max). */
static int decode_certs(const void *pem, size_t len, uint8_t **der, size_t *off,
                        size_t *lens, size_t max, size_t *n)
{
    uint8_t *buf = malloc(len / 4 * 3 + 4);
    size_t pos = 0, used = 0;
    struct pem_block b;
    int r;
    *n = 0;
    if (!buf)
        return MIRAGE_ENOMEM;
    while ((r = pem_next(pem, len, &pos, buf + used, len / 4 * 3 + 4 - used,
                         &b)) == 1) {
        if (strcmp(b.label, "CERTIFICATE") != 0)
            continue;
        if (*n == max) {
            free(buf);
            return MIRAGE_ENOSPC;
        }
        off[*n] = used;
        lens[(*n)++] = b.der_len;
        used += b.der_len;
    }
    if (r < 0 || *n == 0) {
        free(buf);
        return r < 0 ? r : MIRAGE_EBADF;
    }
    *der = buf;
    return 0;
}

static int decode_key(const void *pem, size_t len, struct tls_privkey *k)
{
    uint8_t *buf = malloc(len / 4 * 3 + 4);
    size_t pos = 0;
    struct pem_block b;
    int r;
    if (!buf)
        return MIRAGE_ENOMEM;
    while ((r = pem_next(pem, len, &pos, buf, len / 4 * 3 + 4, &b)) == 1)
        if (strstr(b.label, "PRIVATE KEY"))
            break;
    if (r == 1)
        r = tls_key_parse(b.label, b.der, b.der_len, k);
    else if (r == 0)
        r = MIRAGE_EBADF;
    memset(buf, 0, len / 4 * 3 + 4);
    free(buf);
    return r;
}

static bool key_matches(const struct tls_privkey *k, const struct tls_pubkey *p)
{
    struct tls_pubkey mine;
    tls_key_public(k, &mine);
    if (mine.type != p->type)
        return false;
    if (p->type == TLS_KEY_EC)
        return mine.curve == p->curve && mine.q_len == p->q_len &&
               memcmp(mine.q, p->q, p->q_len) == 0;
    return mine.n_len == p->n_len && memcmp(mine.n, p->n, p->n_len) == 0 &&
           mine.e_len == p->e_len && memcmp(mine.e, p->e, p->e_len) == 0;
}

/* ---- Servers ---------------------------------------------------------- */

int mirage_tls_server_config_create(const struct mirage_tls_server_options *o,
                                    struct mirage_tls_server_config **out)
{
    if (!o || !o->random)
        return MIRAGE_EINVAL;
    struct mirage_tls_server_config *c = calloc(1, sizeof *c);
    if (!c)
        return MIRAGE_ENOMEM;
    c->o = *o;
    c->o.alpn = NULL;
    if (!c->o.ticket_lifetime_s)
        c->o.ticket_lifetime_s = 7200;
    if (c->o.ticket_lifetime_s > 604800)
        c->o.ticket_lifetime_s = 604800;
    if (!c->o.ticket_rotation_ns)
        c->o.ticket_rotation_ns = MIRAGE_SEC(3600);
    if (common_options(&c->o.min_version, &c->o.max_version, o->alpn, c->alpn,
                       &c->n_alpn)) {
        free(c);
        return MIRAGE_EINVAL;
    }
    *out = c;
    return 0;
}

int mirage_tls_server_config_add(struct mirage_tls_server_config *c,
                                 const void *chain_pem, size_t chain_len,
                                 const void *key_pem, size_t key_len)
{
    const char *why;
    if (c->n_chains == TLS_MAX_CHAINS)
        return MIRAGE_ENOSPC;
    struct tls_chain *ch = calloc(1, sizeof *ch);
    if (!ch)
        return MIRAGE_ENOMEM;
    int err = decode_certs(chain_pem, chain_len, &ch->der, ch->off, ch->len,
                           TLS_MAX_CERTS, &ch->n);
    if (!err && x509_parse(ch->der, ch->len[0], &ch->leaf, &why)) {
        mirage_log_src_warn(&tls_log_src, "server certificate: %s", why);
        err = MIRAGE_EBADF;
    }
    if (!err)
        err = decode_key(key_pem, key_len, &ch->key);
    if (!err && !key_matches(&ch->key, &ch->leaf.key)) {
        mirage_log_src_warn(&tls_log_src,
                            "the private key does not match the certificate");
        err = MIRAGE_EBADF;
    }
    if (err) {
        free(ch->der);
        memset(ch, 0, sizeof *ch);
        free(ch);
        return err;
    }
    size_t total = 0;
    for (size_t i = 0; i < ch->n; i++)
        total += ch->len[i] + 5;
    if (total > c->max_chain)
        c->max_chain = total;
    c->chains[c->n_chains++] = ch;
    return 0;
}

void mirage_tls_server_config_free(struct mirage_tls_server_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_chains; i++) {
        free(c->chains[i]->der);
        memset(c->chains[i], 0, sizeof *c->chains[i]);
        free(c->chains[i]);
    }
    memset(c, 0, sizeof *c);
    free(c);
}

/* ---- Clients ---------------------------------------------------------- */

int mirage_tls_client_config_create(const struct mirage_tls_client_options *o,
                                    struct mirage_tls_client_config **out)
{
    if (!o || !o->random || (!o->pclock && !o->insecure_no_verification))
        return MIRAGE_EINVAL;
    struct mirage_tls_client_config *c = calloc(1, sizeof *c);
    if (!c)
        return MIRAGE_ENOMEM;
    c->o = *o;
    c->o.alpn = NULL;
    if (common_options(&c->o.min_version, &c->o.max_version, o->alpn, c->alpn,
                       &c->n_alpn)) {
        free(c);
        return MIRAGE_EINVAL;
    }
    *out = c;
    return 0;
}

int mirage_tls_client_config_add_anchors(struct mirage_tls_client_config *c,
                                         const void *pem, size_t len)
{
    size_t pos = 0, added = 0;
    struct pem_block b;
    int r;
    uint8_t *buf = malloc(len / 4 * 3 + 4);
    if (!buf)
        return MIRAGE_ENOMEM;
    while ((r = pem_next(pem, len, &pos, buf, len / 4 * 3 + 4, &b)) == 1) {
        struct x509_cert cert;
        const char *why;
        if (strcmp(b.label, "CERTIFICATE") != 0)
            continue;
        uint8_t *der = malloc(b.der_len);
        struct x509_cert *a =
            realloc(c->anchors, (c->n_anchors + 1) * sizeof *a);
        uint8_t **d = realloc(c->anchor_der, (c->n_anchors + 1) * sizeof *d);
        if (a)
            c->anchors = a;
        if (d)
            c->anchor_der = d;
        if (!der || !a || !d) {
            free(der);
            r = MIRAGE_ENOMEM;
            break;
        }
        memcpy(der, b.der, b.der_len);
        if (x509_parse(der, b.der_len, &cert, &why)) {
            /* A bundle may hold anchors we cannot use: skip them. */
            mirage_log_src_debug(&tls_log_src, "trust anchor skipped: %s", why);
            free(der);
            continue;
        }
        c->anchor_der[c->n_anchors] = der;
        c->anchors[c->n_anchors++] = cert;
        added++;
    }
    free(buf);
    if (r < 0)
        return r;
    return added ? 0 : MIRAGE_EBADF;
}

int mirage_tls_client_config_add_pin(struct mirage_tls_client_config *c,
                                     const uint8_t spki_sha256[32])
{
    if (c->n_pins == TLS_MAX_PINS)
        return MIRAGE_ENOSPC;
    memcpy(c->pins[c->n_pins++], spki_sha256, 32);
    return 0;
}

void mirage_tls_client_config_free(struct mirage_tls_client_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_anchors; i++)
        free(c->anchor_der[i]);
    free(c->anchor_der);
    free(c->anchors);
    memset(c, 0, sizeof *c);
    free(c);
}
