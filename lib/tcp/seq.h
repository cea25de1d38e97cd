/* TCP sequence number arithmetic (RFC 9293 §3.4): comparisons modulo
 * 2^32, valid while the two numbers are less than 2^31 apart. */
#ifndef MIRAGE_TCP_SEQ_H
#define MIRAGE_TCP_SEQ_H

#include <stdint.h>

static inline int32_t seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}
static inline int seq_lt(uint32_t a, uint32_t b)
{
    return seq_diff(a, b) < 0;
}
static inline int seq_le(uint32_t a, uint32_t b)
{
    return seq_diff(a, b) <= 0;
}
static inline int seq_gt(uint32_t a, uint32_t b)
{
    return seq_diff(a, b) > 0;
}
static inline int seq_ge(uint32_t a, uint32_t b)
{
    return seq_diff(a, b) >= 0;
}
static inline uint32_t seq_max(uint32_t a, uint32_t b)
{
    return seq_gt(a, b) ? a : b;
}
static inline uint32_t seq_min(uint32_t a, uint32_t b)
{
    return seq_lt(a, b) ? a : b;
}

#endif
