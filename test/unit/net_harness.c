/* Helpers for the network stack tests (net_harness.h). */
#include "net_harness.h"

#include "../../lib/rt/internal.h"

#include <mirage/log.h>
#include <stdio.h>
#include <string.h>

static struct node nodes[MAX_NODES];
static int nnodes;

static uint64_t rng_state;
static int generate(struct mirage_random *r, void *buf, size_t len)
{
    (void)r;
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (uint8_t)(rng_state >> 56);
    }
    return 0;
}
static const struct mirage_random_ops random_ops = {.generate = generate};
static struct mirage_random random_dev = {&random_ops};
struct mirage_random *net_random = &random_dev;

int node_add(size_t mtu)
{
    int i = nnodes++;
    struct node *n = &nodes[i];
    *n = (struct node){0};
    uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)(i + 1)};
    memcpy(n->mac, mac, 6);
    char name[16];
    snprintf(name, sizeof name, "node%d", i);
    n->port = (unsigned)testnet_add_port(testnet_plat_net, name, mac, mtu);
    return i;
}

struct node *node_get(int i)
{
    return &nodes[i];
}

/* The layers of node i up to Ethernet and ARP. */
static int node_connect_eth(int i)
{
    struct node *n = &nodes[i];
    char name[16];
    snprintf(name, sizeof name, "node%d", i);
    int err = mirage_net_connect_netif(&n->net, name);
    if (!err)
        err = mirage_ethernet_connect_direct(&n->eth, n->net);
    if (!err)
        err = mirage_arp_connect_direct(&n->arp, n->eth);
    return err;
}

int node_connect_ip(int i, const char *cidr, const char *gateway)
{
    struct node *n = &nodes[i];
    int err = node_connect_eth(i);
    if (!err)
        err = mirage_ipv4_connect_direct(&n->v4, n->eth, n->arp, cidr, gateway);
    if (!err)
        n->ip = mirage_ipv4_ip(n->v4);
    return err;
}

int node_connect_dual(int i, const char *cidr4, const char *cidr6,
                      bool accept_ra)
{
    struct node *n = &nodes[i];
    int err = node_connect_eth(i);
    if (!err && cidr4)
        err = mirage_ipv4_connect_direct(&n->v4, n->eth, n->arp, cidr4, NULL);
    if (!err)
        err = mirage_ipv6_connect_direct(&n->v6, n->eth, net_random, cidr6, "",
                                         accept_ra);
    if (!err)
        err = mirage_ip_connect_v4v6(&n->ip, n->v4, n->v6);
    if (!err)
        err = mirage_udp_connect_direct(&n->udp, n->ip, net_random);
    return err;
}

int node_connect(int i, const char *cidr, const char *gateway)
{
    int err = node_connect_ip(i, cidr, gateway);
    if (!err)
        err = mirage_udp_connect_direct(&nodes[i].udp, nodes[i].ip, net_random);
    return err;
}

void net_wait(uint64_t ns)
{
    mirage_sleep_ns(ns);
}

static int (*current_body)(void);

static int main_fiber(void *arg)
{
    (void)arg;
    int r = current_body();
    for (int i = 0; i < nnodes; i++) {
        struct node *n = &nodes[i];
        if (n->udp)
            mirage_udp_disconnect(n->udp);
        if (n->v6) {
            mirage_ip_disconnect_v4v6(n->ip);
            mirage_ipv6_disconnect(n->v6);
        }
        if (n->v4)
            mirage_ipv4_disconnect(n->v4);
        if (n->arp)
            mirage_arp_disconnect(n->arp);
        if (n->eth)
            mirage_ethernet_disconnect(n->eth);
        if (n->net)
            mirage_net_disconnect(n->net);
    }
    /* Let the timer fiber see that nothing is armed and end. */
    for (int i = 0; i < 4; i++)
        mirage_fiber_yield();
    if (r == 0 && mirage_net_timer_count() != 0) {
        test_fail(__FILE__, __LINE__, "%zu timers left armed",
                  mirage_net_timer_count());
        r = 1;
    }
    return r;
}

void net_run(uint64_t seed, void (*setup)(void), int (*body)(void))
{
    testnet_plat_net = testnet_create(seed);
    if (!testnet_plat_net) {
        test_fail(__FILE__, __LINE__, "out of memory");
        return;
    }
    rng_state = seed;
    nnodes = 0;
    testnet_plat_console_clear();
    mirage_log_set_default_level(MIRAGE_LOG_INFO);
    if (setup)
        setup();
    current_body = body;
    int r = rt_run_main(main_fiber, NULL);
    if (r != 0) {
        if (!test_failed_here)
            test_fail(__FILE__, __LINE__, "body returned %d", r);
        printf("%s", testnet_plat_console());
    }
    testnet_destroy(testnet_plat_net);
    testnet_plat_net = NULL;
    for (int i = 0; i < nnodes; i++)
        nodes[i] = (struct node){0};
    nnodes = 0;
}

void fix_ipv4_csum(uint8_t *p)
{
    uint8_t *h = p + 14;
    size_t hl = (size_t)(h[0] & 15) * 4;
    mirage_put_be16(h + 10, 0);
    mirage_put_be16(h + 10, mirage_csum_fold(mirage_csum_add(0, h, hl)));
}

int send_echo(struct node *a, const struct mirage_ipaddr *to, int fill)
{
    struct mirage_buf *m = mirage_buf_alloc(64);
    if (!m)
        return MIRAGE_ENOMEM;
    memset(m->data, fill, 64);
    m->data[0] = 8; /* echo request */
    m->data[1] = 0;
    mirage_put_be16(m->data + 2, 0);
    mirage_put_be16(m->data + 2,
                    mirage_csum_fold(mirage_csum_add(0, m->data, 64)));
    return mirage_ip_write(a->ip, NULL, to, MIRAGE_IP_PROTO_ICMP, m);
}

size_t build_eth_ipv4(uint8_t *p, const struct node *to, uint32_t src,
                      uint32_t dst, uint8_t proto, uint16_t id, uint16_t frag,
                      size_t payload_len)
{
    static const uint8_t from[6] = {2, 0, 0, 0, 0, 0x99};
    memcpy(p, to->mac, 6);
    memcpy(p + 6, from, 6);
    mirage_put_be16(p + 12, MIRAGE_ETHERTYPE_IPV4);
    uint8_t *h = p + 14;
    memset(h, 0, 20);
    h[0] = 0x45;
    mirage_put_be16(h + 2, (uint16_t)(20 + payload_len));
    mirage_put_be16(h + 4, id);
    mirage_put_be16(h + 6, frag);
    h[8] = 64;
    h[9] = proto;
    mirage_put_be32(h + 12, src);
    mirage_put_be32(h + 16, dst);
    fix_ipv4_csum(p);
    return 34;
}
