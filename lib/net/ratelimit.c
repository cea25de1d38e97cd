/* The token bucket of ratelimit.h. */
#include "ratelimit.h"

#include <mirage/fiber.h>

bool net_rate_allow(struct net_rate *l, unsigned burst, uint64_t every)
{
    uint64_t now = mirage_now();
    if (l->last == 0) {
        l->last = now;
        l->tokens = burst;
    }
    uint64_t refill = (now - l->last) / every;
    if (refill) {
        l->tokens = refill >= burst || l->tokens + refill > burst
                        ? burst
                        : l->tokens + (unsigned)refill;
        l->last += refill * every;
    }
    if (!l->tokens)
        return false;
    l->tokens--;
    return true;
}
