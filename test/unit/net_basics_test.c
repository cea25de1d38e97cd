/* Tests of the network stack's building blocks: addresses, checksums,
 * packet buffers, net timers, and the test network itself. */
#include "net_harness.h"

#include <mirage/buf.h>
#include <mirage/ipaddr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TEST(ipv4_parse_and_format)
{
    mirage_ipv4_addr a = 0;
    char buf[MIRAGE_IPV4_STRLEN];
    CHECK_INT(mirage_ipv4_parse("10.0.0.1", &a), 0);
    CHECK_INT(a, MIRAGE_IPV4(10, 0, 0, 1));
    CHECK_STR(mirage_ipv4_to_string(a, buf), "10.0.0.1");
    CHECK_INT(mirage_ipv4_parse("255.255.255.255", &a), 0);
    CHECK_STR(mirage_ipv4_to_string(a, buf), "255.255.255.255");
    CHECK_STR(mirage_ipv4_to_string(0, buf), "0.0.0.0");
    static const char *const bad[] = {
        "",         "1.2.3",   "1.2.3.4.5", "256.0.0.1", "01.2.3.4",
        "1.2.3.4 ", "a.b.c.d", "1..2.3",    "-1.2.3.4",  "1.2.3.4/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a = 7;
        CHECK_INT(mirage_ipv4_parse(bad[i], &a), MIRAGE_EINVAL);
        CHECK_INT(a, 7);
    }
    CHECK_INT(mirage_ipv4_parse(NULL, &a), MIRAGE_EINVAL);
}

