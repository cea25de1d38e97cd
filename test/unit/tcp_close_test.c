/* TCP connection life cycles on the test network: both sides closing in
 * every order (TIME_WAIT ending after 2 MSL), refused connections,
 * resets, deadlines, shutdown, zero-window probing, keepalive, the
 * retransmission timer's backoff measured on the virtual clock, and many
 * connections at once. */
#include "../../lib/tcp/conn.h"
#include "tcp_harness.h"

#include <string.h>

#define MSL2 MIRAGE_SEC(60) /* 2 MSL with the default MSL of 30 s */

static uint64_t deadline_in(uint64_t ns)
{
    return mirage_now() + ns;
}

/* ---- closing orders ---- */

static int client_closes_first(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(tcp_server_start(0), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(tcp_write_pattern(f, 0, 1000, 1000, MIRAGE_FOREVER), 0);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    NCHECK(srv.ok);
    NCHECK_INT(srv.received, 1000);
    net_wait(MIRAGE_SEC(1));
    /* The server got the last ACK; the client waits in TIME_WAIT. */
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 1);
    net_wait(MSL2);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(client_closes_first)
{
    net_run(21, tcp_setup, client_closes_first);
}

static int write_and_close(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    if (tcp_write_pattern(f, 0, 5000, 5000, MIRAGE_FOREVER) == 0)
        srv.ok = true;
    mirage_tcp_close(f);
    srv.conns_done++;
    return 0;
}

static int server_closes_first(void)
{
    NCHECK_INT(tcp_start(), 0);
    srv.ok = false;
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, write_and_close, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 5000);
    /* After the end of the stream reads keep saying so. */
    char c;
    NCHECK_INT(mirage_tcp_read(f, &c, 1, MIRAGE_FOREVER), 0);
    mirage_tcp_close(f);
    NCHECK(srv.ok);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 1);
    net_wait(MSL2);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(server_closes_first)
{
    net_run(22, tcp_setup, server_closes_first);
}

static int time_wait_reopened(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, write_and_close, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    uint16_t lport;
    mirage_tcp_endpoints(f, NULL, &lport, NULL, NULL);
    NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 5000);
    mirage_tcp_close(f);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 1);
    /* A new SYN from the same port, newer than the old connection, opens
     * a new one in place of the one in TIME_WAIT (RFC 6191). */
    struct tcp_conn *c;
    NCHECK_INT(
        tcp_conn_connect(tcp_direct_engine(tcp_a), lport, &addr_b, 5000, &c),
        0);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(c->state, TCP_CLOSE_WAIT);
    NCHECK_INT(c->rcvq.len, 5000);
    NCHECK_INT(srv.conns_done, 2);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->timeouts, 0);
    tcp_conn_shutdown(c, true, true);
    tcp_conn_close(c);
    tcp_stop();
    return 0;
}

TEST(time_wait_reopened)
{
    net_run(36, tcp_setup, time_wait_reopened);
}

static int shut_and_drain(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE);
    srv.received = tcp_read_pattern(f, MIRAGE_FOREVER);
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

static int simultaneous_close(void)
{
    NCHECK_INT(tcp_start(), 0);
    /* A delay, so that the two FINs cross on the wire. */
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.delay_ns = MIRAGE_MSEC(10)});
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, shut_and_drain, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    /* The server sees our ACK 10 ms from now and shuts down at once. */
    net_wait(MIRAGE_MSEC(10));
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(mirage_tcp_write(f, "x", 1, MIRAGE_FOREVER), MIRAGE_ECLOSED);
    NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 0);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    NCHECK_INT(srv.received, 0);
    net_wait(MIRAGE_SEC(1));
    /* Both went through CLOSING to TIME_WAIT. */
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 1);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 1);
    net_wait(MSL2);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(simultaneous_close)
{
    net_run(23, tcp_setup, simultaneous_close);
}

