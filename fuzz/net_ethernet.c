/* libFuzzer target: whole Ethernet frames into the network stack. */
#include "net_stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    (void)b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
