/* Hostile input for TCP, injected into a node of the test network:
 * malformed headers and options, bad checksums, spoofed RSTs, SYNs and
 * ACKs against an established connection (RFC 5961), stale timestamps
 * (PAWS), out-of-window data, and a SYN flood that must not grow memory
 * beyond the listener's SYN queue. The connections attacked keep working,
 * checked byte for byte. */
#include "../../lib/tcp/segment.h"
#include "tcp_harness.h"

#include <string.h>

/* A TCP segment from src:sport to node 1 (10.0.0.2) port dport, with raw
 * options; the TCP checksum is right unless bad_csum. The header length
 * field says hlen_words (0: what the options need). */
struct inj {
    uint32_t src;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *opts;
    size_t optlen;
    const void *data;
    size_t len;
    bool bad_csum;
    unsigned hlen_words;
    size_t truncate; /* non-zero: cut the TCP part to this many bytes */
};

static void inject(const struct inj *s)
{
    uint8_t f[2048] = {0};
    size_t tcp_len = 20 + s->optlen + s->len;
    size_t off = build_eth_ipv4(f, node_get(1), s->src,
                                MIRAGE_IPV4(10, 0, 0, 2), MIRAGE_IP_PROTO_TCP,
                                0, 0, s->truncate ? s->truncate : tcp_len);
    uint8_t *t = f + off;
    memset(t, 0, 20);
    mirage_put_be16(t, s->sport);
    mirage_put_be16(t + 2, s->dport);
    mirage_put_be32(t + 4, s->seq);
    mirage_put_be32(t + 8, s->ack);
    unsigned words = s->hlen_words ? s->hlen_words : (20 + s->optlen) / 4;
    t[12] = (uint8_t)(words << 4);
    t[13] = s->flags;
    mirage_put_be16(t + 14, s->wnd ? s->wnd : 65535);
    if (s->optlen)
        memcpy(t + 20, s->opts, s->optlen);
    if (s->len)
        memcpy(t + 20 + s->optlen, s->data, s->len);
    if (s->truncate)
        tcp_len = s->truncate;
    struct mirage_ipaddr src = mirage_ipaddr_of_v4(s->src);
    uint32_t sum =
        mirage_ip_pseudo_sum(&src, &addr_b, MIRAGE_IP_PROTO_TCP, tcp_len);
    uint16_t csum = mirage_csum_fold(mirage_csum_add(sum, t, tcp_len));
    mirage_put_be16(t + 16, s->bad_csum ? (uint16_t)(csum ^ 0x5555) : csum);
    /* Short frames are padded to Ethernet's minimum of 60 bytes. */
    size_t frame_len = off + tcp_len < 60 ? 60 : off + tcp_len;
    testnet_inject(testnet_plat_net, node_get(1)->port, f, frame_len);
}

static const struct mirage_tcp_stats *stats_b(void)
{
    return mirage_tcp_stats(tcp_b);
}

/* ---- malformed segments ---- */

/* After the attack, the server of tcp_server_start(1000) still serves;
 * then the stacks stop. */
static int still_serves(void)
{
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 1000);
    mirage_tcp_close(f);
    tcp_stop();
    return 0;
}

