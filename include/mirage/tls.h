/* TLS (MirageOS Tls_mirage): TLS 1.3 (RFC 8446) and TLS 1.2 (RFC 5246)
 * sessions over any flow, which are flows themselves (flow.h), so an
 * application serves TCP or TLS with one code path.
 *
 * The protocol is this library's own state machine; the cryptographic
 * primitives are BearSSL's. Offered and accepted:
 *   versions       TLS 1.3 and TLS 1.2 (nothing older; no renegotiation,
 *                  no compression; 0-RTT data is refused)
 *   cipher suites  TLS 1.3: TLS_AES_128_GCM_SHA256,
 *                  TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256;
 *                  TLS 1.2: ECDHE_{ECDSA,RSA}_WITH_AES_{128,256}_GCM and
 *                  ECDHE_{ECDSA,RSA}_WITH_CHACHA20_POLY1305
 *   groups         x25519, secp256r1, secp384r1
 *   signatures     ecdsa_secp{256,384,521}r1_sha{256,384,512},
 *                  rsa_pss_rsae_sha{256,384,512}, and in TLS 1.2 (and in
 *                  certificates) rsa_pkcs1_sha{256,384,512}
 *   extensions     server_name, ALPN, supported_groups, key_share,
 *                  signature_algorithms, supported_versions, cookie,
 *                  pre_shared_key with psk_dhe_ke, session tickets (RFC
 *                  5077 in TLS 1.2), extended_master_secret,
 *                  renegotiation_info (empty), ec_point_formats
 *
 * A server holds one or more certificate chains with their keys (RSA
 * or ECDSA, PEM), chosen per connection by the client's server_name and
 * signature algorithms; issues session tickets sealed with a key it
 * rotates at run time (the previous key still opens tickets until the
 * next rotation); answers KeyUpdate; sets the downgrade sentinel when it
 * negotiates TLS 1.2. A client validates the server's chain against
 * trust anchors (dates from the wall clock, basic constraints, key
 * usage, name constraints), checks the host name (RFC 6125: the
 * subjectAltName only, a wildcard only as the whole left-most label),
 * optionally requires a pinned key (SHA-256 of a SubjectPublicKeyInfo),
 * and resumes sessions from the tickets it was given.
 *
 * Yielding: mirage_tls_server_of_flow, mirage_tls_client_of_flow,
 * read, write, writev and mirage_tls_key_update may yield (they block
 * the calling fiber until done or until their deadline, an absolute
 * monotonic time; MIRAGE_FOREVER for none). Nothing else yields.
 *
 * Errors (negative MIRAGE_E*), besides those of the transport flow:
 *   MIRAGE_EPROTO    the handshake or a record failed: the peer broke
 *                    the protocol, sent a fatal alert, or a record did
 *                    not authenticate; we sent the fitting alert. The
 *                    reason is logged on the "tls" source (warning).
 *   MIRAGE_EAUTH     the peer's certificate was refused (expired,
 *                    unknown CA, wrong name, not pinned ...); the alert
 *                    was sent and the reason logged.
 *   MIRAGE_ETIMEDOUT the deadline passed (a handshake that times out
 *                    fails for good; read and write leave the flow
 *                    intact)
 *   MIRAGE_ENOMEM, MIRAGE_EINVAL (a bad argument or configuration)
 * Once a flow has failed, every later read and write returns the same
 * error. */
#ifndef MIRAGE_TLS_H
#define MIRAGE_TLS_H

#include <mirage/clock.h>
#include <mirage/flow.h>
#include <mirage/kv.h>
#include <mirage/random.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_TLS_1_2 0x0303
#define MIRAGE_TLS_1_3 0x0304

/* ---- Servers ---------------------------------------------------------- */

struct mirage_tls_server_config;
struct mirage_tls_server_options {
    struct mirage_random *random; /* required */
    uint16_t min_version;         /* 0: TLS 1.2 */
    uint16_t max_version;         /* 0: TLS 1.3 */
    /* Protocols for ALPN, comma-separated in order of preference
     * ("h2,http/1.1"); NULL: no ALPN. A client offering ALPN with none
     * of them gets no_application_protocol. */
    const char *alpn;
    bool no_tickets;             /* issue no session tickets */
    uint32_t ticket_lifetime_s;  /* 0: 7200 */
    uint64_t ticket_rotation_ns; /* rotate the ticket key; 0: 1 hour */
};

