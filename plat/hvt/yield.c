/* Blocking on hvt: first the batched network devices' NETV (queued frames
 * out, frames in: if some came, return at once), then the POLL hypercall
 * with a relative time-out, reporting the acquired network devices that
 * have a frame waiting. */
#include "../solo5/manifest.h"
#include "hvt.h"

#include <mirage/plat.h>

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    plat_handle_set pending = hvt_net_flush();
    if (pending) {
        *ready = pending & solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
        return;
    }
    uint64_t now = plat_clock_monotonic();
    struct solo5_hvt_poll p = {.timeout_nsecs =
                                   deadline > now ? deadline - now : 0};
    hvt_hypercall(SOLO5_HVT_HC_POLL, &p);
    *ready = p.ret == 0
                 ? p.ready_set & solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC)
                 : 0;
    hvt_net_polled(*ready);
}
