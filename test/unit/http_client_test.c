/* The HTTP client on the test network: node 0 fetches from node 1, where
 * port 80 is our server (Content-Length and chunked bodies, redirects of
 * every kind, a redirect loop, POST bodies) and port 81 a raw TCP server
 * that answers with scripted bytes (a body ending with the connection,
 * interim 100 answers, malformed and truncated responses, a head too
 * large). Also URL parsing and resolution. */
#include "../../lib/http/url.h"
#include "tcp_harness.h"

#include <mirage/http.h>
#include <stdio.h>
#include <stdlib.h>

static int handler(void *arg, struct mirage_http_request *req)
{
    (void)arg;
    char path[128];
    snprintf(path, sizeof path, "%.*s", (int)req->path_len, req->path);
    struct mirage_http_header loc = {"Location", NULL, 0, 0};
    if (strcmp(path, "/len") == 0)
        return mirage_http_respond(req, 200, NULL, 0, "length body", 11);
    if (strcmp(path, "/chunked") == 0) {
        mirage_http_response_start(req, 200, NULL, 0, MIRAGE_HTTP_CHUNKED);
        for (int i = 0; i < 100; i++)
            mirage_http_response_write(req, "0123456789", 10);
        return mirage_http_response_finish(req);
    }
    if (strcmp(path, "/method") == 0) {
        char body[256];
        size_t n = (size_t)snprintf(body, sizeof body, "%s ", req->method);
        long r;
        while ((r = mirage_http_body_read(req, body + n, sizeof body - n - 1)) >
               0)
            n += (size_t)r;
        return mirage_http_respond(req, 200, NULL, 0, body, n);
    }
    if (strcmp(path, "/a/b/rel") == 0) {
        loc.value = "../../len";
        return mirage_http_respond(req, 302, &loc, 1, NULL, 0);
    }
    if (strcmp(path, "/abs") == 0) {
        loc.value = "http://10.0.0.2:80/len";
        return mirage_http_respond(req, 301, &loc, 1, NULL, 0);
    }
    if (strcmp(path, "/see-other") == 0) {
        loc.value = "/method";
        return mirage_http_respond(req, 303, &loc, 1, NULL, 0);
    }
    if (strcmp(path, "/temporary") == 0) {
        loc.value = "/method";
        return mirage_http_respond(req, 307, &loc, 1, NULL, 0);
    }
    if (strcmp(path, "/loop") == 0) {
        loc.value = "/loop";
        return mirage_http_respond(req, 302, &loc, 1, NULL, 0);
    }
    if (strcmp(path, "/raw") == 0) {
        loc.value = "http://10.0.0.2:81/until-close";
        return mirage_http_respond(req, 308, &loc, 1, NULL, 0);
    }
    return mirage_http_respond(req, 404, NULL, 0, "no", 2);
}

