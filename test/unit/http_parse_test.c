/* Tests of lib/http's message parsing: request and status lines, header
 * fields, the framing checks against request smuggling, the limits and
 * their statuses, byte-by-byte feeding, the chunked decoder, HTTP dates
 * and the field helpers. */
#include "../../lib/http/chunked.h"
#include "../../lib/http/conditional.h"
#include "../../lib/http/parse.h"
#include "test.h"

#include <mirage/error.h>
#include <stdlib.h>

static struct http_field fields[100];
static struct mirage_http_header hdrs[100];
static struct mirage_http_request req;
static char buf[1 << 20];

/* Parse the request text (whole, or one byte at a time) with the given
 * limits: the head length, or minus the status. */
static long parse_limits(const char *text, bool bytewise, size_t head_max,
                         size_t target_max, unsigned nfields)
{
    size_t len = strlen(text);
    memcpy(buf, text, len);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_REQUEST, head_max, target_max, fields,
                   nfields);
    long r = 0;
    if (bytewise) {
        for (size_t i = 1; i <= len && r == 0; i++)
            r = http_head_parse(&p, buf, i);
    } else {
        r = http_head_parse(&p, buf, len);
    }
    if (r <= 0)
        return r;
    int err = http_request_build(&p, buf, hdrs, &req);
    return err ? err : r;
}

static long parse(const char *text)
{
    long whole = parse_limits(text, false, 8192, 4096, 100);
    long bytes = parse_limits(text, true, 8192, 4096, 100);
    return whole == bytes ? whole : -9999;
}

TEST(request_simple)
{
    const char *t = "GET /a/b?x=1&y HTTP/1.1\r\nHost: example.com\r\n"
                    "User-Agent:  curl/8 \t\r\nAccept:\r\n\r\nBODY";
    CHECK_INT(parse(t), (long)strlen(t) - 4);
    CHECK_STR(req.method, "GET");
    CHECK_INT(req.method_id, MIRAGE_HTTP_GET);
    CHECK_STR(req.target, "/a/b?x=1&y");
    CHECK_INT(req.path_len, 4);
    CHECK(memcmp(req.path, "/a/b", 4) == 0);
    CHECK_STR(req.query, "x=1&y");
    CHECK_INT(req.version, 11);
    CHECK_INT(req.header_count, 3);
    CHECK_STR(hdrs[1].name, "User-Agent");
    CHECK_STR(hdrs[1].value, "curl/8");
    CHECK_INT(hdrs[1].value_len, 6);
    CHECK_STR(hdrs[2].value, "");
    CHECK_STR(mirage_http_request_header(&req, "user-agent"), "curl/8");
    CHECK(mirage_http_request_header(&req, "cookie") == NULL);
    CHECK(req.keep_alive);
    CHECK(!req.chunked);
    CHECK_INT(req.content_length, 0);
}

