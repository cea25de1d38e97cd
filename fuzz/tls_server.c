/* Fuzz target: the TLS server engine (lib/tls/server.c and its parsers)
 * fed bytes from the network in one of its states (fuzz/tls_fuzz.h):
 *   0 waiting for a ClientHello (records as they come: ClientHello,
 *     ChangeCipherSpec, alerts, garbage);
 *   1 TLS 1.2, waiting for ClientKeyExchange; 2 TLS 1.2, waiting for
 *     Finished; 3 TLS 1.3, waiting for the client's Finished (records
 *     unprotected, so that the messages reach their parsers). */
#include "tls_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct fz_conn f;
    fz_server(&f);
    switch (data[0] % 4) {
    case 1:
        fz_force(&f, TLS_S12_WAIT_CKE, MIRAGE_TLS_1_2, 0xc02b);
        break;
    case 2:
        fz_force(&f, TLS_S12_WAIT_FIN, MIRAGE_TLS_1_2, 0xc030);
        break;
    case 3:
        fz_force(&f, TLS_S_WAIT_FIN, MIRAGE_TLS_1_3, 0x1302);
        break;
    default:
        break;
    }
    fz_feed(&f, data + 2, size - 2, data[1]);
    fz_free(&f);
    return 0;
}
