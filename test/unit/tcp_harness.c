/* Helpers for the TCP tests (tcp_harness.h). */
#include "tcp_harness.h"

#include <stdlib.h>
#include <string.h>

struct mirage_tcp *tcp_a, *tcp_b;
struct mirage_ipaddr addr_a, addr_b;
struct tcp_server srv;

void tcp_setup(void)
{
    node_add(1500);
    node_add(1500);
}

bool tcp_over_ipv6(void)
{
    const char *f = getenv("MIRAGE_TEST_FAMILY");
    return f && strcmp(f, "6") == 0;
}

int tcp_start(void)
{
    srv = (struct tcp_server){.ok = true};
    int err;
    if (tcp_over_ipv6()) {
        /* Dual-stack nodes talking IPv6, once DAD has passed. */
        addr_a.version = addr_b.version = MIRAGE_IP_V6;
        mirage_ipv6_parse("2001:db8::1", addr_a.v6);
        mirage_ipv6_parse("2001:db8::2", addr_b.v6);
        err = node_connect_dual(0, "10.0.0.1/24", "2001:db8::1/64", false);
        if (!err)
            err = node_connect_dual(1, "10.0.0.2/24", "2001:db8::2/64", false);
        if (!err)
            net_wait(MIRAGE_SEC(2));
    } else {
        addr_a = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 1));
        addr_b = mirage_ipaddr_of_v4(MIRAGE_IPV4(10, 0, 0, 2));
        err = node_connect(0, "10.0.0.1/24", NULL);
        if (!err)
            err = node_connect(1, "10.0.0.2/24", NULL);
    }
    if (!err)
        err = mirage_tcp_connect_direct(&tcp_a, node_get(0)->ip, net_random);
    if (!err)
        err = mirage_tcp_connect_direct(&tcp_b, node_get(1)->ip, net_random);
    return err;
}

void tcp_stop(void)
{
    mirage_tcp_disconnect_direct(tcp_a);
    mirage_tcp_disconnect_direct(tcp_b);
    tcp_a = tcp_b = NULL;
    mirage_fiber_yield();
}

const uint8_t *tcp_of_frame(const uint8_t *frame, size_t len, size_t *seg_len)
{
    if (len < 14 + 20 + 20)
        return NULL;
    uint16_t type = mirage_get_be16(frame + 12);
    if (type == MIRAGE_ETHERTYPE_IPV4 && frame[23] == MIRAGE_IP_PROTO_TCP) {
        *seg_len = mirage_get_be16(frame + 16) - 20u;
        return frame + 34;
    }
    if (type == MIRAGE_ETHERTYPE_IPV6 && len >= 14 + 40 + 20 &&
        frame[20] == MIRAGE_IP_PROTO_TCP) {
        *seg_len = mirage_get_be16(frame + 18);
        return frame + 54;
    }
    return NULL;
}

uint8_t tcp_pattern(uint64_t i)
{
    uint64_t x = i * 0x9e3779b97f4a7c15ull;
    return (uint8_t)((x >> 29) ^ (i >> 16));
}

int tcp_write_pattern(struct mirage_tcp_flow *f, uint64_t from, uint64_t n,
                      size_t chunk, uint64_t deadline)
{
    static uint8_t buf[65536];
    if (chunk > sizeof buf)
        chunk = sizeof buf;
    while (n) {
        size_t len = n < chunk ? (size_t)n : chunk;
        for (size_t i = 0; i < len; i++)
            buf[i] = tcp_pattern(from + i);
        long w = mirage_tcp_write(f, buf, len, deadline);
        if (w < 0)
            return (int)w;
        if ((size_t)w != len)
            return MIRAGE_ETIMEDOUT;
        from += len;
        n -= len;
    }
    return 0;
}

bool tcp_read_views;

long long tcp_read_pattern(struct mirage_tcp_flow *f, uint64_t deadline)
{
    uint8_t buf[3000];
    long long total = 0;
    for (;;) {
        const uint8_t *p = buf;
        long n = tcp_read_views
                     ? mirage_tcp_read_view(f, (const void **)&p, buf,
                                            sizeof buf, deadline)
                     : mirage_tcp_read(f, buf, sizeof buf, deadline);
        if (n <= 0)
            return n == 0 ? total : n;
        for (long i = 0; i < n; i++)
            if (p[i] != tcp_pattern((uint64_t)(total + i)))
                return -1;
        total += n;
    }
}

int tcp_exchange(uint64_t up, uint64_t down, size_t chunk)
{
    struct mirage_tcp_flow *f;
    uint64_t deadline = mirage_now() + MIRAGE_SEC(3600);
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, deadline, &f), 0);
    NCHECK_INT(tcp_write_pattern(f, 0, up, chunk, deadline), 0);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(tcp_read_pattern(f, deadline), (long long)down);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(600)), 0);
    NCHECK(srv.ok);
    NCHECK_INT(srv.received, (long long)up);
    return 0;
}

static int server_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    long long got = tcp_read_pattern(f, MIRAGE_FOREVER);
    srv.received = got;
    if (got < 0) {
        srv.ok = false;
        srv.last_err = (int)got;
    }
    if (got >= 0 && srv.reply) {
        int err = tcp_write_pattern(f, 0, srv.reply, 40000, MIRAGE_FOREVER);
        if (err) {
            srv.ok = false;
            srv.last_err = err;
        }
    }
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

int tcp_server_start(uint64_t reply)
{
    srv.reply = reply;
    return mirage_tcp_listen(tcp_b, 5000, NULL, server_handler, NULL);
}

int tcp_server_wait(int n, uint64_t timeout)
{
    uint64_t end = mirage_now() + timeout;
    while (srv.conns_done < n && mirage_now() < end)
        net_wait(MIRAGE_MSEC(100));
    return srv.conns_done >= n ? 0 : -1;
}

int tcp_echo_handler(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[256];
    long n;
    while ((n = mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER)) > 0)
        mirage_tcp_write(f, buf, (size_t)n, MIRAGE_FOREVER);
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}
