/* A unikernel that exercises the socket stack's interface (lib/socket
 * over plat/unix/hostsock.c) on 127.0.0.1, linked like any unix
 * unikernel: every call, its blocking and deadlines, and its error
 * paths, over IPv4 and IPv6. test/socket/api.sh runs it as
 * `socket_unix api PORT`, with ports PORT..PORT+14 free for both
 * families, as `socket_unix nodev DIR` with
 * 63 one-block files DIR/0 ... DIR/62, and as `socket_unix starve PORT`
 * with at most 16 descriptors. Each check prints "ok WHAT" or
 * "FAILED WHAT"; the status is 1 if any failed. */
#include "../../plat/linux/syscall.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <mirage/rt.h>
#include <mirage/socket.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCALHOST MIRAGE_IPV4(127, 0, 0, 1)
#define WAIT      (mirage_now() + MIRAGE_SEC(10))

static int failures;

static void check(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAILED", what);
    if (!ok)
        failures++;
}

static void check_err(const char *what, long got, long want)
{
    if (got != want)
        printf("  %s: got %ld (%s), expected %ld (%s)\n", what, got,
               got < 0 ? mirage_strerror((int)got) : "count", want,
               want < 0 ? mirage_strerror((int)want) : "count");
    check(what, got == want);
}

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)((i * 7 + i / 65536) & 255);
}

/* Read until n bytes came or the stream ended; the count, or an error. */
static long read_full(struct mirage_tcp_flow *f, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long r = mirage_tcp_read(f, (char *)buf + got, n - got, WAIT);
        if (r <= 0)
            return got ? (long)got : r;
        got += (size_t)r;
    }
    return (long)got;
}

static struct mirage_tcp_flow *open_flow(struct mirage_tcp *tcp, uint16_t port)
{
    struct mirage_ipaddr lo = mirage_ipaddr_of_v4(LOCALHOST);
    struct mirage_tcp_flow *f = NULL;
    if (mirage_tcp_connect(tcp, &lo, port, WAIT, &f) != 0)
        return NULL;
    return f;
}

/* ---- Handlers ----------------------------------------------------- */

/* Echo until the end of the stream, then close. */
static int echo_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[16384]; /* on the fiber's stack: flows run side by side */
    long n;
    while ((n = mirage_tcp_read(f, buf, sizeof(buf), MIRAGE_FOREVER)) > 0)
        if (mirage_tcp_write(f, buf, (size_t)n, MIRAGE_FOREVER) != n)
            break;
    mirage_tcp_close(f);
    return 0;
}

/* Read one byte, then close with the rest unread: the host resets. */
static int reset_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char c;
    mirage_tcp_read(f, &c, 1, WAIT);
    mirage_tcp_close(f);
    return 0;
}

/* Leave the flow to the listener, which closes it after the return. */
static int return_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    (void)f;
    return 0;
}

/* ---- UDP callbacks ------------------------------------------------ */

struct udp_seen {
    mirage_cond cond;
    int datagrams, errors;
    struct mirage_udp_peer peer;
    int err;
    size_t len;
    uint8_t data[65536];
    struct mirage_udp *udp; /* unlisten from the callback when set */
    bool disconnect;        /* disconnect udp instead */
};

static void udp_recv(void *arg, const struct mirage_udp_peer *peer,
                     const uint8_t *data, size_t len)
{
    struct udp_seen *s = arg;
    if (s->udp && s->disconnect)
        mirage_udp_disconnect(s->udp); /* data stays lent for the call */
    else if (s->udp)
        mirage_udp_unlisten(s->udp, peer->dst_port);
    s->datagrams++;
    s->peer = *peer;
    s->len = len;
    memcpy(s->data, data, len);
    mirage_cond_broadcast(&s->cond);
}

static void udp_error(void *arg, const struct mirage_udp_peer *peer, int err)
{
    struct udp_seen *s = arg;
    s->errors++;
    s->peer = *peer;
    s->err = err;
    mirage_cond_broadcast(&s->cond);
}

/* Wait until *counter reaches want (or 5 s pass). */
static void wait_for(struct udp_seen *s, const int *counter, int want)
{
    uint64_t deadline = mirage_now() + MIRAGE_SEC(5);
    while (*counter < want)
        if (mirage_cond_wait(&s->cond, deadline))
            return;
}

/* Write the largest datagram (max bytes) to dst:port from src_port,
 * after one byte more, which is refused, and check that it arrives
 * intact as the n-th datagram seen; the checks' names begin with what. */
