/* syslog_tls (syslog.h): the TCP stream of syslog_tcp under TLS, the
 * server's certificate checked against its address. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/tls.h>

static int wrap(void *arg, const struct mirage_ipaddr *server,
                struct mirage_flow *tcp, uint64_t deadline,
                struct mirage_flow **out)
{
    char host[MIRAGE_IPADDR_STRLEN];
    mirage_ipaddr_to_string(server, host);
    struct mirage_tls_flow *f;
    int err = mirage_tls_client_of_flow(arg, host, tcp, deadline, &f);
    if (!err)
        *out = &f->flow;
    return err;
}

static const struct syslog_secure secure = {wrap};

int mirage_syslog_connect_tls(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              struct mirage_tls_client_config *tls,
                              const struct mirage_syslog_config *config)
{
    if (!tls)
        return MIRAGE_EINVAL;
    return syslog_device_start(true, &secure, tls, stack, clock, config, out);
}
