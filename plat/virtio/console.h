/* The console: every write goes to the 8250 UART and, once one is
 * started, to the first virtio console device (its port 0 transmit
 * queue), synchronously. */
#ifndef MIRAGE_PLAT_VIRTIO_CONSOLE_H
#define MIRAGE_PLAT_VIRTIO_CONSOLE_H

#include "transport.h"

/* Start d as the virtio console; a device that does not start is
 * reported and left alone. */
void virtio_console_start(struct virtio_dev *d);

#endif
