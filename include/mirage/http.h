/* HTTP/1.1 (RFC 9110 semantics, RFC 9112 message syntax): a server that
 * runs a handler for every request, a static-file handler over a kv_ro
 * store, and a client. Both work over any flow (flow.h), so plain TCP and
 * TLS share one code path.
 *
 * The request parser is incremental and allocates nothing per header. It
 * is strict where RFC 9112 requires it, against request smuggling: a
 * repeated or malformed Content-Length, Content-Length together with
 * Transfer-Encoding, a Transfer-Encoding other than `chunked` last, bad
 * chunk sizes, obs-fold, whitespace before a field's colon, a bare CR or
 * a bare LF as a line end, control characters in a field and characters
 * outside RFC 3986's in a request-target are all 400
 * Bad Request, and the connection is closed afterwards. Limits answer
 * with their own statuses: a method over 32 bytes 501, a request-target
 * over `target_max` 414, a header section over `head_max` or with more
 * than `headers_max` fields 431, a body over `body_max` 413, an HTTP
 * version other than 1.x 505, an Expect other than 100-continue 417, a
 * transfer coding other than chunked 501.
 *
 * Yielding: the calls that read or write the network (serving a
 * connection, reading a body, writing a response, every client request)
 * may yield and must run in a fiber; each says so. Errors are negative
 * MIRAGE_E* codes (error.h). */
#ifndef MIRAGE_HTTP_H
#define MIRAGE_HTTP_H

#include <mirage/flow.h>
#include <mirage/kv.h>
#include <mirage/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One header field. In a parsed message the strings point into the
 * connection's buffer, NUL-terminated (value without its surrounding
 * whitespace), valid until the handler returns (server) or the response
 * is freed (client). In headers given to a response or a request, a
 * length of 0 means strlen. */
struct mirage_http_header {
    const char *name;
    const char *value;
    size_t name_len, value_len;
};

enum mirage_http_method {
    MIRAGE_HTTP_OTHER = 0, /* any other token: see `method` */
    MIRAGE_HTTP_GET,
    MIRAGE_HTTP_HEAD,
    MIRAGE_HTTP_POST,
    MIRAGE_HTTP_PUT,
    MIRAGE_HTTP_DELETE,
    MIRAGE_HTTP_OPTIONS,
    MIRAGE_HTTP_TRACE,
    MIRAGE_HTTP_CONNECT,
    MIRAGE_HTTP_PATCH,
};

struct mirage_http_conn;
/* A request as the server hands it to a handler. Every string is
 * NUL-terminated and lives until the handler returns. */
struct mirage_http_request {
    enum mirage_http_method method_id;
    const char *method; /* the method token as sent */
    const char *target; /* the request-target as sent */
    /* The path of the target (from its '/' to before any '?' or the
     * end; "*" for OPTIONS *; the authority for CONNECT): path_len bytes
     * at `path`, not NUL-terminated. query: after the '?', NUL-terminated,
     * or NULL. */
    const char *path;
    size_t path_len;
    const char *query;
    unsigned version; /* 10 (HTTP/1.0) or 11 (HTTP/1.1 and later 1.x) */
    const struct mirage_http_header *headers;
    size_t header_count;
    /* Framing of the body: content_length bytes, or chunked (then
     * content_length is -1); 0 and not chunked: no body. */
    int64_t content_length;
    bool chunked;
    bool expect_continue; /* Expect: 100-continue */
    /* The client lets the connection stay open after this exchange
     * (HTTP/1.1 without Connection: close, or HTTP/1.0 with keep-alive). */
    bool keep_alive;
    struct mirage_http_conn *conn; /* the server's connection (opaque) */
};

/* A handler: runs for each request, in the connection's fiber. It
 * answers with mirage_http_respond or the streaming calls below; a
 * handler that returns without answering gets 500 sent for it, and one
 * that started a response without finishing it gets the connection
 * closed. It may read the body (mirage_http_body_read); an unread body is
 * discarded afterwards (up to 64 KiB, beyond which the connection is
 * closed). Its return value is ignored. May yield. */
typedef int (*mirage_http_handler)(void *arg, struct mirage_http_request *req);

/* The first field called `name` (ASCII case-insensitive), or NULL. */
const char *mirage_http_header_get(const struct mirage_http_header *h, size_t n,
                                   const char *name);
static inline const char *
mirage_http_request_header(const struct mirage_http_request *r,
                           const char *name)
{
    return mirage_http_header_get(r->headers, r->header_count, name);
}
/* Whether the comma-separated field value `list` holds `token` (ASCII
 * case-insensitive, whitespace around elements ignored). */
