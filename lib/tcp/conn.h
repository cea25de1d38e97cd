/* The TCP engine's internal state and the contracts between its files:
 * engine.c (connection table, listeners and SYN queues, ports, timers'
 * heap, the non-blocking user calls), input.c (segment arrival, RFC 9293
 * §3.10.7 with the RFC 5961 and RFC 7323 checks), output.c (what to send
 * and when: data, SYN, FIN, ACK, RST, probes) and timer.c (retransmission,
 * persist, delayed ACK, keepalive, TIME_WAIT). The engine is event driven
 * and never yields; flow.c puts the blocking interface of tcp.h on top
 * through the hooks. Times are monotonic ns from mirage_now(). */
#ifndef MIRAGE_TCP_CONN_H
#define MIRAGE_TCP_CONN_H

#include "cc.h"
#include "isn.h"
#include "ranges.h"
#include "ring.h"
#include "rto.h"
#include "segment.h"

#include <mirage/ip.h>
#include <mirage/minheap.h>
#include <mirage/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tcp_state {
    TCP_CLOSED,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* Tunables; tcp_cfg_default() gives the values used by the device. */
struct tcp_cfg {
    uint32_t sndbuf, rcvbuf; /* queue limits in bytes (rcvbuf <= 1 GiB) */
    size_t mem_budget;       /* queue storage of all connections ... */
    size_t mem_floor;        /* ... beyond this much per queue */
    unsigned syn_backlog;    /* half-open connections per listener, beyond
                                which SYNs are answered with cookies */
    unsigned max_time_wait;  /* TIME_WAIT connections kept at most */
    uint64_t msl;            /* TIME_WAIT lasts 2 * msl */
    uint64_t rto_initial, rto_min, rto_max;
    uint64_t delack;         /* delayed ACK timeout */
    uint64_t fin_wait_2;     /* how long a closed flow waits for FIN */
    unsigned syn_retries;    /* SYN / SYN-ACK retransmissions */
    unsigned data_retries;   /* retransmissions, or zero-window probes the
                                peer leaves unanswered, before giving up */
    unsigned orphan_retries; /* the same once the user has closed; for
                                zero-window probes even answered ones */
    unsigned challenge_acks_per_sec;
    /* Options offered in SYNs and accepted in the peer's (RFC 7323 window
     * scaling and timestamps, RFC 2018 SACK). */
    bool window_scaling, timestamps, sack;
    bool cubic; /* CUBIC's window growth, else Reno's */
};
void tcp_cfg_default(struct tcp_cfg *cfg);

struct tcp_engine;
struct tcp_conn;
struct tcp_listener;

/* How the engine reaches its user (flow.c, or a test). None may yield;
 * none is called re-entrantly from a user call on the same connection
 * except notify. */
struct tcp_hooks {
    /* A connection of listener l is established; the user takes it over
     * (and must tcp_conn_close it some day). Returning false refuses it:
     * it is reset. */
    bool (*accepted)(struct tcp_listener *l, struct tcp_conn *c);
    /* Something a blocked user of c waits for may have happened:
     * connected, data or end of stream to read, room to write, an
     * error. */
    void (*notify)(struct tcp_conn *c);
    /* The earliest timer deadline (tcp_engine_deadline) moved earlier. */
    void (*timer_changed)(struct tcp_engine *e);
};

struct tcp_listener {
    struct tcp_engine *eng;
    struct tcp_listener *next;
    uint16_t port;
    bool has_keepalive;
    struct mirage_tcp_keepalive keepalive;
    unsigned nsyn;          /* half-open in the queue */
    uint64_t cookies_until; /* ACKs may return cookies until then */
    struct tcp_conn *syn_head, *syn_tail; /* oldest first */
    void *user;                           /* the hooks' own data */
};

struct tcp_conn {
    struct tcp_engine *eng;
    struct tcp_conn *hash_next;           /* table chain */
    struct tcp_conn *all_prev, *all_next; /* every connection */
    struct tcp_listener *listener;        /* while in its SYN queue */
    struct tcp_conn *q_prev, *q_next;     /* SYN queue or TIME_WAIT list */
    bool hashed, in_tw_list;