static int malformed(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(tcp_server_start(1000), 0);
    uint32_t host = MIRAGE_IPV4(10, 0, 0, 50);
    struct inj s = {
        .src = host, .sport = 40000, .dport = 5000, .seq = 7, .flags = TCP_SYN};
    /* A header cut short (too short to hold its checksum field: it fails
     * the checksum), a data offset below 5 and one past the end. */
    s.truncate = 12;
    inject(&s);
    s.truncate = 0;
    s.hlen_words = 4;
    inject(&s);
    s.hlen_words = 15;
    inject(&s);
    s.hlen_words = 0;
    /* Options: a zero length, one running past the header, one of length
     * 1. */
    static const uint8_t zero_len[4] = {2, 0, 1, 1};
    static const uint8_t past_end[4] = {1, 8, 10, 0};
    static const uint8_t len_one[4] = {1, 1, 30, 1};
    s.opts = zero_len;
    s.optlen = 4;
    inject(&s);
    s.opts = past_end;
    inject(&s);
    s.opts = len_one;
    inject(&s);
    /* A zero port. */
    s.opts = NULL;
    s.optlen = 0;
    s.sport = 0;
    inject(&s);
    s.sport = 40000;
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->rx_malformed, 6);
    NCHECK_INT(stats_b()->rx_bad_csum, 1);
    /* A bad checksum. */
    s.bad_csum = true;
    inject(&s);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->rx_bad_csum, 2);
    NCHECK_INT(stats_b()->connections, 0);
    /* Options of a known kind with a wrong length, an unknown option and
     * a window scale above 14 are tolerated: the SYN opens a half-open
     * connection. */
    static const uint8_t odd[16] = {
        2,  3, 5,     /* MSS of length 3 */
        4,  4, 0,  0, /* SACK-permitted of length 4 */
        3,  3, 40,    /* window scale 40 */
        5,  2,        /* SACK without blocks */
        99, 2,        /* unknown */
        1,  0,        /* NOP, end of options */
    };
    s.bad_csum = false;
    s.opts = odd;
    s.optlen = sizeof odd;
    inject(&s);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->connections, 1);
    NCHECK_INT(stats_b()->rx_malformed, 6);
    /* Segments to a port nobody listens on are answered with RST; RSTs
     * are not. */
    uint64_t resets = stats_b()->tx_resets;
    struct inj stray = {.src = host,
                        .sport = 40001,
                        .dport = 6000,
                        .seq = 1,
                        .ack = 1,
                        .flags = TCP_ACK};
    inject(&stray);
    stray.flags = TCP_RST;
    inject(&stray);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->tx_resets, resets + 1);
    /* The server still serves. */
    return still_serves();
}

TEST(malformed_segments)
{
    net_run(41, tcp_setup, malformed);
}

/* ---- segments a listener drops (RFC 9293 §3.10.7.2) ---- */

static int odd_flags(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(tcp_server_start(1000), 0);
    /* SYN+FIN (Linux drops it too), and segments with none of SYN, ACK
     * and RST: NULL, FIN, URG, FIN+PSH+URG. None opens or is answered. */
    static const uint8_t flags[] = {TCP_SYN | TCP_FIN, 0, TCP_FIN, TCP_URG,
                                    TCP_FIN | TCP_PSH | TCP_URG};
    for (size_t i = 0; i < sizeof flags; i++) {
        struct inj s = {.src = MIRAGE_IPV4(10, 0, 0, 50),
                        .sport = (uint16_t)(40000 + i),
                        .dport = 5000,
                        .seq = 7,
                        .flags = flags[i]};
        inject(&s);
    }
    /* A SYN from 0.0.0.0 names nobody to answer. */
    struct inj any = {
        .src = 0, .sport = 40100, .dport = 5000, .seq = 7, .flags = TCP_SYN};
    inject(&any);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->tx_segs, 0);
    NCHECK_INT(stats_b()->connections, 0);
    NCHECK_INT(stats_b()->rx_malformed, sizeof flags + 1);
    /* To a port nobody listens on, the same NULL segment gets a RST
     * (§3.10.7.1). */
    struct inj null = {.src = MIRAGE_IPV4(10, 0, 0, 50),
                       .sport = 40200,
                       .dport = 6000,
                       .seq = 7};
    inject(&null);
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(stats_b()->tx_resets, 1);
    return still_serves();
}

TEST(odd_flags_to_a_listener_dropped)
{
    net_run(44, tcp_setup, odd_flags);
}

/* ---- attacks on an established connection ---- */

/* The last segment node 0 sent to node 1, parsed. */
static struct tcp_seg last_a;
static bool have_last_a;

static void record_a(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
    (void)arg;
    if (port != 0 || len < 54 || frame[23] != MIRAGE_IP_PROTO_TCP)
        return;
    size_t ip_len = mirage_get_be16(frame + 16);
    if (ip_len < 40 || 14 + ip_len > len)
        return;
    have_last_a = tcp_seg_parse(frame + 34, ip_len - 20, &last_a) == 0;
    last_a.data = NULL;
}

static int server_flow_err;
static int read_all_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    long long n = tcp_read_pattern(f, MIRAGE_FOREVER);
    if (n >= 0)
        srv.received = n;
    else
        server_flow_err = (int)n;
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

