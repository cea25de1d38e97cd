/* The message ring of the syslog devices (ring.h): two bytes of length,
 * big-endian, then the message, wrapping around the buffer's end. */
#include "ring.h"

static void put(struct syslog_ring *r, size_t at, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r->buf[(at + i) % r->cap] = p[i];
}

static void get(const struct syslog_ring *r, size_t at, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = r->buf[(at + i) % r->cap];
}

void syslog_ring_init(struct syslog_ring *r, uint8_t *buf, size_t cap)
{
    *r = (struct syslog_ring){.buf = buf, .cap = cap};
}

static size_t oldest_len(const struct syslog_ring *r)
{
    uint8_t l[2];
    get(r, r->head, l, 2);
    return (size_t)l[0] << 8 | l[1];
}

void syslog_ring_pop(struct syslog_ring *r, size_t n)
{
    while (n-- && r->count) {
        size_t len = oldest_len(r) + 2;
        r->head = (r->head + len) % r->cap;
        r->used -= len;
        r->count--;
    }
}

size_t syslog_ring_push(struct syslog_ring *r, const void *msg, size_t len)
{
    size_t dropped = 0;
    if (len + 2 > r->cap || len > 0xffff)
        return 1; /* cannot ever fit: the message itself is dropped */
    while (r->cap - r->used < len + 2) {
        syslog_ring_pop(r, 1);
        dropped++;
    }
    uint8_t l[2] = {(uint8_t)(len >> 8), (uint8_t)len};
    size_t tail = (r->head + r->used) % r->cap;
    put(r, tail, l, 2);
    put(r, tail + 2, msg, len);
    r->used += len + 2;
    r->count++;
    return dropped;
}

size_t syslog_ring_peek(const struct syslog_ring *r, size_t index, void *out,
                        size_t size)
{
    if (index >= r->count)
        return 0;
    size_t at = r->head;
    for (size_t i = 0; i < index; i++) {
        uint8_t l[2];
        get(r, at, l, 2);
        at = (at + 2 + ((size_t)l[0] << 8 | l[1])) % r->cap;
    }
    uint8_t l[2];
    get(r, at, l, 2);
    size_t len = (size_t)l[0] << 8 | l[1];
    if (len > size)
        return 0;
    get(r, at + 2, out, len);
    return len;
}
