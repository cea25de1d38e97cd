/* The hvt guest's descriptor tables (plat/solo5/cpu.h): vectors 0-31 go
 * to the stubs in trap_entry.S, on the exception stack. The tender's GDT
 * lives in memory the guest cannot see, so the guest installs its own
 * before anything can fault. */
#include "../solo5/cpu.h"
#include "hvt.h"

/* The stubs' addresses, vector by vector (trap_entry.S). */
extern const uint64_t hvt_trap_stubs[32];

__attribute__((no_stack_protector)) void hvt_cpu_init(void)
{
    solo5_cpu_load_gdt();
    for (unsigned v = 0; v < 32; v++)
        solo5_cpu_set_gate(v, hvt_trap_stubs[v], SOLO5_TRAP_IST);
    solo5_cpu_load_idt();
}
