/* The unikernel of the TCP real-peer test (test/tcp/tap.sh): the stack
 * with TCP on a tap device, serving
 *   port 5001: read to the end by view reads (the stack lends the
 *              frames it kept), check the test pattern, log
 *              "sink N bytes ok" (or "sink ... bad"), close;
 *   port 5002: read a decimal byte count and a newline, send that many
 *              bytes of the pattern, close (so MirageC closes first);
 *   port 5003: echo everything until the end of the stream, then close.
 * With --ipv6=ADDR/N it serves IPv6 too (IP below may then be [IPV6]).
 * Before serving, --push=IP:PORT:BYTES connects to that peer, sends the
 * pattern and closes, logging "push N bytes ok" or the error; and
 * --probe=IP:PORT tries a connection, logging "probe: <error>".
 * --idle=IP:PORT:N opens N connections to that peer one after another,
 * logs "idle N open, queue memory Q" (or the error), then keeps them
 * open; one fiber waits on each in turn for a byte and sends it back.
 * The sink also logs the stack's queue memory peak ("queue memory peak
 * P") and how many received frames it kept whole ("frames kept K").
 * --offload=false connects the device without offloads (bare frames:
 * the fallback path); the sink, the source and the push log the
 * device's offload counters after each transfer ("offload: tx_gso N
 * rx_gso M csum_ok K bad_vhdr B").
 * --heap-check validates the whole heap at every allocation and free
 * from then on (the allocator's check mode, <mirage/rt.h>).
 * The pattern is a block of 65521 bytes (a prime) from a linear
 * congruential generator, repeated. Its mirage_app_main connects the
 * devices by hand, as the generated main.c does. Runs until killed. */
#include "../net/peer_stack.h"

#include <mirage/args.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <mirage/random.h>
#include <mirage/rt.h>
#include <mirage/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65521

/* The allocator's heap-integrity check mode (<mirage/rt.h>), switched on
 * by --heap-check. */
bool mirage_heap_check;

static uint8_t block[BLOCK];
static struct mirage_tcp *tcp;

static void make_block(void)
{
    uint32_t x = 1;
    for (size_t i = 0; i < BLOCK; i++) {
        x = x * 1103515245u + 12345u;
        block[i] = (uint8_t)(x >> 16);
    }
}

/* Whether the n bytes at p are the pattern's from offset `from`: compared
 * a run of the block at a time with memcmp (a word at a time), not byte
 * by byte, because on a slow guest CPU (hvt where KVM emulates guest
 * instructions) a per-byte check costs more than the whole stack. */
static bool matches(const uint8_t *p, size_t n, uint64_t from)
{
    size_t at = (size_t)(from % BLOCK);
    while (n) {
        size_t run = BLOCK - at < n ? BLOCK - at : n;
        if (memcmp(p, block + at, run) != 0)
            return false;
        p += run;
        n -= run;
        at = 0;
    }
    return true;
}

static int sink(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    enum { SIZE = 65536 };
    uint8_t *buf = malloc(SIZE);
    uint64_t total = 0;
    bool ok = true;
    long n = MIRAGE_ENOMEM;
    const void *data;
    while (buf && (n = mirage_tcp_read_view(f, &data, buf, SIZE,
                                            MIRAGE_FOREVER)) > 0) {
        ok = ok && matches(data, (size_t)n, total);
        total += (uint64_t)n;
    }
    const struct mirage_tcp_stats *st = mirage_tcp_stats(tcp);
    if (n < 0)
        mirage_log_err("sink: %s", mirage_strerror((int)n));
    else
        mirage_log_info("sink %llu bytes %s, queue memory peak %llu, frames "
                        "kept %llu",
                        (unsigned long long)total, ok ? "ok" : "bad",
                        (unsigned long long)st->queue_bytes_peak,
                        (unsigned long long)st->rx_kept);
    peer_stack_log_offload();
    free(buf);
    mirage_tcp_close(f);
    return 0;
}

static int send_pattern(struct mirage_tcp_flow *f, uint64_t n)
{
    uint64_t off = 0;
    while (off < n) {
        size_t at = (size_t)(off % BLOCK);
        size_t len = BLOCK - at;
        if (len > n - off)
            len = (size_t)(n - off);
        long w = mirage_tcp_write(f, block + at, len, MIRAGE_FOREVER);
        if (w < 0)
            return (int)w;
        off += (uint64_t)w;
    }
    return 0;
}

