/* IPv6 on the test network: duplicate address detection, neighbour
 * discovery, UDP over IPv6 and over the dual device, ICMPv6 echo and
 * errors (with the rate limit), extension header chains (skipped, and
 * bounded), reassembly (out of order, overlaps, time-out), fragmentation
 * and Packet Too Big, router advertisements and SLAAC, and the hostile
 * cases: NS and RA floods, DAD conflicts, redirects, bad configurations.
 * Injected packets come from a host that is not on the network
 * (02:00:00:00:00:99, fe80::99 / 2001:db8::99); a tap records what the
 * nodes send. */
#include "net_harness.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SEEN 256
static const uint8_t host_mac[6] = {2, 0, 0, 0, 0, 0x99};
static uint8_t host_ll[16], host_gl[16], b_gl[16], a_gl[16], b_ll[16];

/* ---- What the nodes send ------------------------------------------------ */

static struct {
    uint8_t f[2048];
    size_t len;
    unsigned port;
} seen[MAX_SEEN];
static size_t nseen;

static void watch(void *arg, unsigned port, const uint8_t *f, size_t len)
{
    (void)arg;
    if (nseen == MAX_SEEN || len > sizeof seen[0].f)
        return;
    memcpy(seen[nseen].f, f, len);
    seen[nseen].len = len;
    seen[nseen].port = port;
    nseen++;
}

/* The n-th (0: first) ICMPv6 message of `type` (and code, unless -1)
 * sent so far, right after the IPv6 header; NULL if none. */
static const uint8_t *sent_icmp6(int type, int code, int n, size_t *len)
{
    for (size_t i = 0; i < nseen; i++) {
        const uint8_t *f = seen[i].f;
        if (seen[i].len < 14 + 40 + 8 || mirage_get_be16(f + 12) != 0x86dd ||
            f[20] != 58 || f[54] != type || (code >= 0 && f[55] != code))
            continue;
        if (n-- == 0) {
            *len = seen[i].len - 54;
            return f + 54;
        }
    }
    return NULL;
}

static size_t count_icmp6(int type)
{
    size_t n = 0, len;
    while (sent_icmp6(type, -1, (int)n, &len))
        n++;
    return n;
}

/* Whether an MLDv2 report went out as RFC 3810 wants it: to ff02::16
 * with hop limit 1 and a hop-by-hop header holding a router alert. */
static bool mld_report_seen(void)
{
    for (size_t i = 0; i < nseen; i++) {
        const uint8_t *f = seen[i].f;
        if (seen[i].len >= 14 + 40 + 8 + 8 + 20 &&
            mirage_get_be16(f + 12) == 0x86dd && f[20] == 0 && f[21] == 1 &&
            f[38] == 0xff && f[53] == 0x16 && f[54] == 58 && f[56] == 5 &&
            f[62] == 143)
            return true;
    }
    return false;
}

static void setup_addresses(void)
{
    mirage_ipv6_parse("fe80::99", host_ll);
    mirage_ipv6_parse("2001:db8::99", host_gl);
    mirage_ipv6_parse("2001:db8::1", a_gl);
    mirage_ipv6_parse("2001:db8::2", b_gl);
    mirage_ipv6_parse("fe80::ff:fe00:2", b_ll);
    nseen = 0;
}

static void two_nodes(void)
{
    setup_addresses();
    node_add(1500);
    node_add(1500);
    testnet_set_tap(testnet_plat_net, watch, NULL);
}

/* ---- Injected packets --------------------------------------------------- */

/* The checksum of the upper-layer message m (len bytes, checksum at
 * m + at) of protocol proto from src to dst. */
static void fill_csum(const uint8_t src[16], const uint8_t dst[16],
                      uint8_t proto, uint8_t *m, size_t len, size_t at)
{
    struct mirage_ipaddr s = mirage_ipaddr_of_v6(src);
    struct mirage_ipaddr d = mirage_ipaddr_of_v6(dst);
    mirage_put_be16(m + at, 0);
    uint16_t c = mirage_csum_fold(
        mirage_csum_add(mirage_ip_pseudo_sum(&s, &d, proto, len), m, len));
    mirage_put_be16(m + at, proto == 17 && c == 0 ? 0xffff : c);
}

/* Put into `to`'s receive queue an IPv6 packet from src to dst with next
 * header nh, the hop limit and the payload (extension headers and all). */
