/* PEM decoding (pem.h): blocks and base64 (RFC 4648 §4), strictly:
 * padding only at the end, no characters outside the alphabet but
 * whitespace. */
#include "pem.h"

#include <mirage/error.h>
#include <string.h>

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Decode base64 text[len] into out[cap]; -1 when malformed, -2 when out
 * is too small, else the length. */
static long b64_decode(const char *text, size_t len, uint8_t *out, size_t cap)
{
    uint32_t acc = 0;
    size_t n = 0, bits = 0, pad = 0, chars = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (is_space(c))
            continue;
        chars++;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pad)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap)
                return -2;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* Whole quanta, at most two '=', and no leftover set bits. */
    if (chars % 4 || pad > 2 || (acc & ((1u << bits) - 1)) ||
        (pad && pad != (4 - (chars - pad) % 4) % 4))
        return -1;
    return (long)n;
}

static const char *find(const char *s, size_t len, const char *what)
{
    size_t w = strlen(what);
    for (size_t i = 0; i + w <= len; i++)
        if (memcmp(s + i, what, w) == 0)
            return s + i;
    return NULL;
}

int pem_next(const char *text, size_t len, size_t *pos, uint8_t *buf,
             size_t cap, struct pem_block *blk)
{
    const char *p = text + *pos, *end = text + len;
    const char *begin = find(p, (size_t)(end - p), "-----BEGIN ");
    if (!begin) {
        *pos = len;
        return 0;
    }
    const char *lab = begin + 11;
    const char *dash = find(lab, (size_t)(end - lab), "-----");
    if (!dash || (size_t)(dash - lab) >= PEM_LABEL_MAX ||
        memchr(lab, '\n', (size_t)(dash - lab)))
        return MIRAGE_EBADF;
    size_t llen = (size_t)(dash - lab);
    memcpy(blk->label, lab, llen);
    blk->label[llen] = 0;
    const char *body = dash + 5;
    char endline[PEM_LABEL_MAX + 16];
    memcpy(endline, "-----END ", 9);
    memcpy(endline + 9, lab, llen);
    memcpy(endline + 9 + llen, "-----", 6);
    const char *stop = find(body, (size_t)(end - body), endline);
    if (!stop)
        return MIRAGE_EBADF;
    /* Encapsulated headers (Proc-Type, DEK-Info): an encrypted key. */
    if (memchr(body, ':', (size_t)(stop - body)))
        return MIRAGE_EBADF;
    long n = b64_decode(body, (size_t)(stop - body), buf, cap);
    if (n == -2)
        return MIRAGE_ENOSPC;
    if (n <= 0)
        return MIRAGE_EBADF;
    blk->der = buf;
    blk->der_len = (size_t)n;
    *pos = (size_t)(stop - text) + strlen(endline);
    return 1;
}
