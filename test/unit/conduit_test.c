/* conduit_direct on the test network (two stacks, virtual time), with
 * the TLS flow layer over real TCP: one handler served on a TCP and a
 * TLS endpoint, reached through a conduit's connect; TLS endpoints
 * refused by a conduit without TLS; a handshake that fails never reaches
 * the handler; a TLS flow the handler leaves open is closed (with
 * close_notify) when it returns; and our TLS flows' read and write
 * deadlines. */
#include "tcp_harness.h"
#include "tls_certgen.h"

#include <mirage/conduit.h>
#include <mirage/stack.h>
#include <stdlib.h>
#include <string.h>

/* ---- Credentials (made once) -------------------------------------------- */

static struct mirage_tls_server_config *server_cfg;
static struct mirage_tls_client_config *client_cfg;

static void make_configs(void)
{
    static const char *const names[] = {"conduit.test", NULL};
    static struct cg_key ca_key, key;
    cg_key_ec(&ca_key, BR_EC_secp256r1);
    cg_key_ec(&key, BR_EC_secp256r1);
    struct cg_cert_opts ca = cg_opts("Conduit CA");
    ca.ca = true;
    ca.ku = 0x0400 | 0x0200; /* keyCertSign, cRLSign */
    struct blob chain[2];
    chain[1] = cg_cert(&ca, &ca_key, &ca_key);
    struct cg_cert_opts leaf = cg_opts("conduit.test");
    leaf.issuer_cn = "Conduit CA";
    leaf.dns = names;
    chain[0] = cg_cert(&leaf, &key, &ca_key);
    const char *chain_pem = cg_pem("CERTIFICATE", chain, 2);
    const char *ca_pem = cg_pem("CERTIFICATE", &chain[1], 1);
    const char *key_pem = cg_key_pem(&key, true);
    struct mirage_tls_server_options so = {.random = cg_random()};
    struct mirage_tls_client_options co = {.random = cg_random(),
                                           .pclock = cg_pclock()};
    if (mirage_tls_server_config_create(&so, &server_cfg) ||
        mirage_tls_server_config_add(server_cfg, chain_pem, strlen(chain_pem),
                                     key_pem, strlen(key_pem)) ||
        mirage_tls_client_config_create(&co, &client_cfg) ||
        mirage_tls_client_config_add_anchors(client_cfg, ca_pem,
                                             strlen(ca_pem)))
        abort();
}

/* ---- The handler and the conduits --------------------------------------- */

static struct mirage_stack stack_a, stack_b;
static struct mirage_conduit *conduit_a, *conduit_b;

/* What the handler saw: connections, and whether it left the flow open
 * (leave_open) instead of closing it. */
static int handled;
static bool leave_open;

/* Echo one read back, then close the flow (or leave it to the conduit). */
static int echo_once(void *arg, struct mirage_flow *f)
{
    (void)arg;
    char buf[256];
    long n = mirage_flow_read(f, buf, sizeof buf, MIRAGE_FOREVER);
    if (n > 0)
        mirage_flow_write(f, buf, (size_t)n, MIRAGE_FOREVER);
    handled++;
    if (!leave_open)
        mirage_flow_close(f);
    return 0;
}

static const struct mirage_conduit_server tcp_at = {MIRAGE_CONDUIT_TCP, 80,
                                                    NULL};
static struct mirage_conduit_server tls_at = {MIRAGE_CONDUIT_TLS, 443, NULL};

/* Connect both stacks, make the conduits (with TLS when tls) and listen
 * on both endpoints of node b when listen. */
static int start(bool tls, bool listen)
{
    NCHECK_INT(tcp_start(), 0);
    stack_a = (struct mirage_stack){.tcp = tcp_a};
    stack_b = (struct mirage_stack){.tcp = tcp_b};
    if (tls) {
        NCHECK_INT(mirage_conduit_connect_direct_tls(&conduit_a, &stack_a), 0);
        NCHECK_INT(mirage_conduit_connect_direct_tls(&conduit_b, &stack_b), 0);
    } else {
        NCHECK_INT(mirage_conduit_connect_direct(&conduit_a, &stack_a), 0);
        NCHECK_INT(mirage_conduit_connect_direct(&conduit_b, &stack_b), 0);
    }
    handled = 0;
    leave_open = false;
    tls_at.tls = server_cfg;
    if (listen) {
        NCHECK_INT(mirage_conduit_listen(conduit_b, &tcp_at, echo_once, NULL),
                   0);
        NCHECK_INT(mirage_conduit_listen(conduit_b, &tls_at, echo_once, NULL),
                   0);
    }
    return 0;
}

