/* FAT names: checking path components and converting them between UTF-8
 * and the UTF-16 of long-name (VFAT) entries; decoding 8.3 short names;
 * generating short names ("LONGFI~1.TXT") and their checksum. Short names
 * are built from ASCII only: other characters become '_' (bytes of short
 * entries written by others decode as Latin-1). */
#include <mirage/error.h>
#include <string.h>

#include "fat.h"

static bool long_name_char_ok(uint32_t c)
{
    return c >= 0x20 && (c >= 0x80 || !strchr("\\/:*?\"<>|", (int)c));
}

static bool short_char_ok(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= 0x80) ||
           (c && strchr("!#$%&'()-@^_`{}~", c));
}

static int utf8_decode(const uint8_t *s, size_t len, size_t *i, uint32_t *cp)
{
    uint8_t b = s[*i];
    size_t n = b < 0x80             ? 1
               : (b & 0xE0) == 0xC0 ? 2
               : (b & 0xF0) == 0xE0 ? 3
               : (b & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || *i + n > len)
        return MIRAGE_EINVAL;
    uint32_t c = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80)
            return MIRAGE_EINVAL;
        c = c << 6 | (s[*i + k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return MIRAGE_EINVAL;
    *i += n;
    *cp = c;
    return 0;
}

int fat_name_to_utf16(const char *name, size_t len, uint16_t *units, size_t *n)
{
    const uint8_t *s = (const uint8_t *)name;
    if (len == 0 || (len == 1 && s[0] == '.') ||
        (len == 2 && s[0] == '.' && s[1] == '.'))
        return MIRAGE_EINVAL;
    if (s[len - 1] == '.' || s[len - 1] == ' ')
        return MIRAGE_EINVAL;
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        if (utf8_decode(s, len, &i, &c) || !long_name_char_ok(c))
            return MIRAGE_EINVAL;
        size_t need = c >= 0x10000 ? 2 : 1;
        if (k + need > FAT_NAME_UNITS)
            return MIRAGE_ENAMETOOLONG;
        if (c >= 0x10000) {
            c -= 0x10000;
            units[k++] = (uint16_t)(0xD800 | c >> 10);
            units[k++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            units[k++] = (uint16_t)c;
        }
    }
    *n = k;
    return 0;
}

static char *utf8_put(char *o, uint32_t c)
{
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xC0 | c >> 6);
        *o++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (char)(0xE0 | c >> 12);
        *o++ = (char)(0x80 | (c >> 6 & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (char)(0xF0 | c >> 18);
        *o++ = (char)(0x80 | (c >> 12 & 0x3F));
        *o++ = (char)(0x80 | (c >> 6 & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    }
    return o;
}

void fat_utf16_to_name(const uint16_t *units, size_t n, char *out)
{
    char *o = out;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = units[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && units[i + 1] >= 0xDC00 &&
            units[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        o = utf8_put(o, c);
    }
    *o = 0;
}

static char *short_part(char *o, const uint8_t *p, size_t len, bool lower)
{
    while (len > 0 && p[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (i == 0 && c == 0x05)
            c = 0xE5;
        if (lower && c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 'a' - 'A');
        o = utf8_put(o, c);
    }
    return o;
}

void fat_short_to_name(const uint8_t *e, char *out)
{
    char *o = short_part(out, e, 8, e[12] & 0x08);
    if (e[8] != ' ') {
        *o++ = '.';
        o = short_part(o, e + 8, 3, e[12] & 0x10);
    }
    *o = 0;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

bool fat_name_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

bool fat_name_is_short(const uint16_t *units, size_t n, uint8_t *shortname)
{
    uint8_t sn[11];
    memset(sn, ' ', 11);
    size_t part = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t c = units[i];
        if (c == '.' && part == 0 && i > 0) {
            part = 1, k = 0;
            continue;
        }
        if (c >= 0x80 || !short_char_ok((uint8_t)c) || k >= (part ? 3u : 8u))
            return false;
        sn[part * 8 + k++] = (uint8_t)c;
    }
    if (part == 1 && k == 0)
        return false;
    if (sn[0] == 0xE5)
        sn[0] = 0x05;
    memcpy(shortname, sn, 11);
    return true;
}

/* Upper-case ASCII, '_' for what a short name cannot hold; spaces and dots
 * are dropped (the caller splits off the extension at the last dot). */
static size_t basis_part(const uint16_t *u, size_t n, uint8_t *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        uint16_t c = u[i];
        if (c == ' ' || c == '.')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (uint16_t)(c - 'a' + 'A');
        if (c >= 0xDC00 && c <= 0xDFFF)
            continue; /* second half of a pair: one '_' for both */
        out[k++] = c < 0x80 && short_char_ok((uint8_t)c) ? (uint8_t)c : '_';
    }
    return k;
}

void fat_short_basis(const uint16_t *units, size_t n, uint8_t *basis)
{
    memset(basis, ' ', 11);
    size_t dot = n;
    for (size_t i = n; i > 0; i--)
        if (units[i - 1] == '.') {
            dot = i - 1;
            break;
        }
    size_t start = 0;
    while (start < n && units[start] == '.')
        start++;
    if (dot < start)
        dot = n; /* only leading dots: no extension */
    if (basis_part(units + start, dot - start, basis, 8) == 0)
        basis[0] = '_';
    if (dot < n)
        basis_part(units + dot + 1, n - dot - 1, basis + 8, 3);
}

void fat_short_tail(const uint8_t *basis, unsigned n, uint8_t *out)
{
    char tail[12];
    size_t t = sizeof(tail);
    do {
        tail[--t] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    tail[--t] = '~';
    size_t tlen = sizeof(tail) - t;
    size_t keep = 0;
    while (keep < 8 && basis[keep] != ' ')
        keep++;
    if (keep > 8 - tlen)
        keep = 8 - tlen;
    memset(out, ' ', 8);
    memcpy(out, basis, keep);
    memcpy(out + keep, tail + t, tlen);
    memcpy(out + 8, basis + 8, 3);
}

uint8_t fat_short_checksum(const uint8_t *sn)
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sn[i]);
    return sum;
}