    struct mirage_ipaddr laddr, faddr;
    uint16_t lport, fport;
    enum tcp_state state;
    bool user;    /* a user holds it (until tcp_conn_close) */
    bool rd_shut; /* reading shut down: data is dropped */
    bool wr_shut; /* FIN queued after the send queue */
    bool nodelay;
    int err; /* MIRAGE_E* once failed, else 0 */
    void *user_data;

    /* Sending. sndq holds the bytes from sndq_seq on (unacknowledged and
     * not yet sent); the FIN, once queued, follows them. */
    uint32_t iss, snd_una, snd_nxt, snd_max;
    uint32_t snd_wl1, snd_wl2;
    uint32_t snd_wnd, max_snd_wnd; /* scaled */
    uint8_t snd_ws;
    uint32_t mss; /* payload bytes per segment (options excluded) */
    uint32_t sndq_seq;
    struct tcp_ring sndq;
    struct tcp_cc cc;
    struct tcp_rto rto;
    unsigned dupacks;
    struct tcp_ranges sacked; /* the peer's SACK blocks above snd_una */
    uint32_t rexmit_nxt;      /* holes below it were resent in recovery */
    bool rtt_timing;          /* timing rtt_seq (no timestamps) */
    uint32_t rtt_seq;
    uint64_t rtt_start;
    unsigned retries; /* retransmission timeouts in a row */
    bool ts_ok, sack_ok, ws_ok;

    /* Receiving. rcvq holds the bytes in order not yet read (len), then
     * out-of-order data at its offset from rcv_nxt (ranges in ooo). */
    uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge advertised */
    uint8_t rcv_ws;
    struct tcp_ring rcvq;
    struct tcp_ranges ooo;
    int ooo_recent; /* index in ooo of the latest arrival, or -1 */
    bool fin_rcvd;
    bool fin_pending; /* a FIN at fin_seq arrived before data below it */
    uint32_t fin_seq;
    uint32_t ts_recent, ts_offset;
    /* A reader blocked with its buffer (tcp_conn_lend): in-order data
     * arriving while the receive queue is empty goes straight there;
     * rd_got bytes have. rd_view: the reader takes kept frames first. */
    uint8_t *rd_buf;
    size_t rd_len, rd_got;
    bool rd_view;
    /* Received frames kept whole (mirage_buf_keep) rather than copied,
     * a list by their `next`: their data windows hold held_len bytes in
     * order not yet read, which come before rcvq's. Their storage counts
     * in the engine's budget. spent: the frame a view read emptied,
     * freed at the flow's next read. */
    struct mirage_buf *held, *held_tail, *spent;
    size_t held_len;
    unsigned unacked_segs;  /* received segments not yet acknowledged */
    uint32_t unacked_bytes; /* ... and their bytes */
    uint32_t rcv_mss;       /* the largest segment received so far (at
                               least our sending MSS): full-sized */
    uint32_t rcv_seg_max;   /* our MSS: longer data came coalesced */
    bool ack_now;
    bool ack_soon; /* in-order data to acknowledge once the frames that
                      arrived with it are taken in (t_delack now) */

    /* Timers: absolute deadlines, 0 when off. */
    uint64_t t_rexmt, t_persist, t_delack, t_keep, t_close;
    unsigned persist_backoff;
    unsigned probes; /* zero-window probes that count (see orphan_retries) */
    bool has_keepalive;
    struct mirage_tcp_keepalive keepalive;
    unsigned keep_sent;
    uint64_t last_rx;                 /* when the peer was last heard */
    struct mirage_minheap_node timer; /* the earliest of them, queued in
                                         the engine's timers */
};

struct tcp_engine {
    struct mirage_ip *ip;
    struct tcp_hooks hooks;
    struct tcp_cfg cfg;
    struct tcp_isn_key key;
    struct mirage_random *random;
    struct mirage_tcp_stats stats;
    struct tcp_conn **table; /* hash chains by 4-tuple */
    size_t table_size;       /* a power of two */
    size_t nconns;
    struct tcp_conn *all;
    struct tcp_listener *listeners;
    struct tcp_conn *tw_head, *tw_tail; /* TIME_WAIT, oldest first */
    unsigned ntw;
    struct tcp_budget bufs;       /* the queues' storage */
    struct mirage_minheap timers; /* connections with a timer armed */
    uint64_t challenge_sec;       /* the second challenge_count counts in */
    unsigned challenge_count;
};

