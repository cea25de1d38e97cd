/* Byte rings for the send and receive queues. */
#include "ring.h"

#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

int tcp_ring_alloc(struct tcp_ring *r, size_t cap)
{
    size_t size = cap < TCP_RING_FIRST ? cap : TCP_RING_FIRST;
    r->buf = malloc(size);
    if (!r->buf)
        return MIRAGE_ENOMEM;
    r->cap = cap;
    r->size = size;
    r->head = 0;
    r->len = 0;
    return 0;
}

/* Make the storage hold at least need bytes from the head: a larger
 * block (doubling, at most cap) with the bytes in order from index 0. */
static bool grow(struct tcp_ring *r, size_t need)
{
    if (need <= r->size)
        return true;
    size_t size = r->size;
    while (size < need)
        size = size > r->cap / 2 ? r->cap : 2 * size;
    uint8_t *buf = malloc(size);
    if (!buf)
        return false;
    size_t first = r->size - r->head;
    memcpy(buf, r->buf + r->head, first);
    memcpy(buf + first, r->buf, r->head);
    free(r->buf);
    r->buf = buf;
    r->size = size;
    r->head = 0;
    return true;
}

void tcp_ring_free(struct tcp_ring *r)
{
    free(r->buf);
    r->buf = NULL;
    r->size = 0;
    r->head = 0;
    r->len = 0;
}

bool tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n)
{
    if (!grow(r, off + n))
        return false;
    size_t at = (r->head + off) % r->size;
    size_t first = n < r->size - at ? n : r->size - at;
    memcpy(r->buf + at, src, first);
    memcpy(r->buf, (const uint8_t *)src + first, n - first);
    return true;
}

size_t tcp_ring_append(struct tcp_ring *r, const void *src, size_t n)
{
    if (n > tcp_ring_space(r))
        n = tcp_ring_space(r);
    if (n && !grow(r, r->len + n))
        n = r->size - r->len; /* what fits without growing */
    if (n) {
        tcp_ring_put(r, r->len, src, n);
        r->len += n;
    }
    return n;
}

void tcp_ring_get(const struct tcp_ring *r, size_t off, void *dst, size_t n)
{
    size_t at = (r->head + off) % r->size;
    size_t first = n < r->size - at ? n : r->size - at;
    memcpy(dst, r->buf + at, first);
    memcpy((uint8_t *)dst + first, r->buf, n - first);
}

void tcp_ring_drop(struct tcp_ring *r, size_t n)
{
    /* The head moves even when the ring empties: bytes placed beyond the
     * length (out-of-order data) keep their positions. */
    r->len -= n;
    r->head = (r->head + n) % r->size;
}
