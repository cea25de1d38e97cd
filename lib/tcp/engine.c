/* The TCP engine: the connection table, listeners with bounded SYN
 * queues, the bounded TIME_WAIT list, ephemeral ports, the timers,
 * demultiplexing of received segments and the non-blocking user calls. */
#include "conn.h"
#include "cookie.h"
#include "seq.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MIN 256

void tcp_cfg_default(struct tcp_cfg *cfg)
{
    cfg->sndbuf = 256 * 1024;
    cfg->rcvbuf = 256 * 1024;
    cfg->mem_budget = 16 << 20;
    cfg->mem_floor = 16 * 1024;
    cfg->syn_backlog = 128;
    cfg->max_time_wait = 4096;
    cfg->msl = MIRAGE_SEC(30);
    cfg->rto_initial = MIRAGE_SEC(1);
    cfg->rto_min = MIRAGE_MSEC(200);
    cfg->rto_max = MIRAGE_SEC(60);
    cfg->delack = MIRAGE_MSEC(40);
    cfg->fin_wait_2 = MIRAGE_SEC(60);
    cfg->syn_retries = 6;
    cfg->data_retries = 15;
    cfg->orphan_retries = 8;
    cfg->challenge_acks_per_sec = 100;
    cfg->window_scaling = cfg->timestamps = cfg->sack = true;
    cfg->cubic = true;
}

/* What c offers, or accepts from the peer's SYN. */
static void offer_options(struct tcp_conn *c)
{
    c->ws_ok = c->eng->cfg.window_scaling;
    c->ts_ok = c->eng->cfg.timestamps;
    c->sack_ok = c->eng->cfg.sack;
}

/* ---- the timers: connections in a min-heap by their next deadline ---- */

#define conn_of_timer(n)                                                       \
    ((struct tcp_conn *)((char *)(n)-offsetof(struct tcp_conn, timer)))

static uint64_t earliest(uint64_t a, uint64_t b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return a < b ? a : b;
}

void tcp_conn_timers_changed(struct tcp_conn *c)
{
    struct tcp_engine *e = c->eng;
    uint64_t d =
        earliest(earliest(c->t_rexmt, c->t_persist),
                 earliest(earliest(c->t_delack, c->t_keep), c->t_close));
    if (!d) {
        mirage_minheap_remove(&e->timers, &c->timer);
        return;
    }
    uint64_t before = tcp_engine_deadline(e);
    if (!mirage_minheap_queued(&c->timer))
        mirage_minheap_push(&e->timers, &c->timer, d); /* conn_new's room */
    else if (d != c->timer.key)
        mirage_minheap_add(&e->timers, &c->timer, d); /* queued: no room */
    if (d < before && e->hooks.timer_changed)
        e->hooks.timer_changed(e);
}

uint64_t tcp_engine_deadline(const struct tcp_engine *e)
{
    const struct mirage_minheap_node *n = mirage_minheap_peek(&e->timers);
    return n ? n->key : MIRAGE_FOREVER;
}

void tcp_engine_run_timers(struct tcp_engine *e, uint64_t now)
{
    struct mirage_minheap_node *n;
    while ((n = mirage_minheap_peek(&e->timers)) && n->key <= now)
        tcp_timers_run(conn_of_timer(n), now);
}

/* ---- the connection table ---- */

static size_t bucket(const struct tcp_engine *e,
                     const struct mirage_ipaddr *laddr, uint16_t lport,
                     const struct mirage_ipaddr *faddr, uint16_t fport)
{
    return (size_t)tcp_conn_hash(&e->key, TCP_SALT_TABLE, laddr, lport, faddr,
                                 fport) &
           (e->table_size - 1);
}

static struct tcp_conn *
lookup(const struct tcp_engine *e, const struct mirage_ipaddr *laddr,
       uint16_t lport, const struct mirage_ipaddr *faddr, uint16_t fport)
{
    struct tcp_conn *c = e->table[bucket(e, laddr, lport, faddr, fport)];
    for (; c; c = c->hash_next)
        if (c->lport == lport && c->fport == fport &&
            mirage_ipaddr_equal(&c->faddr, faddr) &&
            mirage_ipaddr_equal(&c->laddr, laddr))
            return c;
    return NULL;
}

