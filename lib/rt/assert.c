/* The failure path of assert() (<assert.h>). */
#include <mirage/plat.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __assert_fail(const char *expr, const char *file,
                             unsigned int line, const char *func)
{
    fprintf(stderr, "Assertion failed: %s (%s:%u: %s)\n", expr, file, line,
            func);
    abort();
}
