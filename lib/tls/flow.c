/* TLS sessions as flows (tls.h): the blocking layer over the engine of
 * internal.h and a transport flow. It owns the buffers (the large
 * handshake buffer and state only during the handshake), moves bytes
 * between the engine and the transport, and orders the fibers that use
 * one session: one reader at a time, one flusher at a time (records are
 * appended to the output without waiting, sent in order by whoever holds
 * the output). shutdown and close may not yield: they hand close_notify
 * to the transport with a deadline already passed, which queues what
 * fits without waiting. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <stdlib.h>
#include <string.h>

/* How long the alert of a failed handshake may take. */
#define ALERT_GRACE MIRAGE_SEC(1)

struct tls_flow {
    struct mirage_tls_flow pub; /* first */
    struct mirage_flow *transport;
    struct tls_conn conn;
    uint8_t *ibuf, *obuf, *hbuf;
    struct tls_hs *hs;
    bool reading, flushing; /* the two locks */
    struct mirage_waitq read_wq, flush_wq;
    int err; /* sticky failure, MIRAGE_E* */
    bool shut_rd, shut_wr;
    bool transport_shut; /* the transport's writing is shut down */
};

static const struct mirage_flow_ops tls_flow_ops;

static bool cert_alert(int a)
{
    return a == TLS_ALERT_BAD_CERTIFICATE ||
           a == TLS_ALERT_UNSUPPORTED_CERTIFICATE ||
           a == TLS_ALERT_CERTIFICATE_REVOKED ||
           a == TLS_ALERT_CERTIFICATE_EXPIRED ||
           a == TLS_ALERT_CERTIFICATE_UNKNOWN || a == TLS_ALERT_UNKNOWN_CA;
}

/* The engine failed: log why once and remember the error. */
static int engine_failed(struct tls_flow *f)
{
    struct tls_conn *c = &f->conn;
    if (f->err)
        return f->err;
    if (c->alert_rcvd >= 0 && c->alert_sent < 0)
        mirage_log_src_warn(&tls_log_src, "%s: received alert %s",
                            c->state == TLS_FAILED && c->hs ? "handshake failed"
                                                            : "session failed",
                            tls_alert_name(c->alert_rcvd));
    else
        mirage_log_src_warn(&tls_log_src, "%s: %s%s%s",
                            c->hs ? "handshake failed" : "session failed",
                            c->why ? c->why : "protocol error",
                            c->alert_sent > 0 ? ", sent alert " : "",
                            c->alert_sent > 0 ? tls_alert_name(c->alert_sent)
                                              : "");
    f->err =
        !c->server && cert_alert(c->alert_sent) ? MIRAGE_EAUTH : MIRAGE_EPROTO;
    return f->err;
}

/* ---- Locks ------------------------------------------------------------ */

static int lock(bool *held, struct mirage_waitq *wq, uint64_t deadline)
{
    if (*held && deadline <= mirage_now())
        return MIRAGE_ETIMEDOUT; /* without waiting (close, shutdown) */
    while (*held) {
        int err = mirage_waitq_wait(wq, deadline);
        if (err)
            return err;
    }
    *held = true;
    return 0;
}

static void unlock(bool *held, struct mirage_waitq *wq)
{
    *held = false;
    mirage_waitq_wake_one(wq);
}

/* ---- Moving bytes ----------------------------------------------------- */

/* Send everything the engine has queued. 0, MIRAGE_ETIMEDOUT (some may
 * remain; the session is intact) or the transport's failure (sticky). */
static int flush(struct tls_flow *f, uint64_t deadline)
{
    int err = lock(&f->flushing, &f->flush_wq, deadline);
    if (err)
        return err;
    for (;;) {
        size_t len;
        const uint8_t *p = tls_conn_output(&f->conn, &len);
        if (len == 0)
            break;
        long n = mirage_flow_write(f->transport, p, len, deadline);
        if (n < 0) {
            err = (int)n;
            if (err != MIRAGE_ETIMEDOUT && !f->err)
                f->err = err;
            break;
        }
        tls_conn_sent(&f->conn, (size_t)n);
    }
    /* After shutdown(WRITE) the transport's stream ends after
     * close_notify. */
    if (!err && f->shut_wr && !f->transport_shut) {
        mirage_flow_shutdown(f->transport, MIRAGE_FLOW_SHUT_WRITE);
        f->transport_shut = true;
    }
    unlock(&f->flushing, &f->flush_wq);
    return err;
}

/* Whether the engine has output to send. */
static bool pending(struct tls_flow *f)
{
    size_t len;
    tls_conn_output(&f->conn, &len);
    return len > 0;
}

/* Read what the transport has into the engine: 1, 0 at its end, or an
 * error (MIRAGE_ETIMEDOUT or the transport's). */
static int fill(struct tls_flow *f, uint64_t deadline)
{
    size_t space;
    uint8_t *p = tls_conn_input_space(&f->conn, &space);
    if (space == 0)
        return 1; /* a whole record is waiting */
    long n = mirage_flow_read(f->transport, p, space, deadline);
    if (n <= 0)
        return (int)n;
    tls_conn_received(&f->conn, (size_t)n);
    return 1;
}

