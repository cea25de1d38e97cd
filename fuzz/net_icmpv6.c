/* libFuzzer target: ICMPv6 messages, Neighbor Discovery's included (NS,
 * NA, RS, RA with its options, redirects), MLD queries and errors. A
 * record is a selector byte (source and destination, see
 * fuzz_push_ipv6) then the message, whose checksum is corrected so that
 * every message is parsed; the IPv6 and Ethernet headers are added. */
#include "net_stack.h"

#include <mirage/ethernet.h>
#include <mirage/ipv6.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    uint8_t sel = 0;
    if (b->len >= 1) {
        sel = b->data[0];
        mirage_buf_pull(b, 1);
    }
    if (b->len >= 4) {
        const uint8_t *src, *dst;
        fuzz_ipv6_addrs(sel, &src, &dst);
        mirage_icmpv6_checksum(src, dst, b->data, b->len);
    }
    fuzz_push_ipv6(b, MIRAGE_IP_PROTO_ICMPV6, sel);
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_IPV6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
