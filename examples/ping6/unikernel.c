/* ping6: the IPv6 layer answers neighbour solicitations and ICMPv6 echo
 * requests by itself; this job watches it and logs, as they change, its
 * addresses, its neighbour cache (address, MAC, state) and its
 * counters. */
#include <mirage/fiber.h>
#include <mirage/ipv6.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <string.h>

#define MAX_SHOWN 16

static const char *state_name(enum mirage_ipv6_nd_state s)
{
    static const char *const names[] = {"INCOMPLETE", "REACHABLE", "STALE",
                                        "DELAY", "PROBE"};
    return names[s];
}

static void report(const char *what, uint64_t before, uint64_t now)
{
    if (now != before)
        mirage_log_info("%s: %llu (+%llu)", what, (unsigned long long)now,
                        (unsigned long long)(now - before));
}

/* Log the neighbours whose entry is new or changed since `last`. */
static void log_neighbours(struct mirage_ipv6 *v6,
                           struct mirage_ipv6_neighbour *last, size_t *nlast)
{
    struct mirage_ipv6_neighbour now[MAX_SHOWN];
    size_t n = mirage_ipv6_neighbours(v6, now, MAX_SHOWN);
    if (n > MAX_SHOWN)
        n = MAX_SHOWN;
    for (size_t i = 0; i < n; i++) {
        bool same = false;
        for (size_t j = 0; j < *nlast && !same; j++)
            same = memcmp(&last[j], &now[i], sizeof now[i]) == 0;
        if (same)
            continue;
        struct mirage_ipaddr a = mirage_ipaddr_of_v6(now[i].ip);
        char ip[MIRAGE_IPADDR_STRLEN], mac[MIRAGE_MAC_STRLEN];
        mirage_log_info(
            "neighbour %s at %s %s%s", mirage_ipaddr_to_string(&a, ip),
            mirage_mac_to_string(now[i].mac, mac), state_name(now[i].state),
            now[i].router ? " (router)" : "");
    }
    memcpy(last, now, n * sizeof now[0]);
    *nlast = n;
}

int ping6_start(struct mirage_stack *stack)
{
    if (!stack->ipv6) {
        mirage_log_err("ping6 needs the direct IPv6 stack");
        return 1;
    }
    struct mirage_ipv6 *v6 = stack->ipv6;
    const struct mirage_ipv6_stats *st = mirage_ipv6_stats(v6);
    struct mirage_ipv6_stats last = {0};
    struct mirage_ipv6_neighbour nbrs[MAX_SHOWN];
    size_t nnbrs = 0, naddrs = 0;
    mirage_log_info("ping6: answering neighbour discovery and ICMPv6 echo");
    for (;;) {
        mirage_sleep_ns(MIRAGE_MSEC(100));
        struct mirage_ipaddr addrs[MAX_SHOWN];
        size_t n = mirage_ip_addresses(stack->ip, addrs, MAX_SHOWN);
        if (n != naddrs) {
            char text[MIRAGE_IPADDR_STRLEN];
            for (size_t i = 0; i < n && i < MAX_SHOWN; i++)
                mirage_log_info("address %s",
                                mirage_ipaddr_to_string(&addrs[i], text));
            naddrs = n;
        }
        log_neighbours(v6, nbrs, &nnbrs);
        report("echo requests received", last.rx_echo_requests,
               st->rx_echo_requests);
        report("echo replies sent", last.tx_echo_replies, st->tx_echo_replies);
        report("neighbour solicitations received", last.rx_ns, st->rx_ns);
        report("neighbour advertisements sent", last.tx_na, st->tx_na);
        report("router advertisements received", last.rx_ra, st->rx_ra);
        report("redirects ignored", last.rx_redirects, st->rx_redirects);
        last = *st;
    }
}
