/* The TLS flow layer (lib/tls/flow.c) over real TCP on the test network
 * (two stacks, virtual time), where the engine tests use memory: a
 * transfer both ways at once by two fibers per side (the read and write
 * locks), writev of many pieces, KeyUpdate in the middle of a stream, a
 * handshake that times out against a silent server, a truncation (the
 * transport ending without close_notify), and reads and writes after a
 * failure returning the same error. */
#include "tcp_harness.h"
#include "tls_certgen.h"

#include <mirage/tls.h>
#include <stdlib.h>
#include <string.h>

static struct mirage_tls_server_config *server_cfg;
static struct mirage_tls_client_config *client_cfg;

static void make_configs(void)
{
    static const char *const names[] = {"flow.test", NULL};
    static struct cg_key key;
    cg_key_ec(&key, BR_EC_secp256r1);
    struct cg_cert_opts o = cg_opts("flow.test");
    o.dns = names;
    struct blob cert = cg_cert(&o, &key, &key);
    const char *pem = cg_pem("CERTIFICATE", &cert, 1);
    const char *key_pem = cg_key_pem(&key, true);
    struct mirage_tls_server_options so = {.random = cg_random()};
    struct mirage_tls_client_options co = {.random = cg_random(),
                                           .pclock = cg_pclock()};
    if (mirage_tls_server_config_create(&so, &server_cfg) ||
        mirage_tls_server_config_add(server_cfg, pem, strlen(pem), key_pem,
                                     strlen(key_pem)) ||
        mirage_tls_client_config_create(&co, &client_cfg) ||
        mirage_tls_client_config_add_anchors(client_cfg, pem, strlen(pem)))
        abort();
}

#define PORT 4433
static uint64_t in(uint64_t ns)
{
    return mirage_now() + ns;
}

/* Our client's session to node b's PORT: 0 or the error. */
static int client(struct mirage_tls_flow **out)
{
    struct mirage_tcp_flow *tcp;
    int err =
        mirage_tcp_connect(tcp_a, &addr_b, PORT, in(MIRAGE_SEC(10)), &tcp);
    if (err)
        return err;
    return mirage_tls_client_of_flow(client_cfg, "flow.test", &tcp->flow,
                                     in(MIRAGE_SEC(10)), out);
}

/* ---- Both ways at once -------------------------------------------------- */

#define BULK (512 * 1024)

/* Write BULK bytes of the pattern in uneven pieces, then shut writing
 * down; arg is the flow. */
static int write_bulk(void *arg)
{
    struct mirage_flow *f = arg;
    uint8_t buf[7000];
    for (uint64_t off = 0; off < BULK;) {
        size_t n = 1 + (size_t)(off * 7919 % sizeof buf);
        if (n > BULK - off)
            n = (size_t)(BULK - off);
        for (size_t i = 0; i < n; i++)
            buf[i] = tcp_pattern(off + i);
        if (mirage_flow_write(f, buf, n, MIRAGE_FOREVER) != (long)n)
            return 1;
        off += n;
    }
    return mirage_flow_shutdown(f, MIRAGE_FLOW_SHUT_WRITE) ? 1 : 0;
}

/* Read the pattern to the end of the stream: the count, or -1. */
static long long read_bulk(struct mirage_flow *f)
{
    uint8_t buf[5000];
    long long total = 0;
    for (;;) {
        long n = mirage_flow_read(f, buf, sizeof buf, in(MIRAGE_SEC(60)));
        if (n <= 0)
            return n == 0 ? total : -1;
        for (long i = 0; i < n; i++)
            if (buf[i] != tcp_pattern((uint64_t)(total + i)))
                return -1;
        total += n;
    }
}

static long long server_got;
static bool server_wrote;

/* Each side: a writer fiber while this one reads. */
static int both_ways(struct mirage_flow *f, long long *got)
{
    struct mirage_fiber *w = mirage_fiber_spawn(write_bulk, f, 0);
    if (!w)
        return 1;
    *got = read_bulk(f);
    return mirage_fiber_join(w);
}

static int bulk_server(void *arg, struct mirage_tcp_flow *tcp)
{
    (void)arg;
    struct mirage_tls_flow *t;
    if (mirage_tls_server_of_flow(server_cfg, &tcp->flow, in(MIRAGE_SEC(10)),
                                  &t) == 0) {
        server_wrote = both_ways(&t->flow, &server_got) == 0;
        mirage_tls_close(t);
    }
    srv.conns_done++;
    return 0;
}

static int both_ways_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, PORT, NULL, bulk_server, NULL), 0);
    struct mirage_tls_flow *t;
    NCHECK_INT(client(&t), 0);
    long long got;
    NCHECK_INT(both_ways(&t->flow, &got), 0);
    NCHECK_INT(got, BULK);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(10)), 0);
    NCHECK(server_wrote);
    NCHECK_INT(server_got, BULK);
    mirage_tls_close(t);
    tcp_stop();
    return 0;
}

TEST(both_ways_at_once)
{
    net_run(11, tcp_setup, both_ways_body);
}

/* ---- writev and KeyUpdate ------------------------------------------------ */