static void check_largest(const char *what, struct mirage_udp *udp,
                          uint16_t src_port, const struct mirage_ipaddr *dst,
                          uint16_t port, size_t max, struct udp_seen *seen,
                          int n)
{
    static uint8_t big[65528];
    char name[80];
    for (size_t i = 0; i <= max; i++)
        big[i] = pattern(i);
    snprintf(name, sizeof(name), "%s write too long", what);
    check_err(name, mirage_udp_write(udp, NULL, 0, dst, port, big, max + 1),
              MIRAGE_EINVAL);
    snprintf(name, sizeof(name), "%s largest datagram", what);
    check_err(name, mirage_udp_write(udp, NULL, src_port, dst, port, big, max),
              0);
    wait_for(seen, &seen->datagrams, n);
    snprintf(name, sizeof(name), "%s largest datagram intact", what);
    check(name, seen->datagrams == n && seen->len == max &&
                    !memcmp(seen->data, big, max));
}

/* ---- api ------------------------------------------------------------ */

static void api_connect(void)
{
    struct mirage_stack *s4 = NULL;
    struct mirage_stack *s = NULL;
    check_err("bad ipv4 text",
              mirage_stack_connect_socket(&s4, "10.0.0.300", NULL, true, false),
              MIRAGE_EINVAL);
    check_err(
        "bad ipv4 prefix",
        mirage_stack_connect_socket(&s, "127.0.0.1/33", NULL, true, false),
        MIRAGE_EINVAL);
    check_err("udp bad ipv4",
              mirage_udp_connect_socket(NULL, "x", NULL, true, false),
              MIRAGE_EINVAL);
    check_err("tcp bad ipv4",
              mirage_tcp_connect_socket(NULL, "1.2.3", NULL, true, false),
              MIRAGE_EINVAL);
    check_err(
        "stackv4 with a prefix",
        mirage_stack_connect_socket(&s4, "127.0.0.1/8", NULL, true, false), 0);
    check("stackv4 has udp and tcp", s4 && s4->udp && s4->tcp);
    check("stackv4 has no lower layers",
          s4 && !s4->net && !s4->ethernet && !s4->arp && !s4->ipv4 && !s4->ip);
    check_err("stackv4v6 on any address",
              mirage_stack_connect_socket(&s, NULL, NULL, true, false), 0);
    check("stackv4v6 has udp and tcp", s && s->udp && s->tcp && !s->ip);
}

static void api_tcp_errors(struct mirage_tcp *tcp, uint16_t port)
{
    struct mirage_tcp_keepalive bad_ka = {MIRAGE_SEC(1), 0, 3};
    check_err("listen port 0", mirage_tcp_listen(tcp, 0, NULL, echo_handler, 0),
              MIRAGE_EINVAL);
    check_err("listen without handler",
              mirage_tcp_listen(tcp, port, NULL, NULL, NULL), MIRAGE_EINVAL);
    check_err("listen bad keepalive",
              mirage_tcp_listen(tcp, port, &bad_ka, echo_handler, NULL),
              MIRAGE_EINVAL);
    check_err("listen", mirage_tcp_listen(tcp, port, NULL, echo_handler, NULL),
              0);
    check_err("listen twice",
              mirage_tcp_listen(tcp, port, NULL, echo_handler, NULL),
              MIRAGE_EINUSE);
    struct mirage_tcp *other;
    check_err("second tcp device",
              mirage_tcp_connect_socket(&other, NULL, NULL, true, false), 0);
    check_err("port in use by the host",
              mirage_tcp_listen(other, port, NULL, echo_handler, NULL),
              MIRAGE_EINUSE);
    check_err("unlisten unknown port", mirage_tcp_unlisten(tcp, port + 9),
              MIRAGE_ENOENT);

    struct mirage_tcp *foreign;
    check_err(
        "tcp bound to a foreign address",
        mirage_tcp_connect_socket(&foreign, "192.0.2.1", NULL, true, false), 0);
    check_err("listen on a foreign address",
              mirage_tcp_listen(foreign, port + 8, NULL, echo_handler, NULL),
              MIRAGE_EINVAL);
    struct mirage_tcp_flow *f = NULL;
    struct mirage_ipaddr lo = mirage_ipaddr_of_v4(LOCALHOST);
    check_err("connect from a foreign address",
              mirage_tcp_connect(foreign, &lo, port, WAIT, &f), MIRAGE_EINVAL);

    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    check_err("connect to IPv6 from an IPv4-only device",
              mirage_tcp_connect(tcp, &v6, port, WAIT, &f), MIRAGE_EUNREACH);
    check_err("connect to port 0", mirage_tcp_connect(tcp, &lo, 0, WAIT, &f),
              MIRAGE_EINVAL);
    check_err("connect to a closed port",
              mirage_tcp_connect(tcp, &lo, port + 1, WAIT, &f),
              MIRAGE_ECONNREFUSED);
}

