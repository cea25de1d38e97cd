/* UDP (MirageOS Tcpip.Udp.S) over an IP device of either version.
 * Datagrams for a listened port are handed to its callback inside the
 * event loop (not in a fiber: it must not yield; the data is lent for the
 * call); a datagram for a port nobody listens on is answered with an ICMP
 * port unreachable. Writes do not block: a datagram waiting for address
 * resolution is queued by ARP. No call here yields. */
#ifndef MIRAGE_UDP_H
#define MIRAGE_UDP_H

#include <mirage/ip.h>
#include <mirage/ipaddr.h>
#include <mirage/random.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_UDP_HDR_LEN 8
/* Ephemeral source ports are chosen at random in this range (RFC 6335). */
#define MIRAGE_UDP_EPHEMERAL_MIN 49152

/* The addresses of a received datagram, or those an ICMP error is about
 * (src is then ours, dst the unreachable peer). */
struct mirage_udp_peer {
    struct mirage_ipaddr src, dst;
    uint16_t src_port, dst_port;
};

typedef void (*mirage_udp_recv_fn)(void *arg,
                                   const struct mirage_udp_peer *peer,
                                   const uint8_t *data, size_t len);
/* An ICMP error about a datagram sent from the port: err as in
 * struct mirage_ip_error (MIRAGE_ECONNREFUSED: port unreachable). */
typedef void (*mirage_udp_error_fn)(void *arg,
                                    const struct mirage_udp_peer *peer,
                                    int err);

struct mirage_udp_stats {
    uint64_t rx_pkts, tx_pkts;
    uint64_t rx_malformed; /* short, bad length: dropped */
    uint64_t rx_bad_csum;  /* checksum wrong: dropped */
    uint64_t rx_no_port;   /* nobody listens: port unreachable sent */
};

/* A UDP layer with an operations table, so that several implementations
 * (this direct one over struct mirage_ip, the host-socket one of
 * <mirage/socket.h>) live in one image. The calls below dispatch
 * through it. */
struct mirage_udp;
struct mirage_udp_ops {
    int (*listen)(struct mirage_udp *u, uint16_t port, mirage_udp_recv_fn recv,
                  mirage_udp_error_fn error, void *arg);
    int (*unlisten)(struct mirage_udp *u, uint16_t port);
    int (*write)(struct mirage_udp *u, const struct mirage_ipaddr *src,
                 uint16_t src_port, const struct mirage_ipaddr *dst,
                 uint16_t dst_port, const void *data, size_t len);
    const struct mirage_udp_stats *(*stats)(const struct mirage_udp *u);
    void (*disconnect)(struct mirage_udp *u);
};
struct mirage_udp {
    const struct mirage_udp_ops *ops;
};

/* UDP over ip, choosing ephemeral ports with random. 0 or
 * MIRAGE_ENOMEM. */
int mirage_udp_connect_direct(struct mirage_udp **out, struct mirage_ip *ip,
                              struct mirage_random *random);
/* Deliver datagrams to port (1..65535) to recv, and ICMP errors about
 * datagrams sent from it to error (may be NULL). 0; MIRAGE_EINUSE
 * (already listened); MIRAGE_EINVAL (port 0 or recv NULL);
 * MIRAGE_ENOMEM. */
static inline int mirage_udp_listen(struct mirage_udp *u, uint16_t port,
                                    mirage_udp_recv_fn recv,
                                    mirage_udp_error_fn error, void *arg)
{
    return u->ops->listen(u, port, recv, error, arg);
}
/* Stop listening on port: 0 or MIRAGE_ENOENT. */
static inline int mirage_udp_unlisten(struct mirage_udp *u, uint16_t port)
{
    return u->ops->unlisten(u, port);
}
/* Send len bytes (0..65507 over IPv4; copied) to dst:dst_port from
 * src_port (0: a random ephemeral port) and src (NULL: chosen by the IP
 * layer). 0; MIRAGE_EINVAL (dst_port 0, too long); MIRAGE_ENOMEM; the IP
 * layer's errors. */
static inline int
mirage_udp_write(struct mirage_udp *u, const struct mirage_ipaddr *src,
                 uint16_t src_port, const struct mirage_ipaddr *dst,
                 uint16_t dst_port, const void *data, size_t len)
{
    return u->ops->write(u, src, src_port, dst, dst_port, data, len);
}
static inline const struct mirage_udp_stats *
mirage_udp_stats(const struct mirage_udp *u)
{
    return u->ops->stats(u);
}
/* Stop handling UDP, forget the listeners and free u (invalid
 * afterwards). */
static inline void mirage_udp_disconnect(struct mirage_udp *u)
{
    u->ops->disconnect(u);
}

#endif