static int simultaneous_open(void)
{
    NCHECK_INT(tcp_start(), 0);
    /* Resolve both addresses first, so that the SYNs leave at once and
     * cross on the wire. */
    NCHECK_INT(mirage_udp_write(node_get(0)->udp, NULL, 0, &addr_b, 9, "x", 1),
               0);
    NCHECK_INT(mirage_udp_write(node_get(1)->udp, NULL, 0, &addr_a, 9, "x", 1),
               0);
    net_wait(MIRAGE_SEC(1));
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.delay_ns = MIRAGE_MSEC(10)});
    struct tcp_conn *ca, *cb;
    NCHECK_INT(
        tcp_conn_connect(tcp_direct_engine(tcp_a), 7000, &addr_b, 7001, &ca),
        0);
    NCHECK_INT(
        tcp_conn_connect(tcp_direct_engine(tcp_b), 7001, &addr_a, 7000, &cb),
        0);
    NCHECK_INT(
        tcp_conn_connect(tcp_direct_engine(tcp_b), 7001, &addr_a, 7000, &cb),
        MIRAGE_EINUSE);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(ca->state, TCP_ESTABLISHED);
    NCHECK_INT(cb->state, TCP_ESTABLISHED);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->tx_resets, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->tx_resets, 0);
    NCHECK_INT(tcp_conn_send(ca, "ping", 4), 4);
    NCHECK_INT(tcp_conn_send(cb, "pong", 4), 4);
    net_wait(MIRAGE_SEC(1));
    char buf[8];
    NCHECK_INT(tcp_conn_recv(cb, buf, sizeof buf), 4);
    NCHECK(memcmp(buf, "ping", 4) == 0);
    NCHECK_INT(tcp_conn_recv(ca, buf, sizeof buf), 4);
    NCHECK(memcmp(buf, "pong", 4) == 0);
    NCHECK_INT(tcp_conn_recv(ca, buf, sizeof buf), MIRAGE_EAGAIN);
    /* And a simultaneous close: both end in TIME_WAIT. */
    tcp_conn_close(ca);
    tcp_conn_close(cb);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 1);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 1);
    tcp_stop();
    return 0;
}

TEST(simultaneous_open)
{
    net_run(33, tcp_setup, simultaneous_open);
}

/* ---- refusals and resets ---- */

static int refused(void)
{
    NCHECK_INT(tcp_start(), 0);
    struct mirage_tcp_flow *f = NULL;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 6000, MIRAGE_FOREVER, &f),
               MIRAGE_ECONNREFUSED);
    NCHECK(f == NULL);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->tx_resets, 1);
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 0, MIRAGE_FOREVER, &f),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(connection_refused)
{
    net_run(24, tcp_setup, refused);
}

static int protocol_unreachable(void)
{
    NCHECK_INT(tcp_start(), 0);
    /* Node 1 stops doing TCP: its IP layer answers SYNs with ICMP
     * protocol unreachable, which fails the connection at once. */
    mirage_tcp_disconnect_direct(tcp_b);
    struct mirage_tcp_flow *f;
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f),
               MIRAGE_ECONNREFUSED);
    NCHECK(mirage_now() - t0 < MIRAGE_SEC(1));
    mirage_tcp_disconnect_direct(tcp_a);
    mirage_fiber_yield();
    return 0;
}

TEST(icmp_protocol_unreachable)
{
    net_run(35, tcp_setup, protocol_unreachable);
}

static int read_some_and_close(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[10];
    srv.received = mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER);
    /* Unread data remains: closing resets the connection. */
    mirage_tcp_close(f);
    srv.conns_done++;
    return 0;
}