TEST(request_leading_empty_lines_and_forms)
{
    CHECK(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") > 0);
    CHECK_STR(req.method, "GET");
    CHECK(parse("GET http://h:8/p/q?z HTTP/1.1\r\nHost: h:8\r\n\r\n") > 0);
    CHECK_INT(req.path_len, 4);
    CHECK(memcmp(req.path, "/p/q", 4) == 0);
    CHECK_STR(req.query, "z");
    CHECK(parse("GET http://h HTTP/1.1\r\nHost: h\r\n\r\n") > 0);
    CHECK_INT(req.path_len, 1);
    CHECK(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") > 0);
    CHECK_INT(req.method_id, MIRAGE_HTTP_OPTIONS);
    CHECK_INT(parse("GET * HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK(parse("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n") > 0);
    CHECK_INT(parse("CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET nowhere HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK(parse("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n") > 0);
    CHECK_INT(req.method_id, MIRAGE_HTTP_OTHER);
    CHECK_STR(req.method, "BREW");
    /* Methods are case-sensitive. */
    CHECK(parse("get / HTTP/1.1\r\nHost: h\r\n\r\n") > 0);
    CHECK_INT(req.method_id, MIRAGE_HTTP_OTHER);
}

TEST(request_versions_and_connection)
{
    CHECK(parse("GET / HTTP/1.0\r\n\r\n") > 0);
    CHECK_INT(req.version, 10);
    CHECK(!req.keep_alive);
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") > 0);
    CHECK(req.keep_alive);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n") >
          0);
    CHECK(!req.keep_alive);
    CHECK(parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n") > 0);
    CHECK_INT(req.version, 11);
    CHECK_INT(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), -505);
    CHECK_INT(parse("GET / HTTP/0.9\r\n\r\n"), -505);
    CHECK_INT(parse("GET / HTTP/1.10\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET / http/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET /\r\n\r\n"), -400); /* HTTP/0.9 */
    CHECK_INT(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
    CHECK_INT(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), -400);
}

TEST(request_host_rules)
{
    CHECK_INT(parse("GET / HTTP/1.1\r\n\r\n"), -400);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"), -400);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), -400);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), -400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n") > 0);
    CHECK(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n") > 0);
}

/* Every smuggling pattern of the issue, and their cousins. */
TEST(request_smuggling_rejected)
{
    static const char *const bad[] = {
        /* Content-Length with Transfer-Encoding, either order */
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
        "Content-Length: 4\r\n\r\n",
        /* conflicting and repeated Content-Length */
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
        "Content-Length: 5\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
        "Content-Length: 4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4, 4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4 4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9999999999999999999"
        "\r\n\r\n",
        /* Transfer-Encoding variants */
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked"
        "\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip"
        "\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked,\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        /* whitespace before the colon, in the name */
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length\t: 4\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\n Transfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent Length: 4\r\n\r\n",
        /* obs-fold */
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip,\r\n"
        " chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n",
        /* bare CR, bare LF */
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\rContent-Length: 4\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\nContent-Length: 4\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\n\n",
        "GET / HTTP/1.1\r\nHost: h\r\n\n",
        "GET / HTTP/1.1\r\nHost: h\r\n\r\r\n",
        "GET / HTTP/1.1\rHost: h\r\n\r\n",
        /* control characters in a value */
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\x0b\r\n\r\n",
        /* empty field name */
        "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long r = parse(bad[i]);
        if (r != -400 && r != -501) {
            test_fail(__FILE__, __LINE__, "case %zu accepted (%ld): %s", i, r,
                      bad[i]);
            return;
        }
    }
    CHECK_INT(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, "
                    "chunked\r\n\r\n"),
              -501);
}

TEST(request_nul_in_value)
{
    static const char t[] = "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n";
    memcpy(buf, t, sizeof t - 1);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_REQUEST, 8192, 4096, fields, 100);
    CHECK_INT(http_head_parse(&p, buf, sizeof t - 1), -400);
}

TEST(request_framing_accepted)
{
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0012\r\n\r\n") >
          0);
    CHECK_INT(req.content_length, 12);
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\ntransfer-encoding:  Chunked \r\n"
                "\r\n") > 0);
    CHECK(req.chunked);
    CHECK_INT(req.content_length, -1);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
                "Content-Length: 3\r\n\r\n") > 0);
    CHECK(req.expect_continue);
    CHECK_INT(parse("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n"),
              -417);
    /* HTTP/1.0 ignores Expect. */
    CHECK(parse("PUT / HTTP/1.0\r\nExpect: 200-ok\r\n\r\n") > 0);
    CHECK(!req.expect_continue);
}