/* A configuration without certificates yet (add at least one). The
 * options are copied. 0, MIRAGE_EINVAL (no random device, bad version
 * range or ALPN list), MIRAGE_ENOMEM. Does not yield. */
int mirage_tls_server_config_create(const struct mirage_tls_server_options *o,
                                    struct mirage_tls_server_config **out);
/* Add a certificate chain (PEM, the server's certificate first) and its
 * private key (PEM: PKCS#8, PKCS#1 RSA or SEC 1 EC). The first one added
 * is the default; the others are chosen when their certificate's names
 * match the client's server_name. The data are copied. 0, MIRAGE_EBADF
 * (malformed PEM, certificate or key; the key does not match the
 * certificate), MIRAGE_ENOTSUP (another key type, curve or size),
 * MIRAGE_ENOSPC (more than 16 chains), MIRAGE_ENOMEM. Does not yield. */
int mirage_tls_server_config_add(struct mirage_tls_server_config *c,
                                 const void *chain_pem, size_t chain_len,
                                 const void *key_pem, size_t key_len);
/* MirageOS's names (Tls_mirage.X509), in a store usually made of the
 * application's tls/ directory: server.pem and server.key give the
 * default chain; each name in names[] (NULL-terminated, or NULL) adds
 * NAME.pem and NAME.key. Errors of create and add, and the
 * store's (MIRAGE_ENOENT for a missing file), each logged with the key
 * at fault. May yield (reading the store). */
int mirage_tls_server_config_of_kv(struct mirage_kv_ro *kv,
                                   const char *const *names,
                                   const struct mirage_tls_server_options *o,
                                   struct mirage_tls_server_config **out);
/* Replace the ticket key now (the previous one still opens tickets until
 * the next rotation). Rotation also happens by itself every
 * ticket_rotation_ns. 0 or the random device's error. Does not yield. */
int mirage_tls_server_config_rotate_ticket_key(
    struct mirage_tls_server_config *c);
/* Free a configuration no flow uses any more. Does not yield. */
void mirage_tls_server_config_free(struct mirage_tls_server_config *c);

/* ---- Clients ---------------------------------------------------------- */

struct mirage_tls_client_config;
struct mirage_tls_client_options {
    struct mirage_random *random; /* required */
    struct mirage_pclock *pclock; /* required to check validity dates */
    uint16_t min_version;         /* 0: TLS 1.2 */
    uint16_t max_version;         /* 0: TLS 1.3 */
    const char *alpn;             /* as for servers; NULL: none */
    /* Accept any certificate (no anchors, no pins, no name check): for
     * tests against throw-away servers only. */
    bool insecure_no_verification;
    bool no_resumption; /* neither keep nor offer sessions */
};

/* A configuration without trust anchors or pins yet: add some, or set
 * insecure_no_verification. 0, MIRAGE_EINVAL, MIRAGE_ENOMEM. */
int mirage_tls_client_config_create(const struct mirage_tls_client_options *o,
                                    struct mirage_tls_client_config **out);
/* Trust the certificates of a PEM bundle (every CERTIFICATE block). 0,
 * MIRAGE_EBADF (malformed; none found), MIRAGE_ENOMEM. */
int mirage_tls_client_config_add_anchors(struct mirage_tls_client_config *c,
                                         const void *pem, size_t len);
/* Require the SHA-256 hash of some certificate's SubjectPublicKeyInfo
 * in the validated chain (or, without anchors, of the server's own
 * certificate). 0, MIRAGE_ENOSPC (more than 16 pins). */
int mirage_tls_client_config_add_pin(struct mirage_tls_client_config *c,
                                     const uint8_t spki_sha256[32]);
/* MirageOS's name: the anchors of ca-roots.crt in kv. May yield
 * (reading the store). */
int mirage_tls_client_config_of_kv(struct mirage_kv_ro *kv,
                                   const struct mirage_tls_client_options *o,
                                   struct mirage_tls_client_config **out);
void mirage_tls_client_config_free(struct mirage_tls_client_config *c);

/* ---- The catalogue's devices ------------------------------------------
 * tls_server and tls_client (<mirage/config/tls.h>): the configurations
 * of the kv functions above, made at start-up with the options given at
 * configure time. names: the extra names of the server, comma-separated
 * ("a.example,b.example"; NULL or "" for none); alpn as in the options
 * ("" for none). Their errors; MIRAGE_ENAMETOOLONG for a names list
 * too long. May yield (reading the store). */
