/* Blocking on hvt. With MIRAGE_EXT_NETV_WAIT granted, one NETV_WAIT sends
 * what is queued, receives what is waiting and, if nothing came, waits
 * like POLL: one VM exit. Otherwise first the batched network devices'
 * NETV (queued frames out, frames in: if some came, return at once), then
 * the POLL hypercall with a relative time-out, reporting the acquired
 * network devices that have a frame waiting (not when the deadline has
 * passed and the NETVs just found every device empty). */
#include "../solo5/manifest.h"
#include "hvt.h"

#include <mirage/plat.h>

/* The relative time-out of a yield until deadline (0: only asking). */
static uint64_t time_left(uint64_t deadline)
{
    uint64_t now = plat_clock_monotonic();
    return deadline > now ? deadline - now : 0;
}

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    plat_handle_set nets = solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
    if (hvt_net_wait(time_left(deadline), ready)) {
        *ready &= nets;
        return;
    }
    plat_handle_set empty, pending = hvt_net_flush(&empty);
    *ready = pending & nets;
    if (*ready)
        return;
    uint64_t timeout = time_left(deadline);
    /* Only asking, and NETV has just asked every device: no POLL. */
    if (timeout == 0 && (nets & ~empty) == 0)
        return;
    struct solo5_hvt_poll p = {.timeout_nsecs = timeout};
    hvt_hypercall(SOLO5_HVT_HC_POLL, &p);
    *ready = p.ret == 0 ? p.ready_set & nets : 0;
    hvt_net_polled(*ready);
}
