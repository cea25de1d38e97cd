/* Tests of the stack on the test network: connecting, ARP (resolution,
 * retries and failure, the queue bound, expiry, answers for every address,
 * gratuitous announcements, conflicts), ping, UDP both ways, port
 * unreachable delivered back to the sender, and routing via a gateway. */
#include "net_harness.h"

#include <mirage/log.h>
#include <string.h>

#define A_IP  MIRAGE_IPV4(10, 0, 0, 2)
#define B_IP  MIRAGE_IPV4(10, 0, 0, 3)
#define GW_IP MIRAGE_IPV4(10, 0, 0, 1)

static void two_nodes(void)
{
    node_add(1500);
    node_add(1500);
}

static void three_nodes(void)
{
    node_add(1500);
    node_add(1500);
    node_add(1500);
}

/* What the wire carried: a copy of the frames each port sent. */
#define TAP_MAX 256
static struct {
    unsigned port;
    size_t len;
    uint8_t data[128];
} tapped[TAP_MAX];
static size_t ntapped;

static void tap(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
    (void)arg;
    if (ntapped == TAP_MAX)
        return;
    tapped[ntapped].port = port;
    tapped[ntapped].len = len;
    memcpy(tapped[ntapped].data, frame, len < 128 ? len : 128);
    ntapped++;
}

static void start_tap(void)
{
    ntapped = 0;
    testnet_set_tap(testnet_plat_net, tap, NULL);
}

/* Received UDP datagrams. */
static struct {
    struct mirage_udp_peer peer;
    size_t len;
    uint8_t data[2048];
} got[64];
static int ngot, nerrors, last_error;
static struct mirage_udp_peer error_peer;

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg;
    if (ngot == 64)
        return;
    got[ngot].peer = *peer;
    got[ngot].len = len;
    memcpy(got[ngot].data, data, len < 2048 ? len : 2048);
    ngot++;
}

static void on_udp_error(void *arg, const struct mirage_udp_peer *peer, int err)
{
    (void)arg;
    nerrors++;
    last_error = err;
    error_peer = *peer;
}

static void reset_udp(void)
{
    ngot = nerrors = last_error = 0;
}

static const uint8_t service_mac[6] = {2, 0, 0, 0, 0, 0x55};

