/* A minimal unit-test harness for the hosted tests. Each TEST is one case
 * and prints "PASS name", "FAIL name: file:line: what" or, when it calls
 * SKIP, "SKIP name: why"; test/run counts the lines. test_main first
 * prints "PLAN N", N the number of registered TESTs, so that test/run
 * notices a program that stops before reporting every case.
 *
 *   TEST(parses_numbers) { CHECK(f(1) == 2); CHECK_STR(g(), "x"); }
 *   TEST(needs_tool) { if (!have_tool()) SKIP("no tool: %s", why); ... }
 *   int main(void) { return test_main(); }
 */
#ifndef MIRAGE_TEST_H
#define MIRAGE_TEST_H

#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    void (*fn)(void);
    struct test_case *next;
};
extern struct test_case *test_list;
extern int test_failed_here;
extern int test_skipped_here;

#define TEST(name)                                                             \
    static void test_##name(void);                                             \
    static struct test_case test_case_##name = {#name, test_##name, 0};        \
    __attribute__((constructor)) static void test_reg_##name(void)             \
    {                                                                          \
        struct test_case **p = &test_list;                                     \
        while (*p)                                                             \
            p = &(*p)->next;                                                   \
        *p = &test_case_##name;                                                \
    }                                                                          \
    static void test_##name(void)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            test_fail(__FILE__, __LINE__, "%s", #cond);                        \
            return;                                                            \
        }                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_) {                                                        \
            test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, \
                      b_);                                                     \
            return;                                                            \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
            test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)");                 \
            return;                                                            \
        }                                                                      \
    } while (0)

/* SKIP(fmt, ...): this case cannot run on this machine, for the reason
 * given; it ends the case. */
#define SKIP(...)                                                              \
    do {                                                                       \
        test_skip(__VA_ARGS__);                                                \
        return;                                                                \
    } while (0)

void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int test_main(void);

#endif
