/* Tests of TCP's building blocks on their own: the segment format and
 * options, sequence-number range sets, the byte ring, RTO estimation,
 * NewReno's window arithmetic and the keyed hash behind ISNs. */
#include "../../lib/tcp/cc.h"
#include "../../lib/tcp/isn.h"
#include "../../lib/tcp/ranges.h"
#include "../../lib/tcp/ring.h"
#include "../../lib/tcp/rto.h"
#include "../../lib/tcp/segment.h"
#include "test.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <mirage/fiber.h>

static size_t build(uint8_t *p, const struct tcp_seg *s, bool syn)
{
    size_t optlen = tcp_opts_write(p + TCP_HDR_MIN, &s->opt, syn);
    tcp_hdr_write(p, s, optlen);
    return TCP_HDR_MIN + optlen;
}

TEST(segment_round_trip_syn)
{
    struct tcp_seg s = {.sport = 1234,
                        .dport = 80,
                        .seq = 0xfffffff0u,
                        .ack = 7,
                        .flags = TCP_SYN | TCP_ACK,
                        .wnd = 29200};
    s.opt.mss = 1460;
    s.opt.has_ws = true;
    s.opt.ws = 7;
    s.opt.sack_ok = true;
    s.opt.has_ts = true;
    s.opt.ts_val = 0x11223344;
    s.opt.ts_ecr = 0x55667788;
    uint8_t p[TCP_HDR_MAX + 4];
    size_t len = build(p, &s, true);
    CHECK_INT(len % 4, 0);
    CHECK(len <= TCP_HDR_MAX);
    p[len] = 'x';
    struct tcp_seg r;
    CHECK_INT(tcp_seg_parse(p, len + 1, &r), 0);
    CHECK_INT(r.sport, 1234);
    CHECK_INT(r.dport, 80);
    CHECK_INT(r.seq, 0xfffffff0u);
    CHECK_INT(r.ack, 7);
    CHECK_INT(r.flags, TCP_SYN | TCP_ACK);
    CHECK_INT(r.wnd, 29200);
    CHECK_INT(r.opt.mss, 1460);
    CHECK(r.opt.has_ws);
    CHECK_INT(r.opt.ws, 7);
    CHECK(r.opt.sack_ok);
    CHECK(r.opt.has_ts);
    CHECK_INT(r.opt.ts_val, 0x11223344);
    CHECK_INT(r.opt.ts_ecr, 0x55667788);
    CHECK_INT(r.len, 1);
    CHECK_INT(r.data[0], 'x');
}

TEST(segment_sack_blocks_fit)
{
    struct tcp_seg s = {.flags = TCP_ACK};
    s.opt.has_ts = true;
    s.opt.nsack = 4;
    for (unsigned i = 0; i < 4; i++) {
        s.opt.sack[i].start = 1000 * i;
        s.opt.sack[i].end = 1000 * i + 500;
    }
    uint8_t p[TCP_HDR_MAX];
    size_t len = build(p, &s, false);
    CHECK(len <= TCP_HDR_MAX);
    struct tcp_seg r;
    CHECK_INT(tcp_seg_parse(p, len, &r), 0);
    /* With timestamps only three blocks fit in 40 bytes of options. */
    CHECK(r.opt.has_ts);
    CHECK_INT(r.opt.nsack, 3);
    CHECK_INT(r.opt.sack[2].start, 2000);
    CHECK_INT(r.opt.sack[2].end, 2500);
    s.opt.has_ts = false;
    len = build(p, &s, false);
    CHECK_INT(tcp_seg_parse(p, len, &r), 0);
    CHECK_INT(r.opt.nsack, 4);
    CHECK(!r.opt.has_ts);
}

