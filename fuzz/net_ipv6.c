/* libFuzzer target: IPv6 packets from the extension header chain on
 * (fragments, reassembly, delivery). A record is a selector byte (source
 * and destination, see fuzz_push_ipv6), the first next-header value,
 * then the payload; the IPv6 and Ethernet headers are added. */
#include "net_stack.h"

#include <mirage/ethernet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    uint8_t sel = 0, nh = 59;
    if (b->len >= 2) {
        sel = b->data[0];
        nh = b->data[1];
        mirage_buf_pull(b, 2);
    }
    fuzz_push_ipv6(b, nh, sel);
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_IPV6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
