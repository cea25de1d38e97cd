/* Helpers for the TCP tests on the test network: two nodes with a TCP
 * device each, a position-dependent byte pattern for transfers checked
 * byte for byte, and a server whose handler reads, checks and answers. */
#ifndef MIRAGE_TEST_TCP_HARNESS_H
#define MIRAGE_TEST_TCP_HARNESS_H

#include "net_harness.h"

#include <mirage/tcp.h>

/* Node 0 is 10.0.0.1 (the client side), node 1 is 10.0.0.2; with
 * MIRAGE_TEST_FAMILY=6 in the environment both nodes are dual-stack and
 * talk IPv6: 2001:db8::1 and 2001:db8::2 (tcp_over_ipv6). */
extern struct mirage_tcp *tcp_a, *tcp_b;
extern struct mirage_ipaddr addr_a, addr_b;

/* For net_run: add the two nodes (MTU 1500). */
void tcp_setup(void);
bool tcp_over_ipv6(void);
/* Inside the body: connect both stacks and their TCP devices (over IPv6,
 * after waiting for duplicate address detection). */
int tcp_start(void);
/* Inside the body: disconnect both TCP devices (every flow closed). */
void tcp_stop(void);

/* The TCP header in an Ethernet frame carrying IPv4 (without options) or
 * IPv6 (without extension headers), with the segment's length; NULL for
 * other frames. */
const uint8_t *tcp_of_frame(const uint8_t *frame, size_t len, size_t *seg_len);

/* Byte i of the test stream. */
uint8_t tcp_pattern(uint64_t i);
/* Write n bytes of the pattern from offset `from` in writes of at most
 * chunk bytes: 0 or the failing write's error. */
int tcp_write_pattern(struct mirage_tcp_flow *f, uint64_t from, uint64_t n,
                      size_t chunk, uint64_t deadline);
/* Read until the end of the stream checking the pattern from offset 0;
 * returns the byte count, or -1 on a mismatch, or the read error. With
 * tcp_read_views set, by view reads (mirage_tcp_read_view). */
extern bool tcp_read_views;
long long tcp_read_pattern(struct mirage_tcp_flow *f, uint64_t deadline);

/* The server of node 1 on port 5000: each connection is read to its
 * end with the pattern checked (srv.received, srv.ok), then srv.reply
 * bytes of the pattern are written back, then the flow is closed. */
struct tcp_server {
    int conns_done;
    long long received; /* of the last connection */
    bool ok;            /* every connection's data matched */
    uint64_t reply;
    int last_err; /* the last read or write error */
};
extern struct tcp_server srv;
int tcp_server_start(uint64_t reply);
/* Wait (virtual time) until srv.conns_done reaches n: 0 or -1. */
int tcp_server_wait(int n, uint64_t timeout);
/* Inside the body, with tcp_server_start(down) listening: one
 * connection from node 0 to the server that sends `up` bytes of the
 * pattern in writes of at most `chunk`, shuts its write side, reads and
 * checks the server's `down` bytes, closes, and waits for the server to
 * have checked the `up` bytes: 0, or 1 after a failed check. */
int tcp_exchange(uint64_t up, uint64_t down, size_t chunk);
/* A listener handler that echoes what it reads until end of stream or an
 * error, then counts the connection in srv.conns_done and closes. */
int tcp_echo_handler(void *arg, struct mirage_tcp_flow *f);

#endif
