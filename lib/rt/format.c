/* The printf engine behind the whole printf family (stdio.c): parses C99
 * conversion specifications and hands the output to a callback in pieces.
 * Defines no libc names, so it also builds into hosted tests. No floating
 * point: see <stdio.h> for what is printed literally. */
#include "internal.h"

#include <limits.h>
#include <stdint.h>

enum {
    F_MINUS = 1,
    F_PLUS = 2,
    F_SPACE = 4,
    F_HASH = 8,
    F_ZERO = 16,
};

/* Length modifiers. */
enum { L_NONE, L_HH, L_H, L_L, L_LL, L_J, L_Z, L_T, L_BIG_L };

struct spec {
    int flags;
    int width;
    int prec; /* -1: none given */
    int len;
};

struct out {
    rt_put_fn put;
    void *ctx;
    size_t total;
};

static void emit(struct out *o, const char *s, size_t n)
{
    if (n) {
        o->put(o->ctx, s, n);
        o->total += n;
    }
}

static void pad(struct out *o, char c, size_t n)
{
    static const char spaces[] = "                ";
    static const char zeros[] = "0000000000000000";
    const char *src = c == '0' ? zeros : spaces;
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        emit(o, src, k);
        n -= k;
    }
}

/* Emit body (with prefix and zeros before it) in the field width. */
static void field(struct out *o, const struct spec *sp, const char *prefix,
                  size_t plen, size_t zeros, const char *body, size_t blen)
{
    size_t len = plen + zeros + blen;
    size_t fill = (size_t)sp->width > len ? (size_t)sp->width - len : 0;
    if (!(sp->flags & F_MINUS))
        pad(o, ' ', fill);
    emit(o, prefix, plen);
    pad(o, '0', zeros);
    emit(o, body, blen);
    if (sp->flags & F_MINUS)
        pad(o, ' ', fill);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    size_t n = 0;
    if (sp->prec < 0) {
        while (s[n])
            n++;
    } else {
        while (n < (size_t)sp->prec && s[n])
            n++;
    }
    field(o, sp, "", 0, 0, s, n);
}

/* An integer conversion: magnitude mag, sign neg (signed conversions
 * only), in base 8, 10 or 16. */
static void put_int(struct out *o, struct spec *sp, uintmax_t mag, int neg,
                    int is_signed, int base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[sizeof(uintmax_t) * 3];
    size_t n = 0;
    for (uintmax_t v = mag; v; v /= (unsigned)base)
        buf[sizeof buf - ++n] = digits[v % (unsigned)base];
    if (!mag && sp->prec != 0)
        buf[sizeof buf - ++n] = '0';

    char prefix[3];
    size_t plen = 0;
    if (is_signed && neg)
        prefix[plen++] = '-';
    else if (is_signed && (sp->flags & F_PLUS))
        prefix[plen++] = '+';
    else if (is_signed && (sp->flags & F_SPACE))
        prefix[plen++] = ' ';
    if ((sp->flags & F_HASH) && base == 16 && mag) {
        prefix[plen++] = '0';
        prefix[plen++] = upper ? 'X' : 'x';
    }

    size_t zeros = sp->prec > 0 && (size_t)sp->prec > n ? sp->prec - n : 0;
    if ((sp->flags & F_HASH) && base == 8 && !zeros &&
        (!n || buf[sizeof buf - n] != '0'))
        zeros = 1;
    if (sp->prec < 0 && (sp->flags & F_ZERO) && !(sp->flags & F_MINUS) &&
        (size_t)sp->width > plen + n)
        zeros = sp->width - plen - n;
    field(o, sp, prefix, plen, zeros, buf + sizeof buf - n, n);
}

/* A decimal number at *p (advanced past it) into *v; -1 if it exceeds
 * INT_MAX. */
static int parse_num(const char **p, int *v)
{
    long n = 0;
    while (**p >= '0' && **p <= '9') {
        n = n * 10 + (*(*p)++ - '0');
        if (n > INT_MAX)
            return -1;
    }
    *v = (int)n;
    return 0;
}

/* Flags, width, precision and length of the directive after '%' at *p;
 * leaves *p on the conversion character. -1 on a number over INT_MAX. */