TEST(ipv4_prefixes)
{
    struct mirage_ipv4_prefix p;
    CHECK_INT(mirage_ipv4_prefix_parse("192.168.1.7/24", &p), 0);
    CHECK_INT(p.addr, MIRAGE_IPV4(192, 168, 1, 7));
    CHECK_INT(p.bits, 24);
    CHECK(mirage_ipv4_prefix_mem(&p, MIRAGE_IPV4(192, 168, 1, 200)));
    CHECK(!mirage_ipv4_prefix_mem(&p, MIRAGE_IPV4(192, 168, 2, 1)));
    CHECK_INT(mirage_ipv4_netmask(0), 0);
    CHECK_INT(mirage_ipv4_netmask(24), 0xffffff00u);
    CHECK_INT(mirage_ipv4_netmask(32), 0xffffffffu);
    CHECK_INT(mirage_ipv4_prefix_parse("0.0.0.0/0", &p), 0);
    CHECK(mirage_ipv4_prefix_mem(&p, MIRAGE_IPV4(8, 8, 8, 8)));
    static const char *const bad[] = {"10.0.0.1",  "10.0.0.1/33",
                                      "10.0.0.1/", "10.0.0.1/024",
                                      "10.0.0/8",  "10.0.0.1/8x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(mirage_ipv4_prefix_parse(bad[i], &p), MIRAGE_EINVAL);
}

TEST(mac_and_generic_addresses)
{
    char buf[MIRAGE_IPADDR_STRLEN];
    const uint8_t mac[6] = {0x02, 0xab, 0, 0x10, 0xff, 1};
    CHECK_STR(mirage_mac_to_string(mac, buf), "02:ab:00:10:ff:01");
    struct mirage_ipaddr a = mirage_ipaddr_of_v4(MIRAGE_IPV4(1, 2, 3, 4));
    struct mirage_ipaddr b = a;
    CHECK(mirage_ipaddr_equal(&a, &b));
    b.v4++;
    CHECK(!mirage_ipaddr_equal(&a, &b));
    CHECK_STR(mirage_ipaddr_to_string(&a, buf), "1.2.3.4");
    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    v6.v6[0] = 0xfe;
    v6.v6[1] = 0x80;
    v6.v6[15] = 1;
    CHECK(!mirage_ipaddr_equal(&a, &v6));
    CHECK_STR(mirage_ipaddr_to_string(&v6, buf), "fe80::1");
    /* RFC 5952: the longest zero run (the first of equal ones), never a
     * single zero group. */
    const char *forms[] = {
        "::",        "::1",        "2001:db8::",      "2001:db8::1",
        "1:0:2::3",  "1::2:0:0:3", "1:2:3:4:5:6:7:8", "1:0:2:3:4:5:6:7",
        "::ffff:a:b"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        CHECK(mirage_ipv6_parse(forms[i], v6.v6) == 0);
        CHECK_STR(mirage_ipaddr_to_string(&v6, buf), forms[i]);
    }
}

TEST(internet_checksum)
{
    /* RFC 1071's example: the sum of these words is 0xddf2. */
    const uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK_INT(mirage_csum_fold(mirage_csum_add(0, words, 8)),
              (uint16_t)~0xddf2);
    /* A real IPv4 header verifies to 0 and yields its stored checksum. */
    uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                       0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                       0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK_INT(mirage_csum_fold(mirage_csum_add(0, hdr, 20)), 0);
    hdr[10] = hdr[11] = 0;
    CHECK_INT(mirage_csum_fold(mirage_csum_add(0, hdr, 20)), 0xb861);
    /* Pieces of even length chain; an odd tail is padded with zero. */
    uint32_t s = mirage_csum_add(0, hdr, 6);
    s = mirage_csum_add(s, hdr + 6, 14);
    CHECK_INT(mirage_csum_fold(s), 0xb861);
    const uint8_t odd[3] = {0x12, 0x34, 0x56};
    CHECK_INT(mirage_csum_fold(mirage_csum_add(0, odd, 3)),
              (uint16_t) ~(0x1234 + 0x5600));
    /* The pseudo-header sum equals summing its bytes. */
    struct mirage_ipaddr a = mirage_ipaddr_of_v4(0xc0a80001);
    struct mirage_ipaddr b = mirage_ipaddr_of_v4(0xc0a800c7);
    const uint8_t ph[12] = {0xc0, 0xa8, 0, 1,  0xc0, 0xa8,
                            0,    0xc7, 0, 17, 0,    99};
    CHECK_INT(mirage_csum_fold(mirage_ip_pseudo_sum(&a, &b, 17, 99)),
              mirage_csum_fold(mirage_csum_add(0, ph, 12)));
}

/* The sum against RFC 1071's definition, for every length and alignment
 * of some random data. */
TEST(internet_checksum_matches_the_definition)
{
    static uint8_t data[400];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 16);
    }
    for (size_t off = 0; off < 8; off++)
        for (size_t len = 0; len + off <= sizeof data; len++) {
            uint32_t ref = 0;
            for (size_t i = 0; i < len; i += 2)
                ref += (uint32_t)data[off + i] << 8 |
                       (i + 1 < len ? data[off + i + 1] : 0);
            while (ref >> 16)
                ref = (ref & 0xffff) + (ref >> 16);
            CHECK_INT(mirage_csum_fold(mirage_csum_add(0, data + off, len)),
                      (uint16_t)~ref);
        }
}

TEST(buffers)
{
    struct mirage_buf *b = mirage_buf_alloc_room(8, 4);
    CHECK(b);
    CHECK_INT(b->len, 4);
    CHECK_INT(mirage_buf_headroom(b), 8);
    CHECK_INT(mirage_buf_tailroom(b), 0);
    memcpy(b->data, "data", 4);
    uint8_t *h = mirage_buf_push(b, 8);
    CHECK(h == b->base);
    CHECK_INT(b->len, 12);
    CHECK(mirage_buf_push(b, 1) == NULL);
    CHECK_INT(b->len, 12);
    CHECK(mirage_buf_pull(b, 8) != NULL);
    CHECK(memcmp(b->data, "data", 4) == 0);
    CHECK(mirage_buf_pull(b, 5) == NULL);
    CHECK_INT(b->len, 4);
    mirage_buf_trim(b, 2);
    CHECK_INT(b->len, 2);
    CHECK_INT(mirage_buf_tailroom(b), 2);
    CHECK(mirage_buf_put(b, 2) == b->data + 2);
    CHECK(mirage_buf_put(b, 1) == NULL);
    mirage_buf_trim(b, 100);
    CHECK_INT(b->len, 4);
    mirage_buf_free(b);
    CHECK(mirage_buf_alloc_room(SIZE_MAX, 1) == NULL);
    CHECK(mirage_buf_alloc_room(1, SIZE_MAX - 8) == NULL);
    b = mirage_buf_copy("xyz", 3);
    CHECK(b);
    CHECK_INT(mirage_buf_headroom(b), MIRAGE_BUF_HEADROOM);
    CHECK(memcmp(b->data, "xyz", 3) == 0);
    mirage_buf_free(b);
    mirage_buf_free(NULL);
    CHECK_INT(mirage_get_be16((const uint8_t *)"\x12\x34"), 0x1234);
    CHECK_INT(mirage_get_be32((const uint8_t *)"\x12\x34\x56\x78"), 0x12345678);
}

