/* Packet buffers (include/mirage/buf.h): the header and the storage in one
 * allocation. */
#include <mirage/buf.h>
#include <mirage/ip.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* No offload marks, no queue link: as a new buffer. */
static void clear_marks(struct mirage_buf *b)
{
    b->next = NULL;
    b->offl = 0;
    b->gso_size = 0;
    b->csum_start = 0;
    b->csum_offset = 0;
}

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
    clear_marks(b);
    b->lend = NULL;
    return b;
}

struct mirage_buf *mirage_buf_alloc(size_t len)
{
    return mirage_buf_alloc_room(MIRAGE_BUF_HEADROOM, len);
}

bool mirage_buf_keep(struct mirage_buf *b)
{
    struct mirage_buf_lend *l = b->lend;
    if (!l)
        return false;
    l->asked = true;
    if (!l->spare)
        return false;
    l->kept = true;
    b->lend = NULL;
    return true;
}

struct mirage_buf *mirage_buf_reuse(struct mirage_buf *b, size_t headroom)
{
    if (mirage_buf_headroom(b) < headroom || !mirage_buf_keep(b))
        return mirage_buf_copy(b->data, b->len);
    clear_marks(b);
    return b;
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

void mirage_buf_csum_partial(struct mirage_buf *b, size_t field_off,
                             uint32_t psum)
{
    b->offl |= MIRAGE_BUF_CSUM_PARTIAL;
    b->csum_start = (uint32_t)mirage_buf_headroom(b);
    b->csum_offset = (uint16_t)field_off;
    while (psum >> 16)
        psum = (psum & 0xffff) + (psum >> 16);
    mirage_put_be16(b->data + field_off, (uint16_t)psum);
}

void mirage_buf_csum_finish(struct mirage_buf *b)
{
    if (!(b->offl & MIRAGE_BUF_CSUM_PARTIAL))
        return;
    uint8_t *start = b->base + b->csum_start;
    size_t len = (size_t)(b->data + b->len - start);
    /* The field holds the pseudo-header sum: summing over it adds it. */
    uint16_t sum = mirage_csum_fold(mirage_csum_add(0, start, len));
    if (sum == 0)
        sum = 0xffff; /* the same for TCP; 0 would mean none for UDP */
    mirage_put_be16(start + b->csum_offset, sum);
    b->offl &= (uint8_t)~MIRAGE_BUF_CSUM_PARTIAL;
}