static int parse_spec(const char **pp, struct spec *sp, va_list *ap)
{
    const char *p = *pp;
    sp->flags = 0;
    for (;; p++) {
        int f = *p == '-'   ? F_MINUS
                : *p == '+' ? F_PLUS
                : *p == ' ' ? F_SPACE
                : *p == '#' ? F_HASH
                : *p == '0' ? F_ZERO
                            : 0;
        if (!f)
            break;
        sp->flags |= f;
    }
    sp->width = 0;
    if (*p == '*') {
        p++;
        int w = va_arg(*ap, int);
        if (w < 0) {
            if (w == INT_MIN)
                return -1;
            sp->flags |= F_MINUS;
            w = -w;
        }
        sp->width = w;
    } else if (parse_num(&p, &sp->width)) {
        return -1;
    }
    sp->prec = -1;
    if (*p == '.') {
        p++;
        if (*p == '*') {
            p++;
            int pr = va_arg(*ap, int);
            sp->prec = pr < 0 ? -1 : pr;
        } else if (parse_num(&p, &sp->prec)) {
            return -1;
        }
    }
    sp->len = L_NONE;
    switch (*p) {
    case 'h':
        sp->len = p[1] == 'h' ? L_HH : L_H;
        p += sp->len == L_HH ? 2 : 1;
        break;
    case 'l':
        sp->len = p[1] == 'l' ? L_LL : L_L;
        p += sp->len == L_LL ? 2 : 1;
        break;
    case 'j':
        sp->len = L_J;
        p++;
        break;
    case 'z':
        sp->len = L_Z;
        p++;
        break;
    case 't':
        sp->len = L_T;
        p++;
        break;
    case 'L':
        sp->len = L_BIG_L;
        p++;
        break;
    }
    *pp = p;
    return 0;
}

static intmax_t arg_signed(int len, va_list *ap)
{
    switch (len) {
    case L_HH:
        return (signed char)va_arg(*ap, int);
    case L_H:
        return (short)va_arg(*ap, int);
    case L_L:
        return va_arg(*ap, long);
    case L_LL:
        return va_arg(*ap, long long);
    case L_J:
        return va_arg(*ap, intmax_t);
    case L_Z:
    case L_T:
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t arg_unsigned(int len, va_list *ap)
{
    switch (len) {
    case L_HH:
        return (unsigned char)va_arg(*ap, unsigned);
    case L_H:
        return (unsigned short)va_arg(*ap, unsigned);
    case L_L:
        return va_arg(*ap, unsigned long);
    case L_LL:
        return va_arg(*ap, unsigned long long);
    case L_J:
        return va_arg(*ap, uintmax_t);
    case L_Z:
    case L_T:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned);
    }
}

static void store_count(int len, size_t total, va_list *ap)
{
    switch (len) {
    case L_HH:
        *va_arg(*ap, signed char *) = (signed char)total;
        break;
    case L_H:
        *va_arg(*ap, short *) = (short)total;
        break;
    case L_L:
        *va_arg(*ap, long *) = (long)total;
        break;
    case L_LL:
        *va_arg(*ap, long long *) = (long long)total;
        break;
    case L_J:
        *va_arg(*ap, intmax_t *) = (intmax_t)total;
        break;
    case L_Z:
    case L_T:
        *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)total;
        break;
    default:
        *va_arg(*ap, int *) = (int)total;
        break;
    }
}

/* One conversion; returns 0, or -1 for one that is not supported. */
static int convert(struct out *o, struct spec *sp, char c, va_list *ap)
{
    if (sp->len == L_BIG_L)
        return -1;
    switch (c) {
    case 'd':
    case 'i': {
        intmax_t v = arg_signed(sp->len, ap);
        uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
        put_int(o, sp, mag, v < 0, 1, 10, 0);
        return 0;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        int base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
        put_int(o, sp, arg_unsigned(sp->len, ap), 0, 0, base, c == 'X');
        return 0;
    }
    case 'p': {
        void *ptr = va_arg(*ap, void *);
        if (!ptr) {
            if (sp->prec < 5)
                sp->prec = 5;
            put_string(o, sp, "(nil)");
            return 0;
        }
        sp->flags |= F_HASH;
        put_int(o, sp, (uintptr_t)ptr, 0, 1, 16, 0);
        return 0;
    }
    case 'c': {
        if (sp->len != L_NONE)
            return -1;
        char ch = (char)va_arg(*ap, int);
        field(o, sp, "", 0, 0, &ch, 1);
        return 0;
    }
    case 's': {
        if (sp->len != L_NONE)
            return -1;
        const char *s = va_arg(*ap, const char *);
        if (!s)
            s = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
        put_string(o, sp, s);
        return 0;
    }
    case 'n':
        store_count(sp->len, o->total, ap);
        return 0;
    case '%':
        emit(o, "%", 1);
        return 0;
    default:
        return -1;
    }
}

int rt_vformat(rt_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = {put, ctx, 0};
    const char *p = fmt;
    int status = 0;
    va_list args;
    va_copy(args, ap);
    while (*p) {
        const char *lit = p;
        while (*p && *p != '%')
            p++;
        emit(&o, lit, (size_t)(p - lit));
        if (!*p)
            break;
        const char *start = p++;
        struct spec sp;
        if (parse_spec(&p, &sp, &args)) {
            status = -1;
            break;
        }
        if (!*p) {
            emit(&o, start, (size_t)(p - start));
            break;
        }
        if (convert(&o, &sp, *p, &args))
            emit(&o, start, (size_t)(p + 1 - start));
        p++;
    }
    va_end(args);
    return status || o.total > INT_MAX ? -1 : (int)o.total;
}
