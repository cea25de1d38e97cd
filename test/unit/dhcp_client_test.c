/* The DHCP client (lib/dhcp) on the test network against a scripted
 * server written here: the four-message exchange, retransmission backoff,
 * renewal at T1, rebinding at T2, expiry, DHCPNAK, DECLINE of an address
 * someone answers ARP for, RELEASE, rogue replies; the stack DHCP
 * configures; and the IPv4 layer's run-time configuration the client
 * relies on. */
#include "../../lib/dhcp/wire.h"
#include "dhcp_test.h"
#include "net_harness.h"

#include <mirage/dhcp.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <string.h>

#define SRV_IP   MIRAGE_IPV4(10, 0, 0, 1)
#define SRV2_IP  MIRAGE_IPV4(10, 0, 0, 2)
#define OFFER_IP MIRAGE_IPV4(10, 0, 0, 50)

/* ---- The scripted server ------------------------------------------------ */

/* What the server saw of each client message. */
struct seen {
    uint8_t type;
    uint32_t xid;
    uint16_t flags, secs;
    mirage_ipv4_addr ciaddr, requested, server_id;
    struct mirage_ipaddr src, dst;
    uint64_t at;
    bool has_params;
    size_t len;
};
#define SEEN_MAX 64
static struct seen seen[SEEN_MAX];
static int nseen;

/* Rewrites a reply before it is sent (rogue servers). */
typedef size_t (*tamper_fn)(uint8_t *msg, size_t len);

static struct server {
    int node;
    mirage_ipv4_addr ip;
    mirage_ipv4_addr offer_ip;
    uint32_t lease_s;
    int ignore_discovers; /* the first N DISCOVERs go unanswered */
    bool ignore_unicast;  /* requests not broadcast go unanswered */
    bool silent;
    bool nak;
    tamper_fn tamper;
    int tamper_count; /* replies left to tamper with */
} servers[2];

static uint32_t opt_addr(const uint8_t *m, size_t len, uint8_t code)
{
    size_t n;
    const uint8_t *v = dhcp_test_opt(m, len, code, &n);
    return v && n == 4 ? mirage_get_be32(v) : 0;
}

static uint8_t *put(uint8_t *p, uint8_t code, const void *v, size_t n)
{
    *p++ = code;
    *p++ = (uint8_t)n;
    memcpy(p, v, n);
    return p + n;
}

static uint8_t *put_u32(uint8_t *p, uint8_t code, uint32_t v)
{
    uint8_t b[4];
    mirage_put_be32(b, v);
    return put(p, code, b, 4);
}

/* A reply of type to the client message q into r; returns its length. */
static size_t reply(const struct server *s, const uint8_t *q, uint8_t type,
                    mirage_ipv4_addr yiaddr, uint8_t *r)
{
    memset(r, 0, 1500);
    r[0] = 2;
    r[1] = 1;
    r[2] = 6;
    memcpy(r + 4, q + 4, 4);   /* xid */
    memcpy(r + 10, q + 10, 2); /* flags */
    mirage_put_be32(r + 16, yiaddr);
    memcpy(r + 28, q + 28, 16); /* chaddr */
    static const uint8_t cookie[4] = {99, 130, 83, 99};
    memcpy(r + 236, cookie, 4);
    uint8_t *p = r + 240;
    p = put(p, 53, &type, 1);
    p = put_u32(p, 54, s->ip);
    if (type != DHCP_NAK) {
        static const uint8_t dns[8] = {10, 0, 0, 1, 10, 0, 0, 2};
        static const uint8_t mtu[2] = {0x05, 0x78}; /* 1400 */
        p = put_u32(p, 51, s->lease_s);
        p = put_u32(p, 1, MIRAGE_IPV4(255, 255, 255, 0));
        p = put_u32(p, 3, SRV_IP);
        p = put(p, 6, dns, sizeof dns);
        p = put(p, 26, mtu, sizeof mtu);
        p = put(p, 12, "uni", 3);
        p = put(p, 15, "test.example", 12);
    } else {
        p = put(p, 56, "no\ttoday", 8);
    }
    *p++ = 255;
    return (size_t)(p - r);
}

