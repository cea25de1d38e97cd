/* libFuzzer target: the HTTP request head parser and request framing
 * (lib/http/parse.c, message.c). The input is parsed whole and again in
 * two pieces split where its first byte says: both must give the same
 * result. A complete head must give a request whose strings lie in the
 * buffer, NUL-terminated at their lengths, with consistent framing. */
#include "../lib/http/parse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_field fields[32];
static struct mirage_http_header hdrs[32];

static long parse(const uint8_t *data, size_t size, size_t split, char *buf)
{
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_REQUEST, 4096, 1024, fields, 32);
    memcpy(buf, data, size);
    long r = split < size ? http_head_parse(&p, buf, split) : 0;
    if (r == 0)
        r = http_head_parse(&p, buf, size);
    if (r <= 0)
        return r;
    if (r > (long)size)
        abort();
    struct mirage_http_request req = {0};
    int err = http_request_build(&p, buf, hdrs, &req);
    if (err)
        return err > -400 || err < -505 ? (abort(), 0) : err;
    const char *end = buf + r;
    if (req.method < buf || req.method >= end || req.target < buf ||
        req.target >= end || strlen(req.method) > HTTP_METHOD_MAX)
        abort();
    if (req.path_len > strlen(req.path))
        abort();
    for (size_t i = 0; i < req.header_count; i++)
        if (strlen(hdrs[i].name) != hdrs[i].name_len ||
            strlen(hdrs[i].value) != hdrs[i].value_len || hdrs[i].name < buf ||
            hdrs[i].value + hdrs[i].value_len >= end)
            abort();
    if (req.chunked != (req.content_length == -1) || req.content_length < -1)
        abort();
    if (req.version != 10 && req.version != 11)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = malloc(size + 1), *b = malloc(size + 1);
    if (!a || !b)
        abort();
    long whole = parse(data, size, size, a);
    long split = parse(data, size, size ? data[0] % (size + 1) : 0, b);
    if (whole != split)
        abort();
    free(a);
    free(b);
    return 0;
}