static void table_insert(struct tcp_engine *e, struct tcp_conn *c)
{
    size_t b = bucket(e, &c->laddr, c->lport, &c->faddr, c->fport);
    c->hash_next = e->table[b];
    e->table[b] = c;
    c->hashed = true;
}

static void table_remove(struct tcp_engine *e, struct tcp_conn *c)
{
    if (!c->hashed)
        return;
    struct tcp_conn **p =
        &e->table[bucket(e, &c->laddr, c->lport, &c->faddr, c->fport)];
    while (*p != c)
        p = &(*p)->hash_next;
    *p = c->hash_next;
    c->hashed = false;
}

/* Double the table when it holds twice as many connections as chains;
 * staying small is harmless (the chains get longer). */
static void table_grow(struct tcp_engine *e)
{
    if (e->nconns <= 2 * e->table_size)
        return;
    size_t size = e->table_size * 2;
    struct tcp_conn **t = calloc(size, sizeof *t);
    if (!t)
        return;
    free(e->table);
    e->table = t;
    e->table_size = size;
    for (struct tcp_conn *c = e->all; c; c = c->all_next)
        if (c->hashed)
            table_insert(e, c);
}

/* ---- queues: SYN queues and the TIME_WAIT list ---- */

static void q_append(struct tcp_conn **head, struct tcp_conn **tail,
                     struct tcp_conn *c)
{
    c->q_next = NULL;
    c->q_prev = *tail;
    if (*tail)
        (*tail)->q_next = c;
    else
        *head = c;
    *tail = c;
}

static void q_unlink(struct tcp_conn **head, struct tcp_conn **tail,
                     struct tcp_conn *c)
{
    if (c->q_prev)
        c->q_prev->q_next = c->q_next;
    else
        *head = c->q_next;
    if (c->q_next)
        c->q_next->q_prev = c->q_prev;
    else
        *tail = c->q_prev;
    c->q_prev = c->q_next = NULL;
}

static void leave_queues(struct tcp_conn *c)
{
    struct tcp_listener *l = c->listener;
    if (l) {
        q_unlink(&l->syn_head, &l->syn_tail, c);
        l->nsyn--;
        c->listener = NULL;
    }
    if (c->in_tw_list) {
        q_unlink(&c->eng->tw_head, &c->eng->tw_tail, c);
        c->eng->ntw--;
        c->in_tw_list = false;
    }
}

/* ---- connections ---- */

/* Fill the zeroed c for the connection laddr:lport <- faddr:fport: its
 * ISN, timestamp offset, queue limits, window scale and timers' state.
 * It is in no table, list or heap. */
static void conn_setup(struct tcp_conn *c, struct tcp_engine *e,
                       const struct mirage_ipaddr *laddr, uint16_t lport,
                       const struct mirage_ipaddr *faddr, uint16_t fport,
                       uint64_t now)
{
    c->eng = e;
    c->laddr = *laddr;
    c->faddr = *faddr;
    c->lport = lport;
    c->fport = fport;
    mirage_minheap_node_init(&c->timer);
    c->ooo_recent = -1;
    c->iss = tcp_isn(&e->key, now, laddr, lport, faddr, fport);
    c->ts_offset = (uint32_t)tcp_conn_hash(&e->key, TCP_SALT_TS, laddr, lport,
                                           faddr, fport);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->sndq_seq = c->iss + 1;
    tcp_ring_init(&c->sndq, e->cfg.sndbuf);
    tcp_ring_init(&c->rcvq, e->cfg.rcvbuf);
    c->rcv_ws = 0;
    while (c->rcv_ws < TCP_MAX_WSCALE && (e->cfg.rcvbuf >> c->rcv_ws) > 65535)
        c->rcv_ws++;
    c->mss = 536;
    tcp_rto_init(&c->rto, e->cfg.rto_initial, e->cfg.rto_min, e->cfg.rto_max);
    c->last_rx = now;
}

/* Start the connection at iss: nothing sent yet. */
static void conn_set_iss(struct tcp_conn *c, uint32_t iss)
{
    c->iss = c->snd_una = c->snd_nxt = c->snd_max = iss;
    c->sndq_seq = iss + 1;
}