static void on_server(void *arg, const struct mirage_udp_peer *peer,
                      const uint8_t *q, size_t len)
{
    struct server *s = arg;
    size_t n;
    const uint8_t *t = dhcp_test_opt(q, len, 53, &n);
    if (len < 240 || !t || n != 1)
        return;
    if (s == &servers[0] && nseen < SEEN_MAX) {
        struct seen *e = &seen[nseen++];
        *e = (struct seen){
            .type = t[0],
            .xid = mirage_get_be32(q + 4),
            .secs = mirage_get_be16(q + 8),
            .flags = mirage_get_be16(q + 10),
            .ciaddr = mirage_get_be32(q + 12),
            .requested = opt_addr(q, len, 50),
            .server_id = opt_addr(q, len, 54),
            .src = peer->src,
            .dst = peer->dst,
            .at = mirage_now(),
            .has_params = dhcp_test_opt(q, len, 55, &n) != NULL,
            .len = len,
        };
    }
    bool unicast = peer->dst.v4 != MIRAGE_IPV4_BROADCAST;
    if (s->silent || (unicast && s->ignore_unicast))
        return;
    uint8_t type;
    mirage_ipv4_addr yiaddr = s->offer_ip;
    if (t[0] == DHCP_DISCOVER) {
        if (s->ignore_discovers > 0) {
            s->ignore_discovers--;
            return;
        }
        type = DHCP_OFFER;
    } else if (t[0] == DHCP_REQUEST) {
        mirage_ipv4_addr sid = opt_addr(q, len, 54);
        if (sid && sid != s->ip)
            return; /* the client chose another server */
        type = s->nak ? DHCP_NAK : DHCP_ACK;
        mirage_ipv4_addr ci = mirage_get_be32(q + 12);
        yiaddr = ci ? ci : opt_addr(q, len, 50);
    } else {
        return;
    }
    static uint8_t r[1500];
    size_t rlen = reply(s, q, type, type == DHCP_NAK ? 0 : yiaddr, r);
    if (s->tamper && s->tamper_count > 0) {
        s->tamper_count--;
        rlen = s->tamper(r, rlen);
    }
    mirage_ipv4_addr ci = mirage_get_be32(q + 12);
    struct mirage_ipaddr to =
        mirage_ipaddr_of_v4(ci && !(q[10] & 0x80) ? ci : MIRAGE_IPV4_BROADCAST);
    mirage_udp_write(node_get(s->node)->udp, NULL, 67, &to, 68, r, rlen);
}

static int server_up(int i, int node, mirage_ipv4_addr ip)
{
    char cidr[24];
    char a[MIRAGE_IPV4_STRLEN];
    snprintf(cidr, sizeof cidr, "%s/24", mirage_ipv4_to_string(ip, a));
    servers[i] = (struct server){
        .node = node, .ip = ip, .offer_ip = OFFER_IP, .lease_s = 20};
    int err = node_connect(node, cidr, NULL);
    if (!err)
        err = mirage_udp_listen(node_get(node)->udp, 67, on_server, NULL,
                                &servers[i]);
    return err;
}

/* ---- The client --------------------------------------------------------- */

static struct mirage_dhcp *dhcp;
#define V4 mirage_dhcp_ipv4(dhcp)

/* Start the client on node 0 (whose lower layers are up) and a UDP
 * device over its IPv4 layer. */
static int client_start(const struct mirage_dhcp_config *cfg)
{
    struct node *c = node_get(0);
    int err =
        mirage_dhcp_connect_client(&dhcp, c->eth, c->arp, net_random, cfg);
    if (!err) {
        c->ip = mirage_ipv4_ip(V4);
        err = mirage_udp_connect_direct(&c->udp, c->ip, net_random);
    }
    return err;
}

/* The client's stack on node 0, and its client. */
static int client_up(const struct mirage_dhcp_config *cfg)
{
    struct node *c = node_get(0);
    int err = mirage_net_connect_netif(&c->net, "node0");
    if (!err)
        err = mirage_ethernet_connect_direct(&c->eth, c->net);
    if (!err)
        err = mirage_arp_connect_direct(&c->arp, c->eth);
    return err ? err : client_start(cfg);
}

/* Disconnect the UDP device and the client (with its IPv4 layer). */
static void client_down(void)
{
    struct node *c = node_get(0);
    mirage_udp_disconnect(c->udp);
    c->udp = NULL;
    c->ip = NULL;
    mirage_dhcp_disconnect_client(dhcp);
    dhcp = NULL;
}

/* Server 0 on node 1 and the client, until the client holds a lease
 * (copied to *l): 0 or the first error. */
static int bound_client(struct mirage_dhcp_lease *l)
{
    int err = server_up(0, 1, SRV_IP);
    if (!err)
        err = client_up(NULL);
    if (!err)
        err = mirage_dhcp_wait_bound(dhcp, MIRAGE_FOREVER);
    return err ? err : mirage_dhcp_lease(dhcp, l);
}

static void setup(void)
{
    nseen = 0;
    for (int i = 0; i < 3; i++)
        node_add(1500);
}

/* The index of the n-th (0 ...) message of type seen, or -1. */
static int nth(uint8_t type, int n)
{
    for (int i = 0; i < nseen; i++)
        if (seen[i].type == type && n-- == 0)
            return i;
    return -1;
}

static int count(uint8_t type)
{
    int c = 0;
    for (int i = 0; i < nseen; i++)
        c += seen[i].type == type;
    return c;
}

static bool logged(const char *s)
{
    return strstr(testnet_plat_console(), s) != NULL;
}

