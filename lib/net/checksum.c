/* The Internet checksum (RFC 1071) and the pseudo-header sums. */
#include <mirage/ip.h>

/* The one's complement sum does not depend on the byte order it is done
 * in (RFC 1071 2(B)): the data is summed as little-endian 32-bit words,
 * folded to 16 bits, and byte-swapped into network order at the end. */
uint32_t mirage_csum_add(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t acc = 0;
    while (len >= 8) {
        uint64_t v;
        __builtin_memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v);
#endif
        acc += (v & 0xffffffffu) + (v >> 32);
        p += 8;
        len -= 8;
    }
    while (len >= 2) {
        acc += (uint64_t)p[0] | (uint64_t)p[1] << 8;
        p += 2;
        len -= 2;
    }
    if (len)
        acc += p[0];
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    uint64_t total = (uint64_t)sum + ((acc & 0xff) << 8 | acc >> 8);
    while (total >> 32)
        total = (total & 0xffffffffu) + (total >> 32);
    return (uint32_t)total;
}

uint16_t mirage_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t mirage_ip_pseudo_sum(const struct mirage_ipaddr *src,
                              const struct mirage_ipaddr *dst, uint8_t proto,
                              size_t len)
{
    uint64_t acc = proto;
    if (src->version == MIRAGE_IP_V4) {
        acc += (src->v4 >> 16) + (src->v4 & 0xffff);
        acc += (dst->v4 >> 16) + (dst->v4 & 0xffff);
        acc += len & 0xffff;
    } else {
        acc = mirage_csum_add((uint32_t)acc, src->v6, 16);
        acc = mirage_csum_add((uint32_t)acc, dst->v6, 16);
        acc += (len >> 16) + (len & 0xffff);
    }
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return (uint32_t)acc;
}
