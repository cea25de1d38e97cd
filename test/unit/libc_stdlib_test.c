/* <stdlib.h> and <inttypes.h> of lib/rt apart from the allocator: number
 * parsing, qsort and bsearch against the host's libc; rand, exit and
 * abort (lib/rt built with t_ names, see libc_rename.h). */
#include "libc_t.h"
#include "test.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

static const char *const numbers[] = {
    "0",
    "1",
    "-1",
    "+42",
    "  \t\n 123abc",
    "-",
    "+",
    "",
    "   ",
    "x",
    "0x",
    "0x1f",
    "0XfF",
    "-0x10",
    "0xg",
    "010",
    "09",
    "0b101",
    "z",
    "Zz9",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "7fffffffffffffff",
    "8000000000000000",
    "ffffffffffffffff",
    "10000000000000000",
    "1777777777777777777777",
    "2000000000000000000000",
    "1y2",
};
#define N_NUMBERS (sizeof numbers / sizeof *numbers)
static const int bases[] = {0, 2, 8, 10, 16, 36, 3, 35};

#define SAME_PARSE(ours, host, s, base)                                        \
    do {                                                                       \
        char *e1, *e2;                                                         \
        errno = 0;                                                             \
        __typeof__(host(s, &e2, base)) r1 = ours(s, &e1, base);                \
        int err1 = errno;                                                      \
        errno = 0;                                                             \
        __typeof__(host(s, &e2, base)) r2 = host(s, &e2, base);                \
        int err2 = errno;                                                      \
        if (r1 != r2 || e1 != e2 || err1 != err2) {                            \
            test_fail(__FILE__, __LINE__,                                      \
                      "%s(\"%s\", %d): got %lld end +%td errno %d, host "      \
                      "%lld end +%td errno %d",                                \
                      #host, s, base, (long long)r1, e1 - s, err1,             \
                      (long long)r2, e2 - s, err2);                            \
            return;                                                            \
        }                                                                      \
    } while (0)

TEST(strto_functions_match_host)
{
    for (size_t i = 0; i < N_NUMBERS; i++) {
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
            const char *s = numbers[i];
            int base = bases[b];
            SAME_PARSE(t_strtol, strtol, s, base);
            SAME_PARSE(t_strtoll, strtoll, s, base);
            SAME_PARSE(t_strtoul, strtoul, s, base);
            SAME_PARSE(t_strtoull, strtoull, s, base);
            SAME_PARSE(t_strtoimax, strtoimax, s, base);
            SAME_PARSE(t_strtoumax, strtoumax, s, base);
        }
        CHECK_INT(t_atoi(numbers[i]), (int)strtol(numbers[i], NULL, 10));
        CHECK_INT(t_atol(numbers[i]), atol(numbers[i]));
        CHECK_INT(t_atoll(numbers[i]), atoll(numbers[i]));
    }
}