static int got_probe;
static void on_probe(void *arg, const struct mirage_udp_peer *peer,
                     const uint8_t *data, size_t len)
{
    (void)arg;
    (void)peer;
    (void)data;
    (void)len;
    got_probe++;
}

/* Send a datagram from the server node to addr:7 and see it arrive. */
static bool answers(mirage_ipv4_addr addr)
{
    struct node *c = node_get(0);
    got_probe = 0;
    mirage_udp_unlisten(c->udp, 7);
    if (mirage_udp_listen(c->udp, 7, on_probe, NULL, NULL) != 0)
        return false;
    struct mirage_ipaddr to = mirage_ipaddr_of_v4(addr);
    mirage_udp_write(node_get(1)->udp, NULL, 0, &to, 7, "hi", 2);
    net_wait(MIRAGE_SEC(2));
    mirage_udp_unlisten(c->udp, 7);
    return got_probe == 1;
}

static int lease_body(void)
{
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    NCHECK_INT(client_up(NULL), 0);
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, t0 + MIRAGE_SEC(10)), 0);
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_BOUND);
    /* DISCOVER, REQUEST: broadcast from 0.0.0.0 with the broadcast flag. */
    NCHECK_INT(nseen, 2);
    NCHECK_INT(seen[0].type, DHCP_DISCOVER);
    NCHECK_INT(seen[1].type, DHCP_REQUEST);
    for (int i = 0; i < 2; i++) {
        NCHECK_INT(seen[i].src.v4, 0);
        NCHECK_INT(seen[i].dst.v4, MIRAGE_IPV4_BROADCAST);
        NCHECK_INT(seen[i].flags, 0x8000);
        NCHECK_INT(seen[i].ciaddr, 0);
        NCHECK(seen[i].has_params);
        NCHECK(seen[i].len >= 300);
    }
    NCHECK_INT(seen[0].xid, seen[1].xid);
    NCHECK_INT(seen[1].requested, OFFER_IP);
    NCHECK_INT(seen[1].server_id, SRV_IP);
    /* The lease, and the IPv4 layer configured from it. */
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), 0);
    NCHECK_INT(l.cidr.addr, OFFER_IP);
    NCHECK_INT(l.cidr.bits, 24);
    NCHECK_INT(l.server, SRV_IP);
    NCHECK_INT(l.nrouters, 1);
    NCHECK_INT(l.routers[0], SRV_IP);
    NCHECK_INT(l.ndns, 2);
    NCHECK_INT(l.dns[1], MIRAGE_IPV4(10, 0, 0, 2));
    NCHECK_INT(l.mtu, 1400);
    NCHECK_INT(l.lease_s, 20);
    NCHECK_INT(l.t1_s, 10);
    NCHECK_INT(l.t2_s, 17);
    NCHECK(strcmp(l.hostname, "uni") == 0);
    NCHECK(strcmp(l.domain, "test.example") == 0);
    struct node *c = node_get(0);
    NCHECK(mirage_ipv4_configured(V4));
    NCHECK_INT(mirage_ipv4_config(V4)->cidr.addr, OFFER_IP);
    NCHECK_INT(mirage_ipv4_config(V4)->gateway, SRV_IP);
    NCHECK_INT(mirage_ip_mtu(c->ip, NULL), 1400 - 20);
    struct mirage_ipaddr dns[4];
    NCHECK_INT(mirage_dhcp_dns_servers(dhcp, dns, 4), 2);
    NCHECK_INT(dns[0].v4, MIRAGE_IPV4(10, 0, 0, 1));
    NCHECK(logged("[dhcp] lease 10.0.0.50/24 from 10.0.0.1: gateway "
                  "10.0.0.1, DNS 10.0.0.1 10.0.0.2, lease 20 s, host name "
                  "uni, domain test.example"));
    NCHECK(logged("[ipv4] address 10.0.0.50/24, gateway 10.0.0.1"));
    NCHECK(answers(OFFER_IP));
    /* The ARP probe of the offered address went unanswered. */
    NCHECK_INT(mirage_dhcp_stats(dhcp)->conflicts, 0);
    NCHECK_INT(mirage_dhcp_stats(dhcp)->leases, 1);
    client_down();
    return 0;
}

TEST(lease_is_obtained_and_configured)
{
    net_run(101, setup, lease_body);
}

static int backoff_body(void)
{
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    servers[0].ignore_discovers = 3;
    NCHECK_INT(client_up(NULL), 0);
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(5)),
               MIRAGE_ETIMEDOUT);
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(60)), 0);
    NCHECK_INT(count(DHCP_DISCOVER), 4);
    /* 4, 8, 16 s, each +-1 s; the same transaction throughout. */
    static const uint64_t base[] = {4, 8, 16};
    for (int i = 0; i < 3; i++) {
        uint64_t gap = seen[i + 1].at - seen[i].at;
        NCHECK(gap >= MIRAGE_SEC(base[i] - 1) &&
               gap <= MIRAGE_SEC(base[i] + 1));
        NCHECK_INT(seen[i + 1].xid, seen[0].xid);
    }
    NCHECK(logged("[dhcp] no offer yet (3 discover messages sent)"));
    NCHECK(!logged("(6 discover"));
    /* secs counts from the start of the exchange. */
    NCHECK(seen[3].secs >= 25 && seen[3].secs <= 31);
    client_down();
    return 0;
}

