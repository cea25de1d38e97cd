/* Segment arrival for a known connection (RFC 9293 §3.10.7.3 and
 * .4), with the RFC 5961 checks on RSTs, SYNs and ACKs, PAWS and
 * timestamps (RFC 7323), SACK blocks (RFC 2018), fast retransmit and
 * recovery, reassembly and the FIN. */
#include "conn.h"
#include "seq.h"

#include <mirage/error.h>
#include <string.h>

/* Our MSS for c's path: the IP layer's MTU less the TCP header. */
static uint32_t our_mss(const struct tcp_conn *c)
{
    size_t mtu = mirage_ip_mtu(c->eng->ip, &c->faddr);
    return mtu > TCP_HDR_MIN + 64 ? (uint32_t)(mtu - TCP_HDR_MIN) : 64;
}

void tcp_input_syn_options(struct tcp_conn *c, const struct tcp_seg *s)
{
    c->ts_ok = c->ts_ok && s->opt.has_ts;
    c->sack_ok = c->sack_ok && s->opt.sack_ok;
    c->ws_ok = c->ws_ok && s->opt.has_ws;
    c->snd_ws = c->ws_ok ? s->opt.ws : 0;
    if (!c->ws_ok)
        c->rcv_ws = 0;
    if (c->ts_ok)
        c->ts_recent = s->opt.ts_val;
    uint32_t peer_mss = s->opt.mss ? s->opt.mss : 536; /* RFC 9293 default */
    uint32_t mss = our_mss(c);
    if (peer_mss < mss)
        mss = peer_mss;
    if (c->ts_ok)
        mss = mss > TCP_TS_OPT_LEN ? mss - TCP_TS_OPT_LEN : 0;
    /* A tiny MSS would cost a segment per few bytes: 64 at least. */
    c->mss = mss < 64 ? 64 : mss;
    tcp_cc_init(&c->cc, c->mss, c->iss, c->eng->cfg.cubic);
    c->cc.abc_limit = tcp_seg_max(c);
    c->rcv_mss = c->mss;
    c->rcv_seg_max = our_mss(c);
}

