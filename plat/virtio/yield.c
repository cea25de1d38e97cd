/* Blocking on the virtio platform: the devices are polled, not
 * interrupt-driven, so plat_yield checks the acquired network devices'
 * receive rings and sleeps (lapic.c) until the deadline, waking every
 * POLL_NS to look again while any network device is acquired. */
#include "../solo5/manifest.h"
#include "virtio.h"

#include <mirage/plat.h>

#define POLL_NS 100000ull

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    plat_handle_set nets = solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
    for (;;) {
        plat_handle_set set = virtio_net_ready(nets);
        uint64_t now = plat_clock_monotonic();
        if (set != 0 || now >= deadline) {
            *ready = set;
            return;
        }
        uint64_t wait = deadline - now;
        virtio_sleep(nets != 0 && wait > POLL_NS ? POLL_NS : wait);
    }
}