/* Timers: they fire in deadline order (ties in arming order), re-arming
 * moves them, cancelling stops them, and callbacks may re-arm. */
struct tick {
    struct mirage_net_timer timer;
    int id;
    int rearm; /* times left to re-arm itself */
};
static int fired[16], nfired;
static uint64_t fired_at[16];

static void on_tick(struct mirage_net_timer *t)
{
    struct tick *k = (struct tick *)t;
    fired_at[nfired] = mirage_now();
    fired[nfired++] = k->id;
    if (k->rearm-- > 0)
        mirage_net_timer_set(t, mirage_now() + MIRAGE_MSEC(100));
}

static int timers_body(void)
{
    static struct tick k[5];
    nfired = 0;
    uint64_t t0 = mirage_now();
    for (int i = 0; i < 5; i++) {
        k[i] = (struct tick){.id = i};
        mirage_net_timer_init(&k[i].timer, on_tick);
        NCHECK(!mirage_net_timer_armed(&k[i].timer));
    }
    NCHECK_INT(mirage_net_timer_set(&k[0].timer, t0 + MIRAGE_MSEC(30)), 0);
    NCHECK_INT(mirage_net_timer_set(&k[1].timer, t0 + MIRAGE_MSEC(10)), 0);
    NCHECK_INT(mirage_net_timer_set(&k[2].timer, t0 + MIRAGE_MSEC(10)), 0);
    NCHECK_INT(mirage_net_timer_set(&k[3].timer, t0 + MIRAGE_MSEC(50)), 0);
    NCHECK_INT(mirage_net_timer_set(&k[4].timer, t0 + MIRAGE_MSEC(5)), 0);
    NCHECK_INT(mirage_net_timer_count(), 5);
    /* Move 4 after 0, cancel 3 (twice: harmless). */
    NCHECK_INT(mirage_net_timer_set(&k[4].timer, t0 + MIRAGE_MSEC(40)), 0);
    mirage_net_timer_cancel(&k[3].timer);
    mirage_net_timer_cancel(&k[3].timer);
    NCHECK_INT(mirage_net_timer_count(), 4);
    k[1].rearm = 1;
    net_wait(MIRAGE_SEC(1));
    int expect[] = {1, 2, 0, 4, 1};
    NCHECK_INT(nfired, 5);
    for (int i = 0; i < 5; i++)
        NCHECK_INT(fired[i], expect[i]);
    NCHECK_INT(fired_at[0] - t0, MIRAGE_MSEC(10));
    NCHECK_INT(fired_at[4] - t0, MIRAGE_MSEC(110));
    NCHECK_INT(mirage_net_timer_count(), 0);
    return 0;
}

TEST(net_timers)
{
    net_run(1, NULL, timers_body);
}

/* The test network on its own, driven directly. */
static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 0xb};
static const uint8_t mac_c[6] = {2, 0, 0, 0, 0, 0xc};

/* A frame from a to dst, numbered k in its payload. */
static size_t make_frame(uint8_t *f, const uint8_t dst[6], uint32_t k,
                         size_t len)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, mac_a, 6);
    mirage_put_be16(f + 12, 0x88b5);
    memset(f + 14, 0, len - 14);
    mirage_put_be32(f + 14, k);
    return len;
}

