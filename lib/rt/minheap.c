/* The min-heap of include/mirage/minheap.h. */
#include <assert.h>
#include <mirage/error.h>
#include <mirage/minheap.h>
#include <stdlib.h>

void mirage_minheap_init(struct mirage_minheap *h)
{
    h->v = NULL;
    h->len = h->cap = 0;
    h->seq = 0;
}

void mirage_minheap_node_init(struct mirage_minheap_node *n)
{
    n->key = 0;
    n->seq = 0;
    n->slot = MIRAGE_MINHEAP_IDLE;
}

void mirage_minheap_free(struct mirage_minheap *h)
{
    free(h->v);
    mirage_minheap_init(h);
}

int mirage_minheap_reserve(struct mirage_minheap *h, size_t n)
{
    if (n <= h->cap)
        return 0;
    size_t cap = h->cap ? h->cap : 16;
    while (cap < n)
        cap *= 2;
    struct mirage_minheap_node **v = realloc(h->v, cap * sizeof *v);
    if (!v)
        return MIRAGE_ENOMEM;
    h->v = v;
    h->cap = cap;
    return 0;
}

static bool before(const struct mirage_minheap_node *a,
                   const struct mirage_minheap_node *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static void place(struct mirage_minheap *h, size_t i,
                  struct mirage_minheap_node *n)
{
    h->v[i] = n;
    n->slot = i;
}

/* Move n up from slot i while it comes before its parent. */
static void sift_up(struct mirage_minheap *h, size_t i,
                    struct mirage_minheap_node *n)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(n, h->v[parent]))
            break;
        place(h, i, h->v[parent]);
        i = parent;
    }
    place(h, i, n);
}

/* Move n down from slot i while a child comes before it. */
static void sift_down(struct mirage_minheap *h, size_t i,
                      struct mirage_minheap_node *n)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && before(h->v[child + 1], h->v[child]))
            child++;
        if (!before(h->v[child], n))
            break;
        place(h, i, h->v[child]);
        i = child;
    }
    place(h, i, n);
}

/* n, at slot i, has a new key or order: move it whichever way it must. */
static void resift(struct mirage_minheap *h, size_t i,
                   struct mirage_minheap_node *n)
{
    if (i > 0 && before(n, h->v[(i - 1) / 2]))
        sift_up(h, i, n);
    else
        sift_down(h, i, n);
}

void mirage_minheap_push(struct mirage_minheap *h,
                         struct mirage_minheap_node *n, uint64_t key)
{
    assert(h->len < h->cap && !mirage_minheap_queued(n));
    n->key = key;
    n->seq = h->seq++;
    sift_up(h, h->len++, n);
}

int mirage_minheap_add(struct mirage_minheap *h, struct mirage_minheap_node *n,
                       uint64_t key)
{
    if (mirage_minheap_queued(n)) {
        n->key = key;
        n->seq = h->seq++;
        resift(h, n->slot, n);
        return 0;
    }
    if (h->len == h->cap) {
        int err = mirage_minheap_reserve(h, h->len + 1);
        if (err)
            return err;
    }
    mirage_minheap_push(h, n, key);
    return 0;
}

void mirage_minheap_remove(struct mirage_minheap *h,
                           struct mirage_minheap_node *n)
{
    if (!mirage_minheap_queued(n))
        return;
    size_t i = n->slot;
    struct mirage_minheap_node *last = h->v[--h->len];
    n->slot = MIRAGE_MINHEAP_IDLE;
    if (last != n)
        resift(h, i, last);
}

struct mirage_minheap_node *mirage_minheap_peek(const struct mirage_minheap *h)
{
    return h->len ? h->v[0] : NULL;
}

struct mirage_minheap_node *mirage_minheap_pop(struct mirage_minheap *h)
{
    struct mirage_minheap_node *n = mirage_minheap_peek(h);
    if (n)
        mirage_minheap_remove(h, n);
    return n;
}

bool mirage_minheap_valid(const struct mirage_minheap *h)
{
    if (h->len > h->cap)
        return false;
    for (size_t i = 0; i < h->len; i++)
        if (h->v[i]->slot != i || (i > 0 && before(h->v[i], h->v[(i - 1) / 2])))
            return false;
    return true;
}
