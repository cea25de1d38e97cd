/* The application directory's configure state (appdir.h). */
#include "appdir.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int appdir_unconfigure(void)
{
    static const char *const stale[] = {"Makefile", APPDIR_CONTEXT,
                                        APPDIR_INPUTS};
    int rc = 0;
    for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
        if (unlink(stale[i]) != 0 && errno != ENOENT) {
            fprintf(stderr, "mirage: cannot remove %s: %s\n", stale[i],
                    strerror(errno));
            rc = -1;
        }
    return rc;
}