TEST(request_limits)
{
    char *big = malloc(1 << 20);
    CHECK(big);
    /* the method */
    CHECK(
        parse(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF / HTTP/1.1\r\nHost: h\r\n\r\n") >
        0);
    CHECK_INT(parse("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG / HTTP/1.1\r\n\r\n"),
              -501);
    /* the target: 414 once over target_max, also when the head limit is
     * reached first; a 1 MiB request line */
    memset(big, 'a', 1 << 20);
    memcpy(big, "GET /", 5);
    big[(1 << 20) - 1] = '\0';
    CHECK_INT(parse_limits(big, false, 8192, 4096, 100), -414);
    CHECK_INT(parse_limits(big, false, 8192, 8192, 100), -414);
    /* the head */
    strcpy(big, "GET / HTTP/1.1\r\nHost: h\r\nX: ");
    size_t n = strlen(big);
    memset(big + n, 'v', 9000);
    strcpy(big + n + 9000, "\r\n\r\n");
    CHECK_INT(parse_limits(big, false, 8192, 4096, 100), -431);
    CHECK_INT(parse_limits(big, true, 8192, 4096, 100), -431);
    CHECK(parse_limits(big, false, 9100, 4096, 100) > 0);
    /* the field count */
    strcpy(big, "GET / HTTP/1.1\r\nHost: h\r\n");
    for (int i = 0; i < 10; i++)
        strcat(big, "A: b\r\n");
    strcat(big, "\r\n");
    CHECK_INT(parse_limits(big, false, 8192, 4096, 10), -431);
    CHECK(parse_limits(big, false, 8192, 4096, 11) > 0);
    /* a head ending exactly at the limit passes, one byte more not */
    const char *t = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    CHECK(parse_limits(t, false, strlen(t), 4096, 10) > 0);
    CHECK_INT(parse_limits(t, false, strlen(t) - 1, 4096, 10), -431);
    free(big);
}

static struct mirage_http_response resp;
static struct http_framing framing;

static long parse_response(const char *text, bool head)
{
    size_t len = strlen(text);
    memcpy(buf, text, len);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_RESPONSE, 8192, 0, fields, 100);
    long r = 0;
    for (size_t i = 1; i <= len && r == 0; i++)
        r = http_head_parse(&p, buf, i);
    if (r <= 0)
        return r;
    int err = http_response_build(&p, buf, hdrs, &resp, head, &framing);
    return err ? err : r;
}

TEST(response_heads)
{
    CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                         false) > 0);
    CHECK_INT(resp.status, 200);
    CHECK_STR(resp.reason, "OK");
    CHECK_INT(framing.length, 5);
    CHECK(parse_response("HTTP/1.0 404 Not  Found\r\n\r\n", false) > 0);
    CHECK_INT(resp.version, 10);
    CHECK_STR(resp.reason, "Not  Found");
    CHECK(framing.until_close);
    CHECK(parse_response("HTTP/1.1 204\r\n\r\n", false) > 0);
    CHECK_STR(resp.reason, "");
    CHECK_INT(framing.length, 0);
    CHECK(parse_response("HTTP/1.1 304 \r\nContent-Length: 9\r\n\r\n", false) >
          0);
    CHECK_INT(framing.length, 0);
    CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true) >
          0);
    CHECK_INT(framing.length, 0);
    CHECK(parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                         "Content-Length: 9\r\n\r\n",
                         false) > 0);
    CHECK(framing.chunked);
    CHECK(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n"
                         "Content-Length: 7\r\n\r\n",
                         false) > 0);
    CHECK_INT(framing.length, 7);
    CHECK_INT(parse_response("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n"
                             "Content-Length: 8\r\n\r\n",
                             false),
              -400);
    CHECK_INT(parse_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n"
                             "\r\n",
                             false),
              -400);
    CHECK_INT(parse_response("HTTP/1.1 20 OK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/1.1 2000 OK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/1.1 099 OK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/1.1 600 OK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/2 200 OK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/1.1 200 O\rK\r\n\r\n", false), -400);
    CHECK_INT(parse_response("HTTP/1.1 200 OK\nX: y\r\n\r\n", false), -400);
}

/* Decode text (fed `step` bytes at a time) into out: the data length,
 * or MIRAGE_EBADF; *rest is what follows the body. */
static long dechunk(const char *text, size_t len, size_t step, char *out,
                    size_t *rest)
{
    struct http_chunked c;
    http_chunked_init(&c);
    size_t pos = 0, avail = 0, n = 0;
    while (!http_chunked_done(&c)) {
        if (pos == avail) {
            if (avail == len)
                return -1000; /* incomplete */
            avail = avail + step < len ? avail + step : len;
        }
        size_t data;
        long r = http_chunked_parse(&c, text + pos, avail - pos, &data);
        if (r < 0)
            return r;
        pos += (size_t)r;
        if (data) {
            size_t take = data > 3 ? data - 3 : data; /* take in pieces */
            memcpy(out + n, text + pos, take);
            http_chunked_take(&c, take);
            n += take;
            pos += take;
        }
    }
    *rest = len - pos;
    return (long)n;
}

