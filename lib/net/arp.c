/* ARP for IPv4 over Ethernet (include/mirage/arp.h, RFC 826): a hash table
 * of neighbour entries, each pending (requests being retried, packets
 * queued), resolved (until it expires; an entry in use is confirmed again
 * before it goes, as RFC 1122 2.3.2.1 suggests) or failed (briefly
 * remembered so a dead neighbour is not asked again for every packet).
 * Each entry has its own net timer for retries and expiry. */
#include <mirage/arp.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_arp, "arp", "address resolution");

#define ARP_LEN    28
#define OP_REQUEST 1
#define OP_REPLY   2
#define BUCKETS    256

enum state { PENDING, RESOLVED, FAILED };

struct queued {
    struct mirage_buf *buf;
    uint16_t ethertype;
};

struct entry {
    struct mirage_net_timer timer; /* first: the timer finds its entry */
    struct mirage_arp *arp;
    struct entry *next; /* hash chain */
    mirage_ipv4_addr ip;
    uint8_t mac[6];
    enum state state;
    unsigned tries; /* requests sent while pending or confirming */
    bool used;      /* packets sent to it since it was last confirmed */
    struct queued queue[MIRAGE_ARP_QUEUE];
    unsigned qhead, qlen;
};

struct mirage_arp {
    struct mirage_ethernet *eth;
    mirage_ipv4_addr ips[MIRAGE_ARP_MAX_IPS];
    size_t nips;
    struct entry *buckets[BUCKETS];
    size_t nentries;
    struct mirage_waitq waiters; /* queries, woken on every change */
    struct mirage_arp_stats stats;
};

static unsigned bucket(mirage_ipv4_addr ip)
{
    uint32_t h = ip * 2654435761u;
    return h >> 24;
}

static struct entry *find(const struct mirage_arp *a, mirage_ipv4_addr ip)
{
    for (struct entry *e = a->buckets[bucket(ip)]; e; e = e->next)
        if (e->ip == ip)
            return e;
    return NULL;
}

static bool is_ours(const struct mirage_arp *a, mirage_ipv4_addr ip)
{
    for (size_t i = 0; i < a->nips; i++)
        if (a->ips[i] == ip)
            return true;
    return false;
}

static void drop_queue(struct entry *e, uint64_t *counter)
{
    for (; e->qlen > 0; e->qlen--) {
        mirage_buf_free(e->queue[e->qhead].buf);
        e->qhead = (e->qhead + 1) % MIRAGE_ARP_QUEUE;
        if (counter)
            (*counter)++;
    }
}

static void destroy(struct entry *e)
{
    struct mirage_arp *a = e->arp;
    struct entry **p = &a->buckets[bucket(e->ip)];
    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    a->nentries--;
    mirage_net_timer_cancel(&e->timer);
    drop_queue(e, &a->stats.resolve_failed);
    free(e);
}

/* Build and send an ARP packet. */
static int send_arp(struct mirage_arp *a, uint16_t op, const uint8_t eth_dst[6],
                    mirage_ipv4_addr spa, const uint8_t tha[6],
                    mirage_ipv4_addr tpa)
{
    struct mirage_buf *b = mirage_buf_alloc(ARP_LEN);
    if (!b)
        return MIRAGE_ENOMEM;
    uint8_t *p = b->data;
    mirage_put_be16(p, 1);          /* Ethernet */
    mirage_put_be16(p + 2, 0x0800); /* IPv4 */
    p[4] = 6;
    p[5] = 4;
    mirage_put_be16(p + 6, op);
    memcpy(p + 8, mirage_ethernet_mac(a->eth), 6);
    mirage_put_be32(p + 14, spa);
    memcpy(p + 18, tha, 6);
    mirage_put_be32(p + 24, tpa);
    if (op == OP_REQUEST)
        a->stats.tx_requests++;
    else
        a->stats.tx_replies++;
    return mirage_ethernet_write(a->eth, eth_dst, MIRAGE_ETHERTYPE_ARP, b);
}

static void send_request(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    static const uint8_t zero[6];
    send_arp(a, OP_REQUEST, mirage_mac_broadcast,
             a->nips ? a->ips[0] : MIRAGE_IPV4_ANY, zero, ip);
}

