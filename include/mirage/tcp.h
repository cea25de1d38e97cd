/* TCP (MirageOS Tcpip.Tcp.S): connections over an IP device, as flows
 * that block the calling fiber.
 *
 * A struct mirage_tcp is one TCP layer with an operations table, so that
 * several implementations (the direct one over struct mirage_ip here, the
 * host-socket one of socket.h) live in one image. Connections are flows
 * (flow.h): mirage_tcp_connect opens one actively, mirage_tcp_listen runs
 * a handler in a new fiber for every connection a port accepts. The
 * generic flow of a connection is &flow->flow; mirage_tcp_read/write/
 * writev/shutdown/close are the flow.h calls under TCP's names.
 *
 * Yielding: connect, read, write and writev may yield (they block the
 * calling fiber until done or until their deadline, an absolute
 * monotonic time as in fiber.h; MIRAGE_FOREVER for none) and must be
 * called from a fiber. No other call yields.
 *
 * Buffers: read copies into the caller's buffer; write and writev copy
 * from the caller's buffers before returning. The caller keeps them.
 * While a read blocks, its buffer belongs to the call: data arriving may
 * be copied into it before the call returns (saving a copy), so reads
 * in flight at once (in several fibers) need buffers of their own.
 *
 * Errors (negative MIRAGE_E*):
 *   MIRAGE_ETIMEDOUT     the call's deadline passed (the flow is intact)
 *   MIRAGE_ECONNREFUSED  the peer answered the connection with a reset
 *   MIRAGE_ECONNRESET    the peer reset the established connection
 *   MIRAGE_EUNREACH      the peer stopped answering (retransmissions or
 *                        keepalive probes exhausted), no route to it, or
 *                        an ICMP error reported it unreachable
 *   MIRAGE_ECLOSED       writing after shutdown of writing
 *   MIRAGE_ENOMEM        memory exhausted
 *   MIRAGE_EINVAL        a bad argument (port 0, wrong address version)
 *   MIRAGE_EINUSE        no free ephemeral port / port already listened
 * Once a flow has failed, every later read and write returns the same
 * error. */
#ifndef MIRAGE_TCP_H
#define MIRAGE_TCP_H

#include <mirage/flow.h>
#include <mirage/ip.h>
#include <mirage/ipaddr.h>
#include <mirage/random.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ephemeral local ports are chosen at random in [MIN, 65535] (RFC 6056). */
#define MIRAGE_TCP_EPHEMERAL_MIN 49152

struct mirage_tcp;
/* A connection. Owned by its user until mirage_tcp_close. `flow` is its
 * generic flow (flow.h), whose operations the implementation sets. */
struct mirage_tcp_flow {
    struct mirage_flow flow; /* first */
    struct mirage_tcp *tcp;
};

/* Keepalive (MirageOS Tcpip.Tcp.Keepalive): after `after_ns` without
 * hearing from the peer send a probe, then one every `interval_ns`; after
 * `probes` unanswered probes the flow fails with MIRAGE_EUNREACH. */
struct mirage_tcp_keepalive {
    uint64_t after_ns;
    uint64_t interval_ns;
    unsigned probes;
};

/* A listen handler: runs in its own fiber for every accepted connection,
 * named "tcp port N" and with a stack of MIRAGE_FIBER_STACK_DEFAULT bytes
 * (64 KiB, fiber.h) unless mirage_tcp_listen_stack chose another size for
 * the port. Keep large buffers off that stack (malloc them) or choose a
 * larger one: an overflow stops the unikernel with "fiber stack overflow
 * in fiber N "tcp port P" ..." and status 255 (fiber.h).
 * The handler owns the flow: it may close it; a flow still open when the
 * handler returns is closed then. The return value is ignored. */
typedef int (*mirage_tcp_handler)(void *arg, struct mirage_tcp_flow *flow);