TEST(chunked_decoding)
{
    static const char t[] = "5;ext=1;q=\"a b\"\r\nhello\r\n"
                            "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                            "000\r\nTrailer: x\r\nOther:y\r\n\r\nNEXT";
    char out[64];
    for (size_t step = 1; step <= sizeof t; step++) {
        size_t rest = 0;
        long n = dechunk(t, sizeof t - 1, step, out, &rest);
        CHECK_INT(n, 31);
        CHECK(memcmp(out, "helloabcdefghijklmnopqrstuvwxyz", 31) == 0);
        CHECK_INT(rest, 4);
    }
    size_t rest;
    CHECK_INT(dechunk("0\r\n\r\n", 5, 5, out, &rest), 0);
    CHECK_INT(dechunk("2 ;x\r\nab\r\n0\r\n\r\n", 15, 3, out, &rest), 2);
}

TEST(chunked_rejected)
{
    static const char *const bad[] = {
        "0x5\r\nhello\r\n0\r\n\r\n",
        "-5\r\nhello\r\n0\r\n\r\n",
        " 5\r\nhello\r\n0\r\n\r\n",
        "5 \r\nhello\r\n0\r\n\r\n",
        "+5\r\nhello\r\n0\r\n\r\n",
        "5\nhello\r\n0\r\n\r\n",
        "5\r\nhelloX\r\n0\r\n\r\n",
        "5\r\nhello\n0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\n",
        "5\r\nhello\r\n0\r\nX : y\r\n\r\n",
        "5\r\nhello\r\n0\r\n y\r\n\r\n",
        "\r\n5\r\nhello\r\n0\r\n\r\n",
        "5;a\x01\r\nhello\r\n0\r\n\r\n",
        "5\rx\nhello\r\n0\r\n\r\n",
        "10000000000000000\r\n",
        "g\r\n",
        "5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n",
    };
    char out[64];
    size_t rest;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long r = dechunk(bad[i], strlen(bad[i]), 1, out, &rest);
        if (r != MIRAGE_EBADF) {
            test_fail(__FILE__, __LINE__, "case %zu gave %ld", i, r);
            return;
        }
    }
    /* 16 hex digits are fine (the caller bounds the size) */
    struct http_chunked c;
    http_chunked_init(&c);
    size_t data;
    CHECK_INT(http_chunked_parse(&c, "000000000000000f\r\nab", 20, &data), 18);
    CHECK_INT(data, 2);
    /* an overlong extension or trailer */
    char *big = malloc(20000);
    CHECK(big);
    memset(big, 'e', 20000);
    memcpy(big, "1;", 2);
    http_chunked_init(&c);
    CHECK_INT(http_chunked_parse(&c, big, 20000, &data), MIRAGE_EBADF);
    memcpy(big, "0\r\nX: ", 6);
    http_chunked_init(&c);
    CHECK_INT(http_chunked_parse(&c, big, 20000, &data), MIRAGE_EBADF);
    free(big);
}

TEST(dates)
{
    char d[MIRAGE_HTTP_DATE_LEN + 1];
    mirage_http_date_format(784111777ull * 1000000000ull, d);
    CHECK_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT");
    mirage_http_date_format(0, d);
    CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 GMT");
    uint64_t s;
    CHECK_INT(mirage_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &s), 0);
    CHECK_INT(s, 784111777);
    CHECK_INT(mirage_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &s), 0);
    CHECK_INT(s, 784111777);
    CHECK_INT(mirage_http_date_parse("Sun Nov  6 08:49:37 1994", &s), 0);
    CHECK_INT(s, 784111777);
    CHECK_INT(mirage_http_date_parse("Tue, 29 Feb 2028 23:59:59 GMT", &s), 0);
    CHECK_INT(s, 1835481599);
    CHECK_INT(mirage_http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", &s),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_http_date_parse("Sun, 06 Nov 1994 08:49", &s),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_http_date_parse("", &s), MIRAGE_EINVAL);
    CHECK_INT(mirage_http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", &s),
              MIRAGE_EINVAL);
    CHECK_INT(mirage_http_date_parse("Sun, 06 No", &s), MIRAGE_EINVAL);
}

