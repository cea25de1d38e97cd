/* The HTTP server on the test network (virtual time): node 1 serves
 * port 80 with a test handler, node 0 talks raw HTTP over TCP. Checks
 * keep-alive, pipelining, HEAD, 100-continue, chunked bodies both ways,
 * responses the handler leaves out or cuts short, the answers to
 * smuggling attempts and to each limit, the timeouts (a slowloris client
 * at one byte per second included), the connection cap with eviction of
 * idle connections and 503, and lingering closes. */
#include "http_client.h"
#include "tcp_harness.h"

#include <mirage/http.h>
#include <stdio.h>
#include <stdlib.h>

static struct mirage_http_server *server;
static struct mirage_http_server_config cfg;
static int handler_calls, bad_header_result;

static int handler(void *arg, struct mirage_http_request *req)
{
    (void)arg;
    handler_calls++;
    static const struct mirage_http_header text = {"Content-Type", "text/plain",
                                                   0, 0};
    char path[64];
    size_t n = req->path_len < sizeof path - 1 ? req->path_len : 63;
    memcpy(path, req->path, n);
    path[n] = '\0';
    if (strcmp(path, "/hello") == 0)
        return mirage_http_respond(req, 200, &text, 1, "hello world", 11);
    if (strcmp(path, "/echo") == 0) {
        static char body[1 << 20];
        size_t len = 0;
        long r;
        while ((r = mirage_http_body_read(req, body + len, 1000)) > 0)
            len += (size_t)r;
        if (r < 0)
            return 0; /* the server answers for the body's error */
        return mirage_http_respond(req, 200, &text, 1, body, len);
    }
    if (strcmp(path, "/stream") == 0) {
        mirage_http_response_start(req, 200, &text, 1, MIRAGE_HTTP_CHUNKED);
        mirage_http_response_write(req, "one ", 4);
        mirage_http_response_write(req, "two ", 4);
        mirage_http_response_write(req, "three", 5);
        return mirage_http_response_finish(req);
    }
    if (strcmp(path, "/short") == 0) {
        mirage_http_response_start(req, 200, NULL, 0, 10);
        mirage_http_response_write(req, "12345", 5);
        return mirage_http_response_finish(req);
    }
    if (strcmp(path, "/sleep") == 0) {
        mirage_sleep_ns(MIRAGE_SEC(20));
        return mirage_http_respond(req, 200, NULL, 0, "late", 4);
    }
    if (strcmp(path, "/bad-header") == 0) {
        struct mirage_http_header split = {"X", "a\r\nSet-Cookie: x", 0, 0};
        bad_header_result = mirage_http_respond(req, 200, &split, 1, "", 0);
        return mirage_http_respond(req, 200, NULL, 0, "refused", 7);
    }
    if (strcmp(path, "/close") == 0) {
        struct mirage_http_header close = {"Connection", "close", 0, 0};
        return mirage_http_respond(req, 200, &close, 1, "bye", 3);
    }
    if (strcmp(path, "/none") == 0)
        return 0;
    return mirage_http_respond(req, 404, &text, 1, "not here", 8);
}

static int start(void)
{
    if (tcp_start())
        return -1;
    handler_calls = 0;
    int err = mirage_http_server_create(&cfg, handler, NULL, &server);
    if (!err)
        err = mirage_http_server_listen_tcp(server, tcp_b, 80);
    return err;
}

/* Wait until the server serves no connection, then stop everything. */
static int stop(void)
{
    for (int i = 0; i < 600 && mirage_http_server_stats(server)->active; i++)
        net_wait(MIRAGE_MSEC(100));
    int active = (int)mirage_http_server_stats(server)->active;
    mirage_tcp_unlisten(tcp_b, 80);
    net_wait(MIRAGE_SEC(3)); /* lingering closes end */
    mirage_http_server_free(server);
    tcp_stop();
    return active;
}

static void defaults(void)
{
    mirage_http_server_config_default(&cfg);
    cfg.head_max = 8192;
    cfg.target_max = 4096;
    cfg.body_max = 100000;
}