static void api_tcp_echo(struct mirage_tcp *tcp, uint16_t port)
{
    struct mirage_tcp_flow *f = open_flow(tcp, port);
    check("connect", f != NULL);
    if (!f)
        return;
    struct mirage_ipaddr la, fa;
    uint16_t lp, fp;
    mirage_tcp_endpoints(f, &la, &lp, &fa, &fp);
    check("endpoints",
          la.v4 == LOCALHOST && lp != 0 && fa.v4 == LOCALHOST && fp == port);
    char buf[64] = {0};
    check_err("write", mirage_tcp_write(f, "hello", 5, WAIT), 5);
    check_err("read the echo", read_full(f, buf, 5), 5);
    check("echoed bytes", memcmp(buf, "hello", 5) == 0);
    check_err(
        "read times out",
        mirage_tcp_read(f, buf, sizeof(buf), mirage_now() + MIRAGE_MSEC(50)),
        MIRAGE_ETIMEDOUT);
    check_err("read of 0 bytes", mirage_tcp_read(f, buf, 0, WAIT),
              MIRAGE_EINVAL);
    struct mirage_iovec iov[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
    check_err("writev", mirage_tcp_writev(f, iov, 3, WAIT), 5);
    check_err("read the writev echo", read_full(f, buf, 5), 5);
    check("writev bytes in order", memcmp(buf, "abcde", 5) == 0);
    struct mirage_iovec bad = {NULL, 4};
    check_err("writev of a NULL piece", mirage_tcp_writev(f, &bad, 1, WAIT),
              MIRAGE_EINVAL);
    struct mirage_tcp_keepalive ka = {MIRAGE_SEC(30), MIRAGE_MSEC(1500), 4};
    check_err("keepalive on", mirage_tcp_keepalive(f, &ka), 0);
    ka.probes = 0;
    check_err("keepalive without probes", mirage_tcp_keepalive(f, &ka),
              MIRAGE_EINVAL);
    check_err("keepalive off", mirage_tcp_keepalive(f, NULL), 0);
    check_err("nodelay", mirage_tcp_nodelay(f, true), 0);
    check_err("shutdown bad how", mirage_tcp_shutdown(f, 0), MIRAGE_EINVAL);
    check_err("shutdown write", mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE),
              0);
    check_err("write after shutdown", mirage_tcp_write(f, "x", 1, WAIT),
              MIRAGE_ECLOSED);
    check_err("peer closes after our FIN", mirage_tcp_read(f, buf, 8, WAIT), 0);
    mirage_tcp_close(f);

    f = open_flow(tcp, port);
    check("connect again", f != NULL);
    if (!f)
        return;
    check_err("shutdown read", mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_READ),
              0);
    check_err("read after shutdown read", mirage_tcp_read(f, buf, 8, WAIT), 0);
    mirage_tcp_close(f);
}

struct transfer {
    struct mirage_tcp_flow *f;
    size_t len;
    long result;
};

static int writer_main(void *arg)
{
    struct transfer *t = arg;
    uint8_t *buf = malloc(t->len);
    if (!buf)
        return -1;
    for (size_t i = 0; i < t->len; i++)
        buf[i] = pattern(i);
    t->result = mirage_tcp_write(t->f, buf, t->len, WAIT);
    free(buf);
    return 0;
}

static void api_tcp_bulk(struct mirage_tcp *tcp, uint16_t port)
{
    struct transfer t = {open_flow(tcp, port), 8u << 20, 0};
    check("connect for bulk", t.f != NULL);
    if (!t.f)
        return;
    struct mirage_fiber *w = mirage_fiber_spawn(writer_main, &t, 0);
    uint8_t *buf = malloc(t.len);
    long got = buf ? read_full(t.f, buf, t.len) : -1;
    mirage_fiber_join(w);
    check_err("8 MiB written in one call", t.result, (long)t.len);
    check_err("8 MiB echoed", got, (long)t.len);
    size_t bad = 0;
    for (size_t i = 0; buf && i < t.len; i++)
        bad += buf[i] != pattern(i);
    check("8 MiB intact", buf && bad == 0);
    free(buf);
    mirage_tcp_close(t.f);
}

struct blocked {
    struct mirage_tcp_flow *f;
    long result;
};

static int blocked_reader(void *arg)
{
    struct blocked *b = arg;
    char c;
    b->result = mirage_tcp_read(b->f, &c, 1, WAIT);
    return 0;
}

