/* Tests of the TCP engine without fibers: two engines joined by an
 * in-memory wire, a clock the test moves, and allocations that can be
 * made to fail, for the error paths the network tests cannot reach:
 * memory exhaustion while connecting, listening, accepting and sending,
 * a refused accept, and a failing random device. */
#include "../../lib/tcp/conn.h"
#include "../../lib/tcp/cookie.h"
#include "alloc_fail.h"
#include "test.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

/* ---- the clock ---- */
static uint64_t now = MIRAGE_SEC(1);
uint64_t mirage_now(void)
{
    return now;
}

/* ---- two hosts on a wire ---- */
struct host {
    struct mirage_ip ip;
    struct mirage_ipaddr addr;
    struct tcp_engine eng;
    struct host *peer;
};
static struct host h1, h2;

struct packet {
    struct host *to;
    struct mirage_ipaddr src, dst;
    struct mirage_buf *b;
    struct packet *next;
};
static struct packet *wire_head, *wire_tail;
static unsigned resets_seen;

static struct host *host_of(struct mirage_ip *ip)
{
    return (struct host *)ip;
}

static int wire_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                      const struct mirage_ipaddr *dst, uint8_t proto,
                      struct mirage_buf *b)
{
    (void)proto;
    struct packet *p = __real_malloc(sizeof *p);
    if (!p)
        abort();
    if (b->len > 13 && (b->data[13] & TCP_RST))
        resets_seen++;
    *p = (struct packet){host_of(ip)->peer, *src, *dst, b, NULL};
    if (wire_tail)
        wire_tail->next = p;
    else
        wire_head = p;
    wire_tail = p;
    return 0;
}

static int wire_src(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                    struct mirage_ipaddr *out)
{
    (void)dst;
    *out = host_of(ip)->addr;
    return 0;
}

static size_t wire_mtu(struct mirage_ip *ip, const struct mirage_ipaddr *dst)
{
    (void)ip, (void)dst;
    return 1500;
}

static const struct mirage_ip_ops wire_ops = {
    .write = wire_write,
    .src = wire_src,
    .mtu = wire_mtu,
};

/* Deliver everything on the wire, and what that sends, until it is
 * quiet. */
static void pump(void)
{
    while (wire_head) {
        struct packet *p = wire_head;
        wire_head = p->next;
        if (!wire_head)
            wire_tail = NULL;
        struct mirage_ip_rx rx = {
            .src = p->src, .dst = p->dst, .proto = MIRAGE_IP_PROTO_TCP};
        tcp_engine_input(&p->to->eng, &rx, p->b);
        mirage_buf_free(p->b);
        free(p);
    }
}

static void step(void);

/* Move the clock to each timer due within ns and run it. */
static void advance(uint64_t ns)
{
    uint64_t end = now + ns;
    for (;;) {
        uint64_t d1 = tcp_engine_deadline(&h1.eng);
        uint64_t d2 = tcp_engine_deadline(&h2.eng);
        uint64_t d = d1 < d2 ? d1 : d2;
        if (d > end)
            break;
        if (d > now)
            now = d;
        tcp_engine_run_timers(&h1.eng, now);
        tcp_engine_run_timers(&h2.eng, now);
        pump();
    }
    now = end;
}

static int zero_random(struct mirage_random *r, void *buf, size_t len)
{
    (void)r;
    memset(buf, 0, len);
    return 0;
}
static int failing_random(struct mirage_random *r, void *buf, size_t len)
{
    (void)r, (void)buf, (void)len;
    return MIRAGE_EIO;
}
static const struct mirage_random_ops zero_ops = {.generate = zero_random};
static const struct mirage_random_ops failing_ops = {.generate =
                                                         failing_random};
static struct mirage_random zero_rng = {.ops = &zero_ops};
static struct mirage_random failing_rng = {.ops = &failing_ops};

/* The accepted connections of h2, and whether to accept. */
static struct tcp_conn *accepted;
static bool accept_ok;
static bool on_accepted(struct tcp_listener *l, struct tcp_conn *c)
{
    (void)l;
    if (!accept_ok)
        return false;
    accepted = c;
    return true;
}

static const struct tcp_hooks hooks = {.accepted = on_accepted};