TEST(testnet_ports_and_errors)
{
    struct testnet *tn = testnet_create(1);
    CHECK(tn);
    CHECK_INT(testnet_add_port(tn, "a", mac_a, 1500), 0);
    CHECK_INT(testnet_add_port(tn, "b", mac_b, 1500), 1);
    CHECK_INT(testnet_add_port(tn, "a", mac_c, 1500), MIRAGE_EINVAL);
    CHECK_INT(testnet_add_port(tn, "", mac_c, 1500), MIRAGE_EINVAL);
    CHECK_INT(testnet_add_port(tn, "c", mac_c, 67), MIRAGE_EINVAL);
    CHECK_INT(testnet_add_port(tn, "c", mac_c, 65522), MIRAGE_EINVAL);
    for (int i = 2; i < TESTNET_MAX_PORTS; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        CHECK_INT(testnet_add_port(tn, name, mac_c, 1500), i);
    }
    CHECK_INT(testnet_add_port(tn, "x", mac_c, 1500), MIRAGE_ENOSPC);
    plat_handle ha, hb;
    struct plat_net_info info;
    CHECK_INT(testnet_acquire(tn, "nosuch", &ha, &info), PLAT_EINVAL);
    CHECK_INT(testnet_acquire(tn, "a", &ha, &info), PLAT_OK);
    CHECK(memcmp(info.mac, mac_a, 6) == 0);
    CHECK_INT(info.mtu, 1500);
    CHECK_INT(testnet_acquire(tn, "a", &ha, &info), PLAT_EINVAL);
    CHECK_INT(testnet_acquire(tn, "b", &hb, &info), PLAT_OK);
    uint8_t f[1600];
    size_t got;
    CHECK_INT(testnet_write(tn, 5, f, 60), PLAT_EINVAL);    /* not acquired */
    CHECK_INT(testnet_write(tn, ha, f, 13), PLAT_EINVAL);   /* too short */
    CHECK_INT(testnet_write(tn, ha, f, 1515), PLAT_EINVAL); /* too long */
    CHECK_INT(testnet_read(tn, hb, f, 1513, &got), PLAT_EINVAL);
    CHECK_INT(testnet_read(tn, 9, f, sizeof f, &got), PLAT_EINVAL);
    CHECK_INT(testnet_read(tn, hb, f, sizeof f, &got), PLAT_AGAIN);
    CHECK_INT(testnet_inject(tn, 99, f, 60), MIRAGE_EINVAL);
    CHECK_INT(testnet_inject(tn, 1, f, 0), MIRAGE_EINVAL);
    /* Unicast reaches only its port; broadcast every other one. */
    make_frame(f, mac_b, 1, 60);
    CHECK_INT(testnet_write(tn, ha, f, 60), PLAT_OK);
    make_frame(f, mirage_mac_broadcast, 2, 60);
    CHECK_INT(testnet_write(tn, ha, f, 60), PLAT_OK);
    plat_handle_set ready;
    testnet_yield(tn, testnet_now(tn) + 1000, &ready);
    CHECK_INT(ready, 1u << hb);
    CHECK_INT(testnet_pending(tn, (unsigned)hb), 2);
    CHECK_INT(testnet_pending(tn, 2), 1);
    CHECK_INT(testnet_pending(tn, (unsigned)ha), 0);
    CHECK_INT(testnet_read(tn, hb, f, sizeof f, &got), PLAT_OK);
    CHECK_INT(got, 60);
    CHECK_INT(mirage_get_be32(f + 14), 1);
    /* An injected frame longer than the MTU is cut on reading. */
    static uint8_t big[2000];
    CHECK_INT(testnet_inject(tn, 1, big, sizeof big), 0);
    CHECK_INT(testnet_read(tn, hb, f, sizeof f, &got), PLAT_OK);
    CHECK_INT(testnet_read(tn, hb, f, 1514, &got), PLAT_OK);
    CHECK_INT(got, 1514);
    /* With nothing in flight, yield moves the clock to the deadline. */
    uint64_t t = testnet_now(tn);
    testnet_yield(tn, t + MIRAGE_SEC(5), &ready);
    CHECK_INT(ready, 0);
    CHECK_INT(testnet_now(tn), t + MIRAGE_SEC(5));
    testnet_destroy(tn);
}

/* Send n numbered frames a -> b with the given faults; returns the order
 * they arrived in (as numbers, -1 ending the list) and the time taken. */
