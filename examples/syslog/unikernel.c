/* syslog: --count rounds of log messages, one at each level (debug,
 * info, warning, error; debug only reaches the server with --logs=debug
 * or *:debug: the --logs thresholds apply before the reporter), sent
 * to the syslog server by the syslog device, which is the log reporter
 * once connected. Then it waits (up to 10 s) until every message has
 * left, gives the console back and says there how many were sent and
 * dropped. */
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/syslog.h>

MIRAGE_LOG_SRC(src, "hello", "The syslog example's messages");

int syslog_start(struct mirage_syslog *syslog)
{
    int64_t rounds = mirage_arg_count();
    for (int64_t i = 1; i <= rounds; i++) {
        mirage_log_msg(&src, MIRAGE_LOG_DEBUG, "round %lld: a debug message",
                       (long long)i);
        mirage_log_msg(&src, MIRAGE_LOG_INFO, "round %lld: hello, syslog",
                       (long long)i);
        mirage_log_msg(&src, MIRAGE_LOG_WARNING, "round %lld: a warning",
                       (long long)i);
        mirage_log_msg(&src, MIRAGE_LOG_ERROR, "round %lld: an error",
                       (long long)i);
    }
    int late = mirage_syslog_flush(syslog, mirage_now() + MIRAGE_SEC(10));
    /* Over UDP "sent" means handed to the stack, where the datagrams may
     * still wait for the server's MAC address (ARP, whose first request
     * may be lost while the link comes up, retried each second): give
     * them 3 s to leave before the unikernel exits. */
    mirage_sleep_ns(MIRAGE_SEC(3));
    const struct mirage_syslog_stats *st = mirage_syslog_stats(syslog);
    unsigned long long sent = st->sent, dropped = st->dropped;
    size_t queued = st->queued;
    mirage_syslog_disconnect(syslog);
    if (late) {
        mirage_log_err("syslog: %zu messages still queued after 10 s (sent "
                       "%llu, dropped %llu)",
                       queued, sent, dropped);
        return 1;
    }
    mirage_log_info("syslog: sent %llu, dropped %llu", sent, dropped);
    return 0;
}
