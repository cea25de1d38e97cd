/* The kv_rw conformance suite run against direct_kv_rw, each test on a
 * fresh scratch directory under /tmp. */
#include <mirage/kv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_conformance.h"
#include "test.h"

static char dir[64];

int kv_conformance_open(struct mirage_kv_rw **out)
{
    strcpy(dir, "/tmp/mirage-kv-direct-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    return mirage_kv_rw_connect_direct(out, dir);
}

void kv_conformance_close(struct mirage_kv_rw *kv)
{
    mirage_kv_rw_disconnect(kv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    return test_main();
}
