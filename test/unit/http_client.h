/* A raw HTTP/1.1 test client over a TCP flow for the server tests: it
 * sends text as given and reads responses with its own minimal parser
 * (independent of lib/http's), keeping what follows a response for the
 * next one, so pipelined answers can be read in order. */
#ifndef MIRAGE_TEST_HTTP_CLIENT_H
#define MIRAGE_TEST_HTTP_CLIENT_H

#include "net_harness.h"

#include <mirage/tcp.h>
#include <stdbool.h>
#include <string.h>

#define NCHECK_STR(a, b) NCHECK(strcmp((a), (b)) == 0)

struct hc {
    struct mirage_tcp_flow *f;
    char *in; /* received, not yet taken */
    size_t len;
    char head[16384]; /* the last response's head, NUL-terminated */
    char *body;       /* its body, NUL-terminated */
    char *raw;        /* hc_read_raw: everything until the end */
};

int hc_connect(struct hc *c, struct mirage_tcp *tcp,
               const struct mirage_ipaddr *dst, uint16_t port);
int hc_send(struct hc *c, const char *text);
int hc_send_len(struct hc *c, const char *text, size_t len);
/* Read one response (to a HEAD when head is true): its status, or -1
 * when the connection ended or failed first or after 60 s. */
int hc_read(struct hc *c, bool head);
/* Whether the last head holds the text (e.g. "Content-Length: 5"). */
bool hc_has(const struct hc *c, const char *text);
/* Whether bytes wait to be read now. */
bool hc_pending(struct hc *c);
/* Whether the server ends the connection (within 30 s) with nothing
 * more sent. */
bool hc_eof(struct hc *c);
/* Read everything until the end into c->raw: 0 or -1. */
int hc_read_raw(struct hc *c);
void hc_close(struct hc *c);

#endif
