/* The common part of the network stack's libFuzzer targets (see
 * net_stack.h). The platform is the test network's glue
 * (test/unit/testnet_plat.c) for the clock and the console. */
#include "net_stack.h"

#include "../test/unit/testnet_plat.h"

#include <mirage/arp.h>
#include <mirage/error.h>
#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/ipv6.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <mirage/udp.h>
#include <stdlib.h>
#include <string.h>

const uint8_t fuzz_our_mac[6] = {2, 0, 0, 0, 0, 3};
const uint8_t fuzz_our_ip6[16] = {0x20, 1, 0xd, 0xb8, [15] = 3};
const uint8_t fuzz_peer_ip6[16] = {0x20, 1, 0xd, 0xb8, [15] = 0x63};
const uint8_t fuzz_peer_ll6[16] = {0xfe, 0x80, [15] = 0x63};
const uint8_t fuzz_peer_mac[6] = {2, 0, 0, 0, 0, 0x63};

/* A network device that drops what is written and hands frames to its
 * receiver only when the harness calls it. */
struct sink {
    struct mirage_net net;
    mirage_net_receiver receiver;
    void *arg;
};

static int sink_write(struct mirage_net *n, struct mirage_buf *frame)
{
    n->stats.tx_pkts++;
    mirage_buf_free(frame);
    return 0;
}

static void sink_listen(struct mirage_net *n, mirage_net_receiver fn, void *arg)
{
    struct sink *s = (struct sink *)n;
    s->receiver = fn;
    s->arg = arg;
}

static void sink_disconnect(struct mirage_net *n)
{
    (void)n;
}

static const struct mirage_net_ops sink_ops = {
    .write = sink_write,
    .listen = sink_listen,
    .disconnect = sink_disconnect,
};

/* Every byte delivered is read, so a bad length shows up under ASan. */
static volatile uint8_t touched;

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg;
    (void)peer;
    for (size_t i = 0; i < len; i++)
        touched ^= data[i];
}

static void on_udp_error(void *arg, const struct mirage_udp_peer *peer, int err)
{
    (void)arg;
    (void)peer;
    (void)err;
}

static uint64_t rng = 1;
static int generate(struct mirage_random *r, void *buf, size_t len)
{
    (void)r;
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (uint8_t)(rng >> 56);
    }
    return 0;
}
static const struct mirage_random_ops random_ops = {.generate = generate};
static struct mirage_random random_dev = {&random_ops};

void fuzz_push_eth(struct mirage_buf *b, uint16_t ethertype)
{
    uint8_t *h = mirage_buf_push(b, 14);
    memcpy(h, fuzz_our_mac, 6);
    memcpy(h + 6, fuzz_peer_mac, 6);
    mirage_put_be16(h + 12, ethertype);
}

void fuzz_push_ipv4(struct mirage_buf *b, uint8_t proto)
{
    size_t len = b->len;
    uint8_t *h = mirage_buf_push(b, 20);
    memset(h, 0, 20);
    h[0] = 0x45;
    mirage_put_be16(h + 2, (uint16_t)(len + 20));
    h[8] = 64;
    h[9] = proto;
    mirage_put_be32(h + 12, FUZZ_PEER_IP);
    mirage_put_be32(h + 16, FUZZ_OUR_IP);
    mirage_put_be16(h + 10, mirage_csum_fold(mirage_csum_add(0, h, 20)));
}

void fuzz_ipv6_addrs(uint8_t selector, const uint8_t **src, const uint8_t **dst)
{
    static const uint8_t all_nodes[16] = {0xff, 2, [15] = 1};
    static const uint8_t solicited[16] = {0xff, 2, [11] = 1, 0xff, [15] = 3};
    const uint8_t *dsts[4] = {fuzz_our_ip6, all_nodes, solicited, fuzz_our_ip6};
    *src = selector & 4 ? fuzz_peer_ll6 : fuzz_peer_ip6;
    *dst = dsts[selector & 3];
}

void fuzz_push_ipv6(struct mirage_buf *b, uint8_t nh, uint8_t selector)
{
    const uint8_t *src, *dst;
    fuzz_ipv6_addrs(selector, &src, &dst);
    size_t len = b->len;
    uint8_t *h = mirage_buf_push(b, 40);
    mirage_put_be32(h, 0x60000000u);
    mirage_put_be16(h + 4, (uint16_t)len);
    h[6] = nh;
    h[7] = 255;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
}

int fuzz_net_run(const uint8_t *data, size_t size, fuzz_wrap_fn wrap)
{
    if (!testnet_plat_net) {
        testnet_plat_net = testnet_create(1);
        if (!testnet_plat_net)
            abort();
        mirage_log_set_default_level(MIRAGE_LOG_QUIET);
    }
    struct sink sink = {.net = {.ops = &sink_ops, .mtu = 1500}};
    memcpy(sink.net.mac, fuzz_our_mac, 6);
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    struct mirage_ipv4 *v4;
    struct mirage_ipv6 *v6;
    struct mirage_ip *ip;
    struct mirage_udp *udp;
    struct mirage_ipv4_config cfg = {{FUZZ_OUR_IP, 24}, 0x0a000001u};
    struct mirage_ipv6_config cfg6 = {
        .has_addr = true, .bits = 64, .accept_ra = true, .no_dad = true};
    memcpy(cfg6.addr, fuzz_our_ip6, 16);
    if (mirage_ethernet_connect_direct(&eth, &sink.net) ||
        mirage_arp_connect_direct(&arp, eth) ||
        mirage_ipv4_connect_direct_config(&v4, eth, arp, &cfg) ||
        mirage_ipv6_connect_direct_config(&v6, eth, &random_dev, &cfg6) ||
        mirage_ip_connect_v4v6(&ip, v4, v6) ||
        mirage_udp_connect_direct(&udp, ip, &random_dev) ||
        mirage_udp_listen(udp, 7, on_udp, on_udp_error, NULL) ||
        mirage_udp_listen(udp, 9, on_udp, NULL, NULL))
        abort();
    while (size >= 2) {
        size_t len = mirage_get_be16(data);
        data += 2;
        size -= 2;
        if (len > size)
            len = size;
        struct mirage_buf *b = mirage_buf_alloc_room(64, len);
        if (!b)
            abort();
        memcpy(b->data, data, len);
        data += len;
        size -= len;
        wrap(b);
        sink.receiver(sink.arg, b);
        mirage_buf_free(b);
    }
    mirage_udp_disconnect(udp);
    mirage_ip_disconnect_v4v6(ip);
    mirage_ipv6_disconnect(v6);
    mirage_ipv4_disconnect(v4);
    mirage_arp_disconnect(arp);
    mirage_ethernet_disconnect(eth);
    return 0;
}
