/* The hooks run when the application's main ends (include/mirage/rt.h:
 * mirage_at_exit), kept apart from boot.c so that hosted tests link them
 * without the boot path. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/rt.h>
#include <string.h>

#define AT_EXIT_MAX 16

static struct {
    void (*fn)(void *);
    void *arg;
} hooks[AT_EXIT_MAX];
static int nhooks;

int mirage_at_exit(void (*fn)(void *arg), void *arg)
{
    if (nhooks == AT_EXIT_MAX)
        return MIRAGE_ENOSPC;
    hooks[nhooks].fn = fn;
    hooks[nhooks].arg = arg;
    nhooks++;
    return 0;
}

void mirage_at_exit_cancel(void (*fn)(void *arg), void *arg)
{
    for (int i = 0; i < nhooks; i++) {
        if (hooks[i].fn == fn && hooks[i].arg == arg) {
            memmove(&hooks[i], &hooks[i + 1],
                    (size_t)(nhooks - i - 1) * sizeof hooks[0]);
            nhooks--;
            return;
        }
    }
}

void rt_run_at_exit(void)
{
    while (nhooks > 0) {
        nhooks--;
        hooks[nhooks].fn(hooks[nhooks].arg);
    }
}
