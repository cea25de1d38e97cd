/* What a connection sends and when: SYN and SYN-ACK with their options,
 * data within the peer's window, the congestion window and the SACK pipe
 * (RFC 6675 style holes first during recovery), Nagle's algorithm and
 * sender silly-window avoidance, FIN, ACKs with timestamps and SACK
 * blocks, and RSTs. */
#include "conn.h"
#include "seq.h"

#include <mirage/error.h>
#include <mirage/fiber.h>

uint32_t tcp_ts_now(const struct tcp_conn *c, uint64_t now)
{
    return (uint32_t)(now / MIRAGE_MSEC(1)) + c->ts_offset;
}

uint32_t tcp_snd_end(const struct tcp_conn *c)
{
    return c->sndq_seq + (uint32_t)c->sndq.len + (c->wr_shut ? 1 : 0);
}

uint32_t tcp_pipe(const struct tcp_conn *c)
{
    if (!c->cc.recovery)
        return c->snd_nxt - c->snd_una;
    if (!c->sack_ok)
        return c->snd_max - c->snd_una;
    uint32_t out = c->snd_max - c->snd_una;
    uint32_t sacked = tcp_ranges_bytes_above(&c->sacked, c->snd_una);
    uint32_t high = tcp_ranges_high(&c->sacked, c->snd_una);
    uint32_t lost = 0;
    if (seq_lt(c->rexmit_nxt, high))
        lost = (high - c->rexmit_nxt) -
               tcp_ranges_bytes_above(&c->sacked, c->rexmit_nxt);
    return out - sacked - lost;
}

uint16_t tcp_rcv_window(struct tcp_conn *c)
{
    uint32_t space = tcp_rcv_room(c);
    uint32_t right = c->rcv_nxt + space;
    /* Receiver silly window avoidance (RFC 9293 §3.8.6.2.2): the right
     * edge moves by a segment or half the queue at least, else not at
     * all; it never moves back. */
    uint32_t step =
        c->mss < c->rcvq.limit / 2 ? c->mss : (uint32_t)c->rcvq.limit / 2;
    if (seq_le(right, c->rcv_adv) || right - c->rcv_adv < step)
        right = seq_max(c->rcv_adv, c->rcv_nxt);
    uint32_t w = (right - c->rcv_nxt) >> c->rcv_ws;
    return w > 65535 ? 65535 : (uint16_t)w;
}

uint32_t tcp_seg_max(const struct tcp_conn *c)
{
    uint32_t tso = c->faddr.version == MIRAGE_IP_V4 ? MIRAGE_NET_OFFLOAD_TSO4
                                                    : MIRAGE_NET_OFFLOAD_TSO6;
    if (!(c->eng->ip->offloads & tso) || c->mss > 65535)
        return c->mss;
    /* Whole segments in the largest IP packet, whatever its headers. */
    uint32_t room = MIRAGE_NET_GSO_MAX_IP - 40 - TCP_HDR_MAX;
    return room / c->mss * c->mss;
}

void tcp_arm_rexmt(struct tcp_conn *c, uint64_t now, bool restart)
{
    if (c->t_rexmt && !restart)
        return;
    c->t_rexmt = now + tcp_rto_timeout(&c->rto);
    tcp_conn_timers_changed(c);
}

/* Build and send one segment of hdr (ports, numbers, flags, window,
 * options) with len bytes of c's send queue at seq when c is not NULL. */
static int transmit(struct tcp_engine *e, const struct mirage_ipaddr *src,
                    const struct mirage_ipaddr *dst, struct tcp_seg *hdr,
                    const struct tcp_conn *c, uint32_t len)
{
    uint8_t opts[TCP_OPT_MAX];
    size_t optlen = tcp_opts_write(opts, &hdr->opt, hdr->flags & TCP_SYN);
    struct mirage_buf *b =
        mirage_buf_alloc_room(MIRAGE_IP_HEADROOM + TCP_HDR_MAX, len);
    if (!b)
        return MIRAGE_ENOMEM;
    if (len)
        tcp_ring_get(&c->sndq, hdr->seq - c->sndq_seq, b->data, len);
    uint8_t *p = mirage_buf_push(b, TCP_HDR_MIN + optlen);
    tcp_hdr_write(p, hdr, optlen);
    for (size_t i = 0; i < optlen; i++)
        p[TCP_HDR_MIN + i] = opts[i];
    uint32_t sum = mirage_ip_pseudo_sum(src, dst, MIRAGE_IP_PROTO_TCP, b->len);
    if (e->ip->offloads & MIRAGE_NET_OFFLOAD_CSUM)
        mirage_buf_csum_partial(b, 16, sum);
    else
        mirage_put_be16(p + 16,
                        mirage_csum_fold(mirage_csum_add(sum, p, b->len)));
    if (c && len > c->mss)
        b->gso_size = (uint16_t)c->mss; /* a super-segment (tcp_seg_max) */
    e->stats.tx_segs++;
    if (hdr->flags & TCP_RST)
        e->stats.tx_resets++;
    return mirage_ip_write(e->ip, src, dst, MIRAGE_IP_PROTO_TCP, b);
}