static int connect_errors_body(void)
{
    struct mirage_net *net;
    NCHECK_INT(mirage_net_connect_netif(&net, "nosuch"), MIRAGE_ENOENT);
    /* The default name here (not unix) is "service". */
    NCHECK_INT(mirage_net_connect_default(&net, "", true), 0);
    NCHECK(memcmp(net->mac, service_mac, 6) == 0);
    mirage_net_disconnect(net);
    NCHECK_INT(mirage_net_connect_netif(&net, "node0"), 0);
    struct mirage_net *again;
    NCHECK_INT(mirage_net_connect_netif(&again, "node0"), MIRAGE_ENOENT);
    NCHECK(strstr(testnet_plat_console(), "cannot acquire network device "
                                          "'nosuch'"));
    struct mirage_ethernet *e;
    struct mirage_arp *a;
    struct mirage_ipv4 *v4;
    NCHECK_INT(mirage_ethernet_connect_direct(&e, net), 0);
    NCHECK_INT(mirage_arp_connect_direct(&a, e), 0);
    static const char *const bad[][2] = {
        {"10.0.0.2", NULL},           {"10.0.0.2/33", NULL},
        {"0.0.0.0/24", NULL},         {"255.255.255.255/24", NULL},
        {"224.0.0.1/4", NULL},        {"10.0.0.2/24", "255.255.255.255"},
        {"10.0.0.2/24", "224.0.0.9"}, {"10.0.0.2/24", "10.0.0.2"},
        {"10.0.0.2/24", "x"},         {NULL, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        NCHECK_INT(mirage_ipv4_connect_direct(&v4, e, a, bad[i][0], bad[i][1]),
                   MIRAGE_EINVAL);
    NCHECK(strstr(testnet_plat_console(), "invalid --ipv4 '10.0.0.2'"));
    NCHECK(strstr(testnet_plat_console(), "invalid --ipv4-gateway 'x'"));
    NCHECK(strstr(testnet_plat_console(),
                  "unusable IPv4 configuration 10.0.0.2/24 (gateway "
                  "10.0.0.2)"));
    /* A failed connect leaves nothing behind: a good one works after. */
    NCHECK_INT(mirage_ipv4_connect_direct(&v4, e, a, "10.0.0.2/24", ""), 0);
    NCHECK_INT(mirage_ipv4_config(v4)->gateway, 0);
    mirage_ipv4_disconnect(v4);
    mirage_arp_disconnect(a);
    mirage_ethernet_disconnect(e);
    mirage_net_disconnect(net);
    return 0;
}

static void service_port(void)
{
    two_nodes();
    testnet_add_port(testnet_plat_net, "service", service_mac, 1500);
}

TEST(connect_errors)
{
    net_run(1, service_port, connect_errors_body);
}

static int udp_both_ways_body(void)
{
    start_tap();
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    /* Each announced its address with a gratuitous ARP request. */
    int announced = 0;
    for (size_t i = 0; i < ntapped; i++) {
        const uint8_t *f = tapped[i].data;
        if (mirage_get_be16(f + 12) == MIRAGE_ETHERTYPE_ARP &&
            mirage_get_be16(f + 20) == 1 &&
            mirage_get_be32(f + 28) == mirage_get_be32(f + 38) &&
            memcmp(f, mirage_mac_broadcast, 6) == 0)
            announced++;
    }
    NCHECK_INT(announced, 2);
    reset_udp();
    NCHECK_INT(mirage_udp_listen(b->udp, 7, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_listen(a->udp, 5000, on_udp, NULL, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    struct mirage_ipaddr aip = mirage_ipaddr_of_v4(A_IP);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 5000, &bip, 7, "hello", 5), 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 2); /* announce+ask */
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(ngot, 1);
    NCHECK_INT(got[0].len, 5);
    NCHECK(memcmp(got[0].data, "hello", 5) == 0);
    NCHECK(mirage_ipaddr_equal(&got[0].peer.src, &aip));
    NCHECK(mirage_ipaddr_equal(&got[0].peer.dst, &bip));
    NCHECK_INT(got[0].peer.src_port, 5000);
    NCHECK_INT(got[0].peer.dst_port, 7);
    /* Both ends learnt each other: the answer needs no resolution. */
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_lookup(a->arp, B_IP, mac), 0);
    NCHECK(memcmp(mac, b->mac, 6) == 0);
    NCHECK_INT(mirage_arp_lookup(b->arp, A_IP, mac), 0);
    NCHECK(memcmp(mac, a->mac, 6) == 0);
    NCHECK_INT(mirage_udp_write(b->udp, &bip, 7, &aip, 5000, "world!", 6), 0);
    NCHECK_INT(mirage_arp_stats(b->arp)->tx_requests, 1);
    /* An empty datagram, and a large one from an ephemeral port. */
    NCHECK_INT(mirage_udp_write(b->udp, NULL, 7, &aip, 5000, "", 0), 0);
    static uint8_t big[1400];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bip, 7, big, sizeof big), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(ngot, 4);
    NCHECK_INT(got[1].len, 6);
    NCHECK(memcmp(got[1].data, "world!", 6) == 0);
    /* a's empty datagram and b's large one arrive at the same time, in
     * either order; each node keeps its own order. */
    int e = got[2].len == 0 ? 2 : 3, l = 5 - e;
    NCHECK_INT(got[e].len, 0);
    NCHECK(mirage_ipaddr_equal(&got[e].peer.dst, &aip));
    NCHECK_INT(got[l].len, sizeof big);
    NCHECK(memcmp(got[l].data, big, sizeof big) == 0);
    NCHECK(got[l].peer.src_port >= MIRAGE_UDP_EPHEMERAL_MIN);
    NCHECK_INT(mirage_udp_stats(b->udp)->rx_pkts, 2);
    NCHECK_INT(mirage_udp_stats(a->udp)->tx_pkts, 2);
    return 0;
}

TEST(udp_both_ways)
{
    net_run(2, two_nodes, udp_both_ways_body);
}

static int udp_errors_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    struct node *a = node_get(0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    NCHECK_INT(mirage_udp_listen(a->udp, 0, on_udp, NULL, NULL), MIRAGE_EINVAL);
    NCHECK_INT(mirage_udp_listen(a->udp, 9, NULL, NULL, NULL), MIRAGE_EINVAL);
    NCHECK_INT(mirage_udp_listen(a->udp, 9, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_listen(a->udp, 9, on_udp, NULL, NULL), MIRAGE_EINUSE);
    /* Ports that share a hash bucket stay apart. */
    NCHECK_INT(mirage_udp_listen(a->udp, 9 + 64, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_unlisten(a->udp, 9), 0);
    NCHECK_INT(mirage_udp_unlisten(a->udp, 9), MIRAGE_ENOENT);
    NCHECK_INT(mirage_udp_unlisten(a->udp, 9 + 64), 0);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &bip, 0, "x", 1),
               MIRAGE_EINVAL);
    static uint8_t huge[65508];
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &bip, 9, huge, sizeof huge),
               MIRAGE_EINVAL);
    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &v6, 9, "x", 1),
               MIRAGE_EUNREACH);
    struct mirage_ipaddr other = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 9));
    NCHECK_INT(mirage_udp_write(a->udp, &other, 1, &bip, 9, "x", 1),
               MIRAGE_EINVAL);
    /* Off the network without a gateway: no route. */
    struct mirage_ipaddr far = mirage_ipaddr_of_v4(MIRAGE_IPV4(8, 8, 8, 8));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &far, 9, "x", 1),
               MIRAGE_EUNREACH);
    NCHECK_INT(a->ip->stats.tx_no_route, 1);
    /* Neither to ourselves, multicast nor 0.0.0.0. */
    struct mirage_ipaddr self = mirage_ipaddr_of_v4(A_IP);
    struct mirage_ipaddr mc = mirage_ipaddr_of_v4(MIRAGE_IPV4(224, 0, 0, 1));
    struct mirage_ipaddr any = mirage_ipaddr_of_v4(0);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &self, 9, "x", 1),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &mc, 9, "x", 1),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &any, 9, "x", 1),
               MIRAGE_EUNREACH);
    /* The IP layer refuses what it cannot send. */
    struct mirage_buf *b = mirage_buf_alloc_room(10, 4);
    NCHECK(b);
    NCHECK_INT(mirage_ip_write(a->ip, NULL, &bip, 17, b), MIRAGE_EINVAL);
    b = mirage_buf_alloc(4);
    NCHECK(b);
    NCHECK_INT(mirage_ip_write(a->ip, NULL, &v6, 17, b), MIRAGE_EINVAL);
    b = mirage_buf_alloc(65516);
    NCHECK(b);
    NCHECK_INT(mirage_ip_write(a->ip, NULL, &bip, 17, b), MIRAGE_EINVAL);
    struct mirage_ip_proto p = {0};
    NCHECK_INT(mirage_ip_set_proto(a->ip, 0, &p), MIRAGE_EINVAL);
    NCHECK_INT(mirage_ip_set_proto(a->ip, MIRAGE_IP_PROTO_ICMP, &p),
               MIRAGE_EINVAL);
    struct mirage_ipaddr src;
    NCHECK_INT(mirage_ip_src(a->ip, &v6, &src), MIRAGE_EUNREACH);
    NCHECK_INT(mirage_ip_src(a->ip, &bip, &src), 0);
    NCHECK(mirage_ipaddr_equal(&src, &self));
    NCHECK_INT(mirage_ip_mtu(a->ip, &bip), 1480);
    struct mirage_ipaddr addrs[2];
    NCHECK_INT(mirage_ip_addresses(a->ip, addrs, 2), 1);
    NCHECK(mirage_ipaddr_equal(&addrs[0], &self));
    return 0;
}

