/* A byte ring of fixed capacity: a connection's send queue (bytes from
 * the oldest unacknowledged one) and receive queue (bytes in order not
 * yet read, followed by room where out-of-order data is placed at its
 * offset). The storage is allocated on demand. Nothing here yields. */
#ifndef MIRAGE_TCP_RING_H
#define MIRAGE_TCP_RING_H

#include <stddef.h>
#include <stdint.h>

struct tcp_ring {
    uint8_t *buf; /* NULL until tcp_ring_alloc */
    size_t cap;   /* capacity in bytes */
    size_t head;  /* index of the first byte */
    size_t len;   /* bytes held from head */
};

/* Allocate the storage for cap bytes (the ring must be empty and
 * unallocated): 0 or MIRAGE_ENOMEM. */
int tcp_ring_alloc(struct tcp_ring *r, size_t cap);
/* Free the storage; the ring is empty and unallocated again. */
void tcp_ring_free(struct tcp_ring *r);
static inline size_t tcp_ring_space(const struct tcp_ring *r)
{
    return r->cap - r->len;
}
/* Copy n bytes from src to offset off from the head (off + n <= cap);
 * the length is not changed. */
void tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n);
/* Append up to n bytes; returns how many fitted. */
size_t tcp_ring_append(struct tcp_ring *r, const void *src, size_t n);
/* Copy n bytes at offset off from the head (off + n <= cap) to dst. */
void tcp_ring_get(const struct tcp_ring *r, size_t off, void *dst, size_t n);
/* Drop n bytes (n <= len) from the head. */
void tcp_ring_drop(struct tcp_ring *r, size_t n);

#endif
