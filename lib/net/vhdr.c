/* The virtio-net header of devices with offloads (vhdr.h). */
#include "vhdr.h"

#include <mirage/ethernet.h>
#include <mirage/net.h>

_Static_assert(MIRAGE_NET_OFFLOAD_CSUM == PLAT_NET_OFFLOAD_CSUM &&
                   MIRAGE_NET_OFFLOAD_TSO4 == PLAT_NET_OFFLOAD_TSO4 &&
                   MIRAGE_NET_OFFLOAD_TSO6 == PLAT_NET_OFFLOAD_TSO6,
               "net.h's offloads are plat.h's");

#define GSO_ECN 0x80 /* the peer used ECN: no meaning for us */

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

int vhdr_parse(const uint8_t *h, size_t frame_len, size_t mtu, uint32_t granted,
               uint8_t *offl, bool *gso)
{
    uint8_t flags = h[0], type = h[1] & (uint8_t)~GSO_ECN;
    size_t hdr_len = get_le16(h + 2), gso_size = get_le16(h + 4);
    size_t csum_start = get_le16(h + 6), csum_offset = get_le16(h + 8);
    if (flags & ~(PLAT_NET_VHDR_NEEDS_CSUM | PLAT_NET_VHDR_DATA_VALID))
        return -1;
    if (type == PLAT_NET_GSO_NONE) {
        if (frame_len > mtu + MIRAGE_ETH_HDR_LEN)
            return -1;
    } else {
        uint32_t tso = type == PLAT_NET_GSO_TCPV4   ? PLAT_NET_OFFLOAD_TSO4
                       : type == PLAT_NET_GSO_TCPV6 ? PLAT_NET_OFFLOAD_TSO6
                                                    : 0;
        if (!(granted & tso) || gso_size == 0 || hdr_len > frame_len)
            return -1;
    }
    if (flags & PLAT_NET_VHDR_NEEDS_CSUM) {
        if (!(granted & PLAT_NET_OFFLOAD_CSUM) ||
            csum_start + csum_offset + 2 > frame_len)
            return -1;
    }
    *gso = type != PLAT_NET_GSO_NONE;
    *offl = flags ? MIRAGE_BUF_CSUM_OK : 0;
    return 0;
}

int vhdr_build(uint8_t *h, struct mirage_buf *b, uint32_t granted)
{
    for (size_t i = 0; i < sizeof(struct plat_net_vhdr); i++)
        h[i] = 0;
    if ((b->offl & MIRAGE_BUF_CSUM_PARTIAL) &&
        !(granted & PLAT_NET_OFFLOAD_CSUM))
        mirage_buf_csum_finish(b);
    size_t start = b->csum_start - mirage_buf_headroom(b);
    if (b->gso_size) {
        uint16_t type =
            b->len >= MIRAGE_ETH_HDR_LEN ? mirage_get_be16(b->data + 12) : 0;
        uint8_t gso = 0;
        if (type == MIRAGE_ETHERTYPE_IPV4 && (granted & PLAT_NET_OFFLOAD_TSO4))
            gso = PLAT_NET_GSO_TCPV4;
        else if (type == MIRAGE_ETHERTYPE_IPV6 &&
                 (granted & PLAT_NET_OFFLOAD_TSO6))
            gso = PLAT_NET_GSO_TCPV6;
        if (!gso || !(b->offl & MIRAGE_BUF_CSUM_PARTIAL) ||
            b->csum_start < mirage_buf_headroom(b) || start + 13 > b->len)
            return -1;
        size_t hdr_len = start + (size_t)(b->data[start + 12] >> 4) * 4;
        if (hdr_len > b->len)
            return -1;
        h[1] = gso;
        put_le16(h + 2, (uint16_t)hdr_len);
        put_le16(h + 4, b->gso_size);
    }
    if (b->offl & MIRAGE_BUF_CSUM_PARTIAL) {
        if (b->csum_start < mirage_buf_headroom(b) ||
            start + b->csum_offset + 2 > b->len)
            return -1;
        h[0] = PLAT_NET_VHDR_NEEDS_CSUM;
        put_le16(h + 6, (uint16_t)start);
        put_le16(h + 8, b->csum_offset);
    }
    return 0;
}
