/* Static files from a kv_ro store (http.h): the path to key mapping,
 * the cache of metadata and small values (least recently used dropped
 * first; entries being sent are never dropped), conditional and range
 * requests, and streaming of large values. */
#include "conditional.h"
#include "parse.h"

#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_src, "http.static", "Static files over HTTP");

#define BUCKETS 256
/* Large values are sent in pieces of this size. */
#define PIECE (64 * 1024)
/* Entries kept at most (metadata of large values counts too). */
#define ENTRIES_MAX 4096

struct entry {
    struct entry *hnext, *prev, *next; /* hash chain; LRU list */
    unsigned users;                    /* responses sending it now */
    bool dir;                          /* a dictionary */
    uint64_t size, mtime;              /* mtime: seconds, 0 unknown */
    const char *type;
    char etag[19]; /* "\"" 16 hex digits "\"" */
    char date[MIRAGE_HTTP_DATE_LEN + 1];
    char *data; /* the value, when cached */
    char key[];
};

struct mirage_http_static {
    struct mirage_kv_ro *kv;
    struct mirage_http_static_config cfg;
    struct entry *buckets[BUCKETS];
    struct entry *lru_head, *lru_tail; /* most recent first */
    size_t bytes, entries;
};

int mirage_http_static_create(struct mirage_kv_ro *kv,
                              const struct mirage_http_static_config *c,
                              struct mirage_http_static **out)
{
    struct mirage_http_static *s = calloc(1, sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    s->kv = kv;
    s->cfg =
        (struct mirage_http_static_config){"index.html", 4 << 20, 256 << 10};
    if (c && c->index)
        s->cfg.index = c->index;
    if (c && c->cache_max)
        s->cfg.cache_max = c->cache_max;
    if (c && c->cache_file_max)
        s->cfg.cache_file_max = c->cache_file_max;
    *out = s;
    return 0;
}

static unsigned hash(const char *k)
{
    unsigned h = 2166136261u;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 16777619u;
    return h % BUCKETS;
}

static void lru_unlink(struct mirage_http_static *s, struct entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        s->lru_head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        s->lru_tail = e->prev;
}

static void lru_front(struct mirage_http_static *s, struct entry *e)
{
    e->prev = NULL;
    e->next = s->lru_head;
    if (s->lru_head)
        s->lru_head->prev = e;
    else
        s->lru_tail = e;
    s->lru_head = e;
}

static size_t cost(const struct entry *e)
{
    return sizeof *e + strlen(e->key) + (e->data ? e->size : 0);
}

static void drop(struct mirage_http_static *s, struct entry *e)
{
    struct entry **p = &s->buckets[hash(e->key)];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    lru_unlink(s, e);
    s->bytes -= cost(e);
    s->entries--;
    free(e->data);
    free(e);
}

/* Drop least recently used entries not being sent until `need` more
 * bytes and one more entry fit. */
static void make_room(struct mirage_http_static *s, size_t need)
{
    struct entry *e = s->lru_tail;
    while (e &&
           (s->bytes + need > s->cfg.cache_max || s->entries >= ENTRIES_MAX)) {
        struct entry *prev = e->prev;
        if (!e->users)
            drop(s, e);
        e = prev;
    }
}

static struct entry *find(struct mirage_http_static *s, const char *key)
{
    for (struct entry *e = s->buckets[hash(key)]; e; e = e->hnext)
        if (strcmp(e->key, key) == 0) {
            lru_unlink(s, e);
            lru_front(s, e);
            return e;
        }
    return NULL;
}

/* The tag of a large value: FNV-1a over its key, size and time. */
static void large_tag(const char *key, uint64_t size, uint64_t ns,
                      uint8_t out[8])
{
    uint64_t h = 14695981039346656037ull;
    for (const char *k = key; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    for (int i = 0; i < 64; i += 8)
        h = (h ^ ((size >> i) & 0xff)) * 1099511628211ull;
    for (int i = 0; i < 64; i += 8)
        h = (h ^ ((ns >> i) & 0xff)) * 1099511628211ull;
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(h >> (56 - 8 * i));
}

/* Read the metadata (and a small value) of key from the store into a
 * new entry. May yield. */
static int load(struct mirage_http_static *s, const char *key,
                struct entry **out)
{
    enum mirage_kv_kind kind;
    int err = mirage_kv_ro_exists(s->kv, key, &kind);
    if (err)
        return err;
    if (kind == MIRAGE_KV_ABSENT)
        return MIRAGE_ENOENT;
    size_t klen = strlen(key);
    struct entry *e = calloc(1, sizeof *e + klen + 1);
    if (!e)
        return MIRAGE_ENOMEM;
    memcpy(e->key, key, klen + 1);
    e->dir = kind == MIRAGE_KV_DICTIONARY;
    if (!e->dir) {
        uint8_t digest[MIRAGE_KV_DIGEST_SIZE];
        uint64_t ns = 0;
        err = mirage_kv_ro_size(s->kv, key, &e->size);
        if (!err)
            err = mirage_kv_ro_last_modified(s->kv, key, &ns);
        bool small = !err && e->size <= s->cfg.cache_file_max;
        /* A small value's tag is its SHA-256; a large one's comes from its
         * name, size and time, as reading it whole would be slow. */
        if (small)
            err = mirage_kv_ro_digest(s->kv, key, digest);
        else if (!err)
            large_tag(key, e->size, ns, digest);
        if (small && !err) {
            void *data;
            size_t len;
            err = mirage_kv_ro_get(s->kv, key, &data, &len);
            e->data = data;
            if (!err && len != e->size)
                err = MIRAGE_EIO; /* the store changed under us */
        }
        if (err) {
            free(e->data);
            free(e);
            return err;
        }
        e->etag[0] = '"';
        for (int i = 0; i < 8; i++)
            snprintf(e->etag + 1 + 2 * i, 3, "%02x", digest[i]);
        e->etag[17] = '"';
        e->mtime = ns / 1000000000u;
        if (e->mtime)
            mirage_http_date_format(e->mtime * 1000000000u, e->date);
        e->type = mirage_http_mime_type(key, klen);
    }
    *out = e;
    return 0;
}

/* The entry of key, from the cache or the store. May yield. */
static int lookup(struct mirage_http_static *s, const char *key,
                  struct entry **out)
{
    if ((*out = find(s, key)))
        return 0;
    struct entry *e;
    int err = load(s, key, &e);
    if (err)
        return err;
    /* Another fiber may have loaded it meanwhile. */
    if ((*out = find(s, key))) {
        free(e->data);
        free(e);
        return 0;
    }
    make_room(s, cost(e));
    if (s->bytes + cost(e) > s->cfg.cache_max && e->data) {
        free(e->data); /* too large to keep now: streamed */
        e->data = NULL;
    }
    unsigned h = hash(key);
    e->hnext = s->buckets[h];
    s->buckets[h] = e;
    lru_front(s, e);
    s->bytes += cost(e);
    s->entries++;
    *out = e;
    return 0;
}

/* The percent-decoded path without its leading '/': 0, or -400 (bad
 * escape, NUL) or -414 (too long for a key). */
static int decode_path(const char *p, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = p[0] == '/'; i < len; i++) {
        char c = p[i];
        if (c == '%') {
            int hi = i + 2 < len ? http_hex_value((unsigned char)p[i + 1]) : -1;
            int lo = hi >= 0 ? http_hex_value((unsigned char)p[i + 2]) : -1;
            if (lo < 0 || (hi | lo) == 0)
                return -400;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (n + 1 >= size)
            return -414;
        out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}

static int simple(struct mirage_http_request *req, int status,
                  const struct mirage_http_header *h, size_t n)
{
    char body[64];
    int len = snprintf(body, sizeof body, "%d %s\n", status,
                       mirage_http_reason(status));
    struct mirage_http_header all[3] = {
        {"Content-Type", "text/plain; charset=utf-8", 0, 0}};
    for (size_t i = 0; i < n && i < 2; i++)
        all[1 + i] = h[i];
    return mirage_http_respond(req, status, all, 1 + n, body, (size_t)len);
}

/* Send [first, first + len) of the entry's value. May yield. */
static int send_body(struct mirage_http_static *s,
                     struct mirage_http_request *req, struct entry *e,
                     int status, struct mirage_http_header *h, size_t n,
                     uint64_t first, uint64_t len)
{
    if (e->data)
        return mirage_http_respond(req, status, h, n, e->data + first,
                                   (size_t)len);
    int err = mirage_http_response_start(req, status, h, n, (int64_t)len);
    if (err || req->method_id == MIRAGE_HTTP_HEAD)
        return err ? err : mirage_http_response_finish(req);
    for (uint64_t off = 0; off < len;) {
        void *piece;
        size_t got;
        size_t want = len - off < PIECE ? (size_t)(len - off) : PIECE;
        err = mirage_kv_ro_get_partial(s->kv, e->key, first + off, want, &piece,
                                       &got);
        if (!err && got == 0)
            err = MIRAGE_EIO;
        if (err) {
            /* The client sees a short body and a closed connection. */
            mirage_log_src_err(&log_src, "reading %s: %s", e->key,
                               mirage_strerror(err));
            return err;
        }
        long w = mirage_http_response_write(req, piece, got);
        free(piece);
        if (w < 0)
            return (int)w;
        off += got;
    }
    return mirage_http_response_finish(req);
}

/* Answer a GET or HEAD for a value. */
static int serve(struct mirage_http_static *s, struct mirage_http_request *req,
                 struct entry *e)
{
    struct mirage_http_header h[6] = {
        {"ETag", e->etag, 0, 0},
        {"Content-Type", e->type, 0, 0},
        {"Accept-Ranges", "bytes", 0, 0},
    };
    size_t n = 3;
    if (e->mtime)
        h[n++] = (struct mirage_http_header){"Last-Modified", e->date, 0, 0};
    const char *inm = mirage_http_request_header(req, "If-None-Match");
    const char *ims = mirage_http_request_header(req, "If-Modified-Since");
    const char *im = mirage_http_request_header(req, "If-Match");
    const char *ius = mirage_http_request_header(req, "If-Unmodified-Since");
    uint64_t when;
    /* RFC 9110 §13.2.2: If-Match, If-Unmodified-Since, If-None-Match,
     * If-Modified-Since, then If-Range. */
    if (im ? !http_etag_match(im, e->etag, false)
           : ius && e->mtime && !mirage_http_date_parse(ius, &when) &&
                 e->mtime > when)
        return simple(req, 412, h, 1);
    if (inm ? http_etag_match(inm, e->etag, true)
            : ims && e->mtime && !mirage_http_date_parse(ims, &when) &&
                  e->mtime <= when)
        return mirage_http_respond(req, 304, h, n, NULL, 0);
    const char *range = mirage_http_request_header(req, "Range");
    const char *if_range = mirage_http_request_header(req, "If-Range");
    uint64_t first = 0, len = e->size;
    enum http_range r = RANGE_NONE;
    if (range && req->method_id == MIRAGE_HTTP_GET &&
        (!if_range || http_if_range(if_range, e->etag, e->mtime)))
        r = http_range_parse(range, e->size, &first, &len);
    char cr[64];
    if (r == RANGE_UNSATISFIABLE) {
        snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)e->size);
        h[0] = (struct mirage_http_header){"Content-Range", cr, 0, 0};
        return simple(req, 416, h, 1);
    }
    if (r == RANGE_ONE) {
        snprintf(
            cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)first,
            (unsigned long long)(first + len - 1), (unsigned long long)e->size);
        h[n++] = (struct mirage_http_header){"Content-Range", cr, 0, 0};
    }
    return send_body(s, req, e, r == RANGE_ONE ? 206 : 200, h, n, first, len);
}

