/* libFuzzer target: the TCP engine (lib/tcp, without the fiber layer)
 * driven through many connections at once. The engine listens on port 80
 * and holds what it accepts or opens; its segments go to a sink that
 * plays the other side: up to NPEERS peers at 10.0.0.99, peer i on port
 * 10000 + i (or on the port the engine connected to), each remembering
 * the numbers the engine sent it so that a record can make it answer
 * correctly. An input is a sequence of records, a kind byte then:
 *   0  peer, 2-byte length, bytes: a raw segment from the peer (its ports
 *      and, unless the record's first byte is odd, its checksum set);
 *   1  n: the clock jumps (n < 128: n * 20 ms, else (n - 127) * 10 s)
 *      and the due timers run;
 *   2  n: n + 1 new peers send a SYN (with MSS, window scale, SACK and
 *      timestamps) to port 80;
 *   3  first, count, action: the peers 2 * first to 2 * (first + count)
 *      + 1 (mod NPEERS) each act: ACK what they got (or SYN-ACK the
 *      engine's SYN), send data, FIN, RST, a zero window, an old ACK,
 *      their SYN again, or data out of order;
 *   4  first, count, op: a user call on the held connections 2 * first to
 *      2 * (first + count) + 1: send, receive, shutdown, keepalive, close
 *      or nodelay;
 *   5  op: a connect to a peer's port.
 * So a few bytes reach hundreds of connections arming their timers
 * together: with the timer heap's overflow (the connections' timers
 * outgrowing the heap's room) put back, this target finds it within a
 * second from the single-connection seed; the earlier single-listener
 * format ran 800,000 inputs in two minutes without.
 * After each record the engine's invariants are checked (connection
 * count, timers' heap); every connection is freed after each input. */
#include "../lib/tcp/conn.h"
#include "../lib/tcp/seq.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP    0x0a000001u
#define PEER_IP   0x0a000063u
#define NPEERS    512
#define NHELD     512
#define PEER_PORT 10000

static uint64_t now_ns;
uint64_t mirage_now(void)
{
    return now_ns;
}

/* The other side of every connection. */
struct peer {
    bool used;
    uint16_t port, our_port; /* theirs, and the engine's */
    bool syn_sent;           /* their SYN (or SYN-ACK) is out */
    bool got_syn;            /* the engine's SYN or SYN-ACK came */
    uint32_t iss, snd_nxt, rcv_nxt;
    uint32_t ts_recent; /* the engine's last timestamp */
};
static struct peer peers[NPEERS];
static unsigned next_peer;

static struct tcp_conn *held[NHELD];

static struct peer *peer_of(uint16_t port, uint16_t our_port)
{
    for (unsigned i = 0; i < NPEERS; i++)
        if (peers[i].used && peers[i].port == port &&
            peers[i].our_port == our_port)
            return &peers[i];
    return NULL;
}

/* What the engine sent to peer p: the numbers p answers with. */
static void observe(const struct tcp_seg *s)
{
    struct peer *p = peer_of(s->dport, s->sport);
    if (!p && (s->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        /* An active open: the first free peer plays its server. */
        for (unsigned i = 0; i < NPEERS && !p; i++)
            if (!peers[i].used)
                p = &peers[i];
        if (!p)
            return;
        *p = (struct peer){.used = true,
                           .port = s->dport,
                           .our_port = s->sport,
                           .iss = 77777u * s->sport};
        p->snd_nxt = p->iss;
    }
    if (!p)
        return;
    if (s->flags & TCP_RST) {
        p->got_syn = false;
        return;
    }
    if (s->opt.has_ts)
        p->ts_recent = s->opt.ts_val;
    uint32_t end = s->seq + (uint32_t)s->len + !!(s->flags & TCP_SYN) +
                   !!(s->flags & TCP_FIN);
    if (s->flags & TCP_SYN) {
        p->got_syn = true;
        p->rcv_nxt = end;
    } else if (p->got_syn && seq_le(s->seq, p->rcv_nxt) &&
               seq_gt(end, p->rcv_nxt)) {
        p->rcv_nxt = end;
    }
}

static int sink_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                      const struct mirage_ipaddr *dst, uint8_t proto,
                      struct mirage_buf *payload)
{
    (void)src, (void)dst, (void)proto;
    struct tcp_seg s;
    if (tcp_seg_parse(payload->data, payload->len, &s) == 0)
        observe(&s);
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

static bool hold(struct tcp_conn *c)
{
    for (int i = 0; i < NHELD; i++) {
        if (!held[i]) {
            held[i] = c;
            return true;
        }
    }
    return false;
}

static bool on_accepted(struct tcp_listener *l, struct tcp_conn *c)
{
    (void)l;
    return hold(c);
}

/* Deliver the len bytes at p as a segment from the peer, in a buffer lent
 * as the netif lends it: the engine may keep it. */
static void deliver(struct tcp_engine *e, uint8_t *p, size_t len, bool csum)
{
    struct mirage_buf *b = mirage_buf_copy(p, len);
    if (!b)
        return;
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v4(PEER_IP),
        .dst = mirage_ipaddr_of_v4(OUR_IP),
        .proto = MIRAGE_IP_PROTO_TCP,
    };
    if (csum && len >= 18) {
        mirage_put_be16(b->data + 16, 0);
        uint32_t sum =
            mirage_ip_pseudo_sum(&rx.src, &rx.dst, MIRAGE_IP_PROTO_TCP, len);
        mirage_put_be16(b->data + 16,
                        mirage_csum_fold(mirage_csum_add(sum, b->data, len)));
    }
    struct mirage_buf_lend lend = {.spare = true};
    b->lend = &lend;
    tcp_engine_input(e, &rx, b);
    if (!lend.kept)
        mirage_buf_free(b);
}