/* Two engines with the tunables c1 and c2, h2 listening on port 80. */
static int setup_with(const struct tcp_cfg *c1, const struct tcp_cfg *c2)
{
    h1 = (struct host){.ip = {.ops = &wire_ops},
                       .addr = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 1)),
                       .peer = &h2};
    h2 = (struct host){.ip = {.ops = &wire_ops},
                       .addr = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2)),
                       .peer = &h1};
    accepted = NULL;
    accept_ok = true;
    resets_seen = 0;
    int err = tcp_engine_init(&h1.eng, &h1.ip, &zero_rng, &hooks, c1);
    if (!err)
        err = tcp_engine_init(&h2.eng, &h2.ip, &zero_rng, &hooks, c2);
    struct tcp_listener *l;
    if (!err)
        err = tcp_listen(&h2.eng, 80, NULL, NULL, &l);
    return err;
}

static int setup(void)
{
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    return setup_with(&cfg, &cfg);
}

static void teardown(void)
{
    allocs_left = -1;
    pump();
    tcp_engine_fini(&h1.eng);
    tcp_engine_fini(&h2.eng);
}

TEST(init_errors)
{
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    struct tcp_engine e;
    struct mirage_ip ip = {.ops = &wire_ops};
    CHECK_INT(tcp_engine_init(&e, &ip, &failing_rng, &hooks, &cfg), MIRAGE_EIO);
    allocs_left = 0;
    CHECK_INT(tcp_engine_init(&e, &ip, &zero_rng, &hooks, &cfg), MIRAGE_ENOMEM);
    allocs_left = -1;
    tcp_engine_fini(&e);
}

TEST(listen_errors)
{
    CHECK_INT(setup(), 0);
    struct tcp_listener *l;
    CHECK_INT(tcp_listen(&h2.eng, 80, NULL, NULL, &l), MIRAGE_EINUSE);
    CHECK_INT(tcp_listen(&h2.eng, 0, NULL, NULL, &l), MIRAGE_EINVAL);
    allocs_left = 0;
    CHECK_INT(tcp_listen(&h2.eng, 81, NULL, NULL, &l), MIRAGE_ENOMEM);
    allocs_left = -1;
    CHECK_INT(tcp_unlisten(&h2.eng, 81), MIRAGE_ENOENT);
    teardown();
}

TEST(connect_out_of_memory)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c = NULL;
    int err = MIRAGE_ENOMEM;
    /* Every allocation of a connect fails in turn; nothing is left
     * behind. */
    for (long k = 0; err == MIRAGE_ENOMEM; k++) {
        allocs_left = k;
        err = tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c);
        allocs_left = -1;
        if (err) {
            CHECK_INT(err, MIRAGE_ENOMEM);
            CHECK_INT(h1.eng.stats.connections, 0);
        }
    }
    CHECK_INT(err, 0);
    /* The last failure may have been the SYN's buffer: it goes again. */
    advance(MIRAGE_SEC(2));
    CHECK(tcp_conn_connected(c));
    CHECK_INT(c->err, 0);
    CHECK(accepted != NULL);
    tcp_conn_close(c);
    tcp_conn_close(accepted);
    teardown();
}

TEST(accept_refused)
{
    CHECK_INT(setup(), 0);
    accept_ok = false;
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    pump();
    /* The listener's user would not take it: the peer is reset. */
    CHECK_INT(c->err, MIRAGE_ECONNRESET);
    CHECK_INT(resets_seen, 1);
    CHECK_INT(h2.eng.stats.connections, 0);
    /* Keepalive asked of the failed connection arms no timer. */
    tcp_conn_set_keepalive(
        c, &(struct mirage_tcp_keepalive){MIRAGE_SEC(1), MIRAGE_SEC(1), 2});
    CHECK_INT(c->t_keep, 0);
    CHECK_INT(tcp_engine_deadline(&h1.eng), MIRAGE_FOREVER);
    tcp_conn_close(c);
    CHECK_INT(h1.eng.stats.connections, 0);
    teardown();
}

TEST(accept_and_receive_out_of_memory)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    step(); /* SYN */
    step(); /* SYN-ACK */
    CHECK_INT(c->state, TCP_ESTABLISHED);
    /* The final ACK arrives when h2 cannot allocate anything: a
     * connection needs no memory to be established. */
    allocs_left = 0;
    step();
    allocs_left = -1;
    CHECK(accepted != NULL);
    CHECK(accepted->rcvq.buf == NULL && accepted->sndq.buf == NULL);
    /* Data arriving then is dropped (not acknowledged) and comes again. */
    CHECK_INT(tcp_conn_send(c, "hello", 5), 5);
    allocs_left = 0;
    step();
    allocs_left = -1;
    char buf[8];
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), MIRAGE_EAGAIN);
    CHECK(wire_head == NULL);
    advance(MIRAGE_SEC(2));
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK(h1.eng.stats.timeouts > 0);
    /* Read, the queue's memory goes back. */
    CHECK(accepted->rcvq.buf == NULL);
    CHECK_INT(h2.eng.bufs.used, 0);
    tcp_conn_close(c);
    tcp_conn_close(accepted);
    teardown();
}

