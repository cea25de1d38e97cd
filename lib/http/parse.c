/* The incremental message-head parser (parse.h): one byte-driven state
 * machine for request lines, status lines and header fields, strict as
 * RFC 9112 allows: CRLF line ends only (a bare CR or LF is an error), no
 * obs-fold, no whitespace before a field's colon, no control characters
 * but HTAB in a field value, only the characters of RFC 3986 in a
 * request-target. */
#include "parse.h"

#include <mirage/error.h>
#include <string.h>

enum state {
    S_START,     /* before the start line; empty lines are skipped */
    S_START_LF,  /* CR of an empty line before the start line seen */
    S_METHOD,    /* request: in the method token */
    S_TARGET0,   /* request: after the method's SP */
    S_TARGET,    /* request: in the request-target */
    S_VERSION,   /* request: in HTTP-version, until CR */
    S_RVERSION,  /* response: in HTTP-version, until SP */
    S_STATUS,    /* response: the three digits */
    S_STATUS_SP, /* response: SP or CR after the digits */
    S_REASON,    /* response: reason phrase until CR */
    S_LINE_LF,   /* CR of the start line seen */
    S_FIELD,     /* at the start of a field line or the final CRLF */
    S_NAME,      /* in a field name */
    S_OWS,       /* after the colon, before the value */
    S_VALUE,     /* in the value */
    S_FIELD_LF,  /* CR of a field line seen */
    S_END_LF,    /* CR of the final empty line seen */
};

/* The character table: bit 1 tchar (RFC 9110 §5.6.2: ALPHA, DIGIT and
 * !#$%&'*+-.^_`|~), bit 2 field-vchar (VCHAR 0x21-0x7e and obs-text
 * 0x80-0xff), bit 4 a request-target character (RFC 3986: ALPHA, DIGIT,
 * the unreserved -._~, the sub-delims !$&'()*+,;=, :@/?, the % of
 * pct-encoded, and the brackets of an IP literal), one row per 16 codes. */