static void stop(void)
{
    mirage_conduit_free(conduit_a);
    mirage_conduit_free(conduit_b);
    tcp_stop();
}

static struct mirage_conduit_client endpoint(enum mirage_conduit_kind kind,
                                             const char *host)
{
    struct mirage_conduit_client to = {
        kind, addr_b, kind == MIRAGE_CONDUIT_TLS ? 443 : 80, NULL, host};
    if (kind == MIRAGE_CONDUIT_TLS)
        to.tls = client_cfg;
    return to;
}

/* Whether the last TLS round trip resumed a session. */
static bool last_resumed;

/* Send text through a fresh connection to the endpoint and expect it back,
 * then the end of the stream: 0 or 1. */
static int round_trip(enum mirage_conduit_kind kind, const char *text)
{
    struct mirage_conduit_client to = endpoint(kind, "conduit.test");
    struct mirage_flow *f;
    NCHECK_INT(mirage_conduit_connect(conduit_a, &to, MIRAGE_FOREVER, &f), 0);
    if (kind == MIRAGE_CONDUIT_TLS) {
        /* A conduit's TLS flow is the session itself (tls.h). */
        struct mirage_tls_info info;
        mirage_tls_get_info((struct mirage_tls_flow *)f, &info);
        last_resumed = info.resumed;
    }
    size_t len = strlen(text);
    NCHECK_INT(mirage_flow_write(f, text, len, MIRAGE_FOREVER), (long)len);
    char buf[256] = {0};
    size_t got = 0;
    while (got < len) {
        long n = mirage_flow_read(f, buf + got, sizeof buf - got,
                                  mirage_now() + MIRAGE_SEC(10));
        NCHECK(n > 0);
        got += (size_t)n;
    }
    NCHECK(memcmp(buf, text, len) == 0);
    /* The server closed: TCP's end of stream, TLS's close_notify. */
    NCHECK_INT(
        mirage_flow_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10)), 0);
    mirage_flow_close(f);
    return 0;
}

/* ---- Tests ----------------------------------------------------------------
 */

static int both_endpoints_body(void)
{
    if (start(true, true))
        return 1;
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TCP, "over TCP"), 0);
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TLS, "over TLS"), 0);
    NCHECK(!last_resumed);
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TLS, "over TLS again, resumed"), 0);
    NCHECK(last_resumed);
    NCHECK_INT(handled, 3);
    stop();
    return 0;
}

TEST(one_handler_on_tcp_and_tls)
{
    net_run(1, tcp_setup, both_endpoints_body);
}

static int without_tls_body(void)
{
    if (start(false, false))
        return 1;
    NCHECK_INT(mirage_conduit_listen(conduit_b, &tls_at, echo_once, NULL),
               MIRAGE_ENOTSUP);
    NCHECK_INT(mirage_conduit_listen(conduit_b, &tcp_at, echo_once, NULL), 0);
    struct mirage_conduit_client to = endpoint(MIRAGE_CONDUIT_TLS, "x");
    struct mirage_flow *f;
    NCHECK_INT(mirage_conduit_connect(conduit_a, &to, MIRAGE_FOREVER, &f),
               MIRAGE_ENOTSUP);
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TCP, "plain"), 0);
    /* With TLS, a TLS endpoint without its configuration is refused. */
    struct mirage_conduit *with_tls;
    NCHECK_INT(mirage_conduit_connect_direct_tls(&with_tls, &stack_b), 0);
    struct mirage_conduit_server no_cfg = {MIRAGE_CONDUIT_TLS, 443, NULL};
    NCHECK_INT(mirage_conduit_listen(with_tls, &no_cfg, echo_once, NULL),
               MIRAGE_ENOTSUP);
    to.tls = NULL;
    NCHECK_INT(mirage_conduit_connect(with_tls, &to, MIRAGE_FOREVER, &f),
               MIRAGE_ENOTSUP);
    NCHECK_INT(mirage_conduit_unlisten(with_tls, 443), MIRAGE_ENOENT);
    mirage_conduit_free(with_tls);
    /* Unlistening: a second unlisten finds nothing. */
    NCHECK_INT(mirage_conduit_unlisten(conduit_b, 80), 0);
    NCHECK_INT(mirage_conduit_unlisten(conduit_b, 80), MIRAGE_ENOENT);
    stop();
    return 0;
}

