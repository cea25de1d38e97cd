/* ICMPv6 (RFC 4443): echo replies, errors about received packets (rate
 * limited, with RFC 4443 2.4's exceptions), errors about packets we
 * sent delivered to the protocol that sent them (Packet Too Big lowering
 * the path MTU first), the Neighbor Discovery messages handed to
 * ipv6_nd.c, and MLDv2 reports (RFC 3810) for our groups, sent when an
 * address is added and when a router asks. */
#include "ipv6_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <string.h>

MIRAGE_LOG_SRC(log_icmp6, "icmpv6", "ICMPv6");

#define ICMP_HDR 8
/* An error quotes as much of the offending packet as fits in the
 * minimum MTU (RFC 4443 2.4 c). */
#define MAX_QUOTE        (MIRAGE_IPV6_MIN_MTU - MIRAGE_IPV6_HDR_LEN - ICMP_HDR)
#define LIMIT_BURST      50
#define LIMIT_EVERY      MIRAGE_MSEC(10)
#define MLD_QUERY        130
#define MLD_V2_REPORT    143
#define MLD_CHANGE_TO_EX 4 /* record type: join, any source */
#define MLD_IS_EX        2 /* record type: member, any source */

void mirage_icmpv6_checksum(const uint8_t src[16], const uint8_t dst[16],
                            uint8_t *msg, size_t len)
{
    struct mirage_ipaddr s = mirage_ipaddr_of_v6(src);
    struct mirage_ipaddr d = mirage_ipaddr_of_v6(dst);
    mirage_put_be16(msg + 2, 0);
    uint32_t sum = mirage_ip_pseudo_sum(&s, &d, MIRAGE_IP_PROTO_ICMPV6, len);
    mirage_put_be16(msg + 2, mirage_csum_fold(mirage_csum_add(sum, msg, len)));
}

int icmpv6_send(struct mirage_ipv6 *v6, const uint8_t src[16],
                const uint8_t dst[16], uint8_t hop_limit,
                struct mirage_buf *msg)
{
    mirage_icmpv6_checksum(src, dst, msg->data, msg->len);
    return ipv6_output(v6, src, dst, MIRAGE_IP_PROTO_ICMPV6, hop_limit, msg);
}

/* Answer the echo request req: in req's own buffer when its lender lets
 * us keep it (no allocation, no copy), else in a copy. */
static void echo_reply(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                       struct mirage_buf *req)
{
    uint8_t src[16];
    if (ip6_is_unspecified(rx->src.v6))
        return;
    if (rx->broadcast) {
        if (!ipv6_select_src(v6, rx->src.v6, src))
            return;
    } else {
        memcpy(src, rx->dst.v6, 16);
    }
    struct mirage_buf *b =
        mirage_buf_reuse(req, MIRAGE_IPV6_HDR_LEN + MIRAGE_ETH_HDR_LEN);
    if (!b)
        return;
    b->data[0] = ICMPV6_ECHO_REPLY;
    v6->st.tx_echo_replies++;
    icmpv6_send(v6, src, rx->src.v6, 0, b);
}

/* Skip the extension headers of the quoted packet q (qlen bytes): the
 * offset of the transport header and its protocol, or false. */
static bool quoted_upper(const uint8_t *q, size_t qlen, size_t *off,
                         uint8_t *proto)
{
    uint8_t nh = q[6];
    size_t at = MIRAGE_IPV6_HDR_LEN;
    for (unsigned i = 0; i < MIRAGE_IPV6_EXT_MAX; i++) {
        if (nh == 44) { /* fragment: only the first carries the ports */
            if (at + 8 > qlen || (mirage_get_be16(q + at + 2) & ~7u) != 0)
                return false;
            nh = q[at];
            at += 8;
        } else if (nh == 0 || nh == 43 || nh == 60) {
            if (at + 2 > qlen)
                return false;
            size_t len = ((size_t)q[at + 1] + 1) * 8;
            nh = q[at];
            at += len;
        } else {
            *off = at;
            *proto = nh;
            return true;
        }
    }
    return false;
}