/* Peer p sends a well-formed segment: flags, seq, ack, window, len bytes
 * of data. */
static void send_from(struct tcp_engine *e, struct peer *p, uint8_t flags,
                      uint32_t seq, uint32_t ack, uint16_t wnd, size_t len)
{
    static uint8_t seg[TCP_HDR_MAX + 65536];
    struct tcp_seg h = {.sport = p->port,
                        .dport = p->our_port,
                        .seq = seq,
                        .ack = ack,
                        .flags = flags,
                        .wnd = wnd};
    h.opt.has_ts = true;
    h.opt.ts_val = (uint32_t)(now_ns / MIRAGE_MSEC(1));
    h.opt.ts_ecr = (flags & TCP_ACK) ? p->ts_recent : 0;
    if (flags & TCP_SYN) {
        h.opt.mss = 1460;
        h.opt.has_ws = h.opt.sack_ok = true;
        h.opt.ws = 7;
    }
    size_t optlen = tcp_opts_write(seg + TCP_HDR_MIN, &h.opt, flags & TCP_SYN);
    tcp_hdr_write(seg, &h, optlen);
    size_t hl = TCP_HDR_MIN + optlen;
    if (len > sizeof seg - hl)
        len = sizeof seg - hl;
    memset(seg + hl, 'd', len);
    deliver(e, seg, hl + len, true);
}

static void raw(struct tcp_engine *e, struct peer *p, const uint8_t *bytes,
                size_t len)
{
    static uint8_t seg[65536];
    memcpy(seg, bytes, len);
    if (len >= 4) {
        mirage_put_be16(seg, p->port);
        mirage_put_be16(seg + 2, p->our_port);
    }
    deliver(e, seg, len, !(bytes[0] & 1));
}

static void syn_burst(struct tcp_engine *e, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        struct peer *p = &peers[next_peer++ % NPEERS];
        uint16_t port = (uint16_t)(PEER_PORT + next_peer % 50000);
        *p = (struct peer){.used = true,
                           .port = port,
                           .our_port = 80,
                           .syn_sent = true,
                           .iss = 1000003u * port};
        p->snd_nxt = p->iss + 1;
        send_from(e, p, TCP_SYN, p->iss, 0, 65535, 0);
    }
}

static void act(struct tcp_engine *e, struct peer *p, uint8_t action)
{
    if (!p->used)
        return;
    if (!p->syn_sent) {
        /* The engine connected to p: p answers its SYN. */
        if (p->got_syn && (action & 7) == 0) {
            send_from(e, p, TCP_SYN | TCP_ACK, p->iss, p->rcv_nxt, 65535, 0);
            p->syn_sent = true;
            p->snd_nxt = p->iss + 1;
        }
        return;
    }
    /* With the top bit: 32 to 62 KiB, a super-segment the engine keeps. */
    size_t len = (size_t)(action >> 3) * 61 + 1;
    if (action & 0x80)
        len *= 33;
    switch (action & 7) {
    case 0:
        send_from(e, p, TCP_ACK, p->snd_nxt, p->rcv_nxt, 65535, 0);
        break;
    case 1:
        send_from(e, p, TCP_ACK | TCP_PSH, p->snd_nxt, p->rcv_nxt, 65535, len);
        p->snd_nxt += (uint32_t)len;
        break;
    case 2:
        send_from(e, p, TCP_FIN | TCP_ACK, p->snd_nxt, p->rcv_nxt, 65535, 0);
        p->snd_nxt++;
        break;
    case 3:
        send_from(e, p, TCP_RST, p->snd_nxt, 0, 0, 0);
        break;
    case 4:
        send_from(e, p, TCP_ACK, p->snd_nxt, p->rcv_nxt, 0, 0);
        break;
    case 5:
        send_from(e, p, TCP_ACK, p->snd_nxt, p->rcv_nxt - 1000, 65535, 0);
        break;
    case 6:
        send_from(e, p, TCP_SYN, p->iss, 0, 65535, 0);
        break;
    default:
        send_from(e, p, TCP_ACK, p->snd_nxt + 1000, p->rcv_nxt, 65535, len);
        break;
    }
}

