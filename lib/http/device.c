/* The http device (http.h): cohttp_server and httpaf_server, one server
 * implementation over a conduit's TCP and TLS endpoints. */
#include <mirage/conduit.h>
#include <mirage/error.h>
#include <mirage/http.h>
#include <stdlib.h>

static int device_new(struct mirage_http **out, struct mirage_conduit *conduit,
                      const char *impl)
{
    struct mirage_http *h = calloc(1, sizeof *h);
    if (!h)
        return MIRAGE_ENOMEM;
    h->conduit = conduit;
    h->impl = impl;
    mirage_http_server_config_default(&h->config);
    *out = h;
    return 0;
}

int mirage_http_connect_cohttp(struct mirage_http **out,
                               struct mirage_conduit *conduit)
{
    return device_new(out, conduit, "cohttp");
}

int mirage_http_connect_httpaf(struct mirage_http **out,
                               struct mirage_conduit *conduit)
{
    return device_new(out, conduit, "httpaf");
}

/* The conduit's handler: the server serves the flow until it ends and
 * closes it. */
static int serve(void *arg, struct mirage_flow *flow)
{
    mirage_http_server_serve(arg, flow);
    return 0;
}

int mirage_http_listen(struct mirage_http *h,
                       const struct mirage_conduit_server *at,
                       mirage_http_handler handler, void *arg,
                       struct mirage_http_server **server)
{
    struct mirage_http_server *s;
    int err = mirage_http_server_create(&h->config, handler, arg, &s);
    if (err)
        return err;
    err = mirage_conduit_listen(h->conduit, at, serve, s);
    if (err) {
        mirage_http_server_free(s);
        return err;
    }
    if (server)
        *server = s;
    return 0;
}
