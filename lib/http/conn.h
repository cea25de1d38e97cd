/* A server connection (the opaque struct mirage_http_conn of http.h):
 * its buffers, the request being served, the state of its body and of
 * its response. Shared by the files of the server (server.c, body.c,
 * response.c). Internal to lib/http. */
#ifndef MIRAGE_HTTP_CONN_H
#define MIRAGE_HTTP_CONN_H

#include "chunked.h"
#include "parse.h"

#include <mirage/http.h>

/* Bytes of buffered output: responses are gathered here and sent when
 * the connection is about to wait for input, or when it is full. */
#define HTTP_OUT_CAP 4096
/* The input buffer starts this small and grows up to head_max plus this
 * room for body framing. */
#define HTTP_IN_MIN 2048
/* An unread request body is read and dropped up to this many bytes;
 * beyond, the connection is closed instead. */
#define HTTP_DRAIN_MAX (64 * 1024)

enum http_resp_state { RESP_NONE, RESP_STARTED, RESP_DONE };

struct mirage_http_server {
    struct mirage_http_server_config cfg;
    mirage_http_handler handler;
    void *arg;
    struct mirage_http_server_stats stats;
    /* Connections waiting for a request, longest waiting first. */
    struct mirage_http_conn *idle_head, *idle_tail;
    char date[MIRAGE_HTTP_DATE_LEN + 1]; /* the Date field of this second */
    uint64_t date_sec;
};

struct mirage_http_conn {
    struct mirage_http_server *srv;
    struct mirage_flow *flow;
    struct mirage_http_conn *idle_prev, *idle_next;
    bool idle;    /* waiting for a request's first byte: may be evicted */
    bool evicted; /* closed for a newer connection */
    bool closing; /* close after the current response */
    int failed;   /* the flow failed (write error or timeout): stop */

    /* Input: in[0..len), cap bytes; the current head starts at `start`. */
    char *in;
    size_t cap, len, start, head_len;
    size_t body_pos; /* next unread body byte in `in` */

    struct mirage_http_request req;
    struct http_head parser;
    struct http_field *fields;
    struct mirage_http_header *headers;

    /* The request body. */
    uint64_t body_left; /* Content-Length bytes not read yet */
    uint64_t body_total;
    uint64_t body_deadline; /* 0 until the first read */
    struct http_chunked chunk;
    int body_err;
    bool continue_sent;

    /* The response. */
    enum http_resp_state resp;
    int status;
    bool resp_chunked, resp_no_body;
    int64_t resp_left; /* announced length left; -1: unknown */

    size_t out_len;
    char out[HTTP_OUT_CAP];
};

/* Whether the request has body bytes not read yet. */
bool http_body_pending(const struct mirage_http_conn *c);
/* Read and drop the rest of the body, up to HTTP_DRAIN_MAX: 0, or an
 * error when it is bad, too long or failed (then close). May yield. */
int http_body_drain(struct mirage_http_conn *c);

/* Send the buffered output and then iov[0..n) (n <= 4). 0 or an error
 * (also kept in c->failed). May yield. */
int http_conn_send(struct mirage_http_conn *c, const struct mirage_iovec *iov,
                   size_t n);
static inline int http_conn_flush(struct mirage_http_conn *c)
{
    return http_conn_send(c, NULL, 0);
}
/* Start a response on c (see mirage_http_response_start). */
int http_conn_start(struct mirage_http_conn *c, int status,
                    const struct mirage_http_header *headers, size_t n,
                    int64_t length);
/* Answer status with a short text body and Connection: close. */
void http_conn_error(struct mirage_http_conn *c, int status);

#endif