int mirage_tls_server_connect_kv(struct mirage_tls_server_config **out,
                                 struct mirage_kv_ro *kv,
                                 struct mirage_random *random, const char *alpn,
                                 const char *names);
int mirage_tls_client_connect_kv(struct mirage_tls_client_config **out,
                                 struct mirage_kv_ro *kv,
                                 struct mirage_random *random,
                                 struct mirage_pclock *pclock,
                                 const char *alpn);

/* ---- Sessions --------------------------------------------------------- */

/* A TLS session: its generic flow is &f->flow. Owned by its user until
 * mirage_tls_close; it owns its transport flow from then on. */
struct mirage_tls_flow {
    struct mirage_flow flow; /* first */
};

/* Run the server side of a handshake over transport; *out is the
 * session. On failure the transport is closed (after the alert) and
 * nothing is left. The configuration must outlive the session. May
 * yield. */
int mirage_tls_server_of_flow(struct mirage_tls_server_config *c,
                              struct mirage_flow *transport, uint64_t deadline,
                              struct mirage_tls_flow **out);
/* Run the client side of a handshake over transport, for host (sent as
 * server_name unless it is an IP literal, and checked against the
 * certificate; NULL: neither, allowed only with pins or
 * insecure_no_verification). As for the server otherwise. May yield. */
int mirage_tls_client_of_flow(struct mirage_tls_client_config *c,
                              const char *host, struct mirage_flow *transport,
                              uint64_t deadline, struct mirage_tls_flow **out);

/* The flow.h calls under TLS's names. Reads return 0 at the end of the
 * stream: after the peer's close_notify, or after shutting reading
 * down; the transport ending without close_notify is MIRAGE_EPROTO
 * (a truncation). Shutting writing down sends close_notify, then ends
 * the transport's stream; closing sends close_notify and closes the
 * transport. Neither waits: close_notify is handed to the transport with
 * a deadline already passed (a TCP flow queues it unless its send queue
 * is full, and then the peer sees a truncation). */
static inline long mirage_tls_read(struct mirage_tls_flow *f, void *buf,
                                   size_t len, uint64_t deadline)
{
    return mirage_flow_read(&f->flow, buf, len, deadline);
}
static inline long mirage_tls_writev(struct mirage_tls_flow *f,
                                     const struct mirage_iovec *iov, size_t n,
                                     uint64_t deadline)
{
    return mirage_flow_writev(&f->flow, iov, n, deadline);
}
static inline long mirage_tls_write(struct mirage_tls_flow *f, const void *buf,
                                    size_t len, uint64_t deadline)
{
    return mirage_flow_write(&f->flow, buf, len, deadline);
}
static inline int mirage_tls_shutdown(struct mirage_tls_flow *f,
                                      enum mirage_flow_shutdown how)
{
    return mirage_flow_shutdown(&f->flow, how);
}
static inline void mirage_tls_close(struct mirage_tls_flow *f)
{
    mirage_flow_close(&f->flow);
}

/* Update our sending keys (TLS 1.3 KeyUpdate), asking the peer to update
 * its own too when request_peer. 0; MIRAGE_ENOTSUP under TLS 1.2; the
 * flow's errors. May yield. */
int mirage_tls_key_update(struct mirage_tls_flow *f, bool request_peer,
                          uint64_t deadline);

/* What a session negotiated. The strings live as long as the flow. */
struct mirage_tls_info {
    uint16_t version;              /* MIRAGE_TLS_1_2 or MIRAGE_TLS_1_3 */
    uint16_t cipher_suite;         /* IANA number */
    const char *cipher_suite_name; /* "TLS_AES_128_GCM_SHA256" */
    uint16_t group;                /* key exchange group; 0 for none */
    uint16_t signature_scheme;     /* the server's, 0 when resumed */
    bool resumed;                  /* by a ticket (PSK) */
    const char *alpn;              /* the protocol agreed on, or NULL */
    const char *server_name;       /* SNI: sent (client) or received, or NULL */
    uint64_t key_updates;          /* KeyUpdates received */
};
void mirage_tls_get_info(struct mirage_tls_flow *f, struct mirage_tls_info *i);

#endif