static int keepalive_body(void)
{
    NCHECK_INT(start(), 0);
    struct hc c;
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    for (int i = 0; i < 3; i++) {
        NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
        NCHECK_INT(hc_read(&c, false), 200);
        NCHECK_STR(c.body, "hello world");
        NCHECK(hc_has(&c, "Content-Length: 11"));
        NCHECK(hc_has(&c, "Server: MirageC"));
        NCHECK(hc_has(&c, "Date: "));
        NCHECK(!hc_has(&c, "Connection:"));
    }
    /* HTTP/1.0 with keep-alive, then without */
    NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n"
                           "\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_has(&c, "Connection: keep-alive"));
    NCHECK_INT(hc_send(&c, "GET /nowhere HTTP/1.0\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 404);
    NCHECK(hc_has(&c, "Connection: close"));
    NCHECK(hc_eof(&c));
    hc_close(&c);
    NCHECK_INT(handler_calls, 5);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(keep_alive)
{
    defaults();
    net_run(1, tcp_setup, keepalive_body);
}

static int pipeline_body(void)
{
    NCHECK_INT(start(), 0);
    struct hc c;
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    /* Five requests in one write, one with a body, then Connection:
     * close on the last: five answers in order, then the end. */
    NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                           "HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                           "POST /echo HTTP/1.1\r\nHost: t\r\n"
                           "Content-Length: 5\r\n\r\nabcde"
                           "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n"
                           "GET /nowhere HTTP/1.1\r\nHost: t\r\n"
                           "Connection: close\r\n\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "hello world");
    NCHECK_INT(hc_read(&c, true), 200);
    NCHECK(hc_has(&c, "Content-Length: 11"));
    NCHECK_STR(c.body, "");
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "abcde");
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_has(&c, "Transfer-Encoding: chunked"));
    NCHECK_STR(c.body, "one two three");
    NCHECK_INT(hc_read(&c, false), 404);
    NCHECK(hc_has(&c, "Connection: close"));
    NCHECK(hc_eof(&c));
    hc_close(&c);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(pipelining_and_head)
{
    defaults();
    net_run(2, tcp_setup, pipeline_body);
}

static int bodies_body(void)
{
    NCHECK_INT(start(), 0);
    struct hc c;
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    /* Expect: 100-continue: the interim answer comes before the body */
    NCHECK_INT(hc_send(&c, "PUT /echo HTTP/1.1\r\nHost: t\r\nExpect: "
                           "100-continue\r\nContent-Length: 3\r\n\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 100);
    NCHECK_INT(hc_send(&c, "xyz"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "xyz");
    /* a chunked request body, with an extension and a trailer */
    NCHECK_INT(hc_send(&c, "POST /echo HTTP/1.1\r\nHost: t\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"
                           "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n"
                           "0\r\nT: v\r\n\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "abc0123456789abcdef");
    /* a large chunked body in many chunks */
    static char big[200000];
    size_t n = 0;
    n += (size_t)sprintf(big, "POST /echo HTTP/1.1\r\nHost: t\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 900; i++)
        n += (size_t)sprintf(big + n, "64\r\n%0100d\r\n", i);
    n += (size_t)sprintf(big + n, "0\r\n\r\n");
    NCHECK_INT(hc_send(&c, big), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(strlen(c.body), 90000);
    NCHECK(memcmp(c.body + 100 * 899, "0000000899", 10) == 0 ||
           c.body[100 * 899 + 99] == '9');
    /* a body the handler ignores is dropped, the next request served */
    NCHECK_INT(hc_send(&c, "POST /hello HTTP/1.1\r\nHost: t\r\n"
                           "Content-Length: 4\r\n\r\nzzzz"
                           "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(hc_read(&c, false), 200);
    /* a handler that does not answer: 500; one that answers short:
     * the connection closes after what it sent */
    NCHECK_INT(hc_send(&c, "GET /none HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 500);
    NCHECK(hc_eof(&c));
    hc_close(&c);
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /short HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read_raw(&c), 0);
    NCHECK(strstr(c.raw, "Content-Length: 10\r\n") != NULL);
    NCHECK(strstr(c.raw, "\r\n\r\n12345") != NULL);
    hc_close(&c);
    /* a header that would split the response is refused */
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /bad-header HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "refused");
    NCHECK_INT(bad_header_result, MIRAGE_EINVAL);
    NCHECK(!hc_has(&c, "Set-Cookie"));
    /* HTTP/1.0 and a body of unknown length: it ends with the
     * connection */
    NCHECK_INT(hc_send(&c, "GET /stream HTTP/1.0\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "one two three");
    NCHECK(!hc_has(&c, "Transfer-Encoding"));
    hc_close(&c);
    /* the handler asks to close */
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /close HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_has(&c, "Connection: close"));
    NCHECK(hc_eof(&c));
    hc_close(&c);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(bodies_and_handler_faults)
{
    defaults();
    net_run(3, tcp_setup, bodies_body);
}

/* Send text on a new connection: the status answered, which must be
 * followed by the end of the connection. */
static int one_shot(const char *text, size_t len)
{
    struct hc c;
    if (hc_connect(&c, tcp_a, &addr_b, 80))
        return -1;
    /* The server may answer and close before taking all of a long
     * text: the answer is read whether the sending ended well or not. */
    hc_send_len(&c, text, len);
    int status = hc_read(&c, false);
    if (status > 0 && (!hc_has(&c, "Connection: close") || !hc_eof(&c)))
        status = -3;
    hc_close(&c);
    return status;
}

static int hostile_body(void)
{
    NCHECK_INT(start(), 0);
    static const struct {
        const char *text;
        int status;
    } cases[] = {
        {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\n"
         "Host: t\r\n\r\n",
         400},
        {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
         "Content-Length: 6\r\n\r\nabcdef",
         400},
        {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
         "\r\n5x\r\nabcde\r\n0\r\n\r\n",
         400},
        {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
         "\r\n-5\r\nabcde\r\n0\r\n\r\n",
         400},
        {"POST /echo HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400},
        {"POST /echo HTTP/1.1\r\nHost: t\rX: y\r\n\r\n", 400},
        {"GET /hello HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked"
         "\r\n\r\n",
         501},
        {"GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", 505},
        {"GET /hello HTTP/1.1\r\nHost: t\r\nExpect: nothing\r\n\r\n", 417},
        {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100001\r\n\r\n",
         413},
        {"GET /hello HTTP/1.1\r\n\r\n", 400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = one_shot(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].status) {
            test_fail(__FILE__, __LINE__, "case %zu: %d, expected %d", i, got,
                      cases[i].status);
            return 1;
        }
    }
    /* Only the two requests with bad chunk sizes reached the handler
     * (their heads are valid; reading their bodies failed): the
     * request smuggled after the first case never did. */
    NCHECK_INT(handler_calls, 2);
    /* A chunked body over body_max: 413 */
    static char big[150000];
    size_t n = (size_t)sprintf(big, "POST /echo HTTP/1.1\r\nHost: t\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 110; i++)
        n += (size_t)sprintf(big + n, "3e8\r\n%01000d\r\n", i);
    NCHECK_INT(one_shot(big, n), 413);
    /* Request lines of 1 MiB: 414; a 9 KiB header section: 431 */
    char *line = malloc(1 << 20);
    NCHECK(line != NULL);
    memset(line, 'a', 1 << 20);
    memcpy(line, "GET /", 5);
    NCHECK_INT(one_shot(line, 1 << 20), 414);
    n = (size_t)sprintf(line, "GET / HTTP/1.1\r\nHost: t\r\nX: ");
    memset(line + n, 'v', 9000);
    memcpy(line + n + 9000, "\r\n\r\n", 4);
    NCHECK_INT(one_shot(line, n + 9004), 431);
    n = (size_t)sprintf(line, "GET / HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 101; i++)
        n += (size_t)sprintf(line + n, "X%d: y\r\n", i);
    n += (size_t)sprintf(line + n, "\r\n");
    NCHECK_INT(one_shot(line, n), 431);
    free(line);
    NCHECK_INT(mirage_http_server_stats(server)->bad_requests, 15);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(hostile_requests)
{
    defaults();
    net_run(4, tcp_setup, hostile_body);
}

static int timeouts_body(void)
{
    NCHECK_INT(start(), 0);
    struct hc c;
    /* slowloris: one byte a second; the head must be whole within
     * head_timeout (10 s) of its first byte: 408, then the end */
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    const char *slow = "GET /hello HTTP/1.1\r\nHost: t\r\nX-a: b\r\n\r\n";
    uint64_t t0 = mirage_now();
    int status = -1;
    for (size_t i = 0; slow[i]; i++) {
        if (hc_send_len(&c, slow + i, 1))
            break;
        net_wait(MIRAGE_SEC(1));
        if (hc_pending(&c)) {
            status = hc_read(&c, false);
            break;
        }
    }
    NCHECK_INT(status, 408);
    uint64_t took = mirage_now() - t0;
    NCHECK(took >= MIRAGE_SEC(10) && took <= MIRAGE_SEC(12));
    NCHECK(hc_eof(&c));
    hc_close(&c);
    /* a body that stops coming: 408 after body_timeout */
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "POST /echo HTTP/1.1\r\nHost: t\r\n"
                           "Content-Length: 10\r\n\r\n12345"),
               0);
    t0 = mirage_now();
    NCHECK_INT(hc_read(&c, false), 408);
    took = mirage_now() - t0;
    NCHECK(took >= MIRAGE_SEC(5) && took <= MIRAGE_SEC(6));
    hc_close(&c);
    /* an idle keep-alive connection is closed quietly after
     * idle_timeout */
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    t0 = mirage_now();
    NCHECK(hc_eof(&c));
    took = mirage_now() - t0;
    NCHECK(took >= MIRAGE_SEC(3) && took <= MIRAGE_SEC(4));
    hc_close(&c);
    NCHECK_INT(mirage_http_server_stats(server)->timeouts, 3);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(timeouts)
{
    defaults();
    cfg.idle_timeout_ns = MIRAGE_SEC(3);
    cfg.body_timeout_ns = MIRAGE_SEC(5);
    net_run(5, tcp_setup, timeouts_body);
}

static int cap_body(void)
{
    NCHECK_INT(start(), 0);
    /* Two idle connections fill the cap; a third evicts the older. */
    struct hc a, b, c, d;
    NCHECK_INT(hc_connect(&a, tcp_a, &addr_b, 80), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(hc_connect(&b, tcp_a, &addr_b, 80), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_eof(&a));
    NCHECK_INT(hc_send(&b, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&b, false), 200);
    NCHECK_INT(mirage_http_server_stats(server)->evicted, 1);
    hc_close(&a);
    /* Both busy in the handler: a new connection gets 503. */
    NCHECK_INT(hc_send(&b, "GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_send(&c, "GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    net_wait(MIRAGE_MSEC(200));
    NCHECK_INT(hc_connect(&d, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&d, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&d, false), 503);
    NCHECK(hc_has(&d, "Retry-After: 1"));
    NCHECK(hc_eof(&d));
    hc_close(&d);
    NCHECK_INT(hc_read(&b, false), 200);
    NCHECK_STR(b.body, "late");
    NCHECK_INT(hc_read(&c, false), 200);
    hc_close(&b);
    hc_close(&c);
    NCHECK_INT(mirage_http_server_stats(server)->refused, 1);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(connection_cap)
{
    defaults();
    cfg.max_connections = 2;
    net_run(6, tcp_setup, cap_body);
}

/* A flood of idle connections: each new one closes the longest idle
 * one beyond the cap, the server holds at most the cap, and a request
 * on a new connection is still served. */
static int flood_body(void)
{
    NCHECK_INT(start(), 0);
    enum { N = 2000 };
    static struct mirage_tcp_flow *idle[N];
    for (int i = 0; i < N; i++) {
        NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 80,
                                      mirage_now() + MIRAGE_SEC(10), &idle[i]),
                   0);
        if (i % 100 == 0)
            net_wait(MIRAGE_MSEC(10));
    }
    net_wait(MIRAGE_SEC(1));
    const struct mirage_http_server_stats *st =
        mirage_http_server_stats(server);
    NCHECK(st->active <= cfg.max_connections);
    NCHECK(st->evicted >= N - cfg.max_connections);
    struct hc c;
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
    NCHECK_INT(hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    hc_close(&c);
    for (int i = 0; i < N; i++)
        mirage_tcp_close(idle[i]);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(idle_flood)
{
    defaults();
    cfg.max_connections = 100;
    net_run(8, tcp_setup, flood_body);
}

/* Many short connections, each closed by the server after one answer
 * (Connection: close), several at once: every one is answered. */
static int churn_client(void *arg)
{
    int *ok = arg;
    for (int i = 0; i < 300; i++) {
        struct hc c;
        if (hc_connect(&c, tcp_a, &addr_b, 80) == 0 &&
            hc_send(&c, "GET /hello HTTP/1.1\r\nHost: t\r\n"
                        "Connection: close\r\n\r\n") == 0 &&
            hc_read(&c, false) == 200 && hc_eof(&c))
            (*ok)++;
        hc_close(&c);
    }
    return 0;
}

static int churn_body(void)
{
    NCHECK_INT(start(), 0);
    int ok = 0;
    struct mirage_fiber *f[10];
    for (int i = 0; i < 10; i++)
        NCHECK((f[i] = mirage_fiber_spawn(churn_client, &ok, 0)) != NULL);
    for (int i = 0; i < 10; i++)
        mirage_fiber_join(f[i]);
    NCHECK_INT(ok, 3000);
    NCHECK_INT(stop(), 0);
    return 0;
}

TEST(connection_close_churn)
{
    defaults();
    net_run(7, tcp_setup, churn_body);
}

int main(void)
{
    return test_main();
}