static void inject6(const struct node *to, const uint8_t src[16],
                    const uint8_t dst[16], uint8_t nh, uint8_t hops,
                    const uint8_t *payload, size_t len)
{
    static uint8_t f[70000];
    memcpy(f, to->mac, 6);
    memcpy(f + 6, host_mac, 6);
    mirage_put_be16(f + 12, 0x86dd);
    uint8_t *h = f + 14;
    mirage_put_be32(h, 0x60000000u);
    mirage_put_be16(h + 4, (uint16_t)len);
    h[6] = nh;
    h[7] = hops;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    memcpy(h + 40, payload, len);
    testnet_inject(testnet_plat_net, to->port, f, 54 + len);
}

/* An ICMPv6 message (checksummed here) from src to dst. */
static void inject_icmp6(const struct node *to, const uint8_t src[16],
                         const uint8_t dst[16], uint8_t hops, uint8_t *m,
                         size_t len)
{
    fill_csum(src, dst, 58, m, len, 2);
    inject6(to, src, dst, 58, hops, m, len);
}

/* A UDP datagram (header and data) to port from the host's port 4000. */
static size_t build_udp(uint8_t *u, const uint8_t src[16],
                        const uint8_t dst[16], uint16_t port,
                        const uint8_t *data, size_t len)
{
    mirage_put_be16(u, 4000);
    mirage_put_be16(u + 2, port);
    mirage_put_be16(u + 4, (uint16_t)(8 + len));
    memcpy(u + 8, data, len);
    fill_csum(src, dst, 17, u, 8 + len, 6);
    return 8 + len;
}

/* A neighbour solicitation from the host (2001:db8::99 with its MAC) for
 * target, so that the node learns the host. */
static void introduce_host(const struct node *to, const uint8_t target[16])
{
    uint8_t m[32] = {135};
    memcpy(m + 8, target, 16);
    m[24] = 1;
    m[25] = 1;
    memcpy(m + 26, host_mac, 6);
    uint8_t sn[16] = {0xff, 2, [11] = 1, [12] = 0xff};
    memcpy(sn + 13, target + 13, 3);
    inject_icmp6(to, host_gl, sn, 255, m, sizeof m);
}

/* ---- UDP receivers ------------------------------------------------------ */

static int got;
static size_t got_len;
static struct mirage_ipaddr got_from;
static uint8_t got_data[4096];

static void on_udp(void *arg, const struct mirage_udp_peer *p,
                   const uint8_t *data, size_t len)
{
    (void)arg;
    got++;
    got_len = len;
    got_from = p->src;
    memcpy(got_data, data, len < sizeof got_data ? len : sizeof got_data);
}

static bool has_address(struct mirage_ip *ip, const uint8_t a[16])
{
    struct mirage_ipaddr list[16];
    size_t n = mirage_ip_addresses(ip, list, 16);
    struct mirage_ipaddr x = mirage_ipaddr_of_v6(a);
    for (size_t i = 0; i < n && i < 16; i++)
        if (mirage_ipaddr_equal(&list[i], &x))
            return true;
    return false;
}

/* ---- Cases -------------------------------------------------------------- */

