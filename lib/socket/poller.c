/* The socket stack's side of the host sockets' poller: one loop callback
 * for the poller's handle that hands each event to its socket. */
#include "poller.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stddef.h>

struct mirage_log_src sock_log = {"socket", "the socket stack", -1, 0};

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

int sock_poller_start(void)
{
    if (started)
        return 0;
    plat_handle h;
    int err = hostsock_poller(&h);
    if (err) {
        mirage_log_src_err(&sock_log, "cannot set up the socket poller: %s",
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
