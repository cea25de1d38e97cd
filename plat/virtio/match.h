/* Which virtio device serves which device of the image's manifest: the
 * manifest's network (block) devices, in manifest order, take the
 * virtio-net (virtio-blk) devices in discovery order, except those the
 * command line assigns (virtio.net:NAME=N, cmdline.h), which take their
 * Nth device. Pure, tested hosted. */
#ifndef MIRAGE_PLAT_VIRTIO_MATCH_H
#define MIRAGE_PLAT_VIRTIO_MATCH_H

#include "cmdline.h"

#include <mirage/solo5.h>

#define MATCH_MSG_SIZE 256

/* types[0..ndev) are the discovered devices' virtio types. On success
 * returns 0 and sets assign[i] for every manifest entry i (entry 0 and
 * entries of other types get -1) to the index in types of its device.
 * Otherwise returns -1 with one line (no newline) in msg: an assignment
 * naming a device the manifest lacks, an index past the devices found,
 * a device assigned twice, or a manifest device left without one. */
int virtio_match(const uint32_t *types, unsigned ndev,
                 const struct solo5_mft *mft, const struct virtio_args *a,
                 int *assign, char msg[MATCH_MSG_SIZE]);

#endif
