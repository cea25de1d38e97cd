/* What the parts of the DNS library share (wire.c, answer.c, cache.c,
 * servers.c, resolver.c), and what its tests and fuzz target use; not a
 * public interface (that is include/mirage/resolver.h). */
#ifndef MIRAGE_LIB_DNS_H
#define MIRAGE_LIB_DNS_H

#include <mirage/log.h>
#include <mirage/resolver.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The library's log source, "dns" (servers.c). */
extern struct mirage_log_src dns_log;

/* ---- Messages on the wire (wire.c, RFC 1035 4) ------------------------- */

#define DNS_HDR_LEN    12
#define DNS_NAME_MAX   255 /* bytes of a name in wire form, root included */
#define DNS_LABEL_MAX  63
#define DNS_TEXT_MAX   253 /* characters of a name in text, no final '.' */
#define DNS_CLASS_IN   1
#define DNS_TYPE_OPT   41
#define DNS_FLAG_QR    0x8000
#define DNS_FLAG_TC    0x0200
#define DNS_FLAG_RD    0x0100
#define DNS_EDNS_SIZE  1232 /* the UDP answer size we offer (EDNS) */
#define DNS_PLAIN_SIZE 512  /* ... without EDNS */
#define DNS_QUERY_MAX  (DNS_HDR_LEN + DNS_NAME_MAX + 4 + 11)

enum dns_rcode {
    DNS_RCODE_NOERROR = 0,
    DNS_RCODE_FORMERR = 1,
    DNS_RCODE_SERVFAIL = 2,
    DNS_RCODE_NXDOMAIN = 3,
    DNS_RCODE_NOTIMP = 4,
    DNS_RCODE_REFUSED = 5,
};

/* A name in uncompressed wire form: labels, each a length byte and its
 * bytes, ending with the root's zero byte. */
struct dns_name {
    uint8_t b[DNS_NAME_MAX];
    size_t len;
};

/* A name from text (see resolver.h): 0 or MIRAGE_EINVAL. */
int dns_name_from_text(const char *text, struct dns_name *out);
/* The text form: at most DNS_NAME_TEXT_CAP bytes with its NUL ("." for
 * the root). Returns buf. */
#define DNS_NAME_TEXT_CAP (4 * DNS_NAME_MAX + 1)
char *dns_name_to_text(const struct dns_name *n, char buf[DNS_NAME_TEXT_CAP]);
/* Equal, ignoring ASCII case. */
bool dns_name_equal(const struct dns_name *a, const struct dns_name *b);
/* Read the name at *off of the message (len bytes), following
 * compression pointers only backwards; *off moves past the name where it
 * appears. 0 or MIRAGE_EBADF. */
int dns_name_read(const uint8_t *msg, size_t len, size_t *off,
                  struct dns_name *out);

struct dns_header {
    uint16_t id, flags;
    uint16_t qdcount, ancount, nscount, arcount;
};
int dns_header_read(const uint8_t *msg, size_t len, struct dns_header *h);

/* A resource record: its rdata is msg[rdata, rdata + rdlen). */
struct dns_rr {
    struct dns_name name;
    uint16_t type, cls;
    uint32_t ttl;
    size_t rdata;
    uint16_t rdlen;
};
/* Read the question / record at *off and move past it: 0 or
 * MIRAGE_EBADF (it does not fit the message). */
int dns_question_read(const uint8_t *msg, size_t len, size_t *off,
                      struct dns_name *name, uint16_t *type, uint16_t *cls);
int dns_rr_read(const uint8_t *msg, size_t len, size_t *off, struct dns_rr *rr);

/* A recursive query for (q, type, IN), with an EDNS OPT record offering
 * DNS_EDNS_SIZE when edns. buf holds DNS_QUERY_MAX bytes; returns the
 * length. */
size_t dns_query_build(uint8_t buf[DNS_QUERY_MAX], uint16_t id,
                       const struct dns_name *q, uint16_t type, bool edns);
/* Whether msg is an answer (QR, standard query) with ID id to the one
 * question (q, type, IN), the checks of RFC 5452 9.1. */
bool dns_answers_question(const uint8_t *msg, size_t len, uint16_t id,
                          const struct dns_name *q, uint16_t type);

