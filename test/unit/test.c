/* The unit-test harness: runs every registered TEST in order. */
#include "test.h"

#include <stdarg.h>

struct test_case *test_list;
int test_failed_here;
static const char *current;

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    printf("FAIL %s: %s:%d: ", current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    test_failed_here = 1;
}

int test_main(void)
{
    int failed = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (struct test_case *t = test_list; t; t = t->next) {
        current = t->name;
        test_failed_here = 0;
        t->fn();
        if (test_failed_here)
            failed++;
        else
            printf("PASS %s\n", t->name);
    }
    return failed ? 1 : 0;
}
