/* DHCP client (RFC 2131, options of RFC 2132; MirageOS's charrua-client
 * behind ipv4_of_dhcp and dhcp_ipv4_stack): obtains an IPv4 lease for an
 * IPv4 layer of its own that starts without an address
 * (mirage_ipv4_connect_unconfigured, ip.h), configures the layer with
 * it, renews it at T1 (unicast to the server),
 * rebinds at T2 (broadcast, any server), and removes the address when the
 * lease expires or a server refuses it (DHCPNAK). Before taking an offered
 * address it asks ARP whether someone already answers for it; if so it
 * sends DHCPDECLINE and starts over ten seconds later. mirage_dhcp_release
 * gives the lease back (DHCPRELEASE); the client does it by itself when
 * the unikernel's main ends (a clean shutdown: mirage_at_exit, rt.h).
 *
 * The client runs in a fiber of its own. It sends and receives UDP on
 * ports 68 and 67 itself, below the stack's UDP device (through the IPv4
 * layer's UDP hook): UDP port 68 is the client's, whatever the stack
 * above does. Replies are parsed defensively: a malformed message (bad lengths,
 * an option running past its area, no message type) is dropped whole and
 * counted; a malformed option (a mask that is not contiguous, an address
 * list whose length is not a multiple of 4, a host name with characters
 * outside letters, digits, '-' and '.') is ignored and counted; at most
 * MIRAGE_DHCP_MAX_ADDRS routers and DNS servers are kept. Repeated options
 * are concatenated (RFC 3396) and option overload (52) is honoured.
 *
 * Logs (source "dhcp"): each lease obtained or renewed ("lease A/N from
 * SERVER ..."), the start of renewing and rebinding, each expiry or
 * refusal, conflicts, every third unanswered DISCOVER, and malformed
 * messages (warnings, at most one a second). Retransmissions follow RFC
 * 2131 4.1: 4 s doubling up to 64 s, each randomised by +-1 s; a REQUEST after
 * an OFFER is tried 4 times before starting over; in RENEWING and REBINDING the
 * client waits half the time left (until T2, or until expiry) before sending
 * again, but no less than min(60 s, lease/8). After a DHCPNAK it pauses before
 * starting over: 1 s, doubling with each refusal in a row up to 64 s. */
#ifndef MIRAGE_DHCP_H
#define MIRAGE_DHCP_H

#include <mirage/arp.h>
#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/ipaddr.h>
#include <mirage/random.h>
#include <mirage/stack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_DHCP_MAX_ADDRS 8
/* The lease time that means "infinite" (RFC 2131 3.3). */
#define MIRAGE_DHCP_INFINITE 0xffffffffu

/* What a lease gives. Text fields are NUL-terminated and empty when the
 * server sent none. */
struct mirage_dhcp_lease {
    struct mirage_ipv4_prefix cidr; /* the address and its network */
    mirage_ipv4_addr server;        /* server identifier (option 54) */
    mirage_ipv4_addr routers[MIRAGE_DHCP_MAX_ADDRS];
    size_t nrouters;
    mirage_ipv4_addr dns[MIRAGE_DHCP_MAX_ADDRS];
    size_t ndns;
    uint16_t mtu;        /* option 26; 0: none */
    char hostname[64];   /* option 12 */
    char domain[256];    /* option 15 */
    uint32_t lease_s;    /* option 51; MIRAGE_DHCP_INFINITE: no end */
    uint32_t t1_s, t2_s; /* renewal and rebinding times, from bound_at */
    uint64_t bound_at;   /* mirage_now() when the request was sent */
};

enum mirage_dhcp_state {
    MIRAGE_DHCP_INIT,       /* discovering (no address) */
    MIRAGE_DHCP_REQUESTING, /* an offer is being requested (no address) */
    MIRAGE_DHCP_BOUND,
    MIRAGE_DHCP_RENEWING,  /* past T1: asking the server, address in use */
    MIRAGE_DHCP_REBINDING, /* past T2: asking any server, address in use */
    MIRAGE_DHCP_STOPPED,   /* released or disconnected */
};

struct mirage_dhcp_stats {
    uint64_t tx_discover, tx_request, tx_decline, tx_release;
    uint64_t rx_offer, rx_ack, rx_nak;
    uint64_t rx_malformed;  /* dropped whole */
    uint64_t rx_bad_option; /* options ignored */
    uint64_t rx_ignored;    /* not for us, or not expected now */
    uint64_t leases;        /* ACKs taken (new leases and renewals) */
    uint64_t expired;       /* leases that ran out */
    uint64_t conflicts;     /* offered addresses someone answered for */
};

