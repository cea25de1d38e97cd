/* A static web server, as a new user writes one: on port 8080, every
 * connection reads one request into a buffer on its stack, answers GET
 * with the store's file (index.html for "/") or 404, and closes first.
 * It logs "listening on port N" once serving, then every second the
 * count of requests served and of TCP connections held, so that a test
 * can watch it stay alive. Built in the heap-integrity check mode
 * (<mirage/rt.h>): any heap damage stops it with a clear line. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <mirage/rt.h>
#include <mirage/stack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_HEAP_CHECK_ON;

static struct mirage_kv_ro *store;
static unsigned long served;

/* The store's key for the request line in req ("GET /x HTTP/1.1"), in
 * key (size n), or NULL for a request that is not a GET. */
static const char *request_key(const char *req, char *key, size_t n)
{
    if (strncmp(req, "GET /", 5) != 0)
        return NULL;
    const char *p = req + 5;
    size_t len = strcspn(p, " \r\n?");
    if (len == 0)
        return "index.html";
    if (len >= n)
        return NULL;
    memcpy(key, p, len);
    key[len] = '\0';
    return key;
}

static int serve(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    char req[2048];
    size_t len = 0;
    while (len < sizeof req - 1) {
        long n = mirage_tcp_read(flow, req + len, sizeof req - 1 - len,
                                 mirage_now() + MIRAGE_SEC(10));
        if (n <= 0)
            break;
        len += (size_t)n;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[len] = '\0';
    char keybuf[256], head[128];
    const char *key = request_key(req, keybuf, sizeof keybuf);
    void *body = NULL;
    size_t blen = 0;
    int err = key ? mirage_kv_ro_get(store, key, &body, &blen) : MIRAGE_EINVAL;
    const char *status = err ? "404 Not Found" : "200 OK";
    if (err) {
        body = NULL;
        blen = 0;
    }
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      status, blen);
    struct mirage_iovec iov[2] = {{head, (size_t)hl}, {body, blen}};
    long w = mirage_tcp_writev(flow, iov, 2, mirage_now() + MIRAGE_SEC(10));
    if (w >= 0)
        served++;
    free(body);
    mirage_tcp_close(flow);
    return 0;
}

int www_start(struct mirage_kv_ro *kv, struct mirage_stack *stack)
{
    store = kv;
    int err = mirage_tcp_listen(stack->tcp, 8080, NULL, serve, NULL);
    if (err) {
        mirage_log_err("cannot listen on port 8080: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("listening on port 8080");
    for (;;) {
        mirage_sleep_ns(MIRAGE_SEC(1));
        const struct mirage_tcp_stats *s = mirage_tcp_stats(stack->tcp);
        mirage_log_info("served %lu, connections %llu", served,
                        (unsigned long long)s->connections);
    }
}