static int reset_by_peer(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, read_some_and_close, NULL),
               0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(tcp_write_pattern(f, 0, 3000, 3000, MIRAGE_FOREVER), 0);
    char buf[16];
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER),
               MIRAGE_ECONNRESET);
    /* The failure sticks. */
    NCHECK_INT(mirage_tcp_write(f, buf, 1, MIRAGE_FOREVER), MIRAGE_ECONNRESET);
    NCHECK_INT(srv.received, 10);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->rx_resets, 1);
    mirage_tcp_close(f);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(reset_by_peer)
{
    net_run(25, tcp_setup, reset_by_peer);
}

/* ---- deadlines and shutdown ---- */

static int deadlines_and_shutdown(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, tcp_echo_handler, NULL), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, tcp_echo_handler, NULL),
               MIRAGE_EINUSE);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 0, NULL, tcp_echo_handler, NULL),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 7, NULL, NULL, NULL), MIRAGE_EINVAL);
    struct mirage_tcp_keepalive bad = {MIRAGE_SEC(1), 0, 1};
    NCHECK_INT(mirage_tcp_listen(tcp_b, 7, &bad, tcp_echo_handler, NULL),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_tcp_unlisten(tcp_b, 7), MIRAGE_ENOENT);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    struct mirage_ipaddr la, fa;
    uint16_t lp, fp;
    mirage_tcp_endpoints(f, &la, &lp, &fa, &fp);
    NCHECK(mirage_ipaddr_equal(&la, &addr_a));
    NCHECK(mirage_ipaddr_equal(&fa, &addr_b));
    NCHECK_INT(fp, 5000);
    NCHECK(lp >= MIRAGE_TCP_EPHEMERAL_MIN);
    char buf[16];
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, deadline_in(MIRAGE_SEC(2))),
               MIRAGE_ETIMEDOUT);
    NCHECK(mirage_now() - t0 >= MIRAGE_SEC(2));
    NCHECK_INT(mirage_tcp_read(f, buf, 0, MIRAGE_FOREVER), MIRAGE_EINVAL);
    /* The flow still works after a deadline passed. */
    NCHECK_INT(mirage_tcp_nodelay(f, true), 0);
    NCHECK_INT(mirage_tcp_write(f, "hello", 5, MIRAGE_FOREVER), 5);
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER), 5);
    NCHECK(memcmp(buf, "hello", 5) == 0);
    NCHECK_INT(mirage_tcp_keepalive(f, &bad), MIRAGE_EINVAL);
    NCHECK_INT(mirage_tcp_shutdown(f, 0), MIRAGE_EINVAL);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_READ), 0);
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER), 0);
    NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(mirage_tcp_write(f, "x", 1, MIRAGE_FOREVER), MIRAGE_ECLOSED);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    mirage_tcp_close(f);
    NCHECK_INT(mirage_tcp_unlisten(tcp_b, 5000), 0);
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f),
               MIRAGE_ECONNREFUSED);
    tcp_stop();
    return 0;
}

TEST(deadlines_and_shutdown)
{
    net_run(26, tcp_setup, deadlines_and_shutdown);
}

/* ---- zero window ---- */

static int slow_reader(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    net_wait(MIRAGE_SEC(20));
    srv.received = tcp_read_pattern(f, MIRAGE_FOREVER);
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

static int zero_window(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, slow_reader, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    /* More than both queues hold: the writer waits for the reader. */
    uint64_t n = 2 * 1024 * 1024;
    NCHECK_INT(tcp_write_pattern(f, 0, n, 65536, MIRAGE_FOREVER), 0);
    NCHECK(mirage_now() >= MIRAGE_SEC(20));
    NCHECK(mirage_tcp_stats(tcp_a)->window_probes > 0);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(60)), 0);
    NCHECK_INT(srv.received, (long long)n);
    tcp_stop();
    return 0;
}

TEST(zero_window_probing)
{
    net_run(27, tcp_setup, zero_window);
}

