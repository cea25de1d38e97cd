/* The HTTP/1.1 client (http.h): one connection per request (sent with
 * Connection: close), the response head parsed with the shared parser,
 * interim 1xx answers skipped, redirects followed up to a limit, and the
 * body read by Content-Length, chunked coding or the connection's end. */
#include "chunked.h"
#include "parse.h"
#include "url.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for body bytes after the head in a response's buffer. */
#define BODY_ROOM 4096

struct mirage_http_client {
    mirage_http_connector connect;
    void *arg;
    struct mirage_http_client_config cfg;
};

/* A response: the public part first. */
struct response {
    struct mirage_http_response pub;
    struct mirage_flow *flow;
    char *buf; /* head, then body bytes */
    size_t cap, len, pos, head_len;
    struct http_framing framing;
    uint64_t left; /* Content-Length bytes not yet read */
    struct http_chunked chunk;
    int err;
    uint64_t timeout;
    struct http_url url;
    struct http_field *fields;
    struct mirage_http_header *headers;
};

int mirage_http_client_create(mirage_http_connector connect, void *arg,
                              const struct mirage_http_client_config *c,
                              struct mirage_http_client **out)
{
    if (!connect)
        return MIRAGE_EINVAL;
    struct mirage_http_client *cl = calloc(1, sizeof *cl);
    if (!cl)
        return MIRAGE_ENOMEM;
    cl->connect = connect;
    cl->arg = arg;
    cl->cfg = (struct mirage_http_client_config){5, MIRAGE_SEC(30), 16 * 1024,
                                                 100, "MirageC"};
    if (c) {
        cl->cfg.max_redirects = c->max_redirects;
        if (c->timeout_ns)
            cl->cfg.timeout_ns = c->timeout_ns;
        if (c->head_max >= 256)
            cl->cfg.head_max = c->head_max;
        if (c->headers_max)
            cl->cfg.headers_max = c->headers_max;
        if (c->user_agent)
            cl->cfg.user_agent = c->user_agent;
    }
    *out = cl;
    return 0;
}

void mirage_http_client_free(struct mirage_http_client *c)
{
    free(c);
}

/* A header the caller gives: a token name and a value without CR, LF or
 * NUL, and none of the fields the client writes itself. */
