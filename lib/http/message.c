/* The meaning of a parsed head (parse.h): the request line's parts, the
 * framing fields checked against request smuggling (RFC 9112 §6), Host,
 * Connection and Expect; the framing of a response; field lookup and
 * list helpers (http.h). */
#include "parse.h"

#include <string.h>

/* Walk a comma-separated list (RFC 9110 §5.6.1): the next element at *s,
 * its whitespace trimmed, in *tok and *len; empty elements are skipped.
 * false at the end. */
static bool list_next(const char **s, const char **tok, size_t *len)
{
    const char *p = *s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            return false;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *last = end;
        while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
            last--;
        *s = end;
        *tok = p;
        *len = (size_t)(last - p);
        return true;
    }
}

bool mirage_http_list_has(const char *list, const char *token)
{
    const char *tok;
    size_t len;
    while (list_next(&list, &tok, &len))
        if (http_token_eq(tok, len, token))
            return true;
    return false;
}

const char *mirage_http_header_get(const struct mirage_http_header *h, size_t n,
                                   const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (h[i].name_len == len && http_token_eq(h[i].name, len, name))
            return h[i].value;
    return NULL;
}

/* 1*DIGIT, at most 18 digits: the value, or -1. */
static int64_t parse_length(const char *s, size_t len)
{
    if (len == 0 || len > 18)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* NUL-terminate the fields in buf and point hdrs at them. */
static void build_fields(const struct http_head *p, char *buf,
                         struct mirage_http_header *hdrs)
{
    for (unsigned i = 0; i < p->n_fields; i++) {
        const struct http_field *f = &p->fields[i];
        buf[f->name + f->name_len] = '\0';
        buf[f->value + f->value_len] = '\0';
        hdrs[i] = (struct mirage_http_header){buf + f->name, buf + f->value,
                                              f->name_len, f->value_len};
    }
}

static const struct {
    const char *name;
    enum mirage_http_method id;
} methods[] = {
    {"GET", MIRAGE_HTTP_GET},       {"HEAD", MIRAGE_HTTP_HEAD},
    {"POST", MIRAGE_HTTP_POST},     {"PUT", MIRAGE_HTTP_PUT},
    {"DELETE", MIRAGE_HTTP_DELETE}, {"OPTIONS", MIRAGE_HTTP_OPTIONS},
    {"TRACE", MIRAGE_HTTP_TRACE},   {"CONNECT", MIRAGE_HTTP_CONNECT},
    {"PATCH", MIRAGE_HTTP_PATCH},
};

/* Methods are case-sensitive (RFC 9110 §9.1). */
static enum mirage_http_method method_id(const char *m)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(m, methods[i].name) == 0)
            return methods[i].id;
    return MIRAGE_HTTP_OTHER;
}

/* Split the target into path and query: 0 or -400. */
static int split_target(struct mirage_http_request *req)
{
    const char *t = req->target;
    if (req->method_id == MIRAGE_HTTP_CONNECT) {
        /* authority-form (RFC 9112 §3.2.3) */
        if (t[0] == '/' || strchr(t, '/') || !strchr(t, ':'))
            return -400;
        req->path = t;
        req->path_len = strlen(t);
        return 0;
    }
    if (t[0] == '*' && !t[1]) {
        if (req->method_id != MIRAGE_HTTP_OPTIONS)
            return -400;
        req->path = t;
        req->path_len = 1;
        return 0;
    }
    if (t[0] != '/') {
        /* absolute-form (RFC 9112 §3.2.2), of an http or https URI */
        const char *sep = strstr(t, "://");
        if (!sep || !(http_token_eq(t, (size_t)(sep - t), "http") ||
                      http_token_eq(t, (size_t)(sep - t), "https")))
            return -400;
        t = sep + 3 + strcspn(sep + 3, "/?");
        if (*t != '/') {
            req->path = "/";
            req->path_len = 1;
            req->query = *t == '?' ? t + 1 : NULL;
            return 0;
        }
    }
    req->path = t;
    req->path_len = strcspn(t, "?");
    req->query = t[req->path_len] == '?' ? t + req->path_len + 1 : NULL;
    return 0;
}

/* A Host value: reg-name, IP-literal or IPv4 with an optional port. */
static bool host_ok(const char *v)
{
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("-._~!$&'()*+;=:[]%", c)))
            return false;
    }
    return true;
}

/* The transfer codings of every Transfer-Encoding field: 0 when chunked
 * is last and alone, or minus the status (400: chunked not last, twice,
 * empty; 501: another coding). *chunked_last is set for responses. */