TEST(discover_backs_off)
{
    net_run(102, setup, backoff_body);
}

static int renew_body(void)
{
    struct mirage_dhcp_lease first;
    NCHECK_INT(bound_client(&first), 0);
    uint64_t seen_ev = 0;
    NCHECK_INT(mirage_dhcp_wait_event(dhcp, &seen_ev, 0), 0);
    /* Nothing until T1 (10 s), then a unicast REQUEST from our address. */
    net_wait(first.bound_at + MIRAGE_SEC(10) - mirage_now() - MIRAGE_MSEC(100));
    NCHECK_INT(nseen, 2);
    NCHECK_INT(
        mirage_dhcp_wait_event(dhcp, &seen_ev, mirage_now() + MIRAGE_SEC(1)),
        0);
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_RENEWING);
    NCHECK(logged("[dhcp] renewing 10.0.0.50 with 10.0.0.1"));
    NCHECK_INT(
        mirage_dhcp_wait_event(dhcp, &seen_ev, mirage_now() + MIRAGE_SEC(1)),
        0);
    NCHECK_INT(nseen, 3);
    struct seen *r = &seen[2];
    NCHECK_INT(r->type, DHCP_REQUEST);
    NCHECK_INT(r->src.v4, OFFER_IP);
    NCHECK_INT(r->dst.v4, SRV_IP);
    NCHECK_INT(r->ciaddr, OFFER_IP);
    NCHECK_INT(r->requested, 0);
    NCHECK_INT(r->server_id, 0);
    NCHECK_INT(r->flags, 0);
    NCHECK(r->xid != seen[0].xid);
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_BOUND);
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), 0);
    NCHECK_INT(l.bound_at, r->at);
    NCHECK(logged("[dhcp] lease 10.0.0.50/24 renewed by 10.0.0.1: 20 s"));
    NCHECK_INT(mirage_dhcp_stats(dhcp)->leases, 2);
    /* The address stayed in place throughout. */
    NCHECK(answers(OFFER_IP));
    client_down();
    return 0;
}

TEST(lease_is_renewed_at_t1)
{
    net_run(103, setup, renew_body);
}

static int rebind_body(void)
{
    struct mirage_dhcp_lease first;
    NCHECK_INT(bound_client(&first), 0);
    /* Our server stops answering unicast; a second server answers
     * broadcasts. */
    servers[0].silent = true;
    NCHECK_INT(server_up(1, 2, SRV2_IP), 0);
    net_wait(first.bound_at + MIRAGE_MSEC(16900) - mirage_now());
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_RENEWING);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_BOUND);
    /* Renewal at T1 and once more halfway to T2 (10 s, 13.5 s), then
     * rebinding at T2 (17 s: 7/8 of the lease, in whole seconds),
     * broadcast, answered by the other. */
    NCHECK_INT(count(DHCP_REQUEST), 4);
    int r1 = nth(DHCP_REQUEST, 1), r2 = nth(DHCP_REQUEST, 2);
    int r3 = nth(DHCP_REQUEST, 3);
    NCHECK_INT(seen[r1].at - first.bound_at, MIRAGE_SEC(10));
    NCHECK_INT(seen[r2].at - first.bound_at, MIRAGE_MSEC(13500));
    NCHECK_INT(seen[r1].dst.v4, SRV_IP);
    NCHECK_INT(seen[r2].dst.v4, SRV_IP);
    NCHECK_INT(seen[r1].xid, seen[r2].xid);
    NCHECK_INT(seen[r3].at - first.bound_at, MIRAGE_SEC(17));
    NCHECK_INT(seen[r3].dst.v4, MIRAGE_IPV4_BROADCAST);
    NCHECK_INT(seen[r3].src.v4, OFFER_IP);
    NCHECK_INT(seen[r3].ciaddr, OFFER_IP);
    NCHECK_INT(seen[r3].server_id, 0);
    NCHECK(logged("[dhcp] rebinding 10.0.0.50 with any server"));
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), 0);
    NCHECK_INT(l.server, SRV2_IP);
    NCHECK_INT(l.cidr.addr, OFFER_IP);
    NCHECK(logged("[dhcp] lease 10.0.0.50/24 from 10.0.0.2"));
    client_down();
    return 0;
}

TEST(lease_is_rebound_at_t2)
{
    net_run(104, setup, rebind_body);
}

