/* Sorted sets of disjoint sequence-number ranges. */
#include "ranges.h"

#include "seq.h"

#include <string.h>

int tcp_ranges_add(struct tcp_ranges *s, uint32_t start, uint32_t end)
{
    unsigned i = 0;
    while (i < s->n && seq_lt(s->r[i].end, start))
        i++;
    /* Ranges i .. j-1 overlap or touch [start, end). */
    unsigned j = i;
    while (j < s->n && seq_le(s->r[j].start, end))
        j++;
    if (i == j) {
        if (s->n == TCP_RANGES_MAX)
            return -1;
        memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof s->r[0]);
        s->r[i].start = start;
        s->r[i].end = end;
        s->n++;
        return (int)i;
    }
    s->r[i].start = seq_min(s->r[i].start, start);
    s->r[i].end = seq_max(s->r[j - 1].end, end);
    memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof s->r[0]);
    s->n -= j - i - 1;
    return (int)i;
}

void tcp_ranges_trim(struct tcp_ranges *s, uint32_t seq)
{
    unsigned i = 0;
    while (i < s->n && seq_le(s->r[i].end, seq))
        i++;
    memmove(&s->r[0], &s->r[i], (s->n - i) * sizeof s->r[0]);
    s->n -= i;
    if (s->n && seq_lt(s->r[0].start, seq))
        s->r[0].start = seq;
}

uint32_t tcp_ranges_bytes(const struct tcp_ranges *s)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < s->n; i++)
        n += s->r[i].end - s->r[i].start;
    return n;
}

uint32_t tcp_ranges_bytes_above(const struct tcp_ranges *s, uint32_t seq)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < s->n; i++) {
        if (seq_le(s->r[i].end, seq))
            continue;
        n += s->r[i].end - seq_max(s->r[i].start, seq);
    }
    return n;
}

uint32_t tcp_ranges_high(const struct tcp_ranges *s, uint32_t none)
{
    return s->n ? s->r[s->n - 1].end : none;
}

bool tcp_ranges_hole(const struct tcp_ranges *s, uint32_t seq, uint32_t limit,
                     uint32_t *start, uint32_t *end)
{
    for (unsigned i = 0; i < s->n && seq_lt(seq, limit); i++) {
        if (seq_le(s->r[i].end, seq))
            continue;
        if (seq_lt(seq, s->r[i].start)) {
            *start = seq;
            *end = seq_min(s->r[i].start, limit);
            return true;
        }
        seq = s->r[i].end;
    }
    if (seq_lt(seq, limit)) {
        *start = seq;
        *end = limit;
        return true;
    }
    return false;
}