/* The fewest bytes in order a received frame must bring to be kept
 * (process_data) rather than copied: a super-segment's worth. */
#define TCP_KEEP_MIN 16384

/* ---- engine.c ---- */
/* Set the engine up over ip; the caller registers tcp_engine_input and
 * tcp_engine_error as ip's TCP handlers. 0, MIRAGE_ENOMEM, or the random
 * device's error. */
int tcp_engine_init(struct tcp_engine *e, struct mirage_ip *ip,
                    struct mirage_random *random, const struct tcp_hooks *hooks,
                    const struct tcp_cfg *cfg);
/* Free every connection and listener (no segment is sent). */
void tcp_engine_fini(struct tcp_engine *e);
/* ip's handlers for TCP (arg is the engine). */
void tcp_engine_input(void *arg, const struct mirage_ip_rx *rx,
                      struct mirage_buf *payload);
void tcp_engine_error(void *arg, const struct mirage_ip_error *err);
/* The earliest timer deadline; MIRAGE_FOREVER when none. */
uint64_t tcp_engine_deadline(const struct tcp_engine *e);
/* Run every timer due at now. */
void tcp_engine_run_timers(struct tcp_engine *e, uint64_t now);

/* Listen on port: 0, MIRAGE_EINVAL (port 0), MIRAGE_EINUSE,
 * MIRAGE_ENOMEM. */
int tcp_listen(struct tcp_engine *e, uint16_t port,
               const struct mirage_tcp_keepalive *ka, void *user,
               struct tcp_listener **out);
/* Stop listening; half-open connections of the port are dropped. 0 or
 * MIRAGE_ENOENT. */
int tcp_unlisten(struct tcp_engine *e, uint16_t port);

/* Start an active open (SYN sent) from local port lport (0: a random
 * ephemeral one); the user holds the result. Errors as for
 * mirage_tcp_connect, except the waiting ones; MIRAGE_EINUSE also when
 * lport is taken towards dst:port. */
int tcp_conn_connect(struct tcp_engine *e, uint16_t lport,
                     const struct mirage_ipaddr *dst, uint16_t port,
                     struct tcp_conn **out);
/* Queue up to len bytes for sending: the count queued (0 when the queue
 * is full), MIRAGE_ECLOSED after shutdown of writing, or c->err. */
long tcp_conn_send(struct tcp_conn *c, const void *data, size_t len);
/* Take up to len bytes received in order: their count, MIRAGE_EAGAIN when
 * there are none yet, 0 at the end of the stream, or c->err. */
long tcp_conn_recv(struct tcp_conn *c, void *buf, size_t len);
/* As tcp_conn_recv, but the bytes of a kept frame are lent in place
 * (*data points into it, until the next read of c or its close) rather
 * than copied to buf; *data is buf otherwise. */
long tcp_conn_recv_view(struct tcp_conn *c, const void **data, void *buf,
                        size_t len);
/* A reader is about to block on c with buf (len bytes): lend it to the
 * engine, which may fill it from the start with data arriving in order
 * (saving the copy through the receive queue) until tcp_conn_unlend,
 * which takes it back and returns how many bytes it holds. With view,
 * the reader would rather have frames kept than copied: a frame worth
 * keeping is kept instead. false (not lent) when another reader's
 * buffer is lent already. */
bool tcp_conn_lend(struct tcp_conn *c, void *buf, size_t len, bool view);
size_t tcp_conn_unlend(struct tcp_conn *c);
/* Shut reading (data is then discarded) and/or writing (FIN queued). */
void tcp_conn_shutdown(struct tcp_conn *c, bool rd, bool wr);
/* The user gives c up; see mirage_tcp_close. c may be freed at once. */
void tcp_conn_close(struct tcp_conn *c);
/* Keepalive on (ka) or off (NULL). */
void tcp_conn_set_keepalive(struct tcp_conn *c,
                            const struct mirage_tcp_keepalive *ka);
/* Whether a connect has finished (established, or failed: c->err). */
bool tcp_conn_connected(const struct tcp_conn *c);

