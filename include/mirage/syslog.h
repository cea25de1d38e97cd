/* syslog (MirageOS logs-syslog: syslog_udp, syslog_tcp, syslog_tls): the
 * log reporter sends every message the --logs thresholds let through to
 * a syslog server, as RFC 5424 messages, one per UDP datagram (RFC 5426)
 * or octet-counted on a TCP stream (RFC 6587 §3.4.1), plain or in TLS
 * (RFC 5425).
 *
 * Connecting makes the device the log reporter (log.h), in place of the
 * console. The reporter only formats each message into a bounded ring;
 * a fiber of the device sends from the ring, so logging never blocks and
 * never re-enters the network stack. Over TCP, a connection that fails
 * or cannot be made (over TLS: whose handshake fails) is retried with
 * exponential backoff (1 s doubling up to 60 s); meanwhile messages wait in the
 * ring, and when it is full the oldest are dropped and counted; once the server
 * is back the count is sent first ("syslog: N messages dropped"). The device's
 * own troubles (a lost connection, drops) are written to the console, never
 * logged.
 *
 * Messages: <PRI>1 TIMESTAMP HOSTNAME APP-NAME - - - MSG, the facility
 * `user`, the severity from the level (app: notice, error, warning,
 * info: informational, debug), the time from the pclock (or the
 * platform's wall clock) in UTC with microseconds, APP-NAME the log
 * source's name; a message is cut to `truncate` bytes in all.
 *
 * Connecting does not yield. */
#ifndef MIRAGE_SYSLOG_H
#define MIRAGE_SYSLOG_H

#include <mirage/clock.h>
#include <mirage/ipaddr.h>
#include <mirage/stack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MirageOS's syslog_config: the HOSTNAME field (printable ASCII, at
 * most 255 bytes; others are replaced by '_'), the server, its port (0:
 * 514 for UDP and TCP, 6514 for TLS) and the length messages are cut to
 * (0: 2048 bytes over UDP, 8192 over TCP and TLS). server_text, when
 * not NULL, gives the server as text instead (an IPv4 or IPv6 address,
 * as the runtime argument --syslog does; empty or malformed:
 * MIRAGE_EINVAL, said on the console). */
struct mirage_syslog_config {
    const char *hostname;
    struct mirage_ipaddr server;
    int port; /* 0, or 1 to 65535 (others: MIRAGE_EINVAL, on the console) */
    size_t truncate;
    const char *server_text;
};

/* Bytes of formatted messages the ring holds while they wait. */
#define MIRAGE_SYSLOG_RING (64 * 1024)

struct mirage_syslog_stats {
    uint64_t sent;     /* messages handed to the network */
    uint64_t dropped;  /* messages lost: the ring was full */
    uint64_t connects; /* TCP (TLS) connections made */
    uint64_t failures; /* TCP (TLS) connections that failed or could not
                        * be made */
    size_t queued;     /* messages waiting now */
    bool connected;    /* TCP: a connection is up (UDP: always true) */
};

struct mirage_syslog;
/* syslog_udp / syslog_tcp (*out first, as every connect function) over the
 * stack's UDP or TCP device, times from clock (NULL: the platform's wall
 * clock). 0; MIRAGE_EINVAL (no config, a server that is not an address),
 * MIRAGE_ENOMEM. */
int mirage_syslog_connect_udp(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              const struct mirage_syslog_config *config);
int mirage_syslog_connect_tcp(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              const struct mirage_syslog_config *config);
/* syslog_tls: as syslog_tcp, each connection running TLS with tls (which
 * must outlive the device), the server's certificate checked against
 * the server's address (an iPAddress in its subjectAltName). The
 * connect functions' errors. */
struct mirage_tls_client_config;
int mirage_syslog_connect_tls(struct mirage_syslog **out,
                              struct mirage_stack *stack,
                              struct mirage_pclock *clock,
                              struct mirage_tls_client_config *tls,
                              const struct mirage_syslog_config *config);
const struct mirage_syslog_stats *
mirage_syslog_stats(const struct mirage_syslog *s);
/* Stop: the console reporter takes over again (without a clock), the
 * connection is closed, messages still queued are lost, and s is freed
 * once its fiber has seen it (at its next turn to run). Does not
 * yield. */
void mirage_syslog_disconnect(struct mirage_syslog *s);
/* Wait until every queued message has been sent (or the deadline): 0 or
 * MIRAGE_ETIMEDOUT. May yield. */
int mirage_syslog_flush(struct mirage_syslog *s, uint64_t deadline);

/* Format one RFC 5424 message into buf (size bytes, at least 64): its
 * length, at most min(size, truncate). The pieces as described above;
 * time in ns since the epoch. Used by the devices and their tests. */
size_t mirage_syslog_format(char *buf, size_t size, size_t truncate,
                            uint64_t time_ns, const char *hostname,
                            const char *source, int level, const char *msg);

#endif
