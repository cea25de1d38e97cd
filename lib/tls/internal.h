/* The TLS engine's internal state and the contracts between its files.
 *
 * The engine (struct tls_conn) is a sans-I/O state machine over three
 * caller-provided buffers: bytes from the network go into the input
 * buffer and are processed record by record (conn.c); records to send
 * accumulate in the output buffer until the caller flushes them; the
 * handshake buffer reassembles handshake messages. Application data is
 * decrypted in place in the input buffer and copied out by the caller.
 * Nothing in the engine allocates or yields: flow.c puts the blocking
 * flow of tls.h on top, and the unit tests and fuzz targets drive the
 * engine directly.
 *
 *   record.c      record protection for TLS 1.3 and 1.2, framing
 *   conn.c        input dispatch, handshake reassembly, alerts, output
 *   keysched.c    TLS 1.3 key schedule; TLS 1.2 key block and Finished
 *   msg_hello.c   ClientHello and ServerHello, encoding and parsing
 *   msg.c         the other handshake messages
 *   server.c      the server state machine (both versions)
 *   client.c      the client state machine (both versions)
 *   ticket.c      session tickets and their keys; the client's cache
 *   options.c     server and client configurations
 */
#ifndef MIRAGE_TLS_INTERNAL_H
#define MIRAGE_TLS_INTERNAL_H

#include "alert.h"
#include "codec.h"
#include "crypto.h"
#include "x509.h"

#include <mirage/log.h>
#include <mirage/tls.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The "tls" log source (alert.c). */
extern struct mirage_log_src tls_log_src;

/* ---- Limits ----------------------------------------------------------- */
#define TLS_MAX_PLAIN    16384 /* record plaintext (RFC 8446 §5.1) */
#define TLS_HDR          5
#define TLS_MAX_CIPHER   (TLS_MAX_PLAIN + 256) /* TLS 1.3 §5.2 */
#define TLS_IBUF_SIZE    (TLS_HDR + TLS_MAX_CIPHER)
#define TLS_REC_OVERHEAD (TLS_HDR + 8 + 1 + TLS_AEAD_TAG) /* at most */
#define TLS_MAX_CERTS    16 /* certificates in a chain we accept */
#define TLS_MAX_CHAINS   16 /* server certificate chains */
#define TLS_MAX_PINS     16
#define TLS_MAX_ALPN     8 /* protocols configured */
#define TLS_MAX_ALPN_LEN 32
#define TLS_MAX_HOST     255
#define TLS_TICKET_MAX   512         /* tickets a client keeps */
#define TLS_CACHE_SIZE   8           /* sessions a client keeps */
#define TLS_MAX_EMPTY    32          /* consecutive empty records tolerated */
#define TLS_EARLY_SKIP   (16 * 1024) /* 0-RTT bytes a server skips */

/* Handshake buffer sizes: the largest message each side accepts. */
#define TLS_SERVER_HBUF 16384
#define TLS_CLIENT_HBUF 65536
/* After the handshake: NewSessionTicket and KeyUpdate. */
#define TLS_POST_HBUF 2048

enum tls_content {
    TLS_CT_CCS = 20,
    TLS_CT_ALERT = 21,
    TLS_CT_HANDSHAKE = 22,
    TLS_CT_APPDATA = 23,
};

enum tls_hs_type {
    TLS_HS_HELLO_REQUEST = 0,
    TLS_HS_CLIENT_HELLO = 1,
    TLS_HS_SERVER_HELLO = 2,
    TLS_HS_NEW_SESSION_TICKET = 4,
    TLS_HS_END_OF_EARLY_DATA = 5,
    TLS_HS_ENCRYPTED_EXTENSIONS = 8,
    TLS_HS_CERTIFICATE = 11,
    TLS_HS_SERVER_KEY_EXCHANGE = 12,
    TLS_HS_CERTIFICATE_REQUEST = 13,
    TLS_HS_SERVER_HELLO_DONE = 14,
    TLS_HS_CERTIFICATE_VERIFY = 15,
    TLS_HS_CLIENT_KEY_EXCHANGE = 16,
    TLS_HS_FINISHED = 20,
    TLS_HS_KEY_UPDATE = 24,
    TLS_HS_MESSAGE_HASH = 254,
};

