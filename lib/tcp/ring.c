/* Byte rings with storage on demand under a budget (ring.h). */
#include "ring.h"

#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

void tcp_ring_init(struct tcp_ring *r, size_t limit)
{
    memset(r, 0, sizeof *r);
    r->limit = limit;
}

/* Whether the budget lets r's storage become cap bytes. */
static int affordable(const struct tcp_ring *r, const struct tcp_budget *b,
                      size_t cap)
{
    return cap <= b->floor || b->used - r->cap + cap <= b->limit;
}

/* Replace r's storage by cap bytes holding its contents from offset 0. */
static int resize(struct tcp_ring *r, struct tcp_budget *b, size_t cap)
{
    uint8_t *buf = malloc(cap);
    if (!buf)
        return MIRAGE_ENOMEM;
    if (r->cap) {
        size_t first = r->cap - r->head;
        memcpy(buf, r->buf + r->head, first);
        memcpy(buf + first, r->buf, r->head);
        free(r->buf);
    }
    b->used = b->used - r->cap + cap;
    if (b->used > b->peak)
        b->peak = b->used;
    r->buf = buf;
    r->cap = cap;
    r->head = 0;
    return 0;
}

int tcp_ring_reserve(struct tcp_ring *r, struct tcp_budget *b, size_t need)
{
    if (need <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap : TCP_RING_MIN;
    while (cap < need)
        cap *= 2;
    if (cap < r->hint)
        cap = r->hint;
    if (cap > r->limit)
        cap = r->limit;
    /* What the budget allows, or at least exactly what is needed. */
    if (!affordable(r, b, cap))
        cap = need;
    if (!affordable(r, b, cap))
        return MIRAGE_ENOMEM;
    return resize(r, b, cap);
}

void tcp_ring_release(struct tcp_ring *r, struct tcp_budget *b)
{
    if (r->cap)
        r->hint = r->cap;
    free(r->buf);
    b->used -= r->cap;
    r->buf = NULL;
    r->cap = r->head = r->len = 0;
}

size_t tcp_ring_room(const struct tcp_ring *r, const struct tcp_budget *b)
{
    size_t cap = r->cap;
    if (cap < b->floor)
        cap = b->floor;
    if (b->used < b->limit && cap < r->cap + (b->limit - b->used))
        cap = r->cap + (b->limit - b->used);
    if (cap > r->limit)
        cap = r->limit;
    return cap > r->len ? cap - r->len : 0;
}

void tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n)
{
    size_t at = (r->head + off) % r->cap;
    size_t first = n < r->cap - at ? n : r->cap - at;
    memcpy(r->buf + at, src, first);
    memcpy(r->buf, (const uint8_t *)src + first, n - first);
}

size_t tcp_ring_append(struct tcp_ring *r, struct tcp_budget *b,
                       const void *src, size_t n)
{
    size_t room = tcp_ring_room(r, b);
    if (n > room)
        n = room;
    if (n && tcp_ring_reserve(r, b, r->len + n) != 0)
        n = r->cap - r->len; /* the heap refused: what storage there is */
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
    if (r->cap)
        r->head = (r->head + n) % r->cap;
}
