/* CPU exception reports of the VM guests (see exception.h). */
#include "exception.h"

#include "say.h"

#include <mirage/plat.h>
#include <mirage/solo5.h>
#include <stddef.h>

#define VECTOR_PF 14

__attribute__((no_stack_protector)) bool
solo5_trap_enter(const struct solo5_trap_frame *f, uint64_t *cr2)
{
    static bool reporting;
    if (reporting)
        return false;
    reporting = true;
    __asm__ volatile("movq %%cr2, %0" : "=r"(*cr2));
    if (f->vector == VECTOR_PF)
        mirage_rt_stack_fault(*cr2);
    return true;
}

__attribute__((no_stack_protector)) void
solo5_trap_say(const char *who, const struct solo5_trap_frame *f, uint64_t cr2)
{
    char e[19], rip[19], c2[19];
    solo5_say(who, ": guest exception: ", solo5_x86_exception_name(f->vector),
              ", error ", solo5_hex(f->error, e), ", rip ",
              solo5_hex(f->rip, rip), ", cr2 ", solo5_hex(cr2, c2), "\n", NULL);
}

__attribute__((no_stack_protector)) const char *solo5_hex(uint64_t v,
                                                          char buf[19])
{
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 17; i >= 2; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15];
    buf[18] = '\0';
    return buf;
}