static struct tcp_conn *conn_new(struct tcp_engine *e,
                                 const struct mirage_ipaddr *laddr,
                                 uint16_t lport,
                                 const struct mirage_ipaddr *faddr,
                                 uint16_t fport, uint64_t now)
{
    /* Any connection may arm a timer at any moment, and
     * tcp_conn_timers_changed cannot fail: the heap keeps room for every
     * connection, not only for those with a timer now. */
    if (mirage_minheap_reserve(&e->timers, e->nconns + 1) != 0)
        return NULL;
    struct tcp_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    conn_setup(c, e, laddr, lport, faddr, fport, now);
    c->all_next = e->all;
    if (e->all)
        e->all->all_prev = c;
    e->all = c;
    e->stats.connections = ++e->nconns;
    table_insert(e, c);
    table_grow(e);
    return c;
}

static void conn_free(struct tcp_conn *c)
{
    struct tcp_engine *e = c->eng;
    leave_queues(c);
    mirage_minheap_remove(&e->timers, &c->timer);
    table_remove(e, c);
    if (c->all_prev)
        c->all_prev->all_next = c->all_next;
    else
        e->all = c->all_next;
    if (c->all_next)
        c->all_next->all_prev = c->all_prev;
    e->stats.connections = --e->nconns;
    tcp_ring_release(&c->sndq, &e->bufs);
    tcp_ring_release(&c->rcvq, &e->bufs);
    tcp_conn_free_held(c);
    free(c);
}

void tcp_conn_trim_queues(struct tcp_conn *c)
{
    if (!c->sndq.len)
        tcp_ring_release(&c->sndq, &c->eng->bufs);
    if (!c->rcvq.len && !c->ooo.n)
        tcp_ring_release(&c->rcvq, &c->eng->bufs);
}

uint32_t tcp_rcv_room(const struct tcp_conn *c)
{
    size_t room = tcp_ring_room(&c->rcvq, &c->eng->bufs);
    return room > c->held_len ? (uint32_t)(room - c->held_len) : 0;
}

/* Free kept frame b, whose storage leaves the budget. */
static void held_release(struct tcp_conn *c, struct mirage_buf *b)
{
    c->eng->bufs.used -= b->cap;
    mirage_buf_free(b);
}

/* Drop the first kept frame, emptied by a read. */
static void held_pop(struct tcp_conn *c)
{
    struct mirage_buf *b = c->held;
    c->held = b->next;
    if (!c->held)
        c->held_tail = NULL;
    held_release(c, b);
}

void tcp_conn_free_held(struct tcp_conn *c)
{
    while (c->held)
        held_pop(c);
    c->held_len = 0;
    if (c->spent)
        held_release(c, c->spent);
    c->spent = NULL;
}

void tcp_conn_notify(struct tcp_conn *c)
{
    if (c->user && c->eng->hooks.notify)
        c->eng->hooks.notify(c);
}

void tcp_conn_drop(struct tcp_conn *c, int err)
{
    c->state = TCP_CLOSED;
    if (!c->err)
        c->err = err;
    c->t_rexmt = c->t_persist = c->t_delack = c->t_keep = c->t_close = 0;
    tcp_conn_timers_changed(c);
    leave_queues(c);
    table_remove(c->eng, c);
    if (!c->user) {
        conn_free(c);
        return;
    }
    tcp_conn_notify(c);
}

/* c, in TIME_WAIT without a user, joins the bounded TIME_WAIT list (the
 * oldest entry is dropped when it is full); its receive queue goes. */
static void time_wait_enlist(struct tcp_conn *c)
{
    struct tcp_engine *e = c->eng;
    tcp_ranges_clear(&c->ooo);
    tcp_ring_release(&c->rcvq, &e->bufs);
    tcp_conn_free_held(c);
    q_append(&e->tw_head, &e->tw_tail, c);
    c->in_tw_list = true;
    if (++e->ntw > e->cfg.max_time_wait)
        conn_free(e->tw_head);
}

void tcp_conn_time_wait(struct tcp_conn *c, uint64_t now)
{
    c->state = TCP_TIME_WAIT;
    c->t_rexmt = c->t_persist = c->t_delack = c->t_keep = 0;
    c->t_close = now + 2 * c->eng->cfg.msl;
    tcp_conn_timers_changed(c);
    tcp_ring_release(&c->sndq, &c->eng->bufs);
    tcp_conn_notify(c);
    if (!c->user && !c->in_tw_list)
        time_wait_enlist(c);
}

