/* sockecho: a TCP and UDP echo server with a TCP source, or a client,
 * over whatever stack the configuration gives it; the server also echoes
 * TCP and UDP on PORT+2 over the separate UDP and TCP devices it gets.
 * The source and the client send the pattern whose byte i is
 * (i * 7 + i / 65536) & 255. */
#include <mirage/error.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <string.h>

static struct mirage_stack *stack;

static void fill_pattern(uint8_t *buf, size_t n, uint64_t off)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t j = off + i;
        buf[i] = (uint8_t)((j * 7 + j / 65536) & 255);
    }
}

/* Send `total` bytes of the pattern: 0 or the error. */
static long send_pattern(struct mirage_tcp_flow *f, uint64_t total,
                         uint64_t deadline)
{
    uint8_t buf[16384]; /* on the fiber's stack: flows run side by side */
    for (uint64_t off = 0; off < total;) {
        size_t n =
            total - off < sizeof(buf) ? (size_t)(total - off) : sizeof(buf);
        fill_pattern(buf, n, off);
        long w = mirage_tcp_write(f, buf, n, deadline);
        if (w < 0)
            return w;
        off += (uint64_t)w;
    }
    return 0;
}

static void log_peer(const char *what, struct mirage_tcp_flow *f)
{
    struct mirage_ipaddr a;
    uint16_t port;
    char text[MIRAGE_IPADDR_STRLEN];
    mirage_tcp_endpoints(f, NULL, NULL, &a, &port);
    mirage_log_debug("%s %s port %u", what, mirage_ipaddr_to_string(&a, text),
                     port);
}

static int echo(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[16384];
    long n;
    log_peer("echo for", f);
    while ((n = mirage_tcp_read(f, buf, sizeof(buf), MIRAGE_FOREVER)) > 0)
        if (mirage_tcp_write(f, buf, (size_t)n, MIRAGE_FOREVER) < 0)
            break;
    if (n < 0)
        mirage_log_warn("echo: %s", mirage_strerror((int)n));
    mirage_tcp_close(f);
    return 0;
}

static int source(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    log_peer("source for", f);
    long err = send_pattern(f, (uint64_t)mirage_arg_bytes(), MIRAGE_FOREVER);
    if (err)
        mirage_log_warn("source: %s", mirage_strerror((int)err));
    mirage_tcp_close(f);
    return 0;
}

/* arg is the UDP device. */
static void udp_echo(void *arg, const struct mirage_udp_peer *peer,
                     const uint8_t *data, size_t len)
{
    char text[MIRAGE_IPADDR_STRLEN];
    mirage_log_debug("udp from %s port %u",
                     mirage_ipaddr_to_string(&peer->src, text), peer->src_port);
    mirage_udp_write(arg, NULL, peer->dst_port, &peer->src, peer->src_port,
                     data, len);
}

/* TCP and UDP echo on port over tcp and udp. */
static int listen_echo(struct mirage_udp *udp, struct mirage_tcp *tcp,
                       uint16_t port)
{
    int err = mirage_tcp_listen(tcp, port, NULL, echo, NULL);
    return err ? err : mirage_udp_listen(udp, port, udp_echo, NULL, udp);
}

static int serve(uint16_t port, struct mirage_udp *udp, struct mirage_tcp *tcp)
{
    int err = listen_echo(stack->udp, stack->tcp, port);
    if (!err)
        err = mirage_tcp_listen(stack->tcp, (uint16_t)(port + 1), NULL, source,
                                NULL);
    if (!err)
        err = listen_echo(udp, tcp, (uint16_t)(port + 2));
    if (err) {
        mirage_log_err("cannot listen on %u: %s", port, mirage_strerror(err));
        return 1;
    }
    mirage_log_info("ready on %u", port);
    mirage_sleep_until(MIRAGE_FOREVER);
    return 0;
}

struct udp_reply {
    mirage_cond cond;
    char text[64];
    size_t len;
};

static void udp_reply(void *arg, const struct mirage_udp_peer *peer,
                      const uint8_t *data, size_t len)
{
    struct udp_reply *r = arg;
    (void)peer;
    r->len = len < sizeof(r->text) - 1 ? len : sizeof(r->text) - 1;
    memcpy(r->text, data, r->len);
    mirage_cond_signal(&r->cond);
}

static int udp_client(const struct mirage_ipaddr *peer, uint16_t port,
                      uint64_t deadline)
{
    static struct udp_reply reply;
    const uint16_t local = (uint16_t)(port + 1);
    const char *msg = "hello from MirageC";
    int err = mirage_udp_listen(stack->udp, local, udp_reply, NULL, &reply);
    if (!err)
        err = mirage_udp_write(stack->udp, NULL, local, peer, port, msg,
                               strlen(msg));
    if (!err)
        err = mirage_cond_wait(&reply.cond, deadline);
    if (err) {
        mirage_log_err("udp: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("udp reply: %s", reply.text);
    return 0;
}

static int tcp_client(const struct mirage_ipaddr *peer, uint16_t port,
                      uint64_t deadline)
{
    struct mirage_tcp_flow *f;
    int err = mirage_tcp_connect(stack->tcp, peer, port, deadline, &f);
    mirage_log_info("connect: %s", mirage_strerror(err));
    if (err)
        return 1;
    long w = send_pattern(f, (uint64_t)mirage_arg_bytes(), deadline);
    mirage_tcp_close(f);
    mirage_log_info("sent: %s", mirage_strerror((int)w));
    return w ? 1 : 0;
}

int sockecho_start(struct mirage_stack *s, struct mirage_udp *udp,
                   struct mirage_tcp *tcp)
{
    stack = s;
    int64_t port = mirage_arg_port();
    if (port <= 0 || port > 65533) {
        mirage_log_err("--port must be 1..65533");
        return 1;
    }
    if (!mirage_arg_connect())
        return serve((uint16_t)port, udp, tcp);
    struct mirage_ipaddr peer;
    if (mirage_ipaddr_parse(mirage_arg_peer(), &peer)) {
        mirage_log_err("--peer: bad address '%s'", mirage_arg_peer());
        return 1;
    }
    uint64_t deadline = mirage_now() + MIRAGE_MSEC(mirage_arg_timeout_ms());
    return mirage_arg_udp() ? udp_client(&peer, (uint16_t)port, deadline)
                            : tcp_client(&peer, (uint16_t)port, deadline);
}
