/* <string.h>, <strings.h> and <ctype.h> of lib/rt against the host's libc
 * on many inputs (lib/rt built with t_ names, see libc_rename.h). */
#include "libc_t.h"
#include "test.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static unsigned char pool[1024];

static void fill_pool(unsigned seed)
{
    for (size_t i = 0; i < sizeof pool; i++) {
        seed = seed * 1103515245u + 12345u;
        pool[i] = (unsigned char)(seed >> 16);
    }
}

TEST(memcpy_memset_match_host_at_every_alignment)
{
    unsigned char a[600], b[600];
    fill_pool(1);
    for (size_t dst = 0; dst < 16; dst++) {
        for (size_t src = 0; src < 16; src++) {
            for (size_t n = 0; n < 300; n += 1 + n / 8) {
                memset(a, 0, sizeof a);
                memset(b, 0, sizeof b);
                CHECK(t_memcpy(a + dst, pool + src, n) == a + dst);
                memcpy(b + dst, pool + src, n);
                CHECK(!memcmp(a, b, sizeof a));
                CHECK(t_memset(a + src, (int)(n + 0x100), n) == a + src);
                memset(b + src, (int)(n + 0x100), n);
                CHECK(!memcmp(a, b, sizeof a));
            }
        }
    }
}

TEST(memmove_handles_overlap_both_ways)
{
    unsigned char a[700], b[700];
    for (size_t n = 0; n < 300; n += 1 + n / 6) {
        for (int shift = -20; shift <= 20; shift++) {
            for (size_t base = 100; base < 104; base++) {
                fill_pool((unsigned)(n * 41 + base));
                memcpy(a, pool, sizeof a);
                memcpy(b, pool, sizeof b);
                CHECK(t_memmove(a + base + shift, a + base, n) ==
                      a + base + shift);
                memmove(b + base + shift, b + base, n);
                CHECK(!memcmp(a, b, sizeof a));
            }
        }
    }
}

TEST(memcmp_memchr_memrchr_match_host)
{
    unsigned char a[300], b[300];
    fill_pool(7);
    memcpy(a, pool, sizeof a);
    for (size_t n = 0; n <= sizeof a; n += 1 + n / 10) {
        for (size_t diff = 0; diff < n; diff += 1 + diff / 3) {
            memcpy(b, a, sizeof b);
            b[diff] ^= (unsigned char)(diff * 13 + 1);
            CHECK_INT(sign(t_memcmp(a, b, n)), sign(memcmp(a, b, n)));
            CHECK_INT(sign(t_memcmp(b, a, n)), sign(memcmp(b, a, n)));
        }
        CHECK_INT(t_memcmp(a, a + 0, n), 0);
        for (int c = 0; c < 256; c += 17) {
            CHECK(t_memchr(a, c, n) == memchr(a, c, n));
            CHECK(t_memrchr(a, c, n) == memrchr(a, c, n));
            CHECK(t_memchr(a, c + 256, n) == memchr(a, c + 256, n));
        }
    }
}

static const char *const strs[] = {
    "",         "a",     "A",     "abc",         "abd",       "ab",
    "ABC",      "hello", "Hello", "hello world", "\xe9t\xe9", "\x7f",
    "a\tb c,d", "zzz",   "aaaa",  "mississippi", "issip",     "  lead",
    "x,y;;z",   ",,;",
};
#define N_STRS (sizeof strs / sizeof *strs)

TEST(comparisons_match_host)
{
    for (size_t i = 0; i < N_STRS; i++) {
        for (size_t j = 0; j < N_STRS; j++) {
            const char *a = strs[i], *b = strs[j];
            CHECK_INT(sign(t_strcmp(a, b)), sign(strcmp(a, b)));
            CHECK_INT(sign(t_strcasecmp(a, b)), sign(strcasecmp(a, b)));
            for (size_t n = 0; n < 8; n++) {
                CHECK_INT(sign(t_strncmp(a, b, n)), sign(strncmp(a, b, n)));
                CHECK_INT(sign(t_strncasecmp(a, b, n)),
                          sign(strncasecmp(a, b, n)));
            }
        }
    }
}

