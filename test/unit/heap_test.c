/* The allocator engine (lib/rt/heap.c), hosted: random stress with
 * integrity checks, fragmentation and coalescing, exhaustion, alignment,
 * realloc, zero sizes, misuse detection and the untouched top. */
#include "../../lib/rt/heap.h"
#include "test.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/* rt_heap_corrupt jumps back here when a test expects it. */
static jmp_buf *corrupt_jump;
static const char *corrupt_what;

_Noreturn void rt_heap_corrupt(struct rt_heap *h, const char *what,
                               const void *ptr)
{
    (void)h;
    (void)ptr;
    corrupt_what = what;
    if (!corrupt_jump) {
        printf("unexpected heap corruption report: %s\n", what);
        abort();
    }
    longjmp(*corrupt_jump, 1);
}

/* Call rt_heap_free(h, p); the report it makes, or NULL if none. */
static const char *free_report(struct rt_heap *h, void *p)
{
    jmp_buf here;
    corrupt_jump = &here;
    corrupt_what = NULL;
    if (setjmp(here) == 0)
        rt_heap_free(h, p);
    corrupt_jump = NULL;
    return corrupt_what;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A region of size bytes from the host, 16-byte aligned. */
static void *region(size_t size)
{
    void *p = aligned_alloc(64, size);
    if (!p)
        abort();
    return p;
}

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char pattern;
};

static size_t random_size(void)
{
    uint64_t r = next_random() % 100;
    if (r < 60)
        return next_random() % 257;
    if (r < 90)
        return next_random() % 8193;
    return next_random() % (64 * 1024);
}

static int intact(const struct slot *s)
{
    for (size_t i = 0; i < s->size; i++) {
        if (s->p[i] != s->pattern)
            return 0;
    }
    return 1;
}

static void fill(struct slot *s, size_t from)
{
    memset(s->p + from, s->pattern, s->size - from);
}

TEST(random_stress_keeps_blocks_and_heap_intact)
{
    enum { SLOTS = 2048, OPS = 250000, REGION = 64 << 20 };
    static struct slot slots[SLOTS];
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    memset(slots, 0, sizeof slots);
    int failures = 0;
    for (int op = 0; op < OPS; op++) {
        struct slot *s = &slots[next_random() % SLOTS];
        uint64_t kind = next_random() % 4;
        if (!s->p) {
            size_t size = random_size();
            size_t align = (size_t)16 << (next_random() % 9);
            s->p = kind == 0 ? rt_heap_memalign(&h, align, size)
                             : rt_heap_alloc(&h, size);
            if (!s->p) {
                failures++;
                continue;
            }
            CHECK(((uintptr_t)s->p & (kind == 0 ? align - 1 : 15)) == 0);
            CHECK(rt_heap_usable_size(&h, s->p) >= size);
            s->size = size;
            s->pattern = (unsigned char)next_random();
            fill(s, 0);
        } else if (kind < 2) {
            CHECK(intact(s));
            rt_heap_free(&h, s->p);
            s->p = NULL;
        } else {
            CHECK(intact(s));
            size_t size = random_size();
            unsigned char *q = rt_heap_realloc(&h, s->p, size);
            if (!q) {
                failures++;
                continue;
            }
            size_t old = s->size;
            s->p = q;
            s->size = size < old ? size : old;
            CHECK(intact(s));
            s->size = size;
            fill(s, size < old ? size : old);
        }
        if (op % 1000 == 0)
            CHECK_INT(rt_heap_check(&h, NULL), 0);
    }
    CHECK(h.peak >= h.in_use && h.in_use > 0);
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            CHECK(intact(&slots[i]));
            rt_heap_free(&h, slots[i].p);
        }
    }
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    CHECK_INT(h.in_use, 0);
    /* Everything went back to the top. */
    CHECK(h.top == h.base);
    CHECK_INT(failures, 0);
    free(mem);
}

