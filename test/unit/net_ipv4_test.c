/* Tests of IPv4 against hard input: fragmentation on send, reassembly in
 * any order, duplicates and overlaps, floods of fragments with bounded
 * memory and time, malformed packets of every kind (each dropped and
 * counted), random mutations, and UDP over a network with every fault. */
#include "net_harness.h"

#include <string.h>

#define A_IP    MIRAGE_IPV4(10, 0, 0, 2)
#define B_IP    MIRAGE_IPV4(10, 0, 0, 3)
#define HOST_IP MIRAGE_IPV4(10, 0, 0, 99)

static void two_nodes(void)
{
    node_add(1500);
    node_add(1500);
}

static struct {
    size_t len;
    uint16_t src_port;
    uint8_t data[65536];
} got[8];
static int ngot;

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg;
    int i = ngot++ % 8;
    got[i].len = len;
    got[i].src_port = peer->src_port;
    memcpy(got[i].data, data, len);
}

static uint8_t pattern(size_t i, unsigned seed)
{
    return (uint8_t)(i * 31 + seed + (i >> 8));
}

static int fragmentation_body(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    static uint8_t data[65507];
    size_t sizes[] = {1472, 1473, 5000, sizeof data};
    for (size_t s = 0; s < 4; s++) {
        for (size_t i = 0; i < sizes[s]; i++)
            data[i] = pattern(i, (unsigned)s);
        NCHECK_INT(mirage_udp_write(a->udp, NULL, 1, &bip, 9, data, sizes[s]),
                   0);
        net_wait(MIRAGE_MSEC(10));
        NCHECK_INT(ngot, (int)s + 1);
        NCHECK_INT(got[s].len, sizes[s]);
        NCHECK(memcmp(got[s].data, data, sizes[s]) == 0);
    }
    /* 1472 fits; 1473 and 5000 take 2 and 4 fragments, 65507 takes 45. */
    NCHECK_INT(a->ip->stats.tx_frags, 2 + 4 + 45);
    NCHECK_INT(b->ip->stats.reasm_ok, 3);
    NCHECK_INT(mirage_ipv4_reasm_bytes(b->v4), 0);
    return 0;
}

TEST(fragmentation_and_reassembly)
{
    net_run(1, two_nodes, fragmentation_body);
}

/* A UDP datagram from HOST_IP:7 to node b's port 9, cut into fragments of
 * `chunk` bytes and injected in the order given. */
static size_t datagram(uint8_t *dg, size_t len, unsigned seed)
{
    mirage_put_be16(dg, 7);
    mirage_put_be16(dg + 2, 9);
    mirage_put_be16(dg + 4, (uint16_t)len);
    mirage_put_be16(dg + 6, 0);
    for (size_t i = 8; i < len; i++)
        dg[i] = pattern(i, seed);
    struct mirage_ipaddr s = mirage_ipaddr_of_v4(HOST_IP);
    struct mirage_ipaddr d = mirage_ipaddr_of_v4(B_IP);
    uint16_t sum = mirage_csum_fold(
        mirage_csum_add(mirage_ip_pseudo_sum(&s, &d, 17, len), dg, len));
    mirage_put_be16(dg + 6, sum ? sum : 0xffff);
    return len;
}

/* Inject a fragment at offset off holding data[0..len). */
static void inject_piece(const struct node *to, uint16_t id, bool more,
                         size_t off, const uint8_t *data, size_t len)
{
    static uint8_t f[2048];
    size_t h = build_eth_ipv4(f, to, HOST_IP, B_IP, 17, id,
                              (uint16_t)((more ? 0x2000 : 0) | off / 8), len);
    memcpy(f + h, data, len);
    testnet_inject(testnet_plat_net, to->port, f, h + len);
}

/* Inject the fragment [off, off + len) of the datagram dg of length
 * total (the last one when it reaches total). */
static void inject_fragment(const struct node *to, uint16_t id,
                            const uint8_t *dg, size_t total, size_t off,
                            size_t len)
{
    inject_piece(to, id, off + len < total, off, dg + off, len);
}

