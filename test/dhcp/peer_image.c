/* The unikernel of the DHCP and DNS real-peer tests (test/dhcp/) and
 * benchmarks (bench/dhcp.sh, bench/dns.sh): the stack on a tap device,
 * with its address from DHCP (or --ipv4), and a resolver asking the
 * servers of --resolver or of the lease. It looks the names of --lookup
 * up and prints one "answer ..." line each, then logs the DHCP client's
 * events for --run-for seconds (0: until killed), releasing the lease
 * at the end with --release. Its mirage_app_main connects the devices by
 * hand, the way the configuration tool's generated main.c does. */
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
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    uint16_t type;
} types[] = {
    {"A", MIRAGE_DNS_A},         {"AAAA", MIRAGE_DNS_AAAA},
    {"CNAME", MIRAGE_DNS_CNAME}, {"MX", MIRAGE_DNS_MX},
    {"TXT", MIRAGE_DNS_TXT},     {"SRV", MIRAGE_DNS_SRV},
    {"PTR", MIRAGE_DNS_PTR},
};

static void print_rr(const struct mirage_dns_rr *r)
{
    char a[MIRAGE_IPADDR_STRLEN];
    switch (r->type) {
    case MIRAGE_DNS_A:
    case MIRAGE_DNS_AAAA:
        printf(" %s", mirage_ipaddr_to_string(&r->addr, a));
        break;
    case MIRAGE_DNS_MX:
        printf(" %u %s", r->priority, r->target);
        break;
    case MIRAGE_DNS_SRV:
        printf(" %u %u %u %s", r->priority, r->weight, r->port, r->target);
        break;
    case MIRAGE_DNS_TXT:
        printf(" %zu bytes %.16s", r->len, (const char *)r->data);
        break;
    default:
        printf(" %s", r->target ? r->target : "?");
    }
}

/* Look one NAME or NAME/TYPE up (no type: both address families, as
 * getaddrinfo; type ADDR: the reverse lookup of an address). */
static void lookup(struct mirage_resolver *r, const char *item)
{
    char name[256];
    snprintf(name, sizeof name, "%s", item);
    char *slash = strchr(name, '/');
    const char *tname = slash ? slash + 1 : "ADDRS";
    if (slash)
        *slash = '\0';
    uint64_t deadline = mirage_now() + MIRAGE_SEC(10);
    if (!strcmp(tname, "ADDRS")) {
        struct mirage_ipaddr a[8];
        long n = mirage_resolver_getaddrinfo(r, name, 0, a, 8, deadline);
        printf("answer %s ADDRS:", name);
        if (n < 0)
            printf(" error %s", mirage_strerror((int)n));
        for (long i = 0; i < n && i < 8; i++) {
            char s[MIRAGE_IPADDR_STRLEN];
            printf(" %s", mirage_ipaddr_to_string(&a[i], s));
        }
        printf("\n");
        return;
    }
    if (!strcmp(tname, "ADDR")) {
        struct mirage_ipaddr a;
        char host[256];
        int err = mirage_ipaddr_parse(name, &a);
        if (!err)
            err = mirage_resolver_reverse(r, &a, host, sizeof host, deadline);
        printf("answer %s ADDR: %s\n", name, err ? mirage_strerror(err) : host);
        return;
    }
    uint16_t type = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(types[i].name, tname))
            type = types[i].type;
    struct mirage_dns_answer *ans;
    int err = type ? mirage_resolver_query(r, name, type, deadline, &ans)
                   : MIRAGE_EINVAL;
    printf("answer %s %s:", name, tname);
    if (err) {
        printf(" error %s\n", mirage_strerror(err));
        return;
    }
    if (strcmp(ans->canonical, ans->name) != 0)
        printf(" (%s)", ans->canonical);
    for (size_t i = 0; i < ans->count; i++)
        print_rr(&ans->rr[i]);
    printf("%s\n", ans->count ? "" : " none");
    mirage_dns_answer_free(ans);
}

/* --bench N: N lookups of distinct names under bench.test (cold: each
 * asks the server), then N of one name (cached); the rate of each. */
static void bench(struct mirage_resolver *r, int64_t n)
{
    char name[64];
    struct mirage_ipaddr a;
    for (int pass = 0; pass < 2; pass++) {
        uint64_t t0 = mirage_now();
        int64_t ok = 0;
        for (int64_t i = 0; i < n; i++) {
            snprintf(name, sizeof name, "i%lld.bench.test",
                     pass ? 0LL : (long long)i + 1);
            ok += mirage_resolver_getaddrinfo(r, name, MIRAGE_IP_V4, &a, 1,
                                              t0 + MIRAGE_SEC(60)) > 0;
        }
        uint64_t ns = mirage_now() - t0;
        printf("bench %s: %lld of %lld in %llu us: %llu lookups/s\n",
               pass ? "cached" : "cold", (long long)ok, (long long)n,
               (unsigned long long)(ns / 1000),
               (unsigned long long)(ns ? (uint64_t)n * 1000000000u / ns : 0));
    }
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *servers, *lookups, *logs, *host;
    int64_t probe_ms, run_for, nbench;
    bool release, exit_bound;
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
        {"release", 0, MIRAGE_ARG_BOOL, NULL, "release the lease at the end",
         NULL, "false", NULL, &release},
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
    int err = mirage_netif_connect(iface, &net);
    if (!err)
        err = mirage_ethernet_connect(net, &eth);
    if (!err)
        err = mirage_arp_connect(eth, &arp);
    if (!err)
        err = mirage_random_connect_default(&random);
    if (!err && *cidr) {
        err = mirage_ipv4_connect_args(eth, arp, cidr, gateway, &v4);
    } else if (!err) {
        struct mirage_dhcp_config cfg = {
            .hostname = host,
            .arp_probe_ns = MIRAGE_MSEC((uint64_t)probe_ms),
        };
        err = mirage_dhcp_connect_client(&dhcp, eth, arp, random, &cfg);
        if (!err)
            err = mirage_ipv4_connect_dhcp(&v4, dhcp);
    }
    if (!err && exit_bound)
        return 0;
    if (!err)
        err =
            mirage_stackv4v6_direct_connect(net, eth, arp, v4, random, &stack);
    if (!err)
        err = mirage_resolver_connect_dns(&res, stack, random, servers,
                                          dhcp ? mirage_dhcp_dns_servers : NULL,
                                          dhcp);
    if (err) {
        mirage_log_err("cannot start: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("ready");
    for (const char *p = lookups; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        lookup(res, item);
        p += n + (comma ? 1 : 0);
    }
    if (nbench > 0)
        bench(res, nbench);
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
    if (dhcp && release)
        mirage_dhcp_release(dhcp);
    /* Let the release go out before the process ends. */
    mirage_sleep_ns(MIRAGE_MSEC(100));
    return 0;
}