TEST(coalescing_lets_a_freed_region_sized_block_fit)
{
    enum { REGION = 1 << 20, N = 2048 };
    static unsigned char *blocks[N];
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    int n = 0;
    while (n < N && (blocks[n] = rt_heap_alloc(&h, 1000)))
        n++;
    CHECK(n > 100 && n < N);
    for (int i = 1; i < n; i += 2)
        rt_heap_free(&h, blocks[i]);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    /* Only single holes: nothing larger than one block fits. */
    CHECK(rt_heap_alloc(&h, 2000) == NULL);
    size_t stride = (size_t)(blocks[1] - blocks[0]);
    /* Free 2 and 4: blocks 1..5 merge into one free run. */
    rt_heap_free(&h, blocks[2]);
    rt_heap_free(&h, blocks[4]);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    size_t run = 5 * stride - 16;
    unsigned char *big = rt_heap_alloc(&h, run);
    CHECK(big == blocks[1]);
    memset(big, 0xab, run);
    CHECK(rt_heap_alloc(&h, 2000) == NULL);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    /* The still allocated neighbours were not touched by the merges. */
    CHECK(rt_heap_usable_size(&h, blocks[0]) >= 1000);
    CHECK(rt_heap_usable_size(&h, blocks[6]) >= 1000);
    free(mem);
}

