/* The tar scanner (tar.h). Header layout (POSIX ustar, GNU): name 0..99,
 * mode 100, uid 108, gid 116, size 124..135, mtime 136..147, checksum
 * 148..155, type 156, linkname 157..256, magic 257..262, version 263,
 * prefix 345..499 (ustar only; GNU's own format keeps other fields
 * there). Numbers are octal text, or base-256 when the first byte has its
 * top bit set. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define LONG_NAME_MAX  (MIRAGE_KV_KEY_MAX + 1024) /* 'L' and 'K' data */
#define PAX_HEADER_MAX (1024 * 1024)

/* Extended attributes from pax headers or GNU long names; NULL/unset
 * fields are absent. */
struct attrs {
    char *path, *linkpath;
    bool has_size, has_mtime;
    uint64_t size, mtime_ns;
};

struct scan {
    tar_read_fn read;
    void *ctx;
    uint64_t size;
    char *msg;
    size_t msglen;
    struct attrs next;   /* for the next member: 'x', 'L', 'K' */
    struct attrs global; /* for every later member: 'g' */
};

static void attrs_clear(struct attrs *a)
{
    free(a->path);
    free(a->linkpath);
    *a = (struct attrs){0};
}

__attribute__((format(printf, 3, 4))) static int fail(struct scan *s, int err,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, s->msglen, fmt, ap);
    va_end(ap);
    return err;
}

/* Parse a numeric header field of n bytes: octal digits, optionally led
 * by spaces and ended by a space or NUL (all NULs or spaces: 0), or
 * base-256. 0 or -1 (malformed, negative or over 64 bits). */
static int parse_number(const unsigned char *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return -1; /* negative, or more than 64 bits */
        for (size_t i = 1; i < n; i++) {
            if (v >> 56)
                return -1;
            v = v << 8 | f[i];
        }
        *out = v;
        return 0;
    }
    size_t i = 0;
    while (i < n && f[i] == ' ')
        i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 61)
            return -1;
        v = v << 3 | (uint64_t)(f[i] - '0');
    }
    for (; i < n; i++)
        if (f[i] != ' ' && f[i] != '\0')
            return -1;
    *out = v;
    return 0;
}

/* Whether the header's checksum field matches its bytes, summed as
 * unsigned (POSIX) or signed (some old writers) chars. */
static bool checksum_ok(const unsigned char *h)
{
    uint64_t want;
    if (parse_number(h + 148, 8, &want) != 0)
        return false;
    uint64_t usum = 0;
    int64_t ssum = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++) {
        unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];
        usum += c;
        ssum += (signed char)c;
    }
    return usum == want || (ssum >= 0 && (uint64_t)ssum == want);
}

static bool all_zero(const unsigned char *h)
{
    for (size_t i = 0; i < TAR_BLOCK; i++)
        if (h[i])
            return false;
    return true;
}

/* A copy of the n-byte field at f up to its first NUL; NULL: no memory. */
static char *field(const void *f, size_t n)
{
    const char *e = memchr(f, '\0', n);
    return strndup(f, e ? (size_t)(e - (const char *)f) : n);
}

/* Normalise a member name in place: drop empty and "." segments and a
 * leading '/'. 0, or an error for ".." or a name beyond the key limits. */
static int clean_name(struct scan *s, char *name, uint64_t at)
{
    size_t out = 0;
    char *p = name;
    while (*p) {
        while (*p == '/')
            p++;
        size_t seg = strcspn(p, "/");
        if (seg == 0 || (seg == 1 && p[0] == '.')) {
            p += seg;
            continue;
        }
        if (seg == 2 && p[0] == '.' && p[1] == '.')
            return fail(s, MIRAGE_EBADF,
                        "tar member at offset %llu: name has '..'",
                        (unsigned long long)at);
        if (seg > MIRAGE_KV_SEGMENT_MAX ||
            out + (out > 0) + seg > MIRAGE_KV_KEY_MAX)
            return fail(s, MIRAGE_ENAMETOOLONG,
                        "tar member at offset %llu: name too long",
                        (unsigned long long)at);
        if (out > 0)
            name[out++] = '/';
        memmove(name + out, p, seg);
        out += seg;
        p += seg;
    }
    name[out] = '\0';
    return 0;
}

/* Read the data of a special member (n bytes at offset) into a new
 * NUL-terminated buffer. */
