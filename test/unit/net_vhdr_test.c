/* The virtio-net header of devices with offloads (lib/net/vhdr.c):
 * received headers checked (every impossible one refused), headers built
 * from the buffers' offload marks, and netif on the test network
 * counting and dropping frames with bad headers while good ones, with the
 * host's checksum claims, reach the stack; and netif lending its receive
 * buffer to a receiver that keeps it. */
#include "../../lib/net/vhdr.h"
#include "net_harness.h"

#include <string.h>

#define VHDR  sizeof(struct plat_net_vhdr)
#define ALL   MIRAGE_NET_OFFLOAD_ALL
#define FRAME 1514

/* A header with these fields (little-endian, as on the wire). */
static void vh(uint8_t *h, uint8_t flags, uint8_t type, uint16_t hdr_len,
               uint16_t gso_size, uint16_t start, uint16_t off)
{
    uint16_t v[5] = {hdr_len, gso_size, start, off, 0};
    memset(h, 0, VHDR);
    h[0] = flags;
    h[1] = type;
    for (int i = 0; i < 5; i++) {
        h[2 + 2 * i] = (uint8_t)v[i];
        h[3 + 2 * i] = (uint8_t)(v[i] >> 8);
    }
}

/* vhdr_parse of h for a frame of len bytes on an MTU 1500 device. */
static int parse(const uint8_t *h, size_t len, uint32_t granted, uint8_t *offl,
                 bool *gso)
{
    return vhdr_parse(h, len, 1500, granted, offl, gso);
}

TEST(vhdr_parse_accepts_what_hosts_send)
{
    uint8_t h[VHDR], offl = 9;
    bool gso = true;
    vh(h, 0, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    CHECK_INT(parse(h, 60, ALL, &offl, &gso), 0);
    CHECK_INT(offl, 0);
    CHECK(!gso);
    vh(h, PLAT_NET_VHDR_DATA_VALID, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    CHECK_INT(parse(h, FRAME, ALL, &offl, &gso), 0);
    CHECK_INT(offl, MIRAGE_BUF_CSUM_OK);
    /* A coalesced TCP super-segment with a partial checksum (hdr_len as
     * Linux gives it: the linear part, here the whole frame). */
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV4, 30000, 1448, 34, 16);
    CHECK_INT(parse(h, 30000, ALL, &offl, &gso), 0);
    CHECK(gso);
    CHECK_INT(offl, MIRAGE_BUF_CSUM_OK);
    /* The ECN bit of the GSO type means nothing to us. */
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV6 | 0x80, 86, 1428, 54,
       16);
    CHECK_INT(parse(h, 20000, ALL, &offl, &gso), 0);
    CHECK(gso);
}

TEST(vhdr_parse_refuses_impossible_headers)
{
    uint8_t h[VHDR], offl;
    bool gso;
    /* Unknown flags. */
    vh(h, 4, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    CHECK_INT(parse(h, 60, ALL, &offl, &gso), -1);
    /* GSO types: UDP (3), UDP_L4 (5), an unknown one, and TCP over a
     * version whose TSO was not granted. */
    static const uint8_t bad_types[] = {3, 5, 2, 0x7f};
    for (size_t i = 0; i < sizeof bad_types; i++) {
        vh(h, PLAT_NET_VHDR_NEEDS_CSUM, bad_types[i], 54, 1448, 34, 16);
        CHECK_INT(parse(h, 3000, ALL, &offl, &gso), -1);
    }
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV6, 74, 1428, 54, 16);
    CHECK_INT(parse(h, 3000, MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4,
                    &offl, &gso),
              -1);
    /* GSO with gso_size 0, or hdr_len beyond the frame. */
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV4, 54, 0, 34, 16);
    CHECK_INT(parse(h, 3000, ALL, &offl, &gso), -1);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV4, 3001, 1448, 34, 16);
    CHECK_INT(parse(h, 3000, ALL, &offl, &gso), -1);
    /* csum_start, or the checksum field, beyond the frame. */
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_NONE, 0, 0, 60, 0);
    CHECK_INT(parse(h, 60, ALL, &offl, &gso), -1);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_NONE, 0, 0, 34, 25);
    CHECK_INT(parse(h, 60, ALL, &offl, &gso), -1);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_NONE, 0, 0, 0xffff, 0xffff);
    CHECK_INT(parse(h, 60, ALL, &offl, &gso), -1);
    /* NEEDS_CSUM from a device that was not granted CSUM. */
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_NONE, 0, 0, 34, 16);
    CHECK_INT(parse(h, 60, 0, &offl, &gso), -1);
    /* A frame that is no super-segment yet longer than the MTU allows. */
    vh(h, 0, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    CHECK_INT(parse(h, FRAME + 1, ALL, &offl, &gso), -1);
    CHECK_INT(parse(h, FRAME, ALL, &offl, &gso), 0);
}

