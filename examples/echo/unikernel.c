/* echo: sends back every UDP datagram and every byte of every TCP
 * connection it gets on --port. Each TCP connection runs in its own
 * fiber (the stack's listen handler); UDP is answered from the receive
 * callback. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/stack.h>

static struct mirage_udp *udp;

static void udp_echo(void *arg, const struct mirage_udp_peer *peer,
                     const uint8_t *data, size_t len)
{
    (void)arg;
    int err = mirage_udp_write(udp, &peer->dst, peer->dst_port, &peer->src,
                               peer->src_port, data, len);
    if (err)
        mirage_log_warn("UDP echo failed: %s", mirage_strerror(err));
}

static int tcp_echo(void *arg, struct mirage_tcp_flow *flow)
{
    (void)arg;
    struct mirage_ipaddr peer;
    uint16_t port;
    char text[MIRAGE_IPADDR_STRLEN];
    mirage_tcp_endpoints(flow, NULL, NULL, &peer, &port);
    mirage_log_info("TCP connection from %s:%u",
                    mirage_ipaddr_to_string(&peer, text), port);
    char buf[8192]; /* per connection: a blocked write must not be overrun */
    uint64_t total = 0;
    for (;;) {
        long n = mirage_tcp_read(flow, buf, sizeof buf, MIRAGE_FOREVER);
        if (n <= 0) {
            if (n < 0)
                mirage_log_warn("TCP read failed: %s", mirage_strerror((int)n));
            break;
        }
        long w = mirage_tcp_write(flow, buf, (size_t)n, MIRAGE_FOREVER);
        if (w < 0) {
            mirage_log_warn("TCP write failed: %s", mirage_strerror((int)w));
            break;
        }
        total += (uint64_t)n;
    }
    mirage_log_info("TCP connection from %s:%u closed after %llu bytes", text,
                    port, (unsigned long long)total);
    mirage_tcp_close(flow);
    return 0;
}

int echo_start(struct mirage_stack *stack)
{
    int64_t port = mirage_arg_port();
    if (port < 1 || port > 65535) {
        mirage_log_err("--port must be 1 to 65535, not %lld", (long long)port);
        return 1;
    }
    udp = stack->udp;
    int err = mirage_udp_listen(udp, (uint16_t)port, udp_echo, NULL, NULL);
    if (!err)
        err =
            mirage_tcp_listen(stack->tcp, (uint16_t)port, NULL, tcp_echo, NULL);
    if (err) {
        mirage_log_err("cannot listen on port %lld: %s", (long long)port,
                       mirage_strerror(err));
        return 1;
    }
    mirage_log_info("echoing TCP and UDP on port %lld", (long long)port);
    mirage_sleep_until(MIRAGE_FOREVER);
    return 0;
}
