/* Contracts between the files of lib/socket; not a public interface.
 *
 * Every socket object embeds a struct sock_watch as the token its host
 * socket is registered with. The poller's loop callback hands each event
 * to the watch's `ready` function, inside the event loop (it must not
 * yield). Objects are given up with sock_watch_release, which frees them
 * at once, or after the current round of events when one is being
 * handed out (a callback may give up a socket whose event is still
 * pending in the same round). */
#ifndef MIRAGE_LIB_SOCKET_POLLER_H
#define MIRAGE_LIB_SOCKET_POLLER_H

#include <mirage/ipaddr.h>
#include <mirage/log.h>
#include <stdbool.h>
#include <stddef.h>

#include <mirage/hostsock.h>

struct sock_watch {
    /* what: HOSTSOCK_IN | HOSTSOCK_OUT | HOSTSOCK_ERR (NULL for a watch
     * only used to free its object after the round) */
    void (*ready)(struct sock_watch *w, unsigned what);
    /* Frees the object embedding the watch. */
    void (*destroy)(struct sock_watch *w);
    bool released;
    struct sock_watch *next_released;
};

/* Give w's object up: no event reaches it any more; w->destroy runs now
 * or at the end of the current round. */
void sock_watch_release(struct sock_watch *w);

/* The socket stack's log source. */
extern struct mirage_log_src sock_log;

/* Set up the host's poller and watch its handle from the event loop
 * (the first call only). 0, or MIRAGE_ENOMEM / MIRAGE_EIO after logging
 * why. */
int sock_poller_start(void);

/* The families a device serves and the address each binds to (the
 * unspecified address of its version: any). */
struct sock_bind {
    bool v4, v6;
    struct mirage_ipaddr ip4, ip6;
};

/* What each connect function does first: *bind becomes what its
 * arguments say (see <mirage/socket.h>), then the poller is set up and
 * its handle watched from the event loop (the first call only). 0;
 * MIRAGE_EINVAL after logging a bad address or both ipv4_only and
 * ipv6_only; MIRAGE_ENOMEM or MIRAGE_EIO when the poller cannot be set
 * up. */
int sock_device_start(const char *ipv4, const char *ipv6, bool ipv4_only,
                      bool ipv6_only, struct sock_bind *bind);

/* The sockets a listener of b opens: one IPv6 socket carrying IPv4 too
 * when b serves both families on any address, else one per family.
 * Fills family[] and addr[] (each of two entries) and returns how many. */
size_t sock_bind_listeners(const struct sock_bind *b,
                           enum hostsock_family family[2],
                           struct mirage_ipaddr addr[2]);

/* *a with a v4-mapped IPv6 address made IPv4, checked against the
 * families b serves: 0, MIRAGE_EUNREACH (b does not serve its family)
 * or MIRAGE_EINVAL (no address, or an unknown version). */
int sock_bind_check(const struct sock_bind *b, struct mirage_ipaddr *a);

/* The address b binds to for a's version. */
const struct mirage_ipaddr *sock_bind_addr(const struct sock_bind *b,
                                           const struct mirage_ipaddr *a);

/* Whether a is the unspecified address of its version. */
bool sock_addr_any(const struct mirage_ipaddr *a);

/* a as a socket of `family` takes it: IPv4 v4-mapped for a dual one. */
struct hostsock_addr sock_addr_for(enum hostsock_family family,
                                   const struct mirage_ipaddr *a,
                                   uint16_t port);

#endif