static void syn_sent(struct tcp_conn *c, const struct tcp_seg *s, uint64_t now)
{
    bool ack = s->flags & TCP_ACK;
    if (ack && (seq_le(s->ack, c->iss) || seq_gt(s->ack, c->snd_max))) {
        if (!(s->flags & TCP_RST))
            tcp_send_reset_for(c->eng, &c->laddr, &c->faddr, s);
        return;
    }
    if (s->flags & TCP_RST) {
        if (ack) {
            c->eng->stats.rx_resets++;
            tcp_conn_drop(c, MIRAGE_ECONNREFUSED);
        }
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    c->irs = s->seq;
    c->rcv_nxt = s->seq + 1;
    c->rcv_adv = c->rcv_nxt;
    tcp_input_syn_options(c, s);
    c->snd_wnd = s->wnd; /* never scaled in a SYN */
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    c->last_rx = now;
    if (!ack) {
        /* Simultaneous open: answer with our SYN and an ACK. */
        c->state = TCP_SYN_RECEIVED;
        c->snd_nxt = c->iss;
        c->t_rexmt = 0;
        tcp_output(c, now);
        return;
    }
    if (c->rtt_timing && !c->retries)
        tcp_rto_sample(&c->rto, now - c->rtt_start);
    c->rtt_timing = false;
    c->snd_una = s->ack;
    c->retries = 0;
    c->rto.backoff = 0;
    c->t_rexmt = 0;
    tcp_conn_timers_changed(c);
    c->state = TCP_ESTABLISHED;
    if (!tcp_conn_established(c))
        return;
    c->ack_now = true;
    tcp_output(c, now);
}

static bool acceptable(const struct tcp_conn *c, const struct tcp_seg *s,
                       uint32_t win)
{
    uint32_t len =
        (uint32_t)s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
    uint32_t off = s->seq - c->rcv_nxt;
    if (win == 0)
        return s->seq == c->rcv_nxt;
    if (len == 0)
        return off < win;
    return off < win || (s->seq + len - 1 - c->rcv_nxt) < win;
}

static void challenge_ack(struct tcp_conn *c, uint64_t now)
{
    if (tcp_challenge_allowed(c->eng, now))
        tcp_send_ack(c, now);
}

/* RFC 5961 §3.2: only a RST exactly at rcv_nxt resets; one elsewhere in
 * the window earns a challenge ACK. */
static void reset_received(struct tcp_conn *c, const struct tcp_seg *s,
                           uint64_t now)
{
    if (s->seq != c->rcv_nxt) {
        challenge_ack(c, now);
        return;
    }
    c->eng->stats.rx_resets++;
    bool closing = c->state == TCP_CLOSING || c->state == TCP_LAST_ACK ||
                   c->state == TCP_TIME_WAIT;
    tcp_conn_drop(c, c->listener || closing ? 0 : MIRAGE_ECONNRESET);
}

static void take_sack_blocks(struct tcp_conn *c, const struct tcp_seg *s)
{
    if (!c->sack_ok)
        return;
    for (unsigned i = 0; i < s->opt.nsack; i++) {
        uint32_t a = s->opt.sack[i].start, b = s->opt.sack[i].end;
        if (seq_lt(a, b) && seq_ge(a, c->snd_una) && seq_le(b, c->snd_max))
            tcp_ranges_add(&c->sacked, a, b);
    }
}

/* Retransmit the first unacknowledged segment now. */
static void retransmit_first(struct tcp_conn *c, uint64_t now)
{
    uint32_t data_end = c->sndq_seq + (uint32_t)c->sndq.len;
    uint32_t len = seq_gt(data_end, c->snd_una) ? data_end - c->snd_una : 0;
    if (len > c->mss)
        len = c->mss;
    uint8_t flags = TCP_ACK;
    if (c->wr_shut && c->snd_una + len == data_end &&
        seq_gt(c->snd_max, data_end))
        flags |= TCP_FIN;
    if (len == 0 && !(flags & TCP_FIN))
        return;
    c->eng->stats.retransmits++;
    tcp_send_segment(c, flags, c->snd_una, len, now);
    c->rexmit_nxt = c->snd_una + len;
    c->rtt_timing = false;
    tcp_arm_rexmt(c, now, true);
}

static void duplicate_ack(struct tcp_conn *c, uint64_t now)
{
    c->dupacks++;
    if (c->cc.recovery) {
        tcp_cc_on_dupack(&c->cc, c->mss, c->sack_ok);
        return;
    }
    bool lost = c->dupacks >= 3 ||
                (c->sack_ok && tcp_ranges_bytes(&c->sacked) >= 3 * c->mss);
    /* RFC 6582 §3.2 step 2: no new recovery for losses of the window
     * already recovered from. */
    if (!lost || seq_lt(c->snd_una, c->cc.recover))
        return;
    c->eng->stats.fast_recoveries++;
    tcp_cc_enter_recovery(&c->cc, c->snd_max - c->snd_una, c->mss, c->snd_max,
                          c->sack_ok);
    retransmit_first(c, now);
}

static void new_ack(struct tcp_conn *c, const struct tcp_seg *s, uint64_t now)
{
    uint32_t acked = s->ack - c->snd_una;
    if (c->ts_ok && s->opt.has_ts && s->opt.ts_ecr) {
        uint32_t ms = tcp_ts_now(c, now) - s->opt.ts_ecr;
        if (ms < 0x7fffffffu)
            tcp_rto_sample(&c->rto, MIRAGE_MSEC(ms));
    } else if (c->rtt_timing && seq_gt(s->ack, c->rtt_seq)) {
        tcp_rto_sample(&c->rto, now - c->rtt_start);
        c->rtt_timing = false;
    }
    c->retries = 0;
    c->rto.backoff = 0;
    uint32_t data_end = c->sndq_seq + (uint32_t)c->sndq.len;
    uint32_t upto = seq_min(s->ack, data_end);
    if (seq_gt(upto, c->sndq_seq)) {
        tcp_ring_drop(&c->sndq, upto - c->sndq_seq);
        c->sndq_seq = upto;
        tcp_conn_trim_queues(c);
    }
    c->snd_una = s->ack;
    if (seq_lt(c->snd_nxt, c->snd_una))
        c->snd_nxt = c->snd_una;
    tcp_ranges_trim(&c->sacked, c->snd_una);
    if (c->cc.recovery) {
        if (seq_ge(s->ack, c->cc.recover)) {
            tcp_cc_exit_recovery(&c->cc, c->snd_max - c->snd_una, c->mss);
            c->dupacks = 0;
        } else {
            tcp_cc_on_partial_ack(&c->cc, acked, c->mss, c->sack_ok);
            if (!c->sack_ok)
                retransmit_first(c, now);
        }
    } else {
        c->dupacks = 0;
        tcp_cc_on_ack(&c->cc, acked, c->mss, now, c->rto.srtt);
    }
    if (c->snd_una == c->snd_max)
        c->t_rexmt = 0;
    else
        tcp_arm_rexmt(c, now, true);
    tcp_conn_timers_changed(c);
}

/* Our FIN has been acknowledged: the state moves on. Returns false when
 * c has been dropped. */
static bool fin_acked(struct tcp_conn *c, uint64_t now)
{
    switch (c->state) {
    case TCP_FIN_WAIT_1:
        c->state = TCP_FIN_WAIT_2;
        if (!c->user) {
            c->t_close = now + c->eng->cfg.fin_wait_2;
            tcp_conn_timers_changed(c);
        }
        return true;
    case TCP_CLOSING:
        tcp_conn_time_wait(c, now);
        return true;
    case TCP_LAST_ACK:
        tcp_conn_drop(c, 0);
        return false;
    default:
        return true;
    }
}

/* The ACK field (RFC 9293 §3.10.7.4, fifth check). Returns false when
 * the segment is done with (dropped, answered, or c gone). */
static bool process_ack(struct tcp_conn *c, const struct tcp_seg *s,
                        uint64_t now)
{
    if (c->state == TCP_SYN_RECEIVED) {
        if (seq_le(s->ack, c->snd_una) || seq_gt(s->ack, c->snd_max)) {
            tcp_send_reset_for(c->eng, &c->laddr, &c->faddr, s);
            return false;
        }
        c->state = TCP_ESTABLISHED;
        c->snd_wnd = (uint32_t)s->wnd << c->snd_ws;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        if (!tcp_conn_established(c))
            return false;
        if (c->wr_shut)
            c->state = TCP_FIN_WAIT_1;
    }
    if (seq_gt(s->ack, c->snd_max)) {
        challenge_ack(c, now);
        return false;
    }
    if (seq_lt(s->ack, c->snd_una - c->max_snd_wnd)) {
        challenge_ack(c, now);
        return false;
    }
    take_sack_blocks(c, s);
    uint32_t wnd = (uint32_t)s->wnd << c->snd_ws;
    bool wnd_update = seq_lt(c->snd_wl1, s->seq) ||
                      (c->snd_wl1 == s->seq && seq_le(c->snd_wl2, s->ack));
    bool dup = s->ack == c->snd_una && s->len == 0 && !(s->flags & TCP_FIN) &&
               c->snd_max != c->snd_una && (!wnd_update || wnd == c->snd_wnd);
    if (seq_gt(s->ack, c->snd_una))
        new_ack(c, s, now);
    else if (dup)
        duplicate_ack(c, now);
    if (wnd_update) {
        c->snd_wnd = wnd;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        if (wnd > c->max_snd_wnd)
            c->max_snd_wnd = wnd;
        if (wnd && c->t_persist) {
            c->t_persist = 0;
            c->persist_backoff = 0;
            c->probes = 0;
            tcp_conn_timers_changed(c);
        }
    }
    if (c->wr_shut && c->snd_una == tcp_snd_end(c) &&
        c->snd_max == c->snd_una && !fin_acked(c, now))
        return false;
    tcp_conn_notify(c);
    return true;
}

/* len bytes arrived in order: acknowledge them as the policy says, and
 * wake the reader. ACK at least every second full-sized segment (RFC
 * 5681 §4.2): every two segments' worth of bytes. A super-segment the
 * interface coalesced (longer than any segment the peer may send) earns
 * one stretch ACK for all of it, sent soon rather than at once: when the
 * frames that arrived with it have all been taken in (the timers run
 * after them), so that one ACK answers every super-segment of the
 * batch. */
static void data_acked(struct tcp_conn *c, uint32_t len)
{
    c->unacked_segs++;
    c->unacked_bytes += len;
    if (len > c->rcv_seg_max) {
        c->ack_soon = true;
    } else {
        if (len > c->rcv_mss)
            c->rcv_mss = len;
        if (c->unacked_bytes >= 2 * c->rcv_mss)
            c->ack_now = true;
    }
    tcp_conn_notify(c);
}

/* Keep the received frame of s for its len bytes in order at data rather
 * than copying them: when they are many (a super-segment) and fill at
 * least half its storage, the budget has room for it, and its lender
 * grants it (buf.h). */
static bool keep_frame(struct tcp_conn *c, const struct tcp_seg *s,
                       const uint8_t *data, uint32_t len)
{
    struct mirage_buf *b = s->buf;
    struct tcp_budget *bud = &c->eng->bufs;
    if (!b || len < TCP_KEEP_MIN || (size_t)len * 2 < b->cap ||
        bud->used + b->cap > bud->limit || !mirage_buf_keep(b))
        return false;
    b->data = b->base + (data - b->base);
    b->len = len;
    b->next = NULL;
    if (c->held_tail)
        c->held_tail->next = b;
    else
        c->held = b;
    c->held_tail = b;
    c->held_len += len;
    bud->used += b->cap;
    if (bud->used > bud->peak)
        bud->peak = bud->used;
    c->rcv_nxt += len;
    c->eng->stats.rx_kept++;
    return true;
}

/* Take the data of s into the reader's buffer, a kept frame or the
 * receive queue. */
static void process_data(struct tcp_conn *c, const struct tcp_seg *s)
{
    uint32_t seq = s->seq;
    const uint8_t *data = s->data;
    uint32_t len = (uint32_t)s->len;
    if (seq_lt(seq, c->rcv_nxt)) {
        uint32_t skip = c->rcv_nxt - seq;
        if (skip >= len) {
            c->ack_now = true; /* a duplicate: tell the peer again */
            return;
        }
        seq += skip;
        data += skip;
        len -= skip;
    }
    uint32_t room = tcp_rcv_room(c) - (seq - c->rcv_nxt);
    if (len > room)
        len = room;
    if (len == 0) {
        /* No room (a probe of a closed window): say where we stand. */
        c->ack_now = true;
        return;
    }
    if (c->rd_shut) {
        /* Reading was shut down: in-order data is taken and dropped. */
        if (seq == c->rcv_nxt)
            c->rcv_nxt += len;
        c->ack_now = true;
        return;
    }
    uint32_t taken = len;
    /* In order with nothing queued before it: a reader waiting for a
     * view takes the frame itself, one waiting with its buffer gets a
     * copy there; what remains may still be kept. */
    bool front = seq == c->rcv_nxt && !c->rcvq.len && !c->ooo.n;
    if (front && c->rd_view && keep_frame(c, s, data, len)) {
        data_acked(c, taken);
        return;
    }
    if (front && c->rd_buf && !c->held) {
        size_t n = c->rd_len - c->rd_got < len ? c->rd_len - c->rd_got : len;
        memcpy(c->rd_buf + c->rd_got, data, n);
        c->rd_got += n;
        c->rcv_nxt += (uint32_t)n;
        seq += (uint32_t)n;
        data += n;
        len -= (uint32_t)n;
    }
    if (front && (!len || keep_frame(c, s, data, len))) {
        data_acked(c, taken);
        return;
    }
    size_t off = c->rcvq.len + (seq - c->rcv_nxt);
    if (tcp_ring_reserve(&c->rcvq, &c->eng->bufs, off + len) != 0) {
        /* No memory for it now: the peer sends it again. */
        if (taken != len)
            data_acked(c, taken - len); /* what the reader took */
        c->ack_now = true;
        return;
    }
    tcp_ring_put(&c->rcvq, off, data, len);
    if (seq != c->rcv_nxt) {
        c->ooo_recent = tcp_ranges_add(&c->ooo, seq, seq + len);
        c->ack_now = true;
        return;
    }
    c->rcvq.len += len;
    c->rcv_nxt += len;
    if (c->ooo.n && seq_le(c->ooo.r[0].start, c->rcv_nxt)) {
        uint32_t end = c->ooo.r[0].end;
        if (seq_gt(end, c->rcv_nxt)) {
            c->rcvq.len += end - c->rcv_nxt;
            c->rcv_nxt = end;
        }
        tcp_ranges_trim(&c->ooo, c->rcv_nxt);
        c->ooo_recent = -1;
        c->ack_now = true;
    }
    data_acked(c, taken);
}

/* The peer's FIN, all data before it received: the state moves on. */
static void process_fin(struct tcp_conn *c, uint64_t now)
{
    c->fin_rcvd = true;
    c->fin_pending = false;
    c->rcv_nxt++;
    c->ack_now = true;
    switch (c->state) {
    case TCP_ESTABLISHED:
        c->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        c->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        tcp_send_ack(c, now);
        tcp_conn_time_wait(c, now);
        break;
    default:
        break;
    }
    tcp_conn_notify(c);
}

void tcp_input_conn(struct tcp_conn *c, const struct tcp_seg *s, uint64_t now)
{
    if (c->state == TCP_SYN_SENT) {
        syn_sent(c, s, now);
        return;
    }
    if (c->state == TCP_SYN_RECEIVED && c->listener &&
        (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN &&
        s->seq == c->irs) {
        /* The peer sent its SYN again: so do we. */
        c->snd_nxt = c->iss;
        tcp_output(c, now);
        return;
    }
    /* PAWS (RFC 7323 §5.3). */
    if (c->ts_ok && s->opt.has_ts && !(s->flags & TCP_RST) &&
        seq_lt(s->opt.ts_val, c->ts_recent)) {
        c->eng->stats.rx_out_of_window++;
        tcp_send_ack(c, now);
        return;
    }
    uint32_t win = c->state == TCP_TIME_WAIT ? 0 : tcp_rcv_room(c);
    if (!acceptable(c, s, win)) {
        c->eng->stats.rx_out_of_window++;
        if (!(s->flags & TCP_RST))
            tcp_send_ack(c, now);
        return;
    }
    if (s->flags & TCP_RST) {
        reset_received(c, s, now);
        return;
    }
    if (s->flags & TCP_SYN) {
        /* RFC 5961 §4: any SYN in a synchronized state. */
        challenge_ack(c, now);
        return;
    }
    if (!(s->flags & TCP_ACK))
        return;
    c->last_rx = now;
    c->keep_sent = 0;
    if (c->user)
        c->probes = 0; /* the peer is alive */
    if (c->ts_ok && s->opt.has_ts && seq_le(s->seq, c->rcv_nxt))
        c->ts_recent = s->opt.ts_val;
    if (!process_ack(c, s, now))
        return;
    bool takes_data = c->state == TCP_ESTABLISHED ||
                      c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2;
    if (s->len && takes_data) {
        if (!c->user) {
            /* Data for a closed flow: nobody will read it. */
            tcp_send_reset(c, now);
            tcp_conn_drop(c, 0);
            return;
        }
        process_data(c, s);
    }
    if ((s->flags & TCP_FIN) && takes_data && !c->fin_rcvd) {
        /* A FIN ahead of missing data waits for it. */
        c->fin_pending = true;
        c->fin_seq = s->seq + (uint32_t)s->len;
    }
    if (c->fin_pending && takes_data && c->fin_seq == c->rcv_nxt) {
        process_fin(c, now);
        if (c->state == TCP_TIME_WAIT)
            return;
    }
    if (c->state == TCP_TIME_WAIT)
        return;
    if (!c->ack_now && c->unacked_segs) {
        uint64_t when = c->ack_soon ? now : now + c->eng->cfg.delack;
        if (!c->t_delack || when < c->t_delack) {
            c->t_delack = when;
            tcp_conn_timers_changed(c);
        }
    }
    c->ack_soon = false;
    tcp_output(c, now);
}
