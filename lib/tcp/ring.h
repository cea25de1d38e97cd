/* Byte rings for the send and receive queues, whose storage grows on
 * demand and goes when they empty, under a memory budget shared by every
 * queue of one TCP engine.
 *
 * A ring holds up to `limit` bytes: the send queue's bytes from the
 * oldest unacknowledged one, or the receive queue's bytes in order not
 * yet read followed by room where out-of-order data is placed at its
 * offset. Only `cap` bytes of storage exist (none while the ring is
 * unused): tcp_ring_reserve grows it, by doubling from TCP_RING_MIN and
 * straight to the size the ring last had when it was released, so a busy
 * connection soon has its whole limit and an idle one nothing. Growing
 * beyond the budget's floor needs room in the budget. Nothing here
 * yields. */
#ifndef MIRAGE_TCP_RING_H
#define MIRAGE_TCP_RING_H

#include <stddef.h>
#include <stdint.h>

#define TCP_RING_MIN 4096 /* the first allocation's size */

/* The storage of every ring of an engine. A ring may always grow to
 * `floor` bytes (so that every connection makes progress); beyond, only
 * while the total stays within `limit`. */
struct tcp_budget {
    size_t used, peak; /* bytes of storage now, and at most so far */
    size_t limit, floor;
};

struct tcp_ring {
    uint8_t *buf; /* NULL while cap is 0 */
    size_t cap;   /* bytes of storage */
    size_t limit; /* the most the ring holds */
    size_t hint;  /* cap when last released */
    size_t head;  /* index of the first byte */
    size_t len;   /* bytes held from head */
};

/* An empty ring of at most limit bytes, with no storage. */
void tcp_ring_init(struct tcp_ring *r, size_t limit);
/* Make the storage hold at least need bytes from the head (need <=
 * limit), keeping the contents and their offsets: 0, or MIRAGE_ENOMEM
 * (no room in the budget or the heap; the ring is unchanged). */
int tcp_ring_reserve(struct tcp_ring *r, struct tcp_budget *b, size_t need);
/* Free the storage (the ring must hold nothing the caller needs: also
 * no out-of-order data); the ring is empty. */
void tcp_ring_release(struct tcp_ring *r, struct tcp_budget *b);
/* Room for more bytes, as far as the limit goes. */
static inline size_t tcp_ring_space(const struct tcp_ring *r)
{
    return r->limit - r->len;
}
/* Room for more bytes that the budget lets the storage grow to now. */
size_t tcp_ring_room(const struct tcp_ring *r, const struct tcp_budget *b);
/* Copy n bytes from src to offset off from the head (off + n <= cap);
 * the length is not changed. */
void tcp_ring_put(struct tcp_ring *r, size_t off, const void *src, size_t n);
/* Append up to n bytes, growing the storage as far as the budget allows
 * (tcp_ring_room); returns how many fitted. */
size_t tcp_ring_append(struct tcp_ring *r, struct tcp_budget *b,
                       const void *src, size_t n);
/* Copy n bytes at offset off from the head (off + n <= cap) to dst. */
void tcp_ring_get(const struct tcp_ring *r, size_t off, void *dst, size_t n);
/* Drop n bytes (n <= len) from the head. */
void tcp_ring_drop(struct tcp_ring *r, size_t n);

#endif
