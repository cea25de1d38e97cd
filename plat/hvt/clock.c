/* Clocks on hvt: monotonic from the TSC scaled by the tender's
 * cpu_cycle_freq, wall = the WALLTIME hypercall at boot + monotonic time
 * since (one hypercall per boot, not per reading). No floating point: the
 * scale is a 32.32 fixed-point multiplier applied with a 128-bit product. */
#include "../solo5/tsc.h"
#include "hvt.h"

#include <mirage/plat.h>

static uint64_t tsc_at_boot;
static uint64_t ns_per_tick_32; /* nanoseconds per tick << 32 */
static uint64_t wall_at_boot;

void hvt_clock_init(uint64_t freq)
{
    /* freq >= 1 Hz; for any real TSC (> 233 Hz) this fits 64 bits. */
    ns_per_tick_32 = (uint64_t)(((unsigned __int128)1000000000u << 32) / freq);
    tsc_at_boot = solo5_rdtsc();
    struct solo5_hvt_walltime w = {0};
    hvt_hypercall(SOLO5_HVT_HC_WALLTIME, &w);
    wall_at_boot = w.nsecs;
}

uint64_t plat_clock_monotonic(void)
{
    uint64_t ticks = solo5_rdtsc() - tsc_at_boot;
    return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);
}

uint64_t plat_clock_wall(void)
{
    return wall_at_boot + plat_clock_monotonic();
}
