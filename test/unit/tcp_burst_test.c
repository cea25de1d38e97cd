/* The burst after boot on the test network: hundreds of clients connect
 * to a freshly started server from the first moment, each sends a
 * request, and the server answers and closes first, so that connections
 * pile up in FIN_WAIT, LAST_ACK and TIME_WAIT while new ones arrive.
 * Two shapes: a few hundred clients at once, a few requests each; and a
 * few dozen clients making many requests each (as wrk loads a web
 * server), first with allocations failing at random (every layer's
 * out-of-memory path taken in the middle of the load), then without.
 * Without failures every request must be served. Each answer that
 * arrives whole is checked byte for byte; in the end every connection is
 * gone and nothing leaks (AddressSanitizer). */
#include "alloc_fail.h"
#include "tcp_harness.h"

#include <string.h>

#define MAX_CLIENTS 400
#define BODY        3000
#define REQUEST     "GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n"

static uint8_t body[BODY];

/* What the clients saw. */
static struct {
    int ok;        /* whole, correct answers */
    int failed;    /* connections that failed (refused, reset, timed out) */
    int truncated; /* a clean end of stream before the whole answer */
    int corrupt;   /* bytes that differ from the answer */
} seen;

/* The server: the request read into a buffer on the stack, the answer
 * written with writev, then closed (as test/tcp/burst/ does). */
static int serve(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char req[sizeof REQUEST];
    size_t got = 0;
    long n = 1;
    uint64_t deadline = mirage_now() + MIRAGE_SEC(10);
    while (n > 0 && got < sizeof req - 1) {
        n = mirage_tcp_read(f, req + got, sizeof req - 1 - got, deadline);
        got += n > 0 ? (size_t)n : 0;
    }
    static const char head[] = "HTTP/1.1 200 OK\r\n\r\n";
    struct mirage_iovec iov[2] = {{head, sizeof head - 1}, {body, BODY}};
    mirage_tcp_writev(f, iov, 2, deadline);
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

/* One request: connect, send, read to the end, check. */
static void request(void)
{
    static const char head[] = "HTTP/1.1 200 OK\r\n\r\n";
    enum { HEAD = sizeof head - 1 };
    struct mirage_tcp_flow *f;
    uint64_t deadline = mirage_now() + MIRAGE_SEC(60);
    if (mirage_tcp_connect(tcp_a, &addr_b, 80, deadline, &f) != 0) {
        seen.failed++;
        return;
    }
    /* A moment between connecting and asking, different for each: the
     * server holds many connections with no timer armed (F1's trigger). */
    mirage_sleep_ns(MIRAGE_USEC(mirage_random_uniform(net_random, 20000)));
    long n = mirage_tcp_write(f, REQUEST, sizeof REQUEST - 1, deadline);
    uint8_t got[HEAD + BODY + 1];
    size_t len = 0;
    while (n >= 0 && len < sizeof got) {
        n = mirage_tcp_read(f, got + len, sizeof got - len, deadline);
        if (n > 0)
            len += (size_t)n;
        if (n == 0)
            break;
    }
    if (memcmp(got, head, len < HEAD ? len : HEAD) != 0 ||
        (len > HEAD && memcmp(got + HEAD, body, len - HEAD) != 0) ||
        len > HEAD + BODY)
        seen.corrupt++;
    else if (n < 0)
        seen.failed++;
    else if (len < HEAD + BODY)
        seen.truncated++;
    else
        seen.ok++;
    mirage_tcp_close(f);
}

static int client(void *arg)
{
    for (intptr_t i = 0; i < (intptr_t)arg; i++)
        request();
    return 0;
}

/* Start the server and clients clients of rounds requests each at once
 * (all fibers made before allocations may fail); with allocations failing
 * one in fail_one_in (0: never) until they are done. */
static int burst(int clients, int rounds, unsigned long fail_one_in)
{
    static struct mirage_fiber *fib[MAX_CLIENTS];
    seen.ok = seen.failed = seen.truncated = seen.corrupt = 0;
    for (int i = 0; i < clients; i++)
        NCHECK((fib[i] = mirage_fiber_spawn(client, (void *)(intptr_t)rounds,
                                            0)) != NULL);
    allocs_fail_seed = 20261206;
    allocs_failed = 0;
    allocs_fail_one_in = fail_one_in;
    for (int i = 0; i < clients; i++)
        NCHECK_INT(mirage_fiber_join(fib[i]), 0);
    allocs_fail_one_in = 0;
    NCHECK_INT(seen.corrupt, 0);
    NCHECK_INT(seen.ok + seen.failed + seen.truncated, clients * rounds);
    if (!fail_one_in)
        NCHECK_INT(seen.ok, clients * rounds);
    return 0;
}

/* The server on a fresh stack with a little delay and jitter. */
static int start(void)
{
    for (size_t i = 0; i < BODY; i++)
        body[i] = tcp_pattern(i);
    NCHECK_INT(tcp_start(), 0);
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.delay_ns = MIRAGE_USEC(100),
                                                .jitter_ns = MIRAGE_USEC(300)});
    NCHECK_INT(mirage_tcp_listen(tcp_b, 80, NULL, serve, NULL), 0);
    return 0;
}

/* Every connection ends: TIME_WAIT after 2 MSL, the rest sooner. */
static int drained(void)
{
    net_wait(MIRAGE_SEC(200));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

static int many_clients_at_once(void)
{
    NCHECK_INT(start(), 0);
    NCHECK_INT(burst(MAX_CLIENTS, 3, 0), 0);
    return drained();
}

TEST(many_clients_at_once_after_boot)
{
    net_run(41, tcp_setup, many_clients_at_once);
}

static int churn_with_allocation_failures(void)
{
    NCHECK_INT(start(), 0);
    NCHECK_INT(burst(30, 100, 40), 0);
    NCHECK(allocs_failed > 1000);
    NCHECK(seen.ok > 30 * 100 / 2);
    /* Memory again: every request is served. */
    NCHECK_INT(burst(30, 100, 0), 0);
    return drained();
}

TEST(churn_after_boot_with_allocation_failures)
{
    net_run(42, tcp_setup, churn_with_allocation_failures);
}

int main(void)
{
    return test_main();
}