/* Internal to the engine's files. */
/* Fail c with err (0: closed normally): no more segments, timers off,
 * out of the table, the user notified; freed when it has no user. */
void tcp_conn_drop(struct tcp_conn *c, int err);
/* Move c to TIME_WAIT (timers off but the 2 MSL one, buffers freed). */
void tcp_conn_time_wait(struct tcp_conn *c, uint64_t now);
/* The connection is established: out of its SYN queue, handed to the
 * listener's user. false when it was refused (it has been dropped
 * then). */
bool tcp_conn_established(struct tcp_conn *c);
/* Recompute c's deadline after its timers changed. */
void tcp_conn_timers_changed(struct tcp_conn *c);
/* Free the storage of c's queues that hold nothing. */
void tcp_conn_trim_queues(struct tcp_conn *c);
/* The bytes the receive queue and the kept frames can still take: the
 * receive window's room beyond rcv_nxt. */
uint32_t tcp_rcv_room(const struct tcp_conn *c);
/* Free the kept frames (their data is dropped) and the spent one. */
void tcp_conn_free_held(struct tcp_conn *c);
/* Call the notify hook when c has a user. */
void tcp_conn_notify(struct tcp_conn *c);
/* Whether a challenge ACK may be sent now (RFC 5961 §7 rate limit). */
bool tcp_challenge_allowed(struct tcp_engine *e, uint64_t now);

/* ---- input.c ---- */
/* Process segment s from the peer for c (found in the table). */
void tcp_input_conn(struct tcp_conn *c, const struct tcp_seg *s, uint64_t now);
/* Negotiate the options of the peer's SYN s into c. */
void tcp_input_syn_options(struct tcp_conn *c, const struct tcp_seg *s);

/* ---- output.c ---- */
/* Send what the state, windows and queues allow now, and a pending
 * ACK. */
void tcp_output(struct tcp_conn *c, uint64_t now);
/* Send the next segment the windows allow even if it is small (the
 * persist timer's override of silly window avoidance and Nagle). */
void tcp_output_force(struct tcp_conn *c, uint64_t now);
/* Send a bare ACK now (also a challenge ACK). */
void tcp_send_ack(struct tcp_conn *c, uint64_t now);
/* Send one segment for c: flags, seq, data from the send queue at seq
 * (len bytes). Returns 0 or an error of the IP layer. */
int tcp_send_segment(struct tcp_conn *c, uint8_t flags, uint32_t seq,
                     uint32_t len, uint64_t now);
/* Answer a segment that matches no connection with a RST (RFC 9293
 * §3.10.7.1); a RST itself is not answered. */
void tcp_send_reset_for(struct tcp_engine *e, const struct mirage_ipaddr *src,
                        const struct mirage_ipaddr *dst,
                        const struct tcp_seg *s);
/* Reset c's peer (seq snd_nxt). */
void tcp_send_reset(struct tcp_conn *c, uint64_t now);
/* The window to advertise, scaled for the header. */
uint16_t tcp_rcv_window(struct tcp_conn *c);
/* The timestamp clock value for now (ms, with c's offset). */
uint32_t tcp_ts_now(const struct tcp_conn *c, uint64_t now);
/* The most payload one segment built for c carries: the MSS, or with
 * the interface's TSO for c's IP version a super-segment of whole MSS
 * pieces that the interface cuts (buf.h's gso_size). */
uint32_t tcp_seg_max(const struct tcp_conn *c);
/* Arm the retransmission timer (restart: even if running). */
void tcp_arm_rexmt(struct tcp_conn *c, uint64_t now, bool restart);
/* Bytes in flight not known to have arrived (the pipe of RFC 6675). */
uint32_t tcp_pipe(const struct tcp_conn *c);
/* The sequence number after the last byte the send queue holds, and
 * after the FIN when one is queued. */
uint32_t tcp_snd_end(const struct tcp_conn *c);

/* ---- direct.c ---- */
/* The engine of a direct TCP device (for the tests of what the device's
 * interface cannot reach, such as simultaneous opens). */
struct tcp_engine *tcp_direct_engine(struct mirage_tcp *t);

/* ---- timer.c ---- */
/* Run c's timers that are due at now. */
void tcp_timers_run(struct tcp_conn *c, uint64_t now);

#endif