/* An error about one of our packets: lower the path MTU for Packet Too
 * Big, then tell the protocol that sent it. */
static void deliver_error(struct mirage_ipv6 *v6, const uint8_t *msg,
                          size_t len)
{
    const uint8_t *q = msg + ICMP_HDR;
    size_t qlen = len - ICMP_HDR, off;
    uint8_t proto;
    if (len < ICMP_HDR + MIRAGE_IPV6_HDR_LEN || q[0] >> 4 != 6 ||
        !nd_find_addr(v6, q + 8)) {
        v6->st.rx_icmp_bad++;
        return;
    }
    struct mirage_ip_error e = {
        .src = mirage_ipaddr_of_v6(q + 8),
        .dst = mirage_ipaddr_of_v6(q + 24),
        .icmp_type = msg[0],
        .icmp_code = msg[1],
    };
    switch (msg[0]) {
    case ICMPV6_TOO_BIG:
        ipv6_pmtu_update(v6, q + 24, mirage_get_be32(msg + 4));
        e.err = MIRAGE_ERANGE;
        e.mtu = (uint32_t)ipv6_path_mtu(v6, q + 24);
        break;
    case ICMPV6_TIME_EXCEED:
        e.err = MIRAGE_ETIMEDOUT;
        break;
    case ICMPV6_UNREACH:
        e.err = msg[1] == 4 ? MIRAGE_ECONNREFUSED : MIRAGE_EUNREACH;
        break;
    default: /* parameter problem; code 1: unrecognized next header */
        e.err = msg[1] == 1 ? MIRAGE_ECONNREFUSED : MIRAGE_EUNREACH;
        break;
    }
    if (!quoted_upper(q, qlen, &off, &proto) || off + 8 > qlen)
        return; /* the ports were not quoted: nothing to tell */
    e.proto = proto;
    e.orig = q + off;
    e.orig_len = qlen - off;
    const struct mirage_ip_proto *p = &v6->protos[proto];
    if (!p->error)
        return;
    v6->st.rx_icmp_errors++;
    p->error(p->arg, &e);
}

void icmpv6_input(void *arg, const struct mirage_ip_rx *rx,
                  struct mirage_buf *payload)
{
    struct mirage_ipv6 *v6 = arg;
    const uint8_t *p = payload->data;
    size_t len = payload->len;
    if (len < 4 || mirage_csum_fold(mirage_csum_add(
                       mirage_ip_pseudo_sum(&rx->src, &rx->dst,
                                            MIRAGE_IP_PROTO_ICMPV6, len),
                       p, len)) != 0) {
        v6->st.rx_icmp_bad++;
        return;
    }
    char src[MIRAGE_IPADDR_STRLEN];
    switch (p[0]) {
    case ICMPV6_ECHO_REQUEST:
        if (len < ICMP_HDR)
            break;
        v6->st.rx_echo_requests++;
        mirage_log_src_debug(&log_icmp6, "echo request from %s, %zu bytes",
                             mirage_ipaddr_to_string(&rx->src, src), len);
        echo_reply(v6, rx, payload);
        break;
    case ICMPV6_ECHO_REPLY:
        v6->st.rx_echo_replies++;
        break;
    case ICMPV6_UNREACH:
    case ICMPV6_TOO_BIG:
    case ICMPV6_TIME_EXCEED:
    case ICMPV6_PARAM_PROB:
        deliver_error(v6, p, len);
        break;
    case MLD_QUERY:
        /* Answer within a random part of a second (RFC 3810 6.2). */
        v6->mld_left = 1;
        v6->mld_at =
            mirage_now() + mirage_random_uniform(v6->random, MIRAGE_SEC(1));
        nd_schedule(v6);
        break;
    default:
        if (p[0] >= 133 && p[0] <= 137)
            nd_input(v6, rx, p, len);
        break;
    }
}

