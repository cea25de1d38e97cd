/* dhcp: runs once the DHCP client holds its first lease (connecting
 * ipv4_of_dhcp waits for it, so the unikernel answers pings before this
 * starts); logs the lease, then each event of the client as it keeps the
 * lease, until --renewals renewals; returning gives the lease back
 * (DHCPRELEASE). */
#include <mirage/dhcp.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/log.h>
#include <stdbool.h>
#include <stdio.h>

/* The client's state, and the lease with when it must be renewed. */
static void log_state(struct mirage_dhcp *dhcp, struct mirage_ipv4 *ipv4)
{
    const char *state = mirage_dhcp_state_name(mirage_dhcp_state(dhcp));
    struct mirage_dhcp_lease l;
    if (mirage_dhcp_lease(dhcp, &l) != 0) {
        mirage_log_info("%s: no lease", state);
        return;
    }
    const struct mirage_ipv4_config *c = mirage_ipv4_config(ipv4);
    char addr[MIRAGE_IPV4_STRLEN], gw[MIRAGE_IPV4_STRLEN];
    char server[MIRAGE_IPV4_STRLEN];
    mirage_ipv4_to_string(c->cidr.addr, addr);
    if (c->gateway == MIRAGE_IPV4_ANY)
        snprintf(gw, sizeof gw, "none");
    else
        mirage_ipv4_to_string(c->gateway, gw);
    mirage_ipv4_to_string(l.server, server);
    if (l.lease_s == MIRAGE_DHCP_INFINITE) {
        mirage_log_info("%s: %s/%u (gateway %s) from %s, for ever", state, addr,
                        c->cidr.bits, gw, server);
        return;
    }
    /* Bound: when renewing starts; renewing or rebinding: when the lease
     * ends unless a server extends it. */
    bool bound = mirage_dhcp_state(dhcp) == MIRAGE_DHCP_BOUND;
    uint64_t now = mirage_now();
    uint64_t at = l.bound_at + MIRAGE_SEC(bound ? l.t1_s : l.lease_s);
    mirage_log_info(
        "%s: %s/%u (gateway %s) from %s, lease %u s, %s in "
        "%llu s",
        state, addr, c->cidr.bits, gw, server, (unsigned)l.lease_s,
        bound ? "renewing" : "ending",
        (unsigned long long)(at > now ? (at - now) / MIRAGE_SEC(1) : 0));
}

int dhcp_start(struct mirage_dhcp *dhcp, struct mirage_ipv4 *ipv4)
{
    const struct mirage_dhcp_stats *stats = mirage_dhcp_stats(dhcp);
    uint64_t want = (uint64_t)mirage_arg_renewals(), first = stats->leases;
    uint64_t seen = 0;
    /* Past the events that led to the lease, then the lease. */
    mirage_dhcp_wait_event(dhcp, &seen, 0);
    log_state(dhcp, ipv4);
    while (want == 0 || stats->leases - first < want) {
        int err = mirage_dhcp_wait_event(dhcp, &seen, MIRAGE_FOREVER);
        if (err) {
            mirage_log_err("the DHCP client stopped: %s", mirage_strerror(err));
            return 1;
        }
        log_state(dhcp, ipv4);
    }
    mirage_log_info("renewed %llu times: giving the lease back",
                    (unsigned long long)(stats->leases - first));
    return 0;
}