TEST(a_full_heap_still_finds_an_exactly_fitting_block)
{
    enum { REGION = 64 << 10 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    /* A 5136-byte block: not on a list boundary, so the O(1) good fit
     * looks only at lists of larger blocks. */
    void *a = rt_heap_alloc(&h, 5120);
    CHECK(a != NULL && rt_heap_alloc(&h, 1) != NULL);
    while (rt_heap_alloc(&h, 16))
        ;
    rt_heap_free(&h, a);
    CHECK(rt_heap_alloc(&h, 5121) == NULL);
    CHECK(rt_heap_alloc(&h, 5120) == a);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    free(mem);
}

TEST(exhaustion_returns_null_and_stays_consistent)
{
    enum { REGION = 256 << 10 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    CHECK(rt_heap_alloc(&h, SIZE_MAX) == NULL);
    CHECK(rt_heap_alloc(&h, SIZE_MAX / 2) == NULL);
    CHECK(rt_heap_alloc(&h, REGION) == NULL);
    CHECK(rt_heap_memalign(&h, (size_t)1 << 40, 16) == NULL);
    CHECK(rt_heap_memalign(&h, 64, SIZE_MAX - 8) == NULL);
    void *first = rt_heap_alloc(&h, 100);
    CHECK(first != NULL);
    memset(first, 7, 100);
    CHECK(rt_heap_realloc(&h, first, SIZE_MAX) == NULL);
    CHECK(rt_heap_realloc(&h, first, REGION) == NULL);
    CHECK(((unsigned char *)first)[99] == 7);
    int n = 0;
    while (rt_heap_alloc(&h, 3000))
        n++;
    CHECK(n > 10);
    while (rt_heap_alloc(&h, 16))
        n++;
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    CHECK(h.end - h.top < 32);
    CHECK(h.peak == h.in_use);
    free(mem);
}

TEST(empty_heap_fails_every_allocation)
{
    static unsigned char tiny[40];
    struct rt_heap h;
    rt_heap_setup(&h, tiny + 1, sizeof tiny - 1);
    CHECK(rt_heap_alloc(&h, 0) == NULL);
    CHECK(rt_heap_alloc(&h, 1) == NULL);
    CHECK(rt_heap_memalign(&h, 64, 1) == NULL);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
}

TEST(memalign_honours_alignment)
{
    enum { REGION = 4 << 20 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    for (size_t align = 1; align <= 65536; align <<= 1) {
        for (size_t size = 0; size < 300; size += 37) {
            unsigned char *p = rt_heap_memalign(&h, align, size);
            CHECK(p != NULL);
            CHECK(((uintptr_t)p & (align - 1)) == 0);
            CHECK(((uintptr_t)p & 15) == 0);
            memset(p, 1, rt_heap_usable_size(&h, p));
            /* A small block between keeps later alignments interesting. */
            CHECK(rt_heap_alloc(&h, 1) != NULL);
        }
        CHECK_INT(rt_heap_check(&h, NULL), 0);
    }
    CHECK(rt_heap_memalign(&h, 0, 16) == NULL);
    CHECK(rt_heap_memalign(&h, 24, 16) == NULL);
    CHECK(rt_heap_memalign(&h, 3, 16) == NULL);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    free(mem);
}

static int has_bytes(const unsigned char *p, unsigned char v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v)
            return 0;
    }
    return 1;
}

TEST(realloc_grows_and_shrinks_keeping_contents)
{
    enum { REGION = 1 << 20 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    CHECK(rt_heap_realloc(&h, NULL, 10) != NULL);
    /* Growing the highest block extends it in place. */
    unsigned char *a = rt_heap_alloc(&h, 100);
    memset(a, 'a', 100);
    unsigned char *a2 = rt_heap_realloc(&h, a, 5000);
    CHECK(a2 == a && has_bytes(a2, 'a', 100));
    memset(a2, 'a', 5000);
    /* Growing into a free neighbour absorbs it in place. */
    unsigned char *b = rt_heap_alloc(&h, 200);
    unsigned char *c = rt_heap_alloc(&h, 3000);
    unsigned char *d = rt_heap_alloc(&h, 10);
    memset(b, 'b', 200);
    rt_heap_free(&h, c);
    unsigned char *b2 = rt_heap_realloc(&h, b, 2000);
    CHECK(b2 == b && has_bytes(b2, 'b', 200));
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    /* Growing with no room next to it moves the block. */
    memset(b2, 'b', 2000);
    unsigned char *b3 = rt_heap_realloc(&h, b2, 20000);
    CHECK(b3 != b2 && has_bytes(b3, 'b', 2000));
    /* Shrinking stays in place and gives back the tail. */
    size_t before = h.in_use;
    unsigned char *a3 = rt_heap_realloc(&h, a2, 50);
    CHECK(a3 == a2 && has_bytes(a3, 'a', 50));
    CHECK(h.in_use < before);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    rt_heap_free(&h, a3);
    rt_heap_free(&h, b3);
    rt_heap_free(&h, d);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    free(mem);
}

TEST(zero_sizes_give_unique_blocks)
{
    enum { REGION = 64 << 10 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    void *a = rt_heap_alloc(&h, 0), *b = rt_heap_alloc(&h, 0);
    CHECK(a && b && a != b);
    CHECK(rt_heap_usable_size(&h, a) >= 1);
    void *c = rt_heap_realloc(&h, a, 0);
    CHECK(c == a);
    rt_heap_free(&h, NULL);
    rt_heap_free(&h, b);
    rt_heap_free(&h, c);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    CHECK_INT(h.in_use, 0);
    free(mem);
}

TEST(misuse_is_reported)
{
    enum { REGION = 64 << 10 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    unsigned char *a = rt_heap_alloc(&h, 64);
    unsigned char *b = rt_heap_alloc(&h, 64);
    unsigned char *c = rt_heap_alloc(&h, 64);
    CHECK(rt_heap_alloc(&h, 64) != NULL);
    CHECK_STR(free_report(&h, a + 8), "pointer not from this heap");
    CHECK_STR(free_report(&h, (char *)mem + REGION - 16),
              "block not in use (double free?)");
    CHECK_STR(free_report(&h, (char *)mem + REGION),
              "pointer not from this heap");
    static long outside[4];
    CHECK_STR(free_report(&h, outside), "pointer not from this heap");
    CHECK(free_report(&h, b) == NULL);
    CHECK_STR(free_report(&h, b), "double free");
    /* An overflow of a into the header of the next block. */
    size_t usable = rt_heap_usable_size(&h, a);
    a[usable] ^= 0xff;
    CHECK_STR(free_report(&h, a), "write past the end of the block");
    a[usable] ^= 0xff;
    /* An underflow of c, into its own header. */
    c[-1] ^= 0x40;
    CHECK_STR(free_report(&h, c), "corrupted block header");
    c[-1] ^= 0x40;
    c[-16] ^= 1;
    CHECK(free_report(&h, c) != NULL);
    c[-16] ^= 1;
    CHECK(free_report(&h, a) == NULL);
    CHECK(free_report(&h, c) == NULL);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    free(mem);
}

TEST(check_finds_damage)
{
    enum { REGION = 64 << 10 };
    struct rt_heap h;
    void *mem = region(REGION);
    rt_heap_setup(&h, mem, REGION);
    unsigned char *a = rt_heap_alloc(&h, 64);
    unsigned char *b = rt_heap_alloc(&h, 64);
    CHECK(rt_heap_alloc(&h, 64) != NULL);
    rt_heap_free(&h, b);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    struct rt_heap_fault f;
    /* Overwrite the free block's list link. */
    unsigned char saved[8];
    memcpy(saved, b, 8);
    memset(b, 0x55, 8);
    CHECK_INT(rt_heap_check(&h, &f), -1);
    CHECK_STR(f.what, "free-list link out of the heap");
    CHECK(f.where == b - 16);
    memcpy(b, saved, 8);
    CHECK_INT(rt_heap_check(&h, NULL), 0);
    h.in_use += 16;
    CHECK_INT(rt_heap_check(&h, &f), -1);
    CHECK_STR(f.what, "allocation counters wrong");
    h.in_use -= 16;
    a[-8] ^= 2; /* the free-neighbour flag of a */
    CHECK_INT(rt_heap_check(&h, &f), -1);
    CHECK_STR(f.what, "free-neighbour flag wrong");
    CHECK(f.where == a - 16);
    a[-8] ^= 2;
    /* An overflow of a into b's header (b is free: its size goes). */
    memcpy(saved, b - 8, 8);
    memset(b - 8, 0, 8);
    CHECK_INT(rt_heap_check(&h, &f), -1);
    memcpy(b - 8, saved, 8);
    /* An overflow of a block in use into the next one's boundary tag. */
    unsigned char *c = rt_heap_alloc(&h, 64);
    CHECK(c == b);
    memset(a + 64, 0xee, 8);
    CHECK_INT(rt_heap_check(&h, &f), -1);
    CHECK_STR(f.what, "block header overwritten (overflow below?)");
    CHECK(f.where == c - 16);
    CHECK(free_report(&h, c) != NULL);
    free(mem);
}

TEST(region_above_the_top_is_never_touched)
{
    /* Only the first MiB is accessible: a heap that touched more of its
     * 64 MiB region at setup or while allocating little would fault. */
    enum { REGION = 64 << 20, OPEN = 1 << 20 };
    unsigned char *mem =
        mmap(NULL, REGION, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(mem != MAP_FAILED);
    CHECK(mprotect(mem, OPEN, PROT_READ | PROT_WRITE) == 0);
    struct rt_heap h;
    rt_heap_setup(&h, mem, REGION);
    void *blocks[100];
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 100; i++) {
            blocks[i] = rt_heap_alloc(&h, (size_t)(i * 37 % 4000));
            CHECK(blocks[i] != NULL);
        }
        for (int i = 0; i < 100; i += 1 + round % 3)
            rt_heap_free(&h, blocks[i]);
        CHECK_INT(rt_heap_check(&h, NULL), 0);
    }
    CHECK(h.top < (uintptr_t)mem + OPEN);
    munmap(mem, REGION);
}

int main(void)
{
    return test_main();
}