struct mirage_tcp_stats {
    uint64_t active_opens, passive_opens; /* connections started */
    uint64_t established;                 /* reached ESTABLISHED */
    uint64_t rx_segs, tx_segs;
    uint64_t rx_bad_csum, rx_malformed; /* dropped */
    uint64_t retransmits;               /* segments sent again */
    uint64_t timeouts;                  /* retransmission timer expiries */
    uint64_t fast_recoveries;
    uint64_t rx_resets, tx_resets;
    uint64_t challenge_acks;   /* RFC 5961 answers to doubtful segments */
    uint64_t syn_cookies_sent; /* SYN-ACKs with a cookie (RFC 4987), sent
                                  when the listener's SYN queue was full */
    uint64_t syn_cookies_ok;   /* connections a returned cookie made */
    uint64_t syn_cookies_bad;  /* ACKs with an invalid or stale cookie */
    uint64_t rx_out_of_window; /* segments outside the window, dropped */
    uint64_t window_probes;    /* zero-window probes sent */
    uint64_t keepalive_probes; /* keepalive probes sent */
    uint64_t connections;      /* connections held now, in any state */
    uint64_t rx_kept;          /* received frames kept, not copied */
    uint64_t queue_bytes;      /* memory of the queues (and kept frames) now */
    uint64_t queue_bytes_peak; /* ... and at most so far */
};

struct mirage_tcp_ops {
    int (*connect)(struct mirage_tcp *t, const struct mirage_ipaddr *dst,
                   uint16_t port, uint64_t deadline,
                   struct mirage_tcp_flow **out);
    int (*listen)(struct mirage_tcp *t, uint16_t port,
                  const struct mirage_tcp_keepalive *keepalive,
                  mirage_tcp_handler handler, void *arg);
    int (*unlisten)(struct mirage_tcp *t, uint16_t port);
    int (*listen_stack)(struct mirage_tcp *t, uint16_t port, size_t stack_size);
    int (*keepalive)(struct mirage_tcp_flow *f,
                     const struct mirage_tcp_keepalive *ka);
    int (*nodelay)(struct mirage_tcp_flow *f, bool on);
    void (*endpoints)(struct mirage_tcp_flow *f, struct mirage_ipaddr *laddr,
                      uint16_t *lport, struct mirage_ipaddr *faddr,
                      uint16_t *fport);
    const struct mirage_tcp_stats *(*stats)(struct mirage_tcp *t);
};
struct mirage_tcp {
    const struct mirage_tcp_ops *ops;
};

/* Open a connection to dst:port from a random ephemeral port and the
 * source address the IP layer chooses; wait until it is established.
 * *out is the new flow (close it with mirage_tcp_close). Errors:
 * MIRAGE_ECONNREFUSED, MIRAGE_EUNREACH, MIRAGE_ETIMEDOUT (the deadline
 * passed: the attempt is abandoned), MIRAGE_EINVAL (port 0, bad address),
 * MIRAGE_EINUSE, MIRAGE_ENOMEM. May yield. */
static inline int mirage_tcp_connect(struct mirage_tcp *t,
                                     const struct mirage_ipaddr *dst,
                                     uint16_t port, uint64_t deadline,
                                     struct mirage_tcp_flow **out)
{
    return t->ops->connect(t, dst, port, deadline, out);
}
/* Accept connections on port (1..65535), each handed to handler(arg,
 * flow) in a new fiber; keepalive (NULL: none) applies to each. 0;
 * MIRAGE_EINUSE (already listened); MIRAGE_EINVAL (port 0, handler NULL);
 * MIRAGE_ENOMEM. A listener holds the unikernel (fiber.h: mirage_hold):
 * a start function may return once it listens, and the unikernel goes on
 * serving until every listener is unlistened. Does not yield. */
static inline int mirage_tcp_listen(struct mirage_tcp *t, uint16_t port,
                                    const struct mirage_tcp_keepalive *ka,
                                    mirage_tcp_handler handler, void *arg)
{
    return t->ops->listen(t, port, ka, handler, arg);
}
/* Stop accepting on port (connections already made go on): 0 or
 * MIRAGE_ENOENT. Releases the listener's hold. Does not yield. */
static inline int mirage_tcp_unlisten(struct mirage_tcp *t, uint16_t port)
{
    return t->ops->unlisten(t, port);
}
/* Run the handlers of the connections port accepts from now on with
 * stacks of stack_size bytes (0: the default; as mirage_fiber_spawn
 * takes it). Call it right after mirage_tcp_listen: nothing is accepted
 * before the caller yields. 0 or MIRAGE_ENOENT (port not listened).
 * Does not yield. */