static int write_deadline(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, slow_reader, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    /* The queues fill; the deadline cuts the write short. */
    static uint8_t big[1024 * 1024];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = tcp_pattern(i);
    long w = mirage_tcp_write(f, big, sizeof big, deadline_in(MIRAGE_SEC(1)));
    NCHECK(w > 0 && w < (long)sizeof big);
    NCHECK_INT(mirage_tcp_write(f, big + w, sizeof big - (size_t)w,
                                deadline_in(MIRAGE_SEC(1))),
               MIRAGE_ETIMEDOUT);
    /* The rest goes once the reader reads. */
    NCHECK_INT(
        mirage_tcp_write(f, big + w, sizeof big - (size_t)w, MIRAGE_FOREVER),
        (long)(sizeof big - (size_t)w));
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(60)), 0);
    NCHECK_INT(srv.received, (long long)sizeof big);
    tcp_stop();
    return 0;
}

TEST(write_deadline)
{
    net_run(28, tcp_setup, write_deadline);
}

/* A peer that never reads (it sends FIN first when arg is not NULL),
 * then closes after an hour. */
static int never_reads(void *arg, struct mirage_tcp_flow *f)
{
    if (arg)
        mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE);
    net_wait(MIRAGE_SEC(3600));
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

/* Fill f's path to a reader that never reads: the write stops short at
 * its deadline. */
static int fill(struct mirage_tcp_flow *f)
{
    static uint8_t big[2 * 1024 * 1024];
    long w = mirage_tcp_write(f, big, sizeof big, deadline_in(MIRAGE_SEC(5)));
    NCHECK(w > 0 && w < (long)sizeof big);
    return 0;
}

static int zero_window_peer_silent(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, never_reads, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(fill(f), 0);
    /* The peer falls silent: the probes go unanswered, and the writer
     * learns it as it would from retransmissions. */
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.loss_ppm = 1000000});
    uint64_t probes = mirage_tcp_stats(tcp_a)->window_probes;
    static uint8_t more[1000];
    NCHECK_INT(
        mirage_tcp_write(f, more, sizeof more, deadline_in(MIRAGE_SEC(3600))),
        MIRAGE_EUNREACH);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->window_probes - probes, 15);
    mirage_tcp_close(f);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    testnet_set_faults(testnet_plat_net, -1, &(struct testnet_faults){0});
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(3600)), 0);
    tcp_stop();
    return 0;
}

TEST(zero_window_probes_to_a_silent_peer_give_up)
{
    net_run(35, tcp_setup, zero_window_peer_silent);
}

static int zero_window_peer_alive(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, never_reads, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    NCHECK_INT(fill(f), 0);
    /* A peer that answers every probe keeps the connection as long as
     * its user holds it (RFC 1122 §4.2.2.17): 40 minutes here. */
    static uint8_t more[1000];
    NCHECK_INT(
        mirage_tcp_write(f, more, sizeof more, deadline_in(MIRAGE_SEC(2400))),
        MIRAGE_ETIMEDOUT);
    NCHECK(mirage_tcp_stats(tcp_a)->window_probes > 40);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 1);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(3600)), 0);
    tcp_stop();
    return 0;
}

TEST(zero_window_probes_answered_keep_a_held_connection)
{
    net_run(36, tcp_setup, zero_window_peer_alive);
}

/* Closed behind a window the peer keeps shut, in FIN_WAIT_1 or (the peer
 * having closed first) LAST_ACK: the orphan gives up after
 * orphan_retries probes, answered or not, and resets the peer. */
static int zero_window_orphan(bool peer_closes_first)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, never_reads,
                                 peer_closes_first ? &srv : NULL),
               0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    if (peer_closes_first) {
        char c;
        NCHECK_INT(mirage_tcp_read(f, &c, 1, MIRAGE_FOREVER), 0);
    }
    NCHECK_INT(fill(f), 0);
    mirage_tcp_close(f);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 1);
    uint64_t probes = mirage_tcp_stats(tcp_a)->window_probes;
    uint64_t resets = mirage_tcp_stats(tcp_b)->rx_resets;
    /* Probes are a minute apart by then. */
    net_wait(MIRAGE_SEC(600));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_a)->window_probes - probes, 8);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->rx_resets, resets + 1);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(3600)), 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

