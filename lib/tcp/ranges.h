/* A small set of disjoint sequence-number ranges, kept sorted: the
 * out-of-order data a receiver holds (and reports in SACK blocks), and
 * the data a sender knows the peer holds (its SACK scoreboard). The set
 * is bounded (TCP_RANGES_MAX); ranges are compared modulo 2^32 relative
 * to the base the caller trims at. Nothing here allocates or yields. */
#ifndef MIRAGE_TCP_RANGES_H
#define MIRAGE_TCP_RANGES_H

#include "segment.h"

#include <stdbool.h>
#include <stdint.h>

#define TCP_RANGES_MAX 32

struct tcp_ranges {
    unsigned n;
    struct tcp_sack_block r[TCP_RANGES_MAX]; /* ascending, not touching */
};

static inline void tcp_ranges_clear(struct tcp_ranges *s)
{
    s->n = 0;
}
/* Add [start, end) (start < end), merging with the ranges it overlaps
 * or touches. Returns the index of the range now holding it, or -1 when
 * the set is full and the range touches none (the set is unchanged). */
int tcp_ranges_add(struct tcp_ranges *s, uint32_t start, uint32_t end);
/* Forget everything below seq: ranges ending at or below it go, a range
 * straddling it is cut to start there. */
void tcp_ranges_trim(struct tcp_ranges *s, uint32_t seq);
/* Bytes covered by the set. */
uint32_t tcp_ranges_bytes(const struct tcp_ranges *s);
/* Bytes covered at or above seq. */
uint32_t tcp_ranges_bytes_above(const struct tcp_ranges *s, uint32_t seq);
/* The end of the highest range; `none` when the set is empty. */
uint32_t tcp_ranges_high(const struct tcp_ranges *s, uint32_t none);
/* The first hole at or after seq below limit: true with [*start, *end)
 * the uncovered stretch (clipped to limit), false when [seq, limit) is
 * covered entirely. */
bool tcp_ranges_hole(const struct tcp_ranges *s, uint32_t seq, uint32_t limit,
                     uint32_t *start, uint32_t *end);

#endif