static int expiry_body(void)
{
    struct mirage_dhcp_lease first;
    NCHECK_INT(bound_client(&first), 0);
    servers[0].silent = true;
    struct node *c = node_get(0);
    net_wait(first.bound_at + MIRAGE_SEC(20) - mirage_now() - MIRAGE_MSEC(10));
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_REBINDING);
    NCHECK(mirage_ipv4_configured(V4));
    net_wait(MIRAGE_MSEC(20));
    /* Expired: the address is gone, and the client discovers again. */
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_INIT);
    NCHECK(!mirage_ipv4_configured(V4));
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), MIRAGE_ENOENT);
    struct mirage_ipaddr addrs[2];
    NCHECK_INT(mirage_ip_addresses(c->ip, addrs, 2), 0);
    mirage_ipv4_addr ips[2];
    NCHECK_INT(mirage_arp_get_ips(c->arp, ips, 2), 0);
    NCHECK_INT(mirage_dhcp_dns_servers(dhcp, addrs, 2), 0);
    NCHECK_INT(mirage_dhcp_stats(dhcp)->expired, 1);
    NCHECK(logged("[dhcp] lease of 10.0.0.50 from 10.0.0.1 expired"));
    NCHECK(logged("[ipv4] address 10.0.0.50/24 removed"));
    NCHECK(!answers(OFFER_IP));
    int d = nth(DHCP_DISCOVER, 1);
    NCHECK(d >= 0);
    /* It asks for its old address again. */
    NCHECK_INT(seen[d].requested, OFFER_IP);
    NCHECK_INT(seen[d].src.v4, 0);
    /* The server is back: a new lease. */
    servers[0].silent = false;
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(30)), 0);
    NCHECK(answers(OFFER_IP));
    client_down();
    return 0;
}

TEST(lease_expires_and_the_address_goes)
{
    net_run(105, setup, expiry_body);
}

static int nak_body(void)
{
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    servers[0].nak = true;
    NCHECK_INT(client_up(NULL), 0);
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_MSEC(500)),
               MIRAGE_ETIMEDOUT);
    /* Refused: back to discovering after a second, then two ... */
    NCHECK_INT(count(DHCP_REQUEST), 1);
    NCHECK_INT(count(DHCP_DISCOVER), 1);
    NCHECK_INT(mirage_dhcp_stats(dhcp)->rx_nak, 1);
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_INIT);
    net_wait(MIRAGE_SEC(4));
    NCHECK_INT(count(DHCP_DISCOVER), 3);
    int d1 = nth(DHCP_DISCOVER, 1), d2 = nth(DHCP_DISCOVER, 2);
    NCHECK_INT(seen[d1].at - seen[0].at, MIRAGE_SEC(1));
    NCHECK_INT(seen[d2].at - seen[d1].at, MIRAGE_SEC(2));
    NCHECK(logged("[dhcp] 10.0.0.1 refused 10.0.0.50: no?today"));
    /* Bound, then refused at renewal: the address goes. */
    servers[0].nak = false;
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(60)), 0);
    servers[0].nak = true;
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), 0);
    net_wait(l.bound_at + MIRAGE_SEC(10) + MIRAGE_MSEC(10) - mirage_now());
    NCHECK(!mirage_ipv4_configured(V4));
    NCHECK(mirage_dhcp_state(dhcp) == MIRAGE_DHCP_INIT ||
           mirage_dhcp_state(dhcp) == MIRAGE_DHCP_REQUESTING);
    NCHECK(logged("[dhcp] 10.0.0.1 refused to extend 10.0.0.50"));
    NCHECK(logged("[ipv4] address 10.0.0.50/24 removed"));
    client_down();
    return 0;
}

TEST(nak_sends_the_client_back_to_init)
{
    net_run(106, setup, nak_body);
}

static int decline_body(void)
{
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    /* Node 2 already has the address the server offers. */
    NCHECK_INT(node_connect(2, "10.0.0.50/24", NULL), 0);
    NCHECK_INT(client_up(NULL), 0);
    uint64_t ev = 0;
    NCHECK_INT(mirage_dhcp_wait_event(dhcp, &ev, mirage_now() + MIRAGE_SEC(5)),
               0);
    NCHECK_INT(mirage_dhcp_stats(dhcp)->conflicts, 1);
    net_wait(MIRAGE_MSEC(10));
    int d = nth(DHCP_DECLINE, 0);
    NCHECK(d >= 0);
    NCHECK_INT(seen[d].requested, OFFER_IP);
    NCHECK_INT(seen[d].server_id, SRV_IP);
    NCHECK_INT(seen[d].ciaddr, 0);
    NCHECK_INT(seen[d].src.v4, 0);
    NCHECK_INT(seen[d].dst.v4, MIRAGE_IPV4_BROADCAST);
    NCHECK(!seen[d].has_params);
    NCHECK(!mirage_ipv4_configured(V4));
    NCHECK(logged("[dhcp] 10.0.0.50 is in use by 02:00:00:00:00:03: "
                  "declining it to 10.0.0.1"));
    /* The server offers another address; the client waits ten seconds
     * before asking again. */
    servers[0].offer_ip = MIRAGE_IPV4(10, 0, 0, 51);
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(30)), 0);
    int again = nth(DHCP_DISCOVER, 1);
    NCHECK(again > d);
    NCHECK(seen[again].at - seen[d].at >= MIRAGE_SEC(10));
    NCHECK_INT(seen[again].requested, 0);
    struct mirage_dhcp_lease l;
    NCHECK_INT(mirage_dhcp_lease(dhcp, &l), 0);
    NCHECK_INT(l.cidr.addr, MIRAGE_IPV4(10, 0, 0, 51));
    client_down();
    return 0;
}

