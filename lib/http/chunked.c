/* The chunked decoder (chunked.h): one byte-driven state machine over
 * chunk-size [ chunk-ext ] CRLF chunk-data CRLF ... last-chunk
 * trailer-section CRLF, strict about line ends (CRLF only) and sizes
 * (hexadecimal digits only, at most 16, no sign, no "0x", no whitespace
 * but before an extension). */
#include "chunked.h"

#include "parse.h"

#include <mirage/error.h>
#include <string.h>

enum {
    C_SIZE0,   /* the first digit of a chunk size */
    C_SIZE,    /* more digits, or what follows them */
    C_BWS,     /* whitespace after the size: ';' must come */
    C_EXT,     /* in the extensions, until CR */
    C_SIZE_LF, /* CR after the size line seen */
    C_DATA,    /* in chunk data */
    C_DATA_CR, /* CRLF after the data */
    C_DATA_LF,
    C_TRAILER, /* at the start of a trailer line or the final CRLF */
    C_TNAME,   /* in a trailer field name */
    C_TVALUE,  /* in a trailer field value, until CR */
    C_TLF,     /* CR of a trailer line seen */
    C_END_LF,  /* CR of the final empty line seen */
    C_DONE,
};

/* A byte allowed in an extension or a trailer value. */
static bool text(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

void http_chunked_init(struct http_chunked *c)
{
    *c = (struct http_chunked){.state = C_SIZE0};
}

bool http_chunked_done(const struct http_chunked *c)
{
    return c->state == C_DONE;
}

void http_chunked_take(struct http_chunked *c, size_t n)
{
    if (c->state != C_DATA || n == 0)
        return;
    c->left -= n;
    if (c->left == 0)
        c->state = C_DATA_CR;
}

long http_chunked_parse(struct http_chunked *c, const char *in, size_t len,
                        size_t *data)
{
    const unsigned char *b = (const unsigned char *)in;
    *data = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = b[i];
        int d;
        switch (c->state) {
        case C_SIZE0:
            if ((d = http_hex_value(ch)) < 0)
                return MIRAGE_EBADF;
            c->left = (uint64_t)d;
            c->digits = 1;
            c->ext_len = 0;
            c->state = C_SIZE;
            break;
        case C_SIZE:
            if ((d = http_hex_value(ch)) >= 0) {
                if (++c->digits > 16)
                    return MIRAGE_EBADF;
                c->left = c->left << 4 | (uint64_t)d;
            } else if (ch == ';') {
                c->state = C_EXT;
            } else if (ch == ' ' || ch == '\t') {
                c->state = C_BWS;
            } else if (ch == '\r') {
                c->state = C_SIZE_LF;
            } else {
                return MIRAGE_EBADF;
            }
            break;
        case C_BWS:
            if (ch == ';')
                c->state = C_EXT;
            else if (ch != ' ' && ch != '\t')
                return MIRAGE_EBADF;
            break;
        case C_EXT:
            if (ch == '\r')
                c->state = C_SIZE_LF;
            else if (!text(ch) || ++c->ext_len > HTTP_CHUNK_EXT_MAX)
                return MIRAGE_EBADF;
            break;
        case C_SIZE_LF:
            if (ch != '\n')
                return MIRAGE_EBADF;
            if (!c->left) {
                c->state = C_TRAILER; /* the last chunk */
                break;
            }
            size_t avail = len - i - 1;
            *data = c->left < avail ? (size_t)c->left : avail;
            c->state = C_DATA;
            return (long)(i + 1);
        case C_DATA: {
            size_t avail = len - i;
            *data = c->left < avail ? (size_t)c->left : avail;
            return (long)i;
        }
        case C_DATA_CR:
            if (ch != '\r')
                return MIRAGE_EBADF;
            c->state = C_DATA_LF;
            break;
        case C_DATA_LF:
            if (ch != '\n')
                return MIRAGE_EBADF;
            c->state = C_SIZE0;
            break;
        case C_TRAILER:
            if (ch == '\r') {
                c->state = C_END_LF;
                break;
            }
            if (!http_is_tchar(ch))
                return MIRAGE_EBADF;
            c->state = C_TNAME;
            break;
        case C_TNAME:
            if (ch == ':')
                c->state = C_TVALUE;
            else if (!http_is_tchar(ch))
                return MIRAGE_EBADF;
            break;
        case C_TVALUE:
            if (ch == '\r')
                c->state = C_TLF;
            else if (!text(ch))
                return MIRAGE_EBADF;
            break;
        case C_TLF:
            if (ch != '\n')
                return MIRAGE_EBADF;
            c->state = C_TRAILER;
            break;
        case C_END_LF:
            if (ch != '\n')
                return MIRAGE_EBADF;
            c->state = C_DONE;
            return (long)(i + 1);
        case C_DONE:
            return (long)i;
        }
        if (c->state >= C_TRAILER && ++c->trailer_len > HTTP_TRAILER_MAX)
            return MIRAGE_EBADF;
    }
    return (long)len;
}

long http_chunked_read(struct http_chunked *c, const char *in, size_t len,
                       size_t *pos, void *out, size_t want)
{
    size_t data;
    long r = http_chunked_parse(c, in + *pos, len - *pos, &data);
    if (r < 0)
        return r;
    *pos += (size_t)r;
    if (http_chunked_done(c))
        return 0;
    if (!data)
        return HTTP_CHUNKED_MORE;
    size_t n = data < want ? data : want;
    memcpy(out, in + *pos, n);
    http_chunked_take(c, n);
    *pos += n;
    return (long)n;
}
