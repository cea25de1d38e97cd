/* The exit hooks (lib/rt/at_exit.c): run last registered first, once
 * each, cancelled ones not at all, at most 16 at once. */
#include "../../lib/rt/internal.h"
#include "test.h"

#include <mirage/error.h>
#include <mirage/rt.h>

static char order[32];
static int norder;

static void hook(void *arg)
{
    order[norder++] = *(const char *)arg;
    order[norder] = '\0';
}

TEST(hooks_run_last_first_once)
{
    static const char a = 'a', b = 'b', c = 'c';
    norder = 0;
    CHECK_INT(mirage_at_exit(hook, (void *)&a), 0);
    CHECK_INT(mirage_at_exit(hook, (void *)&b), 0);
    CHECK_INT(mirage_at_exit(hook, (void *)&c), 0);
    mirage_at_exit_cancel(hook, (void *)&b);
    mirage_at_exit_cancel(hook, (void *)&b); /* no longer there */
    rt_run_at_exit();
    CHECK_STR(order, "ca");
    rt_run_at_exit();
    CHECK_STR(order, "ca");
}

TEST(at_most_sixteen)
{
    static const char x = 'x';
    norder = 0;
    for (int i = 0; i < 16; i++)
        CHECK_INT(mirage_at_exit(hook, (void *)&x), 0);
    CHECK_INT(mirage_at_exit(hook, (void *)&x), MIRAGE_ENOSPC);
    rt_run_at_exit();
    CHECK_INT(norder, 16);
}

int main(void)
{
    return test_main();
}