/* SACK blocks for the peer: the latest arrival's range first. */
static void fill_sack(const struct tcp_conn *c, struct tcp_opts *o)
{
    if (!c->sack_ok || !c->ooo.n)
        return;
    if (c->ooo_recent >= 0 && (unsigned)c->ooo_recent < c->ooo.n)
        o->sack[o->nsack++] = c->ooo.r[c->ooo_recent];
    for (unsigned i = c->ooo.n; i-- > 0 && o->nsack < TCP_MAX_SACK;)
        if ((int)i != c->ooo_recent)
            o->sack[o->nsack++] = c->ooo.r[i];
}

int tcp_send_segment(struct tcp_conn *c, uint8_t flags, uint32_t seq,
                     uint32_t len, uint64_t now)
{
    struct tcp_engine *e = c->eng;
    struct tcp_seg h = {
        .sport = c->lport,
        .dport = c->fport,
        .seq = seq,
        .flags = flags,
    };
    if (flags & TCP_ACK)
        h.ack = c->rcv_nxt;
    if (flags & TCP_SYN) {
        size_t mtu = mirage_ip_mtu(e->ip, &c->faddr);
        h.opt.mss =
            mtu > 65535 ? 65535 - TCP_HDR_MIN : (uint16_t)(mtu - TCP_HDR_MIN);
        h.opt.has_ws = c->ws_ok;
        h.opt.ws = c->rcv_ws;
        h.opt.sack_ok = c->sack_ok;
        uint32_t space = tcp_rcv_room(c);
        h.wnd = space > 65535 ? 65535 : (uint16_t)space;
    } else {
        h.wnd = tcp_rcv_window(c);
        fill_sack(c, &h.opt);
    }
    if (c->ts_ok) {
        h.opt.has_ts = true;
        h.opt.ts_val = tcp_ts_now(c, now);
        h.opt.ts_ecr = (flags & TCP_ACK) ? c->ts_recent : 0;
    }
    if (flags & TCP_ACK) {
        c->unacked_segs = 0;
        c->unacked_bytes = 0;
        c->ack_now = false;
        if (c->t_delack) {
            c->t_delack = 0;
            tcp_conn_timers_changed(c);
        }
        uint32_t right = c->rcv_nxt + ((uint32_t)h.wnd << c->rcv_ws);
        if (!(flags & TCP_SYN) && seq_gt(right, c->rcv_adv))
            c->rcv_adv = right;
    }
    return transmit(e, &c->laddr, &c->faddr, &h, c, len);
}

void tcp_send_ack(struct tcp_conn *c, uint64_t now)
{
    tcp_send_segment(c, TCP_ACK, c->snd_nxt, 0, now);
}

void tcp_send_reset(struct tcp_conn *c, uint64_t now)
{
    tcp_send_segment(c, TCP_RST | TCP_ACK, c->snd_nxt, 0, now);
}

void tcp_send_reset_for(struct tcp_engine *e, const struct mirage_ipaddr *src,
                        const struct mirage_ipaddr *dst,
                        const struct tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return;
    struct tcp_seg h = {.sport = s->dport, .dport = s->sport};
    if (s->flags & TCP_ACK) {
        h.seq = s->ack;
        h.flags = TCP_RST;
    } else {
        h.ack = s->seq + (uint32_t)s->len + !!(s->flags & TCP_SYN) +
                !!(s->flags & TCP_FIN);
        h.flags = TCP_RST | TCP_ACK;
    }
    transmit(e, src, dst, &h, NULL, 0);
}

/* During SACK recovery, resend the next hole when the pipe allows: true
 * when one was sent. */
static bool send_hole(struct tcp_conn *c, uint64_t now)
{
    uint32_t high = tcp_ranges_high(&c->sacked, c->snd_una);
    uint32_t start, end;
    c->rexmit_nxt = seq_max(c->rexmit_nxt, c->snd_una);
    if (!tcp_ranges_hole(&c->sacked, c->rexmit_nxt, high, &start, &end))
        return false;
    uint32_t len = end - start;
    if (len > c->mss)
        len = c->mss;
    if (tcp_pipe(c) + len > c->cc.cwnd)
        return false;
    uint32_t data_end = c->sndq_seq + (uint32_t)c->sndq.len;
    if (seq_gt(start + len, data_end))
        len = seq_gt(data_end, start) ? data_end - start : 0;
    if (len == 0)
        return false;
    c->eng->stats.retransmits++;
    c->rtt_timing = false; /* Karn: no sample across a retransmission */
    tcp_send_segment(c, TCP_ACK, start, len, now);
    c->rexmit_nxt = start + len;
    tcp_arm_rexmt(c, now, false);
    return true;
}

