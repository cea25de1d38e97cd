/* The network and block devices of the Solo5-style targets. devices.c
 * implements plat.h's device calls once for all of them: acquiring a
 * device by its manifest name and type, and checking every request
 * (acquired handle of the right type, frame and buffer sizes, one whole
 * block within the capacity) so that a bad one is PLAT_EINVAL on every
 * target alike. Each target provides only the transport declared here,
 * which devices.c calls once a request has passed the checks. */
#ifndef MIRAGE_PLAT_SOLO5_DEVICES_H
#define MIRAGE_PLAT_SOLO5_DEVICES_H

#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Switch network device h (entry e), whose tap has a virtio-net header
 * (MIRAGE_EXT_NET_VHDR), to the offloads S (MIRAGE_NET_OFFLOAD_*, a
 * subset of its net_vhdr with CSUM; 0: bare frames). PLAT_OK, or the
 * target's error, and then nothing changed. */
enum plat_result solo5_net_offload(plat_handle h,
                                   const struct solo5_mft_entry *e,
                                   uint32_t offloads);

/* The offloads network device h was switched to (0: it moves bare
 * frames). */
uint32_t solo5_net_offloads(plat_handle h);

/* Send the frame buf[0..len) on network device h (manifest entry e; len
 * fits its MTU plus the Ethernet header, or mirage_net_frame_max of its
 * offloads: buf then starts with the virtio-net header). PLAT_OK, or the
 * target's error (PLAT_EUNSPEC for a host failure). Does not block. */
enum plat_result solo5_net_send(plat_handle h, const struct solo5_mft_entry *e,
                                const void *buf, size_t len);

/* Receive one frame into buf (size bytes, enough for any frame) from
 * network device h (entry e): PLAT_OK with *read set, PLAT_AGAIN when no
 * frame is waiting, else the target's error. Does not block. */
enum plat_result solo5_net_receive(plat_handle h,
                                   const struct solo5_mft_entry *e, void *buf,
                                   size_t size, size_t *read);

/* Move one block between buf and block device h (entry e) at offset: to
 * the device if `write` (buf is then only read), else from it. size is
 * the block size and offset block-aligned within the capacity. PLAT_OK,
 * or the target's error (PLAT_EUNSPEC for a host failure or short
 * transfer). */
enum plat_result solo5_block_transfer(plat_handle h,
                                      const struct solo5_mft_entry *e,
                                      bool write, uint64_t offset, void *buf,
                                      size_t size);

#endif
