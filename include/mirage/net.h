/* Network interfaces (MirageOS Mirage_net), and the timers the protocol
 * layers run on.
 *
 * A struct mirage_net sends and receives Ethernet frames. Received frames
 * are handed to one receiver callback, inside the event loop (not in a
 * fiber): the receiver must not yield, and processes the frame to the end
 * (DESIGN.md §5). Buffer ownership follows buf.h: write takes the frame
 * over; the receiver borrows it for the call, and may keep it when the
 * device grants it (mirage_buf_keep; the netif device does while it has
 * a spare receive buffer). */
#ifndef MIRAGE_NET_H
#define MIRAGE_NET_H

#include <mirage/buf.h>
#include <mirage/minheap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_ETH_HDR_LEN 14

/* Counters of a network interface (MirageOS Mirage_net.stats). */
struct mirage_net_stats {
    uint64_t rx_bytes, rx_pkts; /* frames handed to the receiver */
    uint64_t tx_bytes, tx_pkts; /* frames sent */
    uint64_t rx_errors;         /* frames the device failed to read */
    uint64_t tx_errors;         /* frames the device refused or failed */
    uint64_t rx_gso, tx_gso;    /* TCP super-segments received and sent
                                   (MIRAGE_NET_OFFLOAD_TSO*) */
    uint64_t rx_csum_ok;        /* frames whose checksum the host vouched
                                   for (MIRAGE_BUF_CSUM_OK) */
    uint64_t rx_bad_vhdr;       /* frames with an impossible offload
                                   header: dropped */
};

/* Offloads a device may grant (struct mirage_net's offloads): CSUM, the
 * device computes the TCP and UDP checksums we leave to it
 * (MIRAGE_BUF_CSUM_PARTIAL) and vouches for those of frames it marks
 * (MIRAGE_BUF_CSUM_OK); TSO4 and TSO6 (with CSUM), it cuts TCP
 * super-segments (mirage_buf's gso_size) over IPv4 or IPv6 into segments
 * and may hand us coalesced ones, whose IP packet is then up to 64 KiB,
 * beyond the MTU. */
#define MIRAGE_NET_OFFLOAD_CSUM 1u
#define MIRAGE_NET_OFFLOAD_TSO4 2u
#define MIRAGE_NET_OFFLOAD_TSO6 4u
#define MIRAGE_NET_OFFLOAD_ALL                                                 \
    (MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4 |                       \
     MIRAGE_NET_OFFLOAD_TSO6)
/* The largest super-segment's IP packet (header included). */
#define MIRAGE_NET_GSO_MAX_IP 65535u

/* The receiver: frame is a whole Ethernet frame (header included), lent
 * for the call. Runs in the event loop; must not yield. */
typedef void (*mirage_net_receiver)(void *arg, struct mirage_buf *frame);

struct mirage_net;
struct mirage_net_ops {
    /* Send one frame (header included); takes it over. A frame with
     * offload marks (buf.h) needs the offload granted; a super-segment
     * may exceed mtu + 14 up to 14 + MIRAGE_NET_GSO_MAX_IP. 0,
     * MIRAGE_EINVAL (longer than that or shorter than 14, or marks the
     * device cannot honour), MIRAGE_EIO (the device failed). Does not
     * yield. */
    int (*write)(struct mirage_net *n, struct mirage_buf *frame);
    /* Set the receiver (NULL: drop received frames). Does not yield. */
    void (*listen)(struct mirage_net *n, mirage_net_receiver fn, void *arg);
    /* Stop receiving and free the device (the platform handle stays
     * acquired: the platform cannot release it); n is invalid afterwards.
     * Does not yield. */
    void (*disconnect)(struct mirage_net *n);
};
struct mirage_net {
    const struct mirage_net_ops *ops;
    uint8_t mac[6];
    size_t mtu;        /* largest payload: a frame is at most mtu + 14 bytes,
                          but super-segments (offloads) */
    uint32_t offloads; /* MIRAGE_NET_OFFLOAD_* the device granted */
    struct mirage_net_stats stats;
};

static inline int mirage_net_write(struct mirage_net *n,
                                   struct mirage_buf *frame)
{
    return n->ops->write(n, frame);
}
static inline void mirage_net_listen(struct mirage_net *n,
                                     mirage_net_receiver fn, void *arg)
{
    n->ops->listen(n, fn, arg);
}
static inline void mirage_net_disconnect(struct mirage_net *n)
{
    n->ops->disconnect(n);
}

/* The netif device over the platform's network devices (plat_net_*): on
 * unix `name` is a tap interface (default "tap0", the --interface
 * runtime argument), on hvt and spt a manifest name (default
 * "service"). Frames are read inside the event loop when plat_yield
 * reports the device ready, 64 at a time, then on after the fibers'
 * turn without waiting for another report while any remain. It asks the
 * platform for every offload (MIRAGE_NET_OFFLOAD_ALL) and uses what is granted
 * (the log line of the device says which: "offloads csum,tso4,tso6" or
 * "offloads none"). 0; MIRAGE_ENOENT (no such device, or already acquired),
 * MIRAGE_EIO (host failure), MIRAGE_ENOMEM. Does not yield. */
int mirage_net_connect_netif(struct mirage_net **out, const char *name);
/* The same asking only for the offloads in wanted (0: bare frames, as
 * without any offload). */
int mirage_net_connect_netif_offloads(struct mirage_net **out, const char *name,
                                      uint32_t wanted);
/* default_network: as mirage_net_connect_netif, with the target's default
 * name when name is NULL or "": "tap0" on unix, "service" elsewhere;
 * without offloads when offload is false (the --net-offload runtime
 * argument). */
int mirage_net_connect_default(struct mirage_net **out, const char *name,
                               bool offload);

/* ---- Timers for protocol code ----------------------------------------
 * Callback timers for the protocol layers (ARP retries, reassembly
 * time-outs, TCP retransmission ...). A timer is embedded in its owner
 * and initialised once with mirage_net_timer_init. When it expires, fn
 * runs in the network stack's timer fiber; fn must not yield (it may arm,
 * cancel and free timers, its own included, and send packets). The
 * fiber starts when a timer is first armed and ends when none is armed.
 * Time is the monotonic clock (mirage_now()). */
struct mirage_net_timer;
typedef void (*mirage_net_timer_fn)(struct mirage_net_timer *t);
struct mirage_net_timer {
    struct mirage_minheap_node node; /* private */
    mirage_net_timer_fn fn;
};
void mirage_net_timer_init(struct mirage_net_timer *t, mirage_net_timer_fn fn);
/* The deadline t was last armed for. */
static inline uint64_t
mirage_net_timer_deadline(const struct mirage_net_timer *t)
{
    return t->node.key;
}
/* Arm t for `deadline` (re-arming moves it). 0, or MIRAGE_ENOMEM when
 * the timer table cannot grow or the timer fiber cannot start (t then
 * stays as it was). Does not yield. */
int mirage_net_timer_set(struct mirage_net_timer *t, uint64_t deadline);
/* Disarm t (harmless when it is not armed). Does not yield. */
void mirage_net_timer_cancel(struct mirage_net_timer *t);
bool mirage_net_timer_armed(const struct mirage_net_timer *t);
/* How many timers are armed. */
size_t mirage_net_timer_count(void);

#endif
