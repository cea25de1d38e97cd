/* libFuzzer target: the TCP segment parser (lib/tcp/segment.c). Whatever
 * parses is written back (header and options, as a SYN and as another
 * segment) and parsed again: the options that survive must be the same,
 * and the payload must lie inside the input. */
#include "../lib/tcp/segment.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rewrite(const struct tcp_seg *s, bool syn)
{
    uint8_t p[TCP_HDR_MAX];
    size_t optlen = tcp_opts_write(p + TCP_HDR_MIN, &s->opt, syn);
    if (optlen > TCP_OPT_MAX || optlen % 4)
        abort();
    tcp_hdr_write(p, s, optlen);
    struct tcp_seg r;
    if (tcp_seg_parse(p, TCP_HDR_MIN + optlen, &r) != 0)
        abort();
    if (r.seq != s->seq || r.ack != s->ack || r.flags != s->flags ||
        r.wnd != s->wnd || r.sport != s->sport || r.dport != s->dport ||
        r.len != 0)
        abort();
    if (r.opt.has_ts != s->opt.has_ts ||
        (s->opt.has_ts &&
         (r.opt.ts_val != s->opt.ts_val || r.opt.ts_ecr != s->opt.ts_ecr)))
        abort();
    if (syn && (r.opt.mss != s->opt.mss || r.opt.has_ws != s->opt.has_ws ||
                r.opt.sack_ok != s->opt.sack_ok))
        abort();
    if (!syn && r.opt.nsack > s->opt.nsack)
        abort();
    for (unsigned i = 0; !syn && i < r.opt.nsack; i++)
        if (memcmp(&r.opt.sack[i], &s->opt.sack[i], sizeof r.opt.sack[i]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tcp_seg s;
    if (tcp_seg_parse(data, size, &s) != 0)
        return 0;
    if (s.data < data + TCP_HDR_MIN || s.data + s.len != data + size ||
        s.opt.nsack > TCP_MAX_SACK || (s.opt.has_ws && s.opt.ws > 14))
        abort();
    check_rewrite(&s, true);
    check_rewrite(&s, false);
    return 0;
}
