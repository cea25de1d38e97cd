/* libFuzzer target: ARP packets (the Ethernet header is added). */
#include "net_stack.h"

#include <mirage/ethernet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_ARP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