bool mirage_http_list_has(const char *list, const char *token);
/* The reason phrase of a status code ("Not Found"); "" when unknown. */
const char *mirage_http_reason(int status);

/* Read up to len bytes of the request's body: the count, 0 at its end,
 * or an error: MIRAGE_EBADF (malformed chunked framing: the server
 * answers 400 if the handler has not answered), MIRAGE_ERANGE (more than
 * body_max: 413), MIRAGE_ETIMEDOUT (body_timeout passed: 408), or the
 * flow's error. The first read answers Expect: 100-continue. May yield. */
long mirage_http_body_read(struct mirage_http_request *req, void *buf,
                           size_t len);

/* A whole response with a Content-Length body of len bytes (none for
 * HEAD, 1xx, 204 and 304). headers[0..n) are added to the status line,
 * Server, Date and the framing fields the server writes itself; a
 * handler may not set Content-Length or Transfer-Encoding
 * (MIRAGE_EINVAL), and a Connection field is read for "close" (the
 * connection closes after the response) but not copied. 0,
 * MIRAGE_EINVAL (status outside 100..599, a second response, bad header
 * characters), or the flow's error. May yield. */
int mirage_http_respond(struct mirage_http_request *req, int status,
                        const struct mirage_http_header *headers, size_t n,
                        const void *body, size_t len);
/* Streaming: start a response whose body is `length` bytes, or of
 * unknown length with MIRAGE_HTTP_CHUNKED (chunked for HTTP/1.1; for an
 * HTTP/1.0 client the body ends with the connection), write the body in
 * pieces (for HEAD the pieces are counted and dropped), then finish it.
 * write returns the bytes taken (all of them) or an error: MIRAGE_EINVAL
 * beyond the announced length or before start. finish fails with
 * MIRAGE_EINVAL when fewer than `length` bytes were written (the
 * connection is then closed). All may yield. */
#define MIRAGE_HTTP_CHUNKED (-1)
int mirage_http_response_start(struct mirage_http_request *req, int status,
                               const struct mirage_http_header *headers,
                               size_t n, int64_t length);
long mirage_http_response_write(struct mirage_http_request *req,
                                const void *data, size_t len);
long mirage_http_response_writev(struct mirage_http_request *req,
                                 const struct mirage_iovec *iov, size_t n);
int mirage_http_response_finish(struct mirage_http_request *req);

/* ---- The server ------------------------------------------------------ */

struct mirage_http_server_config {
    size_t head_max;      /* request line + fields, bytes (16 KiB) */
    size_t target_max;    /* request-target, bytes (8 KiB) */
    unsigned headers_max; /* fields per request (100) */
    uint64_t body_max;    /* request body, bytes (16 MiB) */
    /* Timeouts (ns): waiting for a request on an open connection (30 s);
     * from a request's first byte to the end of its header section
     * (10 s); for a whole request body (60 s); for each write of a
     * response to make progress (30 s). A head or body that times out
     * is answered 408 and the connection closed. */
    uint64_t idle_timeout_ns;
    uint64_t head_timeout_ns;
    uint64_t body_timeout_ns;
    uint64_t write_timeout_ns;
    /* Connections served at once (1024). When a new one would exceed
     * it, the connection idle longest (waiting for a request) is closed;
     * with none idle, the new one is answered 503 and closed. */
    unsigned max_connections;
    /* The Server field's value ("MirageC"; "" sends none). */
    const char *server_name;
};
/* Fill c with the defaults above. */
void mirage_http_server_config_default(struct mirage_http_server_config *c);

struct mirage_http_server_stats {
    uint64_t connections;  /* accepted */
    uint64_t active;       /* being served now */
    uint64_t requests;     /* handed to the handler */
    uint64_t bad_requests; /* answered 4xx/5xx by the parser or limits */
    uint64_t timeouts;     /* connections ended by a timeout */
    uint64_t evicted;      /* idle connections closed for new ones */
    uint64_t refused;      /* answered 503 at the connection cap */
};

struct mirage_http_server;
/* A server running handler(arg, request) for every request, with the
 * configuration c (NULL: the defaults; zero fields take their defaults).
 * 0, MIRAGE_ENOMEM, or MIRAGE_EINVAL (handler NULL, head_max below 256,
 * target_max above head_max). Does not yield. */
int mirage_http_server_create(const struct mirage_http_server_config *c,
                              mirage_http_handler handler, void *arg,
                              struct mirage_http_server **out);
/* Serve the connection `flow` until it ends (the client closes, an
 * error, a timeout, or Connection: close); the server owns the flow and
 * closes it. Call it from the fiber of an accepted connection (a TCP
 * listen handler, a TLS or conduit server). May yield. */
