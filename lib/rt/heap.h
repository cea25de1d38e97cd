/* The allocator engine: a TLSF-style allocator (two-level segregated free
 * lists with bitmaps, boundary tags, immediate coalescing) over one memory
 * region, with its state in an explicit struct rt_heap so it can run and be
 * tested anywhere. lib/rt/malloc.c puts the libc allocation calls on one
 * global instance.
 *
 * Layout: every block starts with a 16-byte header; payloads are 16-byte
 * aligned and block sizes multiples of 16. Blocks are carved upwards from
 * the bottom of the region and the part above the highest block (the
 * "top") is never touched, so a lazily committed region costs only what is
 * used. Allocation and free are O(1) (a good-fit search over bitmaps);
 * only when that finds nothing and the top is full is one list scanned for
 * an exactly fitting block. rt_heap_realloc may copy; rt_heap_check walks
 * the whole heap. Nothing here yields.
 *
 * Detected misuse (a pointer not from this heap, a double free, a header
 * overwritten by an overflow of the block below it) calls
 * rt_heap_corrupt(), which does not return. */
#ifndef MIRAGE_RT_HEAP_H
#define MIRAGE_RT_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define RT_HEAP_ALIGN    16
#define RT_HEAP_SL_LOG2  4 /* 16 second-level lists per first level */
#define RT_HEAP_SL_COUNT (1 << RT_HEAP_SL_LOG2)
#define RT_HEAP_FL_COUNT 57 /* enough first levels for any size_t */

struct rt_heap_block;

struct rt_heap {
    uintptr_t base; /* first block header */
    uintptr_t top;  /* end of the highest block; [top, end) is untouched */
    uintptr_t end;
    uint64_t fl_bitmap;                   /* bit f: some list of fl f */
    uint32_t sl_bitmap[RT_HEAP_FL_COUNT]; /* bit s: list (f, s) is used */
    struct rt_heap_block *free[RT_HEAP_FL_COUNT][RT_HEAP_SL_COUNT];
    size_t in_use;  /* bytes in allocated blocks, headers included */
    size_t peak;    /* highest in_use so far */
    size_t n_alloc; /* allocated blocks */
};

/* Take over [base, base + size) (any alignment; the unusable ends are left
 * out). The region must stay valid for the heap's lifetime; it is not
 * written to here. A region too small for one block gives an empty heap on
 * which every allocation fails. */
void rt_heap_setup(struct rt_heap *h, void *base, size_t size);

/* A block with at least size usable bytes (size 0 counts as 1), 16-byte
 * aligned, or NULL when the heap has no room. */
void *rt_heap_alloc(struct rt_heap *h, size_t size);

/* As rt_heap_alloc, aligned to align (a power of two; NULL when it is
 * not). */
void *rt_heap_memalign(struct rt_heap *h, size_t align, size_t size);

/* Give back p (from this heap; NULL is ignored). */
void rt_heap_free(struct rt_heap *h, void *p);

/* Resize p to size bytes keeping the contents up to the smaller size,
 * in place when it can, else by moving. p NULL: rt_heap_alloc. Returns
 * NULL when out of room, leaving p allocated and unchanged. */
void *rt_heap_realloc(struct rt_heap *h, void *p, size_t size);

/* The usable size of p's block (>= the size asked for). */
size_t rt_heap_usable_size(struct rt_heap *h, void *p);

/* The first inconsistency rt_heap_check found: a short description and
 * the address of the block (or of the struct rt_heap) concerned. */
struct rt_heap_fault {
    const char *what;
    const void *where;
};

/* Walk every block and free list and check every invariant (sizes,
 * boundary tags, no adjacent free blocks, list membership and bitmaps,
 * counters). Returns 0 when consistent, -1 otherwise with the first
 * inconsistency in *f (f may be NULL). Costs a walk of every block. */
int rt_heap_check(const struct rt_heap *h, struct rt_heap_fault *f);

/* Supplied by the user of the engine: report misuse found at ptr and stop
 * (lib/rt/malloc.c prints on the console and aborts). */
_Noreturn void rt_heap_corrupt(struct rt_heap *h, const char *what,
                               const void *ptr);

#endif
