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
#include <stdbool.h>

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

/* What each connect function does first: *bind becomes the bind address
 * of its `ipv4` text (see <mirage/socket.h>), then the poller is set up
 * and its handle watched from the event loop (the first call only). 0;
 * MIRAGE_EINVAL after logging a bad ipv4; MIRAGE_ENOMEM or MIRAGE_EIO when
 * the poller cannot be set up. */
int sock_device_start(const char *ipv4, mirage_ipv4_addr *bind);

#endif