enum tls_ext {
    TLS_EXT_SERVER_NAME = 0,
    TLS_EXT_SUPPORTED_GROUPS = 10,
    TLS_EXT_EC_POINT_FORMATS = 11,
    TLS_EXT_SIGNATURE_ALGORITHMS = 13,
    TLS_EXT_ALPN = 16,
    TLS_EXT_EXTENDED_MASTER_SECRET = 23,
    TLS_EXT_SESSION_TICKET = 35,
    TLS_EXT_PRE_SHARED_KEY = 41,
    TLS_EXT_EARLY_DATA = 42,
    TLS_EXT_SUPPORTED_VERSIONS = 43,
    TLS_EXT_COOKIE = 44,
    TLS_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    TLS_EXT_CERTIFICATE_AUTHORITIES = 47,
    TLS_EXT_POST_HANDSHAKE_AUTH = 49,
    TLS_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    TLS_EXT_KEY_SHARE = 51,
    TLS_EXT_RENEGOTIATION_INFO = 0xff01,
};

#define TLS_SCSV_EMPTY_RENEGOTIATION 0x00ff
#define TLS_SCSV_FALLBACK            0x5600

/* The downgrade sentinels of RFC 8446 §4.1.3: the last 8 bytes of the
 * server random when a TLS 1.3 server negotiates TLS 1.2 (or older). */
extern const uint8_t tls_downgrade_12[8], tls_downgrade_11[8];
/* The random of a HelloRetryRequest (RFC 8446 §4.1.3). */
extern const uint8_t tls_hrr_random[32];

/* ---- Cipher suites ---------------------------------------------------- */
struct tls_suite {
    uint16_t id;
    const char *name;
    uint16_t version; /* MIRAGE_TLS_1_3, or MIRAGE_TLS_1_2 */
    enum tls_aead_alg aead;
    enum tls_hash hash;
    enum tls_key_type auth; /* TLS 1.2: the certificate's key */
};
/* A suite we implement, or NULL. */
const struct tls_suite *tls_suite_find(uint16_t id);
/* Our suites in order of preference (AES-GCM first when the CPU has
 * AES-NI, ChaCha20-Poly1305 first otherwise); n set to the count. */
const struct tls_suite *const *tls_suites_preferred(size_t *n);
/* Our signature schemes in order of preference, and groups. */
extern const uint16_t tls_sig_schemes[];
extern const size_t tls_n_sig_schemes;
extern const uint16_t tls_groups[];
extern const size_t tls_n_groups;

/* ---- Configurations --------------------------------------------------- */

/* One server certificate chain with its key. */
struct tls_chain {
    uint8_t *der; /* the chain's DER, concatenated */
    size_t off[TLS_MAX_CERTS], len[TLS_MAX_CERTS];
    size_t n;
    struct x509_cert leaf;  /* points into der */
    struct tls_privkey key; /* not movable: points into itself */
};

/* A session ticket key: its 16-byte name and the AES-256-GCM key. */
struct tls_ticket_key {
    uint8_t name[16];
    uint8_t key[32];
    bool valid;
};

struct mirage_tls_server_config {
    struct mirage_tls_server_options o;
    char alpn[TLS_MAX_ALPN][TLS_MAX_ALPN_LEN + 1];
    size_t n_alpn;
    struct tls_chain *chains[TLS_MAX_CHAINS];
    size_t n_chains;
    struct tls_ticket_key ticket_cur, ticket_prev;
    uint64_t ticket_rotated; /* mirage_now() of the last rotation */
    size_t max_chain;        /* the largest chain's DER bytes */
};