TEST(send_survives_allocation_failures)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    pump();
    CHECK(accepted != NULL);
    static uint8_t data[100000], got[100000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 9));
    /* Without memory for the queue, sending fails at once. */
    allocs_left = 0;
    CHECK_INT(tcp_conn_send(c, data, sizeof data), MIRAGE_ENOMEM);
    /* With the queue but no segment buffer: nothing leaves, nothing
     * breaks. */
    allocs_left = 1;
    CHECK_INT(tcp_conn_send(c, data, sizeof data), (long)sizeof data);
    allocs_left = -1;
    CHECK(wire_head == NULL);
    /* The retransmission timer sends it all in the end. */
    size_t n = 0;
    for (int round = 0; round < 200 && n < sizeof got; round++) {
        advance(MIRAGE_MSEC(500));
        long k;
        while ((k = tcp_conn_recv(accepted, got + n, sizeof got - n)) > 0)
            n += (size_t)k;
    }
    CHECK_INT(n, sizeof data);
    CHECK(memcmp(got, data, sizeof data) == 0);
    CHECK(h1.eng.stats.timeouts > 0);
    /* Everything acknowledged and read: no queue memory is left. */
    CHECK_INT(h1.eng.bufs.used, 0);
    CHECK_INT(h2.eng.bufs.used, 0);
    tcp_conn_close(c);
    tcp_conn_close(accepted);
    advance(MIRAGE_SEC(120));
    CHECK_INT(h1.eng.stats.connections, 0);
    CHECK_INT(h2.eng.stats.connections, 0);
    teardown();
}

TEST(closed_window_probe_answered)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    pump();
    CHECK(accepted != NULL);
    /* Fill h2's receive queue: nobody reads there. */
    static uint8_t data[300000];
    CHECK_INT(tcp_conn_send(c, data, sizeof data), 256 * 1024);
    advance(MIRAGE_SEC(1));
    CHECK_INT(tcp_ring_space(&accepted->rcvq), 0);
    /* More waits behind the closed window: the sender probes it. */
    CHECK_INT(tcp_conn_send(c, data, 1000), 1000);
    advance(MIRAGE_SEC(5));
    CHECK_INT(c->snd_wnd, 0);
    CHECK(h1.eng.stats.window_probes > 0);
    /* A probe carrying a byte into the closed window gets an ACK that
     * shows the window still closed, and the byte is not taken. */
    uint32_t rcv_nxt = accepted->rcv_nxt;
    CHECK_INT(tcp_send_segment(c, TCP_ACK, c->snd_nxt, 1, now), 0);
    struct packet *probe = wire_head;
    CHECK(probe != NULL && probe->next == NULL);
    wire_head = wire_tail = NULL;
    struct mirage_ip_rx rx = {
        .src = probe->src, .dst = probe->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&h2.eng, &rx, probe->b);
    mirage_buf_free(probe->b);
    free(probe);
    CHECK(wire_head != NULL);
    struct tcp_seg ack;
    CHECK_INT(tcp_seg_parse(wire_head->b->data, wire_head->b->len, &ack), 0);
    CHECK(ack.flags & TCP_ACK);
    CHECK_INT(ack.ack, rcv_nxt);
    CHECK_INT(ack.wnd, 0);
    CHECK_INT(accepted->rcv_nxt, rcv_nxt);
    tcp_conn_close(c);
    tcp_conn_close(accepted);
    teardown();
}

/* The accepted connections of h2, all of them (for tests with many). */
static struct tcp_conn *all_accepted[600];
static size_t n_accepted;
static bool collect(struct tcp_listener *l, struct tcp_conn *c)
{
    (void)l;
    if (n_accepted == sizeof all_accepted / sizeof all_accepted[0])
        return false;
    all_accepted[n_accepted++] = c;
    return true;
}

/* setup_with, h2 keeping every connection it accepts in all_accepted. */
static int setup_collecting(const struct tcp_cfg *c1, const struct tcp_cfg *c2)
{
    static const struct tcp_hooks collecting = {.accepted = collect};
    int err = setup_with(c1, c2);
    h2.eng.hooks = collecting;
    n_accepted = 0;
    return err;
}