static int zero_window_orphan_fin_wait(void)
{
    return zero_window_orphan(false);
}

static int zero_window_orphan_last_ack(void)
{
    return zero_window_orphan(true);
}

TEST(zero_window_orphan_in_fin_wait_1_times_out)
{
    net_run(37, tcp_setup, zero_window_orphan_fin_wait);
}

TEST(zero_window_orphan_in_last_ack_times_out)
{
    net_run(38, tcp_setup, zero_window_orphan_last_ack);
}

/* ---- timers ---- */

/* Waits for data that never comes; gives up after 20 minutes. */
#define HOLD_TIME MIRAGE_SEC(1200)
static int hold_open(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[64];
    srv.last_err =
        (int)mirage_tcp_read(f, buf, sizeof buf, deadline_in(HOLD_TIME));
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

static int keepalive(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, hold_open, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    struct mirage_tcp_keepalive ka = {MIRAGE_SEC(10), MIRAGE_SEC(2), 3};
    NCHECK_INT(mirage_tcp_keepalive(f, &ka), 0);
    /* An idle peer that answers keeps the connection up. */
    char buf[8];
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, deadline_in(MIRAGE_SEC(60))),
               MIRAGE_ETIMEDOUT);
    NCHECK(mirage_tcp_stats(tcp_a)->keepalive_probes >= 4);
    /* A silent one does not. */
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.loss_ppm = 1000000});
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER),
               MIRAGE_EUNREACH);
    uint64_t took = mirage_now() - t0;
    /* Probes at 10 s of silence and every 2 s after: the last answer came
     * at most 10 s before the loss began. */
    NCHECK(took >= MIRAGE_SEC(6) && took <= MIRAGE_SEC(16));
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, HOLD_TIME), 0);
    tcp_stop();
    return 0;
}

TEST(keepalive)
{
    net_run(29, tcp_setup, keepalive);
}

/* Times at which node 0 sent TCP segments carrying data. */
static uint64_t sent_at[64];
static int nsent;

static void record_data(void *arg, unsigned port, const uint8_t *frame,
                        size_t len)
{
    (void)arg;
    size_t seg_len;
    const uint8_t *t = tcp_of_frame(frame, len, &seg_len);
    if (port != 0 || !t)
        return;
    size_t hl = (size_t)(t[12] >> 4) * 4;
    if (seg_len > hl && nsent < 64)
        sent_at[nsent++] = testnet_now(testnet_plat_net);
}

static int rto_backoff(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, hold_open, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    /* The peer vanishes: data is sent again and again, each timeout twice
     * the one before (from the 200 ms minimum) up to 60 s, and at the
     * 16th timeout the flow fails: 0.2 + 0.4 + ... + 51.2 + 7 * 60 s
     * after the first send. The wire shows the sends until the address
     * resolution expires. */
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.loss_ppm = 1000000});
    testnet_set_tap(testnet_plat_net, record_data, NULL);
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tcp_write(f, "data", 4, MIRAGE_FOREVER), 4);
    char buf[8];
    NCHECK_INT(mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER),
               MIRAGE_EUNREACH);
    uint64_t took = mirage_now() - t0;
    NCHECK(took >= MIRAGE_MSEC(522200) && took <= MIRAGE_MSEC(522300));
    NCHECK(nsent >= 6);
    uint64_t expect = MIRAGE_MSEC(200);
    for (int i = 1; i < nsent; i++) {
        uint64_t gap = sent_at[i] - sent_at[i - 1];
        NCHECK(gap >= expect && gap <= expect + MIRAGE_MSEC(5));
        expect = expect * 2 > MIRAGE_SEC(60) ? MIRAGE_SEC(60) : expect * 2;
    }
    NCHECK_INT(mirage_tcp_stats(tcp_a)->timeouts, 16);
    testnet_set_tap(testnet_plat_net, NULL, NULL);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, HOLD_TIME), 0);
    tcp_stop();
    return 0;
}

