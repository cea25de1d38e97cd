/* The syslog devices' parts (device.c, tls.c): TLS goes through a table
 * only mirage_syslog_connect_tls (tls.c) gives, so syslog_udp and
 * syslog_tcp link no TLS code. */
#ifndef MIRAGE_SYSLOG_INTERNAL_H
#define MIRAGE_SYSLOG_INTERNAL_H

#include <mirage/flow.h>
#include <mirage/ipaddr.h>
#include <mirage/syslog.h>
#include <stdbool.h>

struct syslog_secure {
    /* The client side of a handshake with the server at `server` over
     * the TCP flow tcp (closed on failure), arg being syslog_device_start's
     * secure_arg: 0 with *out the session, or the error. May yield. */
    int (*wrap)(void *arg, const struct mirage_ipaddr *server,
                struct mirage_flow *tcp, uint64_t deadline,
                struct mirage_flow **out);
};

/* Start a device: over TCP when tcp (with TLS when secure is not NULL,
 * given secure_arg), else over UDP. The connect functions' results.
 * Does not yield. */
int syslog_device_start(bool tcp, const struct syslog_secure *secure,
                        void *secure_arg, struct mirage_stack *stack,
                        struct mirage_pclock *clock,
                        const struct mirage_syslog_config *c,
                        struct mirage_syslog **out);

#endif