TEST(udp_and_ip_errors)
{
    net_run(3, two_nodes, udp_errors_body);
}

static int port_unreachable_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    reset_udp();
    NCHECK_INT(mirage_udp_listen(a->udp, 4000, on_udp, on_udp_error, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 4000, &bip, 53, "q", 1), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_udp_stats(b->udp)->rx_no_port, 1);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_errors, 1);
    NCHECK_INT(nerrors, 1);
    NCHECK_INT(last_error, MIRAGE_ECONNREFUSED);
    NCHECK_INT(error_peer.src_port, 4000);
    NCHECK_INT(error_peer.dst_port, 53);
    NCHECK(mirage_ipaddr_equal(&error_peer.dst, &bip));
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_errors, 1);
    /* No listener on the sending port: the error is dropped quietly. */
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 4001, &bip, 53, "q", 1), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(nerrors, 1);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_errors, 2);
    /* The errors are rate limited: a burst of 50, then one per 10 ms. */
    for (int i = 0; i < 100; i++)
        mirage_udp_write(a->udp, NULL, 4000, &bip, 53, "q", 1);
    net_wait(MIRAGE_MSEC(1));
    NCHECK(mirage_ipv4_icmp_stats(b->v4)->tx_errors < 60);
    NCHECK_INT(mirage_udp_stats(b->udp)->rx_no_port, 102);
    return 0;
}

