/* network: listens on TCP --port; for each connection logs the peer and
 * the size of every read, reads until the peer's end of stream, then
 * closes. Each connection runs in its own fiber (the listen handler). */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/stack.h>

static int serve(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    struct mirage_ipaddr peer;
    uint16_t port;
    char text[MIRAGE_IPADDR_STRLEN];
    char buf[4096];
    uint64_t total = 0;
    mirage_tcp_endpoints(flow, NULL, NULL, &peer, &port);
    mirage_ipaddr_to_string(&peer, text);
    mirage_log_info("new TCP connection from %s:%u", text, port);
    for (;;) {
        long n = mirage_tcp_read(flow, buf, sizeof buf, MIRAGE_FOREVER);
        if (n < 0) {
            mirage_log_warn("read from %s:%u failed: %s", text, port,
                            mirage_strerror((int)n));
            break;
        }
        if (n == 0) {
            mirage_log_info("closing connection from %s:%u after %llu bytes",
                            text, port, (unsigned long long)total);
            break;
        }
        total += (uint64_t)n;
        mirage_log_info("read %ld bytes from %s:%u", n, text, port);
    }
    mirage_tcp_close(flow);
    return 0;
}

int network_start(struct mirage_stack *stack)
{
    int64_t port = mirage_arg_port();
    if (port < 1 || port > 65535) {
        mirage_log_err("--port must be 1 to 65535, not %lld", (long long)port);
        return 1;
    }
    int err = mirage_tcp_listen(stack->tcp, (uint16_t)port, NULL, serve, NULL);
    if (err) {
        mirage_log_err("cannot listen on TCP port %lld: %s", (long long)port,
                       mirage_strerror(err));
        return 1;
    }
    mirage_log_info("listening on TCP port %lld", (long long)port);
    mirage_sleep_until(MIRAGE_FOREVER);
    return 0;
}
