/* speed: a TCP source or sink for benchmarks. Every connection to
 * --port is served in its own fiber: a sink reads and discards until the
 * peer's end of stream (with view reads: the stack lends the frames it
 * kept rather than copying them), a source writes --bytes bytes and closes.
 * Each connection's byte count is logged when it ends; the peer measures the
 * time. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <string.h>

/* Received bytes are discarded, so all sink fibers share one buffer
 * (whatever lands in it); sources send from another, of zeros. */
static uint8_t buf[65536];
static const uint8_t zeros[65536];
static uint64_t source_bytes;

static const char *peer_text(struct mirage_tcp_flow *flow,
                             char text[MIRAGE_IPADDR_STRLEN], uint16_t *port)
{
    struct mirage_ipaddr peer;
    mirage_tcp_endpoints(flow, NULL, NULL, &peer, port);
    return mirage_ipaddr_to_string(&peer, text);
}

static int sink(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    char text[MIRAGE_IPADDR_STRLEN];
    uint16_t port;
    peer_text(flow, text, &port);
    uint64_t total = 0;
    long n;
    const void *data; /* unused: the bytes are only counted */
    while ((n = mirage_tcp_read_view(flow, &data, buf, sizeof buf,
                                     MIRAGE_FOREVER)) > 0)
        total += (uint64_t)n;
    if (n < 0)
        mirage_log_warn("sink: read from %s:%u failed: %s", text, port,
                        mirage_strerror((int)n));
    mirage_log_info("sink: %s:%u sent %llu bytes", text, port,
                    (unsigned long long)total);
    mirage_tcp_close(flow);
    return 0;
}

static int source(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    char text[MIRAGE_IPADDR_STRLEN];
    uint16_t port;
    peer_text(flow, text, &port);
    uint64_t left = source_bytes;
    while (left > 0) {
        size_t chunk = left < sizeof zeros ? (size_t)left : sizeof zeros;
        long w = mirage_tcp_write(flow, zeros, chunk, MIRAGE_FOREVER);
        if (w < 0) {
            mirage_log_warn("source: write to %s:%u failed: %s", text, port,
                            mirage_strerror((int)w));
            break;
        }
        left -= (uint64_t)w;
    }
    mirage_log_info("source: sent %llu bytes to %s:%u",
                    (unsigned long long)(source_bytes - left), text, port);
    mirage_tcp_close(flow);
    return 0;
}

int speed_start(struct mirage_stack *stack)
{
    int64_t port = mirage_arg_port();
    const char *mode = mirage_arg_mode();
    int64_t bytes = mirage_arg_bytes();
    mirage_tcp_handler handler;
    if (port < 1 || port > 65535) {
        mirage_log_err("--port must be 1 to 65535, not %lld", (long long)port);
        return 1;
    }
    if (strcmp(mode, "sink") == 0) {
        handler = sink;
    } else if (strcmp(mode, "source") == 0) {
        handler = source;
    } else {
        mirage_log_err("--mode must be sink or source, not '%s'", mode);
        return 1;
    }
    if (bytes < 0) {
        mirage_log_err("--bytes must not be negative, not %lld",
                       (long long)bytes);
        return 1;
    }
    source_bytes = (uint64_t)bytes;
    memset(buf, 'm', sizeof buf);
    int err =
        mirage_tcp_listen(stack->tcp, (uint16_t)port, NULL, handler, NULL);
    if (err) {
        mirage_log_err("cannot listen on TCP port %lld: %s", (long long)port,
                       mirage_strerror(err));
        return 1;
    }
    mirage_log_info("%s listening on TCP port %lld", mode, (long long)port);
    mirage_sleep_until(MIRAGE_FOREVER);
    return 0;
}