static void api_tcp_close_and_reset(struct mirage_tcp *tcp, uint16_t port)
{
    /* Closing wakes a fiber blocked on the flow. */
    struct blocked b = {open_flow(tcp, port), 1};
    check("connect for close", b.f != NULL);
    if (!b.f)
        return;
    struct mirage_fiber *r = mirage_fiber_spawn(blocked_reader, &b, 0);
    mirage_fiber_yield(); /* the reader runs until it blocks */
    mirage_tcp_close(b.f);
    mirage_fiber_join(r);
    check_err("close wakes a blocked reader", b.result, MIRAGE_ECLOSED);

    /* A peer closing with unread data resets the connection. */
    check_err("listen for resets",
              mirage_tcp_listen(tcp, port + 2, NULL, reset_handler, NULL), 0);
    struct mirage_tcp_flow *f = open_flow(tcp, port + 2);
    check("connect for reset", f != NULL);
    if (!f)
        return;
    char buf[8];
    check_err("write two bytes", mirage_tcp_write(f, "xy", 2, WAIT), 2);
    check_err("read sees the reset", mirage_tcp_read(f, buf, 8, WAIT),
              MIRAGE_ECONNRESET);
    check_err("the reset stays", mirage_tcp_read(f, buf, 8, WAIT),
              MIRAGE_ECONNRESET);
    check_err("writes see the reset too", mirage_tcp_write(f, "z", 1, WAIT),
              MIRAGE_ECONNRESET);
    mirage_tcp_close(f);

    /* A handler that returns with the flow open: the listener closes it. */
    struct mirage_tcp_keepalive ka = {MIRAGE_SEC(30), MIRAGE_SEC(2), 3};
    check_err("listen for returns, with keepalive",
              mirage_tcp_listen(tcp, port + 3, &ka, return_handler, NULL), 0);
    f = open_flow(tcp, port + 3);
    check("connect for return", f != NULL);
    if (!f)
        return;
    check_err("flow closed after the handler", mirage_tcp_read(f, buf, 8, WAIT),
              0);
    mirage_tcp_close(f);
    check_err("unlisten", mirage_tcp_unlisten(tcp, port + 3), 0);
    check_err("connect after unlisten",
              mirage_tcp_connect(
                  tcp, &(struct mirage_ipaddr){MIRAGE_IP_V4, LOCALHOST},
                  port + 3, WAIT, &f),
              MIRAGE_ECONNREFUSED);
}