/* Many connections opened one at a time, idle (no timer armed), then all
 * arming one at once: the timer heap must hold every connection, not
 * only those that had a timer when the connection was made. */
TEST(every_connection_arms_a_timer_at_once)
{
    enum { N = 300 };
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    CHECK_INT(setup_collecting(&cfg, &cfg), 0);
    static struct tcp_conn *c[N];
    for (int i = 0; i < N; i++) {
        CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c[i]), 0);
        pump();
        CHECK_INT(c[i]->state, TCP_ESTABLISHED);
    }
    CHECK_INT(n_accepted, N);
    CHECK_INT(tcp_engine_deadline(&h1.eng), MIRAGE_FOREVER);
    CHECK_INT(tcp_engine_deadline(&h2.eng), MIRAGE_FOREVER);
    /* One unacknowledged byte each: N retransmission timers on h1, and
     * once delivered N delayed ACK timers on h2. */
    for (int i = 0; i < N; i++)
        CHECK_INT(tcp_conn_send(c[i], "x", 1), 1);
    CHECK_INT(mirage_minheap_len(&h1.eng.timers), N);
    pump();
    CHECK_INT(mirage_minheap_len(&h2.eng.timers), N);
    advance(MIRAGE_SEC(1));
    for (int i = 0; i < N; i++) {
        char b;
        CHECK_INT(tcp_conn_recv(all_accepted[i], &b, 1), 1);
        CHECK_INT(c[i]->snd_una, c[i]->snd_max);
    }
    CHECK_INT(h1.eng.stats.retransmits, 0);
    /* Every one closes at once on both sides: FIN timers, TIME_WAIT. */
    for (int i = 0; i < N; i++) {
        tcp_conn_close(c[i]);
        tcp_conn_close(all_accepted[i]);
    }
    advance(MIRAGE_SEC(150));
    CHECK_INT(h1.eng.stats.connections, 0);
    CHECK_INT(h2.eng.stats.connections, 0);
    teardown();
}

/* Take the first packet off the wire. */
static struct packet *take(void)
{
    struct packet *p = wire_head;
    wire_head = p->next;
    if (!wire_head)
        wire_tail = NULL;
    return p;
}

/* Deliver p (taken off the wire) and free it. */
static void deliver(struct packet *p)
{
    struct mirage_ip_rx rx = {
        .src = p->src, .dst = p->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&p->to->eng, &rx, p->b);
    mirage_buf_free(p->b);
    free(p);
}

/* Deliver the first packet on the wire (and nothing else). */
static void step(void)
{
    deliver(take());
}

/* Deliver to h2 a copy of the segment p with its sequence and
 * acknowledgment numbers moved by dseq and dack. */
static void deliver_changed(const struct packet *p, uint32_t dseq,
                            uint32_t dack)
{
    struct mirage_buf *b = mirage_buf_copy(p->b->data, p->b->len);
    mirage_put_be32(b->data + 4, mirage_get_be32(b->data + 4) + dseq);
    mirage_put_be32(b->data + 8, mirage_get_be32(b->data + 8) + dack);
    mirage_put_be16(b->data + 16, 0);
    uint32_t sum =
        mirage_ip_pseudo_sum(&p->src, &p->dst, MIRAGE_IP_PROTO_TCP, b->len);
    mirage_put_be16(b->data + 16,
                    mirage_csum_fold(mirage_csum_add(sum, b->data, b->len)));
    struct mirage_ip_rx rx = {
        .src = p->src, .dst = p->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&h2.eng, &rx, b);
    mirage_buf_free(b);
}

/* Send len bytes of a pattern from a to b and check them on arrival. */
static int transfer(struct tcp_conn *a, struct tcp_conn *b, size_t len)
{
    static uint8_t out[300000], in[300000];
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(i * 131 + (i >> 10));
    size_t sent = 0, got = 0;
    for (int round = 0; round < 1000 && got < len; round++) {
        long k = tcp_conn_send(a, out + sent, len - sent);
        if (k > 0)
            sent += (size_t)k;
        advance(MIRAGE_MSEC(10));
        while ((k = tcp_conn_recv(b, in + got, len - got)) > 0)
            got += (size_t)k;
    }
    return got == len && memcmp(in, out, len) == 0 ? 0 : -1;
}

