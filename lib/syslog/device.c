/* The syslog devices (syslog.h): the log reporter that formats messages
 * into the ring, and the fiber that sends them over UDP, or over TCP or
 * TLS with octet counting, reconnecting with backoff. */
#include "internal.h"
#include "ring.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/plat.h>
#include <mirage/syslog.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The device's own notes go straight to the console under this name. */
static struct mirage_log_src note_src = {"syslog", "The syslog reporter", 0,
                                         NULL};

#define BACKOFF_MIN  MIRAGE_SEC(1)
#define BACKOFF_MAX  MIRAGE_SEC(60)
#define CONNECT_WAIT MIRAGE_SEC(10)
#define WRITE_WAIT   MIRAGE_SEC(30)
#define TRUNCATE_UDP 2048
#define TRUNCATE_TCP 8192
/* Bytes sent in one write over TCP. */
#define BATCH 16384

struct mirage_syslog {
    struct mirage_syslog_stats stats;
    bool tcp; /* a stream: TCP, or TLS when secure is set */
    const struct syslog_secure *secure;
    void *secure_arg;
    struct mirage_stack *stack;
    struct mirage_pclock *clock;
    char hostname[256];
    struct mirage_ipaddr server;
    uint16_t port;
    size_t truncate;
    struct syslog_ring ring;
    uint64_t unreported;   /* drops not yet told to the server */
    size_t dropped_during; /* drops while a batch was being written */
    mirage_cond wake, idle;
    bool stopping;
    struct mirage_flow *flow;
    char msg[TRUNCATE_TCP + 1]; /* the reporter's formatting buffer */
    char batch[BATCH + TRUNCATE_TCP + 16];
    uint8_t ring_buf[MIRAGE_SYSLOG_RING];
};

static uint64_t now_ns(const struct mirage_syslog *s)
{
    return s->clock ? mirage_pclock_now_ns(s->clock) : plat_clock_wall();
}

