/* Overflowing a fiber's stack on purpose (see config.c). The TCP modes
 * return from the start function once they listen: the listener keeps
 * the unikernel running. "tcp-big" answers one request with the number
 * of bytes it read, then stops listening, which ends the unikernel. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <stdio.h>
#include <string.h>

#define BUFFER (100 * 1024)

static struct mirage_tcp *tcp;
static uint16_t port;

/* Reads up to BUFFER bytes into a buffer on the stack until the peer
 * shuts its side down; returns their number. */
static long read_all(struct mirage_tcp_flow *flow)
{
    char buf[BUFFER];
    long total = 0;
    for (;;) {
        long n =
            mirage_tcp_read(flow, buf + total % BUFFER,
                            BUFFER - (size_t)(total % BUFFER), MIRAGE_FOREVER);
        if (n <= 0)
            return total;
        total += n;
    }
}

static int serve(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    char reply[32];
    int len = snprintf(reply, sizeof reply, "read %ld\n", read_all(flow));
    mirage_tcp_write(flow, reply, (size_t)len, MIRAGE_FOREVER);
    mirage_tcp_close(flow);
    mirage_tcp_unlisten(tcp, port);
    return 0;
}

static int deep(void *arg)
{
    (void)arg;
    volatile char frame[BUFFER];
    memset((char *)frame, 1, sizeof frame);
    return frame[7];
}

int overflow_start(struct mirage_stack *stack)
{
    const char *mode = mirage_arg_mode();
    tcp = stack->tcp;
    port = (uint16_t)mirage_arg_port();
    if (strcmp(mode, "fiber") == 0) {
        mirage_log_info("overflowing a fiber's stack");
        struct mirage_fiber *f = mirage_fiber_spawn(deep, NULL, 0);
        mirage_fiber_set_name(f, "deep");
        return mirage_fiber_join(f);
    }
    int err = mirage_tcp_listen(tcp, port, NULL, serve, NULL);
    if (!err && strcmp(mode, "tcp-big") == 0)
        err = mirage_tcp_listen_stack(tcp, port, 256 * 1024);
    if (err) {
        mirage_log_err("cannot listen: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("listening on %u", port);
    return 0;
}