/* A buffer holding an Ethernet + IPv4 + TCP frame with payload bytes of
 * data after a 32-byte TCP header, its checksum left to the device. */
static struct mirage_buf *tcp_frame(size_t payload, uint16_t gso_size)
{
    struct mirage_buf *b = mirage_buf_alloc(14 + 20 + 32 + payload);
    memset(b->data, 0, b->len);
    mirage_put_be16(b->data + 12, MIRAGE_ETHERTYPE_IPV4);
    b->data[14] = 0x45;
    b->data[14 + 20 + 12] = 8 << 4; /* data offset: 32 bytes */
    for (size_t i = 0; i < payload; i++)
        b->data[66 + i] = (uint8_t)(i * 7);
    mirage_buf_pull(b, 34);
    mirage_buf_csum_partial(b, 16, 0x1234);
    mirage_buf_push(b, 34);
    b->gso_size = gso_size;
    return b;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

TEST(vhdr_build_describes_the_buffer)
{
    uint8_t h[VHDR];
    struct mirage_buf *b = tcp_frame(4000, 1448);
    CHECK_INT(vhdr_build(h, b, ALL), 0);
    CHECK_INT(h[0], PLAT_NET_VHDR_NEEDS_CSUM);
    CHECK_INT(mirage_get_be16(b->data + 34 + 16), 0x1234);
    CHECK_INT(h[1], PLAT_NET_GSO_TCPV4);
    CHECK_INT(le16(h + 2), 66); /* hdr_len: up to the TCP header's end */
    CHECK_INT(le16(h + 4), 1448);
    CHECK_INT(le16(h + 6), 34);
    CHECK_INT(le16(h + 8), 16);
    /* Without TSO for IPv4 the super-segment cannot go. */
    int r = vhdr_build(h, b, MIRAGE_NET_OFFLOAD_CSUM);
    mirage_buf_free(b);
    CHECK_INT(r, -1);
    /* A plain frame whose checksum was left to a device without CSUM:
     * finished here, and it verifies. */
    b = tcp_frame(1000, 0);
    r = vhdr_build(h, b, 0);
    bool finished = !(b->offl & MIRAGE_BUF_CSUM_PARTIAL);
    uint32_t sum = mirage_csum_add(0x1234, b->data + 34, b->len - 34);
    mirage_buf_free(b);
    CHECK_INT(r, 0);
    CHECK_INT(h[0], 0);
    CHECK_INT(h[1], PLAT_NET_GSO_NONE);
    CHECK(finished);
    /* It verifies as a receiver checks it: with the pseudo-header sum
     * (0x1234 here) added. */
    CHECK_INT(mirage_csum_fold(sum), 0);
}

/* ---- netif on the test network ---- */

static uint64_t got_frames;
static uint8_t got_offl;

static void count_frame(void *arg, struct mirage_buf *frame)
{
    (void)arg;
    got_frames++;
    got_offl = frame->offl;
}

static void offload_setup(void)
{
    node_add(1500);
    node_add(1500);
    testnet_set_offloads(testnet_plat_net, node_get(0)->port,
                         PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4 |
                             PLAT_NET_OFFLOAD_TSO6);
}

/* Inject header h followed by a frame of len bytes to node 0. */
static int inject(const uint8_t *h, size_t len)
{
    static uint8_t f[VHDR + 2000];
    memcpy(f, h, VHDR);
    memset(f + VHDR, 0xee, len);
    memcpy(f + VHDR, node_get(0)->mac, 6);
    return testnet_inject(testnet_plat_net, node_get(0)->port, f, VHDR + len);
}

static int netif_body(void)
{
    struct mirage_net *net;
    NCHECK_INT(mirage_net_connect_netif(&net, "node0"), 0);
    NCHECK_INT(net->offloads, ALL);
    mirage_net_listen(net, count_frame, NULL);
    uint8_t h[VHDR];
    /* Bad headers: counted and dropped, nothing reaches the receiver. */
    vh(h, 0x40, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    NCHECK_INT(inject(h, 60), 0);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, 3, 60, 1448, 34, 6);
    NCHECK_INT(inject(h, 1000), 0);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_NONE, 0, 0, 70, 16);
    NCHECK_INT(inject(h, 60), 0);
    vh(h, PLAT_NET_VHDR_NEEDS_CSUM, PLAT_NET_GSO_TCPV4, 1200, 1448, 34, 16);
    NCHECK_INT(inject(h, 1000), 0);
    vh(h, 0, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    NCHECK_INT(inject(h, 1515), 0);
    /* A read shorter than the header itself. */
    NCHECK_INT(testnet_inject(testnet_plat_net, node_get(0)->port, h, 5), 0);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(net->stats.rx_bad_vhdr, 6);
    NCHECK_INT(got_frames, 0);
    NCHECK_INT(net->stats.rx_pkts, 0);
    /* Good ones arrive, with the host's claim. */
    vh(h, PLAT_NET_VHDR_DATA_VALID, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    NCHECK_INT(inject(h, 100), 0);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(got_frames, 1);
    NCHECK_INT(got_offl, MIRAGE_BUF_CSUM_OK);
    vh(h, 0, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    NCHECK_INT(inject(h, FRAME), 0);
    net_wait(MIRAGE_MSEC(1));
    NCHECK_INT(got_frames, 2);
    NCHECK_INT(got_offl, 0);
    NCHECK_INT(net->stats.rx_bad_vhdr, 6);
    /* A super-segment without TSO's mark, or one the device cannot cut,
     * is refused on send. */
    struct mirage_buf *b = tcp_frame(3000, 1448);
    b->offl = 0;
    NCHECK_INT(mirage_net_write(net, b), MIRAGE_EINVAL);
    NCHECK_INT(net->stats.tx_errors, 1);
    mirage_net_disconnect(net);
    return 0;
}

TEST(netif_drops_bad_headers)
{
    got_frames = 0;
    net_run(1, offload_setup, netif_body);
}

/* netif lends its receive buffer for keeping: the first request is
 * refused (no spare yet) and makes a spare, the next is granted; a kept
 * buffer keeps its bytes while later frames are read, and is the
 * keeper's to free. */
static struct mirage_buf *kept[2];
static int asks, refusals;
static uint8_t marks[3];

static void keep_frame(void *arg, struct mirage_buf *frame)
{
    (void)arg;
    marks[asks] = frame->data[6];
    if (asks < 2 && mirage_buf_keep(frame))
        kept[asks] = frame;
    else if (asks < 2)
        refusals++;
    asks++;
}

static int keep_body(void)
{
    struct mirage_net *net;
    NCHECK_INT(mirage_net_connect_netif(&net, "node0"), 0);
    mirage_net_listen(net, keep_frame, NULL);
    uint8_t h[VHDR];
    vh(h, 0, PLAT_NET_GSO_NONE, 0, 0, 0, 0);
    for (uint8_t i = 0; i < 3; i++) {
        static uint8_t f[VHDR + 100];
        memcpy(f, h, VHDR);
        memcpy(f + VHDR, node_get(0)->mac, 6);
        memset(f + VHDR + 6, 0x30 + i, 94);
        NCHECK_INT(
            testnet_inject(testnet_plat_net, node_get(0)->port, f, sizeof f),
            0);
        net_wait(MIRAGE_MSEC(1));
    }
    NCHECK_INT(asks, 3);
    NCHECK_INT(refusals, 1);
    NCHECK(kept[0] == NULL && kept[1] != NULL);
    NCHECK_INT(marks[1], 0x31);
    /* The third frame was read into a new buffer: the kept one still
     * holds the second. */
    NCHECK_INT(kept[1]->data[6], 0x31);
    NCHECK_INT(kept[1]->len, 100);
    NCHECK_INT(marks[2], 0x32);
    NCHECK(kept[1]->lend == NULL);
    mirage_buf_free(kept[1]);
    mirage_net_disconnect(net);
    return 0;
}

TEST(netif_lends_its_buffer_for_keeping)
{
    net_run(2, offload_setup, keep_body);
}

int main(void)
{
    return test_main();
}
