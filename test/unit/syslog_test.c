/* The syslog devices: RFC 5424 formatting and the message ring hosted,
 * then each transport on the test network (virtual time) against a
 * receiver on the other node: bad settings refused; UDP datagrams (the
 * server given as text); TCP octet-counted frames,
 * the --logs thresholds applied, a server that goes away (messages wait,
 * the oldest are dropped and counted, the count is sent first when the
 * server is back after backoff). */
#include "../../lib/syslog/ring.h"
#include "tcp_harness.h"

#include <mirage/log.h>
#include <mirage/stack.h>
#include <mirage/syslog.h>
#include <stdio.h>
#include <stdlib.h>

TEST(format)
{
    char buf[512];
    /* 2026-12-06T08:30:01.123456Z */
    uint64_t t = 1796545801ull * 1000000000ull + 123456789ull;
    size_t n = mirage_syslog_format(buf, sizeof buf, 0, t, "web-1", "http",
                                    MIRAGE_LOG_INFO, "GET / 200");
    CHECK_STR(buf, "<14>1 2026-12-06T08:30:01.123456Z web-1 http - - - GET / "
                   "200");
    CHECK_INT(n, strlen(buf));
    mirage_syslog_format(buf, sizeof buf, 0, t, NULL, "", MIRAGE_LOG_ERROR,
                         "x");
    CHECK_STR(buf, "<11>1 2026-12-06T08:30:01.123456Z - - - - - x");
    mirage_syslog_format(buf, sizeof buf, 0, t, "a b\x01", "src name",
                         MIRAGE_LOG_APP, "m");
    CHECK_STR(buf, "<13>1 2026-12-06T08:30:01.123456Z a_b_ src_name - - - m");
    mirage_syslog_format(buf, sizeof buf, 0, t, "h", "s", MIRAGE_LOG_WARNING,
                         "");
    CHECK(strncmp(buf, "<12>1 ", 6) == 0);
    mirage_syslog_format(buf, sizeof buf, 0, t, "h", "s", MIRAGE_LOG_DEBUG, "");
    CHECK(strncmp(buf, "<15>1 ", 6) == 0);
    /* truncation, and a source name over 48 bytes */
    n = mirage_syslog_format(buf, sizeof buf, 40, t, "h", "s", MIRAGE_LOG_INFO,
                             "a long message that does not fit");
    CHECK_INT(n, 40);
    CHECK_INT(strlen(buf), 40);
    char longname[80];
    memset(longname, 'n', 79);
    longname[79] = '\0';
    mirage_syslog_format(buf, sizeof buf, 0, t, "h", longname, MIRAGE_LOG_INFO,
                         "m");
    CHECK(strstr(
        buf, " h nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn - - - m"));
}

TEST(ring)
{
    uint8_t buf[64];
    struct syslog_ring r;
    syslog_ring_init(&r, buf, sizeof buf);
    char out[64];
    CHECK_INT(syslog_ring_push(&r, "first", 5), 0);
    CHECK_INT(syslog_ring_push(&r, "second", 6), 0);
    CHECK_INT(r.count, 2);
    CHECK_INT(syslog_ring_peek(&r, 1, out, sizeof out), 6);
    CHECK(memcmp(out, "second", 6) == 0);
    CHECK_INT(syslog_ring_peek(&r, 2, out, sizeof out), 0);
    CHECK_INT(syslog_ring_peek(&r, 0, out, 3), 0); /* does not fit */
    /* wrapping around, the oldest dropped for room */
    for (int i = 0; i < 20; i++) {
        char m[16];
        int n = snprintf(m, sizeof m, "message %02d", i);
        syslog_ring_push(&r, m, (size_t)n);
    }
    CHECK_INT(r.count, 5); /* 5 * (10 + 2) bytes fit in 64 */
    CHECK_INT(syslog_ring_peek(&r, 0, out, sizeof out), 10);
    CHECK(memcmp(out, "message 15", 10) == 0);
    CHECK_INT(syslog_ring_peek(&r, 4, out, sizeof out), 10);
    CHECK(memcmp(out, "message 19", 10) == 0);
    syslog_ring_pop(&r, 4);
    CHECK_INT(r.count, 1);
    CHECK_INT(syslog_ring_push(&r, buf, 63), 1); /* cannot fit: dropped */
    CHECK_INT(syslog_ring_push(&r, "x", 1), 0);
    CHECK_INT(r.count, 2);
}

