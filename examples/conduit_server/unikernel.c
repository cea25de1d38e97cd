/* conduit_server: an HTTP server (lib/http) on plain TCP (--port, default
 * 8080) and on TLS (--tls-port, default 8443), through a conduit
 * (conduit.h): the conduit hands each connection to the HTTP server as a
 * flow (flow.h), so one code path serves both; the answer names the
 * transport it came over. The TLS configuration comes from the
 * tls_server device: server.pem and server.key of the crunch of tls/. */
#include <mirage/conduit.h>
#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/log.h>
#include <stdio.h>

/* The HTTP handler; arg names the transport. */
static int greet(void *arg, struct mirage_http_request *req)
{
    const char *transport = arg;
    char body[128];
    int len =
        snprintf(body, sizeof body, "Hello from MirageC over %s\n", transport);
    struct mirage_http_header type = {"Content-Type", "text/plain", 12, 10};
    mirage_log_info("%s: %s %s", transport, req->method, req->target);
    return mirage_http_respond(req, 200, &type, 1, body, (size_t)len);
}

/* The conduit's handler; arg is the HTTP server of the endpoint, which
 * serves the connection until it ends and closes the flow. */
static int serve(void *arg, struct mirage_flow *flow)
{
    mirage_http_server_serve(arg, flow);
    return 0;
}

/* Listen at the endpoint with an HTTP server of its own: 0 or 1. */
static int listen(struct mirage_conduit *conduit,
                  struct mirage_conduit_server *at, const char *port_name,
                  int64_t port, const char *transport)
{
    if (port < 1 || port > 65535) {
        mirage_log_err("--%s must be 1 to 65535, not %lld", port_name,
                       (long long)port);
        return 1;
    }
    at->port = (uint16_t)port;
    struct mirage_http_server *http;
    int err = mirage_http_server_create(NULL, greet, (void *)transport, &http);
    if (!err)
        err = mirage_conduit_listen(conduit, at, serve, http);
    if (err) {
        mirage_log_err("cannot serve %s on port %lld: %s", transport,
                       (long long)port, mirage_strerror(err));
        return 1;
    }
    mirage_log_info("%s on port %lld", transport, (long long)port);
    return 0;
}

int conduit_server_start(struct mirage_conduit *conduit,
                         struct mirage_tls_server_config *tls)
{
    static struct mirage_conduit_server tcp_at = {.kind = MIRAGE_CONDUIT_TCP};
    static struct mirage_conduit_server tls_at = {.kind = MIRAGE_CONDUIT_TLS};
    tls_at.tls = tls;
    if (listen(conduit, &tcp_at, "port", mirage_arg_port(), "HTTP") ||
        listen(conduit, &tls_at, "tls-port", mirage_arg_tls_port(), "HTTPS"))
        return 1;
    return 0; /* the listeners keep the unikernel running */
}
