/* resolver_unix_system (include/mirage/resolver.h), unix only: the stub
 * resolver over the host's sockets (lib/socket), asking the servers of
 * the host's /etc/resolv.conf (read through <mirage/hostfs.h>). */
#include <mirage/error.h>
#include <mirage/hostfs.h>
#include <mirage/log.h>
#include <mirage/resolver.h>
#include <mirage/socket.h>

#include "../dns/dns.h"

#define RESOLV_CONF "/etc/resolv.conf"

int mirage_resolver_connect_unix_system(struct mirage_resolver **out)
{
    static char text[8192];
    size_t got;
    int err = hostfs_read_file(RESOLV_CONF, text, sizeof text - 1, &got);
    if (err) {
        mirage_log_src_warn(&dns_log, "cannot read %s: %s", RESOLV_CONF,
                            mirage_strerror(err));
        got = 0;
    }
    text[got] = '\0';
    struct mirage_dns_server servers[MIRAGE_DNS_MAX_SERVERS];
    struct mirage_resolver_config cfg = {0};
    mirage_resolver_parse_resolv_conf(text, servers, MIRAGE_DNS_MAX_SERVERS,
                                      &cfg);
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
    struct mirage_random *random;
    err = mirage_udp_connect_socket(&udp, NULL, NULL, false, false);
    if (!err)
        err = mirage_tcp_connect_socket(&tcp, NULL, NULL, false, false);
    if (!err)
        err = mirage_random_connect_default(&random);
    if (!err)
        err = mirage_resolver_connect_config(out, udp, tcp, random, &cfg);
    return err;
}
