/* Parsing and building TCP headers and options; the Internet checksum. */
#include "segment.h"

#include <mirage/buf.h>
#include <mirage/error.h>
#include <string.h>

enum {
    OPT_EOL = 0,
    OPT_NOP = 1,
    OPT_MSS = 2,
    OPT_WS = 3,
    OPT_SACK_OK = 4,
    OPT_SACK = 5,
    OPT_TS = 8,
};

static void parse_option(uint8_t kind, const uint8_t *v, size_t vlen,
                         struct tcp_opts *o)
{
    switch (kind) {
    case OPT_MSS:
        if (vlen == 2)
            o->mss = mirage_get_be16(v);
        break;
    case OPT_WS:
        if (vlen == 1) {
            o->has_ws = true;
            o->ws = v[0] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : v[0];
        }
        break;
    case OPT_SACK_OK:
        if (vlen == 0)
            o->sack_ok = true;
        break;
    case OPT_SACK:
        if (vlen >= 8 && vlen % 8 == 0 && vlen / 8 <= TCP_MAX_SACK) {
            o->nsack = (uint8_t)(vlen / 8);
            for (size_t i = 0; i < o->nsack; i++) {
                o->sack[i].start = mirage_get_be32(v + 8 * i);
                o->sack[i].end = mirage_get_be32(v + 8 * i + 4);
            }
        }
        break;
    case OPT_TS:
        if (vlen == 8) {
            o->has_ts = true;
            o->ts_val = mirage_get_be32(v);
            o->ts_ecr = mirage_get_be32(v + 4);
        }
        break;
    default:
        break;
    }
}

static int parse_options(const uint8_t *p, size_t len, struct tcp_opts *o)
{
    size_t i = 0;
    while (i < len) {
        uint8_t kind = p[i];
        if (kind == OPT_EOL)
            break;
        if (kind == OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= len || p[i + 1] < 2 || p[i + 1] > len - i)
            return MIRAGE_EBADF;
        parse_option(kind, p + i + 2, (size_t)p[i + 1] - 2, o);
        i += p[i + 1];
    }
    return 0;
}

int tcp_seg_parse(const uint8_t *p, size_t len, struct tcp_seg *s)
{
    if (len < TCP_HDR_MIN)
        return MIRAGE_EBADF;
    size_t hlen = (size_t)(p[12] >> 4) * 4;
    if (hlen < TCP_HDR_MIN || hlen > len)
        return MIRAGE_EBADF;
    memset(s, 0, sizeof *s);
    s->sport = mirage_get_be16(p);
    s->dport = mirage_get_be16(p + 2);
    s->seq = mirage_get_be32(p + 4);
    s->ack = mirage_get_be32(p + 8);
    s->flags = p[13] & 0x3f;
    s->wnd = mirage_get_be16(p + 14);
    s->urp = mirage_get_be16(p + 18);
    if (parse_options(p + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &s->opt) != 0)
        return MIRAGE_EBADF;
    s->data = p + hlen;
    s->len = len - hlen;
    return 0;
}

static uint8_t *put_nops(uint8_t *p, size_t n)
{
    memset(p, OPT_NOP, n);
    return p + n;
}

size_t tcp_opts_write(uint8_t *p, const struct tcp_opts *o, bool syn)
{
    uint8_t *q = p;
    if (syn && o->mss) {
        q[0] = OPT_MSS;
        q[1] = 4;
        mirage_put_be16(q + 2, o->mss);
        q += 4;
    }
    bool sack_ok = syn && o->sack_ok;
    if (o->has_ts) {
        if (sack_ok) {
            q[0] = OPT_SACK_OK;
            q[1] = 2;
            q += 2;
        } else {
            q = put_nops(q, 2);
        }
        q[0] = OPT_TS;
        q[1] = 10;
        mirage_put_be32(q + 2, o->ts_val);
        mirage_put_be32(q + 6, o->ts_ecr);
        q += 10;
    } else if (sack_ok) {
        q = put_nops(q, 2);
        q[0] = OPT_SACK_OK;
        q[1] = 2;
        q += 2;
    }
    if (syn && o->has_ws) {
        q = put_nops(q, 1);
        q[0] = OPT_WS;
        q[1] = 3;
        q[2] = o->ws;
        q += 3;
    }
    if (!syn && o->nsack) {
        size_t room = (TCP_OPT_MAX - (size_t)(q - p) - 4) / 8;
        size_t n = o->nsack < room ? o->nsack : room;
        if (n) {
            q = put_nops(q, 2);
            q[0] = OPT_SACK;
            q[1] = (uint8_t)(2 + 8 * n);
            for (size_t i = 0; i < n; i++) {
                mirage_put_be32(q + 2 + 8 * i, o->sack[i].start);
                mirage_put_be32(q + 6 + 8 * i, o->sack[i].end);
            }
            q += 2 + 8 * n;
        }
    }
    size_t len = (size_t)(q - p);
    size_t pad = (4 - len % 4) % 4;
    memset(q, OPT_EOL, pad);
    return len + pad;
}

void tcp_hdr_write(uint8_t *p, const struct tcp_seg *s, size_t optlen)
{
    mirage_put_be16(p, s->sport);
    mirage_put_be16(p + 2, s->dport);
    mirage_put_be32(p + 4, s->seq);
    mirage_put_be32(p + 8, s->ack);
    p[12] = (uint8_t)(((TCP_HDR_MIN + optlen) / 4) << 4);
    p[13] = s->flags;
    mirage_put_be16(p + 14, s->wnd);
    mirage_put_be16(p + 16, 0);
    mirage_put_be16(p + 18, s->urp);
}
