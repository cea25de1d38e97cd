/* The static-file handler on the test network: a crunch store served by
 * the HTTP server, read by the raw test client. Checks the path to key
 * mapping (index, the redirect of a dictionary, bad escapes and keys),
 * media types, validators and conditional requests (304, 412), byte
 * ranges (206, 416, ignored ones), HEAD, 405, streaming a value larger
 * than the cache takes, and a cache too small for the site. */
#include "http_client.h"
#include "tcp_harness.h"

#include <mirage/http.h>
#include <mirage/kv.h>
#include <stdio.h>
#include <stdlib.h>

#define BIG_SIZE (300 * 1024 + 7)

static unsigned char *big;
static const unsigned char index_html[] = "<html>home</html>\n";
static const unsigned char style[] = "body { color: red }\n";
static const unsigned char page[] = "<p>page</p>\n";
static const unsigned char digits[] = "0123456789";
/* 2026-01-02T03:04:05Z */
#define MTIME (1767323045ull * 1000000000ull)

static struct mirage_crunch_file files[] = {
    {"index.html", index_html, index_html + sizeof index_html - 1, MTIME},
    {"style.css", style, style + sizeof style - 1, MTIME},
    {"dir/index.html", page, page + sizeof page - 1, MTIME},
    {"digits.txt", digits, digits + 10, MTIME},
    {"big.bin", NULL, NULL, MTIME},
};

static struct mirage_http_static_config scfg;

static int site_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    struct mirage_kv_ro *kv;
    NCHECK_INT(mirage_kv_ro_connect_crunch(&kv, files, 5), 0);
    struct mirage_http_static *st;
    NCHECK_INT(mirage_http_static_create(kv, &scfg, &st), 0);
    struct mirage_http_server *server;
    NCHECK_INT(mirage_http_server_create(NULL, mirage_http_static_handler, st,
                                         &server),
               0);
    NCHECK_INT(mirage_http_server_listen_tcp(server, tcp_b, 80), 0);
    struct hc c;
    NCHECK_INT(hc_connect(&c, tcp_a, &addr_b, 80), 0);
#define GET(path, extra)                                                       \
    hc_send(&c, "GET " path " HTTP/1.1\r\nHost: t\r\n" extra "\r\n")

    /* the index, twice (from the store, then from the cache) */
    for (int i = 0; i < 2; i++) {
        NCHECK_INT(GET("/", ""), 0);
        NCHECK_INT(hc_read(&c, false), 200);
        NCHECK_STR(c.body, (const char *)index_html);
        NCHECK(hc_has(&c, "Content-Type: text/html; charset=utf-8"));
        NCHECK(hc_has(&c, "Last-Modified: Fri, 02 Jan 2026 03:04:05 GMT"));
        NCHECK(hc_has(&c, "Accept-Ranges: bytes"));
        NCHECK(hc_has(&c, "ETag: \""));
    }
    char etag[32];
    const char *e = strstr(c.head, "ETag: ") + 6;
    snprintf(etag, sizeof etag, "%.18s", e);
    NCHECK_INT(GET("/style.css", ""), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_has(&c, "Content-Type: text/css"));
    /* a dictionary: redirected to its '/' form, which serves its index */
    NCHECK_INT(GET("/dir?x=1", ""), 0);
    NCHECK_INT(hc_read(&c, false), 301);
    NCHECK(hc_has(&c, "Location: /dir/?x=1"));
    NCHECK_INT(GET("/dir/", ""), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, (const char *)page);
    NCHECK_INT(GET("/%64ir/index.html", ""), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, (const char *)page);
    /* missing, bad escapes, keys the store refuses */
    NCHECK_INT(GET("/missing", ""), 0);
    NCHECK_INT(hc_read(&c, false), 404);
    NCHECK_INT(GET("/index.html/x", ""), 0);
    NCHECK_INT(hc_read(&c, false), 404);
    NCHECK_INT(GET("/bad%zz", ""), 0);
    NCHECK_INT(hc_read(&c, false), 400);
    NCHECK_INT(GET("/nul%00", ""), 0);
    NCHECK_INT(hc_read(&c, false), 400);
    NCHECK_INT(GET("/%2e%2e/etc/passwd", ""), 0);
    NCHECK_INT(hc_read(&c, false), 400);
    NCHECK_INT(GET("/dir/%2e%2e/index.html", ""), 0);
    NCHECK_INT(hc_read(&c, false), 400);

    /* validators */
    char extra[256];
    char req[512];
