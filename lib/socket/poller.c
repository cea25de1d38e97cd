/* The socket stack's side of the host sockets' poller: one loop callback
 * for the poller's handle that hands each event to its socket. */
#include "poller.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stddef.h>

MIRAGE_LOG_SRC(log_socket, "socket", "the socket stack");

#define ROUND 64 /* events taken from the host at once */

static bool started;
static bool dispatching;
static struct sock_watch *released;

static void dispatch(void *arg)
{
    (void)arg;
    struct hostsock_event ev[ROUND];
    size_t n;
    dispatching = true;
    do {
        n = hostsock_events(ev, ROUND);
        for (size_t i = 0; i < n; i++) {
            struct sock_watch *w = ev[i].token;
            if (!w->released)
                w->ready(w, ev[i].what);
        }
    } while (n == ROUND);
    dispatching = false;
    while (released) {
        struct sock_watch *w = released;
        released = w->next_released;
        w->destroy(w);
    }
}

/* 0, MIRAGE_ENOMEM or MIRAGE_EIO. */
static int poller_start(void)
{
    if (started)
        return 0;
    plat_handle h;
    int err = hostsock_poller(&h);
    if (err) {
        mirage_log_src_err(&log_socket, "cannot set up the socket poller: %s",
                           mirage_strerror(err));
        return err == MIRAGE_ENOMEM ? err : MIRAGE_EIO;
    }
    mirage_loop_watch(h, dispatch, NULL);
    started = true;
    return 0;
}

void sock_watch_release(struct sock_watch *w)
{
    w->released = true;
    if (dispatching) {
        w->next_released = released;
        released = w;
    } else {
        w->destroy(w);
    }
}

/* 0, or MIRAGE_EINVAL after logging ipv4. */
static int bind_address(const char *ipv4, mirage_ipv4_addr *out)
{
    if (!ipv4 || !*ipv4) {
        *out = MIRAGE_IPV4_ANY;
        return 0;
    }
    struct mirage_ipv4_prefix p;
    if (mirage_ipv4_parse(ipv4, out) == 0)
        return 0;
    if (mirage_ipv4_prefix_parse(ipv4, &p) == 0) {
        *out = p.addr;
        return 0;
    }
    mirage_log_src_err(&log_socket,
                       "bad IPv4 address '%s' for the socket stack "
                       "(expected A.B.C.D or A.B.C.D/N)",
                       ipv4);
    return MIRAGE_EINVAL;
}

int sock_device_start(const char *ipv4, mirage_ipv4_addr *bind)
{
    int err = bind_address(ipv4, bind);
    return err ? err : poller_start();
}