static int dual_body(void)
{
    NCHECK_INT(node_connect_dual(0, "10.0.0.1/24", "2001:db8::1/64", false), 0);
    NCHECK_INT(node_connect_dual(1, "10.0.0.2/24", "2001:db8::2/64", false), 0);
    struct node *a = node_get(0), *b = node_get(1);
    struct mirage_ipaddr bv6 = mirage_ipaddr_of_v6(b_gl), src;
    /* Tentative until DAD has passed: no source for the global address. */
    NCHECK_INT(mirage_ip_src(a->ip, &bv6, &src), MIRAGE_EUNREACH);
    NCHECK(!has_address(b->ip, b_gl));
    net_wait(MIRAGE_SEC(2));
    NCHECK(has_address(b->ip, b_gl) && has_address(b->ip, b_ll));
    NCHECK_INT(mirage_ip_src(a->ip, &bv6, &src), 0);
    NCHECK(memcmp(src.v6, a_gl, 16) == 0);
    /* DAD solicitations from ::, and MLD reports, were sent. */
    NCHECK(mirage_ipv6_stats(a->v6)->tx_ns >= 2);
    NCHECK(mirage_ipv6_stats(a->v6)->tx_mld_reports >= 1);
    NCHECK(mld_report_seen());
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    NCHECK_INT(mirage_udp_listen(a->udp, 9, on_udp, NULL, NULL), 0);
    got = 0;
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv6, 9, "over v6", 7), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 1);
    NCHECK(got_len == 7 && memcmp(got_data, "over v6", 7) == 0);
    NCHECK(got_from.version == MIRAGE_IP_V6 &&
           memcmp(got_from.v6, a_gl, 16) == 0);
    /* The same listener takes IPv4 (the dual device). */
    struct mirage_ipaddr bv4 = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv4, 9, "over v4", 7), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 2);
    NCHECK(got_from.version == MIRAGE_IP_V4);
    /* b answers to a's link-local address: b's link-local source. */
    uint8_t a_ll[16];
    mirage_ipv6_parse("fe80::ff:fe00:1", a_ll);
    struct mirage_ipaddr all = mirage_ipaddr_of_v6(a_ll);
    NCHECK_INT(mirage_udp_write(b->udp, NULL, 0, &all, 9, "ll", 2), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 3);
    NCHECK(memcmp(got_from.v6, b_ll, 16) == 0);
    /* a knows b, reachable, at b's MAC. */
    struct mirage_ipv6_neighbour nb[8];
    size_t n = mirage_ipv6_neighbours(a->v6, nb, 8);
    bool found = false;
    for (size_t i = 0; i < n && i < 8; i++)
        if (memcmp(nb[i].ip, b_gl, 16) == 0)
            found = nb[i].state == MIRAGE_ND_REACHABLE &&
                    memcmp(nb[i].mac, b->mac, 6) == 0;
    NCHECK(found);
    /* After the reachable time, the entry goes stale, then through DELAY
     * and PROBE back to REACHABLE when used. */
    net_wait(MIRAGE_SEC(40));
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv6, 9, "again", 5), 0);
    net_wait(MIRAGE_SEC(10));
    NCHECK_INT(got, 4);
    n = mirage_ipv6_neighbours(a->v6, nb, 8);
    found = false;
    for (size_t i = 0; i < n && i < 8; i++)
        if (memcmp(nb[i].ip, b_gl, 16) == 0)
            found = nb[i].state == MIRAGE_ND_REACHABLE;
    NCHECK(found);
    /* A large datagram is fragmented by a and reassembled by b. */
    static uint8_t big[3000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv6, 9, big, sizeof big), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 5);
    NCHECK(got_len == sizeof big && memcmp(got_data, big, sizeof big) == 0);
    NCHECK(mirage_ipv6_ip(a->v6)->stats.tx_frags >= 3);
    NCHECK_INT(mirage_ipv6_ip(b->v6)->stats.reasm_ok, 1);
    NCHECK_INT(mirage_ipv6_reasm_bytes(b->v6), 0);
    return 0;
}

TEST(dad_nd_and_udp_over_both_families)
{
    net_run(1, two_nodes, dual_body);
}

static int echo_body(void)
{
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *b = node_get(1);
    net_wait(MIRAGE_SEC(2));
    introduce_host(b, b_gl);
    net_wait(MIRAGE_MSEC(10));
    NCHECK(sent_icmp6(136, 0, 0, &(size_t){0}));
    uint8_t m[64] = {128, 0, 0, 0, 0x12, 0x34, 0, 7};
    for (int i = 8; i < 64; i++)
        m[i] = (uint8_t)i;
    inject_icmp6(b, host_gl, b_gl, 64, m, sizeof m);
    net_wait(MIRAGE_MSEC(10));
    size_t len;
    const uint8_t *r = sent_icmp6(129, 0, 0, &len);
    NCHECK(r && len == sizeof m);
    NCHECK(memcmp(r + 4, m + 4, sizeof m - 4) == 0);
    /* Its checksum is right, and it goes to the host's MAC. */
    const uint8_t *ip = r - 40;
    struct mirage_ipaddr s = mirage_ipaddr_of_v6(ip + 8);
    struct mirage_ipaddr d = mirage_ipaddr_of_v6(ip + 24);
    NCHECK(memcmp(ip + 24, host_gl, 16) == 0);
    NCHECK(memcmp(ip - 14, host_mac, 6) == 0);
    NCHECK_INT(mirage_csum_fold(mirage_csum_add(
                   mirage_ip_pseudo_sum(&s, &d, 58, len), r, len)),
               0);
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_echo_requests, 1);
    /* A bad checksum is dropped, counted. */
    m[10] ^= 1;
    fill_csum(host_gl, b_gl, 58, m, sizeof m, 2);
    m[10] ^= 1;
    inject6(b, host_gl, b_gl, 58, 64, m, sizeof m);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_icmp_bad, 1);
    NCHECK_INT(count_icmp6(129), 1);
    /* A closed UDP port: destination unreachable, code 4, quoting the
     * datagram; then the rate limit holds a flood back. */
    uint8_t u[64];
    size_t ulen = build_udp(u, host_gl, b_gl, 33000, (const uint8_t *)"x", 1);
    inject6(b, host_gl, b_gl, 17, 64, u, ulen);
    net_wait(MIRAGE_MSEC(10));
    r = sent_icmp6(1, 4, 0, &len);
    NCHECK(r && len == 8 + 40 + ulen);
    NCHECK(memcmp(r + 8 + 40, u, ulen) == 0);
    for (int i = 0; i < 200; i++)
        inject6(b, host_gl, b_gl, 17, 64, u, ulen);
    net_wait(MIRAGE_MSEC(10));
    NCHECK(mirage_ipv6_stats(b->v6)->icmp_rate_limited > 100);
    NCHECK(count_icmp6(1) <= 60);
    /* A protocol nobody handles: parameter problem code 1 pointing at the
     * next header field. */
    inject6(b, host_gl, b_gl, 200, 64, u, ulen);
    net_wait(MIRAGE_SEC(1));
    r = sent_icmp6(4, 1, 0, &len);
    NCHECK(r && mirage_get_be32(r + 4) == 6);
    return 0;
}

