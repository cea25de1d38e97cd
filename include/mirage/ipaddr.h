/* IP addresses (MirageOS's Ipaddr): an IPv4 address is a uint32_t in host
 * byte order (10.0.0.1 is 0x0a000001); struct mirage_ipaddr holds either
 * version, for the interfaces shared by IPv4 and IPv6 (ip.h, udp.h,
 * tcp.h). Parsing and formatting. Nothing here yields or allocates. */
#ifndef MIRAGE_IPADDR_H
#define MIRAGE_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t mirage_ipv4_addr;

#define MIRAGE_IPV4(a, b, c, d)                                                \
    ((mirage_ipv4_addr)(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) |        \
                        ((uint32_t)(c) << 8) | (uint32_t)(d)))
#define MIRAGE_IPV4_ANY       ((mirage_ipv4_addr)0)
#define MIRAGE_IPV4_BROADCAST ((mirage_ipv4_addr)0xffffffffu)

/* An address of either version. For version 4, v4 is the address and
 * v6 is all zero; version 6 is reserved for the IPv6 stack. Compare with
 * mirage_ipaddr_equal (never with memcmp on the whole struct). */
enum mirage_ip_version {
    MIRAGE_IP_V4 = 4,
    MIRAGE_IP_V6 = 6,
};
struct mirage_ipaddr {
    enum mirage_ip_version version;
    mirage_ipv4_addr v4;
    uint8_t v6[16];
};

/* An IPv4 network: address and prefix length (0..32). */
struct mirage_ipv4_prefix {
    mirage_ipv4_addr addr;
    unsigned bits;
};

static inline struct mirage_ipaddr mirage_ipaddr_of_v4(mirage_ipv4_addr a)
{
    struct mirage_ipaddr r = {.version = MIRAGE_IP_V4, .v4 = a};
    return r;
}
bool mirage_ipaddr_equal(const struct mirage_ipaddr *a,
                         const struct mirage_ipaddr *b);

/* The netmask of a prefix length (24 -> 255.255.255.0; 0 -> 0). Lengths
 * above 32 give 255.255.255.255. */
mirage_ipv4_addr mirage_ipv4_netmask(unsigned bits);
/* Whether a lies in the network p. */
bool mirage_ipv4_prefix_mem(const struct mirage_ipv4_prefix *p,
                            mirage_ipv4_addr a);

/* Parse dotted-quad "A.B.C.D" (each part decimal 0..255, no leading
 * zeros beyond "0", nothing else in the string). 0 or MIRAGE_EINVAL
 * (*out untouched). */
int mirage_ipv4_parse(const char *s, mirage_ipv4_addr *out);
/* Parse "A.B.C.D/BITS" (BITS decimal 0..32). 0 or MIRAGE_EINVAL. */
int mirage_ipv4_prefix_parse(const char *s, struct mirage_ipv4_prefix *out);

/* Parse an IPv6 address (RFC 4291 2.2: hex groups, one "::", an optional
 * dotted-quad tail) into 16 bytes in network order. 0 or MIRAGE_EINVAL
 * (out untouched). */
int mirage_ipv6_parse(const char *s, uint8_t out[16]);
/* Parse an address of either version. 0 or MIRAGE_EINVAL. */
int mirage_ipaddr_parse(const char *s, struct mirage_ipaddr *out);

/* Text forms: MIRAGE_IPV4_STRLEN (16) bytes hold any IPv4 address and its
 * NUL, MIRAGE_IPADDR_STRLEN (46) any address. Return buf. */
#define MIRAGE_IPV4_STRLEN   16
#define MIRAGE_IPADDR_STRLEN 46
char *mirage_ipv4_to_string(mirage_ipv4_addr a, char *buf);
char *mirage_ipaddr_to_string(const struct mirage_ipaddr *a, char *buf);

/* MAC addresses: "aa:bb:cc:dd:ee:ff" needs MIRAGE_MAC_STRLEN (18). */
#define MIRAGE_MAC_STRLEN 18
char *mirage_mac_to_string(const uint8_t mac[6], char *buf);

#endif
