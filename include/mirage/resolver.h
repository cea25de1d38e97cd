/* Name resolution (MirageOS's resolver device: resolver_dns,
 * resolver_unix_system): a DNS stub resolver (RFC 1035) over the UDP and
 * TCP devices of a stack. It asks recursive servers (given with MirageOS's
 * --resolver runtime argument, read from the host's /etc/resolv.conf, or
 * taken from a DHCP lease) and caches their answers.
 *
 * Behaviour:
 *  - Each query goes out over UDP from a random source port with a random
 *    ID (RFC 5452), with EDNS(0) offering 1232-byte answers (RFC 6891; a
 *    server answering FORMERR is asked again without it). An answer is
 *    taken only from the server's address and port, to the query's port,
 *    with the query's ID and question; anything else is ignored (counted)
 *    and the wait goes on.
 *  - A truncated answer (TC), or one larger than the receive buffer, is
 *    asked again over TCP (RFC 7766). Servers given as tcp:ADDR are only
 *    asked over TCP.
 *  - Servers are tried in order, in rounds: each round waits for each
 *    server twice as long as the last (timeout_ns, 2 x timeout_ns ...),
 *    for `attempts` rounds, within the caller's deadline. A server that
 *    fails (SERVFAIL, REFUSED, NOTIMP), answers with a malformed message
 *    or cannot be reached (no route, ICMP port unreachable) is skipped for
 *    the rest of the query; one that stays silent is asked again in the
 *    next round.
 *  - CNAME chains are followed, in the answer and by asking again for the
 *    target, at most MIRAGE_DNS_MAX_CNAMES links.
 *  - Answers are cached for their smallest TTL (at most one day; TTLs with
 *    the top bit set count as 0, RFC 2181 8); NXDOMAIN and NODATA answers
 *    for the SOA's negative TTL (RFC 2308 5, at most three hours), and not
 *    at all without an SOA. The cache holds at most cache_size entries and
 *    MIRAGE_DNS_CACHE_BYTES of answers, dropping the least recently used.
 *  - Names in messages are read defensively: compression pointers must
 *    point backwards inside the message (so loops cannot happen), labels
 *    and names keep their RFC 1035 limits, every record must fit its
 *    length. A message that breaks any rule is dropped as malformed.
 *
 * Names are text: labels separated by '.', an optional final '.'; in
 * answers, bytes other than letters, digits, '-' and '_' are written
 * \DDD (decimal, as in zone files). Addresses of both versions are
 * struct mirage_ipaddr: AAAA answers and IPv6 servers need nothing else
 * (a server the stack cannot reach is skipped like a silent one).
 *
 * Yielding: the lookups may yield (they block the calling fiber until
 * answered or until their deadline, an absolute monotonic time; MIRAGE_
 * FOREVER for none) and must be called from a fiber; several fibers may
 * look up at once. Nothing else yields.
 *
 * Errors (negative MIRAGE_E*):
 *   MIRAGE_ENOENT     the name does not exist (NXDOMAIN), or (lookups of
 *                     addresses) has no address of the families asked
 *   MIRAGE_ETIMEDOUT  the deadline passed, or a server stayed silent
 *                     and none gave an answer
 *   MIRAGE_EIO        no server answered usefully and some failed
 *                     (SERVFAIL, REFUSED ...; a CNAME chain too long)
 *   MIRAGE_EBADF      the only answers were malformed
 *   MIRAGE_EUNREACH   there is no server to ask, or none can be reached
 *   MIRAGE_EINVAL     a malformed name (empty label, label over 63 bytes,
 *                     name over 253 characters, spaces or control
 *                     characters), an unknown type
 *   MIRAGE_ENOMEM     memory exhausted */
#ifndef MIRAGE_RESOLVER_H
#define MIRAGE_RESOLVER_H

#include <mirage/fiber.h>
#include <mirage/ipaddr.h>
#include <mirage/random.h>
#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record types the resolver decodes; others are returned raw. */
enum mirage_dns_type {
    MIRAGE_DNS_A = 1,
    MIRAGE_DNS_NS = 2,
    MIRAGE_DNS_CNAME = 5,
    MIRAGE_DNS_SOA = 6,
    MIRAGE_DNS_PTR = 12,
    MIRAGE_DNS_MX = 15,
    MIRAGE_DNS_TXT = 16,
    MIRAGE_DNS_AAAA = 28,
    MIRAGE_DNS_SRV = 33,
};