void mirage_http_server_serve(struct mirage_http_server *s,
                              struct mirage_flow *flow);
/* Listen on TCP port `port` of tcp, serving every connection with s:
 * 0 or mirage_tcp_listen's errors. Does not yield. */
int mirage_http_server_listen_tcp(struct mirage_http_server *s,
                                  struct mirage_tcp *tcp, uint16_t port);
const struct mirage_http_server_stats *
mirage_http_server_stats(const struct mirage_http_server *s);
/* Free a server that serves no connection any more. Does not yield. */
void mirage_http_server_free(struct mirage_http_server *s);

/* ---- Static files from a kv_ro store -----------------------------------
 * GET and HEAD of the store's values: the path, percent-decoded, is the
 * key ("/" and a dictionary serve its `index`, a dictionary asked
 * without its final '/' is redirected (301) to it); Content-Type from
 * the name (mirage_http_mime_type); a strong ETag from the value's
 * SHA-256 (for values over cache_file_max, from its key, size and time,
 * so that it is not read whole) and Last-Modified from the store; If-None-Match
 * and If-Modified-Since answer 304, If-Match and If-Unmodified-Since 412; one
 * byte range answers 206 (If-Range respected), an unsatisfiable one 416,
 * several ranges the whole value (200). Other methods get 405. Keys the store
 * rejects get 400 or 404. Values up to `cache_file_max` are kept in memory (at
 * most `cache_max` bytes in all, least recently used dropped first) with their
 * metadata, so the store must not change while served; larger ones are streamed
 * from the store. */
struct mirage_http_static_config {
    const char *index;     /* "index.html" */
    size_t cache_max;      /* 4 MiB */
    size_t cache_file_max; /* 256 KiB */
};
struct mirage_http_static;
/* 0, MIRAGE_ENOMEM. c may be NULL (defaults). Does not yield. */
int mirage_http_static_create(struct mirage_kv_ro *kv,
                              const struct mirage_http_static_config *c,
                              struct mirage_http_static **out);
/* A mirage_http_handler: arg is the struct mirage_http_static *. */
int mirage_http_static_handler(void *arg, struct mirage_http_request *req);
void mirage_http_static_free(struct mirage_http_static *s);
/* The media type for a file name, from its extension (case-insensitive):
 * "text/html; charset=utf-8" for .html ...; "application/octet-stream"
 * for unknown ones. */
const char *mirage_http_mime_type(const char *name, size_t len);

/* ---- HTTP dates (RFC 9110 §5.6.7) -------------------------------------- */
/* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (29 bytes + NUL): buf >= 30. */
#define MIRAGE_HTTP_DATE_LEN 29
void mirage_http_date_format(uint64_t ns_since_epoch, char *buf);
/* Parse an IMF-fixdate, an RFC 850 date or an asctime date into seconds
 * since the epoch: 0 or MIRAGE_EINVAL. */
int mirage_http_date_parse(const char *s, uint64_t *secs);

/* ---- The client ------------------------------------------------------ */

/* How the client gets a flow to host:port, with TLS when tls is true.
 * *out is closed with mirage_flow_close. May yield. */
typedef int (*mirage_http_connector)(void *arg, bool tls, const char *host,
                                     uint16_t port, uint64_t deadline,
                                     struct mirage_flow **out);
/* A connector over a TCP device for host names that are IPv4 literals
 * (arg is the struct mirage_tcp *); other names are MIRAGE_ENOTSUP (use
 * the DNS connector), and so is tls until TLS flows can be made. */
int mirage_http_tcp_connector(void *arg, bool tls, const char *host,
                              uint16_t port, uint64_t deadline,
                              struct mirage_flow **out);
/* A connector that asks a DNS resolver (resolver.h) for the IPv4
 * addresses of the host (a literal stands for itself) and connects over
 * TCP to each in turn until one answers; arg is a struct mirage_http_dns.
 * The resolver's errors (MIRAGE_ENOENT: no such name), or the last
 * connection's; tls is MIRAGE_ENOTSUP. */
struct mirage_resolver;
struct mirage_http_dns {
    struct mirage_tcp *tcp;
    struct mirage_resolver *resolver;
};
int mirage_http_dns_connector(void *arg, bool tls, const char *host,
                              uint16_t port, uint64_t deadline,
                              struct mirage_flow **out);

struct mirage_http_client_config {
    unsigned max_redirects; /* followed 301/302/303/307/308s (5) */
    uint64_t timeout_ns;    /* each request, connect to end of head (30 s) */
    size_t head_max;        /* response status line + fields (16 KiB) */
    unsigned headers_max;   /* response fields (100) */
    const char *user_agent; /* "MirageC"; "" sends none */
};