TEST(echo_and_errors)
{
    net_run(2, two_nodes, echo_body);
}

static int ext_body(void)
{
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *b = node_get(1);
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    net_wait(MIRAGE_SEC(2));
    introduce_host(b, b_gl);
    static uint8_t p[4096];
    uint8_t u[64];
    size_t ulen = build_udp(u, host_gl, b_gl, 9, (const uint8_t *)"ext", 3);
    /* Hop-by-hop, a routing header without segments left, and two
     * destination options headers (padding, an unknown skippable
     * option): walked and skipped. */
    uint8_t chain[32] = {43, 0, 1,    4, 0, 0, 0, 0,  /* HBH: PadN */
                         60, 0, 0,    0, 0, 0, 0, 0,  /* routing, 0 left */
                         60, 0, 0x1e, 2, 0, 0, 1, 0,  /* DO: unknown 00 type */
                         17, 0, 0,    0, 0, 0, 1, 0}; /* DO: Pad1 x2, PadN */
    memcpy(p, chain, 32);
    memcpy(p + 32, u, ulen);
    got = 0;
    inject6(b, host_gl, b_gl, 0, 64, p, 32 + ulen);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got, 1);
    NCHECK(got_len == 3 && memcmp(got_data, "ext", 3) == 0);
    /* A chain longer than the bound: dropped, counted. */
    size_t n = 100;
    for (size_t i = 0; i < n; i++) {
        uint8_t *h = p + i * 8;
        memset(h, 0, 8);
        h[0] = i + 1 < n ? 60 : 17;
        h[2] = 1;
    }
    memcpy(p + n * 8, u, ulen);
    inject6(b, host_gl, b_gl, 60, 64, p, n * 8 + ulen);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got, 1);
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_too_many_ext, 1);
    /* A chain that runs past the end of the packet. */
    const struct mirage_ip_stats *ips = &mirage_ipv6_ip(b->v6)->stats;
    uint64_t bad = ips->rx_malformed;
    uint8_t cut[16] = {60, 4, 0, 0, 0, 0, 0, 0, 17};
    inject6(b, host_gl, b_gl, 60, 64, cut, sizeof cut);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(ips->rx_malformed, bad + 1);
    /* An option whose type says "discard and report": parameter problem
     * code 2 pointing at it. A hop-by-hop header after another header:
     * code 1. A routing header with segments left: code 0. */
    uint8_t opt[8] = {17, 0, 0x80, 0, 1, 0, 0, 0};
    memcpy(p, opt, 8);
    memcpy(p + 8, u, ulen);
    inject6(b, host_gl, b_gl, 60, 64, p, 8 + ulen);
    uint8_t late[16] = {0, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0};
    memcpy(p, late, 16);
    memcpy(p + 16, u, ulen);
    inject6(b, host_gl, b_gl, 60, 64, p, 16 + ulen);
    uint8_t route[24] = {17, 2, 0, 1};
    memcpy(p, route, 24);
    memcpy(p + 24, u, ulen);
    inject6(b, host_gl, b_gl, 43, 64, p, 24 + ulen);
    net_wait(MIRAGE_MSEC(10));
    size_t len;
    const uint8_t *r = sent_icmp6(4, 2, 0, &len);
    NCHECK(r && mirage_get_be32(r + 4) == 42);
    r = sent_icmp6(4, 1, 0, &len);
    NCHECK(r && mirage_get_be32(r + 4) == 40);
    r = sent_icmp6(4, 0, 0, &len);
    NCHECK(r && mirage_get_be32(r + 4) == 42);
    NCHECK_INT(got, 1);
    /* "No next header": nothing delivered, nothing answered. */
    uint8_t none[8] = {59, 0, 1, 4, 0, 0, 0, 0};
    inject6(b, host_gl, b_gl, 60, 64, none, 8);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(count_icmp6(4), 3);
    return 0;
}

