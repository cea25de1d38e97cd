/* Reading a request body (http.h): Content-Length bodies straight into
 * the caller's buffer once the bytes buffered with the head are used,
 * chunked bodies through the decoder in the connection's buffer; the
 * interim 100 Continue; dropping what a handler left unread. */
#include "conn.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <string.h>

bool http_body_pending(const struct mirage_http_conn *c)
{
    if (c->body_err)
        return true;
    return c->req.chunked ? !http_chunked_done(&c->chunk) : c->body_left > 0;
}

static long fail(struct mirage_http_conn *c, long err)
{
    if (err == 0)
        err = MIRAGE_EBADF; /* the stream ended inside the body */
    if (err == MIRAGE_ETIMEDOUT)
        c->srv->stats.timeouts++;
    c->body_err = (int)err;
    return err;
}

/* Read more bytes of a chunked body into the buffer. */
static long refill(struct mirage_http_conn *c)
{
    if (c->len == c->cap) /* everything up to len is consumed: reuse */
        c->len = c->body_pos = c->start + c->head_len;
    long n = mirage_flow_read(c->flow, c->in + c->len, c->cap - c->len,
                              c->body_deadline);
    if (n <= 0)
        return fail(c, n);
    c->len += (size_t)n;
    return n;
}

static long read_chunked(struct mirage_http_conn *c, char *buf, size_t len)
{
    uint64_t room = c->srv->cfg.body_max - c->body_total;
    if (room == 0 && !http_chunked_done(&c->chunk))
        len = 1; /* one more data byte would be over the limit */
    else if (len > room)
        len = (size_t)room;
    for (;;) {
        long n =
            http_chunked_read(&c->chunk, c->in, c->len, &c->body_pos, buf, len);
        if (n == HTTP_CHUNKED_MORE) {
            long err = refill(c);
            if (err < 0)
                return err;
            continue;
        }
        if (n < 0)
            return fail(c, n);
        if (c->body_total + (uint64_t)n > c->srv->cfg.body_max)
            return fail(c, MIRAGE_ERANGE);
        c->body_total += (uint64_t)n;
        return n;
    }
}

long mirage_http_body_read(struct mirage_http_request *req, void *buf,
                           size_t len)
{
    struct mirage_http_conn *c = req->conn;
    if (c->body_err)
        return c->body_err;
    if (!http_body_pending(c))
        return 0;
    if (len == 0)
        return MIRAGE_EINVAL;
    if (req->expect_continue && !c->continue_sent && c->resp == RESP_NONE) {
        struct mirage_iovec iov = {"HTTP/1.1 100 Continue\r\n\r\n", 25};
        c->continue_sent = true;
        int err = http_conn_send(c, &iov, 1);
        if (!err)
            err = http_conn_flush(c);
        if (err)
            return fail(c, err);
    }
    if (!c->body_deadline)
        c->body_deadline = mirage_now() + c->srv->cfg.body_timeout_ns;
    if (req->chunked)
        return read_chunked(c, buf, len);
    if (len > c->body_left)
        len = (size_t)c->body_left;
    size_t held = c->len - c->body_pos;
    long n;
    if (held) {
        n = (long)(held < len ? held : len);
        memcpy(buf, c->in + c->body_pos, (size_t)n);
        c->body_pos += (size_t)n;
    } else {
        /* Only what the body still holds is asked for: the next
         * request's bytes stay in the flow. */
        n = mirage_flow_read(c->flow, buf, len, c->body_deadline);
        if (n <= 0)
            return fail(c, n);
    }
    c->body_left -= (uint64_t)n;
    return n;
}

int http_body_drain(struct mirage_http_conn *c)
{
    char scratch[1024];
    uint64_t dropped = 0;
    while (http_body_pending(c)) {
        if (dropped > HTTP_DRAIN_MAX)
            return MIRAGE_ERANGE;
        long n = mirage_http_body_read(&c->req, scratch, sizeof scratch);
        if (n < 0)
            return (int)n;
        dropped += (uint64_t)n;
    }
    return 0;
}
