/* Byte rings for the send and receive queues. */
#include "ring.h"

#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

int tcp_ring_alloc(struct tcp_ring *r, size_t cap)
{
    r->buf = malloc(cap);
    if (!r->buf)
        return MIRAGE_ENOMEM;
    r->cap = cap;
    r->head = 0;
    r->len = 0;
    return 0;
}

void tcp_ring_free(struct tcp_ring *r)
{
    free(r->buf);
    r->buf = NULL;
    r->head = 0;
    r->len = 0;
}

void tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n)
{
    size_t at = (r->head + off) % r->cap;
    size_t first = n < r->cap - at ? n : r->cap - at;
    memcpy(r->buf + at, src, first);
    memcpy(r->buf, (const uint8_t *)src + first, n - first);
}

size_t tcp_ring_append(struct tcp_ring *r, const void *src, size_t n)
{
    if (n > tcp_ring_space(r))
        n = tcp_ring_space(r);
    if (n) {
        tcp_ring_put(r, r->len, src, n);
        r->len += n;
    }
    return n;
}

void tcp_ring_get(const struct tcp_ring *r, size_t off, void *dst, size_t n)
{
    size_t at = (r->head + off) % r->cap;
    size_t first = n < r->cap - at ? n : r->cap - at;
    memcpy(dst, r->buf + at, first);
    memcpy((uint8_t *)dst + first, r->buf, n - first);
}

void tcp_ring_drop(struct tcp_ring *r, size_t n)
{
    /* The head moves even when the ring empties: bytes placed beyond the
     * length (out-of-order data) keep their positions. */
    r->len -= n;
    r->head = (r->head + n) % r->cap;
}
