/* tls-echo: a TLS echo server on --port (default 4433). The TLS
 * configuration comes from the tls_server device: the certificate chain
 * and key server.pem and server.key (MirageOS's names) of the crunch of
 * this directory's tls/. Each TCP connection
 * runs in its own fiber (the stack's listen handler): the TLS handshake
 * over the connection's flow, then every byte read is written back,
 * through the generic flow calls, until the client's close_notify. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <mirage/tls.h>

#define HANDSHAKE_TIMEOUT MIRAGE_SEC(10)

static struct mirage_tls_server_config *config;

static int serve(void *arg, struct mirage_tcp_flow *tcp)
{
    (void)arg;
    struct mirage_ipaddr peer;
    uint16_t port;
    char text[MIRAGE_IPADDR_STRLEN];
    mirage_tcp_endpoints(tcp, NULL, NULL, &peer, &port);
    mirage_ipaddr_to_string(&peer, text);
    /* On failure the alert is sent, the TCP flow closed and the reason
     * logged on the "tls" source. */
    struct mirage_tls_flow *tls;
    int err = mirage_tls_server_of_flow(config, &tcp->flow,
                                        mirage_now() + HANDSHAKE_TIMEOUT, &tls);
    if (err) {
        mirage_log_warn("%s:%u: handshake failed: %s", text, port,
                        mirage_strerror(err));
        return 0;
    }
    struct mirage_tls_info info;
    mirage_tls_get_info(tls, &info);
    mirage_log_info("%s:%u: TLS %s, %s%s", text, port,
                    info.version == MIRAGE_TLS_1_3 ? "1.3" : "1.2",
                    info.cipher_suite_name, info.resumed ? ", resumed" : "");
    /* From here on the session is any flow (flow.h). */
    struct mirage_flow *flow = &tls->flow;
    char buf[4096];
    uint64_t total = 0;
    for (;;) {
        long n = mirage_flow_read(flow, buf, sizeof buf, MIRAGE_FOREVER);
        if (n <= 0) {
            if (n < 0)
                mirage_log_warn("%s:%u: read failed: %s", text, port,
                                mirage_strerror((int)n));
            break;
        }
        long w = mirage_flow_write(flow, buf, (size_t)n, MIRAGE_FOREVER);
        if (w < 0) {
            mirage_log_warn("%s:%u: write failed: %s", text, port,
                            mirage_strerror((int)w));
            break;
        }
        total += (uint64_t)n;
    }
    mirage_log_info("%s:%u: closed after %llu bytes", text, port,
                    (unsigned long long)total);
    mirage_flow_close(flow); /* sends close_notify, closes the TCP flow */
    return 0;
}

int tls_echo_start(struct mirage_stack *stack,
                   struct mirage_tls_server_config *tls)
{
    int64_t port = mirage_arg_port();
    if (port < 1 || port > 65535) {
        mirage_log_err("--port must be 1 to 65535, not %lld", (long long)port);
        return 1;
    }
    config = tls;
    int err = mirage_tcp_listen(stack->tcp, (uint16_t)port, NULL, serve, NULL);
    if (err) {
        mirage_log_err("cannot listen on TCP port %lld: %s", (long long)port,
                       mirage_strerror(err));
        return 1;
    }
    mirage_log_info("TLS echo on port %lld", (long long)port);
    return 0; /* the listener keeps the unikernel running */
}
