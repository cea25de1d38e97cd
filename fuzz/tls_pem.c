/* Fuzz target: PEM and private keys (lib/tls/pem.c, key.c) and a server
 * configuration built from them (options.c): every block of the input is
 * decoded, keys are parsed, certificates too; then the whole input is
 * given as both the chain and the key of a server configuration. */
#include "tls_fuzz.h"

#include "../lib/tls/pem.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size + 1);
    size_t pos = 0;
    struct pem_block b;
    while (pem_next((const char *)data, size, &pos, buf, size + 1, &b) == 1) {
        struct x509_cert c;
        struct tls_privkey *k = malloc(sizeof *k);
        const char *why;
        tls_key_parse(b.label, b.der, b.der_len, k);
        x509_parse(b.der, b.der_len, &c, &why);
        free(k);
    }
    free(buf);
    struct mirage_tls_server_options o = {.random =
                                              fz_server_config()->o.random};
    struct mirage_tls_server_config *cfg;
    if (mirage_tls_server_config_create(&o, &cfg) == 0) {
        mirage_tls_server_config_add(cfg, data, size, data, size);
        mirage_tls_server_config_free(cfg);
    }
    return 0;
}
