/* The request parser checked against an independent one: Debian's
 * libhttp-parser (a test oracle only: it is never linked into an
 * image). Requests come from a generator that writes well-formed ones
 * and, on purpose, each kind of deviation our parser rejects (and
 * remembers which it wrote), and from random mutations of well-formed
 * requests. The rules:
 *   - whatever we accept, the oracle accepts too, with the same method,
 *     target, version, fields and body;
 *   - a generated request the oracle rejects, we reject, unless it uses
 *     an extension method (the oracle knows a fixed list);
 *   - a generated request we reject but the oracle accepts must carry a
 *     deviation the generator wrote on purpose (our stricter rules:
 *     RFC 9112's framing rules against smuggling and the others listed
 *     in http.h).
 * Counts of each outcome are printed. */
#include "../../lib/http/chunked.h"
#include "../../lib/http/parse.h"
#include "test.h"

#include <http_parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rng() % n);
}

/* Deviations the generator writes on purpose. */
enum {
    D_BARE_LF = 1 << 0,
    D_OBS_FOLD = 1 << 1,
    D_CL_TE = 1 << 2,
    D_DUP_CL = 1 << 3,
    D_BAD_TE = 1 << 4,
    D_TE_10 = 1 << 5,
    D_NO_HOST = 1 << 6,
    D_DUP_HOST = 1 << 7,
    D_SPACE_COLON = 1 << 8,
    D_CTL_VALUE = 1 << 9,
    D_TARGET_CHAR = 1 << 10,
    D_VERSION = 1 << 11,
    D_EXPECT = 1 << 12,
    D_BAD_CHUNK = 1 << 13,
    D_EXT_METHOD = 1 << 14, /* the oracle rejects, we accept */
    D_BARE_CR = 1 << 15,
    D_BAD_CL = 1 << 16,
    D_HOST_CHAR = 1 << 17,
};

struct text {
    char buf[1 << 16];
    size_t len;
};

static void add(struct text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n < sizeof t->buf) {
        memcpy(t->buf + t->len, s, n);
        t->len += n;
    }
}