static void on_timer(struct mirage_net_timer *t)
{
    struct entry *e = (struct entry *)t;
    struct mirage_arp *a = e->arp;
    char ip[MIRAGE_IPV4_STRLEN];
    if (e->state == PENDING && e->tries < MIRAGE_ARP_RETRIES) {
        e->tries++;
        send_request(a, e->ip);
        mirage_net_timer_set(&e->timer,
                             mirage_now() + MIRAGE_ARP_RETRY_INTERVAL);
    } else if (e->state == RESOLVED && e->used &&
               e->tries < MIRAGE_ARP_RETRIES) {
        /* In use: confirm it, still sending to the known MAC meanwhile. */
        e->tries++;
        send_request(a, e->ip);
        mirage_net_timer_set(&e->timer,
                             mirage_now() + MIRAGE_ARP_RETRY_INTERVAL);
    } else if (e->state == PENDING) {
        mirage_log_src_debug(&log_arp, "no answer from %s",
                             mirage_ipv4_to_string(e->ip, ip));
        e->state = FAILED;
        drop_queue(e, &a->stats.resolve_failed);
        mirage_net_timer_set(&e->timer,
                             mirage_now() + MIRAGE_ARP_RETRY_INTERVAL);
        mirage_waitq_wake_all(&a->waiters);
    } else {
        destroy(e);
    }
}

/* A new entry for ip, evicting the entry closest to expiry when the
 * cache is full. NULL when memory is exhausted. */
static struct entry *create(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    if (a->nentries >= MIRAGE_ARP_MAX_ENTRIES) {
        struct entry *victim = NULL;
        for (unsigned i = 0; i < BUCKETS; i++)
            for (struct entry *e = a->buckets[i]; e; e = e->next)
                if (!victim || mirage_net_timer_deadline(&e->timer) <
                                   mirage_net_timer_deadline(&victim->timer))
                    victim = e;
        destroy(victim);
    }
    struct entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    mirage_net_timer_init(&e->timer, on_timer);
    e->arp = a;
    e->ip = ip;
    e->next = a->buckets[bucket(ip)];
    a->buckets[bucket(ip)] = e;
    a->nentries++;
    return e;
}

/* Start resolving ip: a pending entry with its first request sent. */
static struct entry *start_resolution(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    struct entry *e = create(a, ip);
    if (!e)
        return NULL;
    e->state = PENDING;
    e->tries = 1;
    if (mirage_net_timer_set(&e->timer,
                             mirage_now() + MIRAGE_ARP_RETRY_INTERVAL)) {
        destroy(e);
        return NULL;
    }
    send_request(a, ip);
    return e;
}

/* ip is at mac: (re)validate its entry and send what waited for it. */
static void learn(struct mirage_arp *a, struct entry *e, const uint8_t mac[6])
{
    memcpy(e->mac, mac, 6);
    e->state = RESOLVED;
    e->tries = 0;
    e->used = false;
    /* If the timer cannot move, it fires at its old time, which only
     * shortens the entry's life. */
    mirage_net_timer_set(&e->timer, mirage_now() + MIRAGE_ARP_TIMEOUT);
    while (e->qlen > 0) {
        struct queued q = e->queue[e->qhead];
        e->qhead = (e->qhead + 1) % MIRAGE_ARP_QUEUE;
        e->qlen--;
        mirage_ethernet_write(a->eth, e->mac, q.ethertype, q.buf);
    }
    mirage_waitq_wake_all(&a->waiters);
}

static void input(void *arg, const uint8_t src[6], const uint8_t dst[6],
                  struct mirage_buf *b)
{
    struct mirage_arp *a = arg;
    (void)src;
    (void)dst;
    const uint8_t *p = b->data;
    if (b->len < ARP_LEN || mirage_get_be16(p) != 1 ||
        mirage_get_be16(p + 2) != 0x0800 || p[4] != 6 || p[5] != 4) {
        a->stats.rx_malformed++;
        return;
    }
    uint16_t op = mirage_get_be16(p + 6);
    if (op != OP_REQUEST && op != OP_REPLY) {
        a->stats.rx_malformed++;
        return;
    }
    if (op == OP_REQUEST)
        a->stats.rx_requests++;
    else
        a->stats.rx_replies++;
    uint8_t sha[6];
    memcpy(sha, p + 8, 6);
    mirage_ipv4_addr spa = mirage_get_be32(p + 14);
    mirage_ipv4_addr tpa = mirage_get_be32(p + 24);
    if (sha[0] & 1)
        return; /* a multicast sender address is never valid */
    if (is_ours(a, spa)) {
        if (memcmp(sha, mirage_ethernet_mac(a->eth), 6) != 0) {
            char ip[MIRAGE_IPV4_STRLEN], mac[MIRAGE_MAC_STRLEN];
            a->stats.conflicts++;
            mirage_log_src_warn(&log_arp, "%s is claimed by %s too",
                                mirage_ipv4_to_string(spa, ip),
                                mirage_mac_to_string(sha, mac));
        }
        return;
    }
    if (spa != MIRAGE_IPV4_ANY && spa != MIRAGE_IPV4_BROADCAST) {
        struct entry *e = find(a, spa);
        /* RFC 826: update a known sender; learn a new one only when the
         * packet is for us. */
        if (!e && is_ours(a, tpa))
            e = create(a, spa);
        if (e)
            learn(a, e, sha);
    }
    if (op == OP_REQUEST && is_ours(a, tpa))
        send_arp(a, OP_REPLY, sha, tpa, sha, spa);
}