TEST(extension_headers_walked_and_bounded)
{
    net_run(3, two_nodes, ext_body);
}

/* Inject fragment [off, off + len) of the datagram dg (total bytes, of
 * next header 17) with identification id. */
static void inject_frag(const struct node *to, uint32_t id, const uint8_t *dg,
                        size_t total, size_t off, size_t len)
{
    static uint8_t p[2048];
    bool more = off + len < total;
    p[0] = 17;
    p[1] = 0;
    mirage_put_be16(p + 2, (uint16_t)(off | (more ? 1 : 0)));
    mirage_put_be32(p + 4, id);
    memcpy(p + 8, dg + off, len);
    inject6(to, host_gl, b_gl, 44, 64, p, 8 + len);
}

static int reasm_body(void)
{
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *b = node_get(1);
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    net_wait(MIRAGE_SEC(2));
    introduce_host(b, b_gl);
    static uint8_t data[2992], dg[3000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i ^ (i >> 8));
    size_t total = build_udp(dg, host_gl, b_gl, 9, data, sizeof data);
    got = 0;
    /* Out of order. */
    inject_frag(b, 1, dg, total, 2400, total - 2400);
    inject_frag(b, 1, dg, total, 0, 1200);
    inject_frag(b, 1, dg, total, 1200, 1200);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got, 1);
    NCHECK(got_len == sizeof data && memcmp(got_data, data, sizeof data) == 0);
    NCHECK_INT(mirage_ipv6_reasm_bytes(b->v6), 0);
    /* Overlapping fragments drop the datagram (RFC 5722). */
    inject_frag(b, 2, dg, total, 0, 1200);
    inject_frag(b, 2, dg, total, 1192, 1208);
    inject_frag(b, 2, dg, total, 2400, total - 2400);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got, 1);
    NCHECK(mirage_ipv6_ip(b->v6)->stats.reasm_dropped >= 1);
    /* A middle fragment whose length is not a multiple of 8: parameter
     * problem pointing at the payload length. */
    inject_frag(b, 3, dg, total, 0, 1201);
    net_wait(MIRAGE_MSEC(10));
    size_t len;
    const uint8_t *r = sent_icmp6(4, 0, 0, &len);
    NCHECK(r && mirage_get_be32(r + 4) == 4);
    /* An incomplete datagram is given up after the time-out, the sender
     * told (time exceeded, code 1), the memory given back. */
    inject_frag(b, 4, dg, total, 0, 1200);
    net_wait(MIRAGE_MSEC(10));
    NCHECK(mirage_ipv6_reasm_bytes(b->v6) > 0);
    net_wait(MIRAGE_IPV6_REASM_TIMEOUT - MIRAGE_SEC(1));
    introduce_host(b, b_gl); /* the host's entry has timed out since */
    net_wait(MIRAGE_SEC(2));
    NCHECK_INT(mirage_ipv6_reasm_bytes(b->v6), 0);
    NCHECK(sent_icmp6(3, 1, 0, &len));
    /* Many datagrams in progress: bounded in count and bytes. */
    for (uint32_t id = 100; id < 300; id++)
        inject_frag(b, id, dg, total, 0, 1200);
    net_wait(MIRAGE_MSEC(10));
    NCHECK(mirage_ipv6_reasm_bytes(b->v6) <= MIRAGE_IPV6_REASM_BYTES);
    NCHECK(mirage_ipv6_reasm_bytes(b->v6) <= MIRAGE_IPV6_REASM_MAX * 6000);
    NCHECK(mirage_ipv6_ip(b->v6)->stats.reasm_dropped >= 200 - 32);
    /* An atomic fragment is delivered as is. */
    total = build_udp(dg, host_gl, b_gl, 9, data, 100);
    inject_frag(b, 5, dg, total, 0, total);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(got, 2);
    return 0;
}

TEST(reassembly_bounded)
{
    net_run(4, two_nodes, reasm_body);
}

