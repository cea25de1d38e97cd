/* rt_vformat (lib/rt/format.c) against the host's snprintf: generated
 * combinations of flags, widths, precisions, length modifiers, conversions
 * and edge values, plus the directives where we choose our own output. */
#include "../../lib/rt/internal.h"
#include "test.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct buf {
    char data[512];
    size_t len;
};

static void put_buf(void *ctx, const char *s, size_t n)
{
    struct buf *b = ctx;
    size_t room = sizeof b->data - b->len;
    memcpy(b->data + b->len, s, n < room ? n : room);
    b->len += n < room ? n : room;
}

static int ours(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    b->len = 0;
    va_start(ap, fmt);
    int n = rt_vformat(put_buf, b, fmt, ap);
    va_end(ap);
    return n;
}

static int cases, mismatches;

/* Compare our output (in b, n) with the host's (h, hn) for fmt. */
static void compare(const char *fmt, const char *what, struct buf *b, int n,
                    const char *h, int hn)
{
    cases++;
    if (n == hn && b->len == (size_t)hn && !memcmp(b->data, h, b->len))
        return;
    if (++mismatches <= 30)
        printf("  mismatch: format \"%s\" with %s: got %d \"%.*s\", host %d "
               "\"%s\"\n",
               fmt, what, n, (int)b->len, b->data, hn, h);
}

/* Run fmt through both with the star arguments it has, then x. */
#define BOTH(fmt, nstars, s1, s2, what, x)                                     \
    do {                                                                       \
        struct buf b_;                                                         \
        char h_[512];                                                          \
        int n_, hn_;                                                           \
        if ((nstars) == 0) {                                                   \
            n_ = ours(&b_, fmt, x);                                            \
            hn_ = snprintf(h_, sizeof h_, fmt, x);                             \
        } else if ((nstars) == 1) {                                            \
            n_ = ours(&b_, fmt, s1, x);                                        \
            hn_ = snprintf(h_, sizeof h_, fmt, s1, x);                         \
        } else {                                                               \
            n_ = ours(&b_, fmt, s1, s2, x);                                    \
            hn_ = snprintf(h_, sizeof h_, fmt, s1, s2, x);                     \
        }                                                                      \
        compare(fmt, what, &b_, n_, h_, hn_);                                  \
    } while (0)

static const char *const widths[] = {"", "1", "7", "20", "*", "*"};
static const int width_stars[] = {0, 0, 0, 0, 12, -12};
static const char *const precs[] = {"",   ".",   ".0", ".1",
                                    ".7", ".25", ".*", ".*"};
static const int prec_stars[] = {0, 0, 0, 0, 0, 0, 3, -1};
static const char flag_chars[] = "-+ #0";

/* Call fn for every flags x width x precision around "%" LEN CONV. */
static void each_spec(const char *len, char conv,
                      void (*fn)(const char *fmt, int nstars, int s1, int s2))
{
    for (int flags = 0; flags < 32; flags++) {
        char fl[6];
        size_t k = 0;
        for (int i = 0; i < 5; i++) {
            if (flags & (1 << i))
                fl[k++] = flag_chars[i];
        }
        fl[k] = '\0';
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
            for (size_t p = 0; p < sizeof precs / sizeof *precs; p++) {
                char fmt[32];
                snprintf(fmt, sizeof fmt, "[%%%s%s%s%s%c]", fl, widths[w],
                         precs[p], len, conv);
                int stars[2], n = 0;
                if (*widths[w] == '*')
                    stars[n++] = width_stars[w];
                if (strchr(precs[p], '*'))
                    stars[n++] = prec_stars[p];
                fn(fmt, n, n > 0 ? stars[0] : 0, n > 1 ? stars[1] : 0);
            }
        }
    }
}

static const long long int_values[] = {
    0,
    1,
    -1,
    42,
    -42,
    127,
    128,
    255,
    256,
    65535,
    65536,
    INT_MAX,
    INT_MIN,
    UINT_MAX,
    LLONG_MAX,
    LLONG_MIN,
    0x123456789abcdefLL,
};
#define N_INT_VALUES (sizeof int_values / sizeof *int_values)

static void int_case(const char *fmt, int nstars, int s1, int s2)
{
    /* The modifier sets the argument's size: hh, h and none take an int;
     * l, ll, j, z and t a 64-bit one. */
    int wide = strpbrk(fmt, "ljzt") != NULL;
    for (size_t i = 0; i < N_INT_VALUES; i++) {
        char what[40];
        snprintf(what, sizeof what, "%lld", int_values[i]);
        if (wide)
            BOTH(fmt, nstars, s1, s2, what, int_values[i]);
        else
            BOTH(fmt, nstars, s1, s2, what, (int)int_values[i]);
    }
}

TEST(integer_conversions_match_host)
{
    static const char *const lens[] = {"", "hh", "h", "l", "ll", "j", "z", "t"};
    cases = mismatches = 0;
    for (const char *c = "diouxX"; *c; c++) {
        for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
            each_spec(lens[l], *c, int_case);
    }
    printf("  %d integer cases\n", cases);
    CHECK(cases > 500000);
    CHECK_INT(mismatches, 0);
}

static void char_case(const char *fmt, int nstars, int s1, int s2)
{
    static const int values[] = {'A', 'z', ' ', 0x7f, 0xe9};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        BOTH(fmt, nstars, s1, s2, "a char", values[i]);
}

static void string_case(const char *fmt, int nstars, int s1, int s2)
{
    static const char *const values[] = {"", "a", "hello", "hello, world!",
                                         NULL};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        BOTH(fmt, nstars, s1, s2, values[i] ? values[i] : "NULL", values[i]);
}

