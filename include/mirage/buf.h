/* Packet buffers: one allocation holding a small header and the bytes of
 * one frame, with room in front (headroom) so that each layer prepends
 * its header without copying the payload, and room behind (tailroom) for
 * appending. The data is the window [data, data + len) of the storage.
 *
 * Ownership: a buffer has exactly one owner. Every call that sends a
 * buffer (mirage_net_write, mirage_eth_write, mirage_arp_output,
 * mirage_ip_write ...) takes it over, on success and on error alike, and
 * frees it when done; the caller must not touch it afterwards. Received
 * buffers are lent to input callbacks for the duration of the call only:
 * a callback may read and move the window (pull), but must copy what it
 * keeps and must not free the buffer. Nothing here yields. */
#ifndef MIRAGE_BUF_H
#define MIRAGE_BUF_H

#include <stddef.h>
#include <stdint.h>

/* Headroom that fits any stack of headers the network stack prepends:
 * Ethernet (14) + IPv4 with options (60) + TCP with options (60), with
 * space to spare for IPv6 later. */
#define MIRAGE_BUF_HEADROOM 192

struct mirage_buf {
    uint8_t *data;           /* first byte of the data */
    size_t len;              /* bytes of data */
    uint8_t *base;           /* first byte of the storage */
    size_t cap;              /* bytes of storage */
    struct mirage_buf *next; /* free for the current owner's queues */
};

/* A buffer of len data bytes (contents undefined) after `headroom` bytes
 * of headroom, with no tailroom. NULL when memory is exhausted or the
 * sizes overflow. mirage_buf_alloc uses MIRAGE_BUF_HEADROOM. */
struct mirage_buf *mirage_buf_alloc_room(size_t headroom, size_t len);
struct mirage_buf *mirage_buf_alloc(size_t len);
/* A new buffer with MIRAGE_BUF_HEADROOM holding a copy of len bytes. */
struct mirage_buf *mirage_buf_copy(const void *src, size_t len);
/* Free b (NULL is allowed). */
void mirage_buf_free(struct mirage_buf *b);

static inline size_t mirage_buf_headroom(const struct mirage_buf *b)
{
    return (size_t)(b->data - b->base);
}
static inline size_t mirage_buf_tailroom(const struct mirage_buf *b)
{
    return b->cap - mirage_buf_headroom(b) - b->len;
}
/* Grow the data by n bytes at the front and return the new start; NULL
 * (nothing changed) when the headroom is smaller than n. */
static inline uint8_t *mirage_buf_push(struct mirage_buf *b, size_t n)
{
    if (mirage_buf_headroom(b) < n)
        return NULL;
    b->data -= n;
    b->len += n;
    return b->data;
}
/* Drop n bytes from the front and return the new start; NULL (nothing
 * changed) when the data is shorter than n. */
static inline uint8_t *mirage_buf_pull(struct mirage_buf *b, size_t n)
{
    if (b->len < n)
        return NULL;
    b->data += n;
    b->len -= n;
    return b->data;
}
/* Grow the data by n bytes at the end and return where they start; NULL
 * (nothing changed) when the tailroom is smaller than n. */
static inline uint8_t *mirage_buf_put(struct mirage_buf *b, size_t n)
{
    if (mirage_buf_tailroom(b) < n)
        return NULL;
    uint8_t *p = b->data + b->len;
    b->len += n;
    return p;
}
/* Cut the data to its first len bytes (no-op when it is not longer). */
static inline void mirage_buf_trim(struct mirage_buf *b, size_t len)
{
    if (b->len > len)
        b->len = len;
}

/* Big-endian (network order) field access on unaligned bytes. */
static inline uint16_t mirage_get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t mirage_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}
static inline void mirage_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void mirage_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
