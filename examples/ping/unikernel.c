/* ping: the stack answers ARP and ICMP echo requests by itself; this job
 * watches its counters and logs what it sees, as it happens. */
#include <mirage/arp.h>
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/log.h>
#include <mirage/stack.h>
#include <string.h>

/* What was last logged. */
struct seen {
    struct mirage_arp_stats arp;
    struct mirage_icmp_stats icmp;
    struct mirage_ip_stats ip;
};

static void report(const char *what, uint64_t before, uint64_t now)
{
    if (now != before)
        mirage_log_info("%s: %llu (+%llu)", what, (unsigned long long)now,
                        (unsigned long long)(now - before));
}

int ping_start(struct mirage_stack *stack)
{
    if (!stack->ipv4) {
        mirage_log_err("ping needs the direct stack (it watches IPv4)");
        return 1;
    }
    const struct mirage_arp_stats *arp = mirage_arp_stats(stack->arp);
    const struct mirage_icmp_stats *icmp = mirage_ipv4_icmp_stats(stack->ipv4);
    const struct mirage_ip_stats *ip = &stack->ip->stats;
    struct seen last;
    memset(&last, 0, sizeof last);
    mirage_log_info("ping: answering ARP and ICMP echo requests");
    for (;;) {
        mirage_sleep_ns(MIRAGE_MSEC(100));
        report("ARP requests received", last.arp.rx_requests, arp->rx_requests);
        report("ARP replies sent", last.arp.tx_replies, arp->tx_replies);
        report("ARP replies received", last.arp.rx_replies, arp->rx_replies);
        report("echo requests received", last.icmp.rx_echo_requests,
               icmp->rx_echo_requests);
        report("echo replies sent", last.icmp.tx_echo_replies,
               icmp->tx_echo_replies);
        report("IPv4 packets dropped as malformed", last.ip.rx_malformed,
               ip->rx_malformed);
        report("IPv4 packets with a bad checksum", last.ip.rx_bad_csum,
               ip->rx_bad_csum);
        last.arp = *arp;
        last.icmp = *icmp;
        last.ip = *ip;
    }
}