/* A listener whose SYN queue holds two: the other SYNs of a burst get
 * cookies, and their connections come out as the queued ones do, with
 * window scaling, SACK and timestamps (or, when the client does not use
 * timestamps, with the MSS only). */
static void cookie_burst(bool timestamps)
{
    enum { N = 12 };
    struct tcp_cfg c1, c2;
    tcp_cfg_default(&c1);
    tcp_cfg_default(&c2);
    c1.timestamps = timestamps;
    c2.syn_backlog = 2;
    CHECK_INT(setup_collecting(&c1, &c2), 0);
    struct tcp_conn *c[N];
    for (int i = 0; i < N; i++)
        CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c[i]), 0);
    pump();
    CHECK_INT(n_accepted, N);
    CHECK_INT(h2.eng.stats.syn_cookies_sent, N - 2);
    CHECK_INT(h2.eng.stats.syn_cookies_ok, N - 2);
    CHECK_INT(h2.eng.stats.syn_cookies_bad, 0);
    CHECK_INT(h2.eng.stats.tx_resets, 0);
    for (int i = 0; i < N; i++) {
        struct tcp_conn *a = all_accepted[i];
        CHECK_INT(c[i]->state, TCP_ESTABLISHED);
        CHECK_INT(a->state, TCP_ESTABLISHED);
        CHECK_INT(a->ts_ok, timestamps);
        bool options = timestamps || i < 2;
        CHECK_INT(a->ws_ok, options);
        CHECK_INT(a->sack_ok, options);
        CHECK_INT(c[i]->ws_ok, options);
        CHECK_INT(a->snd_ws, options ? c[i]->rcv_ws : 0);
        CHECK_INT(c[i]->snd_ws, options ? a->rcv_ws : 0);
        /* The cookie keeps the peer's MSS as a class: 1460 of 1480. */
        CHECK_INT(a->mss, (i < 2 ? 1480 : 1460) - (timestamps ? 12 : 0));
    }
    /* A cookie's connection carries data both ways. */
    CHECK_INT(transfer(c[N - 1], all_accepted[N - 1], 300000), 0);
    CHECK_INT(transfer(all_accepted[N - 1], c[N - 1], 300000), 0);
    for (int i = 0; i < N; i++) {
        tcp_conn_close(c[i]);
        tcp_conn_close(all_accepted[i]);
    }
    advance(MIRAGE_SEC(150));
    CHECK_INT(h1.eng.stats.connections, 0);
    CHECK_INT(h2.eng.stats.connections, 0);
    teardown();
}

TEST(syn_cookies_when_the_queue_is_full)
{
    cookie_burst(true);
}

TEST(syn_cookies_without_timestamps)
{
    cookie_burst(false);
}

/* An ACK that does not return a cookie of ours exactly (another number,
 * another peer ISN, too old) makes no connection and gets a RST. */
TEST(forged_and_stale_cookies_refused)
{
    struct tcp_cfg c2;
    tcp_cfg_default(&c2);
    c2.syn_backlog = 0;
    CHECK_INT(setup_collecting(&c2, &c2), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    step(); /* the SYN: a cookie comes back */
    step(); /* the SYN-ACK: h1 answers with the ACK */
    CHECK_INT(h2.eng.stats.syn_cookies_sent, 1);
    CHECK_INT(c->state, TCP_ESTABLISHED);
    struct packet *ack = wire_head;
    CHECK(ack != NULL && ack->next == NULL);
    wire_head = wire_tail = NULL;
    deliver_changed(ack, 0, 1);
    deliver_changed(ack, 0, (uint32_t)-1);
    deliver_changed(ack, 1, 0);
    deliver_changed(ack, 0, 1u << 24); /* another MSS class */
    CHECK_INT(h2.eng.stats.syn_cookies_bad, 4);
    CHECK_INT(h2.eng.stats.connections, 0);
    CHECK_INT(resets_seen, 4);
    /* Two slots later the cookie itself is stale (while another
     * client's is good). */
    now += 2 * TCP_COOKIE_SLOT_NS;
    struct tcp_conn *d;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &d), 0);
    pump();
    CHECK_INT(n_accepted, 1);
    uint64_t bad = h2.eng.stats.syn_cookies_bad;
    deliver_changed(ack, 0, 0);
    CHECK_INT(h2.eng.stats.syn_cookies_bad, bad + 1);
    CHECK_INT(h2.eng.stats.syn_cookies_ok, 1);
    CHECK_INT(h2.eng.stats.connections, 1);
    CHECK_INT(n_accepted, 1);
    mirage_buf_free(ack->b);
    free(ack);
    pump();
    tcp_conn_close(c);
    tcp_conn_close(d);
    tcp_conn_close(all_accepted[0]);
    advance(3 * TCP_COOKIE_SLOT_NS);
    CHECK_INT(h1.eng.stats.connections, 0);
    CHECK_INT(h2.eng.stats.connections, 0);
    /* Long after the last cookie, ACKs are not even checked. */
    resets_seen = 0;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    step();
    step();
    ack = wire_head;
    wire_head = wire_tail = NULL;
    now += 3 * TCP_COOKIE_SLOT_NS;
    bad = h2.eng.stats.syn_cookies_bad;
    deliver_changed(ack, 0, 0);
    CHECK_INT(h2.eng.stats.syn_cookies_bad, bad);
    CHECK_INT(resets_seen, 1);
    mirage_buf_free(ack->b);
    free(ack);
    pump();
    tcp_conn_close(c);
    teardown();
}