static void addf(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void addf(struct text *t, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    add(t, tmp);
}

static const char pchar[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
                            "XYZ0123456789-._~!$&'()*+,;=:@%";
static const char tchar[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
                            "XYZ0123456789!#$%&'*+-.^_`|~";

static void word(char *out, const char *set, unsigned len)
{
    size_t n = strlen(set);
    for (unsigned i = 0; i < len; i++)
        out[i] = set[pick((unsigned)n)];
    out[len] = '\0';
}

/* A line end: CRLF, or now and then a deviation. */
static const char *eol(unsigned *dev)
{
    if (pick(200) == 0) {
        *dev |= D_BARE_LF;
        return "\n";
    }
    return "\r\n";
}

/* One request into t; returns the deviations written. */
static unsigned generate(struct text *t)
{
    unsigned dev = 0;
    t->len = 0;
    static const char *const methods[] = {"GET",     "POST",  "PUT",
                                          "DELETE",  "PATCH", "OPTIONS",
                                          "CONNECT", "HEAD",  "BREW"};
    const char *method = methods[pick(9)];
    if (strcmp(method, "BREW") == 0)
        dev |= D_EXT_METHOD;
    if (pick(20) == 0)
        add(t, "\r\n");
    add(t, method);
    add(t, " ");
    char w[256];
    if (strcmp(method, "CONNECT") == 0) {
        word(w, "abcdefghij", 1 + pick(10));
        addf(t, "%s.example:%u", w, 1 + pick(65535));
    } else if (strcmp(method, "OPTIONS") == 0 && pick(3) == 0) {
        add(t, "*");
    } else {
        if (pick(5) == 0) {
            word(w, "abcdefghij", 1 + pick(10));
            addf(t, "http://%s.example", w);
        }
        unsigned segs = 1 + pick(4);
        for (unsigned i = 0; i < segs; i++) {
            word(w, pchar, pick(12));
            /* '%' only as pct-encoded */
            for (char *p = w; *p; p++)
                if (*p == '%')
                    *p = 'x';
            addf(t, "/%s", w);
        }
        if (pick(3) == 0) {
            word(w, pchar, pick(20));
            for (char *p = w; *p; p++)
                if (*p == '%')
                    *p = '/';
            addf(t, "?%s", w);
        }
        if (pick(60) == 0) {
            static const char bad[] = "\"<>{}|\\^`";
            char c[2] = {bad[pick(sizeof bad - 1)], 0};
            add(t, c);
            dev |= D_TARGET_CHAR;
        }
    }
    unsigned minor = pick(10) ? 1 : 0;
    if (pick(80) == 0) {
        addf(t, " HTTP/%u.%u", 2 + pick(2), pick(2));
        dev |= D_VERSION;
    } else {
        addf(t, " HTTP/1.%u", minor);
    }
    add(t, eol(&dev));

    /* Host */
    bool host = minor == 1 ? pick(60) != 0 : pick(2) == 0;
    if (minor == 1 && !host)
        dev |= D_NO_HOST;
    if (host) {
        word(w, "abcdefghij", 1 + pick(10));
        if (pick(80) == 0) {
            add(t, "Host: a b\r\n");
            dev |= D_HOST_CHAR;
        } else {
            addf(t, "Host: %s.example%s", w, pick(2) ? ":8080" : "");
            add(t, eol(&dev));
        }
        if (pick(80) == 0) {
            add(t, "Host: again\r\n");
            dev |= D_DUP_HOST;
        }
    }
    /* Other fields */
    unsigned nf = pick(8);
    for (unsigned i = 0; i < nf; i++) {
        char name[40], value[120];
        word(name, tchar, 1 + pick(20));
        unsigned vl = pick(60);
        for (unsigned k = 0; k < vl; k++) {
            unsigned r = pick(100);
            value[k] = r < 5 ? ' ' : r < 7 ? '\t' : (char)(0x21 + pick(94));
        }
        value[vl] = '\0';
        /* a value cannot start or end with whitespace as the oracle and
         * we both trim it differently: keep the ends visible */
        if (vl) {
            value[0] = 'v';
            value[vl - 1] = 'v';
        }
        /* fields whose name means something are left to the framing
         * below */
        if (strcasecmp(name, "host") == 0 ||
            strcasecmp(name, "content-length") == 0 ||
            strcasecmp(name, "transfer-encoding") == 0 ||
            strcasecmp(name, "expect") == 0 ||
            strcasecmp(name, "connection") == 0 ||
            strcasecmp(name, "upgrade") == 0)
            strcpy(name, "X-Other");
        unsigned r = pick(400);
        if (r == 0) {
            addf(t, "%s : %s\r\n", name, value);
            dev |= D_SPACE_COLON;
        } else if (r == 1) {
            addf(t, "%s: %s\r\n folded\r\n", name, value);
            dev |= D_OBS_FOLD;
        } else if (r == 2) {
            addf(t, "%s: a\x01%s\r\n", name, value);
            dev |= D_CTL_VALUE;
        } else if (r == 3) {
            addf(t, "%s: a\rb%s\r\n", name, value);
            dev |= D_BARE_CR;
        } else {
            addf(t, "%s: %s", name, value);
            add(t, eol(&dev));
        }
    }
    if (pick(10) == 0)
        add(t, "Connection: keep-alive\r\n");
    if (pick(40) == 0) {
        bool odd = pick(2);
        add(t, odd ? "Expect: maybe\r\n" : "Expect: 100-continue\r\n");
        if (odd && minor == 1)
            dev |= D_EXPECT;
    }
    if (strcmp(method, "CONNECT") == 0) {
        add(t, "\r\n"); /* what follows would be the tunnel's */
        return dev;
    }

    /* Framing and body */
    unsigned framing = pick(100);
    char body[2048];
    unsigned blen = pick(300);
    word(body, pchar, blen);
    if (framing < 40) {
        add(t, "\r\n");
    } else if (framing < 70) {
        unsigned r = pick(60);
        if (r == 0) {
            addf(t, "Content-Length: %u\r\nContent-Length: %u\r\n", blen, blen);
            dev |= D_DUP_CL;
        } else if (r == 1) {
            addf(t, "Content-Length: +%u\r\n", blen);
            dev |= D_BAD_CL;
        } else if (r == 2) {
            addf(t, "Content-Length: %u\r\nTransfer-Encoding: chunked\r\n",
                 blen);
            dev |= D_CL_TE;
        } else {
            addf(t, "Content-Length: %u\r\n", blen);
        }
        add(t, "\r\n");
        add(t, body);
    } else {
        unsigned r = pick(40);
        if (r == 0) {
            add(t, "Transfer-Encoding: gzip, chunked\r\n");
            dev |= D_BAD_TE;
        } else if (r == 1) {
            add(t, "Transfer-Encoding: chunked, chunked\r\n");
            dev |= D_BAD_TE;
        } else {
            add(t, "Transfer-Encoding: chunked\r\n");
        }
        if (minor == 0)
            dev |= D_TE_10;
        add(t, "\r\n");
        unsigned off = 0;
        while (off < blen) {
            unsigned n = 1 + pick(blen - off);
            unsigned bad = pick(150);
            if (bad == 0) {
                addf(t, "0x%x\r\n", n);
                dev |= D_BAD_CHUNK;
            } else if (bad == 1) {
                addf(t, "%x \r\n", n);
                dev |= D_BAD_CHUNK;
            } else if (bad == 2) {
                addf(t, "%x\n", n);
                dev |= D_BAD_CHUNK;
            } else {
                addf(t, pick(10) ? "%x\r\n" : "%X;ext=v\r\n", n);
            }
            char piece[2048];
            memcpy(piece, body + off, n);
            piece[n] = '\0';
            add(t, piece);
            add(t, "\r\n");
            off += n;
        }
        add(t, "0\r\n");
        if (pick(5) == 0)
            add(t, "Trailer-Field: yes\r\n");
        add(t, "\r\n");
    }
    return dev;
}

/* What a parser made of one request. */
struct result {
    bool ok;
    char why[64]; /* ours: why it was rejected */
    char method[64], target[8192];
    unsigned version;
    char fields[16384]; /* name ": " value "\n" each */
    size_t fields_len;
    char body[4096];
    size_t body_len;
};

static void fields_add(struct result *r, const char *s, size_t n)
{
    if (r->fields_len + n < sizeof r->fields) {
        memcpy(r->fields + r->fields_len, s, n);
        r->fields_len += n;
        r->fields[r->fields_len] = '\0';
    }
}

/* Ours: head, framing, body. */
static void ours(const char *in, size_t len, struct result *r)
{
    static char buf[1 << 16];
    static struct http_field fields[100];
    static struct mirage_http_header hdrs[100];
    memset(r, 0, sizeof *r);
    memcpy(buf, in, len);
    struct http_head p;
    http_head_init(&p, HTTP_PARSE_REQUEST, 32768, 16384, fields, 100);
    long head = http_head_parse(&p, buf, len);
    if (head <= 0) {
        snprintf(r->why, sizeof r->why, "head %ld", head);
        return;
    }
    struct mirage_http_request req = {0};
    int err = http_request_build(&p, buf, hdrs, &req);
    if (err) {
        snprintf(r->why, sizeof r->why, "request %d", err);
        return;
    }
    snprintf(r->method, sizeof r->method, "%s", req.method);
    snprintf(r->target, sizeof r->target, "%s", req.target);
    r->version = req.version;
    for (size_t i = 0; i < req.header_count; i++) {
        fields_add(r, hdrs[i].name, hdrs[i].name_len);
        fields_add(r, ": ", hdrs[i].value_len ? 2 : 1);
        fields_add(r, hdrs[i].value, hdrs[i].value_len);
        fields_add(r, "\n", 1);
    }
    size_t pos = (size_t)head;
    if (req.chunked) {
        struct http_chunked c;
        http_chunked_init(&c);
        while (!http_chunked_done(&c)) {
            size_t data;
            long n = http_chunked_parse(&c, buf + pos, len - pos, &data);
            if (n < 0) {
                snprintf(r->why, sizeof r->why, "chunk at %zu", pos);
                return;
            }
            pos += (size_t)n;
            if (!data && !http_chunked_done(&c)) {
                snprintf(r->why, sizeof r->why, "chunks cut at %zu", pos);
                return;
            }
            if (r->body_len + data > sizeof r->body)
                return;
            memcpy(r->body + r->body_len, buf + pos, data);
            r->body_len += data;
            http_chunked_take(&c, data);
            pos += data;
        }
    } else {
        if ((uint64_t)req.content_length > len - pos ||
            (uint64_t)req.content_length > sizeof r->body)
            return;
        memcpy(r->body, buf + pos, (size_t)req.content_length);
        r->body_len = (size_t)req.content_length;
    }
    r->ok = true;
}

/* The oracle's callbacks gather into the result it points at. */
static struct result *cur;
static bool in_name, in_value, complete, headers_done;

/* The oracle calls no value callback for an empty value. */
static void end_field(void)
{
    if (in_name)
        fields_add(cur, ":", 1);
    if (in_name || in_value)
        fields_add(cur, "\n", 1);
    in_name = in_value = false;
}

static int on_url(http_parser *p, const char *at, size_t n)
{
    (void)p;
    size_t have = strlen(cur->target);
    if (have + n < sizeof cur->target) {
        memcpy(cur->target + have, at, n);
        cur->target[have + n] = '\0';
    }
    return 0;
}

static int on_field(http_parser *p, const char *at, size_t n)
{
    (void)p;
    if (headers_done)
        return 0; /* a trailer field: dropped, as we do */
    if (in_value)
        end_field();
    in_name = true;
    fields_add(cur, at, n);
    return 0;
}

static int on_value(http_parser *p, const char *at, size_t n)
{
    (void)p;
    if (headers_done)
        return 0;
    if (!in_value) {
        fields_add(cur, ": ", 2);
        in_name = false;
        in_value = true;
    }
    fields_add(cur, at, n);
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    (void)p;
    end_field();
    headers_done = true;
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    (void)p;
    if (cur->body_len + n <= sizeof cur->body) {
        memcpy(cur->body + cur->body_len, at, n);
        cur->body_len += n;
    }
    return 0;
}

static int on_complete(http_parser *p)
{
    complete = true;
    http_parser_pause(p, 1);
    return 0;
}

static void oracle(const char *in, size_t len, struct result *r)
{
    static http_parser_settings settings = {
        .on_url = on_url,
        .on_header_field = on_field,
        .on_header_value = on_value,
        .on_headers_complete = on_headers_complete,
        .on_body = on_body,
        .on_message_complete = on_complete,
    };
    memset(r, 0, sizeof *r);
    cur = r;
    in_name = in_value = complete = headers_done = false;
    http_parser p;
    http_parser_init(&p, HTTP_REQUEST);
    http_parser_execute(&p, &settings, in, len);
    enum http_errno e = HTTP_PARSER_ERRNO(&p);
    if ((e != HPE_OK && e != HPE_PAUSED) || !complete)
        return;
    snprintf(r->method, sizeof r->method, "%s",
             http_method_str((enum http_method)p.method));
    r->version = p.http_major == 1 && p.http_minor == 0 ? 10 : 11;
    r->ok = true;
}

/* The oracle keeps a value's trailing whitespace: trim it, as RFC 9110
 * §5.5 asks (we do). */
static void trim_values(struct result *r)
{
    char out[sizeof r->fields];
    size_t n = 0;
    for (size_t i = 0; i < r->fields_len; i++) {
        if (r->fields[i] == '\n')
            while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
                n--;
        out[n++] = r->fields[i];
    }
    memcpy(r->fields, out, n);
    r->fields_len = n;
    r->fields[n] = '\0';
}

/* Whether the oracle knows the method (it rejects the others). */
static bool oracle_knows(const char *method)
{
    for (int m = 0; m < 64; m++)
        if (strcmp(http_method_str((enum http_method)m), method) == 0)
            return true;
    return false;
}

/* Where the oracle departs from RFC 9110/9112 and rejects what is
 * valid, seen in the mutated requests: it takes a field whose name
 * merely starts with one it knows (e.g. "Transfer-Encodinga") for that
 * one, and it refuses HTAB (which is OWS) around a Content-Length
 * value. Whether the fields (as "name: value\n" lines) or the raw text
 * show one of these. */
static bool oracle_quirk(const char *fields, const char *text, size_t len)
{
    for (size_t i = 0; i + 16 < len; i++)
        if ((i == 0 || text[i - 1] == '\n') &&
            strncasecmp(text + i, "content-length:", 15) == 0) {
            const char *end = memchr(text + i, '\n', len - i);
            if (memchr(text + i, '\t', (end ? (size_t)(end - text) : len) - i))
                return true;
        }
    static const char *const known[] = {"transfer-encoding", "content-length",
                                        "connection", "upgrade",
                                        "proxy-connection"};
    for (const char *line = fields; *line;) {
        size_t name = strcspn(line, ":");
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            size_t n = strlen(known[k]);
            if (name > n && strncasecmp(line, known[k], n) == 0)
                return true;
        }
        line += strcspn(line, "\n");
        line += *line == '\n';
    }
    return false;
}

static const char *same(const struct result *a, const struct result *b)
{
    if (strcmp(a->method, b->method))
        return "method";
    if (strcmp(a->target, b->target))
        return "target";
    if (a->version != b->version)
        return "version";
    if (strcmp(a->fields, b->fields))
        return "fields";
    if (a->body_len != b->body_len || memcmp(a->body, b->body, a->body_len))
        return "body";
    return NULL;
}

static void show(const char *what, const char *in, size_t len)
{

    printf("  %s:\n    ", what);
    for (size_t i = 0; i < len && i < 600; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\n')
            printf("\\n\n    ");
        else if (c == '\r')
            printf("\\r");
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    printf("\n");
}

static struct text t;
static struct result a, b;

TEST(differential_generated)
{
    unsigned both = 0, neither = 0, stricter = 0, ext = 0;
    for (int i = 0; i < 100000; i++) {
        unsigned dev = generate(&t);
        ours(t.buf, t.len, &a);
        oracle(t.buf, t.len, &b);
        trim_values(&b);
        if (a.ok && b.ok) {
            const char *diff = same(&a, &b);
            if (diff) {
                show(diff, t.buf, t.len);
                printf("  ours:\n%s\n  oracle:\n%s\n", a.fields, b.fields);
                test_fail(__FILE__, __LINE__, "case %d: %s differs", i, diff);
                return;
            }
            both++;
        } else if (a.ok && !b.ok) {
            if (!(dev & D_EXT_METHOD)) {
                show("accepted by us only", t.buf, t.len);
                test_fail(__FILE__, __LINE__, "case %d", i);
                return;
            }
            ext++;
        } else if (!a.ok && b.ok) {
            if (!(dev & ~(unsigned)D_EXT_METHOD)) {
                show(a.why, t.buf, t.len);
                test_fail(__FILE__, __LINE__, "case %d", i);
                return;
            }
            stricter++;
        } else {
            neither++;
        }
    }
    printf("  100000 generated: %u accepted alike, %u rejected by both, %u "
           "rejected by us for a deviation, %u extension methods\n",
           both, neither, stricter, ext);
    CHECK(both > 50000 && stricter > 100 && neither > 100);
}

TEST(differential_mutated)
{
    unsigned both = 0, ours_only_rejects = 0, rejected = 0, quirks = 0;
    for (int i = 0; i < 100000; i++) {
        generate(&t);
        /* a few byte changes, insertions and deletions */
        unsigned m = 1 + pick(4);
        for (unsigned k = 0; k < m && t.len > 2; k++) {
            size_t at = pick((unsigned)t.len);
            static const char interesting[] = "\r\n \t:;,\0\x7f\x80-0aA";
            char c = pick(2) ? interesting[pick(sizeof interesting - 1)]
                             : (char)pick(256);
            switch (pick(3)) {
            case 0:
                t.buf[at] = c;
                break;
            case 1:
                if (t.len + 1 < sizeof t.buf) {
                    memmove(t.buf + at + 1, t.buf + at, t.len - at);
                    t.buf[at] = c;
                    t.len++;
                }
                break;
            default:
                memmove(t.buf + at, t.buf + at + 1, t.len - at - 1);
                t.len--;
            }
        }
        ours(t.buf, t.len, &a);
        oracle(t.buf, t.len, &b);
        trim_values(&b);
        if (a.ok && (!b.ok || same(&a, &b))) {
            if (!b.ok && (!oracle_knows(a.method) ||
                          oracle_quirk(a.fields, t.buf, t.len))) {
                quirks++;
                continue;
            }
            show(b.ok ? same(&a, &b) : "accepted by us only", t.buf, t.len);
            test_fail(__FILE__, __LINE__, "mutation %d", i);
            return;
        }
        if (a.ok)
            both++;
        else if (b.ok)
            ours_only_rejects++;
        else
            rejected++;
    }
    printf("  100000 mutated: %u accepted alike, %u rejected by both, %u "
           "rejected by us only, %u rejected by the oracle only (extension "
           "methods, its quirks)\n",
           both, rejected, ours_only_rejects, quirks);
    CHECK(both > 1000 && rejected > 1000);
}

int main(void)
{
    return test_main();
}
