/* The unikernel of the real-peer network test (test/net/tap.sh): the
 * stack on a tap device, answering ARP and ping, echoing UDP on port 7,
 * and, given --peer, sending that peer a UDP datagram on port 5555 and an
 * ICMP echo request every 200 ms, logging the first echo reply that
 * comes back; with --ipv6 (ADDR/N, or "auto": router advertisements')
 * it serves IPv6 too, and --peer6 is an IPv6 peer treated so. Its
 * mirage_app_main connects the devices by hand, the way the configuration
 * tool's generated main.c does. Runs until killed. */
#include "peer_stack.h"

#include <mirage/args.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <mirage/random.h>
#include <mirage/rt.h>
#include <mirage/udp.h>
#include <stdio.h>
#include <string.h>

static struct mirage_udp *udp;

static void echo(void *arg, const struct mirage_udp_peer *peer,
                 const uint8_t *data, size_t len)
{
    (void)arg;
    char src[MIRAGE_IPADDR_STRLEN];
    mirage_log_info("udp from %s:%u, %zu bytes",
                    mirage_ipaddr_to_string(&peer->src, src), peer->src_port,
                    len);
    int err = mirage_udp_write(udp, &peer->dst, peer->dst_port, &peer->src,
                               peer->src_port, data, len);
    if (err)
        mirage_log_err("echo failed: %s", mirage_strerror(err));
}

/* An ICMP (ICMPv6 for an IPv6 dst: its checksum covers the
 * pseudo-header) echo request. */
static int send_ping(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                     uint16_t seq)
{
    bool v6 = dst->version == MIRAGE_IP_V6;
    struct mirage_ipaddr src;
    if (mirage_ip_src(ip, dst, &src) != 0)
        return MIRAGE_EUNREACH;
    struct mirage_buf *b = mirage_buf_alloc(64);
    if (!b)
        return MIRAGE_ENOMEM;
    memset(b->data, 0, 64);
    b->data[0] = v6 ? 128 : 8; /* echo request */
    mirage_put_be16(b->data + 4, 0x4d43);
    mirage_put_be16(b->data + 6, seq);
    uint8_t proto = v6 ? MIRAGE_IP_PROTO_ICMPV6 : MIRAGE_IP_PROTO_ICMP;
    uint32_t sum = v6 ? mirage_ip_pseudo_sum(&src, dst, proto, 64) : 0;
    mirage_put_be16(b->data + 2,
                    mirage_csum_fold(mirage_csum_add(sum, b->data, 64)));
    return mirage_ip_write(ip, &src, dst, proto, b);
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *cidr6, *peer, *peer6, *logs;
    int64_t busy_poll;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "tap0", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the gateway", NULL, "",
         NULL, &gateway},
        {"peer", 0, MIRAGE_ARG_STRING, "IP", "a host to ping and send to", NULL,
         "", NULL, &peer},
        {"ipv6", 0, MIRAGE_ARG_STRING, "PREFIX",
         "our IPv6 address (\"auto\": router advertisements'; none: IPv4 "
         "only)",
         NULL, "", NULL, &cidr6},
        {"peer6", 0, MIRAGE_ARG_STRING, "IP",
         "an IPv6 host to ping and send to", NULL, "", NULL, &peer6},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
        {"busy-poll", 0, MIRAGE_ARG_INT, "USEC",
         "poll without blocking this long before blocking", NULL, "0", NULL,
         &busy_poll},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    mirage_loop_busy_poll(MIRAGE_USEC((uint64_t)busy_poll));
    struct mirage_ipv4 *v4;
    struct mirage_ipv6 *v6;
    struct mirage_ip *ip;
    struct mirage_random *random;
    const char *six = strcmp(cidr6, "auto") == 0 ? "" : *cidr6 ? cidr6 : NULL;
    int err = peer_stack_connect_dual(iface, cidr, gateway, six, &ip, &v4, &v6,
                                      &random);
    if (!err)
        err = mirage_udp_connect_direct(&udp, ip, random);
    if (!err)
        err = mirage_udp_listen(udp, 7, echo, NULL, NULL);
    if (!err && v6)
        err = peer_wait_ipv6(v6);
    if (err) {
        mirage_log_err("cannot start the stack: %s", mirage_strerror(err));
        return 1;
    }
    mirage_log_info("ready");
    mirage_ipv4_addr peer_ip = 0;
    if (*peer && mirage_ipv4_parse(peer, &peer_ip) != 0) {
        mirage_log_err("invalid --peer '%s'", peer);
        return MIRAGE_EXIT_BADARG;
    }
    struct mirage_ipaddr dst = mirage_ipaddr_of_v4(peer_ip), dst6;
    if (*peer6 && (!v6 || mirage_ipaddr_parse(peer6, &dst6) != 0 ||
                   dst6.version != MIRAGE_IP_V6)) {
        mirage_log_err("invalid --peer6 '%s' (or no --ipv6)", peer6);
        return MIRAGE_EXIT_BADARG;
    }
    const struct mirage_icmp_stats *icmp = mirage_ipv4_icmp_stats(v4);
    bool answered = false, answered6 = false;
    for (uint16_t seq = 0;; seq++) {
        char msg[64];
        int n = snprintf(msg, sizeof msg, "hello %u from mirage\n", seq);
        if (peer_ip) {
            mirage_udp_write(udp, NULL, 5556, &dst, 5555, msg, (size_t)n);
            send_ping(ip, &dst, seq);
        }
        if (*peer6) {
            mirage_udp_write(udp, NULL, 5556, &dst6, 5555, msg, (size_t)n);
            send_ping(ip, &dst6, seq);
        }
        mirage_sleep_ns(MIRAGE_MSEC(200));
        if (!answered && icmp->rx_echo_replies > 0) {
            answered = true;
            mirage_log_info("echo reply from %s", peer);
        }
        if (!answered6 && *peer6 && mirage_ipv6_stats(v6)->rx_echo_replies) {
            answered6 = true;
            mirage_log_info("echo reply from %s", peer6);
        }
    }
}