/* A session the client can resume. */
struct tls_session {
    bool valid;
    char host[TLS_MAX_HOST + 1];
    uint16_t version, suite;
    uint8_t secret[48]; /* TLS 1.3 PSK; TLS 1.2 master secret */
    uint8_t ticket[TLS_TICKET_MAX];
    size_t ticket_len;
    uint32_t lifetime_s, age_add;
    uint64_t received; /* mirage_now() */
    bool ems;          /* TLS 1.2: extended master secret */
    uint64_t used;     /* LRU stamp */
};

struct mirage_tls_client_config {
    struct mirage_tls_client_options o;
    char alpn[TLS_MAX_ALPN][TLS_MAX_ALPN_LEN + 1];
    size_t n_alpn;
    uint8_t **anchor_der;
    struct x509_cert *anchors;
    size_t n_anchors;
    uint8_t pins[TLS_MAX_PINS][32];
    size_t n_pins;
    struct tls_session cache[TLS_CACHE_SIZE];
    uint64_t cache_clock;
};

/* Parse "a,b,c" into names[]: 0 or MIRAGE_EINVAL. */
int tls_alpn_parse(const char *list, char names[][TLS_MAX_ALPN_LEN + 1],
                   size_t *n);

/* ---- Record protection ------------------------------------------------ */
struct tls_dir {
    bool on; /* records are protected */
    const struct tls_suite *suite;
    uint16_t version;
    struct tls_aead aead;
    uint8_t iv[TLS_IV_LEN]; /* TLS 1.2 GCM: the 4-byte salt first */
    uint64_t seq;
    uint8_t secret[TLS_MAX_HASH]; /* TLS 1.3 traffic secret */
};

/* TLS 1.3: key the direction from a traffic secret. */
void tls_dir_set13(struct tls_dir *d, const struct tls_suite *s,
                   const uint8_t *secret);
/* TLS 1.2: key the direction from its part of the key block. */
void tls_dir_set12(struct tls_dir *d, const struct tls_suite *s,
                   const uint8_t *key, const uint8_t *iv);
void tls_dir_wipe(struct tls_dir *d);
/* Bytes a protected record adds before and after the plaintext. */
size_t tls_dir_prefix(const struct tls_dir *d);
size_t tls_dir_suffix(const struct tls_dir *d);
/* Protect the record at rec: rec[5 + prefix ..] holds len bytes of
 * plaintext of the given type; the header and the protection are filled
 * in. Returns the record's whole length. */
size_t tls_dir_seal(struct tls_dir *d, uint8_t type, uint8_t *rec, size_t len);
/* Check and decrypt a record (header + body[blen]) in place: *type, *plain
 * and *plen describe the plaintext. 0 or an alert. */
int tls_dir_open(struct tls_dir *d, uint8_t *rec, size_t blen, uint8_t *type,
                 uint8_t **plain, size_t *plen);

/* ---- The engine ------------------------------------------------------- */

enum tls_state {
    /* client, before and while hello */
    TLS_C_START,
    TLS_C_WAIT_SH,
    /* client, TLS 1.3 */
    TLS_C_WAIT_EE,
    TLS_C_WAIT_CERT_CR,
    TLS_C_WAIT_CERT,
    TLS_C_WAIT_CV,
    TLS_C_WAIT_FIN,
    /* client, TLS 1.2 */
    TLS_C12_WAIT_CERT,
    TLS_C12_WAIT_SKE,
    TLS_C12_WAIT_SHD,
    TLS_C12_WAIT_NST,
    TLS_C12_WAIT_CCS,
    TLS_C12_WAIT_FIN,
    /* server */
    TLS_S_WAIT_CH,
    TLS_S_WAIT_CH2, /* after a HelloRetryRequest */
    TLS_S_WAIT_FIN, /* TLS 1.3 */
    TLS_S12_WAIT_CKE,
    TLS_S12_WAIT_CCS,
    TLS_S12_WAIT_FIN,
    /* both */
    TLS_CONNECTED,
    TLS_FAILED,
};

/* State that lives only during the handshake (freed by the caller after
 * it: see tls_conn_handshake_done). */
