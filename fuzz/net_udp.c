/* libFuzzer target: UDP datagrams (IP and Ethernet headers are added).
 * A record's checksum is corrected unless it is zero ("none"), so the
 * fuzzer reaches the listeners and the port-unreachable path. */
#include "net_stack.h"

#include <mirage/ethernet.h>
#include <mirage/ip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void wrap(struct mirage_buf *b)
{
    if (b->len >= 8 && mirage_get_be16(b->data + 6) != 0) {
        struct mirage_ipaddr src = mirage_ipaddr_of_v4(FUZZ_PEER_IP);
        struct mirage_ipaddr dst = mirage_ipaddr_of_v4(FUZZ_OUR_IP);
        size_t len = mirage_get_be16(b->data + 4);
        if (len >= 8 && len <= b->len) {
            mirage_put_be16(b->data + 6, 0);
            uint16_t sum = mirage_csum_fold(mirage_csum_add(
                mirage_ip_pseudo_sum(&src, &dst, MIRAGE_IP_PROTO_UDP, len),
                b->data, len));
            mirage_put_be16(b->data + 6, sum ? sum : 0xffff);
        }
    }
    fuzz_push_ipv4(b, MIRAGE_IP_PROTO_UDP);
    fuzz_push_eth(b, MIRAGE_ETHERTYPE_IPV4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_net_run(data, size, wrap);
}