/* ---- Freeing ---------------------------------------------------------- */

static void destroy(struct tls_flow *f)
{
    mirage_flow_close(f->transport);
    tls_conn_wipe(&f->conn);
    free(f->ibuf);
    free(f->obuf);
    free(f->hbuf);
    if (f->hs)
        memset(f->hs, 0, sizeof *f->hs);
    free(f->hs);
    memset(f, 0, sizeof *f);
    free(f);
}

/* ---- The handshake ---------------------------------------------------- */

static struct tls_flow *flow_new(struct mirage_flow *transport, size_t ocap,
                                 size_t hcap)
{
    struct tls_flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->pub.flow.ops = &tls_flow_ops;
    f->transport = transport;
    mirage_waitq_init(&f->read_wq);
    mirage_waitq_init(&f->flush_wq);
    f->ibuf = malloc(TLS_IBUF_SIZE);
    f->obuf = malloc(ocap);
    f->hbuf = malloc(hcap);
    f->hs = malloc(sizeof *f->hs);
    if (!f->ibuf || !f->obuf || !f->hbuf || !f->hs) {
        free(f->ibuf);
        free(f->obuf);
        free(f->hbuf);
        free(f->hs);
        free(f);
        return NULL;
    }
    return f;
}

/* Run the handshake to its end; on failure close everything. */
static int handshake(struct tls_flow *f, uint64_t deadline,
                     struct mirage_tls_flow **out)
{
    struct tls_conn *c = &f->conn;
    int err = 0;
    for (;;) {
        if (tls_conn_process(c))
            break;
        if (pending(f) && (err = flush(f, deadline)))
            break;
        if (tls_conn_connected(c))
            break;
        int r = fill(f, deadline);
        if (r == 0) {
            tls_conn_eof(c);
            break;
        }
        if (r < 0) {
            err = r;
            break;
        }
    }
    if (!err && tls_conn_connected(c)) {
        uint8_t *small = malloc(TLS_POST_HBUF);
        if (small) {
            tls_conn_handshake_done(c, small, TLS_POST_HBUF);
            free(f->hbuf);
            free(f->hs);
            f->hbuf = small;
            f->hs = NULL;
            *out = &f->pub;
            return 0;
        }
        err = MIRAGE_ENOMEM;
    }
    if (c->state == TLS_FAILED) {
        uint64_t grace = mirage_now() + ALERT_GRACE;
        flush(f, grace < deadline ? grace : deadline);
        err = engine_failed(f);
    } else if (err == MIRAGE_ETIMEDOUT) {
        mirage_log_src_warn(&tls_log_src, "handshake timed out");
    }
    destroy(f);
    return err;
}

int mirage_tls_server_of_flow(struct mirage_tls_server_config *cfg,
                              struct mirage_flow *transport, uint64_t deadline,
                              struct mirage_tls_flow **out)
{
    if (!cfg->n_chains) {
        mirage_flow_close(transport);
        return MIRAGE_EINVAL;
    }
    size_t ocap = tls_conn_obuf_size(cfg);
    struct tls_flow *f = flow_new(transport, ocap, TLS_SERVER_HBUF);
    if (!f) {
        mirage_flow_close(transport);
        return MIRAGE_ENOMEM;
    }
    tls_conn_init_server(&f->conn, cfg, f->hs, f->ibuf, TLS_IBUF_SIZE, f->obuf,
                         ocap, f->hbuf, TLS_SERVER_HBUF);
    return handshake(f, deadline, out);
}

int mirage_tls_client_of_flow(struct mirage_tls_client_config *cfg,
                              const char *host, struct mirage_flow *transport,
                              uint64_t deadline, struct mirage_tls_flow **out)
{
    bool verifies = cfg->n_anchors || cfg->n_pins;
    if ((!cfg->o.insecure_no_verification && !verifies) ||
        (!host && cfg->n_anchors && !cfg->o.insecure_no_verification)) {
        mirage_flow_close(transport);
        return MIRAGE_EINVAL;
    }
    struct tls_flow *f = flow_new(transport, TLS_CLIENT_OBUF, TLS_CLIENT_HBUF);
    if (!f) {
        mirage_flow_close(transport);
        return MIRAGE_ENOMEM;
    }
    if (tls_conn_init_client(&f->conn, cfg, host, f->hs, f->ibuf, TLS_IBUF_SIZE,
                             f->obuf, TLS_CLIENT_OBUF, f->hbuf,
                             TLS_CLIENT_HBUF)) {
        int err = engine_failed(f);
        destroy(f);
        return err;
    }
    return handshake(f, deadline, out);
}

/* ---- The flow operations ---------------------------------------------- */

