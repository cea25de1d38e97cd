/* libFuzzer target: the HTTP status line and response framing
 * (lib/http/parse.c, message.c), parsed byte by byte and whole, for a
 * GET and for a HEAD: the same head length either way, a status within
 * 100..599 and a framing that says one thing. */
#include "../lib/http/parse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_field fields[32];
static struct mirage_http_header hdrs[32];

static long parse(const uint8_t *data, size_t size, bool bytewise, bool head)
{
    char *buf = malloc(size + 1);
    if (!buf)
        abort();
    memcpy(buf, data, size);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_RESPONSE, 4096, 0, fields, 32);
    long r = 0;
    for (size_t n = bytewise ? 1 : size; n <= size && r == 0; n++)
        r = http_head_parse(&p, buf, n);
    if (r > 0) {
        struct mirage_http_response resp = {0};
        struct http_framing f;
        int err = http_response_build(&p, buf, hdrs, &resp, head, &f);
        if (err && err != -400)
            abort();
        if (!err) {
            if (resp.status < 100 || resp.status > 599 ||
                (f.chunked && (f.until_close || f.length != -1)) ||
                (head && (f.length != 0 || f.chunked)) ||
                strlen(resp.reason) > (size_t)r)
                abort();
        }
        r = err ? err : r;
    }
    free(buf);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    for (int head = 0; head < 2; head++)
        if (parse(data, size, false, head) != parse(data, size, true, head))
            abort();
    return 0;
}