TEST(retransmission_backoff)
{
    net_run(30, tcp_setup, rto_backoff);
}

static int syn_backoff(void)
{
    NCHECK_INT(tcp_start(), 0);
    /* Resolve the peer's address first, then lose everything. */
    NCHECK_INT(mirage_udp_write(node_get(0)->udp, NULL, 0, &addr_b, 9, "x", 1),
               0);
    net_wait(MIRAGE_SEC(1));
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.loss_ppm = 1000000});
    struct mirage_tcp_flow *f;
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000,
                                  deadline_in(MIRAGE_SEC(10)), &f),
               MIRAGE_ETIMEDOUT);
    NCHECK(mirage_now() - t0 >= MIRAGE_SEC(10));
    /* SYNs at 0, 1, 3, 7, 15, 31 and 63 s; the last timeout is held to
     * 60 s, so the attempt fails at 123 s. */
    t0 = mirage_now();
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f),
               MIRAGE_EUNREACH);
    uint64_t took = mirage_now() - t0;
    NCHECK(took >= MIRAGE_SEC(123) && took <= MIRAGE_MSEC(123100));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(syn_backoff)
{
    net_run(31, tcp_setup, syn_backoff);
}

/* ---- Nagle and delayed ACKs ---- */

/* Data segments node 0 sent, and pure ACKs node 1 sent. */
static int data_segs, pure_acks;
static void count_segments(void *arg, unsigned port, const uint8_t *frame,
                           size_t len)
{
    (void)arg;
    size_t seg_len;
    const uint8_t *t = tcp_of_frame(frame, len, &seg_len);
    if (!t)
        return;
    size_t hl = (size_t)(t[12] >> 4) * 4;
    bool has_data = seg_len > hl;
    if (port == 0 && has_data)
        data_segs++;
    if (port == 1 && !has_data && t[13] == TCP_ACK)
        pure_acks++;
}

static int drain(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    char buf[4096];
    long n;
    while ((n = mirage_tcp_read(f, buf, sizeof buf, MIRAGE_FOREVER)) > 0)
        srv.received += n;
    srv.conns_done++;
    mirage_tcp_close(f);
    return 0;
}

/* 100 writes of 10 bytes at once, over a link with a 10 ms delay: the
 * number of data segments they take. */
static int small_writes(struct mirage_tcp_flow *f, bool nodelay)
{
    NCHECK_INT(mirage_tcp_nodelay(f, nodelay), 0);
    net_wait(MIRAGE_SEC(1));
    data_segs = 0;
    for (int i = 0; i < 100; i++)
        NCHECK_INT(mirage_tcp_write(f, "0123456789", 10, MIRAGE_FOREVER), 10);
    net_wait(MIRAGE_SEC(1));
    return 0;
}

static int nagle(void)
{
    NCHECK_INT(tcp_start(), 0);
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.delay_ns = MIRAGE_MSEC(10)});
    NCHECK_INT(mirage_tcp_listen(tcp_b, 5000, NULL, drain, NULL), 0);
    struct mirage_tcp_flow *f;
    NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f), 0);
    testnet_set_tap(testnet_plat_net, count_segments, NULL);
    /* Nagle: the first goes at once, the rest wait for its ACK and go
     * together. */
    NCHECK_INT(small_writes(f, false), 0);
    NCHECK_INT(data_segs, 2);
    /* nodelay: each write is a segment. */
    NCHECK_INT(small_writes(f, true), 0);
    NCHECK_INT(data_segs, 100);
    /* Delayed ACKs: a full-sized segment at a time, the receiver answers
     * every second one. */
    static uint8_t big[20 * 1448];
    pure_acks = 0;
    NCHECK_INT(mirage_tcp_write(f, big, sizeof big, MIRAGE_FOREVER),
               (long)sizeof big);
    net_wait(MIRAGE_SEC(1));
    NCHECK(pure_acks >= 10 && pure_acks <= 12);
    testnet_set_tap(testnet_plat_net, NULL, NULL);
    mirage_tcp_close(f);
    NCHECK_INT(tcp_server_wait(1, MIRAGE_SEC(5)), 0);
    NCHECK_INT(srv.received, 2000 + (long long)sizeof big);
    tcp_stop();
    return 0;
}

