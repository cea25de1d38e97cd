/* SipHash-2-4 (Aumasson and Bernstein) and the RFC 6528 ISN generator. */
#include "isn.h"

#include <string.h>

static uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

static void sipround(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = rotl(v[1], 13);
    v[1] ^= v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17);
    v[1] ^= v[2];
    v[2] = rotl(v[2], 32);
}

static uint64_t load_le64(const uint8_t *p, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= (uint64_t)p[i] << (8 * i);
    return x;
}

uint64_t tcp_siphash(const struct tcp_isn_key *k, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t v[4] = {
        k->k0 ^ 0x736f6d6570736575ull,
        k->k1 ^ 0x646f72616e646f6dull,
        k->k0 ^ 0x6c7967656e657261ull,
        k->k1 ^ 0x7465646279746573ull,
    };
    size_t left = len;
    for (; left >= 8; left -= 8, p += 8) {
        uint64_t m = load_le64(p, 8);
        v[3] ^= m;
        sipround(v);
        sipround(v);
        v[0] ^= m;
    }
    uint64_t b = ((uint64_t)len << 56) | load_le64(p, left);
    v[3] ^= b;
    sipround(v);
    sipround(v);
    v[0] ^= b;
    v[2] ^= 0xff;
    for (int i = 0; i < 4; i++)
        sipround(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static size_t put_addr(uint8_t *p, const struct mirage_ipaddr *a)
{
    if (a->version == MIRAGE_IP_V6) {
        memcpy(p, a->v6, 16);
        return 16;
    }
    memcpy(p, &a->v4, 4);
    return 4;
}

uint64_t tcp_conn_hash(const struct tcp_isn_key *k, uint64_t salt,
                       const struct mirage_ipaddr *laddr, uint16_t lport,
                       const struct mirage_ipaddr *faddr, uint16_t fport)
{
    uint8_t buf[8 + 16 + 16 + 4];
    size_t n = 0;
    memcpy(buf, &salt, 8);
    n += 8;
    n += put_addr(buf + n, laddr);
    n += put_addr(buf + n, faddr);
    memcpy(buf + n, &lport, 2);
    memcpy(buf + n + 2, &fport, 2);
    n += 4;
    return tcp_siphash(k, buf, n);
}

uint32_t tcp_isn(const struct tcp_isn_key *k, uint64_t now_ns,
                 const struct mirage_ipaddr *laddr, uint16_t lport,
                 const struct mirage_ipaddr *faddr, uint16_t fport)
{
    uint32_t m = (uint32_t)(now_ns / 4000u);
    return m +
           (uint32_t)tcp_conn_hash(k, TCP_SALT_ISN, laddr, lport, faddr, fport);
}
