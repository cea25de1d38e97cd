/* The incremental HTTP/1.1 message-head parser (RFC 9112 §2-5): request
 * lines, status lines and header sections, fed as bytes arrive. It keeps
 * offsets into the caller's buffer (so the buffer may move between
 * calls, as long as the bytes already seen stay in place relative to its
 * start) and records fields in a caller-provided array: nothing is
 * allocated. Internal to lib/http; the fuzz targets and tests use it. */
#ifndef MIRAGE_HTTP_PARSE_H
#define MIRAGE_HTTP_PARSE_H

#include <mirage/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest method token accepted (longer: 501). */
#define HTTP_METHOD_MAX 32

/* A field: offsets from the start of the buffer. */
struct http_field {
    uint32_t name, name_len, value, value_len;
};

enum http_parse_kind { HTTP_PARSE_REQUEST, HTTP_PARSE_RESPONSE };

struct http_head {
    /* Set by http_parser_init. */
    uint8_t kind;
    size_t head_max, target_max;
    struct http_field *fields;
    unsigned fields_max;
    /* Progress. */
    uint8_t state;
    size_t pos;     /* bytes examined */
    uint32_t start; /* first byte of the start line (after empty lines) */
    uint32_t name_start, name_end, value_start, value_end;
    unsigned n_fields;
    /* The start line. */
    uint32_t method_len, target_start, target_len;
    uint32_t reason_start, reason_len;
    int status;
    unsigned version; /* 10 or 11 */
    uint8_t vlen;
    char vbuf[8];
};

/* Prepare p to parse one head of the given kind with these limits, the
 * fields going to fields[0..fields_max). */
void http_head_init(struct http_head *p, enum http_parse_kind kind,
                    size_t head_max, size_t target_max,
                    struct http_field *fields, unsigned fields_max);
/* Go on parsing buf[0..len), len never smaller than at the previous call
 * (the bytes before are the same). Returns the length of the complete
 * head (through its final empty line), 0 when more bytes are needed, or
 * minus an HTTP status when the head is invalid: 400 (syntax), 414
 * (target over target_max), 431 (head over head_max, too many fields),
 * 501 (method over HTTP_METHOD_MAX bytes), 505 (HTTP major version not
 * 1). A response head's errors are all -400 except -431. */
long http_head_parse(struct http_head *p, const char *buf, size_t len);

/* After a complete request head: check its fields' semantics, write the
 * NUL terminators into buf and fill req (headers pointing into hdrs,
 * which has room for p->n_fields). 0, or minus the status to answer:
 * 400 (Content-Length malformed or repeated, Content-Length with
 * Transfer-Encoding, Transfer-Encoding without chunked last or in
 * HTTP/1.0, chunked twice, Host missing in HTTP/1.1, repeated or
 * malformed), 501 (a transfer coding other than chunked), 417 (an
 * Expect other than 100-continue). req->conn is not touched. */
int http_request_build(const struct http_head *p, char *buf,
                       struct mirage_http_header *hdrs,
                       struct mirage_http_request *req);

/* How a response's body is delimited. */
struct http_framing {
    int64_t length; /* bytes; -1 when chunked or until the end */
    bool chunked;
    bool until_close;
};
/* After a complete response head: write the NUL terminators, fill resp's
 * status, version, reason and headers (into hdrs) and the body's framing
 * for a request of method `head_request` (a HEAD has no body, nor have
 * 1xx, 204 and 304). 0 or -400 (Content-Length malformed or with
 * conflicting values; a transfer coding other than chunked alone, which
 * the client does not decode). */
int http_response_build(const struct http_head *p, char *buf,
                        struct mirage_http_header *hdrs,
                        struct mirage_http_response *resp, bool head_request,
                        struct http_framing *framing);

/* Character classes (parse.c): C_TCHAR (RFC 9110 §5.6.2 tchar), C_VCHAR
 * (§5.5 field-vchar, obs-text included), C_TGT (request-target). */
#define C_TCHAR 1
#define C_VCHAR 2
#define C_TGT   4
extern const uint8_t http_ctab[256];
static inline bool http_is_tchar(unsigned char c)
{
    return http_ctab[c] & C_TCHAR;
}
/* The value of a hexadecimal digit, or -1. */
int http_hex_value(unsigned char c);
/* ASCII case-insensitive equality of a[0..n) and the NUL-terminated b. */
bool http_token_eq(const char *a, size_t n, const char *b);

#endif
