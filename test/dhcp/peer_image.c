/* The unikernel of the DHCP and DNS real-peer tests (test/dhcp/) and
 * benchmarks (bench/dhcp.sh, bench/dns.sh): the stack on a tap device,
 * with its address from DHCP (or --ipv4), and a resolver asking the
 * servers of --resolver or of the lease. It looks the names of --lookup
 * up and prints one "answer ..." line each, then logs the DHCP client's
 * events for --run-for seconds (0: until killed); the lease is released
 * when it ends (the DHCP client's exit hook). Its mirage_app_main connects the
 * devices by hand, the way the configuration tool's generated main.c does. */
#include <mirage/args.h>
#include <mirage/arp.h>
#include <mirage/dhcp.h>
#include <mirage/error.h>
#include <mirage/ethernet.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <mirage/resolver.h>
#include <mirage/rt.h>
#include <mirage/stack.h>
#include <stdio.h>
#include <string.h>

#include "../net/peer_stack.h"
#include "lookups.h"

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *servers, *lookups, *logs, *host;
    int64_t probe_ms, run_for, nbench;
    bool exit_bound;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "tap0", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX",
         "a static address (none: DHCP)", NULL, "", NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the static gateway", NULL,
         "", NULL, &gateway},
        {"resolver", 0, MIRAGE_ARG_STRING, "SERVERS", "DNS servers", NULL, "",
         NULL, &servers},
        {"lookup", 0, MIRAGE_ARG_STRING, "NAMES", "NAME[/TYPE],... to look up",
         NULL, "", NULL, &lookups},
        {"hostname", 0, MIRAGE_ARG_STRING, "NAME", "DHCP option 12", NULL, "",
         NULL, &host},
        {"arp-probe-ms", 0, MIRAGE_ARG_INT, "MS", "ARP probe of offers", NULL,
         "1000", NULL, &probe_ms},
        {"run-for", 0, MIRAGE_ARG_INT, "S", "seconds to run (0: ever)", NULL,
         "0", NULL, &run_for},
        {"exit-when-bound", 0, MIRAGE_ARG_BOOL, NULL, "exit once bound", NULL,
         "false", NULL, &exit_bound},
        {"bench", 0, MIRAGE_ARG_INT, "N", "DNS lookups to time", NULL, "0",
         NULL, &nbench},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int rc = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (rc)
        return rc;
    mirage_log_set_levels(logs, NULL);
    struct mirage_net *net;
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    struct mirage_random *random;
    struct mirage_ipv4 *v4 = NULL;
    struct mirage_dhcp *dhcp = NULL;
    struct mirage_stack *stack;
    struct mirage_resolver *res;
    int err = peer_stack_lower(iface, &net, &eth, &arp, &random);
    if (!err && *cidr) {
        err = mirage_ipv4_connect_direct(&v4, eth, arp, cidr, gateway);
    } else if (!err) {
        struct mirage_dhcp_config cfg = {
            .hostname = host,
            .arp_probe_ns = MIRAGE_MSEC((uint64_t)probe_ms),
        };
        err = mirage_dhcp_connect_client(&dhcp, eth, arp, random, &cfg);
        if (!err)
            err = mirage_ipv4_connect_dhcp(&v4, dhcp);
    }
    if (!err && exit_bound) {
        /* As udhcpc -q: exit with the lease, without releasing it. */
        if (dhcp)
            mirage_dhcp_disconnect_client(dhcp);
        return 0;
    }
    if (!err)
        err = mirage_stack_connect_direct(&stack, net, eth, arp, v4, NULL,
                                          random);
    if (!err)
        err = mirage_resolver_connect_dns(&res, stack, random, servers,
                                          dhcp ? mirage_dhcp_dns_servers : NULL,
                                          dhcp);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("ready");
    lookups_run(res, lookups);
    if (nbench > 0)
        lookups_bench(res, nbench);
    uint64_t end =
        run_for ? mirage_now() + MIRAGE_SEC((uint64_t)run_for) : MIRAGE_FOREVER;
    if (*lookups || nbench > 0)
        end = run_for ? end : mirage_now();
    uint64_t seen = 0;
    while (dhcp && mirage_dhcp_wait_event(dhcp, &seen, end) == 0)
        mirage_log_info("dhcp state %s",
                        mirage_dhcp_state_name(mirage_dhcp_state(dhcp)));
    if (!dhcp && end != mirage_now())
        mirage_sleep_until(end);
    /* The DHCP client releases its lease when this returns. */
    return 0;
}