static void note(const struct mirage_syslog *s, enum mirage_log_level l,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(const struct mirage_syslog *s, enum mirage_log_level l,
                 const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    mirage_log_console_reporter(&note_src, l, text, s ? s->clock : NULL);
}

static void enqueue(struct mirage_syslog *s, const char *source, int level,
                    const char *text)
{
    size_t len =
        mirage_syslog_format(s->msg, sizeof s->msg, s->truncate, now_ns(s),
                             s->hostname, source, level, text);
    size_t lost = syslog_ring_push(&s->ring, s->msg, len);
    s->stats.dropped += lost;
    s->unreported += lost;
    s->dropped_during += lost;
    s->stats.queued = s->ring.count;
    mirage_cond_signal(&s->wake);
}

/* The log reporter: format and queue; never blocks. */
static void report(struct mirage_log_src *src, enum mirage_log_level l,
                   const char *msg, void *arg)
{
    enqueue(arg, src->name, (int)l, msg);
}

/* A TCP connection to the server, and TLS over it for syslog_tls: 0
 * with s->flow set, or the error. May yield. */
static int open_stream(struct mirage_syslog *s)
{
    uint64_t deadline = mirage_now() + CONNECT_WAIT;
    struct mirage_tcp_flow *tcp;
    int err =
        mirage_tcp_connect(s->stack->tcp, &s->server, s->port, deadline, &tcp);
    if (err)
        return err;
    if (!s->secure) {
        s->flow = &tcp->flow;
        return 0;
    }
    return s->secure->wrap(s->secure_arg, &s->server, &tcp->flow, deadline,
                           &s->flow);
}

/* TCP and TLS: make a connection, or wait before the next try. May
 * yield. */
static bool ensure_connected(struct mirage_syslog *s, uint64_t *backoff)
{
    if (s->flow)
        return true;
    int err = open_stream(s);
    if (err) {
        s->flow = NULL;
        s->stats.failures++;
        if (*backoff == BACKOFF_MIN)
            note(s, MIRAGE_LOG_WARNING,
                 "cannot reach the syslog server: %s; retrying, messages "
                 "wait",
                 mirage_strerror(err));
        mirage_sleep_ns(*backoff);
        *backoff = *backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : *backoff * 2;
        return false;
    }
    if (*backoff != BACKOFF_MIN)
        note(s, MIRAGE_LOG_INFO, "syslog server reached again");
    *backoff = BACKOFF_MIN;
    s->stats.connects++;
    s->stats.connected = true;
    return true;
}

static void lose_connection(struct mirage_syslog *s, long err)
{
    note(s, MIRAGE_LOG_WARNING, "syslog connection lost: %s",
         mirage_strerror((int)err));
    mirage_flow_close(s->flow);
    s->flow = NULL;
    s->stats.connected = false;
    s->stats.failures++;
}

/* TCP: whether the server has closed the connection (or reset it). A
 * syslog server sends nothing, so any end of its stream means the
 * messages written next would be lost. Does not wait. */
static long server_gone(struct mirage_syslog *s)
{
    char junk[256];
    long n;
    while ((n = mirage_flow_read(s->flow, junk, sizeof junk, mirage_now())) > 0)
        ;
    return n == MIRAGE_ETIMEDOUT ? 0 : n == 0 ? MIRAGE_ECLOSED : n;
}

/* Send one message now: 0 or the TCP write's error. May yield. */
static long send_one(struct mirage_syslog *s, const char *m, size_t len)
{
    if (!s->tcp) {
        if (mirage_udp_write(s->stack->udp, NULL, 0, &s->server, s->port, m,
                             len) != 0)
            return 0; /* lost like any datagram */
        s->stats.sent++;
        return 0;
    }
    long gone = server_gone(s);
    if (gone)
        return gone;
    char frame[16];
    int n = snprintf(frame, sizeof frame, "%zu ", len);
    struct mirage_iovec iov[2] = {{frame, (size_t)n}, {m, len}};
    long w = mirage_flow_writev(s->flow, iov, 2, mirage_now() + WRITE_WAIT);
    if (w != (long)(len + (size_t)n))
        return w < 0 ? w : MIRAGE_ETIMEDOUT;
    s->stats.sent++;
    return 0;
}

/* Send what the ring holds, oldest first: 0, or the error that stopped
 * a TCP write (the messages stay queued). May yield. */
static long send_queued(struct mirage_syslog *s)
{
    if (!s->tcp) {
        char *m = s->batch;
        size_t len;
        while ((len = syslog_ring_peek(&s->ring, 0, m, TRUNCATE_TCP))) {
            if (mirage_udp_write(s->stack->udp, NULL, 0, &s->server, s->port, m,
                                 len) == 0)
                s->stats.sent++;
            else
                s->stats.dropped++; /* no route, no memory: lost */
            syslog_ring_pop(&s->ring, 1);
        }
        return 0;
    }
    /* TCP: octet-counted frames, "LEN SP MSG", a batch at a time. */
    size_t n = 0, used = 0;
    for (;;) {
        char m[TRUNCATE_TCP];
        size_t len = syslog_ring_peek(&s->ring, n, m, sizeof m);
        if (!len || (n && used + len + 8 > BATCH))
            break;
        used += (size_t)snprintf(s->batch + used, 8, "%zu ", len);
        memcpy(s->batch + used, m, len);
        used += len;
        n++;
    }
    if (!n)
        return 0;
    long gone = server_gone(s);
    if (gone)
        return gone;
    /* The write may yield: messages logged meanwhile may push the oldest
     * out of a full ring, and those were the ones being sent. */
    s->dropped_during = 0;
    long w =
        mirage_flow_write(s->flow, s->batch, used, mirage_now() + WRITE_WAIT);
    if (w != (long)used)
        return w < 0 ? w : MIRAGE_ETIMEDOUT;
    syslog_ring_pop(&s->ring,
                    n - (s->dropped_during < n ? s->dropped_during : n));
    s->stats.sent += n;
    return 0;
}

static int sender(void *arg)
{
    struct mirage_syslog *s = arg;
    uint64_t backoff = BACKOFF_MIN;
    while (!s->stopping) {
        s->stats.queued = s->ring.count;
        if (!s->ring.count && !s->unreported) {
            mirage_cond_broadcast(&s->idle);
            mirage_cond_wait(&s->wake, MIRAGE_FOREVER);
            continue;
        }
        if (s->tcp && !ensure_connected(s, &backoff))
            continue;
        if (s->stopping)
            break;
        if (s->unreported) {
            /* Told first, ahead of what is queued. */
            char text[64];
            snprintf(text, sizeof text, "syslog: %llu messages dropped",
                     (unsigned long long)s->unreported);
            size_t len = mirage_syslog_format(
                s->msg, sizeof s->msg, s->truncate, now_ns(s), s->hostname,
                "syslog", MIRAGE_LOG_WARNING, text);
            long err = send_one(s, s->msg, len);
            if (err) {
                lose_connection(s, err);
                continue;
            }
            note(s, MIRAGE_LOG_WARNING, "%s", text);
            s->unreported = 0;
        }
        long err = send_queued(s);
        if (err && !s->stopping)
            lose_connection(s, err);
    }
    if (s->flow)
        mirage_flow_close(s->flow);
    mirage_cond_broadcast(&s->idle);
    free(s);
    return 0;
}

int syslog_device_start(bool tcp, const struct syslog_secure *secure,
                        void *secure_arg, struct mirage_stack *stack,
                        struct mirage_pclock *clock,
                        const struct mirage_syslog_config *c,
                        struct mirage_syslog **out)
{
    if (!c || !stack || (tcp ? !stack->tcp : !stack->udp))
        return MIRAGE_EINVAL;
    struct mirage_ipaddr server = c->server;
    if (c->server_text) {
        if (!*c->server_text) {
            note(NULL, MIRAGE_LOG_ERROR,
                 "no syslog server given (--syslog=ADDRESS)");
            return MIRAGE_EINVAL;
        }
        if (mirage_ipaddr_parse(c->server_text, &server) != 0) {
            note(NULL, MIRAGE_LOG_ERROR,
                 "bad syslog server '%s' (expected an IP address)",
                 c->server_text);
            return MIRAGE_EINVAL;
        }
    }
    if (c->port < 0 || c->port > 65535) {
        note(NULL, MIRAGE_LOG_ERROR, "bad syslog port %d (expected 1 to 65535)",
             c->port);
        return MIRAGE_EINVAL;
    }
    struct mirage_syslog *s = calloc(1, sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    s->tcp = tcp;
    s->secure = secure;
    s->secure_arg = secure_arg;
    s->stack = stack;
    s->clock = clock;
    snprintf(s->hostname, sizeof s->hostname, "%s",
             c->hostname ? c->hostname : "");
    s->server = server;
    s->port = c->port ? (uint16_t)c->port : secure ? 6514 : 514;
    s->truncate = tcp ? TRUNCATE_TCP : TRUNCATE_UDP;
    if (c->truncate && c->truncate < s->truncate)
        s->truncate = c->truncate;
    s->stats.connected = !tcp;
    syslog_ring_init(&s->ring, s->ring_buf, sizeof s->ring_buf);
    mirage_waitq_init(&s->wake);
    mirage_waitq_init(&s->idle);
    struct mirage_fiber *f = mirage_fiber_spawn(sender, s, 0);
    if (!f) {
        free(s);
        return MIRAGE_ENOMEM;
    }
    mirage_fiber_detach(f);
    mirage_log_set_reporter(report, s);
    *out = s;
    return 0;
}

int mirage_syslog_connect_udp(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              const struct mirage_syslog_config *config)
{
    return syslog_device_start(false, NULL, NULL, stack, clock, config, out);
}

int mirage_syslog_connect_tcp(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              const struct mirage_syslog_config *config)
{
    return syslog_device_start(true, NULL, NULL, stack, clock, config, out);
}

const struct mirage_syslog_stats *
mirage_syslog_stats(const struct mirage_syslog *s)
{
    return &s->stats;
}

void mirage_syslog_disconnect(struct mirage_syslog *s)
{
    mirage_log_set_reporter(mirage_log_console_reporter, NULL);
    s->stopping = true;
    if (s->flow)
        mirage_flow_shutdown(s->flow, MIRAGE_FLOW_SHUT_RDWR);
    mirage_cond_broadcast(&s->wake);
}

int mirage_syslog_flush(struct mirage_syslog *s, uint64_t deadline)
{
    while (s->ring.count || s->unreported)
        if (mirage_cond_wait(&s->idle, deadline))
            return MIRAGE_ETIMEDOUT;
    return 0;
}