/* ---- on the test network: node 1 logs to node 0 ---------------------- */

MIRAGE_LOG_SRC(app_src, "app", "The test's messages");

static char got[1 << 16];
static size_t got_len;
static int datagrams;

static void on_udp(void *arg, const struct mirage_udp_peer *peer,
                   const uint8_t *data, size_t len)
{
    (void)arg;
    (void)peer;
    if (got_len + len + 1 < sizeof got) {
        memcpy(got + got_len, data, len);
        got_len += len;
        got[got_len++] = '\n';
        got[got_len] = '\0';
    }
    datagrams++;
}

static struct mirage_stack stack;

static int start_nodes(void)
{
    if (tcp_start())
        return -1;
    stack = (struct mirage_stack){.udp = node_get(1)->udp, .tcp = tcp_b};
    got_len = 0;
    got[0] = '\0';
    datagrams = 0;
    return 0;
}

static void stop_nodes(struct mirage_syslog *s)
{
    mirage_syslog_disconnect(s);
    net_wait(MIRAGE_SEC(61)); /* out of any backoff, the flows closed */
    tcp_stop();
}

static int udp_body(void)
{
    NCHECK_INT(start_nodes(), 0);
    NCHECK_INT(mirage_udp_listen(node_get(0)->udp, 514, on_udp, NULL, NULL), 0);
    struct mirage_syslog *s;
    /* Bad settings start nothing: a port out of range, a server given as
     * text that is empty or not an address, TLS without a configuration. */
    struct mirage_syslog_config bad = {"unikernel", addr_a, 70000, 0, NULL};
    NCHECK_INT(mirage_syslog_connect_udp(&s, &stack, NULL, &bad),
               MIRAGE_EINVAL);
    bad.port = -1;
    NCHECK_INT(mirage_syslog_connect_tcp(&s, &stack, NULL, &bad),
               MIRAGE_EINVAL);
    bad.port = 0;
    bad.server_text = "";
    NCHECK_INT(mirage_syslog_connect_udp(&s, &stack, NULL, &bad),
               MIRAGE_EINVAL);
    bad.server_text = "10.0.0.300";
    NCHECK_INT(mirage_syslog_connect_udp(&s, &stack, NULL, &bad),
               MIRAGE_EINVAL);
    NCHECK_INT(mirage_syslog_connect_tls(&s, &stack, NULL, NULL, &bad),
               MIRAGE_EINVAL);
    /* The server as text (what --syslog gives) takes the place of
     * .server. */
    char text[MIRAGE_IPADDR_STRLEN];
    struct mirage_syslog_config cfg = {
        "unikernel", {0}, 0, 0, mirage_ipaddr_to_string(&addr_a, text)};
    NCHECK_INT(mirage_syslog_connect_udp(&s, &stack, NULL, &cfg), 0);
    NCHECK_INT(mirage_log_set_levels("info,app:warning", NULL), 0);
    mirage_log_src_info(&app_src, "not sent: below app's threshold");
    mirage_log_src_warn(&app_src, "first %d", 1);
    mirage_log_src_err(&app_src, "second");
    mirage_log_info("from the application");
    mirage_log_debug("not sent either");
    NCHECK_INT(mirage_syslog_flush(s, mirage_now() + MIRAGE_SEC(5)), 0);
    net_wait(MIRAGE_MSEC(200));
    NCHECK_INT(datagrams, 3);
    NCHECK(strstr(got, "<12>1 ") == got);
    NCHECK(strstr(got, " unikernel app - - - first 1\n") != NULL);
    NCHECK(strstr(got, "\n<11>1 ") != NULL);
    NCHECK(strstr(got, " unikernel app - - - second\n") != NULL);
    NCHECK(strstr(got, " unikernel application - - - from the application\n"));
    NCHECK(!strstr(got, "not sent"));
    NCHECK_INT(mirage_syslog_stats(s)->sent, 3);
    NCHECK_INT(mirage_syslog_stats(s)->dropped, 0);
    mirage_log_set_levels("info", NULL);
    stop_nodes(s);
    return 0;
}

TEST(syslog_udp)
{
    net_run(31, tcp_setup, udp_body);
}

/* The TCP receiver on node 0, port 514: octet-counted frames parsed into
 * lines in `got`; `served` connections so far. */
static int frames;
static bool framing_ok = true;
static struct mirage_tcp_flow *current; /* the receiver's connection */

