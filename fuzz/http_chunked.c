/* libFuzzer target: the chunked decoder (lib/http/chunked.c). The input
 * is decoded fed whole and fed in pieces whose sizes come from its first
 * byte, taking the data in pieces too: both must give the same data, the
 * same end and the same error. */
#include "../lib/http/chunked.h"

#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The decoded length, or the error; out gets the data. */
static long decode(const char *in, size_t size, size_t step, char *out,
                   size_t *used)
{
    struct http_chunked c;
    http_chunked_init(&c);
    size_t pos = 0, avail = 0, n = 0;
    while (!http_chunked_done(&c)) {
        if (pos == avail) {
            if (avail == size)
                break;
            avail = avail + step < size ? avail + step : size;
        }
        size_t d;
        long r = http_chunked_parse(&c, in + pos, avail - pos, &d);
        if (r < 0)
            return r;
        if ((size_t)r > avail - pos || d > avail - pos - (size_t)r)
            abort();
        pos += (size_t)r;
        size_t take = d > step ? step : d;
        memcpy(out + n, in + pos, take);
        http_chunked_take(&c, take);
        n += take;
        pos += take;
    }
    *used = http_chunked_done(&c) ? pos : (size_t)-1;
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = 1 + data[0] % 17;
    const char *in = (const char *)data + 1;
    size--;
    char *a = malloc(size + 1), *b = malloc(size + 1);
    if (!a || !b)
        abort();
    size_t ua, ub;
    long ra = decode(in, size, size ? size : 1, a, &ua);
    long rb = decode(in, size, step, b, &ub);
    if (ra != rb || (ra >= 0 && (ua != ub || memcmp(a, b, (size_t)ra))))
        abort();
    if (ra < 0 && ra != MIRAGE_EBADF)
        abort();
    free(a);
    free(b);
    return 0;
}