/* A SYN gets a cookie, the cookie is slow, the SYN's retransmission
 * finds room in the queue and a half-open connection with another ISN;
 * the client takes the cookie. Its ACK replaces the half-open connection
 * (which would otherwise reset the client's). */
TEST(cookie_taken_after_the_syn_was_queued)
{
    struct tcp_cfg c2;
    tcp_cfg_default(&c2);
    c2.syn_backlog = 1;
    struct tcp_cfg c1;
    tcp_cfg_default(&c1);
    CHECK_INT(setup_collecting(&c1, &c2), 0);
    struct tcp_conn *a, *b;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &a), 0);
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &b), 0);
    step();                         /* a's SYN: queued */
    step();                         /* b's SYN: a cookie */
    step();                         /* a's SYN-ACK */
    struct packet *cookie = take(); /* b's, held back */
    step();                         /* a's ACK: the queue is empty again */
    CHECK_INT(n_accepted, 1);
    CHECK_INT(h2.eng.stats.syn_cookies_sent, 1);
    now += MIRAGE_SEC(1);
    tcp_engine_run_timers(&h1.eng, now); /* b's SYN again */
    step();                              /* queued now, with its own ISN */
    struct packet *synack = take();
    deliver(cookie); /* b takes the cookie and ACKs it */
    CHECK_INT(b->state, TCP_ESTABLISHED);
    step();          /* the ACK replaces the queued one */
    deliver(synack); /* the other SYN-ACK comes late */
    pump();
    CHECK_INT(resets_seen, 0);
    CHECK_INT(n_accepted, 2);
    CHECK_INT(h2.eng.stats.syn_cookies_ok, 1);
    CHECK_INT(all_accepted[1]->iss, b->irs);
    CHECK_INT(transfer(b, all_accepted[1], 100000), 0);
    CHECK_INT(transfer(all_accepted[1], b, 100000), 0);
    tcp_conn_close(a);
    tcp_conn_close(b);
    tcp_conn_close(all_accepted[0]);
    tcp_conn_close(all_accepted[1]);
    advance(MIRAGE_SEC(150));
    CHECK_INT(h1.eng.stats.connections, 0);
    CHECK_INT(h2.eng.stats.connections, 0);
    teardown();
}

/* Packets on the wire now (not delivered). */
static unsigned on_wire(void)
{
    unsigned n = 0;
    for (struct packet *p = wire_head; p; p = p->next)
        n++;
    return n;
}

/* Super-segments that arrive together (an interface's GRO hands them up
 * one after another in one batch of frames) get one stretch ACK for all
 * of them once they are taken in, when the timers run: not one each. */
TEST(super_segments_of_a_batch_acked_once)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    pump();
    CHECK(accepted != NULL);
    /* A byte from h2 shows h1 its whole (scaled) window. */
    CHECK_INT(tcp_conn_send(accepted, "x", 1), 1);
    pump();
    CHECK(c->snd_wnd > 3 * 65535);
    /* h1 sends three super-segments at once. */
    h1.ip.offloads = MIRAGE_NET_OFFLOAD_TSO4;
    uint32_t seg = tcp_seg_max(c);
    CHECK(seg > c->mss);
    c->cc.cwnd = 4 * seg;
    static uint8_t data[3 * 65535];
    CHECK_INT(tcp_conn_send(c, data, 3 * seg), (long)(3 * seg));
    CHECK_INT(on_wire(), 3);
    for (int i = 0; i < 3; i++) {
        CHECK_INT(wire_head->to == &h2, 1);
        deliver(take());
    }
    /* All taken in; no ACK yet. */
    CHECK_INT(accepted->rcvq.len, 3 * seg);
    CHECK_INT(on_wire(), 0);
    /* The timers run after the batch: one ACK, for all of it. */
    tcp_engine_run_timers(&h2.eng, now);
    CHECK_INT(on_wire(), 1);
    pump();
    CHECK_INT(c->snd_una, c->snd_max);
    teardown();
}