TEST(port_unreachable_reaches_the_sender)
{
    net_run(4, two_nodes, port_unreachable_body);
}

static int ping_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    for (int i = 0; i < 3; i++)
        NCHECK_INT(send_echo(a, &bip, i), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->rx_echo_requests, 3);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_echo_replies, 3);
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies, 3);
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_malformed, 0);
    /* A broadcast ping is not answered (Linux's default). */
    struct mirage_ipaddr bc = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 255));
    struct mirage_buf *m = mirage_buf_alloc(8);
    NCHECK(m);
    memset(m->data, 0, 8);
    m->data[0] = 8;
    mirage_put_be16(m->data + 2,
                    mirage_csum_fold(mirage_csum_add(0, m->data, 8)));
    NCHECK_INT(mirage_ip_write(a->ip, NULL, &bc, MIRAGE_IP_PROTO_ICMP, m), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->rx_echo_requests, 4);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_echo_replies, 3);
    return 0;
}

TEST(ping)
{
    net_run(5, two_nodes, ping_body);
}

/* One ping in flight at a time: each side reads the frame it is told of
 * and does not read again to learn that nothing more waits (netif's
 * sparse mode), but for one probe every 8 reports; a burst afterwards
 * is read whole. */
static int ping_pong_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    NCHECK_INT(send_echo(a, &bip, 0), 0); /* ARP first */
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies, 1);
    const struct testnet_stats *st = testnet_stats(testnet_plat_net);
    uint64_t reads = st->reads, empty = st->empty_reads;
    for (int i = 1; i <= 64; i++) {
        NCHECK_INT(send_echo(a, &bip, i), 0);
        for (int w = 0; w < 100; w++) {
            if (mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies == 1u + i)
                break;
            net_wait(MIRAGE_USEC(100));
        }
        NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies, 1 + i);
    }
    /* 128 frames read; without the sparse mode as many empty reads. */
    NCHECK(st->reads - st->empty_reads - (reads - empty) == 128);
    NCHECK(st->empty_reads - empty <= 2 * (64 / 8 + 2));
    for (int i = 0; i < 20; i++)
        NCHECK_INT(send_echo(a, &bip, i), 0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_echo_replies, 85);
    NCHECK_INT(mirage_ipv4_icmp_stats(a->v4)->rx_echo_replies, 85);
    return 0;
}

TEST(ping_pong_reads_once_per_frame)
{
    net_run(5, two_nodes, ping_pong_body);
}

static int broadcast_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    NCHECK_INT(node_connect(2, "10.0.0.4/24", NULL), 0);
    reset_udp();
    NCHECK_INT(mirage_udp_listen(node_get(1)->udp, 67, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_listen(node_get(2)->udp, 67, on_udp, NULL, NULL), 0);
    struct mirage_ipaddr all = mirage_ipaddr_of_v4(MIRAGE_IPV4_BROADCAST);
    struct mirage_ipaddr net = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 255));
    NCHECK_INT(mirage_udp_write(node_get(0)->udp, NULL, 68, &all, 67, "b", 1),
               0);
    NCHECK_INT(mirage_udp_write(node_get(0)->udp, NULL, 68, &net, 67, "n", 1),
               0);
    /* Nobody listens on 69: broadcasts get no port unreachable. */
    NCHECK_INT(mirage_udp_write(node_get(0)->udp, NULL, 68, &all, 69, "x", 1),
               0);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(ngot, 4);
    NCHECK_INT(mirage_ipv4_icmp_stats(node_get(1)->v4)->tx_errors, 0);
    NCHECK_INT(mirage_arp_stats(node_get(0)->arp)->tx_requests, 1);
    return 0;
}

TEST(udp_broadcast)
{
    net_run(6, three_nodes, broadcast_body);
}

