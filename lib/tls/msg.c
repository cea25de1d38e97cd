/* The Certificate message (RFC 8446 §4.4.2, RFC 5246 §7.4.2) and the
 * content a TLS 1.3 CertificateVerify signs (§4.4.3). */
#include "internal.h"

#include <string.h>

int tls_parse_certificate(const uint8_t *body, size_t len, bool tls13,
                          struct x509_cert *certs, size_t *n, const char **why)
{
    struct rd r, ctx, list, cert, exts;
    rd_init(&r, body, len);
    *n = 0;
    if (tls13 && !rd_vec(&r, 1, 0, 255, &ctx))
        goto malformed;
    if (!rd_vec(&r, 3, 0, 0xffffff, &list) || !rd_done(&r))
        goto malformed;
    while (rd_left(&list)) {
        if (!rd_vec(&list, 3, 1, 0xffffff, &cert))
            goto malformed;
        if (tls13 && !rd_vec(&list, 2, 0, 0xffff, &exts))
            goto malformed;
        if (*n == TLS_MAX_CERTS) {
            *why = "too many certificates";
            return TLS_ALERT_BAD_CERTIFICATE;
        }
        const char *w;
        int err = x509_parse(cert.p, rd_left(&cert), &certs[*n], &w);
        if (err && *n == 0) {
            *why = w;
            return err;
        }
        /* Others that we cannot read cannot be on our path: skipped. */
        if (!err)
            (*n)++;
    }
    return 0;
malformed:
    *why = "malformed Certificate";
    return TLS_ALERT_DECODE_ERROR;
}

void tls_write_certificate(struct wr *w, const struct tls_chain *ch, bool tls13)
{
    if (tls13)
        wr_u8(w, 0); /* certificate_request_context */
    size_t list = wr_open(w, 3);
    for (size_t i = 0; ch && i < ch->n; i++) {
        size_t c = wr_open(w, 3);
        wr_bytes(w, ch->der + ch->off[i], ch->len[i]);
        wr_close(w, c, 3);
        if (tls13)
            wr_u16(w, 0); /* extensions */
    }
    wr_close(w, list, 3);
}

size_t tls13_cv_content(bool server, const uint8_t *hash, size_t hlen,
                        uint8_t *out)
{
    static const char sctx[] = "TLS 1.3, server CertificateVerify";
    static const char cctx[] = "TLS 1.3, client CertificateVerify";
    memset(out, 0x20, 64);
    memcpy(out + 64, server ? sctx : cctx, sizeof sctx); /* with its NUL */
    memcpy(out + 64 + sizeof sctx, hash, hlen);
    return 64 + sizeof sctx + hlen;
}