bool tcp_conn_established(struct tcp_conn *c)
{
    struct tcp_engine *e = c->eng;
    struct tcp_listener *l = c->listener;
    e->stats.established++;
    if (!l) {
        tcp_conn_notify(c);
        return true;
    }
    leave_queues(c);
    if (l->has_keepalive)
        tcp_conn_set_keepalive(c, &l->keepalive);
    c->user = true;
    if (!e->hooks.accepted || !e->hooks.accepted(l, c)) {
        c->user = false;
        tcp_send_reset(c, mirage_now());
        tcp_conn_drop(c, MIRAGE_ECONNRESET);
        return false;
    }
    return true;
}

bool tcp_challenge_allowed(struct tcp_engine *e, uint64_t now)
{
    uint64_t sec = now / MIRAGE_SEC(1);
    if (sec != e->challenge_sec) {
        e->challenge_sec = sec;
        e->challenge_count = 0;
    }
    if (e->challenge_count >= e->cfg.challenge_acks_per_sec)
        return false;
    e->challenge_count++;
    e->stats.challenge_acks++;
    return true;
}

/* ---- the engine ---- */

int tcp_engine_init(struct tcp_engine *e, struct mirage_ip *ip,
                    struct mirage_random *random, const struct tcp_hooks *hooks,
                    const struct tcp_cfg *cfg)
{
    memset(e, 0, sizeof *e);
    mirage_minheap_init(&e->timers);
    e->ip = ip;
    e->random = random;
    e->hooks = *hooks;
    e->cfg = *cfg;
    e->bufs.limit = cfg->mem_budget;
    e->bufs.floor = cfg->mem_floor;
    int err = mirage_random_generate(random, &e->key, sizeof e->key);
    if (err)
        return err;
    e->table = calloc(TABLE_MIN, sizeof *e->table);
    if (!e->table)
        return MIRAGE_ENOMEM;
    e->table_size = TABLE_MIN;
    return 0;
}

void tcp_engine_fini(struct tcp_engine *e)
{
    while (e->all)
        conn_free(e->all);
    while (e->listeners) {
        struct tcp_listener *l = e->listeners;
        e->listeners = l->next;
        free(l);
    }
    free(e->table);
    mirage_minheap_free(&e->timers);
    e->table = NULL;
}

static struct tcp_listener *find_listener(struct tcp_engine *e, uint16_t port)
{
    for (struct tcp_listener *l = e->listeners; l; l = l->next)
        if (l->port == port)
            return l;
    return NULL;
}

int tcp_listen(struct tcp_engine *e, uint16_t port,
               const struct mirage_tcp_keepalive *ka, void *user,
               struct tcp_listener **out)
{
    if (port == 0)
        return MIRAGE_EINVAL;
    if (find_listener(e, port))
        return MIRAGE_EINUSE;
    struct tcp_listener *l = calloc(1, sizeof *l);
    if (!l)
        return MIRAGE_ENOMEM;
    l->eng = e;
    l->port = port;
    l->user = user;
    if (ka) {
        l->has_keepalive = true;
        l->keepalive = *ka;
    }
    l->next = e->listeners;
    e->listeners = l;
    *out = l;
    return 0;
}

int tcp_unlisten(struct tcp_engine *e, uint16_t port)
{
    struct tcp_listener **p = &e->listeners;
    while (*p && (*p)->port != port)
        p = &(*p)->next;
    struct tcp_listener *l = *p;
    if (!l)
        return MIRAGE_ENOENT;
    *p = l->next;
    while (l->syn_head)
        tcp_conn_drop(l->syn_head, 0);
    free(l);
    return 0;
}

/* The half-open state of c after the peer's SYN s. */
static void passive_init(struct tcp_conn *c, const struct tcp_seg *s)
{
    c->state = TCP_SYN_RECEIVED;
    offer_options(c);
    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    c->rcv_adv = c->rcv_nxt;
    tcp_input_syn_options(c, s);
    c->snd_wnd = s->wnd; /* a SYN's window is never scaled */
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = c->iss;
}

/* c joins listener l's SYN queue. */
static void syn_enqueue(struct tcp_listener *l, struct tcp_conn *c)
{
    c->listener = l;
    q_append(&l->syn_head, &l->syn_tail, c);
    l->nsyn++;
    l->eng->stats.passive_opens++;
}