static int source(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char line[32];
    size_t len = 0;
    while (len < sizeof line - 1 && !memchr(line, '\n', len)) {
        long n = mirage_tcp_read(f, line + len, sizeof line - 1 - len,
                                 MIRAGE_FOREVER);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    line[len] = '\0';
    uint64_t want = strtoull(line, NULL, 10);
    int err = send_pattern(f, want);
    if (err)
        mirage_log_err("source: %s", mirage_strerror(err));
    else
        mirage_log_info("source %llu bytes sent", (unsigned long long)want);
    if (!err && want >= 1 << 20) /* bulk, not the many short ones */
        peer_stack_log_offload();
    mirage_tcp_close(f);
    return 0;
}

/* Each connection reads into a buffer of its own: a blocked read's
 * buffer belongs to the call (tcp.h). */
static int echo(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    enum { SIZE = 65536 };
    uint8_t *buf = malloc(SIZE);
    long n;
    while (buf && (n = mirage_tcp_read(f, buf, SIZE, MIRAGE_FOREVER)) > 0)
        if (mirage_tcp_write(f, buf, (size_t)n, MIRAGE_FOREVER) != n)
            break;
    free(buf);
    mirage_tcp_close(f);
    return 0;
}

/* "IP:PORT[:BYTES]" */
static int parse_target(const char *s, struct mirage_ipaddr *ip, uint16_t *port,
                        uint64_t *bytes)
{
    const char *rest;
    if (peer_parse_host(s, ip, &rest) != 0)
        return MIRAGE_EINVAL;
    char *end;
    unsigned long p = strtoul(rest, &end, 10);
    if (p == 0 || p > 65535)
        return MIRAGE_EINVAL;
    *port = (uint16_t)p;
    *bytes = *end == ':' ? strtoull(end + 1, NULL, 10) : 0;
    return 0;
}

static void push(const char *target)
{
    struct mirage_ipaddr ip;
    uint16_t port;
    uint64_t bytes;
    if (parse_target(target, &ip, &port, &bytes) != 0) {
        mirage_log_err("push: bad target '%s'", target);
        return;
    }
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(tcp, &ip, port, MIRAGE_FOREVER, &f);
    if (!err) {
        err = send_pattern(f, bytes);
        mirage_tcp_close(f);
    }
    if (err)
        mirage_log_err("push: %s", mirage_strerror(err));
    else
        mirage_log_info("push %llu bytes ok", (unsigned long long)bytes);
    peer_stack_log_offload();
}

static void probe(const char *target)
{
    struct mirage_ipaddr ip;
    uint16_t port;
    uint64_t bytes;
    if (parse_target(target, &ip, &port, &bytes) != 0) {
        mirage_log_err("probe: bad target '%s'", target);
        return;
    }
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(tcp, &ip, port, MIRAGE_FOREVER, &f);
    if (!err)
        mirage_tcp_close(f);
    mirage_log_info("probe: %s", err ? mirage_strerror(err) : "connected");
}

/* The idle connections of --idle, and the fiber that keeps them. */
static struct mirage_tcp_flow **idle;
static size_t nidle;

static int keep_idle(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < nidle; i++) {
        char c;
        if (mirage_tcp_read(idle[i], &c, 1, MIRAGE_FOREVER) == 1)
            mirage_tcp_write(idle[i], &c, 1, MIRAGE_FOREVER);
    }
    return 0;
}

static void open_idle(const char *target)
{
    struct mirage_ipaddr ip;
    uint16_t port;
    uint64_t n;
    if (parse_target(target, &ip, &port, &n) != 0 || !n) {
        mirage_log_err("idle: bad target '%s'", target);
        return;
    }
    idle = calloc(n, sizeof *idle);
    int err = idle ? 0 : MIRAGE_ENOMEM;
    while (!err && nidle < n) {
        err = mirage_tcp_connect(tcp, &ip, port, mirage_now() + MIRAGE_SEC(30),
                                 &idle[nidle]);
        nidle += !err;
    }
    struct mirage_fiber *keeper = NULL;
    if (!err && !(keeper = mirage_fiber_spawn(keep_idle, NULL, 0)))
        err = MIRAGE_ENOMEM;
    if (err) {
        mirage_log_err("idle: connection %zu: %s", nidle, mirage_strerror(err));
        return;
    }
    mirage_fiber_detach(keeper);
    mirage_log_info("idle %zu open, queue memory %llu", nidle,
                    (unsigned long long)mirage_tcp_stats(tcp)->queue_bytes);
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *cidr6, *push_to, *probe_to, *idle_to,
        *logs;
    bool offload;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "tap0", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the gateway", NULL, "",
         NULL, &gateway},
        {"ipv6", 0, MIRAGE_ARG_STRING, "PREFIX",
         "our IPv6 address (none: IPv4 only)", NULL, "", NULL, &cidr6},
        {"push", 0, MIRAGE_ARG_STRING, "IP:PORT:BYTES", "send to a peer", NULL,
         "", NULL, &push_to},
        {"probe", 0, MIRAGE_ARG_STRING, "IP:PORT", "try a connection", NULL, "",
         NULL, &probe_to},
        {"idle", 0, MIRAGE_ARG_STRING, "IP:PORT:N", "hold idle connections",
         NULL, "", NULL, &idle_to},
        {"offload", 0, MIRAGE_ARG_BOOL, NULL,
         "ask the device for checksum and segmentation offloads", NULL, "true",
         NULL, &offload},
        {"heap-check", 0, MIRAGE_ARG_BOOL, NULL,
         "validate the heap at every allocation and free", NULL, "false", NULL,
         &mirage_heap_check},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    if (!offload)
        peer_stack_offloads = 0;
    make_block();
    struct mirage_ipv4 *v4;
    struct mirage_ipv6 *v6;
    struct mirage_ip *ip;
    struct mirage_random *random;
    int err = peer_stack_connect_dual(
        iface, cidr, gateway, *cidr6 ? cidr6 : NULL, &ip, &v4, &v6, &random);
    if (!err)
        err = mirage_tcp_connect_direct(&tcp, ip, random);
    if (!err && v6)
        err = peer_wait_ipv6(v6);
    if (!err)
        err = mirage_tcp_listen(tcp, 5001, NULL, sink, NULL);
    if (!err)
        err = mirage_tcp_listen(tcp, 5002, NULL, source, NULL);
    if (!err)
        err = mirage_tcp_listen(tcp, 5003, NULL, echo, NULL);
    if (err) {
        mirage_log_err("cannot start the stack: %s", mirage_strerror(err));
        return 1;
    }
    if (*push_to)
        push(push_to);
    if (*probe_to)
        probe(probe_to);
    if (*idle_to)
        open_idle(idle_to);
    mirage_log_info("ready");
    for (;;)
        mirage_sleep_ns(MIRAGE_SEC(3600));
}