/* Options of the client. */
struct mirage_dhcp_config {
    /* Sent as option 12 when not NULL or "". */
    const char *hostname;
    /* How long to wait for an ARP answer about an offered address before
     * taking it; 0: do not ask. MIRAGE_DHCP_PROBE_DEFAULT is 1 s. */
    uint64_t arp_probe_ns;
};
#define MIRAGE_DHCP_PROBE_DEFAULT MIRAGE_SEC(1)

struct mirage_dhcp;

/* Start the client over eth and arp with an IPv4 layer of its own,
 * without an address (mirage_dhcp_ipv4), and return at once: the
 * client's fiber discovers a lease in the background. cfg NULL means the
 * defaults (no host name, MIRAGE_DHCP_PROBE_DEFAULT). 0; MIRAGE_EINVAL
 * (an interface MTU below 68), MIRAGE_ENOMEM. Does not yield. */
int mirage_dhcp_connect_client(struct mirage_dhcp **out,
                               struct mirage_ethernet *eth,
                               struct mirage_arp *arp,
                               struct mirage_random *random,
                               const struct mirage_dhcp_config *cfg);
/* The client's IPv4 layer (without an address until the first lease):
 * the transport protocols and stacks go over it. */
struct mirage_ipv4 *mirage_dhcp_ipv4(struct mirage_dhcp *d);
/* The IPv4 device of MirageOS's ipv4_of_dhcp (and dhcp_ipv4_stack): d's
 * layer, once it holds its first lease (waiting for it, without a
 * deadline, as MirageOS does: the unikernel is reachable when its start
 * function runs). 0, MIRAGE_ECLOSED. May yield. */
int mirage_ipv4_connect_dhcp(struct mirage_ipv4 **out, struct mirage_dhcp *d);
/* The stack of MirageOS's dhcp_ipv4_stack: s, a direct stack
 * (mirage_stack_connect_direct, stack.h) over d's IPv4 layer
 * (mirage_ipv4_connect_dhcp), given d's lease as the source of its DNS
 * servers (its dns_servers); *out is s itself, whose disconnection is
 * the direct stack's. 0; MIRAGE_EINVAL (s is not over d's layer). Does
 * not yield. */
int mirage_stack_connect_dhcp(struct mirage_stack **out, struct mirage_stack *s,
                              struct mirage_dhcp *d);
/* Wait until the client holds a lease (BOUND, RENEWING or REBINDING): 0,
 * MIRAGE_ETIMEDOUT (deadline), MIRAGE_ECLOSED (stopped). May yield. */
int mirage_dhcp_wait_bound(struct mirage_dhcp *d, uint64_t deadline);
/* Wait until something happens after event *seen (a lease taken,
 * renewed or lost; renewing or rebinding begun; a conflict): 0 with
 * *seen updated, or MIRAGE_ETIMEDOUT,
 * MIRAGE_ECLOSED. Start with *seen = 0. May yield. */
int mirage_dhcp_wait_event(struct mirage_dhcp *d, uint64_t *seen,
                           uint64_t deadline);
/* The current lease: 0, or MIRAGE_ENOENT when there is none. */
int mirage_dhcp_lease(const struct mirage_dhcp *d,
                      struct mirage_dhcp_lease *out);
enum mirage_dhcp_state mirage_dhcp_state(const struct mirage_dhcp *d);
/* "init", "requesting", "bound", "renewing", "rebinding", "stopped". */
const char *mirage_dhcp_state_name(enum mirage_dhcp_state s);
const struct mirage_dhcp_stats *mirage_dhcp_stats(const struct mirage_dhcp *d);
/* The DNS servers of the current lease (none without one), up to max in
 * out; returns how many. d is a struct mirage_dhcp *: the signature is
 * the resolver's source of default servers (resolver.h). */
size_t mirage_dhcp_dns_servers(void *d, struct mirage_ipaddr *out, size_t max);
/* Give the lease back (DHCPRELEASE to its server, after waiting at most
 * 1 s for the next hop's link address), remove the address and stop the
 * client (STOPPED; waiters get MIRAGE_ECLOSED). Harmless without a lease
 * or when already stopped. Runs by itself when the unikernel's main
 * ends. May yield (it waits for the client's fiber to end). */
void mirage_dhcp_release(struct mirage_dhcp *d);
/* Stop the client without releasing, and free it with its IPv4 layer
 * (the protocols over that layer must have been disconnected first); d
 * is invalid afterwards. No fiber may be waiting on d. May yield. */
void mirage_dhcp_disconnect_client(struct mirage_dhcp *d);

#endif