static int transfer_codings(const struct mirage_http_header *h, size_t n,
                            bool *present, bool *chunked_last)
{
    unsigned chunked = 0, codings = 0;
    *present = *chunked_last = false;
    for (size_t i = 0; i < n; i++) {
        if (!http_token_eq(h[i].name, h[i].name_len, "transfer-encoding"))
            continue;
        *present = true;
        const char *s = h[i].value, *tok;
        size_t len;
        unsigned here = 0, commas = 0;
        while (list_next(&s, &tok, &len)) {
            here++;
            *chunked_last = http_token_eq(tok, len, "chunked");
            chunked += *chunked_last;
        }
        for (s = h[i].value; *s; s++)
            commas += *s == ',';
        /* Empty elements are legal in lists, but a framing field that
         * an intermediary might read differently is refused. */
        if (here != commas + 1)
            return -400;
        codings += here;
    }
    if (!*present)
        return 0;
    if (codings == 0 || chunked > 1 || !*chunked_last)
        return -400;
    return codings > 1 ? -501 : 0;
}

int http_request_build(const struct http_head *p, char *buf,
                       struct mirage_http_header *hdrs,
                       struct mirage_http_request *req)
{
    char *base = buf;
    base[p->start + p->method_len] = '\0';
    base[p->target_start + p->target_len] = '\0';
    build_fields(p, buf, hdrs);
    struct mirage_http_conn *conn = req->conn;
    *req = (struct mirage_http_request){
        .method = base + p->start,
        .target = base + p->target_start,
        .version = p->version,
        .headers = hdrs,
        .header_count = p->n_fields,
        .conn = conn,
    };
    req->method_id = method_id(req->method);
    if (split_target(req))
        return -400;

    bool have_length = false, close = false, keep = false;
    unsigned hosts = 0;
    for (unsigned i = 0; i < p->n_fields; i++) {
        const struct mirage_http_header *h = &hdrs[i];
        if (http_token_eq(h->name, h->name_len, "content-length")) {
            int64_t v = parse_length(h->value, h->value_len);
            if (have_length || v < 0)
                return -400;
            have_length = true;
            req->content_length = v;
        } else if (http_token_eq(h->name, h->name_len, "host")) {
            if (++hosts > 1 || !host_ok(h->value))
                return -400;
        } else if (http_token_eq(h->name, h->name_len, "connection")) {
            close |= mirage_http_list_has(h->value, "close");
            keep |= mirage_http_list_has(h->value, "keep-alive");
        } else if (http_token_eq(h->name, h->name_len, "expect") &&
                   p->version >= 11) {
            if (!http_token_eq(h->value, h->value_len, "100-continue"))
                return -417;
            req->expect_continue = true;
        }
    }
    bool te, chunked_last;
    int err = transfer_codings(hdrs, p->n_fields, &te, &chunked_last);
    if (te && (have_length || p->version < 11))
        return -400; /* RFC 9112 §6.1, §6.3: smuggling */
    if (err)
        return err;
    if (te) {
        req->chunked = true;
        req->content_length = -1;
    }
    if (p->version >= 11 && hosts == 0)
        return -400; /* RFC 9112 §3.2 */
    req->keep_alive = p->version >= 11 ? !close : keep && !close;
    return 0;
}

int http_response_build(const struct http_head *p, char *buf,
                        struct mirage_http_header *hdrs,
                        struct mirage_http_response *resp, bool head_request,
                        struct http_framing *framing)
{
    buf[p->reason_start + p->reason_len] = '\0';
    build_fields(p, buf, hdrs);
    resp->status = p->status;
    resp->version = p->version;
    resp->reason = buf + p->reason_start;
    resp->headers = hdrs;
    resp->header_count = p->n_fields;
    *framing = (struct http_framing){.length = -1};
    bool te, chunked_last;
    int err = transfer_codings(hdrs, p->n_fields, &te, &chunked_last);
    int64_t length = -1;
    for (unsigned i = 0; i < p->n_fields; i++) {
        const struct mirage_http_header *h = &hdrs[i];
        if (!http_token_eq(h->name, h->name_len, "content-length"))
            continue;
        /* Repeated identical values (also as a list) are one length. */
        const char *s = h->value, *tok;
        size_t len;
        bool any = false;
        while (list_next(&s, &tok, &len)) {
            int64_t v = parse_length(tok, len);
            if (v < 0 || (length >= 0 && v != length))
                return -400;
            length = v;
            any = true;
        }
        if (!any)
            return -400;
    }
    if (head_request || p->status < 200 || p->status == 204 ||
        p->status == 304) {
        framing->length = 0;
        return 0;
    }
    if (te) {
        /* Transfer-Encoding overrides Content-Length (RFC 9112 §6.3).
         * Only chunked alone is decoded: other codings are refused. */
        if (err)
            return -400;
        framing->chunked = true;
        return 0;
    }
    if (length >= 0)
        framing->length = length;
    else
        framing->until_close = true;
    return 0;
}
