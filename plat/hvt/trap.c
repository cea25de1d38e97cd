/* Reporting a CPU exception in the hvt guest: a page fault in a stack
 * guard page is named by the runtime ("fiber stack overflow ..."); then,
 * unless the tender reports guest faults itself (MirageC's
 * MIRAGE_EXT_FAULTS), the exception's name, error code, RIP and CR2 go
 * to the console; and the guest halts with status 255 and a cookie
 * holding the registers, which tenders report and dump. */
#include "../solo5/exception.h"
#include "../solo5/ext.h"
#include "hvt.h"

#include <mirage/plat.h>
#include <stddef.h>

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

void hvt_trap(struct solo5_trap_frame *f);

/* No canary here (see plat/solo5/exception.h). */
__attribute__((no_stack_protector)) void hvt_trap(struct solo5_trap_frame *f)
{
    uint64_t cr2;
    if (!solo5_trap_enter(f, &cr2))
        hvt_halt(255, NULL);
    if (!solo5_ext_granted(MIRAGE_EXT_FAULTS))
        solo5_trap_say("hvt", f, cr2);
    /* In a buffer of the SOLO5_HVT_HALT_COOKIE_MAX bytes the tender may
     * read (the frame, near the top of the stack, may not have them). */
    static struct solo5_hvt_trap_cookie cookie;
    cookie = (struct solo5_hvt_trap_cookie){
        .cr2 = cr2,
        .error = f->error,
        .rip = f->rip,
        .cs = f->cs,
        .rflags = f->rflags,
        .rsp = f->rsp,
        .ss = f->ss,
        .magic = MIRAGE_TRAP_MAGIC,
        .vector = f->vector,
        .rax = f->rax,
        .rbx = f->rbx,
        .rcx = f->rcx,
        .rdx = f->rdx,
        .rsi = f->rsi,
        .rdi = f->rdi,
        .rbp = f->rbp,
        .r8 = f->r8,
        .r9 = f->r9,
        .r10 = f->r10,
        .r11 = f->r11,
        .r12 = f->r12,
        .r13 = f->r13,
        .r14 = f->r14,
        .r15 = f->r15,
        .fs_base = rdmsr(0xc0000100u),
    };
    hvt_halt(255, &cookie);
}