static int read_data(struct scan *s, uint64_t offset, uint64_t n, char **out)
{
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return MIRAGE_ENOMEM;
    int err = n ? s->read(s->ctx, offset, buf, (size_t)n) : 0;
    if (err) {
        free(buf);
        return fail(s, err, "tar: cannot read the archive at offset %llu",
                    (unsigned long long)offset);
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

/* Parse a decimal number of n bytes at p (pax); an optional fraction
 * ("1700000000.25") is taken as nanoseconds when ns is given. */
static int parse_decimal(const char *p, size_t n, uint64_t *out, bool ns)
{
    uint64_t v = 0;
    size_t i = 0;
    if (n == 0)
        return -1;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    if (i == 0)
        return -1;
    uint64_t frac = 0;
    if (ns) {
        if (v > UINT64_MAX / 1000000000u)
            return -1;
        if (i < n && p[i] == '.') {
            uint64_t scale = 100000000u;
            for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
                frac += (uint64_t)(p[i] - '0') * scale;
                scale /= 10;
            }
        }
        v = v * 1000000000u + frac;
    }
    if (i != n)
        return -1;
    *out = v;
    return 0;
}

/* Apply the pax records of buf (len bytes) to a: "LEN KEY=VALUE\n" with
 * LEN the record's length in decimal, itself included. */
static int parse_pax(struct scan *s, const char *buf, size_t len,
                     struct attrs *a, uint64_t at)
{
    size_t pos = 0;
    while (pos < len) {
        size_t i = pos, rec = 0;
        while (i < len && buf[i] >= '0' && buf[i] <= '9' && rec <= len)
            rec = rec * 10 + (size_t)(buf[i++] - '0');
        /* The shortest record is "N k=\n". */
        const char *eq = NULL, *sp = buf + i, *end = NULL;
        if (i > pos && i < len && *sp == ' ' && rec <= len - pos &&
            rec >= i - pos + 4) {
            end = buf + pos + rec - 1;
            if (*end == '\n')
                eq = memchr(sp + 1, '=', (size_t)(end - sp - 1));
        }
        if (!eq || eq == sp + 1)
            return fail(s, MIRAGE_EBADF,
                        "tar pax header at offset %llu: malformed record",
                        (unsigned long long)at);
        const char *key = sp + 1, *val = eq + 1;
        size_t klen = (size_t)(eq - key), vlen = (size_t)(end - val);
        bool bad = false;
        char **str = NULL;
        if (klen == 4 && memcmp(key, "path", 4) == 0)
            str = &a->path;
        else if (klen == 8 && memcmp(key, "linkpath", 8) == 0)
            str = &a->linkpath;
        else if (klen == 4 && memcmp(key, "size", 4) == 0)
            bad = parse_decimal(val, vlen, &a->size, false) != 0 ||
                  !(a->has_size = true);
        else if (klen == 5 && memcmp(key, "mtime", 5) == 0)
            bad = parse_decimal(val, vlen, &a->mtime_ns, true) != 0 ||
                  !(a->has_mtime = true);
        if (str) {
            bad = memchr(val, '\0', vlen) != NULL;
            if (!bad) {
                free(*str);
                if (!(*str = strndup(val, vlen)))
                    return MIRAGE_ENOMEM;
            }
        }
        if (bad)
            return fail(s, MIRAGE_EBADF,
                        "tar pax header at offset %llu: bad value for "
                        "'%.*s'",
                        (unsigned long long)at, (int)klen, key);
        pos += rec;
    }
    return 0;
}

/* The member's name or link target: the pending attribute, else the
 * global one, else the header field (with the ustar prefix for names). */
static char *pick(const char *next, const char *global, const char *f, size_t n,
                  const unsigned char *prefix)
{
    if (next)
        return strdup(next);
    if (global)
        return strdup(global);
    char *name = field(f, n);
    if (!name || !prefix || !prefix[0])
        return name;
    char *pre = field(prefix, 155);
    char *full = pre ? malloc(strlen(pre) + 1 + strlen(name) + 1) : NULL;
    if (full)
        sprintf(full, "%s/%s", pre, name);
    free(pre);
    free(name);
    return full;
}

/* Report one ordinary member from header h at `at`. */
static int member(struct scan *s, const unsigned char *h, uint64_t at,
                  enum tar_kind kind, uint64_t size, uint64_t mtime,
                  tar_member_fn emit)
{
    bool ustar = memcmp(h + 257, "ustar\0", 6) == 0;
    char *name = pick(s->next.path, s->global.path, (const char *)h, 100,
                      ustar ? h + 345 : NULL);
    char *link = kind == TAR_HARDLINK
                     ? pick(s->next.linkpath, s->global.linkpath,
                            (const char *)h + 157, 100, NULL)
                     : NULL;
    int err = 0;
    if (!name || (kind == TAR_HARDLINK && !link))
        err = MIRAGE_ENOMEM;
    if (!err)
        err = clean_name(s, name, at);
    if (!err && link)
        err = clean_name(s, link, at);
    if (!err && name[0]) {
        struct tar_member m = {
            .kind = kind,
            .name = name,
            .link = link,
            .offset = at + TAR_BLOCK,
            .size = kind == TAR_FILE ? size : 0,
            .mtime_ns = mtime,
            .header_at = at,
        };
        err = emit(s->ctx, &m, s->msg, s->msglen);
    }
    free(name);
    free(link);
    return err;
}

/* Handle the header h at `at` whose data (size bytes) follows it. */
static int header(struct scan *s, const unsigned char *h, uint64_t at,
                  uint64_t size, tar_member_fn emit)
{
    uint64_t mtime;
    if (parse_number(h + 136, 12, &mtime) != 0 ||
        mtime > UINT64_MAX / 1000000000u)
        return fail(s, MIRAGE_EBADF,
                    "tar header at offset %llu: bad mtime field",
                    (unsigned long long)at);
    mtime *= 1000000000u;
    uint64_t data = at + TAR_BLOCK;
    char type = (char)h[156];
    char *text = NULL;
    int err = 0;
    switch (type) {
    case 'L':
    case 'K':
        if (size > LONG_NAME_MAX)
            return fail(s, MIRAGE_ENAMETOOLONG,
                        "tar GNU long name at offset %llu: %llu bytes",
                        (unsigned long long)at, (unsigned long long)size);
        if ((err = read_data(s, data, size, &text)) != 0)
            return err;
        char **slot = type == 'L' ? &s->next.path : &s->next.linkpath;
        free(*slot);
        *slot = text;
        return 0;
    case 'x':
    case 'g':
        if (size > PAX_HEADER_MAX)
            return fail(s, MIRAGE_EBADF,
                        "tar pax header at offset %llu: %llu bytes is too "
                        "large",
                        (unsigned long long)at, (unsigned long long)size);
        if ((err = read_data(s, data, size, &text)) != 0)
            return err;
        err = parse_pax(s, text, (size_t)size,
                        type == 'x' ? &s->next : &s->global, at);
        free(text);
        return err;
    case 'S':
    case 'M':
        return fail(s, MIRAGE_ENOTSUP,
                    "tar member at offset %llu: GNU %s members are not "
                    "supported",
                    (unsigned long long)at,
                    type == 'S' ? "sparse" : "multi-volume");
    }
    const struct attrs *mt = s->next.has_mtime     ? &s->next
                             : s->global.has_mtime ? &s->global
                                                   : NULL;
    if (mt)
        mtime = mt->mtime_ns;
    switch (type) {
    case '1':
        err = member(s, h, at, TAR_HARDLINK, size, mtime, emit);
        break;
    case '2': /* symbolic link */
    case '3': /* character device */
    case '4': /* block device */
    case '6': /* FIFO */
    case 'V': /* volume label */
        break;
    case '5':
        err = member(s, h, at, TAR_DIR, size, mtime, emit);
        break;
    default: /* '0', '\0', '7' and, as POSIX asks, unknown types */
        err = member(s, h, at, TAR_FILE, size, mtime, emit);
        break;
    }
    attrs_clear(&s->next);
    return err;
}

static int scan(struct scan *s, tar_member_fn emit)
{
    unsigned char h[TAR_BLOCK];
    uint64_t at = 0;
    while (at < s->size) {
        if (s->size - at < TAR_BLOCK)
            return fail(s, MIRAGE_EBADF, "tar header at offset %llu: truncated",
                        (unsigned long long)at);
        int err = s->read(s->ctx, at, h, TAR_BLOCK);
        if (err)
            return fail(s, err, "tar: cannot read the archive at offset %llu",
                        (unsigned long long)at);
        if (all_zero(h))
            return 0; /* end of archive */
        if (!checksum_ok(h))
            return fail(s, MIRAGE_EBADF,
                        "tar header at offset %llu: bad checksum",
                        (unsigned long long)at);
        uint64_t size;
        if (parse_number(h + 124, 12, &size) != 0)
            return fail(s, MIRAGE_EBADF,
                        "tar header at offset %llu: bad size field",
                        (unsigned long long)at);
        /* Pax sizes apply to the member the 'x'/'g' header precedes. */
        char type = (char)h[156];
        bool special = type == 'x' || type == 'g' || type == 'L' || type == 'K';
        if (!special && s->next.has_size)
            size = s->next.size;
        else if (!special && s->global.has_size)
            size = s->global.size;
        /* Directories, links and devices carry no data. */
        if (type == '1' || type == '2' || type == '3' || type == '4' ||
            type == '5' || type == '6')
            size = 0;
        uint64_t left = s->size - at - TAR_BLOCK;
        if (size > left)
            return fail(s, MIRAGE_EBADF,
                        "tar member at offset %llu: data truncated (%llu "
                        "bytes, %llu left)",
                        (unsigned long long)at, (unsigned long long)size,
                        (unsigned long long)left);
        err = header(s, h, at, size, emit);
        if (err)
            return err;
        uint64_t padded = size + (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
        if (padded > left)
            padded = left; /* the padding of the very last member */
        at += TAR_BLOCK + padded;
    }
    return 0;
}

int tar_scan(tar_read_fn read, tar_member_fn emit, void *ctx, uint64_t size,
             char *msg, size_t msglen)
{
    struct scan s = {
        .read = read, .ctx = ctx, .size = size, .msg = msg, .msglen = msglen};
    if (msglen)
        msg[0] = '\0';
    int err = scan(&s, emit);
    if (err && msglen && !msg[0])
        snprintf(msg, msglen, "tar: %s", mirage_strerror(err));
    attrs_clear(&s.next);
    attrs_clear(&s.global);
    return err;
}
