/* A connection's timers: retransmission with exponential backoff (RFC
 * 6298 §5), zero-window probes, delayed ACKs, keepalive probes, and the
 * end of TIME_WAIT or of an abandoned FIN_WAIT_2. Retransmissions and
 * zero-window probes give up after data_retries (orphan_retries once the
 * user has closed the connection). */
#include "conn.h"
#include "seq.h"

#include <mirage/error.h>

static bool due(uint64_t t, uint64_t now)
{
    return t && t <= now;
}

/* How many retransmissions, or zero-window probes, c makes at most. */
static unsigned retry_limit(const struct tcp_conn *c)
{
    const struct tcp_cfg *cfg = &c->eng->cfg;
    if (c->user || cfg->orphan_retries > cfg->data_retries)
        return cfg->data_retries;
    return cfg->orphan_retries;
}

/* Returns false when c has been dropped. */
static bool on_rexmt(struct tcp_conn *c, uint64_t now)
{
    struct tcp_engine *e = c->eng;
    bool syn = c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED;
    e->stats.timeouts++;
    if (++c->retries > (syn ? e->cfg.syn_retries : retry_limit(c))) {
        tcp_conn_drop(c, c->listener ? 0 : MIRAGE_EUNREACH);
        return false;
    }
    if (!syn)
        tcp_cc_on_timeout(&c->cc, c->snd_max - c->snd_una, c->mss, c->snd_max);
    c->rto.backoff++;
    c->snd_nxt = c->snd_una;
    tcp_ranges_clear(&c->sacked);
    c->rexmit_nxt = c->snd_una;
    c->dupacks = 0;
    c->rtt_timing = false;
    tcp_output(c, now);
    return true;
}

/* Returns false when c has been dropped. A peer that answers the probes
 * keeps a connection its user holds (RFC 1122 §4.2.2.17); a silent one
 * does not, nor does a closed window an orphan waits behind. */
static bool on_persist(struct tcp_conn *c, uint64_t now)
{
    if (c->snd_wnd) {
        /* A window too small to fill: use it anyway (RFC 9293
         * §3.8.6.2.1's override timeout). */
        tcp_output_force(c, now);
        if (c->t_rexmt)
            return true;
    } else {
        if (++c->probes > retry_limit(c)) {
            tcp_send_reset(c, now);
            tcp_conn_drop(c, MIRAGE_EUNREACH);
            return false;
        }
        /* A probe below the window makes the peer answer with its
         * window. */
        c->eng->stats.window_probes++;
        tcp_send_segment(c, TCP_ACK, c->snd_una - 1, 0, now);
    }
    if (c->persist_backoff < 16)
        c->persist_backoff++;
    uint64_t t = tcp_rto_timeout(&c->rto);
    for (unsigned i = 0; i < c->persist_backoff && t < c->rto.max; i++)
        t *= 2;
    c->t_persist = now + (t < c->rto.max ? t : c->rto.max);
    return true;
}

/* Returns false when c has been dropped. */
static bool on_keepalive(struct tcp_conn *c, uint64_t now)
{
    const struct mirage_tcp_keepalive *ka = &c->keepalive;
    if (now - c->last_rx < ka->after_ns) {
        c->t_keep = c->last_rx + ka->after_ns;
        return true;
    }
    if (c->keep_sent >= ka->probes) {
        tcp_conn_drop(c, MIRAGE_EUNREACH);
        return false;
    }
    c->keep_sent++;
    c->eng->stats.keepalive_probes++;
    tcp_send_segment(c, TCP_ACK, c->snd_una - 1, 0, now);
    c->t_keep = now + ka->interval_ns;
    return true;
}

void tcp_timers_run(struct tcp_conn *c, uint64_t now)
{
    if (due(c->t_close, now)) {
        tcp_conn_drop(c, 0);
        return;
    }
    if (due(c->t_rexmt, now)) {
        c->t_rexmt = 0;
        if (!on_rexmt(c, now))
            return;
    }
    if (due(c->t_persist, now)) {
        c->t_persist = 0;
        if (!on_persist(c, now))
            return;
    }
    if (due(c->t_keep, now) && !on_keepalive(c, now))
        return;
    if (due(c->t_delack, now))
        tcp_send_ack(c, now);
    tcp_conn_timers_changed(c);
}
