/* plat_console_write on the virtio platform (see console.h). The virtio
 * console's output is copied into one DMA buffer, a chunk at a time,
 * each chunk waited for (at most a second) before the next. Only port
 * 0's transmit queue is set up: nothing is read from the console. */
#include "console.h"
#include "../solo5/say.h"
#include "io.h"
#include "virtio.h"

#include <mirage/plat.h>

#define TX_QUEUE   1 /* port 0's transmitq */
#define CHUNK      1024
#define TX_WAIT_NS 1000000000ull

static struct virtio_dev *dev;
static struct vq tx;
static char *chunk;

void virtio_console_start(struct virtio_dev *d)
{
    const char *why = "no memory for its buffer";
    chunk = virtio_dma_alloc(CHUNK, 16);
    if (chunk == NULL || virtio_negotiate(d, 0, &why) == 0 ||
        virtio_queue(d, TX_QUEUE, 4, &tx, &why) < 0) {
        solo5_say("virtio: console (", d->where, "): ", why, "; not used\n",
                  NULL);
        return;
    }
    virtio_driver_ok(d);
    dev = d;
}

static void console_send(const char *buf, size_t len)
{
    for (size_t off = 0; off < len && dev != NULL;) {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        for (size_t i = 0; i < n; i++)
            chunk[i] = buf[off + i];
        struct vq_seg s = {(uint64_t)(uintptr_t)chunk, (uint32_t)n, false};
        uint16_t head;
        uint32_t got;
        if (vq_add(&tx, &s, 1, &head) != VQ_OK) {
            dev = NULL;
            return;
        }
        dev->t->notify(dev, TX_QUEUE);
        uint64_t give_up = plat_clock_monotonic() + TX_WAIT_NS;
        int r;
        while ((r = vq_get(&tx, &head, &got)) == VQ_EMPTY &&
               plat_clock_monotonic() < give_up)
            cpu_relax();
        if (r != VQ_OK) {
            struct virtio_dev *d = dev;
            dev = NULL; /* before saying so, which writes here again */
            solo5_say("virtio: console (", d->where, "): ",
                      r == VQ_EMPTY ? "output not taken in a second"
                                    : vq_strerror(r),
                      "; not used any more\n", NULL);
            return;
        }
        off += n;
    }
}

void plat_console_write(const char *buf, size_t len)
{
    virtio_serial_write(buf, len);
    console_send(buf, len);
}
