/* libFuzzer target: the TCP engine (lib/tcp, without the fiber layer) fed
 * segments, clock jumps and user calls. It listens on port 80 and holds
 * what it accepts or opens; segments go out to a sink IP device. An
 * input is a sequence of records: a kind byte, then
 *   0: a 2-byte length and that many bytes, a segment from 10.0.0.99
 *      (its checksum corrected unless the record's first byte is odd);
 *   1: a byte n: the clock moves n * 50 ms and the due timers run;
 *   2: a byte: a user call (connect, send, receive, shutdown, close) on
 *      connection (byte % 8).
 * Every connection and buffer is freed after each input. */
#include "../lib/tcp/conn.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP  0x0a000001u
#define PEER_IP 0x0a000063u
#define NHELD   8

static uint64_t now_ns;
uint64_t mirage_now(void)
{
    return now_ns;
}

static int sink_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                      const struct mirage_ipaddr *dst, uint8_t proto,
                      struct mirage_buf *payload)
{
    (void)src, (void)dst, (void)proto;
    ip->stats.tx_pkts++;
    mirage_buf_free(payload);
    return 0;
}
static int sink_src(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                    struct mirage_ipaddr *out)
{
    (void)ip, (void)dst;
    *out = mirage_ipaddr_of_v4(OUR_IP);
    return 0;
}
static size_t sink_mtu(struct mirage_ip *ip, const struct mirage_ipaddr *dst)
{
    (void)ip, (void)dst;
    return 1500;
}
static const struct mirage_ip_ops sink_ops = {
    .write = sink_write,
    .src = sink_src,
    .mtu = sink_mtu,
};
static struct mirage_ip sink = {.ops = &sink_ops};

/* The random device gives zeros: ports and ISNs repeat from run to run. */
uint64_t mirage_random_uniform(struct mirage_random *r, uint64_t bound)
{
    (void)r, (void)bound;
    return 0;
}
static int zero_random(struct mirage_random *r, void *buf, size_t len)
{
    (void)r;
    memset(buf, 0, len);
    return 0;
}
static const struct mirage_random_ops random_ops = {.generate = zero_random};
static struct mirage_random random_dev = {.ops = &random_ops};

static struct tcp_conn *held[NHELD];

static bool on_accepted(struct tcp_listener *l, struct tcp_conn *c)
{
    (void)l;
    for (int i = 0; i < NHELD; i++) {
        if (!held[i]) {
            held[i] = c;
            return true;
        }
    }
    return false;
}

static void segment(struct tcp_engine *e, const uint8_t *p, size_t len)
{
    struct mirage_buf *b = mirage_buf_copy(p, len);
    if (!b)
        return;
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v4(PEER_IP),
        .dst = mirage_ipaddr_of_v4(OUR_IP),
        .proto = MIRAGE_IP_PROTO_TCP,
    };
    if (len >= 18 && !(p[0] & 1)) {
        mirage_put_be16(b->data + 16, 0);
        uint32_t sum =
            mirage_ip_pseudo_sum(&rx.src, &rx.dst, MIRAGE_IP_PROTO_TCP, len);
        mirage_put_be16(b->data + 16,
                        mirage_csum_fold(mirage_csum_add(sum, b->data, len)));
    }
    tcp_engine_input(e, &rx, b);
    mirage_buf_free(b);
}

static void user_call(struct tcp_engine *e, uint8_t op)
{
    static uint8_t buf[70000];
    struct tcp_conn **c = &held[op % NHELD];
    if (!*c) {
        struct mirage_ipaddr dst = mirage_ipaddr_of_v4(PEER_IP);
        tcp_conn_connect(e, 0, &dst, (uint16_t)(1 + op), c);
        return;
    }
    switch (op >> 5) {
    case 0:
    case 1:
        tcp_conn_send(*c, buf, (size_t)op * 300);
        break;
    case 2:
    case 3:
        tcp_conn_recv(*c, buf, sizeof buf);
        break;
    case 4:
        tcp_conn_shutdown(*c, op & 1, op & 2);
        break;
    case 5:
        tcp_conn_set_keepalive(*c, &(struct mirage_tcp_keepalive){
                                       MIRAGE_SEC(1), MIRAGE_SEC(1), 2});
        break;
    default:
        tcp_conn_close(*c);
        *c = NULL;
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct tcp_hooks hooks = {.accepted = on_accepted};
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    cfg.sndbuf = cfg.rcvbuf = 64 * 1024;
    cfg.syn_backlog = 4;
    cfg.max_time_wait = 4;
    struct tcp_engine e;
    now_ns = MIRAGE_SEC(1);
    if (tcp_engine_init(&e, &sink, &random_dev, &hooks, &cfg) != 0)
        return 0;
    struct tcp_listener *l;
    tcp_listen(&e, 80, NULL, NULL, &l);
    size_t i = 0;
    while (i < size) {
        uint8_t kind = data[i++];
        if (kind % 3 == 0 && i + 2 <= size) {
            size_t len = mirage_get_be16(data + i);
            i += 2;
            if (len > size - i)
                len = size - i;
            segment(&e, data + i, len);
            i += len;
        } else if (kind % 3 == 1 && i < size) {
            now_ns += MIRAGE_MSEC(50) * data[i++];
            tcp_engine_run_timers(&e, now_ns);
        } else if (kind % 3 == 2 && i < size) {
            user_call(&e, data[i++]);
        }
    }
    /* The user's connections are theirs to close. */
    for (int k = 0; k < NHELD; k++) {
        if (held[k])
            tcp_conn_close(held[k]);
        held[k] = NULL;
    }
    tcp_engine_fini(&e);
    return 0;
}
