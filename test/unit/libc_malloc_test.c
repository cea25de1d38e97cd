/* The libc allocation calls of lib/rt/malloc.c on a heap from
 * rt_heap_init, their error paths and the corruption report; strerror and
 * errno of lib/rt/errno.c (all built with t_ names, see module.mk). */
#include "../../lib/rt/internal.h"
#include "libc_t.h"
#include "test.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

void *t_malloc(size_t size);
void *t_calloc(size_t nmemb, size_t size);
void *t_realloc(void *ptr, size_t size);
void t_free(void *ptr);
void *t_aligned_alloc(size_t alignment, size_t size);
int t_posix_memalign(void **memptr, size_t alignment, size_t size);
size_t t_malloc_usable_size(void *ptr);
char *t_strerror(int err);
int *t___errno_location(void);
#define t_errno (*t___errno_location())

enum { REGION = 1 << 20 };
static unsigned char *region;

static void setup(void)
{
    if (!region)
        region = aligned_alloc(16, REGION);
    rt_heap_init(region, REGION);
}

TEST(malloc_free_and_usable_size)
{
    setup();
    unsigned char *p = t_malloc(100);
    CHECK(p != NULL && ((uintptr_t)p & 15) == 0);
    CHECK(t_malloc_usable_size(p) >= 100);
    CHECK_INT(t_malloc_usable_size(NULL), 0);
    memset(p, 1, 100);
    void *z = t_malloc(0);
    CHECK(z != NULL && z != p);
    t_free(p);
    t_free(z);
    t_free(NULL);
}

TEST(calloc_zeroes_and_checks_overflow)
{
    setup();
    unsigned char *p = t_malloc(64);
    memset(p, 0xff, 64);
    t_free(p);
    unsigned char *q = t_calloc(8, 8);
    CHECK(q != NULL);
    for (int i = 0; i < 64; i++)
        CHECK_INT(q[i], 0);
    t_free(q);
    t_errno = 0;
    CHECK(t_calloc(SIZE_MAX / 2, 3) == NULL);
    CHECK_INT(t_errno, ENOMEM);
    t_errno = 0;
    CHECK(t_calloc(REGION, 2) == NULL);
    CHECK_INT(t_errno, ENOMEM);
}

TEST(exhaustion_sets_enomem)
{
    setup();
    t_errno = 0;
    CHECK(t_malloc(REGION) == NULL);
    CHECK_INT(t_errno, ENOMEM);
    char *p = t_malloc(10);
    strcpy(p, "kept");
    t_errno = 0;
    CHECK(t_realloc(p, SIZE_MAX) == NULL);
    CHECK_INT(t_errno, ENOMEM);
    CHECK_STR(p, "kept");
    char *q = t_realloc(p, 5000);
    CHECK(q != NULL);
    CHECK_STR(q, "kept");
    CHECK(t_realloc(q, 0) != NULL);
    t_free(t_realloc(NULL, 3));
}

TEST(aligned_allocations_and_their_errors)
{
    setup();
    void *p = t_aligned_alloc(4096, 100);
    CHECK(p != NULL && ((uintptr_t)p & 4095) == 0);
    t_free(p);
    t_errno = 0;
    CHECK(t_aligned_alloc(48, 100) == NULL);
    CHECK_INT(t_errno, EINVAL);
    t_errno = 0;
    CHECK(t_aligned_alloc(64, REGION) == NULL);
    CHECK_INT(t_errno, ENOMEM);
    void *q = (void *)1;
    CHECK_INT(t_posix_memalign(&q, 256, 10), 0);
    CHECK(((uintptr_t)q & 255) == 0);
    t_free(q);
    q = (void *)1;
    CHECK_INT(t_posix_memalign(&q, 4, 10), EINVAL);
    CHECK_INT(t_posix_memalign(&q, 24, 10), EINVAL);
    CHECK_INT(t_posix_memalign(&q, 0, 10), EINVAL);
    CHECK_INT(t_posix_memalign(&q, 64, REGION), ENOMEM);
    CHECK(q == (void *)1);
}

