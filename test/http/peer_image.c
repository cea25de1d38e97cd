/* The unikernel of the HTTP real-peer tests (test/http/peers.sh) and of
 * bench/http.sh: the direct stack on a tap device serving, with
 * lib/http's server and static handler, the tar archive on the block
 * device --block (a host file on unix, "storage" on spt and hvt) on
 * --port. --fetch=URL[,URL...] first fetches each URL with lib/http's
 * client (host names through the DNS servers of --resolver) and logs "fetch
 * URL: status S, redirects R, body N bytes, sha256 H" (or the error). The
 * server's limits come from
 * --max-connections and the --*-timeout arguments (seconds); --stats=N
 * logs the server's counters every N seconds. Logs "serving on port P"
 * when ready. Its mirage_app_main connects the devices by hand, as the
 * generated main.c does. Runs until killed. */
#include "../../lib/random/sha256.h"
#include "../net/peer_stack.h"

#include <mirage/args.h>
#include <mirage/block.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/http.h>
#include <mirage/kv.h>
#include <mirage/log.h>
#include <mirage/resolver.h>
#include <mirage/rt.h>
#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fetch(struct mirage_http_client *client, const char *url)
{
    struct mirage_http_response *r;
    int err = mirage_http_get(client, url, &r);
    if (err) {
        mirage_log_info("fetch %s: %s", url, mirage_strerror(err));
        return;
    }
    static char buf[65536];
    struct sha256 h;
    sha256_init(&h);
    uint64_t total = 0;
    long n;
    while ((n = mirage_http_response_read(r, buf, sizeof buf)) > 0) {
        sha256_update(&h, buf, (size_t)n);
        total += (uint64_t)n;
    }
    uint8_t d[SHA256_SIZE];
    sha256_final(&h, d);
    char hex[2 * SHA256_SIZE + 1];
    for (int i = 0; i < SHA256_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    for (size_t i = 0; i < r->header_count; i++)
        mirage_log_info("fetch %s: header %s: %s", url, r->headers[i].name,
                        r->headers[i].value);
    if (n < 0)
        mirage_log_info("fetch %s: status %d, body failed after %llu bytes: "
                        "%s",
                        url, r->status, (unsigned long long)total,
                        mirage_strerror((int)n));
    else
        mirage_log_info("fetch %s: status %d, redirects %u, body %llu bytes, "
                        "sha256 %s",
                        url, r->status, r->redirects, (unsigned long long)total,
                        hex);
    mirage_http_response_free(r);
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *block_name, *fetch_urls, *logs;
    const char *dns;
    int64_t port, max_conns, idle, head, body, stats;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "service", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the gateway", NULL, "",
         NULL, &gateway},
        {"block", 0, MIRAGE_ARG_STRING, "NAME", "the site's tar archive", NULL,
         "storage", NULL, &block_name},
        {"port", 0, MIRAGE_ARG_INT, "PORT", "the HTTP port", NULL, "80", NULL,
         &port},
        {"max-connections", 0, MIRAGE_ARG_INT, "N", "connections at once", NULL,
         "1024", NULL, &max_conns},
        {"idle-timeout", 0, MIRAGE_ARG_INT, "S", "keep-alive timeout", NULL,
         "30", NULL, &idle},
        {"head-timeout", 0, MIRAGE_ARG_INT, "S", "request head timeout", NULL,
         "10", NULL, &head},
        {"body-timeout", 0, MIRAGE_ARG_INT, "S", "request body timeout", NULL,
         "60", NULL, &body},
        {"stats", 0, MIRAGE_ARG_INT, "S", "log the counters every S seconds",
         NULL, "0", NULL, &stats},
        {"fetch", 0, MIRAGE_ARG_STRING, "URLS", "fetch these first", NULL, "",
         NULL, &fetch_urls},
        {"resolver", 0, MIRAGE_ARG_STRING, "SERVERS", "DNS servers", NULL, "",
         NULL, &dns},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    struct mirage_ipv4 *v4;
    struct mirage_random *random;
    struct mirage_tcp *tcp;
    struct mirage_block *block;
    struct mirage_kv_ro *kv;
    struct mirage_http_static *site;
    struct mirage_http_server *server;
    struct mirage_http_server_config cfg = {
        .max_connections = (unsigned)max_conns,
        .idle_timeout_ns = MIRAGE_SEC(idle),
        .head_timeout_ns = MIRAGE_SEC(head),
        .body_timeout_ns = MIRAGE_SEC(body),
    };
    int err = peer_stack_connect(iface, cidr, gateway, &v4, &random);
    if (!err)
        err = mirage_tcp_connect_direct(&tcp, mirage_ipv4_ip(v4), random);
    if (!err)
        err = mirage_block_connect_file(&block, block_name);
    if (!err)
        err = mirage_kv_ro_connect_archive(&kv, block);
    if (!err)
        err = mirage_http_static_create(kv, NULL, &site);
    if (!err)
        err = mirage_http_server_create(&cfg, mirage_http_static_handler, site,
                                        &server);
    if (!err)
        err = mirage_http_server_listen_tcp(server, tcp, (uint16_t)port);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    if (*fetch_urls) {
        struct mirage_http_client *client;
        static struct mirage_stack stack;
        static struct mirage_http_dns named;
        stack.tcp = named.tcp = tcp;
        err = mirage_udp_connect_direct(&stack.udp, mirage_ipv4_ip(v4), random);
        if (!err)
            err = mirage_resolver_connect_dns(&named.resolver, &stack, random,
                                              dns, NULL, NULL);
        if (err)
            mirage_log_err("no resolver: %s", mirage_strerror(err));
        else if (mirage_http_client_create(mirage_http_dns_connector, &named,
                                           NULL, &client) == 0) {
            char *list = strdup(fetch_urls), *save = NULL;
            for (char *u = strtok_r(list, ",", &save); u;
                 u = strtok_r(NULL, ",", &save))
                fetch(client, u);
            free(list);
            mirage_http_client_free(client);
        }
    }
    mirage_log_info("serving on port %lld", (long long)port);
    for (;;) {
        mirage_sleep_ns(MIRAGE_SEC(stats ? stats : 3600));
        const struct mirage_http_server_stats *s =
            mirage_http_server_stats(server);
        if (stats)
            mirage_log_info(
                "stats: connections %llu active %llu requests "
                "%llu bad %llu timeouts %llu evicted %llu "
                "refused %llu",
                (unsigned long long)s->connections,
                (unsigned long long)s->active, (unsigned long long)s->requests,
                (unsigned long long)s->bad_requests,
                (unsigned long long)s->timeouts, (unsigned long long)s->evicted,
                (unsigned long long)s->refused);
    }
}