/* Send the next segment at snd_nxt if the windows, Nagle and SWS
 * avoidance (unless forced) allow: true when one was sent. */
static bool send_next(struct tcp_conn *c, uint64_t now, bool force)
{
    uint32_t data_end = c->sndq_seq + (uint32_t)c->sndq.len;
    uint32_t avail = seq_gt(data_end, c->snd_nxt) ? data_end - c->snd_nxt : 0;
    uint32_t right = c->snd_una + c->snd_wnd;
    uint32_t wnd = seq_gt(right, c->snd_nxt) ? right - c->snd_nxt : 0;
    uint32_t pipe = tcp_pipe(c);
    uint32_t cwnd = c->cc.cwnd > pipe ? c->cc.cwnd - pipe : 0;
    /* New data may go as one super-segment; what is sent again goes a
     * segment at a time. */
    uint32_t max = seq_lt(c->snd_nxt, c->snd_max) ? c->mss : tcp_seg_max(c);
    uint32_t len = avail;
    if (len > max)
        len = max;
    if (len > wnd)
        len = wnd;
    if (len > cwnd)
        len = cwnd;
    /* Nagle for the tail of a super-segment: hold back the small last
     * segment it would end with, as for a small segment alone. */
    if (len > c->mss && len == avail && !c->nodelay && !force && !c->wr_shut)
        len -= len % c->mss;
    bool fin = c->wr_shut && c->snd_nxt + len == data_end &&
               (c->state == TCP_FIN_WAIT_1 || c->state == TCP_CLOSING ||
                c->state == TCP_LAST_ACK);
    if (len == 0 && !fin)
        return false;
    if (len < c->mss && !fin && !force) {
        /* Sender silly window avoidance (RFC 9293 §3.8.6.2.1). */
        if (len < avail && len < c->max_snd_wnd / 2)
            return false;
        /* Nagle: one small segment in flight at a time. */
        if (len == avail && !c->nodelay && c->snd_max != c->snd_una &&
            c->snd_nxt == c->snd_max)
            return false;
    }
    uint8_t flags = TCP_ACK | (fin ? TCP_FIN : 0);
    if (len && c->snd_nxt + len == data_end)
        flags |= TCP_PSH;
    if (seq_lt(c->snd_nxt, c->snd_max))
        c->eng->stats.retransmits++;
    else if (!c->ts_ok && !c->rtt_timing && len) {
        c->rtt_timing = true;
        c->rtt_seq = c->snd_nxt;
        c->rtt_start = now;
    }
    tcp_send_segment(c, flags, c->snd_nxt, len, now);
    c->snd_nxt += len + (fin ? 1 : 0);
    c->snd_max = seq_max(c->snd_max, c->snd_nxt);
    tcp_arm_rexmt(c, now, false);
    return !fin;
}

/* Start the persist timer when data waits and nothing in flight will
 * make the peer speak: the window is zero, or too small for silly
 * window avoidance to use it. */
static void maybe_persist(struct tcp_conn *c, uint64_t now)
{
    bool waiting = seq_lt(c->snd_nxt, tcp_snd_end(c));
    if (!waiting || c->t_rexmt || c->t_persist)
        return;
    c->persist_backoff = 0;
    c->t_persist = now + tcp_rto_timeout(&c->rto);
    tcp_conn_timers_changed(c);
}

void tcp_output_force(struct tcp_conn *c, uint64_t now)
{
    send_next(c, now, true);
}

void tcp_output(struct tcp_conn *c, uint64_t now)
{
    switch (c->state) {
    case TCP_CLOSED:
        return;
    case TCP_TIME_WAIT:
        if (c->ack_now)
            tcp_send_ack(c, now);
        return;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        if (c->snd_nxt == c->iss) {
            uint8_t flags = TCP_SYN;
            if (c->state == TCP_SYN_RECEIVED)
                flags |= TCP_ACK;
            if (!c->retries && !c->rtt_timing) {
                c->rtt_timing = true;
                c->rtt_seq = c->iss;
                c->rtt_start = now;
            }
            tcp_send_segment(c, flags, c->iss, 0, now);
            c->snd_nxt = c->iss + 1;
            c->snd_max = seq_max(c->snd_max, c->snd_nxt);
            tcp_arm_rexmt(c, now, false);
        }
        return;
    default:
        break;
    }
    for (;;) {
        if (c->cc.recovery && c->sack_ok && send_hole(c, now))
            continue;
        if (!send_next(c, now, false))
            break;
    }
    if (c->ack_now)
        tcp_send_ack(c, now);
    maybe_persist(c, now);
}