static void api_udp(uint16_t port)
{
    static struct udp_seen seen;
    struct mirage_udp *udp, *foreign;
    check_err("udp on 127.0.0.1",
              mirage_udp_connect_socket(&udp, "127.0.0.1", NULL, true, false),
              0);
    check_err("udp listen port 0",
              mirage_udp_listen(udp, 0, udp_recv, NULL, &seen), MIRAGE_EINVAL);
    check_err("udp listen without recv",
              mirage_udp_listen(udp, port, NULL, NULL, &seen), MIRAGE_EINVAL);
    check_err("udp listen",
              mirage_udp_listen(udp, port, udp_recv, udp_error, &seen), 0);
    check_err("udp listen twice",
              mirage_udp_listen(udp, port, udp_recv, NULL, &seen),
              MIRAGE_EINUSE);
    check_err("udp unlisten unknown", mirage_udp_unlisten(udp, port + 9),
              MIRAGE_ENOENT);
    check_err(
        "udp on a foreign address",
        mirage_udp_connect_socket(&foreign, "192.0.2.1", NULL, true, false), 0);
    check_err("udp listen on a foreign address",
              mirage_udp_listen(foreign, port + 8, udp_recv, NULL, &seen),
              MIRAGE_EINVAL);

    struct mirage_ipaddr lo = mirage_ipaddr_of_v4(LOCALHOST);
    struct mirage_ipaddr other = mirage_ipaddr_of_v4(MIRAGE_IPV4(127, 0, 0, 2));
    struct mirage_ipaddr v6 = {.version = MIRAGE_IP_V6};
    check_err("udp write to port 0",
              mirage_udp_write(udp, NULL, 0, &lo, 0, "x", 1), MIRAGE_EINVAL);
    check_err("udp write to IPv6 from an IPv4-only device",
              mirage_udp_write(udp, NULL, 0, &v6, port, "x", 1),
              MIRAGE_EUNREACH);
    check_err("udp write from a foreign source",
              mirage_udp_write(udp, &other, 0, &lo, port, "x", 1),
              MIRAGE_EINVAL);

    check_err(
        "udp write from a fixed port",
        mirage_udp_write(udp, NULL, (uint16_t)(port + 3), &lo, port, "one", 3),
        0);
    wait_for(&seen, &seen.datagrams, 1);
    check("udp datagram received",
          seen.datagrams == 1 && seen.len == 3 && !memcmp(seen.data, "one", 3));
    check("udp peer",
          seen.peer.src.v4 == LOCALHOST && seen.peer.src_port == port + 3 &&
              seen.peer.dst.v4 == LOCALHOST && seen.peer.dst_port == port);
    check_err("udp write from an ephemeral port",
              mirage_udp_write(udp, &lo, 0, &lo, port, "two", 3), 0);
    wait_for(&seen, &seen.datagrams, 2);
    check("udp ephemeral source", seen.datagrams == 2 &&
                                      seen.peer.src_port != 0 &&
                                      seen.peer.src_port != port + 3);
    check_largest("udp", udp, port, &lo, port, 65507, &seen, 3);

    struct mirage_udp *any;
    check_err("udp on any address",
              mirage_udp_connect_socket(&any, NULL, NULL, true, false), 0);
    check_err("udp write from a port the host has in use",
              mirage_udp_write(any, NULL, port, &lo, port, "x", 1),
              MIRAGE_EINUSE);
    mirage_udp_disconnect(any);

    /* Port unreachable, from the host kernel, reaches the error callback. */
    check_err(
        "udp write to a closed port",
        mirage_udp_write(udp, NULL, port, &lo, (uint16_t)(port + 4), "?", 1),
        0);
    wait_for(&seen, &seen.errors, 1);
    check("udp port unreachable reported",
          seen.errors == 1 && seen.err == MIRAGE_ECONNREFUSED &&
              seen.peer.dst_port == port + 4 && seen.peer.src_port == port);

    /* Unlistening from inside the callback. */
    seen.udp = udp;
    check_err("udp write to be unlistened",
              mirage_udp_write(udp, NULL, 0, &lo, port, "bye", 3), 0);
    wait_for(&seen, &seen.datagrams, 4);
    check("udp unlisten in the callback",
          seen.datagrams == 4 &&
              mirage_udp_unlisten(udp, port) == MIRAGE_ENOENT);
    check_err("udp listen again after unlisten",
              mirage_udp_listen(udp, port, udp_recv, NULL, &seen), 0);
    const struct mirage_udp_stats *st = mirage_udp_stats(udp);
    check("udp stats", st->rx_pkts == 4 && st->tx_pkts == 5);

    /* Disconnecting from inside the callback. */
    seen.disconnect = true;
    check_err("udp write to be disconnected",
              mirage_udp_write(udp, NULL, 0, &lo, port, "last", 4), 0);
    wait_for(&seen, &seen.datagrams, 5);
    check("udp disconnect in the callback", seen.datagrams == 5 &&
                                                seen.len == 4 &&
                                                !memcmp(seen.data, "last", 4));
    mirage_udp_disconnect(foreign);
}

/* ---- IPv6 and dual stack ------------------------------------------ */

static const uint8_t LOOPBACK6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 1};

static struct mirage_ipaddr ip6(const uint8_t a[16])
{
    struct mirage_ipaddr r = {.version = MIRAGE_IP_V6};
    memcpy(r.v6, a, 16);
    return r;
}

static bool is_lo4(const struct mirage_ipaddr *a)
{
    return a->version == MIRAGE_IP_V4 && a->v4 == LOCALHOST;
}

static bool is_lo6(const struct mirage_ipaddr *a)
{
    return a->version == MIRAGE_IP_V6 && !memcmp(a->v6, LOOPBACK6, 16);
}

/* The peer of the last flow the handler saw. */
static struct mirage_ipaddr seen_peer;

static int peer_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    mirage_tcp_endpoints(f, NULL, NULL, &seen_peer, NULL);
    return echo_handler(NULL, f);
}

/* Connect tcp to dst:port, send and read back a line through the echo;
 * the flow's remote address in *remote. 0 or the error. */
static int echo_via(struct mirage_tcp *tcp, const struct mirage_ipaddr *dst,
                    uint16_t port, struct mirage_ipaddr *remote)
{
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(tcp, dst, port, WAIT, &f);
    if (err)
        return err;
    char buf[8] = {0};
    mirage_tcp_endpoints(f, NULL, NULL, remote, NULL);
    if (mirage_tcp_write(f, "ping", 4, WAIT) != 4 ||
        read_full(f, buf, 4) != 4 || memcmp(buf, "ping", 4))
        err = MIRAGE_EIO;
    mirage_tcp_close(f);
    return err;
}

