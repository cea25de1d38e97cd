/* NewReno and CUBIC congestion control, in integers. */
#include "cc.h"

/* CUBIC's constants (RFC 9438 §4): C = 0.4 segments/s^3, beta = 0.7,
 * and the Reno-friendly additive increase alpha = 3(1 - beta)/(1 + beta)
 * = 9/17 of a segment per window. */
#define BETA_NUM  7
#define BETA_DEN  10
#define ALPHA_NUM 9
#define ALPHA_DEN 17
/* |t - K| is held below this (ms, about 17 minutes), so that its cube
 * fits in 64 bits. */
#define MAX_DT_MS (1 << 20)

uint64_t tcp_cbrt(uint64_t x)
{
    uint64_t r = 0;
    for (int shift = 63; shift >= 0; shift -= 3) {
        r <<= 1;
        uint64_t b = 3 * r * (r + 1) + 1;
        if ((x >> shift) >= b) {
            x -= b << shift;
            r++;
        }
    }
    return r;
}

/* The threshold after a loss with flight bytes outstanding: half the
 * flight for Reno, beta of it for CUBIC, two segments at least. */
static uint32_t decreased(const struct tcp_cc *cc, uint32_t flight,
                          uint32_t mss)
{
    uint32_t t = cc->cubic ? (uint32_t)((uint64_t)flight * BETA_NUM / BETA_DEN)
                           : flight / 2;
    return t > 2 * mss ? t : 2 * mss;
}

/* CUBIC remembers where the loss happened, converging faster when the
 * window had not grown back to the previous maximum (§4.7). */
static void cubic_loss(struct tcp_cc *cc)
{
    if (cc->cwnd < cc->w_max)
        cc->w_max = (uint32_t)((uint64_t)cc->cwnd * (BETA_DEN + BETA_NUM) /
                               (2 * BETA_DEN));
    else
        cc->w_max = cc->cwnd;
    cc->epoch = 0;
}

void tcp_cc_init(struct tcp_cc *cc, uint32_t mss, uint32_t snd_una, bool cubic)
{
    uint32_t iw = 2 * mss > 14600 ? 2 * mss : 14600;
    *cc = (struct tcp_cc){0};
    cc->cwnd = 10 * mss < iw ? 10 * mss : iw;
    cc->ssthresh = UINT32_MAX / 2;
    cc->recover = snd_una;
    cc->cubic = cubic;
}

static void cubic_on_ack(struct tcp_cc *cc, uint32_t acked, uint32_t mss,
                         uint64_t now, uint64_t rtt)
{
    if (!cc->epoch) {
        cc->epoch = now ? now : 1;
        cc->frac = 0;
        cc->w_est = cc->cwnd;
        if (cc->cwnd < cc->w_max) {
            /* K^3 = (w_max - cwnd) / (C * mss) s^3, here in ms^3. */
            uint64_t gap = cc->w_max - cc->cwnd;
            cc->k_ms = tcp_cbrt(gap * 2500000000u / mss);
        } else {
            cc->k_ms = 0;
            cc->w_max = cc->cwnd;
        }
    }
    /* The target is the cubic curve one round trip ahead (§4.2). */
    uint64_t t_ms = (now - cc->epoch + rtt) / 1000000u;
    int64_t dt = (int64_t)t_ms - (int64_t)cc->k_ms;
    if (dt > MAX_DT_MS)
        dt = MAX_DT_MS;
    if (dt < -MAX_DT_MS)
        dt = -MAX_DT_MS;
    /* C * mss * dt^3, dt in ms: 0.4 * mss * dt^3 / 1e9 bytes. */
    int64_t cube = dt * dt * dt / 1000000;
    int64_t target = (int64_t)cc->w_max + cube * 4 * (int64_t)mss / 10000;
    /* The Reno-friendly region (§4.3). */
    cc->w_est += (uint32_t)((uint64_t)acked * mss * ALPHA_NUM /
                            ((uint64_t)ALPHA_DEN * cc->cwnd));
    if (target < (int64_t)cc->w_est)
        target = cc->w_est;
    /* At most 1.5 times the window per round trip (§4.2). */
    if (target > (int64_t)cc->cwnd + cc->cwnd / 2)
        target = cc->cwnd + cc->cwnd / 2;
    if (target <= (int64_t)cc->cwnd)
        return;
    cc->frac += (uint64_t)(target - cc->cwnd) * acked;
    uint64_t inc = cc->frac / cc->cwnd;
    cc->frac %= cc->cwnd;
    cc->cwnd += inc > UINT32_MAX / 4 ? UINT32_MAX / 4 : (uint32_t)inc;
}

void tcp_cc_on_ack(struct tcp_cc *cc, uint32_t acked, uint32_t mss,
                   uint64_t now, uint64_t rtt)
{
    if (cc->cwnd < cc->ssthresh) {
        /* Appropriate byte counting with L = 2 (RFC 3465), or L as
         * large as a super-segment. */
        uint32_t l = cc->abc_limit > 2 * mss ? cc->abc_limit : 2 * mss;
        cc->cwnd += acked < l ? acked : l;
        return;
    }
    if (cc->cubic) {
        cubic_on_ack(cc, acked, mss, now, rtt);
        return;
    }
    cc->ca_acked += acked;
    if (cc->ca_acked >= cc->cwnd) {
        cc->ca_acked -= cc->cwnd;
        cc->cwnd += mss;
    }
}

void tcp_cc_enter_recovery(struct tcp_cc *cc, uint32_t flight, uint32_t mss,
                           uint32_t snd_max, bool sack)
{
    if (cc->cubic)
        cubic_loss(cc);
    cc->ssthresh = decreased(cc, flight, mss);
    cc->cwnd = sack ? cc->ssthresh : cc->ssthresh + 3 * mss;
    cc->ca_acked = 0;
    cc->recovery = true;
    cc->recover = snd_max;
}

void tcp_cc_on_dupack(struct tcp_cc *cc, uint32_t mss, bool sack)
{
    if (!sack)
        cc->cwnd += mss;
}

void tcp_cc_on_partial_ack(struct tcp_cc *cc, uint32_t acked, uint32_t mss,
                           bool sack)
{
    if (sack)
        return;
    cc->cwnd = cc->cwnd > acked ? cc->cwnd - acked : 0;
    if (acked >= mss)
        cc->cwnd += mss;
    if (cc->cwnd < mss)
        cc->cwnd = mss;
}

void tcp_cc_exit_recovery(struct tcp_cc *cc, uint32_t flight, uint32_t mss)
{
    uint32_t w = (flight > mss ? flight : mss) + mss;
    cc->cwnd = w < cc->ssthresh ? w : cc->ssthresh;
    cc->recovery = false;
    cc->epoch = 0;
}

void tcp_cc_on_timeout(struct tcp_cc *cc, uint32_t flight, uint32_t mss,
                       uint32_t snd_max)
{
    if (cc->cubic)
        cubic_loss(cc);
    cc->ssthresh = decreased(cc, flight, mss);
    cc->cwnd = mss;
    cc->ca_acked = 0;
    cc->recovery = false;
    cc->recover = snd_max;
}