static long tls_read(struct mirage_flow *pub, void *buf, size_t len,
                     uint64_t deadline)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    struct tls_conn *c = &f->conn;
    if (len == 0)
        return MIRAGE_EINVAL;
    if (f->err)
        return f->err;
    if (f->shut_rd)
        return 0;
    int err = lock(&f->reading, &f->read_wq, deadline);
    if (err)
        return err;
    long ret;
    for (;;) {
        if (c->app_len) {
            size_t n = len < c->app_len ? len : c->app_len;
            memcpy(buf, c->app, n);
            c->app += n;
            c->app_len -= n;
            ret = (long)n;
            break;
        }
        if (c->peer_closed || f->shut_rd) {
            ret = 0;
            break;
        }
        if (tls_conn_process(c)) {
            flush(f, mirage_now() + ALERT_GRACE);
            ret = engine_failed(f);
            break;
        }
        /* A KeyUpdate answer may be waiting. */
        if (pending(f) && (err = flush(f, deadline)) &&
            err != MIRAGE_ETIMEDOUT) {
            ret = err;
            break;
        }
        if (c->app_len || c->peer_closed)
            continue;
        int r = fill(f, deadline);
        if (r == 0 && !f->shut_rd) {
            tls_conn_eof(c);
            ret = engine_failed(f);
            break;
        }
        if (r <= 0) {
            ret = r;
            if (r < 0 && r != MIRAGE_ETIMEDOUT && !f->err)
                f->err = r;
            break;
        }
    }
    unlock(&f->reading, &f->read_wq);
    return ret;
}

static long tls_writev(struct mirage_flow *pub, const struct mirage_iovec *iov,
                       size_t n, uint64_t deadline)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    struct tls_conn *c = &f->conn;
    size_t total = 0;
    if (f->err)
        return f->err;
    if (f->shut_wr || c->sent_close)
        return MIRAGE_ECLOSED;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = iov[i].base;
        size_t left = iov[i].len;
        while (left) {
            size_t room = tls_conn_app_room(c);
            if (room == 0) {
                int err = flush(f, deadline);
                if (err)
                    return total ? (long)total : err;
                if (f->err || c->sent_close)
                    return f->err ? f->err : MIRAGE_ECLOSED;
                continue;
            }
            size_t k = left < room ? left : room;
            tls_conn_write_app(c, p, k);
            p += k;
            left -= k;
            total += k;
        }
    }
    if (total == 0)
        return MIRAGE_EINVAL;
    int err = flush(f, deadline);
    if (err && err != MIRAGE_ETIMEDOUT)
        return err;
    return (long)total; /* sealed bytes count as queued */
}

static int tls_shutdown(struct mirage_flow *pub, enum mirage_flow_shutdown how)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    if (how < MIRAGE_FLOW_SHUT_READ || how > MIRAGE_FLOW_SHUT_RDWR)
        return MIRAGE_EINVAL;
    if ((how & MIRAGE_FLOW_SHUT_READ) && !f->shut_rd) {
        f->shut_rd = true;
        mirage_flow_shutdown(f->transport, MIRAGE_FLOW_SHUT_READ);
        mirage_waitq_wake_all(&f->read_wq);
    }
    if ((how & MIRAGE_FLOW_SHUT_WRITE) && !f->shut_wr) {
        tls_conn_close_notify(&f->conn);
        f->shut_wr = true;
        /* Without waiting; when a writer holds the output, it sends
         * close_notify and ends the transport's stream itself. */
        flush(f, 0);
    }
    return 0;
}

static void tls_close(struct mirage_flow *pub)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    tls_conn_close_notify(&f->conn);
    flush(f, 0);
    destroy(f);
}

static const struct mirage_flow_ops tls_flow_ops = {
    .read = tls_read,
    .writev = tls_writev,
    .shutdown = tls_shutdown,
    .close = tls_close,
};

int mirage_tls_key_update(struct mirage_tls_flow *pub, bool request_peer,
                          uint64_t deadline)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    if (f->err)
        return f->err;
    if (f->conn.version != MIRAGE_TLS_1_3)
        return MIRAGE_ENOTSUP;
    if (f->shut_wr || f->conn.sent_close)
        return MIRAGE_ECLOSED;
    if (tls_conn_key_update(&f->conn, request_peer))
        return engine_failed(f);
    int err = flush(f, deadline);
    return err == MIRAGE_ETIMEDOUT ? err : f->err;
}

void mirage_tls_get_info(struct mirage_tls_flow *pub, struct mirage_tls_info *i)
{
    struct tls_flow *f = (struct tls_flow *)pub;
    const struct tls_conn *c = &f->conn;
    memset(i, 0, sizeof *i);
    i->version = c->version;
    i->cipher_suite = c->suite ? c->suite->id : 0;
    i->cipher_suite_name = c->suite ? c->suite->name : NULL;
    i->group = c->group;
    i->signature_scheme = c->resumed ? 0 : c->sig_scheme;
    i->resumed = c->resumed;
    i->alpn = c->alpn[0] ? c->alpn : NULL;
    i->server_name = c->host[0] ? c->host : NULL;
    i->key_updates = c->key_updates;
}
