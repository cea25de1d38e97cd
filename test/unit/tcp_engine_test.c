/* Tests of the TCP engine without fibers: two engines joined by an
 * in-memory wire, a clock the test moves, and allocations that can be
 * made to fail, for the error paths the network tests cannot reach:
 * memory exhaustion while connecting, listening, accepting and sending,
 * a refused accept, and a failing random device. */
#include "../../lib/tcp/conn.h"
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

static int setup(void)
{
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    h1 = (struct host){.ip = {.ops = &wire_ops},
                       .addr = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 1)),
                       .peer = &h2};
    h2 = (struct host){.ip = {.ops = &wire_ops},
                       .addr = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2)),
                       .peer = &h1};
    accepted = NULL;
    accept_ok = true;
    resets_seen = 0;
    int err = tcp_engine_init(&h1.eng, &h1.ip, &zero_rng, &hooks, &cfg);
    if (!err)
        err = tcp_engine_init(&h2.eng, &h2.ip, &zero_rng, &hooks, &cfg);
    struct tcp_listener *l;
    if (!err)
        err = tcp_listen(&h2.eng, 80, NULL, NULL, &l);
    return err;
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
    tcp_conn_close(c);
    CHECK_INT(h1.eng.stats.connections, 0);
    teardown();
}

TEST(accept_out_of_memory)
{
    CHECK_INT(setup(), 0);
    struct tcp_conn *c;
    CHECK_INT(tcp_conn_connect(&h1.eng, 0, &h2.addr, 80, &c), 0);
    /* SYN and SYN-ACK go through; the final ACK arrives when h2 cannot
     * allocate its queues. */
    struct packet *syn = wire_head;
    wire_head = wire_tail = NULL;
    struct mirage_ip_rx rx = {
        .src = syn->src, .dst = syn->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&h2.eng, &rx, syn->b);
    mirage_buf_free(syn->b);
    free(syn);
    struct packet *synack = wire_head;
    wire_head = wire_tail = NULL;
    rx = (struct mirage_ip_rx){
        .src = synack->src, .dst = synack->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&h1.eng, &rx, synack->b);
    mirage_buf_free(synack->b);
    free(synack);
    CHECK_INT(c->state, TCP_ESTABLISHED);
    allocs_left = 0;
    struct packet *ack = wire_head;
    wire_head = wire_tail = NULL;
    rx = (struct mirage_ip_rx){
        .src = ack->src, .dst = ack->dst, .proto = MIRAGE_IP_PROTO_TCP};
    tcp_engine_input(&h2.eng, &rx, ack->b);
    allocs_left = -1;
    mirage_buf_free(ack->b);
    free(ack);
    CHECK(accepted == NULL);
    CHECK_INT(h2.eng.stats.connections, 0);
    /* The RST could not be allocated either; the client's next segment
     * is answered with one. */
    CHECK_INT(tcp_conn_send(c, "hello", 5), 5);
    pump();
    CHECK_INT(c->err, MIRAGE_ECONNRESET);
    tcp_conn_close(c);
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
    /* No segment buffer can be had: nothing leaves, nothing breaks; the
     * send queue cannot grow beyond its first storage either. */
    allocs_left = 0;
    long sent = tcp_conn_send(c, data, sizeof data);
    CHECK_INT(sent, TCP_RING_FIRST);
    allocs_left = -1;
    CHECK(wire_head == NULL);
    /* The retransmission timer sends it in the end; the rest follows. */
    size_t n = 0;
    for (int round = 0; round < 200 && n < sizeof got; round++) {
        advance(MIRAGE_MSEC(500));
        long k;
        if ((size_t)sent < sizeof data &&
            (k = tcp_conn_send(c, data + sent, sizeof data - (size_t)sent)) > 0)
            sent += k;
        while ((k = tcp_conn_recv(accepted, got + n, sizeof got - n)) > 0)
            n += (size_t)k;
    }
    CHECK_INT(n, sizeof data);
    CHECK(memcmp(got, data, sizeof data) == 0);
    CHECK(h1.eng.stats.timeouts > 0);
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

int main(void)
{
    return test_main();
}
