/* The record layer's cipher cost, hosted: seal and open 16 KiB records
 * (the largest TLS record) with each AEAD of lib/tls/aead.c, on the
 * BearSSL implementations it picks for this CPU, for about a second
 * each. Prints one line per cipher: "NAME: seal N MB/s, open N MB/s".
 * Opening is timed on records whose tag no longer matches (each open
 * decrypts its buffer in place): the work is the same, as both ciphers
 * decrypt and check the whole record in constant time. bench/tls.sh
 * runs it beside the servers' numbers. */
#include "../lib/tls/crypto.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define RECORD 16384

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t record[RECORD];
static volatile unsigned opened; /* keeps the opens' results alive */

/* MB/s of seal, or of open, over about a second. */
static double rate(enum tls_aead_alg alg, bool open)
{
    static const uint8_t key[TLS_MAX_KEY] = {1, 2, 3};
    uint8_t nonce[TLS_IV_LEN] = {0}, aad[13] = {23, 3, 3}, tag[16] = {0};
    struct tls_aead a;
    tls_aead_init(&a, alg, key);
    memset(record, 0x5a, sizeof record);
    size_t n = 0;
    double start = now(), t;
    do {
        for (int i = 0; i < 16; i++, n++) {
            nonce[11] = (uint8_t)n;
            if (open)
                opened += tls_aead_open(&a, nonce, aad, sizeof aad, record,
                                        sizeof record, tag);
            else
                tls_aead_seal(&a, nonce, aad, sizeof aad, record, sizeof record,
                              tag);
        }
        t = now() - start;
    } while (t < 1.0);
    tls_aead_wipe(&a);
    return (double)n * RECORD / 1e6 / t;
}

int main(void)
{
    static const struct {
        enum tls_aead_alg alg;
        const char *name;
    } algs[] = {
        {TLS_AES_128_GCM, "AES-128-GCM"},
        {TLS_AES_256_GCM, "AES-256-GCM"},
        {TLS_CHACHA20_POLY1305, "ChaCha20-Poly1305"},
    };
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        printf("%s: seal %.0f MB/s, open %.0f MB/s\n", algs[i].name,
               rate(algs[i].alg, false), rate(algs[i].alg, true));
    return 0;
}