static int pmtu_body(void)
{
    NCHECK_INT(node_connect_dual(0, NULL, "2001:db8::1/64", false), 0);
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *a = node_get(0), *b = node_get(1);
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    net_wait(MIRAGE_SEC(2));
    NCHECK_INT(mirage_ipv6_pmtu(a->v6, b_gl), 1500);
    /* A Packet Too Big from a router quoting a's packet to b. */
    uint8_t m[8 + 48] = {2, 0, 0, 0, 0, 0, 0x05, 0x14}; /* MTU 1300 */
    uint8_t *q = m + 8;
    mirage_put_be32(q, 0x60000000u);
    mirage_put_be16(q + 4, 1460);
    q[6] = 17;
    q[7] = 64;
    memcpy(q + 8, a_gl, 16);
    memcpy(q + 24, b_gl, 16);
    uint8_t a_ll_host[16];
    mirage_ipv6_parse("2001:db8:ffff::1", a_ll_host);
    inject_icmp6(a, a_ll_host, a_gl, 64, m, sizeof m);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_pmtu(a->v6, b_gl), 1300);
    NCHECK_INT(mirage_ipv6_stats(a->v6)->pmtu_updates, 1);
    struct mirage_ipaddr bv6 = mirage_ipaddr_of_v6(b_gl);
    NCHECK_INT(mirage_ip_mtu(a->ip, &bv6), 1260);
    nseen = 0;
    got = 0;
    static uint8_t big[1400];
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv6, 9, big, sizeof big), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 1);
    for (size_t i = 0; i < nseen; i++)
        NCHECK(seen[i].len <= 14 + 1300);
    /* Below the minimum: clamped to 1280. */
    m[6] = 1;
    m[7] = 0;
    inject_icmp6(a, a_ll_host, a_gl, 64, m, sizeof m);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_pmtu(a->v6, b_gl), 1280);
    /* A quote of a packet that is not ours: ignored. */
    memcpy(q + 8, host_gl, 16);
    m[6] = 0x05;
    inject_icmp6(a, a_ll_host, a_gl, 64, m, sizeof m);
    net_wait(MIRAGE_MSEC(10));
    NCHECK(mirage_ipv6_stats(a->v6)->rx_icmp_bad >= 1);
    /* The path MTU ages out (RFC 8201). */
    net_wait(MIRAGE_SEC(700));
    NCHECK_INT(mirage_ipv6_pmtu(a->v6, b_gl), 1500);
    return 0;
}

TEST(packet_too_big_sets_path_mtu)
{
    net_run(5, two_nodes, pmtu_body);
}

static int ns_flood_body(void)
{
    NCHECK_INT(node_connect_dual(0, NULL, "2001:db8::1/64", false), 0);
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *a = node_get(0), *b = node_get(1);
    NCHECK_INT(mirage_udp_listen(b->udp, 9, on_udp, NULL, NULL), 0);
    net_wait(MIRAGE_SEC(2));
    uint8_t sn[16] = {0xff, 2, [11] = 1, [12] = 0xff};
    memcpy(sn + 13, b_gl + 13, 3);
    for (unsigned i = 0; i < 1000; i++) {
        uint8_t src[16], m[32] = {135};
        memcpy(src, host_gl, 16);
        mirage_put_be16(src + 12, (uint16_t)i);
        memcpy(m + 8, b_gl, 16);
        m[24] = 1;
        m[25] = 1;
        memcpy(m + 26, host_mac, 6);
        inject_icmp6(b, src, sn, 255, m, sizeof m);
        if (i % 100 == 99)
            net_wait(MIRAGE_MSEC(10));
    }
    net_wait(MIRAGE_MSEC(10));
    NCHECK(mirage_ipv6_neighbours(b->v6, NULL, 0) <= MIRAGE_IPV6_NEIGHBOURS);
    NCHECK(mirage_ipv6_stats(b->v6)->nd_evicted >=
           1000 - MIRAGE_IPV6_NEIGHBOURS);
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_ns, 1000);
    /* b still talks to a. */
    struct mirage_ipaddr bv6 = mirage_ipaddr_of_v6(b_gl);
    got = 0;
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &bv6, 9, "hi", 2), 0);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(got, 1);
    /* NS with a hop limit other than 255 (from off the link), or for a
     * multicast target: dropped. */
    uint64_t bad = mirage_ipv6_stats(b->v6)->rx_nd_bad;
    uint8_t m[32] = {135};
    memcpy(m + 8, b_gl, 16);
    inject_icmp6(b, host_gl, sn, 64, m, 24);
    memcpy(m + 8, sn, 16);
    inject_icmp6(b, host_gl, sn, 255, m, 24);
    /* Shorter than the fixed part (the fuzzer's find): NS and NA. */
    memcpy(m + 8, b_gl, 16);
    inject_icmp6(b, host_gl, sn, 255, m, 22);
    m[0] = 136;
    inject_icmp6(b, host_gl, sn, 255, m, 4);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_nd_bad, bad + 4);
    /* Resolving an address nobody has: three solicitations, then the
     * entry goes and the queued packets are dropped. */
    uint8_t ghost[16];
    mirage_ipv6_parse("2001:db8::77", ghost);
    struct mirage_ipaddr g = mirage_ipaddr_of_v6(ghost);
    uint64_t failed = mirage_ipv6_stats(a->v6)->nd_failed;
    NCHECK_INT(mirage_udp_write(a->udp, NULL, 0, &g, 9, "x", 1), 0);
    net_wait(MIRAGE_SEC(5));
    NCHECK_INT(mirage_ipv6_stats(a->v6)->nd_failed, failed + 1);
    return 0;
}

