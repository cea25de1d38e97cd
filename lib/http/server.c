/* The HTTP/1.1 server (http.h): one loop per connection that reads and
 * parses request heads, runs the handler, finishes and drains each
 * exchange, and keeps the connection for the next request (keep-alive,
 * pipelining: the responses to requests already received are gathered
 * and sent together). Timeouts against slow clients, the connection cap
 * with eviction of idle connections, and a lingering close after errors
 * so that the client reads the answer before the connection goes. */
#include "conn.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

/* After an error the connection's input is read and dropped for at most
 * this long before closing, so that the client is not sent a reset
 * before reading the answer. */
#define LINGER_NS MIRAGE_SEC(2)

void mirage_http_server_config_default(struct mirage_http_server_config *c)
{
    *c = (struct mirage_http_server_config){
        .head_max = 16 * 1024,
        .target_max = 8 * 1024,
        .headers_max = 100,
        .body_max = 16 * 1024 * 1024,
        .idle_timeout_ns = MIRAGE_SEC(30),
        .head_timeout_ns = MIRAGE_SEC(10),
        .body_timeout_ns = MIRAGE_SEC(60),
        .write_timeout_ns = MIRAGE_SEC(30),
        .max_connections = 1024,
        .server_name = "MirageC",
    };
}

int mirage_http_server_create(const struct mirage_http_server_config *c,
                              mirage_http_handler handler, void *arg,
                              struct mirage_http_server **out)
{
    struct mirage_http_server_config d;
    mirage_http_server_config_default(&d);
    if (c) {
#define TAKE(f)                                                                \
    if (c->f)                                                                  \
    d.f = c->f
        TAKE(head_max);
        TAKE(target_max);
        TAKE(headers_max);
        TAKE(body_max);
        TAKE(idle_timeout_ns);
        TAKE(head_timeout_ns);
        TAKE(body_timeout_ns);
        TAKE(write_timeout_ns);
        TAKE(max_connections);
        TAKE(server_name);
#undef TAKE
    }
    if (!handler || d.head_max < 256 || d.target_max > d.head_max ||
        d.head_max > UINT32_MAX / 2)
        return MIRAGE_EINVAL;
    struct mirage_http_server *s = calloc(1, sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    s->cfg = d;
    s->handler = handler;
    s->arg = arg;
    *out = s;
    return 0;
}

const struct mirage_http_server_stats *
mirage_http_server_stats(const struct mirage_http_server *s)
{
    return &s->stats;
}

void mirage_http_server_free(struct mirage_http_server *s)
{
    free(s);
}

static void idle_enter(struct mirage_http_conn *c)
{
    struct mirage_http_server *s = c->srv;
    c->idle = true;
    c->idle_prev = s->idle_tail;
    c->idle_next = NULL;
    if (s->idle_tail)
        s->idle_tail->idle_next = c;
    else
        s->idle_head = c;
    s->idle_tail = c;
}

static void idle_leave(struct mirage_http_conn *c)
{
    struct mirage_http_server *s = c->srv;
    if (!c->idle)
        return;
    c->idle = false;
    if (c->idle_prev)
        c->idle_prev->idle_next = c->idle_next;
    else
        s->idle_head = c->idle_next;
    if (c->idle_next)
        c->idle_next->idle_prev = c->idle_prev;
    else
        s->idle_tail = c->idle_prev;
}

/* Make room for one more connection: close the longest idle one (its
 * fiber wakes from its read and ends). false when none is idle. */
static bool evict_idle(struct mirage_http_server *s)
{
    struct mirage_http_conn *v = s->idle_head;
    if (!v)
        return false;
    idle_leave(v);
    v->evicted = true;
    s->stats.evicted++;
    mirage_flow_shutdown(v->flow, MIRAGE_FLOW_SHUT_RDWR);
    return true;
}

/* Read and drop input until the client closes or LINGER_NS pass, after
 * shutting writing down; then the close sends no reset for data the
 * client sent before seeing the answer. */
static void linger(struct mirage_flow *flow)
{
    char scratch[1024];
    uint64_t deadline = mirage_now() + LINGER_NS;
    mirage_flow_shutdown(flow, MIRAGE_FLOW_SHUT_WRITE);
    while (mirage_flow_read(flow, scratch, sizeof scratch, deadline) > 0)
        ;
}

/* Refuse a connection over the cap with 503. */
static void refuse(struct mirage_http_server *s, struct mirage_flow *flow)
{
    static const char answer[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                 "Content-Length: 0\r\n"
                                 "Retry-After: 1\r\n"
                                 "Connection: close\r\n\r\n";
    s->stats.refused++;
    if (mirage_flow_write(flow, answer, sizeof answer - 1,
                          mirage_now() + s->cfg.write_timeout_ns) > 0)
        linger(flow);
    mirage_flow_close(flow);
}

/* Grow the input buffer to at least `want` bytes (at most the limit). */
static bool grow(struct mirage_http_conn *c, size_t want)
{
    size_t limit = c->srv->cfg.head_max + HTTP_IN_MIN;
    if (want > limit)
        want = limit;
    if (want <= c->cap)
        return c->cap > c->len;
    size_t cap = c->cap * 2 > want ? c->cap * 2 : want;
    if (cap > limit)
        cap = limit;
    char *in = realloc(c->in, cap);
    if (!in)
        return false;
    c->in = in;
    c->cap = cap;
    return true;
}

/* Room to read into: the bytes already consumed are dropped first. */
static bool make_room(struct mirage_http_conn *c)
{
    if (c->start) {
        memmove(c->in, c->in + c->start, c->len - c->start);
        c->len -= c->start;
        c->start = 0;
    }
    return c->len < c->cap || grow(c, c->cap + 1);
}

/* Read and parse the next request head. Returns its length, 0 when the
 * connection ends quietly, or minus the status to answer. */
static long read_head(struct mirage_http_conn *c)
{
    struct mirage_http_server *s = c->srv;
    uint64_t head_deadline = 0;
    http_head_init(&c->parser, HTTP_PARSE_REQUEST, s->cfg.head_max,
                   s->cfg.target_max, c->fields, s->cfg.headers_max);
    for (;;) {
        long r =
            http_head_parse(&c->parser, c->in + c->start, c->len - c->start);
        if (r)
            return r;
        if (http_conn_flush(c) || c->evicted)
            return 0;
        if (!make_room(c))
            return -503; /* memory exhausted */
        bool fresh = c->len == c->start;
        if (fresh)
            idle_enter(c);
        else if (!head_deadline)
            head_deadline = mirage_now() + s->cfg.head_timeout_ns;
        long n = mirage_flow_read(c->flow, c->in + c->len, c->cap - c->len,
                                  fresh ? mirage_now() + s->cfg.idle_timeout_ns
                                        : head_deadline);
        idle_leave(c);
        if (n == MIRAGE_ETIMEDOUT) {
            s->stats.timeouts++;
            return fresh ? 0 : -408;
        }
        if (n <= 0 || c->evicted)
            return 0;
        c->len += (size_t)n;
    }
}

/* What follows an exchange. */
enum next { NEXT_REQUEST, NEXT_CLOSE, NEXT_LINGER };

/* Serve one exchange whose head (head_len bytes at start) is complete;
 * say whether the connection goes on, closes, or closes after dropping
 * what the client still sends (after an error, or with input unread). */
static enum next exchange(struct mirage_http_conn *c, size_t head_len)
{
    struct mirage_http_server *s = c->srv;
    c->head_len = head_len;
    /* Chunked bodies are decoded in the buffer after the head: keep
     * room there before pointers into the buffer are handed out. */
    if (c->cap - (c->start + head_len) < HTTP_IN_MIN / 2) {
        if (c->start) {
            memmove(c->in, c->in + c->start, c->len - c->start);
            c->len -= c->start;
            c->start = 0;
        }
        grow(c, head_len + HTTP_IN_MIN);
    }
    c->req.conn = c;
    int err =
        http_request_build(&c->parser, c->in + c->start, c->headers, &c->req);
    c->body_pos = c->start + head_len;
    c->body_left =
        c->req.content_length > 0 ? (uint64_t)c->req.content_length : 0;
    c->body_total = 0;
    c->body_deadline = 0;
    c->body_err = 0;
    c->continue_sent = false;
    c->resp = RESP_NONE;
    c->closing = false;
    http_chunked_init(&c->chunk);
    if (!err && c->req.content_length > (int64_t)s->cfg.body_max)
        err = -413;
    if (err) {
        s->stats.bad_requests++;
        http_conn_error(c, -err);
        return NEXT_LINGER;
    }
    s->stats.requests++;
    s->handler(s->arg, &c->req);
    if (c->resp == RESP_NONE) {
        int status = 500;
        if (c->body_err)
            s->stats.bad_requests++;
        if (c->body_err == MIRAGE_EBADF)
            status = 400;
        else if (c->body_err == MIRAGE_ERANGE)
            status = 413;
        else if (c->body_err == MIRAGE_ETIMEDOUT)
            status = 408;
        http_conn_error(c, status);
    } else if (c->resp == RESP_STARTED) {
        c->closing = true; /* an unfinished response: only a close ends it */
    }
    if (c->failed)
        return NEXT_CLOSE;
    bool unread = c->len > c->body_pos;
    if (c->closing)
        return unread || http_body_pending(c) ? NEXT_LINGER : NEXT_CLOSE;
    /* The body the handler left: dropped, unless the client still waits
     * for 100 Continue (it may never send it), or it is too large. */
    if (http_body_pending(c)) {
        if (c->req.expect_continue && !c->continue_sent)
            return NEXT_LINGER;
        if (http_body_drain(c))
            return NEXT_LINGER;
    }
    c->start = c->body_pos;
    return NEXT_REQUEST;
}

void mirage_http_server_serve(struct mirage_http_server *s,
                              struct mirage_flow *flow)
{
    s->stats.connections++;
    if (s->stats.active >= s->cfg.max_connections && !evict_idle(s)) {
        refuse(s, flow);
        return;
    }
    size_t size = sizeof(struct mirage_http_conn) +
                  s->cfg.headers_max * (sizeof(struct http_field) +
                                        sizeof(struct mirage_http_header));
    struct mirage_http_conn *c = calloc(1, size);
    char *in = malloc(HTTP_IN_MIN);
    if (!c || !in) {
        free(c);
        free(in);
        refuse(s, flow);
        return;
    }
    s->stats.active++;
    c->srv = s;
    c->flow = flow;
    c->in = in;
    c->cap = HTTP_IN_MIN;
    c->headers = (struct mirage_http_header *)(c + 1);
    c->fields = (struct http_field *)(c->headers + s->cfg.headers_max);
    enum next next = NEXT_CLOSE;
    for (;;) {
        long r = read_head(c);
        if (r == 0)
            break;
        if (r < 0) {
            s->stats.bad_requests++;
            c->req = (struct mirage_http_request){.version = 11, .conn = c};
            c->resp = RESP_NONE;
            http_conn_error(c, (int)-r);
            next = NEXT_LINGER;
            break;
        }
        next = exchange(c, (size_t)r);
        if (next != NEXT_REQUEST)
            break;
    }
    http_conn_flush(c);
    idle_leave(c);
    if (next == NEXT_LINGER && !c->failed && !c->evicted)
        linger(flow);
    s->stats.active--;
    free(c->in);
    free(c);
    mirage_flow_close(flow);
}

static int on_tcp(void *arg, struct mirage_tcp_flow *flow)
{
    /* Responses are written whole, one write per batch: Nagle's
     * algorithm would only hold back their last segment. */
    mirage_tcp_nodelay(flow, true);
    mirage_http_server_serve(arg, &flow->flow);
    return 0;
}

int mirage_http_server_listen_tcp(struct mirage_http_server *s,
                                  struct mirage_tcp *tcp, uint16_t port)
{
    return mirage_tcp_listen(tcp, port, NULL, on_tcp, s);
}
