/* RFC 6298 retransmission timer arithmetic, in integer nanoseconds. */
#include "rto.h"

/* The clock granularity G of rule 2.3: the timestamp clock ticks in ms. */
#define RTO_GRANULARITY 1000000u

static uint64_t clamp(const struct tcp_rto *r, uint64_t v)
{
    return v < r->min ? r->min : v > r->max ? r->max : v;
}

void tcp_rto_init(struct tcp_rto *r, uint64_t initial, uint64_t min,
                  uint64_t max)
{
    r->srtt = 0;
    r->rttvar = 0;
    r->min = min;
    r->max = max;
    r->rto = clamp(r, initial);
    r->backoff = 0;
    r->has_sample = false;
}

void tcp_rto_sample(struct tcp_rto *r, uint64_t rtt)
{
    if (!r->has_sample) {
        r->srtt = rtt;
        r->rttvar = rtt / 2;
        r->has_sample = true;
    } else {
        uint64_t err = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;
        /* beta = 1/4, alpha = 1/8 */
        r->rttvar = r->rttvar - r->rttvar / 4 + err / 4;
        r->srtt = r->srtt - r->srtt / 8 + rtt / 8;
    }
    uint64_t var = 4 * r->rttvar;
    r->rto =
        clamp(r, r->srtt + (var > RTO_GRANULARITY ? var : RTO_GRANULARITY));
}

uint64_t tcp_rto_timeout(const struct tcp_rto *r)
{
    uint64_t t = r->rto;
    for (unsigned i = 0; i < r->backoff && t < r->max; i++)
        t *= 2;
    return t > r->max ? r->max : t;
}
