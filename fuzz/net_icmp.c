/* libFuzzer target: ICMPv4 messages (IP and Ethernet headers are added,
 * and the ICMP checksum is corrected so that every message is parsed). */
#include "net_stack.h"

#include <mirage/ethernet.h>
#include <mirage/ip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    if (b->len >= 4) {
        mirage_put_be16(b->data + 2, 0);
        mirage_put_be16(b->data + 2,
                        mirage_csum_fold(mirage_csum_add(0, b->data, b->len)));
    }
    fuzz_push_ipv4(b, MIRAGE_IP_PROTO_ICMP);
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_IPV4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