/* Deliver p (taken off the wire) with its buffer lent as the netif lends
 * it, able to give it up when spare: the engine may keep it. Returns the
 * lender's record of what happened. */
static struct mirage_buf_lend deliver_lent(struct packet *p, bool spare)
{
    struct mirage_buf_lend l = {.spare = spare};
    struct mirage_ip_rx rx = {
        .src = p->src, .dst = p->dst, .proto = MIRAGE_IP_PROTO_TCP};
    p->b->lend = &l;
    tcp_engine_input(&p->to->eng, &rx, p->b);
    if (!l.kept) {
        p->b->lend = NULL;
        mirage_buf_free(p->b);
    }
    free(p);
    return l;
}

static uint8_t super_data[3 * 65535];

static uint8_t super_byte(size_t i)
{
    return (uint8_t)(i * 7 + (i >> 9));
}

/* A connection h1 -> h2 (*c and accepted) whose h1 side sends
 * super-segments of *seg bytes, with room for three in h2's window, and
 * super_data filled with its pattern; *c stays NULL when that failed
 * (the failure is reported). */
static void super_setup(struct tcp_conn **c, uint32_t *seg)
{
    struct tcp_conn *conn;
    *c = NULL;
    CHECK_INT(setup(), 0);
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &conn), 0);
    pump();
    CHECK(accepted != NULL);
    CHECK_INT(tcp_conn_send(accepted, "x", 1), 1);
    pump();
    h1.ip.offloads = MIRAGE_NET_OFFLOAD_TSO4;
    *seg = tcp_seg_max(conn);
    CHECK(conn->snd_wnd > 3 * *seg && *seg >= TCP_KEEP_MIN);
    conn->cc.cwnd = 4 * *seg;
    conn->nodelay = true; /* small segments go at once */
    for (size_t i = 0; i < sizeof super_data; i++)
        super_data[i] = super_byte(i);
    *c = conn;
}

/* Received super-segments lent by their interface are kept whole, not
 * copied: their bytes count in the window and the budget until read, a
 * view read lends them in place, a plain read copies from them, and
 * each frame is freed once read (the last one at the read after). */
TEST(super_segments_kept_and_read_in_place)
{
    struct tcp_conn *c;
    uint32_t seg;
    super_setup(&c, &seg);
    CHECK(c != NULL);
    size_t used0 = h2.eng.bufs.used;
    uint32_t room0 = tcp_rcv_room(accepted);
    CHECK_INT(tcp_conn_send(c, super_data, 3 * seg), (long)(3 * seg));
    CHECK_INT(on_wire(), 3);
    for (int i = 0; i < 3; i++) {
        struct mirage_buf_lend l = deliver_lent(take(), true);
        CHECK(l.asked && l.kept);
    }
    CHECK_INT(h2.eng.stats.rx_kept, 3);
    CHECK_INT(accepted->held_len, 3 * seg);
    CHECK_INT(accepted->rcvq.len, 0);
    CHECK_INT(accepted->rcvq.cap, 0); /* no copy through the queue */
    CHECK_INT(tcp_rcv_room(accepted), room0 - 3 * seg);
    CHECK(h2.eng.bufs.used >= 3 * seg);
    /* A view of the first 1000 bytes: in the frame, not in buf. */
    static uint8_t buf[70000];
    const void *v;
    size_t at = 0;
    CHECK_INT(tcp_conn_recv_view(accepted, &v, buf, 1000), 1000);
    CHECK(v != buf);
    CHECK(memcmp(v, super_data, 1000) == 0);
    at = 1000;
    /* The rest of the first frame by one view; the frame stays until
     * the next read. */
    long n = tcp_conn_recv_view(accepted, &v, buf, sizeof buf);
    CHECK_INT(n, (long)(seg - 1000));
    CHECK(memcmp(v, super_data + at, (size_t)n) == 0);
    at += (size_t)n;
    CHECK(accepted->spent != NULL);
    /* A plain read across the second and third frames copies. */
    n = tcp_conn_recv(accepted, buf, seg + 10);
    CHECK_INT(n, (long)(seg + 10));
    CHECK(accepted->spent == NULL);
    CHECK(memcmp(buf, super_data + at, (size_t)n) == 0);
    at += (size_t)n;
    n = tcp_conn_recv_view(accepted, &v, buf, sizeof buf);
    CHECK_INT(n, (long)(seg - 10));
    CHECK(memcmp(v, super_data + at, (size_t)n) == 0);
    CHECK_INT(accepted->held_len, 0);
    /* Nothing more; that read frees the spent frame and the budget is
     * back where it was. */
    CHECK_INT(tcp_conn_recv_view(accepted, &v, buf, sizeof buf), MIRAGE_EAGAIN);
    CHECK(accepted->spent == NULL && accepted->held == NULL);
    CHECK(h2.eng.bufs.used <= used0);
    CHECK_INT(tcp_rcv_room(accepted), room0);
    teardown();
}

