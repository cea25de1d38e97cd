/* Fuzz target: the TLS server engine (lib/tls/server.c and its parsers)
 * fed bytes from the network in one of its states (fuzz/tls_fuzz.h):
 *   0 waiting for a ClientHello (records as they come: ClientHello,
 *     ChangeCipherSpec, alerts, garbage);
 *   1 TLS 1.2, waiting for ClientKeyExchange; 2 TLS 1.2, waiting for
 *     Finished; 3 TLS 1.3, waiting for the client's Finished (records
 *     unprotected, so that the messages reach their parsers). */
#include "tls_fuzz.h"

static const struct fz_start starts[] = {
    {TLS_S_WAIT_CH, 0, 0},
    {TLS_S12_WAIT_CKE, MIRAGE_TLS_1_2, 0xc02b},
    {TLS_S12_WAIT_FIN, MIRAGE_TLS_1_2, 0xc030},
    {TLS_S_WAIT_FIN, MIRAGE_TLS_1_3, 0x1302},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2)
        fz_engine_run(true, &starts[data[0] % 4], data + 1, size - 1);
    return 0;
}