#define MIRAGE_DNS_PORT        53
#define MIRAGE_DNS_MAX_CNAMES  8
#define MIRAGE_DNS_MAX_SERVERS 8
#define MIRAGE_DNS_CACHE_BYTES (1024 * 1024)

/* One record of an answer. Fields a type does not use are zero/NULL. */
struct mirage_dns_rr {
    uint16_t type;
    uint32_t ttl;              /* seconds left */
    const char *name;          /* owner */
    struct mirage_ipaddr addr; /* A (version 4), AAAA (version 6) */
    const char *target;        /* CNAME, PTR, NS; MX exchange; SRV target */
    uint16_t priority;         /* MX preference, SRV priority */
    uint16_t weight, port;     /* SRV */
    /* TXT: the character-strings joined; other types: the raw RDATA.
     * len bytes, followed by a NUL not counted. */
    const uint8_t *data;
    size_t len;
};

/* An answer: the records of the type asked for the canonical name (the
 * end of the CNAME chain), which is name itself without CNAMEs. count 0
 * means the name exists without records of that type (NODATA). One
 * allocation: free it with mirage_dns_answer_free. */
struct mirage_dns_answer {
    const char *name;      /* as asked, without a final '.' */
    const char *canonical; /* after CNAMEs */
    uint16_t type;
    bool cached; /* answered from the cache */
    size_t count;
    struct mirage_dns_rr *rr;
};
void mirage_dns_answer_free(struct mirage_dns_answer *a);

/* A server to ask. */
struct mirage_dns_server {
    struct mirage_ipaddr addr;
    uint16_t port;
    bool tcp_only; /* else UDP, and TCP after truncation */
};

struct mirage_resolver_stats {
    uint64_t queries;         /* mirage_resolver_query calls (each name) */
    uint64_t cache_hits;      /* answered from the cache */
    uint64_t negative_hits;   /* of which NXDOMAIN or NODATA */
    uint64_t tx_udp, tx_tcp;  /* queries sent */
    uint64_t timeouts;        /* tries left unanswered */
    uint64_t truncated;       /* answers asked again over TCP */
    uint64_t rx_wrong_source; /* datagrams from another address or port */
    uint64_t rx_mismatch;     /* wrong ID or question, or not an answer */
    uint64_t rx_malformed;    /* answers that broke the rules above */
    uint64_t server_failures; /* SERVFAIL, REFUSED, NOTIMP, FORMERR */
};

/* Where the servers come from when none is configured: fills up to max
 * addresses (port 53, UDP) and returns how many, at each query (a DHCP
 * lease's servers change with the lease: mirage_dhcp_dns_servers). */
typedef size_t (*mirage_resolver_servers_fn)(void *arg,
                                             struct mirage_ipaddr *out,
                                             size_t max);

struct mirage_resolver_config {
    const struct mirage_dns_server *servers;    /* copied */
    size_t nservers;                            /* at most MAX_SERVERS */
    mirage_resolver_servers_fn default_servers; /* NULL: none */
    void *default_arg;
    uint64_t timeout_ns; /* first round's wait per server; 0: 1 s */
    unsigned attempts;   /* rounds over the servers; 0: 2 */
    size_t cache_size;   /* entries; 0: 256 */
};

struct mirage_resolver;

/* A resolver over udp and tcp (tcp NULL: truncated answers fail with
 * MIRAGE_EIO), random choosing ports and IDs; cfg NULL: no servers, the
 * defaults. 0, MIRAGE_EINVAL (more than MIRAGE_DNS_MAX_SERVERS servers, a
 * port 0), MIRAGE_ENOMEM. Does not yield. */
int mirage_resolver_connect_config(struct mirage_resolver **out,
                                   struct mirage_udp *udp,
                                   struct mirage_tcp *tcp,
                                   struct mirage_random *random,
                                   const struct mirage_resolver_config *cfg);
