/* Helpers for the crypto tests: hexadecimal test vectors, and a small
 * deterministic generator of test inputs (xorshift64*) so that every run
 * checks the same "random" cases. */
#ifndef MIRAGE_TEST_HEX_H
#define MIRAGE_TEST_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decode the hex string s into out (strlen(s) / 2 bytes); returns the
 * number of bytes, or -1 for a malformed string. */
static inline int hex_decode(const char *s, uint8_t *out, size_t size)
{
    size_t n = strlen(s);
    if (n % 2 || n / 2 > size)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (v < 0)
            return -1;
        if (i % 2)
            out[i / 2] = (uint8_t)(out[i / 2] << 4 | v);
        else
            out[i / 2] = (uint8_t)v;
    }
    return (int)(n / 2);
}

static inline uint64_t test_rand(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

static inline void test_rand_fill(uint64_t *state, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(test_rand(state) >> 56);
}

#endif