/* A received response. The strings live until mirage_http_response_free;
 * the body is read with mirage_http_response_read. */
struct mirage_http_response {
    int status;
    unsigned version; /* 10 or 11 */
    const char *reason;
    const struct mirage_http_header *headers;
    size_t header_count;
    int64_t content_length; /* -1: chunked or until the connection ends */
    bool chunked;
    const char *url;    /* the URL finally fetched, after redirects */
    unsigned redirects; /* how many were followed */
};

struct mirage_http_client;
/* 0, MIRAGE_ENOMEM, MIRAGE_EINVAL (connect NULL). c may be NULL. Does
 * not yield. */
int mirage_http_client_create(mirage_http_connector connect, void *arg,
                              const struct mirage_http_client_config *c,
                              struct mirage_http_client **out);
void mirage_http_client_free(struct mirage_http_client *c);
/* Send `method` to url ("http://host[:port]/path" or https) with the
 * extra headers[0..n) and a body of len bytes (Content-Length; none when
 * body is NULL), follow redirects (303, and 301/302 after POST, turn
 * into GET without body), and return the final response's head in
 * *out; its body is then read with mirage_http_response_read. Errors:
 * MIRAGE_EINVAL (bad URL, bad header), MIRAGE_ENOTSUP (scheme, host name
 * without resolver), MIRAGE_EBADF (malformed response), MIRAGE_ERANGE
 * (response head too large, too many redirects), MIRAGE_ETIMEDOUT, the
 * connector's and the flow's errors. May yield. */
int mirage_http_request_send(struct mirage_http_client *c, const char *method,
                             const char *url,
                             const struct mirage_http_header *headers, size_t n,
                             const void *body, size_t len,
                             struct mirage_http_response **out);
static inline int mirage_http_get(struct mirage_http_client *c, const char *url,
                                  struct mirage_http_response **out)
{
    return mirage_http_request_send(c, "GET", url, NULL, 0, NULL, 0, out);
}
/* Read up to len bytes of the body: the count, 0 at its end, or an
 * error (MIRAGE_EBADF: malformed chunked framing or a body cut short;
 * MIRAGE_ETIMEDOUT; the flow's). May yield. */
long mirage_http_response_read(struct mirage_http_response *r, void *buf,
                               size_t len);
/* Close the response's connection and free it. Does not yield. */
void mirage_http_response_free(struct mirage_http_response *r);

/* ---- The catalogue's devices ------------------------------------------
 * cohttp_server and httpaf_server (<mirage/config/http.h>) both give a
 * struct mirage_http: this library's server over a conduit (conduit.h),
 * so one handler serves TCP and TLS endpoints alike. cohttp_client
 * gives a struct mirage_http_client whose connector resolves names with
 * a resolver (resolver.h) and connects through a conduit, over TLS for
 * https URLs when it has a TLS client configuration (tls.h). */
struct mirage_conduit;
struct mirage_conduit_server;
struct mirage_tls_client_config;

struct mirage_http {
    struct mirage_conduit *conduit;
    const char *impl; /* "cohttp" or "httpaf": the device's name */
    /* The configuration of the servers mirage_http_listen makes; the
     * defaults, which the application may change before listening. */
    struct mirage_http_server_config config;
};
/* 0 or MIRAGE_ENOMEM. Do not yield. */
int mirage_http_connect_cohttp(struct mirage_http **out,
                               struct mirage_conduit *conduit);
int mirage_http_connect_httpaf(struct mirage_http **out,
                               struct mirage_conduit *conduit);
/* Serve every connection accepted at the conduit endpoint `at` (which
 * must outlive the listener) with a new server of h->config running
 * handler(arg, request); *server (when server is not NULL) is that
 * server, for its statistics. 0; mirage_http_server_create's and
 * mirage_conduit_listen's errors. Does not yield. */
int mirage_http_listen(struct mirage_http *h,
                       const struct mirage_conduit_server *at,
                       mirage_http_handler handler, void *arg,
                       struct mirage_http_server **server);

/* cohttp_client: a client (with the default configuration) whose
 * connector asks resolver for a host's IPv4 addresses (a literal stands
 * for itself), tries each in turn through conduit, and for https runs
 * TLS with tls (host names checked against the certificate); with tls
 * NULL, https URLs are MIRAGE_ENOTSUP. 0 or MIRAGE_ENOMEM. Does not
 * yield. */
int mirage_http_client_connect_cohttp(struct mirage_http_client **out,
                                      struct mirage_resolver *resolver,
                                      struct mirage_conduit *conduit,
                                      struct mirage_tls_client_config *tls);

#endif
