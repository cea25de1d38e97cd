/* Writing responses (http.h): the status line and fields, Content-Length
 * or chunked framing, HEAD without a body, all gathered in the
 * connection's output buffer and sent in as few writes as possible. */
#include "conn.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <string.h>

int http_conn_send(struct mirage_http_conn *c, const struct mirage_iovec *iov,
                   size_t n)
{
    if (c->failed)
        return c->failed;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += iov[i].len;
    if (total <= HTTP_OUT_CAP - c->out_len && n > 0) {
        for (size_t i = 0; i < n; i++) {
            memcpy(c->out + c->out_len, iov[i].base, iov[i].len);
            c->out_len += iov[i].len;
        }
        return 0;
    }
    struct mirage_iovec all[5];
    size_t k = 0;
    if (c->out_len)
        all[k++] = (struct mirage_iovec){c->out, c->out_len};
    for (size_t i = 0; i < n; i++)
        if (iov[i].len)
            all[k++] = iov[i];
    total += c->out_len;
    c->out_len = 0;
    if (!k)
        return 0;
    /* A deadline for progress: each write that moves data renews it. */
    while (total) {
        long w = mirage_flow_writev(
            c->flow, all, k, mirage_now() + c->srv->cfg.write_timeout_ns);
        if (w < 0) {
            c->failed = (int)w;
            if (w == MIRAGE_ETIMEDOUT)
                c->srv->stats.timeouts++;
            return c->failed;
        }
        total -= (size_t)w;
        for (size_t skip = (size_t)w; skip && k;) {
            if (skip >= all[0].len) {
                skip -= all[0].len;
                memmove(all, all + 1, --k * sizeof all[0]);
            } else {
                all[0].base = (const char *)all[0].base + skip;
                all[0].len -= skip;
                skip = 0;
            }
        }
    }
    return 0;
}

/* Append to the output buffer, which the caller checked has room. */
static void put(struct mirage_http_conn *c, const char *s, size_t len)
{
    memcpy(c->out + c->out_len, s, len);
    c->out_len += len;
}

static void put_str(struct mirage_http_conn *c, const char *s)
{
    put(c, s, strlen(s));
}

static void put_uint(struct mirage_http_conn *c, uint64_t v)
{
    char d[20];
    size_t n = 0;
    do
        d[sizeof d - ++n] = (char)('0' + v % 10);
    while ((v /= 10));
    put(c, d + sizeof d - n, n);
}

static const char *date_now(struct mirage_http_server *s)
{
    uint64_t ns = plat_clock_wall();
    if (ns / 1000000000u != s->date_sec || !s->date[0]) {
        s->date_sec = ns / 1000000000u;
        mirage_http_date_format(ns, s->date);
    }
    return s->date;
}

/* The lengths of a field given to a response (0 means strlen). */
static void lengths(const struct mirage_http_header *h, size_t *nl, size_t *vl)
{
    *nl = h->name_len ? h->name_len : (h->name ? strlen(h->name) : 0);
    *vl = h->value_len ? h->value_len : (h->value ? strlen(h->value) : 0);
}

/* A field name is a token; a value has no CR, LF or NUL (RFC 9110
 * §5.5): what lets a handler split a response is refused. */
static bool header_ok(const struct mirage_http_header *h, size_t *nl,
                      size_t *vl)
{
    lengths(h, nl, vl);
    if (!*nl || !h->value)
        return false;
    for (size_t i = 0; i < *nl; i++)
        if (!http_is_tchar((unsigned char)h->name[i]))
            return false;
    for (size_t i = 0; i < *vl; i++) {
        unsigned char ch = (unsigned char)h->value[i];
        if (ch == '\r' || ch == '\n' || ch == '\0')
            return false;
    }
    return true;
}

int http_conn_start(struct mirage_http_conn *c, int status,
                    const struct mirage_http_header *headers, size_t n,
                    int64_t length)
{
    if (c->resp != RESP_NONE || status < 100 || status > 599 ||
        length < MIRAGE_HTTP_CHUNKED || (n && !headers))
        return MIRAGE_EINVAL;
    size_t need = 64 + MIRAGE_HTTP_DATE_LEN + 64;
    const char *server = c->srv->cfg.server_name;
    need += strlen(server) + 16;
    for (size_t i = 0; i < n; i++) {
        size_t nl, vl;
        if (!header_ok(&headers[i], &nl, &vl) ||
            http_token_eq(headers[i].name, nl, "content-length") ||
            http_token_eq(headers[i].name, nl, "transfer-encoding"))
            return MIRAGE_EINVAL;
        need += nl + vl + 4;
    }
    if (need > HTTP_OUT_CAP)
        return MIRAGE_EINVAL;
    if (need > HTTP_OUT_CAP - c->out_len) {
        int err = http_conn_flush(c);
        if (err)
            return err;
    }
    const struct mirage_http_request *r = &c->req;
    c->resp = RESP_STARTED;
    c->status = status;
    bool no_body_status = status < 200 || status == 204 || status == 304;
    c->resp_no_body = no_body_status || r->method_id == MIRAGE_HTTP_HEAD;
    c->resp_chunked = false;
    c->resp_left = no_body_status ? 0 : length;

    put_str(c, "HTTP/1.1 ");
    put_uint(c, (uint64_t)status);
    put(c, " ", 1);
    put_str(c, mirage_http_reason(status));
    put(c, "\r\n", 2);
    if (*server) {
        put_str(c, "Server: ");
        put_str(c, server);
        put(c, "\r\n", 2);
    }
    put_str(c, "Date: ");
    put(c, date_now(c->srv), MIRAGE_HTTP_DATE_LEN);
    put(c, "\r\n", 2);
    for (size_t i = 0; i < n; i++) {
        size_t nl, vl;
        lengths(&headers[i], &nl, &vl);
        if (http_token_eq(headers[i].name, nl, "connection")) {
            if (mirage_http_list_has(headers[i].value, "close"))
                c->closing = true;
            continue;
        }
        put(c, headers[i].name, nl);
        put(c, ": ", 2);
        put(c, headers[i].value, vl);
        put(c, "\r\n", 2);
    }
    if (!no_body_status) {
        if (length >= 0) {
            put_str(c, "Content-Length: ");
            put_uint(c, (uint64_t)length);
            put(c, "\r\n", 2);
        } else if (r->version >= 11) {
            put_str(c, "Transfer-Encoding: chunked\r\n");
            c->resp_chunked = true;
        } else if (r->method_id != MIRAGE_HTTP_HEAD) {
            c->closing = true; /* the end of the body is the close */
        }
    }
    if (!r->keep_alive)
        c->closing = true;
    if (c->closing)
        put_str(c, "Connection: close\r\n");
    else if (r->version < 11)
        put_str(c, "Connection: keep-alive\r\n");
    put(c, "\r\n", 2);
    return 0;
}