static int tcp_receiver(void *arg, struct mirage_tcp_flow *f)
{
    (void)arg;
    current = f;
    static char buf[1 << 16];
    size_t len = 0;
    for (;;) {
        long n =
            mirage_tcp_read(f, buf + len, sizeof buf - len, MIRAGE_FOREVER);
        if (n <= 0)
            break;
        len += (size_t)n;
        for (;;) {
            char *sp = memchr(buf, ' ', len);
            if (!sp)
                break;
            size_t count = strtoul(buf, NULL, 10);
            size_t head = (size_t)(sp + 1 - buf);
            if (count == 0 || sp == buf)
                framing_ok = false;
            if (len < head + count)
                break;
            if (got_len + count + 1 < sizeof got) {
                memcpy(got + got_len, buf + head, count);
                got_len += count;
                got[got_len++] = '\n';
                got[got_len] = '\0';
            }
            frames++;
            memmove(buf, buf + head + count, len - head - count);
            len -= head + count;
        }
    }
    current = NULL;
    mirage_tcp_close(f);
    return 0;
}

static int tcp_body(void)
{
    NCHECK_INT(start_nodes(), 0);
    frames = 0;
    struct mirage_syslog_config cfg = {"unikernel", addr_a, 601, 0};
    struct mirage_syslog *s;
    NCHECK_INT(mirage_syslog_connect_tcp(&s, &stack, NULL, &cfg), 0);
    /* Nobody listens yet: the messages wait, the device retries. */
    for (int i = 0; i < 10; i++)
        mirage_log_info("early %d", i);
    net_wait(MIRAGE_SEC(5));
    NCHECK(mirage_syslog_stats(s)->failures >= 2);
    NCHECK_INT(mirage_syslog_stats(s)->queued, 10);
    NCHECK_INT(mirage_tcp_listen(tcp_a, 601, NULL, tcp_receiver, NULL), 0);
    NCHECK_INT(mirage_syslog_flush(s, mirage_now() + MIRAGE_SEC(60)), 0);
    net_wait(MIRAGE_MSEC(500));
    NCHECK_INT(frames, 10);
    NCHECK(framing_ok);
    NCHECK(strstr(got, "application - - - early 0\n") != NULL);
    NCHECK(strstr(got, "application - - - early 9\n") != NULL);
    NCHECK(mirage_syslog_stats(s)->connected);
    /* The server goes away: the next message finds the connection
     * closed and waits; then more messages than the ring holds: the
     * oldest (that one first) are dropped and counted, and the count
     * arrives first when the server is back. */
    mirage_tcp_unlisten(tcp_a, 601);
    NCHECK(current != NULL);
    mirage_tcp_shutdown(current, MIRAGE_FLOW_SHUT_RDWR);
    net_wait(MIRAGE_SEC(1));
    mirage_log_info("probe");
    net_wait(MIRAGE_SEC(3));
    NCHECK(!mirage_syslog_stats(s)->connected);
    static char filler[600];
    memset(filler, 'f', sizeof filler - 1);
    for (int i = 0; i < 300; i++)
        mirage_log_info("burst %03d %s", i, filler);
    net_wait(MIRAGE_SEC(10));
    NCHECK(mirage_syslog_stats(s)->dropped > 0);
    uint64_t dropped = mirage_syslog_stats(s)->dropped;
    NCHECK_INT(mirage_tcp_listen(tcp_a, 601, NULL, tcp_receiver, NULL), 0);
    got_len = 0;
    got[0] = '\0';
    frames = 0;
    NCHECK_INT(mirage_syslog_flush(s, mirage_now() + MIRAGE_SEC(120)), 0);
    net_wait(MIRAGE_SEC(1));
    char want[64];
    snprintf(want, sizeof want, "syslog - - - syslog: %llu messages dropped\n",
             (unsigned long long)dropped);
    NCHECK(strstr(got, want) != NULL);
    NCHECK(strstr(got, want) < strstr(got, "burst 299"));
    NCHECK(strstr(got, "burst 000") == NULL);
    NCHECK(strstr(got, "probe") == NULL);
    NCHECK_INT((uint64_t)frames, 1 + 301 - dropped);
    NCHECK(framing_ok);
    stop_nodes(s);
    return 0;
}

TEST(syslog_tcp)
{
    net_run(32, tcp_setup, tcp_body);
}

int main(void)
{
    return test_main();
}