TEST(searches_match_host)
{
    for (size_t i = 0; i < N_STRS; i++) {
        const char *s = strs[i];
        CHECK_INT(t_strlen(s), strlen(s));
        for (size_t n = 0; n < 12; n++)
            CHECK_INT(t_strnlen(s, n), strnlen(s, n));
        for (int c = 0; c < 256; c++) {
            CHECK(t_strchr(s, c) == strchr(s, c));
            CHECK(t_strrchr(s, c) == strrchr(s, c));
        }
        for (size_t j = 0; j < N_STRS; j++) {
            const char *t = strs[j];
            CHECK(t_strstr(s, t) == strstr(s, t));
            CHECK_INT(t_strspn(s, t), strspn(s, t));
            CHECK_INT(t_strcspn(s, t), strcspn(s, t));
            CHECK(t_strpbrk(s, t) == strpbrk(s, t));
        }
    }
}

TEST(copies_match_host)
{
    for (size_t i = 0; i < N_STRS; i++) {
        const char *s = strs[i];
        char a[64], b[64];
        memset(a, 'x', sizeof a);
        memset(b, 'x', sizeof b);
        CHECK(t_strcpy(a, s) == a);
        strcpy(b, s);
        CHECK(!memcmp(a, b, sizeof a));
        for (size_t n = 0; n < 16; n++) {
            memset(a, 'x', sizeof a);
            memset(b, 'x', sizeof b);
            CHECK(t_strncpy(a, s, n) == a);
            strncpy(b, s, n);
            CHECK(!memcmp(a, b, sizeof a));
            strcpy(a, "pre");
            strcpy(b, "pre");
            CHECK(t_strncat(a, s, n) == a);
            strncat(b, s, n);
            CHECK(!memcmp(a, b, sizeof a));
            char *d = t_strndup(s, n);
            CHECK(d != NULL);
            CHECK_INT(strlen(d), strnlen(s, n));
            CHECK(!strncmp(d, s, n));
            free(d);
        }
        strcpy(a, "pre");
        strcpy(b, "pre");
        CHECK(t_strcat(a, s) == a);
        strcat(b, s);
        CHECK(!memcmp(a, b, sizeof a));
        char *d = t_strdup(s);
        CHECK(d && d != s);
        CHECK_STR(d, s);
        free(d);
    }
}

TEST(strtok_r_matches_host)
{
    static const char *const delims[] = {",", ";,", " \t", "xyz", ""};
    for (size_t i = 0; i < N_STRS; i++) {
        for (size_t d = 0; d < sizeof delims / sizeof *delims; d++) {
            char a[64], b[64];
            char *sa, *sb;
            strcpy(a, strs[i]);
            strcpy(b, strs[i]);
            char *ta = t_strtok_r(a, delims[d], &sa);
            char *tb = strtok_r(b, delims[d], &sb);
            for (;;) {
                CHECK((ta == NULL) == (tb == NULL));
                if (!ta)
                    break;
                CHECK(ta - a == tb - b);
                CHECK_STR(ta, tb);
                ta = t_strtok_r(NULL, delims[d], &sa);
                tb = strtok_r(NULL, delims[d], &sb);
            }
            /* Calls after the end keep returning NULL. */
            CHECK(t_strtok_r(NULL, delims[d], &sa) == NULL);
        }
    }
}

TEST(ctype_matches_host_c_locale)
{
    for (int c = -1; c < 256; c++) {
        CHECK_INT(!!t_isalnum(c), !!isalnum(c));
        CHECK_INT(!!t_isalpha(c), !!isalpha(c));
        CHECK_INT(!!t_isblank(c), !!isblank(c));
        CHECK_INT(!!t_iscntrl(c), !!iscntrl(c));
        CHECK_INT(!!t_isdigit(c), !!isdigit(c));
        CHECK_INT(!!t_isgraph(c), !!isgraph(c));
        CHECK_INT(!!t_islower(c), !!islower(c));
        CHECK_INT(!!t_isprint(c), !!isprint(c));
        CHECK_INT(!!t_ispunct(c), !!ispunct(c));
        CHECK_INT(!!t_isspace(c), !!isspace(c));
        CHECK_INT(!!t_isupper(c), !!isupper(c));
        CHECK_INT(!!t_isxdigit(c), !!isxdigit(c));
        CHECK_INT(t_tolower(c), tolower(c));
        CHECK_INT(t_toupper(c), toupper(c));
    }
}

int main(void)
{
    return test_main();
}