static void double_free(void)
{
    void *p = t_malloc(32);
    CHECK(t_malloc(32) != NULL);
    t_free(p);
    t_free(p);
}

static void double_free_at_the_top(void)
{
    void *p = t_malloc(32);
    t_free(p);
    t_free(p);
}

static void overflowing_write(void)
{
    char *p = t_malloc(32);
    CHECK(t_malloc(32) != NULL);
    memset(p, 'x', t_malloc_usable_size(p) + 1);
    t_free(p);
}

TEST(misuse_prints_and_aborts)
{
    setup();
    console_reset();
    CHECK_INT(run_stopping(double_free), STOP_ABORT);
    CHECK(!strncmp(console_out, "malloc: double free (0x", 23));
    CHECK(console_out[console_len - 1] == '\n');
    setup();
    console_reset();
    CHECK_INT(run_stopping(double_free_at_the_top), STOP_ABORT);
    CHECK(
        !strncmp(console_out, "malloc: block not in use (double free?) (", 41));
    setup();
    console_reset();
    CHECK_INT(run_stopping(overflowing_write), STOP_ABORT);
    CHECK(
        !strncmp(console_out, "malloc: write past the end of the block (", 41));
}

/* The image's switch of the check mode (MIRAGE_HEAP_CHECK_ON). */
bool mirage_heap_check;

/* An overflow into the next block's tag that no free or realloc of
 * either block comes to see: only the check mode finds it, at the next
 * allocation of anything. */
static void overflow_then_malloc(void)
{
    char *p = t_malloc(32);
    CHECK(t_malloc(32) != NULL);
    memset(p, 'x', t_malloc_usable_size(p) + 1);
    t_free(t_malloc(100));
}

TEST(check_mode_finds_corruption_at_the_next_call)
{
    setup();
    console_reset();
    CHECK_INT(run_stopping(overflow_then_malloc), STOP_RETURNED);
    CHECK_INT(console_len, 0);
    setup();
    mirage_heap_check = true;
    int status = run_stopping(overflow_then_malloc);
    mirage_heap_check = false;
    CHECK_INT(status, STOP_ABORT);
    const char *want = "malloc: heap check before malloc: block header "
                       "overwritten (overflow below?) (0x";
    CHECK(!strncmp(console_out, want, strlen(want)));
    CHECK(console_out[console_len - 1] == '\n');
    CHECK_INT(console_writes, 1);
}

TEST(check_mode_passes_a_sound_heap)
{
    setup();
    mirage_heap_check = true;
    void *p[64];
    for (int i = 0; i < 64; i++)
        p[i] = t_malloc((size_t)(i * 13 % 500));
    for (int i = 0; i < 64; i += 2)
        t_free(p[i]);
    for (int i = 0; i < 64; i += 2)
        p[i] = t_realloc(p[i + 1], 700);
    void *q;
    CHECK_INT(t_posix_memalign(&q, 256, 100), 0);
    t_free(t_aligned_alloc(64, 10));
    t_free(t_calloc(3, 7));
    t_free(q);
    for (int i = 0; i < 64; i += 2)
        t_free(p[i]);
    mirage_heap_check = false;
    CHECK(p[0] != NULL);
}

TEST(strerror_names_errno_values)
{
    CHECK_STR(t_strerror(0), "success");
    CHECK_STR(t_strerror(ENOMEM), "out of memory");
    CHECK_STR(t_strerror(EINVAL), "invalid argument");
    CHECK_STR(t_strerror(ECONNREFUSED), "connection refused");
    CHECK_STR(t_strerror(9999), "error 9999");
    CHECK_STR(t_strerror(-3), "error -3");
    CHECK_STR(t_strerror(ESRCH), "error 3");
    t_errno = 5;
    CHECK_INT(*t___errno_location(), 5);
}

int main(void)
{
    return test_main();
}
