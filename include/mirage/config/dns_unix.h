/* The host's resolver configuration (lib/dns_unix over the unix-only
 * host files and sockets; entry in lib/dns_unix/config.c;
 * <mirage/resolver.h>). Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_DNS_UNIX_H
#define MIRAGE_CONFIG_DNS_UNIX_H

/* resolver_unix_system(): a resolver (resolver_typ) asking the servers
 * of the host's /etc/resolv.conf, with its timeout and attempts, through
 * the host's sockets (unix only: configuring another target is an
 * error). MirageOS's resolver_unix_system.
 * Example (unix): resolver_unix_system() */
#define resolver_unix_system() MIRAGE_ENTRY_(mirage_resolver_unix_system_())

impl *mirage_resolver_unix_system_(void);

#endif
