/* Reading and writing the TLS presentation language (RFC 8446 §3):
 * big-endian integers and vectors with 1-, 2- or 3-byte length prefixes,
 * over caller-provided buffers.
 *
 * A reader walks a byte range; every get fails (returns false and leaves
 * the reader in the failed state) when the range is too short, so a
 * parser checks once at the end with rd_ok(). A writer appends into a
 * fixed buffer; overflowing it sets the failed state and writes nothing
 * more. Vectors are written by opening a length prefix (wr_open) and
 * closing it (wr_close) once the contents are in. Nothing here
 * allocates or yields. */
#ifndef MIRAGE_TLS_CODEC_H
#define MIRAGE_TLS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
    const uint8_t *p, *end;
    bool bad;
};

static inline void rd_init(struct rd *r, const void *p, size_t len)
{
    static const uint8_t nothing[1];
    r->p = p ? p : nothing; /* an absent field reads as empty */
    r->end = r->p + len;
    r->bad = false;
}
static inline size_t rd_left(const struct rd *r)
{
    return r->bad ? 0 : (size_t)(r->end - r->p);
}
/* True when nothing failed; rd_done also wants everything consumed. */
static inline bool rd_ok(const struct rd *r)
{
    return !r->bad;
}
static inline bool rd_done(const struct rd *r)
{
    return !r->bad && r->p == r->end;
}
static inline bool rd_fail(struct rd *r)
{
    r->bad = true;
    r->p = r->end;
    return false;
}
/* Take n bytes: *out points into the reader's range. */
static inline bool rd_bytes(struct rd *r, size_t n, const uint8_t **out)
{
    if (r->bad || (size_t)(r->end - r->p) < n)
        return rd_fail(r);
    *out = r->p;
    r->p += n;
    return true;
}
static inline bool rd_copy(struct rd *r, void *dst, size_t n)
{
    const uint8_t *p;
    if (!rd_bytes(r, n, &p))
        return false;
    memcpy(dst, p, n);
    return true;
}
/* An unsigned big-endian integer of n (1..4) bytes. */
static inline bool rd_uint(struct rd *r, size_t n, uint32_t *v)
{
    const uint8_t *p;
    if (!rd_bytes(r, n, &p))
        return false;
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x << 8 | p[i];
    *v = x;
    return true;
}
static inline bool rd_u8(struct rd *r, uint8_t *v)
{
    uint32_t x;
    if (!rd_uint(r, 1, &x))
        return false;
    *v = (uint8_t)x;
    return true;
}
static inline bool rd_u16(struct rd *r, uint16_t *v)
{
    uint32_t x;
    if (!rd_uint(r, 2, &x))
        return false;
    *v = (uint16_t)x;
    return true;
}
/* A vector with an n-byte length prefix: sub reads its contents, which
 * must hold between min and max bytes. */
static inline bool rd_vec(struct rd *r, size_t n, size_t min, size_t max,
                          struct rd *sub)
{
    uint32_t len;
    const uint8_t *p;
    if (!rd_uint(r, n, &len) || len < min || len > max || !rd_bytes(r, len, &p))
        return rd_fail(r);
    rd_init(sub, p, len);
    return true;
}

struct wr {
    uint8_t *buf;
    size_t len, cap;
    bool bad;
};

static inline void wr_init(struct wr *w, void *buf, size_t cap)
{
    w->buf = buf;
    w->len = 0;
    w->cap = cap;
    w->bad = false;
}
static inline bool wr_ok(const struct wr *w)
{
    return !w->bad;
}
/* Reserve n bytes at the end: a pointer to them, or NULL (failed). */
static inline uint8_t *wr_space(struct wr *w, size_t n)
{
    if (w->bad || w->cap - w->len < n) {
        w->bad = true;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}
static inline void wr_bytes(struct wr *w, const void *p, size_t n)
{
    uint8_t *d = wr_space(w, n);
    if (d && n)
        memcpy(d, p, n);
}
static inline void wr_uint(struct wr *w, size_t n, uint32_t v)
{
    uint8_t *d = wr_space(w, n);
    if (!d)
        return;
    for (size_t i = n; i-- > 0; v >>= 8)
        d[i] = (uint8_t)v;
}
static inline void wr_u8(struct wr *w, uint8_t v)
{
    wr_uint(w, 1, v);
}
static inline void wr_u16(struct wr *w, uint16_t v)
{
    wr_uint(w, 2, v);
}
/* Open a vector with an n-byte length prefix; returns the mark to give
 * wr_close once its contents are written. */
static inline size_t wr_open(struct wr *w, size_t n)
{
    wr_uint(w, n, 0);
    return w->len;
}
static inline void wr_close(struct wr *w, size_t mark, size_t n)
{
    if (w->bad)
        return;
    size_t len = w->len - mark;
    if (n < 4 && len >> (8 * n)) {
        w->bad = true;
        return;
    }
    for (size_t i = n; i-- > 0; len >>= 8)
        w->buf[mark - n + i] = (uint8_t)len;
}

static inline uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t get_u24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}
static inline void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void put_u24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}
static inline void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

#endif
