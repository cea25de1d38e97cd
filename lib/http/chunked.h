/* The chunked transfer coding (RFC 9112 §7.1): an incremental decoder
 * that reads the framing (chunk sizes, extensions, the trailer section)
 * and points the caller at the data bytes in its own buffer, so data is
 * never copied here. Extensions and trailer fields are checked and
 * dropped. Internal to lib/http. */
#ifndef MIRAGE_HTTP_CHUNKED_H
#define MIRAGE_HTTP_CHUNKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds: extensions of one chunk-size line, and the trailer section. */
#define HTTP_CHUNK_EXT_MAX 4096
#define HTTP_TRAILER_MAX   8192

struct http_chunked {
    uint8_t state;
    uint8_t digits;
    uint64_t left; /* data bytes left in the current chunk */
    size_t ext_len, trailer_len;
};

void http_chunked_init(struct http_chunked *c);
/* Go through the framing at in[0..len) up to the next data bytes or the
 * end of the body: returns the framing bytes consumed (>= 0) and sets
 * *data to the count of data bytes that follow them in `in` (0 when
 * more input is needed or the body ended); or MIRAGE_EBADF for a
 * malformed size, extension, line end or trailer, or one too large.
 * The caller takes some of the data with http_chunked_take, then calls
 * again with what follows. */
long http_chunked_parse(struct http_chunked *c, const char *in, size_t len,
                        size_t *data);
/* n (at most *data of the last parse) data bytes were taken. */
void http_chunked_take(struct http_chunked *c, size_t n);
/* Decode from the bytes held in in[*pos..len) into out (room for want
 * bytes, want > 0), advancing *pos: the data bytes copied (> 0), 0 at the
 * body's end, HTTP_CHUNKED_MORE when every held byte is consumed and more
 * input is needed, or MIRAGE_EBADF. */
#define HTTP_CHUNKED_MORE (-1000)
long http_chunked_read(struct http_chunked *c, const char *in, size_t len,
                       size_t *pos, void *out, size_t want);
/* Whether the last chunk and the trailer section have been read. */
bool http_chunked_done(const struct http_chunked *c);

#endif
