/* The unit-test harness: declares the plan, then runs every registered
 * TEST in order. */
#include "test.h"

#include <stdarg.h>

struct test_case *test_list;
int test_failed_here;
int test_skipped_here;
static const char *current;

/* The first failure of a case is its FAIL line; later ones (a test that
 * goes on after test_fail) follow it indented, so that each case reports
 * exactly one result. */
void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (test_failed_here)
        printf("    %s:%d: ", file, line);
    else
        printf("FAIL %s: %s:%d: ", current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    test_failed_here = 1;
}

void test_skip(const char *fmt, ...)
{
    va_list ap;
    printf("SKIP %s: ", current);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    test_skipped_here = 1;
}

int test_main(void)
{
    int failed = 0, planned = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (struct test_case *t = test_list; t; t = t->next)
        planned++;
    printf("PLAN %d\n", planned);
    for (struct test_case *t = test_list; t; t = t->next) {
        current = t->name;
        test_failed_here = 0;
        test_skipped_here = 0;
        t->fn();
        if (test_failed_here)
            failed++;
        else if (!test_skipped_here)
            printf("PASS %s\n", t->name);
    }
    return failed ? 1 : 0;
}