struct tls_hs {
    /* Transcript hashes: both until the suite is known. */
    struct tls_hash_ctx th256, th384;
    uint8_t client_random[32], server_random[32];
    uint8_t session_id[32];
    uint8_t session_id_len;
    struct tls_kex kex; /* our ephemeral key */
    uint16_t group;     /* the key exchange's group */
    /* TLS 1.3 secrets of the current stage */
    uint8_t early[TLS_MAX_HASH], handshake[TLS_MAX_HASH], master[TLS_MAX_HASH];
    uint8_t c_hs[TLS_MAX_HASH], s_hs[TLS_MAX_HASH]; /* traffic secrets */
    uint8_t c_ap[TLS_MAX_HASH]; /* the client's first application secret */
    /* TLS 1.2 */
    bool ticket_ext; /* the peer does RFC 5077 */
    /* The peer's key (from its certificate) */
    struct tls_pubkey peer_key;
    uint8_t peer_key_buf[TLS_RSA_MAX_BYTES + 16];
    /* server side */
    const struct tls_chain *chain;
    uint16_t sig_scheme;
    uint16_t client_sigs[32]; /* the client's signature_algorithms */
    size_t n_client_sigs;
    bool psk;           /* resuming with a ticket */
    bool hrr;           /* a HelloRetryRequest was sent / got */
    bool early_offered; /* the client tried 0-RTT */
    bool send_ccs;      /* middlebox compatibility (§D.4) */
    /* client side */
    uint16_t offered_max;       /* the highest version we offered */
    struct tls_session offered; /* the session we try to resume */
    bool has_offered;
    bool cert_requested;             /* CertificateRequest seen */
    bool host_is_ip;                 /* no server_name for an IP literal */
    uint8_t pms[TLS_KEX_MAX_SECRET]; /* TLS 1.2 premaster secret */
    size_t pms_len;
    uint8_t pub[TLS_KEX_MAX_PUB]; /* TLS 1.2: our ECDHE public value */
    size_t pub_len;
    uint8_t cookie[256]; /* from a HelloRetryRequest */
    size_t cookie_len;
    uint8_t hrr_cr_ctx[256]; /* certificate_request_context */
    size_t hrr_cr_ctx_len;
};

struct tls_conn {
    bool server;
    struct mirage_tls_server_config *scfg;
    struct mirage_tls_client_config *ccfg;
    struct mirage_random *random;
    enum tls_state state;
    uint16_t version; /* negotiated, 0 until then */
    const struct tls_suite *suite;
    struct tls_dir rd, wr;
    struct tls_hs *hs;

    /* What was negotiated, for mirage_tls_get_info. */
    uint16_t group, sig_scheme;
    bool resumed;
    char alpn[TLS_MAX_ALPN_LEN + 1];
    char host[TLS_MAX_HOST + 1]; /* SNI, sent or received */
    uint64_t key_updates;
    uint8_t res_master[TLS_MAX_HASH]; /* TLS 1.3 resumption master secret */
    uint8_t ticket_nonce;             /* server: NewSessionTickets sent */
    bool ems;                         /* TLS 1.2 session: EMS */
    uint8_t master12[48];             /* TLS 1.2: for the ticket */

    /* Input: ibuf[ihead..itail) holds bytes not processed yet. */
    uint8_t *ibuf;
    size_t icap, ihead, itail;
    uint8_t *app; /* application data not read yet */
    size_t app_len;
    /* Output: obuf[ohead..otail) is ready to send; a record being
     * filled starts at orec (SIZE_MAX: none), of type orec_type. */
    uint8_t *obuf;
    size_t ocap, ohead, otail, orec, ofill;
    uint8_t orec_type;
    size_t msg_start; /* the handshake message being written */
    uint8_t msg_type;
    bool rd_changed; /* a message changed the read keys */
    /* Handshake messages: hbuf[0..hlen) is a partial message. */
    uint8_t *hbuf;
    size_t hcap, hlen;

    unsigned empty_records;
    uint32_t early_skip;        /* server: 0-RTT bytes still skippable */
    bool peer_closed;           /* close_notify received */
    bool sent_close;            /* close_notify sent */
    int alert_sent, alert_rcvd; /* -1 when none */
    const char *why;            /* the reason of a failure */
};

