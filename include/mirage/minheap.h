/* A binary min-heap of nodes embedded in their owners: the scheduler's
 * timers, the network stack's timers, the TCP engine's connections by
 * their next deadline, the test network's frames in flight. Nodes are
 * ordered by key, then by the order they were queued in (equal keys leave
 * first in, first out); each knows its slot, so that any node is removed
 * or re-keyed in O(log n). The heap holds pointers to nodes in one array
 * (malloc): mirage_minheap_add grows it and may fail; a user that must
 * not fail later reserves room first and pushes. Nothing here yields or
 * prints. */
#ifndef MIRAGE_MINHEAP_H
#define MIRAGE_MINHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_MINHEAP_IDLE SIZE_MAX

struct mirage_minheap_node {
    uint64_t key; /* the last key it was queued with */
    uint64_t seq; /* queued order, between equal keys */
    size_t slot;  /* index in the heap; MIRAGE_MINHEAP_IDLE when not queued */
};

struct mirage_minheap {
    struct mirage_minheap_node **v; /* cap entries, the first len used */
    size_t len, cap;
    uint64_t seq;
};

/* An empty heap / an idle node. */
void mirage_minheap_init(struct mirage_minheap *h);
void mirage_minheap_node_init(struct mirage_minheap_node *n);
/* Free the heap's array; it is empty again. The nodes it held are
 * forgotten, not touched. */
void mirage_minheap_free(struct mirage_minheap *h);

static inline bool mirage_minheap_queued(const struct mirage_minheap_node *n)
{
    return n->slot != MIRAGE_MINHEAP_IDLE;
}
static inline size_t mirage_minheap_len(const struct mirage_minheap *h)
{
    return h->len;
}

/* Make room for n nodes in all, so that pushing up to that many cannot
 * fail: 0, or MIRAGE_ENOMEM with the heap as it was. */
int mirage_minheap_reserve(struct mirage_minheap *h, size_t n);
/* Queue the idle node n with key, in room reserved before (pushing
 * beyond it is a programming error: an assertion stops the program). */
void mirage_minheap_push(struct mirage_minheap *h,
                         struct mirage_minheap_node *n, uint64_t key);
/* Queue n with key, or move it to key when it is queued already, growing
 * the array when it is full: 0, or MIRAGE_ENOMEM with nothing changed. */
int mirage_minheap_add(struct mirage_minheap *h, struct mirage_minheap_node *n,
                       uint64_t key);
/* Take n out (it becomes idle); nothing when it is idle. */
void mirage_minheap_remove(struct mirage_minheap *h,
                           struct mirage_minheap_node *n);
/* The node with the least key (the first queued of equals), or NULL
 * when the heap is empty; pop also takes it out. */
struct mirage_minheap_node *mirage_minheap_peek(const struct mirage_minheap *h);
struct mirage_minheap_node *mirage_minheap_pop(struct mirage_minheap *h);
/* Whether every invariant holds: the length within the room, each
 * node's slot, the heap order (for tests and fuzz targets). */
bool mirage_minheap_valid(const struct mirage_minheap *h);

#endif
