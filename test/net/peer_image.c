/* The unikernel of the real-peer network test (test/net/tap.sh): the
 * stack on a tap device, answering ARP and ping, echoing UDP on port 7,
 * and, given --peer, sending that peer a UDP datagram on port 5555 and an
 * ICMP echo request every 200 ms, logging the first echo reply that
 * comes back. Its mirage_app_main connects the devices by hand, the way the
 * configuration tool's generated main.c does. Runs until killed. */
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

static int send_ping(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                     uint16_t seq)
{
    struct mirage_buf *b = mirage_buf_alloc(64);
    if (!b)
        return MIRAGE_ENOMEM;
    memset(b->data, 0, 64);
    b->data[0] = 8; /* echo request */
    mirage_put_be16(b->data + 4, 0x4d43);
    mirage_put_be16(b->data + 6, seq);
    mirage_put_be16(b->data + 2,
                    mirage_csum_fold(mirage_csum_add(0, b->data, 64)));
    return mirage_ip_write(ip, NULL, dst, MIRAGE_IP_PROTO_ICMP, b);
}

int mirage_app_main(int argc, char **argv)
{
    const char *iface, *cidr, *gateway, *peer, *logs;
    struct mirage_arg args[] = {
        {"interface", 0, MIRAGE_ARG_STRING, "NAME", "the tap device", NULL,
         "tap0", NULL, &iface},
        {"ipv4", 0, MIRAGE_ARG_STRING, "PREFIX", "our address", NULL, NULL,
         NULL, &cidr},
        {"ipv4-gateway", 0, MIRAGE_ARG_STRING, "IP", "the gateway", NULL, "",
         NULL, &gateway},
        {"peer", 0, MIRAGE_ARG_STRING, "IP", "a host to ping and send to", NULL,
         "", NULL, &peer},
        {"logs", 'l', MIRAGE_ARG_STRING, "LEVELS", "log thresholds", NULL,
         "info", mirage_log_check_spec, &logs},
    };
    int r = mirage_args_parse(args, sizeof args / sizeof args[0], argc, argv);
    if (r)
        return r;
    mirage_log_set_levels(logs, NULL);
    struct mirage_ipv4 *v4;
    struct mirage_random *random;
    int err = peer_stack_connect(iface, cidr, gateway, &v4, &random);
    if (!err)
        err = mirage_udp_connect_direct(&udp, mirage_ipv4_ip(v4), random);
    if (!err)
        err = mirage_udp_listen(udp, 7, echo, NULL, NULL);
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
    struct mirage_ipaddr dst = mirage_ipaddr_of_v4(peer_ip);
    const struct mirage_icmp_stats *icmp = mirage_ipv4_icmp_stats(v4);
    bool answered = false;
    for (uint16_t seq = 0;; seq++) {
        if (peer_ip) {
            char msg[64];
            int n = snprintf(msg, sizeof msg, "hello %u from mirage\n", seq);
            mirage_udp_write(udp, NULL, 5556, &dst, 5555, msg, (size_t)n);
            send_ping(mirage_ipv4_ip(v4), &dst, seq);
        }
        mirage_sleep_ns(MIRAGE_MSEC(200));
        if (!answered && icmp->rx_echo_replies > 0) {
            answered = true;
            mirage_log_info("echo reply from %s", peer);
        }
    }
}