/* l's SYN queue is full: answer the SYN s with a SYN-ACK whose sequence
 * number is a cookie (cookie.h), keeping nothing. Without the peer's
 * timestamps to carry them, window scaling and SACK are not offered. */
static void send_cookie(struct tcp_listener *l, const struct mirage_ip_rx *rx,
                        const struct tcp_seg *s, uint64_t now)
{
    struct tcp_engine *e = l->eng;
    struct tcp_conn c;
    memset(&c, 0, sizeof c);
    conn_setup(&c, e, &rx->dst, s->dport, &rx->src, s->sport, now);
    conn_set_iss(&c, tcp_cookie_make(&e->key, now, &rx->dst, s->dport, &rx->src,
                                     s->sport, s->seq, s->opt.mss));
    passive_init(&c, s);
    if (c.ts_ok) {
        struct tcp_cookie_opts o = {c.ws_ok, c.sack_ok, c.snd_ws};
        uint32_t ts = tcp_ts_now(&c, now);
        c.ts_offset -= ts - tcp_cookie_ts(ts, &o);
    } else {
        c.ws_ok = c.sack_ok = false;
        c.rcv_ws = 0;
    }
    e->stats.syn_cookies_sent++;
    l->cookies_until = now + 2 * TCP_COOKIE_SLOT_NS;
    tcp_send_segment(&c, TCP_SYN | TCP_ACK, c.iss, 0, now);
}

/* An ACK s for listener l that matches no connection: when l has sent
 * cookies lately and s returns a valid one, the half-open connection the
 * cookie stands for, made now in l's queue (s then completes it as it
 * would have completed a queued one); NULL otherwise. */
static struct tcp_conn *cookie_conn(struct tcp_listener *l,
                                    const struct mirage_ip_rx *rx,
                                    const struct tcp_seg *s, uint64_t now)
{
    struct tcp_engine *e = l->eng;
    uint32_t mss;
    if (now >= l->cookies_until)
        return NULL;
    if (!tcp_cookie_check(&e->key, now, &rx->dst, s->dport, &rx->src, s->sport,
                          s->ack - 1, s->seq - 1, &mss)) {
        e->stats.syn_cookies_bad++;
        return NULL;
    }
    /* The SYN as far as the cookie and the timestamps tell it. */
    struct tcp_seg syn = {.seq = s->seq - 1, .wnd = s->wnd};
    syn.opt.mss = (uint16_t)mss;
    if (s->opt.has_ts && s->opt.ts_ecr) {
        struct tcp_cookie_opts o = tcp_cookie_ts_opts(s->opt.ts_ecr);
        syn.opt.has_ts = true;
        syn.opt.ts_val = s->opt.ts_val;
        syn.opt.has_ws = o.has_ws;
        syn.opt.ws = o.ws;
        syn.opt.sack_ok = o.sack_ok;
    }
    struct tcp_conn *c =
        conn_new(e, &rx->dst, s->dport, &rx->src, s->sport, now);
    if (!c)
        return NULL;
    conn_set_iss(c, s->ack - 1);
    c->snd_nxt = c->snd_max = s->ack;
    syn_enqueue(l, c);
    passive_init(c, &syn);
    e->stats.syn_cookies_ok++;
    return c;
}

/* Whether s completes a cookie's connection that half-open c stands in
 * the way of: the peer's SYN got a cookie, then (the cookie slow to come)
 * its retransmission found room in the queue and c, with another ISN;
 * the peer took the cookie. c must go, else its answers to the peer
 * would reset the connection the peer has. */
