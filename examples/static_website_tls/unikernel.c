/* static_website_tls: the files of a kv_ro store served over HTTPS by
 * lib/http's static handler (ETags, conditional requests, ranges, media
 * types), and plain HTTP answering every request with a redirect (301)
 * to the same target over HTTPS. One cohttp_server device serves both
 * endpoints of its conduit. */
#include <mirage/conduit.h>
#include <mirage/error.h>
#include <mirage/http.h>
#include <mirage/log.h>
#include <stdio.h>
#include <string.h>

/* The HTTP handler: 301 to https://HOST[:PORT]TARGET, HOST from the
 * request's Host field without its port; arg points at the HTTPS port. */
static int redirect(void *arg, struct mirage_http_request *req)
{
    uint16_t https_port = *(const uint16_t *)arg;
    const char *host = mirage_http_request_header(req, "Host");
    size_t len = 0;
    if (host) {
        /* "[v6]:port" or "name:port": the part before the port. */
        const char *end = host[0] == '[' ? strchr(host, ']') : NULL;
        len = end ? (size_t)(end - host + 1) : strcspn(host, ":");
    }
    if (!len || len > 255 || req->target[0] != '/') {
        static const char body[] = "A Host field and a path are needed.\n";
        return mirage_http_respond(req, 400, NULL, 0, body, sizeof body - 1);
    }
    char port[8] = "";
    if (https_port != 443)
        snprintf(port, sizeof port, ":%u", (unsigned)https_port);
    char location[8192 + 300];
    int n = snprintf(location, sizeof location, "https://%.*s%s%s", (int)len,
                     host, port, req->target);
    if (n < 0 || (size_t)n >= sizeof location)
        return mirage_http_respond(req, 414, NULL, 0, NULL, 0);
    struct mirage_http_header h[] = {{"Location", location, 8, (size_t)n},
                                     {"Content-Type", "text/plain", 12, 10}};
    static const char body[] = "Moved to HTTPS.\n";
    return mirage_http_respond(req, 301, h, 2, body, sizeof body - 1);
}

/* The port of the runtime argument --NAME, or 0 (said) when out of
 * range. */
static uint16_t port_of(const char *name, int64_t port)
{
    if (port >= 1 && port <= 65535)
        return (uint16_t)port;
    mirage_log_err("--%s must be 1 to 65535, not %lld", name, (long long)port);
    return 0;
}

int static_website_start(struct mirage_kv_ro *data,
                         struct mirage_tls_server_config *certs,
                         struct mirage_http *http)
{
    static uint16_t https_port;
    static struct mirage_conduit_server http_at = {.kind = MIRAGE_CONDUIT_TCP};
    static struct mirage_conduit_server https_at = {.kind = MIRAGE_CONDUIT_TLS};
    https_port = port_of("https-port", mirage_arg_https_port());
    http_at.port = port_of("http-port", mirage_arg_http_port());
    if (!https_port || !http_at.port)
        return 1;
    https_at.port = https_port;
    https_at.tls = certs;
    struct mirage_http_static *site;
    int err = mirage_http_static_create(data, NULL, &site);
    if (!err)
        err = mirage_http_listen(http, &https_at, mirage_http_static_handler,
                                 site, NULL);
    if (err) {
        mirage_log_err("cannot serve HTTPS on port %u: %s", https_at.port,
                       mirage_strerror(err));
        return 1;
    }
    err = mirage_http_listen(http, &http_at, redirect, &https_port, NULL);
    if (err) {
        mirage_log_err("cannot serve HTTP on port %u: %s", http_at.port,
                       mirage_strerror(err));
        return 1;
    }
    mirage_log_info("HTTPS on port %u, HTTP on port %u redirecting to it",
                    https_at.port, http_at.port);
    return 0; /* the listeners keep the unikernel running */
}