TEST(segment_rejects_malformed)
{
    uint8_t p[64] = {0};
    struct tcp_seg r;
    CHECK_INT(tcp_seg_parse(p, 19, &r), MIRAGE_EBADF);
    p[12] = 4 << 4;
    CHECK_INT(tcp_seg_parse(p, 20, &r), MIRAGE_EBADF);
    p[12] = 6 << 4;
    CHECK_INT(tcp_seg_parse(p, 20, &r), MIRAGE_EBADF);
    /* Option lengths of 0 and 1, and one past the header. */
    static const uint8_t bad[][4] = {{8, 0, 1, 1}, {1, 1, 8, 1}, {1, 8, 9, 0}};
    for (unsigned i = 0; i < 3; i++) {
        memcpy(p + 20, bad[i], 4);
        CHECK_INT(tcp_seg_parse(p, 24, &r), MIRAGE_EBADF);
    }
    /* Wrong lengths for known kinds are skipped; the end-of-list option
     * ends parsing; a window scale above 14 is taken as 14. */
    static const uint8_t odd[12] = {2, 3, 1, 8, 4, 0, 0, 3, 3, 200, 0, 77};
    memcpy(p + 20, odd, sizeof odd);
    p[12] = 8 << 4;
    CHECK_INT(tcp_seg_parse(p, 32, &r), 0);
    CHECK_INT(r.opt.mss, 0);
    CHECK(!r.opt.has_ts);
    CHECK(r.opt.has_ws);
    CHECK_INT(r.opt.ws, 14);
    CHECK_INT(r.len, 0);
}

TEST(ranges_merge_and_trim)
{
    struct tcp_ranges s;
    tcp_ranges_clear(&s);
    CHECK_INT(tcp_ranges_add(&s, 100, 200), 0);
    CHECK_INT(tcp_ranges_add(&s, 300, 400), 1);
    CHECK_INT(tcp_ranges_add(&s, 0, 50), 0);
    CHECK_INT(s.n, 3);
    /* Touching and overlapping ranges merge. */
    CHECK_INT(tcp_ranges_add(&s, 200, 300), 1);
    CHECK_INT(s.n, 2);
    CHECK_INT(s.r[1].start, 100);
    CHECK_INT(s.r[1].end, 400);
    CHECK_INT(tcp_ranges_bytes(&s), 350);
    CHECK_INT(tcp_ranges_bytes_above(&s, 150), 250);
    CHECK_INT(tcp_ranges_high(&s, 0), 400);
    uint32_t a, b;
    CHECK(tcp_ranges_hole(&s, 0, 500, &a, &b));
    CHECK_INT(a, 50);
    CHECK_INT(b, 100);
    CHECK(tcp_ranges_hole(&s, 120, 500, &a, &b));
    CHECK_INT(a, 400);
    CHECK_INT(b, 500);
    CHECK(!tcp_ranges_hole(&s, 120, 400, &a, &b));
    tcp_ranges_trim(&s, 150);
    CHECK_INT(s.n, 1);
    CHECK_INT(s.r[0].start, 150);
    /* Wrapping sequence numbers compare modulo 2^32. */
    tcp_ranges_clear(&s);
    CHECK_INT(tcp_ranges_add(&s, 0xfffffff0u, 0x10), 0);
    CHECK_INT(tcp_ranges_add(&s, 0x10, 0x20), 0);
    CHECK_INT(tcp_ranges_bytes(&s), 0x30);
    /* A full set refuses a range that touches nothing. */
    tcp_ranges_clear(&s);
    for (uint32_t i = 0; i < TCP_RANGES_MAX; i++)
        CHECK(tcp_ranges_add(&s, 10 * i, 10 * i + 5) >= 0);
    CHECK_INT(tcp_ranges_add(&s, 100000, 100005), -1);
    CHECK_INT(s.n, TCP_RANGES_MAX);
    CHECK(tcp_ranges_add(&s, 5, 10) >= 0);
    CHECK_INT(s.n, TCP_RANGES_MAX - 1);
}

TEST(ring_wraps)
{
    struct tcp_ring r = {0};
    CHECK_INT(tcp_ring_alloc(&r, 10), 0);
    CHECK_INT(tcp_ring_append(&r, "abcdefgh", 8), 8);
    tcp_ring_drop(&r, 6);
    CHECK_INT(tcp_ring_append(&r, "ijklmnop", 8), 8);
    CHECK_INT(tcp_ring_space(&r), 0);
    CHECK_INT(tcp_ring_append(&r, "q", 1), 0);
    char out[10];
    tcp_ring_get(&r, 0, out, 10);
    CHECK(memcmp(out, "ghijklmnop", 10) == 0);
    /* Data placed beyond the length keeps its place when the ring
     * empties. */
    tcp_ring_drop(&r, 10);
    tcp_ring_put(&r, 3, "XY", 2);
    r.len = 5;
    tcp_ring_get(&r, 3, out, 2);
    CHECK(memcmp(out, "XY", 2) == 0);
    tcp_ring_free(&r);
    CHECK(r.buf == NULL);
}