/* Set up an engine with its buffers: ibuf (TLS_IBUF_SIZE at least),
 * obuf (tls_conn_obuf_size), hbuf with hs. */
void tls_conn_init_server(struct tls_conn *c,
                          struct mirage_tls_server_config *cfg,
                          struct tls_hs *hs, uint8_t *ibuf, size_t icap,
                          uint8_t *obuf, size_t ocap, uint8_t *hbuf,
                          size_t hcap);
/* A client engine; host may be NULL. Writes the ClientHello into the
 * output: 0, or an alert (the random device failed: internal_error). */
int tls_conn_init_client(struct tls_conn *c,
                         struct mirage_tls_client_config *cfg, const char *host,
                         struct tls_hs *hs, uint8_t *ibuf, size_t icap,
                         uint8_t *obuf, size_t ocap, uint8_t *hbuf,
                         size_t hcap);
/* The output buffer size a server configuration needs (its largest
 * flight, and one full record), and a client's. */
size_t tls_conn_obuf_size(const struct mirage_tls_server_config *cfg);
#define TLS_CLIENT_OBUF (TLS_MAX_PLAIN + 2048)

/* Where to put bytes from the network: *space bytes at the returned
 * pointer (0 when the engine cannot take any before the application
 * reads, or when a record is complete). Then tls_conn_received(n). */
uint8_t *tls_conn_input_space(struct tls_conn *c, size_t *space);
void tls_conn_received(struct tls_conn *c, size_t n);
/* Process complete records from the input until application data is
 * waiting or more input is needed. 0, or the alert sent (the state is
 * TLS_FAILED; the alert record is in the output). */
int tls_conn_process(struct tls_conn *c);
/* The transport ended (no more input): 0 after close_notify, else the
 * failure (a truncation). */
int tls_conn_eof(struct tls_conn *c);

/* Output waiting to be sent: *len bytes at the returned pointer; then
 * tls_conn_sent(n). Any open record is sealed first. */
const uint8_t *tls_conn_output(struct tls_conn *c, size_t *len);
void tls_conn_sent(struct tls_conn *c, size_t n);
/* Room for application data in the output: the most bytes
 * tls_conn_write_app takes now (0 when a flush is needed first). */
size_t tls_conn_app_room(struct tls_conn *c);
/* Protect len (<= app room) bytes of application data into the output. */
void tls_conn_write_app(struct tls_conn *c, const void *data, size_t len);
/* Queue close_notify (once). */
void tls_conn_close_notify(struct tls_conn *c);
/* TLS 1.3: send a KeyUpdate and switch our keys. 0, or an alert. */
int tls_conn_key_update(struct tls_conn *c, bool request_peer);

/* Whether the handshake is over (connected), failed. */
static inline bool tls_conn_connected(const struct tls_conn *c)
{
    return c->state == TLS_CONNECTED;
}
/* After the handshake: forget the handshake state and switch to a small
 * handshake buffer for post-handshake messages. */
void tls_conn_handshake_done(struct tls_conn *c, uint8_t *hbuf, size_t hcap);
/* Wipe every secret. */
void tls_conn_wipe(struct tls_conn *c);

/* ---- Inside the engine ------------------------------------------------ */

/* Fail with an alert: queue it (unless it came from the peer), set
 * TLS_FAILED and the reason; returns the alert for convenience. */
int tls_fail(struct tls_conn *c, int alert, const char *why);

/* Append a handshake message: tls_hs_begin gives a writer for its body
 * (in the output buffer), tls_hs_end finishes it and adds it to the
 * transcript. Failing (no room) is an internal_error. */
struct wr *tls_hs_begin(struct tls_conn *c, uint8_t type, struct wr *w);
int tls_hs_end(struct tls_conn *c, struct wr *w);
/* Append a ChangeCipherSpec record. */
void tls_send_ccs(struct tls_conn *c);
/* Seal any open record (before a key change). */
void tls_out_seal(struct tls_conn *c);

