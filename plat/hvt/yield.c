/* Blocking on hvt: first the batched network devices' NETV (queued frames
 * out, frames in: if some came, return at once), then the POLL hypercall
 * with a relative time-out, reporting the acquired network devices that
 * have a frame waiting (not when the deadline has passed and the NETVs
 * just found every device empty). */
#include "../solo5/manifest.h"
#include "hvt.h"

#include <mirage/plat.h>

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    plat_handle_set nets = solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
    plat_handle_set empty, pending = hvt_net_flush(&empty);
    *ready = pending & nets;
    if (*ready)
        return;
    uint64_t now = plat_clock_monotonic();
    /* Only asking, and NETV has just asked every device: no POLL. */
    if (deadline <= now && (nets & ~empty) == 0)
        return;
    struct solo5_hvt_poll p = {.timeout_nsecs =
                                   deadline > now ? deadline - now : 0};
    hvt_hypercall(SOLO5_HVT_HC_POLL, &p);
    *ready = p.ret == 0
                 ? p.ready_set & solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC)
                 : 0;
    hvt_net_polled(*ready);
}