TEST(address_in_use_is_declined)
{
    net_run(107, setup, decline_body);
}

static int release_body(void)
{
    struct mirage_dhcp_lease first;
    NCHECK_INT(bound_client(&first), 0);
    mirage_dhcp_release(dhcp);
    NCHECK_INT(mirage_dhcp_state(dhcp), MIRAGE_DHCP_STOPPED);
    NCHECK_INT(mirage_dhcp_wait_bound(dhcp, MIRAGE_FOREVER), MIRAGE_ECLOSED);
    uint64_t ev = 0;
    NCHECK_INT(mirage_dhcp_wait_event(dhcp, &ev, 0), 0);
    NCHECK_INT(mirage_dhcp_wait_event(dhcp, &ev, MIRAGE_FOREVER),
               MIRAGE_ECLOSED);
    net_wait(MIRAGE_MSEC(10));
    int r = nth(DHCP_RELEASE, 0);
    NCHECK(r >= 0);
    NCHECK_INT(seen[r].ciaddr, OFFER_IP);
    NCHECK_INT(seen[r].server_id, SRV_IP);
    NCHECK_INT(seen[r].requested, 0);
    NCHECK_INT(seen[r].dst.v4, SRV_IP);
    NCHECK(!mirage_ipv4_configured(V4));
    NCHECK(logged("[dhcp] released 10.0.0.50 to 10.0.0.1"));
    /* Nothing more is sent once stopped. */
    int before = nseen;
    net_wait(MIRAGE_SEC(60));
    NCHECK_INT(nseen, before);
    mirage_dhcp_release(dhcp);
    client_down();
    return 0;
}

TEST(release_gives_the_lease_back)
{
    net_run(108, setup, release_body);
}

/* The stack DHCP configures: a direct stack over the client's layer whose
 * DNS servers are the lease's, at each call; a stack over another layer
 * is refused. */
static int stack_body(void)
{
    struct mirage_dhcp_lease l;
    NCHECK_INT(bound_client(&l), 0);
    struct node *c = node_get(0);
    struct mirage_stack *direct, *s = NULL, other = {.ipv4 = NULL};
    NCHECK_INT(mirage_stack_connect_dhcp(&s, &other, dhcp), MIRAGE_EINVAL);
    NCHECK(!s && !other.dns_servers);
    NCHECK_INT(mirage_stack_connect_direct(&direct, c->net, c->eth, c->arp, V4,
                                           NULL, net_random),
               0);
    NCHECK(!direct->dns_servers);
    NCHECK_INT(mirage_stack_connect_dhcp(&s, direct, dhcp), 0);
    NCHECK(s == direct);
    struct mirage_ipaddr dns[4];
    NCHECK_INT(s->dns_servers(s->dns_servers_arg, dns, 4), 2);
    NCHECK_INT(dns[0].v4, SRV_IP);
    NCHECK_INT(dns[1].v4, MIRAGE_IPV4(10, 0, 0, 2));
    mirage_dhcp_release(dhcp);
    NCHECK_INT(s->dns_servers(s->dns_servers_arg, dns, 4), 0);
    mirage_stack_disconnect_direct(direct);
    client_down();
    return 0;
}

TEST(stack_asks_the_lease_for_dns_servers)
{
    net_run(112, setup, stack_body);
}

/* Rogue replies: each of these is dropped whole. */
static size_t cut_option(uint8_t *m, size_t len)
{
    m[len - 1] = 6; /* END becomes a DNS option running past the end */
    return len;
}
static size_t no_cookie(uint8_t *m, size_t len)
{
    m[236] = 0;
    return len;
}
static size_t no_type(uint8_t *m, size_t len)
{
    m[240] = 0; /* the message type option becomes padding ... */
    m[241] = 0;
    m[242] = 0;
    return len;
}
static size_t bad_yiaddr(uint8_t *m, size_t len)
{
    mirage_put_be32(m + 16, MIRAGE_IPV4(127, 0, 0, 1));
    return len;
}
static size_t wrong_chaddr(uint8_t *m, size_t len)
{
    m[33] ^= 1;
    return len;
}
static size_t truncated(uint8_t *m, size_t len)
{
    (void)m;
    (void)len;
    return 200;
}

