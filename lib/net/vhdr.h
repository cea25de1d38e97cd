/* The virtio-net header (plat.h's struct plat_net_vhdr) of a device
 * with offloads: checking the one in front of a received frame, and
 * building the one for a frame to send from its buffer's offload marks
 * (buf.h). Internal to lib/net (netif.c and its tests). */
#ifndef MIRAGE_NET_VHDR_H
#define MIRAGE_NET_VHDR_H

#include <mirage/buf.h>
#include <mirage/plat.h>
#include <stddef.h>
#include <stdint.h>

/* The header at h (sizeof(struct plat_net_vhdr) bytes, little-endian) of a
 * received frame of frame_len bytes (after the header), on a device with MTU
 * mtu that granted the offloads in granted (MIRAGE_NET_OFFLOAD_*): 0 with *offl
 * the buffer's marks (MIRAGE_BUF_CSUM_OK or 0) and *gso true for a coalesced
 * super-segment; -1 when the header is impossible: unknown flags, a GSO type
 * other than TCP over IPv4 or IPv6 (ECN bit allowed) or one not granted, a GSO
 * frame with gso_size 0 or hdr_len beyond the frame, NEEDS_CSUM without CSUM
 * granted or with csum_start or the checksum field beyond the frame, or a frame
 * that is not a GSO one but longer than mtu + 14. */
int vhdr_parse(const uint8_t *h, size_t frame_len, size_t mtu, uint32_t granted,
               uint8_t *offl, bool *gso);

/* Write at h the header for the frame in b (data = its Ethernet
 * header), on a device that granted `granted`: NEEDS_CSUM with
 * csum_start/csum_offset for a CSUM_PARTIAL buffer, and the GSO fields
 * for a super-segment (TCPV4 or TCPV6 by its ethertype; hdr_len up to
 * the end of its TCP header). A CSUM_PARTIAL buffer on a device without
 * CSUM gets its checksum finished here. 0, or -1 when b is a
 * super-segment the device cannot cut (TSO not granted for its IP
 * version, or headers that do not fit the frame). */
int vhdr_build(uint8_t *h, struct mirage_buf *b, uint32_t granted);

#endif