const uint8_t http_ctab[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 2, 3, 7, 7, 7, 7, 6, 6, 7, 7, 6, 7, 7, 6,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 2, 6, 2, 6, 6, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 2, 6, 3, 7,
    3, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 2, 3, 2, 7, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

void http_head_init(struct http_head *p, enum http_parse_kind kind,
                    size_t head_max, size_t target_max,
                    struct http_field *fields, unsigned fields_max)
{
    memset(p, 0, sizeof *p);
    p->kind = (uint8_t)kind;
    p->head_max = head_max;
    p->target_max = target_max;
    p->fields = fields;
    p->fields_max = fields_max;
    p->state = kind == HTTP_PARSE_REQUEST ? S_START : S_RVERSION;
}

/* "HTTP/d.d" in p->vbuf: 0 with p->version set, or minus a status. */
static long check_version(struct http_head *p)
{
    const char *v = p->vbuf;
    if (p->vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
        v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
        return -400;
    if (v[5] != '1')
        return p->kind == HTTP_PARSE_REQUEST ? -505 : -400;
    p->version = v[7] == '0' ? 10 : 11;
    return 0;
}

/* The status for a head that grew over head_max in state s. */
static long too_long(const struct http_head *p)
{
    if (p->kind == HTTP_PARSE_REQUEST &&
        (p->state == S_TARGET0 || p->state == S_TARGET))
        return -414;
    return -431;
}

long http_head_parse(struct http_head *p, const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t i = p->pos;
    if (len > p->head_max + 1)
        len = p->head_max + 1; /* one byte over tells the head is too long */
    for (; i < len; i++) {
        unsigned char c = b[i];
        switch (p->state) {
        case S_START:
            if (c == '\r') {
                p->state = S_START_LF;
                break;
            }
            if (!(http_ctab[c] & C_TCHAR))
                return -400;
            p->start = (uint32_t)i;
            p->state = S_METHOD;
            break;
        case S_START_LF:
            if (c != '\n')
                return -400;
            p->state = S_START;
            break;
        case S_METHOD:
            if (http_ctab[c] & C_TCHAR) {
                if (i - p->start >= HTTP_METHOD_MAX)
                    return -501;
                break;
            }
            if (c != ' ')
                return -400;
            p->method_len = (uint32_t)(i - p->start);
            p->state = S_TARGET0;
            break;
        case S_TARGET0:
            if (!(http_ctab[c] & C_TGT))
                return -400;
            p->target_start = (uint32_t)i;
            p->state = S_TARGET;
            break;
        case S_TARGET:
            if (http_ctab[c] & C_TGT) {
                if (i - p->target_start >= p->target_max)
                    return -414;
                break;
            }
            if (c != ' ')
                return -400;
            p->target_len = (uint32_t)(i - p->target_start);
            p->state = S_VERSION;
            break;
        case S_VERSION:
            if (c == '\r') {
                long err = check_version(p);
                if (err)
                    return err;
                p->state = S_LINE_LF;
                break;
            }
            if (p->vlen == sizeof p->vbuf)
                return -400;
            p->vbuf[p->vlen++] = (char)c;
            break;
        case S_RVERSION:
            if (c == ' ') {
                long err = check_version(p);
                if (err)
                    return err;
                p->state = S_STATUS;
                break;
            }
            if (p->vlen == sizeof p->vbuf)
                return -400;
            p->vbuf[p->vlen++] = (char)c;
            break;
        case S_STATUS:
            /* Three digits, 100 to 599. */
            if (c < (p->status ? '0' : '1') || c > (p->status ? '9' : '5'))
                return -400;
            p->status = p->status * 10 + (c - '0');
            if (p->status >= 100)
                p->state = S_STATUS_SP;
            break;
        case S_STATUS_SP:
            /* The reason phrase may be empty; some servers also leave
             * out the SP before it. */
            p->reason_start = (uint32_t)i + (c == ' ');
            p->reason_len = 0;
            if (c == ' ')
                p->state = S_REASON;
            else if (c == '\r')
                p->state = S_LINE_LF;
            else
                return -400;
            break;
        case S_REASON:
            if (c == '\r') {
                p->reason_len = (uint32_t)(i - p->reason_start);
                p->state = S_LINE_LF;
            } else if (!(http_ctab[c] & C_VCHAR) && c != ' ' && c != '\t')
                return -400;
            break;
        case S_LINE_LF:
        case S_FIELD_LF:
            if (c != '\n')
                return -400;
            if (p->state == S_FIELD_LF) {
                if (p->n_fields == p->fields_max)
                    return -431;
                struct http_field *f = &p->fields[p->n_fields++];
                f->name = p->name_start;
                f->name_len = p->name_end - p->name_start;
                f->value = p->value_start;
                f->value_len = p->value_end - p->value_start;
            }
            p->state = S_FIELD;
            break;
        case S_FIELD:
            if (c == '\r') {
                p->state = S_END_LF;
                break;
            }
            /* A line starting with whitespace is obs-fold (or junk
             * between the start line and the first field): rejected. */
            if (!(http_ctab[c] & C_TCHAR))
                return -400;
            p->name_start = (uint32_t)i;
            p->state = S_NAME;
            break;
        case S_NAME:
            if (http_ctab[c] & C_TCHAR)
                break;
            if (c != ':')
                return -400;
            p->name_end = (uint32_t)i;
            p->state = S_OWS;
            break;
        case S_OWS:
            if (c == ' ' || c == '\t')
                break;
            if (c == '\r') {
                p->value_start = p->value_end = (uint32_t)i;
                p->state = S_FIELD_LF;
                break;
            }
            if (!(http_ctab[c] & C_VCHAR))
                return -400;
            p->value_start = (uint32_t)i;
            p->value_end = (uint32_t)i + 1;
            p->state = S_VALUE;
            break;
        case S_VALUE:
            /* The hot loop: run through the value's ordinary bytes. */
            while (http_ctab[c] & C_VCHAR) {
                p->value_end = (uint32_t)++i;
                if (i == len)
                    goto out;
                c = b[i];
            }
            if (c == ' ' || c == '\t')
                break;
            if (c != '\r')
                return -400;
            p->state = S_FIELD_LF;
            break;
        case S_END_LF:
            if (c != '\n')
                return -400;
            if (i + 1 > p->head_max)
                return -431;
            p->pos = i + 1;
            return (long)(i + 1);
        }
    }
out:
    p->pos = i;
    if (i > p->head_max)
        return too_long(p);
    return 0;
}

int http_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool http_token_eq(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n && b[i]; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return i == n && !b[i];
}
