/* libFuzzer target: header fields and the helpers that read them
 * (lib/http/parse.c, message.c, date.c). The input follows a fixed
 * request line as its header section; once parsed, every field must be
 * found by mirage_http_header_get (its first occurrence), list lookups
 * must not run past a value, and a value that parses as an HTTP date
 * must format and parse back to the same time (when that time fits the
 * clock's nanoseconds). */
#include "../lib/http/parse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_field fields[64];
static struct mirage_http_header hdrs[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char line[] = "GET / HTTP/1.1\r\n";
    if (size > 8192)
        return 0;
    char *buf = malloc(sizeof line + size);
    if (!buf)
        abort();
    memcpy(buf, line, sizeof line - 1);
    memcpy(buf + sizeof line - 1, data, size);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_REQUEST, 16384, 1024, fields, 64);
    long r = http_head_parse(&p, buf, sizeof line - 1 + size);
    struct mirage_http_request req = {0};
    if (r > 0 && http_request_build(&p, buf, hdrs, &req) == 0) {
        for (size_t i = 0; i < req.header_count; i++) {
            const char *v =
                mirage_http_header_get(hdrs, req.header_count, hdrs[i].name);
            if (!v)
                abort();
            mirage_http_list_has(hdrs[i].value, "close");
            uint64_t s, s2;
            if (mirage_http_date_parse(hdrs[i].value, &s) == 0 &&
                s <= UINT64_MAX / 1000000000ull) {
                char d[MIRAGE_HTTP_DATE_LEN + 1];
                mirage_http_date_format(s * 1000000000ull, d);
                if (mirage_http_date_parse(d, &s2) != 0 || s2 != s)
                    abort();
            }
        }
    }
    free(buf);
    return 0;
}