#define SEND(method, path, hdrs)                                               \
    (snprintf(req, sizeof req,                                                 \
              method " " path " HTTP/1.1\r\nHost: t\r\n%s\r\n", hdrs),         \
     hc_send(&c, req))
    snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
    NCHECK_INT(SEND("GET", "/", extra), 0);
    NCHECK_INT(hc_read(&c, false), 304);
    NCHECK(hc_has(&c, etag));
    NCHECK(!hc_has(&c, "Content-Length"));
    snprintf(extra, sizeof extra, "If-None-Match: \"zz\", W/%s\r\n", etag);
    NCHECK_INT(SEND("GET", "/", extra), 0);
    NCHECK_INT(hc_read(&c, false), 304);
    NCHECK_INT(SEND("HEAD", "/", "If-None-Match: *\r\n"), 0);
    NCHECK_INT(hc_read(&c, true), 304);
    NCHECK_INT(SEND("GET", "/", "If-None-Match: \"other\"\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(SEND("GET", "/",
                    "If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 304);
    NCHECK_INT(SEND("GET", "/",
                    "If-Modified-Since: Fri, 02 Jan 2026 03:04:04 GMT\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    /* If-None-Match wins over If-Modified-Since */
    NCHECK_INT(SEND("GET", "/",
                    "If-None-Match: \"other\"\r\nIf-Modified-Since: Fri, 02 "
                    "Jan 2026 03:04:05 GMT\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(SEND("GET", "/", "If-Match: \"other\"\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 412);
    snprintf(extra, sizeof extra, "If-Match: %s\r\n", etag);
    NCHECK_INT(SEND("GET", "/", extra), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(SEND("GET", "/",
                    "If-Unmodified-Since: Thu, 01 Jan 2026 00:00:00 GMT\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 412);

    /* ranges */
    NCHECK_INT(SEND("GET", "/digits.txt", "Range: bytes=2-4\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 206);
    NCHECK_STR(c.body, "234");
    NCHECK(hc_has(&c, "Content-Range: bytes 2-4/10"));
    NCHECK_INT(SEND("GET", "/digits.txt", "Range: bytes=-3\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 206);
    NCHECK_STR(c.body, "789");
    NCHECK_INT(SEND("GET", "/digits.txt", "Range: bytes=10-\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 416);
    NCHECK(hc_has(&c, "Content-Range: bytes */10"));
    NCHECK_INT(SEND("GET", "/digits.txt", "Range: bytes=0-1,4-5\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_STR(c.body, "0123456789");
    NCHECK_INT(SEND("GET", "/digits.txt",
                    "Range: bytes=1-1\r\nIf-Range: \"stale\"\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK_INT(SEND("GET", "/digits.txt",
                    "Range: bytes=1-1\r\nIf-Range: Fri, 02 Jan 2026 03:04:05 "
                    "GMT\r\n"),
               0);
    NCHECK_INT(hc_read(&c, false), 206);
    NCHECK_STR(c.body, "1");
    NCHECK_INT(SEND("HEAD", "/digits.txt", ""), 0);
    NCHECK_INT(hc_read(&c, true), 200);
    NCHECK(hc_has(&c, "Content-Length: 10"));
    NCHECK_INT(SEND("POST", "/digits.txt", "Content-Length: 0\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 405);
    NCHECK(hc_has(&c, "Allow: GET, HEAD"));

    /* a value larger than the cache takes: streamed from the store,
     * whole and in a range crossing its pieces */
    NCHECK_INT(GET("/big.bin", ""), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    NCHECK(hc_has(&c, "Content-Length: 307207"));
    NCHECK(memcmp(c.body, big, BIG_SIZE) == 0);
    NCHECK_INT(SEND("GET", "/big.bin", "Range: bytes=65000-200000\r\n"), 0);
    NCHECK_INT(hc_read(&c, false), 206);
    NCHECK(memcmp(c.body, big + 65000, 135001) == 0);
    NCHECK_INT(SEND("HEAD", "/big.bin", ""), 0);
    NCHECK_INT(hc_read(&c, true), 200);
    NCHECK(hc_has(&c, "Content-Length: 307207"));
    NCHECK_INT(GET("/", ""), 0);
    NCHECK_INT(hc_read(&c, false), 200);
    hc_close(&c);

    for (int i = 0; i < 100 && mirage_http_server_stats(server)->active; i++)
        net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(mirage_http_server_stats(server)->active, 0);
    mirage_tcp_unlisten(tcp_b, 80);
    mirage_http_server_free(server);
    mirage_http_static_free(st);
    mirage_kv_ro_disconnect(kv);
    tcp_stop();
    return 0;
}

static void make_big(void)
{
    if (!big) {
        big = malloc(BIG_SIZE);
        for (size_t i = 0; i < BIG_SIZE; i++)
            big[i] = (unsigned char)(i * 7 + i / 251);
        files[4].data = big;
        files[4].end = big + BIG_SIZE;
    }
}

TEST(static_site)
{
    make_big();
    scfg = (struct mirage_http_static_config){0};
    net_run(11, tcp_setup, site_body);
}

TEST(static_site_tiny_cache)
{
    make_big();
    scfg = (struct mirage_http_static_config){.cache_max = 600,
                                              .cache_file_max = 16};
    net_run(12, tcp_setup, site_body);
}

int main(void)
{
    int r = test_main();
    free(big);
    return r;
}