TEST(nagle_nodelay_and_delayed_acks)
{
    net_run(37, tcp_setup, nagle);
}

/* ---- many at once ---- */

#define NCLIENTS 40
static int clients_ok;

static int client(void *arg)
{
    (void)arg;
    struct mirage_tcp_flow *f;
    if (mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f))
        return 1;
    if (tcp_write_pattern(f, 0, 30000, 7000, MIRAGE_FOREVER) == 0 &&
        mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE) == 0 &&
        tcp_read_pattern(f, MIRAGE_FOREVER) == 20000)
        clients_ok++;
    mirage_tcp_close(f);
    return 0;
}

static int many_connections(void)
{
    NCHECK_INT(tcp_start(), 0);
    testnet_set_faults(testnet_plat_net, -1,
                       &(struct testnet_faults){.loss_ppm = 10000,
                                                .delay_ns = MIRAGE_MSEC(2)});
    NCHECK_INT(tcp_server_start(20000), 0);
    struct mirage_fiber *fib[NCLIENTS];
    clients_ok = 0;
    for (int i = 0; i < NCLIENTS; i++)
        NCHECK((fib[i] = mirage_fiber_spawn(client, NULL, 0)) != NULL);
    for (int i = 0; i < NCLIENTS; i++)
        NCHECK_INT(mirage_fiber_join(fib[i]), 0);
    NCHECK_INT(clients_ok, NCLIENTS);
    NCHECK_INT(tcp_server_wait(NCLIENTS, MIRAGE_SEC(60)), 0);
    NCHECK(srv.ok);
    net_wait(MSL2 + MIRAGE_SEC(5));
    NCHECK_INT(mirage_tcp_stats(tcp_a)->connections, 0);
    NCHECK_INT(mirage_tcp_stats(tcp_b)->connections, 0);
    tcp_stop();
    return 0;
}

TEST(many_connections)
{
    net_run(32, tcp_setup, many_connections);
}

/* Memory stays bounded over many short connections: TIME_WAIT, where
 * the client's connections end, keeps at most 4096 of them (the oldest
 * go first). */
static int short_connections(void)
{
    NCHECK_INT(tcp_start(), 0);
    NCHECK_INT(tcp_server_start(100), 0);
    uint64_t most = 0;
    for (int i = 0; i < 6000; i++) {
        struct mirage_tcp_flow *f;
        NCHECK_INT(mirage_tcp_connect(tcp_a, &addr_b, 5000, MIRAGE_FOREVER, &f),
                   0);
        NCHECK_INT(tcp_write_pattern(f, 0, 100, 100, MIRAGE_FOREVER), 0);
        NCHECK_INT(mirage_tcp_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
        NCHECK_INT(tcp_read_pattern(f, MIRAGE_FOREVER), 100);
        mirage_tcp_close(f);
        uint64_t n = mirage_tcp_stats(tcp_a)->connections +
                     mirage_tcp_stats(tcp_b)->connections;
        if (n > most)
            most = n;
    }
    NCHECK(srv.ok);
    NCHECK_INT(srv.conns_done, 6000);
    NCHECK(most <= 4096 + 2);
    NCHECK(mirage_tcp_stats(tcp_a)->connections >= 4000);
    tcp_stop();
    return 0;
}

TEST(short_connections_bounded)
{
    net_run(34, tcp_setup, short_connections);
}

int main(void)
{
    return test_main();
}