static int arp_failure_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    struct node *a = node_get(0);
    struct mirage_ipaddr nobody =
        mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 77));
    /* More packets than the queue holds: the oldest are dropped. */
    for (int i = 0; i < MIRAGE_ARP_QUEUE + 4; i++)
        NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &nobody, 9, "x", 1), 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->queue_dropped, 4);
    uint64_t t0 = mirage_now();
    uint8_t mac[6];
    /* A query with a short deadline times out; the resolution goes on. */
    NCHECK_INT(mirage_arp_query(a->arp, MIRAGE_IPV4(10, 0, 0, 77), mac,
                                t0 + MIRAGE_MSEC(500)),
               MIRAGE_ETIMEDOUT);
    NCHECK_INT(mirage_arp_query(a->arp, MIRAGE_IPV4(10, 0, 0, 77), mac,
                                MIRAGE_FOREVER),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_now() - t0,
               MIRAGE_ARP_RETRIES * MIRAGE_ARP_RETRY_INTERVAL);
    /* announce + three requests */
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 1 + MIRAGE_ARP_RETRIES);
    NCHECK_INT(mirage_arp_stats(a->arp)->resolve_failed, MIRAGE_ARP_QUEUE);
    /* Failed recently: refused at once, without asking again. */
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &nobody, 9, "x", 1),
               MIRAGE_EUNREACH);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 1 + MIRAGE_ARP_RETRIES);
    /* Later, it is tried again. */
    net_wait(MIRAGE_ARP_RETRY_INTERVAL);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &nobody, 9, "x", 1), 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 2 + MIRAGE_ARP_RETRIES);
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(10, 0, 0, 77), mac),
               MIRAGE_ENOENT);
    /* Broadcast needs no resolution. */
    NCHECK_INT(mirage_arp_query(a->arp, MIRAGE_IPV4_BROADCAST, mac, 0), 0);
    NCHECK(memcmp(mac, mirage_mac_broadcast, 6) == 0);
    return 0;
}

TEST(arp_retries_then_fails)
{
    net_run(7, two_nodes, arp_failure_body);
}

static int arp_expiry_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0);
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_query(a->arp, B_IP, mac, MIRAGE_FOREVER), 0);
    NCHECK(memcmp(mac, node_get(1)->mac, 6) == 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 2);
    /* Cached: no new request. */
    NCHECK_INT(mirage_arp_query(a->arp, B_IP, mac, MIRAGE_FOREVER), 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 2);
    net_wait(MIRAGE_ARP_TIMEOUT + MIRAGE_SEC(1));
    NCHECK_INT(mirage_arp_lookup(a->arp, B_IP, mac), MIRAGE_ENOENT);
    NCHECK_INT(mirage_arp_query(a->arp, B_IP, mac, MIRAGE_FOREVER), 0);
    NCHECK_INT(mirage_arp_stats(a->arp)->tx_requests, 3);
    return 0;
}

TEST(arp_entries_expire)
{
    net_run(8, two_nodes, arp_expiry_body);
}

/* An entry in use is confirmed before it expires, without a gap; when the
 * neighbour stops answering it goes after the retries. */
static int arp_refresh_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    reset_udp();
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    const struct mirage_arp_stats *s = mirage_arp_stats(a->arp);
    for (int i = 0; i < 130; i++) {
        NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &bip, 9, "x", 1), 0);
        net_wait(MIRAGE_SEC(1));
    }
    NCHECK_INT(mirage_udp_stats(b->udp)->rx_pkts, 130);
    /* announce, the first resolution, and one confirmation per minute */
    NCHECK_INT(s->tx_requests, 1 + 1 + 2);
    NCHECK_INT(s->queue_dropped, 0);
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_lookup(a->arp, B_IP, mac), 0);
    /* b goes away: the entry is used, then asked about, then dropped. */
    testnet_set_down(testnet_plat_net, b->port, true);
    for (int i = 0; i < 70; i++) {
        mirage_udp_write(a->udp, NULL, 1, &bip, 9, "x", 1);
        net_wait(MIRAGE_SEC(1));
    }
    NCHECK_INT(mirage_arp_lookup(a->arp, B_IP, mac), MIRAGE_ENOENT);
    NCHECK(s->tx_requests >= 4 + MIRAGE_ARP_RETRIES);
    testnet_set_down(testnet_plat_net, b->port, false);
    return 0;
}

TEST(arp_entries_in_use_are_confirmed)
{
    net_run(13, two_nodes, arp_refresh_body);
}

