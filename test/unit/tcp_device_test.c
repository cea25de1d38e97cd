/* Tests of the direct TCP device's own error paths on the test network,
 * with allocations made to fail: starting the device, listening,
 * connecting, and a listener that cannot start a fiber for a new
 * connection (which is then reset). */
#include "tcp_harness.h"

#include <stdlib.h>

/* One allocation fails: the one after fail_in more (-1: none), and every
 * one of fail_size bytes (0: none). */
static long fail_in = -1;
static size_t fail_size;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
static bool alloc_fails(size_t n)
{
    if (fail_size && n == fail_size)
        return true;
    if (fail_in < 0)
        return false;
    return fail_in-- == 0;
}
void *__wrap_malloc(size_t n)
{
    return alloc_fails(n) ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m)
{
    return alloc_fails(n * m) ? NULL : __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n)
{
    return alloc_fails(n) ? NULL : __real_realloc(p, n);
}

static int failing_generate(struct mirage_random *r, void *buf, size_t len)
{
    (void)r, (void)buf, (void)len;
    return MIRAGE_EIO;
}
static const struct mirage_random_ops failing_ops = {.generate =
                                                         failing_generate};
static struct mirage_random failing_random = {.ops = &failing_ops};

static int device_start(void)
{
    NCHECK_INT(node_connect(0, "10.0.0.1/24", NULL), 0);
    struct mirage_ip *ip = node_get(0)->ip;
    struct mirage_tcp *t;
    NCHECK_INT(mirage_tcp_connect_direct(&t, ip, &failing_random), MIRAGE_EIO);
    int err = MIRAGE_ENOMEM;
    for (long k = 0; err == MIRAGE_ENOMEM; k++) {
        fail_in = k;
        err = mirage_tcp_connect_direct(&t, ip, net_random);
        fail_in = -1;
    }
    NCHECK_INT(err, 0);
    mirage_tcp_disconnect_direct(t);
    mirage_fiber_yield();
    return 0;
}

TEST(device_start_errors)
{
    net_run(51, tcp_setup, device_start);
}

static int listen_and_connect(void)
{
    NCHECK_INT(tcp_start(), 0);
    int err = MIRAGE_ENOMEM;
    for (long k = 0; err == MIRAGE_ENOMEM; k++) {
        fail_in = k;
        err = mirage_tcp_listen(tcp_b, 5000, NULL, tcp_echo_handler, NULL);
        fail_in = -1;
    }
    NCHECK_INT(err, 0);
    /* Connecting fails cleanly when its allocations do (a failure that
     * hits a frame or a segment instead is repaired by retransmission). */
    struct mirage_tcp_flow *f;
    err = MIRAGE_ENOMEM;
    for (long k = 0; err == MIRAGE_ENOMEM; k++) {
        fail_in = k;
        err = mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f);
        fail_in = -1;
        if (err)
            NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    }
    NCHECK_INT(err, 0);
    char buf[8];
    NCHECK_INT(mirage_tcp_write(f, "ping", 4, MIRAGE_FOREVER), 4);
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER), 4);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER), 0);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    tcp_stop();
    return 0;
}

TEST(listen_and_connect_out_of_memory)
{
    net_run(52, tcp_setup, listen_and_connect);
}

static int no_fiber_for_handler(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, tcp_echo_handler, NULL), 0);
    /* A first connection starts the stack's own fibers. */
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    /* The handler's fiber stack cannot be had: the connection is reset. */
    fail_size = MIRAGE_FIBER_STACK_DEFAULT;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    char buf[8];
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER),
               MIRAGE_ECONNRESET);
    fail_size = 0;
    mirage_tcp_close(f);
    NCHECK_INT(srv.conns_done, 1);
    net_wait(MIRAGE_SEC(120));
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(listener_without_fiber_resets)
{
    net_run(53, tcp_setup, no_fiber_for_handler);
}

int main(void)
{
    return test_main();
}
