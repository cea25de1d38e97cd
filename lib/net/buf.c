/* Packet buffers (include/mirage/buf.h): the header and the storage in one
 * allocation. */
#include <mirage/buf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mirage_buf *mirage_buf_alloc_room(size_t headroom, size_t len)
{
    if (headroom > SIZE_MAX / 2 ||
        len > SIZE_MAX / 2 - headroom - sizeof(struct mirage_buf))
        return NULL;
    struct mirage_buf *b = malloc(sizeof *b + headroom + len);
    if (!b)
        return NULL;
    b->base = (uint8_t *)(b + 1);
    b->cap = headroom + len;
    b->data = b->base + headroom;
    b->len = len;
    b->next = NULL;
    return b;
}

struct mirage_buf *mirage_buf_alloc(size_t len)
{
    return mirage_buf_alloc_room(MIRAGE_BUF_HEADROOM, len);
}

struct mirage_buf *mirage_buf_copy(const void *src, size_t len)
{
    struct mirage_buf *b = mirage_buf_alloc(len);
    if (b && len)
        memcpy(b->data, src, len);
    return b;
}

void mirage_buf_free(struct mirage_buf *b)
{
    free(b);
}