TEST(ring_grows_up_to_its_capacity)
{
    struct tcp_ring r = {0};
    static uint8_t in[100000], out[100000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 31 + 7);
    CHECK_INT(tcp_ring_alloc(&r, 65536), 0);
    CHECK_INT(r.size, TCP_RING_FIRST);
    /* Wrapped first, then grown: the bytes stay in order. */
    CHECK_INT(tcp_ring_append(&r, in, 3000), 3000);
    tcp_ring_drop(&r, 2500);
    CHECK_INT(tcp_ring_append(&r, in + 3000, 3000), 3000);
    CHECK_INT(r.size, TCP_RING_FIRST); /* 3500 bytes, wrapped */
    CHECK_INT(tcp_ring_append(&r, in + 6000, 1500), 1500);
    CHECK(r.size > TCP_RING_FIRST);
    tcp_ring_get(&r, 0, out, 5000);
    CHECK(memcmp(out, in + 2500, 5000) == 0);
    /* Out-of-order data far from the head grows it too. */
    CHECK(tcp_ring_put(&r, 40000, in + 50000, 1000));
    CHECK(r.size >= 41000);
    tcp_ring_get(&r, 40000, out, 1000);
    CHECK(memcmp(out, in + 50000, 1000) == 0);
    tcp_ring_get(&r, 0, out, 5000);
    CHECK(memcmp(out, in + 2500, 5000) == 0);
    /* Never beyond the capacity. */
    CHECK_INT(tcp_ring_append(&r, in, sizeof in), 65536 - 5000);
    CHECK_INT(r.size, 65536);
    tcp_ring_free(&r);
}

TEST(rto_estimation)
{
    struct tcp_rto r;
    tcp_rto_init(&r, MIRAGE_SEC(1), MIRAGE_MSEC(200), MIRAGE_SEC(60));
    CHECK_INT(tcp_rto_timeout(&r), MIRAGE_SEC(1));
    /* First sample: srtt = R, rttvar = R/2, rto = R + 4 * R/2. */
    tcp_rto_sample(&r, MIRAGE_MSEC(100));
    CHECK_INT(r.srtt, MIRAGE_MSEC(100));
    CHECK_INT(r.rttvar, MIRAGE_MSEC(50));
    CHECK_INT(tcp_rto_timeout(&r), MIRAGE_MSEC(300));
    /* Steady samples shrink the variance down to the minimum. */
    for (int i = 0; i < 100; i++)
        tcp_rto_sample(&r, MIRAGE_MSEC(100));
    CHECK_INT(tcp_rto_timeout(&r), MIRAGE_MSEC(200));
    /* Backoff doubles, up to the maximum. */
    r.backoff = 3;
    CHECK_INT(tcp_rto_timeout(&r), MIRAGE_MSEC(1600));
    r.backoff = 30;
    CHECK_INT(tcp_rto_timeout(&r), MIRAGE_SEC(60));
}

TEST(newreno_windows)
{
    struct tcp_cc cc;
    tcp_cc_init(&cc, 1000, 0, false);
    CHECK_INT(cc.cwnd, 10000);
    tcp_cc_init(&cc, 1460, 0xfffff000u, false);
    CHECK_INT(cc.recover, 0xfffff000u);
    CHECK_INT(cc.cwnd, 14600);
    /* Slow start: up to two segments per ACK. */
    tcp_cc_on_ack(&cc, 5000, 1460, 0, 0);
    CHECK_INT(cc.cwnd, 14600 + 2920);
    /* Fast recovery without SACK inflates by 3 segments, then one per
     * duplicate ACK, and deflates on a partial ACK. */
    tcp_cc_enter_recovery(&cc, 40000, 1000, 99, false);
    CHECK_INT(cc.ssthresh, 20000);
    CHECK_INT(cc.cwnd, 23000);
    tcp_cc_on_dupack(&cc, 1000, false);
    CHECK_INT(cc.cwnd, 24000);
    tcp_cc_on_partial_ack(&cc, 3000, 1000, false);
    CHECK_INT(cc.cwnd, 22000);
    tcp_cc_exit_recovery(&cc, 30000, 1000);
    CHECK(!cc.recovery);
    CHECK_INT(cc.cwnd, 20000);
    /* Congestion avoidance: one segment per window acknowledged. */
    tcp_cc_on_ack(&cc, 19999, 1000, 0, 0);
    CHECK_INT(cc.cwnd, 20000);
    tcp_cc_on_ack(&cc, 1, 1000, 0, 0);
    CHECK_INT(cc.cwnd, 21000);
    /* With SACK the window is the pipe's limit: no inflation. */
    tcp_cc_enter_recovery(&cc, 10000, 1000, 5, true);
    CHECK_INT(cc.cwnd, 5000);
    tcp_cc_on_dupack(&cc, 1000, true);
    CHECK_INT(cc.cwnd, 5000);
    /* A timeout: one segment, half the flight as threshold (at least
     * two segments). */
    tcp_cc_on_timeout(&cc, 1000, 1000, 777);
    CHECK_INT(cc.cwnd, 1000);
    CHECK_INT(cc.ssthresh, 2000);
    CHECK_INT(cc.recover, 777);
}