static bool header_ok(const struct mirage_http_header *h)
{
    size_t nl = h->name_len ? h->name_len : strlen(h->name);
    size_t vl = h->value_len ? h->value_len : strlen(h->value);
    if (!nl)
        return false;
    for (size_t i = 0; i < nl; i++)
        if (!http_is_tchar((unsigned char)h->name[i]))
            return false;
    for (size_t i = 0; i < vl; i++)
        if (h->value[i] == '\r' || h->value[i] == '\n' || h->value[i] == '\0')
            return false;
    static const char *const own[] = {"host", "content-length",
                                      "transfer-encoding", "connection"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        if (http_token_eq(h->name, nl, own[i]))
            return false;
    return true;
}

/* Write the request head and body. May yield. */
static int send_request(struct mirage_http_client *c, struct response *r,
                        const char *method, const struct mirage_http_header *h,
                        size_t n, const void *body, size_t len,
                        uint64_t deadline)
{
    size_t size = strlen(method) + strlen((r->url.text + r->url.target)) +
                  strlen(r->url.host) + strlen(c->cfg.user_agent) + 160;
    for (size_t i = 0; i < n; i++)
        size += (h[i].name_len ? h[i].name_len : strlen(h[i].name)) +
                (h[i].value_len ? h[i].value_len : strlen(h[i].value)) + 4;
    char *head = malloc(size);
    if (!head)
        return MIRAGE_ENOMEM;
    bool v6 = strchr(r->url.host, ':') != NULL;
    int k = snprintf(head, size, "%s %s HTTP/1.1\r\nHost: %s%s%s", method,
                     (r->url.text + r->url.target), v6 ? "[" : "", r->url.host,
                     v6 ? "]" : "");
    if (!r->url.default_port)
        k += snprintf(head + k, size - (size_t)k, ":%u", r->url.port);
    k += snprintf(head + k, size - (size_t)k, "\r\nConnection: close\r\n");
    if (*c->cfg.user_agent)
        k += snprintf(head + k, size - (size_t)k, "User-Agent: %s\r\n",
                      c->cfg.user_agent);
    for (size_t i = 0; i < n; i++)
        k += snprintf(
            head + k, size - (size_t)k, "%.*s: %.*s\r\n",
            (int)(h[i].name_len ? h[i].name_len : strlen(h[i].name)), h[i].name,
            (int)(h[i].value_len ? h[i].value_len : strlen(h[i].value)),
            h[i].value);
    if (body)
        k += snprintf(head + k, size - (size_t)k, "Content-Length: %zu\r\n",
                      len);
    k += snprintf(head + k, size - (size_t)k, "\r\n");
    struct mirage_iovec iov[2] = {{head, (size_t)k}, {body, body ? len : 0}};
    size_t total = (size_t)k + iov[1].len;
    long w = mirage_flow_writev(r->flow, iov, body && len ? 2 : 1, deadline);
    free(head);
    if (w < 0)
        return (int)w;
    return (size_t)w == total ? 0 : MIRAGE_ETIMEDOUT;
}

/* Read and parse a response head (skipping interim 1xx answers) into r.
 * May yield. */
static int read_head(struct mirage_http_client *c, struct response *r,
                     bool head_request, uint64_t deadline)
{
    for (;;) {
        struct http_head p;
        http_head_init(&p, HTTP_PARSE_RESPONSE, c->cfg.head_max, 0, r->fields,
                       c->cfg.headers_max);
        long n = 0;
        while ((n = http_head_parse(&p, r->buf + r->pos, r->len - r->pos)) ==
               0) {
            if (r->len == r->cap) {
                memmove(r->buf, r->buf + r->pos, r->len - r->pos);
                r->len -= r->pos;
                r->pos = 0;
            }
            long got = mirage_flow_read(r->flow, r->buf + r->len,
                                        r->cap - r->len, deadline);
            if (got <= 0)
                return got ? (int)got : MIRAGE_EBADF;
            r->len += (size_t)got;
        }
        if (n == -431)
            return MIRAGE_ERANGE;
        if (n < 0)
            return MIRAGE_EBADF;
        if (p.status >= 100 && p.status < 200 && p.status != 101) {
            r->pos += (size_t)n; /* an interim answer: the final follows */
            continue;
        }
        /* The head now starts the buffer, so its strings stay put. */
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
        if (http_response_build(&p, r->buf, r->headers, &r->pub, head_request,
                                &r->framing))
            return MIRAGE_EBADF;
        r->pos = r->head_len = (size_t)n;
        r->left = r->framing.length > 0 ? (uint64_t)r->framing.length : 0;
        r->pub.content_length = r->framing.chunked || r->framing.until_close
                                    ? -1
                                    : r->framing.length;
        r->pub.chunked = r->framing.chunked;
        http_chunked_init(&r->chunk);
        return 0;
    }
}

static void response_close(struct response *r)
{
    if (r->flow) {
        mirage_flow_close(r->flow);
        r->flow = NULL;
    }
}

void mirage_http_response_free(struct mirage_http_response *pub)
{
    struct response *r = (struct response *)pub;
    if (!r)
        return;
    response_close(r);
    free(r->buf);
    free(r);
}

static bool redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 ||
           status == 308;
}

