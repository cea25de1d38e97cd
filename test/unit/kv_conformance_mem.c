/* The kv_rw conformance suite run against kv_rw_mem. */
#include <mirage/kv.h>

#include "kv_conformance.h"
#include "test.h"

int kv_conformance_open(struct mirage_kv_rw **out)
{
    return mirage_kv_rw_connect_mem(out);
}

void kv_conformance_close(struct mirage_kv_rw *kv)
{
    mirage_kv_rw_disconnect(kv);
}

int main(void)
{
    return test_main();
}