static inline int mirage_tcp_listen_stack(struct mirage_tcp *t, uint16_t port,
                                          size_t stack_size)
{
    return t->ops->listen_stack(t, port, stack_size);
}
/* Read up to len bytes (len > 0) into buf, waiting until some arrive:
 * returns their count, 0 at the end of the stream (the peer's FIN, or
 * after shutting reading down), or an error. May yield. */
static inline long mirage_tcp_read(struct mirage_tcp_flow *f, void *buf,
                                   size_t len, uint64_t deadline)
{
    return mirage_flow_read(&f->flow, buf, len, deadline);
}
/* Read without copying where possible (flow.h's mirage_flow_read_view):
 * the direct stack lends the received frames it kept (below, Offloads),
 * and copies into buf what its receive queue holds. May yield. */
static inline long mirage_tcp_read_view(struct mirage_tcp_flow *f,
                                        const void **data, void *buf,
                                        size_t len, uint64_t deadline)
{
    return mirage_flow_read_view(&f->flow, data, buf, len, deadline);
}
/* Queue the bytes of iov[0..n) for sending, waiting for room in the send
 * queue as often as needed (any total size). Returns the number of bytes
 * queued: all of them, or fewer when the deadline passed after some were
 * queued; an error when none were (MIRAGE_ETIMEDOUT) or the flow failed.
 * Queued bytes are sent in order; nothing waits for their
 * acknowledgment. May yield. */
static inline long mirage_tcp_writev(struct mirage_tcp_flow *f,
                                     const struct mirage_iovec *iov, size_t n,
                                     uint64_t deadline)
{
    return mirage_flow_writev(&f->flow, iov, n, deadline);
}
static inline long mirage_tcp_write(struct mirage_tcp_flow *f, const void *buf,
                                    size_t len, uint64_t deadline)
{
    return mirage_flow_write(&f->flow, buf, len, deadline);
}
/* Shut reading, writing or both down. Shutting writing down sends FIN
 * after the queued data; later writes fail with MIRAGE_ECLOSED. 0 or
 * MIRAGE_EINVAL (bad `how`). Does not yield. */
static inline int mirage_tcp_shutdown(struct mirage_tcp_flow *f,
                                      enum mirage_flow_shutdown how)
{
    return mirage_flow_shutdown(&f->flow, how);
}
/* Close the flow and give it up: queued data is still sent, then FIN;
 * the connection finishes closing in the background. Unread received
 * data, or data arriving later, makes it a reset instead (RFC 1122
 * 4.2.2.13). No other fiber may be blocked on the flow (shut it down
 * first: that wakes them). f is invalid afterwards. Does not yield. */
static inline void mirage_tcp_close(struct mirage_tcp_flow *f)
{
    mirage_flow_close(&f->flow);
}
/* Turn keepalive on (ka) or off (NULL). 0 or MIRAGE_EINVAL (zero
 * interval or probes). Does not yield. */
static inline int mirage_tcp_keepalive(struct mirage_tcp_flow *f,
                                       const struct mirage_tcp_keepalive *ka)
{
    return f->tcp->ops->keepalive(f, ka);
}
/* Turn Nagle's algorithm off (on = true: send small segments at once) or
 * back on. Always 0. Does not yield. */
static inline int mirage_tcp_nodelay(struct mirage_tcp_flow *f, bool on)
{
    return f->tcp->ops->nodelay(f, on);
}
/* The flow's local and remote address and port (any pointer may be
 * NULL). MirageOS's `dst` is faddr/fport. Does not yield. */
static inline void mirage_tcp_endpoints(struct mirage_tcp_flow *f,
                                        struct mirage_ipaddr *laddr,
                                        uint16_t *lport,
                                        struct mirage_ipaddr *faddr,
                                        uint16_t *fport)
{
    f->tcp->ops->endpoints(f, laddr, lport, faddr, fport);
}
static inline const struct mirage_tcp_stats *
mirage_tcp_stats(struct mirage_tcp *t)
{
    return t->ops->stats(t);
}

