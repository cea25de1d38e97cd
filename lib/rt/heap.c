/* The allocator engine (see heap.h): TLSF-style segregated free lists over
 * one region, with boundary tags and immediate coalescing. */
#include "heap.h"

#include <string.h>

/* Block header. prev_size holds the size of the block below when that one
 * is free (FLAG_PREV_FREE), else a tag derived from the block's address,
 * which an overflow of the block below destroys. The free-list links lie in
 * the payload and exist only while the block is free. */
struct rt_heap_block {
    size_t prev_size;
    size_t size; /* block size (multiple of 16) | flags */
    struct rt_heap_block *next_free;
    struct rt_heap_block *prev_free;
};

#define HDR            16
#define MIN_BLOCK      32
#define FLAG_FREE      ((size_t)1)
#define FLAG_PREV_FREE ((size_t)2)
#define FLAGS          (FLAG_FREE | FLAG_PREV_FREE)
#define TAG_MAGIC      ((size_t)0x6d69726167654843ULL)
/* Sizes below this map linearly onto the 16 lists of first level 0. */
#define SMALL (1u << (RT_HEAP_SL_LOG2 + 4))

typedef struct rt_heap_block block;

static size_t bsize(const block *b)
{
    return b->size & ~FLAGS;
}

static int is_free(const block *b)
{
    return (b->size & FLAG_FREE) != 0;
}

static int prev_is_free(const block *b)
{
    return (b->size & FLAG_PREV_FREE) != 0;
}

static size_t tag(const block *b)
{
    return TAG_MAGIC ^ (uintptr_t)b;
}

static block *at(uintptr_t addr)
{
    return (block *)addr;
}

static block *next_phys(const block *b)
{
    return at((uintptr_t)b + bsize(b));
}

static void *payload(block *b)
{
    return (char *)b + HDR;
}

static int log2_floor(size_t x)
{
    return 63 - __builtin_clzll(x);
}

/* The list (fl, sl) that holds free blocks of this size. */
static void mapping(size_t size, int *fl, int *sl)
{
    if (size < SMALL) {
        *fl = 0;
        *sl = (int)(size >> 4);
    } else {
        int msb = log2_floor(size);
        *fl = msb - (RT_HEAP_SL_LOG2 + 3);
        *sl = (int)((size >> (msb - RT_HEAP_SL_LOG2)) ^ RT_HEAP_SL_COUNT);
    }
}

