/* DHCP messages on the wire (RFC 2131 section 2, options of RFC 2132):
 * building the client's messages and parsing servers' replies; shared by
 * the client (client.c), its tests and the fuzz target. Not a public
 * interface. Nothing here yields or allocates. */
#ifndef MIRAGE_LIB_DHCP_WIRE_H
#define MIRAGE_LIB_DHCP_WIRE_H

#include <mirage/dhcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LEN   236 /* op .. file */
#define DHCP_COOKIE_LEN  4
/* What the client sends is padded to the BOOTP size relays expect. */
#define DHCP_MIN_SEND 300
/* Room for the largest message the client builds. */
#define DHCP_SEND_MAX 576

enum dhcp_type {
    DHCP_DISCOVER = 1,
    DHCP_OFFER = 2,
    DHCP_REQUEST = 3,
    DHCP_DECLINE = 4,
    DHCP_ACK = 5,
    DHCP_NAK = 6,
    DHCP_RELEASE = 7,
    DHCP_INFORM = 8,
};

/* A message the client sends. Zero fields are left out (ciaddr is then
 * 0.0.0.0; requested_ip and server_id omit options 50 and 54). */
struct dhcp_out {
    enum dhcp_type type;
    uint32_t xid;
    uint16_t secs;
    bool broadcast; /* ask the server to broadcast its reply */
    mirage_ipv4_addr ciaddr;
    uint8_t mac[6];
    mirage_ipv4_addr requested_ip; /* option 50 */
    mirage_ipv4_addr server_id;    /* option 54 */
    const char *hostname;          /* option 12; NULL or "": none */
    uint16_t max_size;             /* option 57; 0: none */
};

/* Build m into buf (DHCP_SEND_MAX bytes): returns the length. A host name
 * longer than 63 bytes is cut. Discover, request and inform messages also
 * carry the parameter request list (55) and the client identifier (61). */
size_t dhcp_build(const struct dhcp_out *m, uint8_t buf[DHCP_SEND_MAX]);

/* A parsed reply: the fixed fields the client uses and the options it
 * knows. has_* say whether an option was present and valid. */
struct dhcp_in {
    uint32_t xid;
    uint8_t chaddr[6];
    mirage_ipv4_addr yiaddr;
    enum dhcp_type type;
    bool has_server_id, has_mask, has_lease, has_t1, has_t2;
    mirage_ipv4_addr server_id;
    unsigned prefix_bits; /* of the mask (option 1) */
    mirage_ipv4_addr routers[MIRAGE_DHCP_MAX_ADDRS];
    size_t nrouters;
    mirage_ipv4_addr dns[MIRAGE_DHCP_MAX_ADDRS];
    size_t ndns;
    uint16_t mtu; /* 0: none */
    uint32_t lease_s, t1_s, t2_s;
    char hostname[64];
    char domain[256];
    char message[128];    /* option 56 (a server's explanation), printable */
    unsigned bad_options; /* options ignored as malformed */
};

/* Parse the len bytes at p as a reply from a server (BOOTREPLY over
 * Ethernet). 0 with *m filled; MIRAGE_EBADF with *why pointing at a
 * static reason when the message is malformed as a whole. */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_in *m,
               const char **why);

#endif
