/* A byte ring of fixed capacity: a connection's send queue (bytes from
 * the oldest unacknowledged one) and receive queue (bytes in order not
 * yet read, followed by room where out-of-order data is placed at its
 * offset). The storage is allocated on demand, small at first
 * (TCP_RING_FIRST bytes), and grows as bytes are placed further from the
 * head, up to the capacity: an idle connection holds little memory.
 * Nothing here yields. */
#ifndef MIRAGE_TCP_RING_H
#define MIRAGE_TCP_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_ring {
    uint8_t *buf; /* NULL until tcp_ring_alloc */
    size_t cap;   /* capacity in bytes */
    size_t size;  /* bytes of storage, at most cap */
    size_t head;  /* index of the first byte in the storage */
    size_t len;   /* bytes held from head */
};

#define TCP_RING_FIRST 4096

/* Allocate the first storage of a ring of capacity cap (the ring must be
 * empty and unallocated): 0 or MIRAGE_ENOMEM. */
int tcp_ring_alloc(struct tcp_ring *r, size_t cap);
/* Free the storage; the ring is empty and unallocated again. */
void tcp_ring_free(struct tcp_ring *r);
static inline size_t tcp_ring_space(const struct tcp_ring *r)
{
    return r->cap - r->len;
}
/* Copy n bytes from src to offset off from the head (off + n <= cap);
 * the length is not changed. false when the storage could not grow
 * (memory exhausted): nothing was copied. */
bool tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n);
/* Append up to n bytes; returns how many fitted (fewer than the space
 * when the storage could not grow). */
size_t tcp_ring_append(struct tcp_ring *r, const void *src, size_t n);
/* Copy n bytes at offset off from the head (off + n <= cap) to dst. */
void tcp_ring_get(const struct tcp_ring *r, size_t off, void *dst, size_t n);
/* Drop n bytes (n <= len) from the head. */
void tcp_ring_drop(struct tcp_ring *r, size_t n);

#endif