static void pointer_case(const char *fmt, int nstars, int s1, int s2)
{
    static void *const values[] = {NULL, (void *)1, (void *)0xdeadbeef,
                                   (void *)UINTPTR_MAX};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        BOTH(fmt, nstars, s1, s2, "a pointer", values[i]);
}

TEST(char_string_pointer_conversions_match_host)
{
    cases = mismatches = 0;
    each_spec("", 'c', char_case);
    each_spec("", 's', string_case);
    each_spec("", 'p', pointer_case);
    printf("  %d char, string and pointer cases\n", cases);
    CHECK(cases > 20000);
    CHECK_INT(mismatches, 0);
}

TEST(mixed_formats_match_host)
{
    static const char *const fmts[] = {
        "plain text",      "%d%%",           "%5d|%-5d|%05d", "%s=%d (%#x)",
        "%zu bytes at %p", "%lld %llu %llx", "[%*.*d]",       "%c%c%c",
        "%%d is %d",
    };
    struct buf b;
    char h[512];
    cases = mismatches = 0;
    compare(fmts[0], "", &b, ours(&b, fmts[0], 0), h,
            snprintf(h, sizeof h, fmts[0], 0));
    compare(fmts[1], "", &b, ours(&b, fmts[1], 100), h,
            snprintf(h, sizeof h, fmts[1], 100));
    compare(fmts[2], "", &b, ours(&b, fmts[2], -3, 4, -5), h,
            snprintf(h, sizeof h, fmts[2], -3, 4, -5));
    compare(fmts[3], "", &b, ours(&b, fmts[3], "key", 10, 255), h,
            snprintf(h, sizeof h, fmts[3], "key", 10, 255));
    compare(fmts[4], "", &b, ours(&b, fmts[4], (size_t)4096, (void *)&b), h,
            snprintf(h, sizeof h, fmts[4], (size_t)4096, (void *)&b));
    compare(fmts[5], "", &b, ours(&b, fmts[5], LLONG_MIN, ULLONG_MAX, 1ULL), h,
            snprintf(h, sizeof h, fmts[5], LLONG_MIN, ULLONG_MAX, 1ULL));
    compare(fmts[6], "", &b, ours(&b, fmts[6], 8, 4, 42), h,
            snprintf(h, sizeof h, fmts[6], 8, 4, 42));
    compare(fmts[7], "", &b, ours(&b, fmts[7], 'a', 'b', 'c'), h,
            snprintf(h, sizeof h, fmts[7], 'a', 'b', 'c'));
    compare(fmts[8], "", &b, ours(&b, fmts[8], 7), h,
            snprintf(h, sizeof h, fmts[8], 7));
    CHECK_INT(mismatches, 0);
}

TEST(percent_n_stores_the_count)
{
    struct buf b;
    int n = -1;
    signed char hh = -1;
    short h = -1;
    long l = -1;
    long long ll = -1;
    size_t z = 99;
    CHECK_INT(ours(&b, "abc%n", &n), 3);
    CHECK_INT(n, 3);
    CHECK_INT(ours(&b, "%5d%hhn|%hn", 1, &hh, &h), 6);
    CHECK_INT(hh, 5);
    CHECK_INT(h, 6);
    CHECK_INT(ours(&b, "%ln%s%lln%zn", &l, "xy", &ll, &z), 2);
    CHECK_INT(l, 0);
    CHECK_INT(ll, 2);
    CHECK_INT(z, 2);
}

static void check_ours(const char *fmt, int n_expected, const char *expected,
                       ...)
{
    struct buf b;
    va_list ap;
    va_start(ap, expected);
    b.len = 0;
    int n = rt_vformat(put_buf, &b, fmt, ap);
    va_end(ap);
    if (n != n_expected || b.len != strlen(expected) ||
        memcmp(b.data, expected, b.len)) {
        printf("  \"%s\": got %d \"%.*s\", expected %d \"%s\"\n", fmt, n,
               (int)b.len, b.data, n_expected, expected);
        mismatches++;
    }
}

TEST(unsupported_directives_print_literally)
{
    mismatches = 0;
    /* Floating point consumes no argument: the int after it still prints. */
    check_ours("%f|%d", 4, "%f|7", 7);
    check_ours("%5.2e %g %A", 11, "%5.2e %g %A", 0);
    check_ours("%Lf %d", 5, "%Lf 1", 1);
    check_ours("%lc%ls%d", 8, "%lc%ls-2", -2);
    check_ours("%y %d", 4, "%y 3", 3);
    check_ours("trailing %", 10, "trailing %", 0);
    check_ours("trailing %-5", 12, "trailing %-5", 0);
    check_ours("100%%", 4, "100%", 0);
    CHECK_INT(mismatches, 0);
}

TEST(oversized_width_or_precision_fails)
{
    struct buf b;
    CHECK_INT(ours(&b, "%2147483648d", 1), -1);
    CHECK_INT(ours(&b, "%.2147483648d", 1), -1);
    CHECK_INT(ours(&b, "%*d", INT_MIN, 1), -1);
    CHECK_INT(ours(&b, "ok %2147483647d", 1), -1);
    CHECK_INT(b.len, sizeof b.data);
}

TEST(long_output_is_passed_in_pieces)
{
    struct buf b;
    CHECK_INT(ours(&b, "%300s|%-200d|", "x", 5), 502);
    CHECK_INT(b.len, 502);
    CHECK(b.data[299] == 'x' && b.data[300] == '|' && b.data[301] == '5');
    CHECK(b.data[501] == '|' && b.data[500] == ' ');
}

int main(void)
{
    return test_main();
}