/* Whether the wire carried an ICMP time exceeded (reassembly) quoting
 * datagram 103's header and UDP source port. */
static bool time_exceeded_seen;
static void watch(void *arg, unsigned port, const uint8_t *f, size_t len)
{
    (void)arg, (void)port;
    if (len >= 14 + 20 + 8 + 28 && mirage_get_be16(f + 12) == 0x0800 &&
        f[23] == 1 && f[34] == 11 && f[35] == 1 &&
        mirage_get_be16(f + 42 + 4) == 103 && mirage_get_be16(f + 62) == 7)
        time_exceeded_seen = true;
}
static void start_tap(void)
{
    time_exceeded_seen = false;
    testnet_set_tap(testnet_plat_net, watch, NULL);
}

/* An ARP request from the injected host for b, so that b learns it. */
static void introduce_host(const struct node *b)
{
    static const uint8_t host[6] = {2, 0, 0, 0, 0, 0x99};
    uint8_t f[42] = {0};
    memcpy(f, mirage_mac_broadcast, 6);
    memcpy(f + 6, host, 6);
    mirage_put_be16(f + 12, MIRAGE_ETHERTYPE_ARP);
    mirage_put_be16(f + 14, 1);
    mirage_put_be16(f + 16, 0x0800);
    f[18] = 6;
    f[19] = 4;
    mirage_put_be16(f + 20, 1);
    memcpy(f + 22, host, 6);
    mirage_put_be32(f + 28, HOST_IP);
    mirage_put_be32(f + 38, B_IP);
    testnet_inject(testnet_plat_net, b->port, f, sizeof f);
}

static int reassembly_orders_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    static uint8_t dg[4000];
    size_t total = datagram(dg, sizeof dg, 1);
    const size_t chunk = 800;
    /* Reversed, interleaved, and with every fragment twice. */
    static const int orders[][5] = {
        {4, 3, 2, 1, 0}, {1, 3, 0, 4, 2}, {0, 0, 1, 2, 3}};
    for (int o = 0; o < 3; o++) {
        for (int k = 0; k < 5; k++) {
            int i = orders[o][k];
            inject_fragment(b, (uint16_t)(100 + o), dg, total, i * chunk,
                            chunk);
        }
        if (o == 2) /* the last fragment, twice */
            for (int k = 0; k < 2; k++)
                inject_fragment(b, 102, dg, total, 4 * chunk, chunk);
        net_wait(MIRAGE_MSEC(1));
        NCHECK_INT(ngot, o + 1);
        NCHECK_INT(got[o].len, total - 8);
        NCHECK(memcmp(got[o].data, dg + 8, total - 8) == 0);
    }
    NCHECK_INT(b->ip->stats.reasm_ok, 3);
    /* The stray duplicate after completion starts a datagram that times
     * out; so does one whose last fragment never comes, and its sender
     * is told (time exceeded, reassembly), quoting the first fragment. */
    inject_fragment(b, 103, dg, total, 0, chunk);
    NCHECK(mirage_ipv4_reasm_bytes(b->v4) > 0);
    introduce_host(b);
    start_tap();
    net_wait(MIRAGE_IPV4_REASM_TIMEOUT + MIRAGE_SEC(1));
    NCHECK_INT(mirage_ipv4_reasm_bytes(b->v4), 0);
    NCHECK_INT(b->ip->stats.reasm_dropped, 2);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->tx_errors, 1);
    NCHECK(time_exceeded_seen);
    return 0;
}

TEST(reassembly_in_any_order)
{
    net_run(2, two_nodes, reassembly_orders_body);
}

