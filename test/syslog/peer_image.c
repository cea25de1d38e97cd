/* The unikernel of the syslog real-peer test (test/syslog/peers.sh): the
 * direct stack on a tap device, the syslog device --transport (udp or
 * tcp) to --server:--port, then --count messages "message N of M", one
 * every --every milliseconds, at the levels in turn info, warning, error
 * and debug (debug ones are sent only with --logs=debug), then waits for
 * the queue to empty and writes "done: sent S, dropped D" to the
 * console. Its mirage_app_main connects the devices by hand, as the
 * generated main.c does. */
#include "../net/peer_stack.h"

#include <mirage/args.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/ipaddr.h>
#include <mirage/log.h>
#include <mirage/plat.h>
#include <mirage/rt.h>
#include <mirage/stack.h>
#include <mirage/syslog.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdio.h>
#include <string.h>

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *transport, *server, *logs, *hostname;
    int64_t port, count, every;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "service", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"transport", 0, MIRAGE_ARG_STRING, "udp|tcp", "syslog over", NULL,
         "udp", NULL, &transport},
        {"server", 0, MIRAGE_ARG_STRING, "IP", "the syslog server", NULL, NULL,
         NULL, &server},
        {"port", 0, MIRAGE_ARG_INT, "PORT", "its port", NULL, "514", NULL,
         &port},
        {"hostname", 0, MIRAGE_ARG_STRING, "NAME", "HOSTNAME field", NULL,
         "unikernel", NULL, &hostname},
        {"count", 0, MIRAGE_ARG_INT, "N", "messages", NULL, "10", NULL, &count},
        {"every", 0, MIRAGE_ARG_INT, "MS", "between messages", NULL, "0", NULL,
         &every},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    struct mirage_ipv4 *v4;
    struct mirage_random *random;
    struct mirage_stack stack = {0};
    struct mirage_syslog_config cfg = {.hostname = hostname,
                                       .port = (uint16_t)port};
    mirage_ipv4_addr a;
    int err = mirage_ipv4_parse(server, &a) ? MIRAGE_EINVAL : 0;
    cfg.server = mirage_ipaddr_of_v4(a);
    if (!err)
        err = peer_stack_connect(iface, cidr, "", &v4, &random);
    if (!err)
        err = mirage_udp_connect_direct(&stack.udp, mirage_ipv4_ip(v4), random);
    if (!err)
        err = mirage_tcp_connect_direct(&stack.tcp, mirage_ipv4_ip(v4), random);
    struct mirage_syslog *s = NULL;
    if (!err)
        err = strcmp(transport, "tcp") == 0
                  ? mirage_syslog_connect_tcp(&s, &stack, NULL, &cfg)
                  : mirage_syslog_connect_udp(&s, &stack, NULL, &cfg);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    static const enum mirage_log_level levels[] = {
        MIRAGE_LOG_INFO, MIRAGE_LOG_WARNING, MIRAGE_LOG_ERROR,
        MIRAGE_LOG_DEBUG};
    for (int64_t i = 1; i <= count; i++) {
        mirage_log_msg(&mirage_log_app_src, levels[(i - 1) % 4],
                       "message %lld of %lld", (long long)i, (long long)count);
        if (every)
            mirage_sleep_ns(MIRAGE_MSEC(every));
    }
    mirage_syslog_flush(s, mirage_now() + MIRAGE_SEC(120));
    const struct mirage_syslog_stats *st = mirage_syslog_stats(s);
    char line[96];
    int n =
        snprintf(line, sizeof line, "done: sent %llu, dropped %llu\n",
                 (unsigned long long)st->sent, (unsigned long long)st->dropped);
    plat_console_write(line, (size_t)n);
    for (;;)
        mirage_sleep_ns(MIRAGE_SEC(3600));
}