static void api_v6_connect(void)
{
    struct mirage_stack *s = NULL;
    check_err("bad ipv6 text",
              mirage_stack_connect_socket(&s, NULL, "fd00::zz", false, true),
              MIRAGE_EINVAL);
    check_err("ipv6 prefix too long",
              mirage_stack_connect_socket(&s, NULL, "::1/129", false, false),
              MIRAGE_EINVAL);
    check_err("IPv4 address as ipv6",
              mirage_udp_connect_socket(NULL, NULL, "127.0.0.1", false, false),
              MIRAGE_EINVAL);
    check_err(
        "v4-mapped address as ipv6",
        mirage_tcp_connect_socket(NULL, NULL, "::ffff:127.0.0.1", false, false),
        MIRAGE_EINVAL);
    check_err("IPv6 address as ipv4",
              mirage_tcp_connect_socket(NULL, "::1", NULL, false, false),
              MIRAGE_EINVAL);
    check_err("both ipv4-only and ipv6-only",
              mirage_stack_connect_socket(&s, NULL, NULL, true, true),
              MIRAGE_EINVAL);
    check_err("stackv6 with a prefix",
              mirage_stack_connect_socket(&s, NULL, "::1/128", false, true), 0);
    check("stackv6 has udp and tcp", s && s->udp && s->tcp && !s->ip);
}

static void api_v6_tcp(uint16_t port)
{
    struct mirage_ipaddr lo4 = mirage_ipaddr_of_v4(LOCALHOST),
                         lo6 = ip6(LOOPBACK6), mapped = ip6(LOOPBACK6), got;
    static const uint8_t m[16] = {0, 0, 0,    0,    0,   0, 0, 0,
                                  0, 0, 0xff, 0xff, 127, 0, 0, 1};
    memcpy(mapped.v6, m, 16);
    struct mirage_tcp *v6, *dual;
    check_err("tcp on ::1",
              mirage_tcp_connect_socket(&v6, NULL, "::1", false, true), 0);
    check_err("tcp on both families",
              mirage_tcp_connect_socket(&dual, NULL, NULL, false, false), 0);
    check_err("IPv6-only listen",
              mirage_tcp_listen(v6, port, NULL, peer_handler, NULL), 0);
    check_err("IPv6 echo over ::1", echo_via(dual, &lo6, port, &got), 0);
    check("IPv6 endpoints", is_lo6(&got) && is_lo6(&seen_peer));
    check_err("IPv6-only listener refuses IPv4",
              echo_via(dual, &lo4, port, &got), MIRAGE_ECONNREFUSED);
    check_err("IPv6-only device cannot reach IPv4",
              echo_via(v6, &lo4, port, &got), MIRAGE_EUNREACH);
    check_err("IPv6-only device cannot reach v4-mapped",
              echo_via(v6, &mapped, port, &got), MIRAGE_EUNREACH);
    check_err("unlisten IPv6-only", mirage_tcp_unlisten(v6, port), 0);

    check_err("dual listen",
              mirage_tcp_listen(dual, port, NULL, peer_handler, NULL), 0);
    check_err("dual listen takes the port from IPv6 too",
              mirage_tcp_listen(v6, port, NULL, peer_handler, NULL),
              MIRAGE_EINUSE);
    memset(&seen_peer, 0, sizeof(seen_peer));
    check_err("dual echo over IPv4", echo_via(dual, &lo4, port, &got), 0);
    check("IPv4 peer of a dual listener seen as IPv4",
          is_lo4(&got) && is_lo4(&seen_peer));
    check_err("dual echo over IPv6", echo_via(dual, &lo6, port, &got), 0);
    check("IPv6 peer of a dual listener", is_lo6(&got) && is_lo6(&seen_peer));
    memset(&seen_peer, 0, sizeof(seen_peer));
    check_err("connect to a v4-mapped address",
              echo_via(dual, &mapped, port, &got), 0);
    check("v4-mapped destination taken as IPv4",
          is_lo4(&got) && is_lo4(&seen_peer));
    check_err("unlisten dual", mirage_tcp_unlisten(dual, port), 0);
    check_err("dual unlisten releases every socket",
              mirage_tcp_unlisten(dual, port), MIRAGE_ENOENT);

    struct mirage_tcp *both;
    check_err(
        "tcp on 127.0.0.1 and ::1",
        mirage_tcp_connect_socket(&both, "127.0.0.1", "::1", false, false), 0);
    check_err("two-socket listen",
              mirage_tcp_listen(both, port, NULL, peer_handler, NULL), 0);
    check_err("two-socket echo over IPv4", echo_via(dual, &lo4, port, &got), 0);
    check("two-socket IPv4 peer", is_lo4(&seen_peer));
    check_err("two-socket echo over IPv6", echo_via(dual, &lo6, port, &got), 0);
    check("two-socket IPv6 peer", is_lo6(&seen_peer));
    check_err("unlisten two sockets", mirage_tcp_unlisten(both, port), 0);
    check_err("port free again",
              mirage_tcp_listen(v6, port, NULL, peer_handler, NULL), 0);
    check_err("unlisten again", mirage_tcp_unlisten(v6, port), 0);
}

