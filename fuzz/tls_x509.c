/* Fuzz target: X.509 (lib/tls/x509*.c, der.c): parse the input as a
 * certificate; when it parses, validate it as its own trust anchor and
 * as a chain of one under a fixed policy, match host names and IP
 * literals against it, and check it against its own name constraints. */
#include "tls_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct x509_cert c;
    const char *why;
    if (x509_parse(data, size, &c, &why))
        return 0;
    static const char *const hosts[] = {"a.example", "x.a.example", "10.0.0.2",
                                        "[::1]", "A.EXAMPLE."};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        struct x509_policy p = {
            .anchors = &c, .n_anchors = 1, .now = 1800000000, .host = hosts[i]};
        x509_verify_server(&c, 1, &p, &why);
        x509_host_matches(&c, hosts[i]);
    }
    x509_names_permitted(&c, &c);
    struct x509_policy none = {.now = 1800000000};
    x509_verify_server(&c, 1, &none, &why);
    return 0;
}