static void user_call(struct tcp_conn **c, uint8_t op)
{
    static uint8_t buf[70000];
    if (!*c)
        return;
    switch (op % 8) {
    case 0:
    case 1:
        tcp_conn_send(*c, buf, (size_t)op * 271);
        break;
    case 2:
        if (op & 8) {
            const void *v;
            tcp_conn_recv_view(*c, &v, buf, (size_t)op * 300);
        } else {
            tcp_conn_recv(*c, buf, sizeof buf);
        }
        break;
    case 3:
        tcp_conn_shutdown(*c, op & 8, op & 16);
        break;
    case 4:
        tcp_conn_set_keepalive(*c, &(struct mirage_tcp_keepalive){
                                       MIRAGE_SEC(1), MIRAGE_SEC(1), 2});
        break;
    case 5:
        (*c)->nodelay = op & 8;
        tcp_output(*c, now_ns);
        break;
    default:
        tcp_conn_close(*c);
        *c = NULL;
        break;
    }
}

static void connect_to(struct tcp_engine *e, uint8_t op)
{
    struct mirage_ipaddr dst = mirage_ipaddr_of_v4(PEER_IP);
    struct tcp_conn *c;
    if (tcp_conn_connect(e, 0, &dst, (uint16_t)(PEER_PORT + op), &c) == 0 &&
        !hold(c))
        tcp_conn_close(c);
}

/* The engine's own bookkeeping must hold after every record. */
static void check(const struct tcp_engine *e)
{
    size_t n = 0;
    for (const struct tcp_conn *c = e->all; c; c = c->all_next)
        n++;
    if (n != e->nconns || e->stats.connections != n)
        abort();
    /* Room for every connection's timer; each queued at its earliest. */
    if (!mirage_minheap_valid(&e->timers) || e->timers.cap < n)
        abort();
    for (const struct tcp_conn *c = e->all; c; c = c->all_next) {
        /* Kept frames: their bytes are held_len, in the budget. */
        size_t held = 0;
        for (const struct mirage_buf *b = c->held; b; b = b->next)
            held += b->len;
        if (held != c->held_len || (c->held && !c->held_tail))
            abort();
        uint64_t t[] = {c->t_rexmt, c->t_persist, c->t_delack, c->t_keep,
                        c->t_close};
        uint64_t d = 0;
        for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
            if (t[k] && (!d || t[k] < d))
                d = t[k];
        if (mirage_minheap_queued(&c->timer) != (d != 0) ||
            (d && c->timer.key != d))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct tcp_hooks hooks = {.accepted = on_accepted};
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    cfg.max_time_wait = 64;
    cfg.mem_budget = 1 << 20;
    cfg.mem_floor = 4096;
    struct tcp_engine e;
    now_ns = MIRAGE_SEC(1);
    memset(peers, 0, sizeof peers);
    next_peer = 0;
    if (tcp_engine_init(&e, &sink, &random_dev, &hooks, &cfg) != 0)
        return 0;
    struct tcp_listener *l;
    tcp_listen(&e, 80, NULL, NULL, &l);
    size_t i = 0;
    while (i < size) {
        uint8_t kind = data[i++] % 6;
        if (kind == 0 && i + 3 <= size) {
            struct peer *p = &peers[data[i] % NPEERS];
            size_t len = mirage_get_be16(data + i + 1);
            i += 3;
            if (len > size - i)
                len = size - i;
            if (p->used && len)
                raw(&e, p, data + i, len);
            i += len;
        } else if (kind == 1 && i < size) {
            uint8_t n = data[i++];
            now_ns +=
                n < 128 ? MIRAGE_MSEC(20) * n : MIRAGE_SEC(10) * (n - 127);
            tcp_engine_run_timers(&e, now_ns);
        } else if (kind == 2 && i < size) {
            syn_burst(&e, data[i++] + 1u);
        } else if (kind == 3 && i + 3 <= size) {
            unsigned first = data[i], count = data[i + 1] + 1u;
            uint8_t action = data[i + 2];
            i += 3;
            for (unsigned k = 0; k < count * 2; k++)
                act(&e, &peers[(first * 2 + k) % NPEERS], action);
        } else if (kind == 4 && i + 3 <= size) {
            unsigned first = data[i], count = data[i + 1] + 1u;
            uint8_t op = data[i + 2];
            i += 3;
            for (unsigned k = 0; k < count * 2; k++)
                user_call(&held[(first * 2 + k) % NHELD], op);
        } else if (kind == 5 && i < size) {
            connect_to(&e, data[i++]);
        } else {
            break;
        }
        check(&e);
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