static int run_faults(uint64_t seed, const struct testnet_faults *fl, int n,
                      size_t len, int *order, uint64_t *elapsed,
                      struct testnet_stats *stats)
{
    struct testnet *tn = testnet_create(seed);
    testnet_add_port(tn, "a", mac_a, 1500);
    testnet_add_port(tn, "b", mac_b, 1500);
    testnet_set_faults(tn, 0, fl);
    plat_handle ha, hb;
    struct plat_net_info info;
    testnet_acquire(tn, "a", &ha, &info);
    testnet_acquire(tn, "b", &hb, &info);
    uint8_t f[1600];
    uint64_t t0 = testnet_now(tn), last = t0;
    for (int k = 0; k < n; k++)
        testnet_write(tn, ha, f, make_frame(f, mac_b, (uint32_t)k, len));
    int got = 0;
    while (testnet_in_flight(tn) || testnet_pending(tn, 1)) {
        plat_handle_set ready;
        testnet_yield(tn, MIRAGE_FOREVER, &ready);
        size_t r;
        while (testnet_read(tn, hb, f, sizeof f, &r) == PLAT_OK) {
            uint32_t k = mirage_get_be32(f + 14);
            for (size_t i = 18; i < r; i++)
                if (f[i] != 0)
                    k = 1000000; /* corrupted */
            order[got++] = (int)k;
            last = testnet_now(tn);
        }
    }
    order[got] = -1;
    *elapsed = last - t0;
    *stats = *testnet_stats(tn);
    testnet_destroy(tn);
    return got;
}

TEST(testnet_faults_replay_by_seed)
{
    struct testnet_faults fl = {.loss_ppm = 100000,
                                .dup_ppm = 100000,
                                .reorder_ppm = 200000,
                                .corrupt_ppm = 100000,
                                .delay_ns = MIRAGE_MSEC(1),
                                .jitter_ns = MIRAGE_USEC(10),
                                .reorder_ns = MIRAGE_MSEC(2)};
    static int o1[2100], o2[2100], o3[2100];
    uint64_t e1, e2, e3;
    struct testnet_stats s1, s2, s3;
    int n1 = run_faults(42, &fl, 1000, 100, o1, &e1, &s1);
    int n2 = run_faults(42, &fl, 1000, 100, o2, &e2, &s2);
    int n3 = run_faults(43, &fl, 1000, 100, o3, &e3, &s3);
    CHECK_INT(n1, n2);
    CHECK(memcmp(o1, o2, sizeof(int) * (size_t)(n1 + 1)) == 0);
    CHECK_INT(e1, e2);
    CHECK(n1 != n3 || memcmp(o1, o3, sizeof(int) * (size_t)(n1 + 1)) != 0);
    /* Roughly the rates asked for (10% each; generous bounds). */
    CHECK(s1.lost > 50 && s1.lost < 150);
    CHECK(s1.duplicated > 50 && s1.duplicated < 150);
    CHECK(s1.corrupted > 50 && s1.corrupted < 150);
    CHECK(s1.reordered > 100 && s1.reordered < 300);
    CHECK_INT(n1, 1000 - (int)s1.lost + (int)s1.duplicated);
    int corrupt = 0, out_of_order = 0;
    for (int i = 0; i < n1; i++) {
        corrupt += o1[i] == 1000000;
        if (i > 0 && o1[i] < o1[i - 1] && o1[i] != 1000000)
            out_of_order++;
    }
    CHECK(corrupt > 0);
    CHECK(out_of_order > 0);
}

TEST(testnet_delay_and_bandwidth)
{
    static int order[1100];
    uint64_t elapsed;
    struct testnet_stats s;
    /* 100 frames of 1250 bytes at 10 Mb/s: 1 ms each, plus 5 ms delay. */
    struct testnet_faults fl = {.delay_ns = MIRAGE_MSEC(5),
                                .bandwidth_bps = 10000000};
    CHECK_INT(run_faults(1, &fl, 100, 1250, order, &elapsed, &s), 100);
    CHECK_INT(elapsed, MIRAGE_MSEC(100) + MIRAGE_MSEC(5));
    for (int i = 0; i < 100; i++)
        CHECK_INT(order[i], i);
    /* A 10000-byte queue holds 8 frames: the rest of a burst is dropped. */
    fl.queue_bytes = 10000;
    CHECK_INT(run_faults(1, &fl, 100, 1250, order, &elapsed, &s), 8);
    CHECK_INT(s.queue_drops, 92);
}

int main(void)
{
    return test_main();
}