/* An ARP packet from the injected host 02:..:99. */
static void inject_arp(unsigned port, uint16_t op, uint32_t spa, uint32_t tpa,
                       const uint8_t sha[6])
{
    uint8_t f[60] = {0};
    memcpy(f, mirage_mac_broadcast, 6);
    memcpy(f + 6, sha, 6);
    mirage_put_be16(f + 12, MIRAGE_ETHERTYPE_ARP);
    mirage_put_be16(f + 14, 1);
    mirage_put_be16(f + 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    mirage_put_be16(f + 20, op);
    memcpy(f + 22, sha, 6);
    mirage_put_be32(f + 28, spa);
    mirage_put_be32(f + 38, tpa);
    testnet_inject(testnet_plat_net, port, f, sizeof f);
}

static int arp_answers_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    struct node *a = node_get(0);
    const uint8_t host[6] = {2, 0, 0, 0, 0, 0x99};
    NCHECK_INT(mirage_arp_add_ip(a->arp, MIRAGE_IPV4(10, 0, 0, 20)), 0);
    NCHECK_INT(mirage_arp_add_ip(a->arp, MIRAGE_IPV4(10, 0, 0, 20)),
               MIRAGE_EEXIST);
    NCHECK_INT(mirage_arp_add_ip(a->arp, 0), MIRAGE_EINVAL);
    NCHECK_INT(mirage_arp_add_ip(a->arp, MIRAGE_IPV4_BROADCAST), MIRAGE_EINVAL);
    mirage_ipv4_addr ips[4];
    NCHECK_INT(mirage_arp_get_ips(a->arp, ips, 4), 2);
    NCHECK_INT(ips[1], MIRAGE_IPV4(10, 0, 0, 20));
    start_tap();
    inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 0, 50), A_IP, host);
    inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 0, 50), MIRAGE_IPV4(10, 0, 0, 20),
               host);
    inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 0, 50), MIRAGE_IPV4(10, 0, 0, 21),
               host);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(ntapped, 2);
    for (size_t i = 0; i < 2; i++) {
        const uint8_t *f = tapped[i].data;
        NCHECK(memcmp(f, host, 6) == 0);
        NCHECK_INT(mirage_get_be16(f + 20), 2);
        NCHECK(memcmp(f + 22, a->mac, 6) == 0);
        NCHECK_INT(mirage_get_be32(f + 28),
                   i == 0 ? A_IP : MIRAGE_IPV4(10, 0, 0, 20));
        NCHECK(memcmp(f + 32, host, 6) == 0);
        NCHECK_INT(mirage_get_be32(f + 38), MIRAGE_IPV4(10, 0, 0, 50));
    }
    /* The asker was learnt. */
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(10, 0, 0, 50), mac), 0);
    NCHECK(memcmp(mac, host, 6) == 0);
    /* A host that asks someone else is not learnt... */
    inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 0, 51), MIRAGE_IPV4(10, 0, 0, 99),
               host);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(10, 0, 0, 51), mac),
               MIRAGE_ENOENT);
    /* ...but a known one is updated by anything it sends (RFC 826). */
    const uint8_t moved[6] = {2, 0, 0, 0, 0, 0x98};
    inject_arp(a->port, 2, MIRAGE_IPV4(10, 0, 0, 50), MIRAGE_IPV4(10, 0, 0, 99),
               moved);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(10, 0, 0, 50), mac), 0);
    NCHECK(memcmp(mac, moved, 6) == 0);
    /* Someone claiming our address is counted and logged. */
    inject_arp(a->port, 1, A_IP, A_IP, host);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(mirage_arp_stats(a->arp)->conflicts, 1);
    NCHECK(strstr(testnet_plat_console(),
                  "10.0.0.2 is claimed by 02:00:00:00:00:99 too"));
    /* Removed addresses are no longer answered; announce repeats ours. */
    NCHECK_INT(mirage_arp_remove_ip(a->arp, MIRAGE_IPV4(10, 0, 0, 20)), 0);
    NCHECK_INT(mirage_arp_remove_ip(a->arp, MIRAGE_IPV4(10, 0, 0, 20)),
               MIRAGE_ENOENT);
    ntapped = 0;
    inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 0, 50), MIRAGE_IPV4(10, 0, 0, 20),
               host);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(ntapped, 0);
    mirage_arp_announce(a->arp);
    NCHECK_INT(ntapped, 1);
    NCHECK_INT(mirage_get_be32(tapped[0].data + 28), A_IP);
    NCHECK_INT(mirage_get_be32(tapped[0].data + 38), A_IP);
    for (uint32_t i = 0; i < MIRAGE_ARP_MAX_IPS - 1; i++)
        NCHECK_INT(mirage_arp_add_ip(a->arp, MIRAGE_IPV4(10, 1, 0, 1 + i)), 0);
    NCHECK_INT(mirage_arp_add_ip(a->arp, MIRAGE_IPV4(10, 2, 0, 1)),
               MIRAGE_ENOSPC);
    return 0;
}