TEST(ns_flood_keeps_cache_bounded)
{
    net_run(6, two_nodes, ns_flood_body);
}

/* A router advertisement from router r (link-local) with the given
 * router lifetime and nprefix prefixes 2001:db8:P::/64 (P from first)
 * of the given valid lifetime, flags L and A. */
static void inject_ra(const struct node *to, const uint8_t r[16],
                      uint16_t lifetime, unsigned first, unsigned nprefix,
                      uint32_t valid, uint8_t hops)
{
    static uint8_t m[2048];
    memset(m, 0, sizeof m);
    m[0] = 134;
    m[4] = 64;
    mirage_put_be16(m + 6, lifetime);
    size_t off = 16;
    m[off] = 1;
    m[off + 1] = 1;
    memcpy(m + off + 2, host_mac, 6);
    off += 8;
    m[off] = 5;
    m[off + 1] = 1;
    mirage_put_be32(m + off + 4, 1400);
    off += 8;
    for (unsigned i = 0; i < nprefix; i++, off += 32) {
        uint8_t *o = m + off;
        o[0] = 3;
        o[1] = 4;
        o[2] = 64;
        o[3] = 0xc0;
        mirage_put_be32(o + 4, valid);
        mirage_put_be32(o + 8, valid / 2);
        o[16] = 0x20;
        o[17] = 0x01;
        o[18] = 0x0d;
        o[19] = 0xb8;
        mirage_put_be16(o + 20, (uint16_t)(first + i));
    }
    uint8_t all[16] = {0xff, 2, [15] = 1};
    inject_icmp6(to, r, all, hops, m, off);
}

static int ra_body(void)
{
    NCHECK_INT(node_connect_dual(1, NULL, "", true), 0);
    struct node *b = node_get(1);
    net_wait(MIRAGE_SEC(2));
    /* Router solicitations went out. */
    NCHECK(count_icmp6(133) >= 1);
    NCHECK_INT(mirage_ipv6_routers(b->v6), 0);
    /* From off the link (hop limit 64): ignored. */
    inject_ra(b, host_ll, 1800, 1, 1, 3600, 64);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_routers(b->v6), 0);
    inject_ra(b, host_ll, 1800, 1, 1, 3600, 255);
    net_wait(MIRAGE_SEC(2));
    NCHECK_INT(mirage_ipv6_routers(b->v6), 1);
    NCHECK_INT(mirage_ipv6_prefixes(b->v6), 1);
    uint8_t slaac[16];
    mirage_ipv6_parse("2001:db8:1::ff:fe00:2", slaac);
    NCHECK(has_address(b->ip, slaac));
    /* The MTU option lowered the link MTU. */
    NCHECK_INT(mirage_ipv6_pmtu(b->v6, host_gl), 1400);
    /* Off-link destinations go via the router: b resolves it. */
    uint8_t far[16];
    mirage_ipv6_parse("2001:db8:5555::1", far);
    struct mirage_ipaddr f = mirage_ipaddr_of_v6(far), src;
    NCHECK_INT(mirage_ip_src(b->ip, &f, &src), 0);
    NCHECK(memcmp(src.v6, slaac, 16) == 0);
    NCHECK_INT(mirage_udp_write(b->udp, NULL, 0, &f, 9, "out", 3), 0);
    net_wait(MIRAGE_MSEC(10));
    bool via_router = false;
    for (size_t i = 0; i < nseen; i++)
        if (mirage_get_be16(seen[i].f + 12) == 0x86dd && seen[i].f[20] == 17 &&
            memcmp(seen[i].f, host_mac, 6) == 0)
            via_router = true;
    NCHECK(via_router);
    /* A flood of routers with many prefixes: bounded. */
    for (unsigned i = 0; i < 100; i++) {
        uint8_t r[16];
        memcpy(r, host_ll, 16);
        mirage_put_be16(r + 12, (uint16_t)(i + 1));
        inject_ra(b, r, 1800, 100 + i * 20, 20, 3600, 255);
        if (i % 10 == 9)
            net_wait(MIRAGE_MSEC(10));
    }
    net_wait(MIRAGE_SEC(2));
    NCHECK(mirage_ipv6_routers(b->v6) <= MIRAGE_IPV6_ROUTERS);
    NCHECK(mirage_ipv6_prefixes(b->v6) <= MIRAGE_IPV6_PREFIXES);
    NCHECK(mirage_ip_addresses(b->ip, NULL, 0) <= MIRAGE_IPV6_ADDRESSES);
    NCHECK(mirage_ipv6_stats(b->v6)->ra_ignored > 0);
    /* A redirect is counted and changes nothing. */
    uint8_t red[40] = {137};
    memcpy(red + 8, host_gl, 16);
    memcpy(red + 24, far, 16);
    inject_icmp6(b, host_ll, slaac, 255, red, sizeof red);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_stats(b->v6)->rx_redirects, 1);
    /* Router lifetime 0 withdraws the router; the addresses expire with
     * their valid lifetime. */
    size_t routers = mirage_ipv6_routers(b->v6);
    inject_ra(b, host_ll, 0, 1, 0, 0, 255);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_ipv6_routers(b->v6), routers - 1);
    net_wait(MIRAGE_SEC(3700));
    NCHECK(!has_address(b->ip, slaac));
    NCHECK_INT(mirage_ip_addresses(b->ip, NULL, 0), 1); /* link-local */
    return 0;
}