int mirage_http_response_start(struct mirage_http_request *req, int status,
                               const struct mirage_http_header *headers,
                               size_t n, int64_t length)
{
    return http_conn_start(req->conn, status, headers, n, length);
}

long mirage_http_response_writev(struct mirage_http_request *req,
                                 const struct mirage_iovec *iov, size_t n)
{
    struct mirage_http_conn *c = req->conn;
    if (c->resp != RESP_STARTED)
        return MIRAGE_EINVAL;
    if (n > 2) {
        /* Piece by piece (http_conn_send takes a few at a time). */
        long sum = 0;
        for (size_t i = 0; i < n; i++) {
            long w = mirage_http_response_writev(req, &iov[i], 1);
            if (w < 0)
                return w;
            sum += w;
        }
        return sum;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += iov[i].len;
    if (c->resp_left >= 0) {
        if (total > (uint64_t)c->resp_left)
            return MIRAGE_EINVAL;
        c->resp_left -= (int64_t)total;
    }
    if (c->resp_no_body || total == 0)
        return (long)total;
    int err;
    if (c->resp_chunked) {
        char size[20];
        size_t k = sizeof size;
        size[--k] = '\n';
        size[--k] = '\r';
        size_t v = total;
        do
            size[--k] = "0123456789abcdef"[v & 15];
        while ((v >>= 4));
        struct mirage_iovec all[4] = {{size + k, sizeof size - k}};
        for (size_t i = 0; i < n; i++)
            all[1 + i] = iov[i];
        all[1 + n] = (struct mirage_iovec){"\r\n", 2};
        err = http_conn_send(c, all, n + 2);
    } else {
        err = http_conn_send(c, iov, n);
    }
    return err ? err : (long)total;
}

long mirage_http_response_write(struct mirage_http_request *req,
                                const void *data, size_t len)
{
    struct mirage_iovec iov = {data, len};
    return mirage_http_response_writev(req, &iov, 1);
}

int mirage_http_response_finish(struct mirage_http_request *req)
{
    struct mirage_http_conn *c = req->conn;
    if (c->resp != RESP_STARTED)
        return MIRAGE_EINVAL;
    if (c->resp_left > 0 && !c->resp_no_body) {
        c->closing = true; /* the body is short: the client must see it */
        c->resp = RESP_DONE;
        return MIRAGE_EINVAL;
    }
    c->resp = RESP_DONE;
    if (c->resp_chunked && !c->resp_no_body) {
        struct mirage_iovec last = {"0\r\n\r\n", 5};
        return http_conn_send(c, &last, 1);
    }
    return c->failed;
}

int mirage_http_respond(struct mirage_http_request *req, int status,
                        const struct mirage_http_header *headers, size_t n,
                        const void *body, size_t len)
{
    int err = mirage_http_response_start(req, status, headers, n, (int64_t)len);
    if (err)
        return err;
    struct mirage_http_conn *c = req->conn;
    if (len && !c->resp_no_body) {
        struct mirage_iovec iov = {body, len};
        err = http_conn_send(c, &iov, 1);
    }
    c->resp_left = 0;
    c->resp = RESP_DONE;
    return err;
}

void http_conn_error(struct mirage_http_conn *c, int status)
{
    static const struct mirage_http_header type = {
        "Content-Type", "text/plain; charset=utf-8", 12, 25};
    char body[64];
    const char *reason = mirage_http_reason(status);
    size_t rl = strlen(reason);
    body[0] = (char)('0' + status / 100);
    body[1] = (char)('0' + status / 10 % 10);
    body[2] = (char)('0' + status % 10);
    body[3] = ' ';
    memcpy(body + 4, reason, rl);
    body[4 + rl] = '\n';
    c->closing = true;
    c->req.keep_alive = false;
    mirage_http_respond(&c->req, status, &type, 1, body, rl + 5);
}
