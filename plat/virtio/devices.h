/* The virtio devices of the machine (devices.c): found on the command
 * line (virtio-mmio) and on PCI, matched to the image's manifest
 * (match.h), started, and recorded in a writable copy of the manifest
 * that plat/solo5's device calls use (attached, MAC, MTU, capacity,
 * block size, and b.data pointing at the driver). */
#ifndef MIRAGE_PLAT_VIRTIO_DEVICES_H
#define MIRAGE_PLAT_VIRTIO_DEVICES_H

#include "cmdline.h"

#include <mirage/solo5.h>

#define VIRTIO_DEVICES_MAX 32

/* Discover and start the devices, and return the filled-in manifest
 * copy. A device the manifest needs that is missing or does not start
 * is reported and the guest exits with status 1. */
const struct solo5_mft *virtio_devices_init(const struct virtio_args *a);

#endif
