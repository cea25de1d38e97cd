/* libFuzzer target: IPv4 packets, fragments included (the Ethernet header
 * is added). When a record's header is long enough its checksum is
 * corrected, so the fuzzer reaches reassembly and the protocols. */
#include "net_stack.h"

#include <mirage/ethernet.h>
#include <mirage/ip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    if (b->len >= 20) {
        size_t hl = (size_t)(b->data[0] & 15) * 4;
        if (hl >= 20 && hl <= b->len) {
            mirage_put_be16(b->data + 10, 0);
            mirage_put_be16(b->data + 10,
                            mirage_csum_fold(mirage_csum_add(0, b->data, hl)));
        }
    }
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_IPV4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
