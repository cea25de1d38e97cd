/* What the TLS fuzz targets (fuzz/tls_*.c) share: a deterministic random
 * device and clock, configurations made once (an ECDSA and an RSA chain
 * under a CA, from test/unit/tls_certgen.c), and engines put in a chosen
 * state with plaintext records, so that fuzzed bytes reach each handshake
 * message's parser without having to forge a record's MAC.
 *
 * Input format of the engine targets: the first byte chooses the state
 * (modulo the number of states the target has), the rest is fed to the
 * engine as bytes from the network, in pieces whose sizes come from the
 * input too (the second byte), as the transport would deliver them. */
#ifndef FUZZ_TLS_FUZZ_H
#define FUZZ_TLS_FUZZ_H

#include "../lib/tls/internal.h"

#include <stddef.h>
#include <stdint.h>

/* The configurations (made on first use). */
struct mirage_tls_server_config *fz_server_config(void);
struct mirage_tls_client_config *fz_client_config(void);

/* An engine with its buffers. */
struct fz_conn {
    struct tls_conn c;
    uint8_t *ibuf, *obuf, *hbuf;
    struct tls_hs *hs;
};
/* A server at WAIT_CH / a client that has sent its ClientHello for host
 * "a.example" (both deterministic: the random device is reset). */
void fz_server(struct fz_conn *f);
void fz_client(struct fz_conn *f);
/* Force the engine into state with the given version and suite, records
 * unprotected both ways; after the handshake (TLS_CONNECTED) the
 * handshake state is dropped as the flow layer does. */
void fz_force(struct fz_conn *f, enum tls_state state, uint16_t version,
              uint16_t suite);
/* Feed data to the engine in pieces of 1 + (chunk % 64) * 97 bytes,
 * processing and draining its output after each, until it fails. */
void fz_feed(struct fz_conn *f, const uint8_t *data, size_t len, uint8_t chunk);
void fz_free(struct fz_conn *f);

/* Where an engine target starts: state 0 (TLS_C_START / TLS_S_WAIT_CH,
 * the engine as made), or a forced state with its version and suite. */
struct fz_start {
    enum tls_state state;
    uint16_t version, suite;
};
/* Run one input through a server or client engine from start: data[0]
 * is the chunk byte, the rest the bytes from the network. */
void fz_engine_run(bool server, const struct fz_start *start,
                   const uint8_t *data, size_t size);

#endif