TEST(helpers)
{
    CHECK(mirage_http_list_has("a, Close ,b", "close"));
    CHECK(mirage_http_list_has(",,close", "close"));
    CHECK(!mirage_http_list_has("closed", "close"));
    CHECK(!mirage_http_list_has("", "close"));
    CHECK_STR(mirage_http_reason(404), "Not Found");
    CHECK_STR(mirage_http_reason(431), "Request Header Fields Too Large");
    CHECK_STR(mirage_http_reason(299), "");
}

TEST(entity_tags)
{
    const char *tag = "\"0123abcd\"";
    CHECK(http_etag_match("\"0123abcd\"", tag, true));
    CHECK(http_etag_match("\"x\", W/\"0123abcd\"", tag, true));
    CHECK(!http_etag_match("W/\"0123abcd\"", tag, false));
    CHECK(http_etag_match("\"0123abcd\"", tag, false));
    CHECK(http_etag_match("*", tag, false));
    CHECK(!http_etag_match("\"0123abcde\"", tag, true));
    CHECK(!http_etag_match("0123abcd", tag, true));
    CHECK(!http_etag_match("\"0123abcd", tag, true));
    CHECK(!http_etag_match("", tag, true));
}

TEST(byte_ranges)
{
    uint64_t first, len;
    CHECK_INT(http_range_parse("bytes=0-4", 10, &first, &len), RANGE_ONE);
    CHECK_INT(first, 0);
    CHECK_INT(len, 5);
    CHECK_INT(http_range_parse("bytes=5-", 10, &first, &len), RANGE_ONE);
    CHECK_INT(first, 5);
    CHECK_INT(len, 5);
    CHECK_INT(http_range_parse("bytes=-3", 10, &first, &len), RANGE_ONE);
    CHECK_INT(first, 7);
    CHECK_INT(len, 3);
    CHECK_INT(http_range_parse("bytes=-30", 10, &first, &len), RANGE_ONE);
    CHECK_INT(first, 0);
    CHECK_INT(len, 10);
    CHECK_INT(http_range_parse("bytes=8-100", 10, &first, &len), RANGE_ONE);
    CHECK_INT(len, 2);
    CHECK_INT(http_range_parse("bytes=10-", 10, &first, &len),
              RANGE_UNSATISFIABLE);
    CHECK_INT(http_range_parse("bytes=-0", 10, &first, &len),
              RANGE_UNSATISFIABLE);
    CHECK_INT(http_range_parse("bytes=0-0", 0, &first, &len),
              RANGE_UNSATISFIABLE);
    CHECK_INT(http_range_parse("bytes=0-1,3-4", 10, &first, &len), RANGE_NONE);
    CHECK_INT(http_range_parse("bytes=4-2", 10, &first, &len), RANGE_NONE);
    CHECK_INT(http_range_parse("bytes=-", 10, &first, &len), RANGE_NONE);
    CHECK_INT(http_range_parse("items=0-1", 10, &first, &len), RANGE_NONE);
    CHECK_INT(http_range_parse("bytes=x-1", 10, &first, &len), RANGE_NONE);
    CHECK_INT(
        http_range_parse("bytes=0-99999999999999999999", 10, &first, &len),
        RANGE_NONE);
    CHECK(http_if_range("\"t\"", "\"t\"", 0));
    CHECK(!http_if_range("W/\"t\"", "\"t\"", 0));
    CHECK(!http_if_range("\"u\"", "\"t\"", 0));
    CHECK(http_if_range("Sun, 06 Nov 1994 08:49:37 GMT", "\"t\"", 784111777));
    CHECK(!http_if_range("Sun, 06 Nov 1994 08:49:38 GMT", "\"t\"", 784111777));
}

TEST(media_types)
{
    CHECK_STR(mirage_http_mime_type("index.html", 10),
              "text/html; charset=utf-8");
    CHECK_STR(mirage_http_mime_type("a/b/STYLE.CSS", 13),
              "text/css; charset=utf-8");
    CHECK_STR(mirage_http_mime_type("x.woff2", 7), "font/woff2");
    CHECK_STR(mirage_http_mime_type("README", 6), "application/octet-stream");
    CHECK_STR(mirage_http_mime_type("a.d/file", 8), "application/octet-stream");
    CHECK_STR(mirage_http_mime_type("x.unknown", 9),
              "application/octet-stream");
}

int main(void)
{
    return test_main();
}