/* resolver_dns: over the stack's UDP and TCP devices, asking the servers
 * of `servers` (MirageOS's --resolver text, see below; NULL or "": none)
 * or else those `defaults` gives (NULL: none), with the default timeout,
 * attempts and cache size. 0, MIRAGE_EINVAL (bad text, logged),
 * MIRAGE_ENOMEM. Does not yield. */
int mirage_resolver_connect_dns(struct mirage_resolver **out,
                                struct mirage_stack *stack,
                                struct mirage_random *random,
                                const char *servers,
                                mirage_resolver_servers_fn defaults,
                                void *default_arg);

/* resolver_unix_system (unix only): the servers and options of the
 * host's /etc/resolv.conf (a missing or unreadable file logs a warning
 * and gives none), asked through the host's sockets (socket.h: IPv4
 * only for now: IPv6 servers are skipped as unreachable). 0,
 * MIRAGE_ENOMEM, MIRAGE_EIO (the host's sockets). Does not yield. */
int mirage_resolver_connect_unix_system(struct mirage_resolver **out);

/* The servers of MirageOS's --resolver text: comma-separated items
 * "udp:ADDR", "tcp:ADDR" or "ADDR" (UDP), ADDR being an IPv4 address, an
 * IPv6 address, "A.B.C.D:PORT" or "[IPV6]:PORT" (port 53 otherwise). Up
 * to max in out, *n := how many. 0; MIRAGE_EINVAL with a logged message
 * naming the bad item (and "tls:" being unsupported); MIRAGE_ENOSPC (more
 * than max). */
int mirage_resolver_parse_servers(const char *text,
                                  struct mirage_dns_server *out, size_t max,
                                  size_t *n);
/* The servers and options of a resolv.conf text (resolv.conf(5):
 * "nameserver ADDR" lines, up to max, and "options timeout:N attempts:N";
 * comments, search and domain lines and anything unknown are ignored).
 * cfg's servers member is pointed at out; its timeout and attempts are
 * set when given. Returns the number of servers (0 when none). */
size_t mirage_resolver_parse_resolv_conf(const char *text,
                                         struct mirage_dns_server *out,
                                         size_t max,
                                         struct mirage_resolver_config *cfg);

/* Ask for the records of `type` of name. 0 with *out an answer (count 0:
 * NODATA), or an error. May yield. */
int mirage_resolver_query(struct mirage_resolver *r, const char *name,
                          uint16_t type, uint64_t deadline,
                          struct mirage_dns_answer **out);

/* getaddrinfo for a host name: the addresses of host, IPv4 ones (A)
 * first, then IPv6 (AAAA), limited to `family` (0: both, asked at the
 * same time; MIRAGE_IP_V4 or MIRAGE_IP_V6: that one). An address literal
 * of an allowed version gives itself, and "localhost" the loopback
 * addresses (RFC 6761), without asking. Up to max in out; returns how
 * many were found (> 0, possibly more than max), or an error: with both
 * families, MIRAGE_ENOENT only when neither has an address, and another
 * error only when neither answered. May yield. */
long mirage_resolver_getaddrinfo(struct mirage_resolver *r, const char *host,
                                 int family, struct mirage_ipaddr *out,
                                 size_t max, uint64_t deadline);

/* The name of addr (a PTR lookup in in-addr.arpa or ip6.arpa), copied to
 * name (len bytes, NUL-terminated). 0; MIRAGE_ENOSPC (name too small);
 * MIRAGE_ENOENT (no PTR record); the errors of mirage_resolver_query.
 * May yield. */
int mirage_resolver_reverse(struct mirage_resolver *r,
                            const struct mirage_ipaddr *addr, char *name,
                            size_t len, uint64_t deadline);

const struct mirage_resolver_stats *
mirage_resolver_stats(const struct mirage_resolver *r);
/* Forget every cached answer. */
void mirage_resolver_flush(struct mirage_resolver *r);
/* Free the resolver (the UDP and TCP devices stay). No lookup may be in
 * progress. Does not yield. */
void mirage_resolver_disconnect(struct mirage_resolver *r);

#endif