/* The transcript (both hashes until tls_transcript_pick). */
void tls_transcript_add(struct tls_conn *c, const void *msg, size_t len);
void tls_transcript_pick(struct tls_conn *c, enum tls_hash h);
void tls_transcript_hash(struct tls_conn *c, uint8_t *out);
/* TLS 1.3 HelloRetryRequest: replace ClientHello1 by message_hash. */
void tls_transcript_hrr_rewind(struct tls_conn *c);

/* A handshake state machine as a table of transitions: in `state`, a
 * message of `type` goes to `handle` (body[len]; raw[rlen] is the
 * message with its header). tls_dispatch runs the first that matches;
 * any other message is an unexpected_message. */
typedef int (*tls_handler)(struct tls_conn *c, const uint8_t *body, size_t len,
                           const uint8_t *raw, size_t rlen);
struct tls_transition {
    enum tls_state state;
    uint8_t type;
    tls_handler handle;
};
int tls_dispatch(struct tls_conn *c, const struct tls_transition *t, size_t n,
                 uint8_t type, const uint8_t *body, size_t len,
                 const uint8_t *raw, size_t rlen);

/* Dispatch a complete handshake message (type, body[len]; raw[rlen] is
 * it with its header). */
int tls_server_handle(struct tls_conn *c, uint8_t type, const uint8_t *body,
                      size_t len, const uint8_t *raw, size_t rlen);
int tls_client_handle(struct tls_conn *c, uint8_t type, const uint8_t *body,
                      size_t len, const uint8_t *raw, size_t rlen);
int tls_client_start(struct tls_conn *c, const char *host);

/* Post-handshake messages common to both sides (TLS 1.3 KeyUpdate). */
int tls_handle_key_update(struct tls_conn *c, const uint8_t *body, size_t len);

/* ---- Key schedule (keysched.c) ----------------------------------------- */
/* TLS 1.3 (RFC 8446 §7.1); h is the suite's hash. psk NULL: zeros. */
void tls13_early_secret(enum tls_hash h, const uint8_t *psk, uint8_t *early);
void tls13_next_secret(enum tls_hash h, const uint8_t *prev, const uint8_t *ikm,
                       size_t ikm_len, uint8_t *out);
/* Finished verify_data = HMAC(finished_key(base), transcript_hash). */
void tls13_finished(enum tls_hash h, const uint8_t *base_secret,
                    const uint8_t *transcript_hash, uint8_t *out);
/* The PSK of a ticket: HKDF-Expand-Label(rms, "resumption", nonce). */
void tls13_ticket_psk(enum tls_hash h, const uint8_t *rms, const uint8_t *nonce,
                      size_t nonce_len, uint8_t *psk);
/* The next traffic secret (KeyUpdate). */
void tls13_next_traffic(enum tls_hash h, uint8_t *secret);
/* TLS 1.2: the master secret (RFC 5246 §8.1, or RFC 7627 with the
 * session hash), the key block into both directions, Finished. */
void tls12_master(struct tls_conn *c, const uint8_t *pms, size_t pms_len);
/* Key our sending (write) or receiving direction from the key block, as
 * a ChangeCipherSpec does. */
void tls12_keys(struct tls_conn *c, bool write);
void tls12_finished(struct tls_conn *c, bool from_server, uint8_t out[12]);
/* Send our ChangeCipherSpec, switch to our keys, send our Finished. */
int tls12_send_finished(struct tls_conn *c);

/* ---- Messages (msg_hello.c, msg.c) ------------------------------------ */

struct tls_client_hello {
    uint16_t legacy_version;
    const uint8_t *random;
    const uint8_t *session_id;
    uint8_t session_id_len;
    struct rd suites;
    /* extensions, where present (has_* flags) */
    const uint8_t *sni;
    size_t sni_len;
    bool has_groups, has_sigs, has_alpn, has_key_shares, has_versions, has_psk,
        has_psk_modes, has_cookie, has_point_formats;
    struct rd groups, sigs, alpn, key_shares, versions, psk_modes, cookie,
        point_formats;
    struct rd psk_identities, psk_binders;
    size_t binders_len; /* bytes of the binders list, with its prefix */
    bool ems, early_data, reneg_info, session_ticket;
    const uint8_t *ticket; /* TLS 1.2 session_ticket contents */
    size_t ticket_len;
    bool scsv_fallback, scsv_reneg;
    bool null_compression_only; /* exactly one method, null */
};
/* Parse a ClientHello body: 0 or an alert (decode_error,
 * illegal_parameter). */
