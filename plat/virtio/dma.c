/* Memory for the virtqueues and their buffers (see virtio.h): taken
 * downwards from the top of RAM, zeroed, before the stack and the heap
 * are placed below it. Guest-physical = virtual, so the device sees the
 * same addresses. */
#include "virtio.h"

static uintptr_t top, floor;

void virtio_dma_init(uintptr_t ram_top, uintptr_t lowest)
{
    top = ram_top;
    floor = lowest;
}

void *virtio_dma_alloc(size_t size, size_t align)
{
    if (size > top - floor)
        return NULL;
    uintptr_t p = (top - size) & ~(uintptr_t)(align - 1);
    if (p < floor)
        return NULL;
    top = p;
    unsigned char *b = (unsigned char *)p;
    for (size_t i = 0; i < size; i++)
        b[i] = 0;
    return b;
}

uintptr_t virtio_dma_low(void)
{
    return top;
}
