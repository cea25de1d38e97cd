/* Host sockets: a host service of the unix target, for the socket stack
 * (lib/socket): the Linux kernel's IPv4 and IPv6 TCP and UDP sockets.
 *
 * Host services are not part of the platform interface (plat.h): only
 * the unix platform implements them (plat/unix/hostsock.c), so a library
 * that calls them links into unix images only, and every catalogue entry
 * that selects such a library supports the unix target alone
 * (.targets = strs("unix")); configuring it for another target is an
 * error naming config.c. Libraries reach them through this header, never
 * through plat/.
 *
 * Every socket is non-blocking and close-on-exec, and is registered with
 * one poller: an epoll instance that is a device of the platform, so
 * plat_yield() reports its handle ready when any socket has an event.
 * The owner of the handle's loop callback (mirage_loop_watch) then calls
 * hostsock_events() to learn which sockets, by the token each was opened
 * with. Events are edge-triggered: a socket is reported when it becomes
 * readable or writable, so callers try an operation first and wait for an
 * event only after MIRAGE_EAGAIN.
 *
 * None of these calls blocks or yields. Addresses and ports are in host
 * byte order. Errors are negative MIRAGE_E* codes:
 *   MIRAGE_EAGAIN        nothing to do now (would block); wait for an event
 *   MIRAGE_ECONNREFUSED  the peer refused (RST, or ICMP port unreachable)
 *   MIRAGE_ECONNRESET    the peer reset the connection
 *   MIRAGE_ETIMEDOUT     the kernel gave up (retransmissions, keepalive)
 *   MIRAGE_EUNREACH      no route to the host or network
 *   MIRAGE_EINUSE        the address and port are in use
 *   MIRAGE_ECLOSED       not connected, or writing after shutdown
 *   MIRAGE_ENOMEM        out of memory, buffers or descriptors
 *   MIRAGE_EINVAL        a bad argument (descriptor, address not ours ...)
 *   MIRAGE_EIO           any other host failure */
#ifndef MIRAGE_HOSTSOCK_H
#define MIRAGE_HOSTSOCK_H

#include <mirage/ipaddr.h>
#include <mirage/plat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hostsock_type {
    HOSTSOCK_TCP,
    HOSTSOCK_UDP,
};

/* A socket's address family. An IPv6 socket has IPV6_V6ONLY set
 * explicitly (whatever the host's net.ipv6.bindv6only says): cleared
 * for HOSTSOCK_INET6_DUAL, which also carries IPv4 as v4-mapped
 * addresses (::ffff:A.B.C.D). */
enum hostsock_family {
    HOSTSOCK_INET,
    HOSTSOCK_INET6,
    HOSTSOCK_INET6_DUAL,
};

/* A socket address. Addresses given to an IPv6 socket must be IPv6: an
 * IPv4 peer of a HOSTSOCK_INET6_DUAL socket is given v4-mapped; an
 * address of the other family is MIRAGE_EINVAL. Addresses reported by
 * the host (accept, recvfrom, recverr, local, remote) that are
 * v4-mapped are reported as IPv4. */
struct hostsock_addr {
    struct mirage_ipaddr ip;
    uint16_t port;
};

/* The poller's device handle, creating the poller on the first call. 0;
 * MIRAGE_ENOMEM (every device slot in use, or no descriptors left),
 * MIRAGE_EIO. */
int hostsock_poller(plat_handle *h);

/* Open a socket of `type` and `family`, registered with the poller
 * (which must exist) under `token`. UDP sockets queue ICMP and ICMPv6
 * errors for hostsock_recverr. Returns the descriptor (>= 0) or an
 * error (MIRAGE_EIO when the host has no IPv6). */
int hostsock_open(enum hostsock_type type, enum hostsock_family family,
                  void *token);
/* Close fd; it leaves the poller. */
void hostsock_close(int fd);

/* Bind fd to a (port 0: one the kernel chooses); reuse sets SO_REUSEADDR
 * first (a listener may then bind while old connections of its port sit
 * in TIME_WAIT). 0, MIRAGE_EINUSE, MIRAGE_EINVAL (not our address). */
