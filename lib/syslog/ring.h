/* A bounded ring of messages (bytes, each with its length), oldest
 * first, for the syslog devices: pushing into a full ring drops the
 * oldest messages. Internal to lib/syslog. */
#ifndef MIRAGE_SYSLOG_RING_H
#define MIRAGE_SYSLOG_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syslog_ring {
    uint8_t *buf;
    size_t cap, head, used; /* bytes; head: the oldest message */
    size_t count;           /* messages */
};

/* A ring of cap bytes over buf. */
void syslog_ring_init(struct syslog_ring *r, uint8_t *buf, size_t cap);
/* Add a message of len bytes (len + 2 at most cap), dropping the oldest
 * ones for room: returns how many were dropped. */
size_t syslog_ring_push(struct syslog_ring *r, const void *msg, size_t len);
/* Copy the message `index` places from the oldest into out (room for
 * size bytes): its length, or 0 when there is no such message (or it
 * does not fit). */
size_t syslog_ring_peek(const struct syslog_ring *r, size_t index, void *out,
                        size_t size);
/* Remove the n oldest messages. */
void syslog_ring_pop(struct syslog_ring *r, size_t n);

#endif