static int rogue_body(void)
{
    static const tamper_fn rogues[] = {cut_option, no_cookie, no_type,
                                       bad_yiaddr, truncated, wrong_chaddr};
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    for (size_t i = 0; i < sizeof rogues / sizeof rogues[0]; i++) {
        servers[0].tamper = rogues[i];
        servers[0].tamper_count = 1;
        if (i == 0)
            NCHECK_INT(client_up(NULL), 0);
        /* The rogue offer is dropped; the retransmission gets a good
         * one. */
        NCHECK_INT(
            mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_MSEC(2900)),
            MIRAGE_ETIMEDOUT);
        NCHECK_INT(mirage_dhcp_wait_bound(dhcp, mirage_now() + MIRAGE_SEC(70)),
                   0);
        NCHECK_INT(mirage_dhcp_lease(dhcp, &(struct mirage_dhcp_lease){0}), 0);
        if (i + 1 < sizeof rogues / sizeof rogues[0]) {
            mirage_dhcp_release(dhcp);
            client_down();
            NCHECK_INT(client_start(NULL), 0);
        }
    }
    NCHECK(logged("[dhcp] dropped a malformed message from 10.0.0.1: an "
                  "option runs past the end of the message"));
    NCHECK(logged("from 10.0.0.1: no DHCP magic cookie"));
    NCHECK(logged("from 10.0.0.1: no valid message type"));
    NCHECK(logged("[dhcp] ignored an offer from 10.0.0.1: an unusable "
                  "address"));
    NCHECK(logged("from 10.0.0.1: shorter than a DHCP message"));
    client_down();
    return 0;
}

TEST(rogue_replies_are_dropped)
{
    net_run(109, setup, rogue_body);
}

/* A UDP datagram injected to the client: from 10.0.0.1:sport to
 * 255.255.255.255:68, with the given checksum (0: none) and length field. */
static void inject_udp(uint16_t sport, uint16_t csum, uint16_t ulen)
{
    uint8_t frame[14 + 20 + 8 + 240] = {0};
    struct node *c = node_get(0);
    size_t h = build_eth_ipv4(frame, c, SRV_IP, MIRAGE_IPV4_BROADCAST,
                              MIRAGE_IP_PROTO_UDP, 1, 0, 8 + 240);
    uint8_t *u = frame + h;
    mirage_put_be16(u, sport);
    mirage_put_be16(u + 2, 68);
    mirage_put_be16(u + 4, ulen);
    mirage_put_be16(u + 6, csum);
    u[8] = 2; /* a BOOTREPLY without a cookie */
    testnet_inject(testnet_plat_net, c->port, frame, sizeof frame);
}

static int hook_body(void)
{
    NCHECK_INT(server_up(0, 1, SRV_IP), 0);
    NCHECK_INT(client_up(NULL), 0);
    struct mirage_ipv4 *v4;
    NCHECK_INT(mirage_ipv4_connect_dhcp(&v4, dhcp), 0);
    NCHECK(v4 == V4);
    NCHECK(mirage_ipv4_configured(v4));
    const struct mirage_dhcp_stats *st = mirage_dhcp_stats(dhcp);
    /* A wrong checksum, a length beyond the datagram, one too short. */
    uint64_t bad = st->rx_malformed;
    inject_udp(67, 0x1234, 8 + 240);
    inject_udp(67, 0, 8 + 241);
    inject_udp(67, 0, 7);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(st->rx_malformed - bad, 3);
    NCHECK(logged("[dhcp] dropped a bad UDP datagram from 10.0.0.1"));
    /* Not from a server's port: ignored. */
    uint64_t ignored = st->rx_ignored;
    inject_udp(99, 0, 8 + 240);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(st->rx_ignored - ignored, 1);
    NCHECK_INT(st->rx_malformed - bad, 3);
    /* The stack's UDP device never sees port 68. */
    NCHECK_INT(mirage_udp_stats(node_get(0)->udp)->rx_pkts, 0);
    NCHECK_INT(mirage_udp_stats(node_get(0)->udp)->rx_no_port, 0);
    client_down();
    return 0;
}

TEST(port_68_is_the_clients)
{
    net_run(111, setup, hook_body);
}

/* ---- The IPv4 layer without an address ----------------------------------
 */