TEST(tls_endpoints_need_tls)
{
    net_run(2, tcp_setup, without_tls_body);
}

static int failed_handshake_body(void)
{
    if (start(true, true))
        return 1;
    /* The certificate is not for this name: our client refuses it. */
    struct mirage_conduit_client to =
        endpoint(MIRAGE_CONDUIT_TLS, "other.test");
    struct mirage_flow *f;
    NCHECK_INT(mirage_conduit_connect(conduit_a, &to, MIRAGE_FOREVER, &f),
               MIRAGE_EAUTH);
    /* Plain TCP to the TLS port: the server's handshake fails. */
    to = endpoint(MIRAGE_CONDUIT_TCP, NULL);
    to.port = 443;
    NCHECK_INT(mirage_conduit_connect(conduit_a, &to, MIRAGE_FOREVER, &f), 0);
    const char *req = "GET / HTTP/1.1\r\n\r\n";
    NCHECK_INT(mirage_flow_write(f, req, strlen(req), MIRAGE_FOREVER),
               (long)strlen(req));
    /* An alert record (21), then the end of the stream. */
    uint8_t buf[64];
    long n =
        mirage_flow_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10));
    NCHECK(n >= 7);
    NCHECK_INT(buf[0], 21);
    while (n > 0)
        n = mirage_flow_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10));
    NCHECK_INT(n, 0);
    mirage_flow_close(f);
    net_wait(MIRAGE_SEC(1));
    NCHECK_INT(handled, 0); /* neither reached the handler */
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TLS, "still serving"), 0);
    stop();
    return 0;
}

TEST(failed_handshakes_stay_out_of_the_handler)
{
    net_run(3, tcp_setup, failed_handshake_body);
}

static int left_open_body(void)
{
    if (start(true, true))
        return 1;
    leave_open = true;
    /* round_trip expects the end of the stream after the echo: the
     * conduit's close_notify for TLS, the TCP listener's close for TCP. */
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TLS, "left open"), 0);
    NCHECK_INT(round_trip(MIRAGE_CONDUIT_TCP, "left open"), 0);
    stop();
    return 0;
}

TEST(flows_left_open_are_closed)
{
    net_run(4, tcp_setup, left_open_body);
}

/* A handler that waits for the client and never writes. */
static int silent(void *arg, struct mirage_flow *f)
{
    (void)arg;
    char buf[16];
    while (mirage_flow_read(f, buf, sizeof buf, MIRAGE_FOREVER) > 0)
        ;
    mirage_flow_close(f);
    return 0;
}

static int deadlines_body(void)
{
    if (start(true, false))
        return 1;
    NCHECK_INT(mirage_conduit_listen(conduit_b, &tls_at, silent, NULL), 0);
    struct mirage_conduit_client to =
        endpoint(MIRAGE_CONDUIT_TLS, "conduit.test");
    struct mirage_flow *f;
    NCHECK_INT(mirage_conduit_connect(conduit_a, &to, MIRAGE_FOREVER, &f), 0);
    /* A read with nothing coming times out and leaves the flow usable. */
    char buf[16];
    uint64_t t0 = mirage_now();
    NCHECK_INT(mirage_flow_read(f, buf, sizeof buf, t0 + MIRAGE_SEC(2)),
               MIRAGE_ETIMEDOUT);
    NCHECK(mirage_now() >= t0 + MIRAGE_SEC(2));
    NCHECK_INT(mirage_flow_write(f, "x", 1, MIRAGE_FOREVER), 1);
    /* Shutting our writing down sends close_notify: the server's read
     * ends, it closes, and we read the end of the stream. */
    NCHECK_INT(mirage_flow_shutdown(f, MIRAGE_FLOW_SHUT_WRITE), 0);
    NCHECK_INT(
        mirage_flow_read(f, buf, sizeof buf, mirage_now() + MIRAGE_SEC(10)), 0);
    mirage_flow_close(f);
    stop();
    return 0;
}

TEST(tls_flow_deadlines_and_shutdown)
{
    net_run(5, tcp_setup, deadlines_body);
}

int main(void)
{
    make_configs();
    return test_main();
}