static void api_v6_udp(uint16_t port)
{
    static struct udp_seen seen;
    struct mirage_ipaddr lo4 = mirage_ipaddr_of_v4(LOCALHOST),
                         lo6 = ip6(LOOPBACK6);
    struct mirage_udp *dual, *v6;
    check_err("udp on both families",
              mirage_udp_connect_socket(&dual, NULL, NULL, false, false), 0);
    check_err("udp on ::1",
              mirage_udp_connect_socket(&v6, NULL, "::1", false, true), 0);
    check_err("dual udp listen",
              mirage_udp_listen(dual, port, udp_recv, udp_error, &seen), 0);
    check_err(
        "udp write over IPv6",
        mirage_udp_write(v6, NULL, (uint16_t)(port + 1), &lo6, port, "six", 3),
        0);
    wait_for(&seen, &seen.datagrams, 1);
    check("udp IPv6 peer", seen.datagrams == 1 && is_lo6(&seen.peer.src) &&
                               seen.peer.src_port == port + 1 &&
                               seen.peer.dst.version == MIRAGE_IP_V6 &&
                               seen.peer.dst_port == port);
    check_err("dual udp write over IPv4",
              mirage_udp_write(dual, NULL, (uint16_t)(port + 2), &lo4, port,
                               "four", 4),
              0);
    wait_for(&seen, &seen.datagrams, 2);
    check("udp IPv4 peer of a dual socket seen as IPv4",
          seen.datagrams == 2 && is_lo4(&seen.peer.src) &&
              seen.peer.dst.version == MIRAGE_IP_V4 &&
              seen.peer.dst.v4 == MIRAGE_IPV4_ANY && seen.len == 4);
    check_err("dual udp reply from the listened port to IPv4",
              mirage_udp_write(dual, NULL, port, &lo4, port, "self", 4), 0);
    wait_for(&seen, &seen.datagrams, 3);
    check("reply from the dual socket", seen.datagrams == 3 &&
                                            is_lo4(&seen.peer.src) &&
                                            seen.peer.src_port == port);
    check_largest("udp IPv6", v6, 0, &lo6, port, 65527, &seen, 4);
    check_err("udp IPv6-only to IPv4",
              mirage_udp_write(v6, NULL, 0, &lo4, port, "x", 1),
              MIRAGE_EUNREACH);
    check_err("udp source of the other family",
              mirage_udp_write(dual, &lo4, 0, &lo6, port, "x", 1),
              MIRAGE_EINVAL);
    check_err(
        "udp IPv6 to a closed port",
        mirage_udp_write(dual, NULL, port, &lo6, (uint16_t)(port + 3), "?", 1),
        0);
    wait_for(&seen, &seen.errors, 1);
    check("udp IPv6 port unreachable reported",
          seen.errors == 1 && seen.err == MIRAGE_ECONNREFUSED &&
              is_lo6(&seen.peer.dst) && seen.peer.dst_port == port + 3);
    mirage_udp_disconnect(dual);
    mirage_udp_disconnect(v6);
}

static int cmd_api(uint16_t port)
{
    api_connect();
    struct mirage_tcp *tcp;
    check_err("tcp on 127.0.0.1",
              mirage_tcp_connect_socket(&tcp, "127.0.0.1", NULL, true, false),
              0);
    api_tcp_errors(tcp, port);
    api_tcp_echo(tcp, port);
    api_tcp_bulk(tcp, port);
    api_tcp_close_and_reset(tcp, port);
    const struct mirage_tcp_stats *st = mirage_tcp_stats(tcp);
    check("tcp stats count connections", st->active_opens >= 6 &&
                                             st->passive_opens >= 5 &&
                                             st->established >= 11);
    api_udp((uint16_t)(port + 5));
    api_v6_connect();
    api_v6_tcp((uint16_t)(port + 10));
    api_v6_udp((uint16_t)(port + 11));
    /* Open listeners hold the unikernel (fiber.h): done with them, so
     * that it ends when this returns. */
    check_err("unlisten the echo port", mirage_tcp_unlisten(tcp, port), 0);
    check_err("unlisten the reset port", mirage_tcp_unlisten(tcp, port + 2), 0);
    return failures ? 1 : 0;
}

