/* The lookups of the DNS test images (peer_image.c, system_image.c):
 * names from the command line looked up and printed, and the timed
 * lookups of the DNS benchmark. */
#ifndef MIRAGE_TEST_DHCP_LOOKUPS_H
#define MIRAGE_TEST_DHCP_LOOKUPS_H

#include <mirage/resolver.h>
#include <stdint.h>

/* Look each item of the comma-separated list up and print one line
 * "answer NAME TYPE: ..." for it. An item is NAME (getaddrinfo, both
 * families: TYPE is ADDRS), NAME/TYPE (A, AAAA, CNAME, MX, TXT, SRV,
 * PTR) or ADDRESS/ADDR (a reverse lookup). May yield. */
void lookups_run(struct mirage_resolver *r, const char *list);
/* After one lookup not timed, n lookups of distinct names under
 * bench.test (cold: each asks the server), then n of one name (cached); prints
 * "bench cold: ..." and "bench cached: ..." with the rates. May yield. */
void lookups_bench(struct mirage_resolver *r, int64_t n);

#endif