/* Port 81: the answer depends on the request's path. */
static int raw_server(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char req[2048];
    size_t n = 0;
    while (n < sizeof req - 1) {
        long r = mirage_tcp_read(f, req + n, sizeof req - 1 - n,
                                 mirage_now() + MIRAGE_SEC(10));
        if (r <= 0)
            break;
        n += (size_t)r;
        req[n] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[n] = '\0';
    const char *answer = "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n";
    static char big[40000];
    if (strstr(req, "GET /until-close "))
        answer =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
            "HTTP/1.0 200 OK\r\nX-Kind: raw\r\n\r\nall of this, then the end";
    else if (strstr(req, "GET /garbage "))
        answer = "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n";
    else if (strstr(req, "GET /short "))
        answer = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this";
    else if (strstr(req, "GET /bad-chunk "))
        answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nabcde\r\nzz\r\n";
    else if (strstr(req, "GET /conflict "))
        answer = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"
                 "\r\n\r\nab";
    else if (strstr(req, "GET /huge ")) {
        strcpy(big, "HTTP/1.1 200 OK\r\nX: ");
        memset(big + strlen(big), 'x', sizeof big - 100);
        strcpy(big + sizeof big - 80, "\r\n\r\n");
        answer = big;
    } else if (strstr(req, "GET /echo-head?")) {
        static char echo[2200];
        snprintf(echo, sizeof echo,
                 "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s", n, req);
        answer = echo;
    }
    mirage_tcp_write(f, answer, strlen(answer), mirage_now() + MIRAGE_SEC(10));
    mirage_tcp_close(f);
    return 0;
}

static struct mirage_http_client *client;

/* GET url: the status, the body in out; or the error. */
static int fetch(const char *method, const char *url, const char *body,
                 char *out, size_t cap, struct mirage_http_response **keep)
{
    struct mirage_http_response *r;
    int err = mirage_http_request_send(client, method, url, NULL, 0, body,
                                       body ? strlen(body) : 0, &r);
    if (err)
        return err;
    size_t n = 0;
    long got;
    while ((got = mirage_http_response_read(r, out + n, cap - 1 - n)) > 0)
        n += (size_t)got;
    out[n] = '\0';
    int status = got < 0 ? (int)got : r->status;
    if (keep)
        *keep = r;
    else
        mirage_http_response_free(r);
    return status;
}

static int client_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    struct mirage_http_server *server;
    NCHECK_INT(mirage_http_server_create(NULL, handler, NULL, &server), 0);
    NCHECK_INT(mirage_http_server_listen_tcp(server, tcp_b, 80), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 81, NULL, raw_server, NULL), 0);
    struct mirage_http_client_config cfg = {.max_redirects = 3};
    NCHECK_INT(mirage_http_client_create(mirage_http_tcp_connector, tcp_a, &cfg,
                                         &client),
               0);
    static char out[65536];
    struct mirage_http_response *r;

    NCHECK_INT(fetch("GET", "http://10.0.0.2/len", NULL, out, sizeof out, &r),
               200);
    NCHECK(strcmp(out, "length body") == 0);
    NCHECK_INT(r->content_length, 11);
    NCHECK_INT(r->redirects, 0);
    NCHECK(strcmp(mirage_http_header_get(r->headers, r->header_count, "server"),
                  "MirageC") == 0);
    mirage_http_response_free(r);
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2:80/chunked", NULL, out, sizeof out, &r),
        200);
    NCHECK_INT(strlen(out), 1000);
    NCHECK(r->chunked);
    mirage_http_response_free(r);
    NCHECK_INT(fetch("POST", "http://10.0.0.2/method", "posted", out,
                     sizeof out, NULL),
               200);
    NCHECK(strcmp(out, "POST posted") == 0);
    NCHECK_INT(fetch("HEAD", "http://10.0.0.2/len", NULL, out, sizeof out, &r),
               200);
    NCHECK(strcmp(out, "") == 0);
    NCHECK_INT(r->content_length, 0);
    mirage_http_response_free(r);

    /* redirects: relative, absolute, 303 turns POST into GET, 307 keeps
     * it; a loop ends at the limit; 308 to another port whose body ends
     * with the connection, after interim answers */
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2/a/b/rel", NULL, out, sizeof out, &r),
        200);
    NCHECK(strcmp(out, "length body") == 0);
    NCHECK(strcmp(r->url, "http://10.0.0.2/len") == 0);
    NCHECK_INT(r->redirects, 1);
    mirage_http_response_free(r);
    NCHECK_INT(fetch("GET", "http://10.0.0.2/abs", NULL, out, sizeof out, &r),
               200);
    NCHECK(strcmp(r->url, "http://10.0.0.2:80/len") == 0);
    mirage_http_response_free(r);
    NCHECK_INT(fetch("POST", "http://10.0.0.2/see-other", "data", out,
                     sizeof out, NULL),
               200);
    NCHECK(strcmp(out, "GET ") == 0);
    NCHECK_INT(fetch("POST", "http://10.0.0.2/temporary", "data", out,
                     sizeof out, NULL),
               200);
    NCHECK(strcmp(out, "POST data") == 0);
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2/loop", NULL, out, sizeof out, NULL),
        MIRAGE_ERANGE);
    NCHECK_INT(fetch("GET", "http://10.0.0.2/raw", NULL, out, sizeof out, &r),
               200);
    NCHECK(strcmp(out, "all of this, then the end") == 0);
    NCHECK_INT(r->version, 10);
    NCHECK_INT(r->content_length, -1);
    NCHECK_INT(r->redirects, 1);
    mirage_http_response_free(r);

    /* what the client sends */
    NCHECK_INT(fetch("GET", "http://10.0.0.2:81/echo-head?q=1#frag", NULL, out,
                     sizeof out, NULL),
               200);
    NCHECK(strstr(out, "GET /echo-head?q=1 HTTP/1.1\r\n") == out);
    NCHECK(strstr(out, "\r\nHost: 10.0.0.2:81\r\n") != NULL);
    NCHECK(strstr(out, "\r\nConnection: close\r\n") != NULL);
    NCHECK(strstr(out, "\r\nUser-Agent: MirageC\r\n") != NULL);

    /* bad answers */
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2:81/garbage", NULL, out, sizeof out, NULL),
        MIRAGE_EBADF);
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2:81/short", NULL, out, sizeof out, NULL),
        MIRAGE_EBADF);
    NCHECK(strcmp(out, "only this") == 0);
    NCHECK_INT(fetch("GET", "http://10.0.0.2:81/bad-chunk", NULL, out,
                     sizeof out, NULL),
               MIRAGE_EBADF);
    NCHECK_INT(fetch("GET", "http://10.0.0.2:81/conflict", NULL, out,
                     sizeof out, NULL),
               MIRAGE_EBADF);
    NCHECK_INT(
        fetch("GET", "http://10.0.0.2:81/huge", NULL, out, sizeof out, NULL),
        MIRAGE_ERANGE);
    /* bad requests */
    NCHECK_INT(fetch("GET", "ftp://10.0.0.2/", NULL, out, sizeof out, NULL),
               MIRAGE_ENOTSUP);
    NCHECK_INT(fetch("GET", "https://10.0.0.2/", NULL, out, sizeof out, NULL),
               MIRAGE_ENOTSUP);
    NCHECK_INT(fetch("GET", "http://example.com/", NULL, out, sizeof out, NULL),
               MIRAGE_ENOTSUP);
    /* cohttp_client without a TLS configuration: https is refused
     * before any name is looked up or connection made. */
    struct mirage_http_client *cohttp;
    NCHECK_INT(mirage_http_client_connect_cohttp(&cohttp, NULL, NULL, NULL), 0);
    NCHECK_INT(mirage_http_get(cohttp, "https://10.0.0.2/", &r),
               MIRAGE_ENOTSUP);
    mirage_http_client_free(cohttp);
    NCHECK_INT(fetch("GET", "http://10.0.0.2/a b", NULL, out, sizeof out, NULL),
               MIRAGE_EINVAL);
    NCHECK_INT(fetch("G T", "http://10.0.0.2/", NULL, out, sizeof out, NULL),
               MIRAGE_EINVAL);
    /* nobody at that address: ARP gets no answer */
    int err = fetch("GET", "http://10.0.0.3:80/", NULL, out, sizeof out, NULL);
    NCHECK(err == MIRAGE_EUNREACH || err == MIRAGE_ETIMEDOUT);
    struct mirage_http_header bad = {"X", "a\r\nb", 0, 0};
    NCHECK_INT(mirage_http_request_send(client, "GET", "http://10.0.0.2/", &bad,
                                        1, NULL, 0, &r),
               MIRAGE_EINVAL);
    struct mirage_http_header own = {"Content-Length", "5", 0, 0};
    NCHECK_INT(mirage_http_request_send(client, "GET", "http://10.0.0.2/", &own,
                                        1, NULL, 0, &r),
               MIRAGE_EINVAL);

    mirage_http_client_free(client);
    for (int i = 0; i < 100 && mirage_http_server_stats(server)->active; i++)
        net_wait(MIRAGE_MSEC(100));
    mirage_tcp_unlisten(tcp_b, 80);
    mirage_tcp_unlisten(tcp_b, 81);
    net_wait(MIRAGE_SEC(3));
    mirage_http_server_free(server);
    tcp_stop();
    return 0;
}