TEST(arp_answers_every_address)
{
    net_run(9, two_nodes, arp_answers_body);
}

static int arp_cache_bound_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/16", NULL), 0);
    struct node *a = node_get(0);
    const uint8_t host[6] = {2, 0, 0, 0, 0, 0x99};
    /* A flood of askers never grows the cache past its bound. */
    for (uint32_t i = 0; i < 2 * MIRAGE_ARP_MAX_ENTRIES; i++) {
        inject_arp(a->port, 1, MIRAGE_IPV4(10, 0, 100, 0) + i, A_IP, host);
        if (i % 64 == 63)
            net_wait(MIRAGE_MSEC(1));
    }
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(mirage_arp_stats(a->arp)->rx_requests,
               2 * MIRAGE_ARP_MAX_ENTRIES);
    NCHECK(mirage_net_timer_count() <= MIRAGE_ARP_MAX_ENTRIES);
    uint8_t mac[6];
    /* The newest entries are there, the oldest were replaced. */
    NCHECK_INT(mirage_arp_lookup(a->arp,
                                 MIRAGE_IPV4(10, 0, 100, 0) +
                                     2 * MIRAGE_ARP_MAX_ENTRIES - 1,
                                 mac),
               0);
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(10, 0, 100, 0), mac),
               MIRAGE_ENOENT);
    return 0;
}

TEST(arp_cache_is_bounded)
{
    net_run(10, two_nodes, arp_cache_bound_body);
}

static int gateway_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", "10.0.0.1"), 0);
    NCHECK_INT(node_connect(1, "10.0.0.1/24", NULL), 0);
    NCHECK_INT(node_connect(2, "10.0.0.3/24", NULL), 0);
    start_tap();
    struct node *a = node_get(0), *gw = node_get(1);
    struct mirage_ipaddr far = mirage_ipaddr_of_v4(MIRAGE_IPV4(192, 0, 2, 9));
    struct mirage_ipaddr near = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &far, 9, "far", 3), 0);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &near, 9, "near", 4), 0);
    net_wait(MIRAGE_MSEC(10));
    /* The far datagram went to the gateway's MAC, the near one direct. */
    int to_gw = 0, direct = 0;
    for (size_t i = 0; i < ntapped; i++) {
        const uint8_t *f = tapped[i].data;
        if (tapped[i].port != a->port ||
            mirage_get_be16(f + 12) != MIRAGE_ETHERTYPE_IPV4)
            continue;
        if (memcmp(f, gw->mac, 6) == 0 && mirage_get_be32(f + 30) == far.v4)
            to_gw++;
        if (memcmp(f, node_get(2)->mac, 6) == 0 &&
            mirage_get_be32(f + 30) == near.v4)
            direct++;
    }
    NCHECK_INT(to_gw, 1);
    NCHECK_INT(direct, 1);
    /* The gateway, which does not forward, counted it as not for it. */
    NCHECK_INT(gw->ip->stats.rx_not_us, 1);
    return 0;
}

TEST(routing_via_the_gateway)
{
    net_run(11, three_nodes, gateway_body);
}

/* A /32 address with a gateway outside it (as clouds hand out): the
 * gateway is reached directly, and everything else through it. */
static int onlink_gateway_body(void)
{
    NCHECK_INT(node_connect(0, "10.1.2.3/32", "169.254.1.1"), 0);
    NCHECK_INT(node_connect(1, "169.254.1.1/16", NULL), 0);
    struct node *a = node_get(0), *gw = node_get(1);
    struct mirage_ipaddr far = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 1, 2, 4));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &far, 9, "x", 1), 0);
    net_wait(MIRAGE_MSEC(10));
    uint8_t mac[6];
    NCHECK_INT(mirage_arp_lookup(a->arp, MIRAGE_IPV4(169, 254, 1, 1), mac), 0);
    NCHECK(memcmp(mac, gw->mac, 6) == 0);
    NCHECK_INT(gw->ip->stats.rx_not_us, 1);
    return 0;
}

