/* Fuzz target: the TLS client engine (lib/tls/client.c and its parsers)
 * fed bytes from the network in one of its states (fuzz/tls_fuzz.h):
 *   0 waiting for ServerHello or HelloRetryRequest;
 *   1 TLS 1.3, waiting for EncryptedExtensions (then CertificateRequest,
 *     Certificate, CertificateVerify, Finished), records unprotected;
 *   2 TLS 1.2, waiting for Certificate (then ServerKeyExchange,
 *     CertificateRequest, ServerHelloDone);
 *   3 TLS 1.2 resumed, waiting for NewSessionTicket;
 *   4 TLS 1.3 connected: NewSessionTicket, KeyUpdate, alerts, data. */
#include "tls_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct fz_conn f;
    fz_client(&f);
    switch (data[0] % 5) {
    case 1:
        fz_force(&f, TLS_C_WAIT_EE, MIRAGE_TLS_1_3, 0x1301);
        break;
    case 2:
        fz_force(&f, TLS_C12_WAIT_CERT, MIRAGE_TLS_1_2,
                 data[1] & 1 ? 0xc02f : 0xc02b);
        break;
    case 3:
        fz_force(&f, TLS_C12_WAIT_NST, MIRAGE_TLS_1_2, 0xcca9);
        break;
    case 4:
        fz_force(&f, TLS_CONNECTED, MIRAGE_TLS_1_3, 0x1303);
        break;
    default:
        break;
    }
    fz_feed(&f, data + 2, size - 2, data[1]);
    fz_free(&f);
    return 0;
}