TEST(client_against_server)
{
    net_run(21, tcp_setup, client_body);
}

TEST(urls)
{
    static struct http_url u, v;
    CHECK_INT(http_url_parse("http://h", &u), 0);
    CHECK_STR(u.host, "h");
    CHECK_INT(u.port, 80);
    CHECK_STR(u.text + u.target, "/");
    CHECK_INT(http_url_parse("https://H.example:8443/p/q?x=1#f", &u), 0);
    CHECK(u.tls);
    CHECK_INT(u.port, 8443);
    CHECK_STR(u.text + u.target, "/p/q?x=1");
    CHECK_INT(http_url_parse("http://h?x", &u), 0);
    CHECK_STR(u.text + u.target, "/?x");
    CHECK_INT(http_url_parse("http://[::1]:8080/", &u), 0);
    CHECK_STR(u.host, "::1");
    CHECK_INT(u.port, 8080);
    CHECK_INT(http_url_parse("http://h:0/", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("http://h:65536/", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("http://u@h/", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("http:///", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("gopher://h/", &u), MIRAGE_ENOTSUP);
    CHECK_INT(http_url_parse("h/p", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("http://h/\x01", &u), MIRAGE_EINVAL);
    CHECK_INT(http_url_parse("http://h:8/a/b/c?q", &u), 0);
    CHECK_INT(http_url_resolve(&u, "d", &v), 0);
    CHECK_STR(v.text, "http://h:8/a/b/d");
    CHECK_INT(http_url_resolve(&u, "/x?y", &v), 0);
    CHECK_STR(v.text, "http://h:8/x?y");
    CHECK_INT(http_url_resolve(&u, "//other/z", &v), 0);
    CHECK_STR(v.text, "http://other/z");
    CHECK_INT(http_url_resolve(&u, "https://s/", &v), 0);
    CHECK(v.tls);
    CHECK_INT(http_url_resolve(&u, "?r", &v), 0);
    CHECK_STR(v.text, "http://h:8/a/b/c?r");
    CHECK_INT(http_url_resolve(&u, "../x/./y?z/../w", &v), 0);
    CHECK_STR(v.text, "http://h:8/a/x/y?z/../w");
    CHECK_INT(http_url_resolve(&u, "../../../..", &v), 0);
    CHECK_STR(v.text, "http://h:8/");
    CHECK_INT(http_url_resolve(&u, "./", &v), 0);
    CHECK_STR(v.text, "http://h:8/a/b/");
}

int main(void)
{
    return test_main();
}