static int established_attacks(void)
{
    NCHECK_INT(tcp_start(), 0);
    server_flow_err = 0;
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, read_all_handler, NULL), 0);
    testnet_set_tap(testnet_plat_net, record_a, NULL);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(tcp_write_pattern(f, 0, 100000, 10000, MIRAGE_FOREVER), 0);
    net_wait(MIRAGE_SEC(1));
    NCHECK(have_last_a);
    /* Node 1 expects last_a.seq + len next. */
    struct tcp_seg a = last_a;
    uint32_t rcv_nxt = a.seq + (uint32_t)a.len;
    struct inj s = {.src = MIRAGE_IPV4(10, 0, 0, 1),
                    .sport = a.sport,
                    .dport = a.dport,
                    .ack = a.ack};
    uint64_t challenges = stats_b()->challenge_acks;
    /* A RST inside the window but not at rcv_nxt: challenge ACK. */
    s.seq = rcv_nxt + 1000;
    s.flags = TCP_RST;
    inject(&s);
    /* A RST outside the window: dropped. */
    uint64_t oow = stats_b()->rx_out_of_window;
    s.seq = rcv_nxt + 0x40000000u;
    inject(&s);
    /* A SYN in the window: challenge ACK. */
    s.seq = rcv_nxt;
    s.flags = TCP_SYN;
    inject(&s);
    /* An ACK of data never sent: challenge ACK. */
    s.flags = TCP_ACK;
    s.ack = a.ack + 1000000;
    inject(&s);
    /* Data far beyond the window: dropped. */
    s.ack = a.ack;
    s.seq = rcv_nxt + 0x10000000u;
    s.data = "junk";
    s.len = 4;
    inject(&s);
    /* A stale timestamp at the right place: dropped by PAWS. */
    NCHECK(a.opt.has_ts);
    uint8_t ts[12] = {1, 1, 8, 10};
    mirage_put_be32(ts + 4, a.opt.ts_val - 100000);
    mirage_put_be32(ts + 8, a.opt.ts_ecr);
    s.seq = rcv_nxt;
    s.opts = ts;
    s.optlen = sizeof ts;
    inject(&s);
    net_wait(MIRAGE_MSEC(100));
    NCHECK_INT(stats_b()->challenge_acks, challenges + 3);
    NCHECK_INT(stats_b()->rx_out_of_window, oow + 3);
    NCHECK_INT(stats_b()->rx_resets, 0);
    /* The connection carries on. */
    NCHECK_INT(tcp_write_pattern(f, 100000, 100000, 10000, MIRAGE_FOREVER), 0);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(srv.conns_done, 0);
    /* A RST exactly at rcv_nxt resets it. */
    a = last_a;
    s.opts = NULL;
    s.optlen = 0;
    s.data = NULL;
    s.len = 0;
    s.seq = a.seq + (uint32_t)a.len;
    s.flags = TCP_RST;
    inject(&s);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    NCHECK_INT(server_flow_err, MIRAGE_ECONNRESET);
    NCHECK_INT(stats_b()->rx_resets, 1);
    testnet_set_tap(testnet_plat_net, NULL, NULL);
    mirage_tcp_close(f);
    tcp_stop();
    return 0;
}

TEST(established_connection_attacks)
{
    net_run(42, tcp_setup, established_attacks);
}

/* ---- SYN flood ---- */

static int syn_flood(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(tcp_server_start(5000), 0);
    uint32_t rng = 12345;
    for (int i = 0; i < 20000; i++) {
        rng = rng * 1103515245u + 12345u;
        struct inj s = {.src = MIRAGE_IPV4(10, 0, 0, 100 + (rng >> 24) % 100),
                        .sport = (uint16_t)(1024 + (rng >> 8) % 60000),
                        .dport = 5000,
                        .seq = rng,
                        .flags = TCP_SYN};
        inject(&s);
        if (i % 500 == 499)
            net_wait(MIRAGE_MSEC(1));
    }
    net_wait(MIRAGE_MSEC(10));
    /* Memory stays bounded: at most the SYN queue's 128 half-open
     * connections; the other SYNs got cookies and left nothing. */
    NCHECK(stats_b()->connections <= 128);
    NCHECK(stats_b()->syn_cookies_sent >= 20000 - 128);
    /* A real client still gets through, during the flood too. */
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(tcp_write_pattern(f, 0, 20000, 5000, MIRAGE_FOREVER), 0);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 5000);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    NCHECK(srv.ok);
    /* The half-open connections give up after their SYN-ACK
     * retransmissions. */
    net_wait(MIRAGE_SEC(200));
    NCHECK_INT(stats_b()->connections, 0);
    tcp_stop();
    return 0;
}

TEST(syn_flood_bounded)
{
    net_run(43, tcp_setup, syn_flood);
}

int main(void)
{
    return test_main();
}
