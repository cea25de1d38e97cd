/* For the DNS tests: a writer of DNS messages (independent of lib/dns, so
 * the library is checked against another encoder), and a scripted DNS
 * server on the test network answering over UDP and TCP. */
#ifndef MIRAGE_TEST_DNS_SERVER_H
#define MIRAGE_TEST_DNS_SERVER_H

#include <mirage/ipaddr.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Writing messages ---------------------------------------------------- */

struct dnsw {
    uint8_t *p;
    size_t len, cap;
};
void dnsw_init(struct dnsw *w, uint8_t *buf, size_t cap);
void dnsw_u8(struct dnsw *w, uint8_t v);
void dnsw_u16(struct dnsw *w, uint16_t v);
void dnsw_u32(struct dnsw *w, uint32_t v);
void dnsw_bytes(struct dnsw *w, const void *p, size_t n);
/* A name, uncompressed ("" or "." is the root); returns where it starts. */
size_t dnsw_name(struct dnsw *w, const char *text);
/* A compression pointer to offset off. */
void dnsw_ptr(struct dnsw *w, size_t off);
void dnsw_header(struct dnsw *w, uint16_t id, uint16_t flags, uint16_t qd,
                 uint16_t an, uint16_t ns, uint16_t ar);
void dnsw_question(struct dnsw *w, const char *name, uint16_t type);
/* A record's header with owner (NULL: a pointer to the question's name at
 * offset 12), leaving its length to dnsw_rr_end; returns its position. */
size_t dnsw_rr_begin(struct dnsw *w, const char *owner, uint16_t type,
                     uint32_t ttl);
void dnsw_rr_end(struct dnsw *w, size_t at);
/* Whole records. */
void dnsw_a(struct dnsw *w, const char *owner, uint32_t ttl,
            mirage_ipv4_addr a);
void dnsw_aaaa(struct dnsw *w, const char *owner, uint32_t ttl,
               const uint8_t a[16]);
void dnsw_cname(struct dnsw *w, const char *owner, uint32_t ttl,
                const char *target);
/* TXT: text cut into character-strings of at most 255 bytes. */
void dnsw_txt(struct dnsw *w, const char *owner, uint32_t ttl,
              const uint8_t *text, size_t len);
void dnsw_soa(struct dnsw *w, const char *owner, uint32_t ttl,
              uint32_t minimum);
/* Patch the answer count in the header. */
void dnsw_set_counts(struct dnsw *w, uint16_t an, uint16_t ns, uint16_t ar);

/* ---- The scripted server ------------------------------------------------- */

/* What the server saw of a query. */
struct dns_seen {
    uint16_t id, type, flags;
    char name[256];
    bool tcp, edns;
    struct mirage_ipaddr src;
    uint16_t src_port;
};

/* Writes the reply to q (raw: the query's bytes) into w; returns false to
 * send nothing. */
typedef bool (*dns_handler)(void *arg, const struct dns_seen *q,
                            const uint8_t *raw, size_t len, struct dnsw *w);

#define DNS_SEEN_MAX 256
struct dns_server {
    struct mirage_udp *udp;
    dns_handler handler;
    void *arg;
    uint16_t port;
    struct dns_seen seen[DNS_SEEN_MAX];
    int nseen;
};

/* Serve on port over udp and (when not NULL) tcp. 0 or an error. */
int dns_server_start(struct dns_server *s, struct mirage_udp *udp,
                     struct mirage_tcp *tcp, uint16_t port, dns_handler h,
                     void *arg);
/* The reply header for query q: same ID, QR, RD and RA, one question
 * copied from raw, the given rcode and counts. */
void dnsw_reply(struct dnsw *w, const struct dns_seen *q, const uint8_t *raw,
                size_t len, unsigned rcode, uint16_t an, uint16_t ns,
                uint16_t ar);

#endif
