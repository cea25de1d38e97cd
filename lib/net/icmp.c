/* ICMPv4 (RFC 792): echo replies, errors about received packets (port
 * and protocol unreachable, reassembly time exceeded; rate limited), and
 * errors about packets we sent, delivered to the protocol that sent
 * them. */
#include "ipv4_internal.h"

#include <mirage/error.h>
#include <mirage/log.h>
#include <string.h>

MIRAGE_LOG_SRC(log_icmp, "icmp", "ICMPv4");

#define ECHO_REPLY   0
#define UNREACHABLE  3
#define ECHO_REQUEST 8
#define CODE_PROTO   2
#define CODE_PORT    3
#define CODE_FRAG    4
#define ICMP_HDR_LEN 8
/* An error quotes at most this much of the offending packet, so that it
 * fits in the minimum datagram size every host accepts (576). */
#define MAX_QUOTE (576 - MIRAGE_IPV4_HDR_LEN - ICMP_HDR_LEN)
/* Errors we send: a bucket of LIMIT_BURST, refilled one per LIMIT_EVERY. */
#define LIMIT_BURST 50
#define LIMIT_EVERY MIRAGE_MSEC(10)

/* Answer the echo request req: in req's own buffer when its lender lets
 * us keep it (no allocation, no copy), else in a copy. */
static void echo_reply(struct mirage_ipv4 *v4, const struct mirage_ip_rx *rx,
                       struct mirage_buf *req)
{
    struct mirage_buf *b =
        mirage_buf_reuse(req, MIRAGE_IPV4_HDR_LEN + MIRAGE_ETH_HDR_LEN);
    if (!b)
        return;
    b->data[0] = ECHO_REPLY;
    b->data[1] = 0;
    mirage_put_be16(b->data + 2, 0);
    mirage_put_be16(b->data + 2,
                    mirage_csum_fold(mirage_csum_add(0, b->data, b->len)));
    v4->icmp.tx_echo_replies++;
    ipv4_output(v4, rx->src.v4, MIRAGE_IP_PROTO_ICMP, b);
}

/* An error message about one of our packets: find its protocol and tell
 * it. The quote is the original IP header and at least 8 bytes after. */
static void deliver_error(struct mirage_ipv4 *v4, uint8_t type, uint8_t code,
                          const uint8_t *msg, size_t len)
{
    const uint8_t *q = msg + ICMP_HDR_LEN;
    size_t qlen = len - ICMP_HDR_LEN;
    if (qlen < MIRAGE_IPV4_HDR_LEN || q[0] >> 4 != 4) {
        v4->icmp.rx_malformed++;
        return;
    }
    size_t hl = (size_t)(q[0] & 15) * 4;
    if (hl < MIRAGE_IPV4_HDR_LEN || qlen < hl + 8 ||
        mirage_get_be32(q + 12) != v4->cfg.cidr.addr) {
        v4->icmp.rx_malformed++;
        return;
    }
    struct mirage_ip_error e = {
        .src = mirage_ipaddr_of_v4(mirage_get_be32(q + 12)),
        .dst = mirage_ipaddr_of_v4(mirage_get_be32(q + 16)),
        .proto = q[9],
        .icmp_type = type,
        .icmp_code = code,
        .orig = q + hl,
        .orig_len = qlen - hl,
    };
    if (type == ICMP_TIME_EXCEEDED) {
        e.err = MIRAGE_ETIMEDOUT;
    } else if (code == CODE_PORT || code == CODE_PROTO) {
        e.err = MIRAGE_ECONNREFUSED;
    } else if (code == CODE_FRAG) {
        e.err = MIRAGE_ERANGE;
        e.mtu = mirage_get_be16(msg + 6);
    } else {
        e.err = MIRAGE_EUNREACH;
    }
    const struct mirage_ip_proto *p = &v4->protos[e.proto];
    if (!p->error)
        return;
    v4->icmp.rx_errors++;
    p->error(p->arg, &e);
}

void icmp_input(void *arg, const struct mirage_ip_rx *rx,
                struct mirage_buf *payload)
{
    struct mirage_ipv4 *v4 = arg;
    const uint8_t *p = payload->data;
    if (payload->len < ICMP_HDR_LEN ||
        mirage_csum_fold(mirage_csum_add(0, p, payload->len)) != 0) {
        v4->icmp.rx_malformed++;
        return;
    }
    char src[MIRAGE_IPV4_STRLEN];
    switch (p[0]) {
    case ECHO_REQUEST:
        v4->icmp.rx_echo_requests++;
        mirage_log_src_debug(&log_icmp, "echo request from %s, %zu bytes",
                             mirage_ipv4_to_string(rx->src.v4, src),
                             payload->len);
        /* Like Linux's default, broadcast pings are not answered. */
        if (!rx->broadcast)
            echo_reply(v4, rx, payload);
        break;
    case ECHO_REPLY:
        v4->icmp.rx_echo_replies++;
        break;
    case UNREACHABLE:
    case ICMP_TIME_EXCEEDED:
        deliver_error(v4, p[0], p[1], p, payload->len);
        break;
    default:
        break;
    }
}

int icmp_send_error(struct mirage_ipv4 *v4, const struct mirage_ip_rx *rx,
                    const uint8_t *payload, size_t len, uint8_t type,
                    uint8_t code)
{
    /* RFC 1122 3.2.2: never about broadcasts, non-initial fragments,
     * ICMP messages, or packets from addresses that are not a single
     * host. */
    if (rx->broadcast || rx->src.version != MIRAGE_IP_V4 ||
        rx->src.v4 == MIRAGE_IPV4_ANY || rx->hdr_len < MIRAGE_IPV4_HDR_LEN ||
        (mirage_get_be16(rx->hdr + 6) & 0x1fff) != 0 ||
        rx->proto == MIRAGE_IP_PROTO_ICMP)
        return 0;
    if (!net_rate_allow(&v4->icmp_limit, LIMIT_BURST, LIMIT_EVERY))
        return 0;
    size_t quote = rx->hdr_len + len;
    if (quote > MAX_QUOTE)
        quote = MAX_QUOTE;
    struct mirage_buf *b = mirage_buf_alloc(ICMP_HDR_LEN + quote);
    if (!b)
        return MIRAGE_ENOMEM;
    uint8_t *p = b->data;
    p[0] = type;
    p[1] = code;
    memset(p + 2, 0, 6);
    memcpy(p + ICMP_HDR_LEN, rx->hdr, rx->hdr_len);
    memcpy(p + ICMP_HDR_LEN + rx->hdr_len, payload, quote - rx->hdr_len);
    mirage_put_be16(p + 2, mirage_csum_fold(mirage_csum_add(0, p, b->len)));
    v4->icmp.tx_errors++;
    return ipv4_output(v4, rx->src.v4, MIRAGE_IP_PROTO_ICMP, b);
}

int icmp_report(struct mirage_ipv4 *v4, const struct mirage_ip_rx *rx,
                const struct mirage_buf *payload,
                enum mirage_ip_report_kind kind)
{
    return icmp_send_error(v4, rx, payload->data, payload->len, UNREACHABLE,
                           kind == MIRAGE_IP_PORT_UNREACHABLE ? CODE_PORT
                                                              : CODE_PROTO);
}