int mirage_http_static_handler(void *arg, struct mirage_http_request *req)
{
    struct mirage_http_static *s = arg;
    if (req->method_id != MIRAGE_HTTP_GET &&
        req->method_id != MIRAGE_HTTP_HEAD) {
        struct mirage_http_header allow = {"Allow", "GET, HEAD", 0, 0};
        return simple(req, 405, &allow, 1);
    }
    if (req->path[0] != '/')
        return simple(req, 400, NULL, 0);
    char key[MIRAGE_KV_KEY_MAX + 1];
    int err = decode_path(req->path, req->path_len, key, sizeof key);
    bool slash = req->path[req->path_len - 1] == '/';
    if (!err && slash) {
        size_t n = strlen(key), il = strlen(s->cfg.index);
        if (n + il + 1 >= sizeof key)
            err = -414;
        else
            memcpy(key + n, s->cfg.index, il + 1);
    }
    if (err)
        return simple(req, -err, NULL, 0);
    struct entry *e;
    err = lookup(s, key, &e);
    if (err == MIRAGE_ENOENT || err == MIRAGE_ENOTDIR)
        return simple(req, 404, NULL, 0);
    if (err == MIRAGE_EINVAL || err == MIRAGE_ENAMETOOLONG)
        return simple(req, 400, NULL, 0);
    if (err) {
        mirage_log_src_err(&log_src, "%s: %s", key, mirage_strerror(err));
        return simple(req, 500, NULL, 0);
    }
    if (e->dir) {
        if (slash) /* the index is a dictionary */
            return simple(req, 404, NULL, 0);
        /* The dictionary's own URL ends with '/': send the client there
         * (the query kept). */
        char loc[MIRAGE_KV_KEY_MAX + 8];
        int len = snprintf(loc, sizeof loc, "%.*s/%s%s", (int)req->path_len,
                           req->path, req->query ? "?" : "",
                           req->query ? req->query : "");
        if (len < 0 || (size_t)len >= sizeof loc)
            return simple(req, 414, NULL, 0);
        struct mirage_http_header where = {"Location", loc, 0, 0};
        return simple(req, 301, &where, 1);
    }
    e->users++;
    err = serve(s, req, e);
    e->users--;
    return err;
}

void mirage_http_static_free(struct mirage_http_static *s)
{
    while (s->lru_head)
        drop(s, s->lru_head);
    free(s);
}