static int overlap_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    static uint8_t dg[2400];
    size_t total = datagram(dg, sizeof dg, 2);
    /* Overlaps in every position drop the datagram. */
    struct {
        size_t off, len;
    } cases[][3] = {
        {{0, 800}, {400, 800}, {1200, 1200}},  /* overlaps the previous */
        {{800, 800}, {400, 800}, {0, 400}},    /* overlaps the next */
        {{0, 1200}, {400, 400}, {1200, 1200}}, /* inside another */
        {{0, 800}, {0, 1200}, {1200, 1200}},   /* same start, longer */
    };
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 3; k++)
            inject_fragment(b, (uint16_t)(200 + c), dg, total, cases[c][k].off,
                            cases[c][k].len);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(ngot, 0);
    NCHECK_INT(b->ip->stats.reasm_dropped, 4);
    /* A last fragment that disagrees with the end already known, and one
     * ending before data already received, drop it too. */
    inject_fragment(b, 300, dg, total, 1600, 800);
    inject_fragment(b, 300, dg, 2000, 1600, 400);
    inject_fragment(b, 301, dg, total, 800, 800);
    inject_piece(b, 301, false, 400, dg, 400);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(b->ip->stats.reasm_dropped, 6);
    /* Fragments not a multiple of 8 (but the last), and ones past 65535
     * bytes, are malformed. */
    uint64_t malformed = b->ip->stats.rx_malformed;
    inject_fragment(b, 302, dg, total, 0, 801);
    inject_piece(b, 303, true, 65528, dg, 16);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(b->ip->stats.rx_malformed, malformed + 2);
    /* Whatever went wrong, the memory is given back in time. */
    net_wait(MIRAGE_IPV4_REASM_TIMEOUT + MIRAGE_SEC(1));
    NCHECK_INT(mirage_ipv4_reasm_bytes(b->v4), 0);
    NCHECK_INT(ngot, 0);
    return 0;
}

TEST(overlapping_fragments_are_dropped)
{
    net_run(3, two_nodes, overlap_body);
}

static int flood_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    static uint8_t dg[3000];
    size_t total = datagram(dg, sizeof dg, 3);
    /* Thousands of datagrams that never complete (the last piece never
     * comes): memory and count stay within bounds throughout. */
    size_t peak = 0;
    for (unsigned id = 0; id < 5000; id++) {
        inject_fragment(b, (uint16_t)id, dg, total, 0, 1480);
        if (id % 16 == 15) {
            net_wait(MIRAGE_USEC(100));
            size_t now = mirage_ipv4_reasm_bytes(b->v4);
            peak = now > peak ? now : peak;
        }
    }
    net_wait(MIRAGE_USEC(100));
    NCHECK(peak <= MIRAGE_IPV4_REASM_BYTES);
    NCHECK(peak > 0);
    NCHECK(mirage_net_timer_count() <= MIRAGE_IPV4_REASM_MAX + 1);
    NCHECK_INT(b->ip->stats.reasm_dropped, 5000 - MIRAGE_IPV4_REASM_MAX);
    /* Tiny fragments: one datagram of 8-byte pieces is bounded too. */
    for (size_t off = 0; off < 16000; off += 8)
        inject_piece(b, 9999, true, off, dg, 8);
    net_wait(MIRAGE_MSEC(1));
    NCHECK(mirage_ipv4_reasm_bytes(b->v4) <= MIRAGE_IPV4_REASM_BYTES);
    /* A real datagram still gets through the flood. */
    inject_fragment(b, 7777, dg, total, 0, 1480);
    inject_fragment(b, 7777, dg, total, 1480, 1480);
    inject_fragment(b, 7777, dg, total, 2960, total - 2960);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(ngot, 1);
    NCHECK(memcmp(got[0].data, dg + 8, total - 8) == 0);
    net_wait(MIRAGE_IPV4_REASM_TIMEOUT + MIRAGE_SEC(1));
    NCHECK_INT(mirage_ipv4_reasm_bytes(b->v4), 0);
    /* The datagrams that timed out told their (absent) sender, within
     * the rate limit; once ARP gives up on it, nothing is left. */
    NCHECK(mirage_ipv4_icmp_stats(b->v4)->tx_errors > 0);
    NCHECK(mirage_ipv4_icmp_stats(b->v4)->tx_errors <= 64);
    net_wait((MIRAGE_ARP_RETRIES + 1) * MIRAGE_ARP_RETRY_INTERVAL);
    NCHECK_INT(mirage_net_timer_count(), 0);
    return 0;
}

TEST(fragment_floods_stay_bounded)
{
    net_run(4, two_nodes, flood_body);
}