/* Whether a descriptor is free: take one (fcntl F_DUPFD of 0) and give
 * it back. */
static bool descriptor_left(void)
{
    long fd = linux_syscall3(LINUX_SYS_fcntl, 0, 0 /* F_DUPFD */, 0);
    if (fd < 0)
        return false;
    linux_syscall1(LINUX_SYS_close, fd);
    return true;
}

/* Wait (up to 10 s) until tcp's listener has accepted n connections, or
 * cannot accept another because no descriptor is left. */
static void wait_accepted(struct mirage_tcp *tcp, uint64_t n)
{
    uint64_t deadline = WAIT;
    while (mirage_tcp_stats(tcp)->passive_opens < n && descriptor_left() &&
           mirage_now() < deadline)
        mirage_sleep_ns(MIRAGE_MSEC(1));
}

/* Run with at most 16 descriptors, 0..2 open: connect to our own
 * listener until descriptors run out; the listener, which needs one more
 * per connection than the client, cannot accept the last one and tries
 * again later. Unlistening meanwhile and listening anew must work. */
static int cmd_starve(uint16_t port)
{
    struct mirage_tcp *tcp;
    struct mirage_tcp_flow *flows[16];
    int n = 0, err;
    check_err("tcp",
              mirage_tcp_connect_socket(&tcp, "127.0.0.1", NULL, true, false),
              0);
    check_err("listen", mirage_tcp_listen(tcp, port, NULL, echo_handler, NULL),
              0);
    while ((err = mirage_tcp_connect(
                tcp, &(struct mirage_ipaddr){MIRAGE_IP_V4, LOCALHOST}, port,
                WAIT, &flows[n])) == 0 &&
           n < 15) {
        n++;
        wait_accepted(tcp, (uint64_t)n);
    }
    check_err("connecting runs out of descriptors", err, MIRAGE_ENOMEM);
    const struct mirage_tcp_stats *st = mirage_tcp_stats(tcp);
    check("the listener could not accept the last connection",
          st->passive_opens + 1 == st->active_opens);
    check_err("unlisten while the listener waits to try again",
              mirage_tcp_unlisten(tcp, port), 0);
    for (int i = 0; i < n; i++)
        mirage_tcp_close(flows[i]);
    /* Past the listener's retry (ACCEPT_RETRY, 100 ms), so that it runs
     * on the unlistened listener first: the checks below hold either way. */
    mirage_sleep_ns(MIRAGE_MSEC(300));
    check_err("listen again",
              mirage_tcp_listen(tcp, port, NULL, echo_handler, NULL), 0);
    struct mirage_tcp_flow *f = open_flow(tcp, port);
    char buf[4];
    check("connect again", f != NULL);
    if (f) {
        check_err("echo again", mirage_tcp_write(f, "ping", 4, WAIT), 4);
        check_err("read again", read_full(f, buf, 4), 4);
        mirage_tcp_close(f);
    }
    check_err("unlisten at the end", mirage_tcp_unlisten(tcp, port), 0);
    return failures ? 1 : 0;
}

/* With every device slot taken (by the files DIR/0 ...), the host
 * sockets' poller cannot be set up. */
static int cmd_nodev(const char *dir)
{
    for (int i = 0; i < PLAT_MAX_DEVICES; i++) {
        char path[256];
        plat_handle h;
        struct plat_block_info info;
        snprintf(path, sizeof(path), "%s/%d", dir, i);
        if (plat_block_acquire(path, &h, &info) != PLAT_OK) {
            printf("FAILED acquire %s\n", path);
            return 1;
        }
    }
    struct mirage_udp *udp;
    struct mirage_stack *s;
    check_err("no device slot for the poller",
              mirage_udp_connect_socket(&udp, NULL, NULL, true, false),
              MIRAGE_ENOMEM);
    check_err("no stack without the poller",
              mirage_stack_connect_socket(&s, NULL, NULL, true, false),
              MIRAGE_ENOMEM);
    return failures ? 1 : 0;
}

int mirage_app_main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "api"))
        return cmd_api((uint16_t)strtoul(argv[2], NULL, 10));
    if (argc == 3 && !strcmp(argv[1], "nodev"))
        return cmd_nodev(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "starve"))
        return cmd_starve((uint16_t)strtoul(argv[2], NULL, 10));
    printf("usage: %s api PORT | nodev DIR | starve PORT\n", argv[0]);
    return 2;
}