/* Block size for a request of size bytes, or 0 if it cannot fit at all. */
static size_t block_size_for(const struct rt_heap *h, size_t size)
{
    if (size > h->end - h->base)
        return 0;
    size_t need = (size + HDR + RT_HEAP_ALIGN - 1) & ~(size_t)15;
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

static void insert_free(struct rt_heap *h, block *b)
{
    int fl, sl;
    mapping(bsize(b), &fl, &sl);
    block *head = h->free[fl][sl];
    b->next_free = head;
    b->prev_free = NULL;
    if (head)
        head->prev_free = b;
    h->free[fl][sl] = b;
    h->fl_bitmap |= 1ULL << fl;
    h->sl_bitmap[fl] |= 1u << sl;
}

static void remove_free(struct rt_heap *h, block *b)
{
    int fl, sl;
    mapping(bsize(b), &fl, &sl);
    if (b->next_free)
        b->next_free->prev_free = b->prev_free;
    if (b->prev_free) {
        b->prev_free->next_free = b->next_free;
    } else {
        h->free[fl][sl] = b->next_free;
        if (!b->next_free) {
            h->sl_bitmap[fl] &= ~(1u << sl);
            if (!h->sl_bitmap[fl])
                h->fl_bitmap &= ~(1ULL << fl);
        }
    }
}

/* Tell b's physical successor (if any) whether b is free. */
static void link_next(struct rt_heap *h, block *b)
{
    block *n = next_phys(b);
    if ((uintptr_t)n >= h->top)
        return;
    if (is_free(b)) {
        n->size |= FLAG_PREV_FREE;
        n->prev_size = bsize(b);
    } else {
        n->size &= ~FLAG_PREV_FREE;
        n->prev_size = tag(n);
    }
}

/* A free block of at least need bytes from the lists, unlinked; NULL if
 * none is found in O(1). The request is rounded up to the next list
 * boundary so that any block of the first non-empty list found fits. */
static block *take_good_fit(struct rt_heap *h, size_t need)
{
    int fl, sl;
    size_t rounded = need;
    if (need >= SMALL)
        rounded += ((size_t)1 << (log2_floor(need) - RT_HEAP_SL_LOG2)) - 1;
    mapping(rounded, &fl, &sl);
    uint32_t sl_map = h->sl_bitmap[fl] & (~0u << sl);
    if (!sl_map) {
        uint64_t fl_map = h->fl_bitmap & (~0ULL << fl << 1);
        if (!fl_map)
            return NULL;
        fl = __builtin_ctzll(fl_map);
        sl_map = h->sl_bitmap[fl];
    }
    block *b = h->free[fl][__builtin_ctz(sl_map)];
    remove_free(h, b);
    return b;
}

/* The last resort when the top is full: a block of need's own list that
 * is large enough (the good fit skips that list), unlinked, or NULL. */
static block *take_exact_fit(struct rt_heap *h, size_t need)
{
    int fl, sl;
    mapping(need, &fl, &sl);
    for (block *b = h->free[fl][sl]; b; b = b->next_free) {
        if (bsize(b) >= need) {
            remove_free(h, b);
            return b;
        }
    }
    return NULL;
}

static void account_alloc(struct rt_heap *h, size_t size)
{
    h->in_use += size;
    if (h->in_use > h->peak)
        h->peak = h->in_use;
}

/* Return the free-marked block b (in no list) to the heap: merge it with
 * free neighbours, then give it back to the top or list it. */
static void release(struct rt_heap *h, block *b)
{
    if (prev_is_free(b)) {
        block *p = at((uintptr_t)b - b->prev_size);
        remove_free(h, p);
        p->size = (bsize(p) + bsize(b)) | FLAG_FREE;
        b = p;
    }
    block *n = next_phys(b);
    if ((uintptr_t)n < h->top && is_free(n)) {
        remove_free(h, n);
        b->size = (bsize(b) + bsize(n)) | FLAG_FREE;
    }
    if ((uintptr_t)next_phys(b) == h->top) {
        h->top = (uintptr_t)b;
        return;
    }
    link_next(h, b);
    insert_free(h, b);
}

/* Cut the allocated block b down to need bytes, releasing the rest if it
 * can form a block. */
static void shrink(struct rt_heap *h, block *b, size_t need)
{
    size_t rest = bsize(b) - need;
    if (rest < MIN_BLOCK)
        return;
    b->size = need | (b->size & FLAG_PREV_FREE);
    block *r = next_phys(b);
    r->prev_size = tag(r);
    r->size = rest | FLAG_FREE;
    h->in_use -= rest;
    release(h, r);
}

/* An allocated block of at least need bytes, or NULL. */
static block *alloc_block(struct rt_heap *h, size_t need)
{
    block *b = take_good_fit(h, need);
    if (!b && h->end - h->top >= need) {
        /* The block below the top is never free, so no PREV_FREE here. */
        b = at(h->top);
        b->prev_size = tag(b);
        b->size = need;
        h->top += need;
        account_alloc(h, need);
        h->n_alloc++;
        return b;
    }
    if (!b)
        b = take_exact_fit(h, need);
    if (!b)
        return NULL;
    b->size &= ~FLAG_FREE;
    link_next(h, b);
    account_alloc(h, bsize(b));
    h->n_alloc++;
    shrink(h, b, need);
    return b;
}

/* The allocated block holding p, after the checks that are cheap. */
static block *checked_block(struct rt_heap *h, void *p)
{
    uintptr_t a = (uintptr_t)p;
    if ((a & (RT_HEAP_ALIGN - 1)) || a < h->base + HDR || a >= h->end)
        rt_heap_corrupt(h, "pointer not from this heap", p);
    if (a >= h->top)
        rt_heap_corrupt(h, "block not in use (double free?)", p);
    block *b = at(a - HDR);
    if (is_free(b))
        rt_heap_corrupt(h, "double free", p);
    size_t size = bsize(b);
    if (size < MIN_BLOCK || size > h->top - (uintptr_t)b)
        rt_heap_corrupt(h, "corrupted block header", p);
    if (prev_is_free(b)) {
        uintptr_t pa = (uintptr_t)b - b->prev_size;
        if (b->prev_size > (uintptr_t)b - h->base || (b->prev_size & 15) ||
            !is_free(at(pa)) || bsize(at(pa)) != b->prev_size)
            rt_heap_corrupt(h, "corrupted block header", p);
    } else if (b->prev_size != tag(b)) {
        rt_heap_corrupt(h, "block header overwritten (overflow below?)", p);
    }
    block *n = next_phys(b);
    if ((uintptr_t)n < h->top && (prev_is_free(n) || n->prev_size != tag(n)))
        rt_heap_corrupt(h, "write past the end of the block", p);
    return b;
}

void rt_heap_setup(struct rt_heap *h, void *base, size_t size)
{
    memset(h, 0, sizeof *h);
    uintptr_t lo = ((uintptr_t)base + RT_HEAP_ALIGN - 1) & ~(uintptr_t)15;
    uintptr_t hi = ((uintptr_t)base + size) & ~(uintptr_t)15;
    if (size < MIN_BLOCK + RT_HEAP_ALIGN || hi - lo < MIN_BLOCK)
        lo = hi = (uintptr_t)base;
    h->base = h->top = lo;
    h->end = hi;
}

void *rt_heap_alloc(struct rt_heap *h, size_t size)
{
    size_t need = block_size_for(h, size);
    block *b = need ? alloc_block(h, need) : NULL;
    return b ? payload(b) : NULL;
}

void *rt_heap_memalign(struct rt_heap *h, size_t align, size_t size)
{
    if (!align || (align & (align - 1)))
        return NULL;
    if (align <= RT_HEAP_ALIGN)
        return rt_heap_alloc(h, size);
    size_t need = block_size_for(h, size);
    if (!need || align > h->end - h->base)
        return NULL;
    /* Room to move the payload up to the boundary past a free lead. */
    block *b = alloc_block(h, need + align + MIN_BLOCK);
    if (!b)
        return NULL;
    uintptr_t p = (uintptr_t)payload(b);
    uintptr_t aligned = (p + align - 1) & ~(uintptr_t)(align - 1);
    if (aligned != p) {
        if (aligned - p < MIN_BLOCK)
            aligned += align;
        size_t lead = aligned - p;
        block *nb = at(aligned - HDR);
        nb->size = bsize(b) - lead;
        b->size = lead | FLAG_FREE | (b->size & FLAG_PREV_FREE);
        h->in_use -= lead;
        release(h, b);
        b = nb;
    }
    shrink(h, b, need);
    return payload(b);
}

void rt_heap_free(struct rt_heap *h, void *p)
{
    if (!p)
        return;
    block *b = checked_block(h, p);
    h->in_use -= bsize(b);
    h->n_alloc--;
    b->size |= FLAG_FREE;
    release(h, b);
}

void *rt_heap_realloc(struct rt_heap *h, void *p, size_t size)
{
    if (!p)
        return rt_heap_alloc(h, size);
    block *b = checked_block(h, p);
    size_t need = block_size_for(h, size);
    if (!need)
        return NULL;
    size_t cur = bsize(b);
    if (need <= cur) {
        shrink(h, b, need);
        return p;
    }
    block *n = next_phys(b);
    if ((uintptr_t)n == h->top && h->end - (uintptr_t)b >= need) {
        h->top = (uintptr_t)b + need;
        b->size = need | (b->size & FLAG_PREV_FREE);
        account_alloc(h, need - cur);
        return p;
    }
    if ((uintptr_t)n < h->top && is_free(n) && cur + bsize(n) >= need) {
        remove_free(h, n);
        account_alloc(h, bsize(n));
        b->size = (cur + bsize(n)) | (b->size & FLAG_PREV_FREE);
        link_next(h, b);
        shrink(h, b, need);
        return p;
    }
    void *q = rt_heap_alloc(h, size);
    if (!q)
        return NULL;
    memcpy(q, p, cur - HDR);
    rt_heap_free(h, p);
    return q;
}

size_t rt_heap_usable_size(struct rt_heap *h, void *p)
{
    return bsize(checked_block(h, p)) - HDR;
}

/* Record the first inconsistency found: what it is and where. */
static int damaged(struct rt_heap_fault *f, const char *what, uintptr_t where)
{
    if (f) {
        f->what = what;
        f->where = (const void *)where;
    }
    return -1;
}

/* Every listed block is free, in range and in the right list; the bitmaps
 * match the lists. Counts the listed blocks into *count. */
static int check_lists(const struct rt_heap *h, size_t *count,
                       struct rt_heap_fault *f)
{
    size_t limit = (h->top - h->base) / MIN_BLOCK;
    *count = 0;
    for (int fl = 0; fl < RT_HEAP_FL_COUNT; fl++) {
        if (!(h->fl_bitmap >> fl & 1) != !h->sl_bitmap[fl])
            return damaged(f, "free-list bitmaps disagree", (uintptr_t)h);
        for (int sl = 0; sl < RT_HEAP_SL_COUNT; sl++) {
            const block *prev = NULL;
            const block *b = h->free[fl][sl];
            if (!(h->sl_bitmap[fl] >> sl & 1) != !b)
                return damaged(f, "free-list bitmap disagrees with its list",
                               (uintptr_t)h);
            for (; b; prev = b, b = b->next_free) {
                int bfl, bsl;
                uintptr_t a = (uintptr_t)b;
                uintptr_t from = prev ? (uintptr_t)prev : (uintptr_t)h;
                if (a < h->base || a >= h->top || (a & 15))
                    return damaged(f, "free-list link out of the heap", from);
                if (!is_free(b))
                    return damaged(f, "block in a free list is not free", a);
                if (b->prev_free != prev)
                    return damaged(f, "free-list back link broken", a);
                if (++*count > limit)
                    return damaged(f, "free list loops", a);
                mapping(bsize(b), &bfl, &bsl);
                if (bfl != fl || bsl != sl)
                    return damaged(f, "free block in the wrong list", a);
            }
        }
    }
    return 0;
}

int rt_heap_check(const struct rt_heap *h, struct rt_heap_fault *f)
{
    size_t listed, free_blocks = 0, used = 0, used_blocks = 0;
    if (h->base > h->top || h->top > h->end)
        return damaged(f, "heap bounds damaged", (uintptr_t)h);
    if (check_lists(h, &listed, f))
        return -1;
    const block *prev = NULL;
    for (uintptr_t a = h->base; a < h->top; a += bsize(at(a))) {
        const block *b = at(a);
        size_t size = bsize(b);
        if (size < MIN_BLOCK || size > h->top - a)
            return damaged(f, "block size damaged", a);
        if (prev_is_free(b) != (prev && is_free(prev)))
            return damaged(f, "free-neighbour flag wrong", a);
        if (prev_is_free(b) ? b->prev_size != bsize(prev)
                            : b->prev_size != tag(b))
            return damaged(f, "block header overwritten (overflow below?)", a);
        if (is_free(b)) {
            if (prev_is_free(b))
                return damaged(f, "two free blocks side by side", a);
            free_blocks++;
        } else {
            used += size;
            used_blocks++;
        }
        prev = b;
    }
    if (prev && is_free(prev))
        return damaged(f, "free block below the top", (uintptr_t)prev);
    if (free_blocks != listed)
        return damaged(f, "free blocks missing from the free lists",
                       (uintptr_t)h);
    if (used != h->in_use || used_blocks != h->n_alloc || h->in_use > h->peak)
        return damaged(f, "allocation counters wrong", (uintptr_t)h);
    return 0;
}
