/* Fuzz target: the TLS record layer (lib/tls/record.c and conn.c): record
 * framing and dispatch, alerts, ChangeCipherSpec, empty records,
 * handshake reassembly and post-handshake messages of a connected
 * session (server or client, TLS 1.3 or 1.2, chosen by the first byte)
 * with unprotected records; and the same bytes opened as protected
 * records under fixed keys of each AEAD, which must fail cleanly. */
#include "tls_fuzz.h"

static void protected_records(const uint8_t *data, size_t size)
{
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xcca8};
    static uint8_t buf[TLS_IBUF_SIZE];
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        struct tls_dir d;
        const struct tls_suite *s = tls_suite_find(suites[i]);
        static const uint8_t secret[TLS_MAX_HASH] = {1, 2, 3};
        memset(&d, 0, sizeof d);
        if (s->version == MIRAGE_TLS_1_3)
            tls_dir_set13(&d, s, secret);
        else
            tls_dir_set12(&d, s, secret, secret + 32);
        size_t n = size < sizeof buf ? size : sizeof buf;
        if (n < TLS_HDR)
            return;
        memcpy(buf, data, n);
        size_t blen = get_u16(buf + 3);
        uint8_t type, *plain;
        size_t plen;
        if (TLS_HDR + blen <= n && blen <= TLS_MAX_CIPHER &&
            tls_dir_open(&d, buf, blen, &type, &plain, &plen) == 0)
            __builtin_trap(); /* a forged record authenticated */
        tls_dir_wipe(&d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fz_start connected[] = {
        {TLS_CONNECTED, MIRAGE_TLS_1_3, 0x1301},
        {TLS_CONNECTED, MIRAGE_TLS_1_2, 0xc02b},
    };
    if (size < 2)
        return 0;
    /* bit 0: a server; bit 1: TLS 1.2 */
    fz_engine_run(data[0] & 1, &connected[(data[0] >> 1) & 1], data + 1,
                  size - 1);
    protected_records(data + 2, size - 2);
    return 0;
}