TEST(strto_rejects_bad_bases)
{
    static const int bad[] = {-1, 1, 37, 100, INT_MIN};
    const char *s = "123";
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *end = NULL;
        errno = 0;
        CHECK_INT(t_strtol(s, &end, bad[i]), 0);
        CHECK_INT(errno, EINVAL);
        CHECK(end == s);
        errno = 0;
        CHECK_INT(t_strtoull(s, NULL, bad[i]), 0);
        CHECK_INT(errno, EINVAL);
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct rec {
    long key;
    char pad[13];
};

static int cmp_rec(const void *a, const void *b)
{
    long x = ((const struct rec *)a)->key, y = ((const struct rec *)b)->key;
    return (x > y) - (x < y);
}

static int cmp_byte(const void *a, const void *b)
{
    return *(const unsigned char *)a - *(const unsigned char *)b;
}

TEST(qsort_matches_host)
{
    static int a[3000], b[3000];
    static struct rec ra[500], rb[500];
    static unsigned char ca[777], cb[777];
    unsigned seed = 12345;
    for (size_t n = 0; n <= 3000; n += 1 + n / 2) {
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* Few distinct values for larger n: many duplicates. */
            a[i] = b[i] = (int)(seed >> 8) % (n > 100 ? 50 : INT_MAX);
        }
        t_qsort(a, n, sizeof *a, cmp_int);
        qsort(b, n, sizeof *b, cmp_int);
        CHECK(!memcmp(a, b, n * sizeof *a));
        /* Already sorted and reversed inputs. */
        t_qsort(a, n, sizeof *a, cmp_int);
        CHECK(!memcmp(a, b, n * sizeof *a));
        for (size_t i = 0; i < n; i++)
            a[i] = b[n - 1 - i];
        t_qsort(a, n, sizeof *a, cmp_int);
        CHECK(!memcmp(a, b, n * sizeof *a));
    }
    for (size_t i = 0; i < 500; i++) {
        seed = seed * 1103515245u + 12345u;
        ra[i].key = rb[i].key = (long)seed - 7;
        memset(ra[i].pad, (int)i, sizeof ra[i].pad);
        rb[i] = ra[i];
    }
    t_qsort(ra, 500, sizeof *ra, cmp_rec);
    qsort(rb, 500, sizeof *rb, cmp_rec);
    CHECK(!memcmp(ra, rb, sizeof ra));
    for (size_t i = 0; i < sizeof ca; i++)
        ca[i] = cb[i] = (unsigned char)(i * 7919);
    t_qsort(ca, sizeof ca, 1, cmp_byte);
    qsort(cb, sizeof cb, 1, cmp_byte);
    CHECK(!memcmp(ca, cb, sizeof ca));
    t_qsort(NULL, 0, 4, cmp_int);
    t_qsort(a, 5, 0, cmp_int);
}

TEST(bsearch_finds_every_element_and_nothing_else)
{
    int a[101];
    for (int i = 0; i < 101; i++)
        a[i] = 2 * i;
    for (int n = 0; n <= 101; n++) {
        for (int k = -1; k <= 203; k++) {
            int *hit = t_bsearch(&k, a, (size_t)n, sizeof *a, cmp_int);
            if (k >= 0 && k % 2 == 0 && k / 2 < n)
                CHECK(hit == &a[k / 2]);
            else
                CHECK(hit == NULL);
        }
    }
}

TEST(integer_helpers)
{
    CHECK_INT(t_abs(-5), 5);
    CHECK_INT(t_abs(INT_MAX), INT_MAX);
    CHECK_INT(t_labs(-LONG_MAX), LONG_MAX);
    CHECK_INT(t_llabs(-3LL), 3);
}

TEST(rand_is_repeatable_and_in_range)
{
    int first[64];
    t_srand(99);
    for (int i = 0; i < 64; i++) {
        first[i] = t_rand();
        CHECK(first[i] >= 0 && first[i] <= RAND_MAX);
    }
    t_srand(99);
    for (int i = 0; i < 64; i++)
        CHECK_INT(t_rand(), first[i]);
    t_srand(100);
    int same = 0;
    for (int i = 0; i < 64; i++)
        same += t_rand() == first[i];
    CHECK(same < 4);
}

static void exit_with_pending_output(void)
{
    t_printf("no newline yet");
    t_exit(300);
}

static void abort_with_pending_output(void)
{
    t_printf("partial");
    t_abort();
}

TEST(exit_flushes_and_passes_the_status)
{
    console_reset();
    CHECK_INT(run_stopping(exit_with_pending_output), 300 & 255);
    CHECK_STR(console_out, "no newline yet");
}

TEST(abort_flushes_and_says_so)
{
    console_reset();
    CHECK_INT(run_stopping(abort_with_pending_output), STOP_ABORT);
    CHECK_STR(console_out, "partialabort()\n");
}

int main(void)
{
    return test_main();
}