TEST(gateway_outside_the_network)
{
    net_run(14, two_nodes, onlink_gateway_body);
}

/* A network device of the test's own with a small MTU, for what the
 * test network cannot make. */
static int sink_write(struct mirage_net *n, struct mirage_buf *frame)
{
    (void)n;
    mirage_buf_free(frame);
    return 0;
}
static void sink_listen(struct mirage_net *n, mirage_net_receiver fn, void *arg)
{
    (void)n, (void)fn, (void)arg;
}
static const struct mirage_net_ops sink_ops = {
    .write = sink_write,
    .listen = sink_listen,
};

static int device_errors_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    struct node *a = node_get(0);
    /* Frames the interface refuses. */
    struct mirage_buf *b = mirage_buf_alloc(13);
    NCHECK(b);
    NCHECK_INT(mirage_net_write(a->net, b), MIRAGE_EINVAL);
    b = mirage_buf_alloc(1515);
    NCHECK(b);
    NCHECK_INT(mirage_net_write(a->net, b), MIRAGE_EINVAL);
    NCHECK_INT(a->net->stats.tx_errors, 2);
    /* Payloads Ethernet refuses: too long, or without headroom. */
    b = mirage_buf_alloc(1501);
    NCHECK(b);
    NCHECK_INT(mirage_ethernet_write(a->eth, mirage_mac_broadcast, 0x88b5, b),
               MIRAGE_EINVAL);
    b = mirage_buf_alloc_room(13, 10);
    NCHECK(b);
    NCHECK_INT(mirage_ethernet_write(a->eth, mirage_mac_broadcast, 0x88b5, b),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_ethernet_stats(a->eth)->tx_too_big, 1);
    NCHECK_INT(mirage_ethernet_stats(a->eth)->tx_no_room, 1);
    /* The handler of an ethertype is replaced; removing an unknown one
     * does nothing. */
    NCHECK_INT(mirage_ethernet_set_input(a->eth, 0x88b5, NULL, NULL), 0);
    NCHECK(mirage_ethernet_net(a->eth) == a->net);
    NCHECK(memcmp(mirage_ethernet_mac(a->eth), a->mac, 6) == 0);
    /* A UDP source of another version than the destination. */
    struct mirage_ipaddr src = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2));
    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    NCHECK_INT(mirage_udp_write(a->udp, &src, 1, &v6, 9, "x", 1),
               MIRAGE_EINVAL);
    /* The host side fails: writes fail with EIO, failed reads are
     * counted. */
    uint8_t f[60] = {0};
    memcpy(f, a->mac, 6);
    testnet_inject(testnet_plat_net, a->port, f, sizeof f);
    testnet_set_down(testnet_plat_net, a->port, true);
    struct mirage_ipaddr b_ip = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 3));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &b_ip, 9, "x", 1), 0);
    b = mirage_buf_alloc(20);
    NCHECK(b);
    memset(b->data, 0, 20);
    NCHECK_INT(mirage_ethernet_write(a->eth, mirage_mac_broadcast, 0x88b5, b),
               MIRAGE_EIO);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(a->net->stats.rx_errors, 1);
    testnet_set_down(testnet_plat_net, a->port, false);
    /* A device that is down cannot be acquired. */
    struct mirage_net *net;
    testnet_set_down(testnet_plat_net, node_get(1)->port, true);
    NCHECK_INT(mirage_net_connect_netif(&net, "node1"), MIRAGE_EIO);
    /* IPv4 needs an MTU of 68 at least (RFC 791). */
    struct mirage_net small = {.ops = &sink_ops, .mtu = 60};
    struct mirage_ethernet *e;
    struct mirage_arp *arp;
    struct mirage_ipv4 *v4;
    NCHECK_INT(mirage_ethernet_connect_direct(&e, &small), 0);
    NCHECK_INT(mirage_arp_connect_direct(&arp, e), 0);
    struct mirage_ipv4_config cfg = {{MIRAGE_IPV4(10, 0, 0, 9), 24}, 0};
    NCHECK_INT(mirage_ipv4_connect_direct_config(&v4, e, arp, &cfg),
               MIRAGE_EINVAL);
    mirage_arp_disconnect(arp);
    mirage_ethernet_disconnect(e);
    return 0;
}

TEST(device_and_layer_errors)
{
    net_run(12, two_nodes, device_errors_body);
}

int main(void)
{
    return test_main();
}