TEST(integer_cube_root)
{
    CHECK_INT(tcp_cbrt(0), 0);
    CHECK_INT(tcp_cbrt(1), 1);
    CHECK_INT(tcp_cbrt(7), 1);
    CHECK_INT(tcp_cbrt(8), 2);
    CHECK_INT(tcp_cbrt(999999), 99);
    CHECK_INT(tcp_cbrt(1000000), 100);
    CHECK_INT(tcp_cbrt(UINT64_MAX), 2642245);
    for (uint64_t r = 1; r < 3000000; r = r * 3 + 1) {
        CHECK(tcp_cbrt(r * r * r) == r);
        CHECK(tcp_cbrt(r * r * r - 1) == r - 1);
    }
}

/* CUBIC in congestion avoidance, one round trip of 100 ms at a time, the
 * whole window acknowledged in each: the window climbs back to where the
 * loss happened, levels off there around K, then probes beyond. */
TEST(cubic_window_curve)
{
    const uint32_t mss = 1000;
    struct tcp_cc cc;
    tcp_cc_init(&cc, mss, 0, true);
    cc.cwnd = 100 * mss;
    cc.ssthresh = 50 * mss;
    tcp_cc_enter_recovery(&cc, 100 * mss, mss, 1, true);
    CHECK_INT(cc.w_max, 100 * mss);
    CHECK_INT(cc.ssthresh, 70 * mss);
    CHECK_INT(cc.cwnd, 70 * mss);
    tcp_cc_exit_recovery(&cc, 70 * mss, mss);
    /* K = cbrt(30 / 0.4) s = 4.217 s. */
    uint64_t now = MIRAGE_SEC(10), rtt = MIRAGE_MSEC(100);
    uint32_t at_half_k = 0, at_k = 0;
    for (int i = 1; i <= 80; i++) {
        tcp_cc_on_ack(&cc, cc.cwnd, mss, now, rtt);
        now += rtt;
        if (i == 21)
            at_half_k = cc.cwnd;
        if (i == 42)
            at_k = cc.cwnd;
    }
    CHECK_INT(cc.k_ms, 4217);
    CHECK(at_half_k > 85 * mss && at_half_k < 99 * mss);
    CHECK(at_k >= 99 * mss && at_k <= 101 * mss);
    CHECK(cc.cwnd > 110 * mss);
    /* A loss below the previous maximum lowers it (fast convergence). */
    cc.cwnd = 90 * mss;
    cc.w_max = 100 * mss;
    tcp_cc_on_timeout(&cc, 90 * mss, mss, 5);
    CHECK_INT(cc.w_max, 76500);
    CHECK_INT(cc.ssthresh, 63 * mss);
    CHECK_INT(cc.cwnd, mss);
}

TEST(siphash_reference_vector)
{
    /* SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e. */
    struct tcp_isn_key k = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    uint8_t m[15];
    for (int i = 0; i < 15; i++)
        m[i] = (uint8_t)i;
    CHECK(tcp_siphash(&k, m, sizeof m) == 0xa129ca6149be45e5ull);
    /* ISNs differ per connection and advance with the clock. */
    struct mirage_ipaddr a = mirage_ipaddr_of_v4(1), b = mirage_ipaddr_of_v4(2);
    uint32_t i1 = tcp_isn(&k, 0, &a, 1000, &b, 80);
    uint32_t i2 = tcp_isn(&k, 0, &a, 1001, &b, 80);
    CHECK(i1 != i2);
    CHECK_INT(tcp_isn(&k, MIRAGE_MSEC(4), &a, 1000, &b, 80) - i1, 1000);
}

int main(void)
{
    return test_main();
}