TEST(router_advertisements_slaac_and_floods)
{
    net_run(7, two_nodes, ra_body);
}

static int dad_conflict_body(void)
{
    NCHECK_INT(node_connect_dual(1, NULL, "2001:db8::2/64", false), 0);
    struct node *b = node_get(1);
    net_wait(MIRAGE_MSEC(50));
    /* Another node answers for the address during DAD. */
    uint8_t m[32] = {136, 0, 0, 0, 0x20};
    memcpy(m + 8, b_gl, 16);
    m[24] = 2;
    m[25] = 1;
    memcpy(m + 26, host_mac, 6);
    uint8_t all[16] = {0xff, 2, [15] = 1};
    inject_icmp6(b, host_ll, all, 255, m, sizeof m);
    net_wait(MIRAGE_SEC(2));
    NCHECK_INT(mirage_ipv6_stats(b->v6)->dad_failed, 1);
    NCHECK(!has_address(b->ip, b_gl));
    NCHECK(has_address(b->ip, b_ll));
    NCHECK(strstr(testnet_plat_console(), "duplicate address"));
    return 0;
}

TEST(dad_conflict_drops_the_address)
{
    net_run(8, two_nodes, dad_conflict_body);
}

static int bad_config_body(void)
{
    NCHECK_INT(node_connect_ip(0, "10.0.0.1/24", NULL), 0);
    struct node *a = node_get(0);
    struct mirage_ipv6 *v6;
    const char *bad[] = {"2001:db8::1/129", "ff02::1/64",   "::/64",
                         "::1/128",         "2001:db8::1",  "2001:db8::1/",
                         "nonsense/64",     "2001:db8::1/0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        NCHECK_INT(mirage_ipv6_connect_direct(&v6, a->eth, net_random, bad[i],
                                              "", false),
                   MIRAGE_EINVAL);
    NCHECK_INT(mirage_ipv6_connect_direct(&v6, a->eth, net_random,
                                          "2001:db8::1/64", "ff02::2", false),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_ipv6_connect_direct(&v6, a->eth, net_random,
                                          "2001:db8::1/64", "zz", false),
               MIRAGE_EINVAL);
    NCHECK(strstr(testnet_plat_console(), "invalid --ipv6 'nonsense/64'"));
    NCHECK(strstr(testnet_plat_console(), "invalid --ipv6-gateway 'zz'"));
    /* The dual device needs at least one layer. */
    struct mirage_ip *ip;
    NCHECK_INT(mirage_ip_connect_v4v6(&ip, NULL, NULL), MIRAGE_EINVAL);
    return 0;
}

static int small_mtu_body(void)
{
    NCHECK_INT(node_connect_ip(0, "10.0.0.1/24", NULL), 0);
    struct mirage_ipv6 *v6;
    NCHECK_INT(mirage_ipv6_connect_direct(&v6, node_get(0)->eth, net_random, "",
                                          "", false),
               MIRAGE_EINVAL);
    return 0;
}

static void small_node(void)
{
    node_add(1000);
}

TEST(bad_configurations_refused)
{
    net_run(9, two_nodes, bad_config_body);
    net_run(10, small_node, small_mtu_body);
}

int main(void)
{
    return test_main();
}