/* ---- Answers (answer.c) ------------------------------------------------ */

/* Collects records into one allocation: a struct mirage_dns_answer, its
 * records, then the bytes of their names and data. */
struct dns_builder {
    struct mirage_dns_rr *rr;
    size_t (*off)[3]; /* name, target, data offsets in bytes */
    size_t n, cap;
    uint8_t *bytes;
    size_t used, bcap;
    bool nomem;
};
void dns_builder_init(struct dns_builder *b);
void dns_builder_free(struct dns_builder *b);
/* Add a copy of rr (its name, target and data are copied; data gets a
 * NUL after it). false once memory ran out. */
bool dns_builder_add(struct dns_builder *b, const struct mirage_dns_rr *rr);
/* The answer of everything added, or NULL when memory ran out. The
 * builder is left empty. */
struct mirage_dns_answer *dns_builder_finish(struct dns_builder *b,
                                             const char *name,
                                             const char *canonical,
                                             uint16_t type);
/* A copy of a with every TTL lowered by `age` seconds (down to 0), named
 * `name` (NULL: a's name). */
struct mirage_dns_answer *dns_answer_copy(const struct mirage_dns_answer *a,
                                          uint32_t age, const char *name);
/* How many bytes a holds (for the cache's bound). */
size_t dns_answer_size(const struct mirage_dns_answer *a);

/* What an answer message says about (q, qtype). */
enum dns_verdict {
    DNS_ANSWER,    /* records of qtype added to the builder */
    DNS_NODATA,    /* the name exists without such records */
    DNS_NXDOMAIN,  /* the name does not exist */
    DNS_FOLLOW,    /* the CNAME chain leaves this answer: ask for `next` */
    DNS_FAILED,    /* SERVFAIL, NOTIMP, REFUSED or another rcode */
    DNS_FORMERR,   /* the server did not understand the query */
    DNS_MALFORMED, /* the message breaks the rules */
};
struct dns_result {
    enum dns_verdict verdict;
    struct dns_name canonical; /* ANSWER, NODATA, NXDOMAIN: the chain's
                                  end; FOLLOW: the name to ask next */
    uint32_t ttl;              /* how long the verdict may be cached */
    bool cacheable;            /* false: negative without an SOA, or a TTL 0 */
    unsigned cnames;           /* CNAME links followed in this answer */
};
/* Read the answer message msg (whose header and question were checked)
 * for (q, qtype): records go to b (CNAMEs too when qtype is CNAME). At
 * most max_cnames links are followed. MIRAGE_ENOMEM when b ran out of
 * memory, else 0 with *res filled. */
int dns_extract(const uint8_t *msg, size_t len, const struct dns_name *q,
                uint16_t qtype, unsigned max_cnames, struct dns_builder *b,
                struct dns_result *res);

/* The most an answer may be cached for, positive and negative. */
#define DNS_TTL_MAX     86400u
#define DNS_NEG_TTL_MAX 10800u

/* ---- The cache (cache.c) ------------------------------------------------ */

struct dns_cache;
struct dns_cache *dns_cache_new(size_t max_entries, size_t max_bytes);
void dns_cache_free(struct dns_cache *c);
void dns_cache_flush(struct dns_cache *c);
/* Keep a copy of a (whose TTLs are as received at `now`) for ttl seconds
 * under (q, type); a negative verdict (NXDOMAIN, NODATA) is kept with a
 * NULL a. Replaces an older entry. Silently keeps nothing when memory is
 * short. */
void dns_cache_put(struct dns_cache *c, const struct dns_name *q, uint16_t type,
                   enum dns_verdict verdict, const struct mirage_dns_answer *a,
                   uint32_t ttl, uint64_t now);
/* Look (q, type) up at `now`: DNS_ANSWER with *out a copy named `name`
 * (TTLs as left now), DNS_NXDOMAIN, DNS_NODATA, or DNS_FAILED when
 * nothing valid is cached (or memory ran out copying). */
enum dns_verdict dns_cache_get(struct dns_cache *c, const struct dns_name *q,
                               uint16_t type, uint64_t now, const char *name,
                               struct mirage_dns_answer **out);
size_t dns_cache_entries(const struct dns_cache *c);
size_t dns_cache_bytes(const struct dns_cache *c);

#endif
