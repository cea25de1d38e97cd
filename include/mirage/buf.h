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
 * keeps and must not free the buffer, unless it asks to keep the buffer
 * itself (mirage_buf_keep) and the lender grants it. Nothing here
 * yields. */
#ifndef MIRAGE_BUF_H
#define MIRAGE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Headroom that fits any stack of headers the network stack prepends:
 * Ethernet (14) + IPv4 with options (60) + TCP with options (60), with
 * space to spare for IPv6 later. */
#define MIRAGE_BUF_HEADROOM 192

/* Offload marks (struct mirage_buf's offl), for devices that checksum
 * and segment for us (net.h's MIRAGE_NET_OFFLOAD_*).
 * Received: MIRAGE_BUF_CSUM_OK: the device vouches for the TCP or UDP
 * checksum (the host verified it, or the packet never left the host and
 * the field holds only the pseudo-header sum): do not verify it.
 * Sent: MIRAGE_BUF_CSUM_PARTIAL: the transport checksum is left to the
 * device: it sums from csum_start (an offset from base, so that it stays
 * true as headers are pushed in front) to the end and adds the sum into
 * the 16-bit field at csum_start + csum_offset, which holds the
 * pseudo-header sum (not complemented). A buffer with gso_size > 0 (and
 * CSUM_PARTIAL, its TCP header at csum_start) is a TCP super-segment the
 * device cuts into segments of gso_size payload bytes each. */
#define MIRAGE_BUF_CSUM_OK      1u
#define MIRAGE_BUF_CSUM_PARTIAL 2u

/* A lender's side of mirage_buf_keep, which it points a lent buffer's
 * `lend` at for the duration of the input call: `spare` says whether it
 * can give the buffer up; the call sets `asked` when a callback asked to
 * keep it, and `kept` when that was granted (the lender must then not
 * touch the buffer again). */
struct mirage_buf_lend {
    bool spare, asked, kept;
};

struct mirage_buf {
    uint8_t *data;           /* first byte of the data */
    size_t len;              /* bytes of data */
    uint8_t *base;           /* first byte of the storage */
    size_t cap;              /* bytes of storage */
    struct mirage_buf *next; /* free for the current owner's queues */
    uint8_t offl;            /* MIRAGE_BUF_CSUM_*, 0 when new */
    uint16_t gso_size;       /* see above; 0 when new */
    uint32_t csum_start;     /* from base */
    uint16_t csum_offset;
    struct mirage_buf_lend *lend; /* while lent by a lender that may give
                                     it up; NULL otherwise */
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
/* Inside an input callback that was lent b: keep b instead of copying
 * from it. true when the lender granted it: the caller owns b from then
 * on (its data window as the callback left it) and frees it with
 * mirage_buf_free; false when the lender cannot spare it now (copy what
 * you need, as usual). Lenders that can (the netif device) grant it
 * while they have a spare buffer to read into next, and make one after
 * a refusal, so a caller that asks again soon is granted. */
bool mirage_buf_keep(struct mirage_buf *b);
/* Inside an input callback that was lent b, for an answer built from b's
 * data (an echo reply): b itself when it has `headroom` bytes in front
 * and its lender grants keeping it, with its offload marks cleared;
 * otherwise a new buffer (MIRAGE_BUF_HEADROOM) holding a copy of its
 * data. The caller owns the result; NULL when memory is exhausted. */
struct mirage_buf *mirage_buf_reuse(struct mirage_buf *b, size_t headroom);
/* Mark b's transport checksum as left to the device (CSUM_PARTIAL): the
 * transport header starts at data, its checksum field is at field_off
 * in it, and the field is set to the pseudo-header sum psum. */
void mirage_buf_csum_partial(struct mirage_buf *b, size_t field_off,
                             uint32_t psum);
/* Finish a CSUM_PARTIAL checksum in software (for a path that cannot
 * leave it to the device, such as fragmentation); no-op otherwise. */
void mirage_buf_csum_finish(struct mirage_buf *b);

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