int hostsock_bind(int fd, const struct hostsock_addr *a, bool reuse);
/* Accept connections on the bound TCP socket fd. 0 or an error. */
int hostsock_listen(int fd, int backlog);
/* Take one pending connection from listener fd as a new socket,
 * registered under token; *peer (may be NULL) is the peer's address.
 * The descriptor, MIRAGE_EAGAIN (none pending), or an error. */
int hostsock_accept(int fd, void *token, struct hostsock_addr *peer);
/* Start connecting the TCP socket fd to a: 0 (connected),
 * MIRAGE_EAGAIN (in progress: wait until it is writable, then ask
 * hostsock_connected), or an error. */
int hostsock_connect(int fd, const struct hostsock_addr *a);
/* How the connection attempt on fd ended: 0 (connected), MIRAGE_EAGAIN
 * (still in progress), or its error. */
int hostsock_connected(int fd);

/* Send up to len bytes on the connected socket fd (never SIGPIPE):
 * returns how many were taken (> 0 when len > 0), or an error. */
long hostsock_send(int fd, const void *buf, size_t len);
/* Receive up to len bytes: their count, 0 at the end of the stream, or
 * an error. */
long hostsock_recv(int fd, void *buf, size_t len);
/* Send one datagram of len bytes to `to` (MIRAGE_EINVAL when it cannot
 * fit in one). 0 or an error. */
int hostsock_sendto(int fd, const void *buf, size_t len,
                    const struct hostsock_addr *to);
/* Receive one datagram into buf: its length (at most len: the rest of a
 * longer one is lost), with its source in *from. MIRAGE_EAGAIN when none
 * waits. */
long hostsock_recvfrom(int fd, void *buf, size_t len,
                       struct hostsock_addr *from);
/* Take one ICMP error queued on the UDP socket fd: *dst is the address
 * the failed datagram was sent to, *err the error it means
 * (MIRAGE_ECONNREFUSED, MIRAGE_EUNREACH, ...). 0; MIRAGE_EAGAIN when none
 * is queued. */
int hostsock_recverr(int fd, struct hostsock_addr *dst, int *err);

enum hostsock_shut {
    HOSTSOCK_SHUT_RD = 0,
    HOSTSOCK_SHUT_WR = 1,
    HOSTSOCK_SHUT_RDWR = 2,
};
/* Shut one or both directions of the TCP socket fd down: 0 or an error
 * (MIRAGE_ECLOSED when it is not connected). */
int hostsock_shutdown(int fd, enum hostsock_shut how);
/* TCP_NODELAY on or off. 0 or an error. */
int hostsock_nodelay(int fd, bool on);
/* Keepalive on fd: off when idle_s is 0; otherwise the first probe after
 * idle_s seconds without traffic, then one every interval_s seconds, and
 * the connection fails after `probes` unanswered ones. 0, or
 * MIRAGE_EINVAL for values the host refuses (seconds 1..32767, probes
 * 1..127). */
int hostsock_keepalive(int fd, unsigned idle_s, unsigned interval_s,
                       unsigned probes);
/* The local / remote address of fd. 0 or an error. */
int hostsock_local(int fd, struct hostsock_addr *out);
int hostsock_remote(int fd, struct hostsock_addr *out);

/* Report fd again at the next hostsock_events if it is still readable or
 * writable (for callers that stopped before MIRAGE_EAGAIN). 0 or an
 * error. */
int hostsock_rearm(int fd, void *token);

/* What happened to a socket. */
#define HOSTSOCK_IN  1u /* readable, an end of stream or a connection */
#define HOSTSOCK_OUT 2u /* writable, or a connection attempt ended */
#define HOSTSOCK_ERR 4u /* an error or hang-up (read or write to learn it) */
struct hostsock_event {
    void *token;
    unsigned what;
};
/* Store up to max events that happened since the last call in out; the
 * number stored. Events of a closed socket are never reported after
 * hostsock_close. */
size_t hostsock_events(struct hostsock_event *out, size_t max);

#endif