int icmpv6_send_error(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                      const uint8_t *payload, size_t len, uint8_t type,
                      uint8_t code, uint32_t param)
{
    /* RFC 4443 2.4 (e): not about errors or redirects, not to sources
     * that are not one host, not about multicast but for Packet Too Big
     * and unrecognized options. */
    bool quoted_error = rx->proto == MIRAGE_IP_PROTO_ICMPV6 && len > 0 &&
                        (payload[0] < 128 || payload[0] == 137);
    if (rx->src.version != MIRAGE_IP_V6 || ip6_is_unspecified(rx->src.v6) ||
        ip6_is_multicast(rx->src.v6) || quoted_error ||
        (rx->broadcast &&
         !(type == ICMPV6_TOO_BIG || (type == ICMPV6_PARAM_PROB && code == 2))))
        return 0;
    uint8_t src[16];
    if (rx->broadcast || !nd_find_addr(v6, rx->dst.v6)) {
        if (!ipv6_select_src(v6, rx->src.v6, src))
            return 0;
    } else {
        memcpy(src, rx->dst.v6, 16);
    }
    if (!net_rate_allow(&v6->icmp_rate, LIMIT_BURST, LIMIT_EVERY)) {
        v6->st.icmp_rate_limited++;
        return 0;
    }
    size_t quote = rx->hdr_len + len;
    if (quote > MAX_QUOTE)
        quote = MAX_QUOTE;
    struct mirage_buf *b = mirage_buf_alloc(ICMP_HDR + quote);
    if (!b)
        return MIRAGE_ENOMEM;
    uint8_t *p = b->data;
    p[0] = type;
    p[1] = code;
    mirage_put_be32(p + 4, param);
    size_t h = rx->hdr_len < quote ? rx->hdr_len : quote;
    memcpy(p + ICMP_HDR, rx->hdr, h);
    if (quote > h)
        memcpy(p + ICMP_HDR + h, payload, quote - h);
    v6->st.tx_icmp_errors++;
    return icmpv6_send(v6, src, rx->src.v6, 0, b);
}

void mld_report(struct mirage_ipv6 *v6)
{
    /* One record per solicited-node group (all-nodes is never reported,
     * RFC 3810 6). */
    uint8_t groups[MIRAGE_IPV6_ADDRESSES][16];
    size_t n = 0;
    for (size_t i = 0; i < v6->naddrs; i++) {
        uint8_t sn[16];
        ip6_solicited_node(v6->addrs[i].a, sn);
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            dup = memcmp(groups[j], sn, 16) == 0;
        if (!dup)
            memcpy(groups[n++], sn, 16);
    }
    if (!n)
        return;
    /* From the link-local address, or :: while it is tentative (RFC 3810
     * 5.2.13); with a hop-by-hop header holding a router alert. */
    uint8_t src[16];
    if (!ipv6_select_src(v6, ip6_all_nodes, src))
        memset(src, 0, 16);
    size_t mld_len = 8 + n * 20;
    struct mirage_buf *b = mirage_buf_alloc(8 + mld_len);
    if (!b)
        return;
    uint8_t *h = b->data, *m = b->data + 8;
    static const uint8_t hbh[8] = {MIRAGE_IP_PROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0};
    memcpy(h, hbh, 8);
    memset(m, 0, mld_len);
    m[0] = MLD_V2_REPORT;
    mirage_put_be16(m + 6, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        uint8_t *r = m + 8 + i * 20;
        r[0] = v6->mld_left > 1 ? MLD_CHANGE_TO_EX : MLD_IS_EX;
        memcpy(r + 4, groups[i], 16);
    }
    mirage_icmpv6_checksum(src, ip6_mld_routers, m, mld_len);
    v6->st.tx_mld_reports++;
    ipv6_output(v6, src, ip6_mld_routers, 0, 1, b);
}