static bool cookie_supersedes(const struct tcp_conn *c, const struct tcp_seg *s,
                              uint64_t now)
{
    uint32_t mss;
    return c->state == TCP_SYN_RECEIVED && c->listener &&
           (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK &&
           s->ack != c->iss + 1 && s->seq == c->irs + 1 &&
           now < c->listener->cookies_until &&
           tcp_cookie_check(&c->eng->key, now, &c->laddr, c->lport, &c->faddr,
                            c->fport, s->ack - 1, c->irs, &mss);
}

/* A SYN for listener l from the peer: a new half-open connection in its
 * queue, or a cookie when the queue is full. */
static void passive_open(struct tcp_listener *l, const struct mirage_ip_rx *rx,
                         const struct tcp_seg *s, uint64_t now)
{
    if (l->nsyn >= l->eng->cfg.syn_backlog) {
        send_cookie(l, rx, s, now);
        return;
    }
    struct tcp_conn *c =
        conn_new(l->eng, &rx->dst, s->dport, &rx->src, s->sport, now);
    if (!c)
        return;
    syn_enqueue(l, c);
    passive_init(c, s);
    tcp_output(c, now);
}

/* Whether a SYN for a connection in TIME_WAIT starts a new incarnation
 * (RFC 6191): it must be newer than the old one by its timestamp, or
 * without timestamps by its sequence number. */
static bool syn_reopens(const struct tcp_conn *c, const struct tcp_seg *s)
{
    if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return false;
    if (c->ts_ok && s->opt.has_ts)
        return seq_gt(s->opt.ts_val, c->ts_recent);
    return seq_gt(s->seq, c->rcv_nxt);
}

/* Whether a is one host's address (a source TCP can answer). */
static bool unicast(const struct mirage_ipaddr *a)
{
    if (a->version == MIRAGE_IP_V4)
        return a->v4 != MIRAGE_IPV4_ANY && a->v4 != MIRAGE_IPV4_BROADCAST &&
               (a->v4 >> 28) != 0xe;
    static const uint8_t zero[16];
    return a->v6[0] != 0xff && memcmp(a->v6, zero, sizeof zero) != 0;
}

void tcp_engine_input(void *arg, const struct mirage_ip_rx *rx,
                      struct mirage_buf *payload)
{
    struct tcp_engine *e = arg;
    uint64_t now = mirage_now();
    e->stats.rx_segs++;
    if (rx->broadcast || rx->src.version != rx->dst.version ||
        !unicast(&rx->src)) {
        e->stats.rx_malformed++;
        return;
    }
    uint32_t sum = mirage_ip_pseudo_sum(&rx->src, &rx->dst, MIRAGE_IP_PROTO_TCP,
                                        payload->len);
    /* The interface may vouch for the checksum (buf.h). */
    if (!(payload->offl & MIRAGE_BUF_CSUM_OK) &&
        mirage_csum_fold(mirage_csum_add(sum, payload->data, payload->len))) {
        e->stats.rx_bad_csum++;
        return;
    }
    struct tcp_seg s;
    if (tcp_seg_parse(payload->data, payload->len, &s) != 0 || !s.sport ||
        !s.dport) {
        e->stats.rx_malformed++;
        return;
    }
    s.buf = payload; /* lent: process_data may keep it */
    struct tcp_conn *c = lookup(e, &rx->dst, s.dport, &rx->src, s.sport);
    if (c && ((c->state == TCP_TIME_WAIT && syn_reopens(c, &s)) ||
              cookie_supersedes(c, &s, now))) {
        tcp_conn_drop(c, 0);
        c = NULL;
    }
    if (c) {
        tcp_input_conn(c, &s, now);
        return;
    }
    struct tcp_listener *l = find_listener(e, s.dport);
    if (!l) {
        tcp_send_reset_for(e, &rx->dst, &rx->src, &s);
        return;
    }
    /* LISTEN (RFC 9293 §3.10.7.2): a RST is ignored, an ACK answered
     * with a RST unless it returns a cookie, a SYN opens; anything else
     * (SYN+FIN, or none of SYN, ACK and RST: NULL, FIN, URG ...) is
     * dropped. */
    if (s.flags & TCP_RST)
        return;
    if (s.flags & TCP_ACK) {
        c = cookie_conn(l, rx, &s, now);
        if (c)
            tcp_input_conn(c, &s, now);
        else
            tcp_send_reset_for(e, &rx->dst, &rx->src, &s);
        return;
    }
    if ((s.flags & (TCP_SYN | TCP_FIN)) == TCP_SYN) {
        passive_open(l, rx, &s, now);
        return;
    }
    e->stats.rx_malformed++;
}

void tcp_engine_error(void *arg, const struct mirage_ip_error *err)
{
    struct tcp_engine *e = arg;
    if (err->orig_len < 8)
        return;
    uint16_t sport = mirage_get_be16(err->orig);
    uint16_t dport = mirage_get_be16(err->orig + 2);
    uint32_t seq = mirage_get_be32(err->orig + 4);
    struct tcp_conn *c = lookup(e, &err->src, sport, &err->dst, dport);
    /* Only errors quoting a sequence number in flight count (RFC 5927),
     * and only while connecting: later ones are soft errors. */
    if (!c || seq_lt(seq, c->snd_una) || seq_gt(seq, c->snd_max))
        return;
    if (c->state == TCP_SYN_SENT &&
        (err->err == MIRAGE_ECONNREFUSED || err->err == MIRAGE_EUNREACH))
        tcp_conn_drop(c, err->err);
}

/* ---- user calls ---- */

int tcp_conn_connect(struct tcp_engine *e, uint16_t lport,
                     const struct mirage_ipaddr *dst, uint16_t port,
                     struct tcp_conn **out)
{
    if (port == 0)
        return MIRAGE_EINVAL;
    struct mirage_ipaddr src;
    int err = mirage_ip_src(e->ip, dst, &src);
    if (err)
        return err;
    if (lport && lookup(e, &src, lport, dst, port))
        return MIRAGE_EINUSE;
    uint32_t range = 65536 - MIRAGE_TCP_EPHEMERAL_MIN;
    uint32_t start = (uint32_t)mirage_random_uniform(e->random, range);
    for (uint32_t i = 0; i < range && !lport; i++) {
        uint16_t p = (uint16_t)(MIRAGE_TCP_EPHEMERAL_MIN + (start + i) % range);
        if (!lookup(e, &src, p, dst, port) && !find_listener(e, p))
            lport = p;
    }
    if (!lport)
        return MIRAGE_EINUSE;
    uint64_t now = mirage_now();
    struct tcp_conn *c = conn_new(e, &src, lport, dst, port, now);
    if (!c)
        return MIRAGE_ENOMEM;
    e->stats.active_opens++;
    c->user = true;
    c->state = TCP_SYN_SENT;
    offer_options(c);
    tcp_output(c, now);
    *out = c;
    return 0;
}

bool tcp_conn_connected(const struct tcp_conn *c)
{
    return c->err || (c->state != TCP_SYN_SENT && c->state != TCP_SYN_RECEIVED);
}

long tcp_conn_send(struct tcp_conn *c, const void *data, size_t len)
{
    if (c->err)
        return c->err;
    if (c->wr_shut)
        return MIRAGE_ECLOSED;
    size_t n = tcp_ring_append(&c->sndq, &c->eng->bufs, data, len);
    /* An empty queue can always grow to the floor: only the heap can
     * have refused. */
    if (!n && len && !c->sndq.len)
        return MIRAGE_ENOMEM;
    if (n && c->state != TCP_SYN_SENT && c->state != TCP_SYN_RECEIVED)
        tcp_output(c, mirage_now());
    return (long)n;
}

/* After a read took bytes: free what emptied, and announce the window at
 * once only when the one announced has shrunk to half the queue or less
 * and reading at least doubles it; otherwise the next ACK carries it. */
static void read_done(struct tcp_conn *c)
{
    tcp_conn_trim_queues(c);
    uint32_t adv = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    uint32_t wnd = (uint32_t)tcp_rcv_window(c) << c->rcv_ws;
    if (c->state >= TCP_ESTABLISHED && !c->fin_rcvd &&
        adv <= c->rcvq.limit / 2 && wnd >= 2 * adv && wnd - adv >= c->mss)
        tcp_send_ack(c, mirage_now());
}

/* What a read with nothing to take returns. */
static long nothing_read(const struct tcp_conn *c)
{
    if (c->fin_rcvd)
        return 0;
    if (c->err)
        return c->err;
    return MIRAGE_EAGAIN;
}

long tcp_conn_recv(struct tcp_conn *c, void *buf, size_t len)
{
    if (c->rd_shut)
        return 0;
    if (c->spent)
        held_release(c, c->spent);
    c->spent = NULL;
    if (len > (size_t)0x7fffffff)
        len = 0x7fffffff;
    size_t n = 0;
    /* The kept frames' bytes come first, then the queue's. */
    while (c->held && n < len) {
        struct mirage_buf *b = c->held;
        size_t k = len - n < b->len ? len - n : b->len;
        memcpy((uint8_t *)buf + n, b->data, k);
        mirage_buf_pull(b, k);
        c->held_len -= k;
        n += k;
        if (!b->len)
            held_pop(c);
    }
    if (!c->held && c->rcvq.len && n < len) {
        size_t k = len - n < c->rcvq.len ? len - n : c->rcvq.len;
        tcp_ring_get(&c->rcvq, 0, (uint8_t *)buf + n, k);
        tcp_ring_drop(&c->rcvq, k);
        n += k;
    }
    if (!n)
        return nothing_read(c);
    read_done(c);
    return (long)n;
}

long tcp_conn_recv_view(struct tcp_conn *c, const void **data, void *buf,
                        size_t len)
{
    struct mirage_buf *b = c->held;
    if (c->rd_shut || !b) {
        *data = buf;
        return tcp_conn_recv(c, buf, len);
    }
    if (c->spent)
        held_release(c, c->spent);
    c->spent = NULL;
    if (len > (size_t)0x7fffffff)
        len = 0x7fffffff;
    size_t n = len < b->len ? len : b->len;
    *data = b->data;
    mirage_buf_pull(b, n);
    c->held_len -= n;
    if (!b->len) {
        /* Emptied: it stays until the next read, which the view lasts. */
        c->held = b->next;
        if (!c->held)
            c->held_tail = NULL;
        c->spent = b;
    }
    read_done(c);
    return (long)n;
}

bool tcp_conn_lend(struct tcp_conn *c, void *buf, size_t len, bool view)
{
    if (c->rd_buf)
        return false;
    c->rd_buf = buf;
    c->rd_len = len < 0x7fffffff ? len : 0x7fffffff;
    c->rd_got = 0;
    c->rd_view = view;
    return true;
}

size_t tcp_conn_unlend(struct tcp_conn *c)
{
    size_t got = c->rd_got;
    c->rd_buf = NULL;
    c->rd_len = c->rd_got = 0;
    c->rd_view = false;
    return got;
}

void tcp_conn_shutdown(struct tcp_conn *c, bool rd, bool wr)
{
    if (rd) {
        c->rd_shut = true;
        tcp_ring_drop(&c->rcvq, c->rcvq.len);
        tcp_ranges_clear(&c->ooo);
        tcp_conn_free_held(c);
        tcp_conn_trim_queues(c);
    }
    if (wr && !c->wr_shut && !c->err) {
        c->wr_shut = true;
        switch (c->state) {
        case TCP_SYN_SENT:
            tcp_conn_drop(c, MIRAGE_ECLOSED);
            return;
        case TCP_ESTABLISHED:
            c->state = TCP_FIN_WAIT_1;
            break;
        case TCP_CLOSE_WAIT:
            c->state = TCP_LAST_ACK;
            break;
        default: /* SYN_RECEIVED sends its FIN once established */
            break;
        }
        tcp_output(c, mirage_now());
    }
    tcp_conn_notify(c);
}

void tcp_conn_close(struct tcp_conn *c)
{
    uint64_t now = mirage_now();
    bool unread = (c->rcvq.len > 0 || c->held_len > 0) && !c->rd_shut;
    c->user = false;
    if (c->state == TCP_CLOSED) {
        conn_free(c);
        return;
    }
    if (c->state == TCP_SYN_SENT || unread) {
        if (unread)
            tcp_send_reset(c, now);
        tcp_conn_drop(c, MIRAGE_ECLOSED);
        return;
    }
    c->rd_shut = true;
    tcp_ring_drop(&c->rcvq, c->rcvq.len);
    tcp_ranges_clear(&c->ooo);
    tcp_conn_free_held(c);
    tcp_conn_trim_queues(c);
    if (c->state == TCP_TIME_WAIT) {
        time_wait_enlist(c);
        return;
    }
    tcp_conn_shutdown(c, false, true);
    if (c->state == TCP_FIN_WAIT_2 && !c->t_close) {
        c->t_close = now + c->eng->cfg.fin_wait_2;
        tcp_conn_timers_changed(c);
    }
}

void tcp_conn_set_keepalive(struct tcp_conn *c,
                            const struct mirage_tcp_keepalive *ka)
{
    /* A closed connection, or one in TIME_WAIT, probes nobody. */
    bool open = c->state != TCP_CLOSED && c->state != TCP_TIME_WAIT;
    c->has_keepalive = ka != NULL;
    c->keep_sent = 0;
    if (ka)
        c->keepalive = *ka;
    c->t_keep = ka && open ? c->last_rx + ka->after_ns : 0;
    if (open)
        tcp_conn_timers_changed(c);
}
