/* The DER reader of der.h. */
#include "der.h"

bool der_next(struct rd *r, struct der_elem *e)
{
    const uint8_t *start = r->p;
    uint8_t tag, b;
    uint32_t len;
    if (!rd_u8(r, &tag) || (tag & 0x1f) == 0x1f || !rd_u8(r, &b))
        return rd_fail(r);
    if (b < 0x80) {
        len = b;
    } else {
        size_t n = b & 0x7f;
        /* Long form: 1..4 length bytes, minimal. */
        if (n == 0 || n > 4 || !rd_uint(r, n, &len) || len < 0x80 ||
            (n > 1 && len >> (8 * (n - 1)) == 0))
            return rd_fail(r);
    }
    const uint8_t *body;
    if (!rd_bytes(r, len, &body))
        return false;
    e->tag = tag;
    rd_init(&e->body, body, len);
    e->raw = start;
    e->raw_len = (size_t)(r->p - start);
    return true;
}

bool der_expect(struct rd *r, uint8_t tag, struct der_elem *e)
{
    if (!der_next(r, e))
        return false;
    if (e->tag != tag)
        return rd_fail(r);
    return true;
}

uint8_t der_peek(const struct rd *r)
{
    return rd_left(r) ? r->p[0] : 0;
}

bool der_oid_is(const struct der_elem *e, const uint8_t *oid, size_t len)
{
    return e->tag == DER_OID && rd_left(&e->body) == len &&
           memcmp(e->body.p, oid, len) == 0;
}

bool der_uint(const struct der_elem *e, const uint8_t **p, size_t *len)
{
    const uint8_t *b = e->body.p;
    size_t n = rd_left(&e->body);
    if (e->tag != DER_INTEGER || n == 0 || (b[0] & 0x80))
        return false;
    if (n > 1 && b[0] == 0 && !(b[1] & 0x80))
        return false; /* not minimal */
    while (n > 1 && b[0] == 0)
        b++, n--;
    *p = b;
    *len = n;
    return true;
}

bool der_small_uint(const struct der_elem *e, uint32_t *v)
{
    const uint8_t *p;
    size_t n;
    if (!der_uint(e, &p, &n) || n > 4)
        return false;
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++)
        x = x << 8 | p[i];
    *v = x;
    return true;
}

bool der_bits(const struct der_elem *e, const uint8_t **p, size_t *len)
{
    size_t n = rd_left(&e->body);
    if (e->tag != DER_BIT_STRING || n < 1 || e->body.p[0] != 0)
        return false;
    *p = e->body.p + 1;
    *len = n - 1;
    return true;
}

static bool digits(const uint8_t *p, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        x = x * 10 + (p[i] - '0');
    }
    *v = x;
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool der_time(const struct der_elem *e, int64_t *secs)
{
    const uint8_t *p = e->body.p;
    size_t n = rd_left(&e->body);
    int y, mo, d, h, mi, s;
    if (e->tag == DER_UTC_TIME) {
        if (n != 13 || !digits(p, 2, &y))
            return false;
        y += y >= 50 ? 1900 : 2000;
        p += 2;
    } else if (e->tag == DER_GENERALIZED_TIME) {
        if (n != 15 || !digits(p, 4, &y))
            return false;
        p += 4;
    } else {
        return false;
    }
    if (!digits(p, 2, &mo) || !digits(p + 2, 2, &d) || !digits(p + 4, 2, &h) ||
        !digits(p + 6, 2, &mi) || !digits(p + 8, 2, &s) || p[10] != 'Z')
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        s > 60)
        return false;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    *secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return true;
}
