/* Conditional and range requests (conditional.h). */
#include "conditional.h"

#include <mirage/http.h>
#include <string.h>

bool http_etag_match(const char *list, const char *etag, bool weak)
{
    size_t elen = strlen(etag);
    const char *p = list;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            return false;
        if (*p == '*')
            return true;
        bool is_weak = p[0] == 'W' && p[1] == '/';
        if (is_weak)
            p += 2;
        if (*p != '"')
            return false; /* malformed: no match */
        const char *end = strchr(p + 1, '"');
        if (!end)
            return false;
        size_t len = (size_t)(end + 1 - p);
        if (len == elen && memcmp(p, etag, len) == 0 && (weak || !is_weak))
            return true;
        p = end + 1;
    }
}

/* Decimal digits at *s into *v (at most 18): false when none. */
static bool number(const char **s, uint64_t *v)
{
    const char *p = *s;
    *v = 0;
    while (*p >= '0' && *p <= '9' && p - *s < 18)
        *v = *v * 10 + (uint64_t)(*p++ - '0');
    if (p == *s || (*p >= '0' && *p <= '9'))
        return false;
    *s = p;
    return true;
}

enum http_range http_range_parse(const char *value, uint64_t size,
                                 uint64_t *first, uint64_t *len)
{
    const char *p = value;
    if (strncmp(p, "bytes=", 6) != 0)
        return RANGE_NONE;
    p += 6;
    while (*p == ' ' || *p == '\t')
        p++;
    uint64_t a = 0, b = 0;
    bool has_a = false, has_b = false;
    if (*p != '-') {
        if (!number(&p, &a))
            return RANGE_NONE;
        has_a = true;
    }
    if (*p++ != '-')
        return RANGE_NONE;
    if (*p >= '0' && *p <= '9') {
        if (!number(&p, &b))
            return RANGE_NONE;
        has_b = true;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p || (!has_a && !has_b) || (has_a && has_b && b < a))
        return RANGE_NONE; /* several ranges, or malformed */
    if (!has_a) {          /* the last b bytes */
        if (b == 0 || size == 0)
            return RANGE_UNSATISFIABLE;
        *first = b < size ? size - b : 0;
        *len = size - *first;
        return RANGE_ONE;
    }
    if (a >= size)
        return RANGE_UNSATISFIABLE;
    *first = a;
    *len = (has_b && b < size ? b + 1 : size) - a;
    return RANGE_ONE;
}

bool http_if_range(const char *value, const char *etag, uint64_t last_modified)
{
    if (value[0] == '"' || (value[0] == 'W' && value[1] == '/'))
        return value[0] == '"' && strcmp(value, etag) == 0;
    uint64_t when;
    return mirage_http_date_parse(value, &when) == 0 && when == last_modified;
}