/* Malformed input: each frame is dropped and counted where expected. */
static uint8_t frame[1600];

static size_t udp_frame(const struct node *to, size_t payload)
{
    size_t h = build_eth_ipv4(frame, to, HOST_IP, B_IP, 17, 1, 0, 8 + payload);
    static uint8_t dg[1500];
    datagram(dg, 8 + payload, 4);
    memcpy(frame + h, dg, 8 + payload);
    return h + 8 + payload;
}

static void inject(const struct node *to, size_t len)
{
    testnet_inject(testnet_plat_net, to->port, frame, len);
}

#define EXPECT(counter, build)                                                 \
    do {                                                                       \
        uint64_t before_ = (counter);                                          \
        build;                                                                 \
        net_wait(MIRAGE_USEC(10));                                             \
        if ((counter) != before_ + 1) {                                        \
            test_fail(__FILE__, __LINE__, "%s not counted after %s", #counter, \
                      #build);                                                 \
            return 1;                                                          \
        }                                                                      \
    } while (0)

static int malformed_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    const struct mirage_ethernet_stats *es = mirage_ethernet_stats(b->eth);
    const struct mirage_arp_stats *as = mirage_arp_stats(b->arp);
    struct mirage_ip_stats *is = &b->ip->stats;
    const struct mirage_udp_stats *us = mirage_udp_stats(b->udp);
    const struct mirage_icmp_stats *cs = mirage_ipv4_icmp_stats(b->v4);
    size_t n;

    /* A good datagram goes through. */
    n = udp_frame(b, 10);
    inject(b, n);
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(ngot, 1);

    /* Ethernet. */
    EXPECT(es->rx_short, inject(b, 13));
    EXPECT(es->rx_not_us, (frame[5] ^= 0x40, inject(b, n), frame[5] ^= 0x40));
    EXPECT(es->rx_no_proto, (frame[12] = 0x12, inject(b, n), frame[12] = 8));

    /* ARP. */
    uint8_t arp[42];
    memset(arp, 0, sizeof arp);
    memcpy(arp, mirage_mac_broadcast, 6);
    mirage_put_be16(arp + 12, MIRAGE_ETHERTYPE_ARP);
    mirage_put_be16(arp + 14, 1);
    mirage_put_be16(arp + 16, 0x0800);
    arp[18] = 6;
    arp[19] = 4;
    mirage_put_be16(arp + 20, 1);
    EXPECT(as->rx_malformed,
           testnet_inject(testnet_plat_net, b->port, arp, 41));
    arp[18] = 8;
    EXPECT(as->rx_malformed,
           testnet_inject(testnet_plat_net, b->port, arp, 42));
    arp[18] = 6;
    mirage_put_be16(arp + 14, 6);
    EXPECT(as->rx_malformed,
           testnet_inject(testnet_plat_net, b->port, arp, 42));
    mirage_put_be16(arp + 14, 1);
    mirage_put_be16(arp + 20, 3);
    EXPECT(as->rx_malformed,
           testnet_inject(testnet_plat_net, b->port, arp, 42));

    /* IPv4 header. */
    EXPECT(is->rx_malformed, inject(b, 14 + 19));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed,
           (frame[14] = 0x65, fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed, (frame[14] = 0x44, inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed, (frame[14] = 0x4f, inject(b, 14 + 40)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed,
           (mirage_put_be16(frame + 16, (uint16_t)(n - 14 + 1)),
            fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed, (mirage_put_be16(frame + 16, 19),
                              fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_bad_csum, (frame[24] ^= 1, inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed,
           (frame[20] |= 0x80, fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed, (mirage_put_be32(frame + 26, 0xe0000001),
                              fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_malformed, (mirage_put_be32(frame + 26, B_IP),
                              fix_ipv4_csum(frame), inject(b, n)));
    /* Other sources that name no single host (RFC 1122 §3.2.1.3): the
     * subnet's broadcast, the limited broadcast, loopback, 240/4. */
    static const mirage_ipv4_addr martians[] = {
        MIRAGE_IPV4(10, 0, 0, 255), MIRAGE_IPV4_BROADCAST,
        MIRAGE_IPV4(127, 0, 0, 1), MIRAGE_IPV4(240, 0, 0, 1)};
    for (size_t i = 0; i < sizeof martians / sizeof martians[0]; i++) {
        n = udp_frame(b, 10);
        EXPECT(is->rx_malformed, (mirage_put_be32(frame + 26, martians[i]),
                                  fix_ipv4_csum(frame), inject(b, n)));
    }
    NCHECK_INT(ngot, 1);
    n = udp_frame(b, 10);
    EXPECT(is->rx_not_us, (mirage_put_be32(frame + 30, HOST_IP),
                           fix_ipv4_csum(frame), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(is->rx_no_proto,
           (frame[23] = 99, fix_ipv4_csum(frame), inject(b, n)));
    NCHECK_INT(cs->tx_errors, 1); /* protocol unreachable */

    /* Ethernet padding beyond the IP length is ignored. */
    n = udp_frame(b, 2);
    memset(frame + n, 0xee, 20);
    inject(b, n + 20);
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(ngot, 2);
    NCHECK_INT(got[1].len, 2);

    /* UDP. */
    n = udp_frame(b, 10);
    EXPECT(us->rx_malformed, (mirage_put_be16(frame + 16, 20 + 7),
                              fix_ipv4_csum(frame), inject(b, 14 + 27)));
    n = udp_frame(b, 10);
    EXPECT(us->rx_malformed, (mirage_put_be16(frame + 38, 7), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(us->rx_malformed, (mirage_put_be16(frame + 38, 19), inject(b, n)));
    n = udp_frame(b, 10);
    EXPECT(us->rx_bad_csum, (frame[n - 1] ^= 0x10, inject(b, n)));
    /* A zero checksum means none: accepted. */
    n = udp_frame(b, 10);
    mirage_put_be16(frame + 40, 0);
    inject(b, n);
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(ngot, 3);

    /* ICMP. */
    size_t h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 4);
    memset(frame + h, 0, 4);
    EXPECT(cs->rx_malformed, inject(b, h + 4));
    h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 8);
    memset(frame + h, 0, 8);
    frame[h] = 8;
    EXPECT(cs->rx_malformed, inject(b, h + 8)); /* bad checksum */
    /* Errors quoting too little, another IP version or someone else's
     * packet are malformed. */
    static const size_t quotes[] = {8, 20 + 4};
    for (int q = 0; q < 2; q++) {
        h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 8 + quotes[q]);
        memset(frame + h, 0, 8 + quotes[q]);
        frame[h] = 3;
        frame[h + 1] = 3;
        frame[h + 8] = 0x45;
        mirage_put_be32(frame + h + 8 + 12, B_IP);
        mirage_put_be16(frame + h + 2, mirage_csum_fold(mirage_csum_add(
                                           0, frame + h, 8 + quotes[q])));
        EXPECT(cs->rx_malformed, inject(b, h + 8 + quotes[q]));
    }
    h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 36);
    memset(frame + h, 0, 36);
    frame[h] = 11;
    frame[h + 8] = 0x45;
    mirage_put_be32(frame + h + 8 + 12, HOST_IP);
    mirage_put_be16(frame + h + 2,
                    mirage_csum_fold(mirage_csum_add(0, frame + h, 36)));
    EXPECT(cs->rx_malformed, inject(b, h + 36));
    /* Other ICMP types are ignored, and counted nowhere as errors. */
    h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 8);
    memset(frame + h, 0, 8);
    frame[h] = 13; /* timestamp */
    mirage_put_be16(frame + h + 2,
                    mirage_csum_fold(mirage_csum_add(0, frame + h, 8)));
    inject(b, h + 8);
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(cs->rx_malformed, 5);
    NCHECK_INT(ngot, 3);
    return 0;
}

TEST(malformed_packets_are_dropped_and_counted)
{
    net_run(5, two_nodes, malformed_body);
}

/* ICMP errors about our datagrams, crafted: each kind maps to its code. */
static int errs[8], nerrs;
static void on_error(void *arg, const struct mirage_udp_peer *peer, int err)
{
    (void)arg;
    (void)peer;
    errs[nerrs++ % 8] = err;
}

static int icmp_errors_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    nerrs = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 5353, on_udp, on_error, NULL), 0);
    static const uint8_t kinds[][2] = {{3, 3}, {3, 2}, {3, 1}, {3, 4}, {11, 0}};
    static const int expect[] = {MIRAGE_ECONNREFUSED, MIRAGE_ECONNREFUSED,
                                 MIRAGE_EUNREACH, MIRAGE_ERANGE,
                                 MIRAGE_ETIMEDOUT};
    for (int k = 0; k < 5; k++) {
        size_t h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 36);
        uint8_t *m = frame + h;
        memset(m, 0, 36);
        m[0] = kinds[k][0];
        m[1] = kinds[k][1];
        mirage_put_be16(m + 6, 1400);
        m[8] = 0x45;
        m[8 + 9] = 17;
        mirage_put_be32(m + 8 + 12, B_IP);
        mirage_put_be32(m + 8 + 16, HOST_IP);
        mirage_put_be16(m + 28, 5353);
        mirage_put_be16(m + 30, 53);
        mirage_put_be16(m + 2, mirage_csum_fold(mirage_csum_add(0, m, 36)));
        inject(b, h + 36);
    }
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(nerrs, 5);
    for (int k = 0; k < 5; k++)
        NCHECK_INT(errs[k], expect[k]);
    NCHECK_INT(mirage_ipv4_icmp_stats(b->v4)->rx_errors, 5);
    return 0;
}

TEST(icmp_errors_reach_the_flow)
{
    net_run(6, two_nodes, icmp_errors_body);
}

/* Random mutations of valid frames of every protocol: nothing crashes
 * (ASan and UBSan watch), and the stack still works afterwards. */
static uint64_t fuzz_state = 0x1234567;
static uint32_t fuzz_next(void)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 7;
    fuzz_state ^= fuzz_state << 17;
    return (uint32_t)fuzz_state;
}

static int mutation_body(void)
{
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *b = node_get(1);
    ngot = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    for (int round = 0; round < 20000; round++) {
        size_t n;
        switch (round % 4) {
        case 0:
            n = udp_frame(b, fuzz_next() % 200);
            break;
        case 1: /* a fragment */
            n = udp_frame(b, 64);
            mirage_put_be16(frame + 20, (uint16_t)(0x2000 | fuzz_next() % 16));
            fix_ipv4_csum(frame);
            break;
        case 2: { /* an ICMP error about a UDP datagram */
            size_t h = build_eth_ipv4(frame, b, HOST_IP, B_IP, 1, 1, 0, 36);
            memset(frame + h, 0, 36);
            frame[h] = 3;
            frame[h + 8] = 0x45;
            frame[h + 8 + 9] = 17;
            mirage_put_be32(frame + h + 20, B_IP);
            n = h + 36;
            break;
        }
        default: /* ARP */
            memset(frame, 0, 42);
            memcpy(frame, mirage_mac_broadcast, 6);
            mirage_put_be16(frame + 12, MIRAGE_ETHERTYPE_ARP);
            mirage_put_be16(frame + 14, 1);
            mirage_put_be16(frame + 16, 0x0800);
            frame[18] = 6;
            frame[19] = 4;
            mirage_put_be16(frame + 20, 1);
            mirage_put_be32(frame + 38, B_IP);
            n = 42;
            break;
        }
        /* A few random byte changes, sometimes fixing the checksum so the
         * damage reaches the layers above; sometimes a cut. */
        int changes = 1 + (int)(fuzz_next() % 4);
        for (int c = 0; c < changes; c++)
            frame[fuzz_next() % n] = (uint8_t)fuzz_next();
        if (fuzz_next() % 2 && n >= 34 && (frame[14] & 0xf0) == 0x40 &&
            (size_t)(frame[14] & 15) * 4 + 14 <= n)
            fix_ipv4_csum(frame);
        if (fuzz_next() % 8 == 0)
            n = fuzz_next() % n + 1;
        testnet_inject(testnet_plat_net, b->port, frame, n);
        if (round % 64 == 0)
            net_wait(MIRAGE_USEC(10));
    }
    net_wait(MIRAGE_IPV4_REASM_TIMEOUT + MIRAGE_SEC(1));
    NCHECK_INT(mirage_ipv4_reasm_bytes(b->v4), 0);
    int before = ngot;
    inject(b, udp_frame(b, 10));
    net_wait(MIRAGE_USEC(10));
    NCHECK_INT(ngot, before + 1);
    return 0;
}

TEST(random_mutations_do_no_harm)
{
    net_run(7, two_nodes, mutation_body);
}

/* UDP over a network with every fault at once: what arrives is intact
 * (corruption is caught by the checksums), fragments reassemble across
 * reordering, and the counts add up. */
static uint8_t seen[400];
static int delivered, damaged;
static void on_numbered(void *arg, const struct mirage_udp_peer *peer,
                        const uint8_t *data, size_t len)
{
    (void)arg;
    (void)peer;
    if (len < 4) {
        damaged++;
        return;
    }
    uint32_t k = mirage_get_be32(data);
    for (size_t i = 4; i < len; i++)
        if (data[i] != pattern(i, k)) {
            damaged++;
            return;
        }
    if (k < 400 && len == 100 + (k % 5) * 1000)
        seen[k]++;
    delivered++;
}

static int faults_body(void)
{
    struct testnet_faults f = {
        .loss_ppm = 20000,
        .dup_ppm = 20000,
        .reorder_ppm = 100000,
        .corrupt_ppm = 50000,
        .delay_ns = MIRAGE_MSEC(1),
        .jitter_ns = MIRAGE_USEC(200),
        .reorder_ns = MIRAGE_MSEC(5),
        .bandwidth_bps = 100000000,
    };
    testnet_set_faults(testnet_plat_net, -1, &f);
    NCHECK_INT(node_connect(0, "10.0.0.2/24", NULL), 0);
    NCHECK_INT(node_connect(1, "10.0.0.3/24", NULL), 0);
    struct node *a = node_get(0), *b = node_get(1);
    memset(seen, 0, sizeof seen);
    delivered = damaged = 0;
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_numbered, NULL, NULL), 0);
    struct mirage_ipaddr bip = mirage_ipaddr_of_v4(B_IP);
    static uint8_t data[5000];
    uint64_t t0 = mirage_now();
    size_t bytes = 0;
    for (uint32_t k = 0; k < 400; k++) {
        size_t len = 100 + (k % 5) * 1000;
        mirage_put_be32(data, k);
        for (size_t i = 4; i < len; i++)
            data[i] = pattern(i, k);
        /* The first few may fail while ARP itself is being lost. */
        int err = mirage_udp_write(a->udp, NULL, 1, &bip, 9, data, len);
        NCHECK(err == 0 || err == MIRAGE_EUNREACH);
        bytes += len;
        net_wait(MIRAGE_USEC(500));
    }
    net_wait(MIRAGE_MSEC(100));
    const struct testnet_stats *s = testnet_stats(testnet_plat_net);
    NCHECK(s->lost > 0 && s->duplicated > 0 && s->corrupted > 0 &&
           s->reordered > 0);
    NCHECK_INT(damaged, 0);
    int distinct = 0, twice = 0;
    for (int k = 0; k < 400; k++) {
        distinct += seen[k] > 0;
        twice += seen[k] > 1;
    }
    /* Most get through; duplicates of whole datagrams show up too. */
    NCHECK(distinct > 300);
    NCHECK(twice > 0);
    NCHECK(mirage_udp_stats(b->udp)->rx_bad_csum + b->ip->stats.rx_bad_csum +
               b->ip->stats.reasm_dropped >
           0);
    /* The 100 Mb/s link cannot carry it faster than its bandwidth. */
    NCHECK(mirage_now() - t0 >= bytes * 8 * 10);
    return 0;
}

TEST(udp_under_every_fault)
{
    net_run(8, two_nodes, faults_body);
}

int main(void)
{
    return test_main();
}
