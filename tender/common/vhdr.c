/* Checking the virtio-net header of the frames a guest sends
 * (MIRAGE_EXT_NET_VHDR), before the kernel sees them. */
#include <string.h>

#include "tender.h"

#define ETHERNET_HEADER 14

int tender_vhdr_check(const uint8_t *frame, uint64_t len, uint16_t mtu,
                      uint32_t offloads, char *err)
{
    struct mirage_net_vhdr h;
    if (len < sizeof h + ETHERNET_HEADER)
        return tender_errf(err, "frame of %llu bytes with its header",
                           (unsigned long long)len);
    memcpy(&h, frame, sizeof h);
    uint64_t n = len - sizeof h; /* the Ethernet frame */
    if (h.flags & ~MIRAGE_NET_VHDR_NEEDS_CSUM)
        return tender_errf(err, "bad flags 0x%x", h.flags);
    if (h.flags & MIRAGE_NET_VHDR_NEEDS_CSUM) {
        if (!(offloads & MIRAGE_NET_OFFLOAD_CSUM))
            return tender_errf(err, "NEEDS_CSUM without the CSUM offload");
        if ((uint64_t)h.csum_start + h.csum_offset + 2 > n)
            return tender_errf(err,
                               "checksum at %u + %u past the frame's %llu "
                               "bytes",
                               h.csum_start, h.csum_offset,
                               (unsigned long long)n);
    }
    uint32_t tso = h.gso_type == MIRAGE_NET_GSO_TCPV4 ? MIRAGE_NET_OFFLOAD_TSO4
                   : h.gso_type == MIRAGE_NET_GSO_TCPV6
                       ? MIRAGE_NET_OFFLOAD_TSO6
                       : 0;
    if (h.gso_type == MIRAGE_NET_GSO_NONE) {
        if (n > (uint64_t)mtu + ETHERNET_HEADER)
            return tender_errf(err, "frame of %llu bytes over the MTU",
                               (unsigned long long)n);
        return 0;
    }
    if (tso == 0 || !(offloads & tso))
        return tender_errf(err, "gso_type %u not granted", h.gso_type);
    if (!(h.flags & MIRAGE_NET_VHDR_NEEDS_CSUM))
        return tender_errf(err, "GSO frame without NEEDS_CSUM");
    if (h.gso_size == 0 || h.hdr_len == 0 || h.hdr_len > n)
        return tender_errf(err, "GSO frame with gso_size %u, hdr_len %u",
                           h.gso_size, h.hdr_len);
    if (n > MIRAGE_NET_GSO_MAX)
        return tender_errf(err, "GSO frame of %llu bytes",
                           (unsigned long long)n);
    return 0;
}