/* Echo until the end of the stream, then close. */
static int echo_server(void *arg, struct mirage_tcp_flow *tcp)
{
    (void)arg;
    struct mirage_tls_flow *t;
    if (mirage_tls_server_of_flow(server_cfg, &tcp->flow, in(MIRAGE_SEC(10)),
                                  &t) == 0) {
        char buf[3000];
        long n;
        while ((n = mirage_tls_read(t, buf, sizeof buf, MIRAGE_FOREVER)) > 0)
            if (mirage_tls_write(t, buf, (size_t)n, MIRAGE_FOREVER) != n)
                break;
        mirage_tls_close(t);
    }
    srv.conns_done++;
    return 0;
}

/* Read exactly len bytes: 0 or -1. */
static int read_exactly(struct mirage_tls_flow *t, uint8_t *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        long n = mirage_tls_read(t, buf + got, len - got, in(MIRAGE_SEC(10)));
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

static int writev_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, PORT, NULL, echo_server, NULL), 0);
    struct mirage_tls_flow *t;
    NCHECK_INT(client(&t), 0);
    /* 64 pieces of 1 to 1000 bytes (more than a record in all). */
    static uint8_t data[64 * 1000], back[64 * 1000];
    struct mirage_iovec iov[64];
    size_t total = 0;
    for (int i = 0; i < 64; i++) {
        size_t n = 1 + (size_t)(i * 997 % 1000);
        for (size_t j = 0; j < n; j++)
            data[total + j] = tcp_pattern(total + j);
        iov[i] = (struct mirage_iovec){data + total, n};
        total += n;
    }
    NCHECK_INT(mirage_tls_writev(t, iov, 64, MIRAGE_FOREVER), (long)total);
    NCHECK_INT(read_exactly(t, back, total), 0);
    NCHECK(memcmp(data, back, total) == 0);
    /* KeyUpdate, asking the server to update too, between two writes. */
    NCHECK_INT(mirage_tls_key_update(t, true, MIRAGE_FOREVER), 0);
    NCHECK_INT(mirage_tls_write(t, "after", 5, MIRAGE_FOREVER), 5);
    NCHECK_INT(read_exactly(t, back, 5), 0);
    NCHECK(memcmp(back, "after", 5) == 0);
    struct mirage_tls_info info;
    mirage_tls_get_info(t, &info);
    NCHECK_INT(info.key_updates, 1); /* the server's answer */
    NCHECK_INT(mirage_tls_shutdown(t, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(mirage_tls_read(t, back, 10, in(MIRAGE_SEC(10))), 0);
    mirage_tls_close(t);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(10)), 0);
    tcp_stop();
    return 0;
}

TEST(writev_and_key_update)
{
    net_run(12, tcp_setup, writev_body);
}

/* ---- Failures -------------------------------------------------------------
 */

/* A TCP server that accepts and says nothing until the client leaves. */
static int mute_server(void *arg, struct mirage_tcp_flow *tcp)
{
    (void)arg;
    char buf[512];
    while (mirage_tcp_read(tcp, buf, sizeof buf, MIRAGE_FOREVER) > 0)
        ;
    mirage_tcp_close(tcp);
    srv.conns_done++;
    return 0;
}

static int timeout_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, PORT, NULL, mute_server, NULL), 0);
    struct mirage_tcp_flow *tcp;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, PORT, MIRAGE_FOREVER, &tcp),
               0);
    struct mirage_tls_flow *t;
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tls_client_of_flow(client_cfg, "flow.test", &tcp->flow,
                                         t0 + MIRAGE_SEC(3), &t),
               MIRAGE_ETIMEDOUT);
    NCHECK(mirage_now() >= t0 + MIRAGE_SEC(3));
    /* The TCP flow was closed: the server's read ends. */
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(10)), 0);
    tcp_stop();
    return 0;
}

TEST(handshake_timeout_closes_the_transport)
{
    net_run(13, tcp_setup, timeout_body);
}

/* Handshake, write a line, then end the TCP stream without close_notify. */
static int truncating_server(void *arg, struct mirage_tcp_flow *tcp)
{
    (void)arg;
    struct mirage_tls_flow *t;
    if (mirage_tls_server_of_flow(server_cfg, &tcp->flow, in(MIRAGE_SEC(10)),
                                  &t) == 0) {
        mirage_tls_write(t, "line\n", 5, MIRAGE_FOREVER);
        /* Under the session: the transport alone. */
        mirage_tcp_shutdown(tcp, MIRAGE_FLOW_SHUT_WRITE);
        net_wait(MIRAGE_SEC(1));
        mirage_tls_close(t);
    }
    srv.conns_done++;
    return 0;
}

static int truncation_body(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, PORT, NULL, truncating_server, NULL),
               0);
    struct mirage_tls_flow *t;
    NCHECK_INT(client(&t), 0);
    uint8_t buf[16];
    NCHECK_INT(read_exactly(t, buf, 5), 0);
    NCHECK_INT(mirage_tls_read(t, buf, sizeof buf, in(MIRAGE_SEC(10))),
               MIRAGE_EPROTO);
    /* Sticky: every later call fails the same way. */
    NCHECK_INT(mirage_tls_read(t, buf, sizeof buf, in(MIRAGE_SEC(1))),
               MIRAGE_EPROTO);
    NCHECK_INT(mirage_tls_write(t, "x", 1, in(MIRAGE_SEC(1))), MIRAGE_EPROTO);
    mirage_tls_close(t);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(10)), 0);
    tcp_stop();
    return 0;
}

TEST(truncation_is_an_error_that_sticks)
{
    net_run(14, tcp_setup, truncation_body);
}

int main(void)
{
    make_configs();
    return test_main();
}
