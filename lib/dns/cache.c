/* The answer cache (dns.h): entries keyed by name (case-insensitive) and
 * type in a hash table, kept in least-recently-used order, each expiring
 * at its own time; bounded in entries and in bytes. */
#include "dns.h"

#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 256

struct entry {
    struct entry *next;          /* hash chain */
    struct entry *newer, *older; /* use order */
    struct dns_name name;        /* lower-cased */
    uint16_t type;
    enum dns_verdict verdict;         /* ANSWER, NXDOMAIN or NODATA */
    struct mirage_dns_answer *answer; /* ANSWER only */
    uint64_t stored, expires;
    size_t bytes;
};

struct dns_cache {
    struct entry *buckets[BUCKETS];
    struct entry *newest, *oldest;
    size_t entries, max_entries;
    size_t bytes, max_bytes;
};

static void lower_name(struct dns_name *n)
{
    for (size_t i = 0; i < n->len; i++)
        if (n->b[i] >= 'A' && n->b[i] <= 'Z')
            n->b[i] = (uint8_t)(n->b[i] + 32);
}

static unsigned hash(const struct dns_name *n, uint16_t type)
{
    uint32_t h = 2166136261u ^ type;
    for (size_t i = 0; i < n->len; i++)
        h = (h ^ n->b[i]) * 16777619u;
    return h % BUCKETS;
}

struct dns_cache *dns_cache_new(size_t max_entries, size_t max_bytes)
{
    struct dns_cache *c = calloc(1, sizeof *c);
    if (c) {
        c->max_entries = max_entries;
        c->max_bytes = max_bytes;
    }
    return c;
}

static void unlink_use(struct dns_cache *c, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(struct dns_cache *c, struct entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static void drop(struct dns_cache *c, struct entry *e)
{
    struct entry **p = &c->buckets[hash(&e->name, e->type)];
    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    unlink_use(c, e);
    c->entries--;
    c->bytes -= e->bytes;
    free(e->answer);
    free(e);
}

void dns_cache_flush(struct dns_cache *c)
{
    while (c->oldest)
        drop(c, c->oldest);
}

void dns_cache_free(struct dns_cache *c)
{
    if (!c)
        return;
    dns_cache_flush(c);
    free(c);
}

static struct entry *find(struct dns_cache *c, const struct dns_name *key,
                          uint16_t type)
{
    for (struct entry *e = c->buckets[hash(key, type)]; e; e = e->next)
        if (e->type == type && e->name.len == key->len &&
            memcmp(e->name.b, key->b, key->len) == 0)
            return e;
    return NULL;
}

void dns_cache_put(struct dns_cache *c, const struct dns_name *q, uint16_t type,
                   enum dns_verdict verdict, const struct mirage_dns_answer *a,
                   uint32_t ttl, uint64_t now)
{
    struct dns_name key = *q;
    lower_name(&key);
    struct entry *old = find(c, &key, type);
    if (old)
        drop(c, old);
    if (ttl == 0 || c->max_entries == 0)
        return;
    struct entry *e = calloc(1, sizeof *e);
    if (!e)
        return;
    e->name = key;
    e->type = type;
    e->verdict = verdict;
    e->stored = now;
    e->expires = now + MIRAGE_SEC((uint64_t)ttl);
    e->bytes = sizeof *e;
    if (a) {
        e->answer = dns_answer_copy(a, 0, NULL);
        if (!e->answer) {
            free(e);
            return;
        }
        e->bytes += dns_answer_size(e->answer);
    }
    if (e->bytes > c->max_bytes) {
        free(e->answer);
        free(e);
        return;
    }
    while (c->oldest &&
           (c->entries >= c->max_entries || c->bytes + e->bytes > c->max_bytes))
        drop(c, c->oldest);
    unsigned h = hash(&key, type);
    e->next = c->buckets[h];
    c->buckets[h] = e;
    push_newest(c, e);
    c->entries++;
    c->bytes += e->bytes;
}

enum dns_verdict dns_cache_get(struct dns_cache *c, const struct dns_name *q,
                               uint16_t type, uint64_t now, const char *name,
                               struct mirage_dns_answer **out)
{
    struct dns_name key = *q;
    lower_name(&key);
    struct entry *e = find(c, &key, type);
    if (!e)
        return DNS_FAILED;
    if (now >= e->expires) {
        drop(c, e);
        return DNS_FAILED;
    }
    unlink_use(c, e);
    push_newest(c, e);
    if (e->verdict != DNS_ANSWER)
        return e->verdict;
    uint64_t age = (now - e->stored) / MIRAGE_SEC(1);
    *out = dns_answer_copy(e->answer, (uint32_t)age, name);
    if (!*out)
        return DNS_FAILED;
    (*out)->cached = true;
    return DNS_ANSWER;
}

size_t dns_cache_entries(const struct dns_cache *c)
{
    return c->entries;
}

size_t dns_cache_bytes(const struct dns_cache *c)
{
    return c->bytes;
}