int mirage_arp_connect_direct(struct mirage_arp **out,
                              struct mirage_ethernet *eth)
{
    struct mirage_arp *a = calloc(1, sizeof *a);
    if (!a)
        return MIRAGE_ENOMEM;
    a->eth = eth;
    mirage_waitq_init(&a->waiters);
    int err = mirage_ethernet_set_input(eth, MIRAGE_ETHERTYPE_ARP, input, a);
    if (err) {
        free(a);
        return err;
    }
    *out = a;
    return 0;
}

static void announce(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    static const uint8_t zero[6];
    send_arp(a, OP_REQUEST, mirage_mac_broadcast, ip, zero, ip);
}

int mirage_arp_add_ip(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    if (ip == MIRAGE_IPV4_ANY || ip == MIRAGE_IPV4_BROADCAST)
        return MIRAGE_EINVAL;
    if (is_ours(a, ip))
        return MIRAGE_EEXIST;
    if (a->nips == MIRAGE_ARP_MAX_IPS)
        return MIRAGE_ENOSPC;
    a->ips[a->nips++] = ip;
    struct entry *e = find(a, ip);
    if (e)
        destroy(e);
    announce(a, ip);
    return 0;
}

int mirage_arp_remove_ip(struct mirage_arp *a, mirage_ipv4_addr ip)
{
    for (size_t i = 0; i < a->nips; i++) {
        if (a->ips[i] != ip)
            continue;
        memmove(&a->ips[i], &a->ips[i + 1],
                (a->nips - i - 1) * sizeof a->ips[0]);
        a->nips--;
        return 0;
    }
    return MIRAGE_ENOENT;
}

size_t mirage_arp_get_ips(const struct mirage_arp *a, mirage_ipv4_addr *out,
                          size_t max)
{
    for (size_t i = 0; i < a->nips && i < max; i++)
        out[i] = a->ips[i];
    return a->nips;
}

void mirage_arp_announce(struct mirage_arp *a)
{
    for (size_t i = 0; i < a->nips; i++)
        announce(a, a->ips[i]);
}

int mirage_arp_output(struct mirage_arp *a, mirage_ipv4_addr ip,
                      uint16_t ethertype, struct mirage_buf *payload)
{
    if (ip == MIRAGE_IPV4_BROADCAST)
        return mirage_ethernet_write(a->eth, mirage_mac_broadcast, ethertype,
                                     payload);
    struct entry *e = find(a, ip);
    if (e && e->state == RESOLVED) {
        e->used = true;
        return mirage_ethernet_write(a->eth, e->mac, ethertype, payload);
    }
    if (e && e->state == FAILED) {
        mirage_buf_free(payload);
        return MIRAGE_EUNREACH;
    }
    if (!e && !(e = start_resolution(a, ip))) {
        mirage_buf_free(payload);
        return MIRAGE_ENOMEM;
    }
    if (e->qlen == MIRAGE_ARP_QUEUE) {
        mirage_buf_free(e->queue[e->qhead].buf);
        e->qhead = (e->qhead + 1) % MIRAGE_ARP_QUEUE;
        e->qlen--;
        a->stats.queue_dropped++;
    }
    e->queue[(e->qhead + e->qlen) % MIRAGE_ARP_QUEUE] =
        (struct queued){payload, ethertype};
    e->qlen++;
    return 0;
}

int mirage_arp_query(struct mirage_arp *a, mirage_ipv4_addr ip, uint8_t mac[6],
                     uint64_t deadline)
{
    if (ip == MIRAGE_IPV4_BROADCAST) {
        memcpy(mac, mirage_mac_broadcast, 6);
        return 0;
    }
    for (;;) {
        struct entry *e = find(a, ip);
        if (e && e->state == RESOLVED) {
            memcpy(mac, e->mac, 6);
            return 0;
        }
        if (e && e->state == FAILED)
            return MIRAGE_EUNREACH;
        if (!e && !start_resolution(a, ip))
            return MIRAGE_ENOMEM;
        int err = mirage_waitq_wait(&a->waiters, deadline);
        if (err)
            return err;
    }
}

int mirage_arp_lookup(const struct mirage_arp *a, mirage_ipv4_addr ip,
                      uint8_t mac[6])
{
    const struct entry *e = find(a, ip);
    if (!e || e->state != RESOLVED)
        return MIRAGE_ENOENT;
    memcpy(mac, e->mac, 6);
    return 0;
}

const struct mirage_arp_stats *mirage_arp_stats(const struct mirage_arp *a)
{
    return &a->stats;
}

void mirage_arp_disconnect(struct mirage_arp *a)
{
    mirage_ethernet_set_input(a->eth, MIRAGE_ETHERTYPE_ARP, NULL, NULL);
    for (unsigned i = 0; i < BUCKETS; i++)
        while (a->buckets[i])
            destroy(a->buckets[i]);
    free(a);
}