/* ---- The direct implementation over an IP device ----------------------
 * RFC 9293 with window scaling and timestamps (RFC 7323), SACK (RFC
 * 2018, recovery as RFC 6675), CUBIC window growth (RFC 9438) with
 * NewReno fast recovery (RFC 6582), RTO per RFC 6298 (200 ms to 60 s),
 * delayed ACKs (40 ms; an ACK for every two full-sized segments' worth
 * of data, RFC 5681 §4.2, and at once for data out of order and for
 * each super-segment the interface coalesced), Nagle, zero-window
 * probes, the RFC 5961 checks, ISNs per RFC 6528.
 *
 * Offloads. Over an interface with checksum offload (ip.h's offloads)
 * segments leave their checksum to it, and received ones it vouches for
 * are not verified again; with TSO new data goes in super-segments of
 * whole MSS pieces up to 64 KiB (as the windows allow), which the
 * interface cuts, while retransmissions go one MSS at a time. A reader
 * blocked in read lends its buffer: data arriving in order while the
 * receive queue is empty is copied straight there. Received frames that
 * bring at least 16 KiB in order (the interface's super-frames) and fill
 * half their storage are kept whole rather than copied to the receive
 * queue, when the interface can spare them (mirage_buf_keep) and the
 * budget below has room; mirage_tcp_read_view lends their bytes in
 * place, mirage_tcp_read copies from them (stats: rx_kept). A reader
 * blocked in mirage_tcp_read_view takes such frames before its buffer.
 *
 * Memory. Each connection queues up to 256 KiB each way, but its queues
 * take memory only while they hold data: they grow on demand and are
 * freed when they empty, so an idle connection costs the stack about 1
 * KiB (10,000 of them fit in a 64 MiB guest), besides what its user
 * keeps: an accepted one's listen handler has a fiber whose stack is
 * 64 KiB unless mirage_tcp_listen_stack chose less. All the queues of the
 * device share a budget of a quarter of the heap (mirage_heap_size,
 * rt.h); beyond it a queue still grows to 16 KiB, so every connection
 * makes progress, and the receive window offered stops opening. A
 * segment that finds no memory is dropped (the peer sends it again); a
 * write to an empty queue that cannot get any fails with MIRAGE_ENOMEM.
 * The stats' queue_bytes say how much the queues hold.
 *
 * Listeners and closing. A listener keeps at most 128 half-open
 * connections; beyond, SYNs are answered with SYN cookies (RFC 4987),
 * which keep nothing until the peer's ACK returns a valid one, so a SYN
 * flood cannot exhaust memory and every real client still connects
 * (window scaling and SACK survive a cookie when the peer sends
 * timestamps). SYN+FIN and segments without SYN, ACK or RST are dropped
 * (RFC 9293 §3.10.7.2), as are segments from broadcast or multicast
 * addresses. Retransmissions give up after 15 tries, and zero-window
 * probes after 15 the peer leaves unanswered (a peer that answers keeps
 * the connection as long as its user holds it); once the user has closed
 * a connection, 8 retransmissions end it, as do 8 zero-window probes,
 * answered or not (then with a reset).
 * FIN_WAIT_2 without a user lasts 60 s; TIME_WAIT lasts 60 s and holds at
 * most 4096 connections (the oldest go first; a newer SYN may reopen one,
 * RFC 6191).
 *
 * mirage_tcp_connect_direct registers the device as ip's TCP protocol;
 * random keys the ISNs and picks ephemeral ports. A fiber of its own runs
 * the timers. 0, MIRAGE_ENOMEM, or an error of the random device. Does
 * not yield. */
int mirage_tcp_connect_direct(struct mirage_tcp **out, struct mirage_ip *ip,
                              struct mirage_random *random);
/* Stop: unregister from the IP device, forget every connection (without
 * telling the peers) and listener, and free the device once its timer
 * fiber has seen it (at its next turn to run). Every flow must have been
 * closed, and no fiber may be blocked on one. Does not yield. */
void mirage_tcp_disconnect_direct(struct mirage_tcp *t);

#endif
