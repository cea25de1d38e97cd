/* Fuzz target: the TLS client engine (lib/tls/client.c and its parsers)
 * fed bytes from the network in one of its states (fuzz/tls_fuzz.h):
 *   0 waiting for ServerHello or HelloRetryRequest;
 *   1 TLS 1.3, waiting for EncryptedExtensions (then CertificateRequest,
 *     Certificate, CertificateVerify, Finished), records unprotected;
 *   2 TLS 1.2 with ECDSA, 3 with RSA, waiting for Certificate (then
 *     ServerKeyExchange, CertificateRequest, ServerHelloDone);
 *   4 TLS 1.2 resumed, waiting for NewSessionTicket;
 *   5 TLS 1.3 connected: NewSessionTicket, KeyUpdate, alerts, data. */
#include "tls_fuzz.h"

static const struct fz_start starts[] = {
    {TLS_C_START, 0, 0},
    {TLS_C_WAIT_EE, MIRAGE_TLS_1_3, 0x1301},
    {TLS_C12_WAIT_CERT, MIRAGE_TLS_1_2, 0xc02b},
    {TLS_C12_WAIT_CERT, MIRAGE_TLS_1_2, 0xc02f},
    {TLS_C12_WAIT_NST, MIRAGE_TLS_1_2, 0xcca9},
    {TLS_CONNECTED, MIRAGE_TLS_1_3, 0x1303},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2)
        fz_engine_run(false, &starts[data[0] % 6], data + 1, size - 1);
    return 0;
}