/* Frames are kept only when the lender can spare them, the budget has
 * room and they carry a super-segment's worth; otherwise their bytes are
 * copied to the queue, after those of frames kept before them. */
TEST(frames_kept_only_when_worth_it)
{
    struct tcp_conn *c;
    uint32_t seg;
    super_setup(&c, &seg);
    CHECK(c != NULL);
    CHECK_INT(tcp_conn_send(c, super_data, seg), (long)seg);
    CHECK_INT(tcp_conn_send(c, super_data + seg, seg), (long)seg);
    /* The lender has no spare: asked, refused, copied. */
    struct mirage_buf_lend l = deliver_lent(take(), false);
    CHECK(l.asked && !l.kept);
    CHECK_INT(accepted->rcvq.len, seg);
    /* Kept frames come only in front of the queue: this one, behind
     * queued bytes, is copied without asking. */
    l = deliver_lent(take(), true);
    CHECK(!l.asked);
    CHECK_INT(accepted->rcvq.len, 2 * seg);
    static uint8_t buf[3 * 65535];
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), (long)(2 * seg));
    CHECK(memcmp(buf, super_data, 2 * seg) == 0);
    pump(); /* the ACKs, before anything more is sent */
    /* A small segment is not worth its frame. */
    CHECK_INT(tcp_conn_send(c, super_data, 1000), 1000);
    l = deliver_lent(take(), true);
    CHECK(!l.asked);
    CHECK_INT(accepted->rcvq.len, 1000);
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), 1000);
    pump();
    /* A kept frame, then a small segment: queued behind it, read after
     * it. */
    CHECK_INT(tcp_conn_send(c, super_data, seg), (long)seg);
    l = deliver_lent(take(), true);
    CHECK(l.kept);
    pump(); /* its ACK */
    CHECK_INT(tcp_conn_send(c, super_data + seg, 1000), 1000);
    l = deliver_lent(take(), true);
    CHECK(!l.kept);
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), (long)(seg + 1000));
    CHECK(memcmp(buf, super_data, seg + 1000) == 0);
    CHECK_INT(h2.eng.stats.rx_kept, 1);
    /* No room in the budget: not asked; the queue takes what its floor
     * allows. */
    pump();
    h2.eng.bufs.limit = h2.eng.bufs.used;
    CHECK_INT(tcp_conn_send(c, super_data, seg), (long)seg);
    l = deliver_lent(take(), true);
    CHECK(!l.asked);
    CHECK_INT(tcp_conn_recv(accepted, buf, sizeof buf), h2.eng.bufs.floor);
    teardown();
}

/* Closing with kept bytes unread resets the connection (as with queued
 * ones) and frees the frames. */
TEST(close_with_kept_frames_resets_and_frees)
{
    struct tcp_conn *c;
    uint32_t seg;
    super_setup(&c, &seg);
    CHECK(c != NULL);
    size_t used0 = h2.eng.bufs.used;
    CHECK_INT(tcp_conn_send(c, super_data, 2 * seg), (long)(2 * seg));
    CHECK(deliver_lent(take(), true).kept);
    CHECK(deliver_lent(take(), true).kept);
    CHECK(h2.eng.bufs.used > used0);
    unsigned resets = resets_seen;
    tcp_conn_close(accepted);
    CHECK_INT(resets_seen, resets + 1);
    CHECK(h2.eng.bufs.used <= used0);
    teardown();
}

int main(void)
{
    return test_main();
}
