/* The raw HTTP test client (http_client.h). */
#include "http_client.h"

#include <mirage/fiber.h>
#include <stdlib.h>
#include <strings.h>

#define IN_CAP (1 << 21)

int hc_connect(struct hc *c, struct mirage_tcp *tcp,
               const struct mirage_ipaddr *dst, uint16_t port)
{
    memset(c, 0, sizeof *c);
    c->in = malloc(IN_CAP + 1);
    c->body = malloc(IN_CAP + 1);
    c->raw = malloc(IN_CAP + 1);
    if (!c->in || !c->body || !c->raw)
        return -1;
    return mirage_tcp_connect(tcp, dst, port, mirage_now() + MIRAGE_SEC(10),
                              &c->f);
}

int hc_send_len(struct hc *c, const char *text, size_t len)
{
    long w = mirage_tcp_write(c->f, text, len, mirage_now() + MIRAGE_SEC(60));
    return w == (long)len ? 0 : -1;
}

int hc_send(struct hc *c, const char *text)
{
    return hc_send_len(c, text, strlen(text));
}

/* Read more: > 0, or 0 / an error at the end. */
static long more(struct hc *c, uint64_t deadline)
{
    if (c->len == IN_CAP)
        return -1;
    long n = mirage_tcp_read(c->f, c->in + c->len, IN_CAP - c->len, deadline);
    if (n > 0)
        c->len += (size_t)n;
    return n;
}

static void take(struct hc *c, size_t n)
{
    memmove(c->in, c->in + n, c->len - n);
    c->len -= n;
}

static const char *field(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':')
            return p + 3 + n + strspn(p + 3 + n, " ");
    return NULL;
}

int hc_read(struct hc *c, bool head_req)
{
    uint64_t deadline = mirage_now() + MIRAGE_SEC(60);
    char *end;
    c->in[c->len] = '\0';
    while (!(end = strstr(c->in, "\r\n\r\n"))) {
        if (more(c, deadline) <= 0)
            return -1;
        c->in[c->len] = '\0';
    }
    size_t hl = (size_t)(end + 4 - c->in);
    if (hl >= sizeof c->head)
        return -1;
    memcpy(c->head, c->in, hl);
    c->head[hl] = '\0';
    take(c, hl);
    int status = atoi(c->head + 9);
    const char *cl = field(c->head, "content-length");
    const char *te = field(c->head, "transfer-encoding");
    size_t blen = 0;
    if (head_req || status < 200 || status == 204 || status == 304) {
    } else if (te && strncasecmp(te, "chunked", 7) == 0) {
        for (;;) {
            char *eol;
            c->in[c->len] = '\0';
            while (!(eol = strstr(c->in, "\r\n")))
                if (more(c, deadline) <= 0)
                    return -1;
                else
                    c->in[c->len] = '\0';
            size_t size = strtoul(c->in, NULL, 16);
            size_t line = (size_t)(eol + 2 - c->in);
            while (c->len < line + size + 2)
                if (more(c, deadline) <= 0)
                    return -1;
            memcpy(c->body + blen, c->in + line, size);
            blen += size;
            take(c, line + size + 2);
            if (size == 0)
                break;
        }
    } else if (cl) {
        size_t want = strtoul(cl, NULL, 10);
        while (c->len < want)
            if (more(c, deadline) <= 0)
                return -1;
        memcpy(c->body, c->in, want);
        blen = want;
        take(c, want);
    } else {
        while (more(c, deadline) > 0)
            ;
        memcpy(c->body, c->in, c->len);
        blen = c->len;
        take(c, c->len);
    }
    c->body[blen] = '\0';
    return status;
}

bool hc_has(const struct hc *c, const char *text)
{
    return strstr(c->head, text) != NULL;
}

bool hc_pending(struct hc *c)
{
    return c->len > 0 || more(c, mirage_now()) > 0;
}

bool hc_eof(struct hc *c)
{
    if (c->len)
        return false;
    long n =
        mirage_tcp_read(c->f, c->in, IN_CAP, mirage_now() + MIRAGE_SEC(30));
    return n == 0 || n == MIRAGE_ECONNRESET;
}

int hc_read_raw(struct hc *c)
{
    uint64_t deadline = mirage_now() + MIRAGE_SEC(60);
    long n;
    while ((n = more(c, deadline)) > 0)
        ;
    memcpy(c->raw, c->in, c->len);
    c->raw[c->len] = '\0';
    c->len = 0;
    return n == 0 ? 0 : -1;
}

void hc_close(struct hc *c)
{
    if (c->f)
        mirage_tcp_close(c->f);
    free(c->in);
    free(c->body);
    free(c->raw);
    memset(c, 0, sizeof *c);
}