static int unconfigured_body(void)
{
    struct node *c = node_get(0);
    NCHECK_INT(mirage_net_connect_netif(&c->net, "node0"), 0);
    NCHECK_INT(mirage_ethernet_connect_direct(&c->eth, c->net), 0);
    NCHECK_INT(mirage_arp_connect_direct(&c->arp, c->eth), 0);
    NCHECK_INT(mirage_ipv4_connect_unconfigured(&c->v4, c->eth, c->arp), 0);
    c->ip = mirage_ipv4_ip(c->v4);
    NCHECK_INT(mirage_udp_connect_direct(&c->udp, c->ip, net_random), 0);
    NCHECK_INT(node_connect(1, "10.0.0.1/24", NULL), 0);
    NCHECK(!mirage_ipv4_configured(c->v4));
    NCHECK(logged("[ipv4] no address yet"));
    struct mirage_ipaddr addrs[2], src;
    NCHECK_INT(mirage_ip_addresses(c->ip, addrs, 2), 0);
    struct mirage_ipaddr peer = mirage_ipaddr_of_v4(SRV_IP);
    struct mirage_ipaddr all = mirage_ipaddr_of_v4(MIRAGE_IPV4_BROADCAST);
    /* Only broadcasts, from 0.0.0.0. */
    NCHECK_INT(mirage_ip_src(c->ip, &peer, &src), MIRAGE_EUNREACH);
    NCHECK_INT(mirage_ip_src(c->ip, &all, &src), 0);
    NCHECK_INT(src.v4, 0);
    NCHECK_INT(mirage_udp_write(c->udp, NULL, 5, &peer, 9, "x", 1),
               MIRAGE_EUNREACH);
    got_probe = 0;
    NCHECK_INT(mirage_udp_listen(node_get(1)->udp, 9, on_probe, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_write(c->udp, NULL, 5, &all, 9, "x", 1), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got_probe, 1);
    /* Unicast to 0.0.0.0 or anything else is not for it. */
    NCHECK_INT(mirage_udp_listen(c->udp, 7, on_probe, NULL, NULL), 0);
    got_probe = 0;
    struct mirage_ipaddr zero = mirage_ipaddr_of_v4(0);
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_query(node_get(1)->arp, MIRAGE_IPV4(10, 0, 0, 50),
                                mac, mirage_now() + MIRAGE_SEC(5)),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_udp_write(node_get(1)->udp, NULL, 5, &zero, 7, "x", 1),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_udp_write(node_get(1)->udp, NULL, 5, &all, 7, "b", 1), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got_probe, 1);
    /* Configured at run time: answers ARP, reachable, mtu capped. */
    struct mirage_ipv4_config cfg = {{MIRAGE_IPV4(10, 0, 0, 50), 24}, SRV_IP};
    struct mirage_ipv4_config bad = {{0, 24}, 0};
    NCHECK_INT(mirage_ipv4_set_config(c->v4, &bad), MIRAGE_EINVAL);
    NCHECK_INT(mirage_ipv4_set_config(c->v4, &cfg), 0);
    NCHECK(logged("[ipv4] address 10.0.0.50/24, gateway 10.0.0.1"));
    NCHECK_INT(mirage_ip_addresses(c->ip, addrs, 2), 1);
    NCHECK_INT(mirage_ip_src(c->ip, &peer, &src), 0);
    NCHECK_INT(src.v4, MIRAGE_IPV4(10, 0, 0, 50));
    /* (node 1 learns the address from the announcement) */
    net_wait(MIRAGE_MSEC(10));
    NCHECK(answers(MIRAGE_IPV4(10, 0, 0, 50)));
    NCHECK_INT(mirage_ipv4_set_mtu(c->v4, 67), MIRAGE_EINVAL);
    NCHECK_INT(mirage_ipv4_set_mtu(c->v4, 576), 0);
    NCHECK_INT(mirage_ip_mtu(c->ip, &peer), 556);
    uint64_t frags = c->ip->stats.tx_frags;
    static uint8_t big[1000];
    NCHECK_INT(mirage_udp_write(c->udp, NULL, 5, &peer, 9, big, sizeof big), 0);
    NCHECK_INT(c->ip->stats.tx_frags - frags, 2);
    got_probe = 0;
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got_probe, 1);
    NCHECK_INT(mirage_ipv4_set_mtu(c->v4, 0), 0);
    NCHECK_INT(mirage_ip_mtu(c->ip, &peer), 1480);
    /* A new address replaces the old one in ARP. */
    cfg.cidr.addr = MIRAGE_IPV4(10, 0, 0, 60);
    NCHECK_INT(mirage_ipv4_set_config(c->v4, &cfg), 0);
    mirage_ipv4_addr ips[4];
    NCHECK_INT(mirage_arp_get_ips(c->arp, ips, 4), 1);
    NCHECK_INT(ips[0], MIRAGE_IPV4(10, 0, 0, 60));
    NCHECK(answers(MIRAGE_IPV4(10, 0, 0, 60)));
    /* Removed: unreachable again. */
    mirage_ipv4_clear_config(c->v4);
    mirage_ipv4_clear_config(c->v4);
    NCHECK(logged("[ipv4] address 10.0.0.60/24 removed"));
    NCHECK_INT(mirage_arp_get_ips(c->arp, ips, 4), 0);
    NCHECK_INT(mirage_ip_addresses(c->ip, addrs, 2), 0);
    NCHECK(!answers(MIRAGE_IPV4(10, 0, 0, 60)));
    return 0;
}

TEST(ipv4_without_an_address)
{
    net_run(110, setup, unconfigured_body);
}

int main(void)
{
    return test_main();
}