int mirage_http_request_send(struct mirage_http_client *c, const char *method,
                             const char *url,
                             const struct mirage_http_header *headers, size_t n,
                             const void *body, size_t len,
                             struct mirage_http_response **out)
{
    *out = NULL;
    if (!method || !*method || strlen(method) > HTTP_METHOD_MAX)
        return MIRAGE_EINVAL;
    for (const char *m = method; *m; m++)
        if (!http_is_tchar((unsigned char)*m))
            return MIRAGE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!header_ok(&headers[i]))
            return MIRAGE_EINVAL;
    size_t extra = c->cfg.headers_max * (sizeof(struct http_field) +
                                         sizeof(struct mirage_http_header));
    struct response *r = calloc(1, sizeof *r + extra);
    if (!r)
        return MIRAGE_ENOMEM;
    r->headers = (struct mirage_http_header *)(r + 1);
    r->fields = (struct http_field *)(r->headers + c->cfg.headers_max);
    r->cap = c->cfg.head_max + BODY_ROOM;
    r->buf = malloc(r->cap);
    r->timeout = c->cfg.timeout_ns;
    int err = r->buf ? http_url_parse(url, &r->url) : MIRAGE_ENOMEM;
    char verb[HTTP_METHOD_MAX + 1];
    snprintf(verb, sizeof verb, "%s", method);
    for (unsigned hops = 0; !err; hops++) {
        uint64_t deadline = mirage_now() + c->cfg.timeout_ns;
        r->len = r->pos = 0;
        err = c->connect(c->arg, r->url.tls, r->url.host, r->url.port, deadline,
                         &r->flow);
        if (err) {
            r->flow = NULL;
            break;
        }
        err = send_request(c, r, verb, headers, n, body, len, deadline);
        if (!err)
            err = read_head(c, r, strcmp(verb, "HEAD") == 0, deadline);
        if (err || !redirect(r->pub.status))
            break;
        const char *loc = mirage_http_header_get(
            r->pub.headers, r->pub.header_count, "Location");
        if (!loc)
            break; /* nowhere to go: the redirect is the answer */
        if (hops == c->cfg.max_redirects) {
            err = MIRAGE_ERANGE;
            break;
        }
        struct http_url next;
        err = http_url_resolve(&r->url, loc, &next);
        response_close(r);
        if (err)
            break;
        r->url = next;
        /* 303, and 301/302 after POST, fetch the new place with GET. */
        int st = r->pub.status;
        if ((st == 303 && strcmp(verb, "HEAD") != 0) ||
            ((st == 301 || st == 302) && strcmp(verb, "POST") == 0)) {
            strcpy(verb, "GET");
            body = NULL;
            len = 0;
        }
        r->pub.redirects = hops + 1;
    }
    if (err) {
        mirage_http_response_free(&r->pub);
        return err;
    }
    r->pub.url = r->url.text;
    *out = &r->pub;
    return 0;
}

static long fail(struct response *r, long err)
{
    r->err = (int)(err ? err : MIRAGE_EBADF); /* cut short */
    return r->err;
}

long mirage_http_response_read(struct mirage_http_response *pub, void *buf,
                               size_t len)
{
    struct response *r = (struct response *)pub;
    if (r->err)
        return r->err;
    if (len == 0)
        return MIRAGE_EINVAL;
    uint64_t deadline = mirage_now() + r->timeout;
    if (r->framing.chunked) {
        for (;;) {
            long n =
                http_chunked_read(&r->chunk, r->buf, r->len, &r->pos, buf, len);
            if (n != HTTP_CHUNKED_MORE)
                return n < 0 ? fail(r, n) : n;
            /* All held bytes are consumed: read more after the head. */
            r->len = r->pos = r->head_len;
            long got = mirage_flow_read(r->flow, r->buf + r->len,
                                        r->cap - r->len, deadline);
            if (got <= 0)
                return fail(r, got);
            r->len += (size_t)got;
        }
    }
    bool counted = !r->framing.until_close;
    if (counted && r->left == 0)
        return 0;
    if (counted && len > r->left)
        len = (size_t)r->left;
    long n;
    if (r->pos < r->len) {
        n = (long)(r->len - r->pos < len ? r->len - r->pos : len);
        memcpy(buf, r->buf + r->pos, (size_t)n);
        r->pos += (size_t)n;
    } else {
        n = mirage_flow_read(r->flow, buf, len, deadline);
        if (n == 0 && !counted)
            return 0; /* the body ends with the connection */
        if (n <= 0)
            return fail(r, n);
    }
    if (counted)
        r->left -= (uint64_t)n;
    return n;
}