int tls_parse_client_hello(const uint8_t *body, size_t len,
                           struct tls_client_hello *ch, const char **why);

struct tls_server_hello {
    uint16_t legacy_version;
    const uint8_t *random;
    const uint8_t *session_id;
    uint8_t session_id_len;
    uint16_t suite;
    bool hrr;
    uint16_t version;     /* supported_versions, 0 when absent */
    uint16_t group;       /* key_share (or HRR's selected group) */
    const uint8_t *share; /* key_share's key_exchange (not in HRR) */
    size_t share_len;
    bool has_psk;
    uint16_t psk_identity;
    const uint8_t *cookie; /* HRR */
    size_t cookie_len;
    /* TLS 1.2 extensions */
    bool ems, reneg_info, session_ticket, alpn, point_formats;
    const uint8_t *alpn_name;
    size_t alpn_len;
    uint32_t exts; /* bit per extension seen, for checks */
};
int tls_parse_server_hello(const uint8_t *body, size_t len,
                           struct tls_server_hello *sh, const char **why);

/* Parse a server's ALPN list extension body, selecting the first
 * protocol of ours it offers: into out (empty string when none match).
 * false when malformed. */
bool tls_alpn_select(struct rd list, char names[][TLS_MAX_ALPN_LEN + 1],
                     size_t n, char *out);
/* Write the extensions' bodies we share between messages. */
void tls_write_alpn_list(struct wr *w, char names[][TLS_MAX_ALPN_LEN + 1],
                         size_t n);

/* Certificate message (TLS 1.3 form when tls13): parse the chain into
 * certs[*n] (at most TLS_MAX_CERTS). 0 or an alert. */
int tls_parse_certificate(const uint8_t *body, size_t len, bool tls13,
                          struct x509_cert *certs, size_t *n, const char **why);
/* Write our chain. */
void tls_write_certificate(struct wr *w, const struct tls_chain *ch,
                           bool tls13);
/* The content a TLS 1.3 CertificateVerify signs. */
size_t tls13_cv_content(bool server, const uint8_t *hash, size_t hlen,
                        uint8_t *out);

/* ---- Tickets (ticket.c) ----------------------------------------------- */
/* What a server seals into a ticket. */
struct tls_ticket_state {
    uint16_t version, suite;
    uint8_t secret[48]; /* TLS 1.3 PSK or TLS 1.2 master secret */
    uint64_t issued;    /* mirage_now() */
    uint32_t lifetime_s, age_add;
    bool ems;
};
#define TLS_TICKET_SEALED (16 + 12 + 2 + 2 + 48 + 8 + 4 + 4 + 1 + 16)
/* Seal st into out[TLS_TICKET_SEALED] under the current key (rotating
 * it first when due). 0 or the random device's error. */
int tls_ticket_seal(struct mirage_tls_server_config *cfg,
                    const struct tls_ticket_state *st, uint8_t *out);
/* Open a ticket: true and *st when one of our keys sealed it and it has
 * not expired. */
bool tls_ticket_open(struct mirage_tls_server_config *cfg, const uint8_t *t,
                     size_t len, struct tls_ticket_state *st);
/* The client's cache: the newest usable session for host, copied into
 * *out; false when there is none. */
bool tls_cache_find(struct mirage_tls_client_config *cfg, const char *host,
                    struct tls_session *out);
/* Remember a session (replacing the least recently used). */
void tls_cache_store(struct mirage_tls_client_config *cfg,
                     const struct tls_session *s);
/* Forget the cached session with s's ticket. */
void tls_cache_forget(struct mirage_tls_client_config *cfg,
                      const struct tls_session *s);

#endif
